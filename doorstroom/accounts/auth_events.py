"""Audit logins, logouts and failed logins (R-PRV-4); keep the list of signed-in sessions.

Django announces these only through its auth signals, so this is the one place where a signal
receiver writes: nothing else in the project hangs logic on signals.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from doorstroom.core.audit import audit


@receiver(user_logged_in, dispatch_uid="doorstroom.audit.logged_in")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit(user, "accounts.user.logged_in", user)


@receiver(user_logged_out, dispatch_uid="doorstroom.audit.logged_out")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit(user, "accounts.user.logged_out", user)


@receiver(user_login_failed, dispatch_uid="doorstroom.audit.login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The attempted address is kept (it may not be a user); the password never is.
    from doorstroom.accounts.models import User

    attempted = str(credentials.get("username", "")).strip().lower()[:254]
    known = User.objects.filter(email=attempted).first() if attempted else None
    audit(
        None,
        "accounts.user.login_failed",
        known,
        {"email": attempted},
        actor_label=attempted,
    )


@receiver(user_logged_in, dispatch_uid="doorstroom.sessions.started")
def _session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Describe the new session for the user's list of active sessions."""
    from doorstroom.accounts.sessions import session_started
    from doorstroom.core.middleware import client_ip

    if request is None or not hasattr(request, "session"):
        return
    session_started(
        user=user,
        session=request.session,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


@receiver(user_logged_out, dispatch_uid="doorstroom.sessions.ended")
def _session_ended(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from doorstroom.accounts.sessions import session_ended

    if request is not None and hasattr(request, "session"):
        session_ended(session_key=request.session.session_key)
