"""The table of the ``ratelimit`` cache (doorstroom/core/ratelimit.py).

A migration rather than a step in `make run`: every installation runs `migrate`, so the table
exists wherever the code does, on SQLite and PostgreSQL alike. Django's own createcachetable
builds it (and skips it when it already exists, e.g. in a test database).

Since migration 0004 the counters have their own table (``RateCounter``) and settings no longer
name a ``ratelimit`` cache, so this does nothing on a new installation; 0004 drops the table
where an older one created it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def _table() -> str | None:
    config = settings.CACHES.get("ratelimit", {})
    if config.get("BACKEND") != "django.core.cache.backends.db.DatabaseCache":
        return None  # another backend (e.g. Redis) needs no table
    return str(config["LOCATION"])


def create_table(apps: Any, schema_editor: Any) -> None:
    table = _table()
    if table:
        command = CreateCacheTable()
        command.verbosity = 0
        command.create_table(schema_editor.connection.alias, table, dry_run=False)


def drop_table(apps: Any, schema_editor: Any) -> None:
    table = _table()
    if table and table in schema_editor.connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_access_link")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
