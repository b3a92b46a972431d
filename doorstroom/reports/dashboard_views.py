"""The dashboard with its charts, and the list of the dossiers behind each figure."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.audit import audit
from doorstroom.core.params import as_id
from doorstroom.reports import dashboards
from doorstroom.reports.dashboard_forms import DashboardFilterForm, DrillForm
from doorstroom.reports.financing import financing_organisations


def _check_organisation(request: UserRequest) -> None:
    """A filter on an organisation that is not the user's answers 404 (R-PRV-1)."""
    value = request.GET.get("organisation", "")
    if value and as_id(value) not in request.user.organisation_ids():
        raise Http404


def _filter_form(request: UserRequest) -> DashboardFilterForm:
    _check_organisation(request)
    return DashboardFilterForm(request.GET or None, user=request.user, today=timezone.localdate())


@dossier_access_required
def dashboard(request: UserRequest) -> HttpResponse:
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/dashboards/dashboard.html", {"form": form}, status=400)
    filters = form.filters()
    return render(
        request,
        "reports/dashboards/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "charts": dashboards.dashboard(request.user, filters),
            "team_lead": form.team_lead,
            # R-FIN-4: the statements and the monitoring file, for those who may see them.
            "financing": financing_organisations(request.user).exists(),
        },
    )


@dossier_access_required
def dossiers(request: UserRequest) -> HttpResponse:
    """The dossiers behind one figure of the dashboard, within the user's scope."""
    form = _filter_form(request)
    drill_form = DrillForm(request.GET)
    context = {"form": form, "drill_form": drill_form}
    if not (form.is_valid() and drill_form.is_valid()):
        return render(request, "reports/dashboards/dossiers.html", context, status=400)
    filters, drill = form.filters(), drill_form.drill()
    try:
        trajectories = dashboards.drilldown(request.user, filters, drill)
    except dashboards.DrillError as error:
        drill_form.add_error(None, str(error))
        return render(request, "reports/dashboards/dossiers.html", context, status=400)
    page = Paginator(trajectories, settings.DOORSTROOM_PAGE_SIZE).get_page(request.GET.get("page"))
    # Reads of dossiers are audited: which figure's list, not each name on it.
    audit(
        request.user,
        "reports.dashboard.dossiers_listed",
        changes={**filters.query(), **drill_form.cleaned_data, "count": page.paginator.count},
        purpose="dashboard drill-down",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/dashboards/dossiers.html",
        {
            **context,
            "page": page,
            "query": query.urlencode(),
            "title": dashboards.METRIC_TITLES[drill.metric],
            "figure": dashboards.describe(request.user, filters, drill),
            "back": dashboards.dashboard_url(filters),
            "drill": drill,
        },
    )
