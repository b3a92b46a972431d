"""The functional administrator manages organisations, service areas and users, in Dutch."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from doorstroom.accounts.models import Membership, User
from doorstroom.core.models import AuditEvent
from tests.factories import municipality


def test_the_administration_is_in_dutch(client: Client, functional_admin) -> None:
    client.force_login(functional_admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Doorstroom — beheer" in html
    assert "Organisaties" in html
    assert "Gebruikers" in html


def test_the_admin_login_is_the_one_login_page(client: Client, db: None) -> None:
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))


def test_coaches_cannot_reach_the_administration(client: Client, owner) -> None:
    client.force_login(owner)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_a_municipality_belongs_to_one_ocmw_service_area(
    client: Client, functional_admin, ocmw_a, ocmw_b
) -> None:
    client.force_login(functional_admin)
    response = client.post(
        reverse("admin:accounts_organisation_change", args=[ocmw_b.pk]),
        {
            "name": ocmw_b.name,
            "kind": "ocmw",
            "municipality": "",
            "service_area": [municipality("Mol").pk, municipality("Geel").pk],
            "email": "",
            "phone": "",
            "is_active": "on",
            "seen_version": ocmw_b.version,
        },
    )
    assert response.status_code == 200
    assert (
        "Deze gemeenten horen al bij het zorggebied van een ander OCMW: Geel (OCMW Geel)"
        in response.content.decode()
    )
    assert list(ocmw_b.service_area.values_list("name_nl", flat=True)) == ["Mol"]


def test_only_an_ocmw_has_a_service_area(client: Client, functional_admin) -> None:
    client.force_login(functional_admin)
    response = client.post(
        reverse("admin:accounts_organisation_add"),
        {
            "name": "Leerwerkbedrijf Test",
            "kind": "partner",
            "municipality": "",
            "service_area": [municipality("Herentals").pk],
            "email": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Alleen een OCMW heeft een zorggebied." in response.content.decode()


def test_an_administrator_creates_a_user_with_a_role_and_it_is_audited(
    client: Client, functional_admin, ocmw_a
) -> None:
    client.force_login(functional_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nieuwe.Coach@Geel.test",
            "first_name": "Lies",
            "last_name": "Smets",
            "usable_password": "true",
            "password1": "een lang wachtwoord",
            "password2": "een lang wachtwoord",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-organisation": ocmw_a.pk,
            "memberships-0-role": "coach",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="nieuwe.coach@geel.test")
    assert Membership.objects.filter(user=user, organisation=ocmw_a, role="coach").exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.user.created", "accounts.membership.created"} <= actions
    assert "een lang wachtwoord" not in str(list(AuditEvent.objects.values_list("changes")))
