"""Shared fixtures: two OCMWs and the three-user pattern (owner, teammate, outsider).

``owner`` and ``teammate`` are coaches of OCMW A; ``outsider`` is a coach of OCMW B. Every
view test checks what the owner can do, what a teammate sees and that the outsider gets 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the rules tests run without Django: import models lazily
    from doorstroom.accounts.models import Organisation, User


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploaded and generated files (kennisbank starters, logos) go to a temporary folder;
    the installation's security contact is set (tests/core/test_hardening.py unsets it)."""
    from django.test import override_settings

    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        DOORSTROOM_SECURITY_CONTACT=["mailto:security@ocmw-geel.test"],  # security.txt
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def _two_factor_optional() -> Iterator[None]:
    """Existing tests log team leads and admins in with force_login: no required second factor.

    tests/accounts/test_two_factor.py and the 2FA browser journey switch the policy back on.
    """
    from django.test import override_settings

    with override_settings(
        DOORSTROOM_2FA_REQUIRED_ROLES=[], DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS=False
    ):
        yield


RATE_CLOCK = 1_800_000_030.0  # 30 s into a minute, a 10-minute window and an hour


@pytest.fixture(autouse=True, scope="session")
def _rate_clock() -> Iterator[None]:
    """The rate limits' windows turn with the wall clock, and the first hit of a new window also
    clears the ended ones: one more query. Pinned, so that a test counting the queries of two
    requests cannot straddle the turn of a minute (it did: tests/api/test_work.py, 6 ≠ 7).
    tests/core/test_hardening.py moves this clock to test the turn itself."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("doorstroom.core.ratelimit.clock", lambda: RATE_CLOCK)
        yield


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


def _org(name: str, area: str) -> Any:
    from doorstroom.accounts.roles import OrganisationKind
    from tests.factories import OrganisationFactory, municipality

    organisation = OrganisationFactory(name=name, kind=OrganisationKind.OCMW)
    organisation.service_area.set([municipality(area)])
    return organisation


def _member(organisation: Any, role: str, **fields: Any) -> Any:
    from tests.factories import member

    return member(organisation, role, **fields)


@pytest.fixture
def ocmw_a(db: None) -> Organisation:
    return _org("OCMW Geel", "Geel")


@pytest.fixture
def ocmw_b(db: None) -> Organisation:
    return _org("OCMW Mol", "Mol")


@pytest.fixture
def owner(ocmw_a: Organisation) -> User:
    return _member(
        ocmw_a, "coach", first_name="An", last_name="Peeters", email="an.peeters@geel.test"
    )


@pytest.fixture
def teammate(ocmw_a: Organisation) -> User:
    return _member(
        ocmw_a, "coach", first_name="Griet", last_name="Willems", email="griet.willems@geel.test"
    )


@pytest.fixture
def outsider(ocmw_b: Organisation) -> User:
    return _member(
        ocmw_b, "coach", first_name="Bram", last_name="Janssens", email="bram.janssens@mol.test"
    )


@pytest.fixture
def privacy_officer(ocmw_a: Organisation) -> User:
    return _member(
        ocmw_a, "privacy_officer", first_name="Filip", last_name="Goossens", email="dpo@geel.test"
    )


@pytest.fixture
def outside_privacy_officer(ocmw_b: Organisation) -> User:
    return _member(ocmw_b, "privacy_officer", email="dpo@mol.test")


@pytest.fixture
def functional_admin(ocmw_a: Organisation) -> User:
    return _member(ocmw_a, "admin", email="beheer@geel.test", is_staff=True, is_superuser=True)
