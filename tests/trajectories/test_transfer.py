"""Transfer of a TWE-wz trajectory to VDAB, where a counsellor takes over as lead coach."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.accounts.models import Organisation, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients import services as client_services
from doorstroom.core.errors import DomainError
from doorstroom.core.models import AuditEvent
from doorstroom.core.regulation import ruleset_on
from doorstroom.rules import clock
from doorstroom.trajectories import services
from doorstroom.trajectories.choices import HandoverKind
from doorstroom.trajectories.deadlines import snapshot
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock
from tests.dossiers import days_ago, fresh, make_client, make_intake
from tests.factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db

NOTE = "Cliënt verhuist naar Geel; VDAB neemt de begeleiding over. POP zit in het dossier."


@pytest.fixture
def vdab(db: None) -> Organisation:
    return OrganisationFactory(name="VDAB Geel", kind=OrganisationKind.VDAB)


@pytest.fixture
def partner(db: None) -> Organisation:
    return OrganisationFactory(name="Leerwerkbedrijf Kempen", kind=OrganisationKind.PARTNER)


@pytest.fixture
def counsellor(vdab: Organisation) -> User:
    return member(vdab, Role.COUNSELLOR, first_name="Dirk", last_name="Maes")


@pytest.fixture
def partner_coach(partner: Organisation) -> User:
    return member(partner, Role.COACH, first_name="Jan", last_name="Vermeulen")


def make_wz_trajectory(counsellor: User, coach: User, partner: Organisation) -> Trajectory:
    """VDAB refers a job seeker to the partner, who starts a TWE-wz trajectory (R-TRJ-1)."""
    record = make_client(coach, income="job_seeker", last_name="Geudens")
    referral = client_services.referral_create(
        data={
            "kind": "wz",
            "first_name": record.first_name,
            "last_name": record.last_name,
            "birth_date": record.birth_date,
            "client": record,
            "to_organisation": partner,
            "to_coach": coach,
            "referred_on": days_ago(120),
            "context": "Langdurig werkzoekend; werkervaring in de logistiek gewenst.",
        },
        by=counsellor,
    )
    referral = client_services.referral_accept(
        referral, expected_version=referral.version, by=coach, on=days_ago(118)
    )
    return services.trajectory_start(
        record,
        kind="wz",
        start=None,
        intake=make_intake(record, coach, on=days_ago(125)),
        coach=coach,
        organisation=partner,
        referral=referral,
        by=coach,
    )


def clock_of(trajectory: Trajectory) -> tuple[datetime.date, datetime.date, Any]:
    """The trajectory's start, planned end and phase plan as the rules core sees them."""
    loaded = with_clock(Trajectory.objects.filter(pk=trajectory.pk)).get()
    snap = snapshot(loaded)
    return snap.start, clock.planned_end(snap, ruleset_on(snap.start)), snap.phases


def test_a_wz_trajectory_is_transferred_to_a_vdab_counsellor_with_its_clock_unchanged(
    counsellor: User, partner_coach: User, partner: Organisation, vdab: Organisation
) -> None:
    # R-TRJ-9 (warm handover with a note), R-TRJ-1 (a transfer after a move keeps the clock).
    trajectory = make_wz_trajectory(counsellor, partner_coach, partner)
    before = clock_of(trajectory)
    handover = services.trajectory_handover(
        trajectory,
        to_coach=counsellor,
        to_organisation=vdab,
        note=NOTE,
        on=days_ago(0),
        expected_version=fresh(trajectory).version,
        by=partner_coach,
    )
    trajectory = fresh(trajectory)
    assert (trajectory.coach, trajectory.organisation) == (counsellor, vdab)
    assert clock_of(trajectory) == before
    assert before[0] == days_ago(120)  # the referral date (R-TRJ-1)
    assert (handover.kind, handover.note) == (HandoverKind.TRANSFER, NOTE)
    assert (handover.from_coach, handover.from_organisation) == (partner_coach, partner)
    assert trajectory.handovers.filter(kind=HandoverKind.TRANSFER, note=NOTE).count() == 1
    assert AuditEvent.objects.filter(action="trajectories.trajectory.transferred").count() == 1


def test_the_counsellor_finds_the_transferred_trajectory_on_their_caseload(
    client: HttpClient,
    counsellor: User,
    partner_coach: User,
    partner: Organisation,
    vdab: Organisation,
) -> None:
    # R-TRJ-9 through the transfer form; the counsellor's home is their caseload.
    trajectory = make_wz_trajectory(counsellor, partner_coach, partner)
    client.force_login(partner_coach)
    url = reverse("trajectories:transfer", args=[trajectory.pk])
    form = client.get(url).context["form"]
    assert counsellor in form.fields["to_coach"].queryset
    response = client.post(
        url,
        {
            "version": fresh(trajectory).version,
            "to_organisation": vdab.pk,
            "to_coach": counsellor.pk,
            "on": days_ago(0).isoformat(),
            "note": NOTE,
        },
    )
    assert response.status_code == 302
    client.force_login(counsellor)
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == reverse("trajectories:caseload")
    assert [t.pk for t in home.context["page"]] == [trajectory.pk]
    assert "Geudens" in home.content.decode()


def test_only_vdab_counsellors_are_offered_besides_coaches(
    client: HttpClient,
    counsellor: User,
    partner_coach: User,
    partner: Organisation,
    ocmw_a: Organisation,
) -> None:
    trajectory = make_wz_trajectory(counsellor, partner_coach, partner)
    elsewhere = member(ocmw_a, Role.COUNSELLOR)  # a counsellor role outside VDAB
    social_worker = member(ocmw_a, Role.SOCIAL_WORKER)
    client.force_login(partner_coach)
    offered = set(
        client.get(reverse("trajectories:transfer", args=[trajectory.pk]))
        .context["form"]
        .fields["to_coach"]
        .queryset
    )
    assert counsellor in offered
    assert partner_coach in offered
    assert elsewhere not in offered
    assert social_worker not in offered


def test_outside_vdab_the_new_lead_must_still_be_a_coach(
    counsellor: User, partner_coach: User, partner: Organisation, ocmw_a: Organisation
) -> None:
    # R-TRJ-9: the trajectory goes to a coach of the new organisation.
    trajectory = make_wz_trajectory(counsellor, partner_coach, partner)
    not_a_coach = member(ocmw_a, Role.COUNSELLOR)
    with pytest.raises(DomainError) as refused:
        services.trajectory_handover(
            trajectory,
            to_coach=not_a_coach,
            to_organisation=ocmw_a,
            note=NOTE,
            on=days_ago(0),
            expected_version=fresh(trajectory).version,
            by=partner_coach,
        )
    assert refused.value.field == "to_coach"
    assert str(refused.value) == (
        f"{not_a_coach.full_name} is geen trajectbegeleider bij {ocmw_a.name}."
    )
    assert fresh(trajectory).organisation == partner


def test_at_vdab_the_new_lead_is_a_coach_or_a_counsellor(
    counsellor: User,
    partner_coach: User,
    partner: Organisation,
    vdab: Organisation,
) -> None:
    # R-TRJ-9
    trajectory = make_wz_trajectory(counsellor, partner_coach, partner)
    social_worker = member(vdab, Role.SOCIAL_WORKER)
    with pytest.raises(DomainError) as refused:
        services.trajectory_handover(
            trajectory,
            to_coach=social_worker,
            to_organisation=vdab,
            note=NOTE,
            on=days_ago(0),
            expected_version=fresh(trajectory).version,
            by=partner_coach,
        )
    assert str(refused.value) == (
        f"{social_worker.full_name} is geen trajectbegeleider of bemiddelaar bij VDAB Geel."
    )
