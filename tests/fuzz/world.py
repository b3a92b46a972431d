"""The world the fuzz tests post into: OCMW A with one rich dossier, built once per package.

The access matrix's world (``tests/world.py``: ``build_matrix_world``) is reused when it is
there: a coach, team lead, functional admin and privacy officer of OCMW A and one dossier with
something of every kind, secret links included. Without it, a smaller world of this package's
own (the shared ``build_dossier`` plus a consent, a protected note and a try-out offer). Either
way the fuzz tests add a client without a trajectory (to start one).
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from doorstroom.accounts.models import Organisation, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.accounts.services import api_token_create
from doorstroom.clients import services as client_services
from doorstroom.instruments import services as instrument_services
from tests.dossiers import days_ago, make_client
from tests.factories import OrganisationFactory, member, municipality


def _shared_builders() -> tuple[Any, Any]:
    """The dossier builder (tests/world.py, formerly tests/api/test_scoping.py) and, when there,
    the access matrix's richer world (secret links, 360° round, import run, kennisbank…)."""
    try:
        shared = importlib.import_module("tests.world")
    except ImportError:  # pragma: no cover - depends on the state of the tree
        shared = importlib.import_module("tests.api.test_scoping")
    return shared.build_dossier, getattr(shared, "build_matrix_world", None)


build_dossier, build_matrix_world = _shared_builders()

ROLES = ("coach", "team_lead", "admin", "privacy_officer")


@dataclass
class FuzzWorld:
    users: dict[str, User]  # by role: coach (the dossier's coach), team lead, admin, DPO
    dossier: dict[str, Any]
    keys: dict[str, str] = field(default_factory=dict)  # API keys by role

    @property
    def coach(self) -> User:
        return self.users["coach"]


def _ocmw(name: str, area: str) -> Organisation:
    organisation = OrganisationFactory(name=name, kind=OrganisationKind.OCMW)
    organisation.service_area.set([municipality(area)])
    return organisation


def _extras(dossier: dict[str, Any], coach: User) -> dict[str, Any]:
    client = dossier["client"]
    consent = client_services.consent_record(
        client,
        data={
            "organisation": coach.primary_organisation,
            "scope": "Evaluaties delen met de werkplek",
            "given_on": days_ago(30),
            "until": None,
        },
        by=coach,
    )
    note = client_services.sensitive_note_add(
        client, category="health", text="Rugklachten, geen zware lasten.", by=coach
    )
    offer = instrument_services.offer_create(
        data={
            "title": "Een week in de keuken",
            "occupation": None,
            "workplace": None,
            "description": "Groenten snijden, afwassen.",
            "max_days": 30,
        },
        by=coach,
    )
    return {
        "consent": consent,
        "note": note,
        "offer": offer,
    }


def build_fuzz_world() -> FuzzWorld:
    if build_matrix_world is not None:
        matrix = build_matrix_world()
        users = {role: matrix.users[role] for role in ROLES}
        dossier = dict(matrix.objects)
        keys = {role: matrix.keys[role] for role in ROLES}
    else:  # pragma: no cover - the small world of this package alone
        users, dossier, keys = _own_world()
    coach = users["coach"]
    dossier["new_client"] = make_client(coach, birth_date=datetime.date(1990, 1, 2))
    dossier["user"] = coach
    return FuzzWorld(users=users, dossier=dossier, keys=keys)


def _own_world() -> tuple[dict[str, User], dict[str, Any], dict[str, str]]:
    ocmw_a = _ocmw("OCMW Geel", "Geel")
    _ocmw("OCMW Mol", "Mol")
    users = {
        "coach": member(ocmw_a, Role.COACH, first_name="An", email="an.fuzz@geel.test"),
        "team_lead": member(ocmw_a, Role.TEAM_LEAD, first_name="Lea", email="lea.fuzz@geel.test"),
        "admin": member(
            ocmw_a, Role.ADMIN, first_name="Ada", email="ada.fuzz@geel.test", is_staff=True
        ),
        "privacy_officer": member(
            ocmw_a, Role.PRIVACY_OFFICER, first_name="Filip", email="dpo.fuzz@geel.test"
        ),
    }
    dossier = build_dossier(users["coach"])
    dossier.update(_extras(dossier, users["coach"]))
    keys = {role: api_token_create(user, name="fuzz", by=user)[1] for role, user in users.items()}
    return users, dossier, keys


@contextlib.contextmanager
def world_in_transaction(django_db_blocker: Any) -> Iterator[FuzzWorld]:
    """Build the world inside a transaction that is rolled back when the package is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_fuzz_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """One fuzz example: whatever it writes is undone, so examples do not depend on each other."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
