"""The functional administrator's screen for the try-out catalogue.

Instrument uses are dossier data: they are corrected in the app, within the coach's access and
the limits of R-INS-2, never in the administration (which sees every organisation, R-PRV-1).
Every change is audited and versioned records refuse stale saves.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from doorstroom.core.admin_mixins import AuditedModelAdmin, VersionedAdminForm
from doorstroom.instruments.models import TryoutOffer
from doorstroom.instruments.services import offer_search_text


class TryoutOfferForm(VersionedAdminForm):
    class Meta:
        model = TryoutOffer
        fields = "__all__"


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
