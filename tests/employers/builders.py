"""Builders for employers, workplaces and placements in tests: through the real services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from doorstroom.employers import services
from doorstroom.employers.models import Agreement, Employer, EmployerContact, Placement, Workplace
from doorstroom.plans.models import Competence
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import days_ago
from tests.factories import municipality

_counter = iter(range(1, 10_000_000))


def employer_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": f"Groendienst Kempen {next(_counter)}",
        "enterprise_number": "",
        "kind": "nec",
        "sector": "green",
        "street": "Industrieweg 5",
        "postcode": "2440",
        "municipality": None,
        "phone": "",
        "email": "",
        "website": "",
        "contact_coach": None,
        "notes": "",
    }
    data.update(overrides)
    return data


def make_employer(by: Any, *, agreement: bool = True, **overrides: Any) -> Employer:
    municipality("Geel")
    employer = services.employer_create(
        data=employer_data(**overrides),
        contact={"name": "Ann Peeters", "job_title": "HR", "phone": "", "email": ""},
        by=by,
    )
    if agreement:
        sign_cooperation(employer, by)
    return employer


def sign_cooperation(
    employer: Employer, by: Any, *, start: datetime.date | None = None, **overrides: Any
) -> Agreement:
    data = {
        "start": start or days_ago(400),
        "end": None,
        "signed_on": start or days_ago(400),
        "signed_by_employer": "Ann Peeters",
        "signed_by_organisation": "Jan Janssens",
        "signed_by_client": False,
        "commitment_clause": True,
        "notes": "",
    }
    data.update(overrides)
    return services.agreement_add(employer, kind="cooperation", data=data, by=by)


def sign_tripartite(
    employer: Employer, trajectory: Trajectory, by: Any, **overrides: Any
) -> Agreement:
    data = {
        "start": trajectory.start,
        "end": None,
        "signed_on": trajectory.start,
        "signed_by_employer": "Ann Peeters",
        "signed_by_organisation": "Jan Janssens",
        "signed_by_client": True,
        "commitment_clause": False,
        "notes": "",
    }
    data.update(overrides)
    return services.agreement_add(
        employer, kind="tripartite", trajectory=trajectory, data=data, by=by
    )


def mentor(employer: Employer, by: Any, name: str = "Marc Wouters") -> EmployerContact:
    return services.contact_add(
        employer, role="mentor", data={"name": name, "job_title": "Ploegbaas"}, by=by
    )


def workplace_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Medewerker groenonderhoud",
        "occupation": None,
        "tasks": "Maaien, snoeien, onkruid wieden",
        "demands": [],
        "requires_driving_licence": False,
        "dutch_level": "A2",
        "min_regime": Decimal("0.50"),
        "max_regime": Decimal("1.00"),
        "schedule": "ma–vr 8u–16u",
        "pace": "medium",
        "variety": "medium",
        "street": "",
        "municipality": municipality("Geel"),
        "capacity": 2,
        "contact_coach": None,
        "last_reviewed": days_ago(30),
    }
    data.update(overrides)
    return data


def make_workplace(
    employer: Employer, by: Any, competences: dict[Competence, int] | None = None, **overrides: Any
) -> Workplace:
    return services.workplace_create(
        employer, data=workplace_data(**overrides), competences=competences or {}, by=by
    )


def place(
    trajectory: Trajectory,
    workplace: Workplace,
    by: Any,
    *,
    start: datetime.date | None = None,
    regime: str = "0.50",
    planned_end: datetime.date | None = None,
) -> Placement:
    start = start or trajectory.start
    return services.placement_start(
        trajectory,
        workplace,
        kind="work_experience",
        start=start,
        planned_end=planned_end,
        mentor=None,
        regime_steps=[(start, Decimal(regime))],
        by=by,
    )
