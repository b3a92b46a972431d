"""Reads of client dossiers, scoped by R-PRV-1, with their related rows fetched up front."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone

from doorstroom.accounts.models import Membership, User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import (
    Client,
    ClientQuerySet,
    Consent,
    Document,
    Intake,
    JournalEntry,
    Occupation,
    Referral,
    ReferralStatus,
    SensitiveAccess,
)
from doorstroom.clients.services import lead_coach_ids, lead_coaches_of, ocmws_serving
from doorstroom.clients.tabs import Tab
from doorstroom.core.text import normalise
from doorstroom.employers.models import Placement, PlacementFollowUp
from doorstroom.evaluations.models import Evaluation
from doorstroom.instruments.selectors import DOSSIER_USES
from doorstroom.plans.models import PlanVersion
from doorstroom.reports.models import (
    AftercareContact,
    EndReport,
    EndReportStatus,
    OutflowFollowUp,
)
from doorstroom.trajectories.deadlines import (
    ExplainedDeadline,
    deadlines_reading_what_counts,
    explain,
)
from doorstroom.trajectories.models import (
    Handover,
    Suspension,
    Trajectory,
    TrajectoryMember,
    TrajectoryPhase,
)
from doorstroom.trajectories.selectors import CLOCK_RELATED

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
    """A tab of the client's dossier: the overview fills every field, the others what they show."""

    client: Client
    user: User
    tab: Tab
    trajectories: list[Trajectory]
    current: Trajectory | None
    deadlines: list[ExplainedDeadline]
    intakes: list[Intake]
    consents: list[Consent]
    referrals: list[Referral]
    is_lead: bool

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

# The current trajectory's children, each as the tabs read it (``TAB_LOADS``).
PHASES = Prefetch("phases", queryset=TrajectoryPhase.objects.prefetch_related("extensions"))
SUSPENSIONS = Prefetch("suspensions", queryset=Suspension.objects.all())
# R-TRJ-8: placements with their follow-ups, regime steps, workplace, employer and mentor (the
# placements tab lists them; the development picture finds the running one, R-PLC-6).
PLACEMENTS = Prefetch(
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
)
# R-TRJ-6/7: evaluations and POP versions (their dates drive evaluation_due and pop_due); the
# development tab lists each evaluation with its mentor link.
EVALUATIONS = Prefetch(
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
)
# The POP versions: their days (R-TRJ-7) and what the development tab shows.
PLAN_VERSIONS = Prefetch(
    "plan_versions",
    queryset=PlanVersion.objects.only("trajectory", "number", "drawn_up_on", "goals").order_by(
        "number"
    ),
)
# R-END-1/2: the final end report, the outflow follow-ups recorded, the aftercare held.
FINAL_END_REPORTS = Prefetch(
    "end_reports",
    queryset=EndReport.objects.filter(status=EndReportStatus.FINAL)
    .only("trajectory", "number", "status", "finalised_on")
    .order_by("-number"),
    to_attr="final_end_reports",
)
END_OF_TRAJECTORY = (
    FINAL_END_REPORTS,
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

# The clock's children (those of ``CLOCK_PREFETCH``) with what the tabs show of them: the
# financing tab reads the whole clock (R-FIN), the development and placements tabs their part.
DOSSIER_CLOCK = (PHASES, SUSPENSIONS, PLACEMENTS, EVALUATIONS, PLAN_VERSIONS, *END_OF_TRAJECTORY)

# The clock as the overview's deadlines read it (``deadlines.snapshot``), and no more: the
# placements' days and follow-ups, the evaluations' days and status, the POP versions' days;
# the outflow follow-ups and aftercare contacts only when they count, read by
# ``deadlines_reading_what_counts`` (none while a trajectory runs without an outflow to work).
DEADLINES_CLOCK = (
    PHASES,
    SUSPENSIONS,
    Prefetch(
        "placements",
        queryset=Placement.objects.only("trajectory", "start", "planned_end", "end")
        .prefetch_related(
            Prefetch("followups", queryset=PlacementFollowUp.objects.only("placement", "on"))
        )
        .order_by("start", "pk"),
    ),
    Prefetch(
        "evaluations",
        queryset=Evaluation.objects.only("trajectory", "planned_on", "held_on", "status").order_by(
            "planned_on", "pk"
        ),
    ),
    Prefetch(
        "plan_versions",
        queryset=PlanVersion.objects.only("trajectory", "drawn_up_on").order_by("number"),
    ),
    FINAL_END_REPORTS,
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


# What each tab reads of the current trajectory (journal and documents: nothing).
TAB_LOADS: dict[Tab, tuple[Prefetch, ...]] = {
    # The trajectory with its deadlines, handovers and the members working on it now.
    Tab.OVERVIEW: (
        *DEADLINES_CLOCK,
        Prefetch(
            "handovers",
            queryset=Handover.objects.select_related(
                "from_coach", "to_coach", "to_organisation"
            ).only(
                "trajectory",
                "kind",
                "on",
                "note",
                *_names("from_coach", "to_coach"),
                "to_organisation__name",
            ),
        ),
        Prefetch("members", queryset=CURRENT_MEMBERS),  # with _mark_member_access
    ),
    # POP, evaluations and the picture (``development_for``), which finds the running placement.
    Tab.DEVELOPMENT: (PLACEMENTS, EVALUATIONS, PLAN_VERSIONS),
    # The timeline, and the picture's plateau that suggests a rotation (R-PLC-6).
    Tab.PLACEMENTS: (PLACEMENTS, EVALUATIONS, PLAN_VERSIONS),
    Tab.INSTRUMENTS: (DOSSIER_USES,),  # uses with their try-out and offer
    Tab.FINANCING: DOSSIER_CLOCK,  # R-FIN: the financing is computed from the whole clock
    Tab.JOURNAL: (),
    Tab.DOCUMENTS: (),
}


def with_responsible_ocmw(clients: ClientQuerySet) -> ClientQuerySet:
    """Each client with ``responsible_ocmw_name``, the name of ``services.responsible_ocmw``
    (or None), read with the client: the overview shows it (issue 11: a query fewer)."""
    serving = ocmws_serving(OuterRef("municipality")).values("name")[:1]
    return clients.annotate(responsible_ocmw_name=Subquery(serving))


def _with_intakes(trajectories: list[Trajectory], intakes: list[Intake]) -> None:
    """Give each trajectory its intake from the client's ``intakes`` (the clock reads its day).

    An intake of another client (none should be) is left to load on its own.
    """
    by_pk = {intake.pk: intake for intake in intakes}
    for trajectory in trajectories:
        if trajectory.intake_id in by_pk:
            trajectory.intake = by_pk[trajectory.intake_id]


def dossier_for(client: Client, user: User, tab: Tab = Tab.OVERVIEW) -> Dossier:
    """What a tab of the dossier shows, in a fixed number of queries.

    Every tab reads the client's trajectories (the header and the tabs depend on the current
    one) and what ``TAB_LOADS`` names of the current trajectory. The overview also reads the
    consents, job targets, intakes and referrals, and computes the deadlines: the consents are
    fetched once onto ``client``, and the trajectories are read through ``client.trajectories``,
    so each one's ``client`` is that same instance and the clock finds the consents there; each
    one's intake is the one the intake section lists (issue 11).
    """
    overview = tab == Tab.OVERVIEW
    if overview:
        prefetch_related_objects([client], CONSENTS, JOB_TARGETS)
    # Newest first, sorted here: ordering SQL by position makes Django hash every selected
    # column of the joins (issue 11); the key is the model's ordering.
    # The financing tab's clock reads the intake's day; the overview's comes from its list.
    related = (*TRAJECTORY_RELATED, "intake") if tab == Tab.FINANCING else TRAJECTORY_RELATED
    trajectories = sorted(
        client.trajectories.select_related(*related, "coach", "organisation").order_by(),
        key=lambda t: (t.start, t.pk),
        reverse=True,
    )
    intakes: list[Intake] = []
    if overview:  # each intake's day, decision and assessor (its barriers: on the intake page)
        intakes = list(
            client.intakes.select_related("assessor").only(
                "client", "assessed_on", "decision", *_names("assessor")
            )
        )
        _with_intakes(trajectories, intakes)
    current = next((t for t in trajectories if t.status != "stopped"), None) or (
        trajectories[0] if trajectories else None
    )
    if current is not None and TAB_LOADS[tab]:  # the earlier trajectories: a summary line
        prefetch_related_objects([current], *TAB_LOADS[tab])
        if overview:
            _mark_member_access(current)
    today = timezone.localdate()
    found = (
        [explain(d) for d in deadlines_reading_what_counts(current, today)]
        if current and overview
        else []
    )
    referrals: list[Referral] = []
    if overview:
        referrals = list(
            client.referrals.select_related("referred_by", "from_organisation").only(
                "client",
                "referred_on",
                "status",
                "context",
                *_names("referred_by"),
                "from_organisation__name",
            )
        )
    return Dossier(
        client=client,
        user=user,
        tab=tab,
        trajectories=trajectories,
        current=current,
        deadlines=found,
        intakes=intakes,
        consents=list(client.consents.all()) if overview else [],
        referrals=referrals,
        is_lead=user.pk in lead_coaches_of(trajectories),
    )


def journal_of(client: Client) -> QuerySet[JournalEntry]:
    """The journal tab: the client's contact moments, newest first."""
    return client.journal.select_related("author").only(
        "client", "on", "kind", "participants", "notes", *_names("author")
    )


def documents_of(client: Client) -> QuerySet[Document]:
    """The documents tab: the client's documents, newest first."""
    return client.documents.select_related("uploaded_by").only(
        "client", "title", "uploaded_at", *_names("uploaded_by")
    )


__all__ = [
    "documents_of",
    "dossier_for",
    "journal_of",
    "lead_coach_ids",
    "referral_for",
    "referral_inbox",
    "search_clients",
]
