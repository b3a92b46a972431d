"""Writes on trajectories (R-INT-3/4, R-TRJ-1..12): each a transaction with its audit event.

Every action re-checks the trajectory's version (optimistic locking), applies the rule,
audits, and refreshes the denormalised deadline columns the caseload sorts on.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.accounts.models import Organisation, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients.models import Client, Income, Intake, IntakeDecision, Referral
from doorstroom.core.audit import audit, diff
from doorstroom.core.errors import DomainError
from doorstroom.core.locking import lock, save_versioned
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.text import short_date
from doorstroom.rules import clock, eligibility
from doorstroom.rules.periods import add_days, period_end
from doorstroom.trajectories import deadlines
from doorstroom.trajectories.choices import (
    HandoverKind,
    OrientationDecision,
    Phase,
    RvaStatus,
    Status,
    TrajectoryKind,
)
from doorstroom.trajectories.models import (
    EmploymentContract,
    Handover,
    PhaseExtension,
    Suspension,
    Trajectory,
    TrajectoryMember,
    TrajectoryPhase,
)
from doorstroom.trajectories.selectors import with_clock

PHASE_ORDER = [Phase.PRE, Phase.ORIENTATION, Phase.EXPERIENCE, Phase.OUTFLOW, Phase.AFTERCARE]


def refresh_signals(trajectory: Trajectory, today: datetime.date | None = None) -> None:
    """Recompute the trajectory's deadlines and store the caseload columns."""
    today = today or timezone.localdate()
    fresh = with_clock(Trajectory.objects.filter(pk=trajectory.pk)).get()
    columns = deadlines.signal_columns(deadlines.deadlines_of(fresh, today), today)
    Trajectory.objects.filter(pk=trajectory.pk).update(**columns)
    for name, value in columns.items():
        setattr(trajectory, name, value)


def _lock(trajectory: Trajectory, expected_version: int | None) -> None:
    """Refuse a stale action and bump the version so that parallel actions conflict."""
    lock(trajectory, expected_version)


def _require_open(trajectory: Trajectory) -> None:
    if trajectory.status == Status.STOPPED:
        raise DomainError(_("This trajectory is stopped; it can no longer be changed."))


def _phase_planned_end(phase: str, start: datetime.date, trajectory_start: datetime.date) -> Any:
    ruleset = ruleset_on(trajectory_start)
    if phase == Phase.ORIENTATION:
        # R-TRJ-5: orientation lasts at most 1 month.
        return period_end(start, ruleset.trajectory.orientation_months)
    if phase == Phase.EXPERIENCE:
        # R-TRJ-5: a phase step typically lasts up to 6 months (then evaluate and extend).
        return period_end(start, ruleset.trajectory.evaluation_interval_months)
    return None


def _is_coach_at(user: User, organisation: Organisation) -> bool:
    return organisation.pk in user.organisation_ids(Role.COACH)


def lead_roles(organisation: Organisation) -> tuple[Role, ...]:
    """The roles that may lead a trajectory handed over or transferred to ``organisation``.

    VDAB's trajectbegeleiders are counsellors in our role model: at VDAB a counsellor may take
    over as lead coach (a transfer after a move, R-TRJ-9); elsewhere only a coach may.
    """
    if organisation.kind == OrganisationKind.VDAB:
        return (Role.COACH, Role.COUNSELLOR)
    return (Role.COACH,)


def may_lead(user: User, organisation: Organisation) -> bool:
    """Tell whether ``user`` may become the lead coach of a trajectory at ``organisation``."""
    return any(organisation.pk in user.organisation_ids(role) for role in lead_roles(organisation))


@transaction.atomic
def trajectory_start(
    client: Client,
    *,
    kind: str,
    start: datetime.date | None,
    intake: Intake,
    coach: User,
    organisation: Organisation,
    referral: Referral | None = None,
    first_phase: str = Phase.ORIENTATION,
    by: User,
) -> Trajectory:
    """Start a trajectory of ``kind`` for ``client`` after a positive intake."""
    if client.trajectories.exclude(status=Status.STOPPED).exists():
        raise DomainError(_("This client already has a running trajectory."))
    if intake.client_id != client.pk or intake.decision != IntakeDecision.ELIGIBLE:
        raise DomainError(
            _("A trajectory starts only after an intake decided that the client enters TWE."),
            field="intake",
        )
    if kind == TrajectoryKind.WZ:
        # R-TRJ-1: a wz trajectory starts on the VDAB referral date.
        if referral is None:
            raise DomainError(
                _("A TWE-wz trajectory needs the VDAB referral it comes from."), field="referral"
            )
        start = referral.referred_on
    if start is None:
        raise DomainError(_("Enter the start date."), field="start")
    # R-INT-3: entry conditions per kind.
    problems = eligibility.entry_problems(
        clock.TrajectoryKind(kind),
        leefloon_entitled=client.income == Income.LEEFLOON,
        registered_job_seeker=bool(
            client.vdab_registration_date and client.vdab_registration_date <= start
        ),
        referral_date=referral.referred_on if referral else None,
    )
    messages = {
        "no_leefloon_entitlement": _(
            "An art60 trajectory needs a client entitled to leefloon (or equivalent): "
            "change the client's income first."
        ),
        "not_registered_job_seeker": _(
            "An art60 trajectory needs a client registered as job seeker at VDAB on the start "
            "date: fill in the VDAB registration date first."
        ),
        "no_vdab_referral": _("A TWE-wz trajectory needs the VDAB referral it comes from."),
    }
    if problems:
        raise DomainError(messages[problems[0].code], field="kind", code=problems[0].code)
    # R-INT-4: not before the intake was assessed.
    if intake.assessed_on > start:
        raise DomainError(
            _("The trajectory cannot start before the intake of %(date)s.")
            % {"date": short_date(intake.assessed_on)},
            field="start",
        )
    if not _is_coach_at(coach, organisation):
        raise DomainError(
            _("%(coach)s is not a coach at %(organisation)s.")
            % {"coach": coach.full_name, "organisation": organisation.name},
            field="coach",
        )
    trajectory = Trajectory.objects.create(
        client=client,
        kind=kind,
        organisation=organisation,
        coach=coach,
        intake=intake,
        referral=referral,
        start=start,
        phase=first_phase,
    )
    TrajectoryPhase.objects.create(
        trajectory=trajectory,
        phase=first_phase,
        start=start,
        planned_end=_phase_planned_end(first_phase, start, start),
    )
    # R-TRJ-9: the start is the first handover; the referral's note stays with it.
    Handover.objects.create(
        trajectory=trajectory,
        kind=HandoverKind.START,
        on=start,
        from_coach=referral.referred_by if referral else None,
        to_coach=coach,
        from_organisation=referral.from_organisation if referral else None,
        to_organisation=organisation,
        note=referral.context if referral else _("Started after the intake."),
        by=by,
    )
    audit(by, "trajectories.trajectory.started", trajectory, {"kind": kind, "start": start})
    refresh_signals(trajectory)
    return trajectory


@transaction.atomic
def phase_change(
    trajectory: Trajectory,
    *,
    phase: str,
    on: datetime.date,
    decision: str = "",
    decided_by: str = "",
    note: str = "",
    expected_version: int,
    by: User,
) -> TrajectoryPhase:
    """Close the current phase the day before ``on`` and open ``phase`` (R-TRJ-5)."""
    _require_open(trajectory)
    _lock(trajectory, expected_version)
    current = trajectory.phases.filter(end__isnull=True).order_by("-start").first()
    if phase == trajectory.phase:
        raise DomainError(_("The trajectory is already in this phase."), field="phase")
    if on < trajectory.start or (current and on <= current.start):
        raise DomainError(
            _("The new phase must start after the current phase started."), field="on"
        )
    if current and current.phase == Phase.ORIENTATION:
        # R-TRJ-5: orientation ends with a decision to continue or reorient, by VDAB/team lead.
        if decision not in OrientationDecision.values:
            raise DomainError(
                _("Record the decision after the orientation: continue or reorient."),
                field="decision",
            )
        if not decided_by.strip():
            raise DomainError(_("Say who decided (VDAB or the team lead)."), field="decided_by")
        current.decision = decision
        current.decided_by = decided_by.strip()
    if current:
        current.end = add_days(on, -1)
        current.note = (current.note + "\n" + note).strip() if note else current.note
        current.save(update_fields=["end", "decision", "decided_by", "note"])
    new = TrajectoryPhase.objects.create(
        trajectory=trajectory,
        phase=phase,
        start=on,
        planned_end=_phase_planned_end(phase, on, trajectory.start),
    )
    trajectory.phase = phase
    trajectory.save(update_fields=["phase"])
    audit(
        by,
        "trajectories.phase.changed",
        trajectory,
        {"phase": [current.phase if current else "", phase], "on": on, "decision": decision},
    )
    refresh_signals(trajectory)
    return new


@transaction.atomic
def phase_extend(
    phase: TrajectoryPhase,
    *,
    until: datetime.date,
    motivation: str,
    expected_version: int,
    by: User,
) -> PhaseExtension:
    """Extend a phase step for a limited time, with a motivation (R-TRJ-5)."""
    trajectory = phase.trajectory
    _require_open(trajectory)
    _lock(trajectory, expected_version)
    if phase.end is not None:
        raise DomainError(_("This phase is closed; only the current phase can be extended."))
    if not motivation.strip():
        raise DomainError(
            _("Motivate the extension; the POP is adjusted to it."), field="motivation"
        )
    current_last = max(
        [e.until for e in phase.extensions.all()] + [phase.planned_end or phase.start]
    )
    if until <= current_last:
        raise DomainError(
            _("Extend beyond the current end (%(date)s).") % {"date": short_date(current_last)},
            field="until",
        )
    extension = PhaseExtension.objects.create(
        phase=phase, until=until, motivation=motivation.strip(), by=by
    )
    audit(by, "trajectories.phase.extended", trajectory, {"phase": phase.phase, "until": until})
    refresh_signals(trajectory)
    return extension


def _open_suspension(trajectory: Trajectory) -> Suspension | None:
    return trajectory.suspensions.filter(end__isnull=True).first()


def _status_for(trajectory: Trajectory, today: datetime.date) -> str:
    if trajectory.stopped_on:
        return Status.STOPPED
    for s in trajectory.suspensions.all():
        if s.start <= today and (s.end is None or s.end >= today):
            return Status.SUSPENDED
    return Status.RUNNING


@transaction.atomic
def suspension_start(
    trajectory: Trajectory,
    *,
    start: datetime.date,
    reason: str,
    end: datetime.date | None = None,
    expected_version: int,
    by: User,
) -> Suspension:
    """Suspend a trajectory with a reason (R-TRJ-3 for art60; wz: inside the 24 months)."""
    _require_open(trajectory)
    _lock(trajectory, expected_version)
    if not reason.strip():
        raise DomainError(_("Give the reason for the suspension."), field="reason")
    if start < trajectory.start:
        raise DomainError(
            _("A suspension cannot start before the trajectory (%(date)s).")
            % {"date": short_date(trajectory.start)},
            field="start",
        )
    if end is not None and end < start:
        raise DomainError(_("The end of the suspension lies before its start."), field="end")
    if _open_suspension(trajectory) is not None:
        raise DomainError(_("The trajectory is already suspended: end that suspension first."))
    overlapping = trajectory.suspensions.filter(start__lte=end or datetime.date.max, end__gte=start)
    if overlapping.exists():
        raise DomainError(_("This period overlaps an earlier suspension."), field="start")
    suspension = Suspension.objects.create(
        trajectory=trajectory, start=start, end=end, reason=reason.strip(), by=by
    )
    trajectory.status = _status_for(trajectory, timezone.localdate())
    trajectory.save(update_fields=["status"])
    audit(
        by,
        "trajectories.suspension.started",
        trajectory,
        {"start": start, "end": end, "reason": suspension.reason},
    )
    refresh_signals(trajectory)
    return suspension


@transaction.atomic
def suspension_end(
    suspension: Suspension, *, end: datetime.date, expected_version: int, by: User
) -> Suspension:
    """Resume: record the last day of the suspension."""
    trajectory = suspension.trajectory
    _require_open(trajectory)
    _lock(trajectory, expected_version)
    if end < suspension.start:
        raise DomainError(
            _("The end of the suspension lies before its start (%(date)s).")
            % {"date": short_date(suspension.start)},
            field="end",
        )
    suspension.end = end
    suspension.save(update_fields=["end"])
    trajectory.status = _status_for(trajectory, timezone.localdate())
    trajectory.save(update_fields=["status"])
    audit(by, "trajectories.suspension.ended", trajectory, {"start": suspension.start, "end": end})
    refresh_signals(trajectory)
    return suspension


@transaction.atomic
def suspension_review(
    suspension: Suspension, *, on: datetime.date, note: str, expected_version: int, by: User
) -> Suspension:
    """R-TRJ-3: after 3 months the dossier is reviewed; the decision to continue is recorded."""
    trajectory = suspension.trajectory
    _require_open(trajectory)
    _lock(trajectory, expected_version)
    if not note.strip():
        raise DomainError(_("Write why the suspension continues."), field="note")
    if on < suspension.start:
        raise DomainError(_("The review cannot be before the suspension started."), field="on")
    suspension.reviewed_on = on
    suspension.review_note = note.strip()
    suspension.save(update_fields=["reviewed_on", "review_note"])
    audit(by, "trajectories.suspension.reviewed", trajectory, {"on": on})
    refresh_signals(trajectory)
    return suspension


@transaction.atomic
def trajectory_stop(
    trajectory: Trajectory,
    *,
    on: datetime.date,
    reason: str,
    motivation: str,
    expected_version: int,
    by: User,
) -> Trajectory:
    """Stop a trajectory (R-TRJ-4); art60 only together with its AO (R-TRJ-3)."""
    _require_open(trajectory)
    _lock(trajectory, expected_version)
    if not reason:
        raise DomainError(_("Choose the reason for the stop."), field="reason")
    if not motivation.strip():
        raise DomainError(_("Motivate the stop."), field="motivation")
    if on < trajectory.start:
        raise DomainError(_("A trajectory cannot stop before it started."), field="on")
    contract = deadlines.contract_of(trajectory)
    snap = clock.TrajectorySnapshot(
        id=str(trajectory.pk),
        kind=clock.TrajectoryKind(trajectory.kind),
        start=trajectory.start,
        ao=clock.EmploymentContract(contract.start, contract.end) if contract else None,
    )
    if clock.stop_problems(snap, on):
        raise DomainError(
            _(
                "An art60 trajectory stops only together with its employment contract: "
                "end the AO first (on or before %(date)s)."
            )
            % {"date": short_date(on)},
            field="on",
            code="ao_still_running",
        )
    open_suspension = _open_suspension(trajectory)
    if open_suspension is not None:
        open_suspension.end = max(on, open_suspension.start)
        open_suspension.save(update_fields=["end"])
    trajectory.phases.filter(end__isnull=True).update(end=on)
    trajectory.status = Status.STOPPED
    trajectory.stopped_on = on
    trajectory.stop_reason = reason
    trajectory.stop_motivation = motivation.strip()
    trajectory.save(update_fields=["status", "stopped_on", "stop_reason", "stop_motivation"])
    audit(
        by,
        "trajectories.trajectory.stopped",
        trajectory,
        {"on": on, "reason": reason, "motivation": trajectory.stop_motivation},
    )
    refresh_signals(trajectory)  # R-TRJ-4: the end report is now due
    return trajectory


@transaction.atomic
def trajectory_handover(
    trajectory: Trajectory,
    *,
    to_coach: User,
    note: str,
    on: datetime.date,
    to_organisation: Organisation | None = None,
    expected_version: int,
    by: User,
) -> Handover:
    """Hand the trajectory to another coach, or transfer it to another organisation (R-TRJ-9).

    A transfer after a move keeps the clock unchanged (R-TRJ-1): only coach and organisation
    change. The current coach, and team leads of the organisation, may hand over. At VDAB a
    counsellor may take over as lead coach (``lead_roles``).
    """
    _require_open(trajectory)
    _lock(trajectory, expected_version)
    organisation = to_organisation or trajectory.organisation
    allowed = trajectory.coach_id == by.pk or trajectory.organisation_id in by.organisation_ids(
        Role.TEAM_LEAD
    )
    if not allowed:
        raise DomainError(_("Only the lead coach or a team lead can hand this trajectory over."))
    if not note.strip():
        raise DomainError(_("Write a handover note for the new coach."), field="note")
    if not may_lead(to_coach, organisation):
        message = (
            _("%(coach)s is neither a coach nor a counsellor at %(organisation)s.")
            if Role.COUNSELLOR in lead_roles(organisation)
            else _("%(coach)s is not a coach at %(organisation)s.")
        )
        raise DomainError(
            message % {"coach": to_coach.full_name, "organisation": organisation.name},
            field="to_coach",
        )
    if to_coach.pk == trajectory.coach_id and organisation.pk == trajectory.organisation_id:
        raise DomainError(_("This coach already leads the trajectory."), field="to_coach")
    if on < trajectory.start:
        raise DomainError(_("A handover cannot be before the start."), field="on")
    kind = (
        HandoverKind.TRANSFER
        if organisation.pk != trajectory.organisation_id
        else HandoverKind.COACH
    )
    handover = Handover.objects.create(
        trajectory=trajectory,
        kind=kind,
        on=on,
        from_coach_id=trajectory.coach_id,
        to_coach=to_coach,
        from_organisation_id=trajectory.organisation_id,
        to_organisation=organisation,
        note=note.strip(),
        by=by,
    )
    changes = diff(trajectory, {"coach": to_coach, "organisation": organisation})
    trajectory.coach = to_coach
    trajectory.organisation = organisation
    trajectory.save(update_fields=["coach", "organisation"])
    action = (
        "trajectories.trajectory.transferred"
        if kind == HandoverKind.TRANSFER
        else ("trajectories.trajectory.handed_over")
    )
    audit(by, action, trajectory, changes)
    return handover


@transaction.atomic
def member_add(
    trajectory: Trajectory, *, user: User, role: str, since: datetime.date, by: User
) -> TrajectoryMember:
    """R-TRJ-12: another professional joins a mixed trajectory with a role."""
    _require_open(trajectory)
    if user.pk == trajectory.coach_id:
        raise DomainError(_("The lead coach is already on the trajectory."), field="user")
    if trajectory.members.filter(user=user, until__isnull=True).exists():
        raise DomainError(_("This professional is already a member."), field="user")
    member = TrajectoryMember.objects.create(
        trajectory=trajectory, user=user, role=role, since=since
    )
    audit(by, "trajectories.member.added", trajectory, {"user": user.pk, "role": role})
    return member


@transaction.atomic
def member_remove(member: TrajectoryMember, *, on: datetime.date, by: User) -> None:
    member.until = on
    member.save(update_fields=["until"])
    audit(by, "trajectories.member.removed", member.trajectory, {"user": member.user_id})


CONTRACT_FIELDS = (
    "start",
    "end",
    "weekly_hours",
    "full_time_weekly_hours",
    "third_party_user",
    "days_credited",
    "rva_status",
    "rva_days",
    "rva_end",
)


def _clean_contract(trajectory: Trajectory, values: dict[str, Any]) -> None:
    if trajectory.kind != TrajectoryKind.ART60:
        raise DomainError(_("Only an art60 trajectory has an art. 60 employment contract."))
    if values["start"] < trajectory.start:
        raise DomainError(
            _("The AO cannot start before the trajectory (%(date)s).")
            % {"date": short_date(trajectory.start)},
            field="start",
        )
    if values.get("end") and values["end"] < values["start"]:
        raise DomainError(_("The end of the AO lies before its start."), field="end")
    if values["weekly_hours"] > values["full_time_weekly_hours"]:
        raise DomainError(_("The hours per week exceed a full-time week."), field="weekly_hours")
    if values.get("rva_status") == RvaStatus.ANSWERED and not (
        values.get("rva_days") and values.get("rva_end")
    ):
        raise DomainError(
            _("Enter the days to work and the end date from the RVA answer."), field="rva_days"
        )


@transaction.atomic
def contract_save(
    trajectory: Trajectory,
    *,
    data: dict[str, Any],
    expected_version: int | None,
    by: User,
) -> EmploymentContract:
    """Register or change the art. 60 employment contract (AO) (R-TRJ-2, R-A60-1)."""
    _require_open(trajectory)
    values: dict[str, Any] = {name: data.get(name) for name in CONTRACT_FIELDS if name in data}
    values["third_party_user"] = (values.get("third_party_user") or "").strip()
    _clean_contract(trajectory, values)
    changes: dict[str, Any]
    contract = deadlines.contract_of(trajectory)
    if contract is None:
        contract = EmploymentContract.objects.create(trajectory=trajectory, **values)
        action, changes = "trajectories.contract.registered", {**values}
    else:
        if expected_version is None:
            raise DomainError(_("Reload the page: the contract was registered meanwhile."))
        changes = {**diff(contract, values)}
        for name, value in values.items():
            setattr(contract, name, value)
        save_versioned(contract, expected_version=expected_version, update_fields=list(values))
        action = "trajectories.contract.changed"
    _lock(trajectory, None)
    audit(by, action, trajectory, changes)
    refresh_signals(trajectory)
    return contract


@transaction.atomic
def contract_end(
    contract: EmploymentContract,
    *,
    end: datetime.date,
    reason: str,
    expected_version: int,
    by: User,
) -> EmploymentContract:
    """Record that the AO ended (its last day) and why."""
    trajectory = contract.trajectory
    _require_open(trajectory)
    if end < contract.start:
        raise DomainError(_("The end of the AO lies before its start."), field="end")
    if not reason.strip():
        raise DomainError(_("Say why the contract ended."), field="end_reason")
    contract.end = end
    contract.end_reason = reason.strip()
    save_versioned(contract, expected_version=expected_version, update_fields=["end", "end_reason"])
    # The AO's end changes the trajectory's clock: a form opened before it is stale.
    _lock(trajectory, None)
    audit(
        by, "trajectories.contract.ended", trajectory, {"end": end, "reason": contract.end_reason}
    )
    refresh_signals(trajectory)
    return contract


def refresh_all(today: datetime.date | None = None, batch: int = 500) -> int:
    """Recompute the caseload columns of every trajectory (daily, from ``send_digests``)."""
    today = today or timezone.localdate()
    count = 0
    queryset = with_clock(Trajectory.objects.order_by("pk"))
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last)[:batch])
        if not rows:
            return count
        for trajectory in rows:
            status = _status_for(trajectory, today)
            columns = deadlines.signal_columns(deadlines.deadlines_of(trajectory, today), today)
            Trajectory.objects.filter(pk=trajectory.pk).update(status=status, **columns)
            count += 1
        last = rows[-1].pk


def lock_trajectory(trajectory: Trajectory, expected_version: int | None = None) -> None:
    """Serialise a write on a trajectory's children (placements, …) with its other writes.

    Call inside the caller's transaction: refuses a stale version, bumps it (R-TRJ optimistic
    locking), so two coaches acting on the same trajectory at once cannot both succeed.
    """
    _lock(trajectory, expected_version)
