"""Hardening (issue #10): rate limits, no user enumeration, security headers, CSP-safe templates.

Rates are set low per test through the settings; each test runs in its own transaction, so the
counters (core.RateCounter) start at zero.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doorstroom.accounts.models import User
from doorstroom.core import ratelimit
from doorstroom.core.models import RateCounter
from tests.api.test_dossiers import Api, url
from tests.core.test_settings import PRODUCTION
from tests.dossiers import days_ago, make_trajectory
from tests.evaluations.builders import make_pop, place_with_mentor, plan_evaluation
from tests.evaluations.test_mentor_link import send_link

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
ENGLISH = {"doorstroom_language": "en"}


def english_client() -> Client:
    client = Client()
    client.cookies.load(ENGLISH)
    return client


# --- Rate limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "window"),
    [("30/10m", 30, 600), ("5/h", 5, 3600), ("600/min", 600, 60), ("0/h", 0, 3600)],
)
def test_a_rate_is_read_from_its_short_notation(text: str, limit: int, window: int) -> None:
    assert ratelimit.Rate.parse(text) == ratelimit.Rate(limit, window)


@pytest.mark.parametrize("text", ["", "30", "thirty/m", "30/10y"])
def test_a_malformed_rate_is_a_configuration_error(text: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        ratelimit.Rate.parse(text)


def test_the_counters_hold_no_address_in_clear() -> None:
    ratelimit.hit("password-reset-address", "an@ocmw.test", ratelimit.Rate(5, 60))
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert keys
    assert not any("an@ocmw.test" in key for key in keys)


def test_a_counter_counts_each_hit_and_refuses_past_the_rate() -> None:
    rate = ratelimit.Rate(3, 600)
    verdicts = [ratelimit.hit("link", "192.0.2.7", rate) for _ in range(4)]
    assert [verdict.allowed for verdict in verdicts] == [True, True, True, False]
    assert 1 <= verdicts[-1].retry_after <= 600
    assert RateCounter.objects.get().hits == 4  # one row per key and window
    assert ratelimit.hit("link", "192.0.2.8", rate).allowed  # another address: its own count


def test_a_hit_is_one_statement_and_a_new_window_clears_the_ended_ones(
    django_assert_num_queries: Any,
) -> None:
    RateCounter.objects.create(key="link:old:1", hits=30, expires=1)  # a window long over
    rate = ratelimit.Rate(30, 600)
    with django_assert_num_queries(2):  # the count, and (first hit of a window) the clean-up
        ratelimit.hit("link", "192.0.2.7", rate)
    assert not RateCounter.objects.filter(key="link:old:1").exists()
    with django_assert_num_queries(1):
        ratelimit.hit("link", "192.0.2.7", rate)
    assert RateCounter.objects.get().hits == 2


def test_a_new_window_starts_the_count_again_and_clears_the_one_that_ended(
    monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    rate = ratelimit.Rate(2, 60)
    start = ratelimit.clock()  # pinned by tests/conftest.py, 30 s into a minute
    assert [ratelimit.hit("api", "user:1", rate).allowed for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("api", "user:1", rate).retry_after == 30
    monkeypatch.setattr(ratelimit, "clock", lambda: start + 29.5)  # still the same minute
    assert not ratelimit.hit("api", "user:1", rate).allowed
    monkeypatch.setattr(ratelimit, "clock", lambda: start + 30)  # the next minute
    with django_assert_num_queries(2):  # the count, and the clean-up of the minute that ended
        verdict = ratelimit.hit("api", "user:1", rate)
    assert (verdict.allowed, verdict.retry_after) == (True, 60)
    assert RateCounter.objects.get().hits == 1
    with django_assert_num_queries(1):
        assert ratelimit.hit("api", "user:1", rate).allowed


LINK_PAGES = ["evaluations:mentor", "evaluations:feedback", "plans:mine"]


@pytest.mark.parametrize("name", LINK_PAGES)
def test_a_link_page_answers_429_in_dutch_after_too_many_requests(name: str, settings: Any) -> None:
    settings.DOORSTROOM_RATELIMIT_LINKS = "3/10m"
    client = english_client()  # the link pages are Dutch whatever the visitor chose
    path = reverse(name, args=["not-a-real-token"])
    for _ in range(3):
        assert client.get(path).status_code == 404
    response = client.get(path)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert 'lang="nl-BE"' in html
    assert 'data-testid="too-many-requests"' in html
    assert "INVALID[" not in html


def test_the_link_limit_counts_every_link_page_per_address(settings: Any) -> None:
    settings.DOORSTROOM_RATELIMIT_LINKS = "3/10m"
    client = Client()
    for name in LINK_PAGES:
        client.get(reverse(name, args=["guess"]))
    assert client.get(reverse("plans:mine", args=["guess"])).status_code == 429
    # another address is not affected
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get(reverse("plans:mine", args=["guess"])).status_code == 404


def test_a_valid_link_is_limited_too(settings: Any, owner: User) -> None:
    settings.DOORSTROOM_RATELIMIT_LINKS = "2/10m"
    trajectory = make_trajectory(owner, start=days_ago(200))
    make_pop(trajectory, owner)
    placement = place_with_mentor(trajectory, owner)
    path = send_link(plan_evaluation(trajectory, owner, placement=placement), owner)
    client = Client()
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 429


def test_a_rate_of_zero_switches_the_link_limit_off(settings: Any) -> None:
    settings.DOORSTROOM_RATELIMIT_LINKS = "0/10m"
    client = Client()
    for _ in range(5):
        assert client.get(reverse("evaluations:mentor", args=["x"])).status_code == 404


def test_password_reset_is_limited_per_ip(settings: Any, owner: User) -> None:
    settings.DOORSTROOM_RATELIMIT_PASSWORD_RESET_IP = "3/h"
    client = english_client()
    path = reverse("accounts:password-reset")
    for n in range(3):
        assert client.post(path, {"email": f"someone{n}@nergens.test"}).status_code == 302
    response = client.post(path, {"email": owner.email})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert not mail.outbox  # the blocked request sent nothing
    # another address can still ask
    other = Client(REMOTE_ADDR="192.0.2.8")
    assert other.post(path, {"email": owner.email}).status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("known", [True, False])
def test_password_reset_is_limited_per_address_known_or_not(
    settings: Any, owner: User, known: bool
) -> None:
    settings.DOORSTROOM_RATELIMIT_PASSWORD_RESET_ADDRESS = "2/h"
    address = owner.email if known else "niemand@nergens.test"
    path = reverse("accounts:password-reset")
    answers = [
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(path, {"email": address.upper()}).status_code
        for n in range(1, 4)
    ]
    assert answers == [302, 302, 429]  # the same for a known and an unknown address
    assert len(mail.outbox) == (2 if known else 0)


def test_a_get_of_the_reset_form_is_not_counted(settings: Any) -> None:
    settings.DOORSTROOM_RATELIMIT_PASSWORD_RESET_IP = "1/h"
    client = Client()
    for _ in range(3):
        assert client.get(reverse("accounts:password-reset")).status_code == 200


def test_the_api_answers_429_problem_details_after_too_many_requests(
    settings: Any, owner: User, teammate: User
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "3/min"},
    }
    api = Api(owner, "en")
    for _ in range(3):
        assert api.get(url("trajectory-list")).status_code == 200
    response = api.get(url("trajectory-list"))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["status"] == 429
    assert body["title"]
    # per user: a colleague's budget is their own
    assert Api(teammate, "en").get(url("trajectory-list")).status_code == 200


def test_the_api_throttle_is_per_user_not_per_token(settings: Any, owner: User) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "2/min"},
    }
    assert Api(owner).get(url("trajectory-list")).status_code == 200
    assert Api(owner).get(url("trajectory-list")).status_code == 200
    assert Api(owner).get(url("trajectory-list")).status_code == 429  # a new token: same user


def test_the_api_throttle_costs_one_statement_per_request(owner: User) -> None:
    api = Api(owner)
    assert api.get(url("trajectory-list")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url("trajectory-list")).status_code == 200
    counting = [q["sql"] for q in queries if RateCounter._meta.db_table in q["sql"]]
    assert len(counting) == 1, counting  # the upsert; no read, cull check or transaction
    assert RateCounter.objects.get().hits == 2


@pytest.mark.parametrize(("rate", "answers"), [("0/min", [200] * 4), ("2/10m", [200, 200, 429])])
def test_the_api_rate_uses_the_same_notation(
    settings: Any, owner: User, rate: str, answers: list[int]
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": rate}}
    api = Api(owner)
    assert [api.get(url("trajectory-list")).status_code for _ in answers] == answers


# --- No user enumeration -------------------------------------------------------------------


def _without_csrf(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'name="username" value="[^"]*"', "", html)


def test_login_answers_the_same_for_an_unknown_address_and_a_wrong_password(
    owner: User,
) -> None:
    path = reverse("accounts:login")
    known = english_client().post(path, {"username": owner.email, "password": "wrong-password"})
    unknown = english_client().post(
        path, {"username": "niemand@nergens.test", "password": "wrong-password"}
    )
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    assert _without_csrf(known.content.decode()) == _without_csrf(unknown.content.decode())
    assert "do not match" in known.content.decode()


def test_login_answers_the_same_for_a_deactivated_account(owner: User) -> None:
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    path = reverse("accounts:login")
    inactive = english_client().post(path, {"username": owner.email, "password": PASSWORD})
    unknown = english_client().post(
        path, {"username": "niemand@nergens.test", "password": PASSWORD}
    )
    assert inactive.status_code == unknown.status_code == 200
    assert inactive.context["form"].errors == unknown.context["form"].errors


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(owner: User) -> None:
    path = reverse("accounts:password-reset")
    known = english_client().post(path, {"email": owner.email}, follow=True)
    unknown = english_client().post(path, {"email": "niemand@nergens.test"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert _without_csrf(known.content.decode()) == _without_csrf(unknown.content.decode())
    assert len(mail.outbox) == 1  # only the real account gets a mail
    assert mail.outbox[0].to == [owner.email]


# --- Security headers ----------------------------------------------------------------------

_PRODUCTION_SETTINGS = [
    "MIDDLEWARE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CONTENT_SECURITY_POLICY",
    "DOORSTROOM_PERMISSIONS_POLICY",
    "DOORSTROOM_CROSS_ORIGIN_RESOURCE_POLICY",
]


@pytest.fixture(scope="module")
def production_settings() -> dict[str, Any]:
    """The security settings exactly as config/settings.py computes them in production."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {_PRODUCTION_SETTINGS!r}}}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(  # noqa: S603  (our own settings, fixed arguments, no shell)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_production_sends_every_security_header(
    production_settings: dict[str, Any], settings: Any
) -> None:
    for name, value in production_settings.items():
        setattr(settings, name, value)
    client = english_client()
    plain = client.get(reverse("accounts:login"))
    assert plain.status_code == 301  # HTTPS only
    assert plain["Location"].startswith("https://")
    response = client.get(reverse("accounts:login"), secure=True)
    assert response.status_code == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    for cookie in response.cookies.values():
        assert cookie["secure"], cookie.key


def test_the_extra_headers_are_on_api_answers_too(owner: User) -> None:
    response = Api(owner).get(url("trajectory-list"))
    assert response.status_code == 200
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Templates without inline script (CSP script-src 'self') ------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "doorstroom").glob("*/templates"))]
_TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE | re.DOTALL)
_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\-][\w:\-]*)\s*=", re.IGNORECASE)
_JS_URL = re.compile(r"javascript\s*:", re.IGNORECASE)


def csp_violations(path: Path) -> list[str]:
    """What in one template would need 'unsafe-inline' (or is a javascript: URL)."""
    text = path.read_text(encoding="utf-8")
    found = [f"inline <script> on line {_line(text, m)}" for m in _INLINE_SCRIPT.finditer(text)]
    for tag in _TAG.finditer(text):
        for handler in _HANDLER.finditer(tag.group(0)):
            found.append(f"event handler {handler.group(1)}= on line {_line(text, tag)}")
    found += [f"javascript: URL on line {_line(text, m)}" for m in _JS_URL.finditer(text)]
    return found


def _line(text: str, match: re.Match[str]) -> int:
    return text.count("\n", 0, match.start()) + 1


def test_no_template_has_inline_script_handlers_or_javascript_urls() -> None:
    problems = {
        str(path.relative_to(ROOT)): found
        for folder in TEMPLATE_DIRS
        for path in sorted(folder.rglob("*.html"))
        if (found := csp_violations(path))
    }
    assert not problems, "templates that break the CSP (script-src 'self'): " + json.dumps(
        problems, indent=2
    )


_INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
PDF_TEMPLATES = ROOT / "templates" / "documents"  # rendered by WeasyPrint, never by a browser


def test_no_page_template_has_inline_styles() -> None:
    """CSP style-src 'self': a style attribute or a style element would be ignored by browsers."""
    problems = [
        f"{path.relative_to(ROOT)} line {_line(text, match)}"
        for folder in TEMPLATE_DIRS
        for path in sorted(folder.rglob("*.html"))
        if not path.is_relative_to(PDF_TEMPLATES)
        for text in [path.read_text(encoding="utf-8")]
        for match in _INLINE_STYLE.finditer(text)
    ]
    assert not problems, "inline styles break the CSP (style-src 'self'): " + ", ".join(problems)


def test_the_template_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<script src="/static/a.js"></script>\n'
        "<script>alert(1)</script>\n"
        '<button type="button"\n onclick="go()">x</button>\n'
        '<a href="JavaScript:void(0)">y</a>\n'
        '<div hx-on:click="x()"></div>\n'
        "<p>Drop-off on=time is text, not a handler.</p>\n",
        encoding="utf-8",
    )
    assert csp_violations(bad) == [
        "inline <script> on line 2",
        "event handler onclick= on line 3",
        "event handler hx-on:click= on line 6",
        "javascript: URL on line 5",
    ]


# --- Where to report a vulnerability (RFC 9116) -------------------------------------------


def test_security_txt_names_the_installation_s_contact_without_a_login(client: Client) -> None:
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Contact: mailto:security@ocmw-geel.test" in lines  # tests/conftest.py
    assert any(line.startswith("Expires: ") for line in lines)
    assert "Preferred-Languages: nl, en" in lines


def test_without_a_security_contact_there_is_no_security_txt_and_the_deploy_check_warns(
    client: Client, settings: Any
) -> None:
    from django.core.checks import run_checks

    settings.DOORSTROOM_SECURITY_CONTACT = []
    assert client.get("/.well-known/security.txt").status_code == 404
    warnings = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "doorstroom.W001" in warnings
    settings.DOORSTROOM_SECURITY_CONTACT = ["mailto:security@ocmw-geel.test"]
    assert "doorstroom.W001" not in [m.id for m in run_checks(include_deployment_checks=True)]
