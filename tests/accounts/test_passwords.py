"""How passwords are stored: Argon2id at OWASP's parameters, older hashes upgraded at login.

The other tests hash with MD5 for speed (config/settings.py); these use the installation's real
list of hashers, ``STORED_PASSWORD_HASHERS``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.test import Client
from django.urls import reverse

from doorstroom.core.models import AuditEvent
from tests.accounts.test_two_factor import code_at, login_with_2fa

PASSWORD = "correct horse battery"  # the factories' password
ARGON2ID_OWASP = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture(autouse=True)
def _real_hashers(settings: Any) -> None:
    settings.PASSWORD_HASHERS = settings.STORED_PASSWORD_HASHERS


def log_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, follow=True
    )


def stored_as(user: Any, hasher: str) -> str:
    """Give the user the factories' password as ``hasher`` would have stored it."""
    user.password = make_password(PASSWORD, hasher=hasher)
    user.save(update_fields=["password"])
    return str(user.password)


def test_a_new_password_is_stored_with_argon2id_at_owasps_parameters(
    client: Client, owner: Any
) -> None:
    owner.set_password("een nieuw lang wachtwoord")
    owner.save(update_fields=["password"])
    owner.refresh_from_db()
    assert owner.password.startswith(ARGON2ID_OWASP)
    assert "een nieuw lang wachtwoord" not in owner.password
    response = log_in(client, owner.email, "een nieuw lang wachtwoord")
    assert response.context["user"] == owner


def test_a_password_changed_on_the_profile_is_stored_with_argon2id(
    client: Client, owner: Any
) -> None:
    stored_as(owner, "pbkdf2_sha256")
    client.force_login(owner)
    client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "een nieuw lang wachtwoord",
            "new_password2": "een nieuw lang wachtwoord",
        },
    )
    owner.refresh_from_db()
    assert owner.password.startswith(ARGON2ID_OWASP)


def _heavy_argon2() -> str:
    """Argon2 with Django's own (heavier) parameters, as a hash made before this hasher."""
    return Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())


@pytest.mark.parametrize(
    ("encode", "made_as"),
    [
        (lambda: make_password(PASSWORD, hasher="pbkdf2_sha256"), "pbkdf2_sha256$"),
        (_heavy_argon2, "argon2$argon2id$v=19$m=102400,t=2,p=8$"),
    ],
    ids=["pbkdf2_sha256", "argon2_django_defaults"],
)
def test_an_older_hash_still_logs_in_and_is_stored_again_with_argon2id(
    client: Client, owner: Any, encode: Callable[[], str], made_as: str
) -> None:
    owner.password = encode()
    owner.save(update_fields=["password"])
    assert owner.password.startswith(made_as)

    response = log_in(client, owner.email)

    assert response.context["user"] == owner  # the user notices nothing
    owner.refresh_from_db()
    assert owner.password.startswith(ARGON2ID_OWASP)
    assert AuditEvent.objects.filter(action="accounts.user.logged_in").count() == 1


def test_a_wrong_password_leaves_an_older_hash_as_it_was(client: Client, owner: Any) -> None:
    old = stored_as(owner, "pbkdf2_sha256")
    response = log_in(client, owner.email, "wrong password")
    assert not response.context["user"].is_authenticated
    assert "Dit e-mailadres en dit wachtwoord horen niet bij elkaar" in response.content.decode()
    owner.refresh_from_db()
    assert owner.password == old


def test_the_upgrade_at_the_password_step_does_not_break_the_second_factor(owner: Any) -> None:
    client = login_with_2fa(owner)  # enrolled, logged out again
    stored_as(owner, "pbkdf2_sha256")
    client.post(reverse("accounts:login"), {"username": owner.email, "password": PASSWORD})
    owner.refresh_from_db()
    assert owner.password.startswith(ARGON2ID_OWASP)  # stored again at the password step
    response = client.post(reverse("accounts:two-factor-verify"), {"code": code_at(owner, 30)})
    assert response.status_code == 302
    assert client.get(reverse("trajectories:caseload")).status_code == 200


def test_outside_the_tests_the_installation_stores_with_argon2id() -> None:
    """The settings as a server loads them (no pytest, so not the tests' MD5)."""
    script = (
        "import django; django.setup(); "
        "from django.contrib.auth.hashers import make_password; "
        "print(make_password('een lang wachtwoord'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DOORSTROOM_ENV"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    done = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().startswith(ARGON2ID_OWASP)
