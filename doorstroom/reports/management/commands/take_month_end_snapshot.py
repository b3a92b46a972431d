"""Monthly, from cron on the 1st: the month-end snapshot of every trajectory (R-FIN-4).

Idempotent: running it again for the same month replaces that month's rows, so a correction in
a dossier can be carried into a past month with ``--month 2026-09``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from doorstroom.core.errors import DomainError
from doorstroom.reports.snapshots import last_month_end, snapshots_take_range


def _month(value: str) -> datetime.date:
    try:
        if len(value) != 7:
            raise ValueError(value)
        return datetime.date.fromisoformat(value + "-01")
    except ValueError as error:
        raise CommandError(f"--month must look like 2026-09, not {value!r}.") from error


class Command(BaseCommand):
    help = "Take the month-end snapshot of every trajectory (default: the last month that ended)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="The month as YYYY-MM (default: the last ended).")
        parser.add_argument(
            "--since",
            help="Take every month from this one (YYYY-MM) up to --month, e.g. after an import.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        last = _month(options["month"]) if options["month"] else last_month_end(today)
        first = _month(options["since"]) if options["since"] else last
        if first > last:
            raise CommandError("--since must not be after --month.")
        try:
            counts = snapshots_take_range(first=first, last=last, today=today)
        except DomainError as error:
            raise CommandError(str(error)) from error
        for day, count in counts.items():
            self.stdout.write(f"{day:%Y-%m}: {count} trajectories.")
