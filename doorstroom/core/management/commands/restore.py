"""Restore a backup archive made by ``manage.py backup`` into the embedded SQLite mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstroom.core.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = "Restore a backup archive (database + uploaded files); refuses a non-empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz written by manage.py backup.")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_archive(Path(options["archive"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: every table checked "
            f"({len(manifest['tables'])} tables)."
        )
