"""Columns of an import file: documented headers (Dutch and English) and how a cell is read.

A converter turns the text of a cell into what the UI's form expects (an ISO date, a choice
code, a regime like ``0.50``) and raises ``CellError`` only when the text cannot be read at
all; whether the value is *acceptable* is for the form and the service to say, exactly as in
the UI.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _

from doorstroom.core.text import normalise

LANGUAGES = ("nl-be", "en")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
YES = {"1", "ja", "j", "yes", "y", "true", "waar", "x", "oui"}
NO = {"0", "nee", "n", "no", "false", "onwaar", "non"}
QUOTED_FORMULA = re.compile(r"^'[=+\-@]")  # our exports quote such cells (CSV injection)


class CellError(Exception):
    """The text of a cell cannot be read (not: the value breaks a rule)."""


Converter = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    key: str  # the form field it fills
    nl: str  # documented Dutch header
    en: str  # documented English header
    required: bool = False
    convert: Converter | None = None
    default: str = ""  # used when the cell is empty (as the UI's pre-filled choice)
    example: str = ""
    help: str | Promise = ""
    aliases: tuple[str, ...] = ()

    def header(self) -> str:
        """The documented header in the active language."""
        return self.nl if (translation.get_language() or "nl").startswith("nl") else self.en

    def names(self) -> set[str]:
        return {header_key(n) for n in (self.key, self.nl, self.en, *self.aliases)}

    def read(self, text: str) -> Any:
        value = QUOTED_FORMULA.sub(lambda m: m.group(0)[1:], text.strip())
        if not value:
            value = self.default
        if not value:
            return ""
        return self.convert(value) if self.convert else value


def header_key(text: str) -> str:
    """Compare headers without case, accents, spaces, dashes or underscores."""
    return re.sub(r"[\s_\-./()]+", "", normalise(text))


def match_headers(
    columns: Iterable[Column], headers: list[str]
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Return {key: index}, {key: header as written} and the headers no column knows."""
    by_name = {name: column for column in columns for name in column.names()}
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    for position, header in enumerate(headers):
        column = by_name.get(header_key(header)) if header else None
        if column is None or column.key in index:
            if header:
                ignored.append(header)
            continue
        index[column.key] = position
        written[column.key] = header
    return index, written, ignored


# --- Converters ---------------------------------------------------------------------------


def to_date(text: str) -> str:
    """Accept 2026-03-05, 5/3/2026, 05-03-2026 and 5.3.2026; leave the rest to the form."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date().isoformat()  # noqa: DTZ007 a calendar date, no time
        except ValueError:
            continue
    return text


def to_bool(text: str) -> str:
    word = normalise(text)
    if word in YES:
        return "true"
    if word in NO:
        return "false"
    raise CellError(_("Enter yes or no (ja/nee)."))


def to_regime(text: str) -> str:
    """Accept 0.5, 0,5, 50, 50 % and 50%: the form's choices are written 0.50."""
    cleaned = text.replace("%", "").replace(",", ".").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return text
    if number > 1:
        number = number / 100
    return f"{number:.2f}"


def to_national_number(text: str) -> str:
    """Excel drops the leading zero of a number born in 2000-2009: put it back."""
    digits = "".join(c for c in text if c.isdigit())
    if digits == text and len(digits) == 10:
        return "0" + digits
    return text


def choice_reader(choices: type[models.TextChoices]) -> Converter:
    """Accept a choice's code or its label in Dutch or English, in any case."""

    def read(text: str) -> str:
        wanted = normalise(text)
        for value in choices.values:
            if normalise(value) == wanted:
                return value
        for language in LANGUAGES:
            with translation.override(language):
                for value, label in choices.choices:
                    if normalise(str(label)) == wanted:
                        return value
        return text  # the form says it is not one of the choices

    return read


def choices_reader(choices: type[models.TextChoices]) -> Callable[[str], list[str]]:
    """A list of choices separated by ``,``, ``;`` or ``|``."""
    one = choice_reader(choices)

    def read(text: str) -> list[str]:
        return [one(part.strip()) for part in re.split(r"[,;|]", text) if part.strip()]

    return read


def _choice_help(choices: type[models.TextChoices]) -> str:
    return ", ".join(f"{value} ({label})" for value, label in choices.choices)


# Lazy: the column lists are built once, the page shows them in the reader's language.
choice_help = lazy(_choice_help, str)
