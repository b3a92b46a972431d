"""Versioned rule sets (R-VER-1): every duration, threshold and amount, loaded from TOML files.

The bundled files live in `doorstroom/rules/rulesets/`; an installation passes its own directories
to `load_rulesets`. Files are applied in `valid_from` order, each on top of the one before it, so a
newer file only needs the keys that change. Reading these files is the only I/O in the package.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from pathlib import Path

from doorstroom.rules.periods import add_days, period_end

Document = tuple[str, Mapping[str, object]]


class RuleSetError(ValueError):
    """A rule-set file is missing, unreadable or invalid; the message names the file and key."""


class DurationUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


@dataclass(frozen=True)
class Duration:
    """A length such as "30 days", "26 weeks" or "6 months", as written in a rule set."""

    amount: int
    unit: DurationUnit

    def last_day(self, start: date) -> date:
        """Return the last day of a period of this length starting on `start`."""
        if self.unit is DurationUnit.MONTHS:
            return period_end(start, self.amount)
        days = self.amount * (7 if self.unit is DurationUnit.WEEKS else 1)
        return add_days(start, days - 1)

    def __str__(self) -> str:
        unit = self.unit.value if self.amount != 1 else self.unit.value[:-1]
        return f"{self.amount} {unit}"


@dataclass(frozen=True)
class DeadlineRules:
    due_soon_days: int


@dataclass(frozen=True)
class TrajectoryRules:
    art60_months: int
    wz_months: int
    orientation_months: int
    ao_in_time_months: int
    suspension_review_months: int
    evaluation_interval_months: int
    pop_after_start_months: int
    pop_after_evaluation_days: int
    aftercare_months: int


@dataclass(frozen=True)
class PlacementRules:
    profile_review_months: int
    plateau_evaluations: int


@dataclass(frozen=True)
class MatchingRules:
    """R-PLC-5: the weight of each soft matching component, and when an agreement is "expiring".

    The field names are the component codes of `matching.ComponentCode`; every weight is ≥ 0 and at
    least one is above 0.
    """

    occupation: Decimal
    competences: Decimal
    dutch: Decimal
    regime: Decimal
    commute: Decimal
    capacity: Decimal
    agreement: Decimal
    agreement_expiring_days: int

    def weight(self, component: str) -> Decimal:
        """Return the weight of the component with code `component` (e.g. "occupation")."""
        if component not in MATCHING_WEIGHTS:
            raise KeyError(f"unknown matching component {component!r}")
        value: Decimal = getattr(self, component)
        return value


# The weight keys of `[matching]`, in the order the components are listed.
MATCHING_WEIGHTS = (
    "occupation",
    "competences",
    "dutch",
    "regime",
    "commute",
    "capacity",
    "agreement",
)


@dataclass(frozen=True)
class EligibilityRules:
    min_regime: Decimal


@dataclass(frozen=True)
class InstrumentLimits:
    """The limits of one instrument kind; None means no limit is known (R-INS-2)."""

    kind: str
    label: str
    rule: str
    min_duration: Duration | None
    max_duration: Duration | None
    min_regime: Decimal | None
    max_uses: int | None
    trajectory_kinds: tuple[str, ...]


@dataclass(frozen=True)
class FinancingRules:
    effort_fee: Decimal
    effort_fee_yearly_cap: Decimal
    effort_fee_max_months: int
    compensation_part1: Decimal
    compensation_part2: Decimal
    deel3_fee: Decimal
    deel3_from_month: int


@dataclass(frozen=True)
class AgeBand:
    min_age: int
    days: int
    reference_months: int


@dataclass(frozen=True)
class BenefitRegime:
    """The days required for benefits for applications from `valid_from`; bands None = unknown."""

    valid_from: date
    label: str
    bands: tuple[AgeBand, ...] | None
    unknown_reason: str


@dataclass(frozen=True)
class BenefitAccessRules:
    max_days_per_month: int
    days_per_full_time_week: int
    end_tolerance_days: int
    days_tolerance: int
    regimes: tuple[BenefitRegime, ...]


@dataclass(frozen=True)
class RuleSet:
    """Every value the rules use, valid from `valid_from` until a later rule set's start."""

    valid_from: date
    name: str
    sources: tuple[str, ...]
    deadlines: DeadlineRules
    trajectory: TrajectoryRules
    placements: PlacementRules
    matching: MatchingRules
    eligibility: EligibilityRules
    instruments: tuple[InstrumentLimits, ...]
    financing: FinancingRules
    benefit_access: BenefitAccessRules

    def instrument(self, kind: str) -> InstrumentLimits:
        """Return the limits of instrument `kind`; raise KeyError for a kind the set lacks."""
        for limits in self.instruments:
            if limits.kind == kind:
                return limits
        raise KeyError(f"rule set {self.name}: unknown instrument kind {kind!r}")


class _Table:
    """A TOML table read with validation; errors name the file and the dotted key."""

    def __init__(self, data: Mapping[str, object], source: str, path: str = "") -> None:
        self._data = data
        self._source = source
        self._path = path
        self._used: set[str] = set()

    def where(self, key: str) -> str:
        return f"{self._source}: {self._path}{key}"

    def fail(self, key: str, problem: str) -> RuleSetError:
        return RuleSetError(f"{self.where(key)}: {problem}")

    def invalid(self, problem: str) -> RuleSetError:
        """Return an error about the table as a whole (its keys together)."""
        return RuleSetError(f"{self._source}: {self._path.rstrip('.')}: {problem}")

    def has(self, key: str) -> bool:
        return key in self._data

    def get(self, key: str) -> object:
        self._used.add(key)
        if key not in self._data:
            raise self.fail(key, "missing")
        return self._data[key]

    def integer(self, key: str, minimum: int = 1) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"expected a whole number ≥ {minimum}, got {value!r}")
        return value

    def decimal(self, key: str) -> Decimal:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(key, f'expected a number in quotes such as "250.00", got {value!r}')
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(key, f"expected a number, got {value!r}") from None
        if not number.is_finite() or number < 0:
            raise self.fail(key, f"expected a number ≥ 0, got {value!r}")
        return number

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value:
            raise self.fail(key, f"expected a non-empty text, got {value!r}")
        return value

    def day(self, key: str) -> date:
        value = self.get(key)
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self.fail(key, f"expected a date such as 2017-01-01, got {value!r}")
        return value

    def duration(self, key: str) -> Duration:
        value = self.get(key)
        match = re.fullmatch(
            r"(\d+) (days?|weeks?|months?)", value if isinstance(value, str) else ""
        )
        if not match or int(match[1]) < 1:
            raise self.fail(key, f'expected a length such as "30 days", got {value!r}')
        unit = match[2] if match[2].endswith("s") else match[2] + "s"
        return Duration(int(match[1]), DurationUnit(unit))

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.get(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, f"expected a list of texts, got {value!r}")
        return tuple(value)

    def table(self, key: str) -> _Table:
        value = self.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, "expected a table")
        return _Table(value, self._source, f"{self._path}{key}.")

    def tables(self, key: str) -> list[_Table]:
        value = self.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "expected a non-empty array of tables")
        return [
            _Table(item, self._source, f"{self._path}{key}[{i}].") for i, item in enumerate(value)
        ]

    def keys(self) -> tuple[str, ...]:
        return tuple(self._data)

    def finish(self) -> None:
        unknown = sorted(set(self._data) - self._used)
        if unknown:
            raise self.fail(unknown[0], "unknown key (a typo?)")


def _deadline_rules(table: _Table) -> DeadlineRules:
    rules = DeadlineRules(due_soon_days=table.integer("due_soon_days", minimum=0))
    table.finish()
    return rules


def _trajectory_rules(table: _Table) -> TrajectoryRules:
    rules = TrajectoryRules(
        art60_months=table.integer("art60_months"),
        wz_months=table.integer("wz_months"),
        orientation_months=table.integer("orientation_months"),
        ao_in_time_months=table.integer("ao_in_time_months"),
        suspension_review_months=table.integer("suspension_review_months"),
        evaluation_interval_months=table.integer("evaluation_interval_months"),
        pop_after_start_months=table.integer("pop_after_start_months"),
        pop_after_evaluation_days=table.integer("pop_after_evaluation_days"),
        aftercare_months=table.integer("aftercare_months"),
    )
    table.finish()
    return rules


def _placement_rules(table: _Table) -> PlacementRules:
    rules = PlacementRules(
        profile_review_months=table.integer("profile_review_months"),
        plateau_evaluations=table.integer("plateau_evaluations", minimum=2),
    )
    table.finish()
    return rules


def _matching_rules(table: _Table) -> MatchingRules:
    # R-PLC-5: weights ≥ 0 (`decimal` refuses negatives); at least one must count.
    weights = {key: table.decimal(key) for key in MATCHING_WEIGHTS}
    if not any(weights.values()):
        raise table.invalid("every weight is 0; at least one must be above 0")
    rules = MatchingRules(
        **weights,
        agreement_expiring_days=table.integer("expiring_days", minimum=0),
    )
    table.finish()
    return rules


def _eligibility_rules(table: _Table) -> EligibilityRules:
    rules = EligibilityRules(min_regime=table.decimal("min_regime"))
    table.finish()
    return rules


def _instrument_limits(kind: str, table: _Table) -> InstrumentLimits:
    limits = InstrumentLimits(
        kind=kind,
        label=table.text("label"),
        rule=table.text("rule") if table.has("rule") else "R-INS-2",
        min_duration=table.duration("min_duration") if table.has("min_duration") else None,
        max_duration=table.duration("max_duration") if table.has("max_duration") else None,
        min_regime=table.decimal("min_regime") if table.has("min_regime") else None,
        max_uses=table.integer("max_uses") if table.has("max_uses") else None,
        trajectory_kinds=table.texts("trajectory_kinds") if table.has("trajectory_kinds") else (),
    )
    table.finish()
    return limits


def _financing_rules(table: _Table) -> FinancingRules:
    rules = FinancingRules(
        effort_fee=table.decimal("effort_fee"),
        effort_fee_yearly_cap=table.decimal("effort_fee_yearly_cap"),
        effort_fee_max_months=table.integer("effort_fee_max_months"),
        compensation_part1=table.decimal("compensation_part1"),
        compensation_part2=table.decimal("compensation_part2"),
        deel3_fee=table.decimal("deel3_fee"),
        deel3_from_month=table.integer("deel3_from_month"),
    )
    table.finish()
    return rules


def _age_band(table: _Table) -> AgeBand:
    band = AgeBand(
        min_age=table.integer("min_age", minimum=0),
        days=table.integer("days"),
        reference_months=table.integer("reference_months"),
    )
    table.finish()
    return band


def _benefit_regime(table: _Table) -> BenefitRegime:
    valid_from, label = table.day("valid_from"), table.text("label")
    if table.has("bands") == table.has("unknown_reason"):
        raise table.fail("bands", "give either bands or unknown_reason, not both or neither")
    if table.has("unknown_reason"):
        regime = BenefitRegime(valid_from, label, None, table.text("unknown_reason"))
    else:
        bands = tuple(_age_band(band) for band in table.tables("bands"))
        ages = [band.min_age for band in bands]
        if ages[0] != 0 or ages != sorted(set(ages)):
            raise table.fail("bands", "min_age must start at 0 and increase")
        regime = BenefitRegime(valid_from, label, bands, "")
    table.finish()
    return regime


def _benefit_access_rules(table: _Table) -> BenefitAccessRules:
    regimes = tuple(_benefit_regime(regime) for regime in table.tables("regimes"))
    starts = [regime.valid_from for regime in regimes]
    if starts != sorted(set(starts)):
        raise table.fail("regimes", "valid_from dates must increase")
    rules = BenefitAccessRules(
        max_days_per_month=table.integer("max_days_per_month"),
        days_per_full_time_week=table.integer("days_per_full_time_week"),
        end_tolerance_days=table.integer("end_tolerance_days", minimum=0),
        days_tolerance=table.integer("days_tolerance", minimum=0),
        regimes=regimes,
    )
    table.finish()
    return rules


def _ruleset(data: Mapping[str, object], sources: tuple[str, ...]) -> RuleSet:
    table = _Table(data, sources[-1])
    instruments = table.table("instruments")
    ruleset = RuleSet(
        valid_from=table.day("valid_from"),
        name=table.text("name") if table.has("name") else sources[-1],
        sources=sources,
        deadlines=_deadline_rules(table.table("deadlines")),
        trajectory=_trajectory_rules(table.table("trajectory")),
        placements=_placement_rules(table.table("placements")),
        matching=_matching_rules(table.table("matching")),
        eligibility=_eligibility_rules(table.table("eligibility")),
        instruments=tuple(
            _instrument_limits(kind, instruments.table(kind)) for kind in sorted(instruments.keys())
        ),
        financing=_financing_rules(table.table("financing")),
        benefit_access=_benefit_access_rules(table.table("benefit_access")),
    )
    instruments.finish()
    table.finish()
    return ruleset


def _merge(base: Mapping[str, object], override: Mapping[str, object]) -> dict[str, object]:
    merged = dict(base)
    for key, value in override.items():
        previous = merged.get(key)
        if isinstance(value, dict) and isinstance(previous, dict):
            merged[key] = _merge(previous, value)
        else:
            merged[key] = value
    return merged


def build_rulesets(documents: Sequence[Document]) -> tuple[RuleSet, ...]:
    """Validate parsed TOML documents (name, data) into rule sets, each on top of the one before."""
    if not documents:
        raise RuleSetError("no rule-set files found")
    dated = sorted(
        ((_Table(data, name).day("valid_from"), name, data) for name, data in documents),
        key=lambda item: (item[0], item[1]),
    )
    for (first, name_a, _), (second, name_b, _) in itertools.pairwise(dated):
        if first == second:
            raise RuleSetError(f"{name_a} and {name_b}: both valid from {first.isoformat()}")
    rulesets: list[RuleSet] = []
    merged: dict[str, object] = {}
    for _valid_from, name, data in dated:
        # Each file names itself; every other key is inherited from the rule set before it.
        merged = _merge({key: value for key, value in merged.items() if key != "name"}, data)
        sources = (*rulesets[-1].sources, name) if rulesets else (name,)
        rulesets.append(_ruleset(merged, sources))
    return tuple(rulesets)


def _parse(name: str, content: str) -> Document:
    try:
        return name, tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        raise RuleSetError(f"{name}: not valid TOML: {error}") from None


def _bundled_documents() -> list[Document]:
    folder = resources.files("doorstroom.rules").joinpath("rulesets")
    files = sorted((item for item in folder.iterdir() if item.name.endswith(".toml")), key=str)
    return [_parse(f"rulesets/{item.name}", item.read_text(encoding="utf-8")) for item in files]


def _directory_documents(folder: Path) -> list[Document]:
    if not folder.is_dir():
        raise RuleSetError(f"{folder}: not a directory")
    return [
        _parse(str(path), path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.toml"))
    ]


def load_rulesets(extra_dirs: Sequence[Path] = ()) -> tuple[RuleSet, ...]:
    """Load the bundled rule sets plus every `*.toml` in `extra_dirs`, in `valid_from` order."""
    # R-VER-1: an installation adds newer files without code changes.
    documents = _bundled_documents()
    for folder in extra_dirs:
        documents.extend(_directory_documents(Path(folder)))
    return build_rulesets(documents)


def ruleset_for(day: date, rulesets: Sequence[RuleSet]) -> RuleSet:
    """Return the rule set in force on `day`: the one with the latest `valid_from` ≤ `day`."""
    # R-VER-1: a trajectory is judged by the rule set valid on its start date.
    candidates = [ruleset for ruleset in rulesets if ruleset.valid_from <= day]
    if not candidates:
        raise LookupError(f"no rule set is valid on {day.isoformat()}")
    return max(candidates, key=lambda ruleset: ruleset.valid_from)
