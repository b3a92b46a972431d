"""Reload the curated occupation list shipped with Doorstroom (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from doorstroom.clients.models import Occupation
from doorstroom.clients.occupations import load_curated

HELP = gettext_noop("Load or update the curated occupation list shipped with Doorstroom.")


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        written = load_curated(Occupation)
        self.stdout.write(_("%(count)d occupations added or updated.") % {"count": written})
