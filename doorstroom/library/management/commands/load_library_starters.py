"""Load the kennisbank's starter documents, shared with every organisation (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstroom.core.errors import DomainError
from doorstroom.library.services import starter_author, starter_load
from doorstroom.library.starters import STARTERS


class Command(BaseCommand):
    help = "Load the starter documents of the knowledge base (shared with every organisation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation",
            default="",
            help="Name of the author organisation (default: the setting "
            "DOORSTROOM_LIBRARY_STARTER_ORGANISATION, else the first organisation).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = starter_author(options["organisation"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        for starter in STARTERS:
            done = starter_load(starter, organisation=organisation)
            self.stdout.write(f"{starter.title}: {done}")
