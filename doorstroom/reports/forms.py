"""Forms at the end of a trajectory: outflow, follow-ups, aftercare, ICF ratings, end report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstroom.core.forms import DateInput, VersionedForm, set_choices
from doorstroom.employers.models import Employer
from doorstroom.evaluations.models import IcfCode, IcfSource
from doorstroom.reports.models import AftercareKind, ContractType, OutflowKind
from doorstroom.rules.icf import QUALIFIERS

QUALIFIER_CHOICES = [("", "—")] + [(str(q), str(q)) for q in QUALIFIERS]
YES_NO_UNKNOWN = [("", _("unknown")), ("yes", _("yes")), ("no", _("no"))]


class EmployerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employer) -> str:
        return obj.name


class IcfChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: IcfCode) -> str:
        return f"{obj.code} · {obj.title_nl}"


class OutflowForm(VersionedForm):
    on = forms.DateField(label=_("Outflow on"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind of outflow"), choices=OutflowKind.choices)
    employer: EmployerChoice = EmployerChoice(
        label=_("Employer"), queryset=Employer.objects.none(), required=False
    )
    employer_name = forms.CharField(label=_("Employer (if not in the list)"), required=False)
    contract_type = forms.ChoiceField(
        label=_("Contract type"), choices=[("", "—"), *ContractType.choices], required=False
    )
    regime = forms.DecimalField(
        label=_("Regime"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=1,
        decimal_places=2,
        help_text=_("1 = full-time, 0.5 = half-time."),
    )
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "employer", employers)


class FollowUpForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Follow-up"), coerce=int, choices=())
    measured_on = forms.DateField(label=_("Measured on"), widget=DateInput())
    at_work = forms.BooleanField(label=_("The client is at work"), required=False)
    same_employer = forms.ChoiceField(
        label=_("With the same employer as at the outflow"), choices=YES_NO_UNKNOWN, required=False
    )
    regime = forms.DecimalField(
        label=_("Regime"), required=False, min_value=Decimal("0.1"), max_value=1, decimal_places=2
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, open_months: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["months"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(m, _("after %(months)s months") % {"months": m}) for m in open_months]


class AftercarePlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AftercareKind.choices)
    planned_on = forms.DateField(label=_("Planned on"), widget=DateInput())
    with_mentor = forms.BooleanField(label=_("With the employer's mentor"), required=False)


class AftercareRecordForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    with_mentor = forms.BooleanField(label=_("With the employer's mentor"), required=False)
    notes = forms.CharField(
        label=_("What was discussed and agreed"), widget=forms.Textarea(attrs={"rows": 4})
    )


class IcfRatingForm(forms.Form):
    code: IcfChoice = IcfChoice(label=_("ICF code"), queryset=IcfCode.objects.none())
    first = forms.TypedChoiceField(
        label=_("Qualifier (performance)"),
        choices=QUALIFIER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "0 none · 1 mild · 2 moderate · 3 severe · 4 complete · 8 not specified · "
            "9 not applicable"
        ),
    )
    second = forms.TypedChoiceField(
        label=_("Capacity (activities only)"),
        choices=QUALIFIER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    facilitator = forms.BooleanField(
        label=_("Facilitator (environmental factors only; otherwise a barrier)"), required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=IcfSource.choices)
    rated_on = forms.DateField(label=_("Rated on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, codes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "code", codes)


class EndReportForm(VersionedForm):
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    competences_reached = forms.CharField(
        label=_("Competences reached"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why the trajectory ends now, and how the client functions, in ICF terms."),
    )
    recommendation = forms.CharField(
        label=_("Recommendation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the client needs next (work, training, support)."),
    )
