"""Form rendering: Bootstrap markup for every form, with errors tied to their field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from doorstroom.core.errors import DomainError, StaleEditError

T = TypeVar("T")


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class VersionedForm(forms.Form):
    """A form for an editable record: carries the version it was opened at (optimistic lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def set_choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Limit a model choice field to ``queryset`` (e.g. the user's organisations)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the field it names (or on top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def run_service(form: forms.BaseForm, action: Callable[[], T]) -> T | None:
    """Call ``action`` (a service); on a DomainError put the message on the form, return None."""
    try:
        return action()
    except DomainError as error:
        add_domain_error(form, error)
        return None


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str | Promise,
    next_url: str | Callable[[T], str],
    template: str = "includes/form_page.html",
    **context: Any,
) -> HttpResponse:
    """Run a form page: valid input goes to ``action`` (a service), a refusal shows on the form.

    On success the user sees ``success`` on ``next_url`` (or on the URL computed from the
    service's result); otherwise the form is shown again with ``context``.
    """
    if request.method == "POST" and form.is_valid():
        done = run_service(form, lambda: action(form.cleaned_data))
        if done is not None:
            messages.success(request, str(success))
            return redirect(next_url(done) if callable(next_url) else next_url)
    return render(request, template, {"form": form, **context})


def posted_version(request: HttpRequest) -> int:
    """The record version a one-button form posted; a missing or garbled one counts as stale."""
    form = VersionedForm(request.POST)
    if not form.is_valid():
        raise StaleEditError()
    version: int = form.cleaned_data["version"]
    return version
