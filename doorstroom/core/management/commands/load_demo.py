from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from doorstroom.accounts.models import Organisation, User


class Command(BaseCommand):
    help = "Load the deterministic demo data (refused in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users or organisations.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "Demo data is never loaded in production (DOORSTROOM_ENV=production)."
            )
        if User.objects.exists() or Organisation.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has data: demo data not loaded.")
                return
            raise CommandError(
                "The database is not empty: demo data can only go into an empty one."
            )
        from doorstroom.demo import STEPS, DemoContext

        ctx = DemoContext()
        with transaction.atomic():
            for step in STEPS:
                step(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
