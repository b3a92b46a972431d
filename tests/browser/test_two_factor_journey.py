"""In Chromium: a team lead must set up two-factor authentication before reaching any dossier.

Issue #10's Done-when: "A user with a required second factor cannot reach any dossier before
enrolling". The team lead logs in with the password, is sent to the set-up page from the
caseload and from a dossier URL, enrols with the code pyotp computes from the key shown on the
page, keeps the recovery codes, and then opens the dossier. The team lead's language is English,
so the pages after login are matched in the English wording (Dutch follows with the translations).
"""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"


@pytest.fixture
def required(settings: Any) -> None:
    """The installation default (tests/conftest.py switches the policy off for other tests)."""
    settings.DOORSTROOM_2FA_REQUIRED_ROLES = ["team_lead", "admin", "privacy_officer"]
    settings.DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS = True


def test_a_team_lead_enrols_before_reaching_a_dossier(
    page: Page, live_server: Any, required: None, owner: Any, ocmw_a: Any, axe_check: Any
) -> None:
    from tests.dossiers import make_trajectory
    from tests.factories import member

    trajectory = make_trajectory(owner, first_name="Samira", last_name="Verhaegen")
    lead = member(ocmw_a, "team_lead", first_name="Lien", email="lien@geel.test", language="en")
    dossier_url = f"{live_server.url}/clients/{trajectory.client_id}/"
    setup = re.compile(r"/account/two-factor/$")

    page.goto(live_server.url + "/")
    page.get_by_label("E-mailadres").fill(lead.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).to_have_url(setup)
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_test_id("two-factor-qr").locator("svg")).to_be_visible()
    axe_check(page)

    for url in (live_server.url + "/caseload/", dossier_url, live_server.url + "/clients/"):
        page.goto(url)
        expect(page).to_have_url(setup)
        expect(page.get_by_text("Verhaegen")).to_have_count(0)

    page.get_by_label("Code").fill("12345")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("This code is not correct")).to_be_visible()

    secret = page.get_by_test_id("two-factor-secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    axe_check(page)
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_test_id("two-factor-state")).to_contain_text("On")

    page.goto(dossier_url)
    expect(page).to_have_url(dossier_url)
    expect(page.get_by_role("heading", name=re.compile("Samira Verhaegen"))).to_be_visible()


def test_the_idle_warning_offers_to_stay_signed_in(
    page: Page, live_server: Any, owner: Any, settings: Any
) -> None:
    # One minute: the warning (2 minutes before the end) shows at once.
    settings.DOORSTROOM_IDLE_TIMEOUT_MINUTES = 1
    owner.language = "en"
    owner.save(update_fields=["language"])
    page.goto(live_server.url + "/")
    page.get_by_label("E-mailadres").fill(owner.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    warning = page.get_by_test_id("idle-warning")
    expect(warning).to_contain_text("You will be signed out in 2 minutes")
    with page.expect_response(re.compile(r"/account/sessions/ping/$")) as ping:
        warning.get_by_role("button", name="Stay signed in").click()
    assert ping.value.status == 204
