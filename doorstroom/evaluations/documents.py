"""The evaluation report as a document: the levels side by side per source, and the outcome."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from doorstroom.core.access import UserRequest, dossier_access_required
from doorstroom.core.pdf import render_pdf
from doorstroom.core.scoping import get_for_user_or_404
from doorstroom.evaluations import selectors
from doorstroom.evaluations.models import Evaluation
from doorstroom.plans.selectors import scale

TEMPLATE = "documents/evaluation.html"


def evaluation_context(evaluation: Evaluation) -> dict[str, Any]:
    """What the report shows; ``evaluation`` as loaded by ``selectors.evaluation_detail``."""
    trajectory = evaluation.trajectory
    levels = scale()
    placement = evaluation.placement
    mentor = placement.mentor if placement else None
    rows = selectors.score_rows(evaluation)
    return {
        "organisation": trajectory.organisation,
        "trajectory": trajectory,
        "client": trajectory.client,
        "evaluation": evaluation,
        "rows": rows,
        "remarks": any(row.comments["coach"] or row.comments["mentor"] for row in rows),
        "levels": levels,
        "scale": {s.level: s for s in levels},
        "signatories": [
            (_("Client"), trajectory.client.full_name),
            (_("Job coach"), trajectory.coach.full_name),
            *([(_("Mentor"), mentor.name)] if mentor else []),
        ],
    }


def evaluation_filename(evaluation: Evaluation) -> str | Promise:
    client = evaluation.trajectory.client
    return format_lazy(
        "{} {} {}.pdf", _("evaluation"), client.full_name, evaluation.day.isoformat()
    )


@dossier_access_required
def evaluation_pdf(request: UserRequest, pk: int) -> HttpResponse:
    """The evaluation report as a PDF."""
    found = get_for_user_or_404(Evaluation.objects.visible_to(request.user), request.user, pk=pk)
    evaluation = selectors.evaluation_detail(found)
    return render_pdf(
        request,
        TEMPLATE,
        evaluation_context(evaluation),
        filename=evaluation_filename(evaluation),
        target=evaluation.trajectory,
        kind="evaluation",
        by=request.user,
        details={"evaluation": evaluation.pk},
    )
