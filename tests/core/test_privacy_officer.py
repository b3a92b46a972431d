"""R-PRV-4: the privacy officer's tools — who opened which dossier and why, unusual access,
the access log's export — and R-PRV-6: a rectification shows on the dossier's log."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from doorstroom.clients import services as client_services
from doorstroom.clients.forms import ClientEditForm
from doorstroom.clients.models import Client
from doorstroom.core.models import AuditEvent
from doorstroom.core.privacy import find_bursts, unusual_access_for
from tests.dossiers import days_ago, make_client, make_trajectory
from tests.factories import member


@pytest.fixture
def dossier(owner: Any) -> Client:
    return make_trajectory(owner).client


def _read(client: Client, by: Any, purpose: str = "", minutes_ago: float | None = None) -> None:
    client_services.dossier_viewed(client, by=by, purpose=purpose)
    if minutes_ago is not None:
        event = AuditEvent.objects.filter(action="clients.client.viewed").latest("id")
        at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
        AuditEvent.objects.filter(pk=event.pk).update(at=at)


def _login(http: HttpClient, user: Any) -> HttpClient:
    http.force_login(user)
    return http


# --- Per-dossier log --------------------------------------------------------------------------


def test_r_prv_4_the_dossier_log_shows_a_teammates_read_with_its_purpose(
    client: HttpClient, dossier: Client, owner: Any, teammate: Any, privacy_officer: Any
) -> None:
    _read(dossier, teammate, purpose="Overleg met de werkgever")
    note = client_services.sensitive_note_add(dossier, category="medical", text="Rug", by=owner)
    client_services.sensitive_note_read(note, purpose="Aanvraag aangepast werk", by=owner)
    other = make_client(owner, first_name="Ander")
    _read(other, teammate, purpose="Iets anders")

    response = _login(client, privacy_officer).get(reverse("core:audit-dossier", args=[dossier.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert teammate.email in html
    assert "Overleg met de werkgever" in html
    assert "clients.sensitive_note.read" in html  # a protected note's read, with its purpose
    assert "Aanvraag aangepast werk" in html
    assert "INVALID[" not in html  # no unknown template variable
    assert "trajectories." in html  # rows of other apps in the dossier: the trajectory's start
    assert "Iets anders" not in html  # another client's dossier
    # Reading the log is itself recorded.
    assert AuditEvent.objects.filter(
        action="core.access_log.viewed", actor=privacy_officer, target_id=str(dossier.pk)
    ).exists()


@pytest.mark.parametrize("who", ["outside_privacy_officer", "owner", "teammate", "outsider"])
def test_r_prv_4_only_the_organisations_privacy_officer_opens_the_logs(
    client: HttpClient, dossier: Client, owner: Any, request: pytest.FixtureRequest, who: str
) -> None:
    user = request.getfixturevalue(who)
    _login(client, user)
    assert client.get(reverse("core:audit-dossier", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("core:audit-user", args=[owner.pk])).status_code == 404
    export = reverse("core:audit-export", args=["csv"])
    assert client.get(export, {"client": dossier.pk}).status_code == 404
    assert client.get(export, {"user": owner.pk}).status_code == 404


@pytest.mark.parametrize("who", ["owner", "teammate", "outsider", "functional_admin"])
def test_r_prv_4_nobody_but_a_privacy_officer_exports_the_log(
    client: HttpClient, db: None, request: pytest.FixtureRequest, who: str
) -> None:
    _login(client, request.getfixturevalue(who))
    assert client.get(reverse("core:audit-export", args=["csv"])).status_code == 404


def test_an_unknown_dossier_or_user_is_404(client: HttpClient, privacy_officer: Any) -> None:
    _login(client, privacy_officer)
    assert client.get(reverse("core:audit-dossier", args=[999999])).status_code == 404
    assert client.get(reverse("core:audit-user", args=[999999])).status_code == 404


def test_the_privacy_officer_reaches_a_dossiers_log_from_the_audit_list_not_the_dossier(
    client: HttpClient, dossier: Client, owner: Any, privacy_officer: Any
) -> None:
    # R-PRV-1: the privacy officer does not read dossiers by role; the log is their way in.
    url = reverse("clients:detail", args=[dossier.pk])
    log = reverse("core:audit-dossier", args=[dossier.pk])
    _login(client, owner).get(url)  # a read, so the audit list names the client
    officer = _login(client, privacy_officer)
    assert officer.get(url).status_code == 404
    assert log in officer.get(reverse("core:audit-list")).content.decode()
    assert log not in _login(client, owner).get(url).content.decode()


def test_r_prv_6_a_rectification_is_recorded_with_old_and_new_values_and_its_reason(
    client: HttpClient, dossier: Client, owner: Any, privacy_officer: Any
) -> None:
    data = {**ClientEditForm.initial_for(dossier)}
    data.update(
        street="Kerkstraat 9",
        phone="0470 99 88 77",
        rectification_reason="Cliënt vroeg adres te verbeteren",
        job_targets=[],
        work_limitations=[],
        municipality="",
        birth_date=dossier.birth_date.isoformat(),
        vdab_registration_date="",
    )
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    response = _login(client, owner).post(reverse("clients:edit", args=[dossier.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    event = AuditEvent.objects.get(action="clients.client.updated", target_id=str(dossier.pk))
    assert event.changes["street"] == ["Markt 1", "Kerkstraat 9"]
    assert event.purpose == "Cliënt vroeg adres te verbeteren"

    html = (
        _login(client, privacy_officer)
        .get(reverse("core:audit-dossier", args=[dossier.pk]))
        .content.decode()
    )
    assert "Markt 1 → Kerkstraat 9" in html
    assert "Cliënt vroeg adres te verbeteren" in html


def test_r_prv_6_a_rectification_reason_is_optional(dossier: Client, owner: Any) -> None:
    form = ClientEditForm(initial=ClientEditForm.initial_for(dossier))
    assert form.fields["rectification_reason"].required is False


# --- Per-user log -------------------------------------------------------------------------


def test_r_prv_4_the_user_log_shows_what_one_user_opened_by_day(
    client: HttpClient, dossier: Client, teammate: Any, owner: Any, privacy_officer: Any
) -> None:
    _read(dossier, teammate, purpose="Vandaag", minutes_ago=1)
    _read(dossier, teammate, purpose="Gisteren", minutes_ago=60 * 24 + 5)
    _read(dossier, owner, purpose="Van iemand anders")

    response = _login(client, privacy_officer).get(reverse("core:audit-user", args=[teammate.pk]))

    assert response.status_code == 200
    days = response.context["days"]
    assert len(days) == 2
    assert days[0][0] > days[1][0]  # newest day first
    html = response.content.decode()
    assert "Vandaag" in html
    assert "Gisteren" in html
    assert "Van iemand anders" not in html
    assert "INVALID[" not in html
    assert reverse("core:audit-dossier", args=[dossier.pk]) in html


def test_the_audit_list_links_to_the_user_and_dossier_logs(
    client: HttpClient, dossier: Client, teammate: Any, privacy_officer: Any
) -> None:
    _read(dossier, teammate)
    html = _login(client, privacy_officer).get(reverse("core:audit-list")).content.decode()
    assert reverse("core:audit-user", args=[teammate.pk]) in html
    assert reverse("core:audit-dossier", args=[dossier.pk]) in html


# --- Unusual access ---------------------------------------------------------------------------


@pytest.fixture
def limit(settings: Any) -> int:
    settings.DOORSTROOM_UNUSUAL_ACCESS_DOSSIERS = 3
    settings.DOORSTROOM_UNUSUAL_ACCESS_MINUTES = 60
    return 3


def _clients(owner: Any, n: int) -> list[Client]:
    return [make_client(owner) for _ in range(n)]


def test_r_prv_4_more_than_n_dossiers_outside_the_caseload_is_flagged(
    client: HttpClient, owner: Any, teammate: Any, privacy_officer: Any, limit: int
) -> None:
    for i, record in enumerate(_clients(owner, limit + 1)):
        _read(record, teammate, minutes_ago=50 - i * 10)
        _read(record, teammate, minutes_ago=49 - i * 10)  # a second read counts once

    flags = unusual_access_for(privacy_officer, now=timezone.now())

    assert [(f.actor_id, f.dossiers) for f in flags] == [(teammate.pk, limit + 1)]
    assert flags[0].end - flags[0].start <= datetime.timedelta(minutes=60)
    html = _login(client, privacy_officer).get(reverse("core:audit-list")).content.decode()
    assert 'data-testid="unusual-access"' in html
    assert "INVALID[" not in html
    assert reverse("core:audit-user", args=[teammate.pk]) in html
    user_page = client.get(reverse("core:audit-user", args=[teammate.pk]))
    assert len(user_page.context["unusual"]) == 1


def test_r_prv_4_n_dossiers_are_not_flagged(
    owner: Any, teammate: Any, privacy_officer: Any, limit: int
) -> None:
    for i, record in enumerate(_clients(owner, limit)):
        _read(record, teammate, minutes_ago=30 - i)
    assert unusual_access_for(privacy_officer, now=timezone.now()) == []


def test_r_prv_4_reads_spread_beyond_the_window_are_not_flagged(
    owner: Any, teammate: Any, privacy_officer: Any, limit: int
) -> None:
    for i, record in enumerate(_clients(owner, limit + 1)):
        _read(record, teammate, minutes_ago=300 - i * 61)
    assert unusual_access_for(privacy_officer, now=timezone.now()) == []


def test_r_prv_4_reads_of_ones_own_caseload_are_not_counted(
    owner: Any, privacy_officer: Any, limit: int
) -> None:
    own = [make_trajectory(owner).client for _ in range(limit + 1)]
    for record in own:
        _read(record, owner, minutes_ago=5)
    assert unusual_access_for(privacy_officer, now=timezone.now()) == []


def test_r_prv_4_another_organisations_privacy_officer_sees_no_flag(
    owner: Any, teammate: Any, outside_privacy_officer: Any, limit: int
) -> None:
    for record in _clients(owner, limit + 1):
        _read(record, teammate, minutes_ago=5)
    assert unusual_access_for(outside_privacy_officer, now=timezone.now()) == []


def test_overlapping_bursts_merge_into_one_flag() -> None:
    at = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    reads = [(7, "x@test", at + datetime.timedelta(minutes=i), str(i)) for i in range(6)]
    reads += [(7, "x@test", at + datetime.timedelta(hours=5, minutes=i), str(i)) for i in range(3)]
    flags = find_bursts(reads, limit=3, window=datetime.timedelta(minutes=60))
    assert [(f.start, f.end, f.dossiers) for f in flags] == [
        (at, at + datetime.timedelta(minutes=5), 6)
    ]


def test_r_prv_4_flag_unusual_access_mails_the_privacy_officers_once(
    owner: Any, teammate: Any, privacy_officer: Any, limit: int
) -> None:
    for record in _clients(owner, limit + 1):
        _read(record, teammate, minutes_ago=5)
    call_command("flag_unusual_access", hours=1, stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [privacy_officer.email]
    assert teammate.email in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="core.unusual_access.notified").count() == 1


def test_the_unusual_access_query_is_constant(
    owner: Any,
    teammate: Any,
    privacy_officer: Any,
    limit: int,
    django_assert_num_queries: Any,
) -> None:
    for record in _clients(owner, 2 * limit):
        _read(record, teammate, minutes_ago=5)
    privacy_officer.active_memberships  # noqa: B018 - load the cached memberships first
    with django_assert_num_queries(1):
        unusual_access_for(privacy_officer, now=timezone.now())


# --- Export -----------------------------------------------------------------------------------


def test_r_prv_4_the_export_holds_the_filtered_rows_and_is_audited(
    client: HttpClient, dossier: Client, owner: Any, teammate: Any, privacy_officer: Any
) -> None:
    _read(dossier, teammate, purpose="=HYPERLINK(1)")
    _read(dossier, owner, purpose="Door de coach")
    _login(client, privacy_officer)

    response = client.get(
        reverse("core:audit-export", args=["csv"]),
        {"actor": teammate.email, "client": dossier.pk},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2  # the header and the teammate's one read
    assert rows[1][1] == teammate.email
    assert rows[1][7] == "'=HYPERLINK(1)"  # inert in a spreadsheet
    event = AuditEvent.objects.get(action="core.access_log.exported")
    assert event.actor == privacy_officer
    assert event.changes == {
        "format": "csv",
        "rows": 1,
        "filters": {
            "actor": teammate.email,
            "action": "",
            "target": "",
            "date_from": None,
            "date_to": None,
            "client": dossier.pk,
        },
    }


def test_r_prv_4_the_xlsx_export_holds_only_the_organisations_events(
    client: HttpClient,
    dossier: Client,
    teammate: Any,
    outsider: Any,
    privacy_officer: Any,
) -> None:
    _read(dossier, teammate, purpose="=1+1")
    elsewhere = make_client(outsider, postcode="2400", first_name="Elders")
    _read(elsewhere, outsider, purpose="In Mol")
    response = _login(client, privacy_officer).get(reverse("core:audit-export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    purposes = [row[7] for row in values[1:]]
    assert "=1+1" in purposes  # written as text, not as a formula
    assert sheet.cell(row=purposes.index("=1+1") + 2, column=8).data_type == "s"
    assert "In Mol" not in purposes
    assert all(row[1] != outsider.email for row in values[1:])


def test_an_export_of_another_organisations_dossier_is_404(
    client: HttpClient, outsider: Any, privacy_officer: Any
) -> None:
    elsewhere = make_client(outsider, postcode="2400")
    response = _login(client, privacy_officer).get(
        reverse("core:audit-export", args=["csv"]), {"client": elsewhere.pk}
    )
    assert response.status_code == 404


def test_a_bad_export_filter_is_named_not_a_crash(client: HttpClient, privacy_officer: Any) -> None:
    _login(client, privacy_officer)
    response = client.get(reverse("core:audit-export", args=["csv"]), {"date_from": "31-02-2026"})
    assert response.status_code == 400
    assert response.context["form"].errors["date_from"]
    assert client.get(reverse("core:audit-export", args=["pdf"])).status_code == 404
    assert not AuditEvent.objects.filter(action="core.access_log.exported").exists()


# --- Query counts -----------------------------------------------------------------------------


def _grow(dossier: Client, owner: Any, teammate: Any, rows: int) -> None:
    for i in range(rows):
        client_services.journal_add(
            dossier,
            data={"on": days_ago(i), "kind": "conversation", "notes": f"Gesprek {i}"},
            by=owner,
        )
        _read(dossier, teammate, purpose=f"Lezing {i}")


@pytest.mark.parametrize("rows", [1, 6])
def test_the_dossier_log_runs_a_constant_number_of_queries(
    client: HttpClient,
    dossier: Client,
    owner: Any,
    teammate: Any,
    privacy_officer: Any,
    django_assert_num_queries: Any,
    rows: int,
) -> None:
    _grow(dossier, owner, teammate, rows)
    _login(client, privacy_officer)
    url = reverse("core:audit-dossier", args=[dossier.pk])
    # Session, user, memberships, the client, the walk over the dossier's relations
    # (``holdings``: one query per relation, whatever the number of rows), count, page of
    # events, the audit insert.
    with django_assert_num_queries(37):
        response = client.get(url)
    assert response.status_code == 200
    actions = [event.action for event, _lines in response.context["rows"]]
    assert actions.count("clients.journal.added") == rows
    assert actions.count("clients.client.viewed") == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_the_user_log_runs_a_constant_number_of_queries(
    client: HttpClient,
    dossier: Client,
    owner: Any,
    teammate: Any,
    privacy_officer: Any,
    django_assert_num_queries: Any,
    rows: int,
) -> None:
    _grow(dossier, owner, teammate, rows)
    _login(client, privacy_officer)
    # session, user, memberships, the user, count, page, unusual access, the audit insert
    # (with its organisation)
    with django_assert_num_queries(9):
        response = client.get(reverse("core:audit-user", args=[teammate.pk]))
    assert response.status_code == 200


def test_member_of_the_organisation_without_events_has_an_empty_log(
    client: HttpClient, ocmw_a: Any, privacy_officer: Any
) -> None:
    newcomer = member(ocmw_a, "coach")
    response = _login(client, privacy_officer).get(reverse("core:audit-user", args=[newcomer.pk]))
    assert response.status_code == 200
    assert response.context["days"] == []
