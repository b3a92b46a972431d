"""The administration shows instrument uses with their try-out, and the try-out catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.core.models import AuditEvent
from doorstroom.instruments.models import TryoutOffer
from tests.dossiers import make_trajectory
from tests.instruments.builders import make_offer, start_tryout

pytestmark = pytest.mark.django_db


def test_the_administrator_opens_the_offers_but_no_dossier_data(
    client: HttpClient, owner: Any, functional_admin: Any
) -> None:
    # R-PRV-1: instrument uses belong to dossiers; the administration sees every organisation.
    tryout = start_tryout(make_trajectory(owner), make_offer(owner), owner)
    client.force_login(functional_admin)
    for url in [
        reverse("admin:instruments_tryoutoffer_changelist"),
        reverse("admin:instruments_tryoutoffer_change", args=[tryout.offer_id]),
    ]:
        assert client.get(url).status_code == 200, url
    assert (
        client.get(f"/beheer/instruments/instrumentuse/{tryout.use_id}/change/").status_code == 404
    )


def test_an_admin_correction_of_an_offer_is_audited_and_keeps_the_search_current(
    client: HttpClient, owner: Any, functional_admin: Any
) -> None:
    offer = make_offer(owner)
    client.force_login(functional_admin)
    url = reverse("admin:instruments_tryoutoffer_change", args=[offer.pk])
    response = client.post(
        url,
        {
            "organisation": offer.organisation_id,
            "title": "Snuffelen bij de bakker",
            "occupation": "",
            "workplace": "",
            "description": "",
            "max_days": "3",
            "is_active": "on",
            "seen_version": offer.version,
        },
    )
    assert response.status_code == 302
    stored = TryoutOffer.objects.get()
    assert (stored.title, stored.search_text, stored.version) == (
        "Snuffelen bij de bakker",
        "snuffelen bij de bakker",
        2,
    )
    assert AuditEvent.objects.filter(action="instruments.tryoutoffer.changed").exists()
