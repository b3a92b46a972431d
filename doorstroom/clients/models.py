"""Clients and what the dossier holds about them before and beside a trajectory.

Intake (R-INT-1), thresholds, job targets, referrals (warm handover), consent (R-PRV-5),
protected notes (R-PRV-3), journal and documents. Access follows the client (R-PRV-1): every
child record is visible exactly when its client is.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.models import Municipality, Organisation
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.core.models import VersionedModel
from doorstroom.core.scoping import ScopedQuerySet
from doorstroom.core.text import normalise
from doorstroom.core.uploads import stored_name
from doorstroom.trajectories.choices import TrajectoryKind

REGIME_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Income(models.TextChoices):
    LEEFLOON = "leefloon", _("Leefloon or equivalent")
    JOB_SEEKER = "job_seeker", _("Job seeker (unemployment benefit or none)")
    OTHER = "other", _("Other")


class WorkDemand(models.TextChoices):
    """What a workplace demands and a client may not manage (`rules.matching.Demand`, R-PLC-5)."""

    LIFTING = "lifting", _("Lifting and carrying (ICF d430)")
    STANDING = "standing", _("Standing for long periods (ICF d4154)")
    WALKING = "walking", _("Walking a lot (ICF d450)")
    FINE_HAND_USE = "fine_hand_use", _("Fine hand use (ICF d440)")
    OUTDOOR = "outdoor", _("Working outdoors (ICF e225)")
    SHIFT_WORK = "shift_work", _("Shift or night work (ICF b134)")


class DutchLevel(models.TextChoices):
    NONE = "none", _("None")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", _("C2 / native speaker")


class Occupation(models.Model):
    """An occupation a client can aim for (job target): ISCO-08 unit group, Dutch name."""

    isco_code = models.CharField(_("ISCO-08 code"), max_length=4, db_index=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    esco_uri = models.CharField(_("ESCO URI"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["name_nl"]
        constraints = [
            models.UniqueConstraint(fields=["name_nl"], name="occupation_name_unique"),
            models.UniqueConstraint(
                fields=["esco_uri"], condition=~Q(esco_uri=""), name="occupation_esco_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_nl} ({self.isco_code})"


# R-PRV-1: the OCMW's service area opens its dossiers to those who work on them. The
# functional administrator (users, reference data) and the privacy officer (the access log and
# GDPR requests, through their own pages) do not read dossiers by role (SPEC §1).
SERVICE_AREA_ROLES = frozenset({Role.COACH, Role.SOCIAL_WORKER, Role.TEAM_LEAD})


def _ocmw_municipalities(user: Any) -> models.QuerySet[Municipality] | None:
    """The service area of the user's OCMWs (None when the user serves none)."""
    ocmw_ids = [
        m.organisation_id
        for m in user.active_memberships
        if m.organisation.kind == OrganisationKind.OCMW and m.role in SERVICE_AREA_ROLES
    ]
    if not ocmw_ids:
        return None
    return Municipality.objects.filter(service_organisations__id__in=ocmw_ids)


def visible_client_ids(user: Any, today: datetime.date | None = None) -> models.QuerySet[Any]:
    """R-PRV-1: the ids of the client dossiers ``user`` may see.

    - lead coaches and members of one of the client's trajectories — a member from another
      organisation (a partner on a mixed trajectory) only while the client's consent to
      share with that organisation holds (R-PRV-5): its expiry or withdrawal ends the access;
    - coaches, social workers and team leads of an OCMW, for the clients living in its
      service area (zorggebied);
    - team leads, for the trajectories and registrations of their organisation;
    - whoever referred the client, and the coach a referral is addressed to;
    - the user who registered the client.

    One id set, a UNION of one indexed read per reason, rather than one row filter with an OR
    per reason: the database then reads the few thousand ids a user may see through the
    indexes, where the OR made it test every client of the installation (issue 11). Scoped
    queries filter ``pk IN`` (clients) or ``client IN`` (everything reached through a client).
    """
    trajectory = apps.get_model("trajectories", "Trajectory")
    member = apps.get_model("trajectories", "TrajectoryMember")
    lead_orgs = user.organisation_ids(Role.TEAM_LEAD)
    own_orgs = user.organisation_ids()
    by_membership = member.objects.filter(user=user, until__isnull=True).filter(
        Q(trajectory__organisation_id__in=own_orgs)
        | Exists(
            Consent.objects.valid_on(today or timezone.localdate()).filter(
                client_id=OuterRef("trajectory__client_id"), organisation_id__in=own_orgs
            )
        )
    )
    clients = Client.objects.order_by()
    reasons = [
        trajectory.objects.filter(coach=user).order_by().values("client_id"),
        by_membership.order_by().values("trajectory__client_id"),
        Referral.objects.filter(Q(referred_by=user) | Q(to_coach=user))
        .order_by()
        .values("client_id"),
        clients.filter(registered_by=user).values("pk"),
    ]
    if lead_orgs:
        reasons += [
            trajectory.objects.filter(organisation_id__in=lead_orgs).order_by().values("client_id"),
            Referral.objects.filter(to_organisation_id__in=lead_orgs)
            .order_by()
            .values("client_id"),
            clients.filter(organisation_id__in=lead_orgs).values("pk"),
        ]
    area = _ocmw_municipalities(user)
    if area is not None:
        reasons.append(clients.filter(municipality__in=area).values("pk"))
    first, *rest = reasons
    # UNION rather than UNION ALL: PostgreSQL then plans the id set from its parts' estimates,
    # where for UNION ALL it guessed 200 distinct ids and looked each client up by key: the
    # search at scale l 12 -> 8.5 ms, a scope of 20,000 clients 131 -> 110 ms (SQLite: alike).
    return first.union(*rest)


def visible_client_ids_sql(user: Any, using: str) -> RawSQL:
    """R-PRV-1: ``visible_client_ids(user)`` as SQL, compiled once and reused (issue 11).

    Building and compiling the UNION costs a few milliseconds of Python, and every scoped query
    of every page paid it again. The SQL is a function of the database, the user's id, their
    active memberships (organisation, role and the organisation's kind: each reason of
    ``visible_client_ids`` follows from them) and today (the consents valid today, R-PRV-5); that
    is the cache key, so a new role, a membership ended or a new day compiles anew. The rows
    behind it (trajectories, referrals, consents, registrations) are read when each query runs:
    a dossier handed over or a consent withdrawn counts at once.
    """
    memberships = tuple(
        (m.organisation_id, m.role, m.organisation.kind) for m in user.active_memberships
    )
    return _compiled_scope(using, user.pk, timezone.localdate(), memberships, user)


@functools.lru_cache(maxsize=4096)
def _compiled_scope(
    using: str, user_pk: int, today: datetime.date, memberships: tuple[Any, ...], user: Any
) -> RawSQL:
    # `user` is part of the key only through its pk (models compare by pk); it is here to build
    # the queryset, from the memberships already in the key.
    # Resolved against an outer query as `filter(pk__in=…)` does: the same aliases (U0, V0…).
    query = visible_client_ids(user, today).query.resolve_expression(Query(Client))
    sql, params = query.get_compiler(using=using).as_sql()
    # SQL compiled by Django from the queryset above; the values stay parameters.
    return RawSQL(sql, tuple(params), output_field=models.BigIntegerField())  # noqa: S611


class ClientQuerySet(ScopedQuerySet["Client"]):
    def scope_for(self, user: Any) -> ClientQuerySet:
        """R-PRV-1: the dossiers ``user`` may see (``visible_client_ids``)."""
        return self.filter(pk__in=visible_client_ids_sql(user, self.db))


class Client(VersionedModel):
    """A person guided towards work (werkervaringsklant): one dossier per person."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    national_number = models.CharField(
        _("national number (INSZ)"),
        max_length=11,
        blank=True,
        help_text=_("11 digits; leave empty for people without a Belgian national number."),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("The languages the client speaks.")
    )
    dutch_level = models.CharField(
        _("level of Dutch"), max_length=4, choices=DutchLevel.choices, default=DutchLevel.NONE
    )
    income = models.CharField(_("income"), max_length=20, choices=Income.choices)
    vdab_registration_date = models.DateField(
        _("registered at VDAB on"), null=True, blank=True, help_text=_("As job seeker.")
    )
    driving_licence = models.BooleanField(_("driving licence"), default=False)
    own_transport = models.BooleanField(_("own transport"), default=False)
    public_transport = models.BooleanField(_("can use public transport"), default=True)
    max_regime = models.DecimalField(
        _("maximum regime"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=REGIME_VALIDATORS,
        help_text=_("Share of full time the client can work (0.5 = half-time)."),
    )
    job_targets = models.ManyToManyField(
        Occupation, verbose_name=_("job targets"), blank=True, related_name="clients"
    )
    # The job targets' ISCO codes, sorted and comma-separated: a copy kept by
    # clients.services.job_targets_set so that matching reads them as a column (R-PLC-5).
    job_target_codes = models.TextField(blank=True, default="", editable=False)
    work_limitations = models.JSONField(
        _("work limitations"),
        default=list,
        blank=True,
        help_text=_("Work demands the client cannot meet (WorkDemand codes); used by matching."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("registered by organisation"),
        on_delete=models.PROTECT,
        related_name="registered_clients",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # Case- and accent-free "first last last first national-number", kept by save() (STACK).
    search_text = models.CharField(max_length=300, editable=False, db_index=True)
    # R-PRV-6: set by clients.retention when the closed dossier is anonymised.
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_number"],
                condition=~Q(national_number=""),
                name="client_national_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="client_name_idx"),
            # The duplicate check looks a national number up by equality: SQLite cannot use the
            # partial unique index for that and read every client (issue 11).
            models.Index(fields=["national_number"], name="client_national_number_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.organisation

    def refresh_search_text(self) -> None:
        self.search_text = normalise(
            f"{self.first_name} {self.last_name} {self.last_name} {self.first_name} "
            f"{self.national_number}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class ScopedByClient(ScopedQuerySet[Any]):
    """Child records of a dossier: visible exactly when their client is (R-PRV-1)."""

    def scope_for(self, user: Any) -> Any:
        return self.filter(client__in=Client.objects.visible_to(user).values("pk"))


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Referral(VersionedModel):
    """A referral with warm handover (seed 001, R-TRJ-9): from a social worker or counsellor."""

    kind = models.CharField(_("trajectory kind"), max_length=10, choices=TrajectoryKind.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    national_number = models.CharField(_("national number (INSZ)"), max_length=11, blank=True)
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    from_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("referring organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    to_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to coach"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    referred_on = models.DateField(_("referral date"))
    context = models.TextField(
        _("handover note"),
        help_text=_("What the coach needs to know: situation, questions, what was agreed."),
    )
    first_meeting = models.DateTimeField(_("proposed joint first meeting"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("answered on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["status", "to_organisation"], name="referral_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.referred_on:%d/%m/%Y})"

    @property
    def audit_organisation(self) -> Organisation:
        return self.to_organisation


class LearningPotential(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    GOOD = "good", _("Good")


class IntakeDecision(models.TextChoices):
    PENDING = "", _("Not decided yet")
    ELIGIBLE = "eligible", _("Enters TWE")
    NOT_ELIGIBLE = "not_eligible", _("Does not enter TWE")


class AlternativeRoute(models.TextChoices):
    SOCIAL_ECONOMY = "social_economy", _("Social economy / maatwerk (via GTB)")
    IBO = "ibo", _("IBO")
    C_IBO = "c_ibo", _("C-IBO")
    INTERNSHIP = "internship", _("Internship (stage)")
    DIRECT_NEC = "direct_nec", _("Direct mediation to a job in the NEC")
    TRAINING = "training", _("Training")
    CARE = "care", _("Care or social activation first")
    OTHER = "other", _("Other")


class Intake(VersionedModel):
    """The intake assessment (inschatting, seed 003; R-INT-1) and the entry decision (R-INT-2)."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="intakes"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    strengths = models.TextField(_("work-related strengths"))
    preconditions = models.TextField(_("preconditions"), blank=True)
    recent_experience = models.TextField(_("recent work experience"), blank=True)
    experience_months = models.PositiveSmallIntegerField(
        _("months worked in the last 5 years"),
        default=0,
        validators=[MaxValueValidator(60)],
    )
    learning_potential = models.CharField(
        _("learning potential"), max_length=10, choices=LearningPotential.choices
    )
    max_regime = models.DecimalField(
        _("maximum regime"),
        max_digits=3,
        decimal_places=2,
        validators=REGIME_VALIDATORS,
        help_text=_("Share of full time the client can work (0.5 = half-time)."),
    )
    social_economy_highest = models.BooleanField(
        _("social economy is the highest attainable"), default=False
    )
    faster_route = models.BooleanField(_("a faster route to work exists"), default=False)
    suggested_eligible = models.BooleanField(_("suggested verdict: eligible"), default=False)
    suggested_reasons = models.JSONField(_("failed criteria"), default=list, blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=IntakeDecision.choices, blank=True, default=""
    )
    motivation = models.TextField(_("motivation (instroommotivatie)"), blank=True)
    alternative_route = models.CharField(
        _("alternative route"), max_length=20, choices=AlternativeRoute.choices, blank=True
    )
    alternative_note = models.TextField(_("about the alternative route"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    objects = ScopedByClient.as_manager()

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} {self.assessed_on:%d/%m/%Y}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.client.organisation


class BarrierCategory(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    SOCIAL = "social", _("Social")
    LANGUAGE = "language", _("Language")
    MOBILITY = "mobility", _("Mobility")
    CHILDCARE = "childcare", _("Childcare")
    HOUSING = "housing", _("Housing")
    DEBT = "debt", _("Debts")
    JUDICIAL = "judicial", _("Judicial")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class Barrier(models.Model):
    """A threshold (drempel) found at intake, with its category and severity (R-INT-1)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="barriers")
    category = models.CharField(_("category"), max_length=20, choices=BarrierCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        constraints = [
            models.UniqueConstraint(fields=["intake", "category"], name="barrier_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.get_severity_display()}"


class ConsentQuerySet(ScopedByClient):
    def valid_on(self, day: datetime.date) -> ConsentQuerySet:
        """R-PRV-5: consents given by `day`, not expired and not withdrawn on it."""
        return self.filter(given_on__lte=day).exclude(until__lt=day).exclude(withdrawn_on__lte=day)


class Consent(models.Model):
    """What the client agreed to share with which organisation, until when (R-PRV-5)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("shared with"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope = models.CharField(_("what may be shared"), max_length=300)
    given_on = models.DateField(_("given on"))
    until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.scope}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.client.organisation


class SensitiveCategory(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    JUDICIAL = "judicial", _("Judicial")
    OTHER = "other", _("Other sensitive information")


class SensitiveNote(models.Model):
    """A note in the protected section (R-PRV-3): the text is stored encrypted only."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sensitive_notes")
    category = models.CharField(_("category"), max_length=20, choices=SensitiveCategory.choices)
    ciphertext = models.BinaryField(editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    objects = ScopedByClient.as_manager()

    class Meta:
        verbose_name = _("protected note")
        verbose_name_plural = _("protected notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.created_at:%d/%m/%Y})"

    @property
    def audit_organisation(self) -> Organisation:
        return self.client.organisation


class SensitiveAccess(models.Model):
    """A user the lead coach explicitly authorised to read the protected section (R-PRV-3)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sensitive_access")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "user"], name="sensitive_access_unique"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class ContactKind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    HOME_VISIT = "home_visit", _("Home visit")
    WORKPLACE_VISIT = "workplace_visit", _("Workplace visit")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    CONSULTATION = "consultation", _("Case consultation")


class JournalEntry(models.Model):
    """A contact moment in the dossier's journal."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="journal")
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journal",
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind of contact"), max_length=20, choices=ContactKind.choices)
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    notes = models.TextField(_("notes"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByClient.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["client", "-on"], name="journal_client_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.client.organisation


def document_path(instance: Document, filename: str) -> str:
    # A generated name: the uploader's file name never becomes a path (issue 10).
    return stored_name(f"dossiers/{instance.client_id}", filename)


class Document(models.Model):
    """A file attached to the dossier; downloads go through the scoped, audited view."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByClient.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation(self) -> Organisation:
        return self.client.organisation
