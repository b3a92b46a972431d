"""Access scoping (R-PRV-1): the one way to fetch records a user may see.

Every scoped model's queryset derives from ``ScopedQuerySet`` and says, in ``scope_for(user)``,
which rows that user may see; callers use ``visible_to(user)``. Views, search, exports, documents
and the API start from it. ``get_for_user_or_404`` turns "not yours" into 404, never 403, so
that existence does not leak, and refuses a queryset that did not go through ``visible_to``.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[M]):
    _scoped: bool = False

    def scope_for(self, user: Any) -> Self:
        """Return the rows ``user`` may see; each scoped model implements this."""
        raise NotImplementedError

    def visible_to(self, user: Any) -> Self:
        """Return the rows ``user`` may see (nothing for anonymous or inactive users)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            queryset = self.none()
        else:
            queryset = self.scope_for(user)
        queryset._scoped = True
        return queryset

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._scoped = self._scoped
        return clone


def visible(model: type[M], user: Any) -> models.QuerySet[M]:
    """Return the rows of ``model`` that ``user`` may see."""
    queryset = model._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{model.__name__} has no ScopedQuerySet: it cannot be scoped.")
    return queryset.visible_to(user)


def get_for_user_or_404(source: type[M] | models.QuerySet[M], user: Any, **lookups: Any) -> M:
    """Fetch one row the user may see, or raise 404 (also when it exists out of scope)."""
    if isinstance(source, models.QuerySet):
        if not getattr(source, "_scoped", False):
            raise TypeError("get_for_user_or_404 needs a queryset from visible_to(user).")
        queryset = source
    else:
        queryset = visible(source, user)
    try:
        return queryset.get(**lookups)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
