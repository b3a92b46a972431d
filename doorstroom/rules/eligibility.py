"""Entry into TWE: the suggested eligibility verdict (R-INT-2) and entry conditions (R-INT-3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from doorstroom.rules.clock import TrajectoryKind
from doorstroom.rules.problems import Problem
from doorstroom.rules.rulesets import RuleSet


class LearningPotential(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    GOOD = "good"


@dataclass(frozen=True)
class IntakeAssessment:
    """The intake facts the verdict depends on (R-INT-1)."""

    max_regime: Decimal
    learning_potential: LearningPotential
    social_economy_highest: bool
    faster_route: bool


@dataclass(frozen=True)
class EligibilityVerdict:
    """The suggested verdict; `failed` lists every criterion not met, in a fixed order."""

    eligible: bool
    failed: tuple[Problem, ...]


def suggest_verdict(intake: IntakeAssessment, ruleset: RuleSet) -> EligibilityVerdict:
    """Suggest whether the client is eligible for TWE, with every failed criterion."""
    # R-INT-2: at least half-time, learning potential not low, social economy not the highest
    # attainable, no faster route. A person decides; a different decision needs a motivation.
    min_regime = ruleset.eligibility.min_regime
    failed: list[Problem] = []
    if intake.max_regime < min_regime:
        failed.append(
            Problem("regime_below_minimum", "R-INT-2", str(min_regime), str(intake.max_regime))
        )
    if intake.learning_potential is LearningPotential.LOW:
        failed.append(Problem("learning_potential_low", "R-INT-2", "moderate", "low"))
    if intake.social_economy_highest:
        failed.append(Problem("social_economy_highest", "R-INT-2"))
    if intake.faster_route:
        failed.append(Problem("faster_route_exists", "R-INT-2"))
    return EligibilityVerdict(eligible=not failed, failed=tuple(failed))


def entry_problems(
    kind: TrajectoryKind,
    *,
    leefloon_entitled: bool,
    registered_job_seeker: bool,
    referral_date: date | None,
) -> tuple[Problem, ...]:
    """Return the entry conditions of a trajectory of `kind` that are not met."""
    # R-INT-3: art60 needs a client entitled to leefloon (or equivalent) and registered at VDAB;
    # wz needs a VDAB referral.
    problems: list[Problem] = []
    if kind is TrajectoryKind.ART60:
        if not leefloon_entitled:
            problems.append(Problem("no_leefloon_entitlement", "R-INT-3"))
        if not registered_job_seeker:
            problems.append(Problem("not_registered_job_seeker", "R-INT-3"))
    elif referral_date is None:
        problems.append(Problem("no_vdab_referral", "R-INT-3"))
    return tuple(problems)
