"""Read an uploaded CSV or XLSX file into a header row and data rows of text.

The format is sniffed from the content, not the name: an XLSX file is a ZIP archive that
openpyxl opens; anything else must be UTF-8 text (with or without BOM) separated by ``,`` or
``;``. Values come back as stripped strings; Excel dates become ISO dates.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from doorstroom.core.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    file_format: str  # csv | xlsx
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the file, values)


def _refuse(message: str) -> DomainError:
    return DomainError(message, field="file", code="unreadable")


def cell_text(value: Any) -> str:
    """Return a cell as text: dates as ISO dates, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value).strip()


def _table(file_format: str, lines: list[tuple[int, list[str]]]) -> Table:
    filled = [(n, values) for n, values in lines if any(v.strip() for v in values)]
    if not filled:
        raise _refuse(_("The file is empty: the first row names the columns."))
    (_n, headers), data = filled[0], filled[1:]
    if len(data) > MAX_ROWS:
        raise _refuse(
            _("The file has more than %(max)s rows: split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    return Table(file_format, [h.strip() for h in headers], data)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _refuse(_("This is not a readable XLSX file.")) from exc
    lines: list[tuple[int, list[str]]] = []
    try:
        sheet = book.worksheets[0]
        # A small file can unpack to a huge sheet: stop reading past the limits.
        cells = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, values in enumerate(cells, start=1):
            line = [cell_text(v) for v in values]
            while line and not line[-1]:  # max_col pads every row with empty cells
                line.pop()
            if line:
                lines.append((number, line))
            if len(lines) > MAX_ROWS + 1:
                break
    finally:
        book.close()
    return _table("xlsx", lines)


def _read_csv(content: bytes) -> Table:
    if b"\x00" in content:
        raise _refuse(_("This is neither a CSV nor an XLSX file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(
            _("The file is not UTF-8 text: save it as “CSV UTF-8” or as an XLSX workbook.")
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = [(n, [v.strip() for v in values]) for n, values in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise _refuse(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    return _table("csv", lines)


def read_table(content: bytes) -> Table:
    """Return the file's header and rows, or raise a DomainError for the ``file`` field."""
    if len(content) > MAX_BYTES:
        raise _refuse(_("The file is larger than 10 MB: split it into smaller files."))
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content)
    return _read_csv(content)
