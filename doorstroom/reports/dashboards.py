"""Dashboards: scoped aggregates for charts, and the dossiers behind every figure (SPEC §4).

Every figure counts *trajectories* (dossiers), so that its drill-down lists exactly that many.
Scope: a team lead sees the trajectories of the organisations they lead, everyone sees the
trajectories they lead as coach — always inside ``Trajectory.objects.visible_to`` (R-PRV-1):
that scope holds them already (``trajectories``), and a month-end row of a dossier handed out
of reach since is left out (``_hidden``), so no chart repeats the whole scope as a subquery.
The figures over time come from the month-end snapshot (R-FIN-4), one GROUP BY for all of
them (``tally``), so no chart walks the history of each trajectory.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse
from django.utils import formats
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstroom.accounts.models import User
from doorstroom.accounts.roles import Role
from doorstroom.core.params import as_id
from doorstroom.core.regulation import ruleset_on
from doorstroom.employers.models import Placement, PlacementEndReason
from doorstroom.instruments.explain import kind_label
from doorstroom.instruments.models import InstrumentUse, UseResult
from doorstroom.reports.models import MonthEndSnapshot, Outflow, OutflowFollowUp, OutflowKind
from doorstroom.rules.periods import month_end
from doorstroom.trajectories.choices import Phase, Status, TrajectoryKind
from doorstroom.trajectories.models import Trajectory

# Okabe–Ito: colours that stay apart for colour-blind readers.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000")
NONE_KEY = "none"  # the key of an empty value (no phase, no coach)
TOP_EMPLOYERS = 15
FOLLOWUP_MONTHS = (3, 6, 12)
# Time to outflow in days: upper bounds of the buckets (6, 12, 18, 24 months), then the rest.
DURATION_BOUNDS = (183, 365, 548, 730)
DURATION_LABELS = (
    gettext_lazy("Under 6 months"),
    gettext_lazy("6 to 12 months"),
    gettext_lazy("12 to 18 months"),
    gettext_lazy("18 to 24 months"),
    gettext_lazy("24 months or more"),
)
SNAPSHOT_STATUS = {
    Status.RUNNING.value: gettext_lazy("Running"),
    Status.SUSPENDED.value: gettext_lazy("Suspended"),
    Status.STOPPED.value: gettext_lazy("Stopped"),
    "ended": gettext_lazy("Guidance ended"),
}
COMPLIANCE = {
    # key: (label, snapshot flag) — R-TRJ-6 evaluation, R-TRJ-7 POP, R-TRJ-2 AO
    "evaluation": (gettext_lazy("Evaluation on time"), "evaluation_overdue"),
    "pop": (gettext_lazy("POP update on time"), "pop_overdue"),
    "ao": (gettext_lazy("AO started in time"), "ao_in_time"),
}
EMPLOYER_FIGURES = {
    "placed": gettext_lazy("Placed"),
    "rotated": gettext_lazy("Rotated (placement ended for rotation)"),
    "outflow": gettext_lazy("Outflow to this employer"),
}


class DrillError(ValueError):
    """A drill-down that names no figure of the dashboard (bad metric, key or month)."""


# --- filters and scope ---------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters: a period of whole months, an organisation, a coach, a kind."""

    start: datetime.date  # the first day of the first month
    end: datetime.date  # the last day of the last month
    organisation: int | None = None
    coach: int | None = None
    kind: str = ""

    @cached_property
    def drill_base(self) -> str:
        """The drill-down's URL with these filters (worked out once: a page has hundreds)."""
        return reverse("monitoring:dashboard-dossiers") + "?" + urlencode(self.query())

    def query(self) -> dict[str, str]:
        """The filters as the dashboard's GET parameters."""
        params = {"start": f"{self.start:%Y-%m}", "end": f"{self.end:%Y-%m}"}
        if self.organisation:
            params["organisation"] = str(self.organisation)
        if self.coach:
            params["coach"] = str(self.coach)
        if self.kind:
            params["kind"] = self.kind
        return params


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The 12 whole months before ``today``'s month."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    for _month in range(11):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start, end


def is_team_lead(user: User) -> bool:
    return bool(user.organisation_ids(Role.TEAM_LEAD))


def _own(user: User) -> Q:
    # A team lead sees their organisations' figures; every user sees those they lead as coach.
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])  # as visible_to: nothing for an inactive user (R-PRV-1)
    return Q(organisation_id__in=user.organisation_ids(Role.TEAM_LEAD)) | Q(coach=user)


def _narrow(queryset: Any, filters: Filters) -> Any:
    if filters.organisation:
        queryset = queryset.filter(organisation_id=filters.organisation)
    if filters.coach:
        queryset = queryset.filter(coach_id=filters.coach)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset


def trajectories(user: User, filters: Filters) -> QuerySet[Trajectory]:
    """The trajectories the user's dashboard counts (R-PRV-1), narrowed by the filters.

    ``_own`` lies inside ``Trajectory.objects.visible_to``: R-PRV-1 lets the lead coach and
    the team leads of a trajectory's organisation open its client's dossier, so filtering by
    ``visible_to`` as well changes no row, and only cost each chart the whole scope as a
    subquery (issue 11). tests/reports/test_dashboard_scope.py holds this for every kind of
    user, so a change to the scope that breaks it fails there.
    """
    return _narrow(Trajectory.objects.filter(_own(user)), filters)


def coaches(user: User) -> QuerySet[User]:
    """The coaches of the trajectories on the user's dashboard (the coach filter's choices)."""
    scoped = Trajectory.objects.filter(_own(user))  # inside visible_to: see trajectories()
    return User.objects.filter(pk__in=scoped.values("coach_id")).order_by("last_name", "first_name")


def _hidden(user: User, filters: Filters) -> frozenset[int]:
    """The trajectories of the user's month-end rows in the period they may no longer open.

    A month-end row keeps the organisation and coach of its month, so it can be the user's
    while its trajectory has since gone to another organisation and coach, and its dossier
    out of the user's scope (R-PRV-1). Only those rows need ``visible_to``: a trajectory that is
    the user's now is visible (see ``trajectories``). Worked out in one query and kept on the
    user object, which lives as long as the request (like ``User.active_memberships``).
    """
    cache: dict[tuple[datetime.date, datetime.date], frozenset[int]]
    cache = user.__dict__.setdefault("_dashboard_hidden", {})
    key = (filters.start, filters.end)
    if key not in cache:
        now_own = Trajectory.objects.filter(_own(user)).values("pk")
        moved = MonthEndSnapshot.objects.filter(_own(user), month_end__range=key).exclude(
            trajectory__in=now_own
        )
        # visible_to only on the moved rows' trajectories: one query, few rows (issue 11).
        still_visible = Trajectory.objects.visible_to(user).filter(
            pk__in=moved.values("trajectory_id")
        )
        hidden = (
            moved.exclude(trajectory__in=still_visible.values("pk"))
            .order_by()  # no Meta.ordering in the DISTINCT
            .values_list("trajectory_id", flat=True)
            .distinct()
        )
        cache[key] = frozenset(hidden)
    return cache[key]


def snapshots(user: User, filters: Filters) -> QuerySet[MonthEndSnapshot]:
    """The month-end rows (R-FIN-4) of the period, as the organisation and coach stood then.

    Only of trajectories the user may open now (R-PRV-1): ``_hidden`` leaves out the others.
    """
    rows = MonthEndSnapshot.objects.filter(
        _own(user), month_end__range=(filters.start, filters.end)
    ).exclude(trajectory_id__in=_hidden(user, filters))
    return _narrow(rows, filters)


def _in_scope(user: User, filters: Filters) -> Q:
    return Q(trajectory__in=trajectories(user, filters).values("pk"))


def _outflows(user: User, filters: Filters) -> QuerySet[Outflow]:
    return Outflow.objects.filter(_in_scope(user, filters), on__range=(filters.start, filters.end))


def _placements(user: User, filters: Filters) -> QuerySet[Placement]:
    overlapping = Q(start__lte=filters.end) & (Q(end__isnull=True) | Q(end__gte=filters.start))
    return Placement.objects.filter(_in_scope(user, filters), overlapping)


def _rotations(user: User, filters: Filters) -> QuerySet[Placement]:
    return Placement.objects.filter(
        _in_scope(user, filters),
        end__range=(filters.start, filters.end),
        end_reason=PlacementEndReason.ROTATION,
    )


def _uses(user: User, filters: Filters) -> QuerySet[InstrumentUse]:
    return InstrumentUse.objects.filter(
        _in_scope(user, filters), start__lte=filters.end, end__gte=filters.start
    )


# --- charts --------------------------------------------------------------------------------


@dataclass
class Series:
    label: str
    colour: str
    values: list[float] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def add(self, value: float, url: str, text: str | None = None) -> None:
        self.values.append(value)
        self.urls.append(url)
        self.texts.append(str(value) if text is None else text)


@dataclass
class Chart:
    """One chart and its table: the same numbers, each with the URL of its dossiers."""

    slug: str
    title: str
    type: str  # "bar" or "line"
    labels: list[str]
    series: list[Series]
    stacked: bool = False
    horizontal: bool = False
    percent: bool = False
    note: str = ""

    @property
    def data(self) -> dict[str, Any]:
        """What static/js/dashboards.js draws (passed with json_script)."""
        return {
            "type": self.type,
            "labels": self.labels,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "percent": self.percent,
            "datasets": [
                {"label": s.label, "colour": s.colour, "data": s.values, "urls": s.urls}
                for s in self.series
            ],
        }

    @property
    def rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The table: one row per label, one (text, url) cell per series."""
        return [
            (label, [(s.texts[i], s.urls[i]) for s in self.series])
            for i, label in enumerate(self.labels)
        ]

    @property
    def is_empty(self) -> bool:
        return not self.labels or not any(any(s.values) for s in self.series)


def drill_url(filters: Filters, metric: str, key: Any, sub: str = "", month: Any = None) -> str:
    params = {"metric": metric, "key": str(key)}
    if sub:
        params["sub"] = sub
    if month is not None:
        params["month"] = f"{month:%Y-%m}"
    return filters.drill_base + "&" + urlencode(params)


def dashboard_url(filters: Filters) -> str:
    return reverse("monitoring:dashboard") + "?" + urlencode(filters.query())


def month_label(day: datetime.date) -> str:
    return formats.date_format(day, "M Y")


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _months(filters: Filters) -> list[datetime.date]:
    months, day = [], month_end(filters.start)
    while day <= filters.end:
        months.append(day)
        day = month_end(day + datetime.timedelta(days=1))
    return months


# The columns the figures over time count by: one GROUP BY gives them all (R-FIN-4).
TALLY_COLUMNS = (
    "month_end",
    "kind",
    "phase",
    "status",
    "guided",
    "evaluation_overdue",
    "pop_overdue",
    "ao_in_time",
)


def tally(user: User, filters: Filters) -> list[dict[str, Any]]:
    """The month-end rows of the period counted per month and value of every charted column.

    One query for the kind, phase, status and deadline charts: the number of groups is bounded
    by the months and the choices of each column, not by the number of trajectories.
    """
    return list(snapshots(user, filters).values(*TALLY_COLUMNS).annotate(n=Count("pk")))


def _over_time(
    rows: list[dict[str, Any]],
    filters: Filters,
    column: str,
    labels: dict[str, Any],
    slug: str,
    title: str,
) -> Chart:
    """A stacked bar per month of the snapshot rows grouped by ``column`` (R-FIN-4)."""
    counts: dict[tuple[datetime.date, str], int] = defaultdict(int)
    for r in rows:
        counts[r["month_end"], r[column]] += r["n"]
    months = _months(filters)
    present = {value for (_day, value) in counts}
    series = []
    for i, (value, label) in enumerate((v, lab) for v, lab in labels.items() if v in present):
        s = Series(str(label), _colour(i))
        for day in months:
            s.add(
                counts.get((day, value), 0), drill_url(filters, slug, value or NONE_KEY, month=day)
            )
        series.append(s)
    return Chart(slug, title, "bar", [month_label(d) for d in months], series, stacked=True)


def by_kind(rows: list[dict[str, Any]], filters: Filters) -> Chart:
    labels = dict(TrajectoryKind.choices)
    return _over_time(rows, filters, "kind", labels, "kind", _("Trajectories by kind"))


def by_phase(rows: list[dict[str, Any]], filters: Filters) -> Chart:
    labels: dict[str, Any] = {**dict(Phase.choices), "": gettext_lazy("No phase")}
    return _over_time(rows, filters, "phase", labels, "phase", _("Trajectories by phase"))


def by_status(rows: list[dict[str, Any]], filters: Filters) -> Chart:
    return _over_time(
        rows, filters, "status", SNAPSHOT_STATUS, "status", _("Trajectories by status")
    )


def last_snapshot(rows: list[dict[str, Any]]) -> datetime.date | None:
    """The last month end of the period with a snapshot on the user's dashboard."""
    return max((r["month_end"] for r in rows), default=None)


def caseload(user: User, filters: Filters, day: datetime.date | None) -> Chart:
    """Trajectories in guidance per coach at the last month end of the period."""
    title = _("Caseload per coach")
    s = Series(_("Trajectories in guidance"), _colour(0))
    labels: list[str] = []
    if day is None:
        return Chart("caseload", title, "bar", labels, [s], horizontal=True)
    rows = (
        snapshots(user, filters)
        .filter(month_end=day, guided=True)
        .values("coach_id", "coach__first_name", "coach__last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "coach__last_name", "coach__first_name")
    )
    for r in rows:
        name = f"{r['coach__first_name'] or ''} {r['coach__last_name'] or ''}".strip()
        labels.append(name or _("No coach"))
        s.add(r["n"], drill_url(filters, "caseload", r["coach_id"] or NONE_KEY, month=day))
    note = _("In guidance at the month end of %(month)s.") % {"month": month_label(day)}
    return Chart("caseload", title, "bar", labels, [s], horizontal=True, note=note)


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _compliance_counts(rows: list[dict[str, Any]]) -> dict[datetime.date, dict[str, int]]:
    """Per month, of the guided rows: how many, and how many met each deadline."""
    per_month: dict[datetime.date, dict[str, int]] = {}
    for r in rows:
        if not r["guided"]:
            continue
        month = per_month.setdefault(
            r["month_end"], {"guided": 0, "evaluation": 0, "pop": 0, "ao": 0, "ao_known": 0}
        )
        month["guided"] += r["n"]
        month["evaluation"] += 0 if r["evaluation_overdue"] else r["n"]
        month["pop"] += 0 if r["pop_overdue"] else r["n"]
        month["ao"] += r["n"] if r["ao_in_time"] else 0
        month["ao_known"] += 0 if r["ao_in_time"] is None else r["n"]
    return per_month


def compliance(tallied: list[dict[str, Any]], filters: Filters) -> Chart:
    """Per month: the share of guided trajectories with each deadline met (R-TRJ-2/6/7)."""
    rows = _compliance_counts(tallied)
    months = _months(filters)
    series = []
    for i, (key, (label, _flag)) in enumerate(COMPLIANCE.items()):
        s = Series(str(label), _colour(i))
        for day in months:
            r = rows.get(day, {})
            whole = r.get("ao_known" if key == "ao" else "guided", 0)
            part = r.get(key, 0)
            text = (
                _("%(share)s%% (%(late)s late)")
                % {"share": formats.number_format(_share(part, whole), 1), "late": whole - part}
                if whole
                else "—"
            )
            s.add(_share(part, whole), drill_url(filters, "compliance", key, "late", day), text)
        series.append(s)
    note = _(
        "Share of the trajectories in guidance at each month end; a point lists the late ones."
    )
    labels = [month_label(d) for d in months]
    return Chart("compliance", _("Deadlines met"), "line", labels, series, percent=True, note=note)


def outflow_counts(user: User, filters: Filters) -> dict[str, int]:
    """The outflows of the period per kind (R-END-2): for two charts, one query."""
    return dict(_outflows(user, filters).values_list("kind").annotate(n=Count("pk")))


def outflow_kinds(counts: dict[str, int], filters: Filters) -> Chart:
    s = Series(_("Outflows"), _colour(2))
    labels = []
    for kind, label in OutflowKind.choices:
        if counts.get(kind):
            labels.append(str(label))
            s.add(counts[kind], drill_url(filters, "outflow", kind))
    note = _("Outflows recorded in the period, by where the client went.")
    return Chart("outflow", _("Outflow at the end"), "bar", labels, [s], note=note)


def at_work(user: User, filters: Filters, counts: dict[str, int]) -> Chart:
    """At the end: outflow to the NEC; after 3/6/12 months: at work at the follow-up."""
    outflows = _outflows(user, filters)
    nec = counts.get(OutflowKind.NEC_JOB, 0)
    end = {"yes": nec, "no": sum(counts.values()) - nec}
    later = {
        r["months"]: r
        for r in OutflowFollowUp.objects.filter(trajectory_id__in=outflows.values("trajectory_id"))
        .values("months")
        .annotate(yes=Count("pk", filter=Q(at_work=True)), no=Count("pk", filter=Q(at_work=False)))
    }
    labels = [_("At the end (NEC job)")] + [
        _("After %(months)s months") % {"months": m} for m in FOLLOWUP_MONTHS
    ]
    yes = Series(_("At work"), _colour(2))
    no = Series(_("Not at work"), _colour(6))
    for key, r in [("end", end)] + [(str(m), later.get(m, {})) for m in FOLLOWUP_MONTHS]:
        yes.add(r.get("yes", 0), drill_url(filters, "at_work", key, "yes"))
        no.add(r.get("no", 0), drill_url(filters, "at_work", key, "no"))
    note = _(
        "Of the outflows in the period: a job in the regular economy at the end, "
        "and at work at the follow-ups recorded so far."
    )
    return Chart("at_work", _("Outflow to work"), "bar", labels, [yes, no], stacked=True, note=note)


class DaysBetween(Func):
    """Whole days from the second date to the first, as an integer on both databases.

    Not ``F(end) - F(start)``: on SQLite that calls a Python function per row and per use
    (five times a row in the buckets' CASE), a third of the chart's time (issue 11).
    """

    arg_joiner = " - "
    template = "(%(expressions)s)"  # PostgreSQL: date - date is an integer of days
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        (end, end_params), (start, start_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        sql = f"CAST(ROUND(julianday({end}) - julianday({start})) AS INTEGER)"
        return sql, (*end_params, *start_params)


def _with_days(outflows: QuerySet[Outflow]) -> Any:
    # Any: django-stubs do not carry the "days" and "bucket" annotations through a return type.
    whens = [When(days__lt=bound, then=Value(i)) for i, bound in enumerate(DURATION_BOUNDS)]
    bucket = Case(*whens, default=Value(len(DURATION_BOUNDS)), output_field=IntegerField())
    return outflows.annotate(days=DaysBetween("on", "trajectory__start")).annotate(bucket=bucket)


def median_days(outflows: QuerySet[Outflow], count: int) -> float | None:
    """The median time from start to outflow in days (one query: the middle one or two rows)."""
    if not count:
        return None
    middle = list(
        _with_days(outflows)
        .order_by("days", "pk")
        .values_list("days", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return sum(middle) / len(middle)


def time_to_outflow(user: User, filters: Filters) -> Chart:
    outflows = _outflows(user, filters)
    counts = dict(_with_days(outflows).values_list("bucket").annotate(n=Count("pk")))
    s = Series(_("Outflows"), _colour(0))
    for i in range(len(DURATION_LABELS)):
        s.add(counts.get(i, 0), drill_url(filters, "time", i))
    median = median_days(outflows, sum(counts.values()))
    note = (
        _("Median: %(months)s months (%(days)s days) from the start to the outflow.")
        % {"months": formats.number_format(median / 30.44, 1), "days": round(median)}
        if median is not None
        else _("No outflow in the period.")
    )
    labels = [str(label) for label in DURATION_LABELS]
    return Chart("time", _("Time to outflow"), "bar", labels, [s], note=note)


def instruments(user: User, filters: Filters) -> Chart:
    """Trajectories per instrument kind and result (R-INS-1), uses overlapping the period."""
    rows = (
        _uses(user, filters).values("kind", "result").annotate(n=Count("trajectory", distinct=True))
    )
    counts = {(r["kind"], r["result"]): r["n"] for r in rows}
    kinds = sorted({k for k, _r in counts})
    ruleset = ruleset_on(filters.end)
    series = []
    for i, (result, label) in enumerate(UseResult.choices):
        if not any((k, result) in counts for k in kinds):
            continue
        s = Series(str(label), _colour(i))
        for kind in kinds:
            s.add(counts.get((kind, result), 0), drill_url(filters, "instrument", kind, result))
        series.append(s)
    labels = [kind_label(ruleset, k) for k in kinds]
    note = _("Trajectories with an instrument used in the period, by its result.")
    return Chart(
        "instrument",
        _("Instruments and results"),
        "bar",
        labels,
        series,
        stacked=True,
        horizontal=True,
        note=note,
    )


def _employer_counts(user: User, filters: Filters) -> dict[int, dict[str, Any]]:
    employers: dict[int, dict[str, Any]] = {}

    def merge(rows: Iterable[dict[str, Any]], figure: str) -> None:
        for r in rows:
            entry = employers.setdefault(r["ref"], {"name": r["label"], "workplaces": 0})
            entry[figure] = r["n"]
            entry["workplaces"] = max(entry["workplaces"], r.get("workplaces", 0))

    by_employer = {"ref": F("workplace__employer_id"), "label": F("workplace__employer__name")}
    merge(
        _placements(user, filters)
        .values(**by_employer)
        .annotate(
            n=Count("trajectory", distinct=True), workplaces=Count("workplace", distinct=True)
        ),
        "placed",
    )
    merge(
        _rotations(user, filters)
        .values(**by_employer)
        .annotate(n=Count("trajectory", distinct=True)),
        "rotated",
    )
    merge(
        _outflows(user, filters)
        .filter(employer__isnull=False)
        .values(ref=F("employer_id"), label=F("employer__name"))
        .annotate(n=Count("pk")),
        "outflow",
    )
    return employers


def employers(user: User, filters: Filters) -> Chart:
    """Per employer: trajectories placed, rotated and flowed out to it (R-PLC-4, R-END-2)."""
    counts = _employer_counts(user, filters)
    top = sorted(
        counts.items(),
        key=lambda item: (-item[1].get("placed", 0), -item[1].get("outflow", 0), item[1]["name"]),
    )[:TOP_EMPLOYERS]
    series = [Series(str(label), _colour(i)) for i, label in enumerate(EMPLOYER_FIGURES.values())]
    labels = []
    for pk, entry in top:
        labels.append(
            f"{entry['name']} ({entry['workplaces']})" if entry["workplaces"] else entry["name"]
        )
        for s, figure in zip(series, EMPLOYER_FIGURES, strict=True):
            s.add(entry.get(figure, 0), drill_url(filters, "employer", pk, figure))
    note = _(
        "The %(count)s employers with the most placements in the period; "
        "in brackets the number of their workplaces used."
    ) % {"count": TOP_EMPLOYERS}
    return Chart(
        "employer", _("Employers and workplaces"), "bar", labels, series, horizontal=True, note=note
    )


def dashboard(user: User, filters: Filters) -> list[Chart]:
    """Every chart of the dashboard, in the order a team lead reads them."""
    rows, outflows = tally(user, filters), outflow_counts(user, filters)
    return [
        caseload(user, filters, last_snapshot(rows)),
        by_kind(rows, filters),
        by_phase(rows, filters),
        by_status(rows, filters),
        outflow_kinds(outflows, filters),
        at_work(user, filters, outflows),
        time_to_outflow(user, filters),
        instruments(user, filters),
        employers(user, filters),
        compliance(rows, filters),
    ]


# --- drill-down ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    """Which figure to open: the metric, its key (and sub-key) and, over time, the month."""

    metric: str
    key: str
    sub: str = ""
    month: datetime.date | None = None  # the month end


def _choice(value: str, allowed: Iterable[Any]) -> str:
    if value not in {str(a) for a in allowed}:
        raise DrillError(_("This figure does not exist on the dashboard."))
    return value


def _month_of(drill: Drill, filters: Filters) -> datetime.date:
    if drill.month is None or not filters.start <= drill.month <= filters.end:
        raise DrillError(_("Choose a month within the period."))
    return drill.month


def _snapshot_ids(user: User, filters: Filters, drill: Drill, lookups: dict[str, Any]) -> Any:
    return (
        snapshots(user, filters)
        .filter(month_end=_month_of(drill, filters), **lookups)
        .values("trajectory_id")
    )


def _drill_snapshot(column: str, allowed: Iterable[str]) -> Callable[..., Any]:
    def ids(user: User, filters: Filters, drill: Drill) -> Any:
        value = _choice(drill.key, [*allowed, NONE_KEY])
        return _snapshot_ids(user, filters, drill, {column: "" if value == NONE_KEY else value})

    return ids


def _drill_caseload(user: User, filters: Filters, drill: Drill) -> Any:
    if drill.key == NONE_KEY:
        return _snapshot_ids(user, filters, drill, {"guided": True, "coach__isnull": True})
    if as_id(drill.key) is None:
        raise DrillError(_("This figure does not exist on the dashboard."))
    return _snapshot_ids(user, filters, drill, {"guided": True, "coach_id": as_id(drill.key)})


def _drill_compliance(user: User, filters: Filters, drill: Drill) -> Any:
    flag = COMPLIANCE[_choice(drill.key, COMPLIANCE)][1]
    late = _choice(drill.sub, ["late", "on_time"]) == "late"
    # The snapshot flags say "overdue", except the AO's, which says "in time".
    value = (not late) if flag == "ao_in_time" else late
    return _snapshot_ids(user, filters, drill, {"guided": True, flag: value})


def _drill_outflow(user: User, filters: Filters, drill: Drill) -> Any:
    kind = _choice(drill.key, OutflowKind.values)
    return _outflows(user, filters).filter(kind=kind).values("trajectory_id")


def _drill_at_work(user: User, filters: Filters, drill: Drill) -> Any:
    key = _choice(drill.key, ["end", *FOLLOWUP_MONTHS])
    yes = _choice(drill.sub, ["yes", "no"]) == "yes"
    outflows = _outflows(user, filters)
    if key == "end":
        nec = Q(kind=OutflowKind.NEC_JOB)
        return outflows.filter(nec if yes else ~nec).values("trajectory_id")
    return OutflowFollowUp.objects.filter(
        trajectory__in=outflows.values("trajectory_id"), months=int(key), at_work=yes
    ).values("trajectory_id")


def _drill_time(user: User, filters: Filters, drill: Drill) -> Any:
    bucket = int(_choice(drill.key, range(len(DURATION_LABELS))))
    return _with_days(_outflows(user, filters)).filter(bucket=bucket).values("trajectory_id")


def _drill_instrument(user: User, filters: Filters, drill: Drill) -> Any:
    result = _choice(drill.sub, UseResult.values)
    return _uses(user, filters).filter(kind=drill.key, result=result).values("trajectory_id")


def _drill_employer(user: User, filters: Filters, drill: Drill) -> Any:
    figure = _choice(drill.sub, EMPLOYER_FIGURES)
    found = as_id(drill.key)
    if found is None:
        raise DrillError(_("This figure does not exist on the dashboard."))
    pk = found
    if figure == "placed":
        return _placements(user, filters).filter(workplace__employer_id=pk).values("trajectory_id")
    if figure == "rotated":
        return _rotations(user, filters).filter(workplace__employer_id=pk).values("trajectory_id")
    return _outflows(user, filters).filter(employer_id=pk).values("trajectory_id")


DRILLS: dict[str, Callable[..., Any]] = {
    "caseload": _drill_caseload,
    "kind": _drill_snapshot("kind", TrajectoryKind.values),
    "phase": _drill_snapshot("phase", Phase.values),
    "status": _drill_snapshot("status", SNAPSHOT_STATUS),
    "compliance": _drill_compliance,
    "outflow": _drill_outflow,
    "at_work": _drill_at_work,
    "time": _drill_time,
    "instrument": _drill_instrument,
    "employer": _drill_employer,
}
METRIC_TITLES: dict[str, str | Promise] = {
    "caseload": gettext_lazy("Caseload per coach"),
    "kind": gettext_lazy("Trajectories by kind"),
    "phase": gettext_lazy("Trajectories by phase"),
    "status": gettext_lazy("Trajectories by status"),
    "compliance": gettext_lazy("Deadlines not met"),
    "outflow": gettext_lazy("Outflow at the end"),
    "at_work": gettext_lazy("Outflow to work"),
    "time": gettext_lazy("Time to outflow"),
    "instrument": gettext_lazy("Instruments and results"),
    "employer": gettext_lazy("Employers and workplaces"),
}


def drilldown(user: User, filters: Filters, drill: Drill) -> QuerySet[Trajectory]:
    """The dossiers behind one figure, within the user's scope; raises DrillError if bad."""
    if drill.metric not in DRILLS:
        raise DrillError(_("This figure does not exist on the dashboard."))
    ids = DRILLS[drill.metric](user, filters, drill)
    return (
        Trajectory.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("client", "coach", "organisation")
        .order_by("client__last_name", "client__first_name", "pk")
    )


def _employer_name(user: User, filters: Filters, key: str) -> str:
    # Only a name the user's own figures show: never an employer outside their scope.
    if as_id(key) is None:
        return ""
    scope = _in_scope(user, filters)
    names = Placement.objects.filter(scope, workplace__employer_id=int(key)).values_list(
        "workplace__employer__name", flat=True
    )
    outflow = Outflow.objects.filter(scope, employer_id=int(key)).values_list(
        "employer__name", flat=True
    )
    return next(iter(names[:1]), None) or next(iter(outflow[:1]), "")


def _coach_name(user: User, key: str) -> str:
    pk = as_id(key)
    coach = coaches(user).filter(pk=pk).first() if pk is not None else None
    return coach.full_name if coach else _("No coach")


def _key_label(user: User, filters: Filters, drill: Drill) -> str:
    labels: dict[str, Any] = {
        "kind": dict(TrajectoryKind.choices),
        "phase": {**dict(Phase.choices), NONE_KEY: gettext_lazy("No phase")},
        "status": SNAPSHOT_STATUS,
        "compliance": {k: label for k, (label, _flag) in COMPLIANCE.items()},
        "outflow": dict(OutflowKind.choices),
        "at_work": {"end": gettext_lazy("At the end (NEC job)")},
        "time": dict(enumerate(DURATION_LABELS)),
    }
    if drill.metric == "caseload":
        return _coach_name(user, drill.key)
    if drill.metric == "employer":
        return _employer_name(user, filters, drill.key)
    if drill.metric == "at_work" and drill.key != "end":
        return _("After %(months)s months") % {"months": drill.key}
    if drill.metric == "instrument":
        return kind_label(ruleset_on(filters.end), drill.key)
    table = labels.get(drill.metric, {})
    return str(table.get(int(drill.key) if drill.metric == "time" else drill.key, drill.key))


def describe(user: User, filters: Filters, drill: Drill) -> str:
    """The figure in words, e.g. "TWE/art60 (OCMW) · Oct 2026" (a drill-down's heading)."""
    parts = [_key_label(user, filters, drill)]
    sub = {
        "late": _("late"),
        "on_time": _("on time"),
        "yes": _("at work"),
        "no": _("not at work"),
    }.get(drill.sub)
    if drill.metric == "instrument":
        sub = str(dict(UseResult.choices).get(drill.sub, drill.sub))
    if drill.metric == "employer":
        sub = str(EMPLOYER_FIGURES.get(drill.sub, ""))
    if sub:
        parts.append(sub)
    if drill.month is not None:
        parts.append(month_label(drill.month))
    return " · ".join(parts)
