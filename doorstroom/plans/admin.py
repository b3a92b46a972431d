"""The functional administrator's screen for the competence catalogue."""

from __future__ import annotations

from django.contrib import admin

from doorstroom.core.admin_mixins import AuditedModelAdmin
from doorstroom.plans.models import Competence


@admin.register(Competence)
class CompetenceAdmin(AuditedModelAdmin):
    list_display = ["name_nl", "code", "kind", "occupation", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_nl", "name_en", "code"]
    autocomplete_fields = ["occupation"]
