"""Forms of the financing pages: the statement's quarter and the monitoring export."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstroom.reports.financing import parse_quarter, recent_quarters
from doorstroom.reports.monitoring_export import PASSWORD_MIN_LENGTH
from doorstroom.rules.financing import Quarter
from doorstroom.rules.periods import month_end


class QuarterForm(forms.Form):
    """The quarter of a statement (GET), written like 2026-Q1; not a future one."""

    quarter = forms.CharField(label=_("Quarter"), max_length=7)

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def choices(self) -> list[str]:
        """The last 12 quarters, and the one asked for when it is older."""
        found = [str(q) for q in recent_quarters(self.today)]
        asked = self.cleaned_data.get("quarter") if hasattr(self, "cleaned_data") else None
        if asked is not None and str(asked) not in found:
            found.append(str(asked))
        return found

    def clean_quarter(self) -> Quarter:
        found = parse_quarter(self.cleaned_data["quarter"])
        if found is None or found.year < 2000:
            raise forms.ValidationError(_("Write the quarter like 2026-Q1."))
        if found > Quarter.of(self.today):
            raise forms.ValidationError(_("That quarter has not started yet."))
        return found


class MonitoringExportForm(forms.Form):
    """The month end of the VDAB monitoring file and an optional password (R-FIN-4)."""

    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-09"}),
        help_text=_("The month whose last day the file describes, as YYYY-MM."),
    )
    password = forms.CharField(
        label=_("Password (optional)"),
        required=False,
        strip=False,
        min_length=PASSWORD_MIN_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "With a password of at least 12 characters the file is delivered inside an "
            "AES-encrypted ZIP. The password is not stored: pass it to the recipient another way."
        ),
    )

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_month(self) -> datetime.date:
        value = self.cleaned_data["month"].strip()
        try:
            if len(value) != 7:
                raise ValueError(value)
            first = datetime.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-09.")) from None
        day = month_end(first)
        if day > self.today:
            raise forms.ValidationError(
                _("That month has not ended yet: choose a month that is over.")
            )
        return day
