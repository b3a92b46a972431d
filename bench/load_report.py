"""Summarise the locust load test (bin/load-test) and write it into docs/performance.md.

    python -m bench.load_report --doc docs/performance.md --about "…" 20=samples20.json 50=…

Each ``USERS=FILE`` is the JSON the locustfile writes at the end of a run (``LOAD_SAMPLES``):
one ``[time, name, milliseconds, error]`` per request, so the percentiles here are exact (not
locust's rounded buckets) and can leave the logins out. Pure Python: no locust, no Django.
The summary goes between the markers below; nothing else of the file is touched.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BEGIN = "<!-- load-test:begin -->"
END = "<!-- load-test:end -->"
TARGET_USERS = 50
TARGET_P95_MS = 500.0
LOGIN_NAMES = ("login", "login (form)")
DAY = "coach's day (all but login)"
SETTLE_S = 15.0  # after the last login, before the steady state counts
ALL = "all requests"


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the epoch, when the request ended
    name: str
    ms: float
    error: str  # empty when the request succeeded


@dataclass(frozen=True)
class Row:
    name: str
    count: int
    errors: int
    per_second: float
    p50: float
    p95: float
    max: float


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile ``q`` (0-100) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def read_samples(path: Path) -> list[Sample]:
    return [
        Sample(float(a), str(n), float(m), str(e or ""))
        for a, n, m, e in json.loads(path.read_text(encoding="utf-8"))
    ]


def _row(name: str, samples: list[Sample], seconds: float) -> Row:
    times = [s.ms for s in samples]
    return Row(
        name=name,
        count=len(samples),
        errors=sum(1 for s in samples if s.error),
        per_second=len(samples) / seconds if seconds > 0 else 0.0,
        p50=percentile(times, 50),
        p95=percentile(times, 95),
        max=max(times, default=0.0),
    )


def summarise(samples: list[Sample]) -> list[Row]:
    """One row per request type (most requested first), then the day without logins, then all."""
    seconds = max(s.at for s in samples) - min(s.at for s in samples) if samples else 0.0
    names = Counter(s.name for s in samples)
    rows = [_row(n, [s for s in samples if s.name == n], seconds) for n, _ in names.most_common()]
    day = [s for s in samples if s.name not in LOGIN_NAMES]
    return [*rows, _row(DAY, day, seconds), _row(ALL, samples, seconds)]


def errors_by_kind(samples: list[Sample], top: int = 5) -> list[tuple[str, int]]:
    return Counter(f"{s.name}: {s.error}" for s in samples if s.error).most_common(top)


def steady(samples: list[Sample], settle: float = SETTLE_S) -> list[Sample]:
    """The requests that ended ``settle`` s or more after the last login ended.

    With every user spawned and the logins' queue drained, this is the coach's day proper; the
    whole run also holds the login storm (a password hash costs a third of a CPU second).
    """
    logins = [s.at for s in samples if s.name in LOGIN_NAMES]
    if not logins:
        return list(samples)
    cutoff = max(logins) + settle
    return [s for s in samples if s.at >= cutoff]


def verdict(rows: list[Row]) -> str:
    """The issue's target on the coach's day at 50 users: no errors and p95 ≤ 500 ms."""
    day = next(r for r in rows if r.name == DAY)
    errors = sum(r.errors for r in rows if r.name == ALL)
    if day.count == 0:
        return "**not measured**: no request in this part of the run."
    met = errors == 0 and day.p95 <= TARGET_P95_MS
    return (
        f"**{'met' if met else 'not met'}**: p95 {day.p95:.0f} ms over the coach's day "
        f"(logins apart), {errors} error{'s' if errors != 1 else ''}."
    )


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| request | count | req/s | errors | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        name = f"**{r.name}**" if r.name in (DAY, ALL) else r.name
        lines.append(
            f"| {name} | {r.count} | {r.per_second:.1f} | {r.errors} | {r.p50:.0f} | "
            f"{r.p95:.0f} | {r.max:.0f} |"
        )
    return lines


def _seconds(samples: list[Sample]) -> float:
    return max(s.at for s in samples) - min(s.at for s in samples) if samples else 0.0


def _run_section(users: int, samples: list[Sample], settle: float) -> list[str]:
    calm = steady(samples, settle)
    lines = [
        f"### {users} concurrent users",
        "",
        f"Steady state: the {len(calm)} requests that ended from {settle:.0f} s after the last "
        f"login on ({_seconds(calm):.0f} s):",
        "",
        *table(summarise(calm)),
        "",
        f"Whole run, logins included: {len(samples)} requests in {_seconds(samples):.0f} s:",
        "",
        *table(summarise(samples)),
        "",
    ]
    if found := errors_by_kind(samples):
        lines += ["Errors: " + "; ".join(f"{what} ({n}×)" for what, n in found), ""]
    return lines


def render(runs: dict[int, list[Sample]], about: str, settle: float = SETTLE_S) -> str:
    """The markdown between the markers: what ran, the verdicts, the tables per user count."""
    lines = ["## Load test (locust)", "", about, ""]
    if TARGET_USERS in runs:
        whole = runs[TARGET_USERS]
        lines += [
            f"Target (issue 11): at {TARGET_USERS} users no errors and p95 ≤ "
            f"{TARGET_P95_MS:.0f} ms.",
            "",
            f"- Steady state: {verdict(summarise(steady(whole, settle)))}",
            f"- Whole run, with every user logging in within the first seconds: "
            f"{verdict(summarise(whole))}",
            "",
        ]
    for users, samples in sorted(runs.items()):
        lines += _run_section(users, samples, settle)
    return "\n".join(lines).rstrip() + "\n"


def replace_block(text: str, block: str) -> str:
    """``text`` with ``block`` between the markers; the markers are appended when missing."""
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + ("\n\n" if text.strip() else "") + f"{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{block.rstrip()}\n{END}{tail}"


def write_doc(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    path.write_text(replace_block(text, block), encoding="utf-8")


def _run(argument: str) -> tuple[int, list[Sample]]:
    users, _, file = argument.partition("=")
    return int(users), read_samples(Path(file))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", metavar="USERS=SAMPLES.json")
    parser.add_argument("--doc", type=Path, help="write the summary between the markers here")
    parser.add_argument("--about", default="", help="what ran: data, database, server, machine")
    parser.add_argument("--settle", type=float, default=SETTLE_S, help="s after the last login")
    args = parser.parse_args(argv)
    block = render(dict(_run(r) for r in args.runs), args.about, args.settle)
    print(block)
    if args.doc:
        write_doc(args.doc, block)
        print(f"load_report: written between the load-test markers of {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
