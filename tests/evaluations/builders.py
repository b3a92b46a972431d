"""Builders for POP versions, placements with a mentor and evaluations: through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from doorstroom.employers import services as employer_services
from doorstroom.employers.models import Placement
from doorstroom.evaluations import services
from doorstroom.evaluations.models import Evaluation
from doorstroom.plans import services as plan_services
from doorstroom.plans.models import Competence, PlanVersion
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import fresh
from tests.employers.builders import make_employer, make_workplace


def competences(*codes: str) -> list[Competence]:
    return [Competence.objects.get(code=code) for code in codes]


CODES = ("attend-to-detail", "cope-with-pressure", "adapt-to-change")


def make_pop(
    trajectory: Trajectory,
    by: Any,
    *,
    levels: dict[str, tuple[int | None, int]] | None = None,
    on: datetime.date | None = None,
    goals: str = "Zelfstandig een werkdag volhouden\nOp tijd komen",
    evaluation: Evaluation | None = None,
) -> PlanVersion:
    levels = levels or {code: (1, 3) for code in CODES}
    lines = [
        plan_services.CompetenceLine(
            competence=Competence.objects.get(code=code), current_level=cur, target_level=target
        )
        for code, (cur, target) in levels.items()
    ]
    return plan_services.version_create(
        fresh(trajectory),
        data=plan_services.VersionData(
            drawn_up_on=on or trajectory.start,
            goals=goals,
            competences=lines,
            actions=[plan_services.ActionLine(what="Sollicitatietraining volgen", who="Coach")],
            evaluation=evaluation,
        ),
        expected_version=fresh(trajectory).version,
        by=by,
    )


def place_with_mentor(
    trajectory: Trajectory, by: Any, *, email: str = "marc.wouters@groen.test"
) -> Placement:
    employer = make_employer(by, kind="internal")
    mentor = employer_services.contact_add(
        employer,
        role="mentor",
        data={"name": "Marc Wouters", "job_title": "Ploegbaas", "email": email},
        by=by,
    )
    workplace = make_workplace(employer, by)
    return employer_services.placement_start(
        fresh(trajectory),
        workplace,
        kind="work_experience",
        start=trajectory.start,
        planned_end=None,
        mentor=mentor,
        regime_steps=[(trajectory.start, Decimal("0.50"))],
        expected_version=fresh(trajectory).version,
        by=by,
    )


def plan_evaluation(
    trajectory: Trajectory,
    by: Any,
    *,
    placement: Placement | None = None,
    on: datetime.date | None = None,
    kind: str = "six_monthly",
) -> Evaluation:
    return services.evaluation_plan(
        fresh(trajectory),
        kind=kind,
        planned_on=on or timezone.localdate(),
        placement=placement,
        expected_version=fresh(trajectory).version,
        by=by,
    )


def all_scores(evaluation: Evaluation, level: int) -> dict[int, tuple[int, str]]:
    """``level`` for every competence of the evaluation's POP version."""
    version = Evaluation.objects.get(pk=evaluation.pk).plan_version
    assert version is not None, "the evaluation has no POP version"
    return {c.competence_id: (level, "") for c in version.competences.all()}
