"""Text normalisation for search, the same on SQLite and PostgreSQL (SQLite is ASCII-only)."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """Return ``text`` case-folded, accent-free, single-spaced ("Éva  Peeters" → "eva peeters")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())
