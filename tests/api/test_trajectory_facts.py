"""The API's trajectory list reads its rows' clock facts in bulk (issue 11): ``page_facts`` must
give exactly what ``snapshot`` gives from the prefetched children, so a list row and the
trajectory's detail (still built from ``snapshot``) never differ."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doorstroom.clients.models import Consent
from doorstroom.employers.models import PlacementFollowUp
from doorstroom.evaluations.models import Evaluation, EvaluationStatus
from doorstroom.reports.models import (
    AftercareContact,
    AftercareKind,
    EndReport,
    EndReportStatus,
    OutflowFollowUp,
)
from doorstroom.trajectories.deadlines import expiring_consents, snapshot
from doorstroom.trajectories.facts import page_facts
from doorstroom.trajectories.models import PhaseExtension, Suspension, Trajectory
from doorstroom.trajectories.selectors import with_clock
from tests.api.test_dossiers import Api, url
from tests.dossiers import days_ago, make_trajectory
from tests.world import build_dossier

pytestmark = pytest.mark.django_db


def enrich(dossier: dict[str, Any], coach: Any) -> Trajectory:
    """Add to a dossier every fact the clock reads that ``build_dossier`` leaves out."""
    trajectory: Trajectory = dossier["trajectory"]
    PhaseExtension.objects.create(
        phase=dossier["phase"], until=days_ago(10), motivation="Meer tijd nodig", by=coach
    )
    for n in (60, 30):
        PlacementFollowUp.objects.create(
            placement=dossier["placement"], on=days_ago(n), by=coach, notes="Opvolging"
        )
    Evaluation.objects.filter(pk=dossier["evaluation"].pk).update(
        status=EvaluationStatus.COMPLETED, held_on=days_ago(20)
    )
    EndReport.objects.filter(pk=dossier["end_report"].pk).update(
        status=EndReportStatus.FINAL, finalised_on=days_ago(0)
    )
    OutflowFollowUp.objects.create(
        trajectory=trajectory, months=3, measured_on=days_ago(0), at_work=True, recorded_by=coach
    )
    for held in (days_ago(5), days_ago(3), None):
        AftercareContact.objects.create(
            trajectory=trajectory,
            kind=AftercareKind.JOB_COACHING,
            planned_on=days_ago(6),
            held_on=held,
            created_by=coach,
        )
    client, organisation = trajectory.client, trajectory.organisation
    for until, withdrawn_on in ((days_ago(-40), None), (days_ago(-50), days_ago(1)), (None, None)):
        Consent.objects.create(
            client=client,
            organisation=organisation,
            scope="Evaluaties",
            given_on=days_ago(100),
            until=until,
            withdrawn_on=withdrawn_on,
            recorded_by=coach,
        )
    return trajectory


def test_page_facts_are_the_snapshots_of_the_prefetched_trajectories(owner: Any) -> None:
    rich = enrich(build_dossier(owner), owner)
    plain = make_trajectory(owner, start=days_ago(40))
    ids = [rich.pk, plain.pk]
    facts = page_facts(ids)
    for trajectory in with_clock(Trajectory.objects.filter(pk__in=ids)):
        assert facts.snapshots[trajectory.pk] == snapshot(trajectory)
        assert facts.consents[trajectory.pk] == tuple(expiring_consents(trajectory))
    # every kind of fact was there to compare
    full = facts.snapshots[rich.pk]
    present = {
        "ao": full.ao,
        "outflow": full.outflow,
        "end_report_on": full.end_report_on,
        "suspensions": full.suspensions,
        "evaluations": full.evaluations,
        "pop_versions": full.pop_versions,
        "followups_recorded": full.followups_recorded,
        "phase extensions": full.phases[0].extensions,
        "placement follow-ups": full.placements[0].followups,
    }
    assert [name for name, value in present.items() if not value] == []
    assert full.aftercare_until == days_ago(3)  # the last contact held
    assert [until for _id, until in facts.consents[rich.pk]] == [days_ago(-40)]  # R-PRV-5


def test_page_facts_make_as_many_queries_for_three_trajectories_as_for_one(owner: Any) -> None:
    ids = [build_dossier(owner)["trajectory"].pk for _ in range(3)]
    counted = []
    for page in (ids[:1], ids):
        with CaptureQueriesContext(connection) as captured:
            page_facts(page)
        counted.append(len(captured.captured_queries))
    assert counted[0] == counted[1]


def test_several_facts_of_a_kind_keep_the_clocks_order(owner: Any) -> None:
    """Each kind of fact in its prefetch's order, for every trajectory of the page."""
    rich = enrich(build_dossier(owner), owner)
    other = make_trajectory(owner, start=days_ago(300))
    for trajectory in (rich, other):
        for start, end in ((days_ago(40), days_ago(35)), (days_ago(90), days_ago(80))):
            Suspension.objects.create(
                trajectory=trajectory, start=start, end=end, reason="Ziekte", by=owner
            )
        for months in (12, 6):
            OutflowFollowUp.objects.create(
                trajectory=trajectory,
                months=months,
                measured_on=days_ago(0),
                at_work=False,
                recorded_by=owner,
            )
    ids = [rich.pk, other.pk]
    facts = page_facts(ids)
    for trajectory in with_clock(Trajectory.objects.filter(pk__in=ids)):
        assert facts.snapshots[trajectory.pk] == snapshot(trajectory)
    starts = [s.start for s in facts.snapshots[other.pk].suspensions]
    assert starts == [days_ago(90), days_ago(40)]
    assert facts.snapshots[rich.pk].followups_recorded == (3, 6, 12)


def test_page_facts_leave_out_an_id_that_does_not_exist(owner: Any) -> None:
    facts = page_facts([10**9])
    assert facts.snapshots == {}
    assert facts.consents == {}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_list_row_is_the_trajectorys_detail(owner: Any, language: str) -> None:
    rich = enrich(build_dossier(owner), owner)
    plain = make_trajectory(owner, start=days_ago(40))
    api = Api(owner, language)
    listed = api.get(url("trajectory-list"), page_size=200)
    assert listed.status_code == 200
    rows = {row["id"]: row for row in listed.json()["results"]}
    assert set(rows) == {rich.pk, plain.pk}
    for pk, row in rows.items():
        assert row == api.get(url("trajectory-detail", pk)).json()
    assert rows[rich.pk]["deadlines"], "the rich dossier has deadlines to compare"


def test_the_list_pages_in_the_order_of_the_start(owner: Any) -> None:
    made = [make_trajectory(owner, start=days_ago(n)) for n in (30, 10, 20)]
    api = Api(owner)
    first = api.get(url("trajectory-list"), page_size=2).json()
    second = api.get(url("trajectory-list"), page_size=2, page=2).json()
    assert first["count"] == 3
    assert [row["id"] for row in first["results"] + second["results"]] == [
        made[1].pk,
        made[2].pk,
        made[0].pk,
    ]
    assert api.get(url("trajectory-list"), page_size=2, page=3).status_code == 404


def test_the_deadlines_list_is_the_deadlines_of_the_trajectories(owner: Any) -> None:
    rich = enrich(build_dossier(owner), owner)
    make_trajectory(owner, start=days_ago(40))
    api = Api(owner, "en")
    trajectories = api.get(url("trajectory-list"), page_size=200).json()["results"]
    expected = sorted(
        (
            {**deadline, "trajectory": row["id"]}
            for row in trajectories
            for deadline in row["deadlines"]
        ),
        key=lambda d: (d["due_date"], d["code"], d["trajectory"]),
    )
    listed = api.get(url("deadline-list"), page_size=200).json()
    assert listed["count"] == len(expected)
    assert listed["results"] == expected
    code = expected[0]["code"]
    only = api.get(url("deadline-list"), code=code, trajectory=rich.pk).json()["results"]
    assert only == [d for d in expected if d["code"] == code and d["trajectory"] == rich.pk]
