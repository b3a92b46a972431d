"""Properties that hold for every input (hypothesis), across the rules core."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from doorstroom.rules import (
    BelgianCalendar,
    BenefitAccessFacts,
    BenefitStatus,
    DeadlineCode,
    EmploymentContract,
    InstrumentUse,
    Outflow,
    OutflowKind,
    Phase,
    PhasePeriod,
    Placement,
    Suspension,
    TrajectoryKind,
    TrajectorySnapshot,
    counts_after_end_facts,
    detect_plateau,
    estimate_benefit_access,
    guidance_end,
    instrument_problems,
    month_number,
    monthly_financing,
    period_end,
    planned_end,
    sort_deadlines,
    trajectory_deadlines,
)
from tests.rules.support import RULES, with_rules

# No example database: the suite writes nothing into the work tree.
FAST = settings(max_examples=150, deadline=None, database=None)
SLOW = settings(max_examples=40, deadline=None, database=None)

days = st.dates(min_value=date(2017, 1, 1), max_value=date(2035, 12, 31))
offsets = st.integers(min_value=0, max_value=800)


def _after(start: date, offset: int) -> date:
    return start + timedelta(days=offset)


@dataclass(frozen=True)
class _Dates:
    """Draws dates on or after a trajectory start (in any order: the rules must cope)."""

    draw: st.DrawFn
    start: date

    def day(self) -> date:
        return _after(self.start, self.draw(offsets))

    def maybe_day(self) -> date | None:
        return self.day() if self.draw(st.booleans()) else None

    def days(self, most: int) -> tuple[date, ...]:
        return tuple(self.day() for _ in self.count(most))

    def count(self, most: int) -> range:
        return range(self.draw(st.integers(0, most)))


@st.composite
def trajectories(draw: st.DrawFn) -> TrajectorySnapshot:
    at = _Dates(draw, draw(days))
    ao_start, ao_end = at.maybe_day(), at.maybe_day()
    ao = None
    if ao_start:
        ao = EmploymentContract(ao_start, ao_end if ao_end and ao_end >= ao_start else None)
    phases = st.sampled_from(Phase)
    return TrajectorySnapshot(
        id="t",
        kind=draw(st.sampled_from(TrajectoryKind)),
        start=at.start,
        ao=ao,
        phases=tuple(PhasePeriod(draw(phases), at.day(), at.maybe_day()) for _ in at.count(3)),
        suspensions=tuple(Suspension(f"s{i}", at.day(), at.maybe_day()) for i in at.count(3)),
        evaluations=at.days(4),
        pop_versions=at.days(3),
        placements=tuple(
            Placement(f"p{i}", at.day(), at.maybe_day(), at.days(1)) for i in at.count(3)
        ),
        outflow=Outflow(at.day(), draw(st.sampled_from(OutflowKind))) if at.maybe_day() else None,
        stopped_on=at.maybe_day(),
        followups_recorded=tuple(sorted(draw(st.sets(st.sampled_from([3, 6, 12]))))),
    )


@FAST
@given(days, st.integers(min_value=1, max_value=60))
def test_period_end_is_the_day_before_the_same_day_n_months_later(start, months):
    same_day = start + relativedelta(months=months)  # clipped to the month's last day
    expected = same_day - timedelta(days=1) if same_day.day == start.day else same_day
    assert period_end(start, months) == expected
    assert start <= period_end(start, months) < start + relativedelta(months=months) + timedelta(1)


@FAST
@given(trajectories())
def test_R_TRJ_1_planned_end_is_never_before_the_start_nor_past_2_years(trajectory):
    end = planned_end(trajectory, RULES)
    # SPEC §3: a period ends the day before the same day 24 months later, or on the last day of
    # that month when it has no such day (29-2-2024 ⇒ 28-2-2026, the same day as + 2 years).
    assert trajectory.start <= end <= trajectory.start + relativedelta(years=2)
    if trajectory.start.day <= 28:
        assert end < trajectory.start + relativedelta(years=2)
    assert guidance_end(trajectory, RULES) >= end


@FAST
@given(trajectories(), st.lists(st.tuples(offsets, offsets), max_size=3))
def test_R_TRJ_1_wz_end_does_not_depend_on_suspensions(trajectory, periods):
    trajectory = replace(trajectory, kind=TrajectoryKind.WZ)
    other = replace(
        trajectory,
        suspensions=tuple(
            Suspension(f"x{i}", _after(trajectory.start, a), _after(trajectory.start, a + b))
            for i, (a, b) in enumerate(periods)
        ),
    )
    assert planned_end(other, RULES) == planned_end(trajectory, RULES)
    today = trajectory.start

    def ends(t):
        return [
            x.due
            for x in trajectory_deadlines(t, today, RULES)
            if x.code == DeadlineCode.TRAJECTORY_END
        ]

    assert ends(other) == ends(trajectory)


@FAST
@given(trajectories(), offsets, st.randoms(use_true_random=False))
def test_deadlines_are_sorted_and_stable_for_equal_input(trajectory, offset, rnd):
    today = _after(trajectory.start, offset - 60)
    found = trajectory_deadlines(trajectory, today, RULES)
    assert found == sort_deadlines(found)
    assert found == trajectory_deadlines(trajectory, today, RULES)
    shuffled = replace(
        trajectory,
        suspensions=tuple(rnd.sample(trajectory.suspensions, len(trajectory.suspensions))),
        placements=tuple(rnd.sample(trajectory.placements, len(trajectory.placements))),
        evaluations=tuple(rnd.sample(trajectory.evaluations, len(trajectory.evaluations))),
    )
    assert trajectory_deadlines(shuffled, today, RULES) == found
    assert all(x.rule.startswith("R-") for x in found)


@FAST
@given(trajectories(), offsets, days)
def test_R_END_2_R_TRJ_10_follow_ups_and_aftercare_count_only_when_the_rules_say_so(
    trajectory, offset, held
):
    """Issue 11: where counts_after_end_facts says no, the dossier's overview leaves the
    follow-ups recorded and the aftercare held out of the snapshot: the deadlines are the same."""
    today = _after(trajectory.start, offset - 60)
    trajectory = replace(trajectory, aftercare_until=held)
    without = replace(trajectory, followups_recorded=(), aftercare_until=None)
    if not counts_after_end_facts(trajectory, today, RULES):
        assert trajectory_deadlines(trajectory, today, RULES) == trajectory_deadlines(
            without, today, RULES
        )


@SLOW
@given(trajectories(), offsets, st.integers(min_value=100, max_value=400))
def test_R_FIN_1_monthly_amounts_never_exceed_their_caps(trajectory, offset, fee):
    ruleset = with_rules(financing={"effort_fee": Decimal(fee)})
    rules = ruleset.financing
    trajectory = replace(trajectory, kind=TrajectoryKind.ART60)
    lines = monthly_financing(trajectory, _after(trajectory.start, offset * 2), ruleset)
    per_year: dict[int, Decimal] = {}
    for line in lines:
        assert 0 <= line.effort_fee <= rules.effort_fee
        assert line.deel3 in {0, rules.deel3_fee}
        assert line.deel3 == 0 or line.month >= rules.deel3_from_month
        assert line.effort_fee == 0 or line.deel3 == 0
        assert line.compensation_part1 in {0, rules.compensation_part1}
        per_year[line.month_end.year] = per_year.get(line.month_end.year, 0) + line.effort_fee
        assert line.month == month_number(trajectory.start, line.month_end) >= 1
    assert all(total <= rules.effort_fee_yearly_cap for total in per_year.values())
    assert sum(1 for line in lines if line.effort_fee) <= rules.effort_fee_max_months


@FAST
@given(days, st.integers(min_value=-15, max_value=15), st.booleans())
def test_add_working_days_lands_on_a_working_day(day, count, flemish):
    calendar = BelgianCalendar(include_flemish_holiday=flemish)
    result = calendar.add_working_days(day, count)
    if count:
        assert calendar.is_working_day(result)
        first, last = sorted([day + timedelta(days=1 if count > 0 else -1), result])
        assert calendar.working_days_between(first, last) == abs(count)


@SLOW
@given(
    st.dates(min_value=date(2017, 1, 1), max_value=date(2025, 12, 31)),
    st.integers(min_value=18, max_value=64),
    st.integers(min_value=19, max_value=38),
    st.integers(min_value=0, max_value=600),
    st.integers(min_value=1, max_value=50),
)
def test_R_A60_2_more_credited_days_never_end_later(start, age, hours, credited, more):
    def estimate(days_credited):
        facts = BenefitAccessFacts(start, age, start, Decimal(hours), Decimal(38), days_credited)
        return estimate_benefit_access(facts, RULES)

    fewer, extra = estimate(Decimal(credited)), estimate(Decimal(credited + more))
    if fewer.estimated_end:
        assert fewer.estimated_end >= start
        assert extra.estimated_end is None or extra.estimated_end <= fewer.estimated_end
        assert extra.status in {BenefitStatus.ESTIMATED, BenefitStatus.ALREADY_MET}


@FAST
@given(days, st.sampled_from([k.kind for k in RULES.instruments]), st.data())
def test_R_INS_2_a_use_within_its_limits_has_no_duration_problem(start, kind, data):
    limits = RULES.instrument(kind)
    low = limits.min_duration.last_day(start) if limits.min_duration else start
    high = limits.max_duration.last_day(start) if limits.max_duration else start + timedelta(999)
    end = data.draw(st.dates(min_value=low, max_value=high))
    problems = instrument_problems(InstrumentUse(kind, start, end), TrajectoryKind.ART60, (), RULES)
    assert problems == ()


scores = st.dictionaries(st.sampled_from("abcd"), st.integers(0, 5), min_size=1)


@FAST
@given(st.lists(scores, min_size=2, max_size=5))
def test_R_PLC_6_raising_a_shared_score_ends_a_plateau(evaluations):
    result = detect_plateau(evaluations, RULES)
    assert result.stalled is (result.compared != () and result.improved == ())
    shared = sorted(set(evaluations[-1]) & set(evaluations[-2]))
    if shared:
        raised = {**evaluations[-1], shared[0]: evaluations[-2][shared[0]] + 1}
        assert not detect_plateau([*evaluations[:-1], raised], RULES).stalled
