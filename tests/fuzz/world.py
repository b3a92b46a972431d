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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from doorstroom.accounts.models import User
from tests.dossiers import make_client
from tests.world import build_matrix_world

ROLES = ("coach", "team_lead", "admin", "privacy_officer")


@dataclass
class FuzzWorld:
    users: dict[str, User]  # by role: coach (the dossier's coach), team lead, admin, DPO
    dossier: dict[str, Any]
    keys: dict[str, str] = field(default_factory=dict)  # API keys by role

    @property
    def coach(self) -> User:
        return self.users["coach"]


def build_fuzz_world() -> FuzzWorld:
    # The access matrix's rich world (tests/world.py): every kind of object of one dossier.
    matrix = build_matrix_world()
    users = {role: matrix.users[role] for role in ROLES}
    dossier = dict(matrix.objects)
    keys = {role: matrix.keys[role] for role in ROLES}
    coach = users["coach"]
    dossier["new_client"] = make_client(coach, birth_date=datetime.date(1990, 1, 2))
    dossier["user"] = coach
    # A tab of the dossier beside its overview (clients.tabs): the one with the most forms.
    dossier["client_tab"] = {"pk": dossier["client"].pk, "tab": "development"}
    return FuzzWorld(users=users, dossier=dossier, keys=keys)


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
