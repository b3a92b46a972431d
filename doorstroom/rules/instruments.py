"""Instrument limits (R-INS-2, R-TRJ-11): check a planned use against its kind's rule-set limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from doorstroom.rules.clock import TrajectoryKind
from doorstroom.rules.periods import inclusive_days
from doorstroom.rules.problems import Problem
from doorstroom.rules.rulesets import Duration, InstrumentLimits, RuleSet


@dataclass(frozen=True)
class InstrumentUse:
    """A planned or registered use of an instrument; `end` is its last day."""

    kind: str
    start: date
    end: date
    regime: Decimal = Decimal(1)
    id: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"instrument use ends ({self.end}) before it starts ({self.start})")


def _duration_problem(
    code: str, use: InstrumentUse, limits: InstrumentLimits, duration: Duration
) -> Problem:
    facts = (
        ("start", use.start.isoformat()),
        ("end", use.end.isoformat()),
        ("limit_last_day", duration.last_day(use.start).isoformat()),
    )
    actual = f"{inclusive_days(use.start, use.end)} days"
    return Problem(code, limits.rule, str(duration), actual, use.id or None, facts)


def _duration_problems(use: InstrumentUse, limits: InstrumentLimits) -> list[Problem]:
    problems: list[Problem] = []
    if limits.min_duration and use.end < limits.min_duration.last_day(use.start):
        problems.append(_duration_problem("duration_too_short", use, limits, limits.min_duration))
    if limits.max_duration and use.end > limits.max_duration.last_day(use.start):
        problems.append(_duration_problem("duration_too_long", use, limits, limits.max_duration))
    return problems


def _uses_of_kind(use: InstrumentUse, earlier: Sequence[InstrumentUse]) -> int:
    """Count `use` plus the earlier uses of its kind (an earlier copy of `use` itself excluded)."""
    same = [o for o in earlier if o.kind == use.kind and not (use.id and o.id == use.id)]
    return len(same) + 1


def instrument_problems(
    use: InstrumentUse,
    trajectory_kind: TrajectoryKind,
    earlier: Sequence[InstrumentUse],
    ruleset: RuleSet,
) -> tuple[Problem, ...]:
    """Return every limit of its kind that `use` breaks, given the trajectory's earlier uses.

    Raises KeyError for a kind the rule set does not know.
    """
    # R-INS-2: duration and regime limits per kind; R-TRJ-11: the technical training of an art60
    # trajectory lasts at most 3 months and is used once. Limits apply to their trajectory kinds.
    limits = ruleset.instrument(use.kind)
    if limits.trajectory_kinds and trajectory_kind.value not in limits.trajectory_kinds:
        return ()
    problems = _duration_problems(use, limits)
    subject = use.id or None
    if limits.min_regime is not None and use.regime < limits.min_regime:
        limit, actual = str(limits.min_regime), str(use.regime)
        problems.append(Problem("regime_too_low", limits.rule, limit, actual, subject))
    uses = _uses_of_kind(use, earlier)
    if limits.max_uses is not None and uses > limits.max_uses:
        limit, actual = str(limits.max_uses), str(uses)
        problems.append(Problem("max_uses_exceeded", limits.rule, limit, actual, subject))
    return tuple(problems)
