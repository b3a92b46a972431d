"""Login, logout, passwords, the user's language and profile."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstroom.accounts import login_flow, two_factor
from doorstroom.accounts.forms import LanguageForm, LoginForm, QueuedPasswordResetForm
from doorstroom.accounts.models import User
from doorstroom.accounts.services import api_token_create, api_token_revoke, user_set_language
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.params import as_id
from doorstroom.core.ratelimit import PasswordResetLimits


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Password right: log in, or first ask for the second factor when the user has one."""
        user = form.get_user()
        if two_factor.confirmed_device(user) is None:
            return login_flow.finish(self.request, user, self.get_success_url())
        return login_flow.await_second_factor(self.request, user, self.get_success_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = cast(User, self.request.user)
        audit(user, "accounts.user.password_changed", user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(PasswordResetLimits, auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    extra_email_context = {"brand_name": settings.DOORSTROOM_SITE_NAME}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit(form.user, "accounts.user.password_reset", form.user, actor_label=form.user.email)
        return response


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; stored on the user when logged in, else in a cookie."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("core:home")
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language, by=request.user)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            httponly=True,
        )
    return response


def profile(request: HttpRequest) -> HttpResponse:
    """The user's profile, with their personal API tokens (create one, revoke one)."""
    user = cast(User, request.user)
    if request.method == "POST":
        revoke = request.POST.get("revoke", "")
        if (token_id := as_id(revoke)) is not None:
            token = user.api_tokens.filter(pk=token_id).first()  # only the user's own
            if token is not None:
                api_token_revoke(token, by=user)
                messages.success(request, _("The token no longer works."))
        else:
            try:
                token, key = api_token_create(user, name=request.POST.get("name", ""), by=user)
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.info(
                    request,
                    _("Your new token (copy it now, it is shown only once): %(key)s")
                    % {"key": key},
                )
        return HttpResponseRedirect(reverse("accounts:profile") + "#api-tokens")
    from doorstroom.accounts.security_views import profile_context  # 2FA and sessions

    return render(request, "accounts/profile.html", profile_context(user, request))
