"""The functional administrator's screens for instrument uses and the try-out catalogue.

Coaches work in the app, where the services check the limits (R-INS-2); the administration is for
corrections. Every change is audited and versioned records refuse stale saves.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from doorstroom.core.admin_mixins import AuditedModelAdmin, VersionedAdminForm
from doorstroom.instruments.models import InstrumentUse, Tryout, TryoutOffer
from doorstroom.instruments.services import offer_search_text


class InstrumentUseForm(VersionedAdminForm):
    class Meta:
        model = InstrumentUse
        fields = "__all__"


class TryoutOfferForm(VersionedAdminForm):
    class Meta:
        model = TryoutOffer
        fields = "__all__"


class TryoutInline(admin.StackedInline):
    model = Tryout
    extra = 0
    raw_id_fields = ["offer"]
    exclude = ["version"]
    readonly_fields = ["reflected_before_at", "reflected_after_at"]


@admin.register(InstrumentUse)
class InstrumentUseAdmin(AuditedModelAdmin):
    form = InstrumentUseForm
    list_display = ["trajectory", "kind", "provider", "start", "end", "result"]
    list_filter = ["kind", "result"]
    list_select_related = ["trajectory__client"]
    date_hierarchy = "start"
    raw_id_fields = ["trajectory", "created_by"]
    inlines = [TryoutInline]


@admin.register(TryoutOffer)
class TryoutOfferAdmin(AuditedModelAdmin):
    form = TryoutOfferForm
    list_display = ["title", "organisation", "occupation", "workplace", "max_days", "is_active"]
    list_filter = ["is_active", "organisation"]
    list_select_related = ["organisation", "occupation", "workplace__employer"]
    search_fields = ["title", "description"]
    raw_id_fields = ["workplace"]
    autocomplete_fields = ["occupation"]
    exclude = ["search_text"]

    def save_model(self, request: HttpRequest, obj: TryoutOffer, form: Any, change: bool) -> None:
        obj.search_text = offer_search_text(obj)  # keep the catalogue search current
        super().save_model(request, obj, form, change)
