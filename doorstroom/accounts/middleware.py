"""The accounts middleware: interface language, idle timeout, required two-factor enrolment.

Language: the user's own choice, else the cookie, else Dutch. The browser's Accept-Language is
deliberately ignored: Doorstroom is Dutch first, and a coach whose browser happens to be English
sees Dutch until they pick English themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from doorstroom.accounts import sessions, two_factor
from doorstroom.core.middleware import client_ip


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def choose(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            return str(user.language)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in self.supported:
            return str(cookie)
        return str(settings.LANGUAGE_CODE)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SessionActivityMiddleware:
    """Sign out after DOORSTROOM_IDLE_TIMEOUT_MINUTES without a request; note activity.

    Activity is written at most once a minute (session and ``UserSession.last_seen``), so an
    idle logout may come up to a minute early, never late. Placed after the message middleware,
    so that the login page can say why the user was signed out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            if sessions.is_idle(request.session, now):
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity.")
                    % {"minutes": settings.DOORSTROOM_IDLE_TIMEOUT_MINUTES},
                )
            else:
                sessions.session_touch(
                    user=user,
                    session=request.session,
                    now=now,
                    ip=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
        return self.get_response(request)


# What a user who must still enrol may open: enrolment, logout, language, the session ping.
ENROLMENT_OPEN_URLS = (
    "accounts:two-factor-setup",
    "accounts:logout",
    "accounts:language",
    "accounts:session-ping",
)


class TwoFactorEnrolmentMiddleware:
    """Send a user whose role requires a second factor to enrolment until they have one.

    Nothing else is reachable for them (no dossier, caseload or export); static files are served
    before this middleware. The verdict "has a confirmed device" is remembered in the session,
    so enrolled users cost no query per request. Only enrolment is enforced here; the code itself
    is asked at login (login_flow), before the user is authenticated at all.
    """

    SESSION_KEY = "_doorstroom_2fa_ok"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.check(request)
        return response if response is not None else self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not two_factor.policy_active():
            return None
        if request.session.get(self.SESSION_KEY):
            return None
        # Not remembered for users who need no second factor: a new role or a protected-section
        # grant must apply at once. They pay one small query (roles are cached per request).
        if not two_factor.is_required(user):
            return None
        if two_factor.confirmed_device(user) is not None:
            request.session[self.SESSION_KEY] = True
            return None
        open_paths = {reverse(name) for name in ENROLMENT_OPEN_URLS}
        if request.path in open_paths or request.path.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            return None
        return redirect("accounts:two-factor-setup")
