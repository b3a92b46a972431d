"""Text for people: search normalisation (the same on SQLite and PostgreSQL) and dates."""

from __future__ import annotations

import datetime
import unicodedata

from django.utils import formats


def normalise(text: str) -> str:
    """Return ``text`` case-folded, accent-free, single-spaced ("Éva  Peeters" → "eva peeters")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def short_date(day: datetime.date) -> str:
    """Return ``day`` in the active language's short date format, as the pages show dates.

    Messages that name a date use this, so that they read like the page around them
    (nl-BE: 5-3-2026).
    """
    return str(formats.date_format(day, "SHORT_DATE_FORMAT"))
