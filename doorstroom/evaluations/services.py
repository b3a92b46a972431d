"""Writes on evaluations (R-TRJ-6) and 360° feedback: each a transaction with its audit event.

The mentor and 360° respondents answer through ``core.links``: the e-mail carries the token,
a submission consumes the link (single use) in the same transaction as the answers, so a link
used twice, expired, revoked or tampered with changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.accounts.models import User
from doorstroom.core import links
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.locking import lock
from doorstroom.core.models import AccessLink, LinkPurpose
from doorstroom.core.text import short_date
from doorstroom.employers.models import Placement
from doorstroom.evaluations.models import (
    Evaluation,
    EvaluationKind,
    EvaluationScore,
    EvaluationStatus,
    FeedbackRespondent,
    FeedbackResponse,
    FeedbackRound,
    FeedbackScore,
    Relation,
    Source,
)
from doorstroom.plans.models import LEVELS, PlanVersion
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.services import lock_trajectory, refresh_signals

MENTOR_LINK_DAYS = 14  # a mentor's link works for two weeks; the coach can resend it
MAX_ROUND_DAYS = 60  # a 360° round stays open at most two months

# Competence id → (level, comment); a competence left out was not scored ("cannot judge").
Scores = Mapping[int, tuple[int, str]]


@dataclass(frozen=True)
class SentLink:
    link: AccessLink
    url: str


def _require_open_trajectory(trajectory: Trajectory) -> None:
    if trajectory.status == Status.STOPPED:
        raise DomainError(_("This trajectory is stopped; it can no longer be changed."))


def _send(
    link: AccessLink, url_name: str, token: str, template: str, context: dict[str, object]
) -> str:
    """E-mail ``link`` when it has an address; return its URL (for the coach to hand over)."""
    url = settings.DOORSTROOM_BASE_URL + reverse(url_name, args=[token])
    if link.email:
        links.email_link(link, url, f"evaluations/{template}", context)
    return url


def _check_scores(scores: Scores, allowed: set[int], field: str) -> None:
    for competence_id, (level, _comment) in scores.items():
        if competence_id not in allowed:
            raise DomainError(_("This competence is not part of the POP version."), field=field)
        if level not in LEVELS:
            raise DomainError(_("Choose a level from 1 to 4."), field=field)


def _competence_ids(version: PlanVersion | None) -> set[int]:
    if version is None:
        return set()
    return set(version.competences.values_list("competence_id", flat=True))


# --- Evaluations ----------------------------------------------------------------------


@transaction.atomic
def evaluation_plan(
    trajectory: Trajectory,
    *,
    kind: str,
    planned_on: datetime.date,
    placement: Placement | None,
    expected_version: int,
    by: User,
) -> Evaluation:
    """Plan an evaluation (R-TRJ-6) on the competences of the current POP version."""
    lock_trajectory(trajectory, expected_version)
    _require_open_trajectory(trajectory)
    if kind not in EvaluationKind.values:
        raise DomainError(_("Choose the kind of evaluation."), field="kind")
    if planned_on < trajectory.start:
        raise DomainError(
            _("An evaluation cannot be before the trajectory starts (%(date)s).")
            % {"date": short_date(trajectory.start)},
            field="planned_on",
        )
    if placement is not None and placement.trajectory_id != trajectory.pk:
        raise DomainError(_("That placement belongs to another trajectory."), field="placement")
    if kind == EvaluationKind.ON_THE_JOB and placement is None:
        raise DomainError(
            _("An on-the-job evaluation needs the placement it evaluates."), field="placement"
        )
    version = trajectory.plan_versions.order_by("-number").first()
    evaluation = Evaluation.objects.create(
        trajectory=trajectory,
        kind=kind,
        planned_on=planned_on,
        placement=placement,
        plan_version=version,
        created_by=by,
    )
    audit(
        by,
        "evaluations.evaluation.planned",
        evaluation,
        {"kind": kind, "planned_on": planned_on, "placement": placement},
    )
    return evaluation


@transaction.atomic
def mentor_link_send(evaluation: Evaluation, *, by: User, days: int = MENTOR_LINK_DAYS) -> SentLink:
    """E-mail the placement's mentor a single-use link to the workplace part; a resend
    revokes the earlier link."""
    lock(evaluation, None)
    if not evaluation.is_open:
        raise DomainError(_("This evaluation is no longer open."))
    placement = evaluation.placement
    mentor = placement.mentor if placement else None
    if placement is None or mentor is None:
        raise DomainError(_("Link the evaluation to a placement with a mentor first."))
    if not mentor.email:
        raise DomainError(
            _("%(mentor)s has no e-mail address: add it on the employer's page first.")
            % {"mentor": mentor.name}
        )
    if not _competence_ids(evaluation.plan_version):
        raise DomainError(_("Draw up a POP first: the mentor scores its competences."))
    links.revoke(evaluation.mentor_link)
    trajectory = evaluation.trajectory
    link, token = links.issue(
        LinkPurpose.MENTOR_EVALUATION,
        organisation=trajectory.organisation,
        days=days,
        by=by,
        name=mentor.name,
        email=mentor.email,
    )
    evaluation.mentor_link = link
    evaluation.save(update_fields=["mentor_link"])
    url = _send(
        link,
        "evaluations:mentor",
        token,
        "mentor",
        {
            "mentor": mentor.name,
            "client": trajectory.client.first_name,
            "workplace": placement.workplace.title,
            "coach": by.full_name,
            "organisation": trajectory.organisation.name,
        },
    )
    audit(
        by,
        "evaluations.mentor_link.sent",
        evaluation,
        {"to": mentor.email, "expires_at": link.expires_at},
    )
    return SentLink(link, url)


def mentor_link_opened(link: AccessLink) -> None:
    """Record the mentor's first opening of the link (the coach sees it)."""
    if links.mark_opened(link):
        audit(
            None,
            "evaluations.mentor_link.opened",
            link.evaluation,
            actor_label=f"{link.name} <{link.email}>",
            organisation=link.organisation,
        )


@transaction.atomic
def mentor_submit(link: AccessLink, *, scores: Scores, comment: str) -> Evaluation:
    """Store the mentor's scores and remarks and use up the link (single use)."""
    evaluation = Evaluation.objects.select_for_update().get(mentor_link=link)
    if not evaluation.is_open:
        raise DomainError(_("This evaluation is already closed."), code="closed")
    _check_scores(scores, _competence_ids(evaluation.plan_version), "scores")
    if not scores:
        raise DomainError(_("Give a level for at least one competence."), field="scores")
    if not links.consume(link):
        raise DomainError(_("This link has already been used."), code="used")
    _replace_scores(evaluation, Source.MENTOR, scores)
    evaluation.mentor_comment = comment.strip()
    evaluation.save(update_fields=["mentor_comment"])
    audit(
        None,
        "evaluations.mentor.submitted",
        evaluation,
        {"scores": {str(k): v[0] for k, v in scores.items()}},
        actor_label=f"{link.name} <{link.email}>",
        organisation=link.organisation,
    )
    return evaluation


def _check_held_on(trajectory: Trajectory, held_on: datetime.date | None) -> None:
    if held_on is None:
        return
    if held_on > timezone.localdate():
        raise DomainError(_("An evaluation cannot be held in the future."), field="held_on")
    if held_on < trajectory.start:
        raise DomainError(
            _("An evaluation cannot be before the trajectory starts (%(date)s).")
            % {"date": short_date(trajectory.start)},
            field="held_on",
        )


def _check_complete(held_on: datetime.date | None, conclusions: str, unscored: set[int]) -> None:
    if held_on is None:
        raise DomainError(_("Fill in the day the evaluation was held."), field="held_on")
    if not conclusions.strip():
        raise DomainError(_("Write the conclusions of the evaluation."), field="conclusions")
    if unscored:
        raise DomainError(
            _("Give your level (coach) for every competence of the POP."),
            field=f"coach_{min(unscored)}",
        )


def _replace_scores(evaluation: Evaluation, source: str, scores: Scores) -> None:
    evaluation.scores.filter(source=source).delete()
    EvaluationScore.objects.bulk_create(
        EvaluationScore(
            evaluation=evaluation,
            competence_id=competence_id,
            source=source,
            level=level,
            comment=note.strip()[:500],
        )
        for competence_id, (level, note) in scores.items()
    )


@transaction.atomic
def evaluation_record(
    evaluation: Evaluation,
    *,
    coach_scores: Scores,
    self_scores: Scores,
    held_on: datetime.date | None,
    conclusions: str,
    next_steps: str,
    complete: bool,
    expected_version: int,
    by: User,
) -> Evaluation:
    """Save the coach's scores and the client's self-assessment; ``complete`` closes it.

    Completing needs the day it was held, the conclusions and the coach's level for every
    competence of the POP version (that level opens the next version, R-TRJ-7).
    """
    lock(evaluation, expected_version)
    if not evaluation.is_open:
        raise DomainError(_("This evaluation is no longer open."))
    trajectory = evaluation.trajectory
    _require_open_trajectory(trajectory)
    allowed = _competence_ids(evaluation.plan_version)
    _check_scores(coach_scores, allowed, "conclusions")
    _check_scores(self_scores, allowed, "conclusions")
    _check_held_on(trajectory, held_on)
    if complete:
        _check_complete(held_on, conclusions, allowed - set(coach_scores))
    _replace_scores(evaluation, Source.COACH, coach_scores)
    _replace_scores(evaluation, Source.SELF, self_scores)
    evaluation.held_on = held_on
    evaluation.conclusions = conclusions.strip()
    evaluation.next_steps = next_steps.strip()
    fields = ["held_on", "conclusions", "next_steps"]
    if complete:
        evaluation.status = EvaluationStatus.COMPLETED
        evaluation.completed_by = by
        fields += ["status", "completed_by"]
        if evaluation.mentor_link and evaluation.mentor_link.used_at is None:
            links.revoke(evaluation.mentor_link)
    evaluation.save(update_fields=fields)
    audit(
        by,
        "evaluations.evaluation.completed" if complete else "evaluations.evaluation.scored",
        evaluation,
        {
            "held_on": held_on,
            "coach": {str(k): v[0] for k, v in coach_scores.items()},
            "self": {str(k): v[0] for k, v in self_scores.items()},
        },
    )
    if complete:
        refresh_signals(trajectory)  # R-TRJ-6 evaluation_due, R-TRJ-7 pop_due
    return evaluation


@transaction.atomic
def evaluation_cancel(evaluation: Evaluation, *, expected_version: int, by: User) -> Evaluation:
    lock(evaluation, expected_version)
    if not evaluation.is_open:
        raise DomainError(_("This evaluation is no longer open."))
    evaluation.status = EvaluationStatus.CANCELLED
    evaluation.save(update_fields=["status"])
    links.revoke(evaluation.mentor_link)
    audit(by, "evaluations.evaluation.cancelled", evaluation)
    return evaluation


# --- 360° feedback --------------------------------------------------------------------


def default_questions() -> list[str]:
    return [
        _("What does %(name)s do well?"),
        _("What could %(name)s get better at?"),
        _("What kind of work do you see %(name)s doing?"),
    ]


@transaction.atomic
def round_open(
    trajectory: Trajectory,
    *,
    closes_on: datetime.date,
    questions: Sequence[str],
    expected_version: int,
    by: User,
) -> FeedbackRound:
    """Open a 360° round on the current POP version's competences (seed 001)."""
    lock_trajectory(trajectory, expected_version)
    _require_open_trajectory(trajectory)
    version = trajectory.plan_versions.order_by("-number").first()
    if version is None:
        raise DomainError(_("Draw up a POP first: the round asks about its competences."))
    today = timezone.localdate()
    if closes_on < today:
        raise DomainError(_("The closing day cannot be in the past."), field="closes_on")
    if closes_on > today + datetime.timedelta(days=MAX_ROUND_DAYS):
        raise DomainError(
            _("A round stays open at most %(days)s days.") % {"days": MAX_ROUND_DAYS},
            field="closes_on",
        )
    name = trajectory.client.first_name
    asked = [q.strip().replace("%(name)s", name) for q in questions if q.strip()]
    feedback_round = FeedbackRound.objects.create(
        trajectory=trajectory,
        plan_version=version,
        opened_on=today,
        closes_on=closes_on,
        questions=asked,
        created_by=by,
    )
    audit(by, "evaluations.feedback_round.opened", feedback_round, {"closes_on": closes_on})
    return feedback_round


@transaction.atomic
def respondent_invite(
    feedback_round: FeedbackRound, *, relation: str, name: str, email: str, by: User
) -> tuple[FeedbackRespondent, SentLink]:
    """Invite someone by secret link (e-mailed when there is an address)."""
    today = timezone.localdate()
    if feedback_round.closes_on < today:
        raise DomainError(_("This round is closed."))
    if relation not in Relation.values:
        raise DomainError(_("Choose the relation to the client."), field="relation")
    if not name.strip():
        raise DomainError(_("Fill in the name."), field="name")
    if (
        relation == Relation.SELF
        and feedback_round.respondents.filter(relation=Relation.SELF).exists()
    ):
        raise DomainError(_("The client is already invited in this round."), field="relation")
    respondent = FeedbackRespondent.objects.create(
        round=feedback_round, relation=relation, name=name.strip(), email=email.strip()
    )
    sent = _issue_respondent_link(respondent, by)
    audit(
        by,
        "evaluations.feedback.invited",
        feedback_round,
        {"relation": relation, "e-mail": bool(email.strip())},
    )
    return respondent, sent


def _issue_respondent_link(respondent: FeedbackRespondent, by: User) -> SentLink:
    feedback_round = respondent.round
    trajectory = feedback_round.trajectory
    days = (feedback_round.closes_on - timezone.localdate()).days + 1
    links.revoke(respondent.link)
    link, token = links.issue(
        LinkPurpose.FEEDBACK,
        organisation=trajectory.organisation,
        days=days,
        by=by,
        name=respondent.name,
        email=respondent.email,
    )
    respondent.link = link
    respondent.save(update_fields=["link"])
    url = _send(
        link,
        "evaluations:feedback",
        token,
        "feedback",
        {
            "respondent": respondent.name,
            "client": trajectory.client.first_name,
            "is_self": respondent.relation == Relation.SELF,
            "coach": by.full_name,
            "organisation": trajectory.organisation.name,
        },
    )
    return SentLink(link, url)


@transaction.atomic
def respondent_resend(respondent: FeedbackRespondent, *, by: User) -> SentLink:
    if hasattr(respondent, "response"):
        raise DomainError(_("This person has already answered."))
    if respondent.round.closes_on < timezone.localdate():
        raise DomainError(_("This round is closed."))
    sent = _issue_respondent_link(respondent, by)
    audit(by, "evaluations.feedback.resent", respondent.round, {"relation": respondent.relation})
    return sent


@transaction.atomic
def feedback_submit(
    link: AccessLink, *, scores: Scores, answers: Sequence[str]
) -> FeedbackResponse:
    """Store a respondent's answers and use up the link."""
    respondent = FeedbackRespondent.objects.select_related("round").get(link=link)
    feedback_round = respondent.round
    if feedback_round.closes_on < timezone.localdate():
        raise DomainError(_("This round is closed."), code="closed")
    _check_scores(scores, _competence_ids(feedback_round.plan_version), "scores")
    if not scores and not any(a.strip() for a in answers):
        raise DomainError(_("Give at least one level or answer."), field="scores")
    if not links.consume(link):
        raise DomainError(_("This link has already been used."), code="used")
    response = FeedbackResponse.objects.create(
        respondent=respondent, answers=[a.strip() for a in answers]
    )
    FeedbackScore.objects.bulk_create(
        FeedbackScore(response=response, competence_id=competence_id, level=level)
        for competence_id, (level, _note) in scores.items()
    )
    audit(
        None,
        "evaluations.feedback.submitted",
        feedback_round,
        {"relation": respondent.relation},
        actor_label=f"360° respondent ({respondent.relation})",
        organisation=link.organisation,
    )
    return response


@transaction.atomic
def self_assessment_submit(
    evaluation: Evaluation, *, scores: Scores, actor_label: str
) -> Evaluation:
    """The client's self-assessment through their own link; they may correct it until the
    evaluation is completed."""
    lock(evaluation, None)
    if not evaluation.is_open:
        raise DomainError(_("This evaluation is already closed."))
    _check_scores(scores, _competence_ids(evaluation.plan_version), "scores")
    if not scores:
        raise DomainError(_("Give a level for at least one competence."), field="scores")
    _replace_scores(evaluation, Source.SELF, scores)
    audit(
        None,
        "evaluations.self_assessment.submitted",
        evaluation,
        {"scores": {str(k): v[0] for k, v in scores.items()}},
        actor_label=actor_label,
        organisation=evaluation.trajectory.organisation,
    )
    return evaluation
