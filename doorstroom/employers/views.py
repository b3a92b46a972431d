"""Employers, workplaces, placements and matching: thin views over services and selectors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doorstroom.clients.models import Client
from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.audit import audit
from doorstroom.core.exports import Column as ExportColumn
from doorstroom.core.exports import export_response
from doorstroom.core.forms import form_page
from doorstroom.core.params import as_id
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.core.uploads import download_name
from doorstroom.employers import explain, forms, selectors, services
from doorstroom.employers.models import (
    Agreement,
    ContactRole,
    Employer,
    EmployerContact,
    Placement,
    Workplace,
)
from doorstroom.imports.models import IMPORTER_ROLES
from doorstroom.trajectories.choices import Status, TrajectoryKind
from doorstroom.trajectories.models import Trajectory


def _employer(request: UserRequest, pk: int) -> Employer:
    return get_for_user_or_404(
        Employer.objects.visible_to(request.user).select_related("organisation"),
        request.user,
        pk=pk,
    )


def _workplace(request: UserRequest, pk: int) -> Workplace:
    return get_for_user_or_404(
        Workplace.objects.visible_to(request.user).select_related(
            "employer", "occupation", "municipality", "contact_coach"
        ),
        request.user,
        pk=pk,
    )


def _placement(request: UserRequest, pk: int) -> Placement:
    return get_for_user_or_404(
        Placement.objects.visible_to(request.user).select_related(
            "trajectory__client", "workplace__employer", "mentor"
        ),
        request.user,
        pk=pk,
    )


def _dossier_url(client_id: int) -> str:
    return dossier_url(client_id, Tab.PLACEMENTS)


def _organisation_ids(request: UserRequest) -> set[int]:
    return request.user.organisation_ids()


# --- Employers ---------------------------------------------------------------------------


def _employer_filters(request: UserRequest) -> tuple[forms.EmployerFilterForm, dict[str, str]]:
    """The employer list's filters (the page and its exports share them)."""
    form = forms.EmployerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, {name: data.get(name, "") for name in ("q", "kind", "sector")}


EMPLOYER_EXPORT = (
    ExportColumn(gettext_lazy("Name"), lambda e: e.name),
    ExportColumn(gettext_lazy("Enterprise number"), lambda e: e.enterprise_number),
    ExportColumn(gettext_lazy("Kind"), lambda e: e.get_kind_display()),
    ExportColumn(gettext_lazy("Sector"), lambda e: e.get_sector_display()),
    ExportColumn(gettext_lazy("Postcode"), lambda e: e.postcode),
    ExportColumn(gettext_lazy("Municipality"), lambda e: e.municipality or ""),
    ExportColumn(gettext_lazy("Workplaces"), lambda e: e.workplace_count),
    ExportColumn(
        gettext_lazy("Cooperation agreement"),
        lambda e: selectors.agreement_status(e.agreements.all(), timezone.localdate()),
    ),
    ExportColumn(gettext_lazy("Contact person"), lambda e: [c.name for c in e.contacts.all()]),
    ExportColumn(gettext_lazy("Active"), lambda e: e.is_active),
)
WORKPLACE_EXPORT = (
    ExportColumn(gettext_lazy("Employer"), lambda w: w.employer.name),
    ExportColumn(gettext_lazy("Job title"), lambda w: w.title),
    ExportColumn(
        gettext_lazy("Occupation"), lambda w: w.occupation.name_nl if w.occupation else ""
    ),
    ExportColumn(gettext_lazy("Physical demands"), lambda w: w.demands),
    ExportColumn(gettext_lazy("Level of Dutch needed"), lambda w: w.get_dutch_level_display()),
    ExportColumn(gettext_lazy("Lowest regime"), lambda w: w.min_regime),
    ExportColumn(gettext_lazy("Highest regime"), lambda w: w.max_regime),
    ExportColumn(gettext_lazy("Location"), lambda w: w.municipality or ""),
    ExportColumn(gettext_lazy("Places"), lambda w: w.capacity),
    ExportColumn(gettext_lazy("Last reviewed on"), lambda w: w.last_reviewed),
    ExportColumn(gettext_lazy("Active"), lambda w: w.is_active),
)


@dossier_access_required
def employer_export(request: UserRequest, fmt: str) -> HttpResponse:
    """The employer list as CSV or XLSX, with the page's filters (audited)."""
    _form, filters = _employer_filters(request)
    employers = selectors.employer_list(request.user, **filters)
    return export_response(
        request,
        fmt=fmt,
        name="employers",
        columns=EMPLOYER_EXPORT,
        rows=employers.iterator(chunk_size=2000),
        filters=filters,
    )


@dossier_access_required
def workplace_export(request: UserRequest, fmt: str) -> HttpResponse:
    """The workplaces of the listed employers as CSV or XLSX (audited)."""
    _form, filters = _employer_filters(request)
    employers = selectors.employer_list(request.user, **filters)
    workplaces = (
        Workplace.objects.visible_to(request.user)
        .filter(employer__in=employers.order_by().values("pk"))
        .select_related("employer", "occupation", "municipality")
        .order_by("employer__name", "title", "pk")
    )
    return export_response(
        request,
        fmt=fmt,
        name="workplaces",
        columns=WORKPLACE_EXPORT,
        rows=workplaces.iterator(chunk_size=2000),
        filters=filters,
    )


@dossier_access_required
def employer_list(request: UserRequest) -> HttpResponse:
    form, filters = _employer_filters(request)
    employers = selectors.employer_list(request.user, **filters)
    page = Paginator(employers, settings.DOORSTROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        (employer, selectors.agreement_status(employer.agreements.all(), today))
        for employer in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "employers/employer_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "signals": selectors.employer_signals(request.user, today, 30),
            "may_import": request.user.has_role(*IMPORTER_ROLES),
        },
    )


@dossier_access_required
def employer_create(request: UserRequest) -> HttpResponse:
    form = forms.EmployerCreateForm(
        request.POST or None, organisation_ids=_organisation_ids(request)
    )
    return form_page(
        request,
        form,
        lambda data: services.employer_create(
            data=data, contact=form.contact_data(), by=request.user
        ),
        success=_("Employer registered."),
        next_url=lambda employer: reverse("employers:detail", args=[employer.pk]),
        title=_("New employer"),
        intro=_(
            "An internal workfloor, a leerwerkbedrijf or a regular employer. Every employer has "
            "exactly one contact person; add mentors on the employer's page."
        ),
        cancel_url=reverse("employers:list"),
    )


@dossier_access_required
def employer_detail(request: UserRequest, pk: int) -> HttpResponse:
    employer = selectors.employer_detail(request.user, pk)
    today = timezone.localdate()
    contacts = list(employer.contacts.all())
    return render(
        request,
        "employers/employer_detail.html",
        {
            "employer": employer,
            "contact": next((c for c in contacts if c.role == ContactRole.CONTACT), None),
            "mentors": [c for c in contacts if c.role == ContactRole.MENTOR],
            "agreements": list(employer.agreements.all()),
            "workplaces": list(employer.workplaces.all()),
            "placements": list(selectors.placements_visible_at(request.user, employer)[:50]),
            "agreement_status": selectors.agreement_status(employer.agreements.all(), today),
            "deadlines": selectors.employer_deadlines(employer, today),
            "today": today,
        },
    )


@dossier_access_required
def employer_edit(request: UserRequest, pk: int) -> HttpResponse:
    employer = _employer(request, pk)
    initial = {name: getattr(employer, name) for name in services.EMPLOYER_FIELDS}
    form = forms.EmployerEditForm(
        request.POST or None,
        organisation_ids={employer.organisation_id},
        initial={**initial, "version": employer.version},
    )
    return form_page(
        request,
        form,
        lambda data: services.employer_update(
            employer,
            data=data,
            expected_version=data["version"],
            by=request.user,
        ),
        success=_("Employer saved."),
        next_url=reverse("employers:detail", args=[employer.pk]),
        title=_("Edit %(name)s") % {"name": employer.name},
        cancel_url=reverse("employers:detail", args=[employer.pk]),
    )


@dossier_access_required
def contact_add(request: UserRequest, pk: int) -> HttpResponse:
    employer = _employer(request, pk)
    form = forms.ContactForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.contact_add(employer, role=data["role"], data=data, by=request.user),
        success=_("Contact added."),
        next_url=reverse("employers:detail", args=[employer.pk]),
        title=_("Add a mentor or contact person"),
        intro=_("Mentors (werkplekbegeleiders) guide the client on the workfloor."),
        cancel_url=reverse("employers:detail", args=[employer.pk]),
    )


@dossier_access_required
def contact_replace(request: UserRequest, pk: int) -> HttpResponse:
    employer = _employer(request, pk)
    form = forms.ContactReplaceForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.contact_replace(employer, data=data, by=request.user),
        success=_("Contact person replaced."),
        next_url=reverse("employers:detail", args=[employer.pk]),
        title=_("Replace the contact person"),
        intro=_(
            "An employer has exactly one contact person. The previous one stays in the history."
        ),
        cancel_url=reverse("employers:detail", args=[employer.pk]),
    )


@dossier_access_required
def contact_edit(request: UserRequest, pk: int) -> HttpResponse:
    person = get_for_user_or_404(EmployerContact, request.user, pk=pk, is_active=True)
    form = forms.ContactEditForm(
        request.POST or None,
        initial={
            "name": person.name,
            "job_title": person.job_title,
            "phone": person.phone,
            "email": person.email,
            "version": person.version,
        },
    )
    return form_page(
        request,
        form,
        lambda data: services.contact_update(
            person,
            data=data,
            expected_version=data["version"],
            by=request.user,
        ),
        success=_("Contact saved."),
        next_url=reverse("employers:detail", args=[person.employer_id]),
        title=_("Edit %(name)s") % {"name": person.name},
        cancel_url=reverse("employers:detail", args=[person.employer_id]),
    )


@require_POST
@dossier_access_required
def mentor_deactivate(request: UserRequest, pk: int) -> HttpResponse:
    person = get_for_user_or_404(EmployerContact, request.user, pk=pk, is_active=True)
    services.mentor_deactivate(person, by=request.user)
    messages.success(request, _("%(name)s is no longer a mentor here.") % {"name": person.name})
    return redirect("employers:detail", person.employer_id)


# --- Agreements --------------------------------------------------------------------------


def _art60_trajectories(request: UserRequest) -> Any:
    return (
        Trajectory.objects.visible_to(request.user)
        .filter(kind=TrajectoryKind.ART60)
        .exclude(status=Status.STOPPED)
        .select_related("client")
        .order_by("client__last_name", "client__first_name")
    )


@dossier_access_required
def agreement_add(request: UserRequest, pk: int) -> HttpResponse:
    employer = _employer(request, pk)
    trajectory_id = request.GET.get("trajectory")
    initial: dict[str, Any] = {"start": timezone.localdate()}
    if (chosen_trajectory := as_id(trajectory_id)) is not None:
        initial |= {
            "kind": "tripartite",
            "trajectory": chosen_trajectory,
            "signed_by_client": True,
        }
    form = forms.AgreementForm(
        request.POST or None,
        request.FILES or None,
        trajectories=_art60_trajectories(request),
        initial=initial,
    )
    return form_page(
        request,
        form,
        lambda data: services.agreement_add(
            employer,
            kind=data["kind"],
            data=data,
            trajectory=data["trajectory"],
            document=data["document"],
            by=request.user,
        ),
        success=_("Agreement registered."),
        next_url=reverse("employers:detail", args=[employer.pk]),
        title=_("New agreement with %(name)s") % {"name": employer.name},
        intro=_(
            "A placement needs a signed cooperation agreement with the commitment clause. An art. "
            "60 placement with a third-party user also needs a tripartite agreement, signed "
            "on or before the start (R-PLC-1)."
        ),
        multipart=True,
        cancel_url=reverse("employers:detail", args=[employer.pk]),
    )


@dossier_access_required
def agreement_edit(request: UserRequest, pk: int) -> HttpResponse:
    agreement = get_for_user_or_404(
        Agreement.objects.visible_to(request.user).select_related("employer", "trajectory"),
        request.user,
        pk=pk,
    )
    initial = {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS}
    form = forms.AgreementEditForm(
        request.POST or None,
        request.FILES or None,
        trajectories=_art60_trajectories(request),
        initial={
            **initial,
            "kind": agreement.kind,
            "trajectory": agreement.trajectory_id,
            "version": agreement.version,
        },
    )
    form.fields["kind"].disabled = True
    form.fields["trajectory"].disabled = True
    return form_page(
        request,
        form,
        lambda data: services.agreement_update(
            agreement,
            data=data,
            document=data["document"],
            expected_version=data["version"],
            by=request.user,
        ),
        success=_("Agreement saved."),
        next_url=reverse("employers:detail", args=[agreement.employer_id]),
        title=_("Edit the agreement"),
        multipart=True,
        cancel_url=reverse("employers:detail", args=[agreement.employer_id]),
    )


@dossier_access_required
def agreement_document(request: UserRequest, pk: int) -> FileResponse:
    agreement = get_for_user_or_404(Agreement, request.user, pk=pk)
    if not agreement.document:
        raise Http404
    audit(request.user, "employers.agreement.document_downloaded", agreement)
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=download_name(str(agreement), agreement.document.name),
    )


# --- Workplaces --------------------------------------------------------------------------


@dossier_access_required
def workplace_create(request: UserRequest, pk: int) -> HttpResponse:
    employer = _employer(request, pk)
    form = forms.WorkplaceForm(
        request.POST or None,
        organisation_ids={employer.organisation_id},
        initial={
            "last_reviewed": timezone.localdate(),
            "municipality": employer.municipality_id,
            "street": employer.street,
            "contact_coach": request.user.pk,
        },
    )
    return form_page(
        request,
        form,
        lambda data: services.workplace_create(
            employer, data=data, competences=form.trained(), by=request.user
        ),
        success=_("Workplace added."),
        next_url=lambda workplace: reverse("employers:workplace", args=[workplace.pk]),
        template="employers/workplace_form.html",
        employer=employer,
        title=_("New workplace at %(name)s") % {"name": employer.name},
        cancel_url=reverse("employers:detail", args=[employer.pk]),
    )


@dossier_access_required
def workplace_detail(request: UserRequest, pk: int) -> HttpResponse:
    workplace = _workplace(request, pk)
    today = timezone.localdate()
    placements = list(
        Placement.objects.visible_to(request.user)
        .filter(workplace=workplace)
        .select_related("trajectory__client", "mentor")
        .order_by("-start")[:50]
    )
    from doorstroom.core.regulation import ruleset_on
    from doorstroom.rules.deadlines import profile_review_due

    return render(
        request,
        "employers/workplace_detail.html",
        {
            "workplace": workplace,
            "employer": workplace.employer,
            "trained": list(
                workplace.trained.select_related("competence").order_by("competence__name_nl")
            ),
            "placements": placements,
            "running": Placement.objects.filter(workplace=workplace, start__lte=today)
            .exclude(end__lt=today)
            .count(),
            "review": profile_review_due(
                str(workplace.pk), workplace.last_reviewed, today=today, ruleset=ruleset_on(today)
            ),
            "review_form": forms.ReviewForm(initial={"on": today, "version": workplace.version}),
        },
    )


@dossier_access_required
def workplace_edit(request: UserRequest, pk: int) -> HttpResponse:
    workplace = _workplace(request, pk)
    initial: dict[str, Any] = {name: getattr(workplace, name) for name in services.WORKPLACE_FIELDS}
    initial["min_regime"] = f"{workplace.min_regime:.2f}"
    initial["max_regime"] = f"{workplace.max_regime:.2f}"
    initial |= {
        f"competence_{wc.competence.code}": wc.level
        for wc in workplace.trained.select_related("competence")
    }
    form = forms.WorkplaceEditForm(
        request.POST or None,
        organisation_ids={workplace.employer.organisation_id},
        initial={**initial, "version": workplace.version},
    )
    return form_page(
        request,
        form,
        lambda data: services.workplace_update(
            workplace,
            data=data,
            competences=form.trained(),
            expected_version=data["version"],
            by=request.user,
        ),
        success=_("Workplace saved."),
        next_url=reverse("employers:workplace", args=[workplace.pk]),
        template="employers/workplace_form.html",
        employer=workplace.employer,
        title=_("Edit %(name)s") % {"name": workplace.title},
        cancel_url=reverse("employers:workplace", args=[workplace.pk]),
    )


@dossier_access_required
def workplace_review(request: UserRequest, pk: int) -> HttpResponse:
    workplace = _workplace(request, pk)
    form = forms.ReviewForm(
        request.POST or None, initial={"on": timezone.localdate(), "version": workplace.version}
    )
    return form_page(
        request,
        form,
        lambda data: services.workplace_reviewed(
            workplace,
            on=data["on"],
            expected_version=data["version"],
            by=request.user,
        ),
        success=_("Job profile marked as reviewed."),
        next_url=reverse("employers:workplace", args=[workplace.pk]),
        title=_("Record a job profile review"),
        intro=_(
            "Review the tasks, pace, variety, schedule and demands with the employer (R-PLC-7)."
        ),
        cancel_url=reverse("employers:workplace", args=[workplace.pk]),
    )


# --- Matching (R-PLC-5) and rotation (R-PLC-4) ------------------------------------------


@dossier_access_required
def client_matches(request: UserRequest, client_pk: int) -> HttpResponse:
    client = get_for_user_or_404(Client, request.user, pk=client_pk)
    today = timezone.localdate()
    found = selectors.matches_for_client(request.user, client, today)
    trajectory = (
        Trajectory.objects.visible_to(request.user)
        .filter(client=client)
        .exclude(status=Status.STOPPED)
        .order_by("-start")
        .first()
    )
    audit(request.user, "employers.matching.client", client)
    return render(
        request,
        "employers/matches_client.html",
        {
            "client": client,
            "trajectory": trajectory,
            "result": found.result,
            "matches": [
                (m, found.workplaces[m.workplace_id], explain.component_rows(m.components))
                for m in found.result.matches[:25]
            ],
            "excluded": [
                (e, found.workplaces[e.workplace_id], explain.exclusion_rows(e.exclusions))
                for e in found.result.excluded[:50]
            ],
            "today": today,
        },
    )


@dossier_access_required
def workplace_matches(request: UserRequest, pk: int) -> HttpResponse:
    workplace = _workplace(request, pk)
    found = selectors.matches_for_workplace(request.user, workplace, timezone.localdate())
    return render(
        request,
        "employers/matches_workplace.html",
        {
            "workplace": workplace,
            "employer": workplace.employer,
            "result": found.result,
            "matches": [
                (m, found.clients[m.client_id], explain.component_rows(m.components))
                for m in found.result.matches[:25]
                if m.client_id in found.clients
            ],
        },
    )


@dossier_access_required
def rotation(request: UserRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    today = timezone.localdate()
    found = selectors.rotation_for(request.user, placement, today)
    return render(
        request,
        "employers/matches_client.html",
        {
            "client": placement.trajectory.client,
            "trajectory": placement.trajectory,
            "rotation_of": placement,
            "result": found.result,
            "matches": [
                (m, found.workplaces[m.workplace_id], explain.component_rows(m.components))
                for m in found.result.matches[:25]
            ],
            "excluded": [],
            "today": today,
        },
    )


# --- Placements --------------------------------------------------------------------------


@dossier_access_required
def placement_start(request: UserRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = get_for_user_or_404(
        Trajectory.objects.visible_to(request.user).select_related("client"),
        request.user,
        pk=trajectory_pk,
    )
    workplaces = (
        Workplace.objects.visible_to(request.user).filter(is_active=True).select_related("employer")
    )
    chosen = as_id(request.POST.get("workplace") or request.GET.get("workplace"))
    mentors = EmployerContact.objects.none()
    if chosen is not None:
        mentors = EmployerContact.objects.visible_to(request.user).filter(
            employer__workplaces__pk=chosen, role=ContactRole.MENTOR, is_active=True
        )
    form = forms.PlacementForm(
        request.POST or None,
        workplaces=workplaces,
        mentors=mentors,
        initial={
            "workplace": chosen,
            "start": timezone.localdate(),
            "kind": "work_experience",
        },
    )
    return form_page(
        request,
        form,
        lambda data: services.placement_start(
            trajectory,
            data["workplace"],
            kind=data["kind"],
            start=data["start"],
            planned_end=data["planned_end"],
            mentor=data["mentor"],
            regime_steps=form.steps(),
            by=request.user,
        ),
        success=_("Placement started."),
        next_url=_dossier_url(trajectory.client_id),
        client=trajectory.client,
        title=_("Start a placement"),
        intro=_(
            "The employer needs a signed cooperation agreement; an art. 60 placement with a "
            "third-party user also a tripartite agreement (R-PLC-1). The regime is at least "
            "half-time and may build up (R-PLC-3)."
        ),
        submit_label=_("Start placement"),
        cancel_url=_dossier_url(trajectory.client_id),
    )


@dossier_access_required
def placement_followup(request: UserRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    form = forms.FollowUpForm(request.POST or None, initial={"on": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda data: services.followup_add(
            placement,
            on=data["on"],
            notes=data["notes"],
            mentor_present=data["mentor_present"],
            by=request.user,
        ),
        success=_("Follow-up recorded."),
        next_url=_dossier_url(placement.trajectory.client_id),
        client=placement.trajectory.client,
        title=_("On-the-job follow-up at %(workplace)s") % {"workplace": placement.workplace.title},
        intro=_("Every placement gets at least one on-the-job follow-up before it ends (R-TRJ-8)."),
        cancel_url=_dossier_url(placement.trajectory.client_id),
    )


@dossier_access_required
def placement_end(request: UserRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    initial = {"end": timezone.localdate(), "version": placement.version}
    if request.GET.get("reason") in {"rotation", "outflow"}:
        initial["reason"] = request.GET["reason"]
    form = forms.PlacementEndForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.placement_end(
            placement,
            end=data["end"],
            reason=data["reason"],
            note=data["note"],
            expected_version=data["version"],
            by=request.user,
        ),
        success=_("Placement ended."),
        next_url=_dossier_url(placement.trajectory.client_id),
        client=placement.trajectory.client,
        title=_("End the placement at %(workplace)s") % {"workplace": placement.workplace.title},
        cancel_url=_dossier_url(placement.trajectory.client_id),
    )


@dossier_access_required
def placement_regime(request: UserRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    form = forms.RegimeStepForm(
        request.POST or None, initial={"start": timezone.localdate(), "version": placement.version}
    )
    return form_page(
        request,
        form,
        lambda data: services.regime_step_add(
            placement,
            start=data["start"],
            regime=data["regime"],
            expected_version=data["version"],
            by=request.user,
        ),
        success=_("Regime changed."),
        next_url=_dossier_url(placement.trajectory.client_id),
        client=placement.trajectory.client,
        title=_("Change the regime at %(workplace)s") % {"workplace": placement.workplace.title},
        intro=_("A placement may build up gradually, but never below half-time (R-PLC-3)."),
        cancel_url=_dossier_url(placement.trajectory.client_id),
    )
