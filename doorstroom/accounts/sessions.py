"""Signed-in sessions: the user's list, signing out one or all others, idle timeout, new devices.

The session itself stays in Django's session store; ``UserSession`` only describes it (browser,
address, last seen) so that the user can see and end it. ``last_seen`` is written at most once a
minute (ACTIVITY_EVERY), never on every request.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from doorstroom.accounts.models import KnownDevice, User, UserSession
from doorstroom.core.audit import audit
from doorstroom.core.tasks import send_email

ACTIVITY_EVERY = datetime.timedelta(minutes=1)
ACTIVITY_KEY = "_doorstroom_activity"  # epoch seconds of the last recorded request
ROW_KEY = "_doorstroom_user_session"  # [UserSession pk, session key it was recorded for]
DEVICE_COOKIE = "doorstroom_device"
DEVICE_SALT = "doorstroom.accounts.device"
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 730  # two years

_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def idle_timeout() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.DOORSTROOM_IDLE_TIMEOUT_MINUTES)


def agent_summary(user_agent: str) -> str:
    """'Firefox on Windows' from a User-Agent header (a summary, not a fingerprint)."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} / {system}"
    return browser or system or re.sub(r"[^\w .-]", "", user_agent)[:40]


def _session_store(key: str) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore(session_key=key)
    return store


# Recording ----------------------------------------------------------------------------------


def session_started(*, user: User, session: SessionBase, ip: str | None, user_agent: str) -> None:
    """Record a new signed-in session (called on login)."""
    if not session.session_key:  # login() flushed another user's session: give it a key
        session.save()
    key = session.session_key
    if not key:
        return
    now = timezone.now()
    # Rows of sessions that can no longer be alive are dropped here, once per login.
    UserSession.objects.filter(
        user=user, last_seen__lt=now - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ).delete()
    row, _created = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen": now,
            "ip_address": ip,
            "user_agent": agent_summary(user_agent),
        },
    )
    session[ACTIVITY_KEY] = now.timestamp()
    session[ROW_KEY] = [row.pk, key]


def session_ended(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def is_idle(session: SessionBase, now: datetime.datetime) -> bool:
    last = session.get(ACTIVITY_KEY)
    if not isinstance(last, int | float):
        return False
    return now.timestamp() - last >= idle_timeout().total_seconds()


def session_touch(
    *, user: User, session: SessionBase, now: datetime.datetime, ip: str | None, user_agent: str
) -> None:
    """Note activity; write (session and row) at most once a minute."""
    last = session.get(ACTIVITY_KEY)
    key = session.session_key
    row = session.get(ROW_KEY)
    fresh = isinstance(last, int | float) and now.timestamp() - last < ACTIVITY_EVERY.seconds
    if fresh and isinstance(row, list) and row[1] == key:
        return
    session[ACTIVITY_KEY] = now.timestamp()
    if not key:
        return
    updated = 0
    if isinstance(row, list):  # the key changes on a password change: follow it
        updated = UserSession.objects.filter(pk=row[0], user=user).update(
            last_seen=now, session_key=key
        )
    if not updated:
        session_started(user=user, session=session, ip=ip, user_agent=user_agent)


# The user's sessions ---------------------------------------------------------------------------


def active_sessions(user: User) -> list[UserSession]:
    since = timezone.now() - idle_timeout()
    return list(UserSession.objects.filter(user=user, last_seen__gte=since).order_by("-last_seen"))


def _end(row: UserSession) -> None:
    _session_store(row.session_key).delete()
    row.delete()


@transaction.atomic
def user_session_end(*, user: User, pk: int, by: User) -> bool:
    """Sign one of the user's own sessions out; False when it does not exist (any more)."""
    row = UserSession.objects.filter(user=user, pk=pk).first()
    if row is None:
        return False
    audit(by, "accounts.session.ended", user, {"browser": row.user_agent})
    _end(row)
    return True


@transaction.atomic
def user_sessions_end_others(*, user: User, keep_key: str | None, by: User) -> int:
    """Sign out every session of the user but the current one."""
    rows = list(UserSession.objects.filter(user=user).exclude(session_key=keep_key or ""))
    for row in rows:
        _end(row)
    audit(by, "accounts.session.ended_others", user, {"count": len(rows)})
    return len(rows)


# New devices ----------------------------------------------------------------------------------


def _device_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_login(*, user: User, token: str | None, ip: str | None, user_agent: str) -> str:
    """Note the browser a user logged in from; mail the user when it is new to them.

    Returns the device token to (re)set in the browser's cookie. The very first login of a user
    (no known device yet) is recorded without a mail: there is nothing to compare it with.
    """
    now = timezone.now()
    if token:
        known = KnownDevice.objects.filter(user=user, token_hash=_device_hash(token))
        if known.update(last_seen=now):
            return token
    else:
        token = secrets.token_urlsafe(32)
    first_ever = not KnownDevice.objects.filter(user=user).exists()
    summary = agent_summary(user_agent)
    KnownDevice.objects.create(user=user, token_hash=_device_hash(token), user_agent=summary)
    if not first_ever:
        _notify_new_device(user, when=now, ip=ip, browser=summary)
    return token


def _notify_new_device(
    user: User, *, when: datetime.datetime, ip: str | None, browser: str
) -> None:
    context: dict[str, Any] = {
        "user": user,
        "site_name": settings.DOORSTROOM_SITE_NAME,
        "when": timezone.localtime(when),
        "ip": ip or "?",
        "browser": browser or "?",
        "profile_url": settings.DOORSTROOM_BASE_URL + reverse("accounts:profile") + "#sessions",
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/new_device_subject.txt", context).strip()
        body = render_to_string("accounts/new_device_email.txt", context)
    send_email.enqueue(subject=subject, body=body, to=[user.email])
    audit(user, "accounts.user.new_device_login", user, {"browser": browser, "ip": ip or ""})
