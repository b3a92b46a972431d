"""The rules core's facts of a page of trajectories, read in bulk as plain values (issue 11).

``deadlines.snapshot`` builds a ``TrajectorySnapshot`` from one trajectory whose children are
prefetched as model instances (``selectors.with_clock``): right for a dossier, costly for a list
of 50 — thousands of model instances per page, tied to each other in reference cycles that only
the garbage collector frees (its full passes made the API list's slow 95th percentile).
``page_facts`` reads the same facts for many trajectories in a constant number of queries, as
tuples, and gives exactly what ``snapshot`` gives; tests/api/test_trajectory_facts.py keeps the
two in step. Each query orders its rows as the prefetch in ``selectors.CLOCK_PREFETCH`` does.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from doorstroom.clients.models import Consent
from doorstroom.employers.models import Placement, PlacementFollowUp
from doorstroom.evaluations.models import Evaluation, EvaluationStatus
from doorstroom.plans.models import PlanVersion
from doorstroom.reports.models import (
    AftercareContact,
    EndReport,
    EndReportStatus,
    OutflowFollowUp,
)
from doorstroom.rules import clock
from doorstroom.trajectories.models import (
    PhaseExtension,
    Suspension,
    Trajectory,
    TrajectoryPhase,
)

# A consent that can expire (R-PRV-5): its id and last day.
ExpiringConsent = tuple[int, datetime.date]


@dataclass(frozen=True)
class PageFacts:
    """Per trajectory id: its snapshot, and its client's consents that can expire."""

    snapshots: dict[int, clock.TrajectorySnapshot]
    consents: dict[int, tuple[ExpiringConsent, ...]]


def _grouped(rows: Iterable[tuple[Any, ...]]) -> defaultdict[Any, list[tuple[Any, ...]]]:
    """Rows ``(key, *values)`` as lists of ``values`` per key, in the rows' order."""
    groups: defaultdict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for key, *values in rows:
        groups[key].append(tuple(values))
    return groups


def _phases(ids: Sequence[int]) -> defaultdict[Any, list[tuple[Any, ...]]]:
    extensions = _grouped(
        PhaseExtension.objects.filter(phase__trajectory_id__in=ids)
        .order_by("until", "pk")
        .values_list("phase_id", "until", "motivation")
    )
    rows = (
        TrajectoryPhase.objects.filter(trajectory_id__in=ids)
        .order_by("start", "pk")
        .values_list("trajectory_id", "pk", "phase", "start", "planned_end", "end")
    )
    return _grouped(
        (
            trajectory_id,
            clock.PhasePeriod(
                phase=clock.Phase(phase),
                start=start,
                planned_end=planned_end,
                end=end,
                extensions=tuple(clock.PhaseExtension(*e) for e in extensions[pk]),
            ),
        )
        for trajectory_id, pk, phase, start, planned_end, end in rows
    )


def _placements(ids: Sequence[int]) -> defaultdict[Any, list[tuple[Any, ...]]]:
    # R-TRJ-8: each placement with its on-the-job follow-ups.
    followups = _grouped(
        PlacementFollowUp.objects.filter(placement__trajectory_id__in=ids)
        .order_by("on", "pk")
        .values_list("placement_id", "on")
    )
    rows = (
        Placement.objects.filter(trajectory_id__in=ids)
        .order_by("start", "pk")
        .values_list("trajectory_id", "pk", "start", "end", "planned_end")
    )
    return _grouped(
        (
            trajectory_id,
            clock.Placement(str(pk), start, end or planned_end, tuple(f[0] for f in followups[pk])),
        )
        for trajectory_id, pk, start, end, planned_end in rows
    )


def _days(ids: Sequence[int]) -> dict[str, defaultdict[Any, list[tuple[Any, ...]]]]:
    """The dated facts: suspensions, completed evaluations, POP versions, final end reports
    and the outflow follow-ups recorded (R-TRJ-6/7, R-END-1/2)."""
    of_page = {"trajectory_id__in": ids}
    return {
        "suspensions": _grouped(
            Suspension.objects.filter(**of_page)
            .order_by("start", "pk")
            .values_list("trajectory_id", "pk", "start", "end", "reviewed_on")
        ),
        "evaluations": _grouped(
            Evaluation.objects.filter(**of_page, status=EvaluationStatus.COMPLETED)
            .order_by("planned_on", "pk")
            .values_list("trajectory_id", "held_on", "planned_on")
        ),
        "pop_versions": _grouped(
            PlanVersion.objects.filter(**of_page)
            .order_by("number")
            .values_list("trajectory_id", "drawn_up_on")
        ),
        "end_reports": _grouped(
            EndReport.objects.filter(**of_page, status=EndReportStatus.FINAL)
            .order_by("-number")
            .values_list("trajectory_id", "finalised_on")
        ),
        "followups": _grouped(
            OutflowFollowUp.objects.filter(**of_page)
            .order_by("months")
            .values_list("trajectory_id", "months")
        ),
        "aftercare": _grouped(
            AftercareContact.objects.filter(**of_page, held_on__isnull=False)
            .values("trajectory_id")
            .annotate(last=Max("held_on"))
            .order_by()
            .values_list("trajectory_id", "last")
        ),
    }


def _expiring_consents(client_ids: Iterable[int]) -> defaultdict[Any, list[tuple[Any, ...]]]:
    rows = (
        Consent.objects.filter(client_id__in=set(client_ids))
        .order_by("-given_on", "-pk")
        .values_list("client_id", "pk", "until", "withdrawn_on")
    )
    return _grouped(
        (client_id, pk, until)
        for client_id, pk, until, withdrawn_on in rows
        if until and withdrawn_on is None
    )


Children = dict[str, defaultdict[Any, list[tuple[Any, ...]]]]

TRAJECTORY_FACTS = (
    "pk",
    "client_id",
    "kind",
    "start",
    "stopped_on",
    "intake__assessed_on",
    "employment_contract__pk",
    "employment_contract__start",
    "employment_contract__end",
    "outflow__pk",
    "outflow__on",
    "outflow__kind",
)


def _snapshot(row: tuple[Any, ...], children: Children) -> clock.TrajectorySnapshot:
    pk, _client, kind, start, stopped_on, intake_on, ao, ao_start, ao_end, out, on, how = row
    return clock.TrajectorySnapshot(
        id=str(pk),
        kind=clock.TrajectoryKind(kind),
        start=start,
        intake_date=intake_on,
        ao=clock.EmploymentContract(ao_start, ao_end) if ao is not None else None,
        phases=tuple(p for (p,) in children["phases"][pk]),
        suspensions=tuple(clock.Suspension(str(s[0]), *s[1:]) for s in children["suspensions"][pk]),
        placements=tuple(p for (p,) in children["placements"][pk]),
        evaluations=tuple(held or planned for held, planned in children["evaluations"][pk]),
        pop_versions=tuple(v for (v,) in children["pop_versions"][pk]),
        outflow=clock.Outflow(on, clock.OutflowKind(how)) if out is not None else None,
        end_report_on=next((f for (f,) in children["end_reports"][pk]), None),
        followups_recorded=tuple(m for (m,) in children["followups"][pk]),
        aftercare_until=next((d for (d,) in children["aftercare"][pk]), None),
        stopped_on=stopped_on,
    )


def page_facts(ids: Sequence[int]) -> PageFacts:
    """The snapshots of the trajectories ``ids`` (and their clients' expiring consents).

    The caller scopes ``ids`` (R-PRV-1); an id that does not exist is left out.
    """
    rows = list(Trajectory.objects.filter(pk__in=ids).order_by().values_list(*TRAJECTORY_FACTS))
    children: Children = {"phases": _phases(ids), "placements": _placements(ids), **_days(ids)}
    consents = _expiring_consents(row[1] for row in rows)
    return PageFacts(
        snapshots={row[0]: _snapshot(row, children) for row in rows},
        consents={row[0]: tuple(consents[row[1]]) for row in rows},
    )
