"""The VDAB monitoring file (R-FIN-4): from the month-end snapshot, as XLSX or encrypted ZIP."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import pyzipper
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from doorstroom.accounts.roles import Role
from doorstroom.core.models import AuditEvent
from doorstroom.reports.monitoring_export import COLUMNS
from doorstroom.reports.snapshots import snapshots_take
from doorstroom.trajectories.models import Trajectory
from tests.factories import member
from tests.reports.financing_builders import art60, register_ao

pytestmark = pytest.mark.django_db

D = datetime.date
PASSWORD = "lange-zin-als-wachtwoord"
URL = "/reports/monitoring-export/"


@pytest.fixture
def lead(ocmw_a: Any) -> Any:
    return member(ocmw_a, Role.TEAM_LEAD, email="lead@geel.test", language="en")


@pytest.fixture
def january(owner: Any, outsider: Any) -> Trajectory:
    """Two trajectories of OCMW Geel and one of OCMW Mol, snapshot at 31/1/2026."""
    ann = art60(
        owner, D(2025, 12, 10), first_name="Ann", last_name="Aerts", national_number="85073003328"
    )
    register_ao(ann, owner, D(2026, 1, 5))
    art60(owner, D(2026, 1, 12), first_name="Bart", last_name="Bosmans")
    mol = art60(outsider, D(2025, 12, 1), first_name="Dirk", last_name="Mol", postcode="2400")
    register_ao(mol, outsider, D(2025, 12, 15))
    snapshots_take(month=D(2026, 1, 1), today=D(2026, 11, 22))
    return ann


def download(client: HttpClient, data: dict[str, Any]) -> Any:
    return client.post(reverse("monitoring:monitoring-export"), data)


def sheet_rows(content: bytes) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], values, strict=True)) for values in rows[1:]]


def test_the_file_lists_every_trajectory_of_the_organisation_at_that_month_end(
    client: HttpClient, ocmw_a: Any, lead: Any, january: Trajectory
) -> None:
    client.force_login(lead)
    response = download(client, {"organisation": ocmw_a.pk, "month": "2026-01"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2026-01.xlsx"')
    rows = sheet_rows(response.content)
    assert [r["last_name"] for r in rows] == ["Aerts", "Bosmans"]  # not OCMW Mol's
    ann = rows[0]
    assert ann["insz"] == "85073003328"
    assert ann["trajectory_id"] == january.pk
    assert ann["month_end"].date() == D(2026, 1, 31)
    assert ann["start"].date() == D(2025, 12, 10)
    assert ann["planned_end"].date() == D(2027, 12, 9)  # R-TRJ-1: start + 2 years
    assert ann["ao_start"].date() == D(2026, 1, 5)
    assert (ann["kind"], ann["month"], ann["status"]) == ("art60", 2, "running")  # R-FIN-3
    assert (ann["guided"], ann["ao_running"], ann["ao_in_time"]) == (True, True, True)
    assert ann["coach"] == "An Peeters"
    # R-FIN-1/2 as known on 31/1: fee €250 paid, part 1 €150, part 2 €45.
    assert (ann["effort_fee"], ann["effort_status"]) == (250, "paid")
    assert (ann["compensation_part1"], ann["compensation_part2"]) == (150, 45)
    bart = rows[1]
    assert bart["ao_start"] is None
    assert bart["ao_in_time"] is None
    assert bart["effort_status"] == "awaiting_ao"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(row=2, column=21).number_format == '"€" #,##0.00'
    event = AuditEvent.objects.get(action="reports.monitoring_export.downloaded")
    assert event.actor == lead
    assert event.changes == {
        "organisation": "OCMW Geel",
        "month_end": "2026-01-31",
        "rows": 2,
        "encrypted": False,
    }


def test_with_a_password_the_file_comes_in_an_encrypted_zip(
    client: HttpClient, ocmw_a: Any, lead: Any, january: Trajectory
) -> None:
    client.force_login(lead)
    data = {"organisation": ocmw_a.pk, "month": "2026-01", "password": PASSWORD}
    response = download(client, data)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = pyzipper.AESZipFile(io.BytesIO(response.content))
    (name,) = archive.namelist()
    assert name.endswith("-2026-01.xlsx")
    with pytest.raises(RuntimeError):  # no password: refused
        archive.read(name)
    archive.setpassword(b"a wrong password!")
    with pytest.raises(RuntimeError):
        archive.read(name)
    archive.setpassword(PASSWORD.encode())
    assert len(sheet_rows(archive.read(name))) == 2
    event = AuditEvent.objects.get(action="reports.monitoring_export.downloaded")
    assert event.changes["encrypted"] is True
    assert PASSWORD not in str(event.changes)
    assert all(PASSWORD not in str(e.changes) for e in AuditEvent.objects.all())


def test_a_short_password_is_refused_on_its_field(
    client: HttpClient, ocmw_a: Any, lead: Any, january: Trajectory
) -> None:
    client.force_login(lead)
    response = download(client, {"organisation": ocmw_a.pk, "month": "2026-01", "password": "kort"})
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert PASSWORD not in response.content.decode()
    assert not AuditEvent.objects.filter(action="reports.monitoring_export.downloaded").exists()


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-13", "Enter a month as YYYY-MM"),
        ("januari", "Enter a month as YYYY-MM"),
        ("2099-01", "has not ended yet"),
        ("2025-06", "take_month_end_snapshot --month 2025-06"),  # no snapshot for it
    ],
)
def test_a_bad_or_missing_month_is_explained_on_its_field(
    client: HttpClient, ocmw_a: Any, lead: Any, january: Trajectory, month: str, message: str
) -> None:
    client.force_login(lead)
    response = download(client, {"organisation": ocmw_a.pk, "month": month})
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["month"])


def test_the_page_lists_the_columns_and_the_months_with_a_snapshot(
    client: HttpClient, lead: Any, january: Trajectory
) -> None:
    client.force_login(lead)
    html = client.get(reverse("monitoring:monitoring-export")).content.decode()
    assert html.count("<code>") == len(COLUMNS)
    assert "2026-01" in html


def test_the_documented_column_list_matches_the_file() -> None:
    doc = (Path(settings.BASE_DIR) / "docs" / "monitoring-export.md").read_text()
    documented = [
        line.split("|")[1].strip().strip("`") for line in doc.splitlines() if line.startswith("| `")
    ]
    assert documented == [column.key for column in COLUMNS]


@pytest.mark.parametrize("who", ["owner", "privacy_officer", "outsider"])
def test_coaches_privacy_officers_and_outsiders_get_404(
    client: HttpClient, request: pytest.FixtureRequest, ocmw_a: Any, january: Trajectory, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404
    assert download(client, {"organisation": ocmw_a.pk, "month": "2026-01"}).status_code == 404


def test_a_team_lead_of_another_ocmw_gets_404_for_ours_and_only_their_own_rows(
    client: HttpClient, ocmw_a: Any, ocmw_b: Any, january: Trajectory
) -> None:
    client.force_login(member(ocmw_b, Role.TEAM_LEAD, email="lead@mol.test"))
    assert download(client, {"organisation": ocmw_a.pk, "month": "2026-01"}).status_code == 404
    assert client.get(f"{URL}?organisation={ocmw_a.pk}").status_code == 404
    response = download(client, {"organisation": ocmw_b.pk, "month": "2026-01"})
    assert [r["last_name"] for r in sheet_rows(response.content)] == ["Mol"]


def count_queries(client: HttpClient, ocmw: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = download(client, {"organisation": ocmw.pk, "month": "2026-01"})
        assert response.status_code == 200
    return len(captured)


def test_the_export_runs_the_same_queries_for_2_and_8_trajectories(
    client: HttpClient, ocmw_a: Any, owner: Any, lead: Any, january: Trajectory
) -> None:
    client.force_login(lead)
    small = count_queries(client, ocmw_a)
    for n in range(6):
        trajectory = art60(owner, D(2025, 12, 1 + n))
        register_ao(trajectory, owner, D(2026, 1, 2))
    snapshots_take(month=D(2026, 1, 1), today=D(2026, 11, 22))
    assert count_queries(client, ocmw_a) == small
    response = download(client, {"organisation": ocmw_a.pk, "month": "2026-01"})
    rows = sheet_rows(response.content)
    assert len(rows) == 8
    assert sum(Decimal(str(r["compensation_part1"])) for r in rows) == 7 * 150
