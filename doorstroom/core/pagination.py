"""One page of a list in one query: the rows and, beside them, how many there are in all.

The HTML lists page through ``counted_page``, the API through its ``Pagination`` class
(doorstroom/api/policies.py); both read a page with ``page_rows``.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable

TOTAL = "_page_total"
# No list has this many rows, and the databases refuse a larger OFFSET (64-bit integers).
MAX_ROWS = 2**63 - 1


def counted_page(queryset: QuerySet[Any], number: Any, per_page: int) -> Page:
    """The page ``number`` of ``queryset``, as ``Paginator.get_page`` gives it.

    The page's query carries the total as ``COUNT(*) OVER ()``, so that a scoped list runs its
    filter once rather than twice (the COUNT, then the page): on PostgreSQL at scale l the client
    search spent 10 ms in each (issue 11). A page number that is not a number gives the first
    page, one out of range the last, as Django's paginator does; only then is a COUNT asked.
    """
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    paginator = Paginator(queryset, per_page)
    if not countable_in_one_query(queryset):
        return paginator.get_page(number)
    page = page_rows(queryset, wanted, per_page) if wanted >= 1 else None
    if page is not None:
        return page
    if wanted != 1:  # before the first or past the last page: the last, as get_page does
        wanted = paginator.num_pages
        rows = page_rows(queryset, wanted, per_page) if paginator.count else None
        return rows or Page([], wanted, paginator)
    return empty_page(queryset, per_page)


def page_rows(queryset: QuerySet[Any], number: int, per_page: int) -> Page | None:
    """Page ``number`` (≥ 1) with its paginator's count filled in, from one query; ``None``
    when the page has no rows (an empty list, or past its last page), which the caller
    answers in its own way. ``queryset`` must pass ``countable_in_one_query``."""
    start = (number - 1) * per_page
    if start + per_page > MAX_ROWS:  # e.g. ?page=42134961555749519360: past any list's end
        return None
    rows = list(queryset.annotate(**{TOTAL: Window(Count("pk"))})[start : start + per_page])
    if not rows:
        return None
    paginator = Paginator(queryset, per_page)
    paginator.count = getattr(rows[0], TOTAL)
    return Page(rows, number, paginator)


def empty_page(queryset: QuerySet[Any], per_page: int) -> Page:
    """The first page of a list found empty by ``page_rows`` (no COUNT asked)."""
    paginator = Paginator(queryset, per_page)
    paginator.count = 0
    return Page([], 1, paginator)


def countable_in_one_query(queryset: Any) -> bool:
    """Whether ``COUNT(*) OVER ()`` on ``queryset`` counts what ``queryset.count()`` does: a
    queryset of model rows, not distinct, grouped or already sliced (the window would count
    before DISTINCT, GROUP BY or LIMIT apply)."""
    if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ModelIterable:
        return False
    query = queryset.query
    return not (query.distinct or query.group_by or query.is_sliced or query.combinator)
