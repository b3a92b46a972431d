"""The competence catalogue (seed 001 "competenties in beeld") and the POP with its versions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstroom.trajectories.models import ScopedByTrajectory


class CompetenceKind(models.TextChoices):
    TRANSVERSAL = "transversal", _("Transversal (ESCO)")
    SOFT_SKILL = "soft_skill", _("Soft skill (VDAB)")
    OCCUPATIONAL = "occupational", _("Occupation-specific")


class Competence(models.Model):
    """A competence a client develops and a workplace trains; `code` is stable for rules and API."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CompetenceKind.choices)
    description = models.TextField(_("description"), blank=True)
    occupation = models.ForeignKey(
        "clients.Occupation",
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competences",
    )
    esco_uri = models.CharField(_("ESCO URI"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name_nl


LEVELS = (1, 2, 3, 4)
level_validators = [MinValueValidator(1), MaxValueValidator(4)]


class ScaleLevel(models.Model):
    """One step of the 4-level competence scale, with what it looks like on the workfloor."""

    level = models.PositiveSmallIntegerField(_("level"), unique=True, validators=level_validators)
    label_nl = models.CharField(_("label (Dutch)"), max_length=60)
    label_en = models.CharField(_("label (English)"), max_length=60)
    descriptor_nl = models.TextField(_("on the workfloor (Dutch)"))
    descriptor_en = models.TextField(_("on the workfloor (English)"), blank=True)

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.level} · {self.label_nl}"


class PlanVersion(models.Model):
    """One version of a trajectory's POP (R-TRJ-7); never edited: a change is a new version.

    Versions are numbered per trajectory; adding one locks the trajectory (optimistic locking),
    so two coaches cannot both add "version 3".
    """

    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        verbose_name=_("trajectory"),
        on_delete=models.PROTECT,
        related_name="plan_versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    drawn_up_on = models.DateField(_("drawn up on"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        verbose_name=_("follows the evaluation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_plan_versions",
    )
    goals = models.TextField(_("goals"), help_text=_("One goal per line."))
    agreements = models.TextField(_("agreements with the client"), blank=True)
    client_words = models.TextField(_("in the client's own words"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Denormalised by plans.services.version_create: the trajectory's latest version (matching
    # reads the competences of every client's current POP in one indexed query, R-PLC-5).
    is_current = models.BooleanField(default=True, editable=False)
    # Also by version_create (a version is never edited): the competence codes still below
    # their target, comma-separated — what reverse matching reads for 20,000 clients (R-PLC-5).
    open_competences = models.TextField(default="", blank=True, editable=False)

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("POP version")
        verbose_name_plural = _("POP versions")
        ordering = ["trajectory", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "number"], name="plan_version_number_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["trajectory"],
                condition=models.Q(is_current=True),
                name="plan_version_current",
            )
        ]

    def __str__(self) -> str:
        return f"POP v{self.number} · {self.drawn_up_on:%d/%m/%Y}"

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]


class PlanCompetence(models.Model):
    """A competence to develop in one POP version, with its current and target level."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="competences")
    competence = models.ForeignKey(
        Competence, verbose_name=_("competence"), on_delete=models.PROTECT, related_name="+"
    )
    current_level = models.PositiveSmallIntegerField(
        _("current level"), null=True, blank=True, validators=level_validators
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), validators=level_validators)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("competence to develop")
        verbose_name_plural = _("competences to develop")
        ordering = ["version", "competence__name_nl"]
        constraints = [
            models.UniqueConstraint(fields=["version", "competence"], name="plan_competence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.competence} {self.current_level or '–'} → {self.target_level}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanAction(models.Model):
    """An action in one POP version: what, who, by when, its status and linked instrument."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("what"), max_length=300)
    who = models.CharField(_("who"), max_length=120)
    due = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    instrument_use = models.ForeignKey(
        "instruments.InstrumentUse",
        verbose_name=_("instrument"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.what


class ClientLink(models.Model):
    """The client's personal, expiring link to their own view (POP, appointments, placements).

    The view never shows anything from the protected section; the link is not single-use (the
    client comes back to it) and the coach can withdraw it.
    """

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="client_links"
    )
    link = models.OneToOneField(
        "core.AccessLink", on_delete=models.CASCADE, related_name="client_link"
    )

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("client's link")
        verbose_name_plural = _("client's links")

    def __str__(self) -> str:
        return str(self.link)
