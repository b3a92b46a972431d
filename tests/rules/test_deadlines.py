"""Deadline value objects: severity, order, and the deadlines outside a trajectory."""

from __future__ import annotations

import pytest

from doorstroom.rules import (
    RULE_OF_CODE,
    Deadline,
    DeadlineCode,
    Severity,
    agreement_expiry,
    consent_expiry,
    profile_review_due,
    severity_for,
    sort_deadlines,
)
from tests.rules.support import RULES, d

# The code column of SPEC §3 "Deadline codes", in its order.
SPEC_CODES = [
    "orientation_end",
    "ao_start_due",
    "ao_not_in_time",
    "suspension_review",
    "pop_due",
    "evaluation_due",
    "placement_followup_due",
    "trajectory_end",
    "end_report_due",
    "aftercare_end",
    "followup_3m",
    "followup_6m",
    "followup_12m",
    "profile_review_due",
    "agreement_expiry",
    "consent_expiry",
]


def test_the_codes_are_exactly_those_of_the_spec_table():
    assert [code.value for code in DeadlineCode] == SPEC_CODES
    assert set(RULE_OF_CODE) == set(DeadlineCode)


@pytest.mark.parametrize(
    ("due", "today", "severity"),
    [
        pytest.param("2027-03-14", "2027-03-15", Severity.OVERDUE, id="the day after"),
        pytest.param("2027-03-14", "2027-03-14", Severity.DUE_SOON, id="on the day"),
        pytest.param("2027-03-14", "2027-02-28", Severity.DUE_SOON, id="14 days before"),
        pytest.param("2027-03-14", "2027-02-27", Severity.INFO, id="15 days before"),
    ],
)
def test_severity_depends_on_today_and_the_due_soon_window(due, today, severity):
    assert severity_for(d(due), d(today), RULES.deadlines.due_soon_days) is severity


def test_deadlines_sort_by_due_then_urgency_then_code_then_subject():
    a = Deadline(DeadlineCode.POP_DUE, d("2027-03-01"), "R-TRJ-7", Severity.INFO)
    b = Deadline(DeadlineCode.AO_NOT_IN_TIME, d("2027-03-01"), "R-TRJ-2", Severity.VIOLATION)
    c = Deadline(
        DeadlineCode.PLACEMENT_FOLLOWUP_DUE, d("2027-03-01"), "R-TRJ-8", Severity.INFO, subject="p2"
    )
    e = Deadline(
        DeadlineCode.PLACEMENT_FOLLOWUP_DUE, d("2027-03-01"), "R-TRJ-8", Severity.INFO, subject="p1"
    )
    f = Deadline(DeadlineCode.AFTERCARE_END, d("2027-02-01"), "R-TRJ-10", Severity.INFO)
    assert sort_deadlines([a, b, c, e, f]) == (f, b, e, c, a)


@pytest.mark.parametrize(
    ("make", "code", "rule", "due"),
    [
        pytest.param(
            lambda: profile_review_due(
                "jp1", d("2027-03-15"), today=d("2028-03-01"), ruleset=RULES
            ),
            DeadlineCode.PROFILE_REVIEW_DUE,
            "R-PLC-7",
            "2028-03-14",
            id="R-PLC-7 review + 12 months",
        ),
        pytest.param(
            lambda: agreement_expiry("ag1", d("2028-03-10"), today=d("2028-03-01"), ruleset=RULES),
            DeadlineCode.AGREEMENT_EXPIRY,
            "R-PLC-1",
            "2028-03-10",
            id="R-PLC-1 agreement end",
        ),
        pytest.param(
            lambda: consent_expiry("c1", d("2028-03-10"), today=d("2028-03-01"), ruleset=RULES),
            DeadlineCode.CONSENT_EXPIRY,
            "R-PRV-5",
            "2028-03-10",
            id="R-PRV-5 consent end",
        ),
    ],
)
def test_deadlines_outside_a_trajectory(make, code, rule, due):
    deadline = make()
    assert (deadline.code, deadline.rule, deadline.due) == (code, rule, d(due))
    assert deadline.severity is Severity.DUE_SOON
    assert deadline.subject in {"jp1", "ag1", "c1"}
