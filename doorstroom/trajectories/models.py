"""Trajectories and their lifecycle: phases, suspensions, stop, handovers, members, the AO.

The deadlines are computed by the rules core (``rules.clock``) from a snapshot of these rows
(``trajectories.snapshot``); services keep the most urgent one in the indexed ``next_due``
columns so that caseload lists stay fast (ARCHITECTURE, "Signals/deadlines").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstroom.accounts.models import Organisation
from doorstroom.clients.models import Client, Intake, Referral, visible_client_ids_sql
from doorstroom.core.models import VersionedModel
from doorstroom.core.scoping import ScopedQuerySet
from doorstroom.rules.deadlines import RULE_OF_CODE, DeadlineCode
from doorstroom.trajectories.choices import (
    HandoverKind,
    MemberRole,
    OrientationDecision,
    Phase,
    RvaStatus,
    Status,
    StopReason,
    TrajectoryKind,
)
from doorstroom.trajectories.labels import LABELS

# Urgency ranks of the most urgent deadline (rules.Severity.rank); NO_SIGNAL sorts last.
NO_SIGNAL = 9


class TrajectoryQuerySet(ScopedQuerySet["Trajectory"]):
    def scope_for(self, user: Any) -> TrajectoryQuerySet:
        """R-PRV-1: a trajectory is visible exactly when its client's dossier is."""
        return self.filter(client__in=visible_client_ids_sql(user, self.db))


class Trajectory(VersionedModel):
    """One client's TWE trajectory (art60 or wz), led by one coach at a time (R-TRJ-9)."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="trajectories"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TrajectoryKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("guiding organisation"),
        on_delete=models.PROTECT,
        related_name="trajectories",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead coach"),
        on_delete=models.PROTECT,
        related_name="led_trajectories",
    )
    intake = models.ForeignKey(
        Intake, verbose_name=_("intake"), on_delete=models.PROTECT, related_name="trajectories"
    )
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trajectories",
    )
    start = models.DateField(_("start"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    phase = models.CharField(_("current phase"), max_length=12, choices=Phase.choices)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.CharField(
        _("reason for the stop"), max_length=20, choices=StopReason.choices, blank=True
    )
    stop_motivation = models.TextField(_("motivation for the stop"), blank=True)
    # R-END-1: closed only with a finalised end report (reports.services.trajectory_close).
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Denormalised by services.refresh_signals (never edited by hand):
    next_due = models.DateField(_("next deadline"), null=True, blank=True)
    next_due_code = models.CharField(max_length=30, blank=True)
    urgency = models.PositiveSmallIntegerField(default=NO_SIGNAL)
    violation_count = models.PositiveSmallIntegerField(default=0)
    overdue_count = models.PositiveSmallIntegerField(default=0)
    due_soon_count = models.PositiveSmallIntegerField(default=0)
    signals_on = models.DateField(null=True, blank=True)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-start", "-pk"]
        indexes = [
            models.Index(fields=["coach", "urgency", "next_due"], name="trajectory_caseload_idx"),
            models.Index(
                fields=["organisation", "urgency", "next_due"], name="trajectory_team_idx"
            ),
            models.Index(fields=["status", "next_due"], name="trajectory_due_idx"),
            # The team caseload's counts per signal, read from the index alone (issue 11).
            models.Index(
                fields=[
                    "organisation",
                    "status",
                    "urgency",
                    "violation_count",
                    "overdue_count",
                    "due_soon_count",
                ],
                name="trajectory_team_counts_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.get_kind_display()} {self.start:%d/%m/%Y}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.organisation

    @property
    def is_closed(self) -> bool:
        return self.status == Status.STOPPED

    @property
    def is_art60(self) -> bool:
        return self.kind == TrajectoryKind.ART60

    @property
    def next_due_label(self) -> str:
        """The interface name of the most urgent deadline, e.g. "Evaluation due"."""
        return str(LABELS[DeadlineCode(self.next_due_code)]) if self.next_due_code else ""

    @property
    def next_due_rule(self) -> str:
        return RULE_OF_CODE[DeadlineCode(self.next_due_code)] if self.next_due_code else ""

    @property
    def open_suspension(self) -> Suspension | None:
        """The suspension without an end, if any (reads the prefetched suspensions)."""
        return next((s for s in self.suspensions.all() if s.end is None), None)

    @property
    def contract(self) -> EmploymentContract | None:
        """The AO, or None (the reverse one-to-one itself raises when there is none)."""
        try:
            return self.employment_contract
        except EmploymentContract.DoesNotExist:
            return None


class ScopedByTrajectory(ScopedQuerySet[Any]):
    def scope_for(self, user: Any) -> Any:
        return self.filter(trajectory__in=Trajectory.objects.visible_to(user).values("pk"))


class TrajectoryMember(models.Model):
    """A professional working on a mixed trajectory beside the lead coach (R-TRJ-12)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.PROTECT,
        related_name="trajectory_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    since = models.DateField(_("since"))
    until = models.DateField(pgettext_lazy("member until", "until"), null=True, blank=True)

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("trajectory member")
        verbose_name_plural = _("trajectory members")
        ordering = ["since", "pk"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class TrajectoryPhase(models.Model):
    """One phase period (R-TRJ-5); `end` is its last day once the phase is closed."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices)
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=OrientationDecision.choices, blank=True
    )
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return self.get_phase_display()


class PhaseExtension(models.Model):
    """A motivated extension of a phase step (R-TRJ-5)."""

    phase = models.ForeignKey(TrajectoryPhase, on_delete=models.CASCADE, related_name="extensions")
    until = models.DateField(_("extended until"))
    motivation = models.TextField(_("motivation"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["until", "pk"]

    def __str__(self) -> str:
        return f"{self.phase} → {self.until:%d/%m/%Y}"


class Suspension(models.Model):
    """An inactivity period (R-TRJ-3); `end` is its last day, empty while it lasts."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="suspensions")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(_("review"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}"


class Handover(models.Model):
    """A (warm) handover: a change of lead coach or organisation, with its note (R-TRJ-9)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="handovers")
    kind = models.CharField(_("kind"), max_length=10, choices=HandoverKind.choices)
    on = models.DateField(_("date"))
    from_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    from_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("handover note"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class EmploymentContract(VersionedModel):
    """The art. 60 §7 employment contract (AO) with the OCMW as employer (R-TRJ-2, R-A60)."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="employment_contract"
    )
    start = models.DateField(_("start"))
    end = models.DateField(
        _("end"),
        null=True,
        blank=True,
        help_text=_("The last day of the contract; fill it in when it is known or has ended."),
    )
    weekly_hours = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("60"))],
    )
    full_time_weekly_hours = models.DecimalField(
        _("full-time hours per week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("38"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("60"))],
    )
    third_party_user = models.CharField(
        _("third-party user (terbeschikkingstelling)"), max_length=200, blank=True
    )
    days_credited = models.DecimalField(
        _("benefit days already credited"), max_digits=5, decimal_places=1, default=Decimal("0")
    )
    rva_status = models.CharField(
        _("OCMW@RVA request"), max_length=10, choices=RvaStatus.choices, default=RvaStatus.DRAFT
    )
    rva_days = models.DecimalField(
        _("days to work (RVA answer)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    rva_end = models.DateField(_("end date (RVA answer)"), null=True, blank=True)
    end_reason = models.CharField(_("reason the contract ended"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("employment contract (AO)")
        verbose_name_plural = _("employment contracts (AO)")

    def __str__(self) -> str:
        return f"AO {self.start:%d/%m/%Y}"

    @property
    def regime(self) -> Decimal:
        return (self.weekly_hours / self.full_time_weekly_hours).quantize(Decimal("0.01"))
