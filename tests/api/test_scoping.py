"""R-PRV-1 for the REST API, generated over the router's URL list (issue 9).

Every route the API router knows is tested here without being named: a coach or team lead of
OCMW B (the outsider) gets 404 for OCMW A's object on every detail route, whatever the method,
and no list shows them any of OCMW A's rows. A new resource joins these tests by itself and
fails until ``OBJECT_OF`` names the object of OCMW A its routes are tested with.

Also here: authentication (no token, a revoked token: 401 with ``WWW-Authenticate: Token``), the
privacy-training rule (403) and a token acting as its user.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from doorstroom.accounts.models import ApiToken, User
from doorstroom.accounts.roles import Role
from doorstroom.accounts.services import api_token_create, api_token_revoke
from doorstroom.api.urls import router
from doorstroom.core.models import AuditEvent
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.factories import member
from tests.world import World, world_for_module

# The object of OCMW A that fills a resource's ``{pk}`` (a key of ``build_dossier``'s dict), by
# the router's basename. ``None``: the resource has no detail route and no id of its own (its
# rows are compared as a whole). A new resource must be added here.
OBJECT_OF: dict[str, str | None] = {
    "client": "client",
    "client-matches": None,
    "trajectory": "trajectory",
    "trajectory-dossier": "trajectory",
    "trajectory-end": "trajectory",
    "deadline": None,
    "development-plan": "plan",
    "evaluation": "evaluation",
    "employer": "employer",
    "workplace": "workplace",
    "placement": "placement",
    "instrument-use": "instrument_use",
}

# A valid body for each route that creates (POST on a list route), by basename: the outsider
# posts it (it names OCMW A's objects) and must be refused, then the owner posts it and must
# succeed. ``None``: the body names nothing of another organisation (e.g. a new client).
CREATE_BODY: dict[str, Callable[[dict[str, Any]], dict[str, Any]] | None] = {
    "client": None,
    "employer": None,
    "workplace": lambda dossier: {
        "employer": dossier["employer"].pk,
        "title": "Magazijnier",
        "dutch_level": "A2",
    },
    "placement": lambda dossier: {
        "trajectory": dossier["trajectory"].pk,
        "workplace": dossier["free_workplace"].pk,
        "kind": "work_experience",
        "start": days_ago(0).isoformat(),
        "regime_steps": [{"start": days_ago(0).isoformat(), "regime": "0.50"}],
    },
    "evaluation": lambda dossier: {
        "trajectory": dossier["trajectory"].pk,
        "kind": "six_monthly",
        "planned_on": days_ago(0).isoformat(),
        "version": fresh(dossier["trajectory"]).version,
    },
    "development-plan": lambda dossier: {
        "trajectory": dossier["trajectory"].pk,
        "drawn_up_on": days_ago(0).isoformat(),
        "goals": ["Zelfstandig werken"],
        "competences": [{"competence": "attend-to-detail", "current_level": 2, "target_level": 3}],
        "version": fresh(dossier["trajectory"]).version,
    },
    "instrument-use": lambda dossier: {
        "trajectory": dossier["trajectory"].pk,
        "kind": "job_coaching",
        "provider": "VDAB Geel",
        "start": days_ago(20).isoformat(),
        "end": days_ago(10).isoformat(),
        "regime": "0.50",
    },
}

# URL parameters of nested routes (``clients/{client_pk}/intakes``) name their parent: the
# parameter without ``parent_lookup_`` and ``_pk``/``_id`` must be a key of the dossier.
PARENT_PREFIXES = ("parent_lookup_",)
PARENT_SUFFIXES = ("_pk", "_id")


# The world (tests/world.py) --------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with world_for_module(django_db_blocker, dossiers=1) as built:
        yield built


# The routes, from the router -------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # the URL name, e.g. "trajectory-detail"
    basename: str
    detail: bool
    lookup: str  # the URL parameter of the object itself on a detail route
    params: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]  # (HTTP method, viewset action)
    template: str  # the path below /api/v1/ with "{}" for each parameter

    def __str__(self) -> str:
        return self.name

    @property
    def methods(self) -> list[str]:
        return [method for method, _action in self.actions]

    @property
    def is_list(self) -> bool:
        return not self.detail and "get" in self.methods


def template_of(regex: str) -> str:
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "{}", regex).removeprefix("^").removesuffix("$")
    return path.replace("/?", "/")


def api_routes() -> list[Route]:
    routes = []
    for pattern in router.urls:
        view: Any = pattern.callback  # DRF's view function, with cls, initkwargs, actions
        cls = view.cls
        routes.append(
            Route(
                name=pattern.name or "",
                basename=view.initkwargs["basename"],
                detail=bool(view.initkwargs.get("detail")),
                lookup=cls.lookup_url_kwarg or cls.lookup_field,
                params=tuple(pattern.pattern.regex.groupindex),
                actions=tuple(view.actions.items()),
                template=template_of(pattern.pattern.regex.pattern),
            )
        )
    return routes


ROUTES = api_routes()
DETAIL_ROUTES = [r for r in ROUTES if r.detail]
LIST_ROUTES = [r for r in ROUTES if r.is_list]
CREATE_ROUTES = [r for r in ROUTES if not r.detail and "post" in r.methods]
OUTSIDERS = ["coach", "team_lead"]


def parent_key(param: str) -> str:
    name = param
    for prefix in PARENT_PREFIXES:
        name = name.removeprefix(prefix)
    for suffix in PARENT_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def object_key(route: Route) -> str | None:
    if route.basename not in OBJECT_OF:
        pytest.fail(
            f"The API registers the resource {route.basename!r} (route {route.name}), but "
            f"tests/api/test_scoping.py does not know which object of OCMW A to test it with: "
            f"add {route.basename!r} to OBJECT_OF (and build the object in build_dossier) so "
            f"that its scoping is tested."
        )
    return OBJECT_OF[route.basename]


def url_of(route: Route, dossier: dict[str, Any]) -> str:
    """The route's URL for OCMW A's objects of ``dossier``."""
    kwargs: dict[str, Any] = {}
    key = object_key(route)
    for param in route.params:
        name = key if route.detail and param == route.lookup else parent_key(param)
        if name is None or name not in dossier:
            pytest.fail(
                f"Route {route.name} has the URL parameter {param!r}, but the dossier of "
                f"tests/api/test_scoping.py has no object {name!r} for it: build it in "
                f"build_dossier (or map the basename in OBJECT_OF)."
            )
        kwargs[param] = dossier[name].pk
    return reverse(f"api:{route.name}", kwargs=kwargs)


def api(user_key: str, language: str = "nl") -> HttpClient:
    return HttpClient(headers={"Authorization": f"Token {user_key}", "Accept-Language": language})


def send(http: HttpClient, method: str, url: str) -> Any:
    if method in ("get", "head", "options"):
        return getattr(http, method)(url)
    return getattr(http, method)(url, data="{}", content_type="application/json")


def problem(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    body = response.json()
    assert {"type", "title", "status"} <= set(body), body
    assert body["status"] == response.status_code
    return body


def rows_of(payload: Any) -> list[Any]:
    if isinstance(payload, dict) and isinstance(payload.get("results"), list):
        return payload["results"]
    if isinstance(payload, list):
        return payload
    return [payload]


def row_key(row: Any) -> str:
    if isinstance(row, dict) and "id" in row:
        return f"id={row['id']}"
    return json.dumps(row, sort_keys=True, default=str)


# The generated tests -----------------------------------------------------------------------


def test_the_router_has_routes_to_test() -> None:
    assert DETAIL_ROUTES, "no detail route found in doorstroom.api.urls.router"
    assert LIST_ROUTES, "no list route found in doorstroom.api.urls.router"


@pytest.mark.parametrize("route", DETAIL_ROUTES, ids=str)
def test_r_prv_1_a_detail_of_ocmw_a_is_404_for_an_outsider(
    route: Route, world: World, db: None
) -> None:
    url = url_of(route, world.dossier)
    if "get" in route.methods:
        response = api(world.key(world.owner)).get(url)
        assert response.status_code == 200, (route.name, response.content[:500])
    for who in OUTSIDERS:
        outsider = api(world.key(world.outsiders[who]))
        for method in route.methods:
            response = send(outsider, method, url)
            assert response.status_code == 404, (
                f"{method.upper()} {url} as a {who} of another OCMW answered "
                f"{response.status_code}, not 404: {response.content[:300]!r}"
            )
            assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("route", LIST_ROUTES, ids=str)
def test_r_prv_1_a_list_never_shows_an_outsider_rows_of_ocmw_a(
    route: Route, world: World, db: None
) -> None:
    url = url_of(route, world.dossier)
    response = api(world.key(world.owner)).get(url, {"page_size": 200})
    assert response.status_code == 200, (route.name, response.content[:500])
    owners = {row_key(row) for row in rows_of(response.json())}
    assert owners, f"{url}: the owner sees nothing, so the test proves nothing (extend the dossier)"
    key = object_key(route)
    if key is not None and route.basename == route.name.removesuffix("-list"):
        assert f"id={world.dossier[key].pk}" in owners, f"{url}: OCMW A's {key} is not listed"
    nested = bool(route.params)
    for who in OUTSIDERS:
        response = api(world.key(world.outsiders[who])).get(url, {"page_size": 200})
        if nested and response.status_code == 404:
            continue  # the parent is out of scope: fine
        assert response.status_code == 200, (who, route.name, response.content[:500])
        leaked = owners & {row_key(row) for row in rows_of(response.json())}
        assert not leaked, f"{url} shows a {who} of another OCMW rows of OCMW A: {leaked}"


@pytest.mark.parametrize("route", CREATE_ROUTES, ids=str)
def test_r_prv_1_an_outsider_cannot_create_on_objects_of_ocmw_a(
    route: Route, world: World, db: None
) -> None:
    if route.basename not in CREATE_BODY:
        pytest.fail(
            f"The API creates through {route.name}, but tests/api/test_scoping.py has no body "
            f"for it: add {route.basename!r} to CREATE_BODY (a valid body naming OCMW A's "
            f"objects, or None when it names none) so that its scoping is tested."
        )
    make_body = CREATE_BODY[route.basename]
    if make_body is None:
        return
    url = url_of(route, world.dossier)
    body = json.dumps(make_body(world.dossier), default=str)
    for who in OUTSIDERS:
        response = api(world.key(world.outsiders[who])).post(
            url, body, content_type="application/json"
        )
        assert response.status_code in (400, 404), (
            f"POST {url} naming OCMW A's objects as a {who} of another OCMW answered "
            f"{response.status_code}: {response.content[:300]!r}"
        )
        problem(response)
    created = api(world.key(world.owner)).post(url, body, content_type="application/json")
    assert created.status_code == 201, (
        f"the body in CREATE_BODY[{route.basename!r}] is not valid for the owner: "
        f"{created.content[:500]!r}"
    )


# Authentication, privacy training, a token acting as its user ------------------------------


@pytest.mark.parametrize("route", LIST_ROUTES[:1] + DETAIL_ROUTES[:1], ids=str)
def test_without_a_token_the_api_answers_401_with_www_authenticate(
    route: Route, world: World, db: None
) -> None:
    response = HttpClient().get(url_of(route, world.dossier))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    problem(response)


@pytest.mark.parametrize(
    "header", ["Token not-a-real-key", "Token", "Token a b", "Token \u00e9\u00e9n"], ids=repr
)
def test_a_wrong_token_is_401(header: str, world: World, db: None) -> None:
    http = HttpClient(headers={"Authorization": header})
    response = http.get(reverse("api:trajectory-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    problem(response)


def test_a_revoked_token_is_401(world: World, db: None) -> None:
    token, key = api_token_create(world.owner, name="to revoke", by=world.owner)
    url = reverse("api:trajectory-list")
    assert api(key).get(url).status_code == 200
    api_token_revoke(token, by=world.owner)
    response = api(key).get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    problem(response)


def test_the_token_of_a_deactivated_user_is_401(world: World, db: None) -> None:
    User.objects.filter(pk=world.owner.pk).update(is_active=False)
    response = api(world.key(world.owner)).get(reverse("api:trajectory-list"))
    assert response.status_code == 401


def test_r_prv_2_without_privacy_training_the_api_answers_403(world: World, db: None) -> None:
    organisation = world.owner.primary_organisation
    assert organisation is not None
    newcomer = member(organisation, Role.COACH, privacy_training_date=None)
    _token, key = api_token_create(newcomer, name="tests", by=newcomer)
    response = api(key).get(reverse("api:trajectory-list"))
    assert response.status_code == 403
    body = problem(response)
    assert "privacy" in body["title"].lower() + body.get("detail", "").lower()
    # a training recorded for later does not count yet
    newcomer.privacy_training_date = timezone.localdate() + datetime.timedelta(days=1)
    newcomer.save(update_fields=["privacy_training_date"])
    assert api(key).get(reverse("api:trajectory-list")).status_code == 403


def test_a_token_acts_with_its_users_scope(world: World, db: None) -> None:
    url = reverse("api:trajectory-list")
    for user in (world.owner, *world.outsiders.values()):
        response = api(world.key(user)).get(url, {"page_size": 200})
        assert response.status_code == 200
        listed = {row["id"] for row in response.json()["results"]}
        assert listed == set(Trajectory.objects.visible_to(user).values_list("pk", flat=True))
    # the token's use is recorded on the token
    token = ApiToken.objects.get(user=world.owner, name="tests")
    assert token.last_used_at is not None


def test_a_write_through_a_token_is_audited_as_its_user(world: World, db: None) -> None:
    trajectory = make_trajectory(world.owner, start=days_ago(30))
    response = api(world.key(world.owner)).post(
        reverse("api:trajectory-stop", args=[trajectory.pk]),
        data={
            "on": days_ago(0).isoformat(),
            "reason": "drop_out",
            "motivation": "Niet meer bereikbaar",
            "version": fresh(trajectory).version,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "stopped"
    event = AuditEvent.objects.get(action="trajectories.trajectory.stopped")
    assert event.actor == world.owner
