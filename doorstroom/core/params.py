"""Reading ids from query strings and posted values: only what the database can hold.

``str.isdigit()`` also accepts "²" and 5,000-digit strings, which ``int()`` then refuses with a
500 (found by the fuzz tests). Every view, form and API filter reads an id through ``as_id``.
"""

from __future__ import annotations

MAX_DIGITS = 18  # a PostgreSQL bigint holds 19 digits; 18 always fit


def as_id(value: object) -> int | None:
    """Return ``value`` as a positive database id, or None when it is not one."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= MAX_DIGITS):
        return None
    number = int(text)
    return number if number > 0 else None


def is_ascii_digits(text: str, length: int | None = None) -> bool:
    """Tell whether ``text`` holds only the digits 0-9 (and exactly ``length`` of them)."""
    return text.isascii() and text.isdigit() and (length is None or len(text) == length)
