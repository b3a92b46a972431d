"""Client dossier pages: thin views that parse a form, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doorstroom.accounts.models import User
from doorstroom.clients import forms, selectors, services
from doorstroom.clients.access_request import may_request
from doorstroom.clients.models import (
    Client,
    Consent,
    Document,
    Intake,
    IntakeDecision,
    ReferralStatus,
    SensitiveAccess,
    SensitiveNote,
)
from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.clients.validation import format_national_number, format_phone
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.exports import Column as ExportColumn
from doorstroom.core.exports import export_response
from doorstroom.core.forms import run_service
from doorstroom.core.pagination import counted_page
from doorstroom.core.params import as_id
from doorstroom.core.privacy import is_privacy_officer_for
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.core.uploads import download_name
from doorstroom.evaluations.dossier import development_for
from doorstroom.imports.models import IMPORTER_ROLES
from doorstroom.trajectories.models import Trajectory


def _form_page(request: UserRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "includes/form_page.html", {"form": form, **context})


def _client(request: UserRequest, pk: int, *, overview: bool = False) -> Client:
    clients = Client.objects.visible_to(request.user).select_related("municipality", "organisation")
    if overview:
        clients = selectors.with_responsible_ocmw(clients)
    return get_for_user_or_404(clients, request.user, pk=pk)


def _search(request: UserRequest) -> tuple[forms.SearchForm, str]:
    form = forms.SearchForm(request.GET or None)
    return form, form.cleaned_data["q"] if form.is_valid() else ""


# What the list shows, and the postcode; never the protected section (R-PRV-3).
CLIENT_EXPORT = (
    ExportColumn(gettext_lazy("Last name"), lambda c: c.last_name),
    ExportColumn(gettext_lazy("First name"), lambda c: c.first_name),
    ExportColumn(gettext_lazy("Date of birth"), lambda c: c.birth_date),
    ExportColumn(gettext_lazy("Postcode"), lambda c: c.postcode),
    ExportColumn(gettext_lazy("Municipality"), lambda c: c.municipality.name_nl),
    ExportColumn(gettext_lazy("Registered by"), lambda c: c.organisation.name),
)


@dossier_access_required
def client_export(request: UserRequest, fmt: str) -> HttpResponse:
    """The client list as CSV or XLSX, with the page's search (audited)."""
    _form, q = _search(request)
    return export_response(
        request,
        fmt=fmt,
        name="clients",
        columns=CLIENT_EXPORT,
        rows=selectors.search_clients(request.user, q).iterator(chunk_size=2000),
        filters={"q": q},
    )


@dossier_access_required
def client_list(request: UserRequest) -> HttpResponse:
    form, q = _search(request)
    clients = selectors.search_clients(request.user, q)
    page = counted_page(clients, request.GET.get("page"), settings.DOORSTROOM_PAGE_SIZE)
    may_import = request.user.has_role(*IMPORTER_ROLES)
    return render(
        request,
        "clients/client_list.html",
        {"form": form, "page": page, "q": q, "may_import": may_import},
    )


@dossier_access_required
def client_create(request: UserRequest) -> HttpResponse:
    user = request.user
    referral = None
    wanted = request.GET.get("referral") or request.POST.get("referral") or ""
    if (referral_id := as_id(wanted)) is not None:
        referral = selectors.referral_for(user, referral_id)
        if referral.status != ReferralStatus.ACCEPTED or referral.client_id:
            referral = None
    initial: dict[str, Any] = {}
    if referral:
        initial = {
            "first_name": referral.first_name,
            "last_name": referral.last_name,
            "birth_date": referral.birth_date,
            "national_number": referral.national_number,
        }
    form = forms.ClientCreateForm(request.POST or None, initial=initial)
    duplicate_link = None
    same_person = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        same_person = not data["confirm_duplicate"] and services.same_person(
            data["first_name"], data["last_name"], data["birth_date"]
        )
        if same_person:
            data_copy = request.POST.copy()
            data_copy["confirm_duplicate"] = "on"
            form.data = data_copy
            form.add_error(
                None,
                _(
                    "A client with this name and date of birth is already registered. "
                    "Check the client list first; save again if this is another person."
                ),
            )
        else:
            try:
                client = services.client_register(
                    data=data, job_targets=data["job_targets"], by=user, referral=referral
                )
            except services.DuplicateClientError as error:
                visible = Client.objects.visible_to(user).filter(pk=error.existing.pk).exists()
                if visible:
                    duplicate_link = reverse("clients:detail", args=[error.existing.pk])
                    form.add_error(
                        "national_number",
                        _("A client with this national number is already registered: %(name)s.")
                        % {"name": error.existing.full_name},
                    )
                else:
                    form.add_error(
                        "national_number",
                        _(
                            "This national number is already registered in another "
                            "organisation's dossier. Contact your team lead to get access."
                        ),
                    )
            except services.DomainError as error:
                from doorstroom.core.forms import add_domain_error

                add_domain_error(form, error)
            else:
                messages.success(request, _("Client registered."))
                return redirect("clients:detail", client.pk)
    return render(
        request,
        "clients/client_form.html",
        {
            "form": form,
            "title": _("Register a client"),
            "referral": referral,
            "duplicate_link": duplicate_link,
            "cancel_url": reverse("clients:list"),
        },
    )


@dossier_access_required
def client_edit(request: UserRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = forms.ClientEditForm(
        request.POST or None, initial=forms.ClientEditForm.initial_for(client)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.client_update(
                client,
                data=data,
                job_targets=data["job_targets"],
                expected_version=data["version"],
                by=request.user,
                reason=data["rectification_reason"],
            ),
        )
        if done:
            messages.success(request, _("Client data saved."))
            return redirect("clients:detail", client.pk)
    return render(
        request,
        "clients/client_form.html",
        {
            "form": form,
            "client": client,
            "title": _("Edit client data"),
            "cancel_url": reverse("clients:detail", args=[client.pk]),
        },
    )


@dossier_access_required
def client_detail(request: UserRequest, pk: int, tab: Tab = Tab.OVERVIEW) -> HttpResponse:
    """A tab of the client's dossier (``clients.tabs``): the overview, or a section of its own."""
    client = _client(request, pk, overview=tab == Tab.OVERVIEW)
    user = request.user
    dossier = selectors.dossier_for(client, user, tab)
    services.dossier_viewed(client, by=user)  # R-PRV-4: every tab is a read of the dossier
    context: dict[str, Any] = {
        "client": client,
        "dossier": dossier,
        "tab": tab,
        "tabs": _tabs(client, dossier.current),
        # R-PRV-6: who may answer an access request; R-PRV-4: the privacy officer's log.
        "privacy_officer": is_privacy_officer_for(user, client, dossier.trajectories),
        "may_request_access": may_request(client, user, dossier.trajectories),
        "national_number": format_national_number(client.national_number),
        "today": timezone.localdate(),
    }
    if tab == Tab.OVERVIEW:
        context["phone"] = format_phone(client.phone)
        context["responsible_ocmw"] = getattr(client, "responsible_ocmw_name", None)
    elif tab in (Tab.DEVELOPMENT, Tab.PLACEMENTS) and dossier.current:
        context["development"] = development_for(dossier.current)
    elif tab in (Tab.JOURNAL, Tab.DOCUMENTS):
        of = selectors.journal_of if tab == Tab.JOURNAL else selectors.documents_of
        rows = of(client)
        context["page"] = counted_page(rows, request.GET.get("page"), settings.DOORSTROOM_PAGE_SIZE)
    return render(request, f"clients/dossier/{tab.value}.html", context)


def _tabs(client: Client, current: Trajectory | None) -> list[tuple[Tab, str]]:
    """The dossier's tabs with their addresses; financing only for an art. 60 trajectory."""
    shown = [tab for tab in Tab if tab != Tab.FINANCING or (current and current.is_art60)]
    return [(tab, dossier_url(client.pk, tab)) for tab in shown]


# --- Referrals ------------------------------------------------------------------------


@dossier_access_required
def referral_list(request: UserRequest) -> HttpResponse:
    inbox = selectors.referral_inbox(request.user)
    return render(request, "clients/referral_list.html", {"inbox": inbox})


@dossier_access_required
def referral_create(request: UserRequest) -> HttpResponse:
    form = forms.ReferralForm(request.POST or None, initial={"referred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        referral = run_service(
            form,
            lambda: services.referral_create(data=form.cleaned_data, by=request.user),
        )
        if referral:
            messages.success(request, _("Referral sent."))
            return redirect("clients:referral-detail", referral.pk)
    return _form_page(
        request,
        form,
        title=_("Refer a client"),
        intro=_(
            "Refer a person to a coach with a handover note and a proposed joint first meeting."
        ),
        submit_label=_("Send referral"),
        cancel_url=reverse("clients:referrals"),
    )


@dossier_access_required
def referral_detail(request: UserRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = selectors.referral_for(user, pk)
    form = forms.DeclineForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        if "accept" in request.POST:
            done = run_service(
                form, lambda: services.referral_accept(referral, expected_version=version, by=user)
            )
            if done:
                messages.success(request, _("Referral accepted."))
                if referral.client_id:
                    return redirect("clients:detail", referral.client_id)
                return redirect(f"{reverse('clients:create')}?referral={referral.pk}")
        else:
            done = run_service(
                form,
                lambda: services.referral_decline(
                    referral,
                    reason=form.cleaned_data["decline_reason"],
                    expected_version=version,
                    by=user,
                ),
            )
            if done:
                messages.success(request, _("Referral declined."))
                return redirect("clients:referrals")
    return render(request, "clients/referral_detail.html", {"referral": referral, "form": form})


# --- Intake ---------------------------------------------------------------------------


@dossier_access_required
def intake_create(request: UserRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = forms.IntakeForm(
        request.POST or None,
        initial={
            "assessed_on": timezone.localdate(),
            "max_regime": f"{client.max_regime:.2f}",
            "job_targets": list(client.job_targets.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        intake = run_service(
            form,
            lambda: services.intake_record(
                client,
                data=data,
                barriers=form.barriers(),
                job_targets=data["job_targets"],
                by=request.user,
            ),
        )
        if intake:
            messages.success(request, _("Intake recorded. Check the suggested verdict and decide."))
            return redirect("clients:intake", intake.pk)
    return render(
        request,
        "clients/intake_form.html",
        {"form": form, "client": client, "cancel_url": reverse("clients:detail", args=[pk])},
    )


REASON_TEXT = {
    "regime_below_minimum": _("The client cannot work at least half-time."),
    "learning_potential_low": _("The learning potential is low."),
    "social_economy_highest": _("The social economy is the highest attainable."),
    "faster_route_exists": _("A faster route to work exists."),
}


@dossier_access_required
def intake_detail(request: UserRequest, pk: int) -> HttpResponse:
    intake = get_for_user_or_404(
        Intake.objects.visible_to(request.user).select_related("client", "assessor", "decided_by"),
        request.user,
        pk=pk,
    )
    form = forms.IntakeDecisionForm(
        request.POST or None,
        initial={
            "version": intake.version,
            "decision": IntakeDecision.ELIGIBLE
            if intake.suggested_eligible
            else IntakeDecision.NOT_ELIGIBLE,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.intake_decide(
                intake,
                decision=data["decision"],
                motivation=data["motivation"],
                alternative_route=data["alternative_route"],
                alternative_note=data["alternative_note"],
                expected_version=data["version"],
                by=request.user,
            ),
        )
        if done:
            messages.success(request, _("Decision recorded."))
            return redirect("clients:detail", intake.client_id)
    reasons = [str(REASON_TEXT.get(code, code)) for code in intake.suggested_reasons]
    return render(
        request,
        "clients/intake_detail.html",
        {
            "intake": intake,
            "client": intake.client,
            "reasons": reasons,
            "barriers": intake.barriers.all(),
            "form": form,
        },
    )


# --- Journal, documents, consent ------------------------------------------------------


@dossier_access_required
def journal_create(request: UserRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = forms.JournalForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["trajectory"] = client.trajectories.exclude(status="stopped").first()
        done = run_service(form, lambda: services.journal_add(client, data=data, by=request.user))
        if done:
            messages.success(request, _("Contact moment added to the journal."))
            return redirect(dossier_url(pk, Tab.JOURNAL))
    return _form_page(
        request,
        form,
        client=client,
        title=_("Add a contact moment"),
        cancel_url=dossier_url(pk, Tab.JOURNAL),
    )


@dossier_access_required
def document_create(request: UserRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_add(
            client,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            by=request.user,
        )
        messages.success(request, _("Document added."))
        return redirect(dossier_url(pk, Tab.DOCUMENTS))
    return _form_page(
        request,
        form,
        client=client,
        multipart=True,
        title=_("Add a document"),
        cancel_url=dossier_url(pk, Tab.DOCUMENTS),
    )


@dossier_access_required
def document_download(request: UserRequest, pk: int) -> HttpResponseBase:
    document = get_for_user_or_404(Document, request.user, pk=pk)
    services.document_downloaded(document, by=request.user)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = download_name(document.title, document.file.name)
    return FileResponse(handle, as_attachment=True, filename=filename)


@dossier_access_required
def consent_create(request: UserRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    form = forms.ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.consent_record(client, data=form.cleaned_data, by=request.user),
        )
        if done:
            messages.success(request, _("Consent recorded."))
            return redirect(reverse("clients:detail", args=[pk]) + "#consent")
    return _form_page(
        request,
        form,
        client=client,
        title=_("Record consent"),
        intro=_("What the client agreed to share with which organisation, and until when."),
        cancel_url=reverse("clients:detail", args=[pk]),
    )


@require_POST
@dossier_access_required
def consent_withdraw(request: UserRequest, pk: int) -> HttpResponse:
    consent = get_for_user_or_404(Consent, request.user, pk=pk)
    try:
        services.consent_withdraw(consent, on=timezone.localdate(), by=request.user)
        messages.success(request, _("Consent withdrawn."))
    except services.DomainError as error:
        messages.error(request, str(error))
    return redirect(reverse("clients:detail", args=[consent.client_id]) + "#consent")


# --- Protected section (R-PRV-3) --------------------------------------------------------


@dossier_access_required
def protected(request: UserRequest, pk: int) -> HttpResponse:
    client = _client(request, pk)
    user = request.user
    if not services.may_read_protected(client, user):
        return render(request, "clients/protected_denied.html", {"client": client}, status=403)
    is_lead = user.pk in services.lead_coach_ids(client)
    note_form = forms.SensitiveNoteForm(request.POST if "add" in request.POST else None)
    candidates = (
        User.objects.none()
        if not is_lead
        else User.objects.filter(
            is_active=True, memberships__organisation__in=[client.organisation_id]
        )
        .exclude(pk=user.pk)
        .distinct()
    )
    grant_form = forms.GrantForm(
        request.POST if "grant" in request.POST else None, users=candidates
    )
    if "add" in request.POST and note_form.is_valid():
        done = run_service(
            note_form,
            lambda: services.sensitive_note_add(
                client,
                category=note_form.cleaned_data["category"],
                text=note_form.cleaned_data["text"],
                by=user,
            ),
        )
        if done:
            messages.success(request, _("Protected note saved (encrypted)."))
            return redirect("clients:protected", pk)
    if "grant" in request.POST and grant_form.is_valid():
        granted = run_service(
            grant_form,
            lambda: services.sensitive_access_grant(
                client, user=grant_form.cleaned_data["user"], by=user
            ),
        )
        if granted:
            messages.success(request, _("Access granted."))
            return redirect("clients:protected", pk)
    return render(
        request,
        "clients/protected.html",
        {
            "client": client,
            "notes": client.sensitive_notes.select_related("author"),
            "access": client.sensitive_access.select_related("user", "granted_by"),
            "note_form": note_form,
            "grant_form": grant_form,
            "is_lead": is_lead,
        },
    )


@dossier_access_required
def protected_read(request: UserRequest, pk: int) -> HttpResponse:
    note = get_for_user_or_404(
        SensitiveNote.objects.visible_to(request.user).select_related("client", "author"),
        request.user,
        pk=pk,
    )
    user = request.user
    if not services.may_read_protected(note.client, user):
        return render(request, "clients/protected_denied.html", {"client": note.client}, status=403)
    form = forms.PurposeForm(request.POST or None)
    text = None
    if request.method == "POST" and form.is_valid():
        text = run_service(
            form,
            lambda: services.sensitive_note_read(
                note, purpose=form.cleaned_data["purpose"], by=user
            ),
        )
    return render(
        request,
        "clients/protected_read.html",
        {"note": note, "client": note.client, "form": form, "text": text},
    )


@require_POST
@dossier_access_required
def protected_revoke(request: UserRequest, pk: int) -> HttpResponse:
    access = (
        SensitiveAccess.objects.filter(
            pk=pk, client__in=Client.objects.visible_to(request.user).values("pk")
        )
        .select_related("client")
        .first()
    )
    if access is None:
        raise Http404
    try:
        services.sensitive_access_revoke(access, by=request.user)
        messages.success(request, _("Access withdrawn."))
    except services.DomainError as error:
        messages.error(request, str(error))
    return redirect("clients:protected", access.client_id)
