"""Two-factor authentication (issue #10): enrolment, login, recovery codes, lockout, policy."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doorstroom.accounts import two_factor
from doorstroom.accounts.models import RecoveryCode, TwoFactorDevice
from doorstroom.accounts.services import api_token_create
from doorstroom.core import crypto
from doorstroom.core.models import AuditEvent
from tests.dossiers import make_trajectory
from tests.factories import member

PASSWORD = "correct horse battery"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english(client: Client, owner: Any) -> None:
    """The texts are asserted in English: the owner's own choice, and the cookie for the pages
    before login (the browser's Accept-Language is deliberately ignored)."""
    owner.language = "en"
    owner.save(update_fields=["language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def required(settings: Any) -> None:
    """The installation's default policy (tests/conftest.py switches it off for other tests)."""
    settings.DOORSTROOM_2FA_REQUIRED_ROLES = ["team_lead", "admin", "privacy_officer"]
    settings.DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS = True


@pytest.fixture
def team_lead(ocmw_a: Any) -> Any:
    return member(ocmw_a, "team_lead", first_name="Lien", email="lien@geel.test", language="en")


def secret_of(user: Any) -> str:
    return crypto.decrypt(bytes(TwoFactorDevice.objects.get(user=user).secret_ciphertext))


def code_at(user: Any, offset: int = 0) -> str:
    return pyotp.TOTP(secret_of(user)).at(time.time() + offset)


def enrol(client: Client, user: Any) -> list[str]:
    """Enrol through the pages, with the code pyotp computes from the secret on the page."""
    page = client.get(reverse("accounts:two-factor-setup"))
    assert page.status_code == 200
    shown = re.search(r'data-testid="two-factor-secret">([A-Z2-7 ]+)<', page.content.decode())
    assert shown is not None
    secret = shown.group(1).replace(" ", "")
    assert secret == secret_of(user)
    response = client.post(reverse("accounts:two-factor-setup"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes: list[str] = response.context["codes"]
    return codes


def password_step(client: Client, user: Any, next_url: str = "") -> Any:
    data = {"username": user.email, "password": PASSWORD}
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data, **ENGLISH)


def login_with_2fa(owner: Any) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the pages before login
    client.force_login(owner)
    enrol(client, owner)
    client.post(reverse("accounts:logout"))
    return client


# Enrolment ----------------------------------------------------------------------------------


def test_it_enrols_with_a_real_code_and_shows_ten_recovery_codes_once(
    client: Client, owner: Any
) -> None:
    client.force_login(owner)
    page = client.get(reverse("accounts:two-factor-setup"))
    html = page.content.decode()
    assert "<svg" in html  # the QR code, inline (no script: the CSP forbids inline scripts)
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]

    codes = enrol(client, owner)

    device = TwoFactorDevice.objects.get(user=owner)
    assert device.is_confirmed
    assert len(codes) == 10
    assert len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(user=owner).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & set(stored)  # only hashes are kept
    assert secret_of(owner).encode() not in bytes(device.secret_ciphertext)  # encrypted
    assert AuditEvent.objects.filter(action="accounts.two_factor.enrolled").count() == 1
    profile = client.get(reverse("accounts:profile"), **ENGLISH).content.decode()
    assert codes[0] not in profile  # shown once, never again
    assert "10 recovery codes left" in profile


def test_a_wrong_enrolment_code_is_refused_on_the_code_field(client: Client, owner: Any) -> None:
    client.force_login(owner)
    client.get(reverse("accounts:two-factor-setup"))
    wrong = "000000" if code_at(owner) != "000000" else "111111"
    response = client.post(reverse("accounts:two-factor-setup"), {"code": wrong}, **ENGLISH)
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "This code is not correct. Enter the 6-digit code your app shows now."
    ]
    assert not TwoFactorDevice.objects.get(user=owner).is_confirmed


# Login ----------------------------------------------------------------------------------------


def test_login_asks_for_the_code_before_the_user_is_logged_in(owner: Any) -> None:
    client = login_with_2fa(owner)
    logins = AuditEvent.objects.filter(action="accounts.user.logged_in")
    before = logins.count()
    response = password_step(client, owner, next_url="/clients/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two-factor-verify")
    # Not logged in yet: every other page sends to the login page.
    assert client.get(reverse("trajectories:caseload")).status_code == 302
    assert "_auth_user_id" not in client.session
    assert logins.count() == before

    # The code of the next 30-second step: the enrolment already used the current one.
    response = client.post(
        reverse("accounts:two-factor-verify"), {"code": code_at(owner, 30)}, **ENGLISH
    )
    assert response.status_code == 302
    assert response["Location"] == "/clients/"
    assert client.get(reverse("trajectories:caseload")).status_code == 200
    assert logins.count() == before + 1


def test_a_wrong_code_is_refused_with_the_field_named(owner: Any) -> None:
    client = login_with_2fa(owner)
    password_step(client, owner)
    response = client.post(reverse("accounts:two-factor-verify"), {"code": "12345x"}, **ENGLISH)
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert "This code is not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action="accounts.two_factor.code_failed")
    assert failed.changes == {"context": "login", "attempt": 1}


def test_a_code_cannot_be_used_twice(owner: Any) -> None:
    client = login_with_2fa(owner)
    code = code_at(owner, 30)
    password_step(client, owner)
    client.post(reverse("accounts:two-factor-verify"), {"code": code})
    client.post(reverse("accounts:logout"))
    password_step(client, owner)
    response = client.post(reverse("accounts:two-factor-verify"), {"code": code}, **ENGLISH)
    assert "code" in response.context["form"].errors  # replayed within its 30 seconds


def test_a_recovery_code_works_once(owner: Any) -> None:
    client = Client()
    client.force_login(owner)
    codes = enrol(client, owner)
    client.post(reverse("accounts:logout"))

    password_step(client, owner)
    response = client.post(reverse("accounts:two-factor-verify"), {"code": codes[3].upper()})
    assert response.status_code == 302
    assert client.get(reverse("trajectories:caseload")).status_code == 200
    used = AuditEvent.objects.get(action="accounts.two_factor.recovery_code_used")
    assert used.changes["left"] == 9
    assert RecoveryCode.objects.filter(user=owner, used_at__isnull=True).count() == 9

    client.post(reverse("accounts:logout"))
    password_step(client, owner)
    response = client.post(reverse("accounts:two-factor-verify"), {"code": codes[3]}, **ENGLISH)
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_five_wrong_codes_lock_the_second_step_for_fifteen_minutes(owner: Any) -> None:
    client = login_with_2fa(owner)
    password_step(client, owner)
    for _attempt in range(5):
        response = client.post(reverse("accounts:two-factor-verify"), {"code": "99999a"}, **ENGLISH)
    assert "Too many wrong codes" in response.content.decode()
    device = TwoFactorDevice.objects.get(user=owner)
    assert device.locked_until is not None
    minutes = (device.locked_until - timezone.now()).total_seconds() / 60
    assert 14 < minutes <= 15
    assert AuditEvent.objects.filter(action="accounts.two_factor.code_failed").count() == 5
    assert AuditEvent.objects.filter(action="accounts.two_factor.locked").count() == 1

    # Even the right code is refused while locked, also after starting the login again.
    password_step(client, owner)
    response = client.post(
        reverse("accounts:two-factor-verify"), {"code": code_at(owner, 30)}, **ENGLISH
    )
    assert response.context["form"].errors["code"][0].startswith("Too many wrong codes")
    assert "_auth_user_id" not in client.session

    TwoFactorDevice.objects.filter(user=owner).update(locked_until=timezone.now())
    response = client.post(reverse("accounts:two-factor-verify"), {"code": code_at(owner, 30)})
    assert response.status_code == 302


def test_the_second_step_expires_and_needs_the_password_step_first(
    client: Client, owner: Any
) -> None:
    response = client.get(reverse("accounts:two-factor-verify"))
    assert response["Location"] == reverse("accounts:login")
    client = login_with_2fa(owner)
    password_step(client, owner)
    session = client.session
    session["_doorstroom_2fa_pending"]["at"] -= 6 * 60
    session.save()
    response = client.post(reverse("accounts:two-factor-verify"), {"code": code_at(owner, 30)})
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_a_user_without_second_factor_logs_in_with_the_password_alone(
    client: Client, owner: Any
) -> None:
    response = password_step(client, owner)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(owner.pk)


# Disable and regenerate ------------------------------------------------------------------------


def test_disabling_needs_a_current_code_or_the_password(client: Client, owner: Any) -> None:
    client.force_login(owner)
    enrol(client, owner)
    url = reverse("accounts:two-factor-disable")

    response = client.post(url, {"code": "", "password": ""}, **ENGLISH)
    assert response.context["confirm_form"].errors["code"] == [
        "Enter a code from your app or your password."
    ]
    response = client.post(url, {"password": "not my password"}, **ENGLISH)
    assert response.context["confirm_form"].errors["password"] == ["This password is not correct."]
    assert TwoFactorDevice.objects.filter(user=owner).exists()

    response = client.post(url, {"code": code_at(owner, 30)})
    assert response.status_code == 302
    assert not TwoFactorDevice.objects.filter(user=owner).exists()
    assert not RecoveryCode.objects.filter(user=owner).exists()
    assert AuditEvent.objects.filter(action="accounts.two_factor.disabled").count() == 1
    client.post(reverse("accounts:logout"))
    assert password_step(client, owner)["Location"] == "/"  # the password alone again


def test_new_recovery_codes_replace_the_old_ones(client: Client, owner: Any) -> None:
    client.force_login(owner)
    old = enrol(client, owner)
    response = client.post(reverse("accounts:two-factor-recovery-codes"), {"password": PASSWORD})
    new = response.context["codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert two_factor._match_recovery_code(owner, old[0].replace("-", "")) is None
    assert two_factor._match_recovery_code(owner, new[0].replace("-", "")) is not None
    assert AuditEvent.objects.filter(
        action="accounts.two_factor.recovery_codes_regenerated"
    ).exists()


# Required for roles -------------------------------------------------------------------------


def test_a_required_role_reaches_no_dossier_until_enrolled(
    client: Client, required: None, owner: Any, team_lead: Any
) -> None:
    trajectory = make_trajectory(owner)
    dossier = reverse("clients:detail", args=[trajectory.client_id])
    client.force_login(team_lead)
    setup = reverse("accounts:two-factor-setup")
    for url in [reverse("core:home"), reverse("trajectories:caseload"), dossier, "/clients/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == setup, url
    assert client.get(setup).status_code == 200
    assert client.post(reverse("accounts:language"), {"language": "en"}).status_code == 302
    assert client.get(reverse("accounts:session-ping")).status_code == 204

    enrol(client, team_lead)
    assert client.get(dossier).status_code == 200


def test_a_required_roles_api_token_gets_403_problem_details_until_enrolled(
    required: None, team_lead: Any
) -> None:
    _token, key = api_token_create(team_lead, name="script", by=team_lead)
    api = Client(headers={"Authorization": f"Token {key}", "Accept-Language": "en"})
    response = api.get(reverse("api:client-list"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "two-factor authentication" in response.json()["detail"]

    browser = Client()
    browser.force_login(team_lead)
    enrol(browser, team_lead)
    assert api.get(reverse("api:client-list")).status_code == 200


def test_a_coach_needs_no_second_factor_but_a_protected_section_grant_does(
    client: Client, required: None, owner: Any, teammate: Any
) -> None:
    from doorstroom.clients.services import sensitive_access_grant

    trajectory = make_trajectory(owner)
    client.force_login(teammate)
    assert client.get(reverse("trajectories:caseload")).status_code == 200
    assert not two_factor.is_required(owner)

    # R-PRV-3: a user authorised for someone else's protected section must use a second factor.
    sensitive_access_grant(trajectory.client, user=teammate, by=owner)
    assert two_factor.is_required(teammate)
    response = client.get(reverse("trajectories:caseload"))
    assert response["Location"] == reverse("accounts:two-factor-setup")


def test_the_policy_is_configurable(settings: Any, team_lead: Any) -> None:
    settings.DOORSTROOM_2FA_REQUIRED_ROLES = ["admin"]
    settings.DOORSTROOM_2FA_REQUIRED_FOR_PROTECTED_GRANTS = False
    assert not two_factor.is_required(team_lead)
    settings.DOORSTROOM_2FA_REQUIRED_ROLES = ["team_lead"]
    assert two_factor.is_required(team_lead)


def test_an_administrator_can_reset_a_lost_second_factor(client: Client, owner: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    client.force_login(owner)
    enrol(client, owner)
    out = StringIO()
    call_command("reset_two_factor", owner.email.upper(), stdout=out)
    assert "removed" in out.getvalue()
    assert not TwoFactorDevice.objects.filter(user=owner).exists()
    assert not RecoveryCode.objects.filter(user=owner).exists()
    event = AuditEvent.objects.get(action="accounts.two_factor.reset")
    assert event.actor_label == "manage.py reset_two_factor"
