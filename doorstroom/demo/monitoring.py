"""Month-end snapshots for the demo (R-FIN-4): two years of history for dashboards and exports."""

from __future__ import annotations

import datetime

from doorstroom.demo.context import DemoContext
from doorstroom.reports.snapshots import last_month_end, snapshots_take

MONTHS = 24


def load_snapshots(ctx: DemoContext) -> None:
    last = last_month_end(ctx.today)
    month = last.replace(day=1)
    for _ in range(MONTHS):
        snapshots_take(month=month, today=ctx.today)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
