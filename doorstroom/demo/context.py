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


def lead_coach_id_on(trajectory: Any, on: datetime.date) -> int:
    """The id of the coach who led ``trajectory`` on ``on``: the lead before the first handover
    after that day, else the current lead (R-TRJ-9 keeps the handover history)."""
    for handover in sorted(trajectory.handovers.all(), key=lambda h: (h.on, h.pk)):
        if handover.on > on and handover.from_coach_id:
            return int(handover.from_coach_id)
    return int(trajectory.coach_id)
