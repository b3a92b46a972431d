"""Forms of the trajectory actions; the rules are checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doorstroom.accounts.models import Organisation, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients.forms import UserChoiceField, coaches_of
from doorstroom.clients.models import Intake, Referral
from doorstroom.core.forms import DateInput, VersionedForm, set_choices
from doorstroom.trajectories.choices import (
    MemberRole,
    OrientationDecision,
    Phase,
    RvaStatus,
    Status,
    StopReason,
    TrajectoryKind,
)


class StartForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=TrajectoryKind.choices, widget=forms.RadioSelect
    )
    start = forms.DateField(
        label=_("Start"),
        widget=DateInput,
        required=False,
        help_text=_("A TWE-wz trajectory starts on the referral date."),
    )
    intake = forms.ModelChoiceField(queryset=Intake.objects.none(), label=_("Intake"))
    referral = forms.ModelChoiceField(
        queryset=Referral.objects.none(), label=_("Referral"), required=False
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Guiding organisation")
    )
    coach = UserChoiceField(queryset=User.objects.none(), label=_("Lead coach"))
    first_phase = forms.ChoiceField(
        label=_("First phase"),
        choices=[(Phase.ORIENTATION, Phase.ORIENTATION.label), (Phase.PRE, Phase.PRE.label)],
        initial=Phase.ORIENTATION,
    )

    def __init__(
        self,
        *args: Any,
        intakes: Any,
        referrals: Any,
        organisations: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "intake", intakes)
        set_choices(self, "referral", referrals)
        set_choices(self, "organisation", organisations)
        set_choices(self, "coach", coaches_of(set(organisations.values_list("pk", flat=True))))


class PhaseForm(VersionedForm):
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    on = forms.DateField(
        label=pgettext_lazy("first day of the new phase", "From"), widget=DateInput
    )
    decision = forms.ChoiceField(
        label=_("Decision after the orientation"),
        choices=[("", "—"), *OrientationDecision.choices],
        required=False,
    )
    decided_by = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        required=False,
        help_text=_("VDAB counsellor or team lead, when the orientation phase ends."),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtendForm(VersionedForm):
    until = forms.DateField(label=_("Extend until"), widget=DateInput)
    motivation = forms.CharField(
        label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SuspendForm(VersionedForm):
    start = forms.DateField(label=_("Start of the suspension"), widget=DateInput)
    end = forms.DateField(
        label=_("End (if known)"),
        widget=DateInput,
        required=False,
        help_text=_("The last day of the suspension. Leave empty while it lasts."),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ResumeForm(VersionedForm):
    end = forms.DateField(
        label=_("Last day of the suspension"),
        widget=DateInput,
        help_text=_("The trajectory resumes the next day."),
    )


class ReviewForm(VersionedForm):
    on = forms.DateField(label=_("Reviewed on"), widget=DateInput)
    note = forms.CharField(
        label=_("Why the suspension continues"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class StopForm(VersionedForm):
    on = forms.DateField(label=_("Last day of the trajectory"), widget=DateInput)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "—"), *StopReason.choices], required=False
    )
    motivation = forms.CharField(
        label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


def lead_candidates(organisation_ids: set[int]) -> QuerySet[User]:
    """Who may lead a trajectory handed over to one of these organisations.

    The coaches, and at VDAB also the counsellors (as ``services.lead_roles`` decides).
    """
    return (
        User.objects.filter(
            Q(memberships__role=Role.COACH)
            | Q(
                memberships__role=Role.COUNSELLOR,
                memberships__organisation__kind=OrganisationKind.VDAB,
            ),
            is_active=True,
            memberships__organisation_id__in=organisation_ids,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class HandoverForm(VersionedForm):
    to_coach = UserChoiceField(queryset=User.objects.none(), label=_("New lead coach"))
    on = forms.DateField(label=_("Date of the handover"), widget=DateInput)
    note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What the new coach needs to know (warm handover)."),
    )

    def __init__(self, *args: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "to_coach", coaches)


class TransferForm(HandoverForm):
    to_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True, kind__in=["partner", "vdab", "ocmw"]),
        label=_("To organisation"),
    )
    field_order = ["to_organisation", "to_coach", "on", "note"]


class ContractForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    start = forms.DateField(label=_("Start of the AO"), widget=DateInput)
    end = forms.DateField(
        label=_("End of the AO"),
        widget=DateInput,
        required=False,
        help_text=_("The last day, when known (e.g. from the RVA answer)."),
    )
    weekly_hours = forms.DecimalField(label=_("Hours per week"), min_value=1, max_value=60)
    full_time_weekly_hours = forms.DecimalField(
        label=_("Full-time hours per week"), min_value=1, max_value=60, initial=38
    )
    third_party_user = forms.CharField(
        label=_("Third-party user (terbeschikkingstelling)"),
        max_length=200,
        required=False,
        help_text=_("The employer where the client works, when the OCMW places the client there."),
    )
    days_credited = forms.DecimalField(
        label=_("Benefit days already credited"), min_value=0, max_value=999, initial=0
    )
    rva_status = forms.ChoiceField(label=_("OCMW@RVA request"), choices=RvaStatus.choices)
    rva_days = forms.DecimalField(
        label=_("Days to work (RVA answer)"), min_value=0, max_value=999, required=False
    )
    rva_end = forms.DateField(label=_("End date (RVA answer)"), widget=DateInput, required=False)


class ContractEndForm(VersionedForm):
    end = forms.DateField(label=_("Last day of the AO"), widget=DateInput)
    end_reason = forms.CharField(label=_("Why it ended"), max_length=300, required=False)


class MemberForm(forms.Form):
    user = UserChoiceField(queryset=User.objects.none(), label=_("Professional"))
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    since = forms.DateField(label=_("Since"), widget=DateInput)

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "user", users)


SIGNAL_CHOICES = [
    ("", _("All")),
    ("violation", _("Violations")),
    ("overdue", _("Overdue")),
    ("due_soon", _("Due soon")),
]


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or national number"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *TrajectoryKind.choices], required=False
    )
    phase = forms.ChoiceField(
        label=_("Phase"), choices=[("", _("All")), *Phase.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Open")), *Status.choices], required=False
    )
    signal = forms.ChoiceField(label=_("Signal"), choices=SIGNAL_CHOICES, required=False)
    coach = forms.TypedChoiceField(label=_("Coach"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, coaches: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if coaches is None:
            del self.fields["coach"]
        else:
            coach = self.fields["coach"]
            assert isinstance(coach, forms.TypedChoiceField)
            coach.choices = [("", _("All coaches")), *((c.pk, c.full_name) for c in coaches)]
