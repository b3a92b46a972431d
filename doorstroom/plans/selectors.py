"""Reads of the POP: versions with their rows, the proposal for the next version, differences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from doorstroom.employers.models import Placement
from doorstroom.evaluations.models import Evaluation, EvaluationStatus, Source
from doorstroom.instruments.models import Tryout
from doorstroom.plans.models import PlanAction, PlanCompetence, PlanVersion, ScaleLevel
from doorstroom.trajectories.models import Trajectory

VERSION_PREFETCH = (
    Prefetch(
        "competences",
        queryset=PlanCompetence.objects.select_related("competence").order_by(
            "competence__name_nl"
        ),
    ),
    Prefetch(
        "actions", queryset=PlanAction.objects.select_related("instrument_use").order_by("position")
    ),
)


def versions_of(trajectory: Trajectory) -> QuerySet[PlanVersion]:
    """Every POP version of a trajectory, newest first, with competences and actions."""
    return (
        PlanVersion.objects.filter(trajectory=trajectory)
        .select_related("author", "evaluation")
        .prefetch_related(*VERSION_PREFETCH)
        .order_by("-number")
    )


def latest_version(trajectory: Trajectory) -> PlanVersion | None:
    return versions_of(trajectory).first()


def scale() -> list[ScaleLevel]:
    return list(ScaleLevel.objects.order_by("level"))


def evaluation_to_follow(trajectory: Trajectory, latest: PlanVersion | None) -> Evaluation | None:
    """The last completed evaluation that no POP version follows yet (R-TRJ-7), if any."""
    candidates = Evaluation.objects.filter(
        trajectory=trajectory, status=EvaluationStatus.COMPLETED, next_plan_versions__isnull=True
    ).order_by("-held_on", "-pk")
    evaluation = candidates.prefetch_related("scores").first()
    if evaluation is None:
        return None
    if latest is not None and latest.drawn_up_on > (evaluation.held_on or evaluation.planned_on):
        return None
    return evaluation


def agreed_levels(evaluation: Evaluation) -> dict[int, int]:
    """Competence id → the level the evaluation concluded: the coach's, else the others' mean."""
    by_competence: dict[int, dict[str, int]] = {}
    for score in evaluation.scores.all():
        by_competence.setdefault(score.competence_id, {})[score.source] = score.level
    levels: dict[int, int] = {}
    for competence_id, sources in by_competence.items():
        if Source.COACH in sources:
            levels[competence_id] = sources[Source.COACH]
        else:
            levels[competence_id] = round(sum(sources.values()) / len(sources))
    return levels


@dataclass
class Proposal:
    """What the form for the next version starts from."""

    initial: dict[str, Any]
    competences: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    evaluation: Evaluation | None
    previous: PlanVersion | None


def proposal(trajectory: Trajectory) -> Proposal:
    """Prefill the next version from the previous one and the evaluation it follows."""
    previous = latest_version(trajectory)
    evaluation = evaluation_to_follow(trajectory, previous)
    levels = agreed_levels(evaluation) if evaluation else {}
    competences: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    initial: dict[str, Any] = {"goals": "", "agreements": "", "client_words": ""}
    if previous is not None:
        initial = {
            "goals": previous.goals,
            "agreements": previous.agreements,
            "client_words": previous.client_words,
        }
        for row in previous.competences.all():
            current = levels.get(row.competence_id, row.current_level)
            competences.append(
                {
                    "competence": row.competence,
                    "current_level": current,
                    "target_level": max(row.target_level, current or 1),
                    "note": row.note,
                }
            )
        actions = [
            {
                "what": a.what,
                "who": a.who,
                "due": a.due,
                "status": a.status,
                "instrument_use": a.instrument_use,
            }
            for a in previous.actions.all()
            if a.status not in ("done", "dropped")
        ]
    return Proposal(initial, competences, actions, evaluation, previous)


@dataclass(frozen=True)
class CompetenceChange:
    name: str
    before: tuple[int | None, int] | None  # (current, target), None = added
    after: tuple[int | None, int] | None  # None = removed


@dataclass
class VersionDiff:
    goals_added: list[str] = field(default_factory=list)
    goals_removed: list[str] = field(default_factory=list)
    competences: list[CompetenceChange] = field(default_factory=list)
    actions_added: list[str] = field(default_factory=list)
    actions_removed: list[str] = field(default_factory=list)
    actions_changed: list[tuple[str, str, str]] = field(default_factory=list)  # what, old, new
    agreements_changed: bool = False
    client_words_changed: bool = False

    @property
    def empty(self) -> bool:
        return not (
            self.goals_added
            or self.goals_removed
            or self.competences
            or self.actions_added
            or self.actions_removed
            or self.actions_changed
            or self.agreements_changed
            or self.client_words_changed
        )


def version_diff(older: PlanVersion, newer: PlanVersion) -> VersionDiff:
    """What changed from ``older`` to ``newer`` (both with VERSION_PREFETCH)."""
    diff = VersionDiff()
    old_goals, new_goals = older.goal_list, newer.goal_list
    diff.goals_added = [g for g in new_goals if g not in old_goals]
    diff.goals_removed = [g for g in old_goals if g not in new_goals]
    old_c = {c.competence_id: c for c in older.competences.all()}
    new_c = {c.competence_id: c for c in newer.competences.all()}
    names = {k: row.competence.name_nl for k, row in (old_c | new_c).items()}
    for key in sorted(names, key=names.__getitem__):
        before, after = old_c.get(key), new_c.get(key)
        old_levels = (before.current_level, before.target_level) if before else None
        new_levels = (after.current_level, after.target_level) if after else None
        if old_levels != new_levels:
            diff.competences.append(CompetenceChange(names[key], old_levels, new_levels))
    old_a = {a.what: a for a in older.actions.all()}
    new_a = {a.what: a for a in newer.actions.all()}
    diff.actions_added = [w for w in new_a if w not in old_a]
    diff.actions_removed = [w for w in old_a if w not in new_a]
    for what in new_a.keys() & old_a.keys():
        if new_a[what].status != old_a[what].status:
            diff.actions_changed.append(
                (what, old_a[what].get_status_display(), new_a[what].get_status_display())
            )
    diff.agreements_changed = older.agreements != newer.agreements
    diff.client_words_changed = older.client_words != newer.client_words
    return diff


@dataclass
class ClientView:
    """What the client sees on their own page: never anything from the protected section."""

    trajectory: Trajectory
    version: PlanVersion | None
    appointments: list[Evaluation]
    placements: list[Any]
    tryouts: list[Any]


def client_view(trajectory: Trajectory, today: Any) -> ClientView:
    appointments = list(
        Evaluation.objects.filter(
            trajectory=trajectory, status=EvaluationStatus.PLANNED, planned_on__gte=today
        )
        .select_related("plan_version")
        .prefetch_related(
            "scores",
            Prefetch(
                "plan_version__competences",
                queryset=PlanCompetence.objects.select_related("competence"),
            ),
        )
        .order_by("planned_on")
    )
    placements = list(
        Placement.objects.filter(trajectory=trajectory)
        .exclude(end__lt=today)
        .select_related("workplace__employer", "mentor")
        .order_by("start")
    )
    tryouts = list(
        Tryout.objects.filter(use__trajectory=trajectory)
        .select_related("use", "offer")
        .order_by("-use__start")
    )
    return ClientView(trajectory, latest_version(trajectory), appointments, placements, tryouts)
