"""Organisations, their service areas, users and their roles (memberships)."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.core.models import VersionedModel

LOGO_MAX_BYTES = 500 * 1024


def validate_logo_size(file: Any) -> None:
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is larger than 500 KB."))


class Municipality(models.Model):
    """A Belgian municipality (Statbel REFNIS code, which encodes arrondissement and province)."""

    refnis = models.CharField(_("NIS code"), max_length=5, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)
    province_refnis = models.CharField(_("province code"), max_length=5, blank=True)
    region_refnis = models.CharField(_("region code"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name_nl

    @property
    def arrondissement_refnis(self) -> str:
        return self.refnis[:2] + "000"


class PostalCode(models.Model):
    code = models.CharField(_("postcode"), max_length=4, db_index=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="postal_codes",
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "municipality"], name="postcode_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.municipality.name_nl}"


class Organisation(VersionedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("seat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_area = models.ManyToManyField(
        Municipality,
        verbose_name=_("service area (zorggebied)"),
        blank=True,
        related_name="service_organisations",
        help_text=_("The municipalities this OCMW is responsible for."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"]), validate_logo_size],
        help_text=_("PNG or JPEG, at most 500 KB; printed at the top of every document."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation(self) -> Organisation:
        return self


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=(username or "").strip().lower())

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address; roles come from memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    language = models.CharField(
        _("language"),
        max_length=10,
        default="nl-be",
        choices=[("nl-be", _("Dutch")), ("en", _("English"))],
    )
    privacy_training_date = models.DateField(
        _("privacy training on"),
        null=True,
        blank=True,
        help_text=_("Without a privacy training a user cannot open any dossier."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("may use the administration"),
        default=False,
        help_text=_("Functional administrators need this to reach the administration screens."),
    )
    date_joined = models.DateTimeField(_("created"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        # One spelling of an address: logins compare lower-case (UserManager.get_by_natural_key).
        self.email = self.email.strip().lower()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    # Roles ---------------------------------------------------------------------------------
    # Memberships are read once per request object and cached on the instance.

    @property
    def active_memberships(self) -> list[Membership]:
        cached: list[Membership] | None = getattr(self, "_memberships_cache", None)
        if cached is None:
            cached = list(
                self.memberships.filter(organisation__is_active=True)
                .select_related("organisation")
                .order_by("id")
            )
            self._memberships_cache = cached
        return cached

    def organisation_ids(self, role: Role | str | None = None) -> set[int]:
        return {
            m.organisation_id for m in self.active_memberships if role is None or m.role == role
        }

    def has_role(self, *roles: Role | str) -> bool:
        return any(m.role in roles for m in self.active_memberships)

    @property
    def primary_membership(self) -> Membership | None:
        memberships = self.active_memberships
        return memberships[0] if memberships else None

    @property
    def primary_organisation(self) -> Organisation | None:
        membership = self.primary_membership
        return membership.organisation if membership else None

    # R-PRV-2: dossier access only after a recorded privacy training.
    def has_privacy_training(self, today: datetime.date | None = None) -> bool:
        if self.privacy_training_date is None:
            return False
        return self.privacy_training_date <= (today or timezone.localdate())

    @property
    def audit_organisation(self) -> Organisation | None:
        return self.primary_organisation


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"], name="membership_org_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.organisation


class ApiToken(models.Model):
    """A personal API token (REST API v1): acts as its user; only a hash of the key is kept."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# Two-factor authentication and sessions (issue #10) --------------------------------------


class TwoFactorDevice(models.Model):
    """A user's TOTP authenticator; the secret is stored encrypted (core/crypto.py).

    A device without ``confirmed_at`` is an enrolment in progress: it counts for nothing until the
    user proves with a code that the app on their phone produces the same codes.
    """

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="two_factor_device"
    )
    secret_ciphertext = models.BinaryField(editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("in use since"), null=True, blank=True)
    # The last accepted time step: a code is accepted once (no replay within its 30 seconds).
    last_counter = models.BigIntegerField(null=True, blank=True, editable=False)
    failed_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return f"{self.user} — TOTP"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def audit_organisation(self) -> Organisation | None:
        return self.user.primary_organisation


class RecoveryCode(models.Model):
    """A one-time recovery code; only a salted SHA-256 of it is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        indexes = [models.Index(fields=["user", "used_at"], name="recovery_code_user_used")]

    def __str__(self) -> str:
        return f"{self.user} — {self.code_hash[:8]}…"


class UserSession(models.Model):
    """A signed-in browser session, for the user's list of active sessions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["user", "last_seen"], name="user_session_seen")]

    def __str__(self) -> str:
        return f"{self.user} — {self.user_agent or '?'}"

    @property
    def audit_organisation(self) -> Organisation | None:
        return self.user.primary_organisation


class KnownDevice(models.Model):
    """A browser a user has logged in from (a long-lived signed cookie); only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_devices")
    token_hash = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=100, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("known device")
        verbose_name_plural = _("known devices")
        constraints = [
            models.UniqueConstraint(fields=["user", "token_hash"], name="known_device_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.user_agent or '?'}"
