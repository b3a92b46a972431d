"""The dated story of one synthetic trajectory (``generate_load``), and its caseload columns.

Pure Python: from a trajectory's skeleton (kind, start, stop) and a seeded ``random.Random``
it plans phases, the AO, suspensions, placements with follow-ups, POP versions, evaluations,
journal days and the end (outflow, end report, follow-ups, aftercare). ``signal_columns``
feeds that story to the rules core exactly as ``trajectories.deadlines.deadlines_of`` does with
the rows, so the denormalised columns equal what ``refresh_signals`` would store.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from doorstroom.core.regulation import ruleset_on
from doorstroom.rules import clock
from doorstroom.rules.deadlines import Deadline, consent_expiry
from doorstroom.rules.periods import add_days, period_end
from doorstroom.rules.rulesets import RuleSet
from doorstroom.trajectories import deadlines

ART60 = clock.TrajectoryKind.ART60.value
WZ = clock.TrajectoryKind.WZ.value

STOP_REASONS = [
    ("outflow_to_work", 40),
    ("drop_out", 15),
    ("end_of_term", 15),
    ("illness", 10),
    ("referral_elsewhere", 8),
    ("not_eligible", 7),
    ("move", 5),
]
# R-END-2: where the client went, by the reason of the stop.
OUTFLOW_KINDS = {
    "outflow_to_work": ("nec_job", "nec_job", "social_economy"),
    "end_of_term": ("benefits", "training", "social_economy", "other"),
}
WORK_OUTFLOWS = ("nec_job", "social_economy")


@dataclass
class Skeleton:
    """What is decided before the details: the client, organisation, kind, start and stop."""

    client: int  # index of the client among all clients
    organisation: int  # Organisation pk
    kind: str
    start: datetime.date
    stop: datetime.date | None
    coach: int = 0  # User pk of the lead coach


@dataclass
class PhasePlan:
    phase: str
    start: datetime.date
    planned_end: datetime.date | None
    end: datetime.date | None = None
    decision: str = ""
    extensions: list[datetime.date] = field(default_factory=list)


@dataclass
class PlacementPlan:
    start: datetime.date
    planned_end: datetime.date | None
    end: datetime.date | None
    end_reason: str
    followups: list[datetime.date]
    regime: str


@dataclass
class VersionPlan:
    number: int
    day: datetime.date
    competences: list[tuple[int, int, int]]  # competence index, current level, target level
    after_evaluation: int | None = None  # index into Story.evaluations


@dataclass
class EvaluationPlan:
    kind: str
    planned_on: datetime.date
    held_on: datetime.date | None
    version: int | None = None  # index into Story.versions
    placement: int | None = None  # index into Story.placements


@dataclass
class Story:
    skeleton: Skeleton
    today: datetime.date
    status: str = "running"
    phase: str = "orientation"
    stop_reason: str = ""
    phases: list[PhasePlan] = field(default_factory=list)
    ao: tuple[datetime.date, datetime.date | None] | None = None
    suspensions: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    placements: list[PlacementPlan] = field(default_factory=list)
    versions: list[VersionPlan] = field(default_factory=list)
    evaluations: list[EvaluationPlan] = field(default_factory=list)
    journal: list[datetime.date] = field(default_factory=list)
    outflow: tuple[datetime.date, str] | None = None
    end_report_on: datetime.date | None = None
    followups: list[int] = field(default_factory=list)
    aftercare: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    consent_until: datetime.date | None = None

    @property
    def horizon(self) -> datetime.date:
        """The last day anything happened: the stop, else today."""
        return self.skeleton.stop or self.today

    @property
    def days(self) -> int:
        return (self.horizon - self.skeleton.start).days


@lru_cache(maxsize=4096)
def _ruleset(day: datetime.date) -> RuleSet:
    return ruleset_on(day)


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return add_days(first, rng.randint(0, max(0, (last - first).days)))


def plan(skeleton: Skeleton, today: datetime.date, rng: random.Random, n_comp: int) -> Story:
    """Plan every dated event of one trajectory."""
    story = Story(skeleton, today)
    _plan_end(story, rng)
    _plan_phases(story, rng)
    _plan_ao(story, rng)
    _plan_suspensions(story, rng)
    _plan_placements(story, rng)
    _plan_development(story, rng, n_comp)
    _plan_aftercare(story, rng)
    story.journal = sorted(
        _between(rng, skeleton.start, story.horizon) for _ in range(1 + story.days // 120)
    )
    story.consent_until = add_days(skeleton.start, rng.choice((365, 730, 730, 1095)))
    return story


def _plan_end(story: Story, rng: random.Random) -> None:
    stop = story.skeleton.stop
    if stop is None:
        if story.days > 300 and rng.random() < 0.05:
            # Out to work, still in aftercare (R-TRJ-10).
            story.outflow = (add_days(story.today, -rng.randint(10, 150)), "nec_job")
        return
    story.status = "stopped"
    reasons, weights = zip(*STOP_REASONS, strict=True)
    story.stop_reason = rng.choices(reasons, weights)[0]
    kinds = OUTFLOW_KINDS.get(story.stop_reason, ("benefits", "other", "training"))
    story.outflow = (stop, rng.choice(kinds))
    if (story.today - stop).days > 30 or rng.random() < 0.3:
        story.end_report_on = add_days(stop, rng.randint(0, 20))
    for months in (3, 6, 12):
        due = period_end(stop, months)
        if due < add_days(story.today, -rng.randint(0, 10)) and rng.random() < 0.97:
            story.followups.append(months)


def _plan_phases(story: Story, rng: random.Random) -> None:
    start, horizon = story.skeleton.start, story.horizon
    rules = _ruleset(start).trajectory
    o_end = period_end(start, rules.orientation_months)
    phases = [PhasePlan("orientation", start, o_end)]
    if horizon > o_end:
        phases[0].end, phases[0].decision = o_end, "continue"
        e_start = add_days(o_end, 1)
        phases.append(
            PhasePlan("experience", e_start, period_end(e_start, rules.evaluation_interval_months))
        )
    turn = _last_turn(story, rng, phases[-1].start)
    if turn is not None:
        phases[-1].end = add_days(turn[1], -1)
        phases.append(PhasePlan(turn[0], turn[1], None))
    if turn is None and not story.skeleton.stop:
        story.outflow = None  # no room for aftercare: no outflow yet
    if story.skeleton.stop:
        phases[-1].end = story.skeleton.stop
    story.phases = phases
    story.phase = phases[-1].phase


def _last_turn(
    story: Story, rng: random.Random, since: datetime.date
) -> tuple[str, datetime.date] | None:
    """The outflow or aftercare phase the trajectory turned to at the end, if any."""
    if story.outflow and story.outflow[1] in WORK_OUTFLOWS and not story.skeleton.stop:
        return ("aftercare", story.outflow[0]) if story.outflow[0] > since else None
    window = (story.horizon - since).days
    wants = story.stop_reason == "outflow_to_work" or (
        not story.skeleton.stop and story.days > 300 and rng.random() < 0.12
    )
    if wants and window > 40:
        return "outflow", add_days(story.horizon, -rng.randint(15, min(60, window - 20)))
    return None


def _plan_ao(story: Story, rng: random.Random) -> None:
    """R-TRJ-2: the art60 AO starts within 2 months (mostly); it ends with the trajectory."""
    if story.skeleton.kind != ART60:
        return
    start = story.skeleton.start
    begin = add_days(start, rng.randint(3, 55) if rng.random() < 0.93 else rng.randint(62, 100))
    if begin > story.horizon:
        return
    end = story.skeleton.stop
    if story.outflow and story.phase == "aftercare":
        end = add_days(story.outflow[0], -1)
    story.ao = (begin, max(begin, end) if end else None)


def _plan_suspensions(story: Story, rng: random.Random) -> None:
    start, horizon = story.skeleton.start, story.horizon
    if story.days > 120 and rng.random() < 0.12:
        begin = _between(rng, add_days(start, 40), add_days(horizon, -80))
        story.suspensions.append((begin, add_days(begin, rng.randint(14, 60))))
    if story.status == "running" and story.phase != "aftercare" and rng.random() < 0.08:
        latest = (story.suspensions[-1][1] if story.suspensions else None) or start
        begin = _between(rng, max(add_days(latest, 1), add_days(horizon, -150)), horizon)
        story.suspensions.append((begin, None))
        story.status = "suspended"


def _plan_placements(story: Story, rng: random.Random) -> None:
    start, horizon = story.skeleton.start, story.horizon
    first = add_days(start, rng.randint(0, 10))
    if first >= horizon:
        return
    last_end = story.skeleton.stop
    if story.phase == "aftercare" and story.outflow:
        last_end = add_days(story.outflow[0], -1)
    starts = [first]
    if story.days > 240 and rng.random() < 0.3:
        second = _between(rng, add_days(first, 90), add_days(horizon, -60))
        if last_end is None or second < last_end:
            starts.append(second)
    for index, begin in enumerate(starts):
        rotated = index + 1 < len(starts)
        end = add_days(starts[index + 1], -1) if rotated else last_end
        reason = "rotation" if rotated else _placement_end_reason(story) if end else ""
        story.placements.append(
            PlacementPlan(
                start=begin,
                planned_end=period_end(begin, 12),
                end=end,
                end_reason=reason,
                followups=_followups(rng, begin, end or story.today),
                regime=rng.choice(("0.50", "0.80", "1.00", "1.00")),
            )
        )


def _placement_end_reason(story: Story) -> str:
    if story.stop_reason == "outflow_to_work" or story.phase == "aftercare":
        return "outflow"
    return "stop" if story.stop_reason else "completed"


def _followups(
    rng: random.Random, begin: datetime.date, until: datetime.date
) -> list[datetime.date]:
    """R-TRJ-8: on-the-job follow-ups about every four months (a few placements have none)."""
    if rng.random() < 0.08:
        return []
    days, day = [], add_days(begin, rng.randint(10, 30))
    while day <= until:
        days.append(day)
        day = add_days(day, rng.randint(100, 140))
    return days


def _plan_development(story: Story, rng: random.Random, n_comp: int) -> None:
    """POP versions and evaluations as coaches keep them (R-TRJ-6/7), with some lagging."""
    start, horizon = story.skeleton.start, story.horizon
    late = rng.random() < 0.08
    first = add_days(start, rng.randint(35, 60) if late else rng.randint(5, 28))
    if first > horizon:
        return
    picked = rng.sample(range(n_comp), k=min(n_comp, rng.randint(1, 2)))
    comps = [(c, rng.choice((1, 1, 2)), rng.choice((3, 3, 4))) for c in picked]
    story.versions.append(VersionPlan(1, first, comps))
    for day, kind in _evaluation_days(story, rng):
        _evaluate(story, rng, day, kind)
        _extend_experience(story, day)


def _extend_experience(story: Story, day: datetime.date) -> None:
    """R-TRJ-5: after an evaluation in the work-experience phase the coach extends its step."""
    phase = next((p for p in story.phases if p.phase == "experience"), None)
    if phase is None or day < phase.start or (phase.end is not None and day > phase.end):
        return
    months = _ruleset(story.skeleton.start).trajectory.evaluation_interval_months
    until = period_end(add_days(day, 1), months)
    if until > max([phase.planned_end or phase.start, *phase.extensions]):
        phase.extensions.append(until)


def _evaluation_days(story: Story, rng: random.Random) -> list[tuple[datetime.date, str]]:
    start, horizon = story.skeleton.start, story.horizon
    rules = _ruleset(start).trajectory
    found: list[tuple[datetime.date, str]] = []
    day = add_days(period_end(start, rules.evaluation_interval_months), -rng.randint(0, 20))
    while day <= horizon:
        found.append((day, "six_monthly"))
        day = add_days(period_end(day, rules.evaluation_interval_months), -rng.randint(0, 20))
    if story.skeleton.stop and (not found or (horizon - found[-1][0]).days > 30):
        found.append((add_days(horizon, -rng.randint(0, 7)), "final"))
    lagging = story.status != "stopped" and rng.random() < 0.12
    if lagging and found and (story.today - found[-1][0]).days < 60:
        found.pop()  # the coach has not held this one yet: evaluation_due goes overdue
    return found


def _evaluate(story: Story, rng: random.Random, day: datetime.date, kind: str) -> None:
    placement = next(
        (i for i, p in enumerate(story.placements) if p.start <= day and (p.end or day) >= day),
        None,
    )
    evaluation = EvaluationPlan(kind, day, day, len(story.versions) - 1, placement)
    story.evaluations.append(evaluation)
    following = add_days(day, rng.randint(1, 25))
    if following > story.horizon or (kind != "final" and rng.random() < 0.06):
        return  # no POP after this evaluation (yet): pop_due
    previous = story.versions[-1]
    comps = [
        (c, min(4, (cur or 1) + rng.randint(0, 1)), tgt) for c, cur, tgt in previous.competences
    ]
    story.versions.append(
        VersionPlan(previous.number + 1, following, comps, len(story.evaluations) - 1)
    )


def _plan_aftercare(story: Story, rng: random.Random) -> None:
    """R-TRJ-10: aftercare contacts up to six months after outflow to work."""
    if story.outflow is None or story.outflow[1] not in WORK_OUTFLOWS:
        return
    on = story.outflow[0]
    for months in (1, 3, 6):
        planned = period_end(on, months)
        held = planned if planned <= story.today and rng.random() < 0.97 else None
        story.aftercare.append((planned, held))


# --- The caseload columns -----------------------------------------------------------------


def snapshot(story: Story) -> clock.TrajectorySnapshot:
    """The rules core's view of the story, as ``trajectories.deadlines.snapshot`` builds it."""
    sk = story.skeleton
    return clock.TrajectorySnapshot(
        id="",
        kind=clock.TrajectoryKind(sk.kind),
        start=sk.start,
        intake_date=sk.start,
        ao=clock.EmploymentContract(*story.ao) if story.ao else None,
        phases=tuple(
            clock.PhasePeriod(
                clock.Phase(p.phase),
                p.start,
                p.planned_end,
                p.end,
                tuple(clock.PhaseExtension(until, "") for until in p.extensions),
            )
            for p in story.phases
        ),
        suspensions=tuple(clock.Suspension("", s, e, None) for s, e in story.suspensions),
        placements=tuple(
            clock.Placement("", p.start, p.end or p.planned_end, tuple(p.followups))
            for p in story.placements
        ),
        evaluations=tuple(e.held_on or e.planned_on for e in story.evaluations),
        pop_versions=tuple(v.day for v in story.versions),
        outflow=clock.Outflow(story.outflow[0], clock.OutflowKind(story.outflow[1]))
        if story.outflow
        else None,
        end_report_on=story.end_report_on,
        followups_recorded=tuple(story.followups),
        aftercare_until=max((h for _p, h in story.aftercare if h), default=None),
        stopped_on=sk.stop,
    )


def signal_columns(story: Story) -> dict[str, Any]:
    """The denormalised deadline columns, as ``refresh_signals`` computes them."""
    today, ruleset = story.today, _ruleset(story.skeleton.start)
    found: list[Deadline] = list(clock.trajectory_deadlines(snapshot(story), today, ruleset))
    if story.status != "stopped" and story.consent_until:
        found.append(consent_expiry("", story.consent_until, today=today, ruleset=ruleset))
    ordered = tuple(sorted(found, key=lambda d: (d.severity.rank, d.due, d.code.value)))
    return deadlines.signal_columns(ordered, today)
