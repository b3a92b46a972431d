"""Access to unemployment benefits after an art. 60 contract (R-A60-2): a local estimate.

The estimate counts benefit days on the days of a full-time week (Monday to Saturday with 6 days),
each worth the contract's share of full time (hours × 6 ÷ full-time weekly hours per week), and at
most 26 days per calendar month. Days already credited are assumed to fall inside the reference
period. It never guesses: under a regime whose thresholds are unknown it says "not available".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from doorstroom.rules.periods import period_end
from doorstroom.rules.rulesets import AgeBand, BenefitAccessRules, BenefitRegime, RuleSet


class BenefitStatus(StrEnum):
    ESTIMATED = "estimated"
    ALREADY_MET = "already_met"
    REFERENCE_PERIOD_EXCEEDED = "reference_period_exceeded"
    NOT_AVAILABLE = "not_available"


class ComparisonStatus(StrEnum):
    MATCHES = "matches"
    DIFFERS = "differs"
    NOT_COMPARABLE = "not_comparable"


@dataclass(frozen=True)
class BenefitAccessFacts:
    """The facts of one art. 60 contract; `application_date` selects the regime (R-VER-1)."""

    application_date: date
    age_at_application: int
    contract_start: date
    weekly_hours: Decimal
    full_time_weekly_hours: Decimal
    days_credited: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        if self.weekly_hours <= 0 or self.full_time_weekly_hours <= 0:
            raise ValueError("weekly hours and full-time weekly hours must be positive")


@dataclass(frozen=True)
class BenefitEstimate:
    """The estimate, or why there is none; `reason` is a code (e.g. the unknown regime's)."""

    status: BenefitStatus
    regime: str
    reason: str = ""
    days_required: int | None = None
    reference_months: int | None = None
    days_to_work: Decimal | None = None
    estimated_end: date | None = None


@dataclass(frozen=True)
class RvaAnswer:
    """The stored OCMW@RVA answer: days to work and the contract's end date (R-A60-1)."""

    end: date
    days: Decimal


@dataclass(frozen=True)
class AnswerComparison:
    status: ComparisonStatus
    end_difference_days: int | None = None
    days_difference: Decimal | None = None


def benefit_regime_for(application_date: date, ruleset: RuleSet) -> BenefitRegime:
    """Return the benefit regime in force for an application on `application_date`."""
    # R-VER-1, R-A60-2: benefit access is judged on the application date.
    regimes = [r for r in ruleset.benefit_access.regimes if r.valid_from <= application_date]
    if not regimes:
        raise LookupError(f"no benefit regime for applications on {application_date.isoformat()}")
    return regimes[-1]


def _band(bands: tuple[AgeBand, ...], age: int) -> AgeBand:
    return [band for band in bands if band.min_age <= age][-1]


def _end_of_work(
    facts: BenefitAccessFacts, needed: Decimal, band: AgeBand, rules: BenefitAccessRules
) -> date | None:
    """Return the day the contract reaches `needed` days, or None past the reference period."""
    rate = min(Decimal(1), facts.weekly_hours / facts.full_time_weekly_hours)
    limit = period_end(facts.contract_start, band.reference_months)
    day, total, in_month, month = facts.contract_start, Decimal(0), Decimal(0), (0, 0)
    while day <= limit:
        if (day.year, day.month) != month:
            month, in_month = (day.year, day.month), Decimal(0)
        if day.weekday() < rules.days_per_full_time_week:
            credit = min(rate, rules.max_days_per_month - in_month)
            in_month, total = in_month + credit, total + credit
            if total >= needed:
                return day
        day += timedelta(days=1)
    return None


def estimate_benefit_access(facts: BenefitAccessFacts, ruleset: RuleSet) -> BenefitEstimate:
    """Estimate the days still to work and the end date of an art. 60 contract."""
    # R-A60-2: days required per age band within a reference period, per regime (R-VER-1).
    regime = benefit_regime_for(facts.application_date, ruleset)
    if regime.bands is None:
        return BenefitEstimate(BenefitStatus.NOT_AVAILABLE, regime.label, regime.unknown_reason)
    band = _band(regime.bands, facts.age_at_application)
    needed = max(Decimal(0), band.days - facts.days_credited)
    if needed == 0:
        return _estimate(BenefitStatus.ALREADY_MET, regime, band, needed)
    end = _end_of_work(facts, needed, band, ruleset.benefit_access)
    if end is None:
        return _estimate(BenefitStatus.REFERENCE_PERIOD_EXCEEDED, regime, band, needed)
    return _estimate(BenefitStatus.ESTIMATED, regime, band, needed, end)


def _estimate(
    status: BenefitStatus,
    regime: BenefitRegime,
    band: AgeBand,
    needed: Decimal,
    end: date | None = None,
) -> BenefitEstimate:
    return BenefitEstimate(status, regime.label, "", band.days, band.reference_months, needed, end)


def compare_with_answer(
    estimate: BenefitEstimate, answer: RvaAnswer, ruleset: RuleSet
) -> AnswerComparison:
    """Compare the estimate with the OCMW@RVA answer; differs beyond the rule-set tolerances."""
    # R-A60-2: warn when the local estimate differs from the stored answer.
    if estimate.estimated_end is None or estimate.days_to_work is None:
        return AnswerComparison(ComparisonStatus.NOT_COMPARABLE)
    rules = ruleset.benefit_access
    end_difference = (answer.end - estimate.estimated_end).days
    days_difference = answer.days - estimate.days_to_work
    differs = (
        abs(end_difference) > rules.end_tolerance_days
        or abs(days_difference) > rules.days_tolerance
    )
    status = ComparisonStatus.DIFFERS if differs else ComparisonStatus.MATCHES
    return AnswerComparison(status, end_difference, days_difference)
