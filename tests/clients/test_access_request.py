"""R-PRV-6 (art. 15 GDPR): the access request exports everything held about one client,
within the requester's scope, audited; protected notes only for who may read them (R-PRV-3)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.clients import services as client_services
from doorstroom.clients.models import Client
from doorstroom.core.models import AuditEvent
from doorstroom.reports.models import EndReport
from tests.dossiers import days_ago, make_trajectory
from tests.factories import member

# What every app keeps about a client: all must be in the export of a full dossier.
EVERY_APP = {
    "clients.intake",
    "clients.journalentry",
    "clients.consent",
    "trajectories.trajectory",
    "trajectories.trajectoryphase",
    "plans.planversion",
    "plans.plancompetence",
    "evaluations.evaluation",
    "evaluations.evaluationscore",
    "employers.placement",
    "instruments.instrumentuse",
}


def _json(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


# --- On the demo: every app, and nothing of anyone else ---------------------------------------


@pytest.fixture(scope="class")
def demo_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo")
        yield
        transaction.set_rollback(True)


def _richest() -> Client:
    return (
        Client.objects.annotate(
            n=Count("trajectories__evaluations", distinct=True) + Count("journal", distinct=True)
        )
        .order_by("-n", "pk")
        .first()
    )


def _others_identifiers(client: Client) -> list[str]:
    values: list[str] = []
    for other in Client.objects.exclude(pk=client.pk):
        values += [v for v in (other.national_number, other.email) if v]
        if other.last_name != client.last_name:
            values.append(f"{other.first_name} {other.last_name}")
    return values


@pytest.mark.usefixtures("demo_once", "db")
class TestAccessRequestOnTheDemo:
    def test_r_prv_6_the_json_holds_every_apps_rows_and_nothing_of_another_client(
        self, client: HttpClient
    ) -> None:
        record = _richest()
        coach = record.trajectories.first().coach
        client.force_login(coach)

        data = _json(client.get(reverse("clients:access-request-json", args=[record.pk])))

        assert data["client"]["id"] == record.pk
        assert data["client"]["last_name"] == record.last_name
        assert data["client"]["national_number"] == record.national_number
        filled = {label for label, rows in data["records"].items() if rows}
        assert filled >= EVERY_APP, EVERY_APP - filled
        for label, rows in data["records"].items():
            for row in rows:
                if "client_id" in row:
                    assert row["client_id"] == record.pk, label
        trajectories = set(record.trajectories.values_list("pk", flat=True))
        for row in data["records"]["plans.planversion"] + data["records"]["employers.placement"]:
            assert row["trajectory_id"] in trajectories
        text = json.dumps(data, ensure_ascii=False)
        assert record.full_name in text or record.first_name in text  # the scan can find names
        leaked = [value for value in _others_identifiers(record) if value in text]
        assert not leaked
        assert data["access_log"]  # who read or changed the dossier (art. 15: recipients)
        assert any(entry["who"] == coach.email for entry in data["access_log"])
        assert "ip_address" not in text  # the staff's addresses are not the client's data

    def test_r_prv_6_an_end_report_is_in_the_export(self, client: HttpClient) -> None:
        report = EndReport.objects.select_related("trajectory__client").first()
        record = report.trajectory.client
        client.force_login(report.trajectory.coach)
        data = _json(client.get(reverse("clients:access-request-json", args=[record.pk])))
        assert [row["id"] for row in data["records"]["reports.endreport"]] == list(
            EndReport.objects.filter(trajectory__client=record)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


# --- Who may answer one -----------------------------------------------------------------------


@pytest.fixture
def dossier(owner: Any) -> Client:
    return make_trajectory(owner).client


@pytest.fixture
def team_lead(ocmw_a: Any) -> Any:
    return member(ocmw_a, "team_lead", email="lead@geel.test")


@pytest.mark.parametrize("who", ["owner", "team_lead", "privacy_officer"])
def test_r_prv_6_the_lead_coach_team_lead_and_privacy_officer_answer_it(
    client: HttpClient, dossier: Client, request: pytest.FixtureRequest, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("clients:access-request", args=[dossier.pk]))
    assert page.status_code == 200
    assert reverse("clients:access-request-json", args=[dossier.pk]) in page.content.decode()
    assert "INVALID[" not in page.content.decode()
    assert _json(client.get(reverse("clients:access-request-json", args=[dossier.pk])))
    # The privacy officer does not read dossiers (R-PRV-1): the link is on the dossier's log.
    where = "core:audit-dossier" if who == "privacy_officer" else "clients:detail"
    page = client.get(reverse(where, args=[dossier.pk]))
    assert reverse("clients:access-request", args=[dossier.pk]) in page.content.decode()


@pytest.mark.parametrize("who", ["teammate", "outsider", "outside_privacy_officer"])
def test_r_prv_6_everyone_else_gets_404(
    client: HttpClient, dossier: Client, request: pytest.FixtureRequest, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))
    for name in ("clients:access-request", "clients:access-request-json"):
        assert client.get(reverse(name, args=[dossier.pk])).status_code == 404
    assert client.get(reverse("clients:access-request-pdf", args=[dossier.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="clients.access_request.exported").exists()


def test_a_teammate_sees_no_access_request_link(
    client: HttpClient, dossier: Client, teammate: Any
) -> None:
    client.force_login(teammate)
    detail = client.get(reverse("clients:detail", args=[dossier.pk]))
    assert detail.status_code == 200  # the OCMW's coaches see the dossier (R-PRV-1) ...
    assert reverse("clients:access-request", args=[dossier.pk]) not in detail.content.decode()


# --- Protected notes and audit ----------------------------------------------------------------


def test_r_prv_3_the_lead_coach_gets_the_protected_notes_and_each_read_is_audited(
    client: HttpClient, dossier: Client, owner: Any
) -> None:
    notes = [
        client_services.sensitive_note_add(dossier, category="medical", text=text, by=owner)
        for text in ("Rugletsel", "Slaapproblemen")
    ]
    client.force_login(owner)

    data = _json(client.get(reverse("clients:access-request-json", args=[dossier.pk])))

    assert data["protected_notes"]["included"] is True
    assert sorted(n["text"] for n in data["protected_notes"]["notes"]) == [
        "Rugletsel",
        "Slaapproblemen",
    ]
    reads = AuditEvent.objects.filter(action="clients.sensitive_note.read", actor=owner)
    assert sorted(reads.values_list("target_id", flat=True)) == sorted(str(n.pk) for n in notes)
    assert set(reads.values_list("purpose", flat=True)) == {"inzageverzoek"}
    exported = AuditEvent.objects.get(action="clients.access_request.exported")
    assert exported.actor == owner
    assert exported.target_id == str(dossier.pk)
    assert exported.purpose == "inzageverzoek"
    assert exported.changes["format"] == "json"
    assert exported.changes["protected_notes"] == 2


def test_r_prv_3_a_privacy_officer_gets_no_protected_text(
    client: HttpClient, dossier: Client, owner: Any, privacy_officer: Any
) -> None:
    client_services.sensitive_note_add(dossier, category="judicial", text="Geheim", by=owner)
    client.force_login(privacy_officer)
    response = client.get(reverse("clients:access-request-json", args=[dossier.pk]))
    data = _json(response)
    assert data["protected_notes"] == {"included": False, "count": 1, "notes": []}
    assert "Geheim" not in response.content.decode()
    assert "ciphertext" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="clients.sensitive_note.read").exists()


def test_r_prv_6_the_pdf_for_the_client_is_audited_and_lists_who_read_the_dossier(
    client: HttpClient, dossier: Client, owner: Any, teammate: Any
) -> None:
    client_services.dossier_viewed(dossier, by=teammate, purpose="Overleg")
    client.force_login(owner)
    response = client.get(reverse("clients:access-request-pdf", args=[dossier.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="documents.access_request.generated")
    assert event.actor == owner
    assert event.target_id == str(dossier.pk)


def test_r_prv_6_the_pdf_holds_the_access_log_end_reports_and_protected_section() -> None:
    from django.template.loader import get_template

    source = get_template("clients/access_request_pdf.html").template.source
    for part in ("access_log", "end_reports", "protected.notes"):
        assert part in source


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 6])
def test_the_json_export_runs_a_constant_number_of_queries(
    client: HttpClient, dossier: Client, owner: Any, django_assert_num_queries: Any, rows: int
) -> None:
    for i in range(rows):
        client_services.journal_add(
            dossier,
            data={"on": days_ago(i), "kind": "conversation", "notes": f"Gesprek {i}"},
            by=owner,
        )
        client_services.dossier_viewed(dossier, by=owner)
    client.force_login(owner)
    url = reverse("clients:access-request-json", args=[dossier.pk])
    # Session, user, memberships, the client, who may answer, the walk over the dossier's
    # relations (``holdings``) and one query per kind of record, the access log, the audit.
    with django_assert_num_queries(50):
        data = _json(client.get(url))
    assert len(data["records"]["clients.journalentry"]) == rows
