"""Optimistic locking: a save that names the version it started from, and is refused if stale."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from doorstroom.core.errors import StaleEditError
from doorstroom.core.models import VersionedModel


def save_versioned(
    instance: VersionedModel, *, expected_version: int, update_fields: Iterable[str]
) -> None:
    """Write ``update_fields`` only if nobody saved since ``expected_version``; bump the version.

    Raises StaleEditError otherwise, leaving the database untouched.
    """
    fields = [f for f in update_fields if f != "version"]
    values = {name: getattr(instance, name) for name in fields}
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise StaleEditError()
    instance.version = expected_version + 1


def check_version(model: type[VersionedModel], pk: object, seen_version: int | None) -> None:
    """Lock the row for this transaction and refuse if it changed since ``seen_version``.

    Call inside ``transaction.atomic``; with the row locked, a following plain save is safe.
    """
    current = (
        model._default_manager.select_for_update().filter(pk=pk).values_list("version", flat=True)
    )
    stored = current.first()
    if stored is not None and stored != seen_version:
        raise StaleEditError()


def lock(instance: VersionedModel, expected_version: int | None = None) -> None:
    """Serialise a write on ``instance`` (or on its children) with its other writes.

    Call inside the caller's transaction: refuses a stale ``expected_version`` (when given) and
    bumps the version, so two users acting on the same record at once cannot both succeed.
    """
    model = type(instance)
    if expected_version is not None:
        check_version(model, instance.pk, expected_version)
    stored = model._default_manager.values_list("version", flat=True).get(pk=instance.pk)
    save_versioned(instance, expected_version=stored, update_fields=[])
