"""R-PRV-1: the scope's SQL is compiled once and reused, and never outlives what it depends on.

``visible_client_ids_sql`` keeps the compiled scope per database, user, set of active
memberships and day (issue 11). These tests hold that a cached scope still follows every change
a user can make between two requests: a role given or taken, a consent ending (R-PRV-5), a new
day, and the data behind it (a dossier handed over).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from doorstroom.accounts.models import Membership, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients import services as client_services
from doorstroom.clients.models import Client, _compiled_scope, visible_client_ids
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.services import member_add
from tests.dossiers import days_ago, make_client, make_trajectory
from tests.factories import MembershipFactory, OrganisationFactory, member, municipality

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as the next request loads it (memberships read anew)."""
    return User.objects.get(pk=user.pk)


def sees(user: User, client: Client) -> bool:
    return Client.objects.visible_to(user).filter(pk=client.pk).exists()


def test_r_prv_1_the_compiled_scope_is_django_s_own_subquery(owner: User) -> None:
    make_trajectory(owner)
    scoped = str(Client.objects.visible_to(owner).values("pk").query)
    plain = str(Client.objects.filter(pk__in=visible_client_ids(owner)).values("pk").query)
    assert scoped == plain


def test_r_prv_1_two_requests_of_one_user_compile_the_scope_once(owner: User) -> None:
    make_trajectory(owner)
    _compiled_scope.cache_clear()
    assert Client.objects.visible_to(fresh(owner)).count() == 1
    assert Trajectory.objects.visible_to(fresh(owner)).count() == 1
    info = _compiled_scope.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_r_prv_1_a_role_given_takes_effect_on_the_next_request(
    owner: User, outsider: User, ocmw_b: Any
) -> None:
    theirs = make_client(outsider, postcode="2400", municipality=municipality("Mol"))
    assert not sees(fresh(owner), theirs)  # compiled and cached without the new role
    MembershipFactory(user=owner, organisation=ocmw_b, role=Role.TEAM_LEAD)
    assert sees(fresh(owner), theirs)


def test_r_prv_1_a_role_taken_away_ends_the_access_on_the_next_request(
    owner: User, outsider: User, ocmw_b: Any
) -> None:
    theirs = make_client(outsider, postcode="2400", municipality=municipality("Mol"))
    MembershipFactory(user=owner, organisation=ocmw_b, role=Role.TEAM_LEAD)
    assert sees(fresh(owner), theirs)
    Membership.objects.filter(user=owner, organisation=ocmw_b).delete()
    assert not sees(fresh(owner), theirs)


def test_r_prv_1_a_deactivated_organisation_ends_its_members_access(
    owner: User, outsider: User, ocmw_b: Any
) -> None:
    theirs = make_client(outsider, postcode="2400", municipality=municipality("Mol"))
    MembershipFactory(user=owner, organisation=ocmw_b, role=Role.TEAM_LEAD)
    assert sees(fresh(owner), theirs)
    ocmw_b.is_active = False
    ocmw_b.save()
    assert not sees(fresh(owner), theirs)


def test_r_prv_1_a_dossier_handed_over_leaves_the_old_coach_at_once(
    owner: User, outsider: User
) -> None:
    trajectory = make_trajectory(outsider, postcode="2400", municipality=municipality("Mol"))
    trajectory.coach = owner  # a handover within the data behind the cached SQL
    trajectory.save()
    assert sees(fresh(owner), trajectory.client)
    trajectory.coach = outsider
    trajectory.save()
    assert not sees(fresh(owner), trajectory.client)


def test_r_prv_5_a_consent_ending_today_closes_the_dossier_tomorrow(
    owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    vdab = OrganisationFactory(name="VDAB Geel", kind=OrganisationKind.VDAB)
    counsellor = member(vdab, Role.COUNSELLOR, email="vera@vdab.test")
    shared = make_trajectory(owner)
    member_add(shared, user=counsellor, role="coach", since=days_ago(30), by=owner)
    client_services.consent_record(
        shared.client,
        data={
            "organisation": vdab,
            "scope": "Trajectgegevens delen met de VDAB.",
            "given_on": days_ago(60),
            "until": timezone.localdate(),
        },
        by=owner,
    )
    assert sees(fresh(counsellor), shared.client)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert not sees(fresh(counsellor), shared.client)
