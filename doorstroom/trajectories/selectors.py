"""Reads of trajectories that views, the digest and the API share: scoped, without N+1."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from doorstroom.accounts.models import User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import Consent
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
from doorstroom.trajectories.choices import Status
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
    base = Trajectory.objects.visible_to(user)
    if filters.scope == "team" and is_team_lead(user):
        base = base.filter(organisation_id__in=user.organisation_ids(Role.TEAM_LEAD))
        if filters.coach:
            base = base.filter(coach_id=filters.coach)
    else:
        # One id set (UNION) rather than `coach = X OR id IN (…)`: PostgreSQL estimates the
        # union well (a few hundred rows) and reads the coach's rows by index, where the OR
        # made it expect thousands and scan every trajectory (issue 11).
        led = Trajectory.objects.filter(coach=user).order_by().values("pk")
        member_of = (
            TrajectoryMember.objects.filter(user=user, until__isnull=True)
            .order_by()
            .values("trajectory_id")
        )
        base = base.filter(pk__in=led.union(member_of, all=True))
    if filters.status:
        base = base.filter(status=filters.status)
    else:
        base = base.exclude(status=Status.STOPPED, urgency__gt=2)  # closed, nothing due soon
    if filters.kind:
        base = base.filter(kind=filters.kind)
    if filters.phase:
        base = base.filter(phase=filters.phase)
    if filters.signal == "violation":
        base = base.filter(violation_count__gt=0)
    elif filters.signal == "overdue":
        base = base.filter(overdue_count__gt=0)
    elif filters.signal == "due_soon":
        base = base.filter(due_soon_count__gt=0)
    if filters.q:
        base = base.filter(client__search_text__contains=normalise(filters.q))
    return base.select_related("client", "coach", "organisation").order_by(
        "urgency", "next_due", "pk"
    )


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
