"""The trajectory clock: planned end and every deadline of one trajectory, from a plain snapshot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from doorstroom.rules.deadlines import Deadline, DeadlineCode, make_deadline, sort_deadlines
from doorstroom.rules.periods import add_days, period_end
from doorstroom.rules.problems import Facts, Problem
from doorstroom.rules.rulesets import RuleSet


class TrajectoryKind(StrEnum):
    ART60 = "art60"
    WZ = "wz"


class Phase(StrEnum):
    PRE = "pre"
    ORIENTATION = "orientation"
    EXPERIENCE = "experience"
    OUTFLOW = "outflow"
    AFTERCARE = "aftercare"


class OutflowKind(StrEnum):
    NEC_JOB = "nec_job"
    SOCIAL_ECONOMY = "social_economy"
    TRAINING = "training"
    BENEFITS = "benefits"
    OTHER = "other"


# R-TRJ-10: outflow "to work" — a job in the NEC or in the social economy.
WORK_OUTFLOWS = frozenset({OutflowKind.NEC_JOB, OutflowKind.SOCIAL_ECONOMY})
_AFTER_ORIENTATION = frozenset({Phase.EXPERIENCE, Phase.OUTFLOW, Phase.AFTERCARE})
_PHASE_ORDER = {phase: index for index, phase in enumerate(Phase)}
_FOLLOWUP_CODES = (
    (3, DeadlineCode.FOLLOWUP_3M),
    (6, DeadlineCode.FOLLOWUP_6M),
    (12, DeadlineCode.FOLLOWUP_12M),
)


@dataclass(frozen=True)
class PhaseExtension:
    until: date
    motivation: str = ""


@dataclass(frozen=True)
class PhasePeriod:
    """One phase of a trajectory; `end` is its recorded last day once it is closed."""

    phase: Phase
    start: date
    planned_end: date | None = None
    end: date | None = None
    extensions: tuple[PhaseExtension, ...] = ()

    def last_day(self) -> date | None:
        """Return the recorded end, else the latest extension, else the planned end."""
        if self.end is not None:
            return self.end
        if self.extensions:
            return max(extension.until for extension in self.extensions)
        return self.planned_end


@dataclass(frozen=True)
class Suspension:
    """An inactivity period; `end` is its last day (None while it lasts)."""

    id: str
    start: date
    end: date | None = None
    reviewed_on: date | None = None


@dataclass(frozen=True)
class Placement:
    """A period at a workplace with the dates of its on-the-job follow-ups."""

    id: str
    start: date
    end: date | None = None
    followups: tuple[date, ...] = ()


@dataclass(frozen=True)
class EmploymentContract:
    """The art. 60 §7 employment contract (AO); `end` is its last day."""

    start: date
    end: date | None = None


@dataclass(frozen=True)
class Outflow:
    on: date
    kind: OutflowKind


@dataclass(frozen=True)
class TrajectorySnapshot:
    """The facts of one trajectory the clock needs; ids are opaque strings of the app layer.

    `start` is the trajectory start; for wz it is the VDAB referral date (R-TRJ-1). `stopped_on`
    is the last day of a stopped trajectory. `followups_recorded` holds the months (3, 6, 12)
    after the end at which outflow was measured again (R-END-2). `aftercare_until` is the day
    of the last aftercare contact held (R-TRJ-10).
    """

    id: str
    kind: TrajectoryKind
    start: date
    intake_date: date | None = None
    ao: EmploymentContract | None = None
    phases: tuple[PhasePeriod, ...] = ()
    suspensions: tuple[Suspension, ...] = ()
    evaluations: tuple[date, ...] = ()
    pop_versions: tuple[date, ...] = ()
    placements: tuple[Placement, ...] = ()
    outflow: Outflow | None = None
    stopped_on: date | None = None
    end_report_on: date | None = None
    followups_recorded: tuple[int, ...] = ()
    aftercare_until: date | None = None


def planned_end(trajectory: TrajectorySnapshot, ruleset: RuleSet) -> date:
    """Return the planned last day: the start + 24 months, whatever the suspensions."""
    # R-TRJ-1: wz runs 24 calendar months from the referral, cannot be extended, and suspensions
    # count inside it; art60 plans start + 2 years.
    rules = ruleset.trajectory
    months = rules.wz_months if trajectory.kind is TrajectoryKind.WZ else rules.art60_months
    return period_end(trajectory.start, months)


def guidance_end(trajectory: TrajectorySnapshot, ruleset: RuleSet) -> date:
    """Return the last day of guidance: the planned end, or a later end of a running art60 AO."""
    # R-TRJ-1: an art60 AO that still runs at the planned end extends guidance to its own end
    # (financed as R-FIN-3); this is not a violation. An AO without an end date extends nothing.
    end = planned_end(trajectory, ruleset)
    ao = trajectory.ao
    if trajectory.kind is TrajectoryKind.ART60 and ao and ao.start <= end and ao.end:
        return max(end, ao.end)
    return end


def last_day(trajectory: TrajectorySnapshot, ruleset: RuleSet) -> date:
    """Return the trajectory's last day: its stop, else the end of guidance."""
    # R-TRJ-1, R-TRJ-4: a stop ends the trajectory early; it never extends it.
    end = guidance_end(trajectory, ruleset)
    return min(trajectory.stopped_on, end) if trajectory.stopped_on else end


def is_ended(trajectory: TrajectorySnapshot, today: date, ruleset: RuleSet) -> bool:
    """Tell whether the trajectory is stopped or its last day is past."""
    return trajectory.stopped_on is not None or last_day(trajectory, ruleset) < today


def counts_after_end_facts(trajectory: TrajectorySnapshot, today: date, ruleset: RuleSet) -> bool:
    """Tell whether the follow-ups recorded and the aftercare held can change the deadlines.

    R-END-2: the outflow follow-ups are due only once the trajectory has ended
    (`_outflow_followups` runs only after the end); R-TRJ-10: aftercare only after an outflow
    to work (`_aftercare`). Before both, `followups_recorded` and `aftercare_until` may be left
    out of the snapshot without changing `trajectory_deadlines` (issue 11: the dossier's
    overview then does not read them).
    """
    to_work = trajectory.outflow is not None and trajectory.outflow.kind in WORK_OUTFLOWS
    return to_work or is_ended(trajectory, today, ruleset)


def ao_deadline(trajectory: TrajectorySnapshot, ruleset: RuleSet) -> date:
    """Return the last day on which an art60 AO starts in time."""
    # R-TRJ-2: the AO starts within 2 months of the trajectory start ("tijdig").
    return period_end(trajectory.start, ruleset.trajectory.ao_in_time_months)


def ao_in_time(trajectory: TrajectorySnapshot, ruleset: RuleSet) -> bool:
    """Tell whether the AO is recorded with a start on or before the AO deadline."""
    # R-TRJ-2
    ao = trajectory.ao
    return ao is not None and ao.start <= ao_deadline(trajectory, ruleset)


def current_phase(trajectory: TrajectorySnapshot, today: date) -> PhasePeriod | None:
    """Return the latest phase that started on or before `today`, if any."""
    started = [phase for phase in trajectory.phases if phase.start <= today]
    if not started:
        return None
    return max(started, key=lambda phase: (phase.start, _PHASE_ORDER[phase.phase]))


@dataclass(frozen=True)
class _Clock:
    trajectory: TrajectorySnapshot
    today: date
    ruleset: RuleSet

    def deadline(
        self,
        code: DeadlineCode,
        due: date,
        facts: Facts,
        subject: str | None = None,
        violation: bool = False,
    ) -> Deadline:
        start = ("start", self.trajectory.start.isoformat())
        return make_deadline(
            code,
            due,
            today=self.today,
            ruleset=self.ruleset,
            facts=(start, *facts),
            subject=subject,
            violation=violation,
        )


def _start(phase: PhasePeriod) -> date:
    return phase.start


def _orientation(clock: _Clock) -> Iterator[Deadline]:
    # R-TRJ-5: orientation lasts at most 1 month and ends with a continue/reorient decision.
    phases = clock.trajectory.phases
    orientation = min((p for p in phases if p.phase is Phase.ORIENTATION), default=None, key=_start)
    if any(p.phase in _AFTER_ORIENTATION for p in phases) or (orientation and orientation.end):
        return
    begin = orientation.start if orientation else clock.trajectory.start
    months = clock.ruleset.trajectory.orientation_months
    due = period_end(begin, months)
    yield clock.deadline(
        DeadlineCode.ORIENTATION_END,
        due,
        (("orientation_start", begin.isoformat()), ("months", str(months))),
    )


def _ao(clock: _Clock) -> Iterator[Deadline]:
    # R-TRJ-2 (and R-FIN-1): an art60 AO starts within 2 months; a later start is flagged.
    trajectory = clock.trajectory
    if trajectory.kind is not TrajectoryKind.ART60:
        return
    deadline = ao_deadline(trajectory, clock.ruleset)
    facts: Facts = (
        ("months", str(clock.ruleset.trajectory.ao_in_time_months)),
        ("ao_deadline", deadline.isoformat()),
    )
    if trajectory.ao is None:
        yield clock.deadline(DeadlineCode.AO_START_DUE, deadline, facts)
    elif trajectory.ao.start > deadline:
        ao_start = trajectory.ao.start
        yield clock.deadline(
            DeadlineCode.AO_NOT_IN_TIME,
            ao_start,
            (*facts, ("ao_start", ao_start.isoformat())),
            violation=True,
        )


def _suspension_reviews(clock: _Clock) -> Iterator[Deadline]:
    # R-TRJ-3: an art60 suspension longer than 3 months is reviewed (continue or stop) on its
    # start + 3 months, while it lasts; wz suspensions have no review rule.
    if clock.trajectory.kind is not TrajectoryKind.ART60:
        return
    months = clock.ruleset.trajectory.suspension_review_months
    for suspension in clock.trajectory.suspensions:
        due = period_end(suspension.start, months)
        end = suspension.end
        lasting = end is None or (end > due and end >= clock.today)
        if lasting and suspension.reviewed_on is None:
            facts: Facts = (
                ("suspension_start", suspension.start.isoformat()),
                ("months", str(months)),
            )
            if end is not None:
                facts += (("suspension_end", end.isoformat()),)
            yield clock.deadline(DeadlineCode.SUSPENSION_REVIEW, due, facts, suspension.id)


def _pop(clock: _Clock) -> Iterator[Deadline]:
    # R-TRJ-7: a POP version within 1 month of the start, and a newer one within 30 days after
    # every evaluation (only the last evaluation matters: its POP covers the earlier ones).
    trajectory, rules = clock.trajectory, clock.ruleset.trajectory
    if not trajectory.pop_versions:
        months = rules.pop_after_start_months
        due = period_end(trajectory.start, months)
        yield clock.deadline(DeadlineCode.POP_DUE, due, (("months", str(months)),))
    if trajectory.evaluations:
        evaluated = max(trajectory.evaluations)
        if not any(version >= evaluated for version in trajectory.pop_versions):
            days = rules.pop_after_evaluation_days
            facts = (("last_evaluation", evaluated.isoformat()), ("days", str(days)))
            yield clock.deadline(DeadlineCode.POP_DUE, add_days(evaluated, days), facts)


def _evaluation(clock: _Clock) -> Iterator[Deadline]:
    # R-TRJ-6: due = the earlier of the current phase's end and the last evaluation (or the
    # start) + 6 months. An evaluation on or after the phase end satisfies the phase term.
    trajectory = clock.trajectory
    months = clock.ruleset.trajectory.evaluation_interval_months
    last = max(trajectory.evaluations, default=None)
    base = last or trajectory.start
    due = period_end(base, months)
    facts: Facts = (("last_evaluation", last.isoformat() if last else ""), ("months", str(months)))
    phase = current_phase(trajectory, clock.today)
    phase_end = phase.last_day() if phase and phase.phase is not Phase.PRE else None
    if phase and phase_end and (last is None or last < phase_end):
        facts += (("phase", phase.phase.value), ("phase_end", phase_end.isoformat()))
        due = min(due, phase_end)
    yield clock.deadline(DeadlineCode.EVALUATION_DUE, due, facts)


def _placement_followups(clock: _Clock) -> Iterator[Deadline]:
    # R-TRJ-8: every placement gets an on-the-job follow-up before it ends; an open-ended
    # placement is due by the trajectory's last day.
    for placement in clock.trajectory.placements:
        if any(day >= placement.start for day in placement.followups):
            continue
        due = placement.end or last_day(clock.trajectory, clock.ruleset)
        facts = (
            ("placement_start", placement.start.isoformat()),
            ("placement_end", placement.end.isoformat() if placement.end else ""),
        )
        yield clock.deadline(DeadlineCode.PLACEMENT_FOLLOWUP_DUE, due, facts, placement.id)


def _trajectory_end(clock: _Clock) -> Iterator[Deadline]:
    # R-TRJ-1: the last day of guidance (art60: later than the planned end while the AO runs).
    trajectory, ruleset = clock.trajectory, clock.ruleset
    planned = planned_end(trajectory, ruleset)
    facts: Facts = (("kind", trajectory.kind.value), ("planned_end", planned.isoformat()))
    end = guidance_end(trajectory, ruleset)
    if end != planned and trajectory.ao and trajectory.ao.end:
        facts += (("ao_end", trajectory.ao.end.isoformat()),)
    yield clock.deadline(DeadlineCode.TRAJECTORY_END, end, facts)


def _end_report(clock: _Clock) -> Iterator[Deadline]:
    # R-TRJ-4, R-END-1: a motivated end report on the day of the stop or end.
    trajectory = clock.trajectory
    if trajectory.end_report_on is None:
        end = last_day(trajectory, clock.ruleset)
        facts: Facts = (("last_day", end.isoformat()),)
        if trajectory.stopped_on:
            facts += (("stopped_on", trajectory.stopped_on.isoformat()),)
        yield clock.deadline(DeadlineCode.END_REPORT_DUE, end, facts)


def _aftercare(clock: _Clock) -> Iterator[Deadline]:
    # R-TRJ-10: aftercare lasts at least 6 months after outflow to work. It is done when its
    # phase closes, or when aftercare contacts were held up to that day (after a stop at the
    # outflow there is no phase left to close).
    outflow = clock.trajectory.outflow
    if outflow is None or outflow.kind not in WORK_OUTFLOWS:
        return
    phases = clock.trajectory.phases
    if any(p.phase is Phase.AFTERCARE and p.end is not None for p in phases):
        return
    months = clock.ruleset.trajectory.aftercare_months
    due = period_end(outflow.on, months)
    held = clock.trajectory.aftercare_until
    if held is not None and held >= due:
        return
    facts = (("outflow", outflow.on.isoformat()), ("outflow_kind", outflow.kind.value))
    yield clock.deadline(DeadlineCode.AFTERCARE_END, due, (*facts, ("months", str(months))))


def _outflow_followups(clock: _Clock) -> Iterator[Deadline]:
    # R-END-2: outflow is measured again 3, 6 and 12 months after the end.
    end = last_day(clock.trajectory, clock.ruleset)
    for months, code in _FOLLOWUP_CODES:
        if months not in clock.trajectory.followups_recorded:
            facts = (("last_day", end.isoformat()), ("months", str(months)))
            yield clock.deadline(code, period_end(end, months), facts)


_Rule = Callable[[_Clock], Iterator[Deadline]]
_WHILE_RUNNING: tuple[_Rule, ...] = (
    _orientation,
    _ao,
    _suspension_reviews,
    _pop,
    _evaluation,
    _placement_followups,
)
_AT_END: tuple[_Rule, ...] = (_trajectory_end, _end_report, _aftercare)
_AFTER_END: tuple[_Rule, ...] = (_end_report, _outflow_followups, _aftercare)


def trajectory_deadlines(
    trajectory: TrajectorySnapshot, today: date, ruleset: RuleSet
) -> tuple[Deadline, ...]:
    """Return every deadline of `trajectory` as of `today`, sorted (see `sort_deadlines`).

    A stopped or ended trajectory gives only what applies after its end: the end report, the
    outflow follow-ups and aftercare. While it runs, deadlines after its last day are left out.
    """
    clock = _Clock(trajectory, today, ruleset)
    if is_ended(trajectory, today, ruleset):
        return sort_deadlines(d for rule in _AFTER_END for d in rule(clock))
    end = last_day(trajectory, ruleset)
    running = (d for rule in _WHILE_RUNNING for d in rule(clock) if d.due <= end)
    return sort_deadlines([*running, *(d for rule in _AT_END for d in rule(clock))])


def stop_problems(trajectory: TrajectorySnapshot, stop_on: date) -> tuple[Problem, ...]:
    """Return why `trajectory` cannot be stopped with `stop_on` as its last day, if anything."""
    # R-TRJ-3: an art60 trajectory is stopped only together with its AO: the AO ends by then.
    ao = trajectory.ao
    if trajectory.kind is TrajectoryKind.ART60 and ao and (ao.end is None or ao.end > stop_on):
        actual = ao.end.isoformat() if ao.end else "open"
        return (Problem("ao_still_running", "R-TRJ-3", stop_on.isoformat(), actual),)
    return ()


def trajectory_problems(trajectory: TrajectorySnapshot) -> tuple[Problem, ...]:
    """Return the rule breaches in the recorded facts that are not deadlines."""
    problems: list[Problem] = []
    # R-INT-4: a trajectory cannot start before its intake was assessed.
    if trajectory.intake_date and trajectory.intake_date > trajectory.start:
        limit, actual = trajectory.start.isoformat(), trajectory.intake_date.isoformat()
        problems.append(Problem("intake_after_start", "R-INT-4", limit, actual))
    if trajectory.stopped_on:
        problems.extend(stop_problems(trajectory, trajectory.stopped_on))
    return tuple(problems)
