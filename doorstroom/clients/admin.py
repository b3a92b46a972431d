"""The functional administrator's screens for client reference data."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from doorstroom.clients.models import Occupation
from doorstroom.clients.occupations import ISCO_UNIT_GROUP
from doorstroom.core.admin_mixins import AuditedModelAdmin


class OccupationForm(forms.ModelForm):
    class Meta:
        model = Occupation
        fields = ["name_nl", "name_en", "isco_code", "esco_uri", "is_active"]

    def clean_isco_code(self) -> str:
        code = str(self.cleaned_data["isco_code"]).strip()
        if not ISCO_UNIT_GROUP.fullmatch(code):
            raise ValidationError(_("Enter an ISCO-08 unit group: four digits."), code="invalid")
        return code


@admin.register(Occupation)
class OccupationAdmin(AuditedModelAdmin):
    """The occupation list: curated on installation, extended by an ESCO import or by hand."""

    form = OccupationForm
    list_display = ["name_nl", "isco_code", "is_active", "esco_uri"]
    list_filter = ["is_active"]
    search_fields = ["name_nl", "name_en", "isco_code", "esco_uri"]
