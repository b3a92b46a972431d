"""Indexes for the client search, on PostgreSQL only (issue 11).

The search filters ``search_text LIKE '%word%'``; a btree index cannot serve a pattern with a
leading wildcard, so without a trigram index PostgreSQL reads every client of the installation
(100,000 in all of Flanders) to find the few a coach may see. pg_trgm is a trusted extension
(PostgreSQL 13+): the database owner may create it. A national number is searched by its start
(``LIKE '8501%'``), which a btree serves only with the pattern operator class when the database
does not use the C collation (nl-BE). SQLite keeps its plain scan.

Going back drops the indexes but leaves the extension: it may have been there before, and other
objects may use it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TRIGRAMS = "client_search_trgm"
NATIONAL_NUMBER = "client_national_number_like"


def create_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAMS} ON clients_client "
            "USING gin (search_text gin_trgm_ops)"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NATIONAL_NUMBER} ON clients_client "
            "(national_number varchar_pattern_ops)"
        )


def drop_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NATIONAL_NUMBER}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAMS}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0007_client_job_target_codes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
