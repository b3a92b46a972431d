"""The end report as a PDF (R-END-1), through the one rendering mechanism (core.pdf)."""

from __future__ import annotations

from typing import Any

from doorstroom.reports.models import EndReport


def end_report_context(report: EndReport) -> dict[str, Any]:
    """What documents/end_report.html shows: the stored facts and the coach's texts."""
    trajectory = report.trajectory
    return {
        "report": report,
        "facts": report.facts,
        "trajectory": trajectory,
        "client": trajectory.client,
        "organisation": trajectory.organisation,
    }
