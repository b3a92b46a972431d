"""The facts of a trajectory an end report is drafted from (R-END-1), as plain JSON.

The same structure is stored on the report (``EndReport.facts``, frozen when it is finalised),
shown in the draft, rendered in the PDF and exported as JSON. Body functions and structures
(ICF b- and s-codes) stay out: they are health data kept in the protected section.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from doorstroom.core.regulation import ruleset_on
from doorstroom.evaluations.models import (
    Evaluation,
    EvaluationStatus,
    IcfRating,
)
from doorstroom.instruments.models import InstrumentUse
from doorstroom.rules import clock
from doorstroom.trajectories.deadlines import outflow_of, snapshot
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock

FORMAT = "doorstroom.end-report/1"


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _levels(evaluation: Evaluation) -> dict[str, dict[str, int]]:
    """Competence code → {source: level} of one evaluation."""
    found: dict[str, dict[str, int]] = {}
    for score in evaluation.scores.all():
        found.setdefault(score.competence.code, {})[score.source] = score.level
    return found


def _competences(trajectory: Trajectory) -> list[dict[str, Any]]:
    """Growth per competence: the first against the last completed evaluation, per source."""
    evaluations = list(
        Evaluation.objects.filter(trajectory=trajectory, status=EvaluationStatus.COMPLETED)
        .prefetch_related("scores__competence")
        .order_by("held_on", "pk")
    )
    if not evaluations:
        return []
    first, last = _levels(evaluations[0]), _levels(evaluations[-1])
    names = {s.competence.code: s.competence.name_nl for e in evaluations for s in e.scores.all()}
    latest = trajectory.plan_versions.order_by("-number").first()
    targets = (
        {p.competence.code: p.target_level for p in latest.competences.select_related("competence")}
        if latest
        else {}
    )
    return [
        {
            "code": code,
            "name": names[code],
            "first": first.get(code, {}),
            "last": last.get(code, {}),
            "target": targets.get(code),
        }
        for code in sorted(names, key=names.__getitem__)
    ]


def _icf(ratings: Iterable[IcfRating]) -> list[dict[str, Any]]:
    """The latest rating per code (d- and e-codes only)."""
    latest: dict[str, IcfRating] = {}
    for rating in ratings:
        current = latest.get(rating.code.code)
        if current is None or (rating.rated_on, rating.pk) > (current.rated_on, current.pk):
            latest[rating.code.code] = rating
    return [
        {
            "code": r.code.code,
            "title": r.code.title_nl,
            "notation": r.notation,
            "first": r.first,
            "second": r.second,
            "facilitator": r.facilitator,
            "source": r.get_source_display(),
            "rated_on": _day(r.rated_on),
            "note": r.note,
        }
        for _code, r in sorted(latest.items())
    ]


def end_report_facts(trajectory: Trajectory) -> dict[str, Any]:
    """Everything the end report states from the dossier, JSON-ready (R-END-1)."""
    loaded = (
        with_clock(Trajectory.objects.filter(pk=trajectory.pk))
        .select_related("coach", "organisation")
        .get()
    )
    ruleset = ruleset_on(loaded.start)
    snap = snapshot(loaded)
    outflow = outflow_of(loaded)
    uses = InstrumentUse.objects.filter(trajectory=loaded).order_by("start", "pk")
    ratings = IcfRating.objects.filter(trajectory=loaded).without_health().select_related("code")
    return {
        "format": FORMAT,
        "generated_on": timezone.localdate().isoformat(),
        "client": {"name": loaded.client.full_name, "birth_date": _day(loaded.client.birth_date)},
        "trajectory": {
            "kind": loaded.kind,
            "kind_label": str(loaded.get_kind_display()),
            "organisation": loaded.organisation.name,
            "coach": loaded.coach.full_name,
            "start": _day(loaded.start),
            "planned_end": _day(clock.planned_end(snap, ruleset)),
            "last_day": _day(clock.last_day(snap, ruleset)),
            "stopped_on": _day(loaded.stopped_on),
            "stop_reason": str(loaded.get_stop_reason_display()) if loaded.stop_reason else "",
            "stop_motivation": loaded.stop_motivation,
        },
        "phases": [
            {"phase": str(p.get_phase_display()), "start": _day(p.start), "end": _day(p.end)}
            for p in loaded.phases.all()
        ],
        "suspensions": [
            {"start": _day(s.start), "end": _day(s.end), "reason": s.reason}
            for s in loaded.suspensions.all()
        ],
        "placements": [
            {
                "workplace": p.workplace.title,
                "employer": p.workplace.employer.name,
                "kind": str(p.get_kind_display()),
                "start": _day(p.start),
                "end": _day(p.end),
                "end_reason": str(p.get_end_reason_display()) if p.end_reason else "",
            }
            for p in loaded.placements.all()
        ],
        "instruments": [
            {
                "kind": u.kind_label,
                "provider": u.provider,
                "start": _day(u.start),
                "end": _day(u.end),
                "hours": str(u.hours) if u.hours is not None else None,
                "result": str(u.get_result_display()),
            }
            for u in uses
        ],
        "evaluations": len(snap.evaluations),
        "pop_versions": len(snap.pop_versions),
        "competences": _competences(loaded),
        "icf": _icf(ratings),
        "outflow": (
            {
                "on": _day(outflow.on),
                "kind": outflow.kind,
                "kind_label": str(outflow.get_kind_display()),
                "employer": outflow.employer_label,
                "contract_type": str(outflow.get_contract_type_display()),
                "regime": str(outflow.regime) if outflow.regime is not None else None,
                "details": outflow.details,
            }
            if outflow
            else None
        ),
    }
