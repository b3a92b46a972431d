"""The shell's pages: home, the product areas, the audit log and the error pages."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from doorstroom.accounts.roles import Role
from doorstroom.core.access import UserRequest, dossier_access_required, role_required
from doorstroom.core.navigation import AREAS, AREAS_BY_SLUG, area_url
from doorstroom.core.privacy import unusual_access_for, unusual_rule
from doorstroom.core.selectors import audit_events_for


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@login_not_required
@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: where to report a vulnerability in this installation (issue 10)."""
    contacts = settings.DOORSTROOM_SECURITY_CONTACT
    if not contacts:
        raise Http404
    expires = timezone.now().replace(microsecond=0) + datetime.timedelta(days=180)
    lines = [f"Contact: {contact}" for contact in contacts]
    lines += [
        f"Expires: {expires.isoformat()}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri()}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def home(request: UserRequest) -> HttpResponse:
    """Coaches and everyone who works on dossiers start on their caseload (SPEC §4)."""
    user = request.user
    if user.has_privacy_training() and user.has_role(
        Role.COACH, Role.TEAM_LEAD, Role.SOCIAL_WORKER, Role.COUNSELLOR
    ):
        return redirect("trajectories:caseload")
    return render(request, "core/home.html", {"areas": [(a, area_url(a)) for a in AREAS]})


def area(request: HttpRequest, slug: str) -> HttpResponse:
    """An area of the product that later releases fill; dossier areas need the training."""
    found = AREAS_BY_SLUG.get(slug)
    if found is None:
        raise Http404

    def page(request: HttpRequest) -> HttpResponse:
        return render(request, "core/area.html", {"area": found})

    return dossier_access_required(page)(request) if found.dossier else page(request)


EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=254)
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100)
    target = forms.CharField(label=_("Record"), required=False, max_length=254)
    # A day far from the calendar's ends: 0001-01-01 or 9999-12-31 would overflow when the
    # selector turns it into a moment in Brussels time (a 500 found by tests/fuzz).
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)],
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)],
    )


@role_required(Role.PRIVACY_OFFICER)
@dossier_access_required  # the log names clients whose dossiers were read (R-PRV-2)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_for(request.user, **filters)
    page = Paginator(events, settings.DOORSTROOM_AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Unusual access (R-PRV-4): bursts of reads outside the reader's caseload.
    unusual = unusual_access_for(request.user, now=timezone.now())
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "export_query": query.urlencode(),
            "unusual": unusual,
            "unusual_rule": unusual_rule(),
        },
    )
