"""Benchmark: the server time and query count of the main pages, against a filled database.

Not a test (issue 11): run it by hand, or through `make bench` (bin/bench), against a database
that already holds data (``manage.py generate_load --scale s`` or ``manage.py load_demo``):

    DATABASE_URL=sqlite:////tmp/x.db .venv/bin/python -m bench.pages --scale s [--repeat 20]

Each case is one request through Django's test client (the whole middleware stack, in process:
no network, no gunicorn), first once to warm up, then ``--repeat`` times. The time is measured
around ``client.get``/``client.post`` (a streamed body is read inside it); the queries are
counted with a cheap execute wrapper (the same count as ``CaptureQueriesContext``, without its
SQL formatting inside the timed part). The subjects are found by query, so the same runner works
on demo data and on generated load: the coach with the most running trajectories, their team
lead, a client of theirs with a running trajectory and a current POP, a workplace of their
organisation. A failing case (not the expected status, or an exception) is reported in the
results, never left out. The results go to ``bench/results/<vendor>-<scale>.json``;
``python -m bench.report`` turns them into docs/performance.md.

The run writes what the pages write (audit events of dossier reads, the import's dry-run
records, one API token per user, revoked at the end; a month-end snapshot when the
organisation has none, for the monitoring export; the financing statements of its ended
quarters since 2024-Q1 not issued yet, so the financing case drafts a statement with
corrections of every issued quarter): use a throwaway database.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
IMPORT_ROWS = 50
FLOOR = "floor"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def setup_django() -> None:
    """Configure Django against DATABASE_URL (required: never the default database)."""
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the (already filled) database to measure.")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # whitenoise's "No directory at var/static/": the pages do not serve static files here
    warnings.filterwarnings("ignore", message="No directory at")
    # Start as a gunicorn worker does: config/wsgi.py sets Django up, builds the application and
    # freezes what start-up built out of the garbage collector's reach. Without that, a full
    # collection during a measured request scans ~170,000 start-up objects a worker never scans
    # (85 ms against 6 ms measured on the financing statement at l): every case's 95th
    # percentile would hold pauses the server does not have.
    importlib.import_module("config.wsgi")


# The subjects: found by query, so that demo data and generated load both work -------------------


@dataclass
class Subjects:
    coach: Any
    team_lead: Any
    organisation: Any
    client: Any
    workplace: Any
    search: str  # a fragment of a common surname
    month_end: datetime.date | None = None  # of the monitoring export
    keys: dict[str, str] = field(default_factory=dict)  # user role → API key

    def describe(self) -> dict[str, Any]:
        return {
            "coach": self.coach.email,
            "team_lead": self.team_lead.email,
            "organisation": self.organisation.name,
            "client": self.client.pk,
            "workplace": self.workplace.pk,
            "search": self.search,
            "month_end": self.month_end.isoformat() if self.month_end else None,
        }


def _busiest_coach() -> Any:
    from django.db.models import Count

    from doorstroom.accounts.models import User
    from doorstroom.trajectories.choices import Status
    from doorstroom.trajectories.models import Trajectory

    busiest = (
        Trajectory.objects.filter(status=Status.RUNNING, coach__is_active=True)
        .values("coach_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "coach_id")
        .first()
    )
    if busiest is None:
        raise SystemExit("No coach with a running trajectory: fill the database first.")
    return User.objects.get(pk=busiest["coach_id"])


def _client_with_pop(coach: Any) -> Any:
    from doorstroom.plans.models import PlanVersion
    from doorstroom.trajectories.choices import Status

    version = (
        PlanVersion.objects.filter(
            is_current=True, trajectory__coach=coach, trajectory__status=Status.RUNNING
        )
        .select_related("trajectory__client")
        .order_by("trajectory_id")
        .first()
    )
    if version is None:
        raise SystemExit(f"{coach.email} has no running trajectory with a POP.")
    return version.trajectory.client


def _team_lead(organisation: Any) -> Any:
    from doorstroom.accounts.models import User
    from doorstroom.accounts.roles import Role

    lead = (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=Role.TEAM_LEAD,
        )
        .order_by("pk")
        .first()
    )
    if lead is None:
        raise SystemExit(f"{organisation.name} has no team lead.")
    return lead


def _search_fragment(coach: Any) -> str:
    """The first four letters of the most common surname among the coach's visible clients."""
    from django.db.models import Count

    from doorstroom.clients.models import Client
    from doorstroom.core.text import normalise

    common = (
        Client.objects.visible_to(coach)
        .values("last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "last_name")
        .first()
    )
    return normalise(common["last_name"])[:4] if common else "a"


def find_subjects() -> Subjects:
    from doorstroom.employers.models import Workplace
    from doorstroom.trajectories.models import Trajectory

    coach = _busiest_coach()
    client = _client_with_pop(coach)
    trajectory = Trajectory.objects.filter(client=client, coach=coach).order_by("-pk").first()
    assert trajectory is not None
    organisation = trajectory.organisation
    workplace = Workplace.objects.filter(employer__organisation=organisation).order_by("pk").first()
    if workplace is None:
        raise SystemExit(f"{organisation.name} has no workplace.")
    return Subjects(
        coach=coach,
        team_lead=_team_lead(organisation),
        organisation=organisation,
        client=client,
        workplace=workplace,
        search=_search_fragment(coach),
    )


def prepare(subjects: Subjects) -> None:
    """API keys for the run; a month-end snapshot when the organisation has none (R-FIN-4).

    The ended quarters of the organisation not issued yet are issued too (R-FIN-4), so the
    financing case measures a draft with the corrections of every issued quarter, as an
    organisation has after a few years (``issue_ended_quarters``).
    """
    from django.utils import timezone

    from doorstroom.accounts.models import Organisation
    from doorstroom.accounts.services import api_token_create
    from doorstroom.reports.monitoring_export import snapshot_months
    from doorstroom.reports.snapshots import last_month_end, snapshots_take

    for role in ("coach", "team_lead"):
        user = getattr(subjects, role)
        subjects.keys[role] = api_token_create(user, name="bench.pages", by=user)[1]
    mine = Organisation.objects.filter(pk=subjects.organisation.pk)
    months = snapshot_months(mine)
    if not months:
        today = timezone.localdate()
        snapshots_take(month=last_month_end(today).replace(day=1), today=today)
        months = snapshot_months(mine)
    subjects.month_end = months[0] if months else None
    issue_ended_quarters(subjects.organisation, subjects.team_lead)


def _unmigrated() -> bool:
    """Tell whether the issued statements' table lacks a column of the code (not migrated)."""
    from django.db import connection

    from doorstroom.reports.models import IssuedStatement

    table = IssuedStatement._meta.db_table
    with connection.cursor() as cursor:
        found = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    return not {f.column for f in IssuedStatement._meta.concrete_fields} <= found


FIRST_ISSUED_QUARTER = (2024, 1)  # statements issued with Doorstroom from 2024 (the bench's choice)


def issue_ended_quarters(organisation: Any, team_lead: Any) -> list[Any]:
    """Issue the ended quarters not issued yet, oldest first: those since 2024-Q1, or since the
    first quarter with an art60 trajectory when that is later, up to the last ended quarter.
    """
    from django.db.models import Min
    from django.utils import timezone

    from doorstroom.reports.financing import statement_issue
    from doorstroom.reports.models import IssuedStatement
    from doorstroom.rules.financing import Quarter
    from doorstroom.trajectories.choices import TrajectoryKind
    from doorstroom.trajectories.models import Trajectory

    if _unmigrated():
        print(
            "bench: the database has unapplied migrations (manage.py migrate): "
            "no quarter is issued, the financing case drafts without issued quarters.",
            file=sys.stderr,
        )
        return []
    today = timezone.localdate()
    first = Trajectory.objects.filter(
        organisation=organisation, kind=TrajectoryKind.ART60
    ).aggregate(first=Min("start"))["first"]
    if first is None:
        return []
    issued = set(
        IssuedStatement.objects.filter(organisation=organisation).values_list("year", "quarter")
    )
    quarter = max(Quarter.of(first), Quarter(*FIRST_ISSUED_QUARTER))
    found = []
    while quarter < Quarter.of(today):
        if (quarter.year, quarter.number) not in issued:
            found.append(
                statement_issue(
                    organisation=organisation, quarter=quarter, today=today, by=team_lead
                )
            )
        year, number = divmod(quarter.year * 4 + quarter.number, 4)  # the next quarter
        quarter = Quarter(year, number + 1)
    return found


def finish(subjects: Subjects) -> None:
    """Revoke the run's API tokens."""
    from doorstroom.accounts.models import ApiToken
    from doorstroom.accounts.services import api_token_revoke

    for user in (subjects.coach, subjects.team_lead):
        for token in ApiToken.objects.filter(user=user, name="bench.pages", revoked_at=None):
            api_token_revoke(token, by=user)


# The cases ---------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    label: str
    user: str  # coach | team_lead
    url: str
    method: str = "GET"
    data: Callable[[], dict[str, Any]] | None = None  # a POST body, built anew per request
    api: bool = False  # with the user's API token instead of the session
    follow: bool = False  # follow redirects (the import's dry run lands on its report)
    content_type: str = "text/html"  # what the answer must be (a refused form is HTML too)


def _import_body() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.imports.files import CLIENT_HEADERS, client_rows, csv_bytes

    content = csv_bytes(CLIENT_HEADERS, client_rows(IMPORT_ROWS), delimiter=";", bom=True)
    return {"kind": "clients", "file": SimpleUploadedFile("bench.csv", content, "text/csv")}


# The dossier's other tabs (clients.tabs), each a page of its own with the dossier's target.
DOSSIER_TABS = ("development", "placements", "instruments", "financing", "journal", "documents")


def cases(s: Subjects) -> list[Case]:
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils import timezone

    from doorstroom.rules.financing import Quarter

    quarter = str(Quarter.of(timezone.localdate()))
    organisation = s.organisation.pk
    month = f"{s.month_end:%Y-%m}" if s.month_end else ""
    caseload = reverse("trajectories:caseload")
    return [
        Case(FLOOR, "floor: a trivial page", "coach", reverse("core:area", args=["library"])),
        Case("caseload_coach", "caseload (coach)", "coach", caseload),
        Case("caseload_team_lead", "caseload (team lead, team)", "team_lead",
             caseload + "?scope=team"),
        Case("dossier", "dossier: overview", "coach",
             reverse("clients:detail", args=[s.client.pk])),
        *(Case(f"dossier_{tab}", f"dossier: {tab} tab", "coach",
               reverse("clients:tab", args=[s.client.pk, tab]))
          for tab in DOSSIER_TABS),
        Case("search", f"client search «{s.search}»", "coach",
             reverse("clients:list") + "?" + urlencode({"q": s.search})),
        Case("deadlines", "deadlines (caseload, overdue)", "coach", caseload + "?signal=overdue"),
        Case("match_client", "matching client → workplaces", "coach",
             reverse("employers:client_matches", args=[s.client.pk])),
        Case("match_workplace", "matching workplace → clients", "coach",
             reverse("employers:workplace_matches", args=[s.workplace.pk])),
        Case("dashboard", "dashboard (team lead)", "team_lead", reverse("monitoring:dashboard")),
        Case("financing", f"financing statement {quarter}", "team_lead",
             reverse("monitoring:financing-statement")
             + "?" + urlencode({"organisation": organisation, "quarter": quarter})),
        Case("monitoring_export", f"monitoring export XLSX {month}", "team_lead",
             reverse("monitoring:monitoring-export"), method="POST",
             data=lambda: {"organisation": organisation, "month": month, "password": ""},
             content_type=XLSX),
        Case("api_clients", "API: clients list", "coach", reverse("api:client-list"), api=True,
             content_type="application/json"),
        Case("api_trajectories", "API: trajectories list", "coach",
             reverse("api:trajectory-list"), api=True, content_type="application/json"),
        Case("pdf", "PDF: the client's data overview", "coach",
             reverse("clients:overview-pdf", args=[s.client.pk]), content_type="application/pdf"),
        Case("import_dry_run", f"import dry run ({IMPORT_ROWS} clients)", "team_lead",
             reverse("imports:list"), method="POST", data=_import_body, follow=True),
    ]  # fmt: skip


# Measuring ---------------------------------------------------------------------------------


class QueryCounter:
    """Count the queries sent to the database (without formatting or keeping them)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def problem(case: Case, response: Any) -> str:
    """What is wrong with an answer: not 200, not the expected kind, a form sent back."""
    if response.status_code != 200:
        return f"status {response.status_code}, not 200"
    kind = response.get("Content-Type", "")
    if not kind.startswith(case.content_type):
        return f"{kind or 'no content type'}, not {case.content_type}"
    if case.follow and not response.redirect_chain:
        return "the form was sent back (no redirect to the result)"
    return ""


class Runner:
    """One logged-in test client per user, one token-only client per API user."""

    def __init__(self, subjects: Subjects) -> None:
        from django.test import Client as HttpClient

        self.sessions: dict[str, Any] = {}
        self.api: dict[str, Any] = {}
        for role in ("coach", "team_lead"):
            session = HttpClient()
            session.force_login(getattr(subjects, role))
            self.sessions[role] = session
            self.api[role] = HttpClient(HTTP_AUTHORIZATION=f"Token {subjects.keys[role]}")

    def request(self, case: Case) -> tuple[float, str, int]:
        """One request: (milliseconds, what is wrong with the answer or "", queries)."""
        from django.db import connection

        client = self.api[case.user] if case.api else self.sessions[case.user]
        counter = QueryCounter()
        body = case.data() if case.data else {}  # built outside the timed part
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            if case.method == "POST":
                response = client.post(case.url, body, follow=case.follow)
            else:
                response = client.get(case.url, follow=case.follow)
            if response.streaming:
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, problem(case, response), counter.count

    def measure(self, case: Case, repeat: int, floor: Case | None = None) -> dict[str, Any]:
        """Time ``case``; with ``floor``, request the floor before each of its requests.

        The floor's own times, taken in turns with the case's, give the case its own floor
        (``floor_p95_ms``): a machine whose speed drifts during a run (this one's by up to 2×
        within seconds) then moves both alike, and not the ratio of one to the other.
        """
        result: dict[str, Any] = {
            "name": case.name,
            "label": case.label,
            "user": case.user,
            "method": case.method,
            "url": case.url,
        }
        times: list[float] = []
        floors: list[float] = []
        counts: set[int] = set()
        try:
            for n in range(repeat + 1):  # the first one warms up, and is not counted
                if floor is not None:
                    floors.append(self._timed(floor))
                elapsed, wrong, queries = self.request(case)
                if wrong:
                    raise AssertionError(wrong)
                if n:
                    times.append(elapsed)
                    counts.add(queries)
        except Exception as error:  # a failing case is reported, not raised
            result.update(ok=False, error=f"{type(error).__name__}: {error}"[:500])
            return result
        result.update(
            ok=True,
            error="",
            p50_ms=round(statistics.median(times), 2),
            p95_ms=round(percentile(times, 0.95), 2),
            mean_ms=round(statistics.fmean(times), 2),
            max_ms=round(max(times), 2),
            queries=sorted(counts),
        )
        if floors[1:]:
            result["floor_p95_ms"] = round(percentile(floors[1:], 0.95), 2)
        return result

    def _timed(self, case: Case) -> float:
        elapsed, wrong, _queries = self.request(case)
        if wrong:
            raise AssertionError(f"floor: {wrong}")
        return elapsed


# Machine, database and results -------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_times() -> tuple[int, int] | None:
    """(busy, total) jiffies of all cores so far, from /proc/stat (None elsewhere)."""
    try:
        fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_share(before: tuple[int, int] | None) -> float | None:
    """The share of all cores' time that was busy since ``before`` (this run included)."""
    after = cpu_times()
    if before is None or after is None or after[1] == before[1]:
        return None
    return round((after[0] - before[0]) / (after[1] - before[1]), 2)


def database_version() -> str:
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def code_version() -> str:
    """The commit measured, with "+changes" when the working tree differs from it."""
    import subprocess

    def git(*args: str) -> str:
        done = subprocess.run(  # noqa: S603  (a fixed git command, no outside input)
            ["git", *args],  # noqa: S607  (git from PATH, as a developer runs it)
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "unknown"
    changed = git("status", "--porcelain", "--untracked-files=no")
    return f"{commit}+changes" if changed else commit


def machine() -> dict[str, Any]:
    import django

    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database_version(),
        "platform": platform.platform(),
        "load_average": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def row_counts() -> dict[str, int]:
    """The size of the main tables."""
    from django.apps import apps

    models = {
        "organisations": "accounts.Organisation",
        "users": "accounts.User",
        "clients": "clients.Client",
        "trajectories": "trajectories.Trajectory",
        "journal entries": "clients.JournalEntry",
        "employers": "employers.Employer",
        "workplaces": "employers.Workplace",
        "placements": "employers.Placement",
        "POP versions": "plans.PlanVersion",
        "evaluations": "evaluations.Evaluation",
        "evaluation scores": "evaluations.EvaluationScore",
        "audit events": "core.AuditEvent",
    }
    return {label: apps.get_model(name).objects.count() for label, name in models.items()}


@dataclass
class Options:
    scale: str
    repeat: int
    results: Path
    only: list[str]
    sql: str = ""  # print the queries of one request of this case instead of measuring


def run(options: Options) -> tuple[dict[str, Any], Path]:
    """Measure every case (or ``only`` these, besides the floor) and write the JSON."""
    from django.db import connection

    host = machine()  # its load average before the run adds its own
    cpu_before = cpu_times()
    rows = row_counts()  # before the run writes its audit events
    subjects = find_subjects()
    prepare(subjects)
    selected = [c for c in cases(subjects) if not options.only or c.name in {FLOOR, *options.only}]
    results = []
    try:
        with bench_settings():
            runner = Runner(subjects)
            floor = next(c for c in selected if c.name == FLOOR)
            for case in selected:
                turns = None if case is floor else floor  # the floor in turns with each case
                results.append(runner.measure(case, options.repeat, turns))
                print(_line(results[-1]), flush=True)
    finally:
        finish(subjects)
    host["cpu_busy"] = busy_share(cpu_before)
    data = {
        "vendor": connection.vendor,
        "scale": options.scale,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "repeat": options.repeat,
        "code": code_version(),
        "machine": host,
        "rows": rows,
        "subjects": subjects.describe(),
        "cases": results,
    }
    options.results.mkdir(parents=True, exist_ok=True)
    path = options.results / f"{connection.vendor}-{options.scale}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return data, path


@contextlib.contextmanager
def bench_settings() -> Iterator[None]:
    """No required second factor, DEBUG off, the test client's host, files in a temp folder
    that is removed afterwards."""
    from django.conf import settings
    from django.test import override_settings

    with (
        tempfile.TemporaryDirectory(prefix="bench-media-") as media,
        override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            DOORSTROOM_2FA_REQUIRED_ROLES=[],
            DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS=False,
            MEDIA_ROOT=media,
        ),
    ):
        yield


def _line(result: dict[str, Any]) -> str:
    if not result["ok"]:
        return f"{result['label']:<44} FAILED  {result['error']}"
    floor = result.get("floor_p95_ms")
    ratio = f"  {result['p95_ms'] / floor:4.1f}× floor" if floor else ""
    return (
        f"{result['label']:<44} p50 {result['p50_ms']:8.1f} ms  p95 {result['p95_ms']:8.1f} ms  "
        f"queries {result['queries']}{ratio}"
    )


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--scale", default="demo", help="label of the data (s, m, l, demo)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per case")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder of the JSON files")
    parser.add_argument("--only", default="", help="comma-separated case names (and the floor)")
    parser.add_argument("--sql", default="", help="print the queries of one case, slowest first")
    args = parser.parse_args(argv)
    only = [name for name in args.only.split(",") if name]
    return Options(
        scale=args.scale,
        repeat=max(1, args.repeat),
        results=args.results,
        only=only,
        sql=args.sql,
    )


def show_sql(name: str) -> None:
    """One request of a case (after a warm-up), its queries printed slowest first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    subjects = find_subjects()
    prepare(subjects)
    with bench_settings():
        found = [case for case in cases(subjects) if case.name == name]
        if not found:
            sys.exit(f"No case {name!r}: {', '.join(c.name for c in cases(subjects))}.")
        runner = Runner(subjects)
        runner.request(found[0])
        with CaptureQueriesContext(connection) as captured:
            elapsed, wrong, _count = runner.request(found[0])
    finish(subjects)
    in_sql = sum(float(q["time"]) for q in captured) * 1000
    print(f"{found[0].label}: {elapsed:.1f} ms, {len(captured)} queries ({in_sql:.1f} ms) {wrong}")
    for query in sorted(captured, key=lambda q: -float(q["time"])):
        print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:600]}")


def main(argv: list[str] | None = None) -> None:
    options = parse(argv)
    setup_django()
    from django.db import connection

    print(f"database: {connection.vendor} ({database_version()}); scale {options.scale}")
    if options.sql:
        show_sql(options.sql)
        return
    data, path = run(options)
    failed = [c["name"] for c in data["cases"] if not c["ok"]]
    print(f"written: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if failed:
        print(f"FAILED cases: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
