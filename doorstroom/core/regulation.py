"""This installation's rule sets (R-VER-1): the bundled files plus DOORSTROOM_RULESETS_DIR.

Rule sets are immutable data read from files once per process; every app asks here rather
than calling ``load_rulesets`` itself.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

from django.conf import settings

from doorstroom.rules import RuleSet, load_rulesets, ruleset_for


@cache
def rulesets() -> tuple[RuleSet, ...]:
    folder = settings.DOORSTROOM_RULESETS_DIR
    return load_rulesets(extra_dirs=[Path(folder)] if folder else [])


def ruleset_on(day: datetime.date) -> RuleSet:
    """Return the rule set in force on ``day`` (a trajectory: its start date)."""
    return ruleset_for(day, rulesets())
