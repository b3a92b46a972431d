"""Issue 10 (R-PRV): every API write endpoint answers hostile JSON with problem details.

The endpoints come from the router (every POST/PUT/PATCH route) and their request bodies from
the OpenAPI schema (/api/v1/schema/?format=json): a valid body is built from each property's
type (the dossier's objects for references), then some properties are replaced with hostile
values of their type or of another type (lists and objects where a number is expected…), or
the whole body with something that is not an object or not JSON at all.

The answer must be 2xx after a valid write, or 400/404/409 problem details; never a 500. After a
write of markup, the pages of the app that show the dossier hold it escaped (stored XSS).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doorstroom.api.urls import router
from tests.fuzz.hostile import (
    HOSTILE_DATES,
    HOSTILE_NUMBERS,
    SWEEPS,
    carries_markup,
    hostile_date,
    hostile_number,
    hostile_text,
)
from tests.fuzz.pages import assert_escaped, show_pages
from tests.fuzz.world import FuzzWorld, rolled_back

EXAMPLES = int(os.environ.get("FUZZ_API_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
API_OK = {200, 201, 204, 400, 404, 409}

# The dossier object behind a route's own ``{pk}``, by the router's basename.
OBJECT_OF = {
    "client": "client",
    "trajectory": "trajectory",
    "trajectory-dossier": "trajectory",
    "trajectory-end": "trajectory",
    "employer": "employer",
    "workplace": "workplace",
    "placement": "placement",
    "evaluation": "evaluation",
    "development-plan": "plan",
    "instrument-use": "instrument_use",
}
# Routes whose body carries the version of another object than the one in their URL.
VERSION_OF = {"trajectory-dossier-employment-contract": "employment_contract"}
# The dossier object a body's reference property names in the valid body.
REFERENCES = {
    "trajectory": "trajectory",
    "workplace": "free_workplace",
    "employer": "employer",
    "mentor": "mentor",
    "placement": "placement",
    "intake": "intake",
    "municipality": None,
}
# Valid values by property name where the type alone does not say enough (strings without an
# enum); the competence is one of the dossier's POP (tests/evaluations/builders.py CODES).
VALID_BY_NAME: dict[str, Any] = {
    "postcode": "2440",
    "website": "https://groen.test",
    "enterprise_number": "",
    "national_number": "",
    "email": "fuzz@geel.test",
    "competence": "attend-to-detail",
    "hours": "4.0",
    "weekly_hours": "19.0",
    "full_time_weekly_hours": "38.0",
    "months": 3,
    "phone": "0470 12 34 56",
    "days_credited": "0",
    "rva_days": "0",
    "kind": "job_coaching",  # the instrument kind, the only "kind" without an enum
}
WRONG_TYPES = ([], {}, [1, 2], {"a": {"b": [None]}}, None, True, False, "", 0, -1, 1.5, "1")


@dataclass(frozen=True)
class WriteRoute:
    name: str
    basename: str
    method: str
    params: tuple[str, ...]
    lookup: str
    template: str  # "/api/v1/clients/{}/intakes/{}/decide/"

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.name}"


def _template(regex: str) -> str:
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "{}", regex).removeprefix("^").removesuffix("$")
    return "/api/v1/" + path.replace("/?", "/")


def write_routes() -> list[WriteRoute]:
    routes = []
    for pattern in router.urls:
        view: Any = pattern.callback
        for method in view.actions:
            if method in ("post", "put", "patch"):
                routes.append(
                    WriteRoute(
                        name=pattern.name or "",
                        basename=view.initkwargs["basename"],
                        method=method,
                        params=tuple(pattern.pattern.regex.groupindex),
                        lookup=view.cls.lookup_url_kwarg or view.cls.lookup_field,
                        template=_template(pattern.pattern.regex.pattern),
                    )
                )
    return sorted(routes, key=str)


ROUTES = write_routes()
_schema: dict[str, Any] = {}


def schema() -> dict[str, Any]:
    if not _schema:
        response = HttpClient().get("/api/v1/schema/", {"format": "json"})
        assert response.status_code == 200, response.content[:300]
        _schema.update(json.loads(response.content))
    return _schema


def body_schema(route: WriteRoute) -> dict[str, Any]:
    for path, operations in schema()["paths"].items():
        if re.sub(r"\{[^}]+\}", "{}", path) == route.template and route.method in operations:
            content = operations[route.method].get("requestBody", {}).get("content", {})
            return resolve(content.get("application/json", {}).get("schema", {}))
    pytest.fail(f"{route}: no {route.method.upper()} {route.template} in the OpenAPI schema")


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` and a single ``allOf``/``oneOf`` to the schema that says the type."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return resolve(
            {
                **schema()["components"]["schemas"][name],
                **{k: v for k, v in node.items() if k != "$ref"},
            }
        )
    for key in ("allOf", "oneOf", "anyOf"):
        if node.get(key):
            rest = {k: v for k, v in node.items() if k != key}
            return resolve({**node[key][0], **rest})
    return node


def url_of(route: WriteRoute, world: FuzzWorld) -> str:
    kwargs = {}
    for param in route.params:
        key = OBJECT_OF.get(route.basename) if param == route.lookup else param.removesuffix("_pk")
        if key is None or key not in world.dossier:
            pytest.fail(f"{route}: which object of the dossier fills {param!r}? (OBJECT_OF)")
        kwargs[param] = world.dossier[key].pk
    return reverse(f"api:{route.name}", kwargs=kwargs)


# Valid bodies ---------------------------------------------------------------------------------


def valid(node: dict[str, Any], name: str, world: FuzzWorld, version: int) -> Any:
    node = resolve(node)
    if name in REFERENCES:
        key = REFERENCES[name]
        return None if key is None else world.dossier[key].pk
    if name == "version":
        return version
    if name in VALID_BY_NAME and "enum" not in node and node.get("type") != "array":
        return VALID_BY_NAME[name]
    if "enum" in node:
        return next(v for v in node["enum"] if v not in ("", None))
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        return {k: valid(v, k, world, version) for k, v in props.items() if not v.get("readOnly")}
    if kind == "array":
        return [valid(node.get("items", {}), name, world, version)]
    if kind in ("integer", "number"):
        return max(1, node.get("minimum", 1))
    if kind == "boolean":
        return False
    return valid_string(node)


def valid_string(node: dict[str, Any]) -> str:
    fmt = node.get("format")
    if fmt == "date":
        return timezone.localdate().isoformat()
    if fmt == "decimal":
        return "0.50"
    if fmt == "email":
        return "fuzz@geel.test"
    return "Fuzz"[: node.get("maxLength", 4)] or ""


def version_of(route: WriteRoute, world: FuzzWorld) -> int:
    """The version of the object the route writes (the last URL parameter's), else the
    trajectory's (a create names its trajectory)."""
    key = "trajectory"
    if route.params:
        last = route.params[-1]
        key = OBJECT_OF[route.basename] if last == route.lookup else last.removesuffix("_pk")
    key = VERSION_OF.get(route.name, key)
    obj = world.dossier[key]
    obj.refresh_from_db()
    return int(getattr(obj, "version", 1) or 1)


# Hostile values by schema type ------------------------------------------------------------------


def hostile(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    node = resolve(node)
    kind = node.get("type")
    wrong = st.sampled_from(WRONG_TYPES)
    if kind in ("integer", "number"):
        numbers = st.one_of(
            st.integers(min_value=-(2**70), max_value=2**70),
            st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**100, 1e308, -0.0]),
            st.sampled_from(HOSTILE_NUMBERS),
        )
        return st.one_of(numbers, wrong)
    if kind == "array":
        items = hostile(node.get("items", {}))
        return st.one_of(st.lists(items, max_size=4), st.just(list(range(2000))), wrong)
    if kind == "object":
        return st.one_of(wrong, st.dictionaries(hostile_text(), hostile_text(), max_size=3))
    if kind == "boolean":
        return st.one_of(wrong, st.sampled_from(["yes", "on", "\x00"]))
    if node.get("format") == "date":
        return st.one_of(hostile_date(), st.sampled_from(HOSTILE_DATES), wrong)
    if node.get("format") == "decimal":
        return st.one_of(hostile_number(), wrong)
    return st.one_of(hostile_text(), wrong)


def bodies(node: dict[str, Any], base: dict[str, Any]) -> st.SearchStrategy[Any]:
    props = {k: v for k, v in node.get("properties", {}).items() if not v.get("readOnly")}
    names = sorted(props)

    @st.composite
    def mutated(draw: Any) -> Any:
        body = dict(base)
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        for name in chosen:
            if draw(st.integers(0, 9)) == 0:
                body.pop(name, None)  # a required property missing
            else:
                body[name] = draw(hostile(props[name]), label=name)
        return body

    whole = st.sampled_from([[], [base], "body", 42, None, {"": None}, {"\x00": "\x00"}])
    return st.one_of(mutated(), mutated(), mutated(), whole) if names else whole


def swept(node: dict[str, Any], base: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """``base`` with the sweep's value in every property of a category it has a value for."""
    body = dict(base)
    for name, prop in node.get("properties", {}).items():
        category = sweep_category(resolve(prop))
        if category in values:
            body[name] = values[category]
    return body


def sweep_category(prop: dict[str, Any]) -> str | None:
    if prop.get("readOnly"):
        return None
    if "enum" in prop:
        return "choice"
    if prop.get("format") == "date":
        return "date"
    if prop.get("type") in ("integer", "number") or prop.get("format") == "decimal":
        return "number"
    return "text" if prop.get("type") == "string" else None


# The tests -------------------------------------------------------------------------------------


def test_every_write_operation_of_the_schema_is_fuzzed(fuzz_world: FuzzWorld, db: None) -> None:
    """Each POST/PUT/PATCH of the OpenAPI schema is one of the routes fuzzed here."""
    fuzzed = {(r.template, r.method) for r in ROUTES}
    documented = {
        (re.sub(r"\{[^}]+\}", "{}", path), method)
        for path, operations in schema()["paths"].items()
        for method in operations
        if method in ("post", "put", "patch")
    }
    assert documented, "the schema documents no write operation"
    assert documented <= fuzzed, f"not fuzzed: {sorted(documented - fuzzed)}"


def send(http: HttpClient, route: WriteRoute, url: str, body: Any) -> Any:
    payload = body if isinstance(body, bytes) else json.dumps(body)
    return getattr(http, route.method)(url, data=payload, content_type="application/json")


def check(http: HttpClient, route: WriteRoute, url: str, body: Any, world: FuzzWorld) -> None:
    context = f"{route.method.upper()} {url} with {shorten(body)}"
    try:
        response = send(http, route, url, body)
    except Exception as error:  # the test client re-raises what made the view answer 500
        raise AssertionError(f"500 on {context}: {error!r}") from error
    if os.environ.get("FUZZ_LOG"):  # FUZZ_LOG=1 pytest -s: the answers, to see what passes
        print(f"\nFUZZ {response.status_code} {context[:200]} {response.content[:200]!r}")
    assert response.status_code in API_OK, f"{response.status_code} on {context}: " + (
        response.content[:300].decode(errors="replace")
    )
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/problem+json"), context
        problem = response.json()
        assert problem["status"] == response.status_code, (context, problem)
    elif isinstance(body, dict) and carries_markup(body):
        page = HttpClient(headers={"Accept-Language": "en"})
        page.force_login(world.coach)
        assert_escaped(page, show_pages(world), context)


def shorten(body: Any) -> str:
    text = repr(body)
    return text if len(text) < 400 else text[:400] + f"…({len(text)})"


def api_client(world: FuzzWorld) -> HttpClient:
    return HttpClient(
        headers={"Authorization": f"Token {world.keys['coach']}", "Accept-Language": "en"}
    )


MALFORMED = {
    "truncated": b'{"first_name": "An',
    "not-utf-8": b"\xff\xfe\x00{}",
    "nan": b'{"version": NaN, "regime": Infinity}',
    "empty": b"",
}


@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_api_write_refuses_malformed_json_with_a_problem(
    route: WriteRoute, raw: bytes, fuzz_world: FuzzWorld, db: None
) -> None:
    """Not JSON, not UTF-8, NaN or nothing: a 400 problem, never a 500."""
    with rolled_back():
        check(api_client(fuzz_world), route, url_of(route, fuzz_world), raw, fuzz_world)


def test_json_nested_deeper_than_the_parser_goes_is_a_400(fuzz_world: FuzzWorld, db: None) -> None:
    """2,000 nested arrays exhaust Python's recursion limit in the JSON parser: still a 400."""
    raw = b"[" * 2000 + b"]" * 2000
    failures = []
    for route in ROUTES:
        try:
            with rolled_back():
                check(api_client(fuzz_world), route, url_of(route, fuzz_world), raw, fuzz_world)
        except AssertionError as error:
            failures.append(f"{route}: {str(error)[-160:]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_api_write_answers_hostile_json_with_problem_details(
    route: WriteRoute, fuzz_world: FuzzWorld, db: None
) -> None:
    """R-PRV: hostile JSON → 2xx or 400/404/409 problem details; never 500, never stored XSS."""
    url = url_of(route, fuzz_world)
    node = body_schema(route)
    base = valid(node, "", fuzz_world, version_of(route, fuzz_world))
    http = api_client(fuzz_world)
    for values_by_type in SWEEPS.values():  # each category in every property at once
        with rolled_back():
            check(http, route, url, swept(node, base, values_by_type), fuzz_world)
    if os.environ.get("FUZZ_LOG"):  # is the valid body valid?
        with rolled_back():
            check(http, route, url, base, fuzz_world)

    @FUZZ
    @given(body=bodies(node, base))
    def run(body: Any) -> None:
        with rolled_back():
            check(http, route, url, body, fuzz_world)

    run()
