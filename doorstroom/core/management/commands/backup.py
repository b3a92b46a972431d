"""Back up the embedded mode: the SQLite database (online) and MEDIA_ROOT, in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from doorstroom.core.backup import BackupError, create_archive


class Command(BaseCommand):
    help = "Write a backup archive (database + uploaded files) for the embedded SQLite mode."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="The archive to write (default: var/backups/doorstroom-<time>.tar.gz).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        default = Path(settings.VAR_DIR) / "backups" / f"doorstroom-{stamp}.tar.gz"
        output = Path(options["output"]) if options["output"] else default
        try:
            manifest = create_archive(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {output}: {len(manifest['tables'])} tables, {rows} rows. "
            "The encryption keys are not in it: keep DOORSTROOM_ENCRYPTION_KEYS and SECRET_KEY "
            "apart (docs/backup.md)."
        )
