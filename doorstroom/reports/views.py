"""The end of a trajectory: outflow, follow-ups, aftercare, the ICF profile, the end report."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doorstroom.clients.services import may_read_protected
from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.forms import form_page, posted_version, run_service
from doorstroom.core.params import as_id
from doorstroom.core.pdf import render_pdf
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.employers.models import Employer
from doorstroom.evaluations.models import IcfCode, IcfRating
from doorstroom.reports import forms, services
from doorstroom.reports.documents import end_report_context
from doorstroom.reports.models import AftercareContact, EndReport, Outflow
from doorstroom.trajectories.models import Trajectory


def _trajectory(request: UserRequest, pk: int) -> Trajectory:
    return get_for_user_or_404(
        Trajectory.objects.visible_to(request.user).select_related(
            "client", "organisation", "coach"
        ),
        request.user,
        pk=pk,
    )


def _end_url(trajectory: Trajectory) -> str:
    return reverse("reports:end", args=[trajectory.pk])


def _may_read_health(request: UserRequest, trajectory: Trajectory) -> bool:
    """R-PRV-3: who may open the protected section may see and rate body functions."""
    return may_read_protected(trajectory.client, request.user)


@dossier_access_required
def end(request: UserRequest, pk: int) -> HttpResponse:
    """Everything about the end of a trajectory on one page."""
    trajectory = _trajectory(request, pk)
    outflow = Outflow.objects.filter(trajectory=trajectory).select_related("employer").first()
    recorded = {f.months: f for f in trajectory.outflow_followups.all()}
    health = _may_read_health(request, trajectory)
    ratings = IcfRating.objects.filter(trajectory=trajectory).select_related("code")
    if not health:
        ratings = ratings.without_health()
    reports = list(trajectory.end_reports.select_related("author", "finalised_by"))
    return render(
        request,
        "reports/end.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "outflow": outflow,
            "followups": [(m, recorded.get(m)) for m in services.FOLLOWUP_MONTHS],
            "aftercare": trajectory.aftercare_contacts.order_by("planned_on"),
            "ratings": ratings.order_by("code__code", "-rated_on"),
            "health": health,
            "reports": reports,
            "final": next((r for r in reports if r.is_final), None),
            "draft": next((r for r in reports if not r.is_final), None),
            "last_day": services.last_day(trajectory),
            "today": timezone.localdate(),
            "dossier_url": reverse("clients:detail", args=[trajectory.client_id]),
        },
    )


def _page(
    request: UserRequest, trajectory: Trajectory, form: Any, action: Any, **context: Any
) -> HttpResponse:
    return form_page(
        request,
        form,
        action,
        next_url=_end_url(trajectory),
        client=trajectory.client,
        cancel_url=_end_url(trajectory),
        **context,
    )


@dossier_access_required
def outflow(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    current = Outflow.objects.filter(trajectory=trajectory).first()
    initial: dict[str, Any] = {"version": trajectory.version, "on": timezone.localdate()}
    if current is not None:
        initial.update(
            on=current.on,
            kind=current.kind,
            employer=current.employer,
            employer_name=current.employer_name,
            contract_type=current.contract_type,
            regime=current.regime,
            details=current.details,
        )
    form = forms.OutflowForm(
        request.POST or None,
        initial=initial,
        employers=Employer.objects.visible_to(request.user).order_by("name"),
    )
    return _page(
        request,
        trajectory,
        form,
        lambda d: services.outflow_record(
            trajectory, data=d, expected_version=d["version"], by=request.user
        ),
        success=_("Outflow recorded."),
        title=_("Outflow"),
        intro=_(
            "Where does the client go at the end of the trajectory? It is measured again 3, 6 and "
            "12 months after the end (R-END-2)."
        ),
    )


@dossier_access_required
def followup(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    recorded = set(trajectory.outflow_followups.values_list("months", flat=True))
    open_months = [m for m in services.FOLLOWUP_MONTHS if m not in recorded]
    wanted = request.GET.get("months", "")
    initial = {
        "measured_on": timezone.localdate(),
        "months": as_id(wanted),
    }
    form = forms.FollowUpForm(request.POST or None, initial=initial, open_months=open_months)
    return _page(
        request,
        trajectory,
        form,
        lambda d: services.followup_record(
            trajectory,
            months=d["months"],
            measured_on=d["measured_on"],
            at_work=d["at_work"],
            same_employer={"yes": True, "no": False}.get(d["same_employer"]),
            regime=d["regime"],
            notes=d["notes"],
            by=request.user,
        ),
        success=_("Follow-up recorded."),
        title=_("Record a follow-up after the end"),
    )


@dossier_access_required
def aftercare_plan(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = forms.AftercarePlanForm(
        request.POST or None, initial={"planned_on": timezone.localdate()}
    )
    return _page(
        request,
        trajectory,
        form,
        lambda d: services.aftercare_plan(
            trajectory,
            kind=d["kind"],
            planned_on=d["planned_on"],
            with_mentor=d["with_mentor"],
            by=request.user,
        ),
        success=_("Aftercare contact planned."),
        title=_("Plan an aftercare contact"),
        intro=_(
            "Aftercare lasts at least 6 months after the outflow to work (R-TRJ-10): job and "
            "language coaching, with the employer's mentor in the loop."
        ),
    )


@dossier_access_required
def aftercare_record(request: UserRequest, pk: int) -> HttpResponse:
    contact = get_for_user_or_404(
        AftercareContact.objects.visible_to(request.user).select_related("trajectory__client"),
        request.user,
        pk=pk,
    )
    form = forms.AftercareRecordForm(
        request.POST or None,
        initial={
            "held_on": min(contact.planned_on, timezone.localdate()),
            "with_mentor": contact.with_mentor,
        },
    )
    return _page(
        request,
        contact.trajectory,
        form,
        lambda d: services.aftercare_record(
            contact,
            held_on=d["held_on"],
            with_mentor=d["with_mentor"],
            notes=d["notes"],
            by=request.user,
        ),
        success=_("Aftercare contact recorded."),
        title=_("Record the aftercare contact"),
    )


@dossier_access_required
def icf_rate(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    health = _may_read_health(request, trajectory)
    codes = IcfCode.objects.filter(is_active=True)
    if not health:
        codes = codes.exclude(code__startswith="b").exclude(code__startswith="s")
    # An evaluation may add ratings to the profile: ?evaluation=<pk> of this trajectory.
    wanted = request.GET.get("evaluation", "")
    evaluation_id = as_id(wanted)
    evaluation = (
        trajectory.evaluations.filter(pk=evaluation_id).first()
        if evaluation_id is not None
        else None
    )
    form = forms.IcfRatingForm(
        request.POST or None,
        initial={
            "rated_on": evaluation.day if evaluation else timezone.localdate(),
            "source": "coach",
        },
        codes=codes.order_by("code"),
    )
    return _page(
        request,
        trajectory,
        form,
        lambda d: services.icf_rate(
            trajectory,
            code=d["code"],
            first=d["first"],
            second=d["second"],
            facilitator=d["facilitator"],
            source=d["source"],
            rated_on=d["rated_on"],
            note=d["note"],
            may_rate_health=health,
            by=request.user,
            evaluation=evaluation,
        ),
        success=_("ICF rating added."),
        title=_("Add an ICF rating"),
        intro=_(
            "Qualifiers (R-ICF-1): 0 none, 1 mild, 2 moderate, 3 severe, 4 complete, 8 not "
            "specified, 9 not applicable. Activities (d) have a performance and a capacity "
            "qualifier; environmental factors (e) are a barrier or a facilitator."
        ),
    )


def _report(request: UserRequest, pk: int) -> EndReport:
    return get_for_user_or_404(
        EndReport.objects.visible_to(request.user).select_related(
            "trajectory__client", "trajectory__organisation", "author", "finalised_by"
        ),
        request.user,
        pk=pk,
    )


@require_POST
@dossier_access_required
def end_report_open(request: UserRequest, pk: int) -> HttpResponse:
    """Open the draft (prefilled from the dossier), or a new version amending the final one."""
    trajectory = _trajectory(request, pk)
    try:
        report = services.end_report_draft(trajectory, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(_end_url(trajectory))
    return redirect("reports:end-report", report.pk)


@dossier_access_required
def end_report(request: UserRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    trajectory = report.trajectory
    form = forms.EndReportForm(
        request.POST or None,
        initial={
            "version": report.version,
            **{name: getattr(report, name) for name in services.TEXT_FIELDS},
        },
    )
    if request.method == "POST" and not report.is_final and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.end_report_update(
                report, data=data, expected_version=data["version"], by=request.user
            ),
        )
        if saved is not None and "finalise" in request.POST:
            final = run_service(
                form,
                lambda: services.end_report_finalise(
                    saved, expected_version=saved.version, by=request.user
                ),
            )
            if final is not None:
                messages.success(request, _("End report finalised."))
                return redirect(_end_url(trajectory))
        elif saved is not None:
            messages.success(request, _("Draft saved."))
            return redirect("reports:end-report", report.pk)
    audit(request.user, "reports.end_report.viewed", report, purpose="end report")
    return render(
        request,
        "reports/end_report.html",
        {
            "report": report,
            "facts": report.facts,
            "trajectory": trajectory,
            "client": trajectory.client,
            "form": form,
            "end_url": _end_url(trajectory),
        },
    )


@dossier_access_required
def end_report_json(request: UserRequest, pk: int) -> HttpResponse:
    """The structured export of an end report (R-END-1)."""
    report = _report(request, pk)
    payload = {
        **report.facts,
        "report": {
            "version": report.number,
            "status": report.status,
            "finalised_on": report.finalised_on.isoformat() if report.finalised_on else None,
            "author": report.author.full_name,
            **{name: getattr(report, name) for name in services.TEXT_FIELDS},
        },
    }
    audit(request.user, "documents.end_report_json.generated", report, purpose="export")
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="eindverslag-{report.trajectory_id}-v{report.number}.json"'
    )
    return response


@dossier_access_required
def end_report_pdf(request: UserRequest, pk: int) -> HttpResponse:
    """The end report as a PDF in Dutch (R-END-1), generated within the user's scope."""
    report = _report(request, pk)
    return render_pdf(
        request,
        "documents/end_report.html",
        end_report_context(report),
        filename=f"Eindverslag {report.trajectory.client.full_name} v{report.number}.pdf",
        target=report.trajectory,
        kind="end_report",
        by=request.user,
        details={"version": report.number},
    )


@require_POST
@dossier_access_required
def close(request: UserRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    try:
        services.trajectory_close(
            trajectory, expected_version=posted_version(request), by=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Trajectory closed."))
    return redirect(_end_url(trajectory))
