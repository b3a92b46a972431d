"""R-PLC-6: growth at a placement has stalled when the last evaluations show no improvement."""

from __future__ import annotations

from decimal import Decimal

import pytest

from doorstroom.rules import PlateauReason, detect_plateau
from tests.rules.support import RULES, with_rules

STRICT = with_rules(placements={"plateau_evaluations": 3})


@pytest.mark.parametrize(
    ("evaluations", "ruleset", "stalled", "reason", "compared"),
    [
        pytest.param(
            [{"a": 2, "b": 3}, {"a": 2, "b": 3}],
            RULES,
            True,
            PlateauReason.STALLED,
            ("a", "b"),
            id="R-PLC-6 same scores",
        ),
        pytest.param(
            [{"a": 3}, {"a": 2}],
            RULES,
            True,
            PlateauReason.STALLED,
            ("a",),
            id="R-PLC-6 a decline is no growth",
        ),
        pytest.param(
            [{"a": 2, "b": 3}, {"a": 3, "b": 2}],
            RULES,
            False,
            PlateauReason.IMPROVED,
            ("a", "b"),
            id="R-PLC-6 one competence improved",
        ),
        pytest.param(
            [{"a": 2}],
            RULES,
            False,
            PlateauReason.TOO_FEW_EVALUATIONS,
            (),
            id="R-PLC-6 one evaluation",
        ),
        pytest.param(
            [{"a": 2}, {"b": 2}],
            RULES,
            False,
            PlateauReason.NO_COMMON_COMPETENCES,
            (),
            id="R-PLC-6 nothing in common",
        ),
        pytest.param(
            [{"a": 2, "b": 1}, {"a": 2, "c": 5}],
            RULES,
            True,
            PlateauReason.STALLED,
            ("a",),
            id="R-PLC-6 only competences both scored",
        ),
        pytest.param(
            [{"a": 1}, {"a": 3}, {"a": 3}],
            RULES,
            True,
            PlateauReason.STALLED,
            ("a",),
            id="R-PLC-6 only the last two evaluations",
        ),
        pytest.param(
            [{"a": 1}, {"a": 3}, {"a": 3}],
            STRICT,
            False,
            PlateauReason.IMPROVED,
            ("a",),
            id="R-PLC-6 a stricter installation compares three",
        ),
        pytest.param(
            [{"a": 3}, {"a": 3}, {"a": 3}],
            STRICT,
            True,
            PlateauReason.STALLED,
            ("a",),
            id="R-PLC-6 three flat evaluations",
        ),
        pytest.param(
            [{"a": 1}, {"b": 1}, {"b": 1}],
            STRICT,
            False,
            PlateauReason.NO_COMMON_COMPETENCES,
            (),
            id="R-PLC-6 a pair without overlap",
        ),
        pytest.param(
            [{"a": Decimal("2.5")}, {"a": Decimal("2.75")}],
            RULES,
            False,
            PlateauReason.IMPROVED,
            ("a",),
            id="R-PLC-6 decimal scores",
        ),
    ],
)
def test_R_PLC_6_plateau(evaluations, ruleset, stalled, reason, compared):
    result = detect_plateau(evaluations, ruleset)
    assert (result.stalled, result.reason, result.compared) == (stalled, reason, compared)


def test_R_PLC_6_the_result_explains_every_comparison():
    result = detect_plateau([{"a": 1}, {"a": 2, "b": 2}, {"a": 2, "b": 3}], RULES)
    assert result.evaluations_compared == 2
    assert [(c.competence, c.before, c.after, c.evaluation) for c in result.changes] == [
        ("a", 2, 2, 2),
        ("b", 2, 3, 2),
    ]
    assert result.improved == ("b",)
