"""Reads of trajectories that views, the digest and the API share: scoped, without N+1."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from doorstroom.accounts.models import User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import Consent
from doorstroom.core.paths import for_ids
from doorstroom.core.text import normalise
from doorstroom.employers.models import Placement
from doorstroom.evaluations.models import Evaluation
from doorstroom.plans.models import PlanVersion
from doorstroom.reports.models import (
    AftercareContact,
    EndReport,
    EndReportStatus,
    OutflowFollowUp,
)
from doorstroom.rules.deadlines import RULE_OF_CODE, DeadlineCode
from doorstroom.trajectories.choices import Phase, Status, TrajectoryKind
from doorstroom.trajectories.labels import LABELS
from doorstroom.trajectories.models import (
    Suspension,
    Trajectory,
    TrajectoryMember,
    TrajectoryPhase,
)

# What deadlines_of() reads, fetched in a constant number of queries.
CLOCK_RELATED = ("client", "intake", "employment_contract", "outflow")
CLOCK_PREFETCH = (
    Prefetch("phases", queryset=TrajectoryPhase.objects.prefetch_related("extensions")),
    Prefetch("suspensions", queryset=Suspension.objects.all()),
    Prefetch("client__consents", queryset=Consent.objects.all()),
    # R-TRJ-8: placements with their follow-ups (and what the dossier's timeline shows).
    Prefetch(
        "placements",
        queryset=Placement.objects.select_related("workplace__employer", "mentor")
        .prefetch_related("followups", "regime_steps")
        .order_by("start", "pk"),
    ),
    # R-TRJ-6/7: evaluations and POP versions (their dates drive evaluation_due and pop_due).
    Prefetch(
        "evaluations",
        queryset=Evaluation.objects.select_related("placement__workplace", "mentor_link").order_by(
            "planned_on", "pk"
        ),
    ),
    Prefetch("plan_versions", queryset=PlanVersion.objects.order_by("number")),
    # R-END-1/2: the final end report and the outflow follow-ups recorded.
    Prefetch(
        "end_reports",
        queryset=EndReport.objects.filter(status=EndReportStatus.FINAL).order_by("-number"),
        to_attr="final_end_reports",
    ),
    Prefetch("outflow_followups", queryset=OutflowFollowUp.objects.order_by("months")),
    Prefetch("aftercare_contacts", queryset=AftercareContact.objects.order_by("planned_on")),
)


def with_clock(queryset: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    return queryset.select_related(*CLOCK_RELATED).prefetch_related(*CLOCK_PREFETCH)


@dataclass(frozen=True)
class CaseloadFilters:
    kind: str = ""
    phase: str = ""
    status: str = ""
    signal: str = ""
    coach: int | None = None
    q: str = ""
    scope: str = "mine"  # mine | team


def is_team_lead(user: User) -> bool:
    return bool(user.organisation_ids(Role.TEAM_LEAD))


def caseload_for(user: User, filters: CaseloadFilters) -> QuerySet[Trajectory]:
    """The trajectories on a user's caseload, most urgent first (SPEC §4).

    Mine: those they lead or are a member of. Team (team leads): every trajectory of their
    organisations. Always within ``visible_to`` (R-PRV-1).
    """
    if filters.scope == "team" and is_team_lead(user):
        base = _team(user, filters.coach)
    else:
        base = _mine(user)
    if filters.status:
        base = base.filter(status=filters.status)
    else:
        base = base.exclude(status=Status.STOPPED, urgency__gt=2)  # closed, nothing due soon
    if filters.kind:
        base = base.filter(kind=filters.kind)
    if filters.phase:
        base = base.filter(phase=filters.phase)
    if filters.signal in SIGNAL_COLUMNS:
        base = base.filter(**{f"{SIGNAL_COLUMNS[filters.signal]}__gt": 0})
    if filters.q:
        base = base.filter(client__search_text__contains=normalise(filters.q))
    return base.select_related("client", "coach", "organisation").order_by(
        "urgency", "next_due", "pk"
    )


# The caseload's signal filter and the column that counts it (kept by services.refresh_signals).
SIGNAL_COLUMNS = {
    "violation": "violation_count",
    "overdue": "overdue_count",
    "due_soon": "due_soon_count",
}


def _mine(user: User) -> QuerySet[Trajectory]:
    """The trajectories a user leads or is a member of, as far as ``visible_to`` lets them.

    R-PRV-1: the lead coach may open their trajectory's dossier (a reason of
    ``visible_client_ids``), so the trajectories a user leads lie inside ``visible_to``; only
    those they are a member of are checked against it (R-PRV-5: a partner's only while the
    client's consent holds). Checking all of them made the database walk the whole scope, some
    2,000 dossiers of an OCMW's service area, for the coach's 100 trajectories (issue 11).
    tests/reports/test_dashboard_scope.py holds this for every kind of user.
    """
    if not user.is_active:
        return Trajectory.objects.none()  # as visible_to: nothing for an inactive user
    # One id set (UNION) rather than `coach = X OR id IN (…)`: PostgreSQL estimates the
    # union well and reads the coach's rows by index, where the OR made it expect thousands
    # and scan every trajectory (issue 11).
    led = Trajectory.objects.filter(coach=user).order_by().values("pk")
    member_of = (
        TrajectoryMember.objects.filter(
            user=user, until__isnull=True, trajectory__in=Trajectory.objects.visible_to(user)
        )
        .order_by()
        .values("trajectory_id")
    )
    return Trajectory.objects.filter(pk__in=led.union(member_of, all=True))


def _team(user: User, coach: int | None) -> QuerySet[Trajectory]:
    """Every trajectory of the organisations a team lead leads, or of one coach of theirs.

    R-PRV-1: a team lead may open the dossier of every trajectory of the organisations they
    lead (a reason of ``visible_client_ids``), so these lie inside ``visible_to``, as the
    dashboard's do. Filtering by the scope as well changed no row and made the database test
    each row against the whole scope, some 8,000 ids per query at scale l (issue 11).
    tests/reports/test_dashboard_scope.py holds this for every kind of user, so a change to
    the scope that breaks it fails there.
    """
    team = Trajectory.objects.filter(organisation_id__in=user.organisation_ids(Role.TEAM_LEAD))
    if not user.is_active:
        return team.none()  # as visible_to: nothing for an inactive user
    return team.filter(coach_id=coach) if coach else team


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One line of the caseload, ready to show: plain values rather than three model instances
    per line, and every label translated once per page rather than once per line (issue 11)."""

    pk: int
    client_id: int
    client: str
    url: str  # the client's dossier
    handover_url: str  # for team leads: hand the trajectory to another coach
    status: str
    status_label: str
    kind: str
    phase: str
    next_due: datetime.date | None
    severity: str  # violation | overdue | due_soon | info (the badge's colour)
    due_label: str
    due_rule: str
    coach: str


# What a caseload line reads (values_list of the caseload's queryset).
CASELOAD_ROW = (
    "pk",
    "client_id",
    "client__first_name",
    "client__last_name",
    "status",
    "kind",
    "phase",
    "next_due",
    "next_due_code",
    "urgency",
    "coach__first_name",
    "coach__last_name",
)


def due_severity(urgency: int, next_due: datetime.date, today: datetime.date) -> str:
    """The badge of the next deadline: the ``urgency`` kept by ``services.refresh_signals``
    (0 = a violated deadline), a date in the past, or due within the warning window."""
    if urgency == 0:
        return "violation"
    if next_due < today:
        return "overdue"
    return "due_soon" if urgency <= 2 else "info"


def caseload_rows(values: Iterable[tuple[Any, ...]], today: datetime.date) -> list[CaseloadRow]:
    """The caseload lines of one page, from ``values_list(*CASELOAD_ROW)``."""
    kinds = {value: str(label) for value, label in TrajectoryKind.choices}
    phases = {value: str(label) for value, label in Phase.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    labels: dict[str, str] = {}
    dossier = for_ids("clients:detail")
    handover = for_ids("trajectories:handover")
    rows = []
    for (
        pk,
        client_id,
        first,
        last,
        status,
        kind,
        phase,
        due,
        code,
        urgency,
        c_first,
        c_last,
    ) in values:
        if code and code not in labels:
            labels[code] = str(LABELS[DeadlineCode(code)])
        rows.append(
            CaseloadRow(
                pk=pk,
                client_id=client_id,
                client=f"{first} {last}",
                url=dossier(client_id),
                handover_url=handover(pk),
                status=status,
                status_label=statuses.get(status, status),
                kind=kinds.get(kind, kind),
                phase=phases.get(phase, phase),
                next_due=due,
                severity=due_severity(urgency, due, today) if due else "",
                due_label=labels.get(code, ""),
                due_rule=RULE_OF_CODE[DeadlineCode(code)] if code else "",
                coach=f"{c_first} {c_last}".strip(),
            )
        )
    return rows


def signal_counts(queryset: QuerySet[Trajectory]) -> dict[str, Any]:
    """Counts per signal type for the caseload's header (one query)."""
    totals = queryset.order_by().aggregate(
        trajectories=Count("pk"),
        violation=Count("pk", filter=Q(violation_count__gt=0)),
        overdue=Count("pk", filter=Q(overdue_count__gt=0)),
        due_soon=Count("pk", filter=Q(due_soon_count__gt=0)),
        deadlines=Sum("overdue_count"),
    )
    return totals


def team_coaches(user: User) -> QuerySet[User]:
    """The coaches a team lead can filter on and hand trajectories over to."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=user.organisation_ids(Role.TEAM_LEAD),
            memberships__role=Role.COACH,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
