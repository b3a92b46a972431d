"""The competence picture and the plateau signal (R-PLC-6) on the dossier."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.evaluations import services
from doorstroom.evaluations.models import Evaluation
from doorstroom.evaluations.selectors import competence_picture
from tests.dossiers import days_ago, make_trajectory
from tests.evaluations.builders import all_scores, make_pop, place_with_mentor, plan_evaluation

pytestmark = pytest.mark.django_db


def complete(evaluation: Evaluation, by: Any, coach: int, mentor: int | None, day: Any) -> None:
    scores = all_scores(evaluation, coach)
    if mentor is not None:
        from doorstroom.evaluations.models import EvaluationScore

        EvaluationScore.objects.bulk_create(
            EvaluationScore(evaluation=evaluation, competence_id=c, source="mentor", level=mentor)
            for c in scores
        )
    services.evaluation_record(
        evaluation,
        coach_scores=scores,
        self_scores={},
        held_on=day,
        conclusions="Besproken.",
        next_steps="",
        complete=True,
        expected_version=Evaluation.objects.get(pk=evaluation.pk).version,
        by=by,
    )


@pytest.fixture
def trajectory(owner: Any) -> Any:
    trajectory = make_trajectory(owner, start=days_ago(300))
    make_pop(trajectory, owner, on=days_ago(295))
    return trajectory


def test_the_picture_has_a_point_per_source_and_evaluation(trajectory: Any, owner: Any) -> None:
    placement = place_with_mentor(trajectory, owner)
    first = plan_evaluation(trajectory, owner, placement=placement, on=days_ago(200))
    complete(first, owner, 1, 2, days_ago(200))
    second = plan_evaluation(trajectory, owner, placement=placement, on=days_ago(20))
    complete(second, owner, 2, 3, days_ago(20))
    picture = competence_picture(trajectory)
    assert len(picture.series) == 3
    series = picture.series[0]
    assert [int(p.level) for p in series.of("coach")] == [1, 2]
    assert [int(p.level) for p in series.of("mentor")] == [2, 3]
    assert series.target == 3
    assert picture.plateau is not None
    assert not picture.plateau.stalled
    http = HttpClient()
    http.force_login(owner)
    page = http.get(dossier_url(trajectory.client_id, Tab.DEVELOPMENT)).content.decode()
    assert page.count('data-testid="competence-chart"') == 3
    placements = http.get(dossier_url(trajectory.client_id, Tab.PLACEMENTS)).content.decode()
    assert 'data-testid="placement-actions"' in placements
    assert 'data-testid="rotation-suggested"' not in placements


def test_no_growth_at_the_placement_suggests_a_rotation(trajectory: Any, owner: Any) -> None:
    # R-PLC-6: two evaluations at the current placement without any higher coach level.
    placement = place_with_mentor(trajectory, owner)
    for day in (200, 20):
        evaluation = plan_evaluation(trajectory, owner, placement=placement, on=days_ago(day))
        complete(evaluation, owner, 2, None, days_ago(day))
    picture = competence_picture(trajectory)
    assert picture.plateau is not None
    assert picture.plateau.stalled
    http = HttpClient()
    http.force_login(owner)
    page = http.get(dossier_url(trajectory.client_id, Tab.DEVELOPMENT)).content.decode()
    assert 'data-testid="plateau"' in page
    # The placements tab suggests the rotation at the placement itself.
    placements = http.get(dossier_url(trajectory.client_id, Tab.PLACEMENTS)).content.decode()
    assert 'data-testid="rotation-suggested"' in placements
    assert reverse("employers:rotation", args=[placement.pk]) in placements
