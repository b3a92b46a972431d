"""Pure helpers of the locust load test (bench/locustfile.py): read pages, hand out coaches.

No locust and no Django import here, so tests/core/test_locustfile.py checks these functions
against pages the real views render, in the normal test run (locust lives in .venv-load only).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import cycle
from pathlib import Path

# Inputs a browser does not send unless they are the button pressed, or that need a file.
_NOT_SENT = {"submit", "button", "image", "reset", "file"}


@dataclass
class Form:
    """A form as a browser would submit it untouched: hidden values, selected options, text."""

    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # the values of each select


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: dict[str, str | None] | None = None
        self._option_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self._form = Form(
                method=(found.get("method") or "get").lower(), action=found.get("action") or ""
            )
            self.forms.append(self._form)
        elif self._form is not None:
            self._field_start(tag, found)

    def _field_start(self, tag: str, found: dict[str, str | None]) -> None:
        assert self._form is not None
        name = found.get("name")
        if tag == "input" and name:
            kind = (found.get("type") or "text").lower()
            checkable = kind in ("checkbox", "radio")
            if kind not in _NOT_SENT and (not checkable or "checked" in found):
                self._form.fields[name] = found.get("value") or ("on" if checkable else "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select is not None:
            self._option, self._option_text = found, ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form.fields[self._textarea] += data
        elif self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option_end()

    def _option_end(self) -> None:
        if self._form is None or self._select is None or self._option is None:
            return
        value = self._option.get("value")
        value = self._option_text.strip() if value is None else value
        self._form.options.setdefault(self._select, []).append(value)
        # The first option counts until a selected one comes along.
        if self._select not in self._form.fields or "selected" in self._option:
            self._form.fields[self._select] = value
        self._option = None


def forms(html: str) -> list[Form]:
    """Every form of the page, in order."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def post_form(html: str, having: str) -> Form:
    """The first POST form of the page with a field called ``having``; LookupError if none."""
    for form in forms(html):
        if form.method == "post" and having in form.fields:
            return form
    raise LookupError(f"no POST form with a field {having!r} on the page")


def csrf_token(html: str) -> str:
    """The CSRF token Django put in the page's first POST form."""
    return post_form(html, "csrfmiddlewaretoken").fields["csrfmiddlewaretoken"]


def record_version(html: str) -> int:
    """The optimistic-locking version the page's edit form was opened at."""
    return int(post_form(html, "version").fields["version"])


def linked_ids(html: str, pattern: str) -> list[int]:
    """The ids in the page's links that match ``pattern``, e.g. ``/clients/{id}/``, in order.

    A link counts with or without a fragment (``/clients/7/#journal``); duplicates count once.
    """
    head, _, tail = pattern.partition("{id}")
    regex = re.compile(r'href="' + re.escape(head) + r"(\d+)" + re.escape(tail) + r'(?:#[^"]*)?"')
    return list(dict.fromkeys(int(found) for found in regex.findall(html)))


_ERROR = re.compile(
    r'<div class="(?:alert alert-danger|invalid-feedback)[^"]*"[^>]*>(.*?)</div>', re.DOTALL
)


def form_errors(html: str) -> str:
    """The error messages of a form shown again, as plain text (why it was not accepted)."""
    texts = (html_lib.unescape(re.sub(r"<[^>]+>", " ", found)) for found in _ERROR.findall(html))
    return " | ".join(" ".join(text.split()) for text in texts if text.strip())


_CLIENT_LINK = re.compile(r'<a href="/clients/(\d+)/">([^<]+)</a>')


def client_names(html: str) -> dict[int, str]:
    """Client id to name, from the caseload or the client list (links whose text is a name)."""
    return {
        int(pk): html_lib.unescape(name).strip()
        for pk, name in _CLIENT_LINK.findall(html)
        if name.strip()
    }


def search_term(name: str) -> str:
    """What a coach types to find a client again: the start of the last name, lower case.

    ``name`` as the caseload shows it ("Sofie Maes") or as the client list does ("Maes, Sofie").
    """
    last = name.partition(",")[0] if "," in name else (name.split() or [""])[-1]
    return last.strip()[:5].lower()


@dataclass
class Coaches:
    """The logins of the load test: one coach per simulated user while there are enough."""

    emails: list[str]
    password: str
    _next: Iterator[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.emails:
            raise ValueError("the load test needs at least one coach login")
        self._next = cycle(self.emails)

    def next_email(self) -> str:
        """The next coach; after the last one the first comes round again."""
        return next(self._next)


DEMO_COACHES = ["coach@demo.doorstroom.be", "coach2@demo.doorstroom.be"]
DEMO_PASSWORD = "doorstroom"  # noqa: S105  (the documented password of demo and load data)


def load_coaches(path: str | None) -> Coaches:
    """The coaches bin/load-test wrote (``{"emails": [...], "password": ...}``), or the demo's."""
    if not path:
        return Coaches(list(DEMO_COACHES), DEMO_PASSWORD)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Coaches([str(e) for e in data["emails"]], str(data.get("password", DEMO_PASSWORD)))
