"""This installation's rule sets (R-VER-1): the bundled files plus DOORSTROOM_RULESETS_DIR.

Rule sets are immutable data read from files once per process; every app asks here rather
than calling ``load_rulesets`` itself.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from doorstroom.core.errors import DomainError
from doorstroom.rules import RuleSet, load_rulesets, ruleset_for


class NoRuleSetError(DomainError, LookupError):
    """A day before the first rule set of the regulation: nothing can be judged by it."""


@cache
def rulesets() -> tuple[RuleSet, ...]:
    folder = settings.DOORSTROOM_RULESETS_DIR
    return load_rulesets(extra_dirs=[Path(folder)] if folder else [])


def ruleset_on(day: datetime.date, *, field: str | None = None) -> RuleSet:
    """Return the rule set in force on ``day`` (a trajectory: its start date).

    A day before every rule set is refused as a domain error (on ``field``), never a 500.
    """
    try:
        return ruleset_for(day, rulesets())
    except LookupError as error:
        raise NoRuleSetError(
            _("No rule set of the regulation is in force on this day."), field=field
        ) from error
