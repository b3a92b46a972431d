"""The interface is Dutch by default; each user can switch to English and back."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from doorstroom.core.models import AuditEvent


def test_a_user_switches_to_english_and_it_sticks_to_the_user(client: Client, owner) -> None:
    client.force_login(owner)
    response = client.post(
        reverse("accounts:language"),
        {"language": "en", "next": reverse("accounts:profile")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "My profile" in response.content.decode()
    owner.refresh_from_db()
    assert owner.language == "en"
    assert AuditEvent.objects.filter(action="accounts.user.language_changed").count() == 1
    # Another browser, same user: still English.
    other = Client()
    other.force_login(owner)
    assert "Welcome, An" in other.get(reverse("core:home"), follow=True).content.decode()


def test_an_anonymous_visitor_switches_the_login_page_by_cookie(client: Client, db: None) -> None:
    response = client.post(
        reverse("accounts:language"),
        {"language": "en", "next": reverse("accounts:login")},
        follow=True,
    )
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html


def test_an_unknown_language_changes_nothing(client: Client, owner) -> None:
    client.force_login(owner)
    client.post(reverse("accounts:language"), {"language": "xx"})
    owner.refresh_from_db()
    assert owner.language == "nl-be"


def test_it_never_redirects_to_another_site(client: Client, owner) -> None:
    client.force_login(owner)
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_the_profile_shows_roles_and_training(client: Client, owner) -> None:
    client.force_login(owner)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "OCMW Geel" in html
    assert "Trajectbegeleider" in html
    assert "15 januari 2026" in html
