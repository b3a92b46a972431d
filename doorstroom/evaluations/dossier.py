"""The development section of the client's dossier: POP, evaluations, 360° rounds, picture."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, prefetch_related_objects

from doorstroom.evaluations.chart import Chart, chart_for, legend
from doorstroom.evaluations.models import (
    Evaluation,
    EvaluationScore,
    EvaluationStatus,
    FeedbackRound,
)
from doorstroom.evaluations.selectors import ANSWERED_RESPONDENTS, Picture, picture_of
from doorstroom.plans.models import PlanCompetence, PlanVersion
from doorstroom.trajectories.models import Trajectory


@dataclass
class Development:
    latest: PlanVersion | None
    rounds: list[FeedbackRound]
    picture: Picture
    charts: list[Chart]
    legend: list[tuple[str, str, str]]


# Issue 11: the section's queries select what it shows (each column costs Python time to
# compile and load); every ``only()`` keeps the foreign key the prefetch reads.
# What the picture reads of a competence: its code (R-PLC-6) and its name.
COMPETENCE = ("competence__code", "competence__name_nl")
# The latest version's competences as the section lists them (its goals are on the row itself).
LATEST_COMPETENCES = Prefetch(
    "competences",
    queryset=PlanCompetence.objects.select_related("competence")
    .only("version", "current_level", "target_level", *COMPETENCE)
    .order_by("competence__name_nl"),
)
# The completed evaluations' scores (``SCORES`` with only what the picture reads).
DOSSIER_SCORES = Prefetch(
    "scores",
    queryset=EvaluationScore.objects.select_related("competence").only(
        "evaluation", "source", "level", *COMPETENCE
    ),
)


def development_for(trajectory: Trajectory) -> Development:
    """Everything the section shows, in a fixed number of queries.

    One load for the whole dossier: ``trajectory`` is the one ``dossier_for`` loaded with its
    clock (``CLOCK_PREFETCH``), which already holds its placements, POP versions and evaluations —
    the deadlines (R-TRJ-6/7/8), the placements timeline and the evaluations list read the same
    rows. This section reads them from there too (``.all()`` on the prefetched relations) and
    asks the database only for what the clock does not carry: the completed evaluations'
    scores, the latest POP version's competences and the 360° rounds with their answers.
    (Given a bare trajectory, the same ``.all()`` calls simply query: the result is the same.)
    """
    evaluations = _completed(trajectory)
    prefetch_related_objects(evaluations, DOSSIER_SCORES)
    latest = max(trajectory.plan_versions.all(), key=lambda v: v.number, default=None)
    targets: dict[int, int] = {}
    if latest is not None:
        prefetch_related_objects([latest], LATEST_COMPETENCES)
        targets = {p.competence_id: p.target_level for p in latest.competences.all()}
    rounds = list(
        FeedbackRound.objects.filter(trajectory=trajectory)
        .only("opened_on", "closes_on")
        .annotate(
            invited=Count("respondents", distinct=True),
            answered=Count("respondents__response", distinct=True),
        )
        .prefetch_related(ANSWERED_RESPONDENTS)
        .order_by("-opened_on", "-pk")
    )
    # R-PLC-6: the running placement (the clock's placements come with their workplace).
    current = next((p for p in trajectory.placements.all() if p.end is None), None)
    picture = picture_of(trajectory, evaluations, rounds[::-1], targets, current)
    charts = [chart_for(series) for series in picture.series if series.points]
    return Development(latest, rounds, picture, charts, legend())


def _completed(trajectory: Trajectory) -> list[Evaluation]:
    """The completed evaluations, oldest first (the day held; completing requires it)."""
    completed = [e for e in trajectory.evaluations.all() if e.status == EvaluationStatus.COMPLETED]
    return sorted(completed, key=lambda e: (e.day, e.pk))
