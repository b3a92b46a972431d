from __future__ import annotations

import base64
import datetime
from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from doorstroom.accounts.models import LOGO_MAX_BYTES
from doorstroom.core.paths import path_for
from doorstroom.core.text import short_date

register = template.Library()


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


@register.simple_tag
def widget(bound_field: forms.BoundField) -> SafeString:
    """Render a field's widget with Bootstrap classes and its invalid state."""
    css = _css_class(bound_field.field.widget)
    if bound_field.errors:
        css += " is-invalid"
    attrs: dict[str, Any] = {"class": css}
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_option_list(bound_field: forms.BoundField) -> bool:
    """Checkboxes or radio buttons (CheckboxSelectMultiple, RadioSelect): a fieldset of
    form-checks."""
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def is_checkbox(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def get_item(container: Any, key: Any) -> Any:
    """``mapping|get_item:key`` (or a list index); None when absent."""
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def iso_date(value: Any) -> str:
    """An ISO date text (as in exported facts) shown as nl-BE "5-3-2026"; other text as is."""
    try:
        return short_date(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


@register.filter
def logo_data_uri(organisation: Any) -> str:
    """The organisation's logo inlined as a data URI, for documents (no file URL to fetch)."""
    logo = getattr(organisation, "logo", None)
    if not logo:
        return ""
    kind = "image/png" if logo.name.lower().endswith(".png") else "image/jpeg"
    try:
        with logo.open("rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except OSError:
        return ""
    if len(data) > LOGO_MAX_BYTES:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


@register.simple_tag
def path(viewname: str, pk: int) -> str:
    """``{% url viewname pk %}`` for a view with one id, without resolving the pattern anew.

    See ``core.paths.path_for`` (issue 11): the dossier page has some 45 such links.
    """
    return path_for(viewname, pk)
