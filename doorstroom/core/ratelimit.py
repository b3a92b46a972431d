"""Rate limits shared by every worker: password reset, the secret-link pages and the API.

Login has its own lockout (django-axes). The counters here live in the ``ratelimit`` cache, a
database table (``doorstroom_ratelimit``, created by core migration 0003), so that all gunicorn
workers on PostgreSQL, and the embedded SQLite mode, count together without an extra service.
Keys are SHA-256 hashes: the table holds no e-mail address or IP address in clear.

A rate is written ``<hits>/<period>``: ``30/10m``, ``5/h``, ``600/min``; ``0/…`` switches the
limit off. Counting is a fixed window and not strictly atomic across workers (two workers may
both read 29): good enough to stop scripts, never a reason to reject an honest user early.
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
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.connection import ConnectionProxy
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

from doorstroom.core.middleware import client_ip

CACHE_ALIAS = "ratelimit"
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
    return f"rl:{scope}:{digest}:{bucket}"


def hit(scope: str, ident: str, rate: Rate) -> Verdict:
    """Count one hit of ``ident`` (an address, an IP) in ``scope``; refuse it over the rate."""
    if rate.limit <= 0:
        return Verdict(True)
    now = time.time()
    bucket = int(now // rate.window)
    retry_after = max(1, int((bucket + 1) * rate.window - now))
    cache = caches[CACHE_ALIAS]
    key = _key(scope, ident, bucket)
    cache.add(key, 0, timeout=rate.window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first hit of a new window
        cache.set(key, 1, timeout=rate.window + 1)
        count = 1
    return Verdict(count <= rate.limit, retry_after)


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


class ApiThrottle(UserRateThrottle):
    """DRF throttle per API user (all their tokens together), in the shared ``ratelimit`` cache.

    The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"] (API_THROTTLE_RATE), read at
    each request so that a settings change applies; a throttled request gets a 429 problem with
    Retry-After from doorstroom.api.problems. The notation is ours (``600/min``, ``100/10s``;
    ``0/min`` switches throttling off, e.g. for bin/api-fuzz).
    """

    cache = ConnectionProxy(caches, CACHE_ALIAS)

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None or Rate.parse(str(rate)).limit <= 0:
            return None  # DRF lets every request through without a rate
        return str(rate)

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        if rate is None:
            return None, None
        parsed = Rate.parse(rate)
        return parsed.limit, parsed.window
