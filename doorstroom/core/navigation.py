"""The main navigation: the product's areas, in the order a coach uses them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doorstroom.accounts.roles import Role


@dataclass(frozen=True)
class Area:
    slug: str
    label: str | Promise
    icon: str
    summary: str | Promise
    dossier: bool  # holds client data: needs a privacy training (R-PRV-2)
    url_name: str = ""  # the area's own page, once it exists; else the "coming" page


AREAS = (
    Area(
        "caseload",
        _("Caseload"),
        "bi-list-check",
        _("Your trajectories with what is due next, sorted by urgency."),
        dossier=True,
        url_name="trajectories:caseload",
    ),
    Area(
        "clients",
        _("Clients"),
        "bi-people",
        _("One dossier per client: intake, trajectory, POP, evaluations and end report."),
        dossier=True,
        url_name="clients:list",
    ),
    Area(
        "employers",
        _("Employers"),
        "bi-building",
        _("Employers, workplaces and job profiles, placements, matching and job rotation."),
        dossier=True,
        url_name="employers:list",
    ),
    Area(
        "library",
        _("Knowledge base"),
        "bi-journal-text",
        _("Sample contracts, instruments and documents shared between organisations."),
        dossier=False,
        url_name="library:list",
    ),
    Area(
        "reports",
        _("Reports"),
        "bi-bar-chart",
        _("Dashboards, outflow, financing statements and the VDAB monitoring export."),
        dossier=True,
        url_name="monitoring:dashboard",
    ),
)
AREAS_BY_SLUG = {area.slug: area for area in AREAS}


def area_url(area: Area) -> str:
    return reverse(area.url_name) if area.url_name else reverse("core:area", args=[area.slug])


def extra_links(user: Any) -> list[dict[str, Any]]:
    """Links only some roles see: the administration and the access log."""
    links: list[dict[str, Any]] = []
    if user.has_role(Role.PRIVACY_OFFICER):
        links.append(
            {"url_name": "core:audit-list", "label": _("Audit log"), "icon": "bi-shield-lock"}
        )
    if user.is_staff:
        links.append({"url_name": "admin:index", "label": _("Administration"), "icon": "bi-gear"})
    return links
