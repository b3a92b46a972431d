"""The kennisbank (seed 001): documents with tags and immutable file versions.

A document belongs to the organisation that wrote it and is seen by that organisation only, or by
every organisation on the installation when shared. Its files are versions: a new upload is a new
version, a version is never edited. ``search_text`` (and, on PostgreSQL, ``search_vector``) hold
the title, description, tags and the current version's body text, kept by the services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.models import Organisation
from doorstroom.accounts.roles import Role
from doorstroom.core.models import VersionedModel
from doorstroom.core.scoping import ScopedQuerySet

# The roles that write in their organisation's kennisbank (others only read it).
EDITOR_ROLES = (Role.COACH, Role.TEAM_LEAD, Role.ADMIN)


class Category(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    INSTRUMENT = "instrument", _("Instrument")
    WORK_TOOL = "werkinstrument", _("Work tool (werkinstrument)")
    PROCEDURE = "procedure", _("Procedure")
    TEMPLATE = "template", _("Template")


class Visibility(models.TextChoices):
    ORGANISATION = "organisation", _("Own organisation only")
    SHARED = "shared", _("Shared with every organisation")


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"
    ODT = "odt", "OpenDocument (ODT)"
    TEXT = "txt", _("Text")
    MARKDOWN = "md", "Markdown"


class Tag(models.Model):
    """A keyword shared by the whole installation, stored normalised ("Werkgever" → "werkgever")."""

    name = models.CharField(_("tag"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DocumentQuerySet(ScopedQuerySet["Document"]):
    def scope_for(self, user: Any) -> DocumentQuerySet:
        """The user's organisations' documents and every shared one."""
        return self.filter(
            Q(organisation_id__in=user.organisation_ids()) | Q(visibility=Visibility.SHARED)
        )

    def editable_by(self, user: Any) -> DocumentQuerySet:
        """The documents ``user`` may edit: those of an organisation where they write."""
        editor_orgs = {m.organisation_id for m in user.active_memberships if m.role in EDITOR_ROLES}
        return self.visible_to(user).filter(organisation_id__in=editor_orgs)


class Document(VersionedModel):
    """A kennisbank entry: what it is, who wrote it and who may see it; files are its versions."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="documents")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("author organisation"),
        on_delete=models.PROTECT,
        related_name="library_documents",
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.ORGANISATION
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Identifies a starter document (load_library_starters) so that reloading is idempotent.
    starter_key = models.CharField(max_length=50, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("knowledge base document")
        verbose_name_plural = _("knowledge base documents")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["organisation", "visibility"], name="library_doc_scope"),
            models.Index(fields=["visibility", "category"], name="library_doc_shared"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["starter_key"], condition=~Q(starter_key=""), name="library_starter_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation(self) -> Organisation:
        return self.organisation

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED

    @property
    def can_be_filled(self) -> bool:
        """A template whose current version is a DOCX can be filled from a dossier."""
        version = self.current_version
        return (
            self.category == Category.TEMPLATE
            and version is not None
            and version.kind == FileKind.DOCX
        )


def version_path(instance: DocumentVersion, filename: str) -> str:
    """Store under a generated name (the service passes it): never the uploader's file name."""
    return f"library/{instance.document_id}/{filename}"


class ScopedByDocument(ScopedQuerySet["DocumentVersion"]):
    def scope_for(self, user: Any) -> ScopedByDocument:
        """A version is visible exactly when its document is."""
        return self.filter(document__in=Document.objects.visible_to(user).values("pk"))


class DocumentVersion(models.Model):
    """One uploaded file of a document; never edited: a new upload is a new version."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    kind = models.CharField(_("file type"), max_length=10, choices=FileKind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    body_text = models.TextField(_("text of the document"), blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedByDocument.as_manager()

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="library_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.document.organisation
