"""Deterministic demo data for `make run` (never in production).

Each later part of the product adds a step to ``STEPS``; steps run in order in one transaction
and receive the shared ``DemoContext`` so they can build on what earlier steps made.
"""

from __future__ import annotations

from collections.abc import Callable

from doorstroom.demo.accounts import load_organisations_and_users
from doorstroom.demo.clients import load_clients_and_trajectories
from doorstroom.demo.context import DemoContext
from doorstroom.demo.development import load_development
from doorstroom.demo.employers import load_employers_and_placements
from doorstroom.demo.ending import load_endings
from doorstroom.demo.library import load_library
from doorstroom.demo.monitoring import load_snapshots

STEPS: list[Callable[[DemoContext], None]] = [
    load_organisations_and_users,
    load_clients_and_trajectories,
    load_employers_and_placements,
    load_development,
    load_endings,
    load_library,
    load_snapshots,  # last: the snapshots read everything above
]

__all__ = ["STEPS", "DemoContext"]
