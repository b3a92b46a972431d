"""The functional administrator's screen for the competence catalogue."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from doorstroom.core.admin_mixins import AuditedModelAdmin
from doorstroom.plans.models import Competence, ScaleLevel


@admin.register(Competence)
class CompetenceAdmin(AuditedModelAdmin):
    list_display = ["name_nl", "code", "kind", "occupation", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_nl", "name_en", "code"]
    autocomplete_fields = ["occupation"]


@admin.register(ScaleLevel)
class ScaleLevelAdmin(AuditedModelAdmin):
    """The 4 levels and their workfloor descriptors; levels are fixed, their texts editable."""

    list_display = ["level", "label_nl", "label_en"]
    readonly_fields = ["level"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ScaleLevel | None = None) -> bool:
        return False
