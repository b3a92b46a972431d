"""The login's two steps: password, then (for a user with a second factor) a code.

Between the steps the user is *not* logged in: the session only holds a short-lived "pending"
record (user, a hash bound to the password, where to go next, when). ``login()`` is called once,
after the second factor, so no view, API call or middleware ordering mistake can ever treat a
half-logged-in user as authenticated, and the login signals (audit, session list) fire only then.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.utils.crypto import constant_time_compare

from doorstroom.accounts import sessions
from doorstroom.accounts.models import User
from doorstroom.core.middleware import client_ip

PENDING_KEY = "_doorstroom_2fa_pending"
PENDING_SECONDS = 5 * 60


def await_second_factor(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    """Remember that the password was right; ask for the code next."""
    request.session.cycle_key()  # a fresh key for the half-authenticated state
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "hash": user.get_session_auth_hash(),
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "next": next_url,
        "at": time.time(),
    }
    return redirect("accounts:two-factor-verify")


def pending_user(request: HttpRequest) -> tuple[User, str, str] | None:
    """The user who passed the password step in this session in the last five minutes."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=int(data.get("user") or 0), is_active=True).first()
    bound_to = str(data.get("hash") or "")  # the password: a changed password ends the step
    if user is None or not constant_time_compare(user.get_session_auth_hash(), bound_to):
        request.session.pop(PENDING_KEY, None)
        return None
    return user, str(data.get("next") or settings.LOGIN_REDIRECT_URL), str(data["backend"])


def finish(
    request: HttpRequest, user: Any, next_url: str, backend: str | None = None
) -> HttpResponse:
    """Log in for real; note the browser and mail the user when it is a new one for them."""
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=backend)
    token = sessions.device_login(
        user=user,
        token=request.get_signed_cookie(
            sessions.DEVICE_COOKIE, default=None, salt=sessions.DEVICE_SALT
        ),
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    response = HttpResponseRedirect(resolve_url(next_url))
    response.set_signed_cookie(
        sessions.DEVICE_COOKIE,
        token,
        salt=sessions.DEVICE_SALT,
        max_age=sessions.DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )
    return response
