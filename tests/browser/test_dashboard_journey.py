"""In Chromium, on the demo data: a team lead opens the dashboard and clicks a bar.

Issue 8's Done-when: the charts are drawn (a canvas with a Chart.js instance holding data), a
click on a bar opens the list of the dossiers behind it (exactly that many), and a coach of
another OCMW who opens the same list sees none of OCMW Geel's dossiers. The page runs under
the site's real Content-Security-Policy (no bypass): the charts come from static files only.
Screenshots at 1280 and 390 px go to /tmp/dash-*.png, to look at by hand.
"""

from __future__ import annotations

import importlib
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import Browser, Page, ViewportSize, expect

from doorstroom.demo.context import DEMO_PASSWORD

TEAM_LEAD = "teamlead@demo.doorstroom.be"
OTHER_COACH = "coach2@demo.doorstroom.be"  # OCMW Mol
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
SHOTS = Path(tempfile.gettempdir())  # /tmp/dash-*.png, to look at by hand

# Browser tests flush the database, reference data included: the data migrations reload it.
REFERENCE_DATA = [
    ("accounts", "Municipality", "doorstroom.accounts.migrations.0002_load_municipalities"),
    ("clients", "Occupation", "doorstroom.clients.migrations.0003_curated_occupations"),
    ("evaluations", "IcfCode", "doorstroom.evaluations.migrations.0004_icf_codes"),
    ("plans", "Competence", "doorstroom.plans.migrations.0002_curated_competences"),
    ("plans", "ScaleLevel", "doorstroom.plans.migrations.0004_scale_levels"),
]

# The pixel position of the tallest bar of the first dataset of a chart, from Chart.js itself.
BAR_POSITION = """(slug) => {
  const canvas = document.querySelector(`canvas[data-chart="chart-data-${slug}"]`);
  const chart = Chart.getChart(canvas);
  const data = chart.data.datasets[0].data;
  const index = data.indexOf(Math.max(...data));
  const bar = chart.getDatasetMeta(0).data[index].getProps(["x", "y", "base"], true);
  const box = canvas.getBoundingClientRect();
  return {
    x: box.left + bar.x,
    y: box.top + (bar.y + bar.base) / 2,
    value: data[index],
    url: chart.data.datasets[0].urls[index],
  };
}"""

DRAWN = """() => [...document.querySelectorAll("canvas[data-chart]")].map((canvas) => {
  const chart = Chart.getChart(canvas);
  return chart ? chart.data.datasets.reduce((n, set) => n + set.data.length, 0) : -1;
})"""


def reload_reference_data() -> None:
    for app_label, model_name, module in REFERENCE_DATA:
        if not apps.get_model(app_label, model_name).objects.exists():
            importlib.import_module(module).load(apps, None)


@pytest.fixture
def demo(live_server: Any) -> None:
    reload_reference_data()
    call_command("load_demo")


@pytest.fixture
def strict_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page under the real CSP (the shared fixture bypasses it), and its console errors."""
    context = browser.new_context(locale="en-US", viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, errors
    context.close()


def log_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/account/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/account/login/"))


def wait_for_charts(page: Page) -> list[int]:
    page.wait_for_function("() => window.Chart && document.querySelector('canvas[data-chart]')")
    page.wait_for_function(f"() => ({DRAWN})().every((n) => n >= 0)")
    drawn: list[int] = page.evaluate(DRAWN)
    return drawn


def test_a_team_lead_clicks_a_bar_and_sees_the_dossiers_behind_it(
    strict_page: tuple[Page, list[str]], live_server: Any, demo: None, axe_check: Any
) -> None:
    (page, errors), base = strict_page, live_server.url
    log_in(page, base, TEAM_LEAD)
    # The "Reports" area of the navigation is the dashboard.
    page.locator("nav a.nav-link[href='/reports/dashboard/']").click()
    expect(page).to_have_url(re.compile(r"/reports/dashboard/$"))
    expect(page.get_by_test_id("dashboard")).to_be_visible()

    drawn = wait_for_charts(page)
    assert len(drawn) >= 8, drawn  # every chart with figures has a Chart.js instance
    assert all(n > 0 for n in drawn), drawn
    # The same figures as a table under each chart, numbers linking to the dossiers.
    page.get_by_test_id("chart-kind").locator("summary").click()
    expect(page.get_by_test_id("table-kind").locator("a").first).to_be_visible()
    axe_check(page)

    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / "dash-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    wait_for_charts(page)
    page.screenshot(path=str(SHOTS / "dash-390.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # nothing pushes the page sideways on a phone
    page.set_viewport_size(DESKTOP)

    # Click the tallest bar of "Trajectories by kind": its month's art60 dossiers open.
    chart = page.locator('canvas[data-chart="chart-data-kind"]')
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1200)  # Chart.js animates the bars in: click where they end up
    bar = page.evaluate(BAR_POSITION, "kind")
    assert bar["value"] > 0
    page.mouse.click(bar["x"], bar["y"])
    expect(page).to_have_url(re.compile(r"/reports/dashboard/dossiers/\?.*metric=kind"))
    assert page.url.endswith(bar["url"])
    rows = page.get_by_test_id("drill-list").locator("tbody tr[data-trajectory]")
    expect(rows).to_have_count(bar["value"])
    expect(page.get_by_test_id("drill-list")).to_contain_text("Geel")
    expect(page.get_by_test_id("drill-list")).not_to_contain_text("OCMW Mol")
    page.screenshot(path=str(SHOTS / "dash-dossiers-1280.png"), full_page=True)
    axe_check(page)
    # Each row opens its dossier.
    first = rows.first.locator("a").first
    href = first.get_attribute("href") or ""
    assert re.fullmatch(r"/clients/\d+/", href), href
    dossiers_url = page.url
    assert errors == [], errors  # no CSP violation, no script error

    # A coach of OCMW Mol opening the same list sees none of OCMW Geel's dossiers.
    log_in(page, base, OTHER_COACH)
    page.goto(dossiers_url)
    expect(page.get_by_test_id("drill-list")).to_be_visible()
    expect(page.get_by_test_id("drill-list")).not_to_contain_text("OCMW Geel")
