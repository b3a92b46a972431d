"""Cross-cutting models: the audit trail and the base for optimistically locked records."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from doorstroom.core.scoping import ScopedQuerySet


@functools.cache
def _choice_labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    """A field's choices as {value: lazy label}, built once per field."""
    return dict(field.flatchoices)


class VersionedModel(models.Model):
    """An editable record that refuses stale saves (see ``core.locking``)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        """``get_<field>_display()`` from a dict built once per field (issue 11).

        Django builds the dict anew on every call and hashes each (value, label) pair on the
        way, which translates every label of the field: a list of 50 trajectories paid about
        750 translations for its kind, phase and status columns. The label is still translated
        when it is shown, in the language of the request.
        """
        value = getattr(self, field.attname)
        try:
            label = _choice_labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)  # type: ignore[misc]  # not in the stubs
        return force_str(label, strings_only=True)


class AuditEventQuerySet(ScopedQuerySet["AuditEvent"]):
    def scope_for(self, user: Any) -> AuditEventQuerySet:
        """Privacy officers see the events of their own organisations; nobody else sees any."""
        from doorstroom.accounts.roles import Role

        return self.filter(organisation_id__in=user.organisation_ids(Role.PRIVACY_OFFICER))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are never deleted; redact them instead (R-PRV-4).")


class AuditEvent(models.Model):
    """One thing that happened: who did what to which record, when and from where (R-PRV-4)."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_label = models.CharField(_("record"), max_length=254, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    purpose = models.CharField(_("purpose"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=254, blank=True)
    redacted_at = models.DateTimeField(_("redacted at"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-at"], name="audit_org_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["action"], name="audit_action"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are never deleted; redact them instead (R-PRV-4).")


class LinkPurpose(models.TextChoices):
    MENTOR_EVALUATION = "mentor_evaluation", _("Mentor's evaluation")
    FEEDBACK = "feedback", _("360° feedback")
    CLIENT_VIEW = "client_view", _("Client's own view")


class AccessLink(models.Model):
    """A secret link for someone without an account (see ``core.links``).

    Only a hash of the token is stored; the token itself exists only in the e-mail. A link
    expires, may be single-use, and can be revoked (a resend revokes the old link).
    """

    purpose = models.CharField(_("purpose"), max_length=30, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    single_use = models.BooleanField(_("single use"), default=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    used_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access link")
        verbose_name_plural = _("access links")
        indexes = [models.Index(fields=["purpose", "expires_at"], name="link_purpose_expiry")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.name or self.email}"

    @property
    def audit_organisation(self) -> Any:
        return self.organisation


class RateCounter(models.Model):
    """How often one key (a hashed address, IP or user in one rate window) was hit.

    Written only by ``core.ratelimit.hit`` in one atomic statement; a row is worthless once
    ``expires`` (epoch seconds) has passed and is deleted by a later hit.
    """

    key = models.CharField(max_length=120, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
