"""Filling a DOCX template (docxtpl) with a dossier's data: the merge fields and the rendering.

A template writes ``{{ client_name }}`` where the client's name goes. Templates are written by
users, also by other organisations (shared ones), so they run in Jinja's sandbox: a template can
read the fields below and nothing else of the server. An unknown field or a broken template is
refused with a message that names the problem, never a server error.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from doorstroom.core.errors import DomainError
from doorstroom.employers.models import Employer, Placement
from doorstroom.trajectories.models import Trajectory


@dataclass(frozen=True)
class MergeField:
    name: str
    label: str | Promise
    example: str


# The fields every template can use; the template's page lists them (keep them in sync).
FIELDS = (
    MergeField("client_name", gettext_lazy("Client's full name"), "Sofie Maes"),
    MergeField("client_first_name", gettext_lazy("Client's first name"), "Sofie"),
    MergeField("client_last_name", gettext_lazy("Client's last name"), "Maes"),
    MergeField("client_address", gettext_lazy("Client's address"), "Markt 1, 2440 Geel"),
    MergeField("client_birth_date", gettext_lazy("Client's date of birth"), "30/07/1985"),
    MergeField("client_phone", gettext_lazy("Client's phone"), "0470 12 34 56"),
    MergeField("client_email", gettext_lazy("Client's e-mail address"), "sofie@example.be"),
    MergeField("coach_name", gettext_lazy("Lead coach"), "An Peeters"),
    MergeField("coach_email", gettext_lazy("Lead coach's e-mail address"), "an@geel.be"),
    MergeField("organisation_name", gettext_lazy("Guiding organisation"), "OCMW Geel"),
    MergeField("organisation_address", gettext_lazy("Organisation's municipality"), "Geel"),
    MergeField("organisation_email", gettext_lazy("Organisation's e-mail address"), ""),
    MergeField("organisation_phone", gettext_lazy("Organisation's phone"), ""),
    MergeField("trajectory_kind", gettext_lazy("Kind of trajectory"), "Artikel 60"),
    MergeField("trajectory_start", gettext_lazy("Start of the trajectory"), "01/02/2026"),
    MergeField("employer_name", gettext_lazy("Employer (of the placement)"), "Groendienst"),
    MergeField("employer_address", gettext_lazy("Employer's address"), "Industrieweg 5, Geel"),
    MergeField("employer_enterprise_number", gettext_lazy("Employer's enterprise number"), ""),
    MergeField("workplace", gettext_lazy("Workplace (job title)"), "Medewerker groen"),
    MergeField("workplace_address", gettext_lazy("Workplace's address"), "Geel"),
    MergeField("mentor_name", gettext_lazy("Mentor at the workplace"), "Marc Wouters"),
    MergeField("placement_start", gettext_lazy("Start of the placement"), "01/03/2026"),
    MergeField("placement_end", gettext_lazy("(Planned) end of the placement"), ""),
    MergeField("respondent_name", gettext_lazy("Respondent (360° feedback)"), "Jan Claes"),
    MergeField("today", gettext_lazy("Today's date"), "22/11/2026"),
)
FIELD_NAMES = frozenset(field.name for field in FIELDS)


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _address(street: str, postcode: str, municipality: Any) -> str:
    place = " ".join(p for p in (postcode, municipality.name_nl if municipality else "") if p)
    return ", ".join(p for p in (street, place) if p)


def _employer_fields(placement: Placement | None) -> dict[str, str]:
    if placement is None:
        return {
            name: "" for name in FIELD_NAMES if name.startswith(("employer_", "placement_"))
        } | {
            "workplace": "",
            "workplace_address": "",
            "mentor_name": "",
        }
    workplace = placement.workplace
    employer: Employer = workplace.employer
    return {
        "employer_name": employer.name,
        "employer_address": _address(employer.street, employer.postcode, employer.municipality),
        "employer_enterprise_number": employer.enterprise_number,
        "workplace": workplace.title,
        "workplace_address": _address(workplace.street, "", workplace.municipality),
        "mentor_name": placement.mentor.name if placement.mentor else "",
        "placement_start": _date(placement.start),
        "placement_end": _date(placement.last_day),
    }


def merge_context(
    trajectory: Trajectory,
    *,
    placement: Placement | None = None,
    respondent_name: str = "",
    today: datetime.date | None = None,
) -> dict[str, str]:
    """Every merge field's value for ``trajectory`` (and ``placement``); absent data is ""."""
    client = trajectory.client
    organisation = trajectory.organisation
    with translation.override(settings.LANGUAGE_CODE):  # the documents are in Dutch
        kind = str(trajectory.get_kind_display())
    return {
        "client_name": client.full_name,
        "client_first_name": client.first_name,
        "client_last_name": client.last_name,
        "client_address": _address(client.street, client.postcode, client.municipality),
        "client_birth_date": _date(client.birth_date),
        "client_phone": client.phone,
        "client_email": client.email,
        "coach_name": trajectory.coach.full_name,
        "coach_email": trajectory.coach.email,
        "organisation_name": organisation.name,
        "organisation_address": organisation.municipality.name_nl
        if organisation.municipality
        else "",
        "organisation_email": organisation.email,
        "organisation_phone": organisation.phone,
        "trajectory_kind": kind,
        "trajectory_start": _date(trajectory.start),
        "respondent_name": respondent_name.strip(),
        "today": _date(today or timezone.localdate()),
        **_employer_fields(placement),
    }


def render_docx(template: bytes, context: Mapping[str, str]) -> bytes:
    """Fill the DOCX ``template`` with ``context``; DomainError when the template is broken."""
    from docxtpl import DocxTemplate

    environment = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    try:
        document = DocxTemplate(io.BytesIO(template))
        document.render(dict(context), jinja_env=environment, autoescape=True)
        output = io.BytesIO()
        document.save(output)
    except UndefinedError as error:
        raise DomainError(
            _("The template uses a field that does not exist: %(error)s. See the list of fields.")
            % {"error": error.message},
        ) from error
    except TemplateError as error:
        raise DomainError(
            _("The template cannot be filled: %(error)s. Correct it and upload a new version.")
            % {"error": error.message or error.__class__.__name__},
        ) from error
    except Exception as error:  # user-supplied file in a third-party renderer: never a 500
        raise DomainError(
            _("The template is not a readable Word document. Upload a new version.")
        ) from error
    return output.getvalue()
