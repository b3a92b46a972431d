"""The client list and the referral list run a constant number of queries, however long."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doorstroom.clients import services
from doorstroom.clients.models import Client, Referral
from tests.dossiers import days_ago, make_client
from tests.factories import member

pytestmark = pytest.mark.django_db


def count_queries(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url)
    assert response.status_code == 200
    return len(captured)


def grow_clients(owner: Any, count: int) -> None:
    """Copy a registered client (fast); the list reads municipality and organisation."""
    template = make_client(owner) if not Client.objects.exists() else Client.objects.first()
    assert template is not None
    for _ in range(count - Client.objects.count()):
        template.pk = None
        template.national_number = ""
        template.save()


def test_the_client_list_runs_the_same_queries_for_10_and_200_clients(
    client: HttpClient, owner: Any
) -> None:
    client.force_login(owner)
    url = reverse("clients:list")
    grow_clients(owner, 10)
    small = count_queries(client, url)
    grow_clients(owner, 200)
    assert Client.objects.visible_to(owner).count() == 200
    assert count_queries(client, url) == small


def refer(by: Any, to_coach: Any, organisation: Any) -> Referral:
    return services.referral_create(
        data={
            "kind": "art60",
            "first_name": "Lotte",
            "last_name": "Wouters",
            "birth_date": days_ago(9000),
            "to_organisation": organisation,
            "to_coach": to_coach,
            "referred_on": days_ago(3),
            "context": "Wil graag in de zorg werken.",
            "first_meeting": None,
        },
        by=by,
    )


def grow_referrals(owner: Any, teammate: Any, social_worker: Any, each: int) -> None:
    """Referrals in every part of the owner's inbox: received, to register and sent."""
    organisation = owner.primary_organisation
    while Referral.objects.filter(referred_by=social_worker).count() < 2 * each:
        refer(social_worker, owner, organisation)  # received, waiting for an answer
        accepted = refer(social_worker, owner, organisation)  # accepted, not registered
        services.referral_accept(accepted, expected_version=accepted.version, by=owner)
    while Referral.objects.filter(referred_by=owner).count() < each:
        refer(owner, teammate, organisation)  # sent by the owner


def test_the_referral_list_runs_the_same_queries_for_10_and_200_referrals(
    client: HttpClient, owner: Any, teammate: Any, ocmw_a: Any
) -> None:
    # R-TRJ-9: the inbox of warm handovers.
    social_worker = member(ocmw_a, "social_worker")
    client.force_login(owner)
    url = reverse("clients:referrals")
    grow_referrals(owner, teammate, social_worker, 10)
    small = count_queries(client, url)
    grow_referrals(owner, teammate, social_worker, 200)
    html = client.get(url).content.decode()
    assert html.count(reverse("clients:create") + "?referral=") == 200
    assert count_queries(client, url) == small
