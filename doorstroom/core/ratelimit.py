"""Rate limits shared by every worker: password reset, the secret-link pages and the API.

Login has its own lockout (django-axes). The counters here are rows of ``RateCounter`` in the
database, so that all gunicorn workers on PostgreSQL, and the embedded SQLite mode, count
together without an extra service. Keys are SHA-256 hashes: the table holds no e-mail address,
IP address or user in clear.

A rate is written ``<hits>/<period>``: ``30/10m``, ``5/h``, ``600/min``; ``0/…`` switches the
limit off. Counting is a fixed window (the clock's minute, hour, …): at the turn of a window a
script may get up to twice the rate in a short burst, which is good enough to stop it.

One hit is one statement, an upsert that returns the new count (``INSERT … ON CONFLICT DO
UPDATE … RETURNING``, PostgreSQL and SQLite ≥ 3.35 alike): atomic across workers, and one round
trip instead of the six a database cache spent on every API request (issue 11). Rows of ended
windows are deleted by the first hit of a key's new window, on the ``expires`` index.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from doorstroom.core.middleware import client_ip
from doorstroom.core.models import RateCounter

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text or "")
        if match is None:
            raise ImproperlyConfigured(f"A rate looks like 30/10m or 5/h, not {text!r}.")
        count, multiple, unit = match.groups()
        return cls(int(count), int(multiple or 1) * _UNITS[unit])


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window ends


def setting_rate(name: str) -> Rate:
    return Rate.parse(str(getattr(settings, name)))


def _key(scope: str, ident: str, bucket: int) -> str:
    digest = hashlib.sha256(f"{scope}\0{ident}".encode()).hexdigest()
    return f"{scope}:{digest}:{bucket}"


def _count(key: str, expires: int) -> int:
    """Add one to ``key``'s counter (a new row starts at 1) and return it, in one statement."""
    names = (RateCounter._meta.db_table, "key", "hits", "expires")
    table, key_, hits_, expires_ = map(connection.ops.quote_name, names)
    sql = (  # names from our own model, values as parameters
        f"INSERT INTO {table} ({key_}, {hits_}, {expires_}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key_}) DO UPDATE SET {hits_} = {table}.{hits_} + 1 RETURNING {hits_}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, expires])
        (hits,) = cursor.fetchone()
    return int(hits)


def clock() -> float:
    """Seconds since the epoch. Windows turn with the wall clock, so the first hit after a turn
    costs one more statement (the clean-up); the test suite pins this clock (tests/conftest.py)
    so that a count of queries does not depend on where in the minute a test happens to run."""
    return time.time()


def hit(scope: str, ident: str, rate: Rate) -> Verdict:
    """Count one hit of ``ident`` (an address, an IP, a user) in ``scope``; refuse it over the
    rate."""
    if rate.limit <= 0:
        return Verdict(True)
    now = clock()
    bucket = int(now // rate.window)
    ends = (bucket + 1) * rate.window
    hits = _count(_key(scope, ident, bucket), ends)
    if hits == 1:  # a new window for this key: clear out the windows that have ended
        RateCounter.objects.filter(expires__lte=int(now)).delete()  # ended at `expires`
    return Verdict(hits <= rate.limit, max(1, int(ends - now)))


def too_many(
    request: HttpRequest, verdict: Verdict, *, language: str | None = None
) -> HttpResponse:
    """The 429 page (in ``language`` when given), with Retry-After."""
    minutes = max(1, (verdict.retry_after + 59) // 60)
    with translation.override(language or translation.get_language()):
        response = render(request, "429.html", {"retry_minutes": minutes}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def link_rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Limit a secret-link page per client IP (DOORSTROOM_RATELIMIT_LINKS); 429 in Dutch.

    Every request counts, whatever the token: guessing is hopeless (256-bit tokens), but a script
    hammering the pages is stopped before it loads the database.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        verdict = hit("link", client_ip(request) or "", setting_rate("DOORSTROOM_RATELIMIT_LINKS"))
        if not verdict.allowed:
            # Our respondents and clients are Flemish: the page is Dutch like the link pages.
            return too_many(request, verdict, language=settings.LANGUAGE_CODE)
        return view(request, *args, **kwargs)

    return wrapper


class PasswordResetLimits:
    """Mixin for the password reset view: per IP on every post, per address on a valid form.

    Both counters are kept whether or not the address belongs to an account, so the answer
    (the "sent" page, or 429) tells nothing about who has one.
    """

    request: HttpRequest

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = setting_rate("DOORSTROOM_RATELIMIT_PASSWORD_RESET_IP")
        verdict = hit("password-reset-ip", client_ip(request) or "", rate)
        if not verdict.allowed:
            return too_many(request, verdict)
        return super().post(request, *args, **kwargs)  # type: ignore[misc]  # the Django view's

    def form_valid(self, form: Any) -> HttpResponse:
        address = str(form.cleaned_data["email"]).strip().casefold()
        rate = setting_rate("DOORSTROOM_RATELIMIT_PASSWORD_RESET_ADDRESS")
        verdict = hit("password-reset-address", address, rate)
        if not verdict.allowed:
            return too_many(self.request, verdict)
        return super().form_valid(form)  # type: ignore[misc]  # the Django view's


class ApiThrottle(BaseThrottle):
    """DRF throttle per API user (all their tokens together), counted by ``hit`` like every
    other limit here.

    The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"] (API_THROTTLE_RATE), read at
    each request so that a settings change applies; a throttled request gets a 429 problem with
    Retry-After from doorstroom.api.problems. The notation is ours (``600/min``, ``100/10s``;
    ``0/min`` switches throttling off, e.g. for bin/api-fuzz).
    """

    scope = "user"

    def __init__(self) -> None:
        self.verdict = Verdict(True)

    def allow_request(self, request: Request, view: Any) -> bool:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None:
            return True
        user = request.user
        ident = f"user:{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        self.verdict = hit("api", ident, Rate.parse(str(rate)))
        return self.verdict.allowed

    def wait(self) -> float | None:
        return None if self.verdict.allowed else float(self.verdict.retry_after)
