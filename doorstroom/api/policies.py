"""The API's default permission and pagination, in a module DRF's settings can import early
(it must not import views: DRF reads these while its own views are being imported)."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination, permissions
from rest_framework.request import Request

from doorstroom.core.pagination import countable_in_one_query, empty_page, page_rows


class DossierAccess(permissions.BasePermission):
    """R-PRV-2: dossier data only for a user with a recorded privacy training."""

    message = "A privacy training must be recorded before you can open dossiers."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_privacy_training())


class Pagination(pagination.PageNumberPagination):
    """DRF's page numbers, with a page in range read in one query that also counts the list
    (``COUNT(*) OVER ()``, issue 11: on PostgreSQL at scale l the scoped COUNT cost as much as
    the page). Anything else, ``page=last``, a page that is no number or past the end, takes
    DRF's own way, with its 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        page_size = self.get_page_size(request)
        try:
            number = int(request.query_params.get(self.page_query_param) or 1)
        except ValueError:
            number = 0
        if page_size and number >= 1 and countable_in_one_query(queryset):
            page = page_rows(queryset, number, page_size)
            if page is not None or number == 1:
                self.request = request
                self.page = page or empty_page(queryset, page_size)
                return list(self.page)
        return super().paginate_queryset(queryset, request, view)
