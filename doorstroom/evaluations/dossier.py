"""The development section of the client's dossier: POP, evaluations, 360° rounds, picture."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from doorstroom.evaluations.chart import Chart, chart_for, legend
from doorstroom.evaluations.models import FeedbackRound
from doorstroom.evaluations.selectors import Picture, competence_picture
from doorstroom.plans.models import PlanVersion
from doorstroom.plans.selectors import latest_version
from doorstroom.trajectories.models import Trajectory


@dataclass
class Development:
    latest: PlanVersion | None
    rounds: list[FeedbackRound]
    picture: Picture
    charts: list[Chart]
    legend: list[tuple[str, str, str]]


def development_for(trajectory: Trajectory) -> Development:
    """Everything the section shows, in a fixed number of queries."""
    rounds = list(
        FeedbackRound.objects.filter(trajectory=trajectory)
        .annotate(
            invited=Count("respondents", distinct=True),
            answered=Count("respondents__response", distinct=True),
        )
        .order_by("-opened_on", "-pk")
    )
    picture = competence_picture(trajectory)
    charts = [chart_for(series) for series in picture.series if series.points]
    return Development(latest_version(trajectory), rounds, picture, charts, legend())
