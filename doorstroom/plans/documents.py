"""The POP as a document: one version with the scale and the competence picture (PDF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.pdf import render_pdf
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.evaluations.chart import chart_for, legend
from doorstroom.evaluations.selectors import competence_picture
from doorstroom.plans.models import PlanVersion
from doorstroom.plans.selectors import VERSION_PREFETCH, scale

TEMPLATE = "documents/pop.html"


def version_for_document(queryset: Any) -> Any:
    """A POP version queryset with everything the document shows."""
    return queryset.select_related(
        "trajectory__client",
        "trajectory__coach",
        "trajectory__organisation",
        "author",
        "evaluation",
    ).prefetch_related(*VERSION_PREFETCH)


def pop_context(version: PlanVersion) -> dict[str, Any]:
    """What the POP document shows: the version, the scale and the competence picture."""
    trajectory = version.trajectory
    levels = scale()
    picture = competence_picture(trajectory)
    return {
        "organisation": trajectory.organisation,
        "trajectory": trajectory,
        "client": trajectory.client,
        "version": version,
        "levels": levels,
        "scale": {s.level: s for s in levels},
        "charts": [chart_for(series) for series in picture.series if series.points],
        "legend": legend(),
        "signatories": [
            (_("Client"), trajectory.client.full_name),
            (_("Job coach"), trajectory.coach.full_name),
        ],
    }


def pop_filename(version: PlanVersion) -> str:
    client = version.trajectory.client
    return f"POP v{version.number} {client.full_name} {version.drawn_up_on:%Y-%m-%d}.pdf"


@dossier_access_required
def version_pdf(request: UserRequest, pk: int) -> HttpResponse:
    """One POP version as a PDF, with the competence picture."""
    version = get_for_user_or_404(
        version_for_document(PlanVersion.objects.visible_to(request.user)), request.user, pk=pk
    )
    return render_pdf(
        request,
        TEMPLATE,
        pop_context(version),
        filename=pop_filename(version),
        target=version.trajectory,
        kind="pop",
        by=request.user,
        details={"version": version.number},
    )
