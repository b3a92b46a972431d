"""R-PRV-5 with R-PRV-1: a partner's access to a dossier lasts as long as the client's consent.

A professional of another organisation who works on a mixed trajectory (R-TRJ-12) reaches the
dossier through that membership only while the client's consent to share with their
organisation holds: its end date passing or its withdrawal ends the access, without anyone
having to remove the member.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients import services as client_services
from doorstroom.clients.models import Client, Consent
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.services import member_add
from tests.dossiers import days_ago, make_trajectory
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def vdab() -> Any:
    return OrganisationFactory(name="VDAB Geel", kind=OrganisationKind.VDAB)


@pytest.fixture
def counsellor(vdab: Any) -> Any:
    return member(vdab, Role.COUNSELLOR, first_name="Vera", email="vera.bemiddelaar@vdab.test")


@pytest.fixture
def shared(owner: Any, counsellor: Any) -> Trajectory:
    """A mixed trajectory of OCMW Geel on which the VDAB counsellor works."""
    trajectory = make_trajectory(owner)
    member_add(trajectory, user=counsellor, role="coach", since=days_ago(30), by=owner)
    return trajectory


def consent(
    client: Client, organisation: Any, by: Any, *, until: datetime.date | None = None
) -> Consent:
    return client_services.consent_record(
        client,
        data={
            "organisation": organisation,
            "scope": "Trajectgegevens delen met de VDAB-bemiddelaar.",
            "given_on": days_ago(60),
            "until": until,
        },
        by=by,
    )


def sees(user: Any, client: Client) -> bool:
    return Client.objects.visible_to(user).filter(pk=client.pk).exists()


def test_r_prv_5_a_partner_member_sees_the_dossier_while_the_consent_holds(
    client: HttpClient, owner: Any, counsellor: Any, vdab: Any, shared: Trajectory
) -> None:
    consent(shared.client, vdab, owner, until=timezone.localdate())  # the last valid day
    client.force_login(counsellor)
    assert client.get(reverse("clients:detail", args=[shared.client_id])).status_code == 200
    caseload = client.get(reverse("trajectories:caseload"))
    assert shared.client.last_name in caseload.content.decode()


def test_r_prv_5_the_consent_s_end_date_passing_ends_the_partner_s_access(
    client: HttpClient, owner: Any, counsellor: Any, vdab: Any, shared: Trajectory
) -> None:
    consent(shared.client, vdab, owner, until=days_ago(1))
    client.force_login(counsellor)
    assert client.get(reverse("clients:detail", args=[shared.client_id])).status_code == 404
    caseload = client.get(reverse("trajectories:caseload"))
    assert shared.client.last_name not in caseload.content.decode()
    # The lead coach keeps the dossier: only the partner's access depends on the consent.
    assert sees(owner, shared.client)


def test_r_prv_5_withdrawing_the_consent_ends_the_partner_s_access_that_day(
    owner: Any, counsellor: Any, vdab: Any, shared: Trajectory
) -> None:
    given = consent(shared.client, vdab, owner)
    assert sees(counsellor, shared.client)
    client_services.consent_withdraw(given, on=timezone.localdate(), by=owner)
    assert not sees(counsellor, shared.client)


def test_r_prv_5_without_a_consent_for_their_organisation_a_partner_sees_nothing(
    owner: Any, counsellor: Any, ocmw_b: Any, shared: Trajectory
) -> None:
    consent(shared.client, ocmw_b, owner)  # shared with another organisation, not VDAB
    assert not sees(counsellor, shared.client)
    assert not Trajectory.objects.visible_to(counsellor).filter(pk=shared.pk).exists()


def test_r_prv_5_a_consent_given_later_than_today_does_not_open_the_dossier_yet(
    owner: Any, counsellor: Any, vdab: Any, shared: Trajectory
) -> None:
    client_services.consent_record(
        shared.client,
        data={"organisation": vdab, "scope": "Later.", "given_on": days_ago(-3), "until": None},
        by=owner,
    )
    assert not sees(counsellor, shared.client)


def test_r_prv_5_a_member_of_the_guiding_organisation_needs_no_consent(
    owner: Any, ocmw_a: Any, shared: Trajectory
) -> None:
    # A colleague without service-area access (a privacy officer does not read dossiers by
    # role, R-PRV-1) who is made a member of the trajectory reaches it through the membership.
    colleague = member(ocmw_a, Role.PRIVACY_OFFICER, email="dpo.lid@geel.test")
    assert not sees(colleague, shared.client)
    member_add(shared, user=colleague, role="coach", since=days_ago(1), by=owner)
    assert sees(colleague, shared.client)


def test_r_prv_5_the_lead_coach_sees_which_partner_lost_access_for_want_of_consent(
    client: HttpClient, owner: Any, vdab: Any, shared: Trajectory
) -> None:
    client.force_login(owner)
    url = reverse("clients:detail", args=[shared.client_id])
    assert 'data-testid="member-without-consent"' in client.get(url).content.decode()
    consent(shared.client, vdab, owner)
    assert 'data-testid="member-without-consent"' not in client.get(url).content.decode()


def test_r_prv_5_a_member_of_the_guiding_organisation_gets_no_consent_mark(
    client: HttpClient, owner: Any, ocmw_a: Any
) -> None:
    trajectory = make_trajectory(owner)
    colleague = member(ocmw_a, Role.COACH, email="collega.lid@geel.test")
    member_add(trajectory, user=colleague, role="coach", since=days_ago(1), by=owner)
    client.force_login(owner)
    html = client.get(reverse("clients:detail", args=[trajectory.client_id])).content.decode()
    assert colleague.full_name in html
    assert 'data-testid="member-without-consent"' not in html
