"""In Chromium: a coach plans an evaluation, the mentor answers on a phone, the POP follows.

The journey of issue 6's Done-when (first bullet): the coach plans an evaluation from the
dossier's development section, sends the mentor a secure link (R-TRJ-6), the mentor opens it on
a phone without an account and scores every POP competence, the link then no longer works; the
coach sees the mentor's levels next to her own, completes the evaluation and lands on the next
POP version prefilled with the concluded levels (R-TRJ-7); the dossier's competence picture
shows the coach's and the mentor's points. A coach of another OCMW gets 404 on the evaluation.

The setup goes through the real services. The Dutch translations of these pages are being
written in parallel, so texts are matched with patterns that accept the Dutch and the English
wording, and most checks rest on data-testids, URLs, field names and levels.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

PASSWORD = "correct horse battery"
FIRST_NAME = "Yasmina"
LAST_NAME = "Claessens"
MENTOR_EMAIL = "marc.wouters@groen.test"
# Screenshots to look at by hand (default /tmp/shots).
SHOTS = Path(os.environ.get("SHOTS_DIR") or Path(tempfile.gettempdir()) / "shots")

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}


def text(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Setting:
    client: Any
    trajectory: Any
    placement: Any
    competences: list[Any]  # the POP's competences (Competence rows)


@pytest.fixture
def setting(owner: Any) -> Setting:
    """A client with an art60 trajectory of 200 days, a first POP and a placement with a mentor."""
    from doorstroom.clients import services as clients
    from doorstroom.plans import competences
    from doorstroom.plans.models import Competence, ScaleLevel
    from tests.dossiers import client_data, days_ago, make_trajectory
    from tests.evaluations.builders import CODES, make_pop, place_with_mentor
    from tests.factories import municipality

    # Browser tests flush the database, reference data included: reload it.
    municipality("Geel")
    if not Competence.objects.exists():
        competences.load_curated(Competence)
    if not ScaleLevel.objects.exists():
        competences.load_scale(ScaleLevel)

    client = clients.client_register(
        data=client_data(first_name=FIRST_NAME, last_name=LAST_NAME), by=owner
    )
    trajectory = make_trajectory(owner, client=client, start=days_ago(200))
    make_pop(trajectory, owner, levels={code: (1, 3) for code in CODES})
    placement = place_with_mentor(trajectory, owner, email=MENTOR_EMAIL)
    return Setting(
        client, trajectory, placement, [Competence.objects.get(code=code) for code in CODES]
    )


# --- small steps ------------------------------------------------------------------------


def log_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/account/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page).not_to_have_url(re.compile(r"/account/login/"))


def expect_no_form_errors(page: Page) -> None:
    expect(page.locator(".invalid-feedback, .alert-danger")).to_have_count(0)


def expect_strict_template(page: Page) -> None:
    """No unknown template variable rendered (``string_if_invalid`` in tests)."""
    markers = set(re.findall(r"INVALID\[[^\]]*\]", page.content()))
    assert not markers, f"unknown template variables on {page.url}: {markers}"


def page_width(page: Page) -> dict[str, int]:
    widths: dict[str, int] = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, window: window.innerWidth})"
    )
    return widths


def plan_the_evaluation(page: Page, base: str, setting: Setting, today: datetime.date) -> int:
    """From the dossier's development tab; returns the new evaluation's pk."""
    page.goto(f"{base}/clients/{setting.client.pk}/")
    page.get_by_test_id("tab-development").click()
    expect(page).to_have_url(f"{base}/clients/{setting.client.pk}/dossier/development/")
    development = page.locator("section#development")
    expect(development).to_be_visible()
    expect_strict_template(page)
    expect(development.get_by_test_id("evaluations")).to_contain_text(
        text("nog geen evaluaties|no evaluations yet")
    )
    development.get_by_test_id("plan-evaluation").click()
    expect(page).to_have_url(f"{base}/evaluations/trajectory/{setting.trajectory.pk}/new/")
    expect_strict_template(page)
    # R-TRJ-6: the form starts from the evaluation the rules core says is due next.
    expect(page.locator("#id_kind")).to_have_value(re.compile(r"^(phase|six_monthly)$"))
    expect(page.locator("#id_planned_on")).not_to_have_value("")
    # The running placement is preselected: its mentor fills in the workplace part.
    expect(page.locator("#id_placement")).to_have_value(str(setting.placement.pk))
    page.select_option("#id_kind", "six_monthly")
    page.fill("#id_planned_on", today.isoformat())
    page.get_by_test_id("action-form").locator("button[type=submit]").first.click()
    expect_no_form_errors(page)
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/evaluations/\d+/$"))
    found = re.search(r"/evaluations/(\d+)/$", page.url)
    assert found, page.url
    return int(found.group(1))


def send_the_mentor_link(page: Page) -> str:
    """Click the button; return the link's path from the e-mail in ``mail.outbox``."""
    expect_strict_template(page)
    assert not mail.outbox
    page.get_by_test_id("send-mentor-link").click()
    expect(page.locator(".alert-success")).to_contain_text(MENTOR_EMAIL)
    expect(page.get_by_test_id("mentor-link-status")).to_contain_text(text(r"nog niet|not yet"))
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [MENTOR_EMAIL]
    found = re.search(r"https?://\S+?(/evaluations/m/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)  # the host is the configured site's: open it on the live server


def mentor_answers_on_a_phone(browser: Browser, url: str, setting: Setting, axe_check: Any) -> None:
    """A fresh phone browser, not logged in: every competence level 3, a remark, send."""
    context = browser.new_context(viewport=PHONE, locale="nl-BE")
    try:
        phone = context.new_page()
        phone.goto(url)
        form = phone.get_by_test_id("mentor-form")
        expect(form).to_be_visible()
        expect_strict_template(phone)
        expect(phone.locator("h1")).to_have_text(text("werkvloer|workfloor"))
        widths = page_width(phone)
        assert widths["page"] <= PHONE["width"], f"the mentor page scrolls sideways: {widths}"
        for competence in setting.competences:
            radios = form.locator(f"input[type=radio][name='level_{competence.pk}']")
            expect(radios.and_(phone.locator("[value='1']"))).to_have_count(1)
            expect(radios.and_(phone.locator("[value='4']"))).to_have_count(1)
            form.locator(f"input[type=radio][name='level_{competence.pk}'][value='3']").check()
        form.locator("textarea[name=comment]").fill(
            "Komt altijd op tijd en werkt nauwkeurig; vraagt zelf om uitleg."
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SHOTS / "mentor-phone.png"), full_page=True)
        axe_check(phone)
        form.locator("button[type=submit]").click()
        expect(phone.get_by_test_id("link-thanks")).to_be_visible()
        expect_strict_template(phone)
        phone.screenshot(path=str(SHOTS / "mentor-thanks-phone.png"), full_page=True)

        # The link works once: opening it again says so, and offers no form.
        response = phone.goto(url)
        assert response is not None
        assert response.status == 410, response.status
        expect(phone.get_by_test_id("link-state")).to_have_attribute("data-state", "used")
        expect(phone.get_by_test_id("mentor-form")).to_have_count(0)
        expect_strict_template(phone)
    finally:
        context.close()


def read_the_mentor_levels(page: Page, setting: Setting) -> None:
    expect_strict_template(page)
    status = page.get_by_test_id("mentor-link-status")
    submitted = status.locator("li").nth(2)
    expect(submitted).to_contain_text(text(r"ingediend|submitted"))
    expect(submitted).not_to_contain_text(text(r"nog niet|not yet"))
    expect(submitted.locator("strong")).to_be_visible()  # the date and time it came in
    scores = page.get_by_test_id("scores")
    expect(scores.locator("tbody tr")).to_have_count(len(setting.competences))
    for competence in setting.competences:
        row = scores.locator("tbody tr").filter(has_text=competence.name_nl)
        expect(row).to_have_count(1)
        expect(row.locator("td[data-source=mentor]")).to_have_text(re.compile(r"^\s*3\b"))
        # No coach level yet: the cell shows no level ("—").
        expect(row.locator("td[data-source=coach]")).not_to_have_text(re.compile(r"\d"))
    expect(page.locator("main")).to_contain_text("Komt altijd op tijd")


def complete_the_evaluation(page: Page, setting: Setting, today: datetime.date) -> None:
    record = page.get_by_test_id("record-form")
    for competence in setting.competences:
        record.locator(f"select[name='coach_{competence.pk}']").select_option("3")
        record.locator(f"select[name='self_{competence.pk}']").select_option("2")
    held_on = record.locator("input[name=held_on]")
    expect(held_on).to_have_attribute("type", "date")
    held_on.fill(today.isoformat())
    record.locator("textarea[name=conclusions]").fill(
        "Groeit op alle drie de competenties; de mentor ziet hetzelfde niveau als de coach."
    )
    record.get_by_test_id("complete-evaluation").click()
    expect_no_form_errors(page)


def save_the_next_pop(page: Page, base: str, setting: Setting) -> None:
    expect(page).to_have_url(f"{base}/plans/trajectory/{setting.trajectory.pk}/new/")
    expect(page.get_by_test_id("proposal-from-evaluation")).to_be_visible()
    expect_strict_template(page)
    expect(page.locator(".alert-success")).to_contain_text(text(r"evaluati"))
    rows = page.get_by_test_id("competence-row")
    chosen = [c for c in rows.all() if c.locator("select[name$='-competence']").input_value()]
    assert len(chosen) == len(setting.competences), len(chosen)
    for index in range(len(setting.competences)):
        # The concluded level (the coach's 3) is the new current level; the target stays 3.
        expect(page.locator(f"select[name='c-{index}-current_level']")).to_have_value("3")
        expect(page.locator(f"select[name='c-{index}-target_level']")).to_have_value("3")
    page.get_by_test_id("save-pop").click()
    expect_no_form_errors(page)
    expect(page).to_have_url(f"{base}/plans/trajectory/{setting.trajectory.pk}/")

    expect_strict_template(page)
    version = page.get_by_test_id("pop-version")
    expect(version.locator("h2")).to_have_text(text(r"^\s*versie 2|^\s*version 2"))
    current = version.locator("td[data-level=current]")
    expect(current).to_have_count(len(setting.competences))
    for cell in current.all():
        expect(cell).to_have_text(re.compile(r"^\s*3 · "))
    diff = page.get_by_test_id("pop-diff")
    expect(diff.locator("h2")).to_contain_text("1")  # changed since version 1
    for competence in setting.competences:
        change = diff.locator("li").filter(has_text=competence.name_nl)
        expect(change).to_have_count(1)
        expect(change).to_contain_text(re.compile(r"1\s*→\s*3"))


def expect_point_on_level(chart: Locator, source: str, level: int) -> None:
    """The ``source``'s dot is drawn inside the chart, on the grid line of ``level``."""
    dot = chart.locator(f"g[data-source={source}] circle")
    coordinates = f"{dot.get_attribute('cx')} {dot.get_attribute('cy')}"
    assert "," not in coordinates, f"localized SVG coordinates: {coordinates}"
    frame = chart.locator("svg").bounding_box()
    box = dot.bounding_box()
    grid = chart.locator("svg > line").nth(level - 1).bounding_box()  # the lines of 1, 2, 3, 4
    assert frame, "the chart has no SVG box"
    assert box, f"the {source} dot is not drawn"
    assert grid, f"the chart has no grid line for level {level}"
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert frame["x"] + frame["width"] * 0.2 < centre_x < frame["x"] + frame["width"], (
        f"the {source} dot is not inside the plot: {box} in {frame}"
    )
    assert abs(centre_y - (grid["y"] + grid["height"] / 2)) <= 2, (
        f"the {source} dot is not on level {level}: {box}, grid line {grid}"
    )


def look_at_the_picture(page: Page, base: str, setting: Setting) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/clients/{setting.client.pk}/dossier/development/")
    development = page.locator("section#development")
    expect(development).to_be_visible()
    expect_strict_template(page)
    completed = development.get_by_test_id("evaluations").locator("li")
    expect(completed).to_have_count(1)
    expect(completed.locator(".badge")).to_have_text(text(r"afgerond|voltooid|completed"))
    charts = development.get_by_test_id("competence-chart")
    expect(charts).to_have_count(len(setting.competences))
    for competence in setting.competences:
        chart = charts.and_(page.locator(f"[data-competence='{competence.name_nl}']"))
        expect(chart).to_have_count(1)
        expect(chart.locator("g[data-source=coach] circle")).to_have_count(1)
        expect(chart.locator("g[data-source=mentor] circle")).to_have_count(1)
        expect(chart.locator("g[data-source=self] circle")).to_have_count(1)
        expect(chart.locator("g[data-source=coach] circle title")).to_have_text(
            re.compile(r":\s*3$")
        )
        expect_point_on_level(chart, "coach", 3)
        expect_point_on_level(chart, "mentor", 3)
        expect_point_on_level(chart, "self", 2)
    SHOTS.mkdir(parents=True, exist_ok=True)
    development.screenshot(path=str(SHOTS / "dossier-development-desktop.png"))
    widths = page_width(page)
    assert widths["page"] <= widths["window"], f"the dossier is too wide: {widths}"
    # On a phone the tab bar scrolls on its own: the page itself does not scroll sideways.
    page.set_viewport_size(PHONE)
    expect(page.get_by_test_id("tab-development")).to_have_attribute("aria-current", "page")
    widths = page_width(page)
    assert widths["page"] <= widths["window"], f"the dossier scrolls sideways: {widths}"
    page.set_viewport_size(DESKTOP)


# --- the journey ------------------------------------------------------------------------


def test_a_coach_evaluates_with_the_mentor_and_adjusts_the_pop(
    page: Page,
    browser: Browser,
    live_server: Any,
    owner: Any,
    outsider: Any,
    setting: Setting,
    axe_check: Any,
) -> None:
    from doorstroom.evaluations.models import Evaluation

    base = live_server.url
    today = timezone.localdate()

    log_in(page, base, owner.email)
    pk = plan_the_evaluation(page, base, setting, today)
    evaluation_url = f"{base}/evaluations/{pk}/"
    evaluation = Evaluation.objects.get(pk=pk)
    assert (evaluation.kind, evaluation.planned_on) == ("six_monthly", today)
    assert evaluation.placement_id == setting.placement.pk

    link_path = send_the_mentor_link(page)
    mentor_answers_on_a_phone(browser, base + link_path, setting, axe_check)

    page.goto(evaluation_url)
    read_the_mentor_levels(page, setting)
    complete_the_evaluation(page, setting, today)
    save_the_next_pop(page, base, setting)
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.held_on) == ("completed", today)

    look_at_the_picture(page, base, setting)

    # R-PRV-1: a coach of OCMW Mol gets 404 on the evaluation.
    log_in(page, base, outsider.email)
    response = page.goto(evaluation_url)
    assert response is not None
    assert response.status == 404, f"{evaluation_url} answered {response.status}, not 404"
    expect(page.locator("body")).not_to_contain_text(LAST_NAME)
    expect(page.locator("body")).not_to_contain_text(MENTOR_EMAIL)
