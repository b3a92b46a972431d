"""R-VER-1: rule sets are dated data files; one function selects the one in force on a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from doorstroom.rules import Duration, RuleSetError, build_rulesets, load_rulesets, ruleset_for
from doorstroom.rules.rulesets import DurationUnit
from tests.rules.support import RULES, RULESETS, d


def test_R_VER_1_the_bundled_rule_set_holds_the_regulation_values():
    assert [ruleset.valid_from for ruleset in RULESETS] == [d("2017-01-01")]
    assert RULES.trajectory.wz_months == 24
    assert RULES.trajectory.art60_months == 24
    assert RULES.trajectory.orientation_months == 1
    assert RULES.trajectory.ao_in_time_months == 2
    assert RULES.trajectory.pop_after_evaluation_days == 30
    assert RULES.financing.effort_fee == Decimal("250.00")
    assert RULES.financing.effort_fee_yearly_cap == Decimal("3000.00")
    assert RULES.financing.deel3_from_month == 25
    assert RULES.eligibility.min_regime == Decimal("0.5")
    assert RULES.placements.plateau_evaluations == 2
    assert RULES.matching.agreement_expiring_days == 60
    assert RULES.instrument("ibo").max_duration == Duration(26, DurationUnit.WEEKS)
    assert RULES.instrument("technical_training").rule == "R-TRJ-11"
    assert RULES.instrument("c_ibo").max_duration is None


def test_R_A60_2_the_benefit_table_has_three_regimes_the_last_unknown():
    regimes = RULES.benefit_access.regimes
    assert [r.valid_from for r in regimes] == [d("1900-01-01"), d("2012-11-01"), d("2026-03-01")]
    assert [(b.min_age, b.days, b.reference_months) for b in regimes[1].bands or ()] == [
        (0, 312, 21),
        (36, 468, 33),
        (50, 624, 42),
    ]
    assert regimes[2].bands is None
    assert regimes[2].unknown_reason == "rules_since_2026_03_01_unknown"


@pytest.mark.parametrize(
    ("day", "valid_from"),
    [("2017-01-01", "2017-01-01"), ("2027-06-30", "2017-01-01"), ("2027-07-01", "2027-07-01")],
)
def test_R_VER_1_a_newer_file_wins_from_its_valid_from(tmp_path, day, valid_from):
    (tmp_path / "local.toml").write_text(
        'valid_from = 2027-07-01\nname = "Local 2027"\n[financing]\neffort_fee = "260.00"\n'
    )
    rulesets = load_rulesets([tmp_path])
    assert ruleset_for(d(day), rulesets).valid_from == d(valid_from)


def test_R_VER_1_a_newer_file_inherits_every_key_it_does_not_change(tmp_path):
    (tmp_path / "local.toml").write_text(
        'valid_from = 2027-07-01\n[financing]\neffort_fee = "260.00"\n'
    )
    newer = ruleset_for(d("2027-07-01"), load_rulesets([tmp_path]))
    assert newer.financing.effort_fee == Decimal("260.00")
    assert newer.financing.compensation_part1 == RULES.financing.compensation_part1
    assert newer.instruments == RULES.instruments
    assert newer.name == str(tmp_path / "local.toml")
    assert newer.sources == ("rulesets/2017-01-01.toml", str(tmp_path / "local.toml"))


def test_R_PLC_5_the_bundled_matching_weights():
    keys = ["occupation", "competences", "dutch", "regime", "commute", "capacity", "agreement"]
    assert {key: RULES.matching.weight(key) for key in keys} == {
        "occupation": Decimal("3"),
        "competences": Decimal("3"),
        "dutch": Decimal("1"),
        "regime": Decimal("1"),
        "commute": Decimal("2"),
        "capacity": Decimal("0.5"),
        "agreement": Decimal("0.5"),
    }
    with pytest.raises(KeyError, match="agreement_expiring_days"):
        RULES.matching.weight("agreement_expiring_days")


def test_R_VER_1_R_PLC_5_a_newer_file_changes_one_matching_weight(tmp_path):
    (tmp_path / "local.toml").write_text(
        'valid_from = 2027-07-01\n[matching]\ncommute = "4"\nexpiring_days = 90\n'
    )
    older, newer = load_rulesets([tmp_path])
    assert newer.matching.commute == Decimal("4")
    assert newer.matching.agreement_expiring_days == 90
    assert newer.matching.occupation == older.matching.occupation == Decimal("3")
    assert older.matching.commute == Decimal("2")


def test_no_rule_set_before_twe_started():
    with pytest.raises(LookupError, match="2016-12-31"):
        ruleset_for(date(2016, 12, 31), RULESETS)


def test_an_unknown_instrument_kind_is_a_key_error():
    with pytest.raises(KeyError, match="sailing"):
        RULES.instrument("sailing")


BAD_FILES = [
    ("valid_from = 2030-01-01T00:00:00\n", "valid_from: expected a date"),
    (
        "valid_from = 2030-01-01\n[financing]\neffort_fee = 250.0\n",
        "financing.effort_fee: expected a number in quotes",
    ),
    (
        'valid_from = 2030-01-01\n[financing]\neffort_fee = "lots"\n',
        "financing.effort_fee: expected a number",
    ),
    (
        'valid_from = 2030-01-01\n[financing]\neffort_fee = "-1"\n',
        "financing.effort_fee: expected a number ≥ 0",
    ),
    (
        'valid_from = 2030-01-01\n[financing]\neffort_fees = "1"\n',
        "financing.effort_fees: unknown key",
    ),
    (
        "valid_from = 2030-01-01\n[trajectory]\norientation_months = 0\n",
        "trajectory.orientation_months: expected a whole number ≥ 1",
    ),
    (
        "valid_from = 2030-01-01\n[trajectory]\nwz_months = true\n",
        "trajectory.wz_months: expected a whole number",
    ),
    (
        "valid_from = 2030-01-01\n[placements]\nplateau_evaluations = 1\n",
        "placements.plateau_evaluations: expected a whole number ≥ 2",
    ),
    (
        'valid_from = 2030-01-01\n[matching]\ndutch = "-1"\n',
        "matching.dutch: expected a number ≥ 0",
    ),
    (
        "valid_from = 2030-01-01\n[matching]\ncommute = 2.5\n",
        "matching.commute: expected a number in quotes",
    ),
    (
        "valid_from = 2030-01-01\n[matching]\nexpiring_days = -1\n",
        "matching.expiring_days: expected a whole number ≥ 0",
    ),
    (
        'valid_from = 2030-01-01\n[matching]\ndistance = "1"\n',
        "matching.distance: unknown key",
    ),
    (
        "valid_from = 2030-01-01\n[matching]\n"
        'occupation = "0"\ncompetences = "0"\ndutch = "0"\nregime = "0"\n'
        'commute = "0"\ncapacity = "0"\nagreement = "0.0"\n',
        "bad.toml: matching: every weight is 0; at least one must be above 0",
    ),
    (
        'valid_from = 2030-01-01\n[instruments.ibo]\nmax_duration = "3 fortnights"\n',
        "instruments.ibo.max_duration: expected a length",
    ),
    (
        'valid_from = 2030-01-01\n[instruments.ibo]\nmax_duration = "0 days"\n',
        "instruments.ibo.max_duration: expected a length",
    ),
    (
        'valid_from = 2030-01-01\n[instruments.ibo]\nlabel = ""\n',
        "instruments.ibo.label: expected a non-empty text",
    ),
    (
        'valid_from = 2030-01-01\n[instruments.ibo]\ntrajectory_kinds = "art60"\n',
        "instruments.ibo.trajectory_kinds: expected a list",
    ),
    ("valid_from = 2030-01-01\ndeadlines = 3\n", "deadlines: expected a table"),
    (
        "valid_from = 2030-01-01\n[benefit_access]\nregimes = []\n",
        "benefit_access.regimes: expected a non-empty array",
    ),
    (
        "valid_from = 2030-01-01\n[[benefit_access.regimes]]\nvalid_from = 2012-11-01\n"
        'label = "x"\nunknown_reason = "y"\n'
        "bands = [{min_age = 0, days = 1, reference_months = 1}]\n",
        "benefit_access.regimes[0].bands: give either bands or unknown_reason",
    ),
    (
        "valid_from = 2030-01-01\n[[benefit_access.regimes]]\nvalid_from = 2012-11-01\n"
        'label = "x"\nbands = [{min_age = 18, days = 1, reference_months = 1}]\n',
        "benefit_access.regimes[0].bands: min_age must start at 0",
    ),
    (
        "valid_from = 2030-01-01\n[[benefit_access.regimes]]\nvalid_from = 2026-03-01\n"
        'label = "x"\nunknown_reason = "y"\n[[benefit_access.regimes]]\nvalid_from = 2012-11-01\n'
        'label = "x"\nunknown_reason = "y"\n',
        "benefit_access.regimes: valid_from dates must increase",
    ),
    ("valid_from = 2017-01-01\n", "both valid from 2017-01-01"),
    ("valid_from = [", "not valid TOML"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_R_VER_1_a_bad_file_is_refused_naming_the_file_and_key(tmp_path, content, message):
    (tmp_path / "bad.toml").write_text(content, encoding="utf-8")
    with pytest.raises(RuleSetError, match=r"bad\.toml") as refused:
        load_rulesets([tmp_path])
    assert message in str(refused.value)


def test_the_first_rule_set_must_be_complete():
    with pytest.raises(RuleSetError, match=r"first\.toml: instruments: missing"):
        build_rulesets([("first.toml", {"valid_from": date(2017, 1, 1)})])


def test_there_must_be_rule_sets():
    with pytest.raises(RuleSetError, match="no rule-set files"):
        build_rulesets([])


def test_an_extra_directory_must_exist(tmp_path):
    with pytest.raises(RuleSetError, match="not a directory"):
        load_rulesets([tmp_path / "missing"])


@pytest.mark.parametrize(
    ("text", "start", "last_day"),
    [
        ("30 days", "2027-03-01", "2027-03-30"),
        ("1 day", "2027-03-01", "2027-03-01"),
        ("4 weeks", "2027-03-01", "2027-03-28"),
        ("6 months", "2027-03-01", "2027-08-31"),
        ("1 month", "2027-01-31", "2027-02-28"),
    ],
)
def test_durations_end_on_the_last_day_of_their_period(tmp_path, text, start, last_day):
    (tmp_path / "local.toml").write_text(
        f'valid_from = 2030-01-01\n[instruments.ibo]\nmax_duration = "{text}"\n'
    )
    duration = load_rulesets([tmp_path])[-1].instrument("ibo").max_duration
    assert duration is not None
    assert duration.last_day(d(start)) == d(last_day)
    assert str(duration) == text
