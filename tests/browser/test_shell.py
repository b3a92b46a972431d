"""In Chromium: log in, switch language, log out — accessible, and usable on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()


def test_a_coach_logs_in_switches_language_and_logs_out(
    page: Page, live_server, owner, axe_check
) -> None:
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/account/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "nl-BE")
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible()
    axe_check(page)

    log_in(page, live_server.url, owner.email)
    expect(page.get_by_role("heading", name="Welkom, An")).to_be_visible()
    expect(page.get_by_text("Trajectbegeleider bij OCMW Geel")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="EN — English").click()
    expect(page.get_by_role("heading", name="Welcome, An")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(
        page.get_by_role("navigation").get_by_role("link", name="Clients", exact=True)
    ).to_be_visible()

    page.get_by_role("button", name="NL — Nederlands").click()
    expect(page.get_by_role("heading", name="Welkom, An")).to_be_visible()

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Afmelden").click()
    expect(page).to_have_url(re.compile(r"/account/login/"))
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/account/login/"))


def test_a_wrong_password_is_explained_on_the_page(page: Page, live_server, owner) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("E-mailadres").fill(owner.email)
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("horen niet bij elkaar")


def test_on_a_phone_the_menu_folds_and_still_reaches_every_area(
    page: Page, live_server, owner, axe_check
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, owner.email)
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    expect(nav.get_by_role("link", name="Cliënten", exact=True)).to_be_hidden()
    page.get_by_role("button", name="Menu tonen").click()
    nav.get_by_role("link", name="Cliënten", exact=True).click()
    expect(page.get_by_role("heading", name="Cliënten")).to_be_visible()
    axe_check(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"


def test_an_untrained_coach_is_told_why_a_dossier_area_is_closed(
    page: Page, live_server, owner, axe_check
) -> None:
    owner.privacy_training_date = None
    owner.save(update_fields=["privacy_training_date"])
    log_in(page, live_server.url, owner.email)
    page.get_by_role("navigation").get_by_role("link", name="Caseload", exact=True).click()
    expect(page.get_by_role("heading", name="Privacyopleiding vereist")).to_be_visible()
    axe_check(page)
