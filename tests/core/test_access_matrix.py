"""The access matrix (issue 10, R-PRV-1): every URL and API route × every role.

The routes are discovered from the URL configuration (``get_resolver()``, recursively, with
namespaces). Each has one line in ``ACCESS_MATRIX``: the object of OCMW A its URL is filled with
(a key of ``tests.world.MatrixWorld.objects``, or ``None``) and the expected status of a GET for
each role, in the order of ``ROLES``:

    anonymous, coach (lead coach of the dossier, OCMW A), teammate (another coach of OCMW A),
    outsider (a coach of OCMW B), team lead of A, privacy officer of A, functional admin of A

200 shown · 302 redirect (for anonymous: to the login page) · 401 API without a token ·
403 refused with an explanation · 404 not found / out of scope · 405 POST only · 410 link gone.

A route without a line fails with "add X to ACCESS_MATRIX". Independent of the table: the
outsider never gets 200 on a route bound to an object of OCMW A (except ``SHARED_ROUTES``: secret
links and the shared kennisbank), no 200 answer to the outsider shows the client's surname, the
privacy officer and the functional admin see it only on the pages of their task, and anonymous
gets 200 only on ``PUBLIC_ROUTES`` (and is otherwise sent to the login page, or 401 by the API).

The Django admin (``beheer/``) is one line, its index: every admin route is behind the admin
site's own ``has_permission`` (active and ``is_staff``), so the index stands for all of them;
``test_every_admin_route_is_behind_the_admin_site_permission`` checks that each admin route goes
through the admin site's permission check.

Two-factor authentication: tests/conftest.py switches the required second factor off for the
whole suite (``DOORSTROOM_2FA_REQUIRED_ROLES=[]``), so team leads, privacy officers and admins are
not sent to the enrolment page here; tests/accounts/test_two_factor.py covers that gate.

Writes: ``test_r_prv_1_access_matrix_post`` sends an empty POST as every role whose GET the
matrix answers 404 (and as the outsider to POST-only routes bound to OCMW A's objects): the
answer must be 404 too — a write never reaches an object its reader could not see — and
anonymous POSTs go to the login page (401 on the API), like the GETs.

To see what the application answers (for a new route or after a change of the rules), run
``ACCESS_MATRIX_PRINT=1 pytest tests/core/test_access_matrix.py -s``: it prints one line per
route, and the broken invariants, instead of asserting; review each line against R-PRV-1.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.http import HttpResponse, HttpResponseNotFound
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from doorstroom.accounts.models import UserSession
from tests.world import MATRIX_MARKER, MatrixWorld, matrix_world_for_module

ROLES = ("anonymous", "coach", "teammate", "outsider", "team_lead", "privacy_officer", "admin")

# URL parameters that are not an object of OCMW A: the value every route gets.
PARAMETER_VALUES = {
    "fmt": "csv",
    "kind": "clients",
    "slug": "clients",
    "moment": "before",
    "tab": "development",  # a tab of the dossier (every tab's outsider: test_dossier_tabs.py)
}


def _quarter_of_a(objects: dict[str, Any]) -> dict[str, Any]:
    today = timezone.localdate()
    return {"organisation": objects["organisation"].pk, "quarter": f"{today:%Y}-Q{quarter(today)}"}


def quarter(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


# Query strings some pages need to show something (else they answer 400/404 to everyone).
QUERY_OF: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "monitoring:financing-xlsx": _quarter_of_a,
    "monitoring:financing-statement": _quarter_of_a,
    "monitoring:dashboard-dossiers": lambda objects: {
        "organisation": objects["organisation"].pk,
        "metric": "outflow",
        "key": "training",
    },
}

# Routes anonymous may open (R-PRV-1 stops at the login otherwise): the login, its language
# switch and the password reset, secret-link pages reached with their token, the API's schema
# and docs, the favicon.
PUBLIC_ROUTES = {
    "accounts:login",
    "accounts:language",  # the language switch of the login page (POST only)
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "plans:mine",
    "evaluations:mentor",
    "evaluations:feedback",
    "api:schema",
    "api:docs",
    "/favicon.ico",
    "/.well-known/security.txt",
    "/beheer/login/",
}

# Routes bound to an object of OCMW A that the outsider may open all the same: secret-link pages
# (whoever holds the token) and kennisbank documents shared with every organisation.
SHARED_ROUTES = {
    "accounts:password-reset-confirm",
    "plans:mine",
    "evaluations:mentor",
    "evaluations:feedback",
    "library:fill",
}

# Roles without a caseload (SPEC §1): the privacy officer handles the access log and GDPR
# requests, the functional admin users and reference data. They may see a client's name only on
# the pages of their task.
NO_CASELOAD_ROLES = ("privacy_officer", "admin")
OFFICER_ROUTES = {
    "privacy_officer": {
        "clients:access-request",
        "clients:access-request-json",
        "clients:access-request-pdf",
        "core:audit-dossier",
        "core:audit-list",
        "core:audit-export",
        "core:audit-user",
    },
}

# route → (object of OCMW A, expected GET status per role in the order of ROLES)
ACCESS_MATRIX: dict[str, tuple[str | None, str]] = {
    "/beheer/login/": (None, "302 302 302 302 302 302 302"),
    "/favicon.ico": (None, "301 301 301 301 301 301 301"),
    "/.well-known/security.txt": (None, "200 200 200 200 200 200 200"),
    "accounts:language": (None, "405 405 405 405 405 405 405"),
    "accounts:login": (None, "200 302 302 302 302 302 302"),
    "accounts:logout": (None, "302 405 405 405 405 405 405"),
    "accounts:password-change": (None, "302 200 200 200 200 200 200"),
    "accounts:password-reset": (None, "200 200 200 200 200 200 200"),
    "accounts:password-reset-complete": (None, "200 200 200 200 200 200 200"),
    "accounts:password-reset-confirm": ("password_reset", "200 200 200 200 200 200 200"),
    "accounts:password-reset-done": (None, "200 200 200 200 200 200 200"),
    "accounts:profile": (None, "302 200 200 200 200 200 200"),
    "accounts:session-end": ("session", "302 405 405 405 405 405 405"),
    "accounts:session-ping": (None, "302 204 204 204 204 204 204"),
    "accounts:sessions-end-others": (None, "302 405 405 405 405 405 405"),
    "accounts:two-factor-disable": (None, "302 405 405 405 405 405 405"),
    "accounts:two-factor-recovery-codes": (None, "302 405 405 405 405 405 405"),
    "accounts:two-factor-setup": (None, "302 200 200 200 200 200 200"),
    "accounts:two-factor-verify": (None, "302 302 302 302 302 302 302"),
    "admin:index": (None, "302 302 302 302 302 302 200"),
    "api:client-detail": ("client", "401 200 200 404 200 404 404"),
    "api:client-intake-decide": ("client_intake", "401 405 405 405 405 405 405"),
    "api:client-intakes": ("client", "401 200 200 404 200 404 404"),
    "api:client-list": (None, "401 200 200 200 200 200 200"),
    "api:client-matches-list": ("client_nested", "401 200 200 404 200 404 404"),
    "api:deadline-list": (None, "401 200 200 200 200 200 200"),
    "api:development-plan-detail": ("plan", "401 200 200 404 200 404 404"),
    "api:development-plan-list": (None, "401 200 200 200 200 200 200"),
    "api:docs": (None, "200 200 200 200 200 200 200"),
    "api:employer-detail": ("employer", "401 200 200 404 200 200 200"),
    "api:employer-list": (None, "401 200 200 200 200 200 200"),
    "api:evaluation-complete": ("evaluation", "401 405 405 405 405 405 405"),
    "api:evaluation-detail": ("evaluation", "401 200 200 404 200 404 404"),
    "api:evaluation-list": (None, "401 200 200 200 200 200 200"),
    "api:evaluation-record": ("evaluation", "401 405 405 405 405 405 405"),
    "api:instrument-use-detail": ("instrument_use", "401 200 200 404 200 404 404"),
    "api:instrument-use-list": (None, "401 200 200 200 200 200 200"),
    "api:placement-detail": ("placement", "401 200 200 404 200 404 404"),
    "api:placement-end": ("placement", "401 405 405 405 405 405 405"),
    "api:placement-followups": ("placement", "401 405 405 405 405 405 405"),
    "api:placement-list": (None, "401 200 200 200 200 200 200"),
    "api:schema": (None, "200 200 200 200 200 200 200"),
    "api:trajectory-detail": ("trajectory", "401 200 200 404 200 404 404"),
    "api:trajectory-dossier-employment-contract": ("trajectory", "401 200 200 404 200 404 404"),
    "api:trajectory-dossier-financing": ("trajectory", "401 200 200 404 200 404 404"),
    "api:trajectory-dossier-phases": ("trajectory", "401 200 200 404 200 404 404"),
    "api:trajectory-dossier-suspensions": ("trajectory", "401 200 200 404 200 404 404"),
    "api:trajectory-end-end-report": ("trajectory_end_report", "401 200 200 404 200 404 404"),
    "api:trajectory-end-end-reports": ("trajectory", "401 200 200 404 200 404 404"),
    "api:trajectory-end-outflow": ("trajectory", "401 200 200 404 200 404 404"),
    "api:trajectory-end-outflow-followups": ("trajectory", "401 200 200 404 200 404 404"),
    "api:trajectory-list": (None, "401 200 200 200 200 200 200"),
    "api:trajectory-stop": ("trajectory", "401 405 405 405 405 405 405"),
    "api:workplace-detail": ("workplace", "401 200 200 404 200 200 200"),
    "api:workplace-list": (None, "401 200 200 200 200 200 200"),
    "clients:access-request": ("client", "302 200 404 404 200 200 404"),
    "clients:access-request-json": ("client", "302 200 404 404 200 200 404"),
    "clients:access-request-pdf": ("client", "302 200 404 404 200 200 404"),
    "clients:consent-create": ("client", "302 200 200 404 200 404 404"),
    "clients:consent-withdraw": ("consent", "302 405 405 405 405 405 405"),
    "clients:create": (None, "302 200 200 200 200 200 200"),
    "clients:detail": ("client", "302 200 200 404 200 404 404"),
    "clients:tab": ("client", "302 200 200 404 200 404 404"),
    "clients:document-create": ("client", "302 200 200 404 200 404 404"),
    "clients:document-download": ("document", "302 200 200 404 200 404 404"),
    "clients:edit": ("client", "302 200 200 404 200 404 404"),
    "clients:export": (None, "302 200 200 200 200 200 200"),
    "clients:intake": ("intake", "302 200 200 404 200 404 404"),
    "clients:intake-create": ("client", "302 200 200 404 200 404 404"),
    "clients:journal-create": ("client", "302 200 200 404 200 404 404"),
    "clients:list": (None, "302 200 200 200 200 200 200"),
    "clients:overview-pdf": ("client", "302 200 200 404 200 404 404"),
    "clients:protected": ("client", "302 200 403 404 403 404 404"),
    "clients:protected-read": ("note", "302 200 403 404 403 404 404"),
    "clients:protected-revoke": ("protected_access", "302 405 405 405 405 405 405"),
    "clients:referral-create": (None, "302 200 200 200 200 200 200"),
    "clients:referral-detail": ("referral", "302 200 404 404 200 404 404"),
    "clients:referrals": (None, "302 200 200 200 200 200 200"),
    "core:area": (None, "302 200 200 200 200 200 200"),
    "core:audit-dossier": ("client", "302 404 404 404 404 200 404"),
    "core:audit-export": (None, "302 404 404 404 404 200 404"),
    "core:audit-list": (None, "302 404 404 404 404 200 404"),
    "core:audit-user": ("coach_user", "302 404 404 404 404 200 404"),
    "core:home": (None, "302 302 302 302 302 200 200"),
    "employers:agreement-pdf": ("agreement", "302 200 200 404 200 200 200"),
    "employers:agreement_add": ("employer", "302 200 200 404 200 200 200"),
    "employers:agreement_document": ("agreement", "302 200 200 404 200 200 200"),
    "employers:agreement_edit": ("agreement", "302 200 200 404 200 200 200"),
    "employers:client_matches": ("client", "302 200 200 404 200 404 404"),
    "employers:contact_add": ("employer", "302 200 200 404 200 200 200"),
    "employers:contact_edit": ("mentor", "302 200 200 404 200 200 200"),
    "employers:contact_replace": ("employer", "302 200 200 404 200 200 200"),
    "employers:create": (None, "302 200 200 200 200 200 200"),
    "employers:detail": ("employer", "302 200 200 404 200 200 200"),
    "employers:edit": ("employer", "302 200 200 404 200 200 200"),
    "employers:export": (None, "302 200 200 200 200 200 200"),
    "employers:list": (None, "302 200 200 200 200 200 200"),
    "employers:mentor_deactivate": ("mentor", "302 405 405 405 405 405 405"),
    "employers:placement-pdf": ("placement", "302 200 200 404 200 404 404"),
    "employers:placement_end": ("placement", "302 200 200 404 200 404 404"),
    "employers:placement_followup": ("placement", "302 200 200 404 200 404 404"),
    "employers:placement_regime": ("placement", "302 200 200 404 200 404 404"),
    "employers:placement_start": ("trajectory", "302 200 200 404 200 404 404"),
    "employers:rotation": ("placement", "302 200 200 404 200 404 404"),
    "employers:workplace": ("workplace", "302 200 200 404 200 200 200"),
    "employers:workplace_create": ("employer", "302 200 200 404 200 200 200"),
    "employers:workplace_edit": ("workplace", "302 200 200 404 200 200 200"),
    "employers:workplace_matches": ("workplace", "302 200 200 404 200 200 200"),
    "employers:workplace_review": ("workplace", "302 200 200 404 200 200 200"),
    "employers:workplaces-export": (None, "302 200 200 200 200 200 200"),
    "evaluations:cancel": ("evaluation", "302 405 405 405 405 405 405"),
    "evaluations:detail": ("evaluation", "302 200 200 404 200 404 404"),
    "evaluations:evaluation-pdf": ("evaluation", "302 200 200 404 200 404 404"),
    "evaluations:feedback": ("feedback_link", "200 200 200 200 200 200 200"),
    "evaluations:mentor": ("mentor_link", "200 200 200 200 200 200 200"),
    "evaluations:mentor-link": ("evaluation", "302 405 405 405 405 405 405"),
    "evaluations:plan": ("trajectory", "302 200 200 404 200 404 404"),
    "evaluations:respondent-resend": ("respondent", "302 405 405 405 405 405 405"),
    "evaluations:round": ("feedback_round", "302 200 200 404 200 404 404"),
    "evaluations:round-open": ("trajectory", "302 200 200 404 200 404 404"),
    "imports:detail": ("import_run", "302 404 404 404 200 404 200"),
    "imports:example": (None, "302 200 200 200 200 200 200"),
    "imports:list": (None, "302 404 404 404 200 404 200"),
    "imports:run": ("import_run", "302 405 405 405 405 405 405"),
    "instruments:kinds": (None, "302 200 200 200 200 200 200"),
    "instruments:offer_create": (None, "302 200 200 200 200 200 200"),
    "instruments:offer_edit": ("offer", "302 200 200 404 200 200 200"),
    "instruments:offer_list": (None, "302 200 200 200 200 200 200"),
    "instruments:tryout_reflect": ("tryout", "302 200 200 404 200 404 404"),
    "instruments:tryout_start": ("trajectory", "302 200 200 404 200 404 404"),
    "instruments:use_create": ("trajectory", "302 200 200 404 200 404 404"),
    "instruments:use_edit": ("instrument_use", "302 200 200 404 200 404 404"),
    "library:create": (None, "302 200 200 200 200 404 200"),
    "library:detail": ("library_document", "302 200 200 404 200 200 200"),
    "library:download": ("library_version", "302 200 200 404 200 200 200"),
    "library:edit": ("library_document", "302 200 200 404 200 404 200"),
    "library:fill": ("library_template", "302 200 200 200 200 200 200"),
    "library:list": (None, "302 200 200 200 200 200 200"),
    "library:trajectory-templates": ("trajectory", "302 200 200 404 200 404 404"),
    "library:version-add": ("library_document", "302 200 200 404 200 404 200"),
    "monitoring:dashboard": (None, "302 200 200 200 200 200 200"),
    "monitoring:dashboard-dossiers": ("organisation", "302 200 200 404 200 200 200"),
    "monitoring:financing-issue": (None, "302 405 405 405 405 405 405"),
    "monitoring:financing-statement": ("organisation", "302 404 404 404 200 404 404"),
    "monitoring:financing-xlsx": ("organisation", "302 404 404 404 200 404 404"),
    "monitoring:monitoring-export": (None, "302 404 404 404 200 404 404"),
    "monitoring:trajectory-financing": ("trajectory", "302 200 200 404 200 404 404"),
    "plans:client-link": ("trajectory", "302 200 200 404 200 404 404"),
    "plans:detail": ("trajectory", "302 200 200 404 200 404 404"),
    "plans:mine": ("plan_link", "200 200 200 200 200 200 200"),
    "plans:version-new": ("trajectory", "302 200 200 404 200 404 404"),
    "plans:version-pdf": ("plan", "302 200 200 404 200 404 404"),
    "reports:aftercare-plan": ("trajectory", "302 200 200 404 200 404 404"),
    "reports:aftercare-record": ("aftercare", "302 200 200 404 200 404 404"),
    "reports:close": ("trajectory", "302 405 405 405 405 405 405"),
    "reports:end": ("trajectory", "302 200 200 404 200 404 404"),
    "reports:end-report": ("end_report", "302 200 200 404 200 404 404"),
    "reports:end-report-json": ("end_report", "302 200 200 404 200 404 404"),
    "reports:end-report-open": ("trajectory", "302 405 405 405 405 405 405"),
    "reports:end-report-pdf": ("end_report", "302 200 200 404 200 404 404"),
    "reports:followup": ("trajectory", "302 200 200 404 200 404 404"),
    "reports:icf-rate": ("trajectory", "302 200 200 404 200 404 404"),
    "reports:outflow": ("trajectory", "302 200 200 404 200 404 404"),
    "trajectories:caseload": (None, "302 200 200 200 200 200 200"),
    "trajectories:caseload-export": (None, "302 200 200 200 200 200 200"),
    "trajectories:contract": ("trajectory", "302 200 200 404 200 404 404"),
    "trajectories:contract-end": ("trajectory", "302 200 200 404 200 404 404"),
    "trajectories:handover": ("trajectory", "302 200 200 404 200 404 404"),
    "trajectories:member-add": ("trajectory", "302 200 200 404 200 404 404"),
    "trajectories:phase": ("trajectory", "302 200 200 404 200 404 404"),
    "trajectories:phase-extend": ("phase", "302 200 200 404 200 404 404"),
    "trajectories:resume": ("suspension", "302 200 200 404 200 404 404"),
    "trajectories:review": ("suspension", "302 200 200 404 200 404 404"),
    "trajectories:start": ("client", "302 200 200 404 200 404 404"),
    "trajectories:stop": ("trajectory", "302 200 200 404 200 404 404"),
    "trajectories:suspend": ("trajectory", "302 200 200 404 200 404 404"),
    "trajectories:transfer": ("trajectory", "302 200 200 404 200 404 404"),
}


# Route discovery ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or "/path/" for an unnamed route
    path: str  # the pattern below the root, for messages
    params: tuple[str, ...]
    api: bool

    def __str__(self) -> str:
        return self.key


def _params(pattern: Any) -> tuple[str, ...]:
    return tuple(pattern.pattern.regex.groupindex)


def _walk(
    resolver: URLResolver, prefix: str, namespace: str | None, inherited: tuple[str, ...]
) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        params = inherited + _params(entry)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            if inner == "admin":
                # The admin site is one line: its index (see the module's docstring).
                yield Route("admin:index", prefix + str(entry.pattern), (), api=False)
                continue
            yield from _walk(entry, prefix + str(entry.pattern), inner, params)
        elif isinstance(entry, URLPattern):
            path = prefix + str(entry.pattern)
            key = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(key or f"/{path}", path, params, api=path.startswith("api/v1/"))


def discover_routes() -> list[Route]:
    """Every route of the URL configuration, the admin site as one route."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver(), "", None, ()):
        seen.setdefault(route.key, route)
    return sorted(seen.values(), key=lambda r: r.key)


ROUTES = discover_routes()


# The world and one client per role ---------------------------------------------------------


@dataclass
class Matrix:
    world: MatrixWorld
    web: dict[str, HttpClient]
    api: dict[str, HttpClient]


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: Any) -> Iterator[Matrix]:
    with matrix_world_for_module(django_db_blocker) as world:
        web = {"anonymous": HttpClient()}
        api = {"anonymous": HttpClient()}
        for role, user in world.users.items():
            web[role] = HttpClient()
            web[role].force_login(user)
            api[role] = HttpClient(headers={"Authorization": f"Token {world.keys[role]}"})
        world.objects["session"] = UserSession.objects.filter(user=world.users["coach"]).latest(
            "pk"
        )
        yield Matrix(world=world, web=web, api=api)


def entry_of(route: Route) -> tuple[str | None, list[int]]:
    if route.key not in ACCESS_MATRIX:
        pytest.fail(
            f"The route {route.key} ({route.path}) has no line in the access matrix: add "
            f"{route.key!r} to ACCESS_MATRIX in tests/core/test_access_matrix.py, with the "
            f"object of OCMW A its URL needs and the expected status for {', '.join(ROLES)}."
        )
    key, statuses = ACCESS_MATRIX[route.key]
    expected = [int(status) for status in statuses.split()]
    assert len(expected) == len(ROLES), f"{route.key}: one status per role ({len(ROLES)})"
    return key, expected


def kwargs_of(route: Route, key: str | None, objects: dict[str, Any]) -> dict[str, Any]:
    """Fill the route's URL parameters with OCMW A's object ``key`` and the fixed values."""
    kwargs: dict[str, Any] = {}
    bound = objects[key] if key is not None else None
    if isinstance(bound, dict):
        kwargs.update(bound)
    for param in route.params:
        if param in kwargs:
            continue
        if param in PARAMETER_VALUES:
            kwargs[param] = PARAMETER_VALUES[param]
        elif bound is not None and not isinstance(bound, dict) and "pk" not in kwargs:
            kwargs[param] = bound.pk
            kwargs.setdefault("pk", bound.pk)
        else:
            pytest.fail(f"{route.key}: nothing fills the URL parameter {param!r}")
    return {param: kwargs[param] for param in route.params}


def url_of(route: Route, key: str | None, objects: dict[str, Any]) -> str:
    if route.key.startswith("/"):
        return route.key
    url = reverse(route.key, kwargs=kwargs_of(route, key, objects))
    if route.key in QUERY_OF:
        url += "?" + urlencode(QUERY_OF[route.key](objects))
    return url


def observe(route: Route, matrix: Matrix, key: str | None) -> tuple[str, dict[str, Any]]:
    url = url_of(route, key, matrix.world.objects)
    clients = matrix.api if route.api else matrix.web
    return url, {role: clients[role].get(url) for role in ROLES}


def text_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


# The tests ---------------------------------------------------------------------------------


def test_routes_are_discovered() -> None:
    keys = {route.key for route in ROUTES}
    assert {"clients:detail", "api:client-detail", "admin:index", "core:home"} <= keys


def test_a_route_without_a_line_fails_naming_it() -> None:
    new = Route("clients:brand-new", "clients/<int:pk>/brand-new/", ("pk",), api=False)
    with pytest.raises(pytest.fail.Exception, match="add 'clients:brand-new' to ACCESS_MATRIX"):
        entry_of(new)


def test_the_invariants_catch_a_leak_to_the_outsider() -> None:
    route = Route("clients:detail", "clients/<int:pk>/", ("pk",), api=False)
    leaked = HttpResponse(f"<h1>Sofie {MATRIX_MARKER}</h1>")
    assert outsider_problems(route, "client", leaked) == [
        "the outsider (OCMW B) is shown OCMW A's client",
        "the outsider (OCMW B) is shown the surname of OCMW A's client",
    ]
    assert outsider_problems(route, "client", HttpResponseNotFound()) == []


def test_the_post_check_covers_every_role_that_cannot_see_the_object() -> None:
    detail = Route("clients:detail", "clients/<int:pk>/", ("pk",), api=False)
    close = Route("reports:close", "reports/<int:pk>/close/", ("pk",), api=False)
    assert post_roles(detail, "client", [302, 200, 200, 404, 200, 404, 404]) == [
        "outsider",
        "privacy_officer",
        "admin",
    ]
    assert post_roles(close, "trajectory", [302, 405, 405, 405, 405, 405, 405]) == ["outsider"]
    checked = sum(len(post_roles(r, *entry_of(r))) for r in ROUTES if r.key != "admin:index")
    assert checked > 200, "writes are refused to the roles that cannot see, route by route"


def test_every_line_of_the_matrix_is_a_route() -> None:
    stale = set(ACCESS_MATRIX) - {route.key for route in ROUTES}
    assert not stale, f"ACCESS_MATRIX has lines for routes that no longer exist: {sorted(stale)}"


def _admin_patterns(resolver: URLResolver) -> Iterator[URLPattern]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _admin_patterns(entry)
        elif isinstance(entry, URLPattern):
            yield entry


# Admin views guarded otherwise: UserAdmin wraps its password page in admin_site.admin_view
# itself (not marked); the catch-all only answers 404 or adds a slash.
ADMIN_VIEW_WRAPPED = {"user_change_password", "catch_all_view"}


def test_every_admin_route_is_behind_the_admin_site_permission() -> None:
    """The admin's line (its index) stands for every admin route: all go through admin_view.

    AdminSite.get_urls and ModelAdmin.get_urls wrap each view so that it checks
    ``has_permission`` (active and ``is_staff``) first, and mark the wrapper with
    ``admin_site`` / ``model_admin``; the login page and the catch-all (404) are the exceptions.
    """
    mounts = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "admin"
    ]
    assert len(mounts) == 1, "one admin site, mounted once"
    assert str(mounts[0].pattern) == "beheer/"
    unguarded = [
        str(pattern.pattern)
        for pattern in _admin_patterns(mounts[0])
        if not hasattr(pattern.callback, "admin_site")
        and not hasattr(pattern.callback, "model_admin")
        and pattern.name != "login"
        and pattern.callback.__name__ not in ADMIN_VIEW_WRAPPED
    ]
    assert not unguarded, f"admin routes without the admin site's permission check: {unguarded}"
    patterns = list(_admin_patterns(mounts[0]))
    assert len(patterns) > 20, "the admin's model pages are discovered too"


def admin_changelists() -> list[str]:
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    )


@pytest.mark.parametrize("changelist", admin_changelists())
def test_r_prv_1_the_admin_lists_show_no_client_to_the_functional_admin(
    changelist: str, matrix: Matrix, db: None
) -> None:
    """SPEC §1: the functional admin manages reference data, users and the kennisbank, not
    dossiers; a list of the administration that names clients shows them every organisation's."""
    url = reverse(changelist)
    assert matrix.web["coach"].get(url).status_code == 302  # not staff: to the login
    response = matrix.web["admin"].get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert MATRIX_MARKER not in text_of(response), (
        f"{url} shows the functional admin the surname of a client (of any organisation)"
    )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_r_prv_1_access_matrix(route: Route, matrix: Matrix, db: None) -> None:
    key, expected = entry_of(route)
    url, responses = observe(route, matrix, key)
    seen = [responses[role].status_code for role in ROLES]
    line = " ".join(str(status) for status in seen)
    if os.environ.get("ACCESS_MATRIX_PRINT"):
        # Run once with ACCESS_MATRIX_PRINT=1 -s to print the observed lines, then review them.
        print(f'MATRIX    "{route.key}": ({key!r}, "{line}"),')
        try:
            check_invariants(route, key, url, responses)
        except AssertionError as error:
            print(f"INVARIANT {error}".splitlines()[0])
        return
    assert seen == expected, (
        f"GET {url} ({route.key}) answered {line} for {', '.join(ROLES)}, the matrix says "
        f"{ACCESS_MATRIX[route.key][1]}"
    )
    check_invariants(route, key, url, responses)


# What a refused write may answer: 404 out of scope; on the API also 405 when the route takes
# no such method at all (DRF checks the method before it looks the object up).
REFUSED_WRITE = {False: (404,), True: (404, 405)}


def post_roles(route: Route, key: str | None, expected: list[int]) -> list[str]:
    """The roles that must be refused a write on `route`: those its GET answers 404."""
    roles = [role for role, status in zip(ROLES, expected, strict=True) if status == 404]
    outsider_bound = key is not None and route.key not in SHARED_ROUTES
    if outsider_bound and expected[ROLES.index("outsider")] == 405 and "outsider" not in roles:
        roles.append("outsider")  # a POST-only route on OCMW A's object
    return roles


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_r_prv_1_access_matrix_post(route: Route, matrix: Matrix, db: None) -> None:
    """R-PRV-1 for writes: a role that cannot see the object cannot write to it either."""
    key, expected = entry_of(route)
    if route.key == "admin:index":
        return  # the admin site: its own permission check (see the module's docstring)
    url = url_of(route, key, matrix.world.objects)
    clients = matrix.api if route.api else matrix.web
    problems = []
    for role in post_roles(route, key, expected):
        status = clients[role].post(url, {}).status_code
        if status not in REFUSED_WRITE[route.api]:
            problems.append(f"{role} {status}")
    if route.key not in PUBLIC_ROUTES:
        problems += anonymous_problems(route, url, clients["anonymous"].post(url, {}))
    assert not problems, f"POST {url} ({route.key}) was not refused: " + "; ".join(problems)


def check_invariants(route: Route, key: str | None, url: str, responses: dict[str, Any]) -> None:
    """Rules that hold whatever the table says."""
    problems = [
        *anonymous_problems(route, url, responses["anonymous"]),
        *outsider_problems(route, key, responses["outsider"]),
        *officer_problems(route, responses),
    ]
    assert not problems, f"GET {url} ({route.key}): " + "; ".join(problems)


def anonymous_problems(route: Route, url: str, response: Any) -> list[str]:
    if route.key in PUBLIC_ROUTES:
        return []
    # R-PRV-1: no page without logging in, except the public ones
    if response.status_code not in (302, 401, 404, 405):
        return [f"anonymous gets {response.status_code}"]
    location = response.get("Location", "")
    logins = (reverse("accounts:login"), "/beheer/login/")  # the admin's sends on to the one login
    if response.status_code == 302 and not location.startswith(logins):
        return [f"anonymous is sent to {location}, not to the login page"]
    return []


def outsider_problems(route: Route, key: str | None, response: Any) -> list[str]:
    problems = []
    if key is not None and route.key not in SHARED_ROUTES and response.status_code == 200:
        # R-PRV-1: an object of OCMW A is out of the outsider's scope
        problems.append(f"the outsider (OCMW B) is shown OCMW A's {key}")
    if response.status_code == 200 and MATRIX_MARKER in text_of(response):
        problems.append("the outsider (OCMW B) is shown the surname of OCMW A's client")
    return problems


def officer_problems(route: Route, responses: dict[str, Any]) -> list[str]:
    """SPEC §1: privacy officers and functional admins have no dossiers of their own to read."""
    problems = []
    for role in NO_CASELOAD_ROLES:
        response = responses[role]
        if route.key in OFFICER_ROUTES.get(role, set()) or response.status_code != 200:
            continue
        if MATRIX_MARKER in text_of(response):
            problems.append(f"the {role} is shown the surname of the client")
    return problems
