"""Security headers Django does not send itself (see docs/security.md, "Headers").

SecurityMiddleware sends HSTS, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy;
XFrameOptionsMiddleware X-Frame-Options; django-csp the Content-Security-Policy. This adds
Permissions-Policy (no camera, microphone, location … for any page) and
Cross-Origin-Resource-Policy (our pages and files are not for other sites to embed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        headers = {
            "Permissions-Policy": settings.DOORSTROOM_PERMISSIONS_POLICY,
            "Cross-Origin-Resource-Policy": settings.DOORSTROOM_CROSS_ORIGIN_RESOURCE_POLICY,
        }
        for name, value in headers.items():
            if value and name not in response:
                response[name] = value
        return response
