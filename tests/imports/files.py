"""Import files built in memory: valid clients with real national numbers, as CSV or XLSX."""

from __future__ import annotations

import datetime
import io
from typing import Any

from openpyxl import Workbook

CLIENT_HEADERS = [
    "voornaam",
    "achternaam",
    "geboortedatum",
    "rijksregisternummer",
    "straat",
    "postcode",
    "telefoon",
    "inkomen",
    "niveau nederlands",
    "rijbewijs",
    "maximaal regime",
]


def insz(birth: datetime.date, serial: int) -> str:
    """A valid national number (INSZ) for ``birth`` (R-INT: checked by python-stdnum)."""
    base = f"{birth:%y%m%d}{serial:03d}"
    number = int(("2" if birth.year >= 2000 else "") + base)
    return f"{base}{97 - number % 97:02d}"


def client_row(i: int) -> list[str]:
    birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=i)
    return [
        "Sofie",
        f"Maes{i}",
        f"{birth:%d/%m/%Y}",
        insz(birth, 1 + i % 997),
        "Markt 1",
        "2440",
        "0470 12 34 56",
        "leefloon",
        "B1",
        "ja" if i % 2 else "nee",
        "80%",
    ]


def client_rows(count: int) -> list[list[str]]:
    return [client_row(i) for i in range(count)]


def csv_bytes(
    headers: list[str], rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False
) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
