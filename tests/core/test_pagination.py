"""``counted_page``: the page and its total in one query, as Django's paginator pages them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator

from doorstroom.accounts.models import Municipality
from doorstroom.core.pagination import counted_page

pytestmark = pytest.mark.django_db

NUMBERS = ["1", "2", "3", "6", "7", "0", "-1", "999", "x", "2.5", "", None, 3]


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
