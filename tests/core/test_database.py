"""The database connection as the application opens it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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


@pytest.mark.django_db
def test_sqlite_connections_leave_the_planner_its_statistics(tmp_path: Path) -> None:
    # Issue 11: PRAGMA optimize at close analyses the tables a connection used without them.
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    from doorstroom.core.sqlite.base import DatabaseWrapper

    path = tmp_path / "db.sqlite3"
    wrapper = DatabaseWrapper({**connection.settings_dict, "NAME": str(path)}, alias="probe")
    with wrapper.cursor() as cursor:
        cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, kind INTEGER)")
        cursor.execute("CREATE INDEX item_kind ON item (kind)")
        cursor.executemany("INSERT INTO item (kind) VALUES (%s)", [(i % 7,) for i in range(500)])
        cursor.execute("SELECT count(*) FROM item WHERE kind = 3")
    wrapper.close()
    stats = sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'item'")
    assert stats.fetchone()[0] > 0
