"""ICF ratings (R-ICF-1): which qualifiers a code takes, and the WHO notation of a rating."""

from __future__ import annotations

import re
from enum import StrEnum

QUALIFIERS = (0, 1, 2, 3, 4, 8, 9)  # none, mild, moderate, severe, complete, not specified, n/a
_CODE = re.compile(r"^[bdes]\d{3,5}$")


class IcfComponent(StrEnum):
    BODY_FUNCTIONS = "b"
    BODY_STRUCTURES = "s"
    ACTIVITIES = "d"
    ENVIRONMENT = "e"


def component_of(code: str) -> IcfComponent:
    """Return the component of an ICF code ("d430" → activities); ValueError if malformed."""
    if not _CODE.match(code):
        raise ValueError(f"not an ICF code: {code!r}")
    return IcfComponent(code[0])


def rating_problems(
    code: str, first: int | None, second: int | None = None, *, facilitator: bool = False
) -> tuple[str, ...]:
    """Return what is wrong with a rating (empty when it is valid).

    R-ICF-1: qualifiers are 0–4, 8 (not specified) or 9 (not applicable). A d-code carries
    performance (first) and capacity (second); other codes one qualifier. An e-code is a
    barrier or a facilitator (+0–+4); only e-codes can be facilitators.
    """
    component = component_of(code)
    problems: list[str] = []
    if first is None and second is None:
        problems.append("no_qualifier")
    for value in (first, second):
        if value is not None and value not in QUALIFIERS:
            problems.append("qualifier_out_of_range")
    if second is not None and component is not IcfComponent.ACTIVITIES:
        problems.append("capacity_only_for_activities")
    if facilitator and component is not IcfComponent.ENVIRONMENT:
        problems.append("facilitator_only_for_environment")
    if facilitator and first is not None and first > 4:
        problems.append("facilitator_needs_a_degree")
    return tuple(dict.fromkeys(problems))


def notation(
    code: str, first: int | None, second: int | None = None, *, facilitator: bool = False
) -> str:
    """Return the WHO notation: "b130.2", "d430.21", "d430.81", "e310+3", "e460.2"."""
    if facilitator:
        return f"{code}+{first}"
    qualifiers = f"{8 if first is None else first}"
    if second is not None:
        qualifiers += str(second)
    return f"{code}.{qualifiers}"
