"""Reads of import runs: scoped to the user, the parsed rows never loaded for a page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from doorstroom.accounts.models import User
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.imports.models import ImportRun


def runs_for(user: User) -> QuerySet[ImportRun]:
    """The import history the user may see, newest first (without rows and reports)."""
    return (
        ImportRun.objects.visible_to(user)
        .select_related("uploaded_by", "organisation")
        .defer("rows", "report")
        .order_by("-created_at", "-pk")
    )


def run_for(user: User, pk: int) -> ImportRun:
    """One run with its report; 404 outside the user's scope."""
    return get_for_user_or_404(
        ImportRun.objects.visible_to(user).select_related("uploaded_by").defer("rows"),
        user,
        pk=pk,
    )


def report_rows(run: ImportRun, show: str) -> list[dict[str, Any]]:
    """The report's rows: only the refused ones, or all."""
    rows: list[dict[str, Any]] = run.report
    if show == "refused":
        return [row for row in rows if row["action"] == "refused"]
    return rows
