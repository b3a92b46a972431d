"""Exports of lists as CSV or XLSX: one mechanism for every list a user can see.

A view passes the rows it already scoped (the page's own selector) and the columns to write;
``export_response`` writes the file, names it safely and records who exported which list with
which filters and how many rows (R-PRV-4). Cells that a spreadsheet would run as a formula
(``= + - @``, tab, carriage return) are made inert: quoted in CSV, written as text in XLSX.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify

from doorstroom.core.audit import audit

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[Any], Any]


def inert(value: str) -> str:
    """Quote text a spreadsheet would read as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _plain(value: Any) -> Any:
    """A cell value: numbers, dates and booleans as such, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):  # spreadsheets have no time zones: local time
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _csv(headers: list[str], rows: Iterable[list[Any]]) -> tuple[bytes, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([inert(h) for h in headers])
    count = 0
    for row in rows:
        writer.writerow([inert(v) if isinstance(v, str) else v for v in row])
        count += 1
    # The BOM makes Excel read UTF-8; ";" is what Excel expects with Belgian settings.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def _xlsx(headers: list[str], rows: Iterable[list[Any]], title: str) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=slugify(title)[:31] or "export")

    def cells(values: list[Any]) -> list[Any]:
        written = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            written.append(cell)
        return written

    sheet.append(cells(headers))
    count = 0
    for row in rows:
        sheet.append(cells(row))
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def file_name(name: str, fmt: str) -> str:
    """A name safe in any file system and header: ``doorstroom-<name>-<date>.<fmt>``."""
    stem = slugify(name) or "export"
    return f"doorstroom-{stem}-{timezone.localdate().isoformat()}.{fmt}"


def export_response(
    request: HttpRequest,
    *,
    fmt: str,
    name: str,
    columns: Iterable[Column],
    rows: Iterable[Any],
    filters: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """Write ``rows`` (already scoped to the user) as CSV or XLSX; audit the export."""
    if fmt not in FORMATS:
        raise Http404
    columns = list(columns)
    headers = [str(c.header) for c in columns]
    values = ([_plain(c.value(row)) for c in columns] for row in rows)
    content, count = _csv(headers, values) if fmt == "csv" else _xlsx(headers, values, name)
    audit(
        request.user,
        "core.list.exported",
        None,
        {
            "list": name,
            "format": fmt,
            "filters": {k: v for k, v in (filters or {}).items() if v not in ("", None)},
            "rows": count,
        },
    )
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name(name, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


def table_bytes(fmt: str, headers: list[str], rows: list[list[Any]], title: str) -> bytes:
    """Write a small table without auditing (e.g. an example file with no personal data)."""
    content, _count = _csv(headers, rows) if fmt == "csv" else _xlsx(headers, rows, title)
    return content
