"""Forms of the instruments area: they parse input; the services decide (R-INS, proeftuin)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorstroom.clients.models import Occupation
from doorstroom.core.forms import DateInput, VersionedForm, set_choices
from doorstroom.core.regulation import ruleset_on
from doorstroom.employers.models import Workplace
from doorstroom.instruments.explain import KindRow, duration_text
from doorstroom.instruments.models import TRYOUT_KIND, TryoutOffer, UseResult, WantsThis

REGIMES = [(f"{v / 100:.2f}", f"{v} %") for v in range(10, 101, 10)]


class UseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of instrument"), choices=())
    provider = forms.CharField(
        label=_("Provider"),
        max_length=200,
        help_text=_("Who organises it: VDAB, a training centre, the employer, …"),
    )
    start = forms.DateField(label=_("Start"), widget=DateInput)
    end = forms.DateField(label=_("Last day"), widget=DateInput)
    hours = forms.DecimalField(
        label=_("Hours in total"),
        min_value=0,
        max_value=9999,
        decimal_places=1,
        required=False,
        help_text=_(
            "All hours over the whole period, not per week: planned first, the actual hours "
            "once the instrument is finished."
        ),
    )
    regime = forms.TypedChoiceField(
        label=_("Regime"),
        choices=REGIMES,
        coerce=Decimal,
        initial="1.00",
        help_text=_("Share of full time; an IBO is at least half-time."),
    )
    result = forms.ChoiceField(label=_("Result"), choices=UseResult.choices)
    result_notes = forms.CharField(
        label=_("Notes on the result"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What did it bring the client? Why did it stop early?"),
    )

    def __init__(self, *args: Any, kinds: list[KindRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((row.kind, row.label) for row in kinds)]


class UseEditForm(UseForm, VersionedForm):
    pass


class OfferChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: TryoutOffer) -> str:
        if obj.workplace is not None:
            return f"{obj.title} — {obj.workplace.employer.name}"
        return obj.title


class TryoutForm(forms.Form):
    offer = OfferChoice(queryset=TryoutOffer.objects.none(), label=_("Try-out"))
    start = forms.DateField(label=_("Start"), widget=DateInput)
    end = forms.DateField(label=_("Last day"), widget=DateInput)
    provider = forms.CharField(
        label=_("Provider"),
        max_length=200,
        required=False,
        help_text=_(
            "Leave empty: the employer of the try-out's workplace, else your organisation."
        ),
    )
    expectation = forms.CharField(
        label=_("What does the client expect?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("In the client's own words, before the try-out. It can also be added later."),
    )

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "offer", offers)


class ReflectionBeforeForm(VersionedForm):
    expectation = forms.CharField(
        label=_("What does the client expect?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What will the work be like? What is the client curious or worried about?"),
    )


class ReflectionAfterForm(VersionedForm):
    finding = forms.CharField(
        label=_("What did the client find?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was it really like? What went well, what was hard, what surprised?"),
    )
    wants_this = forms.ChoiceField(
        label=_("Does the client want this job?"),
        choices=WantsThis.choices,
        widget=forms.RadioSelect,
    )


class OccupationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Occupation) -> str:
        return obj.name_nl


class OfferFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by title, occupation or employer"), required=False)
    inactive = forms.BooleanField(label=_("Also inactive try-outs"), required=False)


class OfferForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    occupation = OccupationChoice(
        queryset=Occupation.objects.filter(is_active=True),
        label=_("Occupation"),
        required=False,
        help_text=_("The job target this try-out lets a client taste."),
    )
    workplace = forms.ModelChoiceField(
        queryset=Workplace.objects.none(), label=_("Workplace"), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What the client does and sees, and what to bring."),
    )
    max_days = forms.IntegerField(
        label=_("At most (days)"),
        min_value=1,
        max_value=365,
        initial=30,
    )

    def __init__(self, *args: Any, workplaces: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "workplace", workplaces)
        limits = ruleset_on(timezone.localdate()).instrument(TRYOUT_KIND)
        if limits.max_duration is not None:
            self.fields["max_days"].help_text = _(
                "A try-out is of the kind “%(label)s”: at most %(limit)s (R-INS-2)."
            ) % {"label": limits.label, "limit": duration_text(limits.max_duration)}


class OfferEditForm(OfferForm, VersionedForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)
