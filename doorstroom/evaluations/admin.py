"""The functional administrator's screen for the ICF reference set (R-ICF-2)."""

from __future__ import annotations

from django.contrib import admin

from doorstroom.core.admin_mixins import AuditedModelAdmin
from doorstroom.evaluations.models import IcfCode


@admin.register(IcfCode)
class IcfCodeAdmin(AuditedModelAdmin):
    list_display = ["code", "title_nl", "title_en", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "title_nl", "title_en"]
