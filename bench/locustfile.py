"""A coach's day under load: caseload, dossier, journal entry, evaluation, client search.

Run by bin/load-test (``make load-test``) against gunicorn on PostgreSQL; by hand:

    .venv-load/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8000 \\
        --headless -u 20 -r 5 -t 60s

Each simulated user logs in through the real login form (GET for the CSRF token, POST the
credentials) as the next coach of ``LOAD_USERS`` (the JSON file bin/load-test writes: one coach
per user while there are enough; without it the two demo coaches), then works through weighted
tasks with a pause of ``LOAD_WAIT_MIN``-``LOAD_WAIT_MAX`` seconds between them (default 2-6:
a coach busy in the application, far faster than one who reads and types).
Every POST must answer with a redirect (the form was accepted): a form shown again, e.g. for a
stale version, counts as a failure. The pure page reading lives in bench/load_helpers.py.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for bench.*

from bench.load_helpers import (
    client_names,
    form_errors,
    linked_ids,
    load_coaches,
    post_form,
    search_term,
)

COACHES = load_coaches(os.environ.get("LOAD_USERS"))
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "2"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "6"))
# Every request as [end time, name, ms, error], for exact percentiles (bench/load_report.py).
SAMPLES: list[tuple[float, str, float, str]] = []


@events.request.add_listener
def _record(*, name: str, response_time: float, exception: Any = None, **_: Any) -> None:
    SAMPLES.append((time.time(), name, response_time, str(exception) if exception else ""))


@events.test_stop.add_listener
def _write_samples(**_: Any) -> None:
    if path := os.environ.get("LOAD_SAMPLES"):
        Path(path).write_text(json.dumps(SAMPLES), encoding="utf-8")


class Coach(FastHttpUser):
    """One job coach: logs in once, then opens, writes and searches like on a working day."""

    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        self.email = COACHES.next_email()
        self.clients: dict[int, str] = {}
        self.login()
        self.caseload()

    # --- helpers -----------------------------------------------------------------------

    def login(self) -> None:
        page = self.client.get("/account/login/", name="login (form)")
        form = post_form(page.text or "", "username")
        data = {**form.fields, "username": self.email, "password": COACHES.password}
        if not self.submit("/account/login/", data, name="login"):
            raise StopUser  # nothing else works without a session

    def submit(self, url: str, data: dict[str, str], *, name: str) -> bool:
        """POST a form; only a redirect elsewhere than the login page counts as accepted."""
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code == 302 and "/account/login/" not in location:
                response.success()
                return True
            why = form_errors(response.text or "") if response.status_code == 200 else location
            response.failure(f"form not accepted: {response.status_code} {why}".strip())
            return False

    def pick_client(self) -> tuple[int, str] | None:
        if not self.clients:
            self.caseload()
        if not self.clients:
            return None
        return random.choice(list(self.clients.items()))

    def dossier(self, pk: int, tab: str = "") -> str:
        """The dossier's overview, or one of its tabs (``clients.tabs``)."""
        if not tab:
            return self.client.get(f"/clients/{pk}/", name="dossier").text or ""
        url = f"/clients/{pk}/dossier/{tab}/"
        return self.client.get(url, name=f"dossier ({tab})").text or ""

    # --- the tasks -----------------------------------------------------------------------

    @task(4)
    def caseload(self) -> None:
        page = self.client.get("/caseload/", name="caseload")
        self.clients.update(client_names(page.text or ""))

    @task(1)
    def caseload_overdue(self) -> None:
        self.client.get("/caseload/?signal=overdue", name="caseload (overdue)")

    @task(4)
    def open_dossier(self) -> None:
        if picked := self.pick_client():
            self.dossier(picked[0])

    @task(3)
    def search(self) -> None:
        if picked := self.pick_client():
            term = search_term(picked[1])
            self.client.get(f"/clients/?q={term}", name="search")

    @task(2)
    def journal_entry(self) -> None:
        if not (picked := self.pick_client()):
            return
        url = f"/clients/{picked[0]}/journal/"
        page = self.client.get(url, name="journal (form)")
        form = post_form(page.text or "", "notes")
        data = {
            **form.fields,
            "participants": "Cliënt, jobcoach",
            "notes": "Opvolggesprek: afspraken van vorige week overlopen (load test).",
        }
        self.submit(url, data, name="journal (save)")

    @task(2)
    def evaluation(self) -> None:
        """Open an evaluation on the dossier's development tab and save scores while it is
        open, or plan one."""
        if not (picked := self.pick_client()):
            return
        page = self.dossier(picked[0], "development")
        if evaluations := linked_ids(page, "/evaluations/{id}/"):
            self.record_evaluation(random.choice(evaluations))
        elif trajectories := linked_ids(page, "/evaluations/trajectory/{id}/new/"):
            self.plan_evaluation(trajectories[0])

    def record_evaluation(self, pk: int) -> None:
        url = f"/evaluations/{pk}/"
        page = self.client.get(url, name="evaluation")
        try:
            form = post_form(page.text or "", "held_on")
        except LookupError:
            return  # completed or cancelled: only read
        data: dict[str, Any] = {**form.fields, "save": ""}
        for name, values in form.options.items():
            levels = [v for v in values if v]
            if name.startswith("coach_") and levels:
                data[name] = random.choice(levels)
        data["conclusions"] = "Goede vooruitgang; stiptheid blijft een aandachtspunt."
        self.submit(url, data, name="evaluation (save)")

    def plan_evaluation(self, trajectory_pk: int) -> None:
        url = f"/evaluations/trajectory/{trajectory_pk}/new/"
        page = self.client.get(url, name="evaluation plan (form)")
        form = post_form(page.text or "", "planned_on")
        self.submit(url, dict(form.fields), name="evaluation plan (save)")
