"""Import runs: an uploaded file of clients, employers or workplaces, its dry run and its result.

A run is created by the dry run (status ``dry_run``) with a per-row report; the real run
re-checks every row and ends ``imported`` or ``failed``. The parsed rows are kept only until
then (``rows``), the uploaded file itself is never stored nor served back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.models import Organisation
from doorstroom.accounts.roles import Role
from doorstroom.core.scoping import ScopedQuerySet


class ImportKind(models.TextChoices):
    CLIENTS = "clients", _("Clients")
    EMPLOYERS = "employers", _("Employers")
    WORKPLACES = "workplaces", _("Workplaces")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    SKIP_BAD_ROWS = "skip_bad_rows", _("Skip the refused rows")


class ImportStatus(models.TextChoices):
    DRY_RUN = "dry_run", _("Dry run")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed: nothing imported")


IMPORTER_ROLES = (Role.TEAM_LEAD, Role.ADMIN)


class ImportRunQuerySet(ScopedQuerySet["ImportRun"]):
    def scope_for(self, user: Any) -> ImportRunQuerySet:
        """Team leads and functional admins see their organisation's runs; anyone their own."""
        organisations: set[int] = set()
        for role in IMPORTER_ROLES:
            organisations |= user.organisation_ids(role)
        return self.filter(Q(organisation_id__in=organisations) | Q(uploaded_by=user))


class ImportRun(models.Model):
    """One uploaded file: what the dry run found and, once run, what was imported."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)  # csv | xlsx
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    refused_count = models.PositiveIntegerField(_("refused rows"), default=0)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    mode = models.CharField(_("mode"), max_length=20, choices=ImportMode.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRY_RUN
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("run at"), null=True, blank=True)
    columns = models.JSONField(_("columns"), default=dict, blank=True)  # key -> header in file
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    # [{"row": 17, "label": "…", "action": "create" | "refused" | "created",
    #   "errors": [{"column": "rijksregisternummer", "message": "…"}]}]
    report = models.JSONField(_("report per row"), default=list, blank=True)
    # The parsed rows, kept between the dry run and the real run only.
    rows = models.JSONField(default=list, blank=True, editable=False)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="importrun_org")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.file_name}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.organisation

    @property
    def can_run(self) -> bool:
        return self.status == ImportStatus.DRY_RUN

    @property
    def valid_count(self) -> int:
        return self.row_count - self.refused_count
