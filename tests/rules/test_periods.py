"""SPEC §3 date conventions and Belgian working days."""

from __future__ import annotations

import pytest

from doorstroom.rules import (
    BelgianCalendar,
    add_days,
    inclusive_days,
    is_month_end,
    month_end,
    month_ends,
    period_end,
)
from tests.rules.support import d


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        pytest.param("2027-03-15", 24, "2029-03-14", id="SPEC: 2027-03-15 + 24 months"),
        pytest.param("2027-01-31", 1, "2027-02-28", id="SPEC: no 31 February, its last day"),
        pytest.param("2027-01-31", 2, "2027-03-30", id="SPEC: 31 March exists, the day before"),
        pytest.param("2028-01-30", 1, "2028-02-29", id="SPEC: leap year, no 30 February"),
        pytest.param("2027-03-01", 1, "2027-03-31", id="a calendar month"),
        pytest.param("2027-12-15", 1, "2028-01-14", id="across the year boundary"),
        pytest.param("2028-01-29", 1, "2028-02-28", id="29 February exists, the day before"),
        pytest.param("2027-01-29", 1, "2027-02-28", id="no 29 February 2027"),
        pytest.param("2028-02-29", 12, "2029-02-28", id="from a leap day"),
        pytest.param("2027-08-31", 6, "2028-02-29", id="6 months into a leap February"),
    ],
)
def test_period_end_follows_the_spec_date_conventions(start, months, last_day):
    assert period_end(d(start), months) == d(last_day)


def test_a_period_lasts_at_least_one_month():
    with pytest.raises(ValueError, match="at least 1 month"):
        period_end(d("2027-01-01"), 0)


def test_month_helpers():
    assert month_end(d("2028-02-10")) == d("2028-02-29")
    assert is_month_end(d("2027-04-30"))
    assert not is_month_end(d("2027-04-29"))
    assert add_days(d("2027-12-20"), 30) == d("2028-01-19")
    assert add_days(d("2027-01-01"), -1) == d("2026-12-31")
    assert inclusive_days(d("2027-01-01"), d("2027-01-30")) == 30


def test_month_ends_lists_every_last_day_between_two_days():
    assert list(month_ends(d("2027-11-15"), d("2028-02-29"))) == [
        d("2027-11-30"),
        d("2027-12-31"),
        d("2028-01-31"),
        d("2028-02-29"),
    ]
    assert list(month_ends(d("2027-11-15"), d("2027-11-29"))) == []


@pytest.mark.parametrize(
    ("day", "flemish", "name"),
    [
        ("2027-07-21", False, "Nationale feestdag"),
        ("2027-03-29", False, "Paasmaandag"),
        ("2027-07-11", False, None),
        ("2027-07-11", True, "Feest van de Vlaamse Gemeenschap"),
        ("2027-07-12", True, None),
    ],
)
def test_holidays_have_dutch_names_and_11_july_is_optional(day, flemish, name):
    assert BelgianCalendar(include_flemish_holiday=flemish).holiday_name(d(day)) == name


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2027-03-26", True),  # Friday
        ("2027-03-27", False),  # Saturday
        ("2027-03-28", False),  # Easter Sunday
        ("2027-03-29", False),  # Easter Monday
        ("2027-03-30", True),  # Tuesday
    ],
)
def test_working_days_are_weekdays_without_holidays(day, working):
    assert BelgianCalendar().is_working_day(d(day)) is working


@pytest.mark.parametrize(
    ("day", "count", "flemish", "result"),
    [
        pytest.param("2027-03-26", 1, False, "2027-03-30", id="over the Easter weekend"),
        pytest.param("2027-03-30", -1, False, "2027-03-26", id="backwards over Easter"),
        pytest.param("2027-03-27", 0, False, "2027-03-27", id="zero days"),
        pytest.param("2028-07-10", 1, False, "2028-07-11", id="11 July is a working day"),
        pytest.param("2028-07-10", 1, True, "2028-07-12", id="unless the installation adds it"),
    ],
)
def test_add_working_days(day, count, flemish, result):
    calendar = BelgianCalendar(include_flemish_holiday=flemish)
    assert calendar.add_working_days(d(day), count) == d(result)


def test_working_days_between_counts_both_ends():
    calendar = BelgianCalendar()
    # 20–24 December (Mon–Fri), Christmas on Saturday, 27–31 December (Mon–Fri).
    assert calendar.working_days_between(d("2027-12-20"), d("2027-12-31")) == 10
    assert calendar.working_days_between(d("2027-12-31"), d("2027-12-20")) == 0
