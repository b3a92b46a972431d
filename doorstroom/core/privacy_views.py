"""The privacy officer's pages: a dossier's access log, a user's log, unusual access, export.

Only privacy officers reach them (everyone else gets 404) and only for their organisations'
events and clients (another organisation's client or user: 404). Reading a log is audited too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from doorstroom.accounts.roles import Role
from doorstroom.core import privacy, privacy_export
from doorstroom.core.access import UserRequest, dossier_access_required, role_required
from doorstroom.core.audit import audit
from doorstroom.core.models import AuditEvent
from doorstroom.core.selectors import audit_events_for
from doorstroom.core.views import AuditFilterForm

OLD_NEW = 2  # audit.diff records a change as [old, new]


class ExportFilterForm(AuditFilterForm):
    client = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    user = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


def _filters(form: forms.Form) -> dict[str, Any]:
    names = ("actor", "action", "target", "date_from", "date_to")
    return {k: v for k, v in form.cleaned_data.items() if k in names} if form.is_valid() else {}


def _page(request: UserRequest, events: Any) -> tuple[Page[Any], str]:
    page = Paginator(events, settings.DOORSTROOM_AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _export_query(query: str, **scope: int) -> str:
    extra = "&".join(f"{key}={value}" for key, value in scope.items())
    return f"{query}&{extra}" if query else extra


def change_lines(changes: Any) -> list[tuple[str, Any, Any, bool]]:
    """``(field, old, new, is_change)`` per key; rectifications show as old → new (R-PRV-6)."""
    if not isinstance(changes, dict):
        return []
    lines = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == OLD_NEW:
            lines.append((key, value[0], value[1], True))
        else:
            lines.append((key, None, value, False))
    return lines


def _with_changes(events: Iterable[AuditEvent]) -> list[tuple[AuditEvent, list[Any]]]:
    return [(event, change_lines(event.changes)) for event in events]


@role_required(Role.PRIVACY_OFFICER)
@dossier_access_required
def dossier_log(request: UserRequest, pk: int) -> HttpResponse:
    """Who opened or changed anything in this client's dossier, when, from where and why."""
    client = privacy.client_for_privacy_officer(request.user, pk)
    form = AuditFilterForm(request.GET or None)
    page, query = _page(request, privacy.dossier_events(request.user, client, **_filters(form)))
    rows = _with_changes(page.object_list)
    audit(request.user, "core.access_log.viewed", client)  # R-PRV-4: reading the log is a read
    return render(
        request,
        "core/dossier_log.html",
        {
            "client": client,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "export_query": _export_query(query, client=client.pk),
        },
    )


def _by_day(events: Iterable[AuditEvent]) -> list[tuple[datetime.date, list[AuditEvent]]]:
    days: list[tuple[datetime.date, list[AuditEvent]]] = []
    for event in events:
        day = timezone.localdate(event.at)
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(event)
    return days


@role_required(Role.PRIVACY_OFFICER)
@dossier_access_required
def user_log(request: UserRequest, pk: int) -> HttpResponse:
    """Everything one user opened and changed in the privacy officer's organisations, by day."""
    actor = privacy.user_for_privacy_officer(request.user, pk)
    form = AuditFilterForm(request.GET or None)
    page, query = _page(request, privacy.user_events(request.user, actor, **_filters(form)))
    days = _by_day(page.object_list)
    unusual = privacy.unusual_access_for(request.user, now=timezone.now(), actor=actor)
    audit(request.user, "core.user_log.viewed", actor)
    return render(
        request,
        "core/user_log.html",
        {
            "actor": actor,
            "form": form,
            "page": page,
            "days": days,
            "query": query,
            "export_query": _export_query(query, user=actor.pk),
            "unusual": unusual,
            "unusual_rule": privacy.unusual_rule(),
        },
    )


def _export_events(request: UserRequest, form: ExportFilterForm) -> tuple[Any, dict[str, Any]]:
    data = form.cleaned_data
    filters = _filters(form)
    scope: dict[str, Any] = {}
    if data.get("client"):
        client = privacy.client_for_privacy_officer(request.user, data["client"])
        scope["client"] = client.pk
        events = privacy.dossier_events(request.user, client, **filters)
    elif data.get("user"):
        actor = privacy.user_for_privacy_officer(request.user, data["user"])
        scope["user"] = actor.pk
        events = privacy.user_events(request.user, actor, **filters)
    else:
        events = audit_events_for(request.user, **filters)
    return events.select_related("organisation"), {**filters, **scope}


@role_required(Role.PRIVACY_OFFICER)
@dossier_access_required
def access_log_export(request: UserRequest, fmt: str) -> HttpResponse:
    """The access log with the page's filters as CSV or XLSX; the export is audited."""
    if fmt not in privacy_export.FORMATS:
        raise Http404
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        empty = Paginator(AuditEvent.objects.none(), 1).get_page(1)
        context = {
            "form": form,
            "page": empty,
            "query": "",
            "export_query": "",
            "unusual": [],
            "unusual_rule": privacy.unusual_rule(),
        }
        return render(request, "core/audit_list.html", context, status=400)
    events, used = _export_events(request, form)
    with transaction.atomic():
        content, count = privacy_export.export_file(fmt, events.iterator(chunk_size=2000))
        # R-PRV-4: who exported which part of the log, with which filters, how many rows.
        audit(
            request.user,
            "core.access_log.exported",
            changes={"format": fmt, "rows": count, "filters": used},
        )
    return privacy_export.file_response(content, fmt, "toegangslog")
