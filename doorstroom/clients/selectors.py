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
    Occupation,
    Referral,
    ReferralStatus,
    SensitiveAccess,
)
from doorstroom.clients.services import lead_coach_ids, lead_coaches_of
from doorstroom.core.text import normalise
from doorstroom.employers.models import Placement
from doorstroom.evaluations.models import Evaluation
from doorstroom.instruments.selectors import DOSSIER_USES
from doorstroom.plans.models import PlanVersion
from doorstroom.reports.models import (
    AftercareContact,
    EndReport,
    EndReportStatus,
    OutflowFollowUp,
)
from doorstroom.trajectories.deadlines import ExplainedDeadline, deadlines_of, explain
from doorstroom.trajectories.models import (
    Handover,
    Suspension,
    Trajectory,
    TrajectoryMember,
    TrajectoryPhase,
)
from doorstroom.trajectories.selectors import CLOCK_RELATED

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


# What the page shows of a user: the name (``full_name``), not the other columns of the row.
NAMES = ("first_name", "last_name")


def _names(*relations: str) -> tuple[str, ...]:
    """The ``only()`` paths of the names of these related users."""
    return tuple(f"{relation}__{name}" for relation in relations for name in NAMES)


# Issue 11: each column a query selects costs Python time to compile and to load (the rows are
# few), so the dossier's queries select what the page shows, and only the joins it needs. Every
# ``only()`` keeps the foreign key to the parent: the related manager and the prefetch read it.
# The consent section lists them with their organisation; the clock reads the same rows.
CONSENTS = Prefetch(
    "consents",
    queryset=Consent.objects.select_related("organisation").only(
        "client", "organisation__name", "scope", "given_on", "until", "withdrawn_on"
    ),
)
JOB_TARGETS = Prefetch("job_targets", queryset=Occupation.objects.only("name_nl"))
# The clock without its client: the trajectories are read through ``client.trajectories``, so
# each one's ``client`` is the dossier's own instance (select_related would make a copy each).
# Nor its intake: the page lists the client's intakes anyway, and each trajectory gets its own
# from there (``_with_intakes``).
TRAJECTORY_RELATED = tuple(n for n in CLOCK_RELATED if n not in ("client", "intake"))

# The current trajectory as the page reads it: the clock's children (those of
# ``CLOCK_PREFETCH``: the deadlines, the financing and the development section read them), with
# the columns the rules and the page read, and the handovers, members and instrument uses.
DOSSIER_CLOCK = (
    Prefetch("phases", queryset=TrajectoryPhase.objects.prefetch_related("extensions")),
    Prefetch("suspensions", queryset=Suspension.objects.all()),
    # R-TRJ-8: placements with their follow-ups, regime steps, workplace, employer and mentor.
    Prefetch(
        "placements",
        queryset=Placement.objects.select_related("workplace__employer", "mentor")
        .only(
            "trajectory",
            "kind",
            "start",
            "planned_end",
            "end",
            "end_reason",
            "workplace__title",
            "workplace__employer__name",
            "mentor__name",
        )
        .prefetch_related("followups", "regime_steps")
        .order_by("start", "pk"),
    ),
    # R-TRJ-6/7: evaluations and POP versions (their dates drive evaluation_due and pop_due);
    # the development section's list shows each evaluation's mentor link.
    Prefetch(
        "evaluations",
        queryset=Evaluation.objects.select_related("mentor_link")
        .only(
            "trajectory",
            "kind",
            "planned_on",
            "held_on",
            "status",
            "placement",  # R-PLC-6: the picture compares the evaluations at one placement
            "mentor_link__opened_at",
            "mentor_link__used_at",
        )
        .order_by("planned_on", "pk"),
    ),
    # The POP versions: their days (R-TRJ-7) and what the development section shows.
    Prefetch(
        "plan_versions",
        queryset=PlanVersion.objects.only("trajectory", "number", "drawn_up_on", "goals").order_by(
            "number"
        ),
    ),
    # R-END-1/2: the final end report, the outflow follow-ups recorded, the aftercare held.
    Prefetch(
        "end_reports",
        queryset=EndReport.objects.filter(status=EndReportStatus.FINAL)
        .only("trajectory", "number", "status", "finalised_on")
        .order_by("-number"),
        to_attr="final_end_reports",
    ),
    Prefetch(
        "outflow_followups",
        queryset=OutflowFollowUp.objects.only("trajectory", "months").order_by("months"),
    ),
    Prefetch(
        "aftercare_contacts",
        queryset=AftercareContact.objects.only("trajectory", "planned_on", "held_on").order_by(
            "planned_on"
        ),
    ),
)


def _mark_member_access(trajectory: Trajectory) -> None:
    """Tell each current member (prefetched) whether the membership opens the dossier now.

    R-PRV-5: a member of another organisation reaches the dossier only while the client's
    consent to share with their organisation holds (see ClientQuerySet.scope_for). Written for
    one known trajectory: its organisation and client are values, not correlated references.
    Asked only when the trajectory has members (few have): the two subqueries cost more to
    build than the rest of the page's queries (issue 11).
    """
    members = trajectory.members.all()
    if not members:
        return
    active = Membership.objects.filter(user_id=OuterRef("user_id"), organisation__is_active=True)
    consents = Consent.objects.valid_on(timezone.localdate()).filter(client_id=trajectory.client_id)
    rows = (
        TrajectoryMember.objects.filter(pk__in=[member.pk for member in members])
        .annotate(
            in_organisation=Exists(active.filter(organisation_id=trajectory.organisation_id)),
            consented=Exists(active.filter(organisation_id__in=consents.values("organisation_id"))),
        )
        .values_list("pk", "in_organisation", "consented")
    )
    access = {pk: (in_organisation, consented) for pk, in_organisation, consented in rows}
    for member in members:
        member.in_organisation, member.consented = access[member.pk]


# The members working on it now, with their names.
CURRENT_MEMBERS = (
    TrajectoryMember.objects.filter(until__isnull=True)
    .select_related("user")
    .only("trajectory", "role", "until", *_names("user"))
)


# What the page reads of the current trajectory: its clock, handovers, members, uses.
CURRENT = (
    *DOSSIER_CLOCK,
    Prefetch(
        "handovers",
        queryset=Handover.objects.select_related("from_coach", "to_coach", "to_organisation").only(
            "trajectory",
            "kind",
            "on",
            "note",
            *_names("from_coach", "to_coach"),
            "to_organisation__name",
        ),
    ),
    Prefetch("members", queryset=CURRENT_MEMBERS),  # with _mark_member_access
    DOSSIER_USES,  # the instruments section: uses with their try-out and offer
)


def _with_intakes(trajectories: list[Trajectory], intakes: list[Intake]) -> None:
    """Give each trajectory its intake from the client's ``intakes`` (the clock reads its day).

    An intake of another client (none should be) is left to load on its own.
    """
    by_pk = {intake.pk: intake for intake in intakes}
    for trajectory in trajectories:
        if trajectory.intake_id in by_pk:
            trajectory.intake = by_pk[trajectory.intake_id]


def dossier_for(client: Client, user: User) -> Dossier:
    """Everything the dossier page shows, in a fixed number of queries.

    One load for the whole page (issue 11): the client's consents are fetched once, with their
    organisation, onto ``client``; the trajectories are read through ``client.trajectories``, so
    each one's ``client`` is that same instance and the clock finds the consents there (the
    deadlines and the consent section read the same rows), and each one's intake is the one the
    intake section lists. The current trajectory comes with its clock (``DOSSIER_CLOCK``):
    placements, POP versions and evaluations, which the deadlines, the placements timeline and
    the development section (``development_for(dossier.current)``) all read instead of loading
    them again.
    """
    prefetch_related_objects([client], CONSENTS, JOB_TARGETS)
    # Newest first, sorted here: ordering SQL by position makes Django hash every selected
    # column of the joins (issue 11); the key is the model's ordering.
    trajectories = sorted(
        client.trajectories.select_related(*TRAJECTORY_RELATED, "coach", "organisation").order_by(),
        key=lambda t: (t.start, t.pk),
        reverse=True,
    )
    # The page shows each intake's day, decision and assessor (its barriers: on the intake page).
    intakes = list(
        client.intakes.select_related("assessor").only(
            "client", "assessed_on", "decision", *_names("assessor")
        )
    )
    _with_intakes(trajectories, intakes)
    current = next((t for t in trajectories if t.status != "stopped"), None) or (
        trajectories[0] if trajectories else None
    )
    if current is not None:  # the earlier trajectories show a summary line only
        prefetch_related_objects([current], *CURRENT)
        _mark_member_access(current)
    today = timezone.localdate()
    found = [explain(d) for d in deadlines_of(current, today)] if current else []
    journal = client.journal.select_related("author").only(
        "client", "on", "kind", "participants", "notes", *_names("author")
    )
    documents = client.documents.select_related("uploaded_by").only(
        "client", "title", "uploaded_at", *_names("uploaded_by")
    )
    referrals = client.referrals.select_related("referred_by", "from_organisation").only(
        "client",
        "referred_on",
        "status",
        "context",
        *_names("referred_by"),
        "from_organisation__name",
    )
    return Dossier(
        client=client,
        user=user,
        trajectories=trajectories,
        current=current,
        deadlines=found,
        intakes=intakes,
        journal=list(journal[:JOURNAL_ON_DOSSIER]),
        consents=list(client.consents.all()),
        documents=list(documents[:DOCUMENTS_ON_DOSSIER]),
        referrals=list(referrals),
        is_lead=user.pk in lead_coaches_of(trajectories),
    )


__all__ = ["dossier_for", "lead_coach_ids", "referral_for", "referral_inbox", "search_clients"]
