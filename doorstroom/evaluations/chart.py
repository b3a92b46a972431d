"""The competence picture as plain SVG coordinates: no JavaScript, the same in a PDF later.

One small chart per competence: time on the x axis (the days with a score), the 4 levels on
the y axis, a line per source and a dashed line for the POP target.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doorstroom.evaluations.selectors import SERIES, CompetenceSeries

WIDTH, HEIGHT = 320, 140
LEFT, RIGHT, TOP, BOTTOM = 28, 12, 10, 24

# Sources scored on the same day would hide each other: each is drawn a little aside.
NUDGE = {"coach": -4.5, "mentor": -1.5, "self": 1.5, "feedback": 4.5}

SOURCE_STYLE: dict[str, tuple[str | Promise, str, str]] = {
    # source: (label, colour, dash) — colours distinguishable and with a marker shape too
    "coach": (_("Coach"), "#1d5a94", ""),
    "mentor": (_("Mentor"), "#9a3412", "6 3"),
    "self": (_("Self-assessment"), "#166534", "2 3"),
    "feedback": (_("360° (average)"), "#6b21a8", "10 4"),
}


@dataclass(frozen=True)
class Line:
    source: str
    label: str
    colour: str
    dash: str
    points: str  # "x,y x,y"
    dots: tuple[tuple[float, float, str], ...]  # x, y, level text


@dataclass(frozen=True)
class Chart:
    name: str
    width: int
    height: int
    lines: tuple[Line, ...]
    target_y: float | None
    level_ticks: tuple[tuple[int, float], ...]
    day_ticks: tuple[tuple[str, float], ...]
    plot_left: int
    plot_right: int


def _x(day: datetime.date, first: datetime.date, last: datetime.date) -> float:
    span = (last - first).days or 1
    usable = WIDTH - LEFT - RIGHT
    if first == last:
        return LEFT + usable / 2
    return round(LEFT + usable * (day - first).days / span, 1)


def _y(level: float) -> float:
    usable = HEIGHT - TOP - BOTTOM
    return round(TOP + usable * (4 - level) / 3, 1)


def chart_for(series: CompetenceSeries) -> Chart:
    days = sorted({p.day for p in series.points})
    first, last = days[0], days[-1]
    lines = []
    for source in SERIES:
        points = series.of(source)
        if not points:
            continue
        label, colour, dash = SOURCE_STYLE[source]
        nudge = NUDGE[source]
        coords = [
            (round(_x(p.day, first, last) + nudge, 1), _y(float(p.level)), str(p.level))
            for p in points
        ]
        lines.append(
            Line(
                source,
                str(label),
                colour,
                dash,
                " ".join(f"{x},{y}" for x, y, _level in coords),
                tuple(coords),
            )
        )
    shown_days = days if len(days) <= 4 else [days[0], days[len(days) // 2], days[-1]]
    return Chart(
        name=series.competence.name_nl,
        width=WIDTH,
        height=HEIGHT,
        lines=tuple(lines),
        target_y=_y(series.target) if series.target else None,
        level_ticks=tuple((level, _y(level)) for level in (1, 2, 3, 4)),
        day_ticks=tuple((d.strftime("%m/%y"), _x(d, first, last)) for d in shown_days),
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
    )


def legend() -> list[tuple[str, str, str]]:
    return [(str(label), colour, dash) for label, colour, dash in SOURCE_STYLE.values()]
