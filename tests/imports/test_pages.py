"""The import pages: upload, dry-run report, real run, history, example files; scoped (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from doorstroom.clients.models import Client
from doorstroom.imports import services
from doorstroom.imports.kinds import IMPORTERS
from doorstroom.imports.models import ImportRun
from doorstroom.imports.reading import read_table
from tests.imports.files import CLIENT_HEADERS, client_rows, csv_bytes

pytestmark = pytest.mark.django_db


def upload(http: HttpClient, content: bytes, kind: str = "clients", name: str = "a.csv") -> Any:
    return http.post(
        reverse("imports:list"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def dry_run(lead: Any, count: int = 3) -> ImportRun:
    with translation.override("en"):
        return services.import_check(
            kind="clients",
            content=csv_bytes(CLIENT_HEADERS, client_rows(count)),
            file_name="klanten.csv",
            by=lead,
        )


def test_a_team_lead_uploads_sees_the_refused_rows_and_skips_them(
    client: HttpClient, lead: Any
) -> None:
    client.force_login(lead)
    rows = client_rows(4)
    rows[1][3] = "12345678901"
    response = upload(client, csv_bytes(CLIENT_HEADERS, rows, delimiter=";", bom=True))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[run.pk])

    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "row 3, column rijksregisternummer: This is not a valid national number" in page
    assert "Maes0" not in page  # only the refused rows until "all" is chosen
    assert (
        "Maes0"
        in client.get(reverse("imports:detail", args=[run.pk]) + "?show=all").content.decode()
    )
    assert Client.objects.count() == 0

    response = client.post(reverse("imports:run", args=[run.pk]), {"mode": "skip_bad_rows"})
    assert response.status_code == 302
    assert Client.objects.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "3 records imported." in page
    assert 'data-testid="run-form"' not in page  # a run is imported once


def test_a_bad_file_gets_a_message_on_the_form_not_a_500(client: HttpClient, lead: Any) -> None:
    client.force_login(lead)
    response = upload(client, b"\x00\x01 not a spreadsheet", name="x.xlsx")
    assert response.status_code == 200
    assert "This is neither a CSV nor an XLSX file." in response.content.decode()
    response = upload(client, csv_bytes(["naam"], [["x"]]), kind="nonsense")
    assert response.status_code == 200
    assert not ImportRun.objects.exists()


def test_an_outsider_gets_404_on_another_organisations_run(
    client: HttpClient, lead: Any, outside_lead: Any
) -> None:
    run = dry_run(lead)
    client.force_login(outside_lead)
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 404
    assert (
        client.post(reverse("imports:run", args=[run.pk]), {"mode": "skip_bad_rows"}).status_code
        == 404
    )
    history = client.get(reverse("imports:list")).content.decode()
    assert "klanten.csv" not in history
    assert Client.objects.count() == 0


def test_a_coach_has_no_import_pages(client: HttpClient, owner: Any, lead: Any) -> None:
    run = dry_run(lead)
    client.force_login(owner)
    assert client.get(reverse("imports:list")).status_code == 404
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 404


def test_a_teammate_team_lead_reopens_the_dry_run(
    client: HttpClient, lead: Any, ocmw_a: Any
) -> None:
    from tests.factories import member

    run = dry_run(lead)
    other = member(ocmw_a, "team_lead", language="en")
    client.force_login(other)
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 200
    assert "klanten.csv" in client.get(reverse("imports:list")).content.decode()


def test_the_history_runs_the_same_queries_for_2_and_20_runs(
    client: HttpClient, lead: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(lead)
    url = reverse("imports:list")
    run = dry_run(lead, 1)

    def grow(count: int) -> None:
        while ImportRun.objects.count() < count:
            run.pk = None
            run.save()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    grow(2)
    small = queries()
    grow(20)
    assert queries() == small


@pytest.mark.parametrize("kind", ["clients", "employers", "workplaces"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_example_files_have_every_documented_column(
    client: HttpClient, lead: Any, kind: str, fmt: str
) -> None:
    client.force_login(lead)
    response = client.get(reverse("imports:example", args=[kind, fmt]))
    assert response.status_code == 200
    table = read_table(response.content)
    assert table.headers == [c.nl for c in IMPORTERS[kind].columns]
    assert len(table.rows) == 1


def test_the_example_client_file_passes_its_own_dry_run(client: HttpClient, lead: Any) -> None:
    client.force_login(lead)
    content = client.get(reverse("imports:example", args=["clients", "xlsx"])).content
    with translation.override("en"):
        run = services.import_check(kind="clients", content=content, file_name="e.xlsx", by=lead)
    assert run.refused_count == 0, run.report


def test_the_client_and_employer_lists_link_to_the_imports_for_team_leads_only(
    client: HttpClient, lead: Any, owner: Any
) -> None:
    url = reverse("imports:list")
    client.force_login(lead)
    assert url in client.get(reverse("clients:list")).content.decode()
    assert url in client.get(reverse("employers:list")).content.decode()
    client.force_login(owner)
    assert url not in client.get(reverse("clients:list")).content.decode()
    assert url not in client.get(reverse("employers:list")).content.decode()


def test_a_functional_admin_may_import_too(client: HttpClient, functional_admin: Any) -> None:
    client.force_login(functional_admin)
    assert client.get(reverse("imports:list")).status_code == 200
