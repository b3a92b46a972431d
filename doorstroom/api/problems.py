"""Errors as RFC 9457 problem details, in the language of Accept-Language (Dutch default).

A service's DomainError becomes 400 with the field it names; a stale write 409; anything out
of the caller's scope is 404 (never 403 that would reveal existence); anything unexpected 500,
without a traceback (that goes to the log).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from doorstroom.core.errors import DomainError, StaleEditError

CONTENT_TYPE = "application/problem+json"

logger = logging.getLogger("doorstroom.api")


def _problem(status_code: int, title: str, detail: str = "", errors: Any = None) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=CONTENT_TYPE)


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleEditError):
        return _problem(status.HTTP_409_CONFLICT, _("Conflict"), str(exc))
    if isinstance(exc, DomainError):
        errors = {exc.field: [str(exc)]} if exc.field else None
        return _problem(status.HTTP_400_BAD_REQUEST, _("Invalid input"), str(exc), errors)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return _problem(status.HTTP_404_NOT_FOUND, _("Not found"))
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return _unexpected(exc, context)
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        problem = _problem(
            response.status_code, _("Invalid input"), _("Correct the fields named in errors."), data
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        problem = _problem(response.status_code, str(detail) or _("Error"), str(detail))
    for name, value in response.headers.items():
        if name.lower() in ("www-authenticate", "retry-after", "allow"):
            problem[name] = value
    return problem


def _unexpected(exc: Exception, context: dict[str, Any]) -> Response:
    """A bug: log it with its traceback, undo the request's writes, answer a plain 500."""
    request = context.get("request")
    path = request.path if request is not None else ""
    logger.error("Unhandled exception in the API: %s", path, exc_info=exc)
    set_rollback()
    return _problem(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        _("Server error"),
        _("Something went wrong on our side. Try again later; the error has been logged."),
    )
