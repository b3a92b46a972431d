"""Import competences from an ESCO skills CSV download (e.g. skills_nl.csv)."""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doorstroom.core.esco import EscoFormatError
from doorstroom.plans.esco import (
    LANGUAGES,
    REUSE_LEVELS,
    ImportResult,
    import_esco_skills,
    parse_reuse_levels,
)


def _reuse_levels(text: str) -> frozenset[str]:
    try:
        return parse_reuse_levels(text.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


class Command(BaseCommand):
    help = (
        "Import competences from an ESCO skills CSV file: update the competences linked by ESCO "
        "URI, create the others (Dutch file) or fill their English names (English file). "
        "Everything happens in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the ESCO file, e.g. skills_nl.csv")
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default="nl",
            help="language of the file's labels (en only fills English names)",
        )
        parser.add_argument(
            "--only",
            type=_reuse_levels,
            metavar="LEVELS",
            help=f"import only these reuse levels, comma-separated: {','.join(REUSE_LEVELS)}",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what the import would do, save nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        try:
            result = import_esco_skills(
                path,
                language=options["language"],
                reuse_levels=options["only"],
                dry_run=options["dry_run"],
            )
        except EscoFormatError as exc:
            raise CommandError(
                f"{exc.path} is not an ESCO skills file: the columns {', '.join(exc.missing)} "
                "are missing."
            ) from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"Cannot read {path} as UTF-8 CSV: {exc}") from exc
        self._report(result, int(options["verbosity"]))

    def _report(self, result: ImportResult, verbosity: int) -> None:
        for error in result.errors:
            self.stderr.write(f"Row {error.row}: {error.reason}")
        self.stdout.write(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.skipped)} skipped, {len(result.errors)} with an error."
        )
        for reason, count in Counter(s.reason for s in result.skipped).most_common():
            self.stdout.write(f"  {count} skipped: {reason}")
        if verbosity > 1:
            for skipped in result.skipped:
                detail = f" ({skipped.detail})" if skipped.detail else ""
                self.stdout.write(f"Row {skipped.row} skipped: {skipped.reason}{detail}")
        if result.dry_run:
            self.stdout.write("Dry run: nothing was saved.")
