"""What every API resource shares: the access scoping and the language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from rest_framework import viewsets
from rest_framework.request import Request


def activate_language(request: Request) -> None:
    """Answer in the language of Accept-Language when we speak it, else in Dutch."""
    wanted = translation.get_language_from_request(request._request)
    supported = {code for code, _name in settings.LANGUAGES}
    translation.activate(wanted if wanted in supported else settings.LANGUAGE_CODE)


class ScopedViewSet(viewsets.GenericViewSet):
    """A resource whose rows come only from ``Model.objects.visible_to(user)`` (R-PRV-1).

    Subclasses set ``model`` and may refine ``scoped`` (select_related, filters). Objects out
    of scope are simply not in the queryset, so a detail answers 404.
    """

    model: Any = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        activate_language(request)
        super().initial(request, *args, **kwargs)

    def scoped(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def get_queryset(self) -> QuerySet[Any]:
        base = self.model.objects.visible_to(self.request.user)
        return self.scoped(base)
