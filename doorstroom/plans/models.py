"""The competence catalogue (seed 001 "competenties in beeld"); POP versions follow in this app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
