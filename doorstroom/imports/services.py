"""Imports: the dry run that checks every row, and the real run (all or nothing, or per row).

R-PRV-4 / SPEC §5: every run is audited (one event with the counts, and one per record the
services create); an all-or-nothing run writes nothing as soon as one row is refused.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.accounts.models import Organisation, User
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.imports.columns import match_headers
from doorstroom.imports.kinds import IMPORTERS, Checked, Importer, check_all
from doorstroom.imports.models import IMPORTER_ROLES, ImportMode, ImportRun, ImportStatus
from doorstroom.imports.reading import read_table


class _Rollback(Exception):
    """Undo everything an all-or-nothing run wrote."""


def importing_organisation(by: User) -> Organisation:
    """The organisation the user imports into: their own, where they are team lead or admin."""
    organisation = by.primary_organisation
    allowed: set[int] = set()
    for role in IMPORTER_ROLES:
        allowed |= by.organisation_ids(role)
    if organisation is None or organisation.pk not in allowed:
        raise DomainError(
            _("Only a team lead or a functional administrator of your organisation can import.")
        )
    return organisation


def _report(
    importer: Importer, written: dict[str, str], checked: list[Checked], done: str = "create"
) -> list[dict[str, Any]]:
    headers = {
        column.key: written.get(column.key) or column.header() for column in importer.columns
    }
    return [
        {
            "row": row.row,
            "label": row.label[:200],
            "action": "refused" if row.errors else done,
            "errors": [
                {"column": headers.get(key, key), "message": message} for key, message in row.errors
            ],
        }
        for row in checked
    ]


def import_check(*, kind: str, content: bytes, file_name: str, by: User) -> ImportRun:
    """Dry run: read the file, check every row, keep the report; nothing else is written.

    The rows are checked outside a transaction: only the run and its audit event are written
    (on SQLite a transaction holds the write lock, which a long check must not).
    """
    organisation = importing_organisation(by)
    if kind not in IMPORTERS:
        raise DomainError(_("Choose what the file holds."), field="kind")
    table = read_table(content)
    importer = IMPORTERS[kind](by=by, organisation=organisation)
    index, written, ignored = match_headers(importer.columns, table.headers)
    missing = [c.header() for c in importer.columns if c.required and c.key not in index]
    if missing:
        raise DomainError(
            _("The file lacks these columns: %(columns)s. The first row names the columns.")
            % {"columns": ", ".join(missing)},
            field="file",
        )
    rows = [
        (number, {key: values[i] if i < len(values) else "" for key, i in index.items()})
        for number, values in table.rows
    ]
    checked = check_all(importer, rows)
    refused = sum(1 for row in checked if row.errors)
    with transaction.atomic():
        return _save_dry_run(
            ImportRun(
                kind=kind,
                organisation=organisation,
                uploaded_by=by,
                file_name=file_name[:255],
                file_format=table.file_format,
                row_count=len(checked),
                refused_count=refused,
                columns=written,
                ignored_columns=ignored,
                report=_report(importer, written, checked),
                rows=[
                    [number, importer.keep(row, raw)]
                    for (number, raw), row in zip(rows, checked, strict=True)
                ],
            ),
            by,
        )


def _save_dry_run(run: ImportRun, by: User) -> ImportRun:
    run.save()
    audit(
        by,
        "imports.run.checked",
        run,
        {
            "kind": run.kind,
            "file": run.file_name,
            "rows": run.row_count,
            "refused": run.refused_count,
        },
    )
    return run


def _create(importer: Importer, good: list[Checked], mode: str, run_pk: int) -> list[Checked]:
    """Create the good rows; an all-or-nothing run rolls back when a service refuses one."""
    try:
        with transaction.atomic():
            late = importer.create(good, run_pk=run_pk)
            if late and mode == ImportMode.ALL_OR_NOTHING:
                raise _Rollback
    except _Rollback:
        return late
    except IntegrityError:  # another user registered the same record meanwhile
        for row in good:
            row.errors.append(("", _("Someone registered one of these records meanwhile.")))
        return good
    return late


def _checked_and_created(run: ImportRun, mode: str, by: User) -> tuple[list[dict[str, Any]], int]:
    """Check the rows again and create the good ones; return the report and the count."""
    importer = IMPORTERS[run.kind](by=by, organisation=run.organisation)
    checked = importer.recheck(((number, kept) for number, kept in run.rows), run.report)
    good = [row for row in checked if not row.errors]
    created = 0
    if mode == ImportMode.SKIP_BAD_ROWS or len(good) == len(checked):
        late = _create(importer, good, mode, run.pk)
        created = 0 if late and mode == ImportMode.ALL_OR_NOTHING else len(good) - len(late)
    return _report(importer, run.columns, checked, "created" if created else "create"), created


@transaction.atomic
def import_run(run: ImportRun, *, mode: str, by: User) -> ImportRun:
    """Import the rows of a dry run, checking them again: all or nothing, or skip bad rows.

    All or nothing after a dry run that refused rows writes nothing without checking again:
    the user chose that one refused row stops the whole file.
    """
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportStatus.DRY_RUN:
        raise DomainError(_("This file has been imported already; upload it again to retry."))
    if importing_organisation(by) != run.organisation:
        raise DomainError(
            _("Only a team lead or functional administrator of %(org)s can run it.")
            % {"org": run.organisation}
        )
    if mode not in ImportMode.values:
        raise DomainError(_("Choose how to import."), field="mode")
    created = 0
    if not (mode == ImportMode.ALL_OR_NOTHING and run.refused_count):
        run.report, created = _checked_and_created(run, mode, by)
        run.refused_count = sum(1 for row in run.report if row["action"] == "refused")
    run.mode = mode
    run.status = ImportStatus.IMPORTED if created else ImportStatus.FAILED
    run.created_count = created
    run.rows = []  # the data lives in the records now (or nowhere): not kept in the run
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "mode",
            "status",
            "refused_count",
            "created_count",
            "report",
            "rows",
            "finished_at",
        ]
    )
    audit(
        by,
        "imports.run.imported" if created else "imports.run.failed",
        run,
        {
            "kind": run.kind,
            "mode": mode,
            "rows": run.row_count,
            "created": created,
            "refused": run.refused_count,
        },
    )
    return run
