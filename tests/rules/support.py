"""Shared test data: the bundled rule set and small builders for trajectory snapshots."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from doorstroom.rules import (
    Deadline,
    DeadlineCode,
    RuleSet,
    TrajectoryKind,
    TrajectorySnapshot,
    load_rulesets,
    ruleset_for,
)

RULESETS = load_rulesets()
RULES = ruleset_for(date(2027, 1, 1), RULESETS)


def d(text: str) -> date:
    """Parse an ISO date: keeps the tables short."""
    return date.fromisoformat(text)


def art60(start: str = "2027-01-15", **facts: Any) -> TrajectorySnapshot:
    """Return an art60 trajectory snapshot starting on `start`."""
    return TrajectorySnapshot(id="t1", kind=TrajectoryKind.ART60, start=d(start), **facts)


def wz(referral: str = "2027-03-15", **facts: Any) -> TrajectorySnapshot:
    """Return a wz trajectory snapshot referred on `referral`."""
    return TrajectorySnapshot(id="t1", kind=TrajectoryKind.WZ, start=d(referral), **facts)


def with_rules(ruleset: RuleSet = RULES, **sections: dict[str, Any]) -> RuleSet:
    """Return `ruleset` with some values of its sections replaced, e.g. financing={...}."""
    changes = {
        name: dataclasses.replace(getattr(ruleset, name), **values)
        for name, values in sections.items()
    }
    return dataclasses.replace(ruleset, **changes)


def of_code(deadlines: tuple[Deadline, ...], code: DeadlineCode) -> list[Deadline]:
    """Return the deadlines with `code`."""
    return [deadline for deadline in deadlines if deadline.code == code]


def dues(deadlines: tuple[Deadline, ...], code: DeadlineCode) -> list[date]:
    """Return the due dates of the deadlines with `code`."""
    return [deadline.due for deadline in of_code(deadlines, code)]
