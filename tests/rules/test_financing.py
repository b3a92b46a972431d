"""R-FIN-1..4: month-end financing of art60 trajectories, worked out by hand.

Month k is the k-th month-end on or after the start (R-FIN-3). Amounts: €250 inspanningsvergoeding
(max 24 months, max €3,000 a calendar year, only when the AO started in time), €150 + €45
compensatievergoeding per month-end with a running AO, €250 deel 3 from month 25.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doorstroom.rules import (
    EffortStatus,
    EmploymentContract,
    Quarter,
    Suspension,
    combine_statements,
    month_end_snapshot,
    month_end_snapshots,
    month_number,
    monthly_financing,
    quarterly_statement,
)
from doorstroom.rules.financing import month_rows, next_as_of_change, statement_lines
from tests.rules.support import RULES, art60, d, with_rules, wz

E = EffortStatus
OPEN_AO = EmploymentContract(d("2027-02-01"))


def amounts(lines, field):
    return [getattr(line, field) for line in lines]


def D(values):
    return [Decimal(value) for value in values]


@pytest.mark.parametrize(
    ("start", "day", "k"),
    [
        pytest.param("2027-01-15", "2027-01-31", 1, id="R-FIN-3 first month-end"),
        pytest.param("2027-01-31", "2027-01-31", 1, id="R-FIN-3 starting on a month-end"),
        pytest.param("2027-01-15", "2027-12-31", 12, id="R-FIN-3 month 12"),
        pytest.param("2027-01-15", "2029-01-31", 25, id="R-FIN-3 month 25"),
    ],
)
def test_R_FIN_3_month_number(start, day, k):
    assert month_number(d(start), d(day)) == k


def test_R_FIN_1_a_year_of_guidance_with_the_ao_in_time():
    """R-FIN-1, R-FIN-2 and the R-FIN-4 statement of a first quarter."""
    lines = monthly_financing(art60(ao=OPEN_AO), d("2027-12-31"), RULES)
    assert [line.month for line in lines] == list(range(1, 13))
    assert amounts(lines, "effort_fee") == D(["250"] * 12)  # 12 × €250 = the €3,000 cap
    assert amounts(lines, "compensation_part1") == D(["0"] + ["150"] * 11)  # AO from February
    assert amounts(lines, "part2_quarter") == [None] * 12  # guidance has not ended
    q1 = quarterly_statement(lines, Quarter(2027, 1))
    assert (q1.effort_fees, q1.compensation_part1, q1.compensation_part2, q1.total) == (
        Decimal(750),
        Decimal(300),
        Decimal(0),
        Decimal(1050),
    )


def test_R_FIN_1_the_yearly_cap_across_a_year_boundary():
    # With €280 a month: January–October 2027 = €2,800; November gets the €200 left; December
    # nothing; January 2028 starts a new calendar year.
    ruleset = with_rules(financing={"effort_fee": Decimal("280")})
    trajectory = art60("2027-01-10", ao=EmploymentContract(d("2027-01-10")))
    lines = monthly_financing(trajectory, d("2028-01-31"), ruleset)
    assert [(str(x.month_end), x.effort_fee, x.effort_status) for x in lines[9:]] == [
        ("2027-10-31", Decimal(280), E.PAID),
        ("2027-11-30", Decimal(200), E.CAPPED),
        ("2027-12-31", Decimal(0), E.CAPPED),
        ("2028-01-31", Decimal(280), E.PAID),
    ]
    assert sum(x.effort_fee for x in lines if x.month_end.year == 2027) == Decimal(3000)


def test_R_FIN_1_at_most_24_paid_months():
    ruleset = with_rules(financing={"effort_fee_max_months": 2})
    lines = monthly_financing(art60(ao=OPEN_AO), d("2027-04-30"), ruleset)
    assert amounts(lines, "effort_status") == [E.PAID, E.PAID, E.MAX_MONTHS, E.MAX_MONTHS]


@pytest.mark.parametrize(
    ("ao_start", "as_of", "statuses"),
    [
        pytest.param(None, "2027-02-28", [E.AWAITING_AO] * 2, id="R-FIN-1 AO may still start"),
        pytest.param(None, "2027-03-14", [E.NO_AO] * 2, id="R-FIN-1 the AO deadline passed"),
        pytest.param(
            "2027-03-10",
            "2027-03-31",
            [E.PAID] * 3,
            id="R-FIN-1 months before an AO in time are paid",
        ),
        pytest.param(
            "2027-03-20",
            "2027-02-28",
            [E.AWAITING_AO] * 2,
            id="R-FIN-1 a late AO planned: not known yet",
        ),
        pytest.param(
            "2027-03-20",
            "2027-03-31",
            [E.AO_NOT_IN_TIME] * 3,
            id="R-FIN-1 payable months become unpayable when the AO is late",
        ),
    ],
)
def test_R_FIN_1_timeliness_decides_from_the_facts(ao_start, as_of, statuses):
    ao = EmploymentContract(d(ao_start)) if ao_start else None
    lines = monthly_financing(art60(ao=ao), d(as_of), RULES)
    assert amounts(lines, "effort_status") == statuses
    paid = statuses[0] is E.PAID
    assert amounts(lines, "effort_fee") == [Decimal(250 if paid else 0)] * len(statuses)


def test_R_FIN_1_a_stopped_trajectory_before_its_ao_gets_nothing():
    lines = monthly_financing(art60(stopped_on=d("2027-02-20")), d("2027-02-20"), RULES)
    assert [(x.month, x.effort_status) for x in lines] == [(1, E.NO_AO)]


def test_R_FIN_1_R_FIN_2_stop_and_suspension():
    """R-FIN-1 a stop ends the fee, a suspension does not; R-FIN-2 part 2 when guidance ends."""
    # Guided at 31/1, 28/2, 31/3, 30/4 (stop 20/5); suspension 1/3–15/4 stops nothing. AO from
    # 1/2 to the stop: part 1 for Feb–Apr; part 2 (3 × €45) in Q2, the quarter guidance ends.
    trajectory = art60(
        ao=EmploymentContract(d("2027-02-01"), d("2027-05-20")),
        stopped_on=d("2027-05-20"),
        suspensions=(Suspension("s1", d("2027-03-01"), d("2027-04-15")),),
    )
    lines = monthly_financing(trajectory, d("2027-09-30"), RULES)
    assert amounts(lines, "effort_fee") == D(["250"] * 4)
    assert amounts(lines, "part2_quarter") == [None] + [Quarter(2027, 2)] * 3
    q1, q2 = (quarterly_statement(lines, Quarter(2027, n)) for n in (1, 2))
    assert (q1.effort_fees, q1.compensation_part1, q1.compensation_part2) == (750, 300, 0)
    assert (q2.effort_fees, q2.compensation_part1, q2.compensation_part2, q2.total) == (
        250,
        150,
        135,
        535,
    )
    assert len(q2.lines) == 3  # April, plus February and March for their part 2
    assert [s.suspended for s in month_end_snapshots(trajectory, d("2027-09-30"), RULES)] == [
        False,
        False,
        True,
        False,
    ]


def test_R_FIN_3_deel_3_from_month_25_while_the_ao_runs():
    # Start 1/1/2027: the planned end is 31/12/2028 (month 24); the AO runs to 15/3/2029.
    trajectory = art60("2027-01-01", ao=EmploymentContract(d("2027-01-01"), d("2029-03-15")))
    lines = monthly_financing(trajectory, d("2029-06-30"), RULES)
    assert len(lines) == 26  # 31/3/2029 is after the last day of guidance
    assert [(x.month, x.effort_fee, x.effort_status, x.deel3) for x in lines[23:]] == [
        (24, Decimal(250), E.PAID, Decimal(0)),
        (25, Decimal(0), E.REPLACED_BY_DEEL3, Decimal(250)),
        (26, Decimal(0), E.REPLACED_BY_DEEL3, Decimal(250)),
    ]
    q1 = quarterly_statement(lines, Quarter(2029, 1))
    assert (q1.effort_fees, q1.deel3, q1.compensation_part1) == (0, 500, 300)
    assert q1.compensation_part2 == 26 * Decimal(45)  # every AO month, booked when guidance ends
    assert sum(x.effort_fee for x in lines) == 24 * Decimal(250)


def test_R_FIN_2_a_late_ao_still_gets_the_compensatievergoeding():
    """R-FIN-2 depends on the running AO only, not on its timeliness."""
    lines = monthly_financing(art60(ao=EmploymentContract(d("2027-03-15"))), d("2027-06-30"), RULES)
    assert amounts(lines, "effort_fee") == D(["0"] * 6)
    assert amounts(lines, "compensation_part1") == D(["0", "0", "150", "150", "150", "150"])


def test_R_FIN_4_statements_per_trajectory_are_summed():
    """R-FIN-4 a statement per trajectory, summed for the organisation."""
    first = monthly_financing(art60(ao=OPEN_AO), d("2027-03-31"), RULES)
    other = replace(art60("2027-02-10", ao=EmploymentContract(d("2027-02-10"))), id="t2")
    second = monthly_financing(other, d("2027-03-31"), RULES)
    quarter = Quarter(2027, 1)
    total = combine_statements(
        quarter, [quarterly_statement(first, quarter), quarterly_statement(second, quarter)]
    )
    assert (total.effort_fees, total.compensation_part1) == (Decimal(1250), Decimal(600))
    assert [(x.trajectory_id, x.month) for x in total.lines] == [
        ("t1", 1),
        ("t1", 2),
        ("t1", 3),
        ("t2", 1),
        ("t2", 2),
    ]
    with pytest.raises(ValueError, match="2027-Q2"):
        combine_statements(Quarter(2027, 2), [total])


def test_R_FIN_4_month_end_snapshot_and_wz():
    """R-FIN-4 the month-end snapshot of a stopped trajectory; wz is not financed here."""
    trajectory = art60(ao=OPEN_AO, stopped_on=d("2027-05-20"))
    snapshot = month_end_snapshot(trajectory, d("2027-05-31"), RULES)
    assert (snapshot.month, snapshot.guided, snapshot.ao_running) == (5, False, True)
    assert Quarter.of(d("2027-11-30")) == Quarter(2027, 4)
    assert str(Quarter(2027, 4)) == "2027-Q4"
    assert monthly_financing(wz(), d("2027-12-31"), RULES) == ()


# --- Only the lines a statement shows (R-FIN-4), with the amounts of the full computation -----


def shown_by_statements(lines, quarters):
    """The lines `quarterly_statement` picks for any of `quarters`, in month order."""
    picked = {line for quarter in quarters for line in quarterly_statement(lines, quarter).lines}
    return tuple(line for line in lines if line in picked)


DEEL3 = art60("2027-01-01", ao=EmploymentContract(d("2027-01-01"), d("2029-03-15")))
CAPPED = art60("2027-01-10", ao=EmploymentContract(d("2027-01-10")))
ENDED = art60(ao=EmploymentContract(d("2027-02-01"), d("2027-05-20")), stopped_on=d("2027-05-20"))


@pytest.mark.parametrize(
    ("trajectory", "as_of", "quarters", "fee"),
    [
        pytest.param(DEEL3, "2029-06-30", [(2029, 1)], 250, id="R-FIN-3 deel 3 and part 2"),
        pytest.param(DEEL3, "2029-06-30", [(2028, 4)], 250, id="R-FIN-1 month 24 still paid"),
        pytest.param(CAPPED, "2028-01-31", [(2027, 4)], 280, id="R-FIN-1 capped in November"),
        pytest.param(CAPPED, "2028-01-31", [(2028, 1)], 280, id="R-FIN-1 a new year"),
        pytest.param(ENDED, "2027-09-30", [(2027, 2)], 250, id="R-FIN-2 part 2 of earlier months"),
        pytest.param(ENDED, "2027-09-30", [(2027, 1)], 250, id="R-FIN-2 part 2 elsewhere"),
        pytest.param(ENDED, "2027-09-30", [(2027, 3)], 250, id="R-FIN-1 after the stop"),
        pytest.param(ENDED, "2027-09-30", [(2026, 4), (2027, 2)], 250, id="R-FIN-4 two quarters"),
        pytest.param(ENDED, "2027-03-31", [(2027, 1)], 250, id="R-FIN-2 not ended yet"),
    ],
)
def test_R_FIN_4_the_lines_of_some_quarters_are_those_of_their_statements(
    trajectory, as_of, quarters, fee
):
    ruleset = with_rules(financing={"effort_fee": Decimal(fee)})
    wanted = {Quarter(*q) for q in quarters}
    full = monthly_financing(trajectory, d(as_of), ruleset)
    lines = monthly_financing(trajectory, d(as_of), ruleset, wanted)
    assert lines == shown_by_statements(full, wanted)
    for quarter in wanted:
        assert quarterly_statement(lines, quarter) == quarterly_statement(full, quarter)


def test_R_FIN_4_a_quarter_shows_its_month_ends_and_part_2_booked_in_it():
    """R-FIN-4: the capped November and the empty December, plus part 2 (R-FIN-2)."""
    ruleset = with_rules(financing={"effort_fee": Decimal("280")})
    lines = monthly_financing(CAPPED, d("2028-01-31"), ruleset, {Quarter(2027, 4)})
    assert [(str(x.month_end), x.effort_fee, x.effort_status) for x in lines] == [
        ("2027-10-31", Decimal(280), E.PAID),
        ("2027-11-30", Decimal(200), E.CAPPED),
        ("2027-12-31", Decimal(0), E.CAPPED),
    ]
    ended = monthly_financing(ENDED, d("2027-09-30"), RULES, {Quarter(2027, 2)})
    assert [(x.month, x.effort_fee, x.part2_quarter) for x in ended] == [
        (2, Decimal(250), Quarter(2027, 2)),  # February and March: for part 2 only
        (3, Decimal(250), Quarter(2027, 2)),
        (4, Decimal(250), Quarter(2027, 2)),
    ]
    assert monthly_financing(ENDED, d("2027-09-30"), RULES, {Quarter(2027, 3)}) == ()
    assert Quarter(2028, 1).month_ends() == (d("2028-01-31"), d("2028-02-29"), d("2028-03-31"))
    assert statement_lines(ended, Quarter(2027, 2)) == ended


@st.composite
def art60_facts(draw):
    """An art60 trajectory with maybe an AO (maybe ended) and maybe a stop, up to 3 years."""
    start = draw(st.dates(min_value=d("2017-01-01"), max_value=d("2030-12-31")))
    later = st.integers(min_value=0, max_value=1100).map(lambda n: start + timedelta(days=n))
    ao = None
    if draw(st.booleans()):
        ao_start, ao_end = draw(later), draw(st.none() | later)
        ao = EmploymentContract(ao_start, ao_end if ao_end and ao_end >= ao_start else None)
    return art60(start.isoformat(), ao=ao, stopped_on=draw(st.none() | later))


@settings(max_examples=150, deadline=None, database=None)
@given(
    art60_facts(),
    st.integers(min_value=0, max_value=1300),
    st.sets(st.integers(min_value=-2, max_value=14), min_size=1, max_size=3),
    st.sampled_from([250, 280, 400]),
    st.integers(min_value=1, max_value=24),
)
def test_R_FIN_4_any_quarters_lines_equal_those_of_the_full_computation(
    trajectory, offset, quarter_offsets, fee, max_months
):
    """R-FIN-1..4: the same lines, statuses and amounts as filtering every month's line."""
    ruleset = with_rules(
        financing={"effort_fee": Decimal(fee), "effort_fee_max_months": max_months}
    )
    as_of = trajectory.start + timedelta(days=offset)
    first = Quarter.of(trajectory.start)
    wanted = {
        Quarter(first.year + (first.number - 1 + n) // 4, (first.number - 1 + n) % 4 + 1)
        for n in quarter_offsets
    }
    full = monthly_financing(trajectory, as_of, ruleset)
    assert monthly_financing(trajectory, as_of, ruleset, wanted) == shown_by_statements(
        full, wanted
    )


@settings(max_examples=200, deadline=None, database=None)
@given(
    art60_facts(),
    st.integers(min_value=0, max_value=1300),
    st.integers(min_value=0, max_value=900),
    st.sets(st.integers(min_value=-2, max_value=14), max_size=3) | st.none(),
)
def test_R_FIN_4_the_lines_up_to_a_day_stay_until_the_next_as_of_change(
    trajectory, offset, later, quarter_offsets
):
    """R-FIN-1..4: a later `as_of` before `next_as_of_change` gives the same earlier lines;
    one on or after it may not (`changed` below finds the day that makes the difference)."""
    after = trajectory.start + timedelta(days=offset)
    until = next_as_of_change(trajectory, RULES, after)
    first = Quarter.of(trajectory.start)
    wanted = None if quarter_offsets is None else {
        Quarter(first.year + (first.number - 1 + n) // 4, (first.number - 1 + n) % 4 + 1)
        for n in quarter_offsets
    }  # fmt: skip

    def upto(as_of):
        rows = month_rows(trajectory, as_of, RULES, wanted)
        return [row for row in rows if row[0] <= after]

    as_of = after + timedelta(days=later)
    if until is None or as_of < until:
        assert upto(as_of) == upto(after)
    else:
        assert until > after


def test_R_FIN_4_the_days_on_which_the_lines_may_change_by_themselves():
    """R-TRJ-2 the AO start and deadline, R-FIN-2 the last day: the first after a day."""
    ao = EmploymentContract(d("2027-03-01"), d("2027-08-31"))
    trajectory = art60("2027-01-15", ao=ao, stopped_on=d("2027-08-31"))
    assert next_as_of_change(trajectory, RULES, d("2027-01-20")) == d("2027-03-01")  # AO start
    assert next_as_of_change(trajectory, RULES, d("2027-03-01")) == d("2027-03-14")  # deadline
    assert next_as_of_change(trajectory, RULES, d("2027-03-14")) == d("2027-08-31")  # stop
    assert next_as_of_change(trajectory, RULES, d("2027-08-31")) is None
    # The day the AO starts decides the fee of the months before (R-FIN-1: paid once it does).
    before = month_rows(trajectory, d("2027-02-28"), RULES)
    on = month_rows(trajectory, d("2027-03-01"), RULES)
    assert [(r[2], r[3]) for r in before] == [(0, E.AWAITING_AO)] * 2
    assert [(r[2], r[3]) for r in on] == [(250, E.PAID)] * 2
    assert next_as_of_change(art60("2027-01-15"), RULES, d("2027-01-20")) == d("2027-03-14")
