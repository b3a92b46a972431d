"""Reading an uploaded file: sniffed by content, row numbers as in the file, limits."""

from __future__ import annotations

import datetime

import pytest

from doorstroom.core.errors import DomainError
from doorstroom.imports.columns import Column, match_headers, to_bool, to_date, to_regime
from doorstroom.imports.reading import MAX_ROWS, read_table
from tests.imports.files import csv_bytes, xlsx_bytes


def test_row_numbers_are_those_of_the_file_also_after_empty_rows() -> None:
    table = read_table(b"naam,postcode\n\nJan,2440\n,\nAn,2400\n")
    assert table.headers == ["naam", "postcode"]
    assert table.rows == [(3, ["Jan", "2440"]), (5, ["An", "2400"])]


def test_the_separator_is_the_one_the_header_uses() -> None:
    assert read_table(b"a;b;c\n1;2,3;4\n").rows == [(2, ["1", "2,3", "4"])]
    assert read_table(b"a,b\n1,2\n").rows == [(2, ["1", "2"])]


def test_an_xlsx_name_does_not_make_a_csv_an_xlsx_and_back() -> None:
    assert read_table(csv_bytes(["a"], [["1"]])).file_format == "csv"
    table = read_table(xlsx_bytes(["a", "b"], [[datetime.date(2026, 3, 5), 2440.0]]))
    assert (table.file_format, table.rows) == ("xlsx", [(2, ["2026-03-05", "2440"])])


def test_more_than_the_row_limit_is_refused() -> None:
    content = b"a\n" + b"x\n" * (MAX_ROWS + 1)
    with pytest.raises(DomainError) as error:
        read_table(content)
    assert error.value.field == "file"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-05", "2026-03-05"),
        ("5/3/2026", "2026-03-05"),
        ("05-03-2026", "2026-03-05"),
        ("5.3.2026", "2026-03-05"),
        ("gisteren", "gisteren"),
    ],
)
def test_dates_are_read_in_the_usual_belgian_ways(text: str, expected: str) -> None:
    assert to_date(text) == expected  # what is not a date goes to the form, which refuses it


@pytest.mark.parametrize(
    ("text", "expected"), [("0,5", "0.50"), ("50%", "0.50"), ("80 %", "0.80"), ("1", "1.00")]
)
def test_regimes_are_read_as_a_share_of_full_time(text: str, expected: str) -> None:
    assert to_regime(text) == expected


def test_yes_and_no_in_dutch_and_english() -> None:
    assert [to_bool(t) for t in ("ja", "Nee", "YES", "0", "x")] == [
        "true",
        "false",
        "true",
        "false",
        "true",
    ]


def test_headers_match_without_case_accents_or_separators() -> None:
    columns = [
        Column("birth_date", "geboortedatum", "date of birth"),
        Column("email", "e-mail", "e-mail"),
    ]
    index, written, ignored = match_headers(columns, ["Geboorte-Datum", "E_MAIL", "Schoenmaat", ""])
    assert index == {"birth_date": 0, "email": 1}
    assert written == {"birth_date": "Geboorte-Datum", "email": "E_MAIL"}
    assert ignored == ["Schoenmaat"]
