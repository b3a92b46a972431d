"""Instrument uses, proeftuin try-outs and the try-out catalogue: thin views over services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.clients.models import Occupation
from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.forms import form_page, set_choices
from doorstroom.core.params import as_id
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.employers.models import Workplace
from doorstroom.instruments import forms, selectors, services
from doorstroom.instruments.explain import kind_label
from doorstroom.instruments.models import InstrumentUse, Tryout, TryoutOffer
from doorstroom.trajectories.models import Trajectory

REFLECTION_MOMENTS = ("before", "after")


def _trajectory(request: UserRequest, pk: int) -> Trajectory:
    return get_for_user_or_404(
        Trajectory.objects.visible_to(request.user).select_related("client"), request.user, pk=pk
    )


def _use(request: UserRequest, pk: int) -> InstrumentUse:
    return get_for_user_or_404(
        InstrumentUse.objects.visible_to(request.user).select_related(
            "trajectory__client", "tryout__offer"
        ),
        request.user,
        pk=pk,
    )


def _tryout(request: UserRequest, use_pk: int) -> Tryout:
    return get_for_user_or_404(
        Tryout.objects.visible_to(request.user).select_related("use__trajectory__client", "offer"),
        request.user,
        use_id=use_pk,
    )


def _offer(request: UserRequest, pk: int) -> TryoutOffer:
    return get_for_user_or_404(
        TryoutOffer.objects.visible_to(request.user).select_related("occupation", "workplace"),
        request.user,
        pk=pk,
    )


def _dossier_url(client_id: int) -> str:
    return dossier_url(client_id, Tab.INSTRUMENTS)


def _workplaces(request: UserRequest, current: int | None = None) -> Any:
    """Active workplaces the user may see; an offer keeps its own, even when inactive now."""
    return (
        Workplace.objects.visible_to(request.user)
        .filter(Q(is_active=True) | Q(pk=current))
        .select_related("employer")
        .order_by("employer__name", "title", "pk")
    )


# --- Kinds and their limits (R-INS-2) ---------------------------------------------------


@dossier_access_required
def kind_list(request: UserRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "instruments/kind_list.html",
        {"kinds": selectors.kind_catalogue(today), "ruleset": ruleset_on(today)},
    )


# --- Instrument uses (R-INS-1) ----------------------------------------------------------


@dossier_access_required
def use_create(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    kinds = selectors.kinds_for(trajectory)
    form = forms.UseForm(
        request.POST or None,
        kinds=kinds,
        initial={"kind": request.GET.get("kind", ""), "start": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        lambda data: services.use_register(trajectory, data=data, by=request.user),
        success=_("Instrument registered."),
        next_url=_dossier_url(trajectory.client_id),
        template="instruments/use_form.html",
        client=trajectory.client,
        kinds=kinds,
        title=_("Register an instrument"),
        intro=_(
            "Register every instrument the client uses: kind, provider, dates, hours and result "
            "(R-INS-1). Each kind has its limits (R-INS-2)."
        ),
        submit_label=_("Register"),
        cancel_url=_dossier_url(trajectory.client_id),
    )


@dossier_access_required
def use_edit(request: UserRequest, pk: int) -> HttpResponse:
    use = _use(request, pk)
    trajectory = use.trajectory
    kinds = selectors.kinds_for(trajectory)
    initial: dict[str, Any] = {name: getattr(use, name) for name in services.USE_FIELDS}
    initial |= {"regime": f"{use.regime:.2f}", "version": use.version}
    form = forms.UseEditForm(request.POST or None, kinds=kinds, initial=initial)
    if use.tryout_or_none is not None:
        form.fields["kind"].disabled = True  # a try-out stays a beroepsverkennende stage
    label = kind_label(ruleset_on(trajectory.start), use.kind)
    return form_page(
        request,
        form,
        lambda data: services.use_update(
            use, data=data, expected_version=data["version"], by=request.user
        ),
        success=_("Instrument saved."),
        next_url=_dossier_url(trajectory.client_id),
        template="instruments/use_form.html",
        client=trajectory.client,
        kinds=kinds,
        title=_("Edit: %(label)s") % {"label": label},
        cancel_url=_dossier_url(trajectory.client_id),
    )


# --- Proeftuin try-outs (seed 001) ------------------------------------------------------


@dossier_access_required
def tryout_start(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    offer = request.GET.get("offer", "")
    form = forms.TryoutForm(
        request.POST or None,
        offers=selectors.offer_choices(request.user),
        initial={"offer": as_id(offer), "start": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        lambda data: services.tryout_register(
            trajectory,
            offer=data["offer"],
            start=data["start"],
            end=data["end"],
            provider=data["provider"],
            expectation=data["expectation"],
            by=request.user,
        ),
        success=_("Try-out planned."),
        next_url=_dossier_url(trajectory.client_id),
        client=trajectory.client,
        title=_("Start a try-out"),
        intro=_(
            "A short, safe taste of a job from the proeftuin catalogue, to raise the client's "
            "self-insight: a beroepsverkennende stage (R-INS-2). Ask what the client expects "
            "before, and what they found after."
        ),
        submit_label=_("Plan the try-out"),
        cancel_url=_dossier_url(trajectory.client_id),
    )


@dossier_access_required
def tryout_reflect(request: UserRequest, pk: int, moment: str) -> HttpResponse:
    if moment not in REFLECTION_MOMENTS:
        raise Http404
    tryout = _tryout(request, pk)
    client = tryout.use.trajectory.client
    form: forms.ReflectionBeforeForm | forms.ReflectionAfterForm
    if moment == "before":
        form = forms.ReflectionBeforeForm(
            request.POST or None,
            initial={"expectation": tryout.expectation, "version": tryout.version},
        )
        title = _("Before the try-out: what does the client expect?")
    else:
        form = forms.ReflectionAfterForm(
            request.POST or None,
            initial={
                "finding": tryout.finding,
                "wants_this": tryout.wants_this,
                "version": tryout.version,
            },
        )
        title = _("After the try-out: what did the client find?")
    return form_page(
        request,
        form,
        lambda data: services.tryout_reflect(
            tryout,
            expectation=data.get("expectation"),
            finding=data.get("finding"),
            wants_this=data.get("wants_this"),
            expected_version=data["version"],
            by=request.user,
        ),
        success=_("Reflection saved."),
        next_url=_dossier_url(client.pk),
        client=client,
        title=title,
        intro=_("Write it down in the client's own words: it helps them see what suits them."),
        cancel_url=_dossier_url(client.pk),
    )


# --- The try-out catalogue --------------------------------------------------------------


@dossier_access_required
def offer_list(request: UserRequest) -> HttpResponse:
    form = forms.OfferFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    offers = selectors.offer_list(
        request.user, q=data.get("q", ""), inactive=data.get("inactive", False)
    )
    page = Paginator(offers, settings.DOORSTROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "instruments/offer_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@dossier_access_required
def offer_create(request: UserRequest) -> HttpResponse:
    form = forms.OfferForm(request.POST or None, workplaces=_workplaces(request))
    return form_page(
        request,
        form,
        lambda data: services.offer_create(data=data, by=request.user),
        success=_("Try-out added to the catalogue."),
        next_url=reverse("instruments:offer_list"),
        title=_("New try-out"),
        intro=_(
            "A short, safe taste of a job (job tasting, beroepsverkennende stage) that coaches "
            "can offer their clients. Link it to an occupation so that it matches job targets."
        ),
        cancel_url=reverse("instruments:offer_list"),
    )


@dossier_access_required
def offer_edit(request: UserRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    initial = {name: getattr(offer, name) for name in services.OFFER_FIELDS}
    form = forms.OfferEditForm(
        request.POST or None,
        workplaces=_workplaces(request, offer.workplace_id),
        initial={**initial, "version": offer.version},
    )
    set_choices(
        form, "occupation", Occupation.objects.filter(Q(is_active=True) | Q(pk=offer.occupation_id))
    )
    return form_page(
        request,
        form,
        lambda data: services.offer_update(
            offer, data=data, expected_version=data["version"], by=request.user
        ),
        success=_("Try-out saved."),
        next_url=reverse("instruments:offer_list"),
        title=_("Edit %(title)s") % {"title": offer.title},
        cancel_url=reverse("instruments:offer_list"),
    )
