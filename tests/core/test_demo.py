"""The demo loader: deterministic, only into an empty database, with every demo login."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from doorstroom.accounts.models import Organisation, User

DEMO_LOGINS = {
    "coach@demo.doorstroom.be": ("OCMW Geel", "Trajectbegeleider"),
    "coach2@demo.doorstroom.be": ("OCMW Mol", "Trajectbegeleider"),
    "teamlead@demo.doorstroom.be": ("OCMW Geel", "Teamverantwoordelijke"),
    "counsellor@demo.doorstroom.be": ("VDAB Geel", "VDAB-bemiddelaar"),
    "admin@demo.doorstroom.be": ("OCMW Geel", "Functioneel beheerder"),
    "dpo@demo.doorstroom.be": ("OCMW Geel", "Functionaris voor gegevensbescherming"),
}


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo")


def test_two_ocmws_of_one_region_with_real_service_areas(demo: None) -> None:
    geel = Organisation.objects.get(name="OCMW Geel")
    mol = Organisation.objects.get(name="OCMW Mol")
    assert [m.refnis for m in geel.service_area.all()] == ["13008"]
    assert [m.refnis for m in mol.service_area.all()] == ["13025"]
    assert (
        geel.service_area.get().arrondissement_refnis
        == mol.service_area.get().arrondissement_refnis
    )
    assert set(Organisation.objects.values_list("kind", flat=True)) == {"ocmw", "vdab", "partner"}


@pytest.mark.parametrize(("email", "expected"), DEMO_LOGINS.items())
def test_each_demo_user_logs_in_and_sees_name_organisation_and_role(
    client: Client, demo: None, email: str, expected: tuple[str, str]
) -> None:
    response = client.post(
        "/account/login/", {"username": email, "password": "doorstroom"}, follow=True
    )
    html = response.content.decode()
    user = User.objects.get(email=email)
    organisation, role = expected
    assert f"Welkom, {user.first_name}" in html
    assert f"{role} bij {organisation}" in html


def test_the_demo_loader_is_deterministic(demo: None) -> None:
    first = list(
        User.objects.order_by("email").values_list("email", "first_name", "privacy_training_date")
    )
    User.objects.all().delete()
    Organisation.objects.all().delete()
    call_command("load_demo")
    again = list(
        User.objects.order_by("email").values_list("email", "first_name", "privacy_training_date")
    )
    assert first == again


def test_it_refuses_a_database_that_is_not_empty(demo: None) -> None:
    with pytest.raises(CommandError, match="not empty"):
        call_command("load_demo")
    call_command("load_demo", "--if-empty")  # make run: quietly skips
    assert User.objects.filter(email="coach@demo.doorstroom.be").count() == 1
