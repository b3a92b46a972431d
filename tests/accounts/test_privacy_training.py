"""R-PRV-2: a user reaches no dossier area before a recorded privacy training."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from doorstroom.core.navigation import AREAS


@pytest.mark.parametrize("area", [a.slug for a in AREAS if a.dossier])
def test_r_prv_2_untrained_user_is_refused_dossier_areas_with_an_explanation(
    client: Client, owner, area: str
) -> None:
    owner.privacy_training_date = None
    owner.save(update_fields=["privacy_training_date"])
    client.force_login(owner)
    response = client.get(reverse("core:area", args=[area]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Privacyopleiding vereist" in html
    assert "functioneel beheerder" in html


@pytest.mark.parametrize("area", [a.slug for a in AREAS if a.dossier])
def test_r_prv_2_trained_user_reaches_dossier_areas(client: Client, owner, area: str) -> None:
    client.force_login(owner)
    assert client.get(reverse("core:area", args=[area])).status_code == 200


def test_r_prv_2_a_training_dated_in_the_future_does_not_count_yet(owner) -> None:
    owner.privacy_training_date = datetime.date(2026, 6, 1)
    assert not owner.has_privacy_training(today=datetime.date(2026, 5, 31))
    assert owner.has_privacy_training(today=datetime.date(2026, 6, 1))


def test_r_prv_2_the_knowledge_base_needs_no_training(client: Client, owner) -> None:
    owner.privacy_training_date = None
    owner.save(update_fields=["privacy_training_date"])
    client.force_login(owner)
    assert client.get(reverse("core:area", args=["library"])).status_code == 200


def test_r_prv_2_the_home_page_warns_an_untrained_user(client: Client, owner) -> None:
    owner.privacy_training_date = None
    owner.save(update_fields=["privacy_training_date"])
    client.force_login(owner)
    assert "Geen privacyopleiding geregistreerd" in client.get("/").content.decode()


def test_an_unknown_area_is_404(client: Client, owner) -> None:
    client.force_login(owner)
    assert client.get("/onbestaand/").status_code == 404
