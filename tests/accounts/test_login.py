"""Logging in, out, lockout, password change and reset — as a user experiences them."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from doorstroom.core.models import AuditEvent

PASSWORD = "correct horse battery"


def login(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, follow=True
    )


def test_it_shows_the_dutch_login_page_to_anonymous_visitors(client: Client, db: None) -> None:
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    html = response.content.decode()
    assert 'lang="nl-BE"' in html
    assert "Aanmelden" in html
    assert "E-mailadres" in html


def test_it_ignores_the_browsers_language_until_the_user_chooses(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Aanmelden" in response.content.decode()


def test_it_greets_a_coach_with_name_organisation_and_role(client: Client, owner) -> None:
    response = login(client, owner.email)
    html = response.content.decode()
    assert "Welkom, An" in html
    assert "Trajectbegeleider bij OCMW Geel" in html


def test_it_accepts_the_email_address_in_any_case(client: Client, owner) -> None:
    response = login(client, "  AN.Peeters@Geel.TEST ")
    assert response.context["user"] == owner


def test_it_refuses_a_wrong_password_with_a_clear_dutch_message(client: Client, owner) -> None:
    response = login(client, owner.email, "wrong password")
    html = response.content.decode()
    assert "Dit e-mailadres en dit wachtwoord horen niet bij elkaar" in html
    assert not response.context["user"].is_authenticated


def test_it_locks_out_after_five_failed_attempts(client: Client, owner) -> None:
    for _attempt in range(5):
        login(client, owner.email, "wrong password")
    response = login(client, owner.email)  # even the right password is refused now
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_it_audits_logins_failures_and_logouts(client: Client, owner) -> None:
    login(client, owner.email, "wrong password")
    login(client, owner.email)
    client.post(reverse("accounts:logout"))
    actions = list(
        AuditEvent.objects.filter(target_id=str(owner.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "accounts.user.login_failed",
        "accounts.user.logged_in",
        "accounts.user.logged_out",
    ]
    failed = AuditEvent.objects.get(action="accounts.user.login_failed")
    assert failed.changes == {"email": owner.email}
    assert failed.organisation == owner.primary_organisation
    assert "password" not in str(failed.changes)


def test_logout_needs_a_post_and_returns_to_the_login_page(client: Client, owner) -> None:
    client.force_login(owner)
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert client.get(reverse("core:home")).status_code == 302


def test_a_user_changes_their_password(client: Client, owner) -> None:
    client.force_login(owner)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "een nieuw lang wachtwoord",
            "new_password2": "een nieuw lang wachtwoord",
        },
        follow=True,
    )
    assert "Uw wachtwoord is gewijzigd." in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password("een nieuw lang wachtwoord")
    assert AuditEvent.objects.filter(action="accounts.user.password_changed").count() == 1


def test_a_too_short_new_password_is_refused_naming_the_field(client: Client, owner) -> None:
    client.force_login(owner)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "kort", "new_password2": "kort"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert 'id="id_new_password2_error"' in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_password_reset_by_email_works_end_to_end(client: Client, owner) -> None:
    response = client.post(reverse("accounts:password-reset"), {"email": owner.email}, follow=True)
    assert "Kijk in uw mailbox" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert message.subject == "Kies een nieuw wachtwoord voor Doorstroom"
    assert "Dag An," in message.body
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    assert "Kies een nieuw wachtwoord" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "nog een lang wachtwoord", "new_password2": "nog een lang wachtwoord"},
        follow=True,
    )
    assert "Uw nieuwe wachtwoord is bewaard" in done.content.decode()
    owner.refresh_from_db()
    assert owner.check_password("nog een lang wachtwoord")
    assert AuditEvent.objects.filter(
        action="accounts.user.password_reset", target_id=str(owner.pk)
    ).exists()


def test_password_reset_does_not_reveal_whether_an_address_exists(client: Client, db: None) -> None:
    response = client.post(
        reverse("accounts:password-reset"), {"email": "niemand@nergens.test"}, follow=True
    )
    assert "Kijk in uw mailbox" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("url_name", ["core:home", "accounts:profile", "core:audit-list"])
def test_every_page_needs_a_login(client: Client, db: None, url_name: str) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_createsuperuser_works_as_usual(client: Client, db: None) -> None:
    from django.core.management import call_command

    from doorstroom.accounts.models import User

    call_command(
        "createsuperuser",
        interactive=False,
        email="Eerste.Beheerder@Gemeente.test",
        first_name="Eerste",
        last_name="Beheerder",
        verbosity=0,
    )
    user = User.objects.get(email="eerste.beheerder@gemeente.test")
    assert user.is_superuser
    assert user.is_staff
    user.set_password("een lang wachtwoord")
    user.save()
    response = login(client, "eerste.beheerder@gemeente.test", "een lang wachtwoord")
    assert response.context["user"] == user
