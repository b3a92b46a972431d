"""Print every table's row count and checksum as JSON: compare before and after a restore."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from doorstroom.core.backup import table_fingerprints


class Command(BaseCommand):
    help = "Print a JSON fingerprint (rows and SHA-256 per table) of the database."

    def handle(self, *args: Any, **options: Any) -> None:
        fingerprints = {
            name: {"rows": f.rows, "sha256": f.sha256} for name, f in table_fingerprints().items()
        }
        self.stdout.write(json.dumps(fingerprints, indent=1, sort_keys=True))
