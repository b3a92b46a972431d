"""The dashboard's and the team caseload's scope without ``visible_to`` (issue 11), still R-PRV-1.

The dashboard counts the trajectories of the organisations a user leads and those they lead as
coach (``_own``). Its charts no longer carry ``Trajectory.objects.visible_to(user)`` as a
subquery, because ``_own`` lies inside it: the table below holds that for every kind of user, so
a change to the scope that breaks it fails here. The month-end rows keep the organisation and
coach of their month: a row of a trajectory handed over since, whose dossier the user may no
longer open, must still drop out (``_hidden``).
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db.models import Q
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from doorstroom.accounts.models import Membership, Organisation, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients.models import Client
from doorstroom.reports import dashboards
from doorstroom.reports.models import MonthEndSnapshot
from doorstroom.trajectories.models import Trajectory, TrajectoryMember
from doorstroom.trajectories.selectors import CaseloadFilters, caseload_for
from tests.dossiers import make_trajectory
from tests.factories import OrganisationFactory, member, municipality
from tests.reports.test_dashboards import (
    count_queries,
    listed,
    log_in,
    period,
    snap,
    url_of,
    values,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "monitoring:dashboard"


def move(trajectory: Trajectory, organisation: Organisation, coach: User) -> None:
    """Hand the trajectory over, and its client's dossier with it (out of OCMW A's reach)."""
    Trajectory.objects.filter(pk=trajectory.pk).update(organisation=organisation, coach=coach)
    Client.objects.filter(pk=trajectory.client_id).update(
        organisation=organisation, registered_by=coach, municipality=municipality("Mol")
    )
    trajectory.refresh_from_db()


@pytest.fixture
def world(ocmw_a: Any, ocmw_b: Any, owner: Any, teammate: Any, outsider: Any) -> dict[str, Any]:
    """Users of every kind, and trajectories in A, in B and handed over from A to B."""
    partner = OrganisationFactory(name="Leerwerkbedrijf Kempen", kind=OrganisationKind.PARTNER)
    users: dict[str, Any] = {"owner": owner, "teammate": teammate, "outsider": outsider}
    users["lead_a"] = member(ocmw_a, Role.TEAM_LEAD, email="lead@geel.test")
    users["lead_b"] = member(ocmw_b, Role.TEAM_LEAD, email="lead@mol.test")
    users["lead_ab"] = member(ocmw_a, Role.TEAM_LEAD, email="lead2@geel.test")
    Membership.objects.create(user=users["lead_ab"], organisation=ocmw_b, role=Role.TEAM_LEAD)
    users["coach_and_lead"] = member(ocmw_a, Role.COACH, email="both@geel.test")
    Membership.objects.create(
        user=users["coach_and_lead"], organisation=partner, role=Role.TEAM_LEAD
    )
    users["social_worker"] = member(ocmw_a, Role.SOCIAL_WORKER, email="mw@geel.test")
    users["partner_member"] = member(partner, Role.COACH, email="coach@kempen.test")
    users["privacy_officer"] = member(ocmw_a, Role.PRIVACY_OFFICER, email="dpo@geel.test")
    users["inactive_lead"] = member(ocmw_a, Role.TEAM_LEAD, email="gone@geel.test", is_active=False)
    users["nobody"] = member(partner, Role.ADMIN, email="admin@kempen.test")
    Membership.objects.filter(user=users["nobody"]).delete()

    t1 = make_trajectory(owner)
    make_trajectory(teammate)
    make_trajectory(outsider)
    moved = make_trajectory(teammate)
    move(moved, ocmw_b, outsider)
    TrajectoryMember.objects.create(
        trajectory=t1, user=users["partner_member"], role="job_coach", since=t1.start
    )
    # The coach-and-lead coaches a trajectory of A, the partner lead's organisation has none.
    make_trajectory(users["coach_and_lead"])
    return users


USERS = [
    "owner",
    "teammate",
    "outsider",
    "lead_a",
    "lead_b",
    "lead_ab",
    "coach_and_lead",
    "social_worker",
    "partner_member",
    "privacy_officer",
    "inactive_lead",
    "nobody",
]


def ids(queryset: Any) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("name", USERS)
def test_the_dashboards_own_trajectories_lie_inside_visible_to(
    world: dict[str, Any], name: str
) -> None:
    # R-PRV-1: what the dashboard counts without visible_to is what it counted with it.
    user = User.objects.get(pk=world[name].pk)
    filters = dashboards.Filters(*dashboards.default_period(timezone.localdate()))
    own = ids(dashboards.trajectories(user, filters))
    assert own <= ids(Trajectory.objects.visible_to(user))
    assert own == ids(
        dashboards._narrow(
            Trajectory.objects.visible_to(user).filter(dashboards._own(user)), filters
        )
    )
    coaches = set(dashboards.coaches(user).values_list("pk", flat=True))
    assert coaches <= set(Trajectory.objects.visible_to(user).values_list("coach_id", flat=True))


@pytest.mark.parametrize("name", USERS)
def test_the_team_caseload_lies_inside_visible_to(world: dict[str, Any], name: str) -> None:
    # R-PRV-1: the team caseload, filtered without visible_to, lists only visible trajectories,
    # and exactly those of the user's teams that visible_to lists.
    user = User.objects.get(pk=world[name].pk)
    team = ids(caseload_for(user, CaseloadFilters(scope="team", status="running")))
    assert team <= ids(Trajectory.objects.visible_to(user))
    if user.is_active and user.organisation_ids(Role.TEAM_LEAD):
        assert team == ids(
            Trajectory.objects.visible_to(user).filter(
                organisation_id__in=user.organisation_ids(Role.TEAM_LEAD), status="running"
            )
        )


@pytest.mark.parametrize("name", USERS)
def test_my_caseload_lies_inside_visible_to(world: dict[str, Any], name: str) -> None:
    # R-PRV-1, R-PRV-5: the trajectories a user leads need no scope check, those they are a
    # member of are checked: the list is what visible_to, led or member of, gives.
    user = User.objects.get(pk=world[name].pk)
    mine = ids(caseload_for(user, CaseloadFilters(status="running")))
    assert mine <= ids(Trajectory.objects.visible_to(user))
    led_or_member = Q(coach=user) | Q(members__user=user, members__until__isnull=True)
    assert mine == ids(
        Trajectory.objects.visible_to(user).filter(led_or_member, status="running").distinct()
    )


def test_the_team_caseload_table_is_not_empty(world: dict[str, Any]) -> None:
    team = {
        name: len(
            ids(caseload_for(User.objects.get(pk=world[name].pk), CaseloadFilters(scope="team")))
        )
        for name in USERS
    }
    assert team["lead_a"] == 3
    assert team["lead_ab"] == 5
    assert team["inactive_lead"] == 0
    mine = {
        name: len(ids(caseload_for(User.objects.get(pk=world[name].pk), CaseloadFilters())))
        for name in USERS
    }
    assert mine["owner"] == 1
    assert mine["partner_member"] == 0  # a member of t1, but without a consent (R-PRV-5)


def test_the_table_covers_each_way_to_the_dashboard(world: dict[str, Any]) -> None:
    # Not an empty proof: team leads, coaches and the partner member each count something.
    filters = dashboards.Filters(*dashboards.default_period(timezone.localdate()))
    counted = {
        name: dashboards.trajectories(User.objects.get(pk=world[name].pk), filters).count()
        for name in USERS
    }
    assert counted["lead_a"] == 3  # owner's, teammate's and the coach-and-lead's
    assert counted["lead_ab"] == 5
    assert counted["owner"] == 1
    assert counted["coach_and_lead"] == 1
    assert counted["inactive_lead"] == 0
    assert counted["partner_member"] == 0  # a member sees the dossier, but leads nothing


# --- month-end rows of a trajectory handed over since --------------------------------------


@pytest.fixture
def handed_over(ocmw_a: Any, ocmw_b: Any, owner: Any, outsider: Any) -> dict[str, Any]:
    m1, m2 = period()
    stays = make_trajectory(owner, start=m1 - datetime.timedelta(days=90))
    leaves = make_trajectory(owner, start=m1 - datetime.timedelta(days=90))
    for day in (m1, m2):
        snap(stays, day)
        snap(leaves, day)  # in M1 and M2 still A's: organisation A, coach An
    move(leaves, ocmw_b, outsider)
    lead = member(ocmw_a, Role.TEAM_LEAD, email="lead@geel.test")
    return {"lead": lead, "stays": stays, "leaves": leaves, "m1": m1, "m2": m2}


def old_snapshots(user: User, filters: dashboards.Filters) -> set[int]:
    """The month-end rows as the dashboard chose them with visible_to in each query."""
    visible = Trajectory.objects.visible_to(user).values("pk")
    rows = MonthEndSnapshot.objects.filter(
        dashboards._own(user),
        trajectory__in=visible,
        month_end__range=(filters.start, filters.end),
    )
    return ids(dashboards._narrow(rows, filters))


def test_a_row_of_a_dossier_handed_out_of_reach_drops_out(
    client: HttpClient, handed_over: dict[str, Any]
) -> None:
    # R-PRV-1: the month-end row is A's, but the lead may no longer open the dossier.
    lead, leaves = handed_over["lead"], handed_over["leaves"]
    assert not Trajectory.objects.visible_to(lead).filter(pk=leaves.pk).exists()
    filters = dashboards.Filters(handed_over["m1"].replace(day=1), handed_over["m2"])
    assert ids(dashboards.snapshots(lead, filters)) == old_snapshots(lead, filters)
    assert dashboards._hidden(lead, filters) == {leaves.pk}
    log_in(client, lead)
    charts = figures_of(client, handed_over)
    assert values(charts["kind"]) == {"TWE/art60 (OCMW)": [1, 1]}
    assert values(charts["caseload"]) == {"Trajectories in guidance": [1]}
    shown = listed(client, url_of(charts["kind"], "TWE/art60 (OCMW)", 0))
    assert shown == {handed_over["stays"].pk}


def test_a_row_of_a_dossier_still_in_reach_still_counts(
    client: HttpClient, handed_over: dict[str, Any], ocmw_a: Any
) -> None:
    # The client lives in OCMW A's service area again: the lead may open the dossier.
    lead, leaves = handed_over["lead"], handed_over["leaves"]
    Client.objects.filter(pk=leaves.client_id).update(municipality=municipality("Geel"))
    assert Trajectory.objects.visible_to(lead).filter(pk=leaves.pk).exists()
    filters = dashboards.Filters(handed_over["m1"].replace(day=1), handed_over["m2"])
    assert ids(dashboards.snapshots(lead, filters)) == old_snapshots(lead, filters)
    assert dashboards._hidden(lead, filters) == frozenset()
    log_in(client, lead)
    charts = figures_of(client, handed_over)
    assert values(charts["kind"]) == {"TWE/art60 (OCMW)": [2, 2]}
    shown = listed(client, url_of(charts["kind"], "TWE/art60 (OCMW)", 1))
    assert shown == {handed_over["stays"].pk, leaves.pk}


def test_a_handover_adds_no_query(client: HttpClient, handed_over: dict[str, Any]) -> None:
    lead = handed_over["lead"]
    log_in(client, lead)
    url = reverse(DASHBOARD) + "?" + urlencode(query_of(handed_over))
    with_handover = count_queries(client, url)
    MonthEndSnapshot.objects.filter(trajectory=handed_over["leaves"]).delete()
    assert count_queries(client, url) == with_handover


def query_of(handed_over: dict[str, Any]) -> dict[str, str]:
    return {"start": f"{handed_over['m1']:%Y-%m}", "end": f"{handed_over['m2']:%Y-%m}"}


def figures_of(http: HttpClient, handed_over: dict[str, Any]) -> dict[str, Any]:
    """The charts' data on the dashboard page for the fixture's two months, by slug."""
    response = http.get(reverse(DASHBOARD), query_of(handed_over))
    assert response.status_code == 200
    found = re.findall(
        r'<script id="chart-data-([a-z_]+)" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return {slug: json.loads(data) for slug, data in found}
