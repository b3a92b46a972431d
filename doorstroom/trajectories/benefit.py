"""The local estimate of benefit access after the art. 60 contract, beside the RVA answer."""

from __future__ import annotations

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from doorstroom.core.regulation import ruleset_on
from doorstroom.rules import benefit_access as rules
from doorstroom.trajectories.models import EmploymentContract


@dataclass(frozen=True)
class BenefitView:
    estimate: rules.BenefitEstimate
    comparison: rules.AnswerComparison | None

    @property
    def differs(self) -> bool:
        return bool(self.comparison and self.comparison.status is rules.ComparisonStatus.DIFFERS)


def benefit_view(contract: EmploymentContract) -> BenefitView:
    """R-A60-2: estimate the days to work and the end; compare with the stored answer."""
    client = contract.trajectory.client
    # R-VER-1: judged on the application date: the contract's start.
    application = contract.start
    facts = rules.BenefitAccessFacts(
        application_date=application,
        age_at_application=relativedelta(application, client.birth_date).years,
        contract_start=contract.start,
        weekly_hours=contract.weekly_hours,
        full_time_weekly_hours=contract.full_time_weekly_hours,
        days_credited=contract.days_credited,
    )
    ruleset = ruleset_on(application)
    estimate = rules.estimate_benefit_access(facts, ruleset)
    comparison = None
    if contract.rva_end and contract.rva_days is not None:
        answer = rules.RvaAnswer(end=contract.rva_end, days=contract.rva_days)
        comparison = rules.compare_with_answer(estimate, answer, ruleset)
    return BenefitView(estimate, comparison)
