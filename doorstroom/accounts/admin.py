"""The functional administrator's screens: organisations, service areas, users and roles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.models import Membership, Municipality, Organisation, PostalCode, User
from doorstroom.accounts.roles import OrganisationKind
from doorstroom.core.admin_mixins import AuditedModelAdmin, VersionedAdminForm

admin.site.site_header = _("Doorstroom — administration")
admin.site.site_title = _("Doorstroom administration")
admin.site.index_title = _("Administration")


class OrganisationForm(VersionedAdminForm):
    class Meta:
        model = Organisation
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        area = cleaned.get("service_area")
        if area and cleaned.get("kind") != OrganisationKind.OCMW:
            self.add_error("service_area", _("Only an OCMW has a service area."))
        elif area:
            taken = (
                Municipality.objects.filter(pk__in=[m.pk for m in area])
                .filter(service_organisations__kind=OrganisationKind.OCMW)
                .exclude(service_organisations=self.instance.pk)
                .values_list("name_nl", "service_organisations__name")
            )
            if taken:
                listed = ", ".join(f"{m} ({o})" for m, o in taken)
                self.add_error(
                    "service_area",
                    ValidationError(
                        _("These municipalities already belong to another OCMW: %(list)s."),
                        params={"list": listed},
                    ),
                )
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    form = OrganisationForm
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["service_area"]
    autocomplete_fields = ["municipality"]
    fields = [
        "name",
        "kind",
        "municipality",
        "service_area",
        "email",
        "phone",
        "logo",
        "is_active",
        "seen_version",
    ]


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    list_display = ["name_nl", "name_fr", "refnis", "province_refnis"]
    search_fields = ["name_nl", "name_fr", "refnis", "postal_codes__code"]
    inlines = [PostalCodeInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "privacy_training_date", "is_active"]
    list_filter = ["is_active", "is_staff", "memberships__role", "memberships__organisation"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "language")}),
        (_("Privacy"), {"fields": ("privacy_training_date",)}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("History"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups"]
