"""R-A60-2: the local estimate of the days to work under art. 60 and the check of the RVA answer.

Benefit days count on Monday to Saturday, each worth the share of full time, at most 26 in a
calendar month. 1 February and 1 March 2027 are Mondays; 1 April 2027 is a Thursday.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from doorstroom.rules import (
    BenefitAccessFacts,
    BenefitStatus,
    ComparisonStatus,
    RvaAnswer,
    benefit_regime_for,
    compare_with_answer,
    estimate_benefit_access,
)
from tests.rules.support import RULES, d


def facts(
    start: str = "2027-02-01",
    credited: str = "0",
    hours: str = "38",
    age: int = 30,
    application: str = "2025-06-01",
) -> BenefitAccessFacts:
    return BenefitAccessFacts(
        application_date=d(application),
        age_at_application=age,
        contract_start=d(start),
        weekly_hours=Decimal(hours),
        full_time_weekly_hours=Decimal(38),
        days_credited=Decimal(credited),
    )


@pytest.mark.parametrize(
    ("application", "age", "days", "months"),
    [
        pytest.param("2012-10-31", 30, 312, 18, id="R-A60-2 before 1/11/2012 under 36"),
        pytest.param("2012-10-31", 50, 624, 36, id="R-A60-2 before 1/11/2012 50+"),
        pytest.param("2012-11-01", 35, 312, 21, id="R-A60-2 since 1/11/2012 under 36"),
        pytest.param("2026-02-28", 36, 468, 33, id="R-A60-2 since 1/11/2012 36"),
        pytest.param("2026-02-28", 49, 468, 33, id="R-A60-2 since 1/11/2012 49"),
        pytest.param("2026-02-28", 50, 624, 42, id="R-A60-2 since 1/11/2012 50"),
    ],
)
def test_R_A60_2_days_required_per_regime_and_age(application, age, days, months):
    estimate = estimate_benefit_access(facts(application=application, age=age), RULES)
    assert (estimate.days_required, estimate.reference_months) == (days, months)


def test_R_A60_2_since_1_march_2026_not_available_instead_of_a_guess():
    estimate = estimate_benefit_access(facts(application="2026-03-01"), RULES)
    assert estimate.status is BenefitStatus.NOT_AVAILABLE
    assert estimate.reason == "rules_since_2026_03_01_unknown"
    assert (estimate.days_to_work, estimate.estimated_end) == (None, None)


@pytest.mark.parametrize(
    ("start", "credited", "hours", "to_work", "end"),
    [
        pytest.param(
            "2027-02-01",
            "300",
            "38",
            "12",
            "2027-02-13",
            id="R-A60-2 full-time: two Monday-Saturday weeks",
        ),
        pytest.param(
            "2027-02-01",
            "300",
            "19",
            "12",
            "2027-02-27",
            id="R-A60-2 half-time: 19 × 6 ÷ 38 = 3 days a week",
        ),
        pytest.param(
            "2027-03-01",
            "280",
            "38",
            "32",
            "2027-04-07",
            id="R-A60-2 a month counts at most 26 days",
        ),
        pytest.param(
            "2027-02-01",
            "300",
            "40",
            "12",
            "2027-02-13",
            id="R-A60-2 over full time counts as full time",
        ),
    ],
)
def test_R_A60_2_estimated_end(start, credited, hours, to_work, end):
    estimate = estimate_benefit_access(facts(start, credited, hours), RULES)
    assert estimate.status is BenefitStatus.ESTIMATED
    assert (estimate.days_to_work, estimate.estimated_end) == (Decimal(to_work), d(end))


def test_R_A60_2_half_time_from_zero_does_not_fit_21_months():
    estimate = estimate_benefit_access(facts(hours="19"), RULES)
    assert estimate.status is BenefitStatus.REFERENCE_PERIOD_EXCEEDED
    assert (estimate.days_to_work, estimate.estimated_end) == (Decimal(312), None)


def test_R_A60_2_enough_days_already():
    estimate = estimate_benefit_access(facts(credited="320"), RULES)
    assert (estimate.status, estimate.days_to_work) == (BenefitStatus.ALREADY_MET, Decimal(0))


@pytest.mark.parametrize(
    ("end", "days", "status", "end_difference"),
    [
        pytest.param("2027-02-13", "12", ComparisonStatus.MATCHES, 0, id="R-A60-2 same answer"),
        pytest.param(
            "2027-02-20", "18", ComparisonStatus.MATCHES, 7, id="R-A60-2 within tolerance"
        ),
        pytest.param(
            "2027-02-21", "12", ComparisonStatus.DIFFERS, 8, id="R-A60-2 end date differs"
        ),
        pytest.param("2027-02-13", "19", ComparisonStatus.DIFFERS, 0, id="R-A60-2 days differ"),
    ],
)
def test_R_A60_2_comparison_with_the_rva_answer(end, days, status, end_difference):
    estimate = estimate_benefit_access(facts(credited="300"), RULES)
    comparison = compare_with_answer(estimate, RvaAnswer(d(end), Decimal(days)), RULES)
    assert (comparison.status, comparison.end_difference_days) == (status, end_difference)


def test_R_A60_2_nothing_to_compare_without_an_estimate():
    estimate = estimate_benefit_access(facts(application="2026-03-01"), RULES)
    comparison = compare_with_answer(estimate, RvaAnswer(d("2028-01-01"), Decimal(312)), RULES)
    assert comparison.status is ComparisonStatus.NOT_COMPARABLE


def test_bad_benefit_input_is_refused():
    with pytest.raises(ValueError, match="positive"):
        facts(hours="0")
    with pytest.raises(LookupError, match="1899-12-31"):
        benefit_regime_for(d("1899-12-31"), RULES)
