"""The VDAB monitoring file (R-FIN-4): every trajectory of an organisation as at a month end.

It is read from the month-end snapshot (``MonthEndSnapshot``, taken by
``manage.py take_month_end_snapshot``), so the file shows what was true on that day, not what is
known today. ``COLUMNS`` is the documented column list (``docs/monitoring-export.md`` and the
export page show the same). With a password the XLSX travels inside an AES-encrypted ZIP; the
password is used once and never stored or logged.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyzipper
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from doorstroom.accounts.models import Organisation, User
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.regulation import ruleset_on
from doorstroom.reports.financing_xlsx import DATE_FORMAT, EURO_FORMAT
from doorstroom.reports.models import MonthEndSnapshot
from doorstroom.rules import clock

PASSWORD_MIN_LENGTH = 12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


def _planned_end(row: MonthEndSnapshot) -> datetime.date:
    trajectory = row.trajectory
    facts = clock.TrajectorySnapshot(
        id=str(trajectory.pk), kind=clock.TrajectoryKind(trajectory.kind), start=trajectory.start
    )
    return clock.planned_end(facts, ruleset_on(trajectory.start))  # R-TRJ-1


def _ao_start(row: MonthEndSnapshot) -> datetime.date | None:
    # The AO's start only once it had started by the month end (the file is "as at").
    contract = row.trajectory.contract
    return contract.start if contract and contract.start <= row.month_end else None


@dataclass(frozen=True)
class Column:
    key: str  # the header in the file: stable, machine-readable
    meaning: str | Promise
    source: str
    rule: str
    value: Callable[[MonthEndSnapshot], Any]
    euro: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("month_end", _("The month end the line describes."), "snapshot", "R-FIN-4",
           lambda r: r.month_end),
    Column("organisation", _("The guiding organisation at that month end."),
           "snapshot → organisation", "R-FIN-4", lambda r: r.organisation.name),
    Column("trajectory_id", _("The trajectory's number in Doorstroom."), "trajectory", "",
           lambda r: r.trajectory_id),
    Column("insz", _("The client's national number (INSZ), empty when there is none."),
           "client", "", lambda r: r.trajectory.client.national_number),
    Column("last_name", _("The client's last name."), "client", "",
           lambda r: r.trajectory.client.last_name),
    Column("first_name", _("The client's first name."), "client", "",
           lambda r: r.trajectory.client.first_name),
    Column("kind", _("art60 (TWE/art60, OCMW) or wz (TWE-wz, VDAB referral)."), "snapshot",
           "R-TRJ-1", lambda r: r.kind),
    Column("coach", _("The lead coach at that month end."), "snapshot → coach", "R-TRJ-9",
           lambda r: r.coach.full_name if r.coach else ""),
    Column("start", _("The trajectory's start (wz: the referral date)."), "trajectory",
           "R-TRJ-1", lambda r: r.trajectory.start),
    Column("planned_end", _("The start plus 2 years."), "computed from the start",
           "R-TRJ-1", _planned_end),
    Column("ao_start", _("The start of the art. 60 employment contract, if it had started."),
           "employment contract", "R-TRJ-2", _ao_start),
    Column("month", _("Month k: the k-th month end on or after the start."), "snapshot",
           "R-FIN-3", lambda r: r.month),
    Column("phase", _("The phase at that month end (pre, orientation, experience, outflow, "
                      "aftercare)."), "snapshot", "R-TRJ-5", lambda r: r.phase),
    Column("status", _("running, suspended, stopped or ended (guidance over)."), "snapshot",
           "R-TRJ-3, R-TRJ-4", lambda r: r.status),
    Column("guided", _("Guidance ran on that day (a suspension does not stop it)."),
           "snapshot", "R-FIN-1", lambda r: r.guided),
    Column("ao_running", _("The art. 60 employment contract ran on that day."), "snapshot",
           "R-FIN-2", lambda r: r.ao_running),
    Column("suspended", _("The trajectory was suspended on that day."), "snapshot", "R-TRJ-3",
           lambda r: r.suspended),
    Column("ao_in_time", _("The AO started within 2 months of the start; empty while none had "
                           "started (or wz)."), "snapshot", "R-TRJ-2", lambda r: r.ao_in_time),
    Column("evaluation_overdue", _("An evaluation was overdue on that day."), "snapshot",
           "R-TRJ-6", lambda r: r.evaluation_overdue),
    Column("pop_overdue", _("A POP version was overdue on that day."), "snapshot", "R-TRJ-7",
           lambda r: r.pop_overdue),
    Column("effort_fee", _("Inspanningsvergoeding for the month, as known on that day."),
           "snapshot", "R-FIN-1", lambda r: r.effort_fee, euro=True),
    Column("effort_status", _("Why the fee is (not) paid: paid, capped, awaiting_ao, "
                              "ao_not_in_time, no_ao, max_months, replaced_by_deel3."),
           "snapshot", "R-FIN-1", lambda r: r.effort_status),
    Column("deel3", _("Deel 3 for the month (month 25 or later while the AO runs)."),
           "snapshot", "R-FIN-3", lambda r: r.deel3, euro=True),
    Column("compensation_part1", _("Compensation part 1 for the month (AO running)."),
           "snapshot", "R-FIN-2", lambda r: r.compensation_part1, euro=True),
    Column("compensation_part2", _("Compensation part 2 for the month, booked in the quarter "
                                   "in which guidance ends."), "snapshot", "R-FIN-2",
           lambda r: r.compensation_part2, euro=True),
    Column("taken_at", _("When the snapshot was taken (UTC)."), "snapshot", "R-FIN-4",
           lambda r: r.taken_at.replace(tzinfo=None)),
)  # fmt: skip


def monitoring_rows(organisation: Organisation, day: datetime.date) -> QuerySet[MonthEndSnapshot]:
    """The snapshot rows of ``organisation`` at month end ``day``, with what the columns read."""
    return (
        MonthEndSnapshot.objects.filter(organisation=organisation, month_end=day)
        .select_related(
            "organisation", "coach", "trajectory__client", "trajectory__employment_contract"
        )
        .order_by("trajectory__client__last_name", "trajectory__client__first_name", "pk")
    )


def snapshot_months(organisations: QuerySet[Organisation]) -> list[datetime.date]:
    """The month ends with a snapshot for these organisations, newest first (at most 36)."""
    days = (
        MonthEndSnapshot.objects.filter(organisation__in=organisations)
        .order_by("-month_end")
        .values_list("month_end", flat=True)
        .distinct()
    )
    return list(days[:36])


def monitoring_workbook(rows: QuerySet[MonthEndSnapshot]) -> tuple[bytes, int]:
    """The monitoring file as XLSX bytes, and its number of lines."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("monitoring")
    sheet.append([column.key for column in COLUMNS])
    count = 0
    for row in rows.iterator(chunk_size=500):
        sheet.append([_cell(sheet, column, row) for column in COLUMNS])
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def _cell(sheet: Any, column: Column, row: MonthEndSnapshot) -> Any:
    value = column.value(row)
    cell = WriteOnlyCell(sheet, value=value)
    if column.euro:
        cell.number_format = EURO_FORMAT
    elif isinstance(value, datetime.datetime):
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    return cell


def encrypted_zip(name: str, content: bytes, password: str) -> bytes:
    """``content`` as file ``name`` inside a ZIP encrypted with AES-256."""
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.writestr(name, content)
    return buffer.getvalue()


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    content_type: str
    rows: int


def monitoring_export(
    *, organisation: Organisation, month_end: datetime.date, password: str = "", by: User
) -> ExportFile:
    """The monitoring file of ``organisation`` at ``month_end``, encrypted when a password is given.

    Refused when no snapshot exists for that month (the message names the command that takes
    it) and for a password shorter than 12 characters. Audited: who, which month, how many
    rows, encrypted or not — never the password.
    """
    # R-FIN-4: the monthly monitoring file of every trajectory as at month end.
    if password and len(password) < PASSWORD_MIN_LENGTH:
        raise DomainError(
            _("Use a password of at least %(n)d characters.") % {"n": PASSWORD_MIN_LENGTH},
            field="password",
        )
    rows = monitoring_rows(organisation, month_end)
    if not rows.exists():
        raise DomainError(
            _(
                "There is no snapshot for the month ending %(day)s. It is taken on the first of "
                "every month by the command: manage.py take_month_end_snapshot --month %(month)s "
                "(ask your administrator to run it for that month)."
            )
            % {"day": month_end.isoformat(), "month": f"{month_end:%Y-%m}"},
            field="month",
            code="no_snapshot",
        )
    content, count = monitoring_workbook(rows)
    name = f"monitoring-{slugify(organisation.name)}-{month_end:%Y-%m}"
    result = ExportFile(f"{name}.xlsx", content, XLSX, count)
    if password:
        result = ExportFile(
            f"{name}.zip", encrypted_zip(result.filename, content, password), ZIP, count
        )
    audit(
        by,
        "reports.monitoring_export.downloaded",
        organisation=organisation,
        changes={
            "organisation": organisation.name,
            "month_end": month_end.isoformat(),
            "rows": count,
            "encrypted": bool(password),
        },
        purpose="VDAB monitoring",
    )
    return result
