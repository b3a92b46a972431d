"""Dates in English are written day first, as in Dutch (config/formats/en/formats.py).

Django's own English formats are American: 7 March shows as 03/07 and a typed 07/03 means
3 July. A coach in Flanders who switches to English reads and types dates day first.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.clients.models import Client
from tests.clients.test_dossier import post
from tests.dossiers import client_data, make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_coach(owner: Any) -> Any:
    owner.language = "en"
    owner.save(update_fields=["language"])
    return owner


def test_an_english_dossier_shows_the_birth_date_day_first(
    client: HttpClient, english_coach: Any
) -> None:
    record = make_client(english_coach, birth_date=datetime.date(1985, 3, 7))
    client.force_login(english_coach)
    html = client.get(reverse("clients:detail", args=[record.pk])).content.decode()
    assert 'lang="en"' in html
    assert "Born 07/03/1985" in html
    assert "03/07/1985" not in html


def test_a_date_typed_in_english_means_day_then_month(
    client: HttpClient, english_coach: Any
) -> None:
    client.force_login(english_coach)
    response = post(client, reverse("clients:create"), client_data(birth_date="07/03/1985"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Client.objects.get().birth_date == datetime.date(1985, 3, 7)


def test_an_american_date_typed_in_english_is_refused_on_its_field(
    client: HttpClient, english_coach: Any
) -> None:
    """03/25/1985 (month first) is no date day first: the field says so, nothing is stored."""
    client.force_login(english_coach)
    response = post(client, reverse("clients:create"), client_data(birth_date="03/25/1985"))
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == ["Enter a valid date."]
    assert not Client.objects.exists()
