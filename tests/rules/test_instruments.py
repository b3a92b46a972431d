"""R-INS-2 instrument limits and R-TRJ-11 the technical training (all uses start 2027-03-01)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from doorstroom.rules import InstrumentUse, TrajectoryKind, instrument_problems
from tests.rules.support import RULES, d

ART60, WZ = TrajectoryKind.ART60, TrajectoryKind.WZ


def use(kind: str, end: str, regime: str = "1", id: str = "u1") -> InstrumentUse:
    return InstrumentUse(kind, d("2027-03-01"), d(end), Decimal(regime), id)


@pytest.mark.parametrize(
    ("planned", "expected"),
    [
        pytest.param(
            use("exploratory_internship", "2027-03-30"), [], id="R-INS-2 verkennend 30 days"
        ),
        pytest.param(
            use("exploratory_internship", "2027-03-31"),
            [("duration_too_long", "30 days", "31 days")],
            id="R-INS-2 verkennend 31 days",
        ),
        pytest.param(use("ibo", "2027-03-28"), [], id="R-INS-2 IBO 4 weeks"),
        pytest.param(
            use("ibo", "2027-03-27"),
            [("duration_too_short", "4 weeks", "27 days")],
            id="R-INS-2 IBO under 4 weeks",
        ),
        pytest.param(use("ibo", "2027-08-29"), [], id="R-INS-2 IBO 26 weeks (182 days)"),
        pytest.param(
            use("ibo", "2027-08-30"),
            [("duration_too_long", "26 weeks", "183 days")],
            id="R-INS-2 IBO over 26 weeks",
        ),
        pytest.param(
            use("ibo", "2027-04-30", regime="0.4"),
            [("regime_too_low", "0.5", "0.4")],
            id="R-INS-2 IBO under half-time",
        ),
        pytest.param(use("ibo_plus", "2028-02-29"), [], id="R-INS-2 IBO+ 12 months"),
        pytest.param(
            use("ibo_plus", "2028-03-01"),
            [("duration_too_long", "12 months", "367 days")],
            id="R-INS-2 IBO+ over 12 months",
        ),
        pytest.param(
            use("work_experience_internship", "2027-08-31"), [], id="R-INS-2 WES 6 months"
        ),
        pytest.param(
            use("work_experience_internship", "2027-09-01"),
            [("duration_too_long", "6 months", "185 days")],
            id="R-INS-2 WES over 6 months",
        ),
        pytest.param(
            use("immersion_internship", "2027-03-30"),
            [("duration_too_short", "1 month", "30 days")],
            id="R-INS-2 BIS under 1 month",
        ),
        pytest.param(use("immersion_internship", "2027-03-31"), [], id="R-INS-2 BIS 1 month"),
        pytest.param(
            use("c_ibo", "2029-12-31", regime="0.1"), [], id="R-INS-2 C-IBO: no limits known"
        ),
        pytest.param(use("technical_training", "2027-05-31"), [], id="R-TRJ-11 3 months"),
        pytest.param(
            use("technical_training", "2027-06-01"),
            [("duration_too_long", "3 months", "93 days")],
            id="R-TRJ-11 over 3 months",
        ),
    ],
)
def test_R_INS_2_kind_limits(planned, expected):
    problems = instrument_problems(planned, ART60, (), RULES)
    assert [(p.code, p.limit, p.actual) for p in problems] == expected
    assert all(p.subject == "u1" for p in problems)


def test_R_INS_2_a_duration_problem_names_the_last_allowed_day():
    (problem,) = instrument_problems(
        use("work_experience_internship", "2027-09-01"), ART60, (), RULES
    )
    assert problem.rule == "R-INS-2"
    assert dict(problem.facts)["limit_last_day"] == "2027-08-31"


@pytest.mark.parametrize(
    ("earlier", "kind", "codes"),
    [
        pytest.param((), ART60, [], id="R-TRJ-11 the first technical training"),
        pytest.param(
            (use("technical_training", "2027-04-30", id="u0"),),
            ART60,
            ["max_uses_exceeded"],
            id="R-TRJ-11 only once per art60 trajectory",
        ),
        pytest.param(
            (use("technical_training", "2027-04-30", id="u1"),),
            ART60,
            [],
            id="R-TRJ-11 the same use, edited",
        ),
        pytest.param((use("ibo", "2027-04-30", id="u0"),), ART60, [], id="R-TRJ-11 other kinds"),
        pytest.param(
            (use("technical_training", "2027-04-30", id="u0"),),
            WZ,
            [],
            id="R-TRJ-11 applies to art60 only",
        ),
    ],
)
def test_R_TRJ_11_technical_training_once(earlier, kind, codes):
    problems = instrument_problems(use("technical_training", "2027-05-31"), kind, earlier, RULES)
    assert [p.code for p in problems] == codes
    assert all((p.rule, p.limit, p.actual) == ("R-TRJ-11", "1", "2") for p in problems)


def test_an_unknown_kind_or_a_backwards_use_is_refused():
    with pytest.raises(KeyError):
        instrument_problems(use("sailing", "2027-03-10"), ART60, (), RULES)
    with pytest.raises(ValueError, match="before it starts"):
        use("ibo", "2027-02-28")
