"""The value object every rule check returns instead of raising: a problem with its limit."""

from __future__ import annotations

from dataclasses import dataclass

Facts = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Problem:
    """A rule that a planned or recorded fact does not meet, explained for the UI.

    `code` is stable and translated by the UI; `rule` is the rule id (e.g. "R-INS-2");
    `limit` and `actual` are the rule-set value and the value found, as plain text.
    """

    code: str
    rule: str
    limit: str = ""
    actual: str = ""
    subject: str | None = None
    facts: Facts = ()
