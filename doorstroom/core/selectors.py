"""Reads shared by views: the audit log, scoped to the privacy officer."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from doorstroom.core.models import AuditEvent


def audit_events_for(
    user: Any,
    *,
    actor: str = "",
    action: str = "",
    target: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Return the audit events ``user`` may read, filtered, newest first."""
    events = AuditEvent.objects.visible_to(user)
    if actor:
        events = events.filter(actor_label__icontains=actor.strip())
    if action:
        events = events.filter(action__startswith=action.strip())
    if target:
        events = events.filter(target_label__icontains=target.strip())
    tz = timezone.get_current_timezone()
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        events = events.filter(at__gte=start)
    if date_to:
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        events = events.filter(at__lt=end)
    return events.order_by("-at", "-id")
