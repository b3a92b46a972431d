"""The POP: its versions with the differences, and a new version prefilled from the last one."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.core import links
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.audit import audit
from doorstroom.core.forms import run_service
from doorstroom.core.models import LinkPurpose
from doorstroom.core.params import as_id
from doorstroom.core.ratelimit import link_rate_limited
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.evaluations.forms import ScoreLinkForm
from doorstroom.evaluations.models import Source
from doorstroom.evaluations.services import self_assessment_submit
from doorstroom.instruments.models import InstrumentUse
from doorstroom.instruments.services import tryout_reflect
from doorstroom.plans import forms, selectors, services
from doorstroom.plans.models import ClientLink
from doorstroom.trajectories.models import Trajectory


def _trajectory(request: UserRequest, pk: int) -> Trajectory:
    return get_for_user_or_404(
        Trajectory.objects.visible_to(request.user).select_related("client", "organisation"),
        request.user,
        pk=pk,
    )


@dossier_access_required
def plan_detail(request: UserRequest, pk: int) -> HttpResponse:
    """A POP version (the latest, or ?v=N) and what changed since the version before."""
    trajectory = _trajectory(request, pk)
    versions = list(selectors.versions_of(trajectory))
    shown = versions[0] if versions else None
    wanted = request.GET.get("v", "")
    if (number := as_id(wanted)) is not None:
        shown = next((v for v in versions if v.number == number), shown)
    previous = next((v for v in versions if shown and v.number < shown.number), None)
    diff = selectors.version_diff(previous, shown) if shown and previous else None
    audit(request.user, "plans.plan.viewed", trajectory, purpose="POP")
    return render(
        request,
        "plans/plan_detail.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "versions": versions,
            "shown": shown,
            "previous": previous,
            "diff": diff,
            "scale": {s.level: s for s in selectors.scale()},
            "follow": selectors.evaluation_to_follow(trajectory, versions[0] if versions else None),
        },
    )


@dossier_access_required
def version_new(request: UserRequest, pk: int) -> HttpResponse:
    """A new POP version, starting from the previous one and the evaluation it follows."""
    trajectory = _trajectory(request, pk)
    proposal = selectors.proposal(trajectory)
    uses = InstrumentUse.objects.filter(trajectory=trajectory).order_by("-start")
    form = forms.PlanVersionForm(
        request.POST or None,
        initial={
            **proposal.initial,
            "drawn_up_on": timezone.localdate(),
            "version": trajectory.version,
        },
    )
    competence_rows = forms.CompetenceFormSet(
        request.POST or None, initial=proposal.competences, prefix="c"
    )
    action_rows = forms.ActionFormSet(
        request.POST or None,
        initial=proposal.actions,
        prefix="a",
        form_kwargs={"instrument_uses": uses},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and competence_rows.is_valid()
        and action_rows.is_valid()
    ):
        data = form.cleaned_data
        competences = [line for row in competence_rows for line in [row.line()] if line]
        actions = [line for row in action_rows for line in [row.line()] if line]
        version = run_service(
            form,
            lambda: services.version_create(
                trajectory,
                data=services.VersionData(
                    drawn_up_on=data["drawn_up_on"],
                    goals=data["goals"],
                    competences=competences,
                    actions=actions,
                    agreements=data["agreements"],
                    client_words=data["client_words"],
                    evaluation=proposal.evaluation,
                ),
                expected_version=data["version"],
                by=request.user,
            ),
        )
        if version is not None:
            messages.success(request, _("POP version %(n)s saved.") % {"n": version.number})
            return redirect("plans:detail", trajectory.pk)
    context: dict[str, Any] = {
        "trajectory": trajectory,
        "client": trajectory.client,
        "form": form,
        "competence_rows": competence_rows,
        "action_rows": action_rows,
        "proposal": proposal,
        "scale": selectors.scale(),
        "cancel_url": reverse("plans:detail", args=[trajectory.pk]),
    }
    return render(request, "plans/version_form.html", context)


# --- The client's own view ------------------------------------------------------------


@dossier_access_required
def client_link(request: UserRequest, pk: int) -> HttpResponse:
    """Send the client a personal link to their own view (or withdraw the current one)."""
    trajectory = _trajectory(request, pk)
    current = (
        trajectory.client_links.select_related("link")
        .filter(link__revoked_at__isnull=True, link__expires_at__gt=timezone.now())
        .first()
    )
    if request.method == "POST" and "revoke" in request.POST:
        if current is not None:
            services.client_link_revoke(current, by=request.user)
            messages.success(request, _("The client's link no longer works."))
        return redirect(dossier_url(trajectory.client_id, Tab.DEVELOPMENT))
    form = forms.ClientLinkForm(
        request.POST or None,
        initial={"email": trajectory.client.email, "days": services.CLIENT_LINK_DAYS},
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.client_link_send(
                trajectory,
                email=form.cleaned_data["email"] or "",
                days=form.cleaned_data["days"],
                by=request.user,
            ),
        )
        if done is not None:
            sent, url = done
            if sent.link.email:
                messages.success(
                    request, _("The link was sent to %(email)s.") % {"email": sent.link.email}
                )
            else:
                messages.info(
                    request,
                    _("Hand over this personal link to the client (it is shown only now): %(url)s")
                    % {"url": url},
                )
            return redirect(dossier_url(trajectory.client_id, Tab.DEVELOPMENT))
    return render(
        request,
        "plans/client_link.html",
        {
            "form": form,
            "trajectory": trajectory,
            "client": trajectory.client,
            "current": current,
            "title": _("The client's own view"),
            "submit_label": _("Send a new link"),
            "cancel_url": dossier_url(trajectory.client_id, Tab.DEVELOPMENT),
        },
    )


def _client_link(token: str) -> tuple[links.Resolved, ClientLink | None]:
    found = links.resolve(token, LinkPurpose.CLIENT_VIEW)
    if not found.valid or found.link is None:
        return found, None
    client_link = ClientLink.objects.select_related(
        "trajectory__client", "trajectory__coach", "trajectory__organisation", "link"
    ).get(link=found.link)
    return found, client_link


def _state_page(request: HttpRequest, found: links.Resolved) -> HttpResponse:
    status = 404 if found.state is links.LinkState.UNKNOWN else 410
    context = {"state": found.state.value, "link": found.link}
    return render(request, "evaluations/link_state.html", context, status=status)


def _self_assessment_forms(
    request: HttpRequest, view: selectors.ClientView, levels: list[Any], label: str
) -> tuple[list[tuple[Any, ScoreLinkForm]], bool]:
    """A self-assessment form per open evaluation; True when one was saved."""
    found: list[tuple[Any, ScoreLinkForm]] = []
    for evaluation in view.appointments:
        version = evaluation.plan_version
        competences = (
            sorted(version.competences.all(), key=lambda p: p.competence.name_nl) if version else []
        )
        if not competences:
            continue
        posted = request.method == "POST" and request.POST.get("evaluation") == str(evaluation.pk)
        initial = {
            f"level_{s.competence_id}": str(s.level)
            for s in evaluation.scores.all()
            if s.source == Source.SELF
        }
        form = ScoreLinkForm(
            request.POST if posted else None,
            initial=initial,
            prefix=f"e{evaluation.pk}",
            competences=competences,
            scale=levels,
            comments=False,
        )
        if posted and form.is_valid():
            submit = partial(
                self_assessment_submit, evaluation, scores=form.scores(), actor_label=label
            )
            if run_service(form, submit):
                return found, True
        found.append((evaluation, form))
    return found, False


def _tryout_forms(
    request: HttpRequest, view: selectors.ClientView, label: str
) -> tuple[list[tuple[Any, forms.MyTryoutForm]], bool]:
    """A reflection form per try-out; True when one was saved."""
    found: list[tuple[Any, forms.MyTryoutForm]] = []
    for tryout in view.tryouts:
        posted = request.method == "POST" and request.POST.get("tryout") == str(tryout.pk)
        form = forms.MyTryoutForm(
            request.POST if posted else None,
            prefix=f"t{tryout.pk}",
            initial={
                "expectation": tryout.expectation,
                "finding": tryout.finding,
                "wants_this": tryout.wants_this,
            },
        )
        if posted and form.is_valid():
            data = form.cleaned_data
            reflect = partial(
                tryout_reflect,
                tryout,
                expectation=data["expectation"] or None,
                finding=data["finding"] or None,
                wants_this=data["wants_this"] or None,
                actor_label=label,
            )
            if run_service(form, reflect):
                return found, True
        found.append((tryout, form))
    return found, False


@login_not_required
@link_rate_limited
def mine(request: HttpRequest, token: str) -> HttpResponse:
    """The client's own page (B1 Dutch): POP, appointments, placements, self-assessment and
    try-out reflections. Nothing from the protected section."""
    found, client_link = _client_link(token)
    if client_link is None:
        return _state_page(request, found)
    trajectory = client_link.trajectory
    today = timezone.localdate()
    view = selectors.client_view(trajectory, today)
    levels = selectors.scale()
    label = f"client link ({client_link.link.name})"
    self_forms, saved = _self_assessment_forms(request, view, levels, label)
    tryout_forms, saved_tryout = _tryout_forms(request, view, label)
    if saved or saved_tryout:
        messages.success(request, _("Thank you, your answers are saved."))
        return redirect("plans:mine", token)
    if request.method == "GET":
        services.client_view_opened(client_link.link)
    return render(
        request,
        "plans/mine.html",
        {
            "view": view,
            "client": trajectory.client,
            "scale": {s.level: s for s in levels},
            "self_forms": self_forms,
            "tryout_forms": tryout_forms,
            "today": today,
        },
    )
