"""A draft recomputes only what may have changed since the last issue (R-FIN-4, issue #11).

Issuing a statement makes "issued so far" equal what is due that day, for every trajectory
the draft computed (``financing_ledger.Settled``). A later draft compares a trajectory with
the ledger only when a fact the rules read changed, the day passed one on which its amounts
may change by themselves (``rules.financing.next_as_of_change``), or the rules changed. Here
each fact is changed after issuing, on its own trajectory: the correction appears, equal to
the plain computation (test_financing_issued.py), and only the changed trajectories are
compared.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from doorstroom.accounts.roles import Role
from doorstroom.reports import financing
from doorstroom.reports.financing_ledger import Ledger, Settled
from doorstroom.reports.models import IssuedStatement
from doorstroom.rules import clock
from doorstroom.rules.financing import Quarter
from doorstroom.trajectories.models import EmploymentContract, Suspension, Trajectory
from doorstroom.trajectories.services import suspension_start
from tests.dossiers import fresh
from tests.factories import member
from tests.reports.financing_builders import art60, register_ao, stop_with_ao
from tests.reports.test_financing_issued import assert_same

pytestmark = pytest.mark.django_db

D = datetime.date
Q3, Q4, Q1 = Quarter(2025, 3), Quarter(2025, 4), Quarter(2026, 1)
LATER = D(2026, 2, 15)  # a day of 2026-Q1 on which no one's amounts change by themselves


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def lead(ocmw_a: Any) -> Any:
    return member(ocmw_a, Role.TEAM_LEAD, email="lead@geel.test", language="en")


# Each change of a fact the rules read, on a trajectory of its own: (name, start, AO start).
CHANGES: dict[str, Callable[[Trajectory, Any], None]] = {
    # R-TRJ-2: the AO moved after the deadline: the fees of the issued months go.
    "AoStart": lambda t, by: register_ao(t, by, D(2025, 9, 25)),
    # R-FIN-2: the AO ended early: no part 1 for the months after.
    "AoEnd": lambda t, by: EmploymentContract.objects.filter(trajectory=t).update(
        end=D(2025, 10, 15)
    ),
    "AoGone": lambda t, by: EmploymentContract.objects.filter(trajectory=t).delete(),
    # R-FIN-1: an AO registered late, started in time: the fees come back.
    "AoLate": lambda t, by: register_ao(t, by, D(2025, 9, 20)),
    # R-FIN-1, R-FIN-2: a stop recorded late with an earlier date.
    "Stopped": lambda t, by: stop_with_ao(t, by, D(2025, 11, 10)),
    "Start": lambda t, by: Trajectory.objects.filter(pk=t.pk).update(start=D(2025, 8, 5)),
    # No longer art60: out of the statement, as in the plain computation.
    "Kind": lambda t, by: Trajectory.objects.filter(pk=t.pk).update(kind="wz"),
    # R-FIN-1: a suspension does not change the amounts, but it is a fact: compared anyway.
    "Suspended": lambda t, by: suspension_start(
        fresh(t),
        start=D(2025, 11, 3),
        end=D(2025, 11, 20),
        reason="Ziekte",
        expected_version=fresh(t).version,
        by=by,
    ),
    "Reviewed": lambda t, by: Suspension.objects.filter(trajectory=t).update(
        reviewed_on=D(2026, 1, 20)
    ),
}
NO_AMOUNT_CHANGE = {"Kind", "Suspended", "Reviewed"}


@pytest.fixture
def people(owner: Any) -> dict[str, Trajectory]:
    found = {}
    for name in ["Stays", *CHANGES]:
        ao = None if name == "AoLate" else D(2025, 7, 1)
        found[name] = trajectory = art60(owner, D(2025, 6, 10), first_name=name, last_name="Test")
        if ao is not None:
            register_ao(trajectory, owner, ao)
    # Settled and not compared: ended before 2026-Q1 (no line in it), or with part 2 in it.
    found["Ended"] = art60(owner, D(2024, 9, 2), first_name="Ended", last_name="Test")
    register_ao(found["Ended"], owner, D(2024, 9, 10))
    stop_with_ao(found["Ended"], owner, D(2025, 8, 20))
    found["PartTwo"] = art60(owner, D(2024, 1, 5), first_name="PartTwo", last_name="Test")
    register_ao(found["PartTwo"], owner, D(2024, 1, 10))  # runs on: 2026-01-04 the last day
    suspension_start(
        fresh(found["Reviewed"]), start=D(2025, 8, 1), end=D(2025, 8, 20), reason="Ziekte",
        expected_version=fresh(found["Reviewed"]).version, by=owner,
    )  # fmt: skip
    return found


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The trajectories a draft compares with what was issued (not settled)."""
    found: list[int] = []
    plain = financing._issued_of

    def counting(ledger: Ledger, trajectory: int, scope: Any) -> Any:
        found.append(trajectory)
        return plain(ledger, trajectory, scope)

    monkeypatch.setattr(financing, "_issued_of", counting)
    return found


def issue(organisation: Any, lead: Any, quarter: Quarter, on: datetime.date) -> None:
    financing.statement_issue(organisation=organisation, quarter=quarter, today=on, by=lead)


def test_each_fact_changed_after_issuing_is_corrected(
    ocmw_a: Any, owner: Any, lead: Any, people: dict[str, Trajectory], compared: list[int]
) -> None:
    issue(ocmw_a, lead, Q3, D(2025, 10, 5))
    issue(ocmw_a, lead, Q4, D(2026, 1, 8))
    compared.clear()
    assert not assert_same(ocmw_a, Q1, LATER).corrections
    assert compared == []  # nothing changed: nothing compared
    for name, change in CHANGES.items():
        change(people[name], owner)
    compared.clear()
    draft = assert_same(ocmw_a, Q1, LATER)
    changed = {people[name].pk for name in CHANGES if name != "Kind"}
    assert set(compared) == changed
    corrected = {c.client_name.split()[0] for c in draft.corrections}
    assert corrected == set(CHANGES) - NO_AMOUNT_CHANGE
    by_name = {t.client_name.split()[0]: t for t in draft.trajectories}
    assert "Ended" not in by_name
    assert all(line.part2_only for line in by_name["PartTwo"].lines)
    # Issued with the corrections: settled again, nothing to compare until something changes.
    issue(ocmw_a, lead, Q1, D(2026, 4, 2))
    compared.clear()
    assert not assert_same(ocmw_a, Quarter(2026, 2), D(2026, 5, 1)).corrections
    assert compared == []


def test_an_ao_starting_after_the_issue_pays_the_issued_months_once_started(
    ocmw_a: Any, owner: Any, lead: Any, compared: list[int]
) -> None:
    """No fact changes: the day passes the AO start (R-FIN-1, R-TRJ-2: in time, now paid)."""
    late = art60(owner, D(2025, 11, 20), first_name="Lotte", last_name="Laat")
    register_ao(late, owner, D(2025, 12, 1))
    EmploymentContract.objects.filter(trajectory=late).update(start=D(2026, 1, 15))
    issue(ocmw_a, lead, Q4, D(2026, 1, 8))  # awaiting the AO: no fee for Nov and Dec yet
    compared.clear()
    assert not assert_same(ocmw_a, Q1, D(2026, 1, 14)).corrections
    assert compared == []
    draft = assert_same(ocmw_a, Q1, D(2026, 1, 15))
    assert compared == [late.pk]
    assert [(c.month_end, c.difference.effort_fee) for c in draft.corrections] == [
        (D(2025, 11, 30), 250),
        (D(2025, 12, 31), 250),
    ]


def test_what_is_settled_counts_only_for_the_quarters_days_and_rules_it_was_computed_for(
    ocmw_a: Any, owner: Any, lead: Any, people: dict[str, Trajectory], compared: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    issue(ocmw_a, lead, Q4, D(2026, 1, 8))
    issue(ocmw_a, lead, Q3, D(2026, 1, 9))  # issued late: it does not settle 2025-Q4
    settled = Ledger.from_json(IssuedStatement.objects.latest("issued_at", "pk").ledger).settled
    assert settled is not None
    assert settled.quarters == {financing.quarter_index(Q3)}
    register_ao(people["AoStart"], owner, D(2025, 9, 25))
    compared.clear()
    assert assert_same(ocmw_a, Q1, LATER).corrections
    assert len(compared) == len(people)  # every trajectory: 2025-Q4 is not settled
    compared.clear()
    assert_same(ocmw_a, Q4, D(2026, 1, 9))  # only 2025-Q3 corrected: settled
    assert compared == [people["AoStart"].pk]
    compared.clear()
    assert_same(ocmw_a, Q4, D(2026, 1, 8))  # a day before the issue: everything
    assert len(compared) == len(people)
    monkeypatch.setattr(financing, "_basis", lambda: "other rules")
    compared.clear()
    assert_same(ocmw_a, Q4, D(2026, 1, 9))
    assert len(compared) == len(people)


def test_the_facts_key_holds_every_fact_the_rules_read(owner: Any) -> None:
    trajectory = art60(owner, D(2025, 6, 10))
    register_ao(trajectory, owner, D(2025, 7, 1))
    suspension_start(
        fresh(trajectory), start=D(2025, 8, 1), end=D(2025, 8, 20), reason="Ziekte",
        expected_version=fresh(trajectory).version, by=owner,
    )  # fmt: skip
    facts = financing.financing_facts(fresh(trajectory))
    keyed = {"id", "kind", "start", "ao", "suspensions", "stopped_on"}
    for field in dataclasses.fields(clock.TrajectorySnapshot):  # the rest: left empty
        if field.name not in keyed:
            assert getattr(facts, field.name) == field.default or (
                getattr(facts, field.name) == field.default_factory()  # type: ignore[misc]  # the stubs type it as maybe MISSING
            ), field.name
    ao, suspension = facts.ao, facts.suspensions[0]
    assert ao is not None
    day = D(2025, 9, 9)
    others = [
        dataclasses.replace(facts, kind=clock.TrajectoryKind.WZ),
        dataclasses.replace(facts, start=day),
        dataclasses.replace(facts, stopped_on=day),
        dataclasses.replace(facts, ao=None),
        dataclasses.replace(facts, ao=dataclasses.replace(ao, start=day)),
        dataclasses.replace(facts, ao=dataclasses.replace(ao, end=day)),
        dataclasses.replace(facts, suspensions=()),
        dataclasses.replace(facts, suspensions=(suspension, suspension)),
        *(
            dataclasses.replace(facts, suspensions=(dataclasses.replace(suspension, **{f: v}),))
            for f, v in [("id", "0"), ("start", day), ("end", None), ("reviewed_on", day)]
        ),
    ]
    keys = [financing.facts_key(f) for f in [facts, *others]]
    assert len(set(keys)) == len(keys)
    loaded = financing._art60_of(trajectory.organisation, D(2025, 1, 1), D(2026, 1, 1), set())
    assert [item.key for item in loaded] == [keys[0]]


def test_a_settled_entry_is_read_only_as_written() -> None:
    settled = Settled(D(2026, 1, 8), frozenset(), "basis", {1: "k@739990@739000", 2: "k@739990"})
    assert settled.last_day(1, "k", D(2026, 1, 8).toordinal()) == 739000
    assert settled.last_day(1, "other", D(2026, 1, 8).toordinal()) is None
    assert settled.last_day(1, "k", 739990) is None  # the day its amounts may change
    assert settled.last_day(2, "k", D(2026, 1, 8).toordinal()) is None  # not as written
    assert settled.last_day(3, "k", D(2026, 1, 8).toordinal()) is None  # not computed
    assert Settled.from_json(settled.as_json()) == settled
