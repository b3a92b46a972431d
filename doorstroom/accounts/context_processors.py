"""Template values the idle-timeout warning needs (static/js/idle.js reads them from base.html)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def session_timeout(request: HttpRequest) -> dict[str, int]:
    return {"idle_timeout_minutes": int(settings.DOORSTROOM_IDLE_TIMEOUT_MINUTES)}
