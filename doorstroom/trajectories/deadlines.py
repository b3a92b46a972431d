"""From trajectory rows to the rules core's deadlines, and back into the caseload columns.

``snapshot`` turns a trajectory (with its children prefetched, see ``selectors.WITH_CLOCK``)
into the plain ``TrajectorySnapshot`` the rules core reads; ``deadlines_of`` asks the rules
for every deadline; ``signal_columns`` gives what ``Trajectory`` keeps denormalised.
``explain`` turns a deadline into a sentence a coach understands, with its rule id.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from doorstroom.core.regulation import ruleset_on
from doorstroom.core.text import short_date
from doorstroom.evaluations.models import EvaluationStatus
from doorstroom.rules import clock
from doorstroom.rules.deadlines import Deadline, DeadlineCode, Severity, consent_expiry
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.labels import LABELS
from doorstroom.trajectories.models import NO_SIGNAL, EmploymentContract, Trajectory

# Explanations that count months are plural-aware ("1 maand", "6 maanden").
EXPLANATIONS: dict[DeadlineCode, str | Promise] = {
    DeadlineCode.ORIENTATION_END: ngettext_lazy(
        "Job orientation lasts at most %(months)s month from %(orientation_start)s and ends "
        "with a POP and a decision to continue or reorient.",
        "Job orientation lasts at most %(months)s months from %(orientation_start)s and ends "
        "with a POP and a decision to continue or reorient.",
        "months",
    ),
    DeadlineCode.AO_START_DUE: ngettext_lazy(
        "An art60 trajectory needs its employment contract to start within %(months)s month of "
        "the start (by %(ao_deadline)s); a later start is not in time and loses the guidance "
        "fee.",
        "An art60 trajectory needs its employment contract to start within %(months)s months "
        "of the start (by %(ao_deadline)s); a later start is not in time and loses the "
        "guidance fee.",
        "months",
    ),
    DeadlineCode.AO_NOT_IN_TIME: _(
        "The employment contract started on %(ao_start)s, after %(ao_deadline)s: not in time. "
        "No guidance fee is due for this trajectory."
    ),
    DeadlineCode.SUSPENSION_REVIEW: ngettext_lazy(
        "The suspension since %(suspension_start)s lasts longer than %(months)s month: decide "
        "in the dossier whether to continue the suspension or stop the trajectory.",
        "The suspension since %(suspension_start)s lasts longer than %(months)s months: decide "
        "in the dossier whether to continue the suspension or stop the trajectory.",
        "months",
    ),
    DeadlineCode.POP_DUE: ngettext_lazy(
        "A POP version is due within %(months)s month of the start, and within 30 days after "
        "every evaluation.",
        "A POP version is due within %(months)s months of the start, and within 30 days after "
        "every evaluation.",
        "months",
    ),
    DeadlineCode.EVALUATION_DUE: ngettext_lazy(
        "An evaluation is due at the end of every phase and at least every month.",
        "An evaluation is due at the end of every phase and at least every %(months)s months.",
        "months",
    ),
    DeadlineCode.PLACEMENT_FOLLOWUP_DUE: _(
        "Every placement gets at least one on-the-job follow-up before it ends."
    ),
    DeadlineCode.TRAJECTORY_END: _(
        "A trajectory lasts at most 2 years: planned end %(planned_end)s."
    ),
    DeadlineCode.END_REPORT_DUE: _(
        "Every trajectory ends with a motivated end report in ICF terms (last day %(last_day)s)."
    ),
    DeadlineCode.AFTERCARE_END: ngettext_lazy(
        "Aftercare lasts at least %(months)s month after the outflow to work on %(outflow)s.",
        "Aftercare lasts at least %(months)s months after the outflow to work on %(outflow)s.",
        "months",
    ),
    DeadlineCode.FOLLOWUP_3M: ngettext_lazy(
        "Record the client's situation %(months)s month after the end.",
        "Record the client's situation %(months)s months after the end.",
        "months",
    ),
    DeadlineCode.FOLLOWUP_6M: ngettext_lazy(
        "Record the client's situation %(months)s month after the end.",
        "Record the client's situation %(months)s months after the end.",
        "months",
    ),
    DeadlineCode.FOLLOWUP_12M: ngettext_lazy(
        "Record the client's situation %(months)s month after the end.",
        "Record the client's situation %(months)s months after the end.",
        "months",
    ),
    DeadlineCode.PROFILE_REVIEW_DUE: _("Job profiles are reviewed at least every 12 months."),
    DeadlineCode.AGREEMENT_EXPIRY: _("The cooperation agreement ends on %(agreement_end)s."),
    DeadlineCode.CONSENT_EXPIRY: _(
        "The client's consent to share information ends on %(consent_end)s."
    ),
}

SEVERITY_LABELS: dict[str, str | Promise] = {
    Severity.VIOLATION: _("Violation"),
    Severity.OVERDUE: _("Overdue"),
    Severity.DUE_SOON: _("Due soon"),
    Severity.INFO: _("Planned"),
}


# A list explains hundreds of deadlines over a few dozen dates: each date is formatted once per
# language and date format (issue 11).
@functools.lru_cache(maxsize=4096)
def _display_date(value: str, language: str | None, date_format: str) -> str:
    """``value`` as ``short_date`` shows it when it is an ISO date, else unchanged.

    ``language`` and ``date_format`` (the active ones) are there for the cache's key.
    """
    try:
        return short_date(datetime.date.fromisoformat(value))
    except ValueError:
        return value


@dataclass(frozen=True)
class ExplainedDeadline:
    deadline: Deadline
    label: str
    explanation: str

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS[self.deadline.severity])


# R-TRJ-7: the POP that must follow an evaluation has its own sentence.
POP_AFTER_EVALUATION = ngettext_lazy(
    "The evaluation of %(last_evaluation)s must be followed by a new POP version within "
    "%(days)s day.",
    "The evaluation of %(last_evaluation)s must be followed by a new POP version within "
    "%(days)s days.",
    "days",
)


def explain(deadline: Deadline) -> ExplainedDeadline:
    """Return the deadline with its translated label and explanation (dates in local format)."""
    language = translation.get_language()
    shown = (language, formats.get_format("SHORT_DATE_FORMAT"))
    facts: dict[str, Any] = {key: _display_date(value, *shown) for key, value in deadline.facts}
    facts["months"] = int(facts.get("months") or 0)  # the plural needs a number
    facts["days"] = int(facts.get("days") or 0)
    after_evaluation = deadline.code is DeadlineCode.POP_DUE and "last_evaluation" in facts
    label = _label(language, deadline.code)
    try:
        template = _sentence(
            language, deadline.code, after_evaluation, facts["months"], facts["days"]
        )
        sentence = template % facts
    except KeyError:  # a fact missing from this occurrence: fall back to the label
        sentence = label
    return ExplainedDeadline(deadline, label, sentence)


class _Placeholders(dict[str, Any]):
    """Formats every placeholder but the numbers back into itself (see ``_sentence``)."""

    def __missing__(self, key: str) -> str:
        return f"%({key})s"


# Translating is most of what explaining costs, and a list explains hundreds of deadlines with a
# handful of codes and numbers: each sentence is translated once per language, with its plural
# form chosen and its dates still to fill in (issue 11). ``language`` is the active one (the key).
@functools.lru_cache(maxsize=1024)
def _sentence(
    language: str | None, code: DeadlineCode, after_evaluation: bool, months: int, days: int
) -> str:
    template = POP_AFTER_EVALUATION if after_evaluation else EXPLANATIONS[code]
    return str(template % _Placeholders(months=months, days=days))


@functools.lru_cache(maxsize=256)
def _label(language: str | None, code: DeadlineCode) -> str:
    return str(LABELS[code])


def contract_of(trajectory: Trajectory) -> EmploymentContract | None:
    """Return the trajectory's AO, or None."""
    return trajectory.contract


def snapshot(trajectory: Trajectory, *, after_end: bool = True) -> clock.TrajectorySnapshot:
    """Build the rules core's view of ``trajectory`` from its prefetched children.

    ``after_end=False`` leaves out the outflow follow-ups and aftercare contacts without
    reading them: see ``deadlines_reading_what_counts``.
    """
    contract = contract_of(trajectory)
    return clock.TrajectorySnapshot(
        id=str(trajectory.pk),
        kind=clock.TrajectoryKind(trajectory.kind),
        start=trajectory.start,
        intake_date=trajectory.intake.assessed_on,
        ao=clock.EmploymentContract(contract.start, contract.end) if contract else None,
        phases=tuple(
            clock.PhasePeriod(
                phase=clock.Phase(p.phase),
                start=p.start,
                planned_end=p.planned_end,
                end=p.end,
                extensions=tuple(
                    clock.PhaseExtension(e.until, e.motivation) for e in p.extensions.all()
                ),
            )
            for p in trajectory.phases.all()
        ),
        suspensions=tuple(
            clock.Suspension(str(s.pk), s.start, s.end, s.reviewed_on)
            for s in trajectory.suspensions.all()
        ),
        # R-TRJ-8: each placement with its on-the-job follow-ups.
        placements=tuple(
            clock.Placement(str(p.pk), p.start, p.last_day, tuple(f.on for f in p.followups.all()))
            for p in trajectory.placements.all()
        ),
        # R-TRJ-6/7: completed evaluations and POP versions count by their day.
        evaluations=tuple(
            e.day for e in trajectory.evaluations.all() if e.status == EvaluationStatus.COMPLETED
        ),
        pop_versions=tuple(v.drawn_up_on for v in trajectory.plan_versions.all()),
        # R-END-1/2, R-TRJ-10: the outflow, the final end report and the follow-ups recorded.
        outflow=_outflow(trajectory),
        end_report_on=_end_report_on(trajectory),
        followups_recorded=(
            tuple(f.months for f in trajectory.outflow_followups.all()) if after_end else ()
        ),
        aftercare_until=(
            max((c.held_on for c in trajectory.aftercare_contacts.all() if c.held_on), default=None)
            if after_end
            else None
        ),
        stopped_on=trajectory.stopped_on,
    )


def outflow_of(trajectory: Trajectory) -> Any:
    """The trajectory's outflow, or None (the reverse one-to-one raises when there is none)."""
    try:
        return trajectory.outflow
    except ObjectDoesNotExist:
        return None


def _outflow(trajectory: Trajectory) -> clock.Outflow | None:
    outflow = outflow_of(trajectory)
    return clock.Outflow(outflow.on, clock.OutflowKind(outflow.kind)) if outflow else None


def _end_report_on(trajectory: Trajectory) -> datetime.date | None:
    finals = getattr(trajectory, "final_end_reports", None)
    if finals is None:  # not prefetched
        finals = list(trajectory.end_reports.filter(status="final").order_by("-number"))
    return finals[0].finalised_on if finals else None


def expiring_consents(trajectory: Trajectory) -> list[tuple[int, datetime.date]]:
    """The client's consents that can expire (R-PRV-5): (id, last day), from the prefetch."""
    return [
        (consent.pk, consent.until)
        for consent in trajectory.client.consents.all()
        if consent.until and consent.withdrawn_on is None
    ]


def deadlines_of(
    trajectory: Trajectory,
    today: datetime.date,
    facts: clock.TrajectorySnapshot | None = None,
    consents: Iterable[tuple[int, datetime.date]] | None = None,
) -> tuple[Deadline, ...]:
    """Every deadline of ``trajectory`` as of ``today``, most urgent first, with consents.

    ``facts`` and ``consents``: its ``snapshot`` and ``expiring_consents``, when the caller
    has them already (``facts.page_facts`` reads both for a page of trajectories).
    """
    ruleset = ruleset_on(trajectory.start)
    facts = snapshot(trajectory) if facts is None else facts
    found = list(clock.trajectory_deadlines(facts, today, ruleset))
    if trajectory.status != Status.STOPPED:
        # R-PRV-5: consents that expire while the client is guided.
        for consent_id, until in expiring_consents(trajectory) if consents is None else consents:
            found.append(consent_expiry(str(consent_id), until, today=today, ruleset=ruleset))
    return tuple(sorted(found, key=lambda d: (d.severity.rank, d.due, d.code.value)))


def deadlines_reading_what_counts(
    trajectory: Trajectory, today: datetime.date
) -> tuple[Deadline, ...]:
    """``deadlines_of``, reading the outflow follow-ups and aftercare contacts only when a rule
    can count them (issue 11: the dossier's overview, two queries fewer while a trajectory runs).

    When they count is the rules core's to say (``clock.counts_after_end_facts``, R-END-2,
    R-TRJ-10). Not prefetched, they are read here when they do (a query each).
    """
    facts = snapshot(trajectory, after_end=False)
    if clock.counts_after_end_facts(facts, today, ruleset_on(trajectory.start)):
        facts = snapshot(trajectory)
    return deadlines_of(trajectory, today, facts=facts)


def signal_columns(deadlines: tuple[Deadline, ...], today: datetime.date) -> dict[str, Any]:
    """The denormalised caseload columns: the most urgent deadline and counts per severity."""
    first = deadlines[0] if deadlines else None
    return {
        "next_due": first.due if first else None,
        "next_due_code": first.code.value if first else "",
        "urgency": first.severity.rank if first else NO_SIGNAL,
        "violation_count": sum(d.severity is Severity.VIOLATION for d in deadlines),
        "overdue_count": sum(d.severity is Severity.OVERDUE for d in deadlines),
        "due_soon_count": sum(d.severity is Severity.DUE_SOON for d in deadlines),
        "signals_on": today,
    }
