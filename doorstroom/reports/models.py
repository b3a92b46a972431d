"""The end of a trajectory: outflow and its follow-ups, aftercare, and the end report (R-END).

A trajectory is *closed* only with a finalised end report (R-END-1, R-TRJ-4). The report is
drafted from the dossier's facts (kept as a structured snapshot, also exported as JSON), the
coach writes the motivation and recommendation, and finalising locks it: an amendment is a
new version.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstroom.core.models import VersionedModel
from doorstroom.core.scoping import ScopedQuerySet
from doorstroom.trajectories.models import ScopedByTrajectory


class OutflowKind(models.TextChoices):
    # R-END-2 (the same values as rules.clock.OutflowKind)
    NEC_JOB = "nec_job", _("A job in the regular economy (NEC)")
    SOCIAL_ECONOMY = "social_economy", _("A job in the social economy")
    TRAINING = "training", _("Training")
    BENEFITS = "benefits", _("Benefits (no work)")
    OTHER = "other", _("Other")


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent contract")
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    TEMPORARY = "temporary", _("Temporary agency work")
    OTHER = "other", _("Other")


class Outflow(VersionedModel):
    """Where the client went at the end of the trajectory (R-END-2)."""

    trajectory = models.OneToOneField(
        "trajectories.Trajectory", on_delete=models.PROTECT, related_name="outflow"
    )
    on = models.DateField(_("outflow on"))
    kind = models.CharField(_("kind of outflow"), max_length=20, choices=OutflowKind.choices)
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer_name = models.CharField(_("employer (if not in the list)"), max_length=200, blank=True)
    contract_type = models.CharField(
        _("contract type"), max_length=12, choices=ContractType.choices, blank=True
    )
    regime = models.DecimalField(_("regime"), max_digits=3, decimal_places=2, null=True, blank=True)
    details = models.TextField(_("details"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("outflow")
        verbose_name_plural = _("outflows")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"

    @property
    def to_work(self) -> bool:
        return self.kind in (OutflowKind.NEC_JOB, OutflowKind.SOCIAL_ECONOMY)

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer else self.employer_name


class OutflowFollowUp(models.Model):
    """The client's situation 3, 6 or 12 months after the end (R-END-2)."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.PROTECT, related_name="outflow_followups"
    )
    months = models.PositiveSmallIntegerField(_("months after the end"))
    measured_on = models.DateField(_("measured on"))
    at_work = models.BooleanField(_("at work"))
    same_employer = models.BooleanField(_("with the same employer"), null=True, blank=True)
    regime = models.DecimalField(_("regime"), max_digits=3, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("outflow follow-up")
        verbose_name_plural = _("outflow follow-ups")
        ordering = ["trajectory", "months"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "months"], name="outflow_followup_once"),
            models.CheckConstraint(
                condition=models.Q(months__in=[3, 6, 12]), name="outflow_followup_months"
            ),
        ]

    def __str__(self) -> str:
        return f"+{self.months}m {self.measured_on:%d/%m/%Y}"


class AftercareKind(models.TextChoices):
    JOB_COACHING = "job_coaching", _("Job coaching")
    LANGUAGE_COACHING = "language_coaching", _("Language coaching")


class AftercareContact(models.Model):
    """A planned or held aftercare contact after outflow to work (R-TRJ-10, seed 002 fase 3)."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.PROTECT, related_name="aftercare_contacts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AftercareKind.choices)
    planned_on = models.DateField(_("planned on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    with_mentor = models.BooleanField(_("with the employer's mentor"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("aftercare contact")
        verbose_name_plural = _("aftercare contacts")
        ordering = ["trajectory", "planned_on", "pk"]
        indexes = [models.Index(fields=["trajectory", "planned_on"], name="aftercare_traj")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_on:%d/%m/%Y}"


class EndReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("end report", "Draft")
    FINAL = "final", pgettext_lazy("end report", "Final")


class EndReport(VersionedModel):
    """The motivated end report in ICF terms (R-END-1); one version per amendment."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.PROTECT, related_name="end_reports"
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=5, choices=EndReportStatus.choices, default=EndReportStatus.DRAFT
    )
    facts = models.JSONField(_("facts from the dossier"), default=dict)
    summary = models.TextField(_("summary"), blank=True)
    competences_reached = models.TextField(_("competences reached"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_on = models.DateField(_("finalised on"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("end report")
        verbose_name_plural = _("end reports")
        ordering = ["trajectory", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "number"], name="end_report_number")
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} · v{self.number}"

    @property
    def is_final(self) -> bool:
        return self.status == EndReportStatus.FINAL

    @property
    def audit_organisation(self) -> Any:
        return self.trajectory.organisation


class MonthEndSnapshot(models.Model):
    """One trajectory as it stood on the last day of one month (R-FIN-4).

    Taken by ``manage.py take_month_end_snapshot`` (idempotent: re-taking a month replaces its
    rows). It is the line of the VDAB monitoring file and what the dashboards count over time,
    so no chart recomputes history. The amounts are those due as known on that day; a
    quarterly statement recomputes them from the facts known when it is drawn up (R-FIN-1).
    """

    month_end = models.DateField(_("month end"))
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="month_end_snapshots"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10)
    phase = models.CharField(_("phase"), max_length=12, blank=True)
    status = models.CharField(_("status"), max_length=12)
    month = models.PositiveSmallIntegerField(_("month of the trajectory"))  # R-FIN-3: k
    guided = models.BooleanField(_("guided at month end"))
    ao_running = models.BooleanField(_("employment contract running"))
    suspended = models.BooleanField(_("suspended"))
    ao_in_time = models.BooleanField(_("employment contract started in time"), null=True)
    evaluation_overdue = models.BooleanField(_("evaluation overdue"))
    pop_overdue = models.BooleanField(_("POP update overdue"))
    effort_fee = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    effort_status = models.CharField(max_length=20, blank=True)
    deel3 = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    compensation_part1 = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    compensation_part2 = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("month-end snapshot")
        verbose_name_plural = _("month-end snapshots")
        ordering = ["month_end", "trajectory_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "month_end"], name="snapshot_one_per_month"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "month_end"], name="snapshot_org_month"),
            models.Index(fields=["coach", "month_end"], name="snapshot_coach_month"),
            models.Index(fields=["month_end", "kind"], name="snapshot_month_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory_id} @ {self.month_end}"


class IssuedStatementQuerySet(ScopedQuerySet["IssuedStatement"]):
    def scope_for(self, user: Any) -> IssuedStatementQuerySet:
        """The statements of the organisations where the user is team lead or administrator."""
        from doorstroom.accounts.roles import Role

        orgs = user.organisation_ids(Role.TEAM_LEAD) | user.organisation_ids(Role.ADMIN)
        return self.filter(organisation_id__in=orgs)


class IssuedStatement(models.Model):
    """A quarterly financing statement as the team lead issued it (R-FIN-4).

    The lines and corrections are kept exactly as issued (amounts as strings, per trajectory
    and month end), so a later statement can show what changed since: the corrections.
    One statement per organisation and quarter; a quarter is never issued twice (changes
    after issuing appear as corrections in a later quarter's statement).
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lines = models.JSONField(_("lines as issued"), default=list)
    corrections = models.JSONField(_("corrections as issued"), default=list)
    totals = models.JSONField(_("totals as issued"), default=dict)
    # R-FIN-4: "issued so far" after this statement (its lines and corrections added to those
    # of every statement issued before it), so a later draft reads one row, not every issued
    # statement: written once at issue, like the rest (doorstroom/reports/financing.py).
    ledger = models.JSONField(_("issued so far"), default=dict, editable=False)

    objects = IssuedStatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued financing statement")
        verbose_name_plural = _("issued financing statements")
        ordering = ["organisation", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter"], name="issued_statement_once"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="issued_statement_quarter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def audit_organisation(self) -> Any:
        return self.organisation
