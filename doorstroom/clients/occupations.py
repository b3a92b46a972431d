"""Occupations a client can aim for: the curated list we ship, and an importer for ESCO files.

The curated list (``data/occupations.csv``) holds about 150 occupations common in Flemish
work-experience trajectories, with ISCO-08 unit-group codes and Dutch names written by us. A
data migration loads it on every installation; ``manage.py load_occupations`` reloads it.

Installations that download ESCO (https://esco.ec.europa.eu, "occupations_nl.csv" of the CSV
download) import it with ``manage.py import_esco_occupations``. An ESCO occupation is matched to
an existing row by its URI, else by its Dutch name (case-insensitive, so a curated occupation
gets its URI attached), else created.

Both loaders take the model as an argument, so a data migration can pass the historical model.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from doorstroom.clients.models import Occupation
from doorstroom.core.esco import esco_rows

CURATED_CSV = Path(__file__).resolve().parent / "data" / "occupations.csv"
LANGUAGES = ("nl", "en")
ESCO_COLUMNS = ("conceptType", "conceptUri", "iscoGroup", "preferredLabel")
ISCO_UNIT_GROUP = re.compile(r"[0-9]{4}")
NAME_LENGTH = 200
URI_LENGTH = 255


def _key(name: str) -> str:
    return name.strip().casefold()


def load_curated(occupation_model: Any) -> int:
    """Create or update the curated occupations by Dutch name; return how many were written.

    Only the ISCO code and the English name are brought in line with the shipped list, and not
    for an occupation linked to ESCO (the ESCO import keeps those). Whether an occupation is
    active stays as the administrator left it. A second run writes nothing.
    """
    existing = {_key(o.name_nl): o for o in occupation_model.objects.all()}
    written = 0
    with CURATED_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values = {"isco_code": row["isco_code"], "name_en": row["name_en"]}
            current = existing.get(_key(row["name_nl"]))
            if current is None:
                occupation_model.objects.create(name_nl=row["name_nl"], **values)
            elif not current.esco_uri and any(getattr(current, k) != v for k, v in values.items()):
                occupation_model.objects.filter(pk=current.pk).update(**values)
            else:
                continue
            written += 1
    return written


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    reason: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False


def _wanted(row: dict[str, str]) -> bool:
    """A released occupation with an ISCO-08 unit group (not an ISCO group or a skill)."""
    return (
        row["conceptType"] == "Occupation"
        and ISCO_UNIT_GROUP.fullmatch(row["iscoGroup"]) is not None
        and row.get("status", "") in ("", "released")
    )


def _row_error(row: dict[str, str]) -> str | None:
    if not row["conceptUri"]:
        return _("the concept URI is empty")
    if len(row["conceptUri"]) > URI_LENGTH:
        return _("the concept URI is longer than %(max)d characters") % {"max": URI_LENGTH}
    if not row["preferredLabel"]:
        return _("the preferred label is empty")
    if len(row["preferredLabel"]) > NAME_LENGTH:
        return _("the preferred label is longer than %(max)d characters") % {"max": NAME_LENGTH}
    return None


def _english_labels(path: Path) -> dict[str, str]:
    return {
        row["conceptUri"]: row["preferredLabel"][:NAME_LENGTH]
        for _number, row in esco_rows(path, ESCO_COLUMNS)
        if _wanted(row)
    }


class _Importer:
    """Applies ESCO rows to the occupation table, keeping its URI and name indexes current."""

    def __init__(self, occupation_model: Any, language: str, english: dict[str, str]) -> None:
        self.model = occupation_model
        self.language = language
        self.english = english
        self.by_uri: dict[str, Any] = {}
        self.by_name: dict[str, Any] = {}
        for occupation in occupation_model.objects.all():
            self._index(occupation)
        self.result = ImportResult()

    def _index(self, occupation: Any) -> None:
        self.by_name[_key(occupation.name_nl)] = occupation
        if occupation.esco_uri:
            self.by_uri[occupation.esco_uri] = occupation

    def apply(self, number: int, row: dict[str, str]) -> None:
        if not _wanted(row):
            self.result.skipped += 1
            return
        error = _row_error(row)
        if error is not None:
            self._error(number, error)
        elif self.language == "en":
            self._set_english(row)
        else:
            self._import_dutch(number, row)

    def _set_english(self, row: dict[str, str]) -> None:
        occupation = self.by_uri.get(row["conceptUri"])
        if occupation is None:
            self.result.skipped += 1
        else:
            self._save(occupation, {"name_en": row["preferredLabel"]})

    def _import_dutch(self, number: int, row: dict[str, str]) -> None:
        uri, label = row["conceptUri"], row["preferredLabel"]
        name = label[:1].upper() + label[1:]  # ESCO labels are lower case; curated names are not
        values = {"isco_code": row["iscoGroup"], "name_nl": name, "esco_uri": uri}
        if uri in self.english:
            values["name_en"] = self.english[uri]
        linked = self.by_uri.get(uri)
        namesake = self.by_name.get(_key(name))
        if linked is not None and namesake not in (None, linked):
            self._error(number, _("another occupation is already called “%(name_nl)s”") % values)
        elif linked is not None:
            self._save(linked, values)
        elif namesake is not None and namesake.esco_uri:
            self._error(number, _("“%(name_nl)s” is linked to another ESCO occupation") % values)
        elif namesake is not None:
            self._save(namesake, {**values, "name_nl": namesake.name_nl})
        else:
            occupation = self.model(**values)
            occupation.save()
            self._index(occupation)
            self.result.created += 1

    def _save(self, occupation: Any, values: dict[str, str]) -> None:
        changed = [k for k, v in values.items() if getattr(occupation, k) != v]
        if not changed:
            self.result.unchanged += 1
            return
        self.by_name.pop(_key(occupation.name_nl), None)
        for name in changed:
            setattr(occupation, name, values[name])
        occupation.save(update_fields=changed)
        self._index(occupation)
        self.result.updated += 1

    def _error(self, number: int, reason: str) -> None:
        self.result.errors.append(RowError(number, reason))


def import_esco(
    path: Path | str,
    *,
    language: str = "nl",
    english: Path | str | None = None,
    occupation_model: Any = Occupation,
    dry_run: bool = False,
) -> ImportResult:
    """Import an ESCO occupations CSV file in one transaction.

    ``language="nl"`` (``occupations_nl.csv``) creates and updates occupations; ``english``, an
    ``occupations_en.csv`` of the same ESCO version, fills their English names. A file read with
    ``language="en"`` only fills the English names of occupations already linked to ESCO.
    Rows that are not released occupations with an ISCO-08 unit group are skipped; a row that
    cannot be imported is reported and left out, the others are kept. With ``dry_run`` nothing
    is kept and the counts say what the import would have done. An occupation linked to ESCO
    follows ESCO: its Dutch name and ISCO code are updated on every import.
    Raises :class:`EscoFormatError` when a file lacks the ESCO columns.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    english_labels = _english_labels(Path(english)) if english else {}
    with transaction.atomic():
        importer = _Importer(occupation_model, language, english_labels)
        for number, row in esco_rows(Path(path), ESCO_COLUMNS):
            importer.apply(number, row)
        importer.result.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return importer.result
