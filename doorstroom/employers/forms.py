"""Forms of the employers area: they parse input; the services decide (R-PLC)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.models import Municipality, User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import DutchLevel, Occupation, WorkDemand
from doorstroom.core import uploads
from doorstroom.core.errors import DomainError
from doorstroom.core.forms import DateInput, VersionedForm
from doorstroom.core.text import short_date
from doorstroom.employers.models import (
    AgreementKind,
    ContactRole,
    EmployerContact,
    EmployerKind,
    Level,
    PlacementEndReason,
    PlacementKind,
    Sector,
    Workplace,
)
from doorstroom.plans.models import Competence
from doorstroom.trajectories.models import Trajectory

REGIMES = [(f"{v / 100:.2f}", f"{v} %") for v in range(50, 101, 10)]
ANY_REGIMES = [(f"{v / 100:.2f}", f"{v} %") for v in range(10, 101, 10)]


def staff_of(organisation_ids: set[int]) -> Any:
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=organisation_ids,
            memberships__role__in=[Role.COACH, Role.TEAM_LEAD, Role.COUNSELLOR],
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or enterprise number"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *EmployerKind.choices], required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    enterprise_number = forms.CharField(
        label=_("Enterprise number (KBO)"),
        max_length=20,
        required=False,
        help_text=_("10 digits, e.g. 0403.019.261."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EmployerKind.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, required=False)
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(),
        required=False,
        label=_("Municipality"),
        help_text=_("Only needed when several municipalities share the postcode."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_coach = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("Account coach"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, organisation_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact_coach"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff_of(organisation_ids)


class EmployerCreateForm(EmployerForm):
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_job_title = forms.CharField(
        label=_("Contact person's job title"), max_length=200, required=False
    )
    contact_phone = forms.CharField(
        label=_("Contact person's phone"), max_length=30, required=False
    )
    contact_email = forms.EmailField(label=_("Contact person's e-mail address"), required=False)

    def contact_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["contact_name"],
            "job_title": data["contact_job_title"],
            "phone": data["contact_phone"],
            "email": data["contact_email"],
        }


class EmployerEditForm(EmployerForm, VersionedForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class ContactForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=ContactRole.choices, initial=ContactRole.MENTOR
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)


class ContactEditForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)


class ContactReplaceForm(forms.Form):
    name = forms.CharField(label=_("New contact person"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)


class TrajectoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Trajectory) -> str:
        return f"{obj.client.full_name} — {obj.get_kind_display()} ({short_date(obj.start)})"


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    trajectory = TrajectoryChoice(
        queryset=Trajectory.objects.none(),
        label=_("Trajectory (tripartite agreement only)"),
        required=False,
        help_text=_("The client's art. 60 trajectory for which the employer is third-party user."),
    )
    start = forms.DateField(label=_("Valid from"), widget=DateInput)
    end = forms.DateField(label=_("Valid until"), widget=DateInput, required=False)
    signed_on = forms.DateField(
        label=_("Signed on"),
        widget=DateInput,
        required=False,
        help_text=_("Leave empty while the agreement is not signed yet."),
    )
    signed_by_employer = forms.CharField(label=_("Signed for the employer by"), max_length=200)
    signed_by_organisation = forms.CharField(
        label=_("Signed for our organisation by"), max_length=200
    )
    signed_by_client = forms.BooleanField(label=_("Signed by the client"), required=False)
    commitment_clause = forms.BooleanField(
        label=_("Contains the commitment clause"),
        required=False,
        help_text=_(
            "The employer commits to stimulating the client towards the regular labour market."
        ),
    )
    document = forms.FileField(label=_("Signed document"), required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    MAX_BYTES = 20 * 1024 * 1024

    def __init__(self, *args: Any, trajectories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trajectory"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = trajectories

    def clean_document(self) -> Any:
        # Checked by content, not by name: a renamed program is refused (issue 10).
        upload = self.cleaned_data.get("document")
        if upload:
            try:
                uploads.check(upload, allowed=uploads.DOSSIER_KINDS, max_bytes=self.MAX_BYTES)
            except DomainError as error:
                raise forms.ValidationError(str(error)) from error
        return upload


class AgreementEditForm(AgreementForm, VersionedForm):
    pass


class OccupationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Occupation) -> str:
        return obj.name_nl


class WorkplaceForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200)
    occupation = OccupationChoice(
        queryset=Occupation.objects.filter(is_active=True), label=_("Occupation"), required=False
    )
    tasks = forms.CharField(
        label=_("Tasks"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    demands = forms.MultipleChoiceField(
        label=_("Physical demands"),
        choices=WorkDemand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requires_driving_licence = forms.BooleanField(label=_("Driving licence needed"), required=False)
    dutch_level = forms.ChoiceField(label=_("Level of Dutch needed"), choices=DutchLevel.choices)
    min_regime = forms.TypedChoiceField(
        label=_("Lowest regime"), choices=ANY_REGIMES, coerce=Decimal, initial="0.50"
    )
    max_regime = forms.TypedChoiceField(
        label=_("Highest regime"), choices=REGIMES, coerce=Decimal, initial="1.00"
    )
    schedule = forms.CharField(
        label=_("Hours and schedule"),
        max_length=200,
        required=False,
        help_text=_("E.g. Monday to Friday, 8:00–16:00; no weekends."),
    )
    pace = forms.ChoiceField(label=_("Pace"), choices=Level.choices, initial=Level.MEDIUM)
    variety = forms.ChoiceField(label=_("Variety"), choices=Level.choices, initial=Level.MEDIUM)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(), label=_("Location (municipality)"), required=False
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=1)
    contact_coach = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("Contact coach"), required=False
    )
    last_reviewed = forms.DateField(label=_("Job profile last reviewed on"), widget=DateInput)

    def __init__(self, *args: Any, organisation_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact_coach"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff_of(organisation_ids)
        self.competences = list(
            Competence.objects.filter(is_active=True).order_by("kind", "name_nl")
        )
        for competence in self.competences:
            self.fields[f"competence_{competence.code}"] = forms.TypedChoiceField(
                label=competence.name_nl,
                choices=[("", "—"), *((str(n), str(n)) for n in range(1, 5))],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("competence_")]

    def competence_fields(self) -> list[Any]:
        return [self[f"competence_{c.code}"] for c in self.competences]

    def trained(self) -> dict[Competence, int]:
        return {
            c: self.cleaned_data[f"competence_{c.code}"]
            for c in self.competences
            if self.cleaned_data.get(f"competence_{c.code}")
        }


class WorkplaceEditForm(WorkplaceForm, VersionedForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class ReviewForm(VersionedForm):
    on = forms.DateField(label=_("Reviewed with the employer on"), widget=DateInput)


class PlacementForm(forms.Form):
    workplace = forms.ModelChoiceField(queryset=Workplace.objects.none(), label=_("Workplace"))
    kind = forms.ChoiceField(label=_("Kind"), choices=PlacementKind.choices)
    mentor = forms.ModelChoiceField(
        queryset=EmployerContact.objects.none(), label=_("Mentor"), required=False
    )
    start = forms.DateField(label=_("Start"), widget=DateInput)
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput, required=False)
    regime = forms.TypedChoiceField(
        label=_("Regime at the start"),
        choices=ANY_REGIMES,
        coerce=Decimal,
        initial="0.50",
        help_text=_("At least half-time (R-PLC-3). Add build-up steps below if needed."),
    )
    step2_from = forms.DateField(label=_("Build-up: from"), widget=DateInput, required=False)
    step2_regime = forms.TypedChoiceField(
        label=_("Build-up: regime"),
        choices=[("", "—"), *ANY_REGIMES],
        coerce=Decimal,
        empty_value=None,
        required=False,
    )
    step3_from = forms.DateField(label=_("Second build-up: from"), widget=DateInput, required=False)
    step3_regime = forms.TypedChoiceField(
        label=_("Second build-up: regime"),
        choices=[("", "—"), *ANY_REGIMES],
        coerce=Decimal,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args: Any, workplaces: Any, mentors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["workplace"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = workplaces
        mentor_field = self.fields["mentor"]
        assert isinstance(mentor_field, forms.ModelChoiceField)
        mentor_field.queryset = mentors

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in (2, 3):
            day, regime = data.get(f"step{n}_from"), data.get(f"step{n}_regime")
            if bool(day) != bool(regime):
                self.add_error(
                    f"step{n}_regime" if day else f"step{n}_from",
                    _("Fill in both the date and the regime of a build-up step."),
                )
        return data

    def steps(self) -> list[tuple[Any, Decimal]]:
        data = self.cleaned_data
        steps = [(data["start"], data["regime"])]
        for n in (2, 3):
            if data.get(f"step{n}_from") and data.get(f"step{n}_regime"):
                steps.append((data[f"step{n}_from"], data[f"step{n}_regime"]))
        return steps


class FollowUpForm(forms.Form):
    on = forms.DateField(label=_("Date of the visit"), widget=DateInput)
    mentor_present = forms.BooleanField(
        label=_("The mentor took part"), required=False, initial=True
    )
    notes = forms.CharField(
        label=_("What did you see and agree?"), widget=forms.Textarea(attrs={"rows": 5})
    )


class PlacementEndForm(VersionedForm):
    end = forms.DateField(label=_("Last day"), widget=DateInput)
    reason = forms.ChoiceField(label=_("Reason"), choices=PlacementEndReason.choices)
    note = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RegimeStepForm(VersionedForm):
    start = forms.DateField(label=_("From"), widget=DateInput)
    regime = forms.TypedChoiceField(label=_("Regime"), choices=ANY_REGIMES, coerce=Decimal)
