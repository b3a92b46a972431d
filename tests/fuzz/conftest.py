"""The fuzz world, built once for the package (tests/fuzz/world.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fuzz.world import FuzzWorld, world_in_transaction


@pytest.fixture(scope="package")
def fuzz_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[FuzzWorld]:
    with world_in_transaction(django_db_blocker) as built:
        yield built
