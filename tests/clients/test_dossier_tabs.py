"""The dossier's tabs: each section on a page of its own, scoped, audited, in a fixed load."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doorstroom.clients import services as client_services
from doorstroom.clients.models import JournalEntry
from doorstroom.clients.services import responsible_ocmw
from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.core.models import AuditEvent
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import days_ago, make_client, make_trajectory
from tests.evaluations.builders import make_pop, place_with_mentor, plan_evaluation
from tests.factories import OrganisationFactory, municipality

pytestmark = pytest.mark.django_db

TABS = list(Tab)
# What only each tab shows (its section's heading or list).
SHOWS = {
    Tab.OVERVIEW: 'data-testid="deadlines"',
    Tab.DEVELOPMENT: 'data-testid="evaluations"',
    Tab.PLACEMENTS: 'data-testid="placements"',
    Tab.INSTRUMENTS: 'data-testid="instrument-uses"',
    Tab.FINANCING: 'data-testid="dossier-financing"',
    Tab.JOURNAL: 'id="journal"',
    Tab.DOCUMENTS: 'id="documents"',
}


def add_journal(trajectory: Trajectory, by: Any, n: int) -> None:
    JournalEntry.objects.bulk_create(
        JournalEntry(
            client=trajectory.client,
            trajectory=trajectory,
            on=days_ago(i % 80),
            kind="conversation",
            notes=f"Gesprek {i}",
            author=by,
        )
        for i in range(n)
    )


def add_document(trajectory: Trajectory, by: Any, title: str) -> None:
    client_services.document_add(
        trajectory.client,
        title=title,
        file=SimpleUploadedFile("attest.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=by,
    )


@pytest.fixture
def full(owner: Any) -> Trajectory:
    """An art. 60 trajectory with a POP, a placement with a mentor, an evaluation, a contact
    moment and a document: every tab has something to show."""
    trajectory = make_trajectory(owner, start=days_ago(200))
    make_pop(trajectory, owner, on=days_ago(190))
    placement = place_with_mentor(trajectory, owner)
    plan_evaluation(trajectory, owner, placement=placement, on=days_ago(10))
    add_journal(trajectory, owner, 1)
    add_document(trajectory, owner, "Attest")
    return trajectory


@pytest.mark.parametrize("tab", TABS)
def test_each_tab_shows_its_own_section_and_marks_itself_in_the_tab_bar(
    client: HttpClient, owner: Any, full: Trajectory, tab: Tab
) -> None:
    client.force_login(owner)
    response = client.get(dossier_url(full.client_id, tab))
    assert response.status_code == 200
    html = response.content.decode()
    assert SHOWS[tab] in html
    for other, marker in SHOWS.items():
        if other != tab:
            assert marker not in html, other
    active = re.findall(
        r'class="nav-link active"[^>]*aria-current="page" data-testid="tab-(\w+)"', html
    )
    assert active == [tab.value]
    # Every tab links to every other (financing: an art. 60 trajectory).
    for other in TABS:
        assert f'href="{dossier_url(full.client_id, other)}"' in html


@pytest.mark.parametrize("tab", TABS)
def test_r_prv_1_an_outsider_gets_404_on_every_tab(
    client: HttpClient, owner: Any, outsider: Any, full: Trajectory, tab: Tab
) -> None:
    client.force_login(outsider)
    response = client.get(dossier_url(full.client_id, tab))
    assert response.status_code == 404
    assert full.client.last_name not in response.content.decode()


@pytest.mark.parametrize("tab", TABS)
def test_r_prv_4_every_tab_is_an_audited_read_of_the_dossier(
    client: HttpClient, owner: Any, full: Trajectory, tab: Tab
) -> None:
    client.force_login(owner)
    before = AuditEvent.objects.filter(action="clients.client.viewed").count()
    client.get(dossier_url(full.client_id, tab))
    reads = AuditEvent.objects.filter(action="clients.client.viewed").order_by("-pk")
    assert reads.count() == before + 1
    assert reads[0].target_id == str(full.client_id)
    assert reads[0].actor_id == owner.pk


def test_r_prv_2_a_tab_needs_the_privacy_training(
    client: HttpClient, owner: Any, full: Trajectory
) -> None:
    owner.privacy_training_date = None
    owner.save(update_fields=["privacy_training_date"])
    client.force_login(owner)
    response = client.get(dossier_url(full.client_id, Tab.JOURNAL))
    assert response.status_code == 403
    assert "Gesprek 0" not in response.content.decode()


def responsible_ocmw_shown(http: HttpClient, client_pk: int) -> str:
    page = http.get(dossier_url(client_pk)).content.decode()
    found = re.search(r"(?:Responsible OCMW|Bevoegd OCMW)</dt>\s*<dd[^>]*>([^<]*)</dd>", page)
    assert found, "the overview names the responsible OCMW"
    return found.group(1).strip()


def test_the_overview_names_the_ocmw_whose_service_area_holds_the_client_s_municipality(
    client: HttpClient, owner: Any
) -> None:
    """The responsible OCMW (zorggebied), read with the client (issue 11): an inactive OCMW
    serving the same municipality is not it; a municipality no OCMW serves shows a dash."""
    OrganisationFactory(name="A-OCMW opgeheven", is_active=False).service_area.add(
        municipality("Geel")
    )
    in_geel = make_client(owner)
    elsewhere = make_client(owner, postcode="2300", national_number="", last_name="Wouters")
    client.force_login(owner)
    assert responsible_ocmw_shown(client, in_geel.pk) == "OCMW Geel"
    assert responsible_ocmw(in_geel.municipality).name == "OCMW Geel"  # the data overview's
    assert elsewhere.municipality.name_nl == "Turnhout"
    assert responsible_ocmw_shown(client, elsewhere.pk) == "—"


def test_an_unknown_tab_is_not_found(client: HttpClient, owner: Any, full: Trajectory) -> None:
    client.force_login(owner)
    response = client.get(f"/clients/{full.client_id}/dossier/protected/")
    assert response.status_code == 404


def test_the_financing_tab_is_offered_only_for_an_art_60_trajectory(
    client: HttpClient, owner: Any, full: Trajectory
) -> None:
    # R-FIN: the guidance fees and compensations belong to an art. 60 trajectory.
    Trajectory.objects.filter(pk=full.pk).update(kind="wz")
    client.force_login(owner)
    html = client.get(dossier_url(full.client_id)).content.decode()
    assert 'data-testid="tab-financing"' not in html
    assert 'data-testid="tab-development"' in html
    # Typed in by hand, the address explains instead of showing empty figures.
    page = client.get(dossier_url(full.client_id, Tab.FINANCING)).content.decode()
    assert 'data-testid="no-financing"' in page
    assert 'data-testid="dossier-financing"' not in page


def test_the_tabs_of_a_client_without_trajectory_say_what_comes_when(
    client: HttpClient, owner: Any
) -> None:
    record = make_client(owner)
    client.force_login(owner)
    development = client.get(dossier_url(record.pk, Tab.DEVELOPMENT)).content.decode()
    assert 'data-testid="no-trajectory"' in development
    assert reverse("trajectories:start", args=[record.pk]) in development
    for tab in (Tab.PLACEMENTS, Tab.INSTRUMENTS, Tab.JOURNAL, Tab.DOCUMENTS):
        assert client.get(dossier_url(record.pk, tab)).status_code == 200


def test_the_journal_tab_pages_through_every_contact_moment_newest_first(
    client: HttpClient, owner: Any, full: Trajectory, settings: Any
) -> None:
    settings.DOORSTROOM_PAGE_SIZE = 10
    add_journal(full, owner, 14)  # 15 with the fixture's
    client.force_login(owner)
    url = dossier_url(full.client_id, Tab.JOURNAL)
    first = client.get(url).content.decode()
    days = re.findall(r"<article[^>]*><div[^>]*>(\d\d)-(\d\d)-(\d{4})", first)
    assert len(days) == 10
    assert days == sorted(days, key=lambda d: (d[2], d[1], d[0]), reverse=True)
    assert "Pagina 1 van 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert len(re.findall(r"<article", second)) == 5
    # A page past the end shows the last, as every list does.
    assert len(re.findall(r"<article", client.get(url, {"page": 9}).content.decode())) == 5


def test_adding_a_contact_moment_or_a_document_returns_to_its_tab(
    client: HttpClient, owner: Any, full: Trajectory
) -> None:
    client.force_login(owner)
    response = client.post(
        reverse("clients:journal-create", args=[full.client_id]),
        {"on": days_ago(0).isoformat(), "kind": "conversation", "notes": "Opvolging"},
    )
    assert response.status_code == 302
    assert response.url == dossier_url(full.client_id, Tab.JOURNAL)
    assert "Opvolging" in client.get(response.url).content.decode()
    response = client.post(
        reverse("clients:document-create", args=[full.client_id]),
        {"title": "Loonbrief", "file": SimpleUploadedFile("loon.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    assert response.url == dossier_url(full.client_id, Tab.DOCUMENTS)
    assert "Loonbrief" in client.get(response.url).content.decode()


@pytest.mark.parametrize("tab", TABS)
def test_each_tab_runs_the_same_number_of_queries_however_much_the_dossier_holds(
    client: HttpClient, owner: Any, full: Trajectory, tab: Tab
) -> None:
    """Issue 11: a fixed load per tab; the journal and documents tabs show a page of rows."""
    client.force_login(owner)
    url = dossier_url(full.client_id, tab)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add_journal(full, owner, 60)
    for i in range(25):
        add_document(full, owner, f"Attest {i}")
    plan_evaluation(full, owner, on=days_ago(3))
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_the_tab_bar_reads_in_dutch(client: HttpClient, owner: Any, full: Trajectory) -> None:
    client.force_login(owner)
    html = client.get(dossier_url(full.client_id, Tab.JOURNAL)).content.decode()
    labels = re.findall(r'data-testid="tab-\w+">([^<]+)</a>', html)
    assert labels == [
        "Overzicht",
        "Ontwikkeling",
        "Plaatsingen",
        "Instrumenten",
        "Financiering",
        "Contactmomenten",
        "Documenten",
    ]
    assert f"<title>{full.client.full_name} · Contactmomenten · Doorstroom</title>" in html
