"""Plateau detection (R-PLC-6): has growth at one placement stalled over the last evaluations?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from doorstroom.rules.rulesets import RuleSet

Score = int | Decimal


class PlateauReason(StrEnum):
    TOO_FEW_EVALUATIONS = "too_few_evaluations"
    NO_COMMON_COMPETENCES = "no_common_competences"
    IMPROVED = "improved"
    STALLED = "stalled"


@dataclass(frozen=True)
class CompetenceChange:
    """One competence scored in two consecutive evaluations; `evaluation` indexes the later one."""

    competence: str
    before: Score
    after: Score
    evaluation: int

    @property
    def improved(self) -> bool:
        """Tell whether the later score is higher."""
        return self.after > self.before


@dataclass(frozen=True)
class PlateauResult:
    """Whether growth stalled, why, and every comparison made."""

    stalled: bool
    reason: PlateauReason
    evaluations_compared: int
    changes: tuple[CompetenceChange, ...] = ()

    @property
    def compared(self) -> tuple[str, ...]:
        """Return the competences compared, sorted."""
        return tuple(sorted({change.competence for change in self.changes}))

    @property
    def improved(self) -> tuple[str, ...]:
        """Return the competences that improved, sorted."""
        return tuple(sorted({c.competence for c in self.changes if c.improved}))


def detect_plateau(evaluations: Sequence[Mapping[str, Score]], ruleset: RuleSet) -> PlateauResult:
    """Tell whether scores at one placement stopped improving (evaluations in date order)."""
    # R-PLC-6: stalled when, over the last N evaluations (rule set, default 2), no later
    # evaluation scores any competence higher than the one before it; each pair compared must
    # share at least one scored competence.
    needed = ruleset.placements.plateau_evaluations
    if len(evaluations) < needed:
        return PlateauResult(False, PlateauReason.TOO_FEW_EVALUATIONS, len(evaluations))
    offset = len(evaluations) - needed
    changes: list[CompetenceChange] = []
    for index in range(offset + 1, len(evaluations)):
        before, after = evaluations[index - 1], evaluations[index]
        common = sorted(set(before) & set(after))
        if not common:
            return PlateauResult(False, PlateauReason.NO_COMMON_COMPETENCES, needed, tuple(changes))
        changes.extend(CompetenceChange(c, before[c], after[c], index) for c in common)
    if any(change.improved for change in changes):
        return PlateauResult(False, PlateauReason.IMPROVED, needed, tuple(changes))
    return PlateauResult(True, PlateauReason.STALLED, needed, tuple(changes))
