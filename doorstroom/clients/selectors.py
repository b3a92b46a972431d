"""Reads of client dossiers, scoped by R-PRV-1, with their related rows fetched up front."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from doorstroom.accounts.models import Membership, User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import (
    Client,
    Consent,
    Document,
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
from doorstroom.trajectories.selectors import CLOCK_PREFETCH, CLOCK_RELATED

JOURNAL_ON_DOSSIER = 25
DOCUMENTS_ON_DOSSIER = 20


# pg_trgm indexes three-letter pieces: a shorter word cannot use the trigram index (0008).
TRIGRAM = 3
# The same order as the list, but one the name index cannot deliver (last_name is never NULL,
# so NULLS FIRST changes nothing): PostgreSQL then finds the matches through the trigram index
# and sorts them, instead of walking the name index and testing every client of the
# installation until a page is full. The matches of a surname fragment lie together in name
# order, which the planner cannot know; at 100,000 clients that walk took 60-200 ms (issue 11).
MATCHES_ORDER = (F("last_name").asc(nulls_first=True), "first_name", "pk")


def search_clients(user: User, q: str = "") -> QuerySet[Client]:
    """Visible clients matching ``q`` in name or national number, ignoring case and accents.

    R-PRV-1: the search starts from ``visible_to(user)``; it only narrows that scope.
    """
    clients = Client.objects.visible_to(user).select_related("municipality", "organisation")
    text = normalise(q)
    if text:
        digits = "".join(c for c in q if c.isdigit())
        if digits and len(digits) == len(q.replace(".", "").replace("-", "").replace(" ", "")):
            clients = clients.filter(national_number__startswith=digits)
        else:
            words = text.split()
            for word in words:
                clients = clients.filter(search_text__contains=word)
            if any(len(word) >= TRIGRAM for word in words):
                return clients.order_by(*MATCHES_ORDER)
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
    user: User
    trajectories: list[Trajectory]
    current: Trajectory | None
    deadlines: list[ExplainedDeadline]
    intakes: list[Intake]
    journal: list[JournalEntry]
    consents: list[Consent]
    documents: list[Document]
    referrals: list[Referral]
    is_lead: bool
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def may_read_protected(self) -> bool:
        """R-PRV-3: the lead coach and the users they authorised (asked only when needed)."""
        if self.is_lead:
            return True
        return SensitiveAccess.objects.filter(client=self.client, user=self.user).exists()


def _current_members(trajectory: Trajectory) -> QuerySet[TrajectoryMember]:
    """The trajectory's members, each with whether the membership opens the dossier now.

    R-PRV-5: a member of another organisation reaches the dossier only while the client's
    consent to share with their organisation holds (see ClientQuerySet.scope_for). Written for
    one known trajectory: its organisation and client are values, not correlated references.
    """
    active = Membership.objects.filter(user_id=OuterRef("user_id"), organisation__is_active=True)
    consented = Consent.objects.valid_on(timezone.localdate()).filter(
        client_id=trajectory.client_id
    )
    return (
        TrajectoryMember.objects.filter(until__isnull=True)
        .select_related("user")
        .annotate(
            in_organisation=Exists(active.filter(organisation_id=trajectory.organisation_id)),
            consented=Exists(
                active.filter(organisation_id__in=consented.values("organisation_id"))
            ),
        )
    )


# The consent section lists them with their organisation; the clock reads the same rows.
CONSENTS = Prefetch("consents", queryset=Consent.objects.select_related("organisation"))
# The clock without its client: the trajectories are read through ``client.trajectories``, so
# each one's ``client`` is the dossier's own instance (select_related would make a copy each).
CLOCK_RELATED_BUT_CLIENT = tuple(name for name in CLOCK_RELATED if name != "client")


def _current_prefetch(trajectory: Trajectory) -> tuple[str | Prefetch, ...]:
    """What the page reads of the current trajectory: its clock, handovers, members, uses."""
    handovers = Handover.objects.select_related(
        "from_coach", "to_coach", "from_organisation", "to_organisation"
    )
    return (
        *CLOCK_PREFETCH,
        Prefetch("handovers", queryset=handovers),
        Prefetch("members", queryset=_current_members(trajectory)),
        DOSSIER_USES,  # the instruments section: uses with their try-out and offer
    )


def dossier_for(client: Client, user: User) -> Dossier:
    """Everything the dossier page shows, in a fixed number of queries.

    One load for the whole page (issue 11): the client's consents are fetched once, with their
    organisation, onto ``client``; the trajectories are read through ``client.trajectories``, so
    each one's ``client`` is that same instance and the clock's ``client__consents`` prefetch
    finds them there (the deadlines and the consent section read the same rows). The
    trajectories come with their clock (``CLOCK_PREFETCH``): placements, POP versions and
    evaluations, which the deadlines, the placements timeline and the development section
    (``development_for(dossier.current)``) all read instead of loading them again.
    """
    prefetch_related_objects([client], CONSENTS, "job_targets")
    trajectories = list(
        client.trajectories.select_related(
            *CLOCK_RELATED_BUT_CLIENT, "coach", "organisation"
        ).order_by("-start", "-pk")
    )
    current = next((t for t in trajectories if t.status != "stopped"), None) or (
        trajectories[0] if trajectories else None
    )
    if current is not None:  # the earlier trajectories show a summary line only
        prefetch_related_objects([current], *_current_prefetch(current))
    today = timezone.localdate()
    found = [explain(d) for d in deadlines_of(current, today)] if current else []
    # The page shows each intake's day, decision and assessor (its barriers: on the intake page).
    intakes = list(client.intakes.select_related("assessor", "decided_by"))
    journal = list(client.journal.select_related("author")[:JOURNAL_ON_DOSSIER])
    return Dossier(
        client=client,
        user=user,
        trajectories=trajectories,
        current=current,
        deadlines=found,
        intakes=intakes,
        journal=journal,
        consents=list(client.consents.all()),
        documents=list(client.documents.select_related("uploaded_by")[:DOCUMENTS_ON_DOSSIER]),
        referrals=list(client.referrals.select_related("referred_by", "from_organisation")),
        is_lead=user.pk in lead_coaches_of(trajectories),
    )


__all__ = ["dossier_for", "lead_coach_ids", "referral_for", "referral_inbox", "search_clients"]
