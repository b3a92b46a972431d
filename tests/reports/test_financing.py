"""The quarterly financing statement (R-FIN-1..4), its corrections, its spreadsheet and pages.

The hand-checked quarter is 2026-Q1 (month ends 31/1, 28/2, 31/3/2026) of OCMW Geel:

- T1 "in time": start 10/12/2025, AO deadline 9/2/2026 (R-TRJ-2), AO from 5/1/2026, running.
- T2 "late": start 3/11/2025, AO deadline 2/1/2026, AO from 20/1/2026: not in time.
- T3 "ends": start 15/10/2025, AO 1/11/2025 – 15/2/2026, stopped 15/2/2026: guidance ends in
  Q1, so part 2 of its compensation is booked in Q1 (R-FIN-2).
- an art60 trajectory of OCMW Mol, which must not appear.

The yearly cap of R-FIN-1 (€3,000) equals 12 × €250 in the 2017 rule set: a trajectory can
reach it in a full calendar year but never cross it, so no statement line is ever capped with
these amounts (the rules core's tests cover the cap with other amounts).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from doorstroom.accounts.roles import Role
from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.core.errors import DomainError
from doorstroom.core.models import AuditEvent
from doorstroom.core.regulation import ruleset_on
from doorstroom.reports import financing, financing_xlsx
from doorstroom.reports.financing import Amounts, total_of
from doorstroom.reports.models import IssuedStatement
from doorstroom.reports.templatetags.financing import euro, statement_blocks
from doorstroom.rules.financing import (
    Quarter,
    combine_statements,
    monthly_financing,
    quarterly_statement,
)
from doorstroom.trajectories.deadlines import snapshot
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock
from doorstroom.trajectories.services import contract_end, suspension_start
from tests.dossiers import fresh
from tests.factories import member
from tests.reports.financing_builders import art60, register_ao, stop_with_ao

pytestmark = pytest.mark.django_db

D = datetime.date
Q1 = Quarter(2026, 1)
Q2 = Quarter(2026, 2)
Q3 = Quarter(2026, 3)
TODAY = D(2026, 11, 22)  # every quarter above has ended


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The explanations and messages are asserted in English (the UI's default is Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture
def lead(ocmw_a: Any) -> Any:
    return member(ocmw_a, Role.TEAM_LEAD, email="lead@geel.test", language="en")


@pytest.fixture
def quarter_q1(owner: Any, outsider: Any) -> dict[str, Trajectory]:
    t1 = art60(owner, D(2025, 12, 10), first_name="Ann", last_name="Aerts")
    register_ao(t1, owner, D(2026, 1, 5))
    t2 = art60(owner, D(2025, 11, 3), first_name="Bart", last_name="Bosmans")
    register_ao(t2, owner, D(2026, 1, 20))
    t3 = art60(owner, D(2025, 10, 15), first_name="Cas", last_name="Claes")
    register_ao(t3, owner, D(2025, 11, 1))
    stop_with_ao(t3, owner, D(2026, 2, 15))
    elsewhere = art60(outsider, D(2025, 12, 1), first_name="Dirk", last_name="Mol", postcode="2400")
    register_ao(elsewhere, outsider, D(2025, 12, 15))
    return {"t1": t1, "t2": t2, "t3": t3, "elsewhere": elsewhere}


def amounts_of(statement: financing.Statement) -> dict[str, Amounts]:
    return {b.client_name: b.subtotal for b in statement.trajectories}


def test_the_statement_of_a_hand_checked_quarter_matches_the_amounts_worked_out_by_hand(
    ocmw_a: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    statement = financing.statement_draft(ocmw_a, Q1, today=TODAY)
    subtotals = amounts_of(statement)
    assert set(subtotals) == {"Ann Aerts", "Bart Bosmans", "Cas Claes"}  # not OCMW Mol's
    # T1, R-FIN-1: 3 month ends guided with the AO in time: 3 × €250 = €750.
    # R-FIN-2: the AO runs on all 3: part 1 3 × €150 = €450; guidance goes on: no part 2.
    assert subtotals["Ann Aerts"] == Amounts(Decimal(750), 0, Decimal(450), 0)
    # T2, R-FIN-1: AO not in time: no fee at all. R-FIN-2: AO runs 31/1, 28/2, 31/3: €450.
    assert subtotals["Bart Bosmans"] == Amounts(0, 0, Decimal(450), 0)
    # T3: only 31/1 is a guided month end in Q1 (stopped 15/2): fee €250, part 1 €150.
    # R-FIN-2: guidance ends in Q1, so part 2 of every month the AO ran is booked here:
    # 30/11, 31/12 and 31/1 → 3 × €45 = €135 (31/10: the AO had not started).
    assert subtotals["Cas Claes"] == Amounts(Decimal(250), 0, Decimal(150), Decimal(135))
    # Totals: fees 750 + 0 + 250 = 1,000; part 1 450 + 450 + 150 = 1,050; part 2 135.
    assert statement.totals == Amounts(Decimal(1000), 0, Decimal(1050), Decimal(135))
    assert statement.total == Decimal(2185)  # 1,000 + 1,050 + 135, no corrections
    assert statement.corrections == ()


def test_the_statement_agrees_with_the_rules_cores_quarterly_statement(
    ocmw_a: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    trajectories = with_clock(Trajectory.objects.filter(organisation=ocmw_a))
    per_trajectory = [
        quarterly_statement(monthly_financing(snapshot(t), TODAY, ruleset_on(t.start)), Q1)
        for t in trajectories
    ]
    core = combine_statements(Q1, per_trajectory)
    ours = financing.statement_draft(ocmw_a, Q1, today=TODAY).totals
    assert ours == Amounts(
        core.effort_fees, core.deel3, core.compensation_part1, core.compensation_part2
    )


def test_each_month_line_says_why_the_fee_is_or_is_not_paid(
    ocmw_a: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    statement = financing.statement_draft(ocmw_a, Q1, today=TODAY)
    late = next(b for b in statement.trajectories if b.client_name == "Bart Bosmans")
    assert late.ao_in_time is False
    assert late.ao_start == D(2026, 1, 20)
    assert {line.status for line in late.lines} == {"ao_not_in_time"}
    assert "after the deadline" in late.lines[0].explanation
    ended = next(b for b in statement.trajectories if b.client_name == "Cas Claes")
    # R-FIN-2: two months of Q4 2025 appear only for their part 2.
    assert [(ln.month_end, ln.part2_only) for ln in ended.lines] == [
        (D(2025, 11, 30), True),
        (D(2025, 12, 31), True),
        (D(2026, 1, 31), False),
    ]
    assert ended.lines[0].amounts == Amounts(0, 0, 0, Decimal(45))


def test_issuing_keeps_the_lines_and_a_later_fact_shows_as_a_correction(
    ocmw_a: Any, owner: Any, lead: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    issued = financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=lead)
    assert issued.totals["total"] == "2185.00"
    assert AuditEvent.objects.filter(action="reports.financing_statement.issued").count() == 1
    # After issuing, T1's AO start is corrected to 10/2/2026: one day after its deadline of
    # 9/2/2026, so not in time (R-TRJ-2) and no fee is due any more (R-FIN-1).
    register_ao(quarter_q1["t1"], owner, D(2026, 2, 10))
    # The issued Q1 statement does not change.
    again = financing.statement_for(ocmw_a, Q1, today=TODAY)
    assert again.issued == issued
    assert again.total == Decimal(2185)
    # Q2's statement corrects Q1's months of T1:
    #   31/1: fee 250 → 0 and, the AO not running yet, part 1 150 → 0: −400;
    #   28/2 and 31/3: fee 250 → 0 (the AO runs, part 1 stays): −250 each. Total −900.
    q2 = financing.statement_draft(ocmw_a, Q2, today=TODAY)
    found = {(c.quarter, c.client_name, c.month_end): c.difference for c in q2.corrections}
    assert found == {
        (Q1, "Ann Aerts", D(2026, 1, 31)): Amounts(Decimal(-250), 0, Decimal(-150), 0),
        (Q1, "Ann Aerts", D(2026, 2, 28)): Amounts(Decimal(-250), 0, 0, 0),
        (Q1, "Ann Aerts", D(2026, 3, 31)): Amounts(Decimal(-250), 0, 0, 0),
    }
    assert q2.corrections_total.total == Decimal(-900)
    assert all("Was:" in c.reason and "after the deadline" in c.reason for c in q2.corrections)
    # T1's own Q2 lines: no fee (not in time), part 1 3 × €150; T2 the same: 2 × €450.
    assert q2.totals == Amounts(0, 0, Decimal(900), 0)
    assert q2.total == Decimal(0)  # 900 − 900


def test_a_correction_issued_once_is_not_corrected_again(
    ocmw_a: Any, owner: Any, lead: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=lead)
    register_ao(quarter_q1["t1"], owner, D(2026, 2, 10))
    q2 = financing.statement_issue(organisation=ocmw_a, quarter=Q2, today=TODAY, by=lead)
    assert len(q2.corrections) == 3
    assert financing.statement_draft(ocmw_a, Q3, today=TODAY).corrections == ()


def test_corrections_of_several_issued_quarters_come_by_quarter_then_client_then_month(
    ocmw_a: Any, owner: Any, lead: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    """R-FIN-4: Q1 and Q2 issued, then two trajectories change: Q3 corrects both quarters."""
    financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=lead)
    financing.statement_issue(organisation=ocmw_a, quarter=Q2, today=TODAY, by=lead)
    register_ao(quarter_q1["t1"], owner, D(2026, 2, 10))  # not in time any more (R-TRJ-2)
    stop_with_ao(quarter_q1["t2"], owner, D(2026, 3, 15))  # guidance ends in Q1 (R-FIN-2)
    q3 = financing.statement_draft(ocmw_a, Q3, today=TODAY)
    order = [(c.quarter, c.client_name, c.month_end) for c in q3.corrections]
    assert order == sorted(order)
    assert {(c.quarter, c.client_name) for c in q3.corrections} == {
        (Q1, "Ann Aerts"),
        (Q1, "Bart Bosmans"),
        (Q2, "Ann Aerts"),
        (Q2, "Bart Bosmans"),
    }
    # Ann: every fee of Q1 and Q2 (6 × €250) and part 1 of January (€150) are taken back.
    ann = [c.difference for c in q3.corrections if c.client_name == "Ann Aerts"]
    assert total_of(ann) == Amounts(Decimal(-1500), 0, Decimal(-150), 0)


def test_an_ao_registered_after_issuing_brings_the_fees_as_a_positive_correction(
    ocmw_a: Any, owner: Any, lead: Any
) -> None:
    late = art60(owner, D(2026, 1, 20), first_name="Els", last_name="Eeckhout")
    financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=lead)
    # Registered only now, but started on 1/2/2026: in time (deadline 19/3/2026).
    register_ao(late, owner, D(2026, 2, 1))
    q2 = financing.statement_draft(ocmw_a, Q2, today=TODAY)
    # R-FIN-1: 31/1, 28/2, 31/3 now paid: 3 × €250; R-FIN-2: part 1 for 28/2 and 31/3: €300.
    assert q2.corrections_total == Amounts(Decimal(750), 0, Decimal(300), 0)
    assert {c.issued_status for c in q2.corrections} == {"no_ao"}


def test_a_stop_recorded_after_issuing_with_an_earlier_date_is_corrected(
    ocmw_a: Any, owner: Any, lead: Any
) -> None:
    """R-FIN-4: the statement skips trajectories stopped before the quarters it covers, but
    not one whose lines were issued: a stop entered late, dated back, is corrected."""
    ended = art60(owner, D(2025, 10, 1), first_name="Fien", last_name="Fransen")
    register_ao(ended, owner, D(2025, 10, 20))
    financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=lead)
    stop_with_ao(ended, owner, D(2025, 12, 31))  # before Q1: Q1's issued months were not due
    q2 = financing.statement_draft(ocmw_a, Q2, today=TODAY)
    # R-FIN-1/2: 31/1, 28/2, 31/3 each lose the fee (€250) and part 1 (€150).
    assert q2.corrections_total == Amounts(Decimal(-750), 0, Decimal(-450), 0)
    assert {c.client_name for c in q2.corrections} == {"Fien Fransen"}
    assert "Fien Fransen" not in amounts_of(q2)


def test_the_statement_reads_only_the_facts_the_financing_rules_use(
    ocmw_a: Any, quarter_q1: dict[str, Trajectory], varied: dict[str, Trajectory]
) -> None:
    """financing_facts leaves out evaluations, placements, POPs…: the amounts stay the same.

    The statement reads the same facts as plain values (no model instances): the same start,
    AO, suspensions and stop as ``financing_facts``, and the client's full name.
    """
    loaded = {
        item.trajectory_id: item
        for item in financing._art60_of(ocmw_a, D(2024, 1, 1), D(2026, 12, 31), set())
    }
    trajectories = with_clock(Trajectory.objects.filter(organisation=ocmw_a))
    assert set(loaded) == {t.pk for t in trajectories}
    for trajectory in trajectories:
        ruleset = ruleset_on(trajectory.start)
        full = monthly_financing(snapshot(trajectory), TODAY, ruleset)
        assert full, trajectory
        facts = financing.financing_facts(trajectory)
        assert monthly_financing(facts, TODAY, ruleset) == full
        assert loaded[trajectory.pk].facts == facts
        assert loaded[trajectory.pk].client_name == trajectory.client.full_name
    assert loaded[varied["suspended"].pk].facts.suspensions  # the suspensions are read too


@pytest.fixture
def varied(owner: Any) -> dict[str, Trajectory]:
    """Deel 3 from month 25 (R-FIN-3), a suspension (R-FIN-1) and no AO at all."""
    deel3 = art60(owner, D(2024, 1, 10), first_name="Gert", last_name="Goossens")
    register_ao(deel3, owner, D(2024, 1, 15))
    contract = fresh(deel3).contract
    assert contract is not None
    contract_end(
        contract, end=D(2026, 3, 15), reason="end", expected_version=contract.version, by=owner
    )
    suspended = art60(owner, D(2025, 9, 1), first_name="Hilde", last_name="Hermans")
    register_ao(suspended, owner, D(2025, 10, 1))
    suspension_start(
        fresh(suspended),
        start=D(2026, 2, 1),
        end=D(2026, 4, 15),
        reason="Ziekte",
        expected_version=fresh(suspended).version,
        by=owner,
    )
    none = art60(owner, D(2026, 2, 1), first_name="Ivo", last_name="Janssens")
    return {"deel3": deel3, "suspended": suspended, "none": none}


@pytest.mark.parametrize("quarter", [Quarter(2025, 4), Q1, Q2, Q3, Quarter(2026, 4)])
def test_each_block_equals_the_rules_cores_statement_from_every_month_and_the_full_facts(
    ocmw_a: Any, quarter_q1: dict[str, Trajectory], varied: dict[str, Trajectory], quarter: Any
) -> None:
    """The statement computes only its quarters' months: the lines and amounts stay exact."""
    expected = {}
    for trajectory in with_clock(Trajectory.objects.filter(organisation=ocmw_a)):
        ruleset = ruleset_on(trajectory.start)
        lines = monthly_financing(snapshot(trajectory), TODAY, ruleset)  # every month
        core = quarterly_statement(lines, quarter)
        if core.lines:
            expected[trajectory.pk] = (
                [(line.month_end, line.month, line.effort_status) for line in core.lines],
                Amounts(
                    core.effort_fees, core.deel3, core.compensation_part1, core.compensation_part2
                ),
            )
    statement = financing.statement_draft(ocmw_a, quarter, today=TODAY)
    found = {
        block.trajectory_id: (
            [(line.month_end, line.month, line.status) for line in block.lines],
            block.subtotal,
        )
        for block in statement.trajectories
    }
    assert found == expected
    assert statement.totals == total_of(amounts for _lines, amounts in expected.values())


def test_deel_3_replaces_the_fee_from_month_25_in_the_statement(
    ocmw_a: Any, varied: dict[str, Trajectory]
) -> None:
    """R-FIN-3: Gert's months 25 and 26 (January, February 2026) are deel 3; part 2 in Q1."""
    statement = financing.statement_draft(ocmw_a, Q1, today=TODAY)
    block = next(b for b in statement.trajectories if b.client_name == "Gert Goossens")
    in_quarter = [line for line in block.lines if not line.part2_only]
    assert [(line.month, line.status) for line in in_quarter] == [
        (25, "replaced_by_deel3"),
        (26, "replaced_by_deel3"),
    ]
    assert len(block.lines) == 26  # every month with the AO: part 2 is booked in Q1 (R-FIN-2)
    assert block.subtotal == Amounts(0, Decimal(500), Decimal(300), 26 * Decimal(45))


def test_a_quarter_is_issued_once_and_only_once_it_has_ended(ocmw_a: Any, lead: Any) -> None:
    financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=lead)
    with pytest.raises(DomainError, match="not issued again"):
        financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=lead)
    with pytest.raises(DomainError, match="has not ended yet"):
        financing.statement_issue(
            organisation=ocmw_a, quarter=Quarter(2026, 4), today=TODAY, by=lead
        )
    assert IssuedStatement.objects.count() == 1


def test_only_a_team_lead_issues(ocmw_a: Any, functional_admin: Any, owner: Any) -> None:
    for user in (functional_admin, owner):
        with pytest.raises(DomainError, match="Only a team lead"):
            financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=user)


# --- The spreadsheet ----------------------------------------------------------------------


def test_the_spreadsheet_has_the_lines_the_corrections_and_the_totals_in_euro(
    ocmw_a: Any, owner: Any, lead: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=lead)
    register_ao(quarter_q1["t1"], owner, D(2026, 2, 10))
    q2 = financing.statement_draft(ocmw_a, Q2, today=TODAY)
    book = load_workbook(io.BytesIO(financing_xlsx.statement_export(q2, by=lead)))
    lines, corrections, totals = book.worksheets
    rows = list(lines.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6  # T1 and T2, 3 month ends each in Q2 (T3 ended in Q1)
    assert {r[1] for r in rows} == {"Ann Aerts", "Bart Bosmans"}
    assert lines.cell(row=2, column=8).number_format == financing_xlsx.EURO_FORMAT
    fixes = list(corrections.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3].date(), r[9]) for r in fixes] == [
        ("2026-Q1", D(2026, 1, 31), -400),
        ("2026-Q1", D(2026, 2, 28), -250),
        ("2026-Q1", D(2026, 3, 31), -250),
    ]
    labels = {row[0]: row[1] for row in totals.iter_rows(values_only=True)}
    assert labels["Compensation part 1 (R-FIN-2)"] == 900
    assert labels["Corrections of earlier quarters"] == -900
    assert labels["Total to claim"] == 0
    assert AuditEvent.objects.filter(action="reports.financing_statement.exported").exists()


# --- Pages --------------------------------------------------------------------------------


def statement_url(organisation: Any, quarter: str = "2026-Q1") -> str:
    url = reverse("monitoring:financing-statement")
    return f"{url}?organisation={organisation.pk}&quarter={quarter}"


def test_the_team_lead_sees_the_statement_and_its_read_is_audited(
    client: HttpClient, ocmw_a: Any, lead: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    client.force_login(lead)
    response = client.get(statement_url(ocmw_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="statement-trajectory"') == 3
    assert "Dirk Mol" not in html  # OCMW Mol's trajectory
    assert "€\u00a02,185.00" in html
    assert 'data-testid="issue-statement"' in html
    event = AuditEvent.objects.get(action="reports.financing_statement.viewed")
    assert event.actor == lead
    assert event.changes["quarter"] == "2026-Q1"


def test_the_team_lead_issues_from_the_page(
    client: HttpClient, ocmw_a: Any, lead: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    client.force_login(lead)
    url = reverse("monitoring:financing-issue")
    response = client.post(url, {"organisation": ocmw_a.pk, "quarter": "2026-Q1"}, follow=True)
    assert 'data-testid="issued"' in response.content.decode()
    response = client.post(url, {"organisation": ocmw_a.pk, "quarter": "2026-Q1"}, follow=True)
    assert "not issued again" in response.content.decode()
    assert IssuedStatement.objects.count() == 1


def test_a_garbled_quarter_is_a_field_message_not_a_500(
    client: HttpClient, ocmw_a: Any, lead: Any
) -> None:
    client.force_login(lead)
    response = client.get(statement_url(ocmw_a, "2026-Q9"))
    assert response.status_code == 200
    assert 'data-testid="quarter-error"' in response.content.decode()
    response = client.post(
        reverse("monitoring:financing-issue"), {"organisation": ocmw_a.pk, "quarter": "x"}
    )
    assert response.status_code == 302
    assert client.get(statement_url(ocmw_a, "garbage")).status_code == 200


@pytest.mark.parametrize("who", ["owner", "privacy_officer", "functional_admin", "outsider"])
def test_coaches_privacy_officers_admins_and_outsiders_get_404(
    client: HttpClient, request: pytest.FixtureRequest, ocmw_a: Any, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))
    for url in (
        statement_url(ocmw_a),
        f"{reverse('monitoring:financing-xlsx')}?organisation={ocmw_a.pk}&quarter=2026-Q1",
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("monitoring:financing-issue"), {"organisation": ocmw_a.pk, "quarter": "2026-Q1"}
    )
    assert response.status_code == 404


def test_a_team_lead_of_another_ocmw_gets_404_for_ours(
    client: HttpClient, ocmw_a: Any, ocmw_b: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    other_lead = member(ocmw_b, Role.TEAM_LEAD, email="lead@mol.test")
    client.force_login(other_lead)
    assert client.get(statement_url(ocmw_a)).status_code == 404
    url = f"{reverse('monitoring:financing-xlsx')}?organisation={ocmw_a.pk}&quarter=2026-Q1"
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("monitoring:financing-issue"), {"organisation": ocmw_a.pk, "quarter": "2026-Q1"}
    )
    assert response.status_code == 404
    # Their own statement lists only OCMW Mol's trajectory.
    html = client.get(statement_url(ocmw_b)).content.decode()
    assert "Dirk Mol" in html
    assert "Ann Aerts" not in html


def test_the_statement_download_is_a_spreadsheet(
    client: HttpClient, ocmw_a: Any, lead: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    client.force_login(lead)
    url = f"{reverse('monitoring:financing-xlsx')}?organisation={ocmw_a.pk}&quarter=2026-Q1"
    response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0].max_row == 1 + 3 + 3 + 3  # header; T1, T2: 3 months; T3: 1 + 2


def count_queries(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def grow(owner: Any, count: int) -> None:
    while Trajectory.objects.filter(organisation=owner.primary_organisation).count() < count:
        n = Trajectory.objects.count()
        trajectory = art60(owner, D(2025, 12, 1) + datetime.timedelta(days=n))
        register_ao(trajectory, owner, D(2026, 1, 15))


def test_the_statement_runs_the_same_queries_for_2_and_8_trajectories(
    client: HttpClient, ocmw_a: Any, owner: Any, lead: Any
) -> None:
    client.force_login(lead)
    grow(owner, 2)
    financing.statement_issue(organisation=ocmw_a, quarter=Q1, today=TODAY, by=lead)
    small = count_queries(client, statement_url(ocmw_a, "2026-Q2"))
    grow(owner, 8)
    html = client.get(statement_url(ocmw_a, "2026-Q2")).content.decode()
    assert html.count('data-testid="statement-trajectory"') == 8
    assert count_queries(client, statement_url(ocmw_a, "2026-Q2")) == small
    # The issued quarter too (names read in one query).
    small = count_queries(client, statement_url(ocmw_a, "2026-Q1"))
    assert small == count_queries(client, statement_url(ocmw_a, "2026-Q1"))


def test_the_statement_page_shows_the_trajectories_page_by_page_with_the_totals_of_all(
    client: HttpClient, ocmw_a: Any, owner: Any, lead: Any, settings: Any
) -> None:
    settings.DOORSTROOM_PAGE_SIZE = 3
    grow(owner, 5)
    client.force_login(lead)
    whole = financing.statement_draft(ocmw_a, Q2, today=TODAY)
    assert len(whole.trajectories) == 5
    first = client.get(statement_url(ocmw_a, "2026-Q2")).content.decode()
    second = client.get(statement_url(ocmw_a, "2026-Q2") + "&page=2").content.decode()
    assert first.count('data-testid="statement-trajectory"') == 3
    assert second.count('data-testid="statement-trajectory"') == 2
    total = f'data-testid="total">{euro(whole.total)}<'
    assert total in first  # R-FIN-4: the totals are the whole statement's, on every page
    assert total in second
    assert "page=2" in first
    junk = client.get(statement_url(ocmw_a, "2026-Q2") + "&page=%C2%B2")
    assert junk.status_code == 200  # a garbled page number shows the first page


# --- A trajectory's financing on its dossier ----------------------------------------------


def test_the_financing_tab_shows_the_trajectorys_financing_and_links_its_months(
    client: HttpClient, owner: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    owner.language = "en"
    owner.save(update_fields=["language"])
    t3 = quarter_q1["t3"]
    client.force_login(owner)
    html = client.get(dossier_url(t3.client_id, Tab.FINANCING)).content.decode()
    assert 'data-testid="dossier-financing"' in html
    # T3: fees 4 × €250 (31/10 – 31/1) = 1,000; part 1 3 × €150 = 450; part 2 3 × €45 = 135.
    assert "€\u00a01,585.00" in html
    assert "booked in 2026-Q1" in html
    url = reverse("monitoring:trajectory-financing", args=[t3.pk])
    assert url in html
    page = client.get(url).content.decode()
    assert page.count('data-testid="financing-line"') == 4
    assert "€\u00a01,585.00" in page
    assert AuditEvent.objects.filter(
        action="reports.trajectory_financing.viewed", target_id=str(t3.pk)
    ).exists()


def test_the_months_page_is_404_outside_the_scope(
    client: HttpClient, outsider: Any, quarter_q1: dict[str, Trajectory]
) -> None:
    client.force_login(outsider)
    url = reverse("monitoring:trajectory-financing", args=[quarter_q1["t1"].pk])
    assert client.get(url).status_code == 404
    own = reverse("monitoring:trajectory-financing", args=[quarter_q1["elsewhere"].pk])
    assert client.get(own).status_code == 200


def test_the_financing_tab_still_runs_the_same_queries_with_its_financing_panel(
    client: HttpClient, owner: Any
) -> None:
    trajectory = art60(owner, D(2025, 6, 1))
    client.force_login(owner)
    url = dossier_url(trajectory.client_id, Tab.FINANCING)
    before = count_queries(client, url)
    register_ao(trajectory, owner, D(2025, 7, 1))
    assert 'data-testid="dossier-financing"' in client.get(url).content.decode()
    assert count_queries(client, url) == before


# The trajectory blocks of statement.html as its loop wrote them before statement_blocks.
BLOCKS_AS_A_LOOP = (
    (Path(__file__).parent / "financing_blocks_loop.html").read_text("utf-8").removesuffix("\n")
)


@pytest.mark.parametrize("language", ["nl-be", "en"])
def test_the_blocks_are_written_as_the_template_loop_wrote_them(language: str) -> None:
    """statement_blocks (issue 11): the same markup, byte for byte, with every value escaped."""
    money = Amounts(Decimal("250.00"), Decimal(0), Decimal("150.00"), Decimal("1234.5"))
    lines = (
        financing.MonthLine(D(2026, 10, 31), 4, "paid", money, False),
        financing.MonthLine(D(2026, 11, 30), 5, "awaiting_ao", Amounts(), False),
        financing.MonthLine(
            D(2026, 8, 31), 2, "paid", Amounts(compensation_part2=Decimal("45.00")), True
        ),
        financing.MonthLine(D(2026, 12, 31), 6, "capped", Amounts(Decimal("-5")), False),
    )
    blocks = [
        financing.TrajectoryLines(7, "Zoë O'Brien & <b>Co</b>", D(2026, 7, 4), D(2026, 7, 26),
                                  True, lines),
        financing.TrajectoryLines(8, "Ann Aerts", D(2025, 1, 31), D(2025, 6, 1), False, lines[:1]),
        financing.TrajectoryLines(9, "Bart Bos", D(2026, 9, 1), None, None, ()),
    ]  # fmt: skip
    with translation.override(language):
        looped = Template(BLOCKS_AS_A_LOOP).render(Context({"page": blocks}))
        assert "\n  " * 4 + statement_blocks(blocks) == looped  # the lines of load and labels
    assert "Zoë O&#x27;Brien &amp; &lt;b&gt;Co&lt;/b&gt;" in looped
    assert statement_blocks([]) == ""
