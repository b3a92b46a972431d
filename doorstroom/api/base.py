"""What every API resource shares: the access scoping, the language, checked filters and the
fields that name another object or the version a write starts from."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from doorstroom.core.errors import DomainError
from doorstroom.trajectories.models import Trajectory


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

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """Say which language the answer is in, and that it depends on Accept-Language
        (caches must not serve the Dutch answer to who asked in English)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language",))
        response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
        return response

    def scoped(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def get_queryset(self) -> QuerySet[Any]:
        base = self.model.objects.visible_to(self.request.user)
        return self.scoped(base)


# --- Lists: checked filters ------------------------------------------------------------------


def query_filters(request: Request, filters: type[serializers.Serializer]) -> dict[str, Any]:
    """The list's query parameters, checked: a wrong value is a 400 naming the parameter."""
    checked = filters(data=request.query_params)
    checked.is_valid(raise_exception=True)
    return {
        name: value for name, value in checked.validated_data.items() if value not in ("", None)
    }


MAX_ID = 2**63 - 1  # ids are 64-bit (BigAutoField): a larger one cannot even be looked up


def id_param() -> serializers.IntegerField:
    """An optional id to filter on."""
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class ReadOnlyScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """List (checked filters from ``filter_class``) and detail; ``detail_serializer_class``
    gives the detail more than a list row when set."""

    detail_serializer_class: type[serializers.BaseSerializer[Any]] | None = None
    filter_class: type[serializers.Serializer] | None = None

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    def filters(self) -> dict[str, Any]:
        if self.action != "list" or self.filter_class is None:
            return {}
        return query_filters(self.request, self.filter_class)


# --- Writes: references, versions, dates ----------------------------------------------------

MAX_VERSION = 2_147_483_647  # a version is a PositiveIntegerField

# The rules core counts durations from these days: keep them far from the calendar's end.
LATEST_DAY = datetime.date(2999, 12, 31)


def version_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_VERSION, **kwargs)


def day_field(**kwargs: Any) -> serializers.DateField:
    """A date up to 2999-12-31 (a later one is refused on the field, never a 500)."""
    kwargs.setdefault("help_text", "Up to 2999-12-31.")
    return serializers.DateField(validators=[MaxValueValidator(LATEST_DAY)], **kwargs)


class VisibleField(serializers.PrimaryKeyRelatedField):
    """An object the caller may see (``visible_to``, R-PRV-1); any other id reads as not
    existing. Subclasses set ``model``."""

    model: Any = None

    def __init__(self, **kwargs: Any) -> None:
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", self.model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        if request is None:
            return self.model.objects.none()
        return self.model.objects.visible_to(request.user)


class VisibleTrajectoryField(VisibleField):
    """A trajectory the caller may see; any other id reads as not existing."""

    model = Trajectory


def require_version(values: dict[str, Any]) -> int:
    """The version a PATCH must send (a partial body skips DRF's own required check)."""
    if values.get("version") is None:
        raise serializers.ValidationError(
            {"version": [serializers.Field.default_error_messages["required"]]}
        )
    return int(values.pop("version"))


@contextlib.contextmanager
def fields_renamed(names: dict[str, str]) -> Iterator[None]:
    """Name a service's refusal after the API body's field where the app's form names it
    otherwise (``{"coach_": "coach_scores"}``: a key ending in ``_`` is a prefix, as the form's
    ``coach_12`` for one competence's level)."""
    try:
        yield
    except DomainError as error:
        field = error.field or ""
        for old, new in names.items():
            if field == old or (old.endswith("_") and field.startswith(old)):
                raise DomainError(error.message, field=new, code=error.code) from error
        raise
