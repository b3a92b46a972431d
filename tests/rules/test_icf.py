"""R-ICF-1: qualifiers per component and the WHO notation."""

from __future__ import annotations

import pytest

from doorstroom.rules.icf import IcfComponent, component_of, notation, rating_problems


def test_R_ICF_1_component_from_the_code() -> None:
    assert component_of("d430") is IcfComponent.ACTIVITIES
    assert component_of("b1300") is IcfComponent.BODY_FUNCTIONS
    assert component_of("e310") is IcfComponent.ENVIRONMENT
    with pytest.raises(ValueError, match="not an ICF code"):
        component_of("x12")


@pytest.mark.parametrize(
    ("code", "first", "second", "facilitator", "problems"),
    [
        ("d430", 2, 1, False, ()),
        ("d430", None, 1, False, ()),
        ("b130", 3, None, False, ()),
        ("e310", 3, None, True, ()),
        ("e460", 2, None, False, ()),
        ("d430", None, None, False, ("no_qualifier",)),
        ("d430", 5, None, False, ("qualifier_out_of_range",)),
        ("d430", 2, 7, False, ("qualifier_out_of_range",)),
        ("b130", 2, 1, False, ("capacity_only_for_activities",)),
        ("d430", 2, None, True, ("facilitator_only_for_environment",)),
        ("e310", 8, None, True, ("facilitator_needs_a_degree",)),
    ],
)
def test_R_ICF_1_rating_problems(
    code: str, first: int | None, second: int | None, facilitator: bool, problems: tuple[str, ...]
) -> None:
    assert rating_problems(code, first, second, facilitator=facilitator) == problems


def test_R_ICF_1_notation() -> None:
    assert notation("b130", 2) == "b130.2"
    assert notation("d430", 2, 1) == "d430.21"
    assert notation("d430", None, 1) == "d430.81"  # performance not specified
    assert notation("e310", 3, facilitator=True) == "e310+3"
    assert notation("e460", 2) == "e460.2"
