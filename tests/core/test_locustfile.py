"""The load test's pure helpers (bench/load_helpers.py, bench/load_report.py, bench/load_users.py).

locust itself lives in .venv-load only, so these tests never import it: they read pages the
real views render, and post back what the helpers found, as the locustfile does. One test
checks that the locustfile only uses helpers that exist (it compiles it without running it).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as Browser
from django.utils import timezone, translation

from bench import load_helpers, load_report, load_users
from bench.load_helpers import (
    Coaches,
    client_names,
    csrf_token,
    form_errors,
    forms,
    linked_ids,
    load_coaches,
    post_form,
    record_version,
    search_term,
)
from bench.load_report import Sample
from doorstroom.clients.models import JournalEntry
from doorstroom.core.errors import StaleEditError
from doorstroom.evaluations.models import Evaluation
from tests.dossiers import make_trajectory
from tests.evaluations.builders import make_pop, plan_evaluation

LOCUSTFILE = Path(__file__).resolve().parents[2] / "bench" / "locustfile.py"
PASSWORD = "correct horse battery"  # tests/factories.py


def _browser(user: Any) -> Browser:
    browser = Browser(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


# --- Reading forms ---------------------------------------------------------------------

PAGE = """
<form method="get" action="/clients/"><input name="q" value="maes"></form>
<form method="post" action="/x/">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en">
  <input type="hidden" name="version" value="7">
  <input type="text" name="title">
  <input type="checkbox" name="agreed" checked>
  <input type="checkbox" name="declined">
  <input type="radio" name="level" value="2" checked><input type="radio" name="level" value="3">
  <input type="file" name="upload"><input type="submit" name="go" value="Go">
  <textarea name="notes">Eerste regel
tweede &lt;regel&gt;</textarea>
  <select name="kind"><option value="a">A</option><option value="b" selected>B</option></select>
  <select name="first"><option value="">--</option><option value="1">Een</option></select>
  <select name="bare"><option>Zonder waarde</option></select>
  <button type="submit" name="save">Save</button>
</form>
"""


def test_it_reads_a_form_as_a_browser_would_submit_it() -> None:
    form = post_form(PAGE, "version")
    assert (form.method, form.action) == ("post", "/x/")
    assert form.fields == {
        "csrfmiddlewaretoken": "tok&en",
        "version": "7",
        "title": "",
        "agreed": "on",
        "level": "2",
        "notes": "Eerste regel\ntweede <regel>",
        "kind": "b",
        "first": "",
        "bare": "Zonder waarde",
    }
    assert form.options["kind"] == ["a", "b"]
    assert form.options["first"] == ["", "1"]


def test_it_finds_the_post_form_with_a_field_or_says_there_is_none() -> None:
    assert [f.method for f in forms(PAGE)] == ["get", "post"]
    assert csrf_token(PAGE) == "tok&en"
    assert record_version(PAGE) == 7
    with pytest.raises(LookupError):
        post_form(PAGE, "q")  # only in the GET form


def test_it_reads_ids_from_links_and_names_from_client_links() -> None:
    html = (
        '<a href="/clients/3/">Sofie Maes</a> <a href="/clients/3/#journal">x</a>'
        '<a href="/clients/12/">Jan D&#x27;Hondt</a> <a href="/clients/3/edit/">edit</a>'
        '<a href="/evaluations/trajectory/5/new/">plan</a> <a href="/evaluations/9/">e</a>'
    )
    assert linked_ids(html, "/clients/{id}/") == [3, 12]
    assert linked_ids(html, "/evaluations/{id}/") == [9]
    assert linked_ids(html, "/evaluations/trajectory/{id}/new/") == [5]
    assert client_names(html) == {3: "Sofie Maes", 12: "Jan D'Hondt"}


@pytest.mark.parametrize(
    ("name", "term"),
    [
        ("Sofie Maes", "maes"),
        ("Sofie Van den Broeck", "broec"),
        ("Maes, Sofie", "maes"),
        ("Vandenbroeck", "vande"),
    ],
)
def test_it_searches_for_the_start_of_the_last_name(name: str, term: str) -> None:
    assert search_term(name) == term


# --- Coaches -----------------------------------------------------------------------------


def test_it_hands_out_each_coach_once_before_coming_round_again(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"emails": ["a@load.test", "b@load.test"], "password": "pw"}))
    coaches = load_coaches(str(path))
    assert coaches.password == "pw"
    assert [coaches.next_email() for _ in range(5)] == [
        "a@load.test",
        "b@load.test",
        "a@load.test",
        "b@load.test",
        "a@load.test",
    ]
    assert load_coaches(None).emails == load_helpers.DEMO_COACHES
    with pytest.raises(ValueError, match="at least one coach"):
        Coaches([], "pw")


def test_it_lists_coaches_with_a_caseload_who_can_log_in_without_a_code(
    owner: Any, teammate: Any, outsider: Any
) -> None:
    from doorstroom.accounts.models import TwoFactorDevice

    make_trajectory(owner)
    make_trajectory(owner)
    make_trajectory(teammate)
    make_trajectory(outsider)
    TwoFactorDevice.objects.create(
        user=outsider, secret_ciphertext=b"x", confirmed_at=timezone.now()
    )
    teammate.privacy_training_date = None
    teammate.save(update_fields=["privacy_training_date"])
    assert load_users.coach_emails(10) == [owner.email]


def test_it_writes_the_coaches_file(owner: Any, tmp_path: Path) -> None:
    make_trajectory(owner)
    out = tmp_path / "users.json"
    assert load_users.main([str(out)]) == 0
    assert json.loads(out.read_text()) == {"emails": [owner.email], "password": "doorstroom"}
    assert load_users.main([str(tmp_path / "none.json"), "--limit", "0"]) == 1


# --- Against the real pages -------------------------------------------------------------


def test_it_logs_in_through_the_login_form_with_its_csrf_token(owner: Any) -> None:
    browser = Browser(enforce_csrf_checks=True)
    page = browser.get("/account/login/").content.decode()
    form = post_form(page, "username")
    assert form.fields["csrfmiddlewaretoken"]
    data = {**form.fields, "username": owner.email, "password": PASSWORD}
    response = browser.post("/account/login/", data)
    assert response.status_code == 302
    assert "/account/login/" not in response["Location"]
    assert browser.get("/caseload/").status_code == 200


def test_it_finds_the_caseload_clients_and_finds_them_again_by_search(owner: Any) -> None:
    trajectory = make_trajectory(owner, last_name="Vandenbroeck")
    browser = _browser(owner)
    names = client_names(browser.get("/caseload/").content.decode())
    assert names == {trajectory.client_id: trajectory.client.full_name}
    found = browser.get("/clients/", {"q": search_term(names[trajectory.client_id])})
    assert linked_ids(found.content.decode(), "/clients/{id}/") == [trajectory.client_id]


def test_it_writes_a_journal_entry_with_the_form_it_read(owner: Any) -> None:
    client = make_trajectory(owner).client
    browser = _browser(owner)
    url = f"/clients/{client.pk}/journal/"
    form = post_form(browser.get(url).content.decode(), "notes")
    assert form.fields["on"] == timezone.localdate().isoformat()
    response = browser.post(url, {**form.fields, "notes": "Opvolggesprek (load test)."})
    assert response.status_code == 302
    assert JournalEntry.objects.get(client=client).notes == "Opvolggesprek (load test)."


def test_it_plans_an_evaluation_from_the_development_tab_s_link(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    make_pop(trajectory, owner)
    browser = _browser(owner)
    dossier = browser.get(f"/clients/{trajectory.client_id}/dossier/development/").content.decode()
    assert linked_ids(dossier, "/evaluations/{id}/") == []
    assert linked_ids(dossier, "/evaluations/trajectory/{id}/new/") == [trajectory.pk]
    url = f"/evaluations/trajectory/{trajectory.pk}/new/"
    form = post_form(browser.get(url).content.decode(), "planned_on")
    assert record_version(browser.get(url).content.decode()) == trajectory.version
    assert browser.post(url, form.fields).status_code == 302
    assert Evaluation.objects.filter(trajectory=trajectory).count() == 1


def test_it_saves_evaluation_scores_with_the_version_it_read(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    make_pop(trajectory, owner)
    evaluation = plan_evaluation(trajectory, owner)
    browser = _browser(owner)
    dossier = browser.get(f"/clients/{trajectory.client_id}/dossier/development/").content.decode()
    assert linked_ids(dossier, "/evaluations/{id}/") == [evaluation.pk]
    url = f"/evaluations/{evaluation.pk}/"
    page = browser.get(url).content.decode()
    form = post_form(page, "held_on")
    assert record_version(page) == evaluation.version
    data = {**form.fields, "save": "", "conclusions": "Goede vooruitgang."}
    coach_levels = {n: v for n, v in form.options.items() if n.startswith("coach_")}
    assert len(coach_levels) == 3  # the three competences of the POP
    for name, values in coach_levels.items():
        data[name] = next(v for v in values if v)
    assert browser.post(url, data).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.conclusions == "Goede vooruitgang."
    assert evaluation.version > int(form.fields["version"])
    # The same form again is stale: shown again with a message, not a redirect.
    again = browser.post(url, data)
    assert again.status_code == 200
    with translation.override("nl-be"):  # the page's language
        assert str(StaleEditError()) in form_errors(again.content.decode())


# --- The locustfile and the report ------------------------------------------------------


def test_the_locustfile_compiles_and_uses_only_helpers_that_exist() -> None:
    tree = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))
    compile(tree, str(LOCUSTFILE), "exec")
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "bench.load_helpers"
        for alias in node.names
    ]
    assert imported
    assert all(hasattr(load_helpers, name) for name in imported)


def _samples(n: int, name: str, ms: float, error: str = "") -> list[Sample]:
    return [Sample(1000.0 + i, name, ms + i, error) for i in range(n)]


def test_it_summarises_exact_percentiles_and_leaves_logins_out_of_the_day() -> None:
    samples = [*_samples(20, "caseload", 100), *_samples(2, "login", 3000)]
    rows = {r.name: r for r in load_report.summarise(samples)}
    assert load_report.percentile([float(v) for v in range(1, 101)], 95) == 95
    assert rows["caseload"].p95 == 118  # 100..119: the 19th of 20
    assert rows["caseload"].per_second == pytest.approx(20 / 19)
    assert rows[load_report.DAY].max == 119
    assert rows[load_report.ALL].max == 3001
    assert "**met**" in load_report.verdict(list(rows.values()))
    failing = [*samples, *_samples(1, "journal (save)", 50, "form not accepted: 200")]
    assert "**not met**" in load_report.verdict(load_report.summarise(failing))


def test_the_steady_state_starts_after_the_last_login_has_settled() -> None:
    logins = [Sample(1000.0, "login", 900, ""), Sample(1010.0, "login", 2500, "")]
    early = [Sample(1020.0, "dossier", 3000, ""), Sample(1024.9, "caseload", 2000, "")]
    calm = [Sample(1025.0, "dossier", 200, ""), Sample(1040.0, "search", 50, "")]
    assert load_report.steady([*logins, *early, *calm], settle=15) == calm
    assert load_report.steady(calm) == calm  # no login in it: all of it
    assert "**not measured**" in load_report.verdict(load_report.summarise([]))


def test_it_renders_both_runs_with_the_verdict_and_the_errors() -> None:
    runs = {
        50: [*_samples(10, "dossier", 600), *_samples(1, "search", 40, "HTTP 500")],
        20: _samples(10, "dossier", 100),
    }
    text = load_report.render(runs, "scale s")
    assert text.index("### 20 concurrent users") < text.index("### 50 concurrent users")
    assert (
        "- Steady state: **not met**: p95 609 ms over the coach's day (logins apart), 1 error."
        in text
    )
    assert "Errors: search: HTTP 500 (1×)" in text


def test_it_writes_only_between_the_markers(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text(
        f"# Performance\n\nPages.\n{load_report.BEGIN}\nold\n{load_report.END}\n\nMore.\n"
    )
    load_report.write_doc(doc, "new table\n")
    assert doc.read_text() == (
        f"# Performance\n\nPages.\n{load_report.BEGIN}\nnew table\n{load_report.END}\n\nMore.\n"
    )
    fresh = tmp_path / "fresh.md"
    load_report.write_doc(fresh, "table")
    assert fresh.read_text() == f"# Performance\n\n{load_report.BEGIN}\ntable\n{load_report.END}\n"


def test_it_reads_the_samples_the_locustfile_writes(tmp_path: Path) -> None:
    path = tmp_path / "samples.json"
    path.write_text(json.dumps([[1.5, "caseload", 12.5, ""], [2.0, "login", 30, "HTTP 500"]]))
    assert load_report.read_samples(path) == [
        Sample(1.5, "caseload", 12.5, ""),
        Sample(2.0, "login", 30.0, "HTTP 500"),
    ]
    assert load_report.main([f"20={path}", "--doc", str(tmp_path / "p.md")]) == 0
    assert "### 20 concurrent users" in (tmp_path / "p.md").read_text()
