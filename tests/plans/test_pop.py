"""The POP (R-TRJ-7): versions, the proposal after an evaluation, differences, deadlines, access."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doorstroom.clients import services as client_services
from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.core.errors import DomainError, StaleEditError
from doorstroom.core.models import AuditEvent
from doorstroom.evaluations import services as evaluation_services
from doorstroom.evaluations.models import Evaluation
from doorstroom.plans import selectors, services
from doorstroom.plans.models import Competence, PlanVersion
from doorstroom.rules.deadlines import DeadlineCode
from doorstroom.trajectories.deadlines import deadlines_of, explain
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.evaluations.builders import (
    CODES,
    all_scores,
    make_pop,
    place_with_mentor,
    plan_evaluation,
)

pytestmark = pytest.mark.django_db


def pop_deadlines(trajectory: Trajectory) -> list[Any]:
    loaded = with_clock(Trajectory.objects.filter(pk=trajectory.pk)).get()
    return [d for d in deadlines_of(loaded, timezone.localdate()) if d.code is DeadlineCode.POP_DUE]


def complete(evaluation: Evaluation, by: Any, level: int, held_on: datetime.date) -> Evaluation:
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    scores = all_scores(evaluation, level)
    return evaluation_services.evaluation_record(
        evaluation,
        coach_scores=scores,
        self_scores={},
        held_on=held_on,
        conclusions="Stabiel, klaar voor meer verantwoordelijkheid.",
        next_steps="Meer zelfstandig werken.",
        complete=True,
        expected_version=evaluation.version,
        by=by,
    )


def test_a_first_pop_is_due_within_a_month_of_the_start_and_satisfies_it(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(60))
    # R-TRJ-7: no POP version, start + 1 month → overdue.
    [due] = pop_deadlines(trajectory)
    assert due.severity.value == "overdue"
    make_pop(trajectory, owner, on=days_ago(40))
    assert pop_deadlines(trajectory) == []
    assert fresh(trajectory).next_due_code != "pop_due"  # the caseload column follows


def test_after_an_evaluation_a_new_version_is_due_within_30_days(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(200))
    make_pop(trajectory, owner, on=days_ago(190))
    evaluation = plan_evaluation(trajectory, owner, on=days_ago(10))
    complete(evaluation, owner, 2, days_ago(10))
    # R-TRJ-7: evaluation + 30 days, explained with the evaluation's date in Dutch.
    [due] = pop_deadlines(trajectory)
    assert due.due == days_ago(10) + datetime.timedelta(days=30)
    from django.utils import translation

    with translation.override("nl-be"):
        sentence = explain(due).explanation
    assert "30 dagen" in sentence
    assert str(days_ago(10).year) in sentence
    version = make_pop(trajectory, owner, on=timezone.localdate(), evaluation=evaluation)
    assert version.number == 2
    assert pop_deadlines(trajectory) == []


def test_the_next_version_is_proposed_with_the_evaluated_levels(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(200))
    make_pop(trajectory, owner, levels={"attend-to-detail": (1, 3), "cope-with-pressure": (2, 2)})
    evaluation = plan_evaluation(trajectory, owner, on=days_ago(3))
    complete(evaluation, owner, 3, days_ago(3))
    proposal = selectors.proposal(trajectory)
    assert proposal.evaluation is not None
    assert proposal.evaluation.pk == evaluation.pk
    levels = {
        row["competence"].code: (row["current_level"], row["target_level"])
        for row in proposal.competences
    }
    # The new current level is the evaluated one; a target below it is raised to it.
    assert levels == {"attend-to-detail": (3, 3), "cope-with-pressure": (3, 3)}
    assert [a["what"] for a in proposal.actions] == ["Sollicitatietraining volgen"]


def test_the_difference_between_versions_is_shown(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    make_pop(trajectory, owner, on=days_ago(90))
    make_pop(
        trajectory,
        owner,
        on=days_ago(5),
        goals="Zelfstandig een werkdag volhouden\nEen rijbewijs halen",
        levels={"attend-to-detail": (2, 3), "cope-with-pressure": (1, 3)},
    )
    http = HttpClient()
    http.force_login(owner)
    page = http.get(reverse("plans:detail", args=[trajectory.pk])).content.decode()
    diff = page.split('data-testid="pop-diff"', 1)[1]
    assert "Een rijbewijs halen" in diff  # goal added
    assert "<del>Op tijd komen</del>" in diff  # goal removed
    assert "Nauwkeurig werken" in diff  # level 1 → 2
    assert "Zich aanpassen aan veranderingen" in diff  # competence removed
    old = http.get(reverse("plans:detail", args=[trajectory.pk]) + "?v=1").content.decode()
    assert "Op tijd komen" in old.split('data-testid="pop-version"', 1)[1]


def test_a_version_from_a_stale_page_is_refused_and_nothing_written(
    owner: Any, teammate: Any
) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    seen = fresh(trajectory).version
    make_pop(trajectory, owner)  # someone else saves first
    with pytest.raises(StaleEditError):
        services.version_create(
            fresh(trajectory),
            data=services.VersionData(
                drawn_up_on=timezone.localdate(),
                goals="Iets",
                competences=[services.CompetenceLine(Competence.objects.get(code=CODES[0]), 3)],
            ),
            expected_version=seen,
            by=owner,
        )
    assert PlanVersion.objects.count() == 1


def form_data(trajectory: Trajectory, **overrides: Any) -> dict[str, Any]:
    competence = Competence.objects.get(code=CODES[0])
    data = {
        "version": fresh(trajectory).version,
        "drawn_up_on": timezone.localdate().isoformat(),
        "goals": "Op tijd komen",
        "agreements": "",
        "client_words": "Ik wil terug gaan werken.",
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "0",
        "c-0-competence": competence.pk,
        "c-0-current_level": "3",
        "c-0-target_level": "2",
        "c-0-note": "",
        "a-TOTAL_FORMS": "1",
        "a-INITIAL_FORMS": "0",
        "a-0-what": "",
        "a-0-who": "",
        "a-0-due": "",
        "a-0-status": "planned",
        "a-0-instrument_use": "",
    }
    data.update(overrides)
    return data


def test_bad_input_is_refused_in_dutch_naming_the_problem(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    http = HttpClient()
    http.force_login(owner)
    url = reverse("plans:version-new", args=[trajectory.pk])
    response = http.post(url, form_data(trajectory))
    assert response.status_code == 200
    assert "Nauwkeurig werken" in str(response.context["form"].non_field_errors())
    assert "doelniveau" in str(response.context["form"].non_field_errors()).lower()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = http.post(
        url, form_data(trajectory, **{"c-0-target_level": "4", "drawn_up_on": tomorrow})
    )
    assert "toekomst" in " ".join(response.context["form"].errors["drawn_up_on"])
    response = http.post(
        url, form_data(trajectory, **{"a-0-what": "Cursus", "c-0-target_level": "4"})
    )
    assert response.status_code == 200  # the action lacks "who"
    assert not PlanVersion.objects.exists()
    done = http.post(url, form_data(trajectory, **{"c-0-target_level": "4"}))
    assert done.status_code == 302
    assert AuditEvent.objects.filter(action="plans.version.created").count() == 1


def test_an_outsider_gets_404_on_every_pop_and_evaluation_page(owner: Any, outsider: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    make_pop(trajectory, owner)
    evaluation = plan_evaluation(trajectory, owner, placement=place_with_mentor(trajectory, owner))
    http = HttpClient()
    http.force_login(outsider)
    for url in (
        reverse("plans:detail", args=[trajectory.pk]),
        reverse("plans:version-new", args=[trajectory.pk]),
        reverse("evaluations:plan", args=[trajectory.pk]),
        reverse("evaluations:detail", args=[evaluation.pk]),
        reverse("evaluations:round-open", args=[trajectory.pk]),
    ):
        assert http.get(url).status_code == 404, url
    for url in (
        reverse("evaluations:mentor-link", args=[evaluation.pk]),
        reverse("evaluations:cancel", args=[evaluation.pk]),
        reverse("plans:version-new", args=[trajectory.pk]),
    ):
        assert http.post(url, {"version": 1}).status_code == 404, url
    assert Evaluation.objects.get().status == "planned"


def test_the_dossier_and_pop_pages_use_a_constant_number_of_queries(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    http = HttpClient()
    http.force_login(owner)
    dossier = dossier_url(trajectory.client_id, Tab.DEVELOPMENT)
    pop = reverse("plans:detail", args=[trajectory.pk])

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert http.get(url).status_code == 200
        return len(queries)

    make_pop(trajectory, owner, on=days_ago(290))
    evaluation = plan_evaluation(trajectory, owner, on=days_ago(200))
    complete(evaluation, owner, 2, days_ago(200))
    few = (count(dossier), count(pop))
    for day in (150, 100, 50):
        make_pop(trajectory, owner, on=days_ago(day + 5))
        evaluation = plan_evaluation(trajectory, owner, on=days_ago(day))
        complete(evaluation, owner, 3, days_ago(day))
    assert (count(dossier), count(pop)) == few


def main_table(sql: str) -> str:
    """The first table a SELECT names after FROM: the one it reads (or a select-list subquery's)."""
    found = re.search(r' FROM "(\w+)"', sql)
    return found.group(1) if found else ""


def test_the_dossier_loads_placements_pop_versions_evaluations_and_consents_once(
    owner: Any,
) -> None:
    # Issue 11: each tab reads the placements, POP versions and evaluations once, whoever uses them.
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
    http = HttpClient()
    http.force_login(owner)

    def tables_read(tab: Tab) -> tuple[Counter[str], str]:
        with CaptureQueriesContext(connection) as queries:
            response = http.get(dossier_url(trajectory.client_id, tab))
        assert response.status_code == 200
        selects = (q["sql"] for q in queries if q["sql"].startswith("SELECT"))
        return Counter(main_table(sql) for sql in selects), response.content.decode()

    shared = ("employers_placement", "plans_planversion", "evaluations_evaluation")
    # The overview: the deadlines and the consent section.
    tables, _ = tables_read(Tab.OVERVIEW)
    assert {table: tables[table] for table in (*shared, "clients_consent")} == {
        "employers_placement": 1,
        "plans_planversion": 1,
        "evaluations_evaluation": 1,
        "clients_consent": 1,
    }
    # The development tab: the POP, the evaluations list and the picture.
    tables, html = tables_read(Tab.DEVELOPMENT)
    assert {table: tables[table] for table in shared} == dict.fromkeys(shared, 1)
    assert 'data-testid="competence-chart"' in html


def test_a_version_can_only_link_an_instrument_of_its_own_trajectory(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    other = make_trajectory(owner, start=days_ago(100))
    from doorstroom.instruments.models import InstrumentUse

    use = InstrumentUse.objects.create(
        trajectory=other,
        kind="job_coaching",
        provider="VDAB",
        start=days_ago(10),
        end=days_ago(1),
        hours=4,
    )
    with pytest.raises(DomainError, match=r"ander traject|another trajectory"):
        services.version_create(
            fresh(trajectory),
            data=services.VersionData(
                drawn_up_on=timezone.localdate(),
                goals="Iets",
                competences=[services.CompetenceLine(Competence.objects.get(code=CODES[0]), 3)],
                actions=[services.ActionLine("Jobcoaching", "VDAB", instrument_use=use)],
            ),
            expected_version=fresh(trajectory).version,
            by=owner,
        )


def test_matching_reads_the_competences_still_to_develop_from_the_latest_pop(owner: Any) -> None:
    # R-PLC-5: the competence component compares the workplace's trained competences with the
    # POP competences whose current level is still below the target.
    from doorstroom.clients.models import Client
    from doorstroom.employers.selectors import client_profiles

    trajectory = make_trajectory(owner, start=days_ago(100))
    without_pop = make_trajectory(owner, start=days_ago(100))
    make_pop(trajectory, owner, on=days_ago(90))
    make_pop(
        trajectory,
        owner,
        on=days_ago(5),
        levels={
            "attend-to-detail": (3, 3),
            "cope-with-pressure": (2, 3),
            "adapt-to-change": (None, 2),
        },
    )
    found = {p.id: p.to_develop for p in client_profiles(Client.objects.all())}
    assert found[str(trajectory.client_id)] == frozenset({"cope-with-pressure", "adapt-to-change"})
    assert found[str(without_pop.client_id)] is None  # no POP: not scored, not "nothing left"
