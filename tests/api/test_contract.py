"""The REST API's contract (issue 9): the OpenAPI schema and its docs page, errors as problem
details in the caller's language, list query counts constant in the page size (generated over
the router's list routes, like the scoping tests), and the personal tokens — made on the profile
page or with ``manage.py create_api_token``."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from drf_spectacular.validation import validate_schema
from rest_framework import exceptions, serializers

from doorstroom.accounts.models import ApiToken, User
from doorstroom.api.urls import router
from doorstroom.core.models import AuditEvent
from tests.api.test_scoping import (
    LIST_ROUTES,
    ROUTES,
    Route,
    World,
    api,
    problem,
    rows_of,
    template_of,
    url_of,
    world_for_module,
)

ROWS = 10  # the list tests compare page_size=2 with page_size=ROWS


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    # one dossier more than a page, so that every list has more than ROWS rows
    with world_for_module(django_db_blocker, dossiers=ROWS + 1) as built:
        yield built


# The schema and the docs -------------------------------------------------------------------


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    response = HttpClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    data: dict[str, Any] = response.json()
    return data


def normalised(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_schema_is_valid_openapi_3_json(schema: dict[str, Any]) -> None:
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # against the OpenAPI 3 JSON Schema that drf-spectacular ships
    assert any("Token" in s.get("description", "") for s in schema_security(schema))


def schema_security(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return list(schema.get("components", {}).get("securitySchemes", {}).values())


def test_the_schema_has_every_registered_prefix(schema: dict[str, Any]) -> None:
    paths = [normalised(p) for p in schema["paths"]]
    for prefix, _viewset, basename in router.registry:
        below = f"/api/v1/{template_of(prefix)}/"
        assert any(p.startswith(below) for p in paths), f"{basename}: nothing under {below}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_the_schema_has_every_route_with_its_methods(route: Route, schema: dict[str, Any]) -> None:
    paths = {normalised(p): item for p, item in schema["paths"].items()}
    template = f"/api/v1/{route.template}"
    assert template in paths, f"{route.name}: {template} is not in the schema"
    for method in route.methods:
        assert method in paths[template], f"{route.name}: {method.upper()} is not in the schema"


def test_every_operation_documents_its_errors_as_problem_details(schema: dict[str, Any]) -> None:
    # "Every endpoint, request body, response and error is in the schema" (issue 9): an
    # undocumented error status is also one schemathesis cannot check.
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            wanted = {"401", "403"} | ({"404"} if "{" in path else set())
            if method != "get":
                wanted.add("400")
            for code in sorted(wanted):
                content = operation["responses"].get(code, {}).get("content", {})
                if "application/problem+json" not in content:
                    missing.append(f"{method.upper()} {path} {code}")
    assert not missing, f"errors not documented as problem details: {missing}"


def test_the_docs_page_renders_from_local_static_files(db: None) -> None:
    http = HttpClient()
    response = http.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="swagger-ui"' in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the docs page loads from a CDN"
    assets = [unescape(a) for a in re.findall(r"(?:src|href)=\"(/[^\"]+)\"", html)]
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    texts = [html]
    for asset in assets:
        served = http.get(asset)
        assert served.status_code == 200, asset
        if hasattr(served, "streaming_content"):
            body = b"".join(served.streaming_content)  # also closes the file
        else:
            body = served.content
        if not asset.startswith("/static/"):
            texts.append(body.decode())  # e.g. the initialising script of Swagger UI
    assert any("/api/v1/schema/" in text for text in texts), "the docs do not load the schema"


def test_the_docs_page_runs_under_the_content_security_policy(db: None) -> None:
    # The CSP allows scripts from 'self' only: an inline script without the nonce is blocked
    # by the browser, and Swagger UI then never starts (a blank page).
    response = HttpClient().get("/api/v1/docs/")
    policy = response["Content-Security-Policy"]
    scripts = re.findall(r"<script\b([^>]*)>", response.content.decode())
    if "'unsafe-inline'" in policy:
        return
    inline = [attrs for attrs in scripts if "src=" not in attrs and "nonce=" not in attrs]
    assert not inline, f"inline <script> blocked by the CSP ({policy!r}): {inline}"


# Errors: problem details in the language of Accept-Language ---------------------------------


def english_and_dutch(message: Any) -> tuple[str, str]:
    with translation.override("en"):
        english = str(message)
    with translation.override("nl-be"):
        dutch = str(message)
    return english, dutch


@pytest.mark.parametrize(
    ("accept", "language"),
    [(None, "nl"), ("nl-BE,nl;q=0.9", "nl"), ("en-GB,en;q=0.9", "en"), ("fr-BE", "nl")],
)
def test_errors_are_problem_details_in_the_language_asked(
    accept: str | None, language: str, world: World, db: None
) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    # 401 without a token
    anonymous = HttpClient(headers=headers).get(reverse("api:trajectory-list"))
    assert anonymous.status_code == 401
    english, dutch = english_and_dutch(exceptions.NotAuthenticated.default_detail)
    assert english != dutch
    assert problem(anonymous)["detail"] == (english if language == "en" else dutch)

    http = HttpClient(headers={"Authorization": f"Token {world.key(world.owner)}", **headers})
    # 400 with the field errors
    trajectory = world.dossier["trajectory"]
    invalid = http.post(
        reverse("api:trajectory-stop", args=[trajectory.pk]), "{}", content_type="application/json"
    )
    assert invalid.status_code == 400
    body = problem(invalid)
    english, dutch = english_and_dutch(serializers.Field.default_error_messages["required"])
    assert english != dutch
    assert body["errors"]["reason"] == [english if language == "en" else dutch]
    assert "motivation" in body["errors"]

    # 404: the same answer for an id that does not exist as for one out of scope
    missing = http.get(reverse("api:trajectory-detail", args=[10**9]))
    assert missing.status_code == 404
    assert problem(missing)["title"]

    # 405 keeps its Allow header
    not_allowed = http.delete(reverse("api:trajectory-detail", args=[trajectory.pk]))
    assert not_allowed.status_code == 405
    problem(not_allowed)
    assert "GET" in not_allowed["Allow"]


def test_the_titles_of_problems_are_translated(world: World, db: None) -> None:
    url = reverse("api:trajectory-detail", args=[10**9])
    key = world.key(world.owner)
    dutch = problem(api(key, "nl").get(url))
    english = problem(api(key, "en").get(url))
    assert english["title"] == "Not found"
    assert dutch["title"] != english["title"], "the API's own messages lack a Dutch translation"


# Query counts: constant in the page size, for every list route -----------------------------


def sql_of(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("route", LIST_ROUTES, ids=str)
def test_a_list_makes_as_many_queries_for_10_rows_as_for_2(
    route: Route, world: World, db: None
) -> None:
    url = url_of(route, world.dossier)
    http = api(world.key(world.owner))
    warm = http.get(url, {"page_size": ROWS})  # caches, the token's last use
    assert warm.status_code == 200, warm.content[:500]
    assert len(rows_of(warm.json())) == ROWS, (
        f"{url} lists fewer than {ROWS} rows for the owner: extend build_dossier so that the "
        f"query count is compared over a full page"
    )
    counted: dict[int, list[str]] = {}
    for size in (2, ROWS):
        with CaptureQueriesContext(connection) as captured:
            response = http.get(url, {"page_size": size})
        assert response.status_code == 200
        assert len(rows_of(response.json())) == size
        counted[size] = sql_of(captured)
    few, many = counted[2], counted[ROWS]
    extra = [sql for sql in many if sql not in few][:5]
    assert len(few) == len(many), (
        f"{url}: {len(few)} queries for 2 rows, {len(many)} for {ROWS} (N+1). New: {extra}"
    )


# Tokens: the profile page and the command --------------------------------------------------


def created_key(html: str, token: ApiToken) -> str:
    found = re.findall(re.escape(token.prefix) + r"[A-Za-z0-9_\-]{30,}", html)
    assert found, "the new key is not shown"
    return found[0]


def test_the_profile_page_creates_lists_and_revokes_a_token(world: World, db: None) -> None:
    owner = world.owner
    browser = HttpClient()
    browser.force_login(owner)
    profile = reverse("accounts:profile")

    created = browser.post(profile, {"name": "Rapportage-script"}, follow=True)
    assert created.status_code == 200
    token = ApiToken.objects.get(user=owner, name="Rapportage-script")
    key = created_key(created.content.decode(), token)
    assert api(key).get(reverse("api:trajectory-list")).status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.api_token.created", actor=owner, changes__prefix=token.prefix
    ).exists()

    # shown once: the list has the name and the prefix, never the key again
    listed = browser.get(profile).content.decode()
    assert "Rapportage-script" in listed
    assert token.prefix in listed
    assert key not in listed

    revoked = browser.post(profile, {"revoke": token.pk}, follow=True)
    assert revoked.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api(key).get(reverse("api:trajectory-list")).status_code == 401
    assert AuditEvent.objects.filter(action="accounts.api_token.revoked", actor=owner).exists()


def test_the_profile_page_refuses_a_nameless_token_and_revokes_only_ones_own(
    world: World, db: None
) -> None:
    browser = HttpClient()
    browser.force_login(world.owner)
    profile = reverse("accounts:profile")
    before = ApiToken.objects.count()
    browser.post(profile, {"name": "   "})
    assert ApiToken.objects.count() == before

    someone_else = ApiToken.objects.get(user=world.outsiders["coach"])
    browser.post(profile, {"revoke": someone_else.pk})
    someone_else.refresh_from_db()
    assert someone_else.revoked_at is None


def test_create_api_token_prints_a_key_that_works(world: World, db: None) -> None:
    out = io.StringIO()
    call_command("create_api_token", world.owner.email.upper(), "--name", "import", stdout=out)
    key = out.getvalue().strip()
    assert "\n" not in key
    response = api(key).get(reverse("api:trajectory-list"))
    assert response.status_code == 200
    assert response.json()["count"] == ROWS + 1
    assert ApiToken.objects.filter(user=world.owner, name="import").count() == 1
    assert AuditEvent.objects.filter(action="accounts.api_token.created", actor=world.owner)


def test_create_api_token_refuses_an_unknown_or_inactive_user(world: World, db: None) -> None:
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody@example.test", stdout=io.StringIO())
    User.objects.filter(pk=world.owner.pk).update(is_active=False)
    with pytest.raises(CommandError):
        call_command("create_api_token", world.owner.email, stdout=io.StringIO())
