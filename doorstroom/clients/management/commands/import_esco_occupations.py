"""Import occupations from an ESCO CSV download (e.g. occupations_nl.csv)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from doorstroom.clients.occupations import LANGUAGES, import_esco
from doorstroom.core.esco import EscoFormatError

HELP = gettext_noop(
    "Import occupations from an ESCO occupations CSV file: match them by ESCO URI or by Dutch "
    "name, create the others. Everything happens in one transaction."
)


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(HELP)
        parser.add_argument("path", type=Path, help=_("the ESCO file, e.g. occupations_nl.csv"))
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default="nl",
            help=_("language of the file's labels (en only fills English names)"),
        )
        parser.add_argument(
            "--english",
            type=Path,
            metavar="PATH",
            help=_("the English file of the same ESCO version, to fill the English names"),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("show what the import would do, save nothing"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_esco(
                options["path"],
                language=options["language"],
                english=options["english"],
                dry_run=options["dry_run"],
            )
        except EscoFormatError as exc:
            raise CommandError(
                _("%(path)s is not an ESCO occupations file: the columns %(columns)s are missing.")
                % {"path": exc.path, "columns": ", ".join(exc.missing)}
            ) from exc
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": exc.filename, "error": exc.strerror}
            ) from exc

        for error in result.errors:
            self.stderr.write(
                _("Row %(row)d: %(reason)s") % {"row": error.row, "reason": error.reason}
            )
        summary = _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(skipped)d skipped, %(errors)d with an error."
        ) % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "skipped": result.skipped,
            "errors": len(result.errors),
        }
        self.stdout.write(summary)
        if result.dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
