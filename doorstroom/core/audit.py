"""The one way to record what happened (R-PRV-4): ``audit(actor, action, target, changes)``.

Action codes are namespaced: ``<app>.<thing>.<verb>`` (``accounts.user.logged_in``,
``trajectories.suspension.started``). Reads of dossiers and protected notes are audited too,
with a purpose. Audit events are never deleted; retention redacts them.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from doorstroom.core import request_context
from doorstroom.core.models import AuditEvent


def _organisation_of(actor: Any, target: Any, organisation: Any) -> Any:
    if organisation is not None:
        return organisation
    target_org = getattr(target, "audit_organisation", None)
    if target_org is not None:
        return target_org
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.primary_organisation
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def audit(
    actor: Any,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    *,
    purpose: str = "",
    organisation: Any = None,
    actor_label: str = "",
) -> AuditEvent:
    """Record one event; call it inside the service's transaction so both commit together."""
    ctx = request_context.current()
    real_actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=real_actor,
        actor_label=(actor_label or (real_actor.email if real_actor else ""))[:254],
        organisation=_organisation_of(real_actor, target, organisation),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        changes=_jsonable(changes or {}),
        purpose=purpose[:254],
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent,
    )


def diff(instance: models.Model, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for the values that change."""
    changes: dict[str, list[Any]] = {}
    for name, new in new_values.items():
        old = getattr(instance, name)
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
    return changes
