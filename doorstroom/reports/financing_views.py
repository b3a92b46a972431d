"""Financing pages (R-FIN): the quarterly statement, a trajectory's months, the VDAB export.

The statement and the monitoring file are for team leads and functional administrators of the
organisation (anyone else: 404); a trajectory's months are for whoever sees its dossier.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from doorstroom.accounts.models import Organisation
from doorstroom.core.access import UserRequest, dossier_access_required, role_required
from doorstroom.core.audit import audit
from doorstroom.core.errors import DomainError
from doorstroom.core.forms import add_domain_error
from doorstroom.core.params import as_id
from doorstroom.reports import financing, financing_xlsx, monitoring_export
from doorstroom.reports.financing import FINANCE_ROLES, Statement
from doorstroom.reports.financing_forms import MonitoringExportForm, QuarterForm
from doorstroom.reports.models import IssuedStatement
from doorstroom.rules.financing import Quarter


def _organisation(request: UserRequest, value: str | None) -> Organisation:
    """The organisation asked for (default: the first), among the user's; else 404."""
    organisations = financing.financing_organisations(request.user)
    if not value:
        found = organisations.first()
    elif (organisation_id := as_id(value)) is not None:
        found = organisations.filter(pk=organisation_id).first()
    else:
        found = None
    if found is None:
        raise Http404
    return found


def _quarter(form: QuarterForm) -> Quarter | None:
    return form.cleaned_data["quarter"] if form.is_valid() else None


def _statement_url(organisation: Organisation, quarter: Quarter) -> str:
    url = reverse("monitoring:financing-statement")
    return f"{url}?organisation={organisation.pk}&quarter={quarter}"


@role_required(*FINANCE_ROLES)
@dossier_access_required
def statement(request: UserRequest) -> HttpResponse:
    """The quarterly statement of an organisation: issued as issued, else the draft (R-FIN-4)."""
    today = timezone.localdate()
    organisation = _organisation(request, request.GET.get("organisation"))
    data = {"quarter": request.GET.get("quarter") or str(Quarter.of(today))}
    form = QuarterForm(data, today=today)
    quarter = _quarter(form)
    found: Statement | None = None
    blocks: Sequence[Any] = ()
    if quarter is not None:
        found = financing.statement_for(organisation, quarter, today=today)
        financing.statement_viewed(found, by=request.user)  # R-PRV-4
        blocks = found.trajectories
    # The totals and corrections cover the whole statement; its trajectory blocks come page
    # by page (the spreadsheet holds them all).
    page = Paginator(blocks, settings.DOORSTROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/financing/statement.html",
        {
            "form": form,
            "organisation": organisation,
            "organisations": financing.financing_organisations(request.user),
            "statement": found,
            "page": page,
            "query": query.urlencode(),
            "may_issue": financing.may_issue(request.user, organisation),
            "issued_list": IssuedStatement.objects.visible_to(request.user)
            .filter(organisation=organisation)
            .select_related("issued_by")
            .defer("lines", "corrections", "totals", "ledger"),  # the list shows none of them
        },
    )


@role_required(*FINANCE_ROLES)
@dossier_access_required
def statement_xlsx(request: UserRequest) -> HttpResponse:
    """The statement as a spreadsheet (audited)."""
    today = timezone.localdate()
    organisation = _organisation(request, request.GET.get("organisation"))
    quarter = _quarter(QuarterForm(request.GET, today=today))
    if quarter is None:
        raise Http404
    found = financing.statement_for(organisation, quarter, today=today)
    content = financing_xlsx.statement_export(found, by=request.user)
    response = HttpResponse(content, content_type=monitoring_export.XLSX)
    filename = f"financing-{organisation.pk}-{quarter}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@role_required(*FINANCE_ROLES)
@dossier_access_required
def statement_issue(request: UserRequest) -> HttpResponse:
    """Issue (finalise) the statement of an ended quarter; a team lead only."""
    today = timezone.localdate()
    organisation = _organisation(request, request.POST.get("organisation"))
    form = QuarterForm(request.POST, today=today)
    quarter = _quarter(form)
    if quarter is None:
        messages.error(request, _("Choose one of the quarters in the list (written like 2026-Q1)."))
        return redirect(
            f"{reverse('monitoring:financing-statement')}?organisation={organisation.pk}"
        )
    try:
        financing.statement_issue(
            organisation=organisation, quarter=quarter, today=today, by=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The statement of %(quarter)s is issued.") % {"quarter": quarter}
        )
    return redirect(_statement_url(organisation, quarter))


@dossier_access_required
def trajectory_months(request: UserRequest, pk: int) -> HttpResponse:
    """A trajectory's financing month by month (R-FIN-1..3), for whoever sees the dossier."""
    trajectory = financing.trajectory_for_financing(request.user, pk)
    audit(request.user, "reports.trajectory_financing.viewed", trajectory, purpose="financing")
    return render(
        request,
        "reports/financing/trajectory.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "financing": financing.trajectory_financing(trajectory, timezone.localdate()),
            "dossier_url": reverse("clients:detail", args=[trajectory.client_id]),
        },
    )


@sensitive_post_parameters("password")
@role_required(*FINANCE_ROLES)
@dossier_access_required
def monitoring_file(request: UserRequest) -> HttpResponse:
    """Choose a month end and download the VDAB monitoring file (R-FIN-4)."""
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    organisation = _organisation(request, source.get("organisation"))
    form = MonitoringExportForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            file = monitoring_export.monitoring_export(
                organisation=organisation,
                month_end=form.cleaned_data["month"],
                password=form.cleaned_data["password"],
                by=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            response = HttpResponse(file.content, content_type=file.content_type)
            response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
            return response
    organisations = financing.financing_organisations(request.user)
    return render(
        request,
        "reports/financing/monitoring_export.html",
        {
            "form": form,
            "organisation": organisation,
            "organisations": organisations,
            "months": monitoring_export.snapshot_months(organisations.filter(pk=organisation.pk)),
            "columns": monitoring_export.COLUMNS,
        },
    )
