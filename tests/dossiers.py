"""Builders for dossiers in tests: real services, so audit and signal columns are real too."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from doorstroom.clients import services as client_services
from doorstroom.clients.models import Client, Intake
from doorstroom.rules.periods import add_days
from doorstroom.trajectories import services
from doorstroom.trajectories.models import Trajectory
from tests.factories import municipality

_counter = iter(range(1, 10_000_000))


def days_ago(n: int) -> datetime.date:
    return add_days(timezone.localdate(), -n)


def client_data(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    data: dict[str, Any] = {
        "first_name": "Sofie",
        "last_name": f"Maes{n}",
        "birth_date": datetime.date(1985, 7, 30),
        "national_number": "",
        "street": "Markt 1",
        "postcode": "2440",
        "municipality": None,
        "phone": "0470 12 34 56",
        "email": "",
        "languages": "Nederlands",
        "dutch_level": "B1",
        "income": "leefloon",
        "vdab_registration_date": days_ago(400),
        "driving_licence": False,
        "own_transport": False,
        "public_transport": True,
        "max_regime": Decimal("1.00"),
    }
    data.update(overrides)
    return data


def make_client(by: Any, **overrides: Any) -> Client:
    municipality("Geel")  # make sure the reference data is there
    return client_services.client_register(data=client_data(**overrides), by=by)


def make_intake(client: Client, by: Any, *, on: datetime.date | None = None) -> Intake:
    intake = client_services.intake_record(
        client,
        data={
            "assessed_on": on or days_ago(100),
            "strengths": "Punctueel, werkt graag met de handen",
            "experience_months": 6,
            "learning_potential": "good",
            "max_regime": Decimal("1.00"),
            "social_economy_highest": False,
            "faster_route": False,
        },
        by=by,
    )
    return client_services.intake_decide(
        intake,
        decision="eligible",
        motivation="Sterke motivatie, haalbaar jobdoelwit.",
        expected_version=intake.version,
        by=by,
    )


def make_trajectory(
    by: Any, *, start: datetime.date | None = None, client: Client | None = None, **overrides: Any
) -> Trajectory:
    client = client or make_client(by, **overrides)
    start = start or days_ago(90)
    intake = make_intake(client, by, on=add_days(start, -5))
    return services.trajectory_start(
        client,
        kind="art60",
        start=start,
        intake=intake,
        coach=by,
        organisation=by.primary_organisation,
        by=by,
    )


def fresh(trajectory: Trajectory) -> Trajectory:
    trajectory.refresh_from_db()
    return trajectory
