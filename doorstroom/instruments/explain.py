"""Rule-set instrument limits and the rules core's problems, in words for coaches (R-INS-2)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from doorstroom.core.text import short_date
from doorstroom.rules.instruments import InstrumentUse as PlannedUse
from doorstroom.rules.periods import inclusive_days
from doorstroom.rules.problems import Problem
from doorstroom.rules.rulesets import Duration, DurationUnit, InstrumentLimits, RuleSet
from doorstroom.trajectories.choices import TrajectoryKind


def _unit_text(unit: DurationUnit, count: int, shown: str) -> str:
    if unit is DurationUnit.MONTHS:
        text = ngettext("%(count)s month", "%(count)s months", count)
    elif unit is DurationUnit.WEEKS:
        text = ngettext("%(count)s week", "%(count)s weeks", count)
    else:
        text = ngettext("%(count)s day", "%(count)s days", count)
    return text % {"count": shown}


def duration_text(duration: Duration) -> str:
    """Return "30 days", "26 weeks", "1 month" in the active language."""
    return _unit_text(duration.unit, duration.amount, str(duration.amount))


def days_text(count: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def percent(regime: Decimal) -> str:
    return f"{regime * 100:.0f} %"


def _length_text(limits: InstrumentLimits) -> str:
    low, high = limits.min_duration, limits.max_duration
    if low and high and low.unit is high.unit:
        # "4–26 weeks": one unit, said once.
        return _unit_text(high.unit, high.amount, f"{low.amount}–{high.amount}")
    if low and high:
        return _("%(low)s to %(high)s") % {"low": duration_text(low), "high": duration_text(high)}
    if high:
        return _("at most %(limit)s") % {"limit": duration_text(high)}
    if low:
        return _("at least %(limit)s") % {"limit": duration_text(low)}
    return ""


def limits_text(limits: InstrumentLimits) -> str:
    """Return the limits in one line: "4–26 weeks, at least half-time"; "" when there are none."""
    parts = [_length_text(limits)]
    if limits.min_regime is not None:
        if limits.min_regime == Decimal("0.5"):
            parts.append(_("at least half-time"))
        else:
            parts.append(
                _("at least %(regime)s of full time") % {"regime": percent(limits.min_regime)}
            )
    if limits.max_uses == 1:
        parts.append(_("once per trajectory"))
    elif limits.max_uses is not None:
        parts.append(
            ngettext(
                "at most %(count)s time per trajectory",
                "at most %(count)s times per trajectory",
                limits.max_uses,
            )
            % {"count": limits.max_uses}
        )
    return ", ".join(part for part in parts if part)


def trajectory_kinds_text(limits: InstrumentLimits) -> str:
    """Say where the limits apply: "" in every trajectory, else "only in TWE/art60 (OCMW)"."""
    if not limits.trajectory_kinds:
        return ""
    labels = dict(TrajectoryKind.choices)
    kinds = ", ".join(str(labels.get(kind, kind)) for kind in limits.trajectory_kinds)
    return _("only in %(kinds)s") % {"kinds": kinds}


@dataclass(frozen=True)
class KindRow:
    """One instrument kind of a rule set, as the catalogue page and forms show it."""

    kind: str
    label: str
    limits: str
    applies: str
    rule: str


def kind_rows(ruleset: RuleSet) -> list[KindRow]:
    """Every instrument kind of `ruleset` with its limits in words, sorted by label."""
    rows = [
        KindRow(
            kind=limits.kind,
            label=limits.label,
            limits=limits_text(limits),
            applies=trajectory_kinds_text(limits),
            rule=limits.rule,
        )
        for limits in ruleset.instruments
    ]
    return sorted(rows, key=lambda row: row.label.casefold())


def kind_label(ruleset: RuleSet, kind: str) -> str:
    """The rule set's label of `kind`, or the code itself when the rule set no longer has it."""
    try:
        return ruleset.instrument(kind).label
    except KeyError:
        return kind


# Which form field a problem concerns (the dates, the regime, or the kind itself).
PROBLEM_FIELDS = {
    "duration_too_long": "end",
    "duration_too_short": "end",
    "regime_too_low": "regime",
    "max_uses_exceeded": "kind",
}


def _fact(problem: Problem, name: str) -> str:
    return dict(problem.facts).get(name, "")


def _day(iso: str) -> str:
    return short_date(datetime.date.fromisoformat(iso)) if iso else ""


def _duration_message(
    problem: Problem, use: PlannedUse, limits: InstrumentLimits, duration: Duration | None
) -> str:
    values = {
        "label": limits.label,
        "limit": duration_text(duration) if duration else problem.limit,
        "rule": problem.rule,
        "actual": days_text(inclusive_days(use.start, use.end)),
        "start": short_date(use.start),
        "last_day": _day(_fact(problem, "limit_last_day")),
    }
    if problem.code == "duration_too_long":
        return (
            _(
                "%(label)s lasts at most %(limit)s (%(rule)s): this one lasts %(actual)s. "
                "Starting on %(start)s, it ends on %(last_day)s at the latest."
            )
            % values
        )
    return (
        _(
            "%(label)s lasts at least %(limit)s (%(rule)s): this one lasts only %(actual)s. "
            "Starting on %(start)s, it ends on %(last_day)s at the earliest."
        )
        % values
    )


def problem_message(
    problem: Problem,
    use: PlannedUse,
    limits: InstrumentLimits,
    earlier_start: datetime.date | None = None,
) -> str:
    """Say which limit `use` breaks, with the kind's label, the limit and the actual value."""
    if problem.code == "duration_too_long":
        return _duration_message(problem, use, limits, limits.max_duration)
    if problem.code == "duration_too_short":
        return _duration_message(problem, use, limits, limits.min_duration)
    if problem.code == "regime_too_low":
        return _(
            "%(label)s is at least %(limit)s of full time (%(rule)s): this one is %(actual)s."
        ) % {
            "label": limits.label,
            "limit": percent(Decimal(problem.limit)),
            "rule": problem.rule,
            "actual": percent(use.regime),
        }
    if problem.code == "max_uses_exceeded" and limits.max_uses == 1:
        message = _("%(label)s is used only once per trajectory (%(rule)s).") % {
            "label": limits.label,
            "rule": problem.rule,
        }
        if earlier_start is not None:
            message += " " + _("This trajectory already has one from %(day)s.") % {
                "day": short_date(earlier_start)
            }
        return message
    if problem.code == "max_uses_exceeded":
        return ngettext(
            "%(label)s is used at most %(count)s time per trajectory (%(rule)s): this would be "
            "number %(actual)s.",
            "%(label)s is used at most %(count)s times per trajectory (%(rule)s): this would be "
            "number %(actual)s.",
            int(problem.limit),
        ) % {
            "label": limits.label,
            "count": int(problem.limit),
            "rule": problem.rule,
            "actual": problem.actual,
        }
    return _("%(label)s: this use breaks %(rule)s.") % {"label": limits.label, "rule": problem.rule}
