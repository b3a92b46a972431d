"""Financing of art60 trajectories (R-FIN): a trajectory's months, and the quarterly statement.

Every amount is recomputed by the rules core (``rules.financing``) from the facts known on
``today`` — never from the month-end snapshots, which hold what was known then. A team lead
*issues* a quarter's statement (``statement_issue``): its lines are kept as issued in
``IssuedStatement``. A later statement shows *corrections*: for every month of an issued
quarter, what is due now minus what was issued so far (the original lines plus the corrections
issued since), with the reason in words (R-FIN-4). A quarter is issued once; what changes
afterwards is corrected in the next statement, never by rewriting the issued one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstroom.accounts.models import Organisation, User
from doorstroom.accounts.roles import Role
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.params import is_ascii_digits
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.core.text import short_date
from doorstroom.reports.models import IssuedStatement
from doorstroom.rules import clock
from doorstroom.rules.financing import (
    EffortStatus,
    MonthFinancing,
    Quarter,
    month_number,
    monthly_financing,
    quarterly_statement,
)
from doorstroom.rules.periods import month_end
from doorstroom.trajectories.choices import TrajectoryKind
from doorstroom.trajectories.models import Trajectory
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

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(*(getattr(self, f) + getattr(other, f) for f in AMOUNT_FIELDS))

    def __sub__(self, other: Amounts) -> Amounts:
        return Amounts(*(getattr(self, f) - getattr(other, f) for f in AMOUNT_FIELDS))

    def __bool__(self) -> bool:
        return any(getattr(self, f) for f in AMOUNT_FIELDS)

    def as_json(self) -> dict[str, str]:
        return {f: str(getattr(self, f)) for f in AMOUNT_FIELDS}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Amounts:
        return cls(*(Decimal(data.get(f) or "0") for f in AMOUNT_FIELDS))


def total_of(items: Iterable[Amounts]) -> Amounts:
    return sum(items, Amounts())


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


def with_financing_facts(queryset: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    """Load what ``financing_facts`` reads: the AO and the suspensions (``with_clock`` does too)."""
    return queryset.select_related("client", "employment_contract").prefetch_related("suspensions")


def financing_facts(trajectory: Trajectory) -> clock.TrajectorySnapshot:
    """The facts the financing rules read: start, kind, AO, suspensions and stop.

    R-FIN-1..4 (rules.financing) depend on nothing else; the rest of the clock's facts
    (evaluations, placements, POP versions, …) would cost a statement of a big organisation
    most of its time to load. tests/reports/test_financing.py checks that the amounts equal
    those from the full snapshot.
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
    """Recompute a trajectory's financing from its facts (``with_financing_facts``)."""
    ruleset = ruleset_on(trajectory.start)
    facts = financing_facts(trajectory)
    ao = facts.ao if facts.ao is not None and facts.ao.start <= today else None
    return TrajectoryFinancing(
        as_of=today,
        ao_deadline=clock.ao_deadline(facts, ruleset),
        ao_start=ao.start if ao else None,
        # R-TRJ-2: in time when the AO starts within 2 months of the start.
        ao_in_time=clock.ao_in_time(facts, ruleset) if ao else None,
        lines=monthly_financing(facts, today, ruleset),
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

    @property
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

    @property
    def totals(self) -> Amounts:
        return total_of(t.subtotal for t in self.trajectories)

    @property
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


def _art60_of(
    organisation: Organisation, since: datetime.date, until: datetime.date, issued: set[int]
) -> list[Trajectory]:
    """The art60 trajectories that may have month lines between `since` and `until`.

    The guiding organisation today finances the trajectory (a transfer moves it). One
    stopped before `since` has no line after its stop (R-FIN-1: a stop ends guidance), unless
    an issued statement holds lines of it (`issued`: a stop recorded later with an earlier
    date is then corrected).
    """
    return list(
        with_financing_facts(
            Trajectory.objects.filter(
                organisation=organisation, kind=TrajectoryKind.ART60, start__lte=until
            ).filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=since) | Q(pk__in=issued))
        ).order_by("client__last_name", "client__first_name", "pk")
    )


def _quarter_lines(lines: Sequence[MonthFinancing], quarter: Quarter) -> tuple[MonthLine, ...]:
    """The month lines of ``quarter`` with only the amounts booked in it (R-FIN-2, R-FIN-4)."""
    rows = []
    for line in quarterly_statement(lines, quarter).lines:
        in_quarter = Quarter.of(line.month_end) == quarter
        booked = line.part2_quarter == quarter  # R-FIN-2: part 2 where guidance ends
        amounts = Amounts(
            line.effort_fee if in_quarter else ZERO,
            line.deel3 if in_quarter else ZERO,
            line.compensation_part1 if in_quarter else ZERO,
            line.compensation_part2 if booked else ZERO,
        )
        rows.append(
            MonthLine(line.month_end, line.month, line.effort_status, amounts, not in_quarter)
        )
    return tuple(rows)


@dataclass(frozen=True)
class _Computed:
    trajectory: Trajectory
    financing: TrajectoryFinancing


def _compute(
    organisation: Organisation,
    period: tuple[datetime.date, datetime.date],
    issued: set[int],
    today: datetime.date,
) -> Iterator[_Computed]:
    for trajectory in _art60_of(organisation, *period, issued):
        yield _Computed(trajectory, trajectory_financing(trajectory, today))


def _block(item: _Computed, quarter: Quarter) -> TrajectoryLines | None:
    lines = _quarter_lines(item.financing.lines, quarter)
    if not lines:
        return None
    return TrajectoryLines(
        trajectory_id=item.trajectory.pk,
        client_name=item.trajectory.client.full_name,
        start=item.trajectory.start,
        ao_start=item.financing.ao_start,
        ao_in_time=item.financing.ao_in_time,
        lines=lines,
    )


# The ledger of what was issued: (quarter booked, trajectory, month end) -> amounts, status.
LedgerKey = tuple[Quarter, int, datetime.date]
Ledger = dict[LedgerKey, tuple[Amounts, str]]


def _book(ledger: Ledger, key: LedgerKey, amounts: Amounts, status: str) -> None:
    before = ledger.get(key, (Amounts(), ""))[0]
    ledger[key] = (before + amounts, status)


def _issued_ledger(statements: Iterable[IssuedStatement]) -> Ledger:
    ledger: Ledger = {}
    for issued in statements:  # oldest first: the last status booked wins
        quarter = Quarter(issued.year, issued.quarter)
        for block in issued.lines:
            for month in block["months"]:
                key = (quarter, block["trajectory"], datetime.date.fromisoformat(month["end"]))
                _book(ledger, key, Amounts.from_json(month), month["status"])
        for item in issued.corrections:
            corrected = parse_quarter(item["quarter"])
            if corrected is None:  # never: written by _correction_json
                continue
            key = (corrected, item["trajectory"], datetime.date.fromisoformat(item["end"]))
            _book(ledger, key, Amounts.from_json(item), item["status"])
    return ledger


def _due_now(items: Sequence[_Computed], quarters: Iterable[Quarter]) -> dict[LedgerKey, Any]:
    due: dict[LedgerKey, Any] = {}
    for quarter in quarters:
        for item in items:
            for line in _quarter_lines(item.financing.lines, quarter):
                due[(quarter, item.trajectory.pk, line.month_end)] = (item, line)
    return due


def _corrections(
    items: Sequence[_Computed], ledger: Ledger, quarters: Sequence[Quarter]
) -> tuple[Correction, ...]:
    """Due now minus issued so far, for each month of the issued ``quarters`` (R-FIN-4)."""
    due = _due_now(items, quarters)
    by_id = {item.trajectory.pk: item for item in items}
    keys = set(due) | {k for k in ledger if k[0] in quarters and k[1] in by_id}
    found = []
    for key in sorted(keys, key=lambda k: (k[0], by_id[k[1]].trajectory.client.full_name, k)):
        issued, issued_status = ledger.get(key, (Amounts(), ""))
        item, line = due.get(key, (by_id[key[1]], None))
        now = line.amounts if line else Amounts()
        if not now - issued:
            continue
        found.append(
            Correction(
                quarter=key[0],
                trajectory_id=key[1],
                client_name=item.trajectory.client.full_name,
                month_end=key[2],
                month=line.month if line else clock_month(item.trajectory, key[2]),
                issued_status=issued_status,
                status=line.status if line else "",
                difference=now - issued,
            )
        )
    return tuple(found)


def clock_month(trajectory: Trajectory, day: datetime.date) -> int:
    return month_number(trajectory.start, day)  # R-FIN-3


def _issued_statements(organisation: Organisation) -> list[IssuedStatement]:
    return list(
        IssuedStatement.objects.filter(organisation=organisation)
        .select_related("issued_by")
        .order_by("issued_at", "pk")
    )


def statement_draft(
    organisation: Organisation, quarter: Quarter, *, today: datetime.date
) -> Statement:
    """The statement of ``quarter`` as due today, with corrections of earlier issued quarters."""
    issued = _issued_statements(organisation)
    earlier = sorted({q for s in issued if (q := Quarter(s.year, s.quarter)) < quarter})
    ledger = _issued_ledger(issued)
    period = (quarter_first(earlier[0] if earlier else quarter), quarter_last(quarter))
    items = list(_compute(organisation, period, {key[1] for key in ledger}, today))
    blocks = (block for item in items if (block := _block(item, quarter)) is not None)
    return Statement(
        organisation=organisation,
        quarter=quarter,
        as_of=today,
        trajectories=tuple(blocks),
        corrections=_corrections(items, ledger, earlier),
        issued_quarters=tuple(Quarter(s.year, s.quarter) for s in issued),
    )


def statement_for(
    organisation: Organisation, quarter: Quarter, *, today: datetime.date
) -> Statement:
    """The issued statement of ``quarter`` as issued, else the draft as due today."""
    issued = (
        IssuedStatement.objects.filter(
            organisation=organisation, year=quarter.year, quarter=quarter.number
        )
        .select_related("issued_by")
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
    statement = statement_draft(organisation, quarter, today=today)
    try:
        with transaction.atomic():
            issued = IssuedStatement.objects.create(
                organisation=organisation,
                year=quarter.year,
                quarter=quarter.number,
                issued_at=timezone.now(),
                issued_by=by,
                lines=_lines_json(statement),
                corrections=[_correction_json(c) for c in statement.corrections],
                totals=_totals_json(statement),
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
