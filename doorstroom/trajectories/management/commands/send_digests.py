"""Daily, from cron: refresh every trajectory's signals, then mail each coach what is due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from doorstroom.trajectories import services
from doorstroom.trajectories.digest import send_digests


class Command(BaseCommand):
    help = "Refresh the caseload signals and e-mail each user their deadlines due this week."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        refreshed = services.refresh_all(today)
        sent = send_digests(today)
        self.stdout.write(f"{refreshed} trajectories refreshed, {sent} digests sent.")
