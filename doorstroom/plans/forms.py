"""The form for a new POP version: the plan itself plus a row per competence and per action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstroom.core.forms import DateInput, VersionedForm, set_choices
from doorstroom.instruments.models import InstrumentUse, WantsThis
from doorstroom.plans.models import LEVELS, ActionStatus, Competence
from doorstroom.plans.services import ActionLine, CompetenceLine

LEVEL_CHOICES = [(str(level), str(level)) for level in LEVELS]


class PlanVersionForm(VersionedForm):
    drawn_up_on = forms.DateField(label=_("Drawn up on"), widget=DateInput())
    goals = forms.CharField(
        label=_("Goals"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One goal per line."),
    )
    agreements = forms.CharField(
        label=_("Agreements with the client"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_words = forms.CharField(
        label=_("In the client's own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the client wants to reach, as they say it."),
    )


class CompetenceRowForm(forms.Form):
    competence = forms.ModelChoiceField(
        label=_("Competence"),
        queryset=Competence.objects.filter(is_active=True).order_by("name_nl"),
        required=False,
    )
    current_level = forms.TypedChoiceField(
        label=_("Current level"),
        choices=[("", "—"), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"),
        choices=[("", "—"), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("competence") and not data.get("target_level"):
            self.add_error("target_level", _("Choose the target level."))
        if not data.get("competence") and (data.get("target_level") or data.get("current_level")):
            self.add_error("competence", _("Choose the competence."))
        return data

    def line(self) -> CompetenceLine | None:
        data = self.cleaned_data
        if not data.get("competence"):
            return None
        return CompetenceLine(
            competence=data["competence"],
            target_level=data["target_level"],
            current_level=data.get("current_level"),
            note=data.get("note", ""),
        )


class InstrumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: InstrumentUse) -> str:
        return str(obj)


class ActionRowForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=300, required=False)
    who = forms.CharField(label=_("Who"), max_length=120, required=False)
    due = forms.DateField(label=_("By when"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    instrument_use = InstrumentChoice(
        label=_("Instrument"), queryset=InstrumentUse.objects.none(), required=False
    )

    def __init__(self, *args: Any, instrument_uses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "instrument_use", instrument_uses)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("what") and not data.get("who"):
            self.add_error("who", _("Say who does it."))
        if not data.get("what") and (data.get("who") or data.get("due")):
            self.add_error("what", _("Describe the action."))
        return data

    def line(self) -> ActionLine | None:
        data = self.cleaned_data
        if not data.get("what"):
            return None
        return ActionLine(
            what=data["what"],
            who=data["who"],
            due=data.get("due"),
            status=data["status"],
            instrument_use=data.get("instrument_use"),
        )


CompetenceFormSet = forms.formset_factory(CompetenceRowForm, extra=3)
ActionFormSet = forms.formset_factory(ActionRowForm, extra=2)


class ClientLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("The client's e-mail address"),
        required=False,
        help_text=_("Without an address you get the link to hand over yourself."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365)


class MyTryoutForm(forms.Form):
    """The client's own reflection on a try-out, in plain words (B1)."""

    expectation = forms.CharField(
        label=_("What do you expect?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Before: what will the work be like? What are you curious or worried about?"),
    )
    finding = forms.CharField(
        label=_("What did you find?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("After: what was it really like? What went well, what was hard?"),
    )
    wants_this = forms.ChoiceField(
        label=_("Do you want this job?"),
        required=False,
        choices=[("", "—"), *WantsThis.choices],
    )
