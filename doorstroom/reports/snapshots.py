"""The month-end snapshot (R-FIN-4): every trajectory as it stood on the last day of a month.

``snapshots_take`` is the one write: it replaces the month's rows in one transaction, so the
command can run again for the same or a past month (cron at month end, or after a correction).
The state comes from the rules core (``rules.financing.month_end_snapshot`` and the clock), the
phase and status from the dossier's history as at that day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from doorstroom.accounts.models import User
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.regulation import ruleset_on
from doorstroom.reports.models import MonthEndSnapshot
from doorstroom.rules import clock
from doorstroom.rules.deadlines import DeadlineCode, Severity
from doorstroom.rules.financing import month_end_snapshot, monthly_financing
from doorstroom.rules.periods import is_month_end, month_end
from doorstroom.rules.rulesets import RuleSet
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.deadlines import snapshot
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock

CHUNK = 500
LATE = (Severity.OVERDUE, Severity.VIOLATION)


def last_month_end(today: datetime.date) -> datetime.date:
    """The most recent month end on or before ``today``."""
    return today if is_month_end(today) else today.replace(day=1) - datetime.timedelta(days=1)


def _candidates(first: datetime.date, last: datetime.date) -> Iterator[Trajectory]:
    # Started by the last month end and not stopped before the first month began; the end of
    # guidance (2 years, extensions) is checked by the rules core per trajectory and month.
    queryset = with_clock(
        Trajectory.objects.filter(start__lte=last).filter(
            Q(stopped_on__isnull=True) | Q(stopped_on__gte=first.replace(day=1))
        )
    ).order_by("pk")
    return queryset.iterator(chunk_size=CHUNK)


def _phase_on(trajectory: Trajectory, day: datetime.date) -> str:
    current = ""
    for period in trajectory.phases.all():  # ordered by start
        if period.start <= day and (period.end is None or day <= period.end):
            current = period.phase
    return current


def _row(
    trajectory: Trajectory,
    facts: clock.TrajectorySnapshot,
    ruleset: RuleSet,
    day: datetime.date,
    taken_at: datetime.datetime,
) -> MonthEndSnapshot:
    state = month_end_snapshot(facts, day, ruleset)
    if trajectory.stopped_on is not None and trajectory.stopped_on <= day:
        status = Status.STOPPED.value
    elif not state.guided:
        status = "ended"
    else:
        status = Status.SUSPENDED.value if state.suspended else Status.RUNNING.value
    late = {
        d.code
        for d in clock.trajectory_deadlines(facts, day, ruleset)
        if d.severity in LATE and d.due <= day
    }
    ao_in_time = None
    if facts.kind is clock.TrajectoryKind.ART60 and facts.ao and facts.ao.start <= day:
        # R-TRJ-2: the AO started within 2 months of the start.
        ao_in_time = facts.ao.start <= clock.ao_deadline(facts, ruleset)
    # R-FIN-1..3: the amounts due for this month as known on the month end.
    line = next((m for m in monthly_financing(facts, day, ruleset) if m.month_end == day), None)
    zero = Decimal(0)
    return MonthEndSnapshot(
        month_end=day,
        trajectory=trajectory,
        organisation_id=trajectory.organisation_id,
        coach_id=trajectory.coach_id,
        kind=trajectory.kind,
        phase=_phase_on(trajectory, day),
        status=status,
        month=state.month,
        guided=state.guided,
        ao_running=state.ao_running,
        suspended=state.suspended,
        ao_in_time=ao_in_time,
        evaluation_overdue=DeadlineCode.EVALUATION_DUE in late,
        pop_overdue=DeadlineCode.POP_DUE in late,
        effort_fee=line.effort_fee if line else zero,
        effort_status=line.effort_status.value if line else "",
        deel3=line.deel3 if line else zero,
        compensation_part1=line.compensation_part1 if line else zero,
        compensation_part2=line.compensation_part2 if line else zero,
        taken_at=taken_at,
    )


def _rows(days: list[datetime.date], taken_at: datetime.datetime) -> Iterable[MonthEndSnapshot]:
    """Every trajectory's row for each of `days` (month ends, ascending): one read of each."""
    for trajectory in _candidates(days[0], days[-1]):
        ruleset = ruleset_on(trajectory.start)
        facts = snapshot(trajectory)
        last_day = clock.last_day(facts, ruleset)
        for day in days:
            if trajectory.start > day or last_day < day.replace(day=1):
                continue  # not started yet, or guidance ended before this month
            if trajectory.stopped_on is not None and trajectory.stopped_on < day.replace(day=1):
                continue  # stopped before this month
            yield _row(trajectory, facts, ruleset, day, taken_at)


def month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The month ends from `first`'s month to `last`'s, ascending."""
    days, month = [], first.replace(day=1)
    while month <= last:
        days.append(month_end(month))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return days


def snapshots_take(*, month: datetime.date, today: datetime.date, by: User | None = None) -> int:
    """Take (or take again) the snapshot of every trajectory at the end of ``month``'s month.

    Returns the number of trajectories in it. A month that has not ended yet is refused.
    """
    return snapshots_take_range(first=month, last=month, today=today, by=by)[month_end(month)]


@transaction.atomic
def snapshots_take_range(
    *, first: datetime.date, last: datetime.date, today: datetime.date, by: User | None = None
) -> dict[datetime.date, int]:
    """Take (or take again) the snapshots of the months from `first`'s to `last`'s.

    One pass over the trajectories for all the months (a batch after an import, or the demo
    and load data). Returns the number of trajectories per month end. A month that has not
    ended yet is refused, before anything is written.
    """
    # R-FIN-4: one snapshot of every trajectory as at the last day of each month.
    days = month_ends(first, last)
    if not days:
        raise DomainError("The first month lies after the last.")
    if days[-1] > today:
        raise DomainError(f"The month ending {days[-1].isoformat()} has not ended yet.")
    taken_at = timezone.now()
    replaced = {day: MonthEndSnapshot.objects.filter(month_end=day).delete()[0] for day in days}
    counts = dict.fromkeys(days, 0)
    rows: list[MonthEndSnapshot] = []
    for row in _rows(days, taken_at):
        rows.append(row)
        counts[row.month_end] += 1
        if len(rows) >= CHUNK:
            MonthEndSnapshot.objects.bulk_create(rows)
            rows = []
    MonthEndSnapshot.objects.bulk_create(rows)
    for day in days:
        audit(
            by,
            "reports.snapshot.taken",
            changes={
                "month_end": day.isoformat(),
                "trajectories": counts[day],
                "replaced": replaced[day],
            },
            actor_label="" if by else "take_month_end_snapshot",
        )
    return counts
