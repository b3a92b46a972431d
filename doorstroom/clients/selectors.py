"""Reads of client dossiers, scoped by R-PRV-1, with their related rows fetched up front."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from doorstroom.accounts.models import Membership, User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import (
    Client,
    Consent,
    Intake,
    JournalEntry,
    Referral,
    ReferralStatus,
    SensitiveAccess,
)
from doorstroom.clients.services import lead_coach_ids, lead_coaches_of
from doorstroom.core.text import normalise
from doorstroom.instruments.selectors import DOSSIER_USES
from doorstroom.trajectories.deadlines import ExplainedDeadline, deadlines_of, explain
from doorstroom.trajectories.models import Handover, Trajectory, TrajectoryMember
from doorstroom.trajectories.selectors import with_clock

JOURNAL_ON_DOSSIER = 25


def search_clients(user: User, q: str = "") -> QuerySet[Client]:
    """Visible clients matching ``q`` in name or national number, ignoring case and accents."""
    clients = Client.objects.visible_to(user).select_related("municipality", "organisation")
    text = normalise(q)
    if text:
        digits = "".join(c for c in q if c.isdigit())
        if digits and len(digits) == len(q.replace(".", "").replace("-", "").replace(" ", "")):
            clients = clients.filter(national_number__startswith=digits)
        else:
            for word in text.split():
                clients = clients.filter(search_text__contains=word)
    return clients.order_by("last_name", "first_name", "pk")


def referral_inbox(user: User) -> dict[str, QuerySet[Referral]]:
    """Referrals addressed to the user (or their organisation when unassigned), and sent."""
    coach_orgs = user.organisation_ids(Role.COACH) | user.organisation_ids(Role.TEAM_LEAD)
    base = Referral.objects.select_related(
        "referred_by", "from_organisation", "to_organisation", "to_coach", "client"
    )
    received = base.filter(
        Q(to_coach=user) | Q(to_coach__isnull=True, to_organisation_id__in=coach_orgs)
    ).filter(status=ReferralStatus.PENDING)
    if user.organisation_ids(Role.TEAM_LEAD):
        received = base.filter(
            Q(to_coach=user)
            | Q(to_organisation_id__in=user.organisation_ids(Role.TEAM_LEAD))
            | Q(to_coach__isnull=True, to_organisation_id__in=coach_orgs)
        ).filter(status=ReferralStatus.PENDING)
    accepted_open = base.filter(to_coach=user, status=ReferralStatus.ACCEPTED, client__isnull=True)
    sent = base.filter(referred_by=user)
    return {"received": received, "to_register": accepted_open, "sent": sent}


def referral_for(user: User, pk: int) -> Referral:
    """A referral the user sent or may answer; anything else is 404."""
    coach_orgs = user.organisation_ids(Role.COACH) | user.organisation_ids(Role.TEAM_LEAD)
    found = (
        Referral.objects.select_related(
            "referred_by", "from_organisation", "to_organisation", "to_coach", "client"
        )
        .filter(
            Q(referred_by=user)
            | Q(to_coach=user)
            | Q(to_coach__isnull=True, to_organisation_id__in=coach_orgs)
            | Q(to_organisation_id__in=user.organisation_ids(Role.TEAM_LEAD))
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass
class Dossier:
    client: Client
    trajectories: list[Trajectory]
    current: Trajectory | None
    deadlines: list[ExplainedDeadline]
    intakes: list[Intake]
    journal: list[JournalEntry]
    may_read_protected: bool
    is_lead: bool
    extra: dict[str, Any] = field(default_factory=dict)


def _current_members() -> QuerySet[TrajectoryMember]:
    """The trajectory's members, each with whether the membership opens the dossier now.

    R-PRV-5: a member of another organisation reaches the dossier only while the client's
    consent to share with their organisation holds (see ClientQuerySet.scope_for).
    """
    member_orgs = Membership.objects.filter(
        user_id=OuterRef("user_id"), organisation__is_active=True
    ).values("organisation_id")
    consented = Consent.objects.valid_on(timezone.localdate()).filter(
        client_id=OuterRef("trajectory__client_id"),
        organisation_id__in=Membership.objects.filter(
            user_id=OuterRef(OuterRef("user_id")), organisation__is_active=True
        ).values("organisation_id"),
    )
    return (
        TrajectoryMember.objects.filter(until__isnull=True)
        .select_related("user")
        .annotate(
            in_organisation=Exists(
                member_orgs.filter(organisation_id=OuterRef("trajectory__organisation_id"))
            ),
            consented=Exists(consented),
        )
    )


def dossier_for(client: Client, user: User) -> Dossier:
    """Everything the dossier page shows, in a fixed number of queries."""
    trajectories = list(
        with_clock(client.trajectories.all())
        .select_related("coach", "organisation", "referral")
        .prefetch_related(
            Prefetch(
                "handovers",
                queryset=Handover.objects.select_related(
                    "from_coach", "to_coach", "from_organisation", "to_organisation"
                ),
            ),
            Prefetch("members", queryset=_current_members()),
            DOSSIER_USES,  # the instruments section: uses with their try-out and offer
        )
        .order_by("-start", "-pk")
    )
    current = next((t for t in trajectories if t.status != "stopped"), None) or (
        trajectories[0] if trajectories else None
    )
    today = timezone.localdate()
    found = [explain(d) for d in deadlines_of(current, today)] if current else []
    intakes = list(
        client.intakes.select_related("assessor", "decided_by").prefetch_related("barriers")
    )
    journal = list(client.journal.select_related("author", "trajectory")[:JOURNAL_ON_DOSSIER])
    leads = lead_coaches_of(trajectories)
    granted = SensitiveAccess.objects.filter(client=client, user=user).exists()
    return Dossier(
        client=client,
        trajectories=trajectories,
        current=current,
        deadlines=found,
        intakes=intakes,
        journal=journal,
        may_read_protected=user.pk in leads or granted,
        is_lead=user.pk in leads,
    )


__all__ = ["dossier_for", "lead_coach_ids", "referral_for", "referral_inbox", "search_clients"]
