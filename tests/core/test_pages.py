"""The shell: navigation per role, Dutch error pages, security headers."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse


def test_the_navigation_shows_the_areas_in_dutch(client: Client, owner) -> None:
    client.force_login(owner)
    response = client.get(reverse("core:home"), follow=True)
    # Coaches start on their caseload (SPEC §4).
    assert response.redirect_chain[-1][0] == reverse("trajectories:caseload")
    html = response.content.decode()
    for label in ["Caseload", "Cliënten", "Werkgevers", "Kennisbank", "Rapporten"]:
        assert label in html
    assert "Logboek" not in html
    assert "/beheer/" not in html


def test_the_privacy_officer_and_the_administrator_see_their_links(
    client: Client, privacy_officer, functional_admin
) -> None:
    client.force_login(privacy_officer)
    assert reverse("core:audit-list") in client.get("/").content.decode()
    client.force_login(functional_admin)
    assert 'href="/beheer/"' in client.get("/").content.decode()


def test_the_404_page_is_dutch_and_has_the_shell(client: Client, owner) -> None:
    client.force_login(owner)
    response = client.get("/bestaat/niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert "u hebt er geen toegang toe" in html


def test_the_500_page_is_dutch_and_needs_no_context(client: Client, db: None) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Er liep iets mis" in html
    assert "niet bewaard" in html


def test_an_expired_form_gets_the_dutch_csrf_page(owner) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(reverse("accounts:language"), {"language": "en"})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ],
)
def test_security_headers_are_sent(client: Client, db: None, header: str, expected: str) -> None:
    assert client.get(reverse("accounts:login"))[header] == expected


def test_the_content_security_policy_allows_no_inline_or_foreign_scripts(
    client: Client, db: None
) -> None:
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@override_settings(DEBUG=False)
def test_static_assets_are_served_locally(client: Client, db: None) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "http://" not in html.split("<body")[0].replace("http://www.w3.org", "")


def test_the_favicon_is_found_without_logging_in(client: Client, db: None) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/img/favicon.svg")
