"""What was issued so far for each month of each issued quarter (R-FIN-4), in a compact form.

A statement's corrections are "due now minus issued so far": the lines of the issued
statement of that quarter plus the corrections issued for it since. This ledger adds them up
once: ``statement_issue`` stores it with each statement (``IssuedStatement.ledger``: every
statement issued up to and including that one), so a draft reads one row instead of the
lines of every issued statement.

Per trajectory and quarter booked it holds the month ends, their amounts and their last
status booked, each as one string in the stored JSON: a draft compares them with what is due
now as a whole and looks at single months only where they differ. Amounts stay ``Decimal``
and are written with ``str``: a correction is the same number, written the same, as one
computed from the issued lines.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from doorstroom.rules.financing import Quarter

ZERO = Decimal(0)
# effort fee, deel 3, compensation part 1, compensation part 2 (financing.AMOUNT_FIELDS)
Money = tuple[Decimal, Decimal, Decimal, Decimal]
NO_MONEY: Money = (ZERO, ZERO, ZERO, ZERO)
# The month ends of one trajectory in one quarter and their amounts, in the order booked.
Months = tuple[tuple[datetime.date, ...], tuple[Money, ...]]


def quarter_index(quarter: Quarter) -> int:
    """A quarter as one int (year * 4 + number - 1): hashed fast, ordered like quarters."""
    return quarter.year * 4 + quarter.number - 1


def quarter_at(index: int) -> Quarter:
    year, number = divmod(index, 4)
    return Quarter(year, number + 1)


def _money(data: Mapping[str, Any]) -> Money:
    # As financing.Amounts.from_json: an absent or empty amount is 0.
    get = data.get
    return (
        Decimal(get("effort_fee") or "0"),
        Decimal(get("deel3") or "0"),
        Decimal(get("compensation_part1") or "0"),
        Decimal(get("compensation_part2") or "0"),
    )


@dataclass(frozen=True)
class Settled:
    """Where issued so far was exactly what was due, as of the statement the ledger is stored with.

    Issuing a statement on ``on`` makes what was issued so far for every month of the
    ``quarters`` the draft computed (the statement's own and the earlier issued ones it
    corrected) equal what is due on ``on``, for every trajectory the draft computed: the
    lines issue what is due in the statement's quarter, the corrections the rest. ``facts``
    holds per trajectory the key of the facts it was computed from (``financing._Loaded.key``),
    the first day after ``on`` on which its amounts may change without any change of these
    facts (``rules.financing.next_as_of_change``; none: never) and its last day
    (``rules.clock.last_day``), as ``key@ordinal@ordinal``.
    ``basis`` names the rule sets and the code that computed them (``financing._basis``).
    A later draft need not compare a trajectory whose facts and rules are the same and whose
    day comes before that one: it has no corrections in these quarters (R-FIN-4).
    """

    on: datetime.date
    quarters: frozenset[int]
    basis: str
    facts: Mapping[int, str]

    def last_day(self, trajectory: int, key: str, today: int) -> int | None:
        """The last day of a trajectory whose amounts due in ``quarters`` are those of ``on``
        (with the same facts, the same last day), else None: it is to be compared.

        Days as ordinals; ``today`` on or after ``on`` (``usable_on``).
        """
        stored = self.facts.get(trajectory)
        if stored is None:  # not computed when issued
            return None
        parts = stored.split("@")  # a key holds no "@"
        if len(parts) != 3 or parts[0] != key:  # other facts (or written otherwise)
            return None
        _facts, until, last = parts
        if until and today >= int(until):
            return None
        return int(last)

    def usable_on(self, today: datetime.date, corrected: frozenset[int], basis: str) -> bool:
        """Tell whether a draft of ``today`` correcting ``corrected`` may rely on this."""
        return self.on <= today and corrected <= self.quarters and basis == self.basis

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "quarters": sorted(str(quarter_at(quarter)) for quarter in self.quarters),
            "basis": self.basis,
            "facts": {str(trajectory): text for trajectory, text in self.facts.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Settled:
        return cls(
            on=datetime.date.fromisoformat(data["on"]),
            quarters=frozenset(
                quarter_index(_parse_quarter(text) or Quarter(0, 1)) for text in data["quarters"]
            ),
            basis=str(data["basis"]),
            facts={int(trajectory): text for trajectory, text in data["facts"].items()},
        )


class Ledger:
    """Issued so far per trajectory and quarter booked (quarter_index): months and statuses.

    ``before``: the ids of the statements issued before the one it is stored with, in the
    order issued; with that one's id it says which statements it adds up. Stored, a
    trajectory's part is one string (quarters by "#"; in each the quarter, the month ends
    as ordinals, the amounts, the statuses, by "/"): a draft reads a few thousand strings
    rather than tens of thousands of JSON lists, and decodes each trajectory when it comes
    to it (``months``); issuing writes anew only the trajectories it books.
    """

    def __init__(self, before: list[int] | None = None) -> None:
        self.before: list[int] = before or []
        self.settled: Settled | None = None  # stored with the last statement, if written so
        self._stored: dict[int, str] = {}
        self._decoded: dict[
            int, dict[int, tuple[tuple[datetime.date, ...], tuple[Money, ...], str]]
        ] = {}
        self._decoder = _Decoder()

    def trajectories(self) -> set[int]:
        """The trajectories with anything issued."""
        return self._stored.keys() | self._decoded.keys()

    def months(self, trajectory: int) -> dict[int, Months]:
        """What was issued for a trajectory, per quarter booked: the month ends and amounts."""
        return {
            quarter: (days, moneys) for quarter, (days, moneys, _s) in self._of(trajectory).items()
        }

    def statuses(self, trajectory: int, quarter: int) -> dict[datetime.date, str]:
        """The last status booked for each month of a trajectory in a quarter."""
        found = self._of(trajectory).get(quarter)
        if found is None:
            return {}
        days, _moneys, joined = found
        return dict(zip(days, joined.split("|"), strict=True))

    def _of(
        self, trajectory: int
    ) -> dict[int, tuple[tuple[datetime.date, ...], tuple[Money, ...], str]]:
        found = self._decoded.get(trajectory)
        if found is None:
            text = self._stored.get(trajectory)
            if text is None:
                return {}  # nothing issued: not kept, it would count as issued
            found = self._decoded[trajectory] = self._decoder.trajectory(text)
        return found

    def book_statement(
        self,
        quarter: Quarter,
        lines: Iterable[Mapping[str, Any]],
        corrections: Iterable[Mapping[str, Any]],
    ) -> None:
        """Add an issued statement: its lines (in its quarter) and its corrections (R-FIN-4).

        Amounts add up per month, the last status booked wins; a month not booked before
        comes after those that were.
        """
        changed: dict[tuple[int, int], dict[datetime.date, tuple[Money, str]]] = {}
        index = quarter_index(quarter)
        for block in lines:
            for month in block["months"]:
                self._book(changed, (block["trajectory"], index), month)
        for item in corrections:
            corrected = _parse_quarter(item["quarter"])
            if corrected is not None:  # always: written by financing._correction_json
                self._book(changed, (item["trajectory"], quarter_index(corrected)), item)
        for (trajectory, booked), months in changed.items():
            self._decoded[trajectory] = self._of(trajectory)
            self._stored.pop(trajectory, None)  # written anew by as_json
            self._decoded[trajectory][booked] = (
                tuple(months),
                tuple(money for money, _status in months.values()),
                "|".join(status for _money, status in months.values()),
            )

    def _book(
        self,
        changed: dict[tuple[int, int], dict[datetime.date, tuple[Money, str]]],
        key: tuple[int, int],
        data: Mapping[str, Any],
    ) -> None:
        if key not in changed:
            trajectory, quarter = key
            days, moneys = self.months(trajectory).get(quarter, ((), ()))
            statuses = self.statuses(trajectory, quarter)
            changed[key] = {day: (m, statuses[day]) for day, m in zip(days, moneys, strict=True)}
        months = changed[key]
        end = datetime.date.fromisoformat(data["end"])
        was, money = months.get(end, (NO_MONEY, ""))[0], _money(data)
        months[end] = (
            (was[0] + money[0], was[1] + money[1], was[2] + money[2], was[3] + money[3]),
            str(data["status"]),
        )

    def as_json(self, before: list[int], settled: Settled | None = None) -> dict[str, Any]:
        """The ledger to store with a statement issued after the statements ``before``."""
        months = {str(trajectory): text for trajectory, text in self._stored.items()}
        for trajectory, quarters in self._decoded.items():
            if trajectory in self._stored:  # read, not booked since: as it was stored
                continue
            months[str(trajectory)] = "#".join(
                "/".join(
                    (
                        str(quarter_at(quarter)),
                        " ".join(str(day.toordinal()) for day in days),
                        ";".join(" ".join(str(amount) for amount in money) for money in moneys),
                        joined,
                    )
                )
                for quarter, (days, moneys, joined) in quarters.items()
            )
        found: dict[str, Any] = {"before": before, "months": months}
        if settled is not None:
            found["settled"] = settled.as_json()
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Ledger:
        """Read a stored ledger; each trajectory's part is decoded when it is read."""
        ledger = cls(list(data["before"]))
        ledger._stored = {int(trajectory): text for trajectory, text in data["months"].items()}
        if "settled" in data:
            ledger.settled = Settled.from_json(data["settled"])
        return ledger


class _Decoder:
    """Decode the strings of a stored ledger, each distinct part once (most repeat)."""

    def __init__(self) -> None:
        self._heads: dict[str, tuple[int, tuple[datetime.date, ...], tuple[Money, ...]]] = {}
        self._moneys: dict[str, Money] = {}
        self._decimals: dict[str, Decimal] = {}

    def trajectory(
        self, text: str
    ) -> dict[int, tuple[tuple[datetime.date, ...], tuple[Money, ...], str]]:
        found = {}
        for part in text.split("#") if text else ():
            head, _sep, statuses = part.rpartition("/")
            decoded = self._heads.get(head) or self._head(head)
            found[decoded[0]] = (decoded[1], decoded[2], statuses)
        return found

    def _head(self, head: str) -> tuple[int, tuple[datetime.date, ...], tuple[Money, ...]]:
        quarter, days, moneys = head.split("/")
        self._heads[head] = decoded = (
            quarter_index(_parse_quarter(quarter) or Quarter(0, 1)),
            tuple(datetime.date.fromordinal(int(day)) for day in days.split(" ")),
            tuple(self._money(money) for money in moneys.split(";")),
        )
        return decoded

    def _money(self, text: str) -> Money:
        if text not in self._moneys:
            fee, deel3, part1, part2 = (self._decimal(amount) for amount in text.split(" "))
            self._moneys[text] = (fee, deel3, part1, part2)
        return self._moneys[text]

    def _decimal(self, text: str) -> Decimal:
        if text not in self._decimals:
            self._decimals[text] = Decimal(text)
        return self._decimals[text]


def _parse_quarter(value: str) -> Quarter | None:
    year, _sep, number = value.partition("-Q")
    if not (year.isdigit() and number in {"1", "2", "3", "4"}):
        return None
    return Quarter(int(year), int(number))
