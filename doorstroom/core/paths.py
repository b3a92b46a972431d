"""Links to one view for many records, for the cost of one ``reverse`` (issue 11).

``{% url 'clients:detail' t.client_id %}`` in a 50-row table cost 2 ms of the caseload's
rendering (``reverse`` resolves the pattern anew each time); ``for_ids`` reverses once, in the
active language, and fills in each id. ``path_for`` (the ``{% path %}`` tag) keeps those
functions across requests, for pages with many links of different views (the dossier: 45).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_MARK = 7_654_321_987  # an id no table reaches, to find where the id goes in the path


def for_ids(viewname: str) -> Callable[[int], str]:
    """``reverse(viewname, args=[pk])`` as a function of ``pk`` (a view with one id argument)."""
    try:
        path = reverse(viewname, args=[_MARK])
    except NoReverseMatch as error:
        raise ValueError(f"{viewname} does not take one id argument") from error
    before, mark, after = path.partition(str(_MARK))
    if not mark or str(_MARK) in after:
        raise ValueError(f"{viewname} does not take one id argument")
    return lambda pk: f"{before}{int(pk)}{after}"


def path_for(viewname: str, pk: int) -> str:
    """``reverse(viewname, args=[pk])``, from a ``for_ids`` kept for what the path depends on.

    A path is a function of the view, the id, the active language (the URL prefix), the script
    prefix and the URL configuration; the last three are the cache key with the view's name.
    """
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _paths(viewname, get_language(), get_script_prefix(), urlconf)(pk)


@functools.lru_cache(maxsize=1024)
def _paths(viewname: str, language: str, prefix: str, urlconf: str) -> Callable[[int], str]:
    # The key's values are those for_ids reverses with (the active ones); they are arguments only
    # to key the cache.
    return for_ids(viewname)
