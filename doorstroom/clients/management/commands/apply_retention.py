"""Yearly or monthly, from cron: anonymise the closed dossiers past the retention period.

``--dry-run`` lists what it would do and writes nothing. R-PRV-6.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from doorstroom.clients.retention import (
    client_anonymise,
    cutoff,
    due_clients,
    holdings,
    retention_years,
)


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date like 2036-01-31, not {value!r}.") from error


class Command(BaseCommand):
    help = "Anonymise the dossiers whose last activity is older than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, write nothing.")
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        due = due_clients(today)
        self.stdout.write(
            f"Retention {retention_years()} years: dossiers without activity since before "
            f"{cutoff(today).isoformat()}: {len(due)}."
        )
        for item in due:
            if options["dry_run"]:
                rows = holdings(item.client).count()
                self.stdout.write(
                    f"  would anonymise client {item.client.pk} (last activity "
                    f"{item.last_activity.isoformat()}, {rows} rows)"
                )
            else:
                found = client_anonymise(client=item.client, today=today)
                self.stdout.write(f"  anonymised client {item.client.pk} ({found.count()} rows)")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
