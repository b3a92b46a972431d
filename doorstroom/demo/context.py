from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "doorstroom"  # noqa: S105  (documented demo password, refused in production)
DEMO_TODAY = datetime.date(2026, 11, 2)


@dataclass
class DemoContext:
    """What the demo steps share: the objects made so far, by a short key."""

    today: datetime.date = DEMO_TODAY
    organisations: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
