"""Admin building blocks: every admin write is audited; versioned records refuse stale saves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from doorstroom.core.audit import audit
from doorstroom.core.errors import StaleEditError
from doorstroom.core.locking import check_version


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the editor saw; ``clean`` refuses the save if it is stale."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.instance.pk:
            try:
                check_version(type(self.instance), self.instance.pk, cleaned.get("seen_version"))
            except StaleEditError as exc:
                raise ValidationError(str(exc.message), code="stale") from exc
            self.instance.version = (cleaned.get("seen_version") or 0) + 1
        return cleaned


class AuditedModelAdmin(admin.ModelAdmin):
    """Write an audit event for every add, change and delete made in the administration."""

    def _action(self, verb: str) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{meta.model_name}.{verb}"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changes = {
            name: str(form.cleaned_data.get(name))
            for name in form.changed_data
            if name not in {"password", "password1", "password2", "seen_version"}
        }
        audit(request.user, self._action("changed" if change else "created"), obj, changes)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for added in formset.new_objects:
                audit(request.user, self._inline_action(added, "created"), added)
            for changed, fields in formset.changed_objects:
                audit(
                    request.user,
                    self._inline_action(changed, "changed"),
                    changed,
                    {"fields": fields},
                )
            for deleted in formset.deleted_objects:
                audit(
                    request.user,
                    self._inline_action(deleted, "deleted"),
                    None,
                    {"object": str(deleted)},
                )

    @staticmethod
    def _inline_action(obj: models.Model, verb: str) -> str:
        return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit(request.user, self._action("deleted"), obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit(request.user, self._action("deleted"), obj)
        super().delete_queryset(request, queryset)
