"""Agreements as documents: the cooperation agreement and the placement agreement (PDF).

The placement agreement states the facts of one placement: who, where, with which mentor,
from when, at which regime (R-PLC-3), under which cooperation agreement (R-PLC-1) and, for
art. 60 at a third-party user, under which tripartite agreement (terbeschikkingstelling).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from doorstroom.clients.validation import format_phone
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.pdf import render_pdf
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.employers.models import (
    Agreement,
    AgreementKind,
    ContactRole,
    Employer,
    EmployerContact,
    Placement,
    Workplace,
)
from doorstroom.employers.services import cooperation_in_force
from doorstroom.trajectories.choices import TrajectoryKind

COOPERATION_TEMPLATE = "documents/cooperation_agreement.html"
PLACEMENT_TEMPLATE = "documents/placement_agreement.html"


def _contact_person(employer: Employer) -> EmployerContact | None:
    return employer.contacts.filter(role=ContactRole.CONTACT, is_active=True).first()


def cooperation_context(agreement: Agreement) -> dict[str, Any]:
    """The parties, the period, the signatories and the commitment clause (R-PLC-1)."""
    employer = agreement.employer
    contact = _contact_person(employer)
    workplaces = Workplace.objects.filter(employer=employer, is_active=True).select_related(
        "municipality"
    )
    return {
        "organisation": employer.organisation,
        "agreement": agreement,
        "employer": employer,
        "contact": contact,
        "contact_phone": format_phone(contact.phone) if contact else "",
        "employer_phone": format_phone(employer.phone),
        "organisation_phone": format_phone(employer.organisation.phone),
        "workplaces": list(workplaces.order_by("title")),
        "signatories": [
            (employer.organisation.name, agreement.signed_by_organisation),
            (employer.name, agreement.signed_by_employer),
        ],
    }


def cooperation_filename(agreement: Agreement) -> str | Promise:
    return format_lazy(
        "{} {} {}.pdf", _("Cooperation agreement"), agreement.employer.name, agreement.start
    )


@dossier_access_required
def agreement_pdf(request: UserRequest, pk: int) -> HttpResponse:
    """A cooperation agreement as a PDF (a tripartite one is part of the placement's)."""
    agreements = Agreement.objects.visible_to(request.user).filter(kind=AgreementKind.COOPERATION)
    agreement = get_for_user_or_404(
        agreements.select_related("employer__organisation", "employer__municipality"),
        request.user,
        pk=pk,
    )
    return render_pdf(
        request,
        COOPERATION_TEMPLATE,
        cooperation_context(agreement),
        filename=cooperation_filename(agreement),
        target=agreement,
        kind="cooperation_agreement",
        by=request.user,
    )


def placement_for_document(queryset: Any) -> Any:
    return queryset.select_related(
        "trajectory__client",
        "trajectory__coach",
        "trajectory__organisation",
        "trajectory__employment_contract",
        "workplace__municipality",
        "workplace__employer__municipality",
        "mentor",
    ).prefetch_related("regime_steps", "workplace__trained__competence")


def tripartite_for(placement: Placement) -> Agreement | None:
    """The tripartite agreement of an art. 60 placement at a third-party user, if any."""
    employer = placement.workplace.employer
    if placement.trajectory.kind != TrajectoryKind.ART60 or employer.is_internal:
        return None
    return (
        Agreement.objects.filter(
            employer=employer, kind=AgreementKind.TRIPARTITE, trajectory=placement.trajectory
        )
        .order_by("-signed_on", "-pk")
        .first()
    )


def placement_context(placement: Placement) -> dict[str, Any]:
    """Client, workplace, employer, mentor, period, regime steps and the agreements."""
    trajectory = placement.trajectory
    employer = placement.workplace.employer
    third_party = trajectory.kind == TrajectoryKind.ART60 and not employer.is_internal
    return {
        "organisation": trajectory.organisation,
        "placement": placement,
        "trajectory": trajectory,
        "client": trajectory.client,
        "workplace": placement.workplace,
        "employer": employer,
        "contact": _contact_person(employer),
        "mentor_phone": format_phone(placement.mentor.phone) if placement.mentor else "",
        "cooperation": cooperation_in_force(employer, placement.start),
        "third_party": third_party,
        "tripartite": tripartite_for(placement) if third_party else None,
        "contract": trajectory.contract,
        "signatories": [
            (_("Client"), trajectory.client.full_name),
            (employer.name, placement.mentor.name if placement.mentor else ""),
            (trajectory.organisation.name, trajectory.coach.full_name),
        ],
    }


def placement_filename(placement: Placement) -> str | Promise:
    return format_lazy(
        "{} {} {}.pdf", _("Placement"), placement.trajectory.client.full_name, placement.start
    )


@dossier_access_required
def placement_pdf(request: UserRequest, pk: int) -> HttpResponse:
    """The placement agreement as a PDF."""
    placement = get_for_user_or_404(
        placement_for_document(Placement.objects.visible_to(request.user)), request.user, pk=pk
    )
    return render_pdf(
        request,
        PLACEMENT_TEMPLATE,
        placement_context(placement),
        filename=placement_filename(placement),
        target=placement.trajectory,
        kind="placement_agreement",
        by=request.user,
        details={"placement": placement.pk},
    )
