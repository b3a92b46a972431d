"""The client's data overview as a document (PDF): what the dossier holds about the person.

It is what a coach hands over when a client asks what is recorded about them: identity and
contact data, intakes, consents, referrals, trajectories with phases, placements,
evaluations and POP versions, instruments, the journal and the documents' titles. It never
contains the protected section (R-PRV-3): the document says so, and the protected notes
are not even read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from doorstroom.clients.models import Client, WorkDemand
from doorstroom.clients.services import responsible_ocmw
from doorstroom.clients.validation import format_national_number, format_phone
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.pdf import render_pdf
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.employers.models import Placement
from doorstroom.evaluations.models import Evaluation
from doorstroom.instruments.selectors import DOSSIER_USES
from doorstroom.plans.models import PlanCompetence, PlanVersion
from doorstroom.trajectories.models import Handover, Trajectory

TEMPLATE = "documents/data_overview.html"


def _trajectories(client: Client) -> list[Trajectory]:
    return list(
        Trajectory.objects.filter(client=client)
        .select_related("coach", "organisation", "employment_contract")
        .prefetch_related(
            "phases",
            "suspensions",
            Prefetch(
                "handovers",
                queryset=Handover.objects.select_related(
                    "from_coach", "to_coach", "to_organisation"
                ),
            ),
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("workplace__employer", "mentor")
                .prefetch_related("regime_steps")
                .order_by("start", "pk"),
            ),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.select_related("placement__workplace").order_by(
                    "planned_on", "pk"
                ),
            ),
            Prefetch(
                "plan_versions",
                queryset=PlanVersion.objects.select_related("author")
                .prefetch_related(
                    Prefetch(
                        "competences",
                        queryset=PlanCompetence.objects.select_related("competence").order_by(
                            "competence__name_nl"
                        ),
                    )
                )
                .order_by("number"),
            ),
            DOSSIER_USES,
        )
        .order_by("start", "pk")
    )


def overview_context(client: Client) -> dict[str, Any]:
    """Everything the overview shows, except the protected section (R-PRV-3)."""
    trajectories = _trajectories(client)
    current = next((t for t in reversed(trajectories) if t.status != "stopped"), None)
    organisation = current.organisation if current else client.organisation
    limitations = dict(WorkDemand.choices)
    return {
        "organisation": organisation,
        "client": client,
        "national_number": format_national_number(client.national_number),
        "phone": format_phone(client.phone),
        "responsible_ocmw": responsible_ocmw(client.municipality),
        "job_targets": list(client.job_targets.all()),
        "limitations": [limitations.get(code, code) for code in client.work_limitations],
        "intakes": list(
            client.intakes.select_related("assessor", "decided_by")
            .prefetch_related("barriers")
            .order_by("assessed_on", "pk")
        ),
        "consents": list(client.consents.select_related("organisation").order_by("given_on")),
        "referrals": list(
            client.referrals.select_related("referred_by", "from_organisation").order_by(
                "referred_on"
            )
        ),
        "trajectories": trajectories,
        "journal": list(client.journal.select_related("author").order_by("on", "pk")),
        "documents": list(client.documents.select_related("uploaded_by").order_by("uploaded_at")),
    }


def overview_filename(client: Client) -> str | Promise:
    return format_lazy("{} {}.pdf", _("Data overview"), client.full_name)


@dossier_access_required
def overview_pdf(request: UserRequest, pk: int) -> HttpResponse:
    """The client's data overview as a PDF (never the protected section)."""
    client = get_for_user_or_404(
        Client.objects.visible_to(request.user).select_related("municipality", "organisation"),
        request.user,
        pk=pk,
    )
    return render_pdf(
        request,
        TEMPLATE,
        overview_context(client),
        filename=overview_filename(client),
        target=client,
        kind="data_overview",
        by=request.user,
    )
