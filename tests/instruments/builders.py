"""Builders for instrument uses, try-outs and offers in tests: through the real services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from doorstroom.accounts.models import User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients import services as client_services
from doorstroom.instruments import services
from doorstroom.instruments.models import InstrumentUse, Tryout, TryoutOffer
from doorstroom.rules.periods import add_days
from doorstroom.trajectories import services as trajectory_services
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import days_ago, make_client, make_intake
from tests.factories import OrganisationFactory, member


def use_data(**overrides: Any) -> dict[str, Any]:
    """An IBO of 8 weeks, half-time, planned (R-INS-2: 4–26 weeks, at least half-time)."""
    start = overrides.pop("start", days_ago(60))
    data: dict[str, Any] = {
        "kind": "ibo",
        "provider": "VDAB Geel",
        "start": start,
        "end": add_days(start, 8 * 7 - 1),
        "hours": None,
        "regime": Decimal("0.50"),
        "result": "planned",
        "result_notes": "",
    }
    data.update(overrides)
    return data


def lasting(days: int, start: datetime.date | None = None) -> dict[str, datetime.date]:
    """Start and last day of a period of `days` calendar days."""
    start = start or days_ago(60)
    return {"start": start, "end": add_days(start, days - 1)}


def register(trajectory: Trajectory, by: User, **overrides: Any) -> InstrumentUse:
    return services.use_register(trajectory, data=use_data(**overrides), by=by)


def make_offer(by: User, **overrides: Any) -> TryoutOffer:
    data: dict[str, Any] = {
        "title": "Een week in de keuken van woonzorgcentrum De Linde",
        "occupation": None,
        "workplace": None,
        "description": "Groenten snijden, afwassen, mee de maaltijden rondbrengen.",
        "max_days": 30,
    }
    data.update(overrides)
    return services.offer_create(data=data, by=by)


def start_tryout(
    trajectory: Trajectory, offer: TryoutOffer, by: User, *, days: int = 10, **overrides: Any
) -> Tryout:
    period = lasting(days, overrides.pop("start", days_ago(20)))
    return services.tryout_register(
        trajectory,
        offer=offer,
        start=period["start"],
        end=period["end"],
        expectation=overrides.pop("expectation", "Ik denk dat het druk zal zijn."),
        by=by,
        **overrides,
    )


def make_wz_trajectory(coach: User) -> Trajectory:
    """VDAB refers a job seeker to the coach's organisation: a TWE-wz trajectory (R-TRJ-1)."""
    vdab = OrganisationFactory(name="VDAB Geel", kind=OrganisationKind.VDAB)
    counsellor = member(vdab, Role.COUNSELLOR, first_name="Dirk", last_name="Maes")
    record = make_client(coach, income="job_seeker")
    referral = client_services.referral_create(
        data={
            "kind": "wz",
            "first_name": record.first_name,
            "last_name": record.last_name,
            "birth_date": record.birth_date,
            "client": record,
            "to_organisation": coach.primary_organisation,
            "to_coach": coach,
            "referred_on": days_ago(200),
            "context": "Langdurig werkzoekend; wil een opleiding in de logistiek.",
        },
        by=counsellor,
    )
    referral = client_services.referral_accept(
        referral, expected_version=referral.version, by=coach, on=days_ago(199)
    )
    return trajectory_services.trajectory_start(
        record,
        kind="wz",
        start=None,
        intake=make_intake(record, coach, on=days_ago(205)),
        coach=coach,
        organisation=coach.primary_organisation,
        referral=referral,
        by=coach,
    )
