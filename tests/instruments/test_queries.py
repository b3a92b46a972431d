"""The dossier's instruments section and the try-out catalogue run a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doorstroom.clients.models import Occupation
from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.instruments import services
from doorstroom.instruments.models import InstrumentUse, TryoutOffer
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import days_ago, make_trajectory
from tests.employers.builders import make_employer, make_workplace
from tests.instruments.builders import make_offer, register, start_tryout

pytestmark = pytest.mark.django_db


def count_queries(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url)
        assert response.status_code == 200
    return len(captured)


def grow_uses(trajectory: Trajectory, owner: Any, offer: TryoutOffer, count: int) -> None:
    """Alternate job coaching and reflected try-outs, a week apart, until `count` uses."""
    while (n := InstrumentUse.objects.filter(trajectory=trajectory).count()) < count:
        start = days_ago(280 - 7 * n)
        if n % 2:
            register(trajectory, owner, kind="job_coaching", start=start, regime="1.00")
            continue
        tryout = start_tryout(trajectory, offer, owner, start=start, days=5)
        services.tryout_reflect(tryout, finding="Fijne collega's.", wants_this="yes", by=owner)


def test_the_dossier_instruments_section_runs_the_same_queries_for_2_and_12_uses(
    client: HttpClient, owner: Any
) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    workplace = make_workplace(make_employer(owner), owner)
    offer = make_offer(owner, workplace=workplace)
    client.force_login(owner)
    url = dossier_url(trajectory.client_id, Tab.INSTRUMENTS)
    grow_uses(trajectory, owner, offer, 2)
    small = count_queries(client, url)
    grow_uses(trajectory, owner, offer, 12)
    html = client.get(url).content.decode()
    assert html.count('data-testid="instrument-use"') == 12
    assert html.count('data-testid="tryout"') == 6
    assert count_queries(client, url) == small


def grow_offers(owner: Any, count: int) -> None:
    """Offers with an occupation and a workplace; some used in a try-out."""
    occupation = Occupation.objects.filter(is_active=True).first()
    workplaces = [make_workplace(make_employer(owner), owner) for _ in range(2)]
    trajectory = Trajectory.objects.first()
    while (n := TryoutOffer.objects.count()) < count:
        offer = make_offer(
            owner, title=f"Proef {n:02}", occupation=occupation, workplace=workplaces[n % 2]
        )
        if trajectory is not None and n % 5 == 0:
            start_tryout(trajectory, offer, owner, start=days_ago(200 - 3 * n), days=2)


def test_the_catalogue_runs_the_same_queries_for_10_and_50_offers(
    client: HttpClient, owner: Any
) -> None:
    make_trajectory(owner, start=days_ago(300))
    client.force_login(owner)
    url = reverse("instruments:offer_list")
    grow_offers(owner, 10)
    small = count_queries(client, url)
    grow_offers(owner, 50)
    html = client.get(url).content.decode()
    assert html.count('data-testid="offer"') == 50
    assert count_queries(client, url) == small
