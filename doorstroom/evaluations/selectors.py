"""Reads of evaluations and 360° feedback: scores side by side, round results, the picture.

360° privacy (seed 001): only the trajectory's lead coach sees individual answers; everyone
else sees a peer group only as an average, and only once it has at least ``MIN_GROUP`` answers.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from doorstroom.accounts.models import User
from doorstroom.core.regulation import ruleset_on
from doorstroom.employers.models import Placement
from doorstroom.evaluations.models import (
    GROUP_OF,
    Evaluation,
    EvaluationKind,
    EvaluationScore,
    EvaluationStatus,
    FeedbackRespondent,
    FeedbackRound,
    FeedbackScore,
    PeerGroup,
    Relation,
    Source,
)
from doorstroom.plans.models import Competence, PlanCompetence
from doorstroom.rules.deadlines import DeadlineCode
from doorstroom.rules.plateau import PlateauResult, detect_plateau
from doorstroom.trajectories.deadlines import deadlines_of
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock

MIN_GROUP = 3  # seed 001: a peer group is shown only in aggregate, from 3 answers on


def everyone_shown(group_counts: list[int]) -> bool:
    """May the average of all others be shown, given the answers per peer group?

    It needs ``MIN_GROUP`` answers, and must not reveal a hidden group by difference: beside a
    shown group, "all others" minus that group would be the hidden group's average.
    """
    answered = [n for n in group_counts if n]
    if sum(answered) < MIN_GROUP:
        return False
    shown = [n for n in answered if n >= MIN_GROUP]
    return not shown or len(shown) == len(answered)


def sees_individual_answers(user: User, trajectory: Trajectory) -> bool:
    """Only the lead coach sees who answered what in a 360° round."""
    return trajectory.coach_id == user.pk


def due_evaluation(trajectory: Trajectory) -> dict[str, Any]:
    """The evaluation the rules core says is due next (R-TRJ-6): its day and its kind."""
    loaded = with_clock(Trajectory.objects.filter(pk=trajectory.pk)).get()
    for deadline in deadlines_of(loaded, timezone.localdate()):
        if deadline.code is DeadlineCode.EVALUATION_DUE:
            at_phase_end = dict(deadline.facts).get("phase_end") == deadline.due.isoformat()
            kind = EvaluationKind.PHASE if at_phase_end else EvaluationKind.SIX_MONTHLY
            return {"planned_on": deadline.due, "kind": kind}
    return {"planned_on": None, "kind": EvaluationKind.SIX_MONTHLY}


def evaluation_detail(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.filter(pk=evaluation.pk)
        .select_related(
            "trajectory__client",
            "trajectory__coach",
            "placement__workplace__employer",
            "placement__mentor",
            "plan_version",
            "mentor_link",
            "completed_by",
        )
        .prefetch_related(
            Prefetch("scores", queryset=EvaluationScore.objects.select_related("competence")),
            Prefetch(
                "plan_version__competences",
                queryset=PlanCompetence.objects.select_related("competence"),
            ),
        )
        .get()
    )


@dataclass
class ScoreRow:
    """One competence of an evaluation with the level per source."""

    plan: PlanCompetence
    # defaultdicts: a template asks for every source, also one without a score yet
    levels: defaultdict[str, int | None] = field(default_factory=lambda: defaultdict(lambda: None))
    comments: defaultdict[str, str] = field(default_factory=lambda: defaultdict(str))

    @property
    def competence(self) -> Competence:
        return self.plan.competence


def score_rows(evaluation: Evaluation) -> list[ScoreRow]:
    """The POP competences with every source's level, side by side."""
    version = evaluation.plan_version
    rows = {p.competence_id: ScoreRow(p) for p in version.competences.all()} if version else {}
    for score in evaluation.scores.all():
        row = rows.get(score.competence_id)
        if row is not None:
            row.levels[score.source] = score.level
            row.comments[score.source] = score.comment
    return sorted(rows.values(), key=lambda r: r.competence.name_nl)


# --- 360° results ---------------------------------------------------------------------


def _average(levels: list[int]) -> Decimal:
    return (Decimal(sum(levels)) / len(levels)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class GroupResult:
    group: PeerGroup
    answers: int
    averages: dict[int, Decimal]  # competence id → average; empty when hidden

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_GROUP

    @property
    def label(self) -> str:
        return str(self.group.label)


@dataclass
class RoundResults:
    round: FeedbackRound
    competences: list[PlanCompetence]
    self_levels: dict[int, int]
    groups: list[GroupResult]
    everyone: GroupResult | None  # all others together, when ≥ MIN_GROUP
    respondents: list[FeedbackRespondent]  # individual answers: lead coach only, else []
    invited: int
    answered: int


def round_for_results(feedback_round: FeedbackRound) -> FeedbackRound:
    return (
        FeedbackRound.objects.filter(pk=feedback_round.pk)
        .select_related("trajectory__client", "plan_version")
        .prefetch_related(
            Prefetch(
                "plan_version__competences",
                queryset=PlanCompetence.objects.select_related("competence"),
            ),
            Prefetch(
                "respondents",
                queryset=FeedbackRespondent.objects.select_related(
                    "link", "response"
                ).prefetch_related("response__scores__competence"),
            ),
        )
        .get()
    )


def round_results(feedback_round: FeedbackRound, *, individual: bool) -> RoundResults:
    """Results of a round: self-assessment beside the groups (seed 001 privacy rules)."""
    feedback_round = round_for_results(feedback_round)
    respondents = list(feedback_round.respondents.all())
    competences = sorted(
        feedback_round.plan_version.competences.all(), key=lambda p: p.competence.name_nl
    )
    self_levels: dict[int, int] = {}
    per_group: dict[PeerGroup, list[dict[int, int]]] = defaultdict(list)
    answered = 0
    for respondent in respondents:
        response = getattr(respondent, "response", None)
        if response is None:
            continue
        answered += 1
        levels = {s.competence_id: s.level for s in response.scores.all()}
        if respondent.relation == Relation.SELF:
            self_levels = levels
        else:
            per_group[GROUP_OF[respondent.relation]].append(levels)

    def result(group: PeerGroup, answers: list[dict[int, int]]) -> GroupResult:
        averages: dict[int, Decimal] = {}
        if len(answers) >= MIN_GROUP:
            for plan in competences:
                given = [a[plan.competence_id] for a in answers if plan.competence_id in a]
                if given:
                    averages[plan.competence_id] = _average(given)
        return GroupResult(group, len(answers), averages)

    groups = [result(group, per_group.get(group, [])) for group in PeerGroup]
    others = [levels for answers in per_group.values() for levels in answers]
    counts = [len(answers) for answers in per_group.values()]
    everyone = result(PeerGroup.NETWORK, others) if everyone_shown(counts) else None
    return RoundResults(
        round=feedback_round,
        competences=competences,
        self_levels=self_levels,
        groups=groups,
        everyone=everyone,
        respondents=respondents if individual else [],
        invited=len(respondents),
        answered=answered,
    )


# --- Competence picture ---------------------------------------------------------------

SERIES = ("coach", "mentor", "self", "feedback")


@dataclass
class Point:
    day: datetime.date
    source: str
    level: Decimal


@dataclass
class CompetenceSeries:
    competence: Competence
    points: list[Point]
    target: int | None

    def of(self, source: str) -> list[Point]:
        return [p for p in self.points if p.source == source]


@dataclass
class Picture:
    series: list[CompetenceSeries]
    plateau: PlateauResult | None
    placement_title: str


# What the picture reads of a 360° round: the answers of everyone but the client, each
# response with its scores and their competences (two queries for all rounds together).
ANSWERED_RESPONDENTS = Prefetch(
    "respondents",
    queryset=FeedbackRespondent.objects.exclude(relation=Relation.SELF)
    .filter(response__isnull=False)
    .select_related("response")
    .prefetch_related(
        Prefetch("response__scores", queryset=FeedbackScore.objects.select_related("competence"))
    ),
)
SCORES = Prefetch("scores", queryset=EvaluationScore.objects.select_related("competence"))


def competence_picture(trajectory: Trajectory) -> Picture:
    """Every competence's levels over time per source (coach, mentor, self, 360°) and the
    plateau signal at the current placement (R-PLC-6)."""
    evaluations = list(
        Evaluation.objects.filter(trajectory=trajectory, status=EvaluationStatus.COMPLETED)
        .select_related("placement__workplace")
        .prefetch_related(SCORES)
        .order_by("held_on", "pk")
    )
    rounds = list(
        FeedbackRound.objects.filter(trajectory=trajectory)
        .prefetch_related(ANSWERED_RESPONDENTS)
        .order_by("opened_on", "pk")
    )
    latest = trajectory.plan_versions.order_by("-number").first()
    targets = {p.competence_id: p.target_level for p in latest.competences.all()} if latest else {}
    current = trajectory.placements.filter(end__isnull=True).select_related("workplace").first()
    return picture_of(trajectory, evaluations, rounds, targets, current)


def picture_of(
    trajectory: Trajectory,
    evaluations: list[Evaluation],
    rounds: list[FeedbackRound],
    targets: dict[int, int],
    current: Placement | None,
) -> Picture:
    """Build the picture from rows already loaded (no query).

    ``evaluations``: the completed ones, oldest first, with ``SCORES``; ``rounds``: oldest
    first, with ``ANSWERED_RESPONDENTS``; ``targets``: competence id → the latest POP version's
    target level; ``current``: the running placement (with its workplace), if any.
    """
    competences: dict[int, Competence] = {}
    points: dict[int, list[Point]] = defaultdict(list)
    for evaluation in evaluations:
        for score in evaluation.scores.all():
            competences[score.competence_id] = score.competence
            day = evaluation.held_on or evaluation.planned_on
            points[score.competence_id].append(Point(day, score.source, Decimal(score.level)))
    today = timezone.localdate()
    for feedback_round in rounds:
        for competence_id, point in _round_points(feedback_round, competences, today):
            points[competence_id].append(point)
    series = [
        CompetenceSeries(competences[c], sorted(points[c], key=lambda p: p.day), targets.get(c))
        for c in sorted(competences, key=lambda c: competences[c].name_nl)
    ]
    plateau, title = _plateau(trajectory, evaluations, current)
    return Picture(series, plateau, title)


def _round_points(
    feedback_round: FeedbackRound, competences: dict[int, Competence], today: datetime.date
) -> list[tuple[int, Point]]:
    """A round's average per competence, as one 360° point each (none when it must stay hidden)."""
    respondents = list(feedback_round.respondents.all())
    per_group: dict[PeerGroup, int] = defaultdict(int)
    for respondent in respondents:
        per_group[GROUP_OF[respondent.relation]] += 1
    if not everyone_shown(list(per_group.values())):
        return []  # seed 001: only an aggregate that reveals no group under 3 answers
    given: dict[int, list[int]] = defaultdict(list)
    for respondent in respondents:
        for score in respondent.response.scores.all():
            competences[score.competence_id] = score.competence
            given[score.competence_id].append(score.level)
    day = min(feedback_round.closes_on, today)  # an open round: as of today
    return [
        (competence_id, Point(day, "feedback", _average(levels)))
        for competence_id, levels in given.items()
    ]


def _plateau(
    trajectory: Trajectory, evaluations: list[Evaluation], current: Placement | None
) -> tuple[PlateauResult | None, str]:
    # R-PLC-6: compare the coach's levels of the evaluations at the current placement.
    if current is None:
        return None, ""
    at_placement = [
        {s.competence.code: s.level for s in e.scores.all() if s.source == Source.COACH}
        for e in evaluations
        if e.placement_id == current.pk
    ]
    return detect_plateau(at_placement, ruleset_on(trajectory.start)), current.workplace.title
