"""Forms of the client dossier; rules live in the services, forms only parse input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstroom.accounts.models import Municipality, Organisation, User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import (
    AlternativeRoute,
    BarrierCategory,
    Client,
    ContactKind,
    DutchLevel,
    Income,
    IntakeDecision,
    LearningPotential,
    Occupation,
    SensitiveCategory,
    Severity,
    WorkDemand,
)
from doorstroom.core import uploads
from doorstroom.core.errors import DomainError
from doorstroom.core.forms import DateInput, DateTimeInput, VersionedForm, set_choices
from doorstroom.core.params import is_ascii_digits
from doorstroom.trajectories.choices import TrajectoryKind

REGIME_CHOICES = [
    ("0.20", "20 %"),
    ("0.30", "30 %"),
    ("0.40", "40 %"),
    ("0.50", _("50 % (half-time)")),
    ("0.60", "60 %"),
    ("0.70", "70 %"),
    ("0.80", _("80 % (4/5)")),
    ("0.90", "90 %"),
    ("1.00", _("100 % (full-time)")),
]


class OccupationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Occupation) -> str:
        return obj.name_nl


def occupation_field(required: bool = False) -> OccupationChoiceField:
    return OccupationChoiceField(
        queryset=Occupation.objects.filter(is_active=True),
        required=required,
        label=_("Job targets"),
        help_text=_("Hold Ctrl (or ⌘) to choose several occupations."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class ClientForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    national_number = forms.CharField(
        label=_("National number (INSZ)"),
        max_length=20,
        required=False,
        help_text=_("11 digits, e.g. 85.07.30-033.28; empty for people without one."),
    )
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, min_length=4)
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(),
        required=False,
        label=_("Municipality"),
        help_text=_("Only needed when several municipalities share the postcode."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    languages = forms.CharField(label=_("Languages spoken"), max_length=200, required=False)
    dutch_level = forms.ChoiceField(label=_("Level of Dutch"), choices=DutchLevel.choices)
    income = forms.ChoiceField(label=_("Income"), choices=Income.choices)
    vdab_registration_date = forms.DateField(
        label=_("Registered as job seeker at VDAB on"), required=False, widget=DateInput
    )
    driving_licence = forms.BooleanField(label=_("Driving licence"), required=False)
    own_transport = forms.BooleanField(label=_("Own transport"), required=False)
    public_transport = forms.BooleanField(
        label=_("Can use public transport"), required=False, initial=True
    )
    max_regime = forms.TypedChoiceField(
        label=_("Maximum regime"), choices=REGIME_CHOICES, coerce=Decimal, initial="1.00"
    )
    job_targets = occupation_field()
    work_limitations = forms.MultipleChoiceField(
        label=_("Work limitations"),
        choices=WorkDemand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What the client cannot do at work, as agreed with the client. Matching never "
            "proposes a workplace that demands it. Diagnoses belong in the protected section."
        ),
    )

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not is_ascii_digits(value):
            raise forms.ValidationError(_("A Belgian postcode has 4 digits."))
        return value


class ClientCreateForm(ClientForm):
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, this is another person with the same name and date of birth"),
        required=False,
        widget=forms.HiddenInput,
    )


class ClientEditForm(ClientForm, VersionedForm):
    # R-PRV-6: a rectification (art. 16 GDPR) is recorded with old and new values; the reason
    # goes into the audit event's purpose and shows on the privacy officer's dossier log.
    rectification_reason = forms.CharField(
        label=_("Reason for the rectification"),
        max_length=250,
        required=False,
        help_text=_(
            "Optional. For example: the client asked to correct their address. "
            "Recorded in the access log with the old and new values."
        ),
    )

    @staticmethod
    def initial_for(client: Client) -> dict[str, Any]:
        initial = {name: getattr(client, name) for name in ClientForm.base_fields}
        initial["max_regime"] = f"{client.max_regime:.2f}"
        initial["job_targets"] = list(client.job_targets.all())
        initial["version"] = client.version
        return initial


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or national number"), required=False)


def coaches_of(organisation_ids: set[int]) -> Any:
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=organisation_ids,
            memberships__role=Role.COACH,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Trajectory kind"), choices=TrajectoryKind.choices)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    national_number = forms.CharField(
        label=_("National number (INSZ)"), max_length=20, required=False
    )
    to_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True, kind__in=["ocmw", "partner"]),
        label=_("Refer to organisation"),
    )
    to_coach = UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("To coach (optional)"),
        help_text=_("Leave empty to let the organisation assign a coach."),
    )
    referred_on = forms.DateField(label=_("Referral date"), widget=DateInput)
    first_meeting = forms.DateTimeField(
        label=_("Proposed joint first meeting"),
        required=False,
        widget=DateTimeInput,
        help_text=_("Warm handover: the referrer, the coach and the client together."),
    )
    context = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Situation, questions, what was agreed with the client. No medical details."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(is_active=True, kind__in=["ocmw", "partner"])
        set_choices(self, "to_coach", coaches_of(set(organisations.values_list("pk", flat=True))))


class DeclineForm(VersionedForm):
    decline_reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class IntakeForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    strengths = forms.CharField(
        label=_("Work-related strengths"), widget=forms.Textarea(attrs={"rows": 3})
    )
    preconditions = forms.CharField(
        label=_("Preconditions (childcare, transport, housing, …)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    recent_experience = forms.CharField(
        label=_("Recent work experience"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    experience_months = forms.IntegerField(
        label=_("Months worked in the last 5 years"), min_value=0, max_value=60, initial=0
    )
    learning_potential = forms.ChoiceField(
        label=_("Learning potential"), choices=LearningPotential.choices
    )
    max_regime = forms.TypedChoiceField(
        label=_("Able to work (share of full time)"),
        choices=REGIME_CHOICES,
        coerce=Decimal,
        initial="1.00",
    )
    social_economy_highest = forms.BooleanField(
        label=_("Social economy is the highest attainable"), required=False
    )
    faster_route = forms.BooleanField(
        label=_("A faster route to work exists (e.g. direct mediation)"), required=False
    )
    job_targets = occupation_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("No threshold")), *Severity.choices]
        for value, label in BarrierCategory.choices:
            self.fields[f"barrier_{value}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
            self.fields[f"barrier_{value}_note"] = forms.CharField(
                label=_("Note on %(category)s") % {"category": label},
                max_length=300,
                required=False,
            )

    def barrier_fields(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"barrier_{v}"], self[f"barrier_{v}_note"]) for v, _l in BarrierCategory.choices
        ]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("barrier_")]

    def barriers(self) -> list[tuple[str, str, str]]:
        data = self.cleaned_data
        return [
            (value, data[f"barrier_{value}"], data.get(f"barrier_{value}_note", ""))
            for value, _label in BarrierCategory.choices
            if data.get(f"barrier_{value}")
        ]


class IntakeDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in IntakeDecision.choices if c[0]],
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(
        label=_("Motivation (instroommotivatie)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Why the client enters TWE — or not. Required, also when you follow the suggestion."
        ),
    )
    alternative_route = forms.ChoiceField(
        label=_("Alternative route (when the client does not enter)"),
        choices=[("", "—"), *AlternativeRoute.choices],
        required=False,
    )
    alternative_note = forms.CharField(
        label=_("About the alternative route"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class JournalForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    participants = forms.CharField(label=_("Participants"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Sensitive information (medical, psychological, judicial) belongs in the "
            "protected section."
        ),
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self) -> Any:
        # Checked by content, not by name: a renamed program is refused (issue 10).
        upload = self.cleaned_data["file"]
        try:
            uploads.check(upload, allowed=uploads.DOSSIER_KINDS, max_bytes=self.MAX_BYTES)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ConsentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True), label=_("Shared with")
    )
    scope = forms.CharField(label=_("What may be shared"), max_length=300)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)
    until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)


class SensitiveNoteForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=SensitiveCategory.choices)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you read this note?"),
        max_length=250,
        help_text=_("Your reason is recorded in the access log."),
    )


class GrantForm(forms.Form):
    user = UserChoiceField(
        queryset=User.objects.none(), label=pgettext_lazy("the user to authorise", "Authorise")
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "user", users)
