"""Choices of the trajectory domain, importable without models (the referral uses the kind)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstroom.rules import clock


class TrajectoryKind(models.TextChoices):
    ART60 = clock.TrajectoryKind.ART60.value, _("TWE/art60 (OCMW)")
    WZ = clock.TrajectoryKind.WZ.value, _("TWE-wz (VDAB referral)")


class Phase(models.TextChoices):
    PRE = clock.Phase.PRE.value, _("Screening and referral")
    ORIENTATION = clock.Phase.ORIENTATION.value, _("Job orientation on the workfloor")
    EXPERIENCE = clock.Phase.EXPERIENCE.value, _("Work experience")
    OUTFLOW = clock.Phase.OUTFLOW.value, _("Outflow")
    AFTERCARE = clock.Phase.AFTERCARE.value, _("Aftercare")


class Status(models.TextChoices):
    RUNNING = "running", _("Running")
    SUSPENDED = "suspended", _("Suspended")
    STOPPED = "stopped", _("Stopped")


class StopReason(models.TextChoices):
    # R-TRJ-4
    OUTFLOW_TO_WORK = "outflow_to_work", _("Outflow to work")
    MOVE = "move", _("Moved (transfer)")
    ILLNESS = "illness", _("Illness")
    NOT_ELIGIBLE = "not_eligible", _("No longer eligible")
    DROP_OUT = "drop_out", _("Drop-out")
    REFERRAL_ELSEWHERE = "referral_elsewhere", _("Referred elsewhere")
    END_OF_TERM = "end_of_term", _("End of term")


class MemberRole(models.TextChoices):
    # R-TRJ-12: mixed trajectories
    COACH = "coach", _("Job coach")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COUNSELLOR = "counsellor", _("VDAB counsellor")
    OTHER = "other", _("Other professional")


class OrientationDecision(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    REORIENT = "reorient", _("Reorient")


class RvaStatus(models.TextChoices):
    # R-A60-1
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")


class HandoverKind(models.TextChoices):
    START = "start", _("Start (from the referral)")
    COACH = "coach", _("Change of coach")
    TRANSFER = "transfer", _("Transfer to another organisation")
