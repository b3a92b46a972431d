from __future__ import annotations

import argparse
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from doorstroom.clients.models import Client
from doorstroom.demo.load import SCALES, Size, generate


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated database with large synthetic data for benchmarks: "
        "s ≈ 1,000 clients, m ≈ 10,000, l ≈ 100,000 (refused in production)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", required=True, choices=sorted(SCALES))
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the generator.")
        # For the tests only: the same region with this many clients.
        parser.add_argument("--clients", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Load data is never generated in production (DOORSTROOM_ENV).")
        if Client.objects.exists():
            raise CommandError(
                "This database already holds clients: generate_load only fills an empty, "
                "migrated database (create a new one, e.g. DATABASE_URL=sqlite:////tmp/load.db)."
            )
        size = Size(options["clients"] or SCALES[options["scale"]])
        began = time.monotonic()
        counts = generate(
            size,
            today=timezone.localdate(),
            seed=options["seed"],
            progress=lambda message: self.stdout.write(
                f"{time.monotonic() - began:7.1f}s  {message}"
            ),
        )
        elapsed = time.monotonic() - began
        width = max(len(label) for label in counts)
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label:<{width}}  {count:>10,}")
        total = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(f"{total:,} rows in {elapsed:.1f} s ({total / elapsed:,.0f} rows/s)")
        )
