"""Employers, their contacts and agreements, workplaces (job profiles) and placements (R-PLC)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstroom.accounts.models import Municipality, Organisation
from doorstroom.clients.models import DutchLevel, Occupation, WorkDemand
from doorstroom.core.models import VersionedModel
from doorstroom.core.scoping import ScopedQuerySet
from doorstroom.core.uploads import stored_name
from doorstroom.plans.models import Competence
from doorstroom.trajectories.models import ScopedByTrajectory, Trajectory


class EmployerKind(models.TextChoices):
    INTERNAL = "internal", _("Internal workfloor")
    LEERWERKBEDRIJF = "leerwerkbedrijf", _("Leerwerkbedrijf / social economy")
    NEC = "nec", _("Regular employer (NEC)")


class Sector(models.TextChoices):
    CARE = "care", _("Care and welfare")
    CLEANING = "cleaning", _("Cleaning")
    HOSPITALITY = "hospitality", _("Hospitality and catering")
    LOGISTICS = "logistics", _("Logistics and transport")
    CONSTRUCTION = "construction", _("Construction and maintenance")
    GREEN = "green", _("Green spaces and agriculture")
    RETAIL = "retail", _("Retail")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    RECYCLING = "recycling", _("Recycling and environment")
    ADMINISTRATION = "administration", _("Administration and services")
    PUBLIC = "public", _("Public services")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class EmployerQuerySet(ScopedQuerySet["Employer"]):
    def scope_for(self, user: Any) -> EmployerQuerySet:
        """An employer belongs to the organisation that manages the relationship (R-PRV-1)."""
        return self.filter(organisation_id__in=user.organisation_ids())


class Employer(VersionedModel):
    """An employer: an internal workfloor, a leerwerkbedrijf or a regular (NEC) employer."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="employers",
        help_text=_("The organisation that manages the cooperation with this employer."),
    )
    name = models.CharField(_("name"), max_length=200)
    enterprise_number = models.CharField(
        _("enterprise number (KBO)"), max_length=10, blank=True, db_index=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EmployerKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The coach who follows up this employer: gets its agreement deadlines."),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "name"], name="employer_org_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_internal(self) -> bool:
        """Tell whether the placement stays with the guiding organisation (no third-party user)."""
        return self.kind == EmployerKind.INTERNAL


class ContactRole(models.TextChoices):
    CONTACT = "contact", _("Contact person")
    MENTOR = "mentor", _("Mentor (werkplekbegeleider)")


class ScopedByEmployer(ScopedQuerySet[Any]):
    def scope_for(self, user: Any) -> Any:
        return self.filter(employer__organisation_id__in=user.organisation_ids())


class EmployerContact(VersionedModel):
    """The employer's one contact person (R-PLC-2) or one of its mentors."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(_("role"), max_length=10, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedByEmployer.as_manager()

    class Meta:
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        ordering = ["role", "name", "pk"]
        constraints = [
            # R-PLC-2: exactly one (active) contact person per employer.
            models.UniqueConstraint(
                fields=["employer"],
                condition=Q(role="contact", is_active=True),
                name="employer_one_contact",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgreementKind(models.TextChoices):
    COOPERATION = "cooperation", _("Cooperation agreement")
    TRIPARTITE = "tripartite", _("Tripartite agreement (terbeschikkingstelling)")


def agreement_upload_to(instance: Agreement, filename: str) -> str:
    # A generated name: the uploader's file name never becomes a path (issue 10).
    return stored_name(f"agreements/{instance.employer_id}", filename)


class Agreement(VersionedModel):
    """A cooperation agreement with an employer, or a tripartite one for one art60 placement."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    trajectory = models.ForeignKey(
        Trajectory,
        verbose_name=_("trajectory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text=_("Only for a tripartite agreement: the client's art. 60 trajectory."),
    )
    start = models.DateField(_("valid from"))
    end = models.DateField(_("valid until"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by_employer = models.CharField(_("signed for the employer by"), max_length=200)
    signed_by_organisation = models.CharField(_("signed for our organisation by"), max_length=200)
    signed_by_client = models.BooleanField(_("signed by the client"), default=False)
    commitment_clause = models.BooleanField(
        _("contains the commitment clause"),
        default=False,
        help_text=_(
            "The employer commits to stimulating the client towards the regular labour market."
        ),
    )
    document = models.FileField(
        _("signed document"), upload_to=agreement_upload_to, max_length=300, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByEmployer.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["employer", "kind", "end"], name="agreement_employer")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.employer}"

    def in_force_on(self, day: datetime.date) -> bool:
        """Tell whether the agreement is signed and valid on `day`."""
        return (
            self.signed_on is not None
            and self.signed_on <= day
            and self.start <= day
            and (self.end is None or day <= self.end)
        )


class WorkplaceQuerySet(ScopedQuerySet["Workplace"]):
    def scope_for(self, user: Any) -> WorkplaceQuerySet:
        return self.filter(employer__organisation_id__in=user.organisation_ids())


class Workplace(VersionedModel):
    """A workplace with its job profile (R-PLC-7, seed 000): what is done, trained and demanded."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="workplaces")
    title = models.CharField(_("job title"), max_length=200)
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tasks = models.TextField(_("tasks"), blank=True)
    demands = models.JSONField(_("physical demands"), default=list, blank=True)
    requires_driving_licence = models.BooleanField(_("driving licence needed"), default=False)
    dutch_level = models.CharField(
        _("level of Dutch needed"),
        max_length=4,
        choices=DutchLevel.choices,
        default=DutchLevel.NONE,
    )
    min_regime = models.DecimalField(
        _("lowest regime"), max_digits=3, decimal_places=2, default=Decimal("0.50")
    )
    max_regime = models.DecimalField(
        _("highest regime"), max_digits=3, decimal_places=2, default=Decimal("1.00")
    )
    schedule = models.CharField(_("hours and schedule"), max_length=200, blank=True)
    pace = models.CharField(_("pace"), max_length=10, choices=Level.choices, default=Level.MEDIUM)
    variety = models.CharField(
        _("variety"), max_length=10, choices=Level.choices, default=Level.MEDIUM
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)
    contact_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Reviews this job profile and gets its review deadline."),
    )
    last_reviewed = models.DateField(_("last reviewed on"))
    is_active = models.BooleanField(_("active"), default=True)
    competences: models.ManyToManyField[Competence, WorkplaceCompetence] = models.ManyToManyField(
        Competence, through="WorkplaceCompetence", related_name="+", blank=True
    )
    # The trained competences' codes, sorted and comma-separated: a copy kept by
    # employers.services so that matching reads them as a column (R-PLC-5).
    trained_codes = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkplaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["employer", "is_active"], name="workplace_employer"),
            models.Index(fields=["contact_coach", "last_reviewed"], name="workplace_review"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.employer}"

    def get_demands_display(self) -> list[str]:
        labels = dict(WorkDemand.choices)
        return [str(labels.get(code, code)) for code in self.demands]


class WorkplaceCompetence(models.Model):
    """A competence the workplace trains, with the level (1–4) it asks for."""

    workplace = models.ForeignKey(Workplace, on_delete=models.CASCADE, related_name="trained")
    competence = models.ForeignKey("plans.Competence", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), default=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workplace", "competence"], name="workplace_competence")
        ]

    def __str__(self) -> str:
        return f"{self.competence} ({self.level})"


class PlacementKind(models.TextChoices):
    WORK_EXPERIENCE = "work_experience", pgettext_lazy("placement kind", "Work experience")
    INTERNAL_WORKFLOOR = "internal_workfloor", _("Internal workfloor")
    JOB_TASTING = "job_tasting", _("Job tasting (snuffelstage)")
    EXPLORATORY = "exploratory_internship", _("Exploratory internship")
    IMMERSION = "immersion_internship", _("Immersion internship")
    WORK_EXPERIENCE_INTERNSHIP = "work_experience_internship", _("Work experience internship")


class PlacementEndReason(models.TextChoices):
    ROTATION = "rotation", _("Rotation to another workplace")
    OUTFLOW = "outflow", _("Outflow to a regular job")
    COMPLETED = "completed", _("Planned end reached")
    STOP = "stop", _("Trajectory stopped")
    EMPLOYER = "employer", _("Ended by the employer")
    CLIENT = "client", _("Ended at the client's request")
    OTHER = "other", _("Other reason")


class Placement(VersionedModel):
    """A client's period at a workplace, with a mentor, a kind and its regime steps (R-PLC-3)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="placements")
    workplace = models.ForeignKey(
        Workplace, verbose_name=_("workplace"), on_delete=models.PROTECT, related_name="placements"
    )
    mentor = models.ForeignKey(
        EmployerContact,
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PlacementKind.choices)
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    end = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=PlacementEndReason.choices, blank=True
    )
    end_note = models.TextField(_("notes on the ending"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByTrajectory.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start", "-pk"]
        indexes = [
            models.Index(fields=["trajectory", "start"], name="placement_trajectory"),
            models.Index(fields=["workplace", "end"], name="placement_workplace"),
        ]

    def __str__(self) -> str:
        return f"{self.workplace.title} ({self.start})"

    def is_running_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def last_day(self) -> datetime.date | None:
        """The day the placement ends: its actual end, else its planned end."""
        return self.end or self.planned_end


class RegimeStep(models.Model):
    """From `start` on, the placement runs at `regime` (R-PLC-3: never below half-time)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="regime_steps")
    start = models.DateField(pgettext_lazy("regime step", "from"))
    regime = models.DecimalField(_("regime"), max_digits=3, decimal_places=2)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "start"], name="regime_step_unique"),
            models.CheckConstraint(
                condition=Q(regime__gte="0.50") & Q(regime__lte="1.00"), name="regime_step_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regime} ({self.start})"


class PlacementFollowUp(models.Model):
    """An on-the-job follow-up (werkplekbezoek) of a placement (R-TRJ-8)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="followups")
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentor_present = models.BooleanField(_("mentor present"), default=True)
    notes = models.TextField(_("notes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("on-the-job follow-up")
        verbose_name_plural = _("on-the-job follow-ups")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return str(self.on)
