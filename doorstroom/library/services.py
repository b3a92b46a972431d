"""Writes on the kennisbank: documents, their versions, and filling a template from a dossier.

Only members of the author organisation with a writing role (coach, team lead, administrator)
create, edit or add versions; others may read shared documents but not change them. Each write
keeps the search text (and on PostgreSQL the search vector) current.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.accounts.models import Organisation, User
from doorstroom.core.audit import audit, diff
from doorstroom.core.errors import DomainError
from doorstroom.core.locking import lock, save_versioned
from doorstroom.core.text import normalise
from doorstroom.employers.models import Placement
from doorstroom.library import files, merge
from doorstroom.library.models import (
    EDITOR_ROLES,
    Category,
    Document,
    DocumentVersion,
    FileKind,
    Tag,
    Visibility,
)
from doorstroom.library.selectors import SEARCH_CONFIG
from doorstroom.library.starters import Starter, docx_bytes
from doorstroom.trajectories.models import Trajectory

DOCUMENT_FIELDS = ("title", "description", "category", "visibility")
# Who the audit trail names when the installation itself writes (the starter documents).
SYSTEM_ACTOR = "load_library_starters"
MAX_TAGS = 10
TAG_LENGTH = 50


def editor_organisation_ids(user: User) -> set[int]:
    """The organisations in whose kennisbank ``user`` writes."""
    return {m.organisation_id for m in user.active_memberships if m.role in EDITOR_ROLES}


def can_edit(document: Document, user: User) -> bool:
    return document.organisation_id in editor_organisation_ids(user)


def parse_tags(text: str) -> list[str]:
    """Split "Werkgever, contract; intake" into normalised, distinct tags (in order)."""
    tags: list[str] = []
    for part in re.split(r"[,;\n]", text or ""):
        tag = normalise(part)
        if tag and tag not in tags:
            tags.append(tag)
    if any(len(tag) > TAG_LENGTH for tag in tags):
        raise DomainError(
            _("A tag has at most %(n)s characters.") % {"n": TAG_LENGTH}, field="tags"
        )
    if len(tags) > MAX_TAGS:
        raise DomainError(_("Give at most %(n)s tags.") % {"n": MAX_TAGS}, field="tags")
    return tags


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: data[name] for name in DOCUMENT_FIELDS if name in data}
    values["title"] = (values.get("title") or "").strip()
    values["description"] = (values.get("description") or "").strip()
    if not values["title"]:
        raise DomainError(_("Give the document a title."), field="title")
    if values.get("category") not in Category.values:
        raise DomainError(_("Choose a category."), field="category")
    if values.get("visibility") not in Visibility.values:
        raise DomainError(_("Choose who may see the document."), field="visibility")
    return values


def _set_tags(document: Document, names: list[str]) -> None:
    tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    document.tags.set(tags)


def refresh_search(document: Document) -> None:
    """Keep the document's search text (and PostgreSQL search vector) current."""
    body = document.current_version.body_text if document.current_version else ""
    tags = " ".join(document.tags.values_list("name", flat=True))
    head = normalise(f"{document.title} {tags}")
    rest = normalise(f"{document.description} {body}")
    document.search_text = f"{head} {rest}"
    document.save(update_fields=["search_text"])
    if connection.vendor == "postgresql":
        # The title and tags weigh more than the description and the body (ranking).
        vector = SearchVector(Value(head), weight="A", config=SEARCH_CONFIG) + SearchVector(
            Value(rest), weight="B", config=SEARCH_CONFIG
        )
        Document.objects.filter(pk=document.pk).update(search_vector=vector)


def _store_version(
    document: Document, inspected: files.Inspected, change_note: str, by: User | None
) -> DocumentVersion:
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=inspected.original_name,
        size=len(inspected.data),
        kind=inspected.kind,
        content_type=inspected.content_type,
        body_text=inspected.body_text,
        change_note=change_note.strip()[:300],
        uploaded_by=by,
    )
    # A generated name: the uploader's name is kept as data only, never as a path.
    version.file.save(
        f"{uuid.uuid4().hex}.{inspected.extension}", ContentFile(inspected.data), save=False
    )
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    return version


def _version_audit(version: DocumentVersion) -> dict[str, Any]:
    return {
        "version": version.number,
        "file": version.original_name,
        "size": version.size,
        "type": version.kind,
    }


@transaction.atomic
def document_create(
    *,
    organisation: Organisation,
    data: Mapping[str, Any],
    upload: Any,
    by: User | None,
    starter_key: str = "",
) -> Document:
    """Add a document with its first version to ``organisation``'s kennisbank.

    ``by`` is None only for the starter documents that the installation loads itself.
    """
    if by is not None and organisation.pk not in editor_organisation_ids(by):
        raise DomainError(
            _("You cannot add documents for this organisation."), field="organisation"
        )
    values = _clean(data)
    tags = parse_tags(data.get("tags", ""))
    inspected = files.inspect(upload)
    document = Document.objects.create(
        organisation=organisation, created_by=by, starter_key=starter_key, **values
    )
    _set_tags(document, tags)
    version = _store_version(document, inspected, data.get("change_note", ""), by)
    refresh_search(document)
    label = "" if by else SYSTEM_ACTOR
    changes = {**values, "tags": tags, "description": True}
    audit(by, "library.document.created", document, changes, actor_label=label)
    audit(by, "library.version.uploaded", version, _version_audit(version), actor_label=label)
    return document


@transaction.atomic
def document_update(
    document: Document, *, data: Mapping[str, Any], expected_version: int, by: User
) -> Document:
    """Change a document's title, description, category, visibility and tags."""
    if not can_edit(document, by):
        raise DomainError(_("Only the author organisation can change this document."))
    values = _clean(data)
    tags = parse_tags(data.get("tags", ""))
    changes: dict[str, Any] = dict(diff(document, values))
    old_tags = sorted(document.tags.values_list("name", flat=True))
    for name, value in values.items():
        setattr(document, name, value)
    document.updated_at = timezone.now()
    save_versioned(
        document, expected_version=expected_version, update_fields=[*values, "updated_at"]
    )
    _set_tags(document, tags)
    if sorted(tags) != old_tags:
        changes["tags"] = [old_tags, sorted(tags)]
    if "description" in changes:
        changes["description"] = True  # free text: "changed", not copied into the trail
    refresh_search(document)
    audit(by, "library.document.updated", document, changes)
    return document


@transaction.atomic
def version_add(
    document: Document, *, upload: Any, change_note: str, expected_version: int, by: User | None
) -> DocumentVersion:
    """Upload a new version: it becomes the current one; the older ones stay as they were."""
    if by is not None and not can_edit(document, by):
        raise DomainError(_("Only the author organisation can add a version."))
    inspected = files.inspect(upload)
    lock(document, expected_version)  # two uploads at once cannot both take the same number
    version = _store_version(document, inspected, change_note, by)
    refresh_search(document)
    label = "" if by else SYSTEM_ACTOR
    audit(by, "library.version.uploaded", version, _version_audit(version), actor_label=label)
    return version


def version_downloaded(version: DocumentVersion, *, by: User) -> None:
    audit(by, "library.version.downloaded", version, {"version": version.number})


# --- Templates filled from a dossier ----------------------------------------------------


@dataclass(frozen=True)
class Filled:
    filename: str
    data: bytes


def _check_template(document: Document) -> DocumentVersion:
    version = document.current_version
    if document.category != Category.TEMPLATE or version is None or version.kind != FileKind.DOCX:
        raise DomainError(_("Only a template whose current version is a Word file can be filled."))
    return version


def current_placement(trajectory: Trajectory) -> Placement | None:
    """The trajectory's placement running today, else its latest one (or None)."""
    placements = list(
        Placement.objects.filter(trajectory=trajectory)
        .select_related("workplace__employer__municipality", "workplace__municipality", "mentor")
        .order_by("-start", "-pk")
    )
    today = timezone.localdate()
    running = [p for p in placements if p.is_running_on(today)]
    return (running or placements or [None])[0]


def _filename(document: Document, trajectory: Trajectory) -> str:
    stem = files.safe_filename(f"{document.title} - {trajectory.client.full_name}")
    return f"{stem}.docx"


@transaction.atomic
def template_fill(
    document: Document,
    *,
    trajectory: Trajectory,
    placement: Placement | None,
    respondent_name: str,
    by: User,
) -> Filled:
    """Fill the template's current DOCX with the dossier's data; audited as a dossier read.

    The caller has fetched ``trajectory`` through the user's scope; ``placement`` must be one of
    that trajectory's placements.
    """
    version = _check_template(document)
    if placement is not None and placement.trajectory_id != trajectory.pk:
        raise DomainError(_("Choose a placement of this trajectory."), field="placement")
    placement = placement or current_placement(trajectory)
    context = merge.merge_context(
        trajectory,
        placement=placement,
        respondent_name=respondent_name,
        today=timezone.localdate(),
    )
    with version.file.open("rb") as handle:
        template = handle.read()
    data = merge.render_docx(template, context)
    # R-PRV-4: a document made from a dossier is a read of that dossier.
    audit(
        by,
        "library.template.filled",
        trajectory,
        {
            "document": document.pk,
            "title": document.title,
            "version": version.number,
            "placement": placement.pk if placement else None,
        },
        purpose="document from template",
    )
    return Filled(filename=_filename(document, trajectory), data=data)


# --- Starter documents (seed 001) ---------------------------------------------------------


@transaction.atomic
def starter_load(starter: Starter, *, organisation: Organisation) -> str:
    """Store one starter document, shared; again only if its text changed. Return what was done.

    Idempotent: an unchanged starter is left alone ("unchanged"), a changed one gets a new
    version ("updated"); its metadata, perhaps edited by the author organisation, stays.
    """
    upload = ContentFile(docx_bytes(starter), name=starter.filename)
    document = Document.objects.filter(starter_key=starter.key).first()
    if document is None:
        data = {
            "title": starter.title,
            "description": starter.description,
            "category": starter.category,
            "visibility": Visibility.SHARED,
            "tags": starter.tags,
            "change_note": "Startversie",
        }
        document_create(
            organisation=organisation, data=data, upload=upload, by=None, starter_key=starter.key
        )
        return "created"
    current = document.current_version
    if current is not None and current.body_text == files.inspect(upload).body_text:
        return "unchanged"
    version_add(
        document,
        upload=upload,
        change_note="Bijgewerkte startversie",
        expected_version=document.version,
        by=None,
    )
    return "updated"


def starter_author(name: str = "") -> Organisation:
    """The starters' author: the organisation named (argument or the setting
    DOORSTROOM_LIBRARY_STARTER_ORGANISATION), else the installation's first organisation."""
    name = name or settings.DOORSTROOM_LIBRARY_STARTER_ORGANISATION
    organisations = Organisation.objects.order_by("pk")
    organisation = organisations.filter(name=name).first() if name else organisations.first()
    if organisation is None:
        raise DomainError(
            _("There is no organisation named %(name)s.") % {"name": name}
            if name
            else _("Create an organisation first.")
        )
    return organisation
