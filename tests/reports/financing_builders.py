"""Builders for the financing tests: art60 trajectories with an AO, stopped with their AO."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.services import contract_end, contract_save, trajectory_stop
from tests.dossiers import fresh, make_trajectory

D = datetime.date


def art60(by: Any, start: datetime.date, **client: Any) -> Trajectory:
    """An art60 trajectory of ``by``'s organisation; the client is a job seeker since 2024."""
    return make_trajectory(by, start=start, vdab_registration_date=D(2024, 1, 1), **client)


def register_ao(trajectory: Trajectory, by: Any, start: datetime.date, **extra: Any) -> None:
    trajectory = fresh(trajectory)
    contract = trajectory.contract
    contract_save(
        trajectory,
        data={
            "start": start,
            "weekly_hours": Decimal("38"),
            "full_time_weekly_hours": Decimal("38"),
            **extra,
        },
        expected_version=contract.version if contract else None,
        by=by,
    )


def stop_with_ao(trajectory: Trajectory, by: Any, on: datetime.date) -> None:
    contract = fresh(trajectory).contract
    assert contract is not None
    contract_end(contract, end=on, reason="outflow", expected_version=contract.version, by=by)
    trajectory = fresh(trajectory)
    trajectory_stop(
        trajectory,
        on=on,
        reason="outflow_to_work",
        motivation="Vaste job gevonden.",
        expected_version=trajectory.version,
        by=by,
    )
