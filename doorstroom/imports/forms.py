"""Forms of the import pages: the upload (kind and file) and the choice of how to import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstroom.imports.models import ImportKind, ImportMode
from doorstroom.imports.reading import MAX_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file holds"), choices=ImportKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("At most 10 MB and 20,000 rows; the first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB: split it."))
        return upload


class RunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How to import"),
        choices=[
            (
                ImportMode.ALL_OR_NOTHING,
                _("All or nothing: import only if every row is accepted"),
            ),
            (
                ImportMode.SKIP_BAD_ROWS,
                _("Skip the refused rows and import the others"),
            ),
        ],
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
