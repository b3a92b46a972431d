"""Deadlines: the value object, its codes (SPEC "Deadline codes"), severity and order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from doorstroom.rules.periods import add_days, period_end
from doorstroom.rules.problems import Facts
from doorstroom.rules.rulesets import RuleSet


class DeadlineCode(StrEnum):
    """The deadline codes of SPEC §3, exactly as the UI and the API know them."""

    ORIENTATION_END = "orientation_end"
    AO_START_DUE = "ao_start_due"
    AO_NOT_IN_TIME = "ao_not_in_time"
    SUSPENSION_REVIEW = "suspension_review"
    POP_DUE = "pop_due"
    EVALUATION_DUE = "evaluation_due"
    PLACEMENT_FOLLOWUP_DUE = "placement_followup_due"
    TRAJECTORY_END = "trajectory_end"
    END_REPORT_DUE = "end_report_due"
    AFTERCARE_END = "aftercare_end"
    FOLLOWUP_3M = "followup_3m"
    FOLLOWUP_6M = "followup_6m"
    FOLLOWUP_12M = "followup_12m"
    PROFILE_REVIEW_DUE = "profile_review_due"
    AGREEMENT_EXPIRY = "agreement_expiry"
    CONSENT_EXPIRY = "consent_expiry"


# The rule column of SPEC's deadline table.
RULE_OF_CODE: dict[DeadlineCode, str] = {
    DeadlineCode.ORIENTATION_END: "R-TRJ-5",
    DeadlineCode.AO_START_DUE: "R-TRJ-2",
    DeadlineCode.AO_NOT_IN_TIME: "R-TRJ-2, R-FIN-1",
    DeadlineCode.SUSPENSION_REVIEW: "R-TRJ-3",
    DeadlineCode.POP_DUE: "R-TRJ-7",
    DeadlineCode.EVALUATION_DUE: "R-TRJ-6",
    DeadlineCode.PLACEMENT_FOLLOWUP_DUE: "R-TRJ-8",
    DeadlineCode.TRAJECTORY_END: "R-TRJ-1",
    DeadlineCode.END_REPORT_DUE: "R-TRJ-4, R-END-1",
    DeadlineCode.AFTERCARE_END: "R-TRJ-10",
    DeadlineCode.FOLLOWUP_3M: "R-END-2",
    DeadlineCode.FOLLOWUP_6M: "R-END-2",
    DeadlineCode.FOLLOWUP_12M: "R-END-2",
    DeadlineCode.PROFILE_REVIEW_DUE: "R-PLC-7",
    DeadlineCode.AGREEMENT_EXPIRY: "R-PLC-1",
    DeadlineCode.CONSENT_EXPIRY: "R-PRV-5",
}


class Severity(StrEnum):
    INFO = "info"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    VIOLATION = "violation"

    @property
    def rank(self) -> int:
        """Return 0 for the most urgent severity (violation) up to 3 (info)."""
        return _RANK[self]


_RANK = {Severity.VIOLATION: 0, Severity.OVERDUE: 1, Severity.DUE_SOON: 2, Severity.INFO: 3}


@dataclass(frozen=True)
class Deadline:
    """A computed deadline, with the rule and the input facts it was computed from."""

    code: DeadlineCode
    due: date
    rule: str
    severity: Severity
    facts: Facts = ()
    subject: str | None = None

    def sort_key(self) -> tuple[date, int, str, str]:
        """Return the key deadlines are ordered by: due date, urgency, code, subject."""
        return (self.due, self.severity.rank, self.code.value, self.subject or "")


def severity_for(due: date, today: date, due_soon_days: int) -> Severity:
    """Return overdue when `due` is past, due soon within the window, else info."""
    if due < today:
        return Severity.OVERDUE
    if due <= add_days(today, due_soon_days):
        return Severity.DUE_SOON
    return Severity.INFO


def make_deadline(
    code: DeadlineCode,
    due: date,
    *,
    today: date,
    ruleset: RuleSet,
    facts: Facts = (),
    subject: str | None = None,
    violation: bool = False,
) -> Deadline:
    """Build a deadline with the rule of its code and the severity as of `today`."""
    severity = (
        Severity.VIOLATION
        if violation
        else severity_for(due, today, ruleset.deadlines.due_soon_days)
    )
    return Deadline(code, due, RULE_OF_CODE[code], severity, facts, subject)


def sort_deadlines(deadlines: Iterable[Deadline]) -> tuple[Deadline, ...]:
    """Return `deadlines` ordered by (due, severity rank, code, subject): deterministic."""
    return tuple(sorted(deadlines, key=Deadline.sort_key))


def profile_review_due(
    profile_id: str, last_review: date, *, today: date, ruleset: RuleSet
) -> Deadline:
    """Return when job profile `profile_id` must be reviewed again."""
    # R-PLC-7: a job profile is reviewed at least every 12 months.
    months = ruleset.placements.profile_review_months
    return make_deadline(
        DeadlineCode.PROFILE_REVIEW_DUE,
        period_end(last_review, months),
        today=today,
        ruleset=ruleset,
        facts=(("last_review", last_review.isoformat()), ("months", str(months))),
        subject=profile_id,
    )


def agreement_expiry(agreement_id: str, end: date, *, today: date, ruleset: RuleSet) -> Deadline:
    """Return the expiry of employer agreement `agreement_id` (its last day `end`)."""
    # R-PLC-1: placements need a cooperation agreement in force.
    return make_deadline(
        DeadlineCode.AGREEMENT_EXPIRY,
        end,
        today=today,
        ruleset=ruleset,
        facts=(("agreement_end", end.isoformat()),),
        subject=agreement_id,
    )


def consent_expiry(consent_id: str, end: date, *, today: date, ruleset: RuleSet) -> Deadline:
    """Return the expiry of consent `consent_id` (its last day `end`)."""
    # R-PRV-5: consent for sharing with partners can expire.
    return make_deadline(
        DeadlineCode.CONSENT_EXPIRY,
        end,
        today=today,
        ruleset=ruleset,
        facts=(("consent_end", end.isoformat()),),
        subject=consent_id,
    )
