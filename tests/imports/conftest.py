"""Importers: a team lead of OCMW A (the importing role) and one of OCMW B."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import member, municipality


@pytest.fixture
def lead(ocmw_a: Any) -> Any:
    municipality("Geel")  # the reference data the postcodes need
    return member(ocmw_a, "team_lead", email="lead@geel.test", language="en")


@pytest.fixture
def outside_lead(ocmw_b: Any) -> Any:
    return member(ocmw_b, "team_lead", email="lead@mol.test", language="en")
