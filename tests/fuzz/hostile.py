"""Hostile values (hypothesis strategies), an HTML form parser and the stored-XSS check.

Everything here is plain Python: ``forms_of(html, url)`` finds the forms of a page with their
fields (input types, select options, current values), ``value_for(field)`` is a strategy of
hostile values for one field by its type, and ``raw_markup_in(html)`` finds a payload of
``MARKUP`` that a page shows unescaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

# Markup that must never come back unescaped (stored or reflected XSS). The needles are what
# a page would contain if it rendered the payload raw; escaped, they read ``&lt;script&gt;…``.
MARKUP = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
)
MARKUP_NEEDLES = ("<script>alert(1)", "<img src=x onerror=", "<svg/onload=")

SQL = (
    "'; DROP TABLE clients_client; --",
    "' OR '1'='1",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(10)",
    "%' AND 1=0 UNION SELECT password FROM accounts_user --",
)
CONTROL = (
    "\x00",
    "a\x00b",
    "\x01\x02\x07\x08\x0b\x0c\x1b\x1f\x7f",
    "\u0085\u2028\u2029",
    "\r\n\r\nX-Injected: 1",
    "\ufeff\u200b\u200d",
)
RTL = ("\u202eexe.txt", "\u202dab\u202c", "\u2066\u2067\u2068\u2069", "Maes\u202e")
EMOJI = ("😀", "👩🏽‍🔧" * 20, "🇧🇪", "Z̷̢̛a̶̟͠l̴̪͝g̶̱̋o̵̯͘")
OVERLONG = ("x" * 10_000, "é" * 5_000, "😀" * 2_600, "a " * 5_000)
ODD = (
    "",
    " ",
    "   \t  ",
    "{{ 7*7 }}",
    "{% debug %}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "null",
    "None",
    "[]",
    "{}",
    "true",
)
HOSTILE_STRINGS = MARKUP + SQL + CONTROL + RTL + EMOJI + OVERLONG + ODD

HOSTILE_DATES = (
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-00-00",
    "-2026-01-01",
    "99999-01-01",
    "31/12/2026",
    "2026-02-29",
    "1900-02-29",
    "garbage",
    "",
    "2026-01-01T25:61:00",
    "١٩٨٥-٠٧-٣٠",  # Arabic-Indic digits
)
HOSTILE_NUMBERS = (
    "-1",
    "0",
    "-0",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "-Infinity",
    "9" * 40,
    "-" + "9" * 40,
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "0.000000000001",
    "1,5",
    "1.5.5",
    "0x10",
    "١٢",
    "²",
    "٣" * 5_000,
    "",
    "abc",
)
HOSTILE_FILE_NAMES = (
    "../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "a\x00.pdf",
    "\u202efdp.exe",
    "x" * 300 + ".pdf",
    "<script>alert(1)</script>.txt",
    "con.txt",
    ".htaccess",
    " ",
)


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_STRINGS),
        st.text(max_size=40),  # any code point but surrogates: control characters, NUL, RTL
        st.builds(
            lambda a, b: a + b, st.sampled_from(HOSTILE_STRINGS), st.sampled_from(MARKUP + SQL)
        ),
    )


def hostile_date() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_DATES),
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(HOSTILE_STRINGS),
    )


def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_NUMBERS),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.sampled_from(HOSTILE_STRINGS),
    )


def hostile_file() -> st.SearchStrategy[Any]:
    return st.builds(
        lambda name, content, kind: SimpleUploadedFile(name, content, content_type=kind),
        st.sampled_from(HOSTILE_FILE_NAMES),
        st.one_of(
            st.binary(max_size=64),
            st.just(b"%PDF-1.4\n<script>alert(1)</script>"),
            st.just(b"MZ\x90\x00" + b"\x00" * 60),  # a Windows executable's header
        ),
        st.sampled_from(("application/pdf", "text/plain", "image/png", "text/html", "")),
    )


# Forms ----------------------------------------------------------------------------------------

TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", "textarea", ""}
DATE_TYPES = {"date", "datetime-local", "month", "week", "time"}
NUMBER_TYPES = {"number", "range"}
IGNORED_TYPES = {"submit", "button", "reset", "image"}


@dataclass
class Field:
    name: str
    kind: str  # the input type, "textarea", "select" or "select-multiple"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str  # "get" or "post"
    action: str  # absolute path (with its query string, if any)
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons

    @property
    def signature(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.method, urlsplit(self.action).path, tuple(sorted(self.names)))

    @property
    def names(self) -> list[str]:
        return sorted({f.name for f in self.fields if f.name != "csrfmiddlewaretoken"})

    def defaults(self) -> dict[str, Any]:
        """What a browser would submit untouched (lists for repeated names)."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data.setdefault(f.name, []).append(f.value or "on")
            elif f.kind.startswith("select"):
                chosen = f.selected or (f.options[:1] if f.kind == "select" else [])
                data.setdefault(f.name, []).extend(chosen)
            elif f.kind != "file":
                data.setdefault(f.name, []).append(f.value)
        return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


class _FormParser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: tuple[str | None, bool] | None = None
        self.option_text = ""
        self.textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self.form = Form(method=(a.get("method") or "get").lower(), action=action)
            self.forms.append(self.form)
        elif self.form is not None:
            self._field(tag, a, attrs)

    def _field(self, tag: str, a: dict[str, str], attrs: list[tuple[str, str | None]]) -> None:
        assert self.form is not None
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in IGNORED_TYPES:
                self.form.buttons.append((name, a.get("value", "")))
            else:
                checked = "checked" in a
                self.form.fields.append(Field(name, kind, a.get("value", ""), checked))
        elif tag == "button" and name:
            self.form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = Field(name, "textarea")
            self.form.fields.append(self.textarea)
        elif tag == "select" and name:
            self.select = Field(name, "select-multiple" if "multiple" in a else "select")
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = (dict(attrs).get("value"), "selected" in a)
            self.option_text = ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data
        if self.option is not None:
            self.option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self._close_option()
            self.select = None
        elif tag == "option":
            self._close_option()

    def _close_option(self) -> None:
        if self.option is None or self.select is None:
            return
        value, selected = self.option
        value = self.option_text.strip() if value is None else value
        self.select.options.append(value)
        if selected:
            self.select.selected.append(value)
        self.option = None


def forms_of(html: str, url: str) -> list[Form]:
    parser = _FormParser(url)
    parser.feed(html)
    parser.close()
    return parser.forms


def category_of(f: Field) -> str:
    """The sweep category: date, number, text, choice or the field's kind (file, checkbox)."""
    if f.kind in DATE_TYPES or "date" in f.name or f.name in ("start", "end", "on"):
        return "date"
    if f.kind in NUMBER_TYPES or f.kind == "hidden":
        return "number"
    if f.kind in TEXT_TYPES:
        return "text"
    if f.kind in ("select", "radio"):
        return "choice"
    return f.kind


# Sweeps: every field of a form of a category (text, date, number, choice) at once gets the
# sweep's value for it, the others keep theirs (on top of the random examples, so that each
# category reaches every field at least once).
SWEEPS: dict[str, dict[str, str]] = {
    "nul": {"text": "a\x00b", "date": "2026-01-01\x00", "number": "1\x00"},
    "overlong": {"text": "x" * 10_000, "date": "2" * 10_000, "number": "9" * 10_000},
    "markup": {"text": MARKUP[0] + MARKUP[1], "date": "0001-01-01", "number": "-1"},
    "sql": {"text": SQL[0], "date": "9999-12-31", "number": "9" * 40},
    "unicode": {"text": RTL[0] + EMOJI[1] + CONTROL[2], "date": "2026-02-30", "number": "1e309"},
    "empty": {"text": "", "date": "", "number": ""},
    # choices (selects, radio buttons, named submit buttons) that are no option: ids a view
    # might turn into an int itself ("²".isdigit() is True, int("²") fails; so do 5,000 digits)
    "choice-digits": {"choice": "9" * 5_000, "number": "9" * 5_000},
    "choice-unicode-digit": {"choice": "²", "number": "²"},
    "choice-markup": {"choice": MARKUP[1]},
}


def value_for(f: Field) -> st.SearchStrategy[Any]:
    """Hostile values for one field; ``None`` leaves the field out of the submission."""
    category = category_of(f)
    if category == "date":
        base = hostile_date()
    elif category == "number":
        base = hostile_number()
    elif f.kind == "file":
        return st.one_of(hostile_file(), st.none())
    elif f.kind in ("checkbox", "radio"):
        base = st.sampled_from((f.value or "on", "on", "0", "garbage", "", "\x00"))
    elif f.kind.startswith("select"):
        options = [o for o in f.options if o] or ["1"]
        single = st.one_of(
            st.sampled_from(options), st.sampled_from(HOSTILE_NUMBERS + HOSTILE_STRINGS)
        )
        if f.kind == "select-multiple":
            return st.lists(single, max_size=4)
        base = single
    else:  # text, textarea, email, url, …
        base = hostile_text()
    return st.one_of(base, st.none()) if f.kind != "textarea" else base


def raw_markup_in(html: str) -> list[str]:
    """The payloads of ``MARKUP`` that ``html`` contains unescaped."""
    lowered = html.lower()
    return [needle for needle in MARKUP_NEEDLES if needle in lowered]


def carries_markup(values: dict[str, Any]) -> bool:
    def has(value: Any) -> bool:
        if isinstance(value, str):
            return bool(raw_markup_in(value))
        if isinstance(value, list | tuple):
            return any(has(v) for v in value)
        if isinstance(value, dict):
            return any(has(v) for v in value.values())
        return False

    return any(has(v) for v in values.values())
