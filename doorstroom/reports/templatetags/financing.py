"""Template filters of the financing pages: amounts in euro and a trajectory's financing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from doorstroom.reports.financing import (
    MonthLine,
    TrajectoryFinancing,
    TrajectoryLines,
    status_text,
    trajectory_financing,
)
from doorstroom.trajectories.models import Trajectory

register = template.Library()


@register.filter
def euro(value: Decimal | None) -> str:
    """Return an amount as "€ 1.250,00" in the active language's number format.

    A no-break space keeps the sign with the number in narrow table columns.
    """
    amount = value if value is not None else Decimal(0)
    return f"€\u00a0{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)}"


@register.filter
def financing_of(trajectory: Trajectory) -> TrajectoryFinancing:
    """The trajectory's financing as due today (reads its prefetched clock: no query)."""
    return trajectory_financing(trajectory, timezone.localdate())


@register.filter
def effort_status_text(status: str) -> str:
    """Why a month's guidance fee is (not) paid, in words with the rule id."""
    return status_text(status)


@register.simple_tag
def statement_blocks(blocks: Iterable[TrajectoryLines]) -> SafeString:
    """A statement page's trajectory blocks with their month lines (R-FIN-4), as one string.

    Written here rather than by a loop in reports/financing/statement.html: a page holds up
    to 50 blocks and some 200 month lines, and the template engine spent more time on them
    than the rest of the page (issue #11). The markup is what that loop wrote, byte for byte:
    every value escaped as ``{{ }}`` escapes it (``euro`` writes digits, separators and the
    euro sign only), the labels translated once per page and, as literal ``{% translate %}``
    strings, not escaped.
    """
    labels = _Labels()
    html = "".join(_block(block, labels) for block in blocks)
    return mark_safe(html)  # noqa: S308  (every value escaped in _block and _line)


class _Labels:
    """The page's words, translated once (in the active language)."""

    def __init__(self) -> None:
        self.start = gettext("Start")
        self.ao_start = gettext("AO start")
        self.in_time = gettext("in time")
        self.not_in_time = gettext("not in time")
        self.subtotal = gettext("Subtotal")
        self.part2_only = gettext(
            "Only part 2 of the compensation: guidance ended this quarter (R-FIN-2)."
        )
        self.head = (
            f'<thead><tr><th scope="col">{gettext("Month end")}</th>'
            f'<th scope="col">{gettext("Month")}</th>'
            f'<th scope="col" class="text-end">{gettext("Guidance fee")}</th>'
            f'<th scope="col">{gettext("Why")}</th>'
            f'<th scope="col" class="text-end">{gettext("Deel 3")}</th>'
            f'<th scope="col" class="text-end">{gettext("Part 1")}</th>'
            f'<th scope="col" class="text-end">{gettext("Part 2")}</th></tr></thead>'
        )
        self.caption = gettext("Month lines of %(name)s")
        self.dates: dict[datetime.date, str] = {}
        self.amounts: dict[str, str] = {}
        self.reasons: dict[str, str] = {}

    def why(self, status: str) -> str:
        """As ``{{ line.explanation }}`` (escaped), once per status."""
        found = self.reasons.get(status)
        if found is None:
            found = self.reasons[status] = conditional_escape(status_text(status))
        return found

    def euro(self, amount: Decimal) -> str:
        """As ``|euro``: a page has few distinct amounts (by text: 0 and -0 differ)."""
        text = str(amount)
        found = self.amounts.get(text)
        if found is None:
            found = self.amounts[text] = euro(amount)
        return found

    def date(self, day: datetime.date) -> str:
        """As ``|date:"SHORT_DATE_FORMAT"``: a page has few distinct month ends."""
        found = self.dates.get(day)
        if found is None:
            found = self.dates[day] = date_format(day, "SHORT_DATE_FORMAT")
        return found


def _block(block: TrajectoryLines, labels: _Labels) -> str:
    name = conditional_escape(block.client_name)
    if block.ao_in_time is True:
        in_time = f'· <span class="badge text-bg-success">{labels.in_time}</span>'
    elif block.ao_in_time is False:
        in_time = f'· <span class="badge text-bg-danger">{labels.not_in_time}</span>'
    else:
        in_time = ""
    ao_start = labels.date(block.ao_start) if block.ao_start else "—"
    lines = "".join(_line(line, labels) for line in block.lines)
    subtotal = block.subtotal
    return (
        '\n  <div class="card mb-2" data-testid="statement-trajectory"><div class="card-body">\n'
        f'    <h3 class="h6 mb-1">{name} <small class="text-body-secondary">'
        f"#{block.trajectory_id}</small></h3>\n"
        f'    <p class="small text-body-secondary mb-2">{labels.start} {labels.date(block.start)}'
        f" · {labels.ao_start} {ao_start}\n"
        f"      {in_time}</p>\n"
        '    <div class="table-responsive"><table class="table table-sm mb-0">\n'
        f'      <caption class="visually-hidden">{labels.caption % {"name": name}}</caption>\n'
        f"      {labels.head}\n"
        f"      <tbody>{lines}</tbody>\n"
        '      <tfoot><tr class="fw-semibold">'
        f'<th scope="row" colspan="2">{labels.subtotal}</th>'
        f'<td class="text-end">{labels.euro(subtotal.effort_fee)}</td><td></td>'
        f'<td class="text-end">{labels.euro(subtotal.deel3)}</td>'
        f'<td class="text-end">{labels.euro(subtotal.compensation_part1)}</td>'
        f'<td class="text-end">{labels.euro(subtotal.compensation_part2)}</td></tr></tfoot>\n'
        "    </table></div>\n"
        "  </div></div>\n  "
    )


def _line(line: MonthLine, labels: _Labels) -> str:
    amounts = line.amounts
    if line.part2_only:
        fee, why = "—", labels.part2_only
    else:
        fee, why = labels.euro(amounts.effort_fee), labels.why(line.status)
    return (
        '\n        <tr data-testid="statement-line">'
        f"<td>{labels.date(line.month_end)}</td><td>{line.month}</td>\n"
        f'          <td class="text-end">{fee}</td>\n'
        f'          <td class="small">{why}</td>\n'
        f'          <td class="text-end">{labels.euro(amounts.deel3)}</td>'
        f'<td class="text-end">{labels.euro(amounts.compensation_part1)}</td>'
        f'<td class="text-end">{labels.euro(amounts.compensation_part2)}</td></tr>\n      '
    )
