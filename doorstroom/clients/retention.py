"""Retention (R-PRV-6): a closed dossier is anonymised N years after its end.

A client is due when none of their trajectories is still open and the last thing that
happened in the dossier — a trajectory's close or stop, an intake, the registration — lies more
than ``DOORSTROOM_RETENTION_YEARS`` (default 10) years back.

Anonymising walks every row that belongs to the client (the reverse relations from the client,
then from those rows, and so on, plus the secret links they point at) and, in one transaction:
- empties every free-text, contact and file field, JSON included; coded fields (those with
  choices) and the fields in ``KEEP`` stay, so statistics and financing figures are unchanged;
- deletes the protected notes (``DELETE``) and the uploaded files;
- keeps the birth year only, and names the client "Geanonimiseerd";
- redacts (never deletes) the audit events about those rows: record label, changes, purpose
  and the name of a link user are emptied, the action, time and actor stay (R-PRV-4).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.db.models.functions import TruncYear
from django.utils import timezone

from doorstroom.clients.models import Client
from doorstroom.core.audit import audit
from doorstroom.core.models import AccessLink, AuditEvent

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)
# Text fields that hold codes or figures, not personal data (without choices, so named here).
KEEP: dict[str, frozenset[str] | None] = {
    "clients.client": frozenset({"job_target_codes"}),  # ISCO codes, as the job targets kept
    "trajectories.trajectory": frozenset({"next_due_code"}),
    "plans.planversion": frozenset({"open_competences"}),
    "instruments.instrumentuse": frozenset({"kind"}),
    "evaluations.feedbackround": frozenset({"questions"}),
    "reports.monthendsnapshot": None,  # None: the whole row is statistics (R-FIN-4)
    "core.accesslink": frozenset({"token_hash"}),  # a SHA-256 of a spent secret, unique
}
# Rows removed outright: the protected notes (R-PRV-3) and who may read them.
DELETE = frozenset({"clients.sensitivenote", "clients.sensitiveaccess"})
# Rows a dossier points at (forward) that hold names or e-mail addresses of link users.
FOLLOW_FORWARD = (AccessLink,)
ANONYMOUS = "Geanonimiseerd"


def retention_years() -> int:
    return int(settings.DOORSTROOM_RETENTION_YEARS)


def cutoff(today: datetime.date) -> datetime.date:
    """The day before which a dossier's last activity makes it due for anonymisation."""
    years = retention_years()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class DueClient:
    client: Client
    last_activity: datetime.date


def due_clients(today: datetime.date) -> list[DueClient]:
    """The clients whose closed dossier passed the retention period, oldest first."""
    # R-PRV-6: N years after the end; an open trajectory keeps the dossier.
    open_trajectory = Q(trajectories__closed_on__isnull=True, trajectories__stopped_on__isnull=True)
    candidates = (
        Client.objects.filter(anonymised_on__isnull=True)
        .exclude(pk__in=Client.objects.filter(open_trajectory, trajectories__isnull=False))
        .annotate(
            closed=Max("trajectories__closed_on"),
            stopped=Max("trajectories__stopped_on"),
            assessed=Max("intakes__assessed_on"),
        )
        .order_by("pk")
        .values_list("pk", "created_at", "closed", "stopped", "assessed")
    )
    limit = cutoff(today)
    last_activity: dict[int, datetime.date] = {}
    for pk, created_at, *ends in candidates:
        # The end of the last trajectory or a later intake; the registration only when the
        # dossier holds neither.
        dates = [d for d in ends if d is not None]
        last = max(dates) if dates else created_at.date()
        if last < limit:
            last_activity[pk] = last
    clients = Client.objects.in_bulk(list(last_activity))
    due = [DueClient(clients[pk], last) for pk, last in last_activity.items()]
    return sorted(due, key=lambda d: (d.last_activity, d.client.pk))


@dataclass
class Holdings:
    """Every row of one client's dossier, by model."""

    rows: dict[type[models.Model], set[Any]] = field(default_factory=lambda: defaultdict(set))

    def count(self) -> int:
        return sum(len(pks) for pks in self.rows.values())


def _reverse_relations(model: type[models.Model]) -> Iterable[Any]:
    for relation in model._meta.related_objects:
        if (relation.one_to_many or relation.one_to_one) and relation.related_model is not Client:
            yield relation


def holdings(client: Client) -> Holdings:
    """Walk the reverse relations from ``client`` until no new row turns up."""
    found = Holdings()
    found.rows[Client].add(client.pk)
    queue: list[tuple[type[models.Model], set[Any]]] = [(Client, {client.pk})]
    while queue:
        model, pks = queue.pop()
        for relation in _reverse_relations(model):
            related: type[models.Model] = relation.related_model
            new = (
                set(
                    related._base_manager.filter(**{f"{relation.field.name}__in": pks}).values_list(
                        "pk", flat=True
                    )
                )
                - found.rows[related]
            )
            if new:
                found.rows[related] |= new
                queue.append((related, new))
    _follow_forward(found)
    return found


def _follow_forward(found: Holdings) -> None:
    for model, pks in list(found.rows.items()):
        for fk in model._meta.concrete_fields:
            if isinstance(fk, models.ForeignKey) and fk.related_model in FOLLOW_FORWARD:
                target = cast(
                    type[models.Model], fk.related_model
                )  # never "self": see FOLLOW_FORWARD
                values = model._base_manager.filter(pk__in=pks).values_list(fk.attname, flat=True)
                found.rows[target] |= {value for value in values if value is not None}


def _personal_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    label = model._meta.label_lower
    keep = KEEP.get(label, frozenset())
    if keep is None:
        return []
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, TEXT_FIELDS) and not f.choices and f.name not in keep and not f.primary_key
    ]


def _blank(model_field: models.Field[Any, Any]) -> Any:
    if isinstance(model_field, models.JSONField):
        return model_field.get_default() if model_field.has_default() else None
    return None if model_field.null else ""


def _delete_files(model: type[models.Model], pks: set[Any], fields: list[Any]) -> None:
    for file_field in (f for f in fields if isinstance(f, models.FileField)):
        for name in model._base_manager.filter(pk__in=pks).values_list(file_field.name, flat=True):
            if name:
                file_field.storage.delete(name)


def _wipe(model: type[models.Model], pks: set[Any]) -> None:
    if model._meta.label_lower in DELETE:
        model._base_manager.filter(pk__in=pks).delete()
        return
    fields = _personal_fields(model)
    if not fields:
        return
    _delete_files(model, pks, fields)
    model._base_manager.filter(pk__in=pks).update(**{f.name: _blank(f) for f in fields})


def _redact_audit(found: Holdings, now: datetime.datetime) -> int:
    redacted = 0
    for model, pks in found.rows.items():
        events = AuditEvent.objects.filter(
            target_type=model._meta.label_lower, target_id__in=[str(pk) for pk in pks]
        )
        redacted += events.update(target_label="", changes={}, purpose="", redacted_at=now)
        # A mentor, respondent or the client acting through a link is recorded by name.
        events.filter(actor__isnull=True).update(actor_label="")
    return redacted


@transaction.atomic
def client_anonymise(*, client: Client, today: datetime.date, by: Any = None) -> Holdings:
    """Anonymise one client's whole dossier (R-PRV-6); audited, never undone."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.anonymised_on is not None:
        return Holdings()
    found = holdings(client)
    for model, pks in found.rows.items():
        if model is not Client:
            _wipe(model, pks)
    _wipe(Client, {client.pk})
    Client.objects.filter(pk=client.pk).update(
        first_name=ANONYMOUS,
        birth_date=TruncYear("birth_date"),  # the birth year stays, for statistics by age
        anonymised_on=today,
    )
    redacted = _redact_audit(found, timezone.now())
    client.refresh_from_db()
    audit(
        by,
        "clients.client.anonymised",
        client,
        changes={"rows": found.count(), "audit_events_redacted": redacted},
        organisation=client.organisation,
        actor_label="" if by else "apply_retention",
    )
    return found
