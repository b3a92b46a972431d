"""Forms for evaluations, the mentor's page and 360° feedback.

Score forms get one field per POP competence (``<prefix>_<competence id>``); ``scores_from``
turns their cleaned data into the services' ``{competence id: (level, comment)}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstroom.core.forms import DateInput, VersionedForm, set_choices
from doorstroom.employers.models import Placement
from doorstroom.evaluations.models import EvaluationKind, Relation
from doorstroom.evaluations.services import Scores
from doorstroom.plans.models import PlanCompetence, ScaleLevel


def level_choices(scale: Sequence[ScaleLevel], *, blank: str) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank else []
    return choices + [(str(s.level), f"{s.level} · {s.label_nl}") for s in scale]


def add_score_fields(
    form: forms.Form,
    prefix: str,
    competences: Sequence[PlanCompetence],
    scale: Sequence[ScaleLevel],
    *,
    radio: bool,
    comments: bool,
    blank: str,
) -> None:
    """Add a level (and comment) field per competence; a blank level means "not scored"."""
    for plan in competences:
        key = f"{prefix}_{plan.competence_id}"
        widget: forms.Widget = forms.RadioSelect() if radio else forms.Select()
        form.fields[key] = forms.ChoiceField(
            label=plan.competence.name_nl,
            choices=level_choices(scale, blank=blank),
            required=False,
            widget=widget,
            help_text=plan.competence.description,
        )
        if comments:
            form.fields[f"{key}_note"] = forms.CharField(
                label=_("Comment on %(competence)s") % {"competence": plan.competence.name_nl},
                required=False,
                max_length=500,
            )


def scores_from(data: dict[str, Any], prefix: str, competences: Sequence[PlanCompetence]) -> Scores:
    scores: dict[int, tuple[int, str]] = {}
    for plan in competences:
        key = f"{prefix}_{plan.competence_id}"
        if data.get(key):
            scores[plan.competence_id] = (int(data[key]), data.get(f"{key}_note", "") or "")
    return scores


class PlacementChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Placement) -> str:
        return f"{obj.workplace.title} · {obj.workplace.employer.name}"


class EvaluationPlanForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvaluationKind.choices)
    planned_on = forms.DateField(label=_("Planned on"), widget=DateInput())
    placement = PlacementChoice(
        label=_("Placement"),
        queryset=Placement.objects.none(),
        required=False,
        help_text=_("Its mentor fills in the workplace part through a secure link."),
    )

    def __init__(self, *args: Any, placements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "placement", placements)


class EvaluationRecordForm(VersionedForm):
    """The coach's levels and the client's self-assessment, side by side, and the outcome."""

    held_on = forms.DateField(label=_("Held on"), required=False, widget=DateInput())
    conclusions = forms.CharField(
        label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("They open the next POP version."),
    )

    def __init__(
        self,
        *args: Any,
        competences: Sequence[PlanCompetence],
        scale: Sequence[ScaleLevel],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competences = list(competences)
        blank = str(_("not scored"))
        add_score_fields(self, "coach", competences, scale, radio=False, comments=True, blank=blank)
        add_score_fields(self, "self", competences, scale, radio=False, comments=False, blank=blank)
        for plan in self.competences:
            key = plan.competence_id
            self.fields[f"coach_{key}"].label = _("Coach")
            self.fields[f"coach_{key}"].help_text = ""
            self.fields[f"self_{key}"].label = _("Self-assessment")
            self.fields[f"self_{key}"].help_text = ""
            self.fields[f"coach_{key}_note"].label = _("Comment")

    def rows(
        self,
    ) -> list[tuple[PlanCompetence, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                plan,
                self[f"coach_{plan.competence_id}"],
                self[f"coach_{plan.competence_id}_note"],
                self[f"self_{plan.competence_id}"],
            )
            for plan in self.competences
        ]


class ScoreLinkForm(forms.Form):
    """The mentor's or a 360° respondent's page: a level per competence, with remarks."""

    def __init__(
        self,
        *args: Any,
        competences: Sequence[PlanCompetence],
        scale: Sequence[ScaleLevel],
        comments: bool,
        questions: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.competences = list(competences)
        blank = str(_("I cannot judge this"))
        add_score_fields(
            self, "level", competences, scale, radio=True, comments=comments, blank=blank
        )
        for index, question in enumerate(questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.question_count = len(questions)
        if comments:
            self.fields["comment"] = forms.CharField(
                label=_("Anything else you want to tell the coach?"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def scores(self) -> Scores:
        return scores_from(self.cleaned_data, "level", self.competences)

    def answers(self) -> list[str]:
        return [self.cleaned_data.get(f"answer_{i}", "") for i in range(self.question_count)]


class RoundOpenForm(VersionedForm):
    closes_on = forms.DateField(label=_("Answers until"), widget=DateInput())
    questions = forms.CharField(
        label=_("Open questions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question per line; %(name)s becomes the client's first name."),
    )


class InviteForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation to the client"), choices=Relation.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Without an address you get the link to hand over yourself."),
    )
