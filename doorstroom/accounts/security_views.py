"""Two-factor set-up and login step, recovery codes, and the user's signed-in sessions."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstroom.accounts import login_flow, sessions, two_factor
from doorstroom.accounts.forms import TwoFactorCodeForm, TwoFactorConfirmForm
from doorstroom.accounts.middleware import TwoFactorEnrolmentMiddleware
from doorstroom.accounts.models import User
from doorstroom.core.errors import DomainError

ENROLLED = TwoFactorEnrolmentMiddleware.SESSION_KEY


def profile_context(user: User, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """Everything the profile page shows: roles, tokens, two-factor state, sessions."""
    device = two_factor.confirmed_device(user)
    context: dict[str, Any] = {
        "memberships": user.active_memberships,
        "tokens": user.api_tokens.all(),
        "two_factor_on": device is not None,
        "two_factor_since": device.confirmed_at if device else None,
        "two_factor_required": two_factor.is_required(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user) if device else 0,
        "user_sessions": sessions.active_sessions(user),
        "current_session_key": request.session.session_key,
        "confirm_form": TwoFactorConfirmForm(),
        "confirm_action": "",
    }
    context.update(extra)
    return context


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol: scan the QR code (or type the secret), confirm with a code, get recovery codes."""
    user = cast(User, request.user)
    if two_factor.confirmed_device(user) is not None:
        messages.info(request, _("Two-factor authentication is already on."))
        return HttpResponseRedirect(reverse("accounts:profile") + "#two-factor")
    device = two_factor.two_factor_enrol_start(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.two_factor_enrol_confirm(
                user=user, code=form.cleaned_data["code"], by=user
            )
        except DomainError as error:
            form.add_error(error.field or None, str(error))
        else:
            request.session[ENROLLED] = True
            messages.success(request, _("Two-factor authentication is on."))
            return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes})
    context = {
        "form": form,
        # segno draws the SVG from the provisioning URI alone; no user text is interpolated raw.
        "qr_svg": mark_safe(two_factor.qr_svg(device)),  # noqa: S308  (generated SVG, see above)
        "secret": two_factor.grouped(two_factor.secret_of(device)),
        "required": two_factor.is_required(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_not_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The login's second step: the password was right, now a code (or a recovery code)."""
    pending = login_flow.pending_user(request)
    if pending is None:
        messages.info(request, _("Log in again: the code was not entered in time."))
        return HttpResponseRedirect(reverse("accounts:login"))
    user, next_url, backend = pending
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = two_factor.two_factor_verify_login(user=user, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error(error.field or None, str(error))
        else:
            response = login_flow.finish(request, user, next_url, backend=backend)
            request.session[ENROLLED] = True
            if kind == "recovery":
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s left. Make new ones on your profile.")
                    % {"left": left},
                )
            return response
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _profile_with_errors(request: HttpRequest, form: TwoFactorConfirmForm, action: str) -> Any:
    user = cast(User, request.user)
    context = profile_context(user, request, confirm_form=form, confirm_action=action)
    return render(request, "accounts/profile.html", context)


@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Switch the second factor off: a current code or the password first."""
    user = cast(User, request.user)
    form = TwoFactorConfirmForm(request.POST)
    if form.is_valid():
        try:
            two_factor.two_factor_disable(user=user, by=user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field or None, str(error))
        else:
            request.session.pop(ENROLLED, None)
            messages.success(request, _("Two-factor authentication is off."))
            return HttpResponseRedirect(reverse("accounts:profile") + "#two-factor")
    return _profile_with_errors(request, form, "disable")


@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Make 10 new recovery codes (the old ones stop working): a code or the password first."""
    user = cast(User, request.user)
    form = TwoFactorConfirmForm(request.POST)
    if form.is_valid():
        try:
            codes = two_factor.two_factor_recovery_codes_regenerate(
                user=user, by=user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field or None, str(error))
        else:
            return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes})
    return _profile_with_errors(request, form, "recovery")


@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign out one of the user's own sessions (another browser or device)."""
    user = cast(User, request.user)
    if not sessions.user_session_end(user=user, pk=pk, by=user):
        raise Http404  # not one of the user's own sessions (or already ended)
    messages.success(request, _("That session is signed out."))
    return HttpResponseRedirect(reverse("accounts:profile") + "#sessions")


@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    """Sign out every other session of the user."""
    user = cast(User, request.user)
    count = sessions.user_sessions_end_others(
        user=user, keep_key=request.session.session_key, by=user
    )
    messages.success(
        request, _("Signed out everywhere else (%(count)s sessions).") % {"count": count}
    )
    return HttpResponseRedirect(reverse("accounts:profile") + "#sessions")


def session_ping(request: HttpRequest) -> HttpResponse:
    """'Stay signed in': the request itself is the activity (SessionActivityMiddleware)."""
    return HttpResponse(status=204)
