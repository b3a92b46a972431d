"""The client search: what it finds, in which order, for whom, and how (issue 11)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doorstroom.clients.models import Client
from doorstroom.clients.selectors import search_clients
from tests.dossiers import make_client

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("Jan", "Peeters"),
    ("An", "Peeters"),
    ("Éline", "Ceulemans"),
    ("Tom", "Vermeulen"),
    ("Jana", "Van Peel"),
    ("Annelies", "Aerts"),
]


def names(clients: Any) -> list[str]:
    return [f"{c.first_name} {c.last_name}" for c in clients]


@pytest.fixture
def people(owner: Any) -> list[Client]:
    return [make_client(owner, first_name=f, last_name=last) for f, last in PEOPLE]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # three letters or more: the trigram index on PostgreSQL, the same answer
        ("pee", ["An Peeters", "Jan Peeters", "Jana Van Peel"]),
        ("PEETERS", ["An Peeters", "Jan Peeters"]),
        ("jan pee", ["Jan Peeters", "Jana Van Peel"]),
        ("eline", ["Éline Ceulemans"]),
        # shorter words cannot use the trigram index: the search still answers (falls back)
        ("an", ["Annelies Aerts", "Éline Ceulemans", "An Peeters", "Jan Peeters", "Jana Van Peel"]),
        ("an pe", ["An Peeters", "Jan Peeters", "Jana Van Peel"]),
        ("zz", []),
        ("xyzzy", []),
    ],
)
def test_it_finds_matches_in_the_list_order(
    owner: Any, people: list[Client], q: str, expected: list[str]
) -> None:
    assert names(search_clients(owner, q)) == expected


def test_one_letter_finds_everyone_with_it_in_the_list_order(
    owner: Any, people: list[Client]
) -> None:
    everyone = names(Client.objects.order_by("last_name", "first_name", "pk"))
    assert names(search_clients(owner, "e")) == everyone
    assert names(search_clients(owner, "")) == everyone


def test_it_orders_equal_names_by_registration(owner: Any) -> None:
    first = make_client(owner, first_name="Jan", last_name="Peeters", national_number="")
    second = make_client(owner, first_name="Jan", last_name="Peeters", national_number="")
    assert [c.pk for c in search_clients(owner, "peeters")] == [first.pk, second.pk]
    assert [c.pk for c in search_clients(owner, "pe")] == [first.pk, second.pk]


def test_it_finds_a_national_number_by_its_start(owner: Any) -> None:
    make_client(owner, first_name="Jan", last_name="Peeters", national_number="85073003328")
    make_client(
        owner,
        first_name="An",
        last_name="Peeters",
        national_number="90022812368",
        birth_date=datetime.date(1990, 2, 28),
    )
    assert names(search_clients(owner, "85.07")) == ["Jan Peeters"]
    assert names(search_clients(owner, "850730-033.28")) == ["Jan Peeters"]
    assert names(search_clients(owner, "07300")) == []  # the start, not anywhere


def test_the_outsider_finds_nothing_and_the_teammate_the_same(
    owner: Any, people: list[Client], teammate: Any, outsider: Any
) -> None:
    # R-PRV-1: the search narrows visible_to(user), never widens it.
    for q in ["pee", "pe", "jan pee", "an", "85"]:
        assert list(search_clients(outsider, q)) == []
        assert names(search_clients(teammate, q)) == names(search_clients(owner, q))


def test_the_search_page_runs_the_same_queries_for_10_and_200_clients(
    client: HttpClient, owner: Any
) -> None:
    template = make_client(owner, first_name="Jan", last_name="Peeters")
    client.force_login(owner)

    def grow(count: int) -> None:
        for _ in range(count - Client.objects.count()):
            template.pk = None
            template.national_number = ""
            template.save()

    def queries(q: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("clients:list"), {"q": q})
        assert response.status_code == 200
        return len(captured)

    grow(10)
    small = {q: queries(q) for q in ["peeters", "pe", "jan pee"]}
    grow(200)
    assert {q: queries(q) for q in small} == small


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_the_search_filter_can_use_the_trigram_index(owner: Any, people: list[Client]) -> None:
    """A tiny table is read whole anyway; with whole-table scans (sequential, or along another
    index) priced out, the plan shows that the index fits the search's expression (the
    ``::text`` cast of the varchar). The filter is taken from the search itself; which side
    the planner starts from under the scope's id set (R-PRV-1) depends on the sizes, so the
    scope is left out of the plan checked here (bench/ measures the scoped search at scale)."""
    assert names(search_clients(owner, "peeters")) == ["An Peeters", "Jan Peeters"]
    queryset = Client.objects.filter(search_text__contains="peeters").order_by()[:25]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on client_search_trgm" in plan, plan
