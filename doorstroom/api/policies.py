"""The API's default permission and pagination, in a module DRF's settings can import early
(it must not import views: DRF reads these while its own views are being imported)."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination, permissions
from rest_framework.request import Request


class DossierAccess(permissions.BasePermission):
    """R-PRV-2: dossier data only for a user with a recorded privacy training."""

    message = "A privacy training must be recorded before you can open dossiers."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_privacy_training())


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
