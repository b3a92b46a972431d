"""Evaluations, the mentor's link page and 360° feedback: thin views over services/selectors.

The pages behind a secret link (mentor, 360° respondent) need no account: the token is the
key, checked by ``core.links.resolve``; every state but "valid" gets a clear page and changes
nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstroom.clients.tabs import Tab, dossier_url
from doorstroom.core import links
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.forms import form_page, posted_version, run_service
from doorstroom.core.links import LinkState
from doorstroom.core.models import AccessLink, LinkPurpose
from doorstroom.core.ratelimit import link_rate_limited
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.core.text import short_date
from doorstroom.evaluations import forms, selectors, services
from doorstroom.evaluations.models import Evaluation, FeedbackRespondent, FeedbackRound
from doorstroom.plans.selectors import scale
from doorstroom.trajectories.models import Trajectory


def _trajectory(request: UserRequest, pk: int) -> Trajectory:
    return get_for_user_or_404(
        Trajectory.objects.visible_to(request.user).select_related("client", "organisation"),
        request.user,
        pk=pk,
    )


def _evaluation(request: UserRequest, pk: int) -> Evaluation:
    found = get_for_user_or_404(Evaluation.objects.visible_to(request.user), request.user, pk=pk)
    return selectors.evaluation_detail(found)


def _round(request: UserRequest, pk: int) -> FeedbackRound:
    return get_for_user_or_404(
        FeedbackRound.objects.visible_to(request.user).select_related("trajectory__client"),
        request.user,
        pk=pk,
    )


def _dossier_url(trajectory: Trajectory) -> str:
    return dossier_url(trajectory.client_id, Tab.DEVELOPMENT)


@dossier_access_required
def evaluation_plan(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    placements = trajectory.placements.select_related("workplace__employer").order_by("-start")
    initial: dict[str, Any] = {
        "version": trajectory.version,
        **selectors.due_evaluation(trajectory),
    }
    current = placements.filter(end__isnull=True).first()
    if current is not None:
        initial["placement"] = current
    form = forms.EvaluationPlanForm(request.POST or None, initial=initial, placements=placements)
    return form_page(
        request,
        form,
        lambda d: services.evaluation_plan(
            trajectory,
            kind=d["kind"],
            planned_on=d["planned_on"],
            placement=d["placement"],
            expected_version=d["version"],
            by=request.user,
        ),
        success=_("Evaluation planned."),
        next_url=lambda evaluation: reverse("evaluations:detail", args=[evaluation.pk]),
        client=trajectory.client,
        title=_("Plan an evaluation"),
        intro=_(
            "An evaluation is due at the end of every phase and at least every 6 months "
            "(R-TRJ-6). It scores the competences of the current POP version."
        ),
        submit_label=_("Plan"),
        cancel_url=_dossier_url(trajectory),
    )


@dossier_access_required
def evaluation_detail(request: UserRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    trajectory = evaluation.trajectory
    competences = list(evaluation.plan_version.competences.all()) if evaluation.plan_version else []
    rows = selectors.score_rows(evaluation)
    initial: dict[str, Any] = {
        "version": evaluation.version,
        "held_on": evaluation.held_on or min(timezone.localdate(), evaluation.planned_on),
        "conclusions": evaluation.conclusions,
        "next_steps": evaluation.next_steps,
    }
    for row in rows:
        key = row.competence.pk
        for source in ("coach", "self"):
            if source in row.levels:
                initial[f"{source}_{key}"] = str(row.levels[source])
        initial[f"coach_{key}_note"] = row.comments.get("coach", "")
    form = forms.EvaluationRecordForm(
        request.POST or None, initial=initial, competences=competences, scale=scale()
    )
    if request.method == "POST" and evaluation.is_open and form.is_valid():
        data = form.cleaned_data
        complete = "complete" in request.POST
        done = run_service(
            form,
            lambda: services.evaluation_record(
                evaluation,
                coach_scores=forms.scores_from(data, "coach", competences),
                self_scores=forms.scores_from(data, "self", competences),
                held_on=data["held_on"],
                conclusions=data["conclusions"],
                next_steps=data["next_steps"],
                complete=complete,
                expected_version=data["version"],
                by=request.user,
            ),
        )
        if done is not None:
            if complete:
                messages.success(
                    request,
                    _("Evaluation completed. Adjust the POP: the new levels are filled in."),
                )
                return redirect("plans:version-new", trajectory.pk)
            messages.success(request, _("Scores saved."))
            return redirect("evaluations:detail", evaluation.pk)
    return render(
        request,
        "evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "trajectory": trajectory,
            "client": trajectory.client,
            "rows": rows,
            "form": form,
            "link": evaluation.mentor_link,
            "now": timezone.now(),
            "dossier_url": _dossier_url(trajectory),
        },
    )


@require_POST
@dossier_access_required
def mentor_link_send(request: UserRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    try:
        sent = services.mentor_link_send(evaluation, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The link was sent to %(email)s; it works until %(date)s.")
            % {
                "email": sent.link.email,
                "date": short_date(timezone.localtime(sent.link.expires_at).date()),
            },
        )
    return redirect("evaluations:detail", evaluation.pk)


@require_POST
@dossier_access_required
def evaluation_cancel(request: UserRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    try:
        services.evaluation_cancel(
            evaluation, expected_version=posted_version(request), by=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("evaluations:detail", evaluation.pk)
    messages.success(request, _("Evaluation cancelled."))
    return redirect(_dossier_url(evaluation.trajectory))


# --- Pages behind a secret link -------------------------------------------------------


def _link_state_page(
    request: HttpRequest, state: LinkState, link: AccessLink | None
) -> HttpResponse:
    status = 404 if state is LinkState.UNKNOWN else 410
    return render(
        request, "evaluations/link_state.html", {"state": state.value, "link": link}, status=status
    )


@login_not_required
@link_rate_limited
def mentor(request: HttpRequest, token: str) -> HttpResponse:
    """The mentor's phone-friendly page: the workplace part of an evaluation (no account)."""
    found = links.resolve(token, LinkPurpose.MENTOR_EVALUATION)
    if not found.valid or found.link is None:
        return _link_state_page(request, found.state, found.link)
    link = found.link
    evaluation = (
        Evaluation.objects.select_related(
            "trajectory__client", "trajectory__organisation", "placement__workplace", "plan_version"
        )
        .prefetch_related("plan_version__competences__competence")
        .get(mentor_link=link)
    )
    if not evaluation.is_open:
        return _link_state_page(request, LinkState.REVOKED, link)
    competences = sorted(
        evaluation.plan_version.competences.all() if evaluation.plan_version else [],
        key=lambda p: p.competence.name_nl,
    )
    levels = scale()
    form = forms.ScoreLinkForm(
        request.POST or None, competences=competences, scale=levels, comments=True
    )
    if request.method == "GET":
        services.mentor_link_opened(link)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_submit(
                link, scores=form.scores(), comment=form.cleaned_data.get("comment", "")
            )
        except DomainError as error:
            if error.code in ("used", "closed"):
                return _link_state_page(request, LinkState.USED, link)
            form.add_error(None, str(error))
        else:
            return render(request, "evaluations/link_thanks.html", {"link": link})
    return render(
        request,
        "evaluations/mentor_form.html",
        {"form": form, "evaluation": evaluation, "scale": levels, "link": link},
    )


@login_not_required
@link_rate_limited
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """A 360° respondent's page (no account): levels on the POP competences and questions."""
    found = links.resolve(token, LinkPurpose.FEEDBACK)
    if not found.valid or found.link is None:
        return _link_state_page(request, found.state, found.link)
    link = found.link
    respondent = FeedbackRespondent.objects.select_related(
        "round__trajectory__client", "round__trajectory__organisation", "round__plan_version"
    ).get(link=link)
    feedback_round = respondent.round
    if feedback_round.closes_on < timezone.localdate():
        return _link_state_page(request, LinkState.EXPIRED, link)
    competences = sorted(
        feedback_round.plan_version.competences.select_related("competence"),
        key=lambda p: p.competence.name_nl,
    )
    levels = scale()
    form = forms.ScoreLinkForm(
        request.POST or None,
        competences=competences,
        scale=levels,
        comments=False,
        questions=feedback_round.questions,
    )
    if request.method == "GET":
        links.mark_opened(link)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(link, scores=form.scores(), answers=form.answers())
        except DomainError as error:
            if error.code in ("used", "closed"):
                return _link_state_page(request, LinkState.USED, link)
            form.add_error(None, str(error))
        else:
            return render(request, "evaluations/link_thanks.html", {"link": link})
    return render(
        request,
        "evaluations/feedback_form.html",
        {"form": form, "respondent": respondent, "round": feedback_round, "scale": levels},
    )


# --- 360° feedback (coach side) -------------------------------------------------------


@dossier_access_required
def round_open(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    initial = {
        "version": trajectory.version,
        "closes_on": timezone.localdate() + datetime.timedelta(days=21),
        "questions": "\n".join(services.default_questions()),
    }
    form = forms.RoundOpenForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.round_open(
            trajectory,
            closes_on=d["closes_on"],
            questions=d["questions"].splitlines(),
            expected_version=d["version"],
            by=request.user,
        ),
        success=_("360° round opened. Now invite the client and the people around them."),
        next_url=lambda r: reverse("evaluations:round", args=[r.pk]),
        client=trajectory.client,
        title=_("Start a 360° feedback round"),
        intro=_(
            "Together with the client, ask people from their network how they see the "
            "competences of the POP. The client fills in the same questions as a "
            "self-assessment."
        ),
        submit_label=_("Open the round"),
        cancel_url=_dossier_url(trajectory),
    )


def _invited(request: HttpRequest, respondent: FeedbackRespondent, sent: services.SentLink) -> None:
    """Tell the coach the invitation went out, or show the link once to hand over."""
    if respondent.email:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": respondent.email})
    else:
        messages.info(
            request,
            _("Hand over this personal link to %(name)s (it is shown only now): %(url)s")
            % {"name": respondent.name, "url": sent.url},
        )


@dossier_access_required
def round_detail(request: UserRequest, pk: int) -> HttpResponse:
    feedback_round = _round(request, pk)
    trajectory = feedback_round.trajectory
    individual = selectors.sees_individual_answers(request.user, trajectory)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.respondent_invite(
                feedback_round,
                relation=data["relation"],
                name=data["name"],
                email=data["email"],
                by=request.user,
            ),
        )
        if done is not None:
            _invited(request, *done)
            return redirect("evaluations:round", feedback_round.pk)
    results = selectors.round_results(feedback_round, individual=individual)
    audit(request.user, "evaluations.feedback_round.viewed", feedback_round, purpose="360° results")
    return render(
        request,
        "evaluations/round_detail.html",
        {
            "round": feedback_round,
            "results": results,
            "individual": individual,
            "client": trajectory.client,
            "form": form,
            "min_group": selectors.MIN_GROUP,
            "is_open": feedback_round.closes_on >= timezone.localdate(),
            "dossier_url": _dossier_url(trajectory),
        },
    )


@require_POST
@dossier_access_required
def respondent_resend(request: UserRequest, pk: int) -> HttpResponse:
    respondent = get_for_user_or_404(
        FeedbackRespondent.objects.visible_to(request.user).select_related("round"),
        request.user,
        pk=pk,
    )
    if not selectors.sees_individual_answers(request.user, respondent.round.trajectory):
        messages.error(request, _("Only the lead coach can send a 360° invitation again."))
        return redirect("evaluations:round", respondent.round_id)
    try:
        sent = services.respondent_resend(respondent, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        _invited(request, respondent, sent)
    return redirect("evaluations:round", respondent.round_id)
