"""Forms of the kennisbank: search, a document with its first file, a new version, filling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.models import Organisation
from doorstroom.core.forms import VersionedForm
from doorstroom.employers.models import Placement
from doorstroom.library.models import Category, Visibility
from doorstroom.trajectories.models import Trajectory

FILE_HELP = _(
    "PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), text or Markdown; at most %(mb)s MB."
)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args: Any, tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("All tags")), *((t, t) for t in tags)]  # type: ignore[attr-defined]  # ChoiceField.choices is settable; the stubs miss it


class _MetadataFields(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the document is for, and when a coach uses it."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Keywords separated by commas, e.g. employer, intake, 360° feedback."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Visibility.choices,
        initial=Visibility.ORGANISATION,
        widget=forms.RadioSelect,
    )


class DocumentForm(_MetadataFields):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Author organisation")
    )  # the user's writing organisations, set in __init__
    file = forms.FileField(label=_("File"))
    change_note = forms.CharField(label=_("Note on this version"), required=False, max_length=300)

    field_order = ["title", "description", "category", "tags", "visibility", "organisation"]

    def __init__(
        self, *args: Any, organisations: QuerySet[Any], max_mb: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if len(organisations) == 1:
            field.initial = organisations[0].pk
            field.widget = forms.HiddenInput()
        self.fields["file"].help_text = FILE_HELP % {"mb": max_mb}


class DocumentEditForm(_MetadataFields, VersionedForm):
    pass


class VersionForm(VersionedForm):
    file = forms.FileField(label=_("File"))
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        help_text=_("A short note for colleagues: what is new in this version."),
    )

    def __init__(self, *args: Any, max_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = FILE_HELP % {"mb": max_mb}


class TrajectoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.client.full_name} · {obj.get_kind_display()} {obj.start:%d/%m/%Y}"


class PlacementChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.trajectory.client.full_name} · {obj.workplace.employer.name} · "
            f"{obj.workplace.title} ({obj.start:%d/%m/%Y})"
        )


class FillForm(forms.Form):
    trajectory = TrajectoryChoice(queryset=Trajectory.objects.none(), label=_("Trajectory"))
    placement = PlacementChoice(
        queryset=Placement.objects.none(),
        label=_("Placement (employer and workplace)"),
        required=False,
        empty_label=_("— none: the current placement, if any —"),
        help_text=_("For the employer's and workplace's fields."),
    )
    respondent_name = forms.CharField(
        label=_("Respondent's name"),
        required=False,
        max_length=200,
        help_text=_("Only for a 360° feedback letter."),
    )

    def __init__(
        self,
        *args: Any,
        trajectories: QuerySet[Trajectory],
        placements: QuerySet[Placement],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        trajectory = self.fields["trajectory"]
        placement = self.fields["placement"]
        assert isinstance(trajectory, forms.ModelChoiceField)
        assert isinstance(placement, forms.ModelChoiceField)
        trajectory.queryset = trajectories
        placement.queryset = placements

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        trajectory, placement = cleaned.get("trajectory"), cleaned.get("placement")
        if trajectory and placement and placement.trajectory_id != trajectory.pk:
            self.add_error("placement", _("Choose a placement of the chosen trajectory."))
        return cleaned
