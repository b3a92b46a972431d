"""The trajectory clock (R-TRJ-1..10, R-END-2): planned end and deadlines, worked out by hand.

Unless a case says otherwise the art60 trajectory starts on 2027-01-15, so: orientation and the
first POP are due 2027-02-14, the AO is in time until 2027-03-14, the first evaluation is due
2027-07-14 and the planned last day is 2029-01-14. The wz referral is 2027-03-15 (last day
2029-03-14).
"""

from __future__ import annotations

import pytest

from doorstroom.rules import (
    DeadlineCode,
    EmploymentContract,
    Outflow,
    OutflowKind,
    Phase,
    PhaseExtension,
    PhasePeriod,
    Placement,
    Severity,
    Suspension,
    ao_in_time,
    current_phase,
    guidance_end,
    is_ended,
    planned_end,
    stop_problems,
    trajectory_deadlines,
    trajectory_problems,
)
from tests.rules.support import RULES, art60, d, dues, of_code, wz

C = DeadlineCode
OPEN_AO = EmploymentContract(d("2027-02-01"))


# R-TRJ-1 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trajectory", "planned", "guidance"),
    [
        pytest.param(wz(), "2029-03-14", "2029-03-14", id="R-TRJ-1 wz referral + 24 months"),
        pytest.param(
            wz(suspensions=(Suspension("s1", d("2027-06-01"), d("2027-09-30")),)),
            "2029-03-14",
            "2029-03-14",
            id="R-TRJ-1 a suspension changes nothing for wz",
        ),
        pytest.param(
            art60("2027-01-31"), "2029-01-30", "2029-01-30", id="R-TRJ-1 art60 start + 24 months"
        ),
        pytest.param(
            art60("2028-02-29"), "2030-02-28", "2030-02-28", id="R-TRJ-1 art60 from a leap day"
        ),
        pytest.param(
            art60(ao=EmploymentContract(d("2027-02-01"), d("2029-06-30"))),
            "2029-01-14",
            "2029-06-30",
            id="R-TRJ-1 art60 AO runs past: guidance goes on",
        ),
        pytest.param(
            art60(ao=EmploymentContract(d("2027-02-01"), d("2028-06-30"))),
            "2029-01-14",
            "2029-01-14",
            id="R-TRJ-1 art60 AO ends before the planned end",
        ),
        pytest.param(art60(ao=OPEN_AO), "2029-01-14", "2029-01-14", id="R-TRJ-1 AO end unknown"),
        pytest.param(
            art60(ao=EmploymentContract(d("2029-02-01"), d("2029-06-30"))),
            "2029-01-14",
            "2029-01-14",
            id="R-TRJ-1 AO starting after the planned end",
        ),
    ],
)
def test_R_TRJ_1_planned_end_and_guidance_end(trajectory, planned, guidance):
    assert planned_end(trajectory, RULES) == d(planned)
    assert guidance_end(trajectory, RULES) == d(guidance)


@pytest.mark.parametrize(
    ("trajectory", "due", "facts"),
    [
        pytest.param(wz(), "2029-03-14", {"planned_end": "2029-03-14"}, id="R-TRJ-1 wz"),
        pytest.param(art60(), "2029-01-14", {"planned_end": "2029-01-14"}, id="R-TRJ-1 art60"),
        pytest.param(
            art60(ao=EmploymentContract(d("2027-02-01"), d("2029-06-30"))),
            "2029-06-30",
            {"planned_end": "2029-01-14", "ao_end": "2029-06-30"},
            id="R-TRJ-1 art60 with the AO running past the planned end: not a violation",
        ),
    ],
)
def test_R_TRJ_1_trajectory_end_deadline(trajectory, due, facts):
    (deadline,) = of_code(
        trajectory_deadlines(trajectory, d("2027-06-01"), RULES), C.TRAJECTORY_END
    )
    assert deadline.due == d(due)
    assert deadline.severity is Severity.INFO
    assert facts.items() <= dict(deadline.facts).items()


# R-TRJ-2 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "ao_start", "code", "due", "severity"),
    [
        pytest.param(
            "2027-01-15", None, C.AO_START_DUE, "2027-03-14", Severity.INFO, id="R-TRJ-2 no AO yet"
        ),
        pytest.param(
            "2027-01-15", "2027-03-14", None, None, None, id="R-TRJ-2 AO on the last day in time"
        ),
        pytest.param(
            "2027-01-15",
            "2027-03-15",
            C.AO_NOT_IN_TIME,
            "2027-03-15",
            Severity.VIOLATION,
            id="R-TRJ-2 AO the day after the 2 months: niet tijdig",
        ),
        pytest.param(
            "2027-01-15",
            "2027-03-16",
            C.AO_NOT_IN_TIME,
            "2027-03-16",
            Severity.VIOLATION,
            id="R-TRJ-2 AO 2 months and 1 day after the start is flagged",
        ),
        pytest.param(
            "2027-12-31", "2028-02-29", None, None, None, id="R-TRJ-2 into a leap February"
        ),
        pytest.param(
            "2027-12-31",
            "2028-03-01",
            C.AO_NOT_IN_TIME,
            "2028-03-01",
            Severity.VIOLATION,
            id="R-TRJ-2 late after a leap February",
        ),
    ],
)
def test_R_TRJ_2_ao_in_time(start, ao_start, code, due, severity):
    ao = EmploymentContract(d(ao_start)) if ao_start else None
    trajectory = art60(start, ao=ao)
    found = [
        x
        for x in trajectory_deadlines(trajectory, d(start), RULES)
        if x.code in {C.AO_START_DUE, C.AO_NOT_IN_TIME}
    ]
    assert [(x.code, x.due, x.severity) for x in found] == (
        [(code, d(due), severity)] if code else []
    )
    assert ao_in_time(trajectory, RULES) is (ao is not None and code is None)


def test_R_TRJ_2_ao_start_due_turns_overdue():
    (deadline,) = of_code(trajectory_deadlines(art60(), d("2027-03-15"), RULES), C.AO_START_DUE)
    assert deadline.severity is Severity.OVERDUE
    assert dict(deadline.facts) == {
        "start": "2027-01-15",
        "months": "2",
        "ao_deadline": "2027-03-14",
    }


def test_R_TRJ_2_wz_has_no_ao_deadlines():
    found = trajectory_deadlines(wz(), d("2027-06-01"), RULES)
    assert not of_code(found, C.AO_START_DUE) + of_code(found, C.AO_NOT_IN_TIME)


# R-TRJ-3 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suspensions", "today", "expected"),
    [
        pytest.param(
            (Suspension("s1", d("2027-05-10")),),
            "2027-06-01",
            [("2027-08-09", "s1")],
            id="R-TRJ-3 review on suspension start + 3 months",
        ),
        pytest.param(
            (Suspension("s1", d("2027-05-10"), d("2027-08-09")),),
            "2027-06-01",
            [],
            id="R-TRJ-3 ends within 3 months: no review",
        ),
        pytest.param(
            (Suspension("s1", d("2027-05-10"), d("2027-09-30")),),
            "2027-06-01",
            [("2027-08-09", "s1")],
            id="R-TRJ-3 planned to last longer than 3 months",
        ),
        pytest.param(
            (Suspension("s1", d("2027-05-10"), d("2027-09-30")),),
            "2027-10-15",
            [],
            id="R-TRJ-3 over already: the review is moot",
        ),
        pytest.param(
            (Suspension("s1", d("2027-05-10"), reviewed_on=d("2027-08-01")),),
            "2027-08-05",
            [],
            id="R-TRJ-3 reviewed",
        ),
        pytest.param(
            (Suspension("s2", d("2027-11-30")), Suspension("s1", d("2027-05-10"), d("2027-09-30"))),
            "2027-09-01",
            [("2027-08-09", "s1"), ("2028-02-29", "s2")],
            id="R-TRJ-3 two suspensions, each with its subject",
        ),
    ],
)
def test_R_TRJ_3_suspension_review(suspensions, today, expected):
    trajectory = art60(ao=OPEN_AO, suspensions=suspensions)
    found = of_code(trajectory_deadlines(trajectory, d(today), RULES), C.SUSPENSION_REVIEW)
    assert [(x.due, x.subject) for x in found] == [(d(due), subject) for due, subject in expected]


def test_R_TRJ_3_wz_suspensions_need_no_review():
    trajectory = wz(suspensions=(Suspension("s1", d("2027-05-10")),))
    assert not of_code(
        trajectory_deadlines(trajectory, d("2027-06-01"), RULES), C.SUSPENSION_REVIEW
    )


@pytest.mark.parametrize(
    ("trajectory", "stop_on", "codes"),
    [
        pytest.param(art60(ao=OPEN_AO), "2027-09-30", ["ao_still_running"], id="R-TRJ-3 AO open"),
        pytest.param(
            art60(ao=EmploymentContract(d("2027-02-01"), d("2027-10-31"))),
            "2027-09-30",
            ["ao_still_running"],
            id="R-TRJ-3 AO ends after the stop",
        ),
        pytest.param(
            art60(ao=EmploymentContract(d("2027-02-01"), d("2027-09-30"))),
            "2027-09-30",
            [],
            id="R-TRJ-3 AO ends with the stop",
        ),
        pytest.param(art60(), "2027-02-28", [], id="R-TRJ-3 no AO"),
        pytest.param(wz(), "2027-09-30", [], id="R-TRJ-3 wz"),
    ],
)
def test_R_TRJ_3_an_art60_trajectory_stops_only_with_its_ao(trajectory, stop_on, codes):
    assert [p.code for p in stop_problems(trajectory, d(stop_on))] == codes


def test_R_INT_4_and_R_TRJ_3_problems_in_recorded_facts():
    trajectory = art60(intake_date=d("2027-01-16"), ao=OPEN_AO, stopped_on=d("2027-09-30"))
    problems = trajectory_problems(trajectory)
    assert [(p.code, p.rule, p.limit, p.actual) for p in problems] == [
        ("intake_after_start", "R-INT-4", "2027-01-15", "2027-01-16"),
        ("ao_still_running", "R-TRJ-3", "2027-09-30", "open"),
    ]
    assert trajectory_problems(art60(intake_date=d("2027-01-15"))) == ()


# R-TRJ-5 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phases", "due"),
    [
        pytest.param((), "2027-02-14", id="R-TRJ-5 start + 1 month"),
        pytest.param(
            (PhasePeriod(Phase.ORIENTATION, d("2027-01-31")),),
            "2027-02-28",
            id="R-TRJ-5 orientation phase start + 1 month",
        ),
        pytest.param(
            (PhasePeriod(Phase.ORIENTATION, d("2027-01-15"), end=d("2027-02-10")),),
            None,
            id="R-TRJ-5 orientation closed",
        ),
        pytest.param(
            (PhasePeriod(Phase.EXPERIENCE, d("2027-02-01")),), None, id="R-TRJ-5 experience started"
        ),
    ],
)
def test_R_TRJ_5_orientation_end(phases, due):
    found = dues(
        trajectory_deadlines(art60(phases=phases), d("2027-01-20"), RULES), C.ORIENTATION_END
    )
    assert found == ([d(due)] if due else [])


def test_R_TRJ_5_the_current_phase_is_the_latest_started():
    phases = (
        PhasePeriod(Phase.EXPERIENCE, d("2027-02-15")),
        PhasePeriod(Phase.ORIENTATION, d("2027-01-15")),
    )
    trajectory = art60(phases=phases)
    assert current_phase(trajectory, d("2027-01-10")) is None
    assert current_phase(trajectory, d("2027-02-14")) == phases[1]
    assert current_phase(trajectory, d("2027-02-15")) == phases[0]


# R-TRJ-6 ---------------------------------------------------------------------------------------

EXPERIENCE = PhasePeriod(Phase.EXPERIENCE, d("2027-02-15"), planned_end=d("2027-05-31"))


@pytest.mark.parametrize(
    ("evaluations", "phases", "today", "due"),
    [
        pytest.param((), (), "2027-03-01", "2027-07-14", id="R-TRJ-6 start + 6 months"),
        pytest.param(
            ("2027-03-20",), (), "2027-04-01", "2027-09-19", id="R-TRJ-6 evaluation + 6 months"
        ),
        pytest.param(
            ("2027-08-10", "2027-03-20"),
            (),
            "2027-09-01",
            "2028-02-09",
            id="R-TRJ-6 the last evaluation counts",
        ),
        pytest.param(
            (),
            (EXPERIENCE,),
            "2027-03-01",
            "2027-05-31",
            id="R-TRJ-6 min(phase end, start + 6 months)",
        ),
        pytest.param(
            ("2027-04-01",),
            (EXPERIENCE,),
            "2027-04-02",
            "2027-05-31",
            id="R-TRJ-6 min(phase end, last evaluation + 6 months)",
        ),
        pytest.param(
            (),
            (
                PhasePeriod(
                    Phase.EXPERIENCE,
                    d("2027-02-15"),
                    d("2027-05-31"),
                    extensions=(PhaseExtension(d("2027-08-31"), "more practice"),),
                ),
            ),
            "2027-03-01",
            "2027-07-14",
            id="R-TRJ-6 an extended phase ends later",
        ),
        pytest.param(
            ("2027-06-01",),
            (EXPERIENCE,),
            "2027-06-05",
            "2027-11-30",
            id="R-TRJ-6 evaluated at the phase end: the interval runs",
        ),
        pytest.param(
            (),
            (PhasePeriod(Phase.ORIENTATION, d("2027-01-15"), d("2027-02-14")), EXPERIENCE),
            "2027-02-01",
            "2027-02-14",
            id="R-TRJ-6 a phase that has not started is not current",
        ),
        pytest.param(
            (),
            (PhasePeriod(Phase.PRE, d("2027-01-01"), d("2027-01-14")),),
            "2027-01-10",
            "2027-07-14",
            id="R-TRJ-6 the pre phase is no evaluation moment",
        ),
        pytest.param(
            (),
            (PhasePeriod(Phase.EXPERIENCE, d("2027-02-15")),),
            "2027-03-01",
            "2027-07-14",
            id="R-TRJ-6 a phase without an end",
        ),
    ],
)
def test_R_TRJ_6_evaluation_due(evaluations, phases, today, due):
    trajectory = art60(ao=OPEN_AO, evaluations=tuple(map(d, evaluations)), phases=phases)
    assert dues(trajectory_deadlines(trajectory, d(today), RULES), C.EVALUATION_DUE) == [d(due)]


# R-TRJ-7 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pop_versions", "evaluations", "due"),
    [
        pytest.param((), (), ["2027-02-14"], id="R-TRJ-7 start + 1 month"),
        pytest.param(("2027-02-10",), (), [], id="R-TRJ-7 POP in time"),
        pytest.param(
            ("2027-02-10",), ("2027-07-01",), ["2027-07-31"], id="R-TRJ-7 evaluation + 30 days"
        ),
        pytest.param(("2027-07-01",), ("2027-07-01",), [], id="R-TRJ-7 POP on the evaluation day"),
        pytest.param(("2027-07-15",), ("2027-07-01",), [], id="R-TRJ-7 POP after the evaluation"),
        pytest.param(
            ("2027-02-10",),
            ("2027-07-01", "2027-12-20"),
            ["2028-01-19"],
            id="R-TRJ-7 only the last evaluation, across a year",
        ),
        pytest.param((), ("2027-02-01",), ["2027-02-14", "2027-03-03"], id="R-TRJ-7 both"),
    ],
)
def test_R_TRJ_7_pop_due(pop_versions, evaluations, due):
    trajectory = art60(
        ao=OPEN_AO, pop_versions=tuple(map(d, pop_versions)), evaluations=tuple(map(d, evaluations))
    )
    assert dues(trajectory_deadlines(trajectory, d("2027-02-01"), RULES), C.POP_DUE) == [
        d(x) for x in due
    ]


# R-TRJ-8 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("placement", "due"),
    [
        pytest.param(
            Placement("p1", d("2027-02-01"), d("2027-05-31")), "2027-05-31", id="R-TRJ-8 its end"
        ),
        pytest.param(
            Placement("p1", d("2027-02-01"), d("2027-05-31"), (d("2027-03-10"),)),
            None,
            id="R-TRJ-8 followed up",
        ),
        pytest.param(
            Placement("p1", d("2027-02-01"), d("2027-05-31"), (d("2027-01-20"),)),
            "2027-05-31",
            id="R-TRJ-8 a follow-up before the placement does not count",
        ),
        pytest.param(
            Placement("p1", d("2027-02-01")), "2029-01-14", id="R-TRJ-8 open: trajectory end"
        ),
    ],
)
def test_R_TRJ_8_placement_followup_due(placement, due):
    trajectory = art60(ao=OPEN_AO, placements=(placement,))
    found = of_code(
        trajectory_deadlines(trajectory, d("2027-03-01"), RULES), C.PLACEMENT_FOLLOWUP_DUE
    )
    assert [(x.due, x.subject) for x in found] == ([(d(due), "p1")] if due else [])


# R-TRJ-4, R-END-1, R-END-2, R-TRJ-10: the end ---------------------------------------------------


def test_R_TRJ_4_a_running_trajectory_shows_its_end_report_on_its_last_day():
    found = trajectory_deadlines(art60(ao=OPEN_AO), d("2027-06-01"), RULES)
    assert dues(found, C.END_REPORT_DUE) == [d("2029-01-14")]
    assert not of_code(found, C.FOLLOWUP_3M)


def test_R_TRJ_4_a_stopped_trajectory_shows_only_what_applies_after_its_end():
    trajectory = art60(
        ao=EmploymentContract(d("2027-02-01"), d("2027-09-30")),
        stopped_on=d("2027-09-30"),
        outflow=Outflow(d("2027-09-30"), OutflowKind.NEC_JOB),
        placements=(Placement("p1", d("2027-02-01")),),
    )
    found = trajectory_deadlines(trajectory, d("2027-10-05"), RULES)
    assert [(x.code, x.due, x.severity) for x in found] == [
        (C.END_REPORT_DUE, d("2027-09-30"), Severity.OVERDUE),  # R-TRJ-4, R-END-1
        (C.FOLLOWUP_3M, d("2027-12-29"), Severity.INFO),  # R-END-2
        (C.AFTERCARE_END, d("2028-03-29"), Severity.INFO),  # R-TRJ-10
        (C.FOLLOWUP_6M, d("2028-03-29"), Severity.INFO),
        (C.FOLLOWUP_12M, d("2028-09-29"), Severity.INFO),
    ]
    assert dict(found[0].facts)["stopped_on"] == "2027-09-30"


def test_R_END_2_a_wz_trajectory_that_ran_its_24_months_is_followed_up():
    trajectory = wz(end_report_on=d("2029-03-14"), followups_recorded=(3,))
    assert is_ended(trajectory, d("2029-03-15"), RULES)
    assert not is_ended(trajectory, d("2029-03-14"), RULES)
    found = trajectory_deadlines(trajectory, d("2029-07-01"), RULES)
    assert [(x.code, x.due) for x in found] == [
        (C.FOLLOWUP_6M, d("2029-09-13")),
        (C.FOLLOWUP_12M, d("2030-03-13")),
    ]


@pytest.mark.parametrize(
    ("outflow", "phases", "held", "due"),
    [
        pytest.param(OutflowKind.NEC_JOB, (), None, "2028-03-29", id="R-TRJ-10 NEC job + 6 months"),
        pytest.param(
            OutflowKind.SOCIAL_ECONOMY, (), None, "2028-03-29", id="R-TRJ-10 social economy job"
        ),
        pytest.param(OutflowKind.TRAINING, (), None, None, id="R-TRJ-10 not to work"),
        pytest.param(
            OutflowKind.NEC_JOB,
            (PhasePeriod(Phase.AFTERCARE, d("2027-10-01"), end=d("2028-04-30")),),
            None,
            None,
            id="R-TRJ-10 aftercare closed",
        ),
        pytest.param(
            OutflowKind.NEC_JOB, (), "2028-03-29", None, id="R-TRJ-10 contacts up to 6 months"
        ),
        pytest.param(
            OutflowKind.NEC_JOB,
            (),
            "2028-03-28",
            "2028-03-29",
            id="R-TRJ-10 contacts, not yet 6 months",
        ),
    ],
)
def test_R_TRJ_10_aftercare_end(outflow, phases, held, due):
    trajectory = wz(
        "2027-01-15",
        stopped_on=d("2027-09-30"),
        outflow=Outflow(d("2027-09-30"), outflow),
        phases=phases,
        aftercare_until=d(held) if held else None,
    )
    found = dues(trajectory_deadlines(trajectory, d("2027-10-01"), RULES), C.AFTERCARE_END)
    assert found == ([d(due)] if due else [])


def test_R_TRJ_1_deadlines_after_the_last_day_are_left_out_while_running():
    trajectory = wz(
        evaluations=(d("2028-12-01"),),
        pop_versions=(d("2028-12-01"),),
        phases=(PhasePeriod(Phase.EXPERIENCE, d("2027-04-15")),),
    )
    found = trajectory_deadlines(trajectory, d("2029-01-01"), RULES)
    assert [x.code for x in found] == [C.END_REPORT_DUE, C.TRAJECTORY_END]
    assert not of_code(found, C.EVALUATION_DUE)  # 2029-05-31 is after 2029-03-14


def test_every_deadline_explains_itself_and_names_its_rule():
    trajectory = art60(placements=(Placement("p1", d("2027-02-01"), d("2027-03-31")),))
    for deadline in trajectory_deadlines(trajectory, d("2027-01-20"), RULES):
        assert deadline.rule.startswith("R-")
        assert dict(deadline.facts)["start"] == "2027-01-15"
