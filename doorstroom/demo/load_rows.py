"""Fast rows for ``generate_load``: model instances without ``__init__``, INSERT by executemany.

At 100,000 clients ``Model(**values)`` and ``bulk_create``'s per-row SQL compilation cost more
than the database itself. ``make`` fills an instance's ``__dict__`` with the field defaults and
the given values (a relation by its key, with the object cached); ``insert_rows`` writes
instances whose primary keys are already set, each value through its field's conversion.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.base import ModelState
from django.utils import timezone

BATCH = 5_000  # rows per executemany
# Field types whose Python value the database driver takes as it is; every other type (dates,
# decimals, JSON, files, binary) goes through the field's own conversion.
PLAIN = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


@dataclass(frozen=True)
class _Spec:
    defaults: dict[str, Any]
    relations: dict[str, Any]


@cache
def _spec(model: type[models.Model]) -> _Spec:
    fields = model._meta.concrete_fields
    return _Spec(
        defaults={f.attname: f.get_default() for f in fields},
        relations={f.name: f for f in fields if f.is_relation},
    )


def make(model: type[models.Model], **values: Any) -> Any:
    """A model instance as ``model(**values)`` makes it, ten times faster (no signals, no
    per-field descriptors): defaults first, relations by their key and cached object.

    Defaults are computed once per model: fine for the literals and the empty JSON containers
    of the dossier models, which nothing here mutates.
    """
    spec = _spec(model)
    obj = model.__new__(model)
    state = obj.__dict__
    state.update(spec.defaults)
    state["_state"] = ModelState()
    for name, value in values.items():
        relation = spec.relations.get(name)
        if relation is None:
            if name not in spec.defaults:
                raise TypeError(f"{model.__name__} has no field {name!r}")
            state[name] = value
            continue
        state[relation.attname] = None if value is None else value.pk
        if value is not None:
            relation.set_cached_value(obj, value)
    return obj


def _converter(field: Any, db: Any, now: datetime.datetime) -> Any:
    """How a value of ``field`` goes to the database (what ``get_db_prep_save`` does)."""
    kind = field.get_internal_type()
    if getattr(field, "auto_now_add", False):
        return lambda value: db.ops.adapt_datetimefield_value(value or now)
    if kind == "DateField":
        return db.ops.adapt_datefield_value
    if kind == "DateTimeField":
        return db.ops.adapt_datetimefield_value
    if kind in PLAIN:
        return None
    return lambda value: field.get_db_prep_save(value, db)


def insert_rows(counts: Counter[str], model: type[models.Model], objs: list[Any]) -> None:
    """INSERT ``objs`` (primary keys given) with executemany: ``bulk_create`` without its
    per-row SQL compilation; values still pass through each field's database conversion."""
    counts[model._meta.label] += len(objs)
    if not objs:
        return
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    fields = list(model._meta.concrete_fields)
    now = timezone.now()
    steps = [(f.attname, _converter(f, db, now)) for f in fields]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  (names from the model)
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        tuple(convert(getattr(o, name)) if convert else getattr(o, name) for name, convert in steps)
        for o in objs
    ]
    with db.cursor() as cursor:
        for first in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[first : first + BATCH])
