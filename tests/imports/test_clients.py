"""Importing clients: dry run per row, all or nothing or skip bad rows, the UI's own rules."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from doorstroom.clients.models import Client
from doorstroom.core.errors import DomainError
from doorstroom.core.models import AuditEvent
from doorstroom.imports import services
from doorstroom.imports.models import ImportRun, ImportStatus
from tests.dossiers import make_client
from tests.imports.files import CLIENT_HEADERS, client_row, client_rows, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def check(lead: Any, content: bytes, kind: str = "clients") -> ImportRun:
    with translation.override("en"):
        return services.import_check(kind=kind, content=content, file_name="f.csv", by=lead)


def run(lead: Any, import_run: ImportRun, mode: str) -> ImportRun:
    with translation.override("en"):
        return services.import_run(import_run, mode=mode, by=lead)


def refused(import_run: ImportRun) -> dict[int, list[str]]:
    return {
        row["row"]: [f"{e['column']}: {e['message']}" for e in row["errors"]]
        for row in import_run.report
        if row["action"] == "refused"
    }


def test_it_reports_exactly_the_3_bad_rows_of_10000_and_imports_all_or_nothing_or_the_rest(
    lead: Any,
) -> None:
    rows = client_rows(10_000)
    rows[15][3] = "85073003329"  # R-INT: a national number with a wrong check digit
    rows[4_000][5] = "24a0"  # the postcode form field: 4 digits
    rows[9_998][2] = "31/02/1990"  # no such date
    dry = check(lead, csv_bytes(CLIENT_HEADERS, rows))
    assert (dry.status, dry.row_count, dry.refused_count) == (ImportStatus.DRY_RUN, 10_000, 3)
    assert refused(dry) == {
        17: [
            "rijksregisternummer: This is not a valid national number (INSZ): check the 11 digits."
        ],
        4_002: ["postcode: A Belgian postcode has 4 digits."],
        10_000: ["geboortedatum: Enter a valid date."],
    }
    assert Client.objects.count() == 0  # a dry run writes no client

    again = ImportRun.objects.get(pk=dry.pk)
    again.pk = None  # the same dry run, reopened a second time
    again.save()

    nothing = run(lead, dry, "all_or_nothing")
    assert (nothing.status, nothing.created_count) == (ImportStatus.FAILED, 0)
    assert Client.objects.count() == 0
    assert nothing.rows == []  # the parsed data is not kept once the run is over

    rest = run(lead, again, "skip_bad_rows")
    assert (rest.status, rest.created_count, rest.refused_count) == (
        ImportStatus.IMPORTED,
        9_997,
        3,
    )
    assert Client.objects.count() == 9_997
    assert not Client.objects.filter(last_name__in=["Maes15", "Maes4000", "Maes9998"]).exists()
    one = Client.objects.get(last_name="Maes1")
    assert (one.organisation, one.registered_by, one.max_regime) == (
        lead.primary_organisation,
        lead,
        Decimal("0.80"),
    )
    assert one.search_text  # found by the client search like a client registered by hand


def test_all_or_nothing_imports_every_row_when_every_row_is_accepted(lead: Any) -> None:
    done = run(lead, check(lead, csv_bytes(CLIENT_HEADERS, client_rows(5))), "all_or_nothing")
    assert (done.status, done.created_count) == (ImportStatus.IMPORTED, 5)
    assert Client.objects.count() == 5
    assert {row["action"] for row in done.report} == {"created"}


def test_all_or_nothing_writes_nothing_when_a_row_became_a_duplicate_after_the_dry_run(
    lead: Any,
) -> None:
    rows = client_rows(4)
    dry = check(lead, csv_bytes(CLIENT_HEADERS, rows))
    assert dry.refused_count == 0
    make_client(lead, national_number=rows[2][3], birth_date=datetime.date(1965, 1, 3))
    done = run(lead, dry, "all_or_nothing")
    assert (done.status, done.created_count, done.refused_count) == (ImportStatus.FAILED, 0, 1)
    assert Client.objects.count() == 1  # only the one registered by hand
    assert refused(done) == {
        4: ["rijksregisternummer: A client with this national number is already registered."]
    }


def test_a_semicolon_csv_with_bom_is_read(lead: Any) -> None:
    content = csv_bytes(CLIENT_HEADERS, client_rows(3), delimiter=";", bom=True)
    done = run(lead, check(lead, content), "all_or_nothing")
    assert done.created_count == 3
    client = Client.objects.get(last_name="Maes1")
    assert client.first_name == "Sofie"  # the BOM is not part of the first header
    assert client.birth_date == datetime.date(1965, 1, 2)
    assert client.driving_licence is True
    assert client.public_transport is True
    assert client.phone == "+32470123456"


def test_an_xlsx_workbook_is_read_with_dates_and_numbers_as_excel_stores_them(lead: Any) -> None:
    row = client_row(7)
    row[2] = datetime.datetime(1965, 1, 8)  # an Excel date cell
    row[3] = int(row[3])  # a number cell
    row[5] = 2440
    done = run(lead, check(lead, xlsx_bytes(CLIENT_HEADERS, [row])), "all_or_nothing")
    assert done.created_count == 1
    client = Client.objects.get()
    assert (client.birth_date, client.postcode, client.national_number) == (
        datetime.date(1965, 1, 8),
        "2440",
        str(row[3]),
    )


def test_english_headers_in_another_order_are_accepted_and_unknown_ones_listed(
    lead: Any,
) -> None:
    headers = ["Income", "Last name", "First Name", "Date of birth", "Postcode", "Shoe size"]
    dry = check(
        lead, csv_bytes(headers, [["leefloon", "Peeters", "Jan", "1980-05-01", "2440", "44"]])
    )
    assert (dry.refused_count, dry.ignored_columns) == (0, ["Shoe size"])


def test_a_national_number_twice_in_the_file_refuses_both_rows(lead: Any) -> None:
    rows = client_rows(3)
    rows[2][3] = rows[0][3]
    rows[2][2] = rows[0][2]
    dry = check(lead, csv_bytes(CLIENT_HEADERS, rows))
    message = "rijksregisternummer: This value occurs more than once in the file (rows 2, 4)."
    assert refused(dry) == {2: [message], 4: [message]}


def test_a_national_number_already_registered_is_refused(lead: Any, outsider: Any) -> None:
    rows = client_rows(2)
    make_client(outsider, national_number=rows[1][3], birth_date=datetime.date(1965, 1, 2))
    dry = check(lead, csv_bytes(CLIENT_HEADERS, rows))
    # The same refusal as the registration form, without naming the other dossier.
    assert refused(dry) == {
        3: ["rijksregisternummer: A client with this national number is already registered."]
    }


def test_every_reason_of_a_row_is_reported_with_its_column(lead: Any) -> None:
    row = client_row(1)
    row[0] = ""  # first name
    row[7] = "rich"  # income
    row[9] = "maybe"  # driving licence
    row[6] = "123"  # phone
    dry = check(lead, csv_bytes(CLIENT_HEADERS, [row]))
    assert sorted(refused(dry)[2]) == [
        "inkomen: Select a valid choice. rich is not one of the available choices.",
        "rijbewijs: Enter yes or no (ja/nee).",
        "voornaam: This field is required.",
    ]  # the phone is checked by the service once the form is valid, as in the UI


def test_a_file_without_the_required_columns_is_refused_naming_them(lead: Any) -> None:
    with pytest.raises(DomainError) as error, translation.override("en"):
        services.import_check(
            kind="clients",
            content=csv_bytes(["voornaam", "achternaam"], [["a", "b"]]),
            file_name="f.csv",
            by=lead,
        )
    assert "date of birth, postcode, income" in str(error.value)
    assert error.value.field == "file"


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02binary",
        "voornaam;achternaam\nJosé;Peeters\n".encode("latin-1"),
        b"",
        b"PK\x03\x04broken",
    ],
)
def test_an_unreadable_file_is_refused_on_the_file_field(lead: Any, content: bytes) -> None:
    with pytest.raises(DomainError) as error:
        check(lead, content)
    assert error.value.field == "file"
    assert not ImportRun.objects.exists()


def test_a_coach_cannot_import(owner: Any) -> None:
    with pytest.raises(DomainError):
        check(owner, csv_bytes(CLIENT_HEADERS, client_rows(1)))


def test_each_run_and_each_created_client_is_audited(lead: Any) -> None:
    dry = check(lead, csv_bytes(CLIENT_HEADERS, client_rows(3)))
    done = run(lead, dry, "skip_bad_rows")
    checked = AuditEvent.objects.get(action="imports.run.checked")
    assert checked.changes == {"kind": "clients", "file": "f.csv", "rows": 3, "refused": 0}
    imported = AuditEvent.objects.get(action="imports.run.imported")
    assert (imported.target_id, imported.actor) == (str(done.pk), lead)
    assert imported.changes == {
        "kind": "clients",
        "mode": "skip_bad_rows",
        "rows": 3,
        "created": 3,
        "refused": 0,
    }
    registered = AuditEvent.objects.filter(action="clients.client.registered")
    assert registered.count() == 3
    assert {e.changes["import_run"] for e in registered} == {done.pk}
    assert {e.organisation_id for e in registered} == {lead.primary_organisation.pk}


def test_a_run_cannot_be_imported_twice(lead: Any) -> None:
    dry = check(lead, csv_bytes(CLIENT_HEADERS, client_rows(2)))
    run(lead, dry, "skip_bad_rows")
    with pytest.raises(DomainError):
        run(lead, dry, "skip_bad_rows")
    assert Client.objects.count() == 2
