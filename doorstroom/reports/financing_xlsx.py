"""The quarterly financing statement as a spreadsheet (R-FIN-4): lines, corrections, totals.

Amounts are numbers with a euro format, dates are date cells, so the file can be summed and
filtered in a spreadsheet. The download is audited.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from doorstroom.accounts.models import User
from doorstroom.core.audit import audit
from doorstroom.reports.financing import Statement

EURO_FORMAT = '"€" #,##0.00'
DATE_FORMAT = "DD/MM/YYYY"


def _write(sheet: Worksheet, values: Sequence[Any], euros: Iterable[int] = ()) -> None:
    sheet.append(list(values))
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, datetime.date):
            sheet.cell(row=row, column=column).number_format = DATE_FORMAT
    for column in euros:
        sheet.cell(row=row, column=column).number_format = EURO_FORMAT


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def _line_rows(statement: Statement) -> Iterator[list[Any]]:
    for block in statement.trajectories:
        for line in block.lines:
            a = line.amounts
            yield [
                block.trajectory_id, block.client_name, block.start, block.ao_start,
                _yes_no(block.ao_in_time), line.month_end, line.month, a.effort_fee,
                line.status, line.explanation, a.deel3, a.compensation_part1,
                a.compensation_part2, a.total,
            ]  # fmt: skip


def _correction_rows(statement: Statement) -> Iterator[list[Any]]:
    for c in statement.corrections:
        d = c.difference
        yield [
            str(c.quarter), c.trajectory_id, c.client_name, c.month_end, c.month,
            d.effort_fee, d.deel3, d.compensation_part1, d.compensation_part2, d.total,
            c.issued_status, c.status, c.reason,
        ]  # fmt: skip


def _totals_sheet(sheet: Worksheet, statement: Statement) -> None:
    totals, corrections = statement.totals, statement.corrections_total
    _write(sheet, [_("Organisation"), statement.organisation.name])
    _write(sheet, [_("Quarter"), str(statement.quarter)])
    issued = statement.issued
    if issued is not None:
        _write(sheet, [_("Issued on"), timezone.localdate(issued.issued_at)])
        _write(sheet, [_("Issued by"), issued.issued_by.full_name])
    else:
        _write(sheet, [_("Draft, amounts as due on"), statement.as_of])
    for label, value in (
        (_("Guidance fees (R-FIN-1)"), totals.effort_fee),
        (_("Deel 3 (R-FIN-3)"), totals.deel3),
        (_("Compensation part 1 (R-FIN-2)"), totals.compensation_part1),
        (_("Compensation part 2 (R-FIN-2)"), totals.compensation_part2),
        (_("Total of the quarter's lines"), totals.total),
        (_("Corrections of earlier quarters"), corrections.total),
        (_("Total to claim"), statement.total),
    ):
        _write(sheet, [label, value], euros=[2])


def statement_workbook(statement: Statement) -> bytes:
    """The statement as an XLSX file: lines, corrections and totals (amounts in euro)."""
    book = Workbook()
    lines = book.active
    assert lines is not None
    lines.title = _("Lines")
    _write(lines, [
        _("Trajectory"), _("Client"), _("Start"), _("AO start"), _("AO in time"),
        _("Month end"), _("Month of the trajectory"), _("Guidance fee"), _("Status"),
        _("Explanation"), _("Deel 3"), _("Compensation part 1"), _("Compensation part 2"),
        _("Total"),
    ])  # fmt: skip
    for row in _line_rows(statement):
        _write(lines, row, euros=(8, 11, 12, 13, 14))
    corrections = book.create_sheet(_("Corrections"))
    _write(corrections, [
        _("Quarter corrected"), _("Trajectory"), _("Client"), _("Month end"),
        _("Month of the trajectory"), _("Guidance fee"), _("Deel 3"), _("Compensation part 1"),
        _("Compensation part 2"), _("Total"), _("Status as issued"), _("Status now"),
        _("Reason"),
    ])  # fmt: skip
    for row in _correction_rows(statement):
        _write(corrections, row, euros=(6, 7, 8, 9, 10))
    _totals_sheet(book.create_sheet(_("Totals")), statement)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def statement_export(statement: Statement, *, by: User) -> bytes:
    """The statement's spreadsheet; the download is audited."""
    content = statement_workbook(statement)
    audit(
        by,
        "reports.financing_statement.exported",
        statement.issued,
        {
            "quarter": str(statement.quarter),
            "issued": statement.issued is not None,
            "trajectories": len(statement.trajectories),
        },
        organisation=statement.organisation,
        purpose="financing",
    )
    return content
