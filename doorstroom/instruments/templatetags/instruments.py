"""Template filters for instrument uses: the rule set's label and limits of a use's kind."""

from __future__ import annotations

from django import template

from doorstroom.core.regulation import ruleset_on
from doorstroom.instruments.explain import kind_label, limits_text
from doorstroom.instruments.models import InstrumentUse

register = template.Library()


@register.filter
def instrument_label(use: InstrumentUse) -> str:
    """The kind's label in the rule set of the trajectory's start (R-VER-1)."""
    return kind_label(ruleset_on(use.trajectory.start), use.kind)


@register.filter
def instrument_limits(use: InstrumentUse) -> str:
    """The kind's limits in words with their rule: "4–26 weeks, at least half-time (R-INS-2)"."""
    try:
        limits = ruleset_on(use.trajectory.start).instrument(use.kind)
    except KeyError:
        return ""
    if limits.trajectory_kinds and use.trajectory.kind not in limits.trajectory_kinds:
        return ""  # e.g. R-TRJ-11 limits a technical training in art60 trajectories only
    text = limits_text(limits)
    return f"{text} ({limits.rule})" if text else ""
