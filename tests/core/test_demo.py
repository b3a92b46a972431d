"""The demo loader: deterministic, only into an empty database, with every demo login."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client as HttpClient
from django.utils import timezone
from stdnum.be import bis, nn

from doorstroom.accounts.models import Organisation, User
from doorstroom.clients.models import (
    Client,
    Consent,
    Intake,
    IntakeDecision,
    JournalEntry,
    Referral,
    ReferralStatus,
)
from doorstroom.core.models import AuditEvent
from doorstroom.trajectories.benefit import benefit_view
from doorstroom.trajectories.choices import (
    HandoverKind,
    MemberRole,
    Phase,
    Status,
    TrajectoryKind,
)
from doorstroom.trajectories.deadlines import deadlines_of
from doorstroom.trajectories.models import (
    EmploymentContract,
    Handover,
    Trajectory,
    TrajectoryMember,
)
from doorstroom.trajectories.selectors import with_clock

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


@pytest.fixture(scope="class")
def demo_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo loaded once for a class of tests, and rolled back after them.

    Each test still runs in its own savepoint (``db``), so what it writes is undone.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo")
        yield
        transaction.set_rollback(True)


def _due(trajectory: Trajectory, today: datetime.date) -> dict[str, datetime.date]:
    """The earliest due date of each deadline code of the trajectory."""
    found: dict[str, datetime.date] = {}
    for deadline in deadlines_of(trajectory, today):
        code = deadline.code.value
        found[code] = min(found.get(code, deadline.due), deadline.due)
    return found


@pytest.mark.usefixtures("demo_once", "db")
class TestLoadedDemo:
    """Checks of the loaded demo (one load for the whole class: it is sizeable)."""

    def test_two_ocmws_of_one_region_with_real_service_areas(self) -> None:
        geel = Organisation.objects.get(name="OCMW Geel")
        mol = Organisation.objects.get(name="OCMW Mol")
        assert [m.refnis for m in geel.service_area.all()] == ["13008"]
        assert [m.refnis for m in mol.service_area.all()] == ["13025"]
        assert (
            geel.service_area.get().arrondissement_refnis
            == mol.service_area.get().arrondissement_refnis
        )
        assert set(Organisation.objects.values_list("kind", flat=True)) == {
            "ocmw",
            "vdab",
            "partner",
        }

    @pytest.mark.parametrize(("email", "expected"), DEMO_LOGINS.items())
    def test_each_demo_user_logs_in_and_sees_name_organisation_and_role(
        self, client: HttpClient, email: str, expected: tuple[str, str]
    ) -> None:
        response = client.post(
            "/account/login/", {"username": email, "password": "doorstroom"}, follow=True
        )
        html = response.content.decode()
        user = User.objects.get(email=email)
        organisation, role = expected
        assert f"Welkom, {user.first_name}" in html
        assert f"{role} bij {organisation}" in html

    def test_clients_of_both_ocmws_and_vdab_with_valid_identities(self) -> None:
        clients = list(Client.objects.select_related("municipality", "organisation"))
        assert len(clients) >= 60
        assert {c.organisation.name for c in clients} == {"OCMW Geel", "OCMW Mol", "VDAB Geel"}
        postcodes = {c.postcode for c in clients}
        assert {"2440", "2400"} <= postcodes
        for c in clients:
            if c.postcode in ("2440", "2400"):
                assert c.municipality.name_nl == {"2440": "Geel", "2400": "Mol"}[c.postcode]
            if c.organisation.kind == "ocmw":  # in an OCMW's service area (zorggebied)
                assert c.municipality.service_organisations.filter(kind="ocmw").exists(), c
        numbered = [c for c in clients if c.national_number]
        assert len(numbered) >= 0.9 * len(clients)
        assert len(numbered) < len(clients)  # some people have no national number
        for c in numbered:
            module = nn if nn.is_valid(c.national_number) else bis
            assert module.is_valid(c.national_number), c
            assert module.get_birth_date(c.national_number) == c.birth_date, c
        assert all(c.phone.startswith("+32") for c in clients if c.phone)
        assert Client.objects.filter(job_targets__isnull=False).distinct().count() >= 50

    def test_trajectories_in_every_phase_and_status_with_signals(self) -> None:
        today = timezone.localdate()
        trajectories = list(with_clock(Trajectory.objects.all()))
        assert {t.phase for t in trajectories} == set(Phase.values)
        assert {t.status for t in trajectories} == set(Status.values)
        assert {t.kind for t in trajectories} == set(TrajectoryKind.values)
        assert all(t.signals_on is not None for t in trajectories)
        starts = [t.start for t in trajectories]
        assert min(starts) <= today - datetime.timedelta(days=700)
        assert max(starts) >= today - datetime.timedelta(days=10)
        art60 = [t for t in trajectories if t.kind == TrajectoryKind.ART60]
        due = {t.pk: _due(t, today) for t in art60}
        assert any("ao_not_in_time" in d for d in due.values())
        ao_due = [d["ao_start_due"] for d in due.values() if "ao_start_due" in d]
        assert any(day >= today for day in ao_due)  # no AO yet, within the 2 months
        assert any(day < today for day in ao_due)  # no AO yet, past them
        # R-TRJ-3: an art60 suspension open for more than 3 months shows its review as overdue.
        assert any(
            t.status == Status.SUSPENDED and due[t.pk].get("suspension_review", today) < today
            for t in art60
        )

    def test_handovers_stops_and_mixed_trajectories(self) -> None:
        transfer = Handover.objects.get(kind=HandoverKind.TRANSFER)
        assert transfer.from_organisation != transfer.to_organisation
        assert transfer.trajectory.organisation == transfer.to_organisation
        assert Handover.objects.filter(kind=HandoverKind.COACH).exists()
        stopped = Trajectory.objects.filter(status=Status.STOPPED)
        assert stopped.count() >= 3
        for trajectory in stopped.filter(kind=TrajectoryKind.ART60):
            contract = getattr(trajectory, "employment_contract", None)
            assert contract is None or (contract.end and contract.end <= trajectory.stopped_on)
        contracts = EmploymentContract.objects.select_related("trajectory__client")
        assert any(benefit_view(contract).differs for contract in contracts)  # R-A60-2 warning
        assert TrajectoryMember.objects.filter(
            user__email="maatschappelijk@demo.doorstroom.be", role=MemberRole.SOCIAL_WORKER
        ).exists()

    def test_referrals_intakes_journal_and_consents(self) -> None:
        coach = User.objects.get(email="coach@demo.doorstroom.be")
        waiting = Referral.objects.filter(status=ReferralStatus.PENDING, to_coach=coach)
        assert waiting.count() >= 2
        assert {r.referred_by.email for r in waiting} == {"maatschappelijk@demo.doorstroom.be"}
        assert Referral.objects.filter(status=ReferralStatus.DECLINED).exists()
        assert Intake.objects.filter(decision=IntakeDecision.ELIGIBLE).exists()
        refused = Intake.objects.filter(decision=IntakeDecision.NOT_ELIGIBLE)
        assert refused.exists()
        assert all(intake.alternative_route for intake in refused)
        assert Intake.objects.filter(decision=IntakeDecision.PENDING).exists()
        journal_clients = JournalEntry.objects.values("client").distinct().count()
        intake_clients = Intake.objects.values("client").distinct().count()
        assert journal_clients >= intake_clients
        today = timezone.localdate()
        assert Consent.objects.filter(
            until__gte=today, until__lte=today + datetime.timedelta(days=14)
        ).exists()

    def test_every_demo_write_went_through_the_services(self) -> None:
        registered = AuditEvent.objects.filter(action="clients.client.registered")
        assert registered.count() == Client.objects.count()
        started = AuditEvent.objects.filter(action="trajectories.trajectory.started")
        assert started.count() == Trajectory.objects.count()
        assert not AuditEvent.objects.filter(actor__isnull=True).exists()


def _demo_rows() -> dict[str, list[Any]]:
    """What the demo holds, without primary keys (they differ between two loads)."""
    return {
        "users": list(
            User.objects.order_by("email").values_list(
                "email", "first_name", "privacy_training_date"
            )
        ),
        "clients": list(
            Client.objects.order_by("last_name", "first_name").values_list(
                "first_name", "last_name", "birth_date", "national_number", "phone", "postcode"
            )
        ),
        "trajectories": list(
            Trajectory.objects.order_by("client__last_name", "start").values_list(
                "client__last_name",
                "kind",
                "start",
                "phase",
                "status",
                "coach__email",
                "next_due_code",
            )
        ),
        "journal": list(
            JournalEntry.objects.order_by("client__last_name", "on", "notes").values_list(
                "client__last_name", "on", "kind", "notes"
            )
        ),
    }


def test_the_demo_loader_is_deterministic(db: None) -> None:
    # Dossiers protect their users and organisations, so each load is rolled back instead.
    loads = []
    for _ in range(2):
        with transaction.atomic():
            call_command("load_demo")
            loads.append(_demo_rows())
            transaction.set_rollback(True)
    assert loads[0] == loads[1]
    assert loads[0]["clients"]


def test_it_refuses_a_database_that_is_not_empty(demo: None) -> None:
    with pytest.raises(CommandError, match="not empty"):
        call_command("load_demo")
    call_command("load_demo", "--if-empty")  # make run: quietly skips
    assert User.objects.filter(email="coach@demo.doorstroom.be").count() == 1
