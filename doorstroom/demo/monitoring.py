"""Month-end snapshots for the demo (R-FIN-4): two years of history for dashboards and exports."""

from __future__ import annotations

import datetime

from doorstroom.demo.context import DemoContext
from doorstroom.reports.snapshots import last_month_end, snapshots_take_range

MONTHS = 24


def load_snapshots(ctx: DemoContext) -> None:
    last = last_month_end(ctx.today)
    first = last.replace(day=1)
    for _ in range(MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    snapshots_take_range(first=first, last=last, today=ctx.today)
