"""The API's resources: each module has ``register(router)``; add a new one to RESOURCES."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from doorstroom.api.resources import (
    development,
    dossiers,
    employers,
    ends,
    placements,
    trajectories,
)

RESOURCES: list[Callable[[Any], None]] = [
    trajectories.register,
    employers.register,
    placements.register,
    development.register,
    dossiers.register,
    ends.register,
]
