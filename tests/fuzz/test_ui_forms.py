"""Issue 10 (R-PRV): every form of the UI answers hostile input with a message, never a 500.

The forms are discovered, not listed: every UI route of the URL configuration (the admin and
the API aside) is opened with OCMW A's rich dossier as a coach, a team lead and a functional
administrator of OCMW A; each ``<form>`` the page holds (GET filters included) is parsed
(tests/fuzz/hostile.py) and submitted with hostile values drawn per field type, starting from
the values the page proposes so that some submissions are valid and saved.

The answer must be 200 (the form with its messages), a redirect after a valid save, or a
refusal (400/404/409); a 500 fails the test with its traceback. A page never shows a payload of
``MARKUP`` unescaped: not in the answer (reflected) and, after a save of markup, not in the
pages that show the saved data (stored XSS).

A new route with URL parameters fails ``test_every_ui_route_is_classified`` until ``KWARGS``
says which objects of the dossier fill them (or ``SKIPPED`` why it holds no form).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.hostile import (
    SWEEPS,
    Field,
    Form,
    carries_markup,
    category_of,
    forms_of,
    raw_markup_in,
    value_for,
)
from tests.fuzz.pages import assert_escaped, show_pages
from tests.fuzz.world import ROLES, FuzzWorld, rolled_back

# Random examples per form, after the sweeps (hostile.SWEEPS). ~85 forms: the package stays
# within ~3 minutes on SQLite. FUZZ_EXAMPLES raises it for a longer local run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Answers that are a message or a refusal (never a 500).
UI_OK = {200, 302, 303, 400, 404, 409}

# Which object of the dossier fills a route's URL parameters (a string: the ``pk``).
KWARGS: dict[str, str | dict[str, str]] = {
    "clients:detail": "client",
    "clients:tab": "client_tab",
    "clients:edit": "client",
    "clients:access-request": "client",
    "clients:intake-create": "client",
    "clients:journal-create": "client",
    "clients:document-create": "client",
    "clients:consent-create": "client",
    "clients:protected": "client",
    "clients:intake": "intake",
    "clients:consent-withdraw": "consent",
    "clients:protected-read": "note",
    "employers:detail": "employer",
    "employers:edit": "employer",
    "employers:contact_add": "employer",
    "employers:contact_replace": "employer",
    "employers:agreement_add": "employer",
    "employers:workplace_create": "employer",
    "employers:contact_edit": "mentor",
    "employers:mentor_deactivate": "mentor",
    "employers:workplace": "workplace",
    "employers:workplace_edit": "workplace",
    "employers:workplace_review": "workplace",
    "employers:workplace_matches": "workplace",
    "employers:client_matches": {"client_pk": "client"},
    "employers:placement_start": {"trajectory_pk": "trajectory"},
    "employers:placement_followup": "placement",
    "employers:placement_end": "placement",
    "employers:placement_regime": "placement",
    "employers:rotation": "placement",
    "plans:detail": "trajectory",
    "plans:version-new": "trajectory",
    "plans:client-link": "trajectory",
    "evaluations:plan": "trajectory",
    "evaluations:detail": "evaluation",
    "evaluations:mentor-link": "evaluation",
    "evaluations:cancel": "evaluation",
    "evaluations:round-open": "trajectory",
    "instruments:use_create": "trajectory",
    "instruments:tryout_start": "trajectory",
    "instruments:use_edit": "instrument_use",
    "instruments:offer_edit": "offer",
    "reports:end": "trajectory",
    "reports:outflow": "trajectory",
    "reports:followup": "trajectory",
    "reports:aftercare-plan": "trajectory",
    "reports:icf-rate": "trajectory",
    "reports:end-report-open": "trajectory",
    "reports:close": "trajectory",
    "reports:end-report": "end_report",
    "monitoring:trajectory-financing": "trajectory",
    "library:trajectory-templates": "trajectory",
    "trajectories:start": {"client_pk": "new_client"},
    "trajectories:phase": "trajectory",
    "trajectories:phase-extend": "phase",
    "trajectories:suspend": "trajectory",
    "trajectories:resume": "suspension",
    "trajectories:review": "suspension",
    "trajectories:stop": "trajectory",
    "trajectories:handover": "trajectory",
    "trajectories:transfer": "trajectory",
    "trajectories:contract": "trajectory",
    "trajectories:contract-end": "trajectory",
    "trajectories:member-add": "trajectory",
    "core:audit-dossier": "client",
    "core:audit-user": "user",
    # objects of the access matrix's world (tests/world.py)
    "clients:referral-detail": "referral",
    "employers:agreement_edit": "agreement",
    "evaluations:round": "feedback_round",
    "instruments:tryout_reflect": "tryout",
    "reports:aftercare-record": "aftercare",
    "imports:detail": "import_run",
    "library:detail": "library_document",
    "library:edit": "library_document",
    "library:version-add": "library_document",
    "library:fill": "library_template",
    # secret links, for people without an account (also opened anonymously: PUBLIC)
    "plans:mine": "plan_link",
    "evaluations:mentor": "mentor_link",
    "evaluations:feedback": "feedback_link",
    "accounts:password-reset-confirm": "password_reset",
}
# Pages for people who are not logged in: fuzzed anonymously too.
PUBLIC = {
    "accounts:login",
    "accounts:password-reset",
    "accounts:password-reset-confirm",
    "plans:mine",
    "evaluations:mentor",
    "evaluations:feedback",
}

# Routes not opened here, with the reason (files and redirects hold no form).
FILE = "answers a file (PDF, JSON, spreadsheet, download), not a page with a form"
SKIPPED: dict[str, str] = {
    "clients:export": FILE,
    "clients:overview-pdf": FILE,
    "clients:access-request-json": FILE,
    "clients:access-request-pdf": FILE,
    "clients:document-download": FILE,
    "clients:protected-revoke": "POST only (a button on the protected notes page)",
    "employers:export": FILE,
    "employers:workplaces-export": FILE,
    "employers:agreement_document": FILE,
    "employers:agreement-pdf": FILE,
    "employers:placement-pdf": FILE,
    "plans:version-pdf": FILE,
    "evaluations:evaluation-pdf": FILE,
    "evaluations:respondent-resend": "POST only (a button on the 360° round page)",
    "reports:end-report-json": FILE,
    "reports:end-report-pdf": FILE,
    "imports:run": "POST only (a button on the import page)",
    "imports:example": FILE,
    "library:download": FILE,
    "trajectories:caseload-export": FILE,
    "core:audit-export": FILE,
    "core:area": "a placeholder page of a future area (no form)",
    "accounts:session-end": "POST only (a button on the profile page)",
}
# Forms not submitted: their action ends the session the test works with.
NOT_SUBMITTED = ("accounts:logout",)


@dataclass(frozen=True)
class UiRoute:
    name: str
    params: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def _walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def ui_routes() -> list[UiRoute]:
    routes = {}
    for path, name, pattern in _walk(get_resolver().url_patterns, "", ""):
        if path.startswith(("api/", "beheer/")) or name.startswith(("admin:", "api:")):
            continue  # the API has its own fuzz tests; the Django admin is Django's
        routes[name] = UiRoute(name, tuple(pattern.pattern.regex.groupindex))
    return sorted(routes.values(), key=str)


ROUTES = ui_routes()
OPENED = [r for r in ROUTES if r.name not in SKIPPED]
_fuzzed: set[tuple[str, str, tuple[str, ...]]] = set()  # forms already fuzzed (nav forms…)


def url_for(route: UiRoute, world: FuzzWorld) -> str:
    if not route.params:
        return reverse(route.name)
    spec = KWARGS.get(route.name)
    if spec is None:
        pytest.fail(f"{route.name}: add it to KWARGS or SKIPPED in {__file__}")
    if isinstance(spec, dict):
        return reverse(route.name, kwargs={p: world.dossier[spec[p]].pk for p in route.params})
    obj = world.dossier[spec]
    kwargs = dict(obj) if isinstance(obj, dict) else {route.params[0]: obj.pk}
    return reverse(route.name, kwargs=kwargs)


def login(world: FuzzWorld, role: str) -> HttpClient:
    http = HttpClient(headers={"Accept-Language": "en"})
    if role != "anonymous":
        http.force_login(world.users[role])
    return http


def fuzzable(form: Form) -> list[Field]:
    """The form's fields, one per name: a group of checkboxes is a multiple choice, a group of
    radio buttons or named submit buttons a single one."""
    groups: dict[str, list[Field]] = {}
    for f in form.fields:
        if f.name != "csrfmiddlewaretoken":
            groups.setdefault(f.name, []).append(f)
    fields = []
    for name, group in groups.items():
        if len(group) == 1:
            fields.append(group[0])
            continue
        kind = "select-multiple" if group[0].kind == "checkbox" else "select"
        fields.append(Field(name, kind, options=[f.value for f in group]))
    buttons: dict[str, list[str]] = {}
    for name, value in form.buttons:
        buttons.setdefault(name, []).append(value)
    fields += [Field(name, "select", options=values) for name, values in buttons.items()]
    return fields


def submit(http: HttpClient, form: Form, values: dict[str, Any]) -> Any:
    data = {k: v for k, v in values.items() if v is not None}
    if form.method == "post":
        return http.post(form.action, data)
    return http.get(form.action, data)


def describe(form: Form, values: dict[str, Any]) -> str:
    shown = {
        k: (v[:80] + f"…({len(v)})" if isinstance(v, str) and len(v) > 80 else v)
        for k, v in values.items()
    }
    return f"{form.method.upper()} {form.action} with {shown!r}"


def check(
    http: HttpClient, form: Form, values: dict[str, Any], page: str, world: FuzzWorld
) -> None:
    context = describe(form, values)
    try:
        response = submit(http, form, values)
    except Exception as error:  # the test client re-raises what made the view answer 500
        raise AssertionError(f"500 on {context}: {error!r}") from error
    assert response.status_code in UI_OK, f"{response.status_code} on {context}"
    if "html" in response.get("Content-Type", ""):
        raw = raw_markup_in(response.content.decode())
        assert not raw, f"reflected XSS: the answer to {context} shows {raw} unescaped"
    if response.status_code in (302, 303) and carries_markup(values):
        target = urlsplit(response["Location"])
        pages = [page, *show_pages(world)]
        if not target.netloc:
            pages.insert(0, response["Location"])
        assert_escaped(http, pages, context)


def sweep(http: HttpClient, form: Form, page: str, world: FuzzWorld) -> None:
    """Each category of ``SWEEPS`` in every text, date and number field at once."""
    for values_by_category in SWEEPS.values():
        values = form.defaults()
        for f in fuzzable(form):
            values[f.name] = values_by_category.get(category_of(f), values.get(f.name))
        with rolled_back():
            check(http, form, values, page, world)


def fuzz_form(http: HttpClient, form: Form, page: str, world: FuzzWorld) -> None:
    fields = fuzzable(form)
    sweep(http, form, page, world)
    if os.environ.get("FUZZ_LOG"):  # which forms were found: FUZZ_LOG=1 pytest -s tests/fuzz
        print(f"\n{page}: {form.method.upper()} {form.action} {[f.name for f in fields]}")

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        chosen = data.draw(
            st.lists(st.sampled_from(fields), min_size=1, max_size=4, unique_by=lambda f: f.name),
            label="fields",
        )
        values = form.defaults()
        for f in chosen:
            values[f.name] = data.draw(value_for(f), label=f.name)
        with rolled_back():
            check(http, form, values, page, world)

    run()


def forms_on(http: HttpClient, url: str, *, follow: bool = False) -> tuple[str, list[Form]]:
    """The page's forms, and its URL (after the redirects, if ``follow``)."""
    response = http.get(url, follow=follow)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return url, []
    if follow and response.redirect_chain:
        url = response.redirect_chain[-1][0]
    return url, forms_of(response.content.decode(), url)


def is_submitted(form: Form) -> bool:
    path = urlsplit(form.action).path
    return not any(path == reverse(name) for name in NOT_SUBMITTED)


# The tests -----------------------------------------------------------------------------------


def test_every_ui_route_is_classified() -> None:
    unknown = [
        r.name for r in ROUTES if r.params and r.name not in KWARGS and r.name not in SKIPPED
    ]
    assert not unknown, (
        f"UI routes with URL parameters that the fuzz tests do not know: {unknown}. Add each "
        f"to KWARGS (which dossier objects fill its parameters) or to SKIPPED (why not)."
    )
    stale = (set(KWARGS) | set(SKIPPED)) - {r.name for r in ROUTES}
    assert not stale, f"KWARGS/SKIPPED name routes that no longer exist: {stale}"


@pytest.mark.parametrize("route", OPENED, ids=str)
def test_every_form_answers_hostile_input_with_a_message(
    route: UiRoute, fuzz_world: FuzzWorld, db: None
) -> None:
    """R-PRV: hostile values → 200 with messages or a redirect after a save; never 500/XSS."""
    if route.params and route.name not in KWARGS:
        pytest.fail(f"{route.name}: add it to KWARGS or SKIPPED in {__file__}")
    url = url_for(route, fuzz_world)
    # anonymous first: a login as a user changes their last login, which voids the reset link
    anonymous = ("anonymous",) if route.name in PUBLIC else ()
    for role in anonymous + ROLES:
        http = login(fuzz_world, role)
        page, forms = forms_on(http, url, follow=role == "anonymous")
        for form in forms:
            if form.signature in _fuzzed or not fuzzable(form) or not is_submitted(form):
                continue
            _fuzzed.add(form.signature)
            fuzz_form(http, form, page, fuzz_world)
