"""The database connection as the application opens it."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit() -> None:
    # Issue 11: a JIT compile of one scoped query took seconds; OLTP queries gain nothing by it.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_postgresql_connections_plan_for_memory_and_ssd() -> None:
    # Issue 11: with the default 4 the planner scanned whole tables for one organisation's rows.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == 1.1
