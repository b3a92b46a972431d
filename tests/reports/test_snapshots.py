"""The month-end snapshot (R-FIN-4): one row per trajectory per month end, idempotent.

The hand-built trajectory ("Cas Claes") starts 15/10/2025 in orientation, moves to work
experience on 20/11/2025, has its AO from 1/11/2025 (in time: deadline 14/12/2025, R-TRJ-2)
to 15/2/2026 and stops on 15/2/2026.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doorstroom.core.errors import DomainError
from doorstroom.core.models import AuditEvent
from doorstroom.reports.models import MonthEndSnapshot
from doorstroom.reports.snapshots import last_month_end, snapshots_take
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.services import phase_change, suspension_start
from tests.dossiers import fresh
from tests.reports.financing_builders import art60, register_ao, stop_with_ao

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 22)


@pytest.fixture
def claes(owner: Any) -> Trajectory:
    trajectory = art60(owner, D(2025, 10, 15), first_name="Cas", last_name="Claes")
    register_ao(trajectory, owner, D(2025, 11, 1))
    phase_change(
        fresh(trajectory),
        phase="experience",
        on=D(2025, 11, 20),
        decision="continue",
        decided_by="An Peeters",
        expected_version=fresh(trajectory).version,
        by=owner,
    )
    stop_with_ao(trajectory, owner, D(2026, 2, 15))
    return trajectory


def row(trajectory: Trajectory, day: datetime.date) -> MonthEndSnapshot:
    return MonthEndSnapshot.objects.get(trajectory=trajectory, month_end=day)


def test_a_month_end_row_holds_the_state_and_the_amounts_of_that_day(claes: Trajectory) -> None:
    for month in (D(2025, 10, 1), D(2025, 11, 1), D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)):
        snapshots_take(month=month, today=TODAY)
    october = row(claes, D(2025, 10, 31))
    # R-FIN-3: month 1; in orientation; no AO yet on 31/10, but it can still start in time.
    assert (october.month, october.phase, october.status) == (1, "orientation", "running")
    assert october.ao_running is False
    assert october.ao_in_time is None
    assert october.effort_status == "awaiting_ao"
    assert october.effort_fee == 0
    november = row(claes, D(2025, 11, 30))
    assert (november.month, november.phase, november.status) == (2, "experience", "running")
    assert november.ao_in_time is True
    # As known on 30/11: the AO started in time, so months 1 and 2 are paid (R-FIN-1);
    # the AO runs: part 1 €150 and part 2 €45 (R-FIN-2).
    assert november.effort_status == "paid"
    assert (november.effort_fee, november.compensation_part1) == (Decimal(250), Decimal(150))
    assert november.compensation_part2 == Decimal(45)
    assert november.deel3 == 0
    january = row(claes, D(2026, 1, 31))
    assert (january.month, january.guided, january.ao_running) == (4, True, True)
    # 28/2: stopped on 15/2 — a row, no longer guided, nothing due.
    february = row(claes, D(2026, 2, 28))
    assert (february.status, february.guided, february.ao_running) == ("stopped", False, False)
    assert february.effort_fee == february.compensation_part1 == 0
    # 31/3: stopped before March began, so no row at all.
    assert not MonthEndSnapshot.objects.filter(trajectory=claes, month_end=D(2026, 3, 31))


def test_a_suspended_trajectory_is_suspended_and_still_guided(owner: Any) -> None:
    trajectory = art60(owner, D(2025, 12, 10))
    register_ao(trajectory, owner, D(2026, 1, 5))
    suspension_start(
        fresh(trajectory),
        start=D(2026, 3, 20),
        end=D(2026, 4, 10),
        reason="Ziekte",
        expected_version=fresh(trajectory).version,
        by=owner,
    )
    snapshots_take(month=D(2026, 3, 1), today=TODAY)
    march = row(trajectory, D(2026, 3, 31))
    # R-FIN-1: a suspension does not stop guidance: the fee is still due.
    assert (march.status, march.suspended, march.guided) == ("suspended", True, True)
    assert march.effort_fee == Decimal(250)


def test_an_ao_after_the_deadline_is_recorded_not_in_time(owner: Any) -> None:
    late = art60(owner, D(2025, 11, 3))
    register_ao(late, owner, D(2026, 1, 20))  # deadline 2/1/2026 (R-TRJ-2)
    snapshots_take(month=D(2026, 1, 1), today=TODAY)
    january = row(late, D(2026, 1, 31))
    assert january.ao_in_time is False
    assert january.effort_status == "ao_not_in_time"
    assert january.effort_fee == 0
    assert january.compensation_part1 == Decimal(150)


def test_taking_a_month_again_replaces_its_rows(owner: Any, claes: Trajectory) -> None:
    other = art60(owner, D(2025, 12, 1))
    assert snapshots_take(month=D(2026, 1, 1), today=TODAY) == 2
    first_ids = set(MonthEndSnapshot.objects.values_list("pk", flat=True))
    register_ao(other, owner, D(2026, 1, 10))  # a correction in a dossier, then a re-run
    assert snapshots_take(month=D(2026, 1, 15), today=TODAY) == 2
    rows = MonthEndSnapshot.objects.filter(month_end=D(2026, 1, 31))
    assert rows.count() == 2
    assert first_ids.isdisjoint(rows.values_list("pk", flat=True))
    assert row(other, D(2026, 1, 31)).ao_running is True
    last = AuditEvent.objects.filter(action="reports.snapshot.taken").latest("pk")
    assert last.changes == {"month_end": "2026-01-31", "trajectories": 2, "replaced": 2}


def test_the_command_takes_a_range_and_is_idempotent(claes: Trajectory) -> None:
    call_command("take_month_end_snapshot", "--since", "2025-10", "--month", "2026-02")
    assert MonthEndSnapshot.objects.filter(trajectory=claes).count() == 5  # Oct – Feb
    call_command("take_month_end_snapshot", "--since", "2025-10", "--month", "2026-02")
    assert MonthEndSnapshot.objects.filter(trajectory=claes).count() == 5


def test_a_future_month_is_refused_with_a_clear_error(claes: Trajectory) -> None:
    with pytest.raises(CommandError, match="has not ended yet"):
        call_command("take_month_end_snapshot", "--month", "2099-01")
    with pytest.raises(DomainError, match="has not ended yet"):
        snapshots_take(month=D(2026, 11, 1), today=TODAY)
    assert not MonthEndSnapshot.objects.exists()


@pytest.mark.parametrize(
    "args",
    [["--month", "2026-1"], ["--month", "januari"], ["--since", "2026-05", "--month", "2026-03"]],
)
def test_a_garbled_month_is_a_clear_command_error(args: list[str]) -> None:
    with pytest.raises(CommandError, match=r"--month must look like|--since must not be after"):
        call_command("take_month_end_snapshot", *args)


def test_the_last_month_end() -> None:
    assert last_month_end(D(2026, 11, 22)) == D(2026, 10, 31)
    assert last_month_end(D(2026, 11, 30)) == D(2026, 11, 30)


def count_queries(month: datetime.date) -> int:
    with CaptureQueriesContext(connection) as captured:
        snapshots_take(month=month, today=TODAY)
    return len(captured)


def test_the_queries_do_not_grow_with_the_number_of_trajectories(owner: Any) -> None:
    def grow(count: int) -> None:
        while Trajectory.objects.count() < count:
            trajectory = art60(
                owner, D(2025, 11, 1) + datetime.timedelta(days=Trajectory.objects.count())
            )
            register_ao(trajectory, owner, D(2025, 12, 15))

    grow(2)
    snapshots_take(month=D(2026, 1, 1), today=TODAY)  # both measured runs replace rows
    small = count_queries(D(2026, 1, 1))
    grow(9)
    assert MonthEndSnapshot.objects.filter(month_end=D(2026, 1, 31)).count() == 2
    assert count_queries(D(2026, 1, 1)) == small
    assert MonthEndSnapshot.objects.filter(month_end=D(2026, 1, 31)).count() == 9
