"""View guards shared by every app: privacy training (R-PRV-2) and role checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

if TYPE_CHECKING:
    from doorstroom.accounts.models import User

View = Callable[..., Any]


class UserRequest(HttpRequest):
    """A request behind LoginRequiredMiddleware: ``user`` is always a logged-in ``User``.

    Only a type for views' annotations (login is required by default); never instantiated.
    """

    # Narrows HttpRequest.user, which may be anonymous; LoginRequiredMiddleware guarantees it.
    user: User


def dossier_access_required(view: View) -> View:
    """Refuse dossier areas, with an explanation, to users without a privacy training."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # R-PRV-2: a user gets dossier access only after a recorded privacy training.
        if not request.user.has_privacy_training():  # type: ignore[union-attr]
            return render(request, "core/privacy_training_required.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def role_required(*roles: str) -> Callable[[View], View]:
    """Answer 404 to anyone without one of ``roles`` (the page's existence is not revealed)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):  # type: ignore[union-attr]
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
