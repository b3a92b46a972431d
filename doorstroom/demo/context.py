from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

DEMO_PASSWORD = "doorstroom"  # noqa: S105  (documented demo password, refused in production)


@dataclass
class DemoContext:
    """What the demo steps share: the objects made so far, by a short key."""

    # Demo dates are relative to the day it is loaded, so signals look as in real use.
    today: datetime.date = field(default_factory=timezone.localdate)
    organisations: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
