"""Import pages: upload and history, the dry-run report, the real run and example files."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstroom.core.access import UserRequest, dossier_access_required, role_required
from doorstroom.core.exports import FORMATS, table_bytes
from doorstroom.core.forms import run_service
from doorstroom.imports import forms, selectors, services
from doorstroom.imports.kinds import IMPORTERS, column_docs
from doorstroom.imports.models import IMPORTER_ROLES

HISTORY_PAGE = 25
REPORT_PAGE = 100
importers_only = role_required(*IMPORTER_ROLES)


@dossier_access_required
@importers_only
def run_list(request: UserRequest) -> HttpResponse:
    """Upload a file (the dry run starts at once) and see the history of imports."""
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = run_service(
            form,
            lambda: services.import_check(
                kind=form.cleaned_data["kind"],
                content=upload.read(),
                file_name=upload.name or "",
                by=request.user,
            ),
        )
        if run is not None:
            messages.success(request, _("Dry run done: nothing has been imported yet."))
            return redirect("imports:detail", run.pk)
    page = Paginator(selectors.runs_for(request.user), HISTORY_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "imports/run_list.html",
        {"form": form, "page": page, "kinds": column_docs()},
    )


@dossier_access_required
@importers_only
def run_detail(request: UserRequest, pk: int) -> HttpResponse:
    """The per-row report of a dry run (or of the real run), refused rows first."""
    run = selectors.run_for(request.user, pk)
    show = "all" if request.GET.get("show") == "all" or not run.refused_count else "refused"
    rows = selectors.report_rows(run, show)
    page = Paginator(rows, REPORT_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/run_detail.html",
        {
            "run": run,
            "page": page,
            "show": show,
            "query": f"show={show}",
            "form": forms.RunForm() if run.can_run else None,
        },
    )


@require_POST
@dossier_access_required
@importers_only
def run_import(request: UserRequest, pk: int) -> HttpResponse:
    run = selectors.run_for(request.user, pk)
    form = forms.RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to import."))
        return redirect("imports:detail", run.pk)
    done = None
    try:
        done = services.import_run(run, mode=form.cleaned_data["mode"], by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    if done is not None and done.created_count:
        messages.success(
            request,
            _("%(count)s records imported.") % {"count": done.created_count},
        )
    elif done is not None:
        messages.error(request, _("Nothing was imported: see the refused rows below."))
    return redirect("imports:detail", run.pk)


def example(request: UserRequest, kind: str, fmt: str) -> HttpResponse:
    """An example file with the documented (Dutch) headers and one row of made-up data."""
    if kind not in IMPORTERS or fmt not in FORMATS:
        raise Http404
    columns = IMPORTERS[kind].columns
    content = table_bytes(
        fmt, [c.nl for c in columns], [[c.example for c in columns]], f"voorbeeld {kind}"
    )
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="doorstroom-voorbeeld-{kind}.{fmt}"'
    return response
