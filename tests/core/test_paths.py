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


@pytest.mark.parametrize("prefix", ["/", "/doorstroom/"])
@pytest.mark.parametrize("language", ["nl-be", "en"])
def test_path_for_follows_the_language_and_the_script_prefix(language: str, prefix: str) -> None:
    # The kept paths are keyed on what reverse depends on: a path kept for one language or one
    # prefix (an installation under /doorstroom/) is not given for another.
    from django.urls import get_script_prefix, set_script_prefix

    from doorstroom.core.paths import path_for

    before = get_script_prefix()
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            for pk in (1, 42):
                assert path_for("clients:edit", pk) == reverse("clients:edit", args=[pk])
                assert path_for("clients:edit", pk).startswith(f"{prefix}clients/")
    finally:
        set_script_prefix(before)


def test_the_path_tag_writes_what_the_url_tag_writes() -> None:
    from django.template import engines

    django_engine = engines["django"]
    url = django_engine.from_string("{% url 'trajectories:stop' t %}|{% url 'clients:detail' c %}")
    path = django_engine.from_string(
        "{% load doorstroom %}{% path 'trajectories:stop' t %}|{% path 'clients:detail' c %}"
    )
    context = {"t": 7, "c": "12"}
    assert path.render(context) == url.render(context) == "/trajectories/7/stop/|/clients/12/"
