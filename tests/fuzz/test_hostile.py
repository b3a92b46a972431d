"""The fuzz harness itself: the form parser, the strategies and the XSS check can fail."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.hostile import (
    HOSTILE_STRINGS,
    MARKUP,
    Field,
    carries_markup,
    forms_of,
    raw_markup_in,
    value_for,
)

PAGE = """
<nav><form method="post" action="/account/logout/"><button>Out</button></form></nav>
<form method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="t">
  <input type="hidden" name="version" value="3">
  <input name="title" value="Magazijnier">
  <input type="date" name="start" value="2026-01-05">
  <input type="number" name="hours" value="19">
  <input type="checkbox" name="demands" value="lifting" checked>
  <input type="checkbox" name="demands" value="standing">
  <input type="radio" name="kind" value="a"><input type="radio" name="kind" value="b" checked>
  <select name="dutch_level">
    <option value="">---</option><option value="A2" selected>A2</option>
  </select>
  <select name="tags" multiple><option>x</option><option selected>y</option></select>
  <textarea name="notes">Eerste lijn &amp; tweede</textarea>
  <input type="file" name="file">
  <button type="submit" name="finalise" value="1">Finalise</button>
</form>
<form action="?page=2"><input type="search" name="q"></form>
"""


def test_the_parser_finds_every_field_with_its_current_value() -> None:
    logout, edit, search = forms_of(PAGE, "/employers/workplaces/1/edit/")
    assert (logout.method, logout.action, logout.names) == ("post", "/account/logout/", [])
    assert edit.action == "/employers/workplaces/1/edit/"
    assert edit.buttons == [("finalise", "1")]
    assert edit.defaults() == {
        "csrfmiddlewaretoken": "t",
        "version": "3",
        "title": "Magazijnier",
        "start": "2026-01-05",
        "hours": "19",
        "demands": "lifting",
        "kind": "b",
        "dutch_level": "A2",
        "tags": "y",
        "notes": "Eerste lijn & tweede",
    }
    assert (search.method, search.action, search.names) == (
        "get",
        "/employers/workplaces/1/edit/?page=2",
        ["q"],
    )


def test_raw_markup_is_found_and_escaped_markup_is_not() -> None:
    assert raw_markup_in("<p>" + MARKUP[0] + "</p>") == ["<script>alert(1)"]
    assert raw_markup_in("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == []
    assert raw_markup_in('<a title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">') == []
    assert carries_markup({"a": ["x", MARKUP[1]]})
    assert not carries_markup({"a": "x"})


def test_the_hostile_values_cover_what_issue_10_names() -> None:
    joined = "".join(HOSTILE_STRINGS)
    for needle in ("\x00", "\u202e", "😀", "<script>", "DROP TABLE", "x" * 10_000):
        assert needle in joined, needle


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_values_fit_their_field(data: st.DataObject) -> None:
    select = Field("level", "select-multiple", options=["A2", "B1"])
    values = data.draw(value_for(select))
    assert isinstance(values, list)
    text = data.draw(value_for(Field("notes", "textarea")))
    assert isinstance(text, str)  # a textarea is always sent (maybe empty)
