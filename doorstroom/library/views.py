"""The kennisbank's pages: list and search, a document with its versions, uploads, filling.

Reading the kennisbank needs no privacy training (it holds no client data); filling a template
from a dossier does (R-PRV-2), and is audited as a read of that dossier (R-PRV-4).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from doorstroom.accounts.models import Organisation
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.forms import form_page, run_service
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.library import files, forms, merge, selectors, services
from doorstroom.library.models import Document, FileKind
from doorstroom.trajectories.models import Trajectory


def _document(request: UserRequest, pk: int) -> Document:
    return get_for_user_or_404(selectors.document_detail(request.user), request.user, pk=pk)


def _editable(request: UserRequest, pk: int) -> Document:
    """A document the user may change; others' documents are 404, as if they did not exist."""
    return get_for_user_or_404(
        Document.objects.editable_by(request.user).select_related("current_version"),
        request.user,
        pk=pk,
    )


def _trajectory(request: UserRequest, raw: Any) -> Trajectory | None:
    if raw in (None, ""):
        return None
    return get_for_user_or_404(
        Trajectory.objects.visible_to(request.user).select_related("client"),
        request.user,
        pk=raw,
    )


def _max_mb() -> int:
    return files.max_upload_bytes() // files.MB


def _fill_form(request: UserRequest, trajectory: Trajectory | None) -> forms.FillForm:
    trajectories = selectors.fill_trajectories(request.user, also=trajectory)
    return forms.FillForm(
        request.POST if request.method == "POST" else None,
        trajectories=trajectories,
        placements=selectors.fill_placements(trajectories),
        initial={"trajectory": trajectory.pk if trajectory else None},
    )


def document_list(request: UserRequest) -> HttpResponse:
    tags = list(selectors.tags_in_use(request.user).values_list("name", flat=True))
    form = forms.SearchForm(request.GET or None, tags=tags)
    data = form.cleaned_data if form.is_valid() else {}
    documents = selectors.documents_search(
        request.user, data.get("q", ""), category=data.get("category", ""), tag=data.get("tag", "")
    )
    page = Paginator(documents, settings.DOORSTROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "library/document_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_add": bool(services.editor_organisation_ids(request.user)),
        },
    )


def document_detail(request: UserRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    fill_form = None
    if document.can_be_filled and request.user.has_privacy_training():
        fill_form = _fill_form(request, None)
    return render(
        request,
        "library/document_detail.html",
        {
            "document": document,
            "can_edit": services.can_edit(document, request.user),
            "fill_form": fill_form,
            "fields": merge.FIELDS if document.can_be_filled else (),
        },
    )


def document_create(request: UserRequest) -> HttpResponse:
    organisations = Organisation.objects.filter(
        pk__in=services.editor_organisation_ids(request.user)
    ).order_by("name")
    if not organisations:
        raise Http404
    form = forms.DocumentForm(
        request.POST or None, request.FILES or None, organisations=organisations, max_mb=_max_mb()
    )
    return form_page(
        request,
        form,
        lambda data: services.document_create(
            organisation=data["organisation"], data=data, upload=data["file"], by=request.user
        ),
        success=_("Document added to the knowledge base."),
        next_url=lambda document: reverse("library:detail", args=[document.pk]),
        multipart=True,
        title=_("New document"),
        intro=_(
            "Share a sample contract, an instrument, a work tool, a procedure or a template. "
            "A Word template can contain merge fields such as {{ client_name }}."
        ),
        cancel_url=reverse("library:list"),
    )


def document_edit(request: UserRequest, pk: int) -> HttpResponse:
    document = _editable(request, pk)
    initial = {name: getattr(document, name) for name in services.DOCUMENT_FIELDS}
    initial["tags"] = ", ".join(document.tags.order_by("name").values_list("name", flat=True))
    form = forms.DocumentEditForm(
        request.POST or None, initial={**initial, "version": document.version}
    )
    return form_page(
        request,
        form,
        lambda data: services.document_update(
            document, data=data, expected_version=data["version"], by=request.user
        ),
        success=_("Document saved."),
        next_url=reverse("library:detail", args=[document.pk]),
        title=_("Edit %(title)s") % {"title": document.title},
        cancel_url=reverse("library:detail", args=[document.pk]),
    )


def version_add(request: UserRequest, pk: int) -> HttpResponse:
    document = _editable(request, pk)
    form = forms.VersionForm(
        request.POST or None,
        request.FILES or None,
        initial={"version": document.version},
        max_mb=_max_mb(),
    )
    return form_page(
        request,
        form,
        lambda data: services.version_add(
            document,
            upload=data["file"],
            change_note=data["change_note"],
            expected_version=data["version"],
            by=request.user,
        ),
        success=_("New version uploaded."),
        next_url=reverse("library:detail", args=[document.pk]),
        multipart=True,
        title=_("New version of %(title)s") % {"title": document.title},
        intro=_("The new file becomes the current version; the older versions stay available."),
        cancel_url=reverse("library:detail", args=[document.pk]),
    )


def version_download(request: UserRequest, pk: int, number: int) -> FileResponse:
    document = _document(request, pk)
    version = next((v for v in document.versions.all() if v.number == number), None)
    if version is None:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.version_downloaded(version, by=request.user)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=files.safe_filename(version.original_name, default=f"document.{version.kind}"),
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@dossier_access_required
def template_fill(request: UserRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not document.can_be_filled:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    form = _fill_form(request, _trajectory(request, source.get("trajectory")))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filled = run_service(
            form,
            lambda: services.template_fill(
                document,
                trajectory=data["trajectory"],
                placement=data["placement"],
                respondent_name=data["respondent_name"],
                by=request.user,
            ),
        )
        if filled is not None:
            response = HttpResponse(filled.data, content_type=files.CONTENT_TYPES[FileKind.DOCX])
            response["Content-Disposition"] = _attachment(filled.filename)
            response["Cache-Control"] = "private, no-store"  # dossier data
            return response
    return render(
        request,
        "library/template_fill.html",
        {"document": document, "form": form, "fields": merge.FIELDS},
    )


def _attachment(filename: str) -> str:
    return content_disposition_header(True, files.safe_filename(filename)) or "attachment"


@dossier_access_required
def trajectory_templates(request: UserRequest, pk: int) -> HttpResponse:
    """ "Make a document from a template" for one dossier: every template the user may see."""
    trajectory = _trajectory(request, pk)
    assert trajectory is not None
    templates: QuerySet[Document] = selectors.templates_for(request.user)
    fillable = [document for document in templates if document.can_be_filled]
    return render(
        request,
        "library/trajectory_templates.html",
        {
            "trajectory": trajectory,
            "templates": fillable,
            "placements": selectors.fill_placements(
                Trajectory.objects.visible_to(request.user).filter(pk=trajectory.pk)
            ),
        },
    )
