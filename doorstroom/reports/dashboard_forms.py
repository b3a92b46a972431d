"""The dashboard's filters (period, organisation, coach, kind) and the drill-down's figure."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.models import Organisation, User
from doorstroom.core.forms import set_choices
from doorstroom.reports import dashboards
from doorstroom.rules.periods import month_end
from doorstroom.trajectories.choices import TrajectoryKind

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 60


class MonthInput(forms.TextInput):
    """A native month picker; the value travels as YYYY-MM whatever the language."""

    input_type = "month"


class MonthField(forms.Field):
    """A calendar month typed as YYYY-MM; cleans to the month's first day."""

    widget = MonthInput

    def to_python(self, value: Any) -> datetime.date | None:
        text = str(value or "").strip()[:20]
        if not text:
            return None
        match = MONTH.match(text)
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
            raise forms.ValidationError(
                _("Enter a month as YYYY-MM, for example 2026-03."), code="invalid"
            )
        return datetime.date(int(match[1]), int(match[2]), 1)


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class DashboardFilterForm(forms.Form):
    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("To (month)"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )
    coach = UserChoice(
        label=_("Coach"), queryset=User.objects.none(), required=False, empty_label=_("All coaches")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *TrajectoryKind.choices], required=False
    )

    def __init__(self, *args: Any, user: User, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_start, self.default_end = dashboards.default_period(today)
        self.fields["start"].initial = f"{self.default_start:%Y-%m}"
        self.fields["end"].initial = f"{self.default_end:%Y-%m}"
        organisations = Organisation.objects.filter(pk__in=user.organisation_ids())
        set_choices(self, "organisation", organisations.order_by("name"))
        # A coach's dashboard shows only their own trajectories: no coach to choose.
        self.team_lead = dashboards.is_team_lead(user)
        self.several_organisations = len(user.organisation_ids()) > 1
        coaches = dashboards.coaches(user) if self.team_lead else User.objects.filter(pk=user.pk)
        set_choices(self, "coach", coaches)
        if not self.team_lead:
            del self.fields["coach"]
        if not self.several_organisations:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("start") or self.default_start
        end = data.get("end") or self.default_end
        if start > end:
            field = "end" if data.get("end") else "start"
            self.add_error(field, _("The last month comes before the first one."))
        elif _months_between(start, end) > MAX_MONTHS:
            self.add_error("start", _("Choose a period of at most 60 months."))
        return data

    def filters(self) -> dashboards.Filters:
        """The filters of a valid form (defaults for what is left empty)."""
        data = self.cleaned_data if self.is_bound else {}
        organisation = data.get("organisation")
        coach = data.get("coach")
        return dashboards.Filters(
            start=data.get("start") or self.default_start,
            end=month_end(data.get("end") or self.default_end),
            organisation=organisation.pk if organisation else None,
            coach=coach.pk if coach else None,
            kind=data.get("kind", ""),
        )


class DrillForm(forms.Form):
    """Which figure of the dashboard to list the dossiers of."""

    metric = forms.ChoiceField(choices=[(m, m) for m in dashboards.DRILLS])
    key = forms.CharField(max_length=60)
    sub = forms.CharField(max_length=30, required=False)
    month = MonthField(required=False)

    def drill(self) -> dashboards.Drill:
        data = self.cleaned_data
        month = data.get("month")
        return dashboards.Drill(
            metric=data["metric"],
            key=data["key"],
            sub=data.get("sub", ""),
            month=month_end(month) if month else None,
        )
