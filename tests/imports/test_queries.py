"""A client import's dry run reads the database in batches: as many queries for 5 rows as
for 50 (issue 11), with the same answers per row as the one-row checks of the UI."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from doorstroom.imports import services
from doorstroom.imports.models import ImportRun
from tests.dossiers import make_client
from tests.imports.files import CLIENT_HEADERS, client_rows, csv_bytes

pytestmark = pytest.mark.django_db


def rows_with_trouble(count: int) -> list[list[str]]:
    """``count`` rows: the second already registered, the third with an unknown postcode."""
    rows = client_rows(count)
    rows[2][5] = "9999"
    return rows


def dry_run(lead: Any, rows: list[list[str]], headers: list[str] = CLIENT_HEADERS) -> ImportRun:
    with translation.override("en"):
        return services.import_check(
            kind="clients", content=csv_bytes(headers, rows), file_name="f.csv", by=lead
        )


def queries(lead: Any, rows: list[list[str]], headers: list[str] = CLIENT_HEADERS) -> int:
    with CaptureQueriesContext(connection) as captured:
        dry_run(lead, rows, headers)
    return len(captured)


def refusals(run: ImportRun) -> dict[int, list[str]]:
    return {
        row["row"]: [f"{e['column']}: {e['message']}" for e in row["errors"]]
        for row in run.report
        if row["errors"]
    }


@pytest.fixture
def registered(outsider: Any) -> None:
    """The second row's person, registered by another OCMW (the refusal names no dossier)."""
    make_client(
        outsider, national_number=client_rows(2)[1][3], birth_date=datetime.date(1965, 1, 2)
    )


def test_the_dry_run_runs_the_same_queries_for_5_and_50_rows(lead: Any, registered: None) -> None:
    dry_run(lead, client_rows(1))  # what a process reads once (content types)
    assert queries(lead, rows_with_trouble(5)) == queries(lead, rows_with_trouble(50))


@pytest.mark.parametrize("municipality", ["2440", "Geel"])
def test_the_municipality_column_is_read_once_for_all_rows(lead: Any, municipality: str) -> None:
    headers = [*CLIENT_HEADERS, "gemeente"]
    small, large = client_rows(5), client_rows(50)
    for row in small + large:
        row.append(municipality)
    dry_run(lead, client_rows(1))
    assert queries(lead, small, headers) == queries(lead, large, headers)
    assert dry_run(lead, large, headers).refused_count == 0


def test_the_batched_checks_refuse_what_the_one_row_checks_refuse(
    lead: Any, registered: None
) -> None:
    run = dry_run(lead, rows_with_trouble(5))
    assert refusals(run) == {
        3: ["rijksregisternummer: A client with this national number is already registered."],
        4: ["postcode: This postcode is unknown."],
    }
    # The same rows one by one, as the UI's registration checks them.
    one_by_one = {}
    for number, row in enumerate(rows_with_trouble(5), start=2):
        found = refusals(dry_run(lead, [row]))
        if found:
            one_by_one[number] = found[2]
    assert one_by_one == refusals(run)
