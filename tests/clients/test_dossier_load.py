"""The dossier page's one load (issue 11): the clock's facts, its queries, the members' access."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients import selectors
from doorstroom.clients import services as client_services
from doorstroom.clients.models import Client
from doorstroom.evaluations import services as evaluation_services
from doorstroom.evaluations.models import Evaluation
from doorstroom.reports.models import AftercareContact, Outflow, OutflowFollowUp
from doorstroom.trajectories.deadlines import deadlines_of, explain, snapshot
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import CLOCK_PREFETCH, with_clock
from doorstroom.trajectories.services import member_add
from tests.dossiers import days_ago, make_trajectory
from tests.evaluations.builders import all_scores, make_pop, place_with_mentor, plan_evaluation
from tests.factories import OrganisationFactory, member
from tests.plans.test_pop import main_table

pytestmark = pytest.mark.django_db

# The overview tab: session, user, memberships, the scoped client, the dossier's own reads
# (consents, job targets, trajectories, intakes, the current trajectory's clock — phases and
# their extensions, suspensions, placements and their follow-ups, evaluations, POP versions, end
# reports — its handovers and members, referrals) and the audit event; the responsible OCMW
# comes with the client. The outflow follow-ups and aftercare contacts only once they count
# (AFTER_END_FACTS): not for a running trajectory. The other tabs: test_dossier_tabs.py.
DOSSIER_QUERIES = 20
# What the overview reads only when a rule counts it (clock.counts_after_end_facts).
AFTER_END_FACTS = {"outflow_followups", "aftercare_contacts"}


def complete(evaluation: Evaluation, by: Any, level: int, held_on: datetime.date) -> None:
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    evaluation_services.evaluation_record(
        evaluation,
        coach_scores=all_scores(evaluation, level),
        self_scores={},
        held_on=held_on,
        conclusions="Stabiel.",
        next_steps="Meer zelfstandig werken.",
        complete=True,
        expected_version=evaluation.version,
        by=by,
    )


@pytest.fixture
def full(owner: Any) -> Trajectory:
    """A trajectory with a POP, a placement with its mentor, a completed evaluation, a consent
    and a journal entry: every section of the page has something to show."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    make_pop(trajectory, owner, on=days_ago(290))
    placement = place_with_mentor(trajectory, owner)
    evaluation = plan_evaluation(trajectory, owner, placement=placement, on=days_ago(100))
    complete(evaluation, owner, 2, days_ago(100))
    make_pop(trajectory, owner, on=days_ago(95))
    client_services.consent_record(
        trajectory.client,
        data={"organisation": owner.primary_organisation, "scope": "POP", "given_on": days_ago(5)},
        by=owner,
    )
    client_services.journal_add(
        trajectory.client,
        data={"on": days_ago(1), "kind": "conversation", "notes": "Gesprek"},
        by=owner,
    )
    return trajectory


def dossier_queries(http: HttpClient, trajectory: Trajectory) -> list[dict[str, str]]:
    with CaptureQueriesContext(connection) as queries:
        response = http.get(reverse("clients:detail", args=[trajectory.client_id]))
    assert response.status_code == 200
    return queries.captured_queries


@pytest.mark.parametrize(
    ("load", "later"),
    [(selectors.DOSSIER_CLOCK, set()), (selectors.DEADLINES_CLOCK, AFTER_END_FACTS)],
    ids=["financing", "overview"],
)
def test_the_dossier_loads_every_relation_the_clock_reads(
    load: tuple[Prefetch, ...], later: set[str]
) -> None:
    clock = {p.prefetch_through if isinstance(p, Prefetch) else p for p in CLOCK_PREFETCH}
    # The consents come with the client (the trajectories share its instance); the overview
    # reads the outflow follow-ups and aftercare only when they count (deadlines_reading_...).
    assert clock - {"client__consents"} - later == {p.prefetch_through for p in load} - later


def test_the_dossier_s_narrower_load_gives_the_clock_s_facts_and_deadlines(
    owner: Any, full: Trajectory
) -> None:
    dossier = selectors.dossier_for(Client.objects.get(pk=full.client_id), owner)
    loaded = with_clock(Trajectory.objects.filter(pk=full.pk)).get()
    assert dossier.current is not None
    assert snapshot(dossier.current) == snapshot(loaded)
    today = timezone.localdate()
    assert dossier.deadlines == [explain(d) for d in deadlines_of(loaded, today)]
    assert dossier.current.intake.assessed_on == loaded.intake.assessed_on


def _outflow_to_work(trajectory: Trajectory, by: Any, on: datetime.date) -> None:
    Outflow.objects.create(trajectory=trajectory, on=on, kind="nec_job", recorded_by=by)


@pytest.mark.parametrize("situation", ["running", "outflow to work, aftercare held", "stopped"])
def test_r_end_2_r_trj_10_the_overview_reads_follow_ups_and_aftercare_when_they_count(
    client: HttpClient, owner: Any, full: Trajectory, situation: str
) -> None:
    """Issue 11: the overview leaves out the outflow follow-ups and the aftercare contacts while
    no rule counts them, and gives the same deadlines as the whole clock in every case."""
    if situation == "outflow to work, aftercare held":
        # R-TRJ-10: aftercare held up to six months after the outflow ends its deadline.
        _outflow_to_work(full, owner, days_ago(200))
        AftercareContact.objects.create(
            trajectory=full,
            kind="job_coaching",
            planned_on=days_ago(2),
            held_on=days_ago(1),
            created_by=owner,
        )
    elif situation == "stopped":
        # R-END-2: the follow-up after 3 months is recorded; those after 6 and 12 are due.
        Trajectory.objects.filter(pk=full.pk).update(status="stopped", stopped_on=days_ago(120))
        OutflowFollowUp.objects.create(
            trajectory=full, months=3, measured_on=days_ago(20), at_work=True, recorded_by=owner
        )
    loaded = with_clock(Trajectory.objects.filter(pk=full.pk)).get()
    expected = [explain(d) for d in deadlines_of(loaded, timezone.localdate())]
    codes = {d.deadline.code.value for d in expected}
    if situation == "outflow to work, aftercare held":
        assert "aftercare_end" not in codes
    elif situation == "stopped":
        assert {"followup_6m", "followup_12m"} <= codes
        assert "followup_3m" not in codes

    dossier = selectors.dossier_for(Client.objects.get(pk=full.client_id), owner)
    assert dossier.deadlines == expected
    client.force_login(owner)
    tables = {main_table(q["sql"]) for q in dossier_queries(client, full)}
    after_end = {"reports_outflowfollowup", "reports_aftercarecontact"}
    assert after_end & tables == (set() if situation == "running" else after_end)


def test_the_dossier_runs_a_fixed_number_of_queries_and_reads_each_table_once(
    client: HttpClient, owner: Any, full: Trajectory
) -> None:
    client.force_login(owner)
    queries = dossier_queries(client, full)
    assert len(queries) <= DOSSIER_QUERIES
    tables = Counter(main_table(q["sql"]) for q in queries if q["sql"].startswith("SELECT"))
    repeated = {table: n for table, n in tables.items() if n > 1}
    # Every table once; the memberships may be read again by the scope (R-PRV-1).
    assert set(repeated) <= {"accounts_membership"}


def test_r_prv_5_members_access_is_asked_only_when_the_trajectory_has_members(
    client: HttpClient, owner: Any, full: Trajectory
) -> None:
    client.force_login(owner)
    without = dossier_queries(client, full)
    members = 'SELECT "trajectories_trajectorymember".'
    assert sum(q["sql"].startswith(members) for q in without) == 1
    vdab = OrganisationFactory(name="VDAB Geel", kind=OrganisationKind.VDAB)
    counsellor = member(vdab, Role.COUNSELLOR, email="vera.bemiddelaar@vdab.test")
    member_add(full, user=counsellor, role="coach", since=days_ago(30), by=owner)
    with_member = dossier_queries(client, full)
    assert sum(q["sql"].startswith(members) for q in with_member) == 2
    assert len(with_member) == len(without) + 1
    response = client.get(reverse("clients:detail", args=[full.client_id]))
    assert 'data-testid="member-without-consent"' in response.content.decode()
