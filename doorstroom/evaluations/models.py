"""Evaluations with scores per source, the mentor's link, and 360° feedback rounds.

An evaluation scores the competences of a POP version from several sources (coach, mentor,
the client's self-assessment). The mentor answers through a secret, expiring, single-use link
(``core.links``); 360° respondents likewise. Individual 360° answers are for the lead coach
only; everyone else sees a peer group only in aggregate, from 3 answers on (seed 001).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstroom.core.models import AccessLink, VersionedModel
from doorstroom.core.scoping import ScopedQuerySet
from doorstroom.plans.models import Competence, level_validators
from doorstroom.rules.icf import notation as icf_notation
from doorstroom.trajectories.models import ScopedByTrajectory


class EvaluationKind(models.TextChoices):
    PHASE = "phase", _("Phase evaluation")
    SIX_MONTHLY = "six_monthly", _("Six-monthly evaluation")
    ON_THE_JOB = "on_the_job", _("On-the-job evaluation")
    FINAL = "final", _("Final evaluation")


class EvaluationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", pgettext_lazy("evaluation", "Cancelled")


class Source(models.TextChoices):
    COACH = "coach", _("Coach")
    MENTOR = "mentor", _("Mentor")
    SELF = "self", _("Self-assessment")


class Evaluation(VersionedModel):
    """An evaluation moment of a trajectory (R-TRJ-6); completing it opens the next POP version."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.PROTECT, related_name="evaluations"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EvaluationKind.choices)
    planned_on = models.DateField(_("planned on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.PLANNED,
    )
    placement = models.ForeignKey(
        "employers.Placement",
        verbose_name=_("placement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
        help_text=_("The workplace whose mentor fills in the workplace part."),
    )
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("POP version evaluated"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    mentor_comment = models.TextField(_("the mentor's remarks"), blank=True)
    mentor_link = models.OneToOneField(
        AccessLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluation"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-planned_on", "-pk"]
        indexes = [
            models.Index(fields=["trajectory", "status", "planned_on"], name="evaluation_traj"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_on:%d/%m/%Y}"

    @property
    def day(self) -> Any:
        """The day it counts for (R-TRJ-6, R-TRJ-7): held on, else planned on."""
        return self.held_on or self.planned_on

    @property
    def is_open(self) -> bool:
        return self.status == EvaluationStatus.PLANNED


class EvaluationScore(models.Model):
    """One source's level for one competence in one evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    competence = models.ForeignKey(
        Competence, verbose_name=_("competence"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    level = models.PositiveSmallIntegerField(_("level"), validators=level_validators)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "competence", "source"], name="evaluation_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competence} · {self.source} · {self.level}"


class Relation(models.TextChoices):
    SELF = "self", _("The client (self-assessment)")
    MENTOR = "mentor", _("Mentor")
    COLLEAGUE = "colleague", _("Colleague")
    FAMILY = "family", _("Family")
    FRIEND = "friend", _("Friend")
    FORMER_EMPLOYER = "former_employer", _("Former employer")
    OTHER = "other", _("Someone else from the network")


class PeerGroup(models.TextChoices):
    WORK = "work", _("Workfloor (mentor and colleagues)")
    NETWORK = "network", _("Family, friends and others")
    FORMER = "former", _("Former employers")


GROUP_OF: dict[str, PeerGroup] = {
    Relation.MENTOR: PeerGroup.WORK,
    Relation.COLLEAGUE: PeerGroup.WORK,
    Relation.FAMILY: PeerGroup.NETWORK,
    Relation.FRIEND: PeerGroup.NETWORK,
    Relation.OTHER: PeerGroup.NETWORK,
    Relation.FORMER_EMPLOYER: PeerGroup.FORMER,
}


class FeedbackRound(VersionedModel):
    """A 360° feedback round on the competences of a POP version (seed 001)."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.PROTECT, related_name="feedback_rounds"
    )
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("POP version"),
        on_delete=models.PROTECT,
        related_name="feedback_rounds",
    )
    opened_on = models.DateField(_("opened on"))
    closes_on = models.DateField(_("answers until"))
    questions = models.JSONField(_("open questions"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("360° feedback round")
        verbose_name_plural = _("360° feedback rounds")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["trajectory", "opened_on"], name="feedback_traj")]

    def __str__(self) -> str:
        return f"360° {self.opened_on:%d/%m/%Y}"


class RespondentQuerySet(ScopedQuerySet["FeedbackRespondent"]):
    def scope_for(self, user: Any) -> RespondentQuerySet:
        return self.filter(round__in=FeedbackRound.objects.visible_to(user).values("pk"))


class FeedbackRespondent(models.Model):
    """Someone invited to a round: the client themself or a person from their network."""

    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="respondents")
    relation = models.CharField(
        _("relation to the client"), max_length=20, choices=Relation.choices
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    link = models.OneToOneField(
        AccessLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="respondent"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    objects = RespondentQuerySet.as_manager()

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["round", "relation", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"

    @property
    def group(self) -> PeerGroup | None:
        return GROUP_OF.get(self.relation)


class FeedbackResponse(models.Model):
    """A respondent's answers: a level per competence and the open questions."""

    respondent = models.OneToOneField(
        FeedbackRespondent, on_delete=models.CASCADE, related_name="response"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    answers = models.JSONField(_("answers to the open questions"), default=list)

    class Meta:
        verbose_name = _("360° answer")
        verbose_name_plural = _("360° answers")

    def __str__(self) -> str:
        return str(self.respondent)


class FeedbackScore(models.Model):
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="scores")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), validators=level_validators)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "competence"], name="feedback_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.competence} · {self.level}"


# --- ICF (R-ICF) ------------------------------------------------------------------------


class IcfCode(models.Model):
    """A code of the ICF reference set (R-ICF-2): shipped curated, editable, extendable."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ICF code")
        verbose_name_plural = _("ICF codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title_nl}"

    @property
    def component(self) -> str:
        return self.code[:1]

    @property
    def concerns_health(self) -> bool:
        """Body functions and structures are health data (GDPR art. 9): protected section."""
        return self.component in ("b", "s")


class IcfSource(models.TextChoices):
    COACH = "coach", _("Coach")
    MENTOR = "mentor", _("Mentor")
    CLIENT = "client", _("The client")
    VDAB = "vdab", _("VDAB screening")
    MEDICAL = "medical", _("Doctor or therapist")
    OTHER = "other", _("Other")


class IcfRatingQuerySet(ScopedByTrajectory):
    def without_health(self) -> IcfRatingQuerySet:
        """Leave out body functions and structures (kept in the protected section)."""
        return self.exclude(Q(code__code__startswith="b") | Q(code__code__startswith="s"))


class IcfRating(models.Model):
    """One rating of an ICF code for a trajectory (R-ICF-1): qualifier(s), source and date."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.PROTECT, related_name="icf_ratings"
    )
    code = models.ForeignKey(
        IcfCode, verbose_name=_("ICF code"), on_delete=models.PROTECT, related_name="ratings"
    )
    first = models.PositiveSmallIntegerField(_("qualifier (performance)"), null=True, blank=True)
    second = models.PositiveSmallIntegerField(_("capacity"), null=True, blank=True)
    facilitator = models.BooleanField(_("facilitator"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=IcfSource.choices)
    rated_on = models.DateField(_("rated on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="icf_ratings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IcfRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("ICF rating")
        verbose_name_plural = _("ICF ratings")
        ordering = ["code__code", "-rated_on", "-pk"]
        indexes = [models.Index(fields=["trajectory", "rated_on"], name="icf_rating_traj")]

    def __str__(self) -> str:
        return self.notation

    @property
    def notation(self) -> str:
        return icf_notation(self.code.code, self.first, self.second, facilitator=self.facilitator)
