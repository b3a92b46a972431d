"""``for_ids``: the same paths as ``reverse``, for the cost of one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from doorstroom.core.paths import for_ids


@pytest.mark.parametrize("viewname", ["clients:detail", "trajectories:handover"])
@pytest.mark.parametrize("language", ["nl-be", "en"])
def test_the_paths_are_reverse_s(viewname: str, language: str) -> None:
    with translation.override(language):
        path = for_ids(viewname)
        assert [path(pk) for pk in (1, 42, 10**9)] == [
            reverse(viewname, args=[pk]) for pk in (1, 42, 10**9)
        ]


def test_a_view_without_an_id_is_refused() -> None:
    with pytest.raises(ValueError, match="one id"):
        for_ids("trajectories:caseload")
