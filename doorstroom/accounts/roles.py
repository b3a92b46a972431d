"""Roles a user can hold in an organisation (SPEC §1)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COACH = "coach", _("Job coach")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COUNSELLOR = "counsellor", _("VDAB counsellor")
    TEAM_LEAD = "team_lead", _("Team lead")
    ADMIN = "admin", _("Functional administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")


class OrganisationKind(models.TextChoices):
    OCMW = "ocmw", _("OCMW / local government")
    VDAB = "vdab", _("VDAB")
    PARTNER = "partner", _("Partner / leerwerkbedrijf")
