"""The privacy officer's reads: who opened which dossier and why, and unusual access.

Everything here starts from ``AuditEvent.objects.visible_to(user)``: a privacy officer sees the
events of their own organisations only (R-PRV-4). A dossier's log covers every row that belongs
to the client (``clients.retention.holdings``): the client, intakes, journal, trajectories,
POP versions, evaluations, placements, end reports, protected notes, ...

Unusual access: a user who reads more than ``DOORSTROOM_UNUSUAL_ACCESS_DOSSIERS`` distinct
dossiers outside their own caseload (not lead coach nor member of a trajectory of that client)
within ``DOORSTROOM_UNUSUAL_ACCESS_MINUTES`` minutes. The reads come from one indexed query over
the last ``DOORSTROOM_UNUSUAL_ACCESS_DAYS`` days (``audit_org_at``), with the caseload test done
by the database; only the bursts are found in Python, per user, in one pass.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import groupby
from operator import itemgetter, or_
from typing import Any

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from doorstroom.accounts.models import User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import Client
from doorstroom.clients.retention import Holdings, holdings
from doorstroom.core.models import AuditEvent
from doorstroom.core.selectors import audit_events_for
from doorstroom.trajectories.models import Trajectory, TrajectoryMember

# Reads of a whole dossier (the target is the client): what unusual access counts.
DOSSIER_READS = (
    "clients.client.viewed",
    "documents.data_overview.generated",
    "documents.access_request.generated",
    "clients.access_request.exported",
)
# The purpose recorded when a protected note is read for an access request (art. 15 GDPR).
ACCESS_REQUEST_PURPOSE = "inzageverzoek"


def privacy_organisations(user: Any) -> set[int]:
    return set(user.organisation_ids(Role.PRIVACY_OFFICER))


def is_privacy_officer_for(user: Any, client: Client, trajectories: Iterable[Any] = ()) -> bool:
    """Whether ``user`` is a privacy officer of the client's or a trajectory's organisation."""
    organisations = privacy_organisations(user)
    if not organisations:
        return False
    return client.organisation_id in organisations or any(
        t.organisation_id in organisations for t in trajectories
    )


def client_for_privacy_officer(user: Any, pk: int) -> Client:
    """The client whose dossier ``user`` may audit, or 404 (also for every other role)."""
    organisations = privacy_organisations(user)
    found = (
        Client.objects.filter(
            Q(organisation_id__in=organisations)
            | Q(trajectories__organisation_id__in=organisations)
        )
        .filter(pk=pk)
        .select_related("organisation", "municipality")
        .first()
        if organisations
        else None
    )
    if found is None:
        raise Http404
    return found


def user_for_privacy_officer(user: Any, pk: int) -> User:
    """A user of the privacy officer's organisations, or one who acted there; else 404."""
    organisations = privacy_organisations(user)
    if not organisations:
        raise Http404
    member = Q(memberships__organisation_id__in=organisations)
    acted = Q(pk__in=AuditEvent.objects.visible_to(user).filter(actor_id=pk).values("actor_id")[:1])
    found = User.objects.filter(member | acted, pk=pk).first()
    if found is None:
        raise Http404
    return found


def dossier_filter(found: Holdings) -> Q:
    """Match the audit events about any row of a dossier (``holdings(client)``)."""
    parts = [
        Q(target_type=model._meta.label_lower, target_id__in=sorted(str(pk) for pk in pks))
        for model, pks in found.rows.items()
        if pks
    ]
    return reduce(or_, parts)


def dossier_events(user: Any, client: Client, **filters: Any) -> QuerySet[AuditEvent]:
    """Every read and change of the client's dossier that ``user`` may see, newest first."""
    return audit_events_for(user, **filters).filter(dossier_filter(holdings(client)))


def user_events(user: Any, person: User, /, **filters: Any) -> QuerySet[AuditEvent]:
    """Everything ``person`` did in the privacy officer's organisations, newest first.

    ``filters`` are the audit list's (its ``actor`` is a text filter on the recorded name).
    """
    return audit_events_for(user, **filters).filter(actor=person).select_related("organisation")


# --- Unusual access ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnusualAccess:
    """A burst of reads: ``dossiers`` distinct dossiers outside the caseload in a window."""

    actor_id: int
    actor_label: str
    start: datetime.datetime
    end: datetime.datetime
    dossiers: int


Read = tuple[int, str, datetime.datetime, str]  # actor, actor label, when, client pk


def outside_caseload_reads(events: QuerySet[AuditEvent], since: datetime.datetime) -> Any:
    """Dossier reads since ``since`` by users who are neither lead nor member there."""
    lead = (
        Trajectory.objects.filter(coach_id=OuterRef("actor_id"))
        .annotate(key=Cast("client_id", CharField()))
        .filter(key=OuterRef("target_id"))
    )
    member = (
        TrajectoryMember.objects.filter(user_id=OuterRef("actor_id"))
        .annotate(key=Cast("trajectory__client_id", CharField()))
        .filter(key=OuterRef("target_id"))
    )
    return (
        events.filter(
            at__gte=since,
            action__in=DOSSIER_READS,
            target_type="clients.client",
            actor__isnull=False,
        )
        .exclude(Exists(lead))
        .exclude(Exists(member))
        .order_by("actor_id", "at", "id")
        .values_list("actor_id", "actor_label", "at", "target_id")
    )


def _spans(reads: Sequence[Read], limit: int, window: datetime.timedelta) -> list[list[int]]:
    """The merged index ranges in which more than ``limit`` dossiers were read in ``window``."""
    counts: Counter[str] = Counter()
    left = 0
    spans: list[list[int]] = []
    for right, (_actor, _label, at, target) in enumerate(reads):
        counts[target] += 1
        while at - reads[left][2] > window:
            gone = reads[left][3]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
            left += 1
        if len(counts) > limit:
            if spans and left <= spans[-1][1]:
                spans[-1][1] = right
            else:
                spans.append([left, right])
    return spans


def find_bursts(
    reads: Iterable[Read], *, limit: int, window: datetime.timedelta
) -> list[UnusualAccess]:
    """Group ``reads`` (ordered by actor, then time) into flagged bursts, newest first."""
    flags: list[UnusualAccess] = []
    for actor_id, group in groupby(reads, key=itemgetter(0)):
        rows = list(group)
        for first, last in _spans(rows, limit, window):
            flags.append(
                UnusualAccess(
                    actor_id=actor_id,
                    actor_label=rows[last][1],
                    start=rows[first][2],
                    end=rows[last][2],
                    dossiers=len({row[3] for row in rows[first : last + 1]}),
                )
            )
    return sorted(flags, key=lambda f: (f.end, f.actor_id), reverse=True)


def unusual_rule() -> dict[str, int]:
    """The thresholds, for the pages' explanation."""
    return {
        "limit": int(settings.DOORSTROOM_UNUSUAL_ACCESS_DOSSIERS),
        "minutes": int(settings.DOORSTROOM_UNUSUAL_ACCESS_MINUTES),
        "days": int(settings.DOORSTROOM_UNUSUAL_ACCESS_DAYS),
    }


def unusual_access(
    events: QuerySet[AuditEvent], *, now: datetime.datetime, since: datetime.datetime | None = None
) -> list[UnusualAccess]:
    """The flagged bursts among ``events`` (already scoped) since ``since`` (default D days)."""
    limit = int(settings.DOORSTROOM_UNUSUAL_ACCESS_DOSSIERS)
    window = datetime.timedelta(minutes=int(settings.DOORSTROOM_UNUSUAL_ACCESS_MINUTES))
    if since is None:
        since = now - datetime.timedelta(days=int(settings.DOORSTROOM_UNUSUAL_ACCESS_DAYS))
    return find_bursts(outside_caseload_reads(events, since), limit=limit, window=window)


def unusual_access_for(
    user: Any, *, now: datetime.datetime, actor: User | None = None
) -> list[UnusualAccess]:
    """The bursts a privacy officer sees (their organisations' events), optionally of one user."""
    events = AuditEvent.objects.visible_to(user)
    if actor is not None:
        events = events.filter(actor=actor)
    return unusual_access(events, now=now)


# --- Notification (manage.py flag_unusual_access, from cron) ----------------------------------


def recent_flags_by_organisation(
    *, now: datetime.datetime, hours: int
) -> dict[int, list[UnusualAccess]]:
    """The bursts that ended in the last ``hours``, per organisation whose events they are.

    The reads are taken from ``hours`` plus one window back, so that a burst ending in the
    period is seen whole; one ending earlier was reported by the previous run.
    """
    window = datetime.timedelta(minutes=int(settings.DOORSTROOM_UNUSUAL_ACCESS_MINUTES))
    period_start = now - datetime.timedelta(hours=hours)
    since = period_start - window
    organisations = (
        AuditEvent.objects.filter(at__gte=since, action__in=DOSSIER_READS)
        .exclude(organisation__isnull=True)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    found: dict[int, list[UnusualAccess]] = {}
    for organisation_id in organisations:
        events = AuditEvent.objects.filter(organisation_id=organisation_id)
        flags = [f for f in unusual_access(events, now=now, since=since) if f.end >= period_start]
        if flags:
            found[organisation_id] = flags
    return found


def privacy_officers_of(organisation_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__role=Role.PRIVACY_OFFICER,
        ).distinct()
    )
