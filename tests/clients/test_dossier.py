"""Registration, duplicates, intake verdict, referral answers and the dossier's privacy."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.clients import services
from doorstroom.clients.models import Client, SensitiveNote
from doorstroom.core.models import AuditEvent
from tests.dossiers import client_data, days_ago, make_client, make_trajectory
from tests.factories import member

pytestmark = pytest.mark.django_db


def post(http: HttpClient, url: str, data: dict[str, Any]) -> Any:
    return http.post(url, {k: ("" if v is None else v) for k, v in data.items()})


def test_a_coach_registers_a_client_and_the_municipality_follows_the_postcode(
    client: HttpClient, owner: Any
) -> None:
    client.force_login(owner)
    data = client_data(national_number="85.07.30-033.28", phone="0470/12.34.56")
    response = post(client, reverse("clients:create"), data)
    record = Client.objects.get()
    assert response.url == reverse("clients:detail", args=[record.pk])
    assert record.municipality.name_nl == "Geel"
    assert record.national_number == "85073003328"
    assert record.phone == "+32470123456"
    assert AuditEvent.objects.filter(action="clients.client.registered").count() == 1


def test_a_known_national_number_links_to_the_visible_dossier(
    client: HttpClient, owner: Any, teammate: Any
) -> None:
    existing = make_client(owner, national_number="85073003328")
    client.force_login(teammate)  # same OCMW: sees the dossier (R-PRV-1)
    response = post(client, reverse("clients:create"), client_data(national_number="85073003328"))
    html = response.content.decode()
    assert reverse("clients:detail", args=[existing.pk]) in html
    assert Client.objects.count() == 1


def test_a_known_national_number_out_of_scope_gives_a_neutral_message(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    existing = make_client(owner, national_number="85073003328")
    client.force_login(outsider)
    response = post(
        client,
        reverse("clients:create"),
        client_data(national_number="85073003328", postcode="2400"),
    )
    html = response.content.decode()
    assert reverse("clients:detail", args=[existing.pk]) not in html
    assert existing.last_name not in html
    assert Client.objects.count() == 1


def test_the_same_name_and_birth_date_warns_once_then_registers(
    client: HttpClient, owner: Any
) -> None:
    make_client(owner, first_name="Jan", last_name="Claes")
    client.force_login(owner)
    data = client_data(first_name="Jan", last_name="Claes")
    first = post(client, reverse("clients:create"), data)
    assert first.status_code == 200
    assert Client.objects.count() == 1
    second = post(client, reverse("clients:create"), {**data, "confirm_duplicate": "on"})
    assert second.status_code == 302
    assert Client.objects.count() == 2


def test_an_intake_suggests_a_verdict_with_every_failed_criterion(
    client: HttpClient, owner: Any
) -> None:
    # R-INT-2
    record = make_client(owner)
    client.force_login(owner)
    response = post(
        client,
        reverse("clients:intake-create", args=[record.pk]),
        {
            "assessed_on": days_ago(1).isoformat(),
            "strengths": "Handig",
            "experience_months": "0",
            "learning_potential": "low",
            "max_regime": "0.40",
            "barrier_medical": "severe",
            "barrier_medical_note": "Rugklachten",
        },
    )
    intake = record.intakes.get()
    assert response.url == reverse("clients:intake", args=[intake.pk])
    assert intake.suggested_eligible is False
    assert intake.suggested_reasons == ["regime_below_minimum", "learning_potential_low"]
    assert intake.barriers.get().severity == "severe"
    # The human decision needs the alternative route when not eligible.
    refused = post(
        client,
        reverse("clients:intake", args=[intake.pk]),
        {"version": intake.version, "decision": "not_eligible", "motivation": "Eerst zorg"},
    )
    assert "alternative_route" in refused.context["form"].errors
    done = post(
        client,
        reverse("clients:intake", args=[intake.pk]),
        {
            "version": intake.version,
            "decision": "not_eligible",
            "motivation": "Eerst zorg",
            "alternative_route": "care",
        },
    )
    assert done.status_code == 302
    intake.refresh_from_db()
    assert intake.decision == "not_eligible"
    assert intake.alternative_route == "care"


def test_a_coach_declines_a_referral_with_a_reason(
    client: HttpClient, owner: Any, ocmw_a: Any
) -> None:
    social_worker = member(ocmw_a, "social_worker")
    referral = services.referral_create(
        data={
            "kind": "art60",
            "first_name": "Lotte",
            "last_name": "Wouters",
            "birth_date": days_ago(9000),
            "to_organisation": ocmw_a,
            "to_coach": owner,
            "referred_on": days_ago(2),
            "context": "Wil graag in de zorg werken.",
        },
        by=social_worker,
    )
    client.force_login(owner)
    url = reverse("clients:referral-detail", args=[referral.pk])
    refused = post(client, url, {"version": referral.version, "decline": "1"})
    assert "decline_reason" in refused.context["form"].errors
    post(
        client,
        url,
        {"version": referral.version, "decline": "1", "decline_reason": "Volzet tot maart"},
    )
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "Volzet tot maart")


def test_protected_notes_are_unreadable_in_the_database_and_every_read_is_audited(
    client: HttpClient, owner: Any
) -> None:
    # R-PRV-3
    trajectory = make_trajectory(owner)
    secret = "Diagnose: depressie, behandeling loopt"
    client.force_login(owner)
    post(
        client,
        reverse("clients:protected", args=[trajectory.client_id]),
        {"add": "1", "category": "medical", "text": secret},
    )
    note = SensitiveNote.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext FROM clients_sensitivenote")
        stored = bytes(cursor.fetchone()[0])
    assert b"depressie" not in stored
    assert "depressie" not in stored.decode("latin-1")
    page = client.get(reverse("clients:protected-read", args=[note.pk])).content.decode()
    assert secret not in page  # nothing shown before a purpose is given
    read = post(
        client,
        reverse("clients:protected-read", args=[note.pk]),
        {"purpose": "Voorbereiding gesprek werkgever"},
    )
    assert secret in read.content.decode()
    event = AuditEvent.objects.get(action="clients.sensitive_note.read")
    assert event.purpose == "Voorbereiding gesprek werkgever"
    assert event.actor == owner


def test_a_teammate_without_authorisation_cannot_read_protected_notes(
    client: HttpClient, owner: Any, teammate: Any
) -> None:
    trajectory = make_trajectory(owner)
    note = services.sensitive_note_add(
        trajectory.client, category="judicial", text="Probatie", by=owner
    )
    client.force_login(teammate)
    response = post(
        client, reverse("clients:protected-read", args=[note.pk]), {"purpose": "nieuwsgierig"}
    )
    assert response.status_code == 403
    assert "Probatie" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="clients.sensitive_note.read").exists()
    services.sensitive_access_grant(trajectory.client, user=teammate, by=owner)
    response = post(
        client, reverse("clients:protected-read", args=[note.pk]), {"purpose": "Overleg"}
    )
    assert "Probatie" in response.content.decode()


def test_rotating_the_keys_keeps_the_notes_readable(owner: Any, settings: Any) -> None:
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from doorstroom.core import crypto

    old = Fernet.generate_key().decode()
    settings.DOORSTROOM_ENCRYPTION_KEYS = [old]
    trajectory = make_trajectory(owner)
    note = services.sensitive_note_add(trajectory.client, category="medical", text="X", by=owner)
    settings.DOORSTROOM_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    call_command("rotate_encryption_keys")
    settings.DOORSTROOM_ENCRYPTION_KEYS = settings.DOORSTROOM_ENCRYPTION_KEYS[:1]
    note.refresh_from_db()
    assert crypto.decrypt(note.ciphertext) == "X"


def test_the_dossier_read_is_audited(client: HttpClient, owner: Any) -> None:
    # R-PRV-4
    record = make_client(owner)
    client.force_login(owner)
    assert client.get(reverse("clients:detail", args=[record.pk])).status_code == 200
    assert AuditEvent.objects.filter(
        action="clients.client.viewed", target_id=str(record.pk)
    ).exists()


def test_an_outsider_gets_404_and_finds_nothing(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    # R-PRV-1: another OCMW's coach sees nothing of this dossier.
    trajectory = make_trajectory(owner, last_name="Verbruggen")
    note = services.sensitive_note_add(trajectory.client, category="medical", text="X", by=owner)
    client.force_login(outsider)
    for url in [
        reverse("clients:detail", args=[trajectory.client_id]),
        reverse("clients:edit", args=[trajectory.client_id]),
        reverse("clients:intake-create", args=[trajectory.client_id]),
        reverse("clients:intake", args=[trajectory.intake_id]),
        reverse("clients:journal-create", args=[trajectory.client_id]),
        reverse("clients:protected", args=[trajectory.client_id]),
        reverse("clients:protected-read", args=[note.pk]),
        reverse("trajectories:start", args=[trajectory.client_id]),
        reverse("trajectories:stop", args=[trajectory.pk]),
        reverse("trajectories:suspend", args=[trajectory.pk]),
        reverse("trajectories:contract", args=[trajectory.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        "Verbruggen"
        not in client.get(reverse("clients:list"), {"q": "verbruggen"}).content.decode()
    )
    assert (
        "Verbruggen"
        not in client.get(reverse("trajectories:caseload"), {"q": "verbruggen"}).content.decode()
    )


def test_search_ignores_case_and_accents(client: HttpClient, owner: Any) -> None:
    make_client(owner, first_name="Éline", last_name="Ceulemans")
    make_client(owner, first_name="Tom", last_name="Vermeulen")
    client.force_login(owner)
    html = client.get(reverse("clients:list"), {"q": "ELINE ceul"}).content.decode()
    assert "Ceulemans" in html
    assert "Vermeulen" not in html


def test_a_garbled_referral_in_the_address_is_ignored(client: Any, owner: Any) -> None:
    client.force_login(owner)
    assert client.get(reverse("clients:create") + "?referral=abc").status_code == 200
