"""Form rendering: Bootstrap markup for every form, with errors tied to their field."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
