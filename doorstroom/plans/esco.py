"""Import ESCO skills into the competence catalogue (issue #6).

ESCO's CSV download (https://esco.ec.europa.eu/en/use-esco/download) holds the skills as
``skills_<language>.csv``. :func:`import_esco_skills` reads one of them:

- A competence is linked to an ESCO skill by its ``esco_uri`` and by nothing else. The curated
  competences ship without a URI, so the import leaves them alone until an administrator fills
  one in (Beheer); from then on they follow ESCO like the imported ones.
- A Dutch file (``language="nl"``) creates the skills that are missing and updates the Dutch name
  and the description of the linked ones (an empty ESCO description keeps ours). A new skill whose
  Dutch name another competence already has is skipped, not duplicated.
- An English file (``language="en"``) only fills the English name of linked competences: it
  creates nothing (a competence needs a Dutch name), so import the Dutch file first.
- The code, kind, occupation and "active" of an existing competence never change. A new one gets
  the kind from ``reuseLevel`` (transversal → transversal, any other level → occupational) and a
  code from its Dutch label plus the start of the URI's last segment (``samenwerken-0a1b2c3d``).
- Read are the rows with ``conceptType`` KnowledgeSkillCompetence and ``status`` released (either
  may be empty or absent); the others are skipped, like the reuse levels left out by
  ``reuse_levels`` (the full file has about 14,000 skills). Linked competences whose skill ESCO
  made obsolete are left as they are.
- A row without a URI or a label, or with one too long, is an error: reported with its row
  number (as a spreadsheet counts: the header is row 1) and left out; the other rows are kept.

The file may start with a byte-order mark and separate with ``,`` or ``;``; columns other than
``conceptUri`` and ``preferredLabel`` may be missing, unknown ones are ignored. The import runs in
one transaction; a dry run rolls it back, so it reports exactly what a real run would do.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from doorstroom.core.esco import esco_rows
from doorstroom.plans.models import Competence, CompetenceKind

LANGUAGES = ("nl", "en")
REUSE_LEVELS = ("transversal", "cross-sector", "sector-specific", "occupation-specific")
REQUIRED_COLUMNS = ("conceptUri", "preferredLabel")
SKILL_CONCEPT_TYPES = ("", "knowledgeskillcompetence")
IMPORTED_STATUSES = ("", "released")
NAME_LENGTH = 200
URI_LENGTH = 255
CODE_LENGTH = 60
SUFFIX_LENGTH = 8

SKIP_NOT_A_SKILL = "not a skill (conceptType)"
SKIP_NOT_RELEASED = "not released (status, e.g. obsolete)"
SKIP_REUSE_LEVEL = "reuse level not selected"
SKIP_NOT_LINKED = "no competence is linked to this skill (import the Dutch file first)"
SKIP_NAME_TAKEN = "another competence already has this Dutch name"


@dataclass(frozen=True)
class RowIssue:
    row: int  # as a spreadsheet numbers it: the header is row 1
    reason: str
    detail: str = ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[RowIssue] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    dry_run: bool = False


def parse_reuse_levels(values: Iterable[str]) -> frozenset[str]:
    """Return the ESCO reuse levels named in ``values``; raise ValueError for an unknown one."""
    levels = frozenset(v.strip().lower() for v in values if v.strip())
    unknown = sorted(levels - set(REUSE_LEVELS))
    if unknown:
        raise ValueError(
            f"unknown reuse level {', '.join(unknown)}; choose from {', '.join(REUSE_LEVELS)}"
        )
    return levels


def _reuse_level(row: dict[str, str]) -> str:
    """The level's name, also when the file gives its URI (…/skill-reuse-level/transversal)."""
    return row.get("reuseLevel", "").rstrip("/").rsplit("/", 1)[-1].lower()


def _skip_reason(row: dict[str, str], levels: frozenset[str] | None) -> str | None:
    if row.get("conceptType", "").casefold() not in SKILL_CONCEPT_TYPES:
        return SKIP_NOT_A_SKILL
    if row.get("status", "").casefold() not in IMPORTED_STATUSES:
        return SKIP_NOT_RELEASED
    if levels is not None and _reuse_level(row) not in levels:
        return SKIP_REUSE_LEVEL
    return None


def _row_error(row: dict[str, str]) -> str | None:
    if not row["conceptUri"]:
        return "the concept URI is empty"
    if len(row["conceptUri"]) > URI_LENGTH:
        return f"the concept URI is longer than {URI_LENGTH} characters"
    if not row["preferredLabel"]:
        return "the preferred label is empty"
    if len(row["preferredLabel"]) > NAME_LENGTH:
        return f"the preferred label is longer than {NAME_LENGTH} characters"
    return None


def _dutch_name(label: str) -> str:
    return label[:1].upper() + label[1:]  # ESCO labels are lower case; our Dutch names are not


def _description(row: dict[str, str]) -> str:
    return row.get("description") or row.get("definition", "")


def _key(name: str) -> str:
    return name.strip().casefold()


def _suffixes(uri: str) -> Iterator[str]:
    """The start of the URI's last segment, longer on every clash; then numbers."""
    segment = re.sub(r"[^a-z0-9]", "", uri.rstrip("/").rsplit("/", 1)[-1].lower())
    start = min(SUFFIX_LENGTH, len(segment)) or 1
    yield from (segment[:n] for n in range(start, len(segment) + 1))
    yield from (str(n) for n in itertools.count(2))


class _Importer:
    """Applies ESCO rows to the catalogue, keeping its URI, name and code indexes current."""

    def __init__(self, language: str, levels: frozenset[str] | None) -> None:
        self.language = language
        self.levels = levels
        self.result = ImportResult()
        self.by_uri: dict[str, Competence] = {}
        self.by_name: dict[str, Competence] = {}
        self.codes: set[str] = set()
        for competence in Competence.objects.all():
            self._index(competence)

    def _index(self, competence: Competence) -> None:
        self.codes.add(competence.code)
        self.by_name.setdefault(_key(competence.name_nl), competence)
        if competence.esco_uri:
            self.by_uri[competence.esco_uri] = competence

    def apply(self, number: int, row: dict[str, str]) -> None:
        skip = _skip_reason(row, self.levels)
        error = _row_error(row) if skip is None else None
        linked = self.by_uri.get(row["conceptUri"])
        if skip is not None:
            self.result.skipped.append(RowIssue(number, skip))
        elif error is not None:
            self.result.errors.append(RowIssue(number, error))
        elif linked is not None:
            self._update(linked, row)
        elif self.language == "en":
            self.result.skipped.append(RowIssue(number, SKIP_NOT_LINKED))
        else:
            self._create(number, row)

    def _update(self, competence: Competence, row: dict[str, str]) -> None:
        if self.language == "en":
            values = {"name_en": row["preferredLabel"]}
        else:
            values = {"name_nl": _dutch_name(row["preferredLabel"])}
            if _description(row):
                values["description"] = _description(row)
        changed = [k for k, v in values.items() if getattr(competence, k) != v]
        if not changed:
            self.result.unchanged += 1
            return
        for name in changed:
            setattr(competence, name, values[name])
        competence.save(update_fields=changed)
        self._index(competence)
        self.result.updated += 1

    def _create(self, number: int, row: dict[str, str]) -> None:
        uri, name = row["conceptUri"], _dutch_name(row["preferredLabel"])
        namesake = self.by_name.get(_key(name))
        if namesake is not None:
            self.result.skipped.append(RowIssue(number, SKIP_NAME_TAKEN, namesake.code))
            return
        transversal = _reuse_level(row) == "transversal"
        competence = Competence(
            code=self._new_code(name, uri),
            name_nl=name,
            kind=CompetenceKind.TRANSVERSAL if transversal else CompetenceKind.OCCUPATIONAL,
            description=_description(row),
            esco_uri=uri,
        )
        competence.save()
        self._index(competence)
        self.result.created += 1

    def _new_code(self, name: str, uri: str) -> str:
        """The slug of the name with the shortest URI suffix that is still free (never ends)."""
        base = slugify(name) or "esco"
        candidates = (
            f"{base[: CODE_LENGTH - len(suffix) - 1].rstrip('-')}-{suffix}"
            for suffix in _suffixes(uri)
        )
        return next(code for code in candidates if code not in self.codes)


def import_esco_skills(
    path: Path | str,
    *,
    language: str = "nl",
    reuse_levels: Iterable[str] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import an ESCO skills CSV file in one transaction (see the module's docstring).

    ``reuse_levels`` limits the import to those reuse levels (e.g. ``["transversal"]``); with
    ``dry_run`` nothing is kept and the result says what the import would have done.
    Raises :class:`EscoFormatError` when the file lacks the ESCO columns, ``OSError`` when it
    cannot be read and ``UnicodeDecodeError`` when it is not UTF-8.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    selected = parse_reuse_levels(reuse_levels) if reuse_levels is not None else None
    with transaction.atomic():
        importer = _Importer(language, selected)
        for number, row in esco_rows(Path(path), REQUIRED_COLUMNS):
            importer.apply(number, row)
        if dry_run:
            transaction.set_rollback(True)
    importer.result.dry_run = dry_run
    return importer.result
