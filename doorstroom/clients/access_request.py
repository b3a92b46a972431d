"""The client's access request (art. 15 GDPR, R-PRV-6): everything held about them.

Who may answer one: the lead coach, a team lead who sees the dossier, and a privacy officer of
the client's (or a trajectory's) organisation. Everyone else gets 404, like outside their scope.

Two forms of the same content:
- JSON for machines: every row of the dossier (``retention.holdings``: the client and every row
  hanging from them in every app) with its fields, plus the audit of who read or changed the
  dossier (art. 15(1)(c): the recipients) without the staff's addresses and browsers;
- the data overview PDF for the client, extended with the same access log, the end reports and
  the protected section.
Protected notes (R-PRV-3) are included, decrypted, only when the requester may read them
(the lead coach or an authorised user); each note read is audited with the purpose
"inzageverzoek". Otherwise the export says that the protected section was left out and how many
notes it holds. The export itself is audited.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.roles import Role
from doorstroom.clients.documents import overview_context
from doorstroom.clients.models import Client, SensitiveNote
from doorstroom.clients.retention import Holdings, holdings
from doorstroom.clients.services import lead_coaches_of, may_read_protected, sensitive_note_read
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.audit import audit
from doorstroom.core.models import AuditEvent
from doorstroom.core.pdf import render_pdf
from doorstroom.core.privacy import (
    ACCESS_REQUEST_PURPOSE,
    client_for_privacy_officer,
    dossier_filter,
    is_privacy_officer_for,
)
from doorstroom.reports.models import EndReport

FORMAT = "doorstroom-access-request/1"
PDF_TEMPLATE = "clients/access_request_pdf.html"
# Derived or secret columns that say nothing about the person.
SKIP_FIELDS = frozenset({"search_text", "token_hash", "ciphertext"})


# --- Who may answer an access request -------------------------------------------------------


def may_request(client: Client, user: Any, trajectories: Sequence[Any] | None = None) -> bool:
    """The lead coach, a team lead of the dossier's organisations, or its privacy officer."""
    if trajectories is None:
        trajectories = list(
            client.trajectories.only("pk", "start", "status", "coach_id", "organisation_id")
        )
    if is_privacy_officer_for(user, client, trajectories):
        return True
    if user.pk in lead_coaches_of(trajectories):
        return True
    organisations = {client.organisation_id, *(t.organisation_id for t in trajectories)}
    return bool(user.organisation_ids(Role.TEAM_LEAD) & organisations)


def client_for_access_request(user: Any, pk: int) -> Client:
    """The client whose access request ``user`` may answer, or 404."""
    client = (
        Client.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("municipality", "organisation")
        .first()
    )
    if client is None:
        client = client_for_privacy_officer(user, pk)  # 404 when not theirs either
    if not may_request(client, user):
        raise Http404
    return client


# --- The content ------------------------------------------------------------------------------


def _value(row: models.Model, field: models.Field[Any, Any]) -> Any:
    if isinstance(field, models.ForeignKey):
        return getattr(row, field.attname)
    value = getattr(row, field.attname)
    if isinstance(field, models.FileField):
        return value.name if value else ""
    return value


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIP_FIELDS and not isinstance(f, models.BinaryField)
    ]


def _rows(model: type[models.Model], pks: set[Any]) -> list[dict[str, Any]]:
    if not pks:
        return []
    fields = _fields(model)
    names = [f.attname if isinstance(f, models.ForeignKey) else f.name for f in fields]
    return [
        dict(zip(names, (_value(row, f) for f in fields), strict=True))
        for row in model._base_manager.filter(pk__in=pks).order_by("pk")
    ]


def _records(found: Holdings) -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = {}
    for model in sorted(found.rows, key=lambda m: m._meta.label_lower):
        if model in (Client, SensitiveNote):  # the client on top; the notes apart (R-PRV-3)
            continue
        records[model._meta.label_lower] = _rows(model, found.rows[model])
    return records


def access_log(found: Holdings) -> list[AuditEvent]:
    """Who read or changed any row of the dossier, oldest first (the recipients, art. 15)."""
    return list(
        AuditEvent.objects.filter(dossier_filter(found))
        .select_related("organisation")
        .order_by("at", "id")
    )


def _log_entry(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "who": event.actor_label,
        "organisation": event.organisation.name if event.organisation else "",
        "action": event.action,
        "record_type": event.target_type,
        "record": event.target_label,
        "purpose": event.purpose,
    }


def protected_notes(client: Client, user: Any) -> dict[str, Any]:
    """The protected notes, decrypted, when ``user`` may read them; each read is audited."""
    notes = list(client.sensitive_notes.select_related("author").order_by("created_at", "pk"))
    if not may_read_protected(client, user):
        return {"included": False, "count": len(notes), "notes": []}
    return {
        "included": True,
        "count": len(notes),
        "notes": [
            {
                "id": note.pk,
                "category": note.category,
                "category_label": str(note.get_category_display()),
                "author": note.author.full_name,
                "created_at": note.created_at,
                # R-PRV-3: every read of a protected note is audited with its purpose.
                "text": sensitive_note_read(note, purpose=ACCESS_REQUEST_PURPOSE, by=user),
            }
            for note in notes
        ],
    }


def access_request_data(client: Client, *, by: Any) -> dict[str, Any]:
    """Everything held about ``client``, as plain data (see the module's docstring)."""
    found = holdings(client)
    person = _rows(Client, {client.pk})[0]
    person["job_targets"] = [
        {"isco_code": o.isco_code, "name": o.name_nl} for o in client.job_targets.all()
    ]
    return {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "generated_by": by.email,
        "client": person,
        "records": _records(found),
        "protected_notes": protected_notes(client, by),
        "access_log": [_log_entry(event) for event in access_log(found)],
        "row_count": found.count(),
    }


# --- Pages ------------------------------------------------------------------------------------


@dossier_access_required
def access_request(request: UserRequest, pk: int) -> HttpResponse:
    """The "Inzageverzoek" page: what the export holds and the two downloads."""
    client = client_for_access_request(request.user, pk)
    found = holdings(client)
    counts = sorted(
        (str(model._meta.verbose_name_plural), len(pks)) for model, pks in found.rows.items()
    )
    audit(request.user, "clients.client.viewed", client, purpose=ACCESS_REQUEST_PURPOSE)
    return render(
        request,
        "clients/access_request.html",
        {
            "client": client,
            "counts": counts,
            "may_read_protected": may_read_protected(client, request.user),
        },
    )


def _filename(client: Client, extension: str) -> str:
    day = timezone.localdate().isoformat()
    return f"inzageverzoek-{client.pk}-{day}.{extension}"


@dossier_access_required
def access_request_json(request: UserRequest, pk: int) -> HttpResponse:
    """The complete export for machines (JSON); audited, like each protected note read."""
    client = client_for_access_request(request.user, pk)
    with transaction.atomic():
        data = access_request_data(client, by=request.user)
        audit(
            request.user,
            "clients.access_request.exported",
            client,
            changes={
                "format": "json",
                "rows": data["row_count"],
                "protected_notes": len(data["protected_notes"]["notes"]),
            },
            purpose=ACCESS_REQUEST_PURPOSE,
        )
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(client, "json")}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _end_reports(client: Client) -> list[EndReport]:
    return list(
        EndReport.objects.filter(trajectory__client=client)
        .select_related("trajectory", "author")
        .order_by("trajectory__start", "number")
    )


@dossier_access_required
def access_request_pdf(request: UserRequest, pk: int) -> HttpResponse:
    """The data overview for the client, with the access log, end reports and protected notes."""
    client = client_for_access_request(request.user, pk)
    with transaction.atomic():
        found = holdings(client)
        context = {
            **overview_context(client),
            "access_log": access_log(found),
            "end_reports": _end_reports(client),
            "protected": protected_notes(client, request.user),
        }
        return render_pdf(
            request,
            PDF_TEMPLATE,
            context,
            filename=format_lazy("{} {}.pdf", _("Access request"), client.full_name),
            target=client,
            kind="access_request",
            by=request.user,
            details={"rows": found.count()},
        )
