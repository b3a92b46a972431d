"""Issue 10 (R-PRV): query parameters that views read themselves answer hostile values calmly.

The form fuzz tests submit what a page's forms hold; some views also read a query parameter
of their own (``?offer=``, ``?months=``, ``?v=``…), outside any form. Each one here (found with
``grep -rn 'isdigit()' doorstroom``) gets hostile values: a digit that ``int()`` refuses
(``"²".isdigit()`` is True), 5,000 digits (past Python's int conversion limit), a NUL, markup
and a number far out of range. The answer is a page, a redirect or a 404; never a 500, and
never the markup unescaped.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.fuzz.hostile import MARKUP, raw_markup_in
from tests.fuzz.world import FuzzWorld, rolled_back

VALUES = ("²", "9" * 5_000, "1\x00", MARKUP[1], "99999999999999999999", "-1")
OK = {200, 302, 400, 404}

# (URL name, dossier object of its pk or None, query parameter, role)
UI_PARAMETERS = [
    ("plans:detail", "trajectory", "v", "coach"),
    ("employers:agreement_add", "employer", "trajectory", "coach"),
    ("employers:placement_start", "trajectory", "workplace", "coach"),
    ("instruments:tryout_start", "trajectory", "offer", "coach"),
    ("clients:create", None, "referral", "coach"),
    ("reports:followup", "trajectory", "months", "coach"),
    ("reports:icf-rate", "trajectory", "evaluation", "coach"),
    ("monitoring:dashboard", None, "organisation", "team_lead"),
    ("monitoring:financing-statement", None, "organisation", "team_lead"),
]
API_PARAMETERS = [
    ("api:trajectory-list", "client"),
    ("api:deadline-list", "trajectory"),
]


def get(http: HttpClient, url: str, param: str, value: str) -> Any:
    try:
        return http.get(url, {param: value})
    except Exception as error:  # the test client re-raises what made the view answer 500
        raise AssertionError(f"500 on GET {url}?{param}={value[:40]!r}: {error!r}") from error


@pytest.mark.parametrize(("name", "key", "param", "role"), UI_PARAMETERS)
def test_a_query_parameter_read_by_a_view_never_500s(
    name: str, key: str | None, param: str, role: str, fuzz_world: FuzzWorld, db: None
) -> None:
    url = reverse(name, args=[fuzz_world.dossier[key].pk] if key else [])
    http = HttpClient(headers={"Accept-Language": "en"})
    http.force_login(fuzz_world.users[role])
    assert http.get(url).status_code == 200, f"{url} does not open for the {role}"
    failures = []
    for value in VALUES:
        with rolled_back():
            try:
                response = get(http, url, param, value)
            except AssertionError as error:
                failures.append(str(error)[:300])
                continue
            assert response.status_code in OK, (url, param, value[:40], response.status_code)
            if "html" in response.get("Content-Type", ""):
                assert not raw_markup_in(response.content.decode()), (url, param)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("name", "param"), API_PARAMETERS)
def test_an_api_filter_never_500s(name: str, param: str, fuzz_world: FuzzWorld, db: None) -> None:
    http = HttpClient(headers={"Authorization": f"Token {fuzz_world.keys['coach']}"})
    url = reverse(name)
    failures = []
    for value in VALUES:
        with rolled_back():
            try:
                response = get(http, url, param, value)
            except AssertionError as error:
                failures.append(str(error)[:300])
                continue
            assert response.status_code in OK, (url, param, value[:40], response.status_code)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("field", "day"), [("date_from", "0001-01-01"), ("date_to", "9999-12-31")])
def test_the_audit_filter_refuses_a_day_at_the_calendars_end(
    field: str, day: str, fuzz_world: FuzzWorld, db: None
) -> None:
    """Found by the fuzz tests: such a day overflowed in the selector (500); now a message."""
    http = HttpClient()
    http.force_login(fuzz_world.users["privacy_officer"])
    client = fuzz_world.dossier["client"]
    for url in (reverse("core:audit-list"), reverse("core:audit-dossier", args=[client.pk])):
        response = http.get(url, {field: day})
        assert response.status_code == 200, (url, response.status_code)
        assert field in response.context["form"].errors, url  # shown on the field
