"""Caseload and trajectory actions: thin views over the services and selectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doorstroom.accounts.models import Organisation, User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import Client, Intake, IntakeDecision, Referral, ReferralStatus
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.exports import Column as ExportColumn
from doorstroom.core.exports import export_response
from doorstroom.core.forms import form_page, run_service
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.employers.selectors import employer_signals
from doorstroom.trajectories import forms, selectors, services
from doorstroom.trajectories.benefit import benefit_view
from doorstroom.trajectories.deadlines import contract_of
from doorstroom.trajectories.models import Suspension, Trajectory, TrajectoryPhase

M = TypeVar("M", TrajectoryPhase, Suspension)


def _trajectory(request: UserRequest, pk: int) -> Trajectory:
    return get_for_user_or_404(
        Trajectory.objects.visible_to(request.user).select_related(
            "client", "coach", "organisation", "intake"
        ),
        request.user,
        pk=pk,
    )


def _dossier_url(trajectory: Trajectory) -> str:
    return reverse("clients:detail", args=[trajectory.client_id]) + "#trajectory"


def _caseload_filters(
    request: UserRequest,
) -> tuple[forms.CaseloadFilterForm, selectors.CaseloadFilters]:
    """The caseload's filters from the query string (the page and its export share them)."""
    user = request.user
    team_lead = selectors.is_team_lead(user)
    scope = "team" if team_lead and request.GET.get("scope") == "team" else "mine"
    coaches = list(selectors.team_coaches(user)) if scope == "team" else None
    form = forms.CaseloadFilterForm(request.GET or None, coaches=coaches)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CaseloadFilters(
        kind=data.get("kind", ""),
        phase=data.get("phase", ""),
        status=data.get("status", ""),
        signal=data.get("signal", ""),
        coach=data.get("coach"),
        q=data.get("q", ""),
        scope=scope,
    )
    return form, filters


CASELOAD_EXPORT = (
    ExportColumn(gettext_lazy("Client"), lambda t: t.client.full_name),
    ExportColumn(gettext_lazy("Date of birth"), lambda t: t.client.birth_date),
    ExportColumn(gettext_lazy("Kind"), lambda t: t.get_kind_display()),
    ExportColumn(gettext_lazy("Phase"), lambda t: t.get_phase_display()),
    ExportColumn(gettext_lazy("Status"), lambda t: t.get_status_display()),
    ExportColumn(gettext_lazy("Start"), lambda t: t.start),
    ExportColumn(gettext_lazy("Next deadline"), lambda t: t.next_due),
    ExportColumn(gettext_lazy("What is due"), lambda t: t.next_due_label),
    ExportColumn(gettext_lazy("Rule"), lambda t: t.next_due_rule),
    ExportColumn(gettext_lazy("Coach"), lambda t: t.coach.full_name),
    ExportColumn(gettext_lazy("Organisation"), lambda t: t.organisation.name),
)


@dossier_access_required
def caseload_export(request: UserRequest, fmt: str) -> HttpResponse:
    """The caseload as CSV or XLSX, with the page's filters and scope (audited)."""
    _form, filters = _caseload_filters(request)
    return export_response(
        request,
        fmt=fmt,
        name="caseload",
        columns=CASELOAD_EXPORT,
        rows=selectors.caseload_for(request.user, filters).iterator(chunk_size=2000),
        filters=asdict(filters),
    )


@dossier_access_required
def caseload(request: UserRequest) -> HttpResponse:
    """The coach's home: their trajectories with what is due next, most urgent first."""
    user = request.user
    team_lead = selectors.is_team_lead(user)
    form, filters = _caseload_filters(request)
    scope = filters.scope
    trajectories = selectors.caseload_for(user, filters)
    counts = selectors.signal_counts(trajectories)
    paginator = Paginator(
        trajectories.values_list(*selectors.CASELOAD_ROW), settings.DOORSTROOM_PAGE_SIZE
    )
    paginator.count = counts["trajectories"]  # the header's count: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.caseload_rows(page.object_list, timezone.localdate())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trajectories/caseload.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "scope": scope,
            "team_lead": team_lead,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            # SPEC §4: job-profile reviews (R-PLC-7) and agreement expiry (R-PLC-1) are due too.
            "signals": employer_signals(
                user, timezone.localdate(), ruleset_on(timezone.localdate()).deadlines.due_soon_days
            ),
            "pending_referrals": Referral.objects.filter(
                Q(to_coach=user)
                | Q(
                    to_coach__isnull=True, to_organisation_id__in=user.organisation_ids(Role.COACH)
                ),
                status=ReferralStatus.PENDING,
            ).count(),
        },
    )


@dossier_access_required
def start(request: UserRequest, client_pk: int) -> HttpResponse:
    user = request.user
    client = get_for_user_or_404(Client, user, pk=client_pk)
    intakes = Intake.objects.filter(client=client, decision=IntakeDecision.ELIGIBLE)
    referrals = Referral.objects.filter(
        Q(client=client) | Q(national_number=client.national_number, national_number__gt=""),
        status=ReferralStatus.ACCEPTED,
    )
    organisations = Organisation.objects.filter(
        pk__in=user.organisation_ids(Role.COACH) | user.organisation_ids(Role.TEAM_LEAD)
    )
    latest_intake = intakes.order_by("-assessed_on").first()
    referral = referrals.first()
    form = forms.StartForm(
        request.POST or None,
        intakes=intakes,
        referrals=referrals,
        organisations=organisations,
        initial={
            "start": timezone.localdate(),
            "intake": latest_intake,
            "referral": referral,
            "organisation": user.primary_organisation,
            "coach": user,
            "kind": referral.kind if referral else "art60",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        trajectory = run_service(
            form,
            lambda: services.trajectory_start(
                client,
                kind=data["kind"],
                start=data["start"],
                intake=data["intake"],
                coach=data["coach"],
                organisation=data["organisation"],
                referral=data["referral"],
                first_phase=data["first_phase"],
                by=user,
            ),
        )
        if trajectory:
            messages.success(request, _("Trajectory started."))
            return redirect(_dossier_url(trajectory))
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "client": client,
            "title": _("Start a trajectory"),
            "intro": _("A trajectory starts after an intake decided that the client enters TWE."),
            "submit_label": _("Start trajectory"),
            "cancel_url": reverse("clients:detail", args=[client.pk]),
        },
    )


def _action(
    request: UserRequest,
    trajectory: Trajectory,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    *,
    title: str | Promise,
    success: str,
    intro: str | Promise = "",
    submit_label: str | Promise = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run one trajectory action form: the service's refusal shows on the form."""
    return form_page(
        request,
        form,
        call,
        success=success,
        next_url=_dossier_url(trajectory),
        client=trajectory.client,
        trajectory=trajectory,
        title=title,
        intro=intro,
        submit_label=submit_label,
        cancel_url=_dossier_url(trajectory),
        **(extra or {}),
    )


def _initial(trajectory: Trajectory, **values: Any) -> dict[str, Any]:
    return {"version": trajectory.version, "on": timezone.localdate(), **values}


@dossier_access_required
def phase_change(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = forms.PhaseForm(request.POST or None, initial=_initial(trajectory))
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.phase_change(
            trajectory,
            phase=d["phase"],
            on=d["on"],
            decision=d["decision"],
            decided_by=d["decided_by"],
            note=d["note"],
            expected_version=d["version"],
            by=request.user,
        ),
        title=_("Next phase"),
        success=_("Phase changed."),
    )


@dossier_access_required
def phase_extend(request: UserRequest, pk: int) -> HttpResponse:
    phase = _of_visible_trajectory(TrajectoryPhase, request, pk)
    trajectory = phase.trajectory
    form = forms.ExtendForm(request.POST or None, initial={"version": trajectory.version})
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.phase_extend(
            phase,
            until=d["until"],
            motivation=d["motivation"],
            expected_version=d["version"],
            by=request.user,
        ),
        title=_("Extend the phase"),
        intro=_(
            "A phase step may be extended for a limited time, with a motivation; "
            "adjust the POP to it."
        ),
        success=_("Phase extended."),
    )


def _of_visible_trajectory(model: type[M], request: UserRequest, pk: int) -> M:
    """A phase or suspension, found only through a trajectory the user may see (R-PRV-1)."""
    visible = Trajectory.objects.visible_to(request.user).values("pk")
    found = (
        model._default_manager.filter(pk=pk, trajectory__in=visible)
        .select_related("trajectory__client")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dossier_access_required
def suspend(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = forms.SuspendForm(
        request.POST or None,
        initial={"version": trajectory.version, "start": timezone.localdate()},
    )
    intro = (
        _(
            "An art60 suspension is decided by the coach with a reason. After 3 months the "
            "dossier is reviewed: continue the suspension or stop."
        )
        if trajectory.is_art60
        else _("A TWE-wz suspension counts inside the 24 months: the end date does not move.")
    )
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.suspension_start(
            trajectory,
            start=d["start"],
            end=d["end"],
            reason=d["reason"],
            expected_version=d["version"],
            by=request.user,
        ),
        title=_("Suspend the trajectory"),
        intro=intro,
        success=_("Trajectory suspended."),
    )


@dossier_access_required
def resume(request: UserRequest, pk: int) -> HttpResponse:
    suspension = _of_visible_trajectory(Suspension, request, pk)
    trajectory = suspension.trajectory
    form = forms.ResumeForm(
        request.POST or None, initial={"version": trajectory.version, "end": timezone.localdate()}
    )
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.suspension_end(
            suspension,
            end=d["end"],
            expected_version=d["version"],
            by=request.user,
        ),
        title=_("Resume the trajectory"),
        success=_("Trajectory resumed."),
        submit_label=_("Resume"),
    )


@dossier_access_required
def review(request: UserRequest, pk: int) -> HttpResponse:
    suspension = _of_visible_trajectory(Suspension, request, pk)
    trajectory = suspension.trajectory
    form = forms.ReviewForm(request.POST or None, initial=_initial(trajectory))
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.suspension_review(
            suspension,
            on=d["on"],
            note=d["note"],
            expected_version=d["version"],
            by=request.user,
        ),
        title=_("Review the suspension"),
        intro=_(
            "The suspension lasts longer than 3 months: record why it continues, "
            "or stop the trajectory."
        ),
        success=_("Review recorded."),
    )


@dossier_access_required
def stop(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = forms.StopForm(request.POST or None, initial=_initial(trajectory))
    intro = _("Every stop needs a reason and a motivation; a motivated end report follows.")
    if trajectory.is_art60:
        intro = _(
            "An art60 trajectory stops only together with its employment contract: end the AO "
            "first. Every stop needs a reason and a motivation; a motivated end report follows."
        )
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.trajectory_stop(
            trajectory,
            on=d["on"],
            reason=d["reason"],
            motivation=d["motivation"],
            expected_version=d["version"],
            by=request.user,
        ),
        title=_("Stop the trajectory"),
        intro=intro,
        success=_("Trajectory stopped. The end report is now due."),
        submit_label=_("Stop trajectory"),
    )


@dossier_access_required
def handover(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    coaches = forms.lead_candidates({trajectory.organisation_id}).exclude(pk=trajectory.coach_id)
    form = forms.HandoverForm(request.POST or None, initial=_initial(trajectory), coaches=coaches)
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.trajectory_handover(
            trajectory,
            to_coach=d["to_coach"],
            note=d["note"],
            on=d["on"],
            expected_version=d["version"],
            by=request.user,
        ),
        title=_("Hand over to another coach"),
        success=_("Trajectory handed over."),
    )


@dossier_access_required
def transfer(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    # At VDAB a counsellor may take over as lead coach (services.lead_roles, R-TRJ-9).
    coaches = forms.lead_candidates(
        set(Organisation.objects.filter(is_active=True).values_list("pk", flat=True))
    )
    form = forms.TransferForm(request.POST or None, initial=_initial(trajectory), coaches=coaches)
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.trajectory_handover(
            trajectory,
            to_coach=d["to_coach"],
            to_organisation=d["to_organisation"],
            note=d["note"],
            on=d["on"],
            expected_version=d["version"],
            by=request.user,
        ),
        title=_("Transfer after a move"),
        intro=_(
            "The trajectory moves to the partner of the new municipality or to VDAB. Its clock "
            "does not change."
        ),
        success=_("Trajectory transferred."),
    )


@dossier_access_required
def contract(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    existing = contract_of(trajectory)
    initial: dict[str, Any] = {"start": trajectory.start, "full_time_weekly_hours": 38}
    if existing:
        initial = {name: getattr(existing, name) for name in services.CONTRACT_FIELDS}
        initial["version"] = existing.version
    form = forms.ContractForm(request.POST or None, initial=initial)
    extra: dict[str, Any] = {}
    if existing:
        extra["benefit"] = benefit_view(existing)
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.contract_save(
            trajectory,
            data=d,
            expected_version=d.get("version"),
            by=request.user,
        ),
        title=_("Employment contract (AO)")
        if existing
        else _("Register the employment contract (AO)"),
        intro=_(
            "The art. 60 §7 contract with the OCMW as employer. It must start within 2 months of "
            "the trajectory start to be in time."
        ),
        success=_("Employment contract saved."),
        extra=extra,
    )


@dossier_access_required
def contract_end(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    existing = contract_of(trajectory)
    if existing is None:
        return redirect("trajectories:contract", pk)
    form = forms.ContractEndForm(
        request.POST or None, initial={"version": existing.version, "end": timezone.localdate()}
    )
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.contract_end(
            existing,
            end=d["end"],
            reason=d["end_reason"],
            expected_version=d["version"],
            by=request.user,
        ),
        title=_("End the employment contract (AO)"),
        success=_("Employment contract ended."),
    )


@dossier_access_required
def member_add(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    users = (
        User.objects.filter(is_active=True, memberships__isnull=False)
        .exclude(pk=trajectory.coach_id)
        .distinct()
        .order_by("last_name", "first_name")
    )
    form = forms.MemberForm(
        request.POST or None, users=users, initial={"since": timezone.localdate()}
    )
    return _action(
        request,
        trajectory,
        form,
        lambda d: services.member_add(
            trajectory,
            user=d["user"],
            role=d["role"],
            since=d["since"],
            by=request.user,
        ),
        title=_("Add a professional"),
        intro=_("Mixed trajectories: other professionals work on the trajectory with their role."),
        success=_("Professional added to the trajectory."),
    )
