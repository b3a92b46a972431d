"""R-VER-1: an installation adds a newer rule-set file without code changes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from doorstroom.core.regulation import ruleset_on, rulesets


@pytest.fixture(autouse=True)
def _fresh_rulesets() -> Iterator[None]:
    rulesets.cache_clear()
    yield
    rulesets.cache_clear()


def test_r_ver_1_the_bundled_rule_set_judges_a_2027_trajectory() -> None:
    assert ruleset_on(datetime.date(2027, 3, 15)).trajectory.wz_months == 24


def test_r_ver_1_an_installation_file_changes_values_from_its_date_on(tmp_path: Path) -> None:
    (tmp_path / "2028-01-01.toml").write_text(
        'valid_from = 2028-01-01\nname = "Test 2028"\n'
        "[trajectory]\nevaluation_interval_months = 4\n",
        encoding="utf-8",
    )
    with override_settings(DOORSTROOM_RULESETS_DIR=str(tmp_path)):
        rulesets.cache_clear()
        assert ruleset_on(datetime.date(2027, 12, 31)).trajectory.evaluation_interval_months == 6
        assert ruleset_on(datetime.date(2028, 1, 1)).trajectory.evaluation_interval_months == 4


def test_r_ver_1_a_broken_installation_file_stops_the_start_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "kapot.toml").write_text(
        "valid_from = 2028-01-01\n[trajectory]\nwz_months = 'x'\n", encoding="utf-8"
    )
    with override_settings(DOORSTROOM_RULESETS_DIR=str(tmp_path)):
        errors = [m for m in run_checks() if m.id == "doorstroom.E001"]
    assert len(errors) == 1
    assert "kapot.toml" in errors[0].msg
