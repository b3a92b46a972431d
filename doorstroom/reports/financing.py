"""Financing of art60 trajectories (R-FIN): a trajectory's months, and the quarterly statement.

Every amount is recomputed by the rules core (``rules.financing``) from the facts known on
``today`` — never from the month-end snapshots, which hold what was known then. A team lead
*issues* a quarter's statement (``statement_issue``): its lines are kept as issued in
``IssuedStatement``. A later statement shows *corrections*: for every month of an issued
quarter, what is due now minus what was issued so far (the original lines plus the corrections
issued since), with the reason in words (R-FIN-4). A quarter is issued once; what changes
afterwards is corrected in the next statement, never by rewriting the issued one.

"Issued so far" is stored with each issued statement (``financing_ledger``): a draft reads it
from the last one instead of the lines of every issued statement, recomputes each trajectory
once for all the quarters it covers, and looks at single months only where a trajectory's
amounts due now differ from those issued (tests/reports/test_financing_issued.py compares
it with the plain computation). The ledger also says which trajectories an issue settled
(``financing_ledger.Settled``): one whose facts, rules and day-dependent dates have not
changed since has no corrections, and the draft computes only its lines of the quarter
(tests/reports/test_financing_settled.py changes each fact after issuing).
"""

from __future__ import annotations

import ast
import datetime
import functools
import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstroom.accounts.models import Organisation, User
from doorstroom.accounts.roles import Role
from doorstroom.core import regulation
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.params import is_ascii_digits
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.core.text import short_date
from doorstroom.reports import financing_ledger
from doorstroom.reports.financing_ledger import (
    NO_MONEY,
    Ledger,
    Money,
    Months,
    Settled,
    quarter_at,
    quarter_index,
)
from doorstroom.reports.models import IssuedStatement
from doorstroom.rules import clock, periods, rulesets
from doorstroom.rules import financing as rules_financing
from doorstroom.rules.financing import (
    EffortStatus,
    MonthFinancing,
    MonthRow,
    Quarter,
    month_number,
    month_rows,
    monthly_financing,
    next_as_of_change,
)
from doorstroom.rules.periods import month_end
from doorstroom.trajectories.choices import TrajectoryKind
from doorstroom.trajectories.models import Suspension, Trajectory
from doorstroom.trajectories.selectors import with_clock

ZERO = Decimal(0)
AMOUNT_FIELDS = ("effort_fee", "deel3", "compensation_part1", "compensation_part2")
FINANCE_ROLES = (Role.TEAM_LEAD, Role.ADMIN)

# Why a month's inspanningsvergoeding is (not) paid, in words (R-FIN-1, R-FIN-3).
STATUS_TEXT: dict[str, Promise] = {
    EffortStatus.PAID: gettext_lazy("Guided at month end, the AO started in time (R-FIN-1)."),
    EffortStatus.CAPPED: gettext_lazy(
        "Reduced: the yearly maximum per trajectory is reached (R-FIN-1)."
    ),
    EffortStatus.AWAITING_AO: gettext_lazy(
        "Not yet: no AO yet, it can still start in time; paid once it does (R-FIN-1, R-TRJ-2)."
    ),
    EffortStatus.AO_NOT_IN_TIME: gettext_lazy(
        "Not due: the AO started after the deadline (R-FIN-1, R-TRJ-2)."
    ),
    EffortStatus.NO_AO: gettext_lazy("Not due: no AO started in time (R-FIN-1, R-TRJ-2)."),
    EffortStatus.MAX_MONTHS: gettext_lazy("Not due: the 24 financed months are used up (R-FIN-1)."),
    EffortStatus.REPLACED_BY_DEEL3: gettext_lazy(
        "Deel 3 instead: month 25 or later while the AO runs (R-FIN-3)."
    ),
}


def status_text(status: str) -> str:
    """Return the explanation of an effort status ("" for an unknown or empty one)."""
    text = STATUS_TEXT.get(status)
    return str(text) if text is not None else ""


# --- Quarters ---------------------------------------------------------------------------------


def quarter_first(quarter: Quarter) -> datetime.date:
    return datetime.date(quarter.year, 3 * quarter.number - 2, 1)


def quarter_last(quarter: Quarter) -> datetime.date:
    return month_end(datetime.date(quarter.year, 3 * quarter.number, 1))


def parse_quarter(value: str) -> Quarter | None:
    """Return the quarter written as ``2026-Q1`` (or ``2026-q1``), else None."""
    year, _sep, number = value.strip().upper().partition("-Q")
    if not (is_ascii_digits(year, 4) and number in {"1", "2", "3", "4"}):
        return None
    return Quarter(int(year), int(number))


def previous_quarter(quarter: Quarter) -> Quarter:
    if quarter.number == 1:
        return Quarter(quarter.year - 1, 4)
    return Quarter(quarter.year, quarter.number - 1)


def recent_quarters(today: datetime.date, count: int = 12) -> list[Quarter]:
    """The current quarter and the ``count - 1`` before it, newest first."""
    quarters = [Quarter.of(today)]
    while len(quarters) < count:
        quarters.append(previous_quarter(quarters[-1]))
    return quarters


# --- Amounts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amounts:
    """The four amounts of R-FIN-1..3 for one month, one trajectory or one statement."""

    effort_fee: Decimal = ZERO
    deel3: Decimal = ZERO
    compensation_part1: Decimal = ZERO
    compensation_part2: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.effort_fee + self.deel3 + self.compensation_part1 + self.compensation_part2

    # Field by field, not through AMOUNT_FIELDS: the corrections add up thousands of these.
    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.effort_fee + other.effort_fee,
            self.deel3 + other.deel3,
            self.compensation_part1 + other.compensation_part1,
            self.compensation_part2 + other.compensation_part2,
        )

    def __sub__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.effort_fee - other.effort_fee,
            self.deel3 - other.deel3,
            self.compensation_part1 - other.compensation_part1,
            self.compensation_part2 - other.compensation_part2,
        )

    def __bool__(self) -> bool:
        return bool(
            self.effort_fee or self.deel3 or self.compensation_part1 or self.compensation_part2
        )

    def as_json(self) -> dict[str, str]:
        return {f: str(getattr(self, f)) for f in AMOUNT_FIELDS}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Amounts:
        get = data.get
        return cls(
            Decimal(get("effort_fee") or "0"),
            Decimal(get("deel3") or "0"),
            Decimal(get("compensation_part1") or "0"),
            Decimal(get("compensation_part2") or "0"),
        )


def total_of(items: Iterable[Amounts]) -> Amounts:
    # Field by field rather than sum(items, Amounts()): a statement adds up thousands of lines.
    effort_fee = deel3 = part1 = part2 = ZERO
    for item in items:
        effort_fee += item.effort_fee
        deel3 += item.deel3
        part1 += item.compensation_part1
        part2 += item.compensation_part2
    return Amounts(effort_fee, deel3, part1, part2)


# --- A trajectory's financing (the dossier panel and its month-by-month page) -----------------


@dataclass(frozen=True)
class TrajectoryFinancing:
    """A trajectory's month lines up to ``as_of`` with their totals (R-FIN-1..3)."""

    as_of: datetime.date
    ao_deadline: datetime.date
    ao_start: datetime.date | None
    ao_in_time: bool | None  # None while no AO has started
    lines: tuple[MonthFinancing, ...]

    @property
    def totals(self) -> Amounts:
        return total_of(_amounts(line) for line in self.lines)

    @property
    def part2_quarter(self) -> Quarter | None:
        """The quarter whose statement books part 2 (None while guidance goes on)."""
        return next((ln.part2_quarter for ln in self.lines if ln.part2_quarter), None)

    @property
    def paid_months(self) -> int:
        return sum(1 for line in self.lines if line.effort_fee > 0)


def _amounts(line: MonthFinancing) -> Amounts:
    return Amounts(line.effort_fee, line.deel3, line.compensation_part1, line.compensation_part2)


def financing_facts(trajectory: Trajectory) -> clock.TrajectorySnapshot:
    """The facts the financing rules read: start, kind, AO, suspensions and stop.

    R-FIN-1..4 (rules.financing) depend on nothing else; the rest of the clock's facts
    (evaluations, placements, POP versions, …) would cost a statement of a big organisation
    most of its time to load. tests/reports/test_financing.py checks that the amounts equal
    those from the full snapshot. The trajectory comes with its AO and suspensions loaded
    (``with_clock``); the statement reads the same facts as values (``_art60_of``).
    """
    contract = trajectory.contract
    return clock.TrajectorySnapshot(
        id=str(trajectory.pk),
        kind=clock.TrajectoryKind(trajectory.kind),
        start=trajectory.start,
        ao=clock.EmploymentContract(contract.start, contract.end) if contract else None,
        suspensions=tuple(
            clock.Suspension(str(s.pk), s.start, s.end, s.reviewed_on)
            for s in trajectory.suspensions.all()
        ),
        stopped_on=trajectory.stopped_on,
    )


def trajectory_financing(trajectory: Trajectory, today: datetime.date) -> TrajectoryFinancing:
    """Recompute a trajectory's financing from its facts (``financing_facts``)."""
    return financing_of(financing_facts(trajectory), today)


def financing_of(
    facts: clock.TrajectorySnapshot,
    today: datetime.date,
    quarters: Collection[Quarter] | None = None,
) -> TrajectoryFinancing:
    """Recompute the financing from ``facts``: every month, or those ``quarters`` show.

    With ``quarters`` the lines are only those the statements of these quarters show (see
    ``rules.financing.monthly_financing``): the totals are then theirs, not the trajectory's.
    """
    ruleset = ruleset_on(facts.start)
    ao = facts.ao if facts.ao is not None and facts.ao.start <= today else None
    return TrajectoryFinancing(
        as_of=today,
        ao_deadline=clock.ao_deadline(facts, ruleset),
        ao_start=ao.start if ao else None,
        # R-TRJ-2: in time when the AO starts within 2 months of the start.
        ao_in_time=clock.ao_in_time(facts, ruleset) if ao else None,
        lines=monthly_financing(facts, today, ruleset, quarters),
    )


def trajectory_for_financing(user: User, pk: int) -> Trajectory:
    """An art60 trajectory in the user's scope with its clock, or 404."""
    return get_for_user_or_404(
        with_clock(
            Trajectory.objects.visible_to(user).filter(kind=TrajectoryKind.ART60)
        ).select_related("coach", "organisation"),
        user,
        pk=pk,
    )


# --- The quarterly statement of an organisation (R-FIN-4) -------------------------------------


@dataclass(frozen=True)
class MonthLine:
    """One month end of one trajectory in a statement: the amounts booked in its quarter."""

    month_end: datetime.date
    month: int
    status: str
    amounts: Amounts
    part2_only: bool  # a month of an earlier quarter, here only for part 2 (R-FIN-2)

    @property
    def explanation(self) -> str:
        return status_text(self.status)


@dataclass(frozen=True)
class TrajectoryLines:
    trajectory_id: int
    client_name: str
    start: datetime.date
    ao_start: datetime.date | None
    ao_in_time: bool | None
    lines: tuple[MonthLine, ...]

    @cached_property  # read four times per block by the page
    def subtotal(self) -> Amounts:
        return total_of(line.amounts for line in self.lines)


@dataclass(frozen=True)
class Correction:
    """What is due now minus what was issued for one month of an issued quarter."""

    quarter: Quarter  # the issued quarter it corrects
    trajectory_id: int
    client_name: str
    month_end: datetime.date
    month: int
    issued_status: str
    status: str
    difference: Amounts

    @property
    def reason(self) -> str:
        if self.status != self.issued_status and self.issued_status:
            return _("Was: %(was)s Now: %(now)s") % {
                "was": status_text(self.issued_status),
                "now": status_text(self.status),
            }
        return status_text(self.status) or _("The facts of this month changed.")


@dataclass(frozen=True)
class Statement:
    organisation: Organisation
    quarter: Quarter
    as_of: datetime.date
    trajectories: tuple[TrajectoryLines, ...]
    corrections: tuple[Correction, ...]
    issued: IssuedStatement | None = None
    issued_quarters: tuple[Quarter, ...] = field(default=())

    @cached_property  # the sum of every line, read five times by the page
    def totals(self) -> Amounts:
        return total_of(t.subtotal for t in self.trajectories)

    @cached_property
    def corrections_total(self) -> Amounts:
        return total_of(c.difference for c in self.corrections)

    @property
    def total(self) -> Decimal:
        return self.totals.total + self.corrections_total.total

    @property
    def quarter_ended(self) -> bool:
        return quarter_last(self.quarter) < self.as_of


def financing_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations whose statements and monitoring file the user may see."""
    # Team leads of the organisation (SPEC §1: reports, financing statements). The statement
    # names clients, so coaches, functional administrators and privacy officers get 404.
    ids = user.organisation_ids(Role.TEAM_LEAD)
    return Organisation.objects.filter(pk__in=ids, is_active=True).order_by("name")


def may_issue(user: User, organisation: Organisation) -> bool:
    return organisation.pk in user.organisation_ids(Role.TEAM_LEAD)


@dataclass(frozen=True)
class _Loaded:
    """What a statement reads of one trajectory: its client's name and its financing facts.

    ``key``: the facts as one string (``facts_key``): equal keys, equal facts.
    """

    client_name: str
    facts: clock.TrajectorySnapshot
    key: str
    pk: int

    @property
    def trajectory_id(self) -> int:
        return self.pk


def facts_key(facts: clock.TrajectorySnapshot) -> str:
    """Every fact of ``financing_facts`` but the id, as one string; different facts, other keys.

    Kind, start, stop, the AO's start and end, and each suspension (id, start, end, review):
    the fields ``financing_facts`` fills; it leaves the others of the snapshot empty
    (tests/reports/test_financing_settled.py checks both).
    """
    ao = facts.ao
    key = (
        f"{facts.kind.value} {facts.start} {facts.stopped_on} "
        f"{ao.start if ao else None} {ao.end if ao else None}"
    )
    for suspension in facts.suspensions:
        key += f" {suspension.id},{suspension.start},{suspension.end},{suspension.reviewed_on}"
    return key


_BASIS: list[tuple[object, str]] = []  # (the rule sets, their basis), the last asked for


def _basis() -> str:
    """What a draft's amounts depend on besides the facts and the day, as a digest: the rule
    sets in force and the code that computes them. A settled trajectory (``Settled``) counts
    only under the same basis: a change of either recomputes everything."""
    found = regulation.rulesets()
    if not _BASIS or _BASIS[0][0] is not found:
        digest = hashlib.sha256(repr(found).encode())
        digest.update(_code_digest())
        _BASIS[:] = [(found, digest.hexdigest()[:32])]
    return _BASIS[0][1]


@functools.cache
def _code_digest() -> bytes:
    """The code of the modules that compute a draft's amounts, without its comments,
    docstrings and layout (as parsed): a deployment that changes them changes the basis,
    one that changes only their words does not."""
    digest = hashlib.sha256()
    modules = (rules_financing, clock, periods, rulesets, regulation, financing_ledger)
    for path in [*(str(module.__file__) for module in modules), __file__]:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if (
                isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                and body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:]  # the docstring
        digest.update(ast.dump(tree).encode())
    return digest.digest()


# The columns ``financing_facts`` reads, read as values: a statement of a big organisation
# would spend most of its time building model instances it only reads these from.
_FACT_COLUMNS = (
    "pk",
    "kind",
    "start",
    "stopped_on",
    "client__first_name",
    "client__last_name",
    "employment_contract__start",
    "employment_contract__end",
)


def _art60_of(
    organisation: Organisation, since: datetime.date, until: datetime.date, issued: set[int]
) -> list[_Loaded]:
    """The art60 trajectories that may have month lines between `since` and `until`.

    The guiding organisation today finances the trajectory (a transfer moves it). One
    stopped before `since` has no line after its stop (R-FIN-1: a stop ends guidance), unless
    an issued statement holds lines of it (`issued`: a stop recorded later with an earlier
    date is then corrected). Three queries, whatever the number of trajectories; the facts
    equal ``financing_facts`` of each (tests/reports/test_financing.py).
    """
    art60 = Trajectory.objects.filter(
        organisation=organisation, kind=TrajectoryKind.ART60, start__lte=until
    )
    # Those stopped before `since` with issued lines (R-FIN-4), found apart: the main query
    # then carries no list of every trajectory ever issued (thousands of ids).
    stopped = art60.filter(stopped_on__lt=since).values_list("pk", flat=True)
    corrected = [pk for pk in stopped if pk in issued]
    trajectories = art60.filter(
        Q(stopped_on__isnull=True) | Q(stopped_on__gte=since) | Q(pk__in=corrected)
    )
    rows = trajectories.order_by("client__last_name", "client__first_name", "pk").values_list(
        *_FACT_COLUMNS
    )
    suspensions = _suspensions_of(trajectories)
    return [_loaded(row, suspensions.get(row[0], ())) for row in rows]


def _suspensions_of(
    trajectories: QuerySet[Trajectory],
) -> dict[int, tuple[clock.Suspension, ...]]:
    found: dict[int, list[clock.Suspension]] = {}
    rows = (
        Suspension.objects.filter(trajectory__in=trajectories.values("pk"))
        .order_by("trajectory_id", "start", "pk")  # the order of ``trajectory.suspensions``
        .values_list("trajectory_id", "pk", "start", "end", "reviewed_on")
    )
    for trajectory_id, pk, start, end, reviewed_on in rows:
        found.setdefault(trajectory_id, []).append(
            clock.Suspension(str(pk), start, end, reviewed_on)
        )
    return {key: tuple(value) for key, value in found.items()}


def _loaded(row: tuple[Any, ...], suspensions: tuple[clock.Suspension, ...]) -> _Loaded:
    pk, kind, start, stopped_on, first_name, last_name, ao_start, ao_end = row
    facts = clock.TrajectorySnapshot(
        id=str(pk),
        kind=_KINDS[kind],
        start=start,
        ao=clock.EmploymentContract(ao_start, ao_end) if ao_start is not None else None,
        suspensions=suspensions,
        stopped_on=stopped_on,
    )
    # As Client.full_name.
    return _Loaded(f"{first_name} {last_name}", facts, facts_key(facts), pk)


_KINDS = {kind.value: kind for kind in clock.TrajectoryKind}  # faster than calling the enum


@dataclass(frozen=True)
class _Scope:
    """The quarters a draft computes: its own, and the earlier issued ones it corrects.

    Quarters as ``quarter_index`` ints: a draft classifies tens of thousands of month lines.
    """

    quarter: Quarter
    earlier: tuple[Quarter, ...]  # the issued quarters before ``quarter``, in order

    @cached_property
    def quarters(self) -> frozenset[Quarter]:  # one object: month_rows hashes it once
        return frozenset({self.quarter, *self.earlier})

    @cached_property
    def own(self) -> int:
        return quarter_index(self.quarter)

    @cached_property
    def corrected(self) -> frozenset[int]:
        return frozenset(quarter_index(q) for q in self.earlier)

    @cached_property
    def index_of(self) -> dict[datetime.date, int]:
        """The quarter of each month end of these quarters."""
        return {day: quarter_index(q) for q in self.quarters for day in q.month_ends()}


@dataclass
class _Booked:
    """A trajectory's month lines of the draft's quarter, and its amounts due now in each
    earlier issued quarter (R-FIN-4: what the corrections compare with), in month order."""

    lines: list[MonthLine] = field(default_factory=list)
    due: dict[int, tuple[list[datetime.date], list[Money]]] = field(default_factory=dict)

    def due_months(self) -> dict[int, Months]:
        return {quarter: (tuple(d), tuple(m)) for quarter, (d, m) in self.due.items()}


def _booked(rows: Sequence[MonthRow], scope: _Scope) -> _Booked:
    """Sort a trajectory's month lines into the draft's quarter and the corrected ones.

    R-FIN-4: a quarter shows its own month ends and the earlier months whose part 2 it books
    (R-FIN-2), each with only the amounts booked in it — as ``rules.financing.statement_lines``
    and ``quarterly_statement`` pick them, in month order.
    """
    found = _Booked()
    booked_by: Quarter | None = None
    booked = -1
    for day, month, fee, status, deel3, part1, part2, part2_quarter in rows:
        if part2_quarter is not booked_by:  # the same object for every month of a trajectory
            booked_by = part2_quarter
            booked = -1 if part2_quarter is None else quarter_index(part2_quarter)
        own = scope.index_of.get(day, -2)  # -2: not a quarter of the draft (part 2 only)
        own_part2 = part2 if booked == own else ZERO
        if own == scope.own:
            found.lines.append(
                MonthLine(day, month, status, Amounts(fee, deel3, part1, own_part2), False)
            )
        elif own in scope.corrected:
            days, moneys = found.due.setdefault(own, ([], []))
            days.append(day)
            moneys.append((fee, deel3, part1, own_part2))
        if booked in (-1, own):
            continue
        if booked == scope.own:
            found.lines.append(
                MonthLine(day, month, status, Amounts(ZERO, ZERO, ZERO, part2), True)
            )
        elif booked in scope.corrected:
            days, moneys = found.due.setdefault(booked, ([], []))
            days.append(day)
            moneys.append((ZERO, ZERO, ZERO, part2))
    return found


def _block(trajectory: _Loaded, lines: list[MonthLine], today: datetime.date) -> TrajectoryLines:
    facts = trajectory.facts
    # As financing_of: the AO counts once it has started.
    ao = facts.ao if facts.ao is not None and facts.ao.start <= today else None
    return TrajectoryLines(
        trajectory_id=trajectory.trajectory_id,
        client_name=trajectory.client_name,
        start=facts.start,
        ao_start=ao.start if ao else None,
        # R-TRJ-2: in time when the AO starts within 2 months of the start.
        ao_in_time=clock.ao_in_time(facts, ruleset_on(facts.start)) if ao else None,
        lines=tuple(lines),
    )


def _issued_of(ledger: Ledger, trajectory: int, scope: _Scope) -> dict[int, Months]:
    """What was issued for a trajectory in the corrected quarters."""
    issued = ledger.months(trajectory)
    if issued.keys() <= scope.corrected:
        return issued
    return {quarter: months for quarter, months in issued.items() if quarter in scope.corrected}


def _trajectory_corrections(
    trajectory: _Loaded,
    rows: Sequence[MonthRow],
    due: dict[int, Months],
    issued: dict[int, Months],
    ledger: Ledger,
) -> Iterator[Correction]:
    """Due now minus issued so far, for each month of a trajectory that differs (R-FIN-4)."""
    by_day = {row[0]: row for row in rows}
    for quarter in sorted(due.keys() | issued.keys()):
        due_now = dict(zip(*due.get(quarter, ((), ())), strict=True))
        was = dict(zip(*issued.get(quarter, ((), ())), strict=True))
        statuses = ledger.statuses(trajectory.trajectory_id, quarter)
        for day in due_now.keys() | was.keys():
            line = by_day[day] if day in due_now else None
            difference = Amounts(*due_now.get(day, NO_MONEY)) - Amounts(*was.get(day, NO_MONEY))
            if not difference:  # most months: nothing changed since they were issued
                continue
            yield Correction(
                quarter=quarter_at(quarter),
                trajectory_id=trajectory.trajectory_id,
                client_name=trajectory.client_name,
                month_end=day,
                month=line[1] if line else month_number(trajectory.facts.start, day),
                issued_status=statuses.get(day, ""),
                status=line[3] if line else "",
                difference=difference,
            )


def _issued_index(organisation: Organisation) -> list[tuple[int, Quarter]]:
    """The organisation's issued statements (id, quarter), in the order they were issued."""
    rows = (
        IssuedStatement.objects.filter(organisation=organisation)
        .order_by("issued_at", "pk")
        .values_list("pk", "year", "quarter")
    )
    return [(pk, Quarter(year, number)) for pk, year, number in rows]


def _ledger(issued: list[tuple[int, Quarter]]) -> Ledger:
    """Issued so far (R-FIN-4): stored with the last statement, else added up again.

    The stored ledger counts when it adds up exactly the statements issued, in that order
    (``before`` and the last one); a statement written otherwise falls back to the lines
    and corrections of every statement, oldest first.
    """
    if not issued:
        return Ledger()
    ids = [pk for pk, _quarter in issued]
    stored = IssuedStatement.objects.filter(pk=ids[-1]).values_list("ledger", flat=True).get()
    if stored and stored.get("before") == ids[:-1]:
        return Ledger.from_json(stored)
    ledger = Ledger(ids[:-1])
    rows = IssuedStatement.objects.filter(pk__in=ids).values_list("pk", "lines", "corrections")
    by_id = {pk: (lines, corrections) for pk, lines, corrections in rows}
    for pk, quarter in issued:  # oldest first: the last status booked wins
        ledger.book_statement(quarter, *by_id[pk])
    return ledger


@dataclass(frozen=True)
class _Draft:
    statement: Statement
    ledger: Ledger
    issued: list[tuple[int, Quarter]]
    scope: _Scope
    loaded: list[_Loaded]


def _draft(organisation: Organisation, quarter: Quarter, today: datetime.date) -> _Draft:
    issued = _issued_index(organisation)
    ledger = _ledger(issued)
    scope = _Scope(quarter, tuple(sorted({q for _pk, q in issued if q < quarter})))
    own = _Scope(quarter, ())
    period = (quarter_first(min(scope.quarters)), quarter_last(max(scope.quarters)))
    # R-FIN-4: a trajectory settled when the last statement was issued, with the same facts
    # since, has no corrections: only its lines of this quarter are computed (``Settled``).
    settled = ledger.settled
    if settled is not None and not settled.usable_on(today, scope.corrected, _basis()):
        settled = None
    day, first_day = today.toordinal(), quarter_first(quarter).toordinal()
    blocks: list[TrajectoryLines] = []
    corrections: list[Correction] = []
    loaded = _art60_of(organisation, *period, ledger.trajectories())
    for trajectory in loaded:
        facts = trajectory.facts
        last = None if settled is None else settled.last_day(trajectory.pk, trajectory.key, day)
        if last is not None:
            # Ended before the quarter: no line in it, nor part 2 (R-FIN-1, R-FIN-2).
            if last >= first_day:
                rows = month_rows(facts, today, ruleset_on(facts.start), own.quarters)
                found = _booked(rows, own)
                if found.lines:
                    blocks.append(_block(trajectory, found.lines, today))
            continue
        # R-FIN-4: only the lines of these quarters, with amounts as if every month were computed.
        rows = month_rows(facts, today, ruleset_on(facts.start), scope.quarters)
        found = _booked(rows, scope)
        if found.lines:
            blocks.append(_block(trajectory, found.lines, today))
        # R-FIN-4: due now minus issued so far; equal amounts (by value): no correction, as
        # for most trajectories, without looking at their months one by one.
        due_now = found.due_months()
        issued_now = _issued_of(ledger, trajectory.trajectory_id, scope)
        if issued_now != due_now:
            corrections.extend(
                _trajectory_corrections(trajectory, rows, due_now, issued_now, ledger)
            )
    corrections.sort(key=lambda c: (c.quarter, c.client_name, c.trajectory_id, c.month_end))
    statement = Statement(
        organisation=organisation,
        quarter=quarter,
        as_of=today,
        trajectories=tuple(blocks),
        corrections=tuple(corrections),
        issued_quarters=tuple(q for _pk, q in issued),
    )
    return _Draft(statement, ledger, issued, scope, loaded)


def statement_draft(
    organisation: Organisation, quarter: Quarter, *, today: datetime.date
) -> Statement:
    """The statement of ``quarter`` as due today, with corrections of earlier issued quarters."""
    return _draft(organisation, quarter, today).statement


def statement_for(
    organisation: Organisation, quarter: Quarter, *, today: datetime.date
) -> Statement:
    """The issued statement of ``quarter`` as issued, else the draft as due today."""
    issued = (
        IssuedStatement.objects.filter(
            organisation=organisation, year=quarter.year, quarter=quarter.number
        )
        .select_related("issued_by")
        .defer("ledger")  # only a draft reads what was issued so far
        .first()
    )
    if issued is None:
        return statement_draft(organisation, quarter, today=today)
    return _statement_as_issued(issued, today)


def _names(ids: Iterable[int]) -> dict[int, str]:
    rows = Trajectory.objects.filter(pk__in=set(ids)).select_related("client")
    return {t.pk: t.client.full_name for t in rows}


def _date_or_none(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _statement_as_issued(issued: IssuedStatement, today: datetime.date) -> Statement:
    names = _names(
        [b["trajectory"] for b in issued.lines] + [c["trajectory"] for c in issued.corrections]
    )
    blocks = tuple(
        TrajectoryLines(
            trajectory_id=b["trajectory"],
            client_name=names.get(b["trajectory"], f"#{b['trajectory']}"),
            start=datetime.date.fromisoformat(b["start"]),
            ao_start=_date_or_none(b["ao_start"]),
            ao_in_time=b["ao_in_time"],
            lines=tuple(
                MonthLine(
                    datetime.date.fromisoformat(m["end"]),
                    m["month"],
                    m["status"],
                    Amounts.from_json(m),
                    m["part2_only"],
                )
                for m in b["months"]
            ),
        )
        for b in issued.lines
    )
    corrections = tuple(
        Correction(
            quarter=parse_quarter(c["quarter"]) or Quarter(issued.year, issued.quarter),
            trajectory_id=c["trajectory"],
            client_name=names.get(c["trajectory"], f"#{c['trajectory']}"),
            month_end=datetime.date.fromisoformat(c["end"]),
            month=c["month"],
            issued_status=c["issued_status"],
            status=c["status"],
            difference=Amounts.from_json(c),
        )
        for c in issued.corrections
    )
    quarter = Quarter(issued.year, issued.quarter)
    return Statement(issued.organisation, quarter, today, blocks, corrections, issued=issued)


def _lines_json(statement: Statement) -> list[dict[str, Any]]:
    return [
        {
            "trajectory": block.trajectory_id,
            "start": block.start.isoformat(),
            "ao_start": block.ao_start.isoformat() if block.ao_start else None,
            "ao_in_time": block.ao_in_time,
            "months": [
                {
                    "end": line.month_end.isoformat(),
                    "month": line.month,
                    "status": line.status,
                    "part2_only": line.part2_only,
                    **line.amounts.as_json(),
                }
                for line in block.lines
            ],
        }
        for block in statement.trajectories
    ]


def _correction_json(correction: Correction) -> dict[str, Any]:
    return {
        "quarter": str(correction.quarter),
        "trajectory": correction.trajectory_id,
        "end": correction.month_end.isoformat(),
        "month": correction.month,
        "issued_status": correction.issued_status,
        "status": correction.status,
        **correction.difference.as_json(),
    }


def _totals_json(statement: Statement) -> dict[str, Any]:
    return {
        "lines": statement.totals.as_json(),
        "corrections": statement.corrections_total.as_json(),
        "total": str(statement.total),
    }


@transaction.atomic
def statement_issue(
    *, organisation: Organisation, quarter: Quarter, today: datetime.date, by: User
) -> IssuedStatement:
    """Issue (finalise) the statement of an ended quarter: its lines are kept as issued.

    Refused for a quarter that has not ended, for a user who is not team lead of the
    organisation, and for a quarter already issued (changes go into a later statement's
    corrections instead).
    """
    # R-FIN-4: the quarterly statement per organisation, with corrections.
    if not may_issue(by, organisation):
        raise DomainError(_("Only a team lead of the organisation issues its statement."))
    if quarter_last(quarter) >= today:
        raise DomainError(
            _("The quarter %(quarter)s has not ended yet: issue it from %(date)s.")
            % {
                "quarter": quarter,
                "date": short_date(quarter_last(quarter) + datetime.timedelta(days=1)),
            },
            field="quarter",
        )
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # serialise
    _refuse_issued(organisation, quarter)
    draft = _draft(organisation, quarter, today)
    statement, lines = draft.statement, _lines_json(draft.statement)
    corrections = [_correction_json(c) for c in statement.corrections]
    # R-FIN-4: issued so far, now with this statement, for the drafts after it (one row).
    draft.ledger.book_statement(quarter, lines, corrections)
    settled = _settled(draft, today)
    try:
        with transaction.atomic():
            issued = IssuedStatement.objects.create(
                organisation=organisation,
                year=quarter.year,
                quarter=quarter.number,
                issued_at=timezone.now(),
                issued_by=by,
                lines=lines,
                corrections=corrections,
                totals=_totals_json(statement),
                ledger=draft.ledger.as_json(
                    before=[pk for pk, _quarter in draft.issued], settled=settled
                ),
            )
    except IntegrityError as error:  # issued by someone else at the same moment
        raise DomainError(_("This quarter was issued meanwhile."), field="quarter") from error
    audit(
        by,
        "reports.financing_statement.issued",
        issued,
        {
            "quarter": str(quarter),
            "trajectories": len(statement.trajectories),
            "corrections": len(statement.corrections),
            "total": str(statement.total),
        },
    )
    return issued


def _settled(draft: _Draft, today: datetime.date) -> Settled:
    """What this statement settles: issued so far equals what is due today (R-FIN-4), in
    every quarter the draft computed, for every trajectory it computed (``Settled``)."""
    facts = {}
    for trajectory in draft.loaded:
        ruleset = ruleset_on(trajectory.facts.start)
        until = next_as_of_change(trajectory.facts, ruleset, today)
        last = clock.last_day(trajectory.facts, ruleset)
        facts[trajectory.pk] = (
            f"{trajectory.key}@{until.toordinal() if until is not None else ''}@{last.toordinal()}"
        )
    return Settled(
        on=today,
        quarters=frozenset(quarter_index(q) for q in draft.scope.quarters),
        basis=_basis(),
        facts=facts,
    )


def _refuse_issued(organisation: Organisation, quarter: Quarter) -> None:
    earlier = IssuedStatement.objects.filter(
        organisation=organisation, year=quarter.year, quarter=quarter.number
    ).first()
    if earlier is not None:
        raise DomainError(
            _(
                "The statement of %(quarter)s was issued on %(date)s. It is not issued again: "
                "changes since then appear as corrections in a later quarter's statement."
            )
            % {"quarter": quarter, "date": short_date(timezone.localdate(earlier.issued_at))},
            field="quarter",
        )


def statement_viewed(statement: Statement, *, by: User) -> None:
    """Audit the read of a statement: it names the organisation's clients (R-PRV-4)."""
    audit(
        by,
        "reports.financing_statement.viewed",
        statement.issued,
        {"quarter": str(statement.quarter), "trajectories": len(statement.trajectories)},
        organisation=statement.organisation,
        purpose="financing",
    )
