"""The draft with issued quarters (R-FIN-4) equals the straightforward computation.

A draft reads "issued so far" from the ledger stored with the last issued statement and
compares it with what is due now trajectory by trajectory (doorstroom/reports/financing.py).
Here every draft is checked against a reference written the plain way, as the statement was
first built: every month of every trajectory recomputed, the lines of each quarter picked
by ``rules.financing.statement_lines``, and the ledger added up from the lines and
corrections of every issued statement. Between the issues the facts change: a suspension
recorded late, an AO start moved, a trajectory stopped with an earlier date, an AO
registered late.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.utils import translation

from doorstroom.accounts.roles import Role
from doorstroom.core.regulation import ruleset_on
from doorstroom.reports import financing
from doorstroom.reports.financing import (
    Amounts,
    Correction,
    MonthLine,
    Statement,
    TrajectoryLines,
    parse_quarter,
    quarter_first,
    quarter_last,
)
from doorstroom.reports.financing_ledger import Ledger
from doorstroom.reports.models import IssuedStatement
from doorstroom.rules import clock
from doorstroom.rules.financing import (
    MonthFinancing,
    Quarter,
    month_number,
    monthly_financing,
    statement_lines,
)
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.services import suspension_start
from tests.dossiers import fresh
from tests.factories import member
from tests.reports.financing_builders import art60, register_ao, stop_with_ao

pytestmark = pytest.mark.django_db

D = datetime.date
ZERO = Decimal(0)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


# --- The reference: the plain computation -----------------------------------------------------

RefKey = tuple[Quarter, int, datetime.date]


def reference_ledger(organisation: Any) -> dict[RefKey, tuple[Amounts, str]]:
    """Issued so far, from the lines and corrections of every issued statement, oldest first."""
    ledger: dict[RefKey, tuple[Amounts, str]] = {}
    statements = IssuedStatement.objects.filter(organisation=organisation)
    for issued in statements.order_by("issued_at", "pk"):
        booked = [
            (Quarter(issued.year, issued.quarter), block["trajectory"], month)
            for block in issued.lines
            for month in block["months"]
        ] + [
            (parse_quarter(item["quarter"]), item["trajectory"], item)
            for item in issued.corrections
        ]
        for quarter, trajectory, data in booked:
            key = (quarter, trajectory, D.fromisoformat(data["end"]))
            before = ledger.get(key, (Amounts(), ""))[0]
            ledger[key] = (before + Amounts.from_json(data), data["status"])
    return ledger


def reference_line(line: MonthFinancing, quarter: Quarter) -> MonthLine:
    """A month line with only the amounts booked in ``quarter`` (R-FIN-2, R-FIN-4)."""
    own = Quarter.of(line.month_end) == quarter
    amounts = Amounts(
        line.effort_fee if own else ZERO,
        line.deel3 if own else ZERO,
        line.compensation_part1 if own else ZERO,
        line.compensation_part2 if line.part2_quarter == quarter else ZERO,
    )
    return MonthLine(line.month_end, line.month, line.effort_status, amounts, not own)


def reference_draft(organisation: Any, quarter: Quarter, today: datetime.date) -> Statement:
    ledger = reference_ledger(organisation)
    statements = IssuedStatement.objects.filter(organisation=organisation)
    issued = [Quarter(s.year, s.quarter) for s in statements.order_by("issued_at", "pk")]
    earlier = sorted({q for q in issued if q < quarter})
    period = (quarter_first(min([quarter, *earlier])), quarter_last(quarter))
    loaded = financing._art60_of(organisation, *period, {key[1] for key in ledger})
    blocks, due = [], {}
    for item in loaded:
        every_month = monthly_financing(item.facts, today, ruleset_on(item.facts.start))
        for shown in [quarter, *earlier]:
            lines = statement_lines(every_month, shown)
            for line in lines:
                due[(shown, item.trajectory_id, line.month_end)] = reference_line(line, shown)
            if shown == quarter and lines:
                blocks.append(reference_block(item, today, lines, quarter))
    by_id = {item.trajectory_id: item for item in loaded}
    keys = set(due) | {k for k in ledger if k[0] in earlier and k[1] in by_id}
    corrections = []
    for key in keys - {k for k in due if k[0] == quarter}:
        was, was_status = ledger.get(key, (Amounts(), ""))
        line = due.get(key)
        difference = (line.amounts if line else Amounts()) - was
        if difference:
            item = by_id[key[1]]
            month = line.month if line else month_number(item.facts.start, key[2])
            corrections.append(
                Correction(
                    *(key[0], key[1], item.client_name, key[2], month),
                    *(was_status, line.status if line else "", difference),
                )
            )
    corrections.sort(key=lambda c: (c.quarter, c.client_name, c.trajectory_id, c.month_end))
    return Statement(
        organisation, quarter, today, tuple(blocks), tuple(corrections), None, tuple(issued)
    )


def reference_block(
    item: Any, today: datetime.date, lines: tuple[MonthFinancing, ...], quarter: Quarter
) -> TrajectoryLines:
    facts = item.facts
    ao = facts.ao if facts.ao is not None and facts.ao.start <= today else None
    return TrajectoryLines(
        item.trajectory_id,
        item.client_name,
        facts.start,
        ao.start if ao else None,
        clock.ao_in_time(facts, ruleset_on(facts.start)) if ao else None,
        tuple(reference_line(line, quarter) for line in lines),
    )


def as_written(statement: Statement) -> Any:
    """Everything a statement shows or stores, as text: amounts as written (``0`` ≠ ``0.00``)."""
    return (
        financing._lines_json(statement),
        [financing._correction_json(c) for c in statement.corrections],
        [c.reason for c in statement.corrections],
        financing._totals_json(statement),
        [str(q) for q in statement.issued_quarters],
    )


def assert_same(organisation: Any, quarter: Quarter, today: datetime.date) -> Statement:
    fast = financing.statement_draft(organisation, quarter, today=today)
    plain = reference_draft(organisation, quarter, today)
    assert fast.trajectories == plain.trajectories
    assert fast.corrections == plain.corrections
    assert fast.issued_quarters == plain.issued_quarters
    assert as_written(fast) == as_written(plain)
    return fast


def stored_ledger(organisation: Any) -> Ledger:
    last = IssuedStatement.objects.filter(organisation=organisation).latest("issued_at", "pk")
    return Ledger.from_json(last.ledger)


def added_up(organisation: Any) -> Ledger:
    ledger = Ledger()
    for issued in IssuedStatement.objects.filter(organisation=organisation).order_by(
        "issued_at", "pk"
    ):
        ledger.book_statement(
            Quarter(issued.year, issued.quarter), issued.lines, issued.corrections
        )
    return ledger


def same_ledgers(one: Ledger, other: Ledger) -> bool:
    trajectories = one.trajectories()
    return trajectories == other.trajectories() and all(
        one.months(t) == other.months(t)
        and all(one.statuses(t, q) == other.statuses(t, q) for q in one.months(t))
        for t in trajectories
    )


# --- The scenario -----------------------------------------------------------------------------


@pytest.fixture
def lead(ocmw_a: Any) -> Any:
    return member(ocmw_a, Role.TEAM_LEAD, email="lead@geel.test", language="en")


@pytest.fixture
def people(owner: Any, outsider: Any) -> dict[str, Trajectory]:
    """Trajectories that start, get an AO in time or late, reach deel 3, or have none."""
    found = {}
    for name, start, ao in [
        ("Ann Aerts", D(2025, 6, 10), D(2025, 7, 1)),
        ("Bart Bosmans", D(2025, 5, 3), D(2025, 8, 20)),  # after the deadline (R-TRJ-2)
        ("Cas Claes", D(2025, 4, 15), D(2025, 5, 1)),
        ("Dora Dewit", D(2024, 1, 10), D(2024, 1, 15)),  # month 25 in 2026: deel 3 (R-FIN-3)
        ("Els Eeckhout", D(2025, 9, 1), None),  # no AO yet
        ("Fien Fransen", D(2025, 8, 1), D(2025, 9, 1)),
        ("Gert Goossens", D(2025, 11, 5), None),
    ]:
        first, last = name.split()
        found[first] = trajectory = art60(owner, start, first_name=first, last_name=last)
        if ao is not None:
            register_ao(trajectory, owner, ao)
    elsewhere = art60(outsider, D(2025, 6, 1), first_name="Dirk", last_name="Mol", postcode="2400")
    register_ao(elsewhere, outsider, D(2025, 6, 15))
    return found


def test_every_draft_with_issued_quarters_equals_the_plain_computation(
    ocmw_a: Any, owner: Any, lead: Any, people: dict[str, Trajectory]
) -> None:
    def issue(quarter: Quarter, today: datetime.date) -> Statement:
        draft = assert_same(ocmw_a, quarter, today)  # what is issued is the draft
        financing.statement_issue(organisation=ocmw_a, quarter=quarter, today=today, by=lead)
        assert same_ledgers(stored_ledger(ocmw_a), added_up(ocmw_a))
        return draft

    issue(Quarter(2025, 3), D(2025, 10, 5))
    issue(Quarter(2025, 4), D(2026, 1, 8))
    # A suspension recorded late (R-FIN-1: it does not stop guidance), an AO start moved after
    # the deadline (R-TRJ-2) and an AO registered late for a trajectory that had none.
    ann = fresh(people["Ann"])
    suspension_start(
        ann, start=D(2025, 11, 1), end=D(2025, 12, 20), reason="Ziekte",
        expected_version=ann.version, by=owner,
    )  # fmt: skip
    register_ao(people["Fien"], owner, D(2025, 10, 15))
    register_ao(people["Els"], owner, D(2025, 10, 20))  # in time: fees come back (R-FIN-1)
    q1 = issue(Quarter(2026, 1), D(2026, 4, 3))
    assert {c.client_name for c in q1.corrections} == {"Fien Fransen", "Els Eeckhout"}
    # A stop recorded late with an earlier date (R-FIN-2: part 2 moves to that quarter).
    stop_with_ao(people["Cas"], owner, D(2025, 12, 15))
    q2 = issue(Quarter(2026, 2), D(2026, 7, 2))
    assert {c.client_name for c in q2.corrections} == {"Cas Claes"}
    # The AO start moved back into time: the fees of every issued quarter come back.
    register_ao(people["Bart"], owner, D(2025, 6, 20))
    q3 = issue(Quarter(2026, 3), D(2026, 10, 1))
    assert {c.quarter for c in q3.corrections} == {Quarter(2025, 3), Quarter(2025, 4), *[
        Quarter(2026, n) for n in (1, 2)
    ]}  # fmt: skip
    register_ao(people["Gert"], owner, D(2026, 1, 4))
    today = D(2026, 11, 22)
    last = assert_same(ocmw_a, Quarter(2026, 4), today)
    assert last.corrections
    assert len(last.issued_quarters) == 5
    # An earlier quarter's draft (not issued: its own lines, the corrections before it).
    assert_same(ocmw_a, Quarter(2025, 2), today)
    assert_same(ocmw_a, Quarter(2026, 2), today)


def test_without_a_stored_ledger_the_draft_adds_up_the_issued_statements(
    ocmw_a: Any, owner: Any, lead: Any, people: dict[str, Trajectory]
) -> None:
    """A statement written otherwise (no ledger, or not the last) is not trusted blindly."""
    for quarter, on in [(Quarter(2025, 3), D(2025, 10, 5)), (Quarter(2025, 4), D(2026, 1, 8))]:
        financing.statement_issue(organisation=ocmw_a, quarter=quarter, today=on, by=lead)
    register_ao(people["Bart"], owner, D(2025, 6, 20))
    today = D(2026, 11, 22)
    IssuedStatement.objects.filter(organisation=ocmw_a).update(ledger={})
    assert assert_same(ocmw_a, Quarter(2026, 1), today).corrections


def test_the_migration_fills_the_ledger_as_issuing_writes_it(
    ocmw_a: Any, owner: Any, lead: Any, people: dict[str, Trajectory]
) -> None:
    for quarter, on in [(Quarter(2025, 3), D(2025, 10, 5)), (Quarter(2025, 4), D(2026, 1, 8))]:
        financing.statement_issue(organisation=ocmw_a, quarter=quarter, today=on, by=lead)
        register_ao(people["Bart"], owner, D(2025, 6, 20))
    statements = IssuedStatement.objects.filter(organisation=ocmw_a).order_by("issued_at", "pk")
    # Without "settled": what was due on the day of each issue is not known afterwards; a
    # draft after a filled ledger computes every trajectory (test_financing_settled.py).
    written = [{k: v for k, v in s.ledger.items() if k != "settled"} for s in statements]
    assert all("settled" in s.ledger for s in statements)
    IssuedStatement.objects.update(ledger={})
    migration = importlib.import_module(
        "doorstroom.reports.migrations.0004_issued_statement_ledger"
    )
    migration.fill(apps, None)
    assert [s.ledger for s in statements.all()] == written
