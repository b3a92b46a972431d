"""The access log as CSV or XLSX for the privacy officer (R-PRV-4), with the page's filters.

A module of its own (not ``core.exports``): the columns are the audit event's, the rows are
already scoped to the privacy officer's organisations, and the export itself is audited.
Cells a spreadsheet would run as a formula are made inert (CSV injection).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.core.models import AuditEvent

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """Quote text a spreadsheet would read as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def headers() -> list[str]:
    return [
        _("When"),
        _("Who"),
        _("Organisation"),
        _("Action"),
        _("Record type"),
        _("Record id"),
        _("Record"),
        _("Purpose"),
        _("Changes"),
        _("Address"),
        _("Browser"),
    ]


def row_of(event: AuditEvent) -> list[Any]:
    at = timezone.localtime(event.at).replace(tzinfo=None)  # spreadsheets have no time zones
    return [
        at,
        event.actor_label,
        event.organisation.name if event.organisation else "",
        event.action,
        event.target_type,
        event.target_id,
        event.target_label,
        event.purpose,
        json.dumps(event.changes, ensure_ascii=False) if event.changes else "",
        event.ip_address or "",
        event.user_agent,
    ]


def _text(value: Any) -> Any:
    return inert(value) if isinstance(value, str) else value


def csv_bytes(rows: Iterable[list[Any]]) -> tuple[bytes, int]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    count = 0
    for row in rows:
        writer.writerow(
            [
                v.isoformat(sep=" ", timespec="seconds") if isinstance(v, datetime.datetime) else v
                for v in map(_text, row)
            ]
        )
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count  # BOM: Excel reads UTF-8


def xlsx_bytes(rows: Iterable[list[Any]]) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Access log")[:31])
    sheet.append(headers())
    count = 0
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def export_file(fmt: str, events: Iterable[AuditEvent]) -> tuple[bytes, int]:
    """Write ``events`` in ``fmt`` (``csv`` or ``xlsx``); return the bytes and the row count."""
    rows = (row_of(event) for event in events)
    return csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)


def file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
