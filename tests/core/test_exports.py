"""Exports of the four lists (CSV/XLSX): scoped like the page, filtered, audited, inert cells."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from doorstroom.clients import services as client_services
from doorstroom.core.exports import file_name, inert
from doorstroom.core.models import AuditEvent
from tests.dossiers import make_client, make_trajectory
from tests.employers.builders import make_employer, make_workplace
from tests.trajectories.test_caseload import grow as grow_trajectories

pytestmark = pytest.mark.django_db


def csv_rows(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the UTF-8 with the BOM
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_rows(response: Any) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def queries(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("text", ["=1+1", "+32 470", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_as_a_formula_are_quoted(text: str) -> None:
    assert inert(text) == "'" + text


def test_harmless_text_is_left_alone_and_file_names_are_safe() -> None:
    assert inert("Peeters") == "Peeters"
    name = file_name('../../etc/pass"wd klanten', "csv")
    assert name.startswith("doorstroom-etcpasswd-klanten-")
    assert name.endswith(".csv")


def test_the_client_export_keeps_the_search_and_is_audited(client: HttpClient, owner: Any) -> None:
    make_client(owner, last_name="Peeters")
    make_client(owner, last_name="Janssens")
    client.force_login(owner)
    response = client.get(reverse("clients:export", args=["csv"]) + "?q=peeters")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="doorstroom-clients-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [r[0] for r in rows[1:]] == ["Peeters"]
    event = AuditEvent.objects.get(action="core.list.exported")
    assert (event.actor, event.changes) == (
        owner,
        {"list": "clients", "format": "csv", "filters": {"q": "peeters"}, "rows": 1},
    )


def test_a_formula_in_a_name_stays_text_in_csv_and_xlsx(client: HttpClient, owner: Any) -> None:
    make_client(owner, last_name='=HYPERLINK("http://evil.test","x")')
    client.force_login(owner)
    assert csv_rows(client.get(reverse("clients:export", args=["csv"])))[1][0].startswith("'=")
    response = client.get(reverse("clients:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s"  # a text cell, never a formula
    assert cell.value == '=HYPERLINK("http://evil.test","x")'


def test_the_protected_section_is_never_exported(client: HttpClient, owner: Any) -> None:
    person = make_trajectory(owner).client  # the owner is the lead coach
    # R-PRV-3: sensitive notes live only in the protected section.
    client_services.sensitive_note_add(
        person, category="medical", text="Diagnose-geheim-42", by=owner
    )
    client.force_login(owner)
    for fmt in ("csv", "xlsx"):
        content = client.get(reverse("clients:export", args=[fmt])).content
        assert b"Diagnose-geheim-42" not in content
    assert "Diagnose-geheim-42" not in str(
        xlsx_rows(client.get(reverse("clients:export", args=["xlsx"])))
    )


@pytest.mark.parametrize(
    "url_name",
    [
        "clients:export",
        "employers:export",
        "employers:workplaces-export",
        "trajectories:caseload-export",
    ],
)
def test_an_outsider_exports_none_of_another_organisations_rows(
    client: HttpClient, owner: Any, outsider: Any, url_name: str
) -> None:
    make_trajectory(owner, last_name="Vermeulen")
    make_workplace(make_employer(owner, name="Groendienst Geel"), owner, title="Snoeier")
    make_trajectory(outsider, last_name="Wouters", postcode="2400")
    client.force_login(outsider)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse(url_name, args=[fmt]))
        assert response.status_code == 200
        text = response.content.decode("utf-8") if fmt == "csv" else str(xlsx_rows(response))
        for other in ("Vermeulen", "Groendienst Geel", "Snoeier"):
            assert other not in text
    client.force_login(owner)
    text = client.get(reverse(url_name, args=["csv"])).content.decode()
    assert "Wouters" not in text


def test_an_unknown_format_is_404(client: HttpClient, owner: Any) -> None:
    client.force_login(owner)
    assert client.get(reverse("clients:export", args=["pdf"])).status_code == 404
    assert not AuditEvent.objects.filter(action="core.list.exported").exists()


def test_the_caseload_export_has_the_rows_of_the_page_with_their_deadline(
    client: HttpClient, owner: Any
) -> None:
    trajectory = make_trajectory(owner, last_name="Claes")
    client.force_login(owner)
    rows = xlsx_rows(
        client.get(reverse("trajectories:caseload-export", args=["xlsx"]) + "?kind=art60")
    )
    assert len(rows) == 2
    assert rows[1][0] == trajectory.client.full_name
    assert rows[1][6].date() == trajectory.next_due  # a real date cell, not text
    assert rows[1][9] == owner.full_name
    event = AuditEvent.objects.get(action="core.list.exported")
    assert event.changes["filters"] == {"kind": "art60", "scope": "mine"}


def test_the_employer_and_workplace_exports_keep_the_filters(
    client: HttpClient, owner: Any
) -> None:
    green = make_employer(owner, name="Groendienst", sector="green")
    make_workplace(green, owner, title="Snoeier")
    shop = make_employer(owner, name="Winkel", sector="retail")
    make_workplace(shop, owner, title="Kassier")
    client.force_login(owner)
    employers = csv_rows(client.get(reverse("employers:export", args=["csv"]) + "?sector=green"))
    assert [r[0] for r in employers[1:]] == ["Groendienst"]
    assert employers[1][6] == "1"  # its workplaces
    workplaces = csv_rows(
        client.get(reverse("employers:workplaces-export", args=["csv"]) + "?sector=green")
    )
    assert [(r[0], r[1]) for r in workplaces[1:]] == [("Groendienst", "Snoeier")]


def test_the_list_pages_link_to_their_export_with_the_current_filters(
    client: HttpClient, owner: Any
) -> None:
    client.force_login(owner)
    page = client.get(reverse("employers:list") + "?sector=green").content.decode()
    assert reverse("employers:export", args=["xlsx"]) + "?sector=green" in page
    page = client.get(reverse("clients:list") + "?q=maes").content.decode()
    assert reverse("clients:export", args=["csv"]) + "?q=maes" in page
    page = client.get(reverse("trajectories:caseload") + "?kind=art60").content.decode()
    assert reverse("trajectories:caseload-export", args=["csv"]) + "?kind=art60" in page


def test_the_exports_run_the_same_queries_for_10_and_60_rows(
    client: HttpClient, owner: Any
) -> None:
    client.force_login(owner)
    grow_trajectories(owner, 10)
    employer = make_employer(owner)
    for n in range(10):
        make_workplace(make_employer(owner) if n % 2 else employer, owner)
    urls = [
        reverse(name, args=["xlsx"])
        for name in (
            "clients:export",
            "employers:export",
            "employers:workplaces-export",
            "trajectories:caseload-export",
        )
    ]
    small = [queries(client, url) for url in urls]
    grow_trajectories(owner, 60)
    for n in range(50):
        make_workplace(make_employer(owner) if n % 2 else employer, owner)
    assert [queries(client, url) for url in urls] == small
