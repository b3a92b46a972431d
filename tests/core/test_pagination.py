"""A page and its total in one query: ``counted_page`` as Django's paginator pages, the API's
``Pagination`` as DRF's does."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from doorstroom.accounts.models import Municipality
from doorstroom.api.policies import Pagination
from doorstroom.core.pagination import countable_in_one_query, counted_page

pytestmark = pytest.mark.django_db

NUMBERS = [
    "1",
    "2",
    "3",
    "6",
    "7",
    "0",
    "-1",
    "999",
    "x",
    "2.5",
    "",
    None,
    3,
    "42134961555749519360",
]


def shown(page: Any) -> tuple[int, int, list[int], bool, bool]:
    return (
        page.number,
        page.paginator.count,
        [m.pk for m in page],
        page.has_next(),
        page.has_previous(),
    )


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("per_page", [50, 100, 600])
def test_a_page_is_the_page_django_s_paginator_gives(number: Any, per_page: int) -> None:
    municipalities = Municipality.objects.order_by("name_nl", "pk")
    assert municipalities.count() > 500  # the reference data: several pages
    expected = Paginator(municipalities, per_page).get_page(number)
    assert shown(counted_page(municipalities, number, per_page)) == shown(expected)


@pytest.mark.parametrize("number", ["1", "2", "x"])
def test_an_empty_list_is_one_empty_page(number: str) -> None:
    nothing = Municipality.objects.filter(name_nl="Atlantis").order_by("pk")
    page = counted_page(nothing, number, 50)
    assert shown(page) == shown(Paginator(nothing, 50).get_page(number))
    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


def test_a_page_in_range_costs_one_query(django_assert_num_queries: Any) -> None:
    municipalities = Municipality.objects.order_by("name_nl", "pk")
    with django_assert_num_queries(1):
        page = counted_page(municipalities, "2", 100)
        assert page.paginator.num_pages == 6
        assert page.start_index() == 101


# --- The API's pages (doorstroom.api.policies.Pagination) -----------------------------------

API_PAGES = [
    "1",
    "2",
    "6",
    "7",
    "0",
    "-1",
    "last",
    "x",
    "2.5",
    " 2",
    "",
    None,
    "42134961555749519360",
]


class DrfPagination(pagination.PageNumberPagination):
    """DRF's own, with our settings: what ours must answer."""

    page_size = Pagination.page_size
    page_size_query_param = Pagination.page_size_query_param
    max_page_size = Pagination.max_page_size


def api_page(paginator: Any, queryset: Any, number: str | None) -> Any:
    params = {} if number is None else {"page": number, "page_size": "100"}
    request = Request(APIRequestFactory().get("/api/v1/municipalities/", params))
    try:
        rows = paginator.paginate_queryset(queryset, request)
    except NotFound as error:
        return ("404", str(error.detail))
    response = paginator.get_paginated_response([m.pk for m in rows]).data
    return (response["count"], response["next"], response["previous"], response["results"])


@pytest.mark.parametrize("number", API_PAGES)
@pytest.mark.parametrize("name", ["Gent", "Atlantis", None])
def test_an_api_page_is_the_page_drf_gives(number: str | None, name: str | None) -> None:
    municipalities = Municipality.objects.order_by("name_nl", "pk")
    if name is not None:
        municipalities = municipalities.filter(name_nl=name)
    ours = api_page(Pagination(), municipalities, number)
    assert ours == api_page(DrfPagination(), municipalities, number)


def test_an_api_page_in_range_costs_one_query(django_assert_num_queries: Any) -> None:
    municipalities = Municipality.objects.order_by("name_nl", "pk")
    with django_assert_num_queries(1):
        count, _next, _previous, results = api_page(Pagination(), municipalities, "3")
    assert count > 500
    assert len(results) == 100


def test_a_distinct_list_is_counted_as_drf_counts_it() -> None:
    joined = Municipality.objects.filter(postal_codes__code__startswith="9")
    doubled = joined.distinct()
    assert joined.count() > doubled.count()  # municipalities with several postal codes
    assert not countable_in_one_query(doubled)  # the window would count before DISTINCT
    ordered = doubled.order_by("name_nl", "pk")
    assert api_page(Pagination(), ordered, "1") == api_page(DrfPagination(), ordered, "1")
