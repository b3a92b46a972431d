"""Write docs/performance.md from every result of the page benchmark in bench/results/.

    .venv/bin/python -m bench.report [--results bench/results] [--out docs/performance.md]

One table per database and scale (the figures, the ratio of each p95 to the floor's p95 of the
same run, the target of issue 11 and whether it is met), and a check that each page's query
count does not grow with the data. What stands between the load-test markers and between the
findings markers in an existing docs/performance.md is kept as it is (both are written there by
hand).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.pages import DOSSIER_TABS

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
OUT = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- load-test:begin -->", "<!-- load-test:end -->"
VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
SCALES = ["s", "m", "l"]
FLOOR = "floor"


@dataclass(frozen=True)
class Target:
    """Issue 11: p95 at most ``ms``, and at most ``floor`` times the floor's p95 if given."""

    ms: float
    floor: float | None = None

    def text(self) -> str:
        within = f" and ≤ {self.floor:g}× floor" if self.floor else ""
        return f"≤ {self.ms:g} ms{within}"

    def met(self, p95: float, floor_p95: float | None) -> bool:
        if p95 > self.ms:
            return False
        return not (self.floor and floor_p95 and p95 > self.floor * floor_p95)


PAGE = Target(100, 3)
TARGETS = {
    "caseload_coach": PAGE,
    "caseload_team_lead": PAGE,
    "dossier": PAGE,
    **{f"dossier_{tab}": PAGE for tab in DOSSIER_TABS},
    "search": PAGE,
    "deadlines": PAGE,
    "dashboard": Target(300),
    "financing": Target(300),
    "api_clients": Target(100),
    "api_trajectories": Target(100),
    "match_client": Target(200),
    "match_workplace": Target(200),
}

INTRO = """\
# Performance

Issue 11: how fast the pages are when one installation holds a region's data. This file is
written by `python -m bench.report` from the JSON results in `bench/results/`; do not edit the
tables by hand.

**What is measured.** `python -m bench.pages` logs in (`force_login`) as the coach with the most
running trajectories, their team lead, and (for the API) with a personal token of the coach, and
sends each request through Django's test client: the whole middleware stack and the view, in
one process, without network or gunicorn (server time only). Each case is requested once to warm
up and then N times (`--repeat`, 20 by default); p50 and p95 are the median and the nearest-rank
95th percentile of those N times, measured around the request (a downloaded body is read inside
it). *Queries* are the numbers of SQL queries seen over the N requests: one number when every
request sent the same; a second, slightly higher one when a case's requests span more than a
minute (the session's last activity is written once a minute). The **floor** is a trivial
logged-in page (an area page: the session, the user and the page shell), requested in turns with
each case (one floor request before each of the case's); *× floor* is the case's p95 divided by the
p95 of those floor requests, so a slow or busy machine does not hide a slow page, and a machine
whose speed drifts during the run (this one's by up to 2× within seconds) moves both alike. The
floor's own row is its run on its own, before the cases. How busy the machine was is shown with
each run: the 1-minute load average at its start (which still counts the data generation just
before) and the share of all cores' time that was busy during it. The benchmark itself keeps about
one core busy (on PostgreSQL a little more, with the server): on 2 cores, well above 50–60 % means
other work shared the CPU and the absolute times are too high. Sessions and the database
connection persist between requests, as with `CONN_MAX_AGE` in production. The process starts
as a gunicorn worker does (`config/wsgi.py`: what start-up built is frozen out of the garbage
collector's full passes), so a request's time holds only the collections a worker would make
(since 91b486e; before, a full pass over ~170,000 start-up objects, up to 85 ms, fell in about
one request in ten of the heavier cases and set their p95). The run writes what
the pages write (audit events of dossier reads, the import's dry-run records), so it runs on a
throwaway database.

**Targets** (issue 11, at scale l on both databases): caseload, dossier (its overview and each
of its tabs), search and deadlines p95 ≤ 100 ms and ≤ 3× the floor; dashboards and financing
≤ 300 ms; API lists ≤ 100 ms; matching ≤ 200 ms; query counts independent of the scale. The
floor, the monitoring export, the PDF and the import have no target: they are measured to watch
them.

**Rerun.** `make bench` (= `bin/bench`) fills a SQLite file and a throwaway PostgreSQL 15
cluster at every scale in `BENCH_SCALES` (default `s m`) with `manage.py generate_load`, runs
`bench.pages` on each, `bench.matching` once per database (its own data: 5,000 workplaces and
20,000 clients; its output is kept in `bench/results/matching-<db>.txt` and shown below), then
this report. By hand, against a filled database:

    DATABASE_URL=… .venv/bin/python -m bench.pages --scale s   # → bench/results/<db>-s.json
    .venv/bin/python -m bench.report                           # → docs/performance.md

To see where a slow page spends its time: `bench.pages --sql financing` prints the queries of
one request of that case, slowest first, with the total time in SQL (`--only a,b` measures only
some cases, with the floor).
"""

FINDINGS_BEGIN, FINDINGS_END = "<!-- findings:begin -->", "<!-- findings:end -->"
FINDINGS_PLACEHOLDER = f"""{FINDINGS_BEGIN}
## Findings

(What the figures below mean, written by hand after a run.)
{FINDINGS_END}"""

LOAD_TEST_PLACEHOLDER = f"""{BEGIN}
## Load test

(The locust scenario's results are written here.)
{END}"""


def load(folder: Path) -> list[dict[str, Any]]:
    """Every result file, ordered by database and then by scale (s, m, l, then the others)."""
    found = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    vendors = list(VENDORS)

    def key(result: dict[str, Any]) -> tuple[int, int, str]:
        vendor, scale = result["vendor"], str(result["scale"])
        v = vendors.index(vendor) if vendor in vendors else len(vendors)
        s = SCALES.index(scale) if scale in SCALES else len(SCALES)
        return v, s, f"{vendor}-{scale}"

    return sorted(found, key=key)


def title(result: dict[str, Any]) -> str:
    return f"{VENDORS.get(result['vendor'], result['vendor'])} · scale {result['scale']}"


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _counts(case: dict[str, Any]) -> str:
    return ", ".join(str(n) for n in case.get("queries", [])) or "—"


def _load(machine: dict[str, Any]) -> str:
    """How busy the machine was: the run itself keeps about one core busy."""
    shown = []
    if (load := machine.get("load_average")) is not None:
        shown.append(f"load average {load:.1f} at the start")
    if (busy := machine.get("cpu_busy")) is not None:
        shown.append(f"all cores {busy:.0%} busy during the run")
    return f" ({', '.join(shown)})" if shown else ""


def floor_p95(result: dict[str, Any]) -> float | None:
    for case in result["cases"]:
        if case["name"] == FLOOR and case["ok"]:
            return float(case["p95_ms"])
    return None


def case_row(case: dict[str, Any], floor: float | None) -> str:
    target = TARGETS.get(case["name"])
    wanted = target.text() if target else "—"
    if not case["ok"]:
        return f"| {case['label']} | failed | failed | — | — | {wanted} | ✗ failed |"
    p95 = float(case["p95_ms"])
    floor = case.get("floor_p95_ms", floor)  # the floor requested in turns with this case
    ratio = f"{p95 / floor:.1f}×" if floor else "—"
    verdict = ("✓" if target.met(p95, floor) else "✗") if target else ""
    return (
        f"| {case['label']} | {_ms(case['p50_ms'])} | {_ms(p95)} | {_counts(case)} | {ratio} "
        f"| {wanted} | {verdict} |"
    )


def run_table(result: dict[str, Any]) -> str:
    machine = result["machine"]
    rows = ", ".join(f"{n:,} {label}" for label, n in result["rows"].items())
    floor = floor_p95(result)
    lines = [
        f"### {title(result)}",
        "",
        f"{result['date']} · {machine['database']} · {machine['cpu']}, {machine['cores']} cores"
        f"{_load(machine)} · Python {machine['python']}, Django {machine['django']} · "
        f"{result['repeat']} requests per case · code {result.get('code', 'unknown')}",
        "",
        f"Rows: {rows}.",
        "",
        "| Case | p50 ms | p95 ms | Queries | × floor | Target (p95) | Met |",
        "|---|--:|--:|--:|--:|---|:-:|",
        *(case_row(case, floor) for case in result["cases"]),
    ]
    failed = [case for case in result["cases"] if not case["ok"]]
    if failed:
        lines += ["", "Failed:", ""]
        lines += [f"- {case['label']} (`{case['url']}`): {case['error']}" for case in failed]
    return "\n".join(lines)


def scale_check(results: list[dict[str, Any]]) -> str:
    """Each case's query counts per database and scale, and whether they stay the same."""
    columns = [(r["vendor"], str(r["scale"])) for r in results]
    by_run = {(r["vendor"], str(r["scale"])): {c["name"]: c for c in r["cases"]} for r in results}
    names: dict[str, str] = {}
    for result in results:
        for case in result["cases"]:
            names.setdefault(case["name"], case["label"])
    header = " | ".join(f"{VENDORS.get(v, v)} {s}" for v, s in columns)
    lines = [
        "## Query count independent of scale",
        "",
        "The queries of each case at each scale: ✓ when the smallest count of each run (without "
        "the once-a-minute session write) is the same at every scale of a database (at least two "
        "scales needed), ✗ when it changes with the data.",
        "",
        f"| Case | {header} | Same |",
        "|---|" + "--:|" * len(columns) + ":-:|",
    ]
    for name, label in names.items():
        cells = [by_run[column].get(name) for column in columns]
        shown = [_counts(c) if c and c["ok"] else "—" for c in cells]
        lines.append(f"| {label} | {' | '.join(shown)} | {_same(name, by_run, columns)} |")
    return "\n".join(lines)


def _same(name: str, by_run: dict[Any, Any], columns: list[tuple[str, str]]) -> str:
    verdicts = []
    for vendor in dict.fromkeys(v for v, _ in columns):
        seen = [by_run[(v, s)].get(name) for v, s in columns if v == vendor]
        counts = [min(c["queries"]) for c in seen if c and c["ok"] and c["queries"]]
        if len(counts) >= 2:
            verdicts.append(len(set(counts)) == 1)
    if not verdicts:
        return "—"
    return "✓" if all(verdicts) else "✗"


def matching_section(folder: Path) -> str:
    """The output of bench.matching, as bin/bench kept it, per database."""
    found = sorted(folder.glob("matching-*.txt"))
    if not found:
        return ""
    lines = [
        "## Matching benchmark",
        "",
        "`python -m bench.matching`: the two matching selectors on their own data (5,000 "
        "workplaces, 20,000 clients), outside the page (no request, no template).",
    ]
    for path in found:
        vendor = path.stem.removeprefix("matching-")
        lines += ["", f"{VENDORS.get(vendor, vendor)}:", "", "```", path.read_text().strip(), "```"]
    return "\n".join(lines)


def kept_block(existing: str, begin: str, end: str, placeholder: str) -> str:
    """The hand-written section between ``begin`` and ``end`` of the existing file, as it is."""
    start, stop = existing.find(begin), existing.find(end)
    if start == -1 or stop == -1 or stop < start:
        return placeholder
    return existing[start : stop + len(end)]


def load_test_block(existing: str) -> str:
    return kept_block(existing, BEGIN, END, LOAD_TEST_PLACEHOLDER)


def findings_block(existing: str) -> str:
    return kept_block(existing, FINDINGS_BEGIN, FINDINGS_END, FINDINGS_PLACEHOLDER)


def render(results: list[dict[str, Any]], existing: str = "", matching: str = "") -> str:
    parts = [INTRO, findings_block(existing), "## Page benchmark"]
    if not results:
        parts.append("No results yet: run `make bench`.")
    parts += [run_table(result) for result in results]
    if results:
        parts.append(scale_check(results))
    if matching:
        parts.append(matching)
    parts.append(load_test_block(existing))
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    existing = args.out.read_text() if args.out.exists() else ""
    results = load(args.results)
    args.out.write_text(render(results, existing, matching_section(args.results)))
    print(f"written: {args.out} ({len(results)} runs)")


if __name__ == "__main__":
    main()
