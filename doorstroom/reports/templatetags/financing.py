"""Template filters of the financing pages: amounts in euro and a trajectory's financing."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from doorstroom.reports.financing import TrajectoryFinancing, status_text, trajectory_financing
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
