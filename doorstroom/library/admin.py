"""The functional administrator's screens for the kennisbank (moderation, SPEC §1).

Files are uploaded in the app, where their content is checked; here versions are read-only.
Every change is audited and a stale save of a document is refused.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from doorstroom.core.admin_mixins import AuditedModelAdmin, VersionedAdminForm
from doorstroom.library.models import Document, DocumentVersion, Tag
from doorstroom.library.services import refresh_search


class DocumentForm(VersionedAdminForm):
    class Meta:
        model = Document
        fields = "__all__"


VERSION_FIELDS: tuple[str, ...] = (
    "number",
    "original_name",
    "kind",
    "size",
    "change_note",
    "uploaded_by",
    "uploaded_at",
)


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = VERSION_FIELDS
    readonly_fields = VERSION_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # uploads go through the app, which checks the file's content


@admin.register(Document)
class DocumentAdmin(AuditedModelAdmin):
    form = DocumentForm
    list_display = ["title", "category", "organisation", "visibility", "updated_at"]
    list_filter = ["category", "visibility", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["title", "description"]
    filter_horizontal = ["tags"]
    inlines = [VersionInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        refresh_search(form.instance)  # keep the search current after an edit here


@admin.register(Tag)
class TagAdmin(AuditedModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
