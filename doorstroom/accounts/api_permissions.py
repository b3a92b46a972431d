"""The API refuses a token of a user who must use two-factor authentication but has not enrolled.

Imported by DRF's settings (REST_FRAMEWORK), so it must not import views.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request


class TwoFactorEnrolled(permissions.BasePermission):
    """403 (problem details) until a user whose role requires a second factor has one."""

    message = _(
        "Your role requires two-factor authentication. Set it up on your profile page in the "
        "browser; until then your API tokens give no access."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        from doorstroom.accounts import two_factor

        user = request.user
        if not (user and user.is_authenticated) or not two_factor.policy_active():
            return True  # unauthenticated: the next permission answers 401
        return two_factor.confirmed_device(user) is not None or not two_factor.is_required(user)
