"""Financing of TWE-OCMW (art60) trajectories: month-end snapshots, month lines, quarter statements.

Every amount is recomputed from the facts as known on `as_of`, never added up by increments: the
timeliness of the AO (R-TRJ-2) decides afterwards whether the first months are paid.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from doorstroom.rules.clock import (
    EmploymentContract,
    TrajectoryKind,
    TrajectorySnapshot,
    ao_deadline,
    last_day,
)
from doorstroom.rules.periods import month_end, month_ends
from doorstroom.rules.rulesets import FinancingRules, RuleSet

ZERO = Decimal(0)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        """Return the calendar quarter of `day`."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def month_ends(self) -> tuple[date, ...]:
        """Return the last days of the quarter's three months, in order."""
        first = 3 * self.number - 2
        return tuple(month_end(date(self.year, month, 1)) for month in range(first, first + 3))

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


class EffortStatus(StrEnum):
    """Why a month's inspanningsvergoeding is (not) paid."""

    PAID = "paid"
    CAPPED = "capped"  # the yearly cap leaves less than the full fee
    AWAITING_AO = "awaiting_ao"  # no AO yet, but it may still start in time
    AO_NOT_IN_TIME = "ao_not_in_time"
    NO_AO = "no_ao"  # no AO started in time: none will be
    MAX_MONTHS = "max_months"  # the 24 financed months are used up
    REPLACED_BY_DEEL3 = "replaced_by_deel3"


@dataclass(frozen=True)
class MonthEndSnapshot:
    """The state of a trajectory on the last day of a month (R-FIN-4); `month` is k (R-FIN-3)."""

    trajectory_id: str
    month_end: date
    month: int
    guided: bool
    ao_running: bool
    suspended: bool


@dataclass(frozen=True)
class MonthFinancing:
    """The amounts due for one month-end of one trajectory."""

    trajectory_id: str
    month_end: date
    month: int
    effort_fee: Decimal
    effort_status: EffortStatus
    deel3: Decimal
    compensation_part1: Decimal
    compensation_part2: Decimal
    part2_quarter: Quarter | None  # None while guidance has not ended yet


@dataclass(frozen=True)
class QuarterStatement:
    """The amounts of one quarter: month lines of the quarter plus part 2 booked in it."""

    quarter: Quarter
    lines: tuple[MonthFinancing, ...]
    effort_fees: Decimal
    deel3: Decimal
    compensation_part1: Decimal
    compensation_part2: Decimal

    @property
    def total(self) -> Decimal:
        """Return the sum of every amount of the statement."""
        return self.effort_fees + self.deel3 + self.compensation_part1 + self.compensation_part2


def month_number(start: date, day: date) -> int:
    """Return k such that `day`'s month-end is the k-th month-end on or after `start`."""
    # R-FIN-3: month k is the k-th month-end on or after the start.
    first = month_end(start)
    return (day.year - first.year) * 12 + day.month - first.month + 1


def _ao_running(ao: EmploymentContract | None, day: date) -> bool:
    return ao is not None and ao.start <= day and (ao.end is None or day <= ao.end)


def month_end_snapshot(
    trajectory: TrajectorySnapshot, day: date, ruleset: RuleSet
) -> MonthEndSnapshot:
    """Return the state of `trajectory` on month-end `day`."""
    # R-FIN-1: a suspension does not stop guidance; a stop does.
    guided = trajectory.start <= day <= last_day(trajectory, ruleset)
    ao_running = _ao_running(trajectory.ao, day)
    suspended = any(
        s.start <= day and (s.end is None or day <= s.end) for s in trajectory.suspensions
    )
    month = month_number(trajectory.start, day)
    return MonthEndSnapshot(trajectory.id, day, month, guided, ao_running, suspended)


def month_end_snapshots(
    trajectory: TrajectorySnapshot, until: date, ruleset: RuleSet
) -> tuple[MonthEndSnapshot, ...]:
    """Return the snapshots of every guided month-end up to `until`."""
    # R-FIN-4: the monthly monitoring file, one line per month-end.
    end = min(until, last_day(trajectory, ruleset))
    return tuple(
        month_end_snapshot(trajectory, day, ruleset) for day in month_ends(trajectory.start, end)
    )


def _timeliness(
    trajectory: TrajectorySnapshot, as_of: date, ruleset: RuleSet, end: date
) -> EffortStatus:
    # R-FIN-1 with R-TRJ-2: the fee is due only when the AO started in time; `end` is the
    # trajectory's last day.
    deadline = ao_deadline(trajectory, ruleset)
    ao = trajectory.ao
    if ao is not None and ao.start <= min(as_of, end):
        return EffortStatus.PAID if ao.start <= deadline else EffortStatus.AO_NOT_IN_TIME
    return EffortStatus.AWAITING_AO if as_of < min(deadline, end) else EffortStatus.NO_AO


def _effort_fee(
    month: int,
    ao_running: bool,
    timeliness: EffortStatus,
    paid_months: int,
    paid_this_year: Decimal,
    rules: FinancingRules,
) -> tuple[Decimal, EffortStatus]:
    # R-FIN-3: deel 3 replaces the fee from month 25 while the AO runs.
    if month >= rules.deel3_from_month and ao_running:
        return ZERO, EffortStatus.REPLACED_BY_DEEL3
    if timeliness is not EffortStatus.PAID:
        return ZERO, timeliness
    # R-FIN-1: at most 24 paid months and at most the yearly cap per calendar year.
    if paid_months >= rules.effort_fee_max_months:
        return ZERO, EffortStatus.MAX_MONTHS
    fee = max(ZERO, min(rules.effort_fee, rules.effort_fee_yearly_cap - paid_this_year))
    return fee, EffortStatus.PAID if fee == rules.effort_fee else EffortStatus.CAPPED


@functools.lru_cache(maxsize=4096)
def _month_end_at(index: int) -> date:
    """The last day of month `index` (year * 12 + month - 1)."""
    year, month = divmod(index, 12)
    return month_end(date(year, month + 1, 1))


@functools.lru_cache(maxsize=16)
def _month_ends_of(quarters: frozenset[Quarter]) -> tuple[frozenset[date], date, date]:
    """The month-ends of `quarters`, the first and the last of them (none: after, before all)."""
    days = frozenset(day for quarter in quarters for day in quarter.month_ends())
    return days, min(days, default=date.max), max(days, default=date.min)


# One month line as a plain tuple: (month-end, k, effort fee, effort status, deel 3, part 1,
# part 2, quarter booking part 2). A statement of a big organisation reads tens of thousands.
MonthRow = tuple[date, int, Decimal, EffortStatus, Decimal, Decimal, Decimal, Quarter | None]


def monthly_financing(
    trajectory: TrajectorySnapshot,
    as_of: date,
    ruleset: RuleSet,
    quarters: Collection[Quarter] | None = None,
) -> tuple[MonthFinancing, ...]:
    """Return the financing of every guided month-end up to `as_of` (none for wz).

    With `quarters`, only the lines statements of those quarters show (R-FIN-4): the month-ends
    in them and the months whose part 2 is booked in one of them. These are exactly the lines
    of the full result that `quarterly_statement` picks, with the same amounts: the months
    before still count towards the 24 paid months and the yearly cap (R-FIN-1).
    """
    return tuple(
        MonthFinancing(trajectory.id, day, month, fee, status, deel3, part1, part2, booked)
        for day, month, fee, status, deel3, part1, part2, booked in month_rows(
            trajectory, as_of, ruleset, quarters
        )
    )


def month_rows(
    trajectory: TrajectorySnapshot,
    as_of: date,
    ruleset: RuleSet,
    quarters: Collection[Quarter] | None = None,
) -> list[MonthRow]:
    """The lines of `monthly_financing` as plain tuples, in month order (see `MonthRow`).

    Pass `quarters` as a frozenset when calling this for many trajectories: it is then
    hashed once.
    """
    if trajectory.kind is not TrajectoryKind.ART60:
        return []
    rules = ruleset.financing
    end = last_day(trajectory, ruleset)
    timeliness = _timeliness(trajectory, as_of, ruleset, end)
    # R-FIN-2: part 2 is booked in the quarter in which guidance ends.
    part2_quarter = Quarter.of(end) if end <= as_of else None
    # R-FIN-4: a quarter's statement shows its own month-ends, and the months whose part 2 it
    # books (those with a running AO); None: every month.
    shown, first_shown, last_shown = (
        (None, date.min, date.max) if quarters is None else _month_ends_of(frozenset(quarters))
    )
    part2_shown = quarters is None or part2_quarter in quarters
    last = min(as_of, end)
    if not part2_shown:
        if last < first_shown:  # ended before these quarters, part 2 booked in another
            return []
        last = min(last, last_shown)
    running_from, running_until = _ao_period(trajectory.ao)
    rows: list[MonthRow] = []
    deel3_fee, part1_fee, part2_fee = (
        rules.deel3_fee,
        rules.compensation_part1,
        rules.compensation_part2,
    )
    paid_months, year, paid_this_year = 0, 0, ZERO
    first = trajectory.start.year * 12 + trajectory.start.month - 2
    month = 0
    while True:  # the guided month-ends up to `last`, as _guided_months
        month += 1
        day = _month_end_at(first + month)
        if day > last:
            break
        running = running_from <= day <= running_until  # _ao_running
        if day.year != year:  # R-FIN-1: the cap is per calendar year
            year, paid_this_year = day.year, ZERO
        fee, status = _effort_fee(month, running, timeliness, paid_months, paid_this_year, rules)
        paid_months += fee > ZERO
        paid_this_year += fee
        if shown is not None and day not in shown and not (running and part2_shown):
            continue
        deel3 = deel3_fee if status is EffortStatus.REPLACED_BY_DEEL3 else ZERO
        if running:
            rows.append((day, month, fee, status, deel3, part1_fee, part2_fee, part2_quarter))
        else:
            rows.append((day, month, fee, status, deel3, ZERO, ZERO, None))
    return rows


def next_as_of_change(trajectory: TrajectorySnapshot, ruleset: RuleSet, after: date) -> date | None:
    """The first day after `after` on which `month_rows` may change its lines up to `after`.

    With the same facts, the lines of the month-ends up to `after` (statuses, amounts and the
    quarter booking part 2) are the same for every `as_of` from `after` until the day before
    the one returned (None: for every later `as_of`). `as_of` is compared only with the AO
    start (R-TRJ-2: has it started?), the AO deadline and the last day (R-FIN-1: can it still
    start in time?; R-FIN-2: has guidance ended?), and decides which later month-ends exist.
    """
    days = [ao_deadline(trajectory, ruleset), last_day(trajectory, ruleset)]
    if trajectory.ao is not None:
        days.append(trajectory.ao.start)
    return min((day for day in days if day > after), default=None)


def _ao_period(ao: EmploymentContract | None) -> tuple[date, date]:
    """The days on which the AO runs (as _ao_running): an empty period without one."""
    if ao is None:
        return date.max, date.min
    return ao.start, date.max if ao.end is None else ao.end


def quarterly_statement(lines: Sequence[MonthFinancing], quarter: Quarter) -> QuarterStatement:
    """Return the statement of `quarter` from month lines (of one or several trajectories)."""
    # R-FIN-4: per quarter: the months of the quarter, plus part 2 of guidance ended in it.
    in_quarter = [line for line in lines if Quarter.of(line.month_end) == quarter]
    booked = [line for line in lines if line.part2_quarter == quarter]
    return QuarterStatement(
        quarter=quarter,
        lines=statement_lines(lines, quarter),
        effort_fees=sum((line.effort_fee for line in in_quarter), ZERO),
        deel3=sum((line.deel3 for line in in_quarter), ZERO),
        compensation_part1=sum((line.compensation_part1 for line in in_quarter), ZERO),
        compensation_part2=sum((line.compensation_part2 for line in booked), ZERO),
    )


def statement_lines(
    lines: Sequence[MonthFinancing], quarter: Quarter
) -> tuple[MonthFinancing, ...]:
    """Return the lines the statement of `quarter` shows, by trajectory and month-end."""
    # R-FIN-4: the months of the quarter, plus those whose part 2 is booked in it (R-FIN-2).
    chosen = [
        line
        for line in lines
        if Quarter.of(line.month_end) == quarter or line.part2_quarter == quarter
    ]
    return tuple(sorted(chosen, key=lambda line: (line.trajectory_id, line.month_end)))


def combine_statements(
    quarter: Quarter, statements: Sequence[QuarterStatement]
) -> QuarterStatement:
    """Sum the statements of several trajectories for the same `quarter`."""
    # R-FIN-4: the quarterly statement of an organisation.
    if any(statement.quarter != quarter for statement in statements):
        raise ValueError(f"every statement must be for {quarter}")
    lines = sorted(
        (line for statement in statements for line in statement.lines),
        key=lambda line: (line.trajectory_id, line.month_end),
    )
    return QuarterStatement(
        quarter=quarter,
        lines=tuple(lines),
        effort_fees=sum((s.effort_fees for s in statements), ZERO),
        deel3=sum((s.deel3 for s in statements), ZERO),
        compensation_part1=sum((s.compensation_part1 for s in statements), ZERO),
        compensation_part2=sum((s.compensation_part2 for s in statements), ZERO),
    )
