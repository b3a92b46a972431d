"""R-INT-2 suggested verdict and R-INT-3 entry conditions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from doorstroom.rules import (
    IntakeAssessment,
    LearningPotential,
    TrajectoryKind,
    entry_problems,
    suggest_verdict,
)
from tests.rules.support import RULES, d

LOW, MODERATE, GOOD = LearningPotential.LOW, LearningPotential.MODERATE, LearningPotential.GOOD


@pytest.mark.parametrize(
    ("regime", "potential", "social_economy", "faster", "failed"),
    [
        pytest.param("0.5", MODERATE, False, False, [], id="R-INT-2 half-time, moderate: eligible"),
        pytest.param("1", GOOD, False, False, [], id="R-INT-2 full-time, good: eligible"),
        pytest.param(
            "0.49", GOOD, False, False, ["regime_below_minimum"], id="R-INT-2 under half-time"
        ),
        pytest.param(
            "1", LOW, False, False, ["learning_potential_low"], id="R-INT-2 low potential"
        ),
        pytest.param(
            "1", GOOD, True, False, ["social_economy_highest"], id="R-INT-2 social economy"
        ),
        pytest.param("1", GOOD, False, True, ["faster_route_exists"], id="R-INT-2 faster route"),
        pytest.param(
            "0.2",
            LOW,
            True,
            True,
            [
                "regime_below_minimum",
                "learning_potential_low",
                "social_economy_highest",
                "faster_route_exists",
            ],
            id="R-INT-2 every failed criterion is listed",
        ),
    ],
)
def test_R_INT_2_suggested_verdict(regime, potential, social_economy, faster, failed):
    intake = IntakeAssessment(Decimal(regime), potential, social_economy, faster)
    verdict = suggest_verdict(intake, RULES)
    assert verdict.eligible is (not failed)
    assert [problem.code for problem in verdict.failed] == failed
    assert {problem.rule for problem in verdict.failed} <= {"R-INT-2"}


def test_R_INT_2_the_regime_problem_names_limit_and_actual():
    intake = IntakeAssessment(Decimal("0.4"), GOOD, False, False)
    (problem,) = suggest_verdict(intake, RULES).failed
    assert (problem.limit, problem.actual) == ("0.5", "0.4")


@pytest.mark.parametrize(
    ("kind", "leefloon", "registered", "referral", "codes"),
    [
        pytest.param(TrajectoryKind.ART60, True, True, None, [], id="R-INT-3 art60 ok"),
        pytest.param(
            TrajectoryKind.ART60,
            False,
            False,
            None,
            ["no_leefloon_entitlement", "not_registered_job_seeker"],
            id="R-INT-3 art60 neither",
        ),
        pytest.param(TrajectoryKind.WZ, False, True, "2027-03-15", [], id="R-INT-3 wz referred"),
        pytest.param(
            TrajectoryKind.WZ, False, True, None, ["no_vdab_referral"], id="R-INT-3 wz no referral"
        ),
    ],
)
def test_R_INT_3_entry_conditions(kind, leefloon, registered, referral, codes):
    problems = entry_problems(
        kind,
        leefloon_entitled=leefloon,
        registered_job_seeker=registered,
        referral_date=d(referral) if referral else None,
    )
    assert [problem.code for problem in problems] == codes
