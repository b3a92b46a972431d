"""Writes at the end of a trajectory (R-END, R-TRJ-4, R-TRJ-10): each a transaction, audited.

The end report is drafted from the dossier (``facts.end_report_facts``), edited by the coach,
and finalised — then it is locked; an amendment is a new version. ``trajectory_close`` closes a
trajectory only with a finalised end report (R-END-1).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstroom.accounts.models import User
from doorstroom.core.audit import audit, diff
from doorstroom.core.errors import DomainError
from doorstroom.core.locking import lock, save_versioned
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.text import short_date
from doorstroom.evaluations.models import IcfCode, IcfRating, IcfSource
from doorstroom.reports.facts import end_report_facts
from doorstroom.reports.models import (
    AftercareContact,
    AftercareKind,
    EndReport,
    EndReportStatus,
    Outflow,
    OutflowFollowUp,
    OutflowKind,
)
from doorstroom.rules import clock
from doorstroom.rules.icf import rating_problems
from doorstroom.trajectories.choices import Status, StopReason
from doorstroom.trajectories.deadlines import snapshot
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock
from doorstroom.trajectories.services import lock_trajectory, refresh_signals

FOLLOWUP_MONTHS = (3, 6, 12)


def last_day(trajectory: Trajectory) -> datetime.date:
    """The trajectory's last day: its stop, else the end of guidance (R-TRJ-1, R-TRJ-4)."""
    loaded = with_clock(Trajectory.objects.filter(pk=trajectory.pk)).get()
    return clock.last_day(snapshot(loaded), ruleset_on(loaded.start))


def _require_not_closed(trajectory: Trajectory) -> None:
    if trajectory.closed_on is not None:
        raise DomainError(_("This trajectory is closed."))


# --- Outflow and follow-ups (R-END-2) ---------------------------------------------------


def _clean_regime(regime: Decimal | None, field: str = "regime") -> None:
    if regime is not None and not Decimal("0.1") <= regime <= Decimal("1"):
        raise DomainError(_("A regime is between 10 % and 100 %."), field=field)


@transaction.atomic
def outflow_record(
    trajectory: Trajectory, *, data: dict[str, Any], expected_version: int, by: User
) -> Outflow:
    """Record (or correct) where the client went (R-END-2)."""
    lock_trajectory(trajectory, expected_version)
    _require_not_closed(trajectory)
    on = data["on"]
    if on < trajectory.start:
        raise DomainError(_("Outflow cannot be before the trajectory starts."), field="on")
    if data["kind"] not in OutflowKind.values:
        raise DomainError(_("Choose the kind of outflow."), field="kind")
    to_work = data["kind"] in (OutflowKind.NEC_JOB, OutflowKind.SOCIAL_ECONOMY)
    if to_work and not (data.get("employer") or (data.get("employer_name") or "").strip()):
        raise DomainError(_("Name the employer of the new job."), field="employer_name")
    if to_work and not data.get("contract_type"):
        raise DomainError(_("Choose the contract type."), field="contract_type")
    _clean_regime(data.get("regime"))
    values = {
        "on": on,
        "kind": data["kind"],
        "employer": data.get("employer"),
        "employer_name": (data.get("employer_name") or "").strip(),
        "contract_type": data.get("contract_type") or "",
        "regime": data.get("regime"),
        "details": (data.get("details") or "").strip(),
    }
    outflow = Outflow.objects.filter(trajectory=trajectory).first()
    if outflow is None:
        outflow = Outflow.objects.create(trajectory=trajectory, recorded_by=by, **values)
        audit(by, "reports.outflow.recorded", trajectory, {"on": on, "kind": values["kind"]})
    else:
        changes = diff(outflow, values)
        for name, value in values.items():
            setattr(outflow, name, value)
        save_versioned(outflow, expected_version=outflow.version, update_fields=list(values))
        audit(by, "reports.outflow.corrected", trajectory, changes)
    refresh_signals(trajectory)  # R-TRJ-10 aftercare_end, R-END-2 follow-ups
    return outflow


@transaction.atomic
def followup_record(
    trajectory: Trajectory,
    *,
    months: int,
    measured_on: datetime.date,
    at_work: bool,
    same_employer: bool | None,
    regime: Decimal | None,
    notes: str,
    by: User,
) -> OutflowFollowUp:
    """Record the client's situation 3, 6 or 12 months after the end (R-END-2)."""
    lock_trajectory(trajectory, None)
    if months not in FOLLOWUP_MONTHS:
        raise DomainError(_("Choose 3, 6 or 12 months."), field="months")
    end = last_day(trajectory)
    if measured_on <= end:
        raise DomainError(
            _("A follow-up is measured after the trajectory's last day (%(date)s).")
            % {"date": short_date(end)},
            field="measured_on",
        )
    if measured_on > timezone.localdate():
        raise DomainError(_("A follow-up cannot be in the future."), field="measured_on")
    if trajectory.outflow_followups.filter(months=months).exists():
        raise DomainError(
            _("The follow-up after %(months)s months is already recorded.") % {"months": months},
            field="months",
        )
    _clean_regime(regime)
    followup = OutflowFollowUp.objects.create(
        trajectory=trajectory,
        months=months,
        measured_on=measured_on,
        at_work=at_work,
        same_employer=same_employer if at_work else None,
        regime=regime if at_work else None,
        notes=notes.strip(),
        recorded_by=by,
    )
    audit(
        by,
        "reports.followup.recorded",
        trajectory,
        {"months": months, "measured_on": measured_on, "at_work": at_work},
    )
    refresh_signals(trajectory)
    return followup


# --- Aftercare (R-TRJ-10) ---------------------------------------------------------------


@transaction.atomic
def aftercare_plan(
    trajectory: Trajectory,
    *,
    kind: str,
    planned_on: datetime.date,
    with_mentor: bool,
    by: User,
) -> AftercareContact:
    """Plan a job- or language-coaching contact after outflow to work (R-TRJ-10)."""
    lock_trajectory(trajectory, None)
    outflow = Outflow.objects.filter(trajectory=trajectory).first()
    if outflow is None or not outflow.to_work:
        raise DomainError(_("Aftercare follows an outflow to work: record the outflow first."))
    if kind not in AftercareKind.values:
        raise DomainError(_("Choose the kind of contact."), field="kind")
    if planned_on < outflow.on:
        raise DomainError(
            _("Aftercare starts at the outflow (%(date)s).") % {"date": short_date(outflow.on)},
            field="planned_on",
        )
    contact = AftercareContact.objects.create(
        trajectory=trajectory,
        kind=kind,
        planned_on=planned_on,
        with_mentor=with_mentor,
        created_by=by,
    )
    audit(by, "reports.aftercare.planned", trajectory, {"kind": kind, "planned_on": planned_on})
    return contact


@transaction.atomic
def aftercare_record(
    contact: AftercareContact, *, held_on: datetime.date, with_mentor: bool, notes: str, by: User
) -> AftercareContact:
    trajectory = contact.trajectory
    lock_trajectory(trajectory, None)
    if contact.held_on is not None:
        raise DomainError(_("This contact is already recorded."))
    if held_on > timezone.localdate():
        raise DomainError(_("A contact cannot be held in the future."), field="held_on")
    outflow = Outflow.objects.filter(trajectory=trajectory).first()
    if outflow is not None and held_on < outflow.on:
        raise DomainError(
            _("Aftercare starts at the outflow (%(date)s).") % {"date": short_date(outflow.on)},
            field="held_on",
        )
    if not notes.strip():
        raise DomainError(_("Write what was discussed and agreed."), field="notes")
    contact.held_on = held_on
    contact.with_mentor = with_mentor
    contact.notes = notes.strip()
    contact.save(update_fields=["held_on", "with_mentor", "notes"])
    audit(by, "reports.aftercare.held", trajectory, {"held_on": held_on})
    refresh_signals(trajectory)  # R-TRJ-10: contacts up to six months end aftercare_end
    return contact


# --- ICF ratings (R-ICF-1) --------------------------------------------------------------

ICF_MESSAGES = {
    "no_qualifier": gettext_lazy("Give a qualifier."),
    "qualifier_out_of_range": gettext_lazy(
        "A qualifier is 0–4, 8 (not specified) or 9 (not applicable)."
    ),
    "capacity_only_for_activities": gettext_lazy(
        "Only activities (d-codes) have a capacity qualifier."
    ),
    "facilitator_only_for_environment": gettext_lazy(
        "Only environmental factors (e-codes) can be facilitators."
    ),
    "facilitator_needs_a_degree": gettext_lazy("A facilitator has a degree from +0 to +4."),
}


@transaction.atomic
def icf_rate(
    trajectory: Trajectory,
    *,
    code: IcfCode,
    first: int | None,
    second: int | None,
    facilitator: bool,
    source: str,
    rated_on: datetime.date,
    note: str,
    may_rate_health: bool,
    by: User,
    evaluation: Any = None,
) -> IcfRating:
    """Add a rating to the ICF profile (R-ICF-1); health codes only for who may read them."""
    lock_trajectory(trajectory, None)
    _require_not_closed(trajectory)
    if code.concerns_health and not may_rate_health:
        # R-PRV-3: body functions are health data, kept in the protected section.
        raise DomainError(
            _(
                "Body functions and structures are health data: only those who may open the "
                "protected section rate them."
            ),
            field="code",
        )
    problems = rating_problems(code.code, first, second, facilitator=facilitator)
    if problems:
        raise DomainError(str(ICF_MESSAGES[problems[0]]), field="first")
    if source not in IcfSource.values:
        raise DomainError(_("Choose the source."), field="source")
    if rated_on > timezone.localdate():
        raise DomainError(_("A rating cannot be in the future."), field="rated_on")
    if evaluation is not None and evaluation.trajectory_id != trajectory.pk:
        raise DomainError(_("That evaluation belongs to another trajectory."))
    rating = IcfRating.objects.create(
        evaluation=evaluation,
        trajectory=trajectory,
        code=code,
        first=first,
        second=second,
        facilitator=facilitator,
        source=source,
        rated_on=rated_on,
        note=note.strip(),
        created_by=by,
    )
    audit(by, "evaluations.icf.rated", trajectory, {"code": code.code, "rating": rating.notation})
    return rating


# --- End report (R-END-1) and closing ---------------------------------------------------


def _facts(trajectory: Trajectory) -> dict[str, Any]:
    with translation.override(settings.LANGUAGE_CODE):  # the report is a Dutch document
        return end_report_facts(trajectory)


def _ended(trajectory: Trajectory) -> bool:
    return trajectory.status == Status.STOPPED or last_day(trajectory) < timezone.localdate()


@transaction.atomic
def end_report_draft(trajectory: Trajectory, *, by: User) -> EndReport:
    """Open the draft end report, prefilled from the dossier; an open draft is reused.

    After a final version, a new draft amends it (the texts start from the final one).
    """
    lock_trajectory(trajectory, None)
    draft = trajectory.end_reports.filter(status=EndReportStatus.DRAFT).first()
    if draft is not None:
        return draft
    previous = trajectory.end_reports.order_by("-number").first()
    number = (trajectory.end_reports.aggregate(top=Max("number"))["top"] or 0) + 1
    facts = _facts(trajectory)
    report = EndReport.objects.create(
        trajectory=trajectory,
        number=number,
        facts=facts,
        summary=previous.summary if previous else _summary(facts),
        competences_reached=(
            previous.competences_reached if previous else _competences_text(facts)
        ),
        motivation=previous.motivation if previous else "",
        recommendation=previous.recommendation if previous else "",
        author=by,
    )
    audit(by, "reports.end_report.drafted", report, {"number": number})
    return report


def _summary(facts: dict[str, Any]) -> str:
    t = facts["trajectory"]
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("%(kind)s at %(organisation)s from %(start)s to %(end)s, guided by %(coach)s.")
            % {
                "kind": t["kind_label"],
                "organisation": t["organisation"],
                "start": short_date(datetime.date.fromisoformat(t["start"])),
                "end": short_date(datetime.date.fromisoformat(t["last_day"])),
                "coach": t["coach"],
            }
        ]
        if facts["placements"]:
            lines.append(
                _("Workplaces: %(places)s.")
                % {
                    "places": ", ".join(
                        f"{p['workplace']} ({p['employer']})" for p in facts["placements"]
                    )
                }
            )
        if t["stop_reason"]:
            lines.append(_("Ended early: %(reason)s.") % {"reason": t["stop_reason"]})
    return "\n".join(lines)


def _competences_text(facts: dict[str, Any]) -> str:
    lines = []
    for c in facts["competences"]:
        first, last = c["first"].get("coach"), c["last"].get("coach")
        if first is not None and last is not None:
            lines.append(
                f"{c['name']}: {first} → {last}" + (f" (/{c['target']})" if c["target"] else "")
            )
    return "\n".join(lines)


def _lock_report(report: EndReport, expected_version: int) -> None:
    lock(report, expected_version)
    if report.is_final:
        raise DomainError(_("A final end report is locked: amend it with a new version."))


@transaction.atomic
def end_report_update(
    report: EndReport, *, data: dict[str, str], expected_version: int, by: User
) -> EndReport:
    """Save the coach's texts of a draft; the dossier facts are refreshed."""
    _lock_report(report, expected_version)
    values = {name: (data.get(name) or "").strip() for name in TEXT_FIELDS}
    changes = diff(report, values)
    for name, value in values.items():
        setattr(report, name, value)
    report.facts = _facts(report.trajectory)
    report.save(update_fields=[*TEXT_FIELDS, "facts"])
    audit(by, "reports.end_report.edited", report, {"fields": sorted(changes)})
    return report


TEXT_FIELDS = ("summary", "competences_reached", "motivation", "recommendation")


@transaction.atomic
def end_report_finalise(report: EndReport, *, expected_version: int, by: User) -> EndReport:
    """Finalise the end report (R-END-1): motivated, with a recommendation; then locked."""
    _lock_report(report, expected_version)
    for name, message in (
        ("summary", _("Write the summary.")),
        ("motivation", _("Write the motivation.")),
        ("recommendation", _("Write the recommendation.")),
    ):
        if not getattr(report, name).strip():
            raise DomainError(message, field=name)
    report.facts = _facts(report.trajectory)
    report.status = EndReportStatus.FINAL
    report.finalised_on = timezone.localdate()
    report.finalised_by = by
    report.save(update_fields=["facts", "status", "finalised_on", "finalised_by"])
    audit(by, "reports.end_report.finalised", report, {"number": report.number})
    refresh_signals(report.trajectory)  # R-TRJ-4: end_report_due is met
    return report


@transaction.atomic
def trajectory_close(trajectory: Trajectory, *, expected_version: int, by: User) -> Trajectory:
    """Close a trajectory whose guidance ended — only with a final end report (R-END-1).

    A trajectory that reached its last day without a stop is recorded as ended at the end of
    its term (R-TRJ-4 "end of term").
    """
    lock_trajectory(trajectory, expected_version)
    _require_not_closed(trajectory)
    if not _ended(trajectory):
        raise DomainError(_("The trajectory still runs: stop it first, or wait for its last day."))
    if not trajectory.end_reports.filter(status=EndReportStatus.FINAL).exists():
        raise DomainError(
            _("A trajectory is closed only with a final end report (R-END-1)."),
            code="no_end_report",
        )
    fields = ["closed_on"]
    if trajectory.status != Status.STOPPED:
        trajectory.status = Status.STOPPED
        trajectory.stopped_on = last_day(trajectory)
        trajectory.stop_reason = StopReason.END_OF_TERM
        trajectory.phases.filter(end__isnull=True).update(end=trajectory.stopped_on)
        fields += ["status", "stopped_on", "stop_reason"]
    trajectory.closed_on = timezone.localdate()
    trajectory.save(update_fields=fields)
    audit(by, "reports.trajectory.closed", trajectory, {"closed_on": trajectory.closed_on})
    refresh_signals(trajectory)
    return trajectory
