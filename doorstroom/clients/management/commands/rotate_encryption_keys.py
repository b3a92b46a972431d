"""Re-encrypt every protected note with the newest key (R-PRV-3 key rotation)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from doorstroom.clients.models import SensitiveNote
from doorstroom.core import crypto


class Command(BaseCommand):
    help = "Re-encrypt the protected notes with the first key of DOORSTROOM_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        with transaction.atomic():
            for note in SensitiveNote.objects.select_for_update().only("pk", "ciphertext"):
                note.ciphertext = crypto.rotate(note.ciphertext)
                note.save(update_fields=["ciphertext"])
                count += 1
        self.stdout.write(f"{count} protected notes re-encrypted with the newest key.")
