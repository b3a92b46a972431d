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
from stdnum.be import bis, nn, vat

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
from doorstroom.employers.models import (
    Agreement,
    AgreementKind,
    ContactRole,
    Employer,
    EmployerKind,
    Placement,
    PlacementEndReason,
    Workplace,
)
from doorstroom.employers.selectors import (
    employer_signals,
    matches_for_client,
    placeable_clients,
)
from doorstroom.evaluations.models import (
    Evaluation,
    EvaluationStatus,
    FeedbackRound,
    IcfRating,
    IcfSource,
    Source,
)
from doorstroom.evaluations.selectors import competence_picture, round_results
from doorstroom.instruments.models import InstrumentUse, Tryout, TryoutOffer
from doorstroom.plans.models import PlanAction, PlanVersion
from doorstroom.reports.models import (
    AftercareContact,
    EndReport,
    EndReportStatus,
    Outflow,
    OutflowFollowUp,
    OutflowKind,
)
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
from doorstroom.trajectories.selectors import CaseloadFilters, caseload_for, with_clock

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
        transfers = Handover.objects.filter(kind=HandoverKind.TRANSFER)
        assert {t.to_organisation.name for t in transfers} == {"OCMW Mol", "VDAB Geel"}
        for transfer in transfers:
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

    def test_the_vdab_counsellor_leads_a_transferred_wz_trajectory_on_their_caseload(
        self,
    ) -> None:
        # R-TRJ-9: at VDAB a counsellor takes over as lead coach; the clock is unchanged.
        counsellor = User.objects.get(email="counsellor@demo.doorstroom.be")
        transfer = Handover.objects.get(kind=HandoverKind.TRANSFER, to_organisation__kind="vdab")
        trajectory = transfer.trajectory
        assert trajectory.kind == TrajectoryKind.WZ
        assert trajectory.coach == counsellor == transfer.to_coach
        assert trajectory.start == trajectory.referral.referred_on  # R-TRJ-1
        assert transfer.note
        caseload = caseload_for(counsellor, CaseloadFilters())
        assert trajectory in caseload

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
        # Decisions carry the day they were taken, not the day the demo was loaded.
        decided = Intake.objects.exclude(decided_on=None)
        assert all(i.decided_on == i.assessed_on for i in decided)
        answered = Referral.objects.exclude(decided_on=None)
        assert all(r.referred_on <= r.decided_on for r in answered)
        assert answered.filter(
            decided_on__lt=timezone.localdate() - datetime.timedelta(days=30)
        ).exists()
        journal_clients = JournalEntry.objects.values("client").distinct().count()
        intake_clients = Intake.objects.values("client").distinct().count()
        assert journal_clients >= intake_clients
        today = timezone.localdate()
        assert Consent.objects.filter(
            until__gte=today, until__lte=today + datetime.timedelta(days=14)
        ).exists()

    def test_partner_members_read_along_under_a_valid_consent(self) -> None:
        # R-PRV-5: a member from another organisation than the guiding one reaches the dossier
        # only under a valid consent for their organisation; the demo gives every such member
        # one (wz: the VDAB counsellor who referred, on the partner's trajectory).
        today = timezone.localdate()
        members = TrajectoryMember.objects.filter(until__isnull=True).select_related(
            "trajectory", "user"
        )
        partners = [
            m for m in members if m.trajectory.organisation_id not in set(m.user.organisation_ids())
        ]
        assert any(m.trajectory.kind == TrajectoryKind.WZ for m in partners)
        for member in partners:
            assert (
                Consent.objects.valid_on(today)
                .filter(
                    client_id=member.trajectory.client_id,
                    organisation_id__in=member.user.organisation_ids(),
                )
                .exists()
            ), member

    def test_every_demo_write_went_through_the_services(self) -> None:
        registered = AuditEvent.objects.filter(action="clients.client.registered")
        assert registered.count() == Client.objects.count()
        started = AuditEvent.objects.filter(action="trajectories.trajectory.started")
        assert started.count() == Trajectory.objects.count()
        # Only people answering through a secret link (mentor, 360°) act without an account,
        # and their events name them.
        assert not AuditEvent.objects.filter(actor__isnull=True, actor_label="").exists()

    def test_employers_with_one_contact_person_mentors_and_full_job_profiles(self) -> None:
        employers = list(Employer.objects.select_related("organisation"))
        assert len(employers) >= 15
        assert {e.kind for e in employers} == set(EmployerKind.values)
        assert len({e.sector for e in employers}) >= 8
        assert {e.organisation.name for e in employers} == {
            "OCMW Geel",
            "OCMW Mol",
            "Leerwerkbedrijf Kempen",
        }
        for employer in employers:
            contacts = employer.contacts.filter(is_active=True)
            assert contacts.filter(role=ContactRole.CONTACT).count() == 1, employer  # R-PLC-2
            assert 1 <= contacts.filter(role=ContactRole.MENTOR).count() <= 3, employer
            if employer.kind != EmployerKind.INTERNAL:
                assert vat.is_valid(employer.enterprise_number), employer
        workplaces = list(Workplace.objects.prefetch_related("trained"))
        assert len(workplaces) >= 40
        for workplace in workplaces:
            filled = ("occupation_id", "municipality_id", "tasks", "schedule", "demands")
            assert all(getattr(workplace, name) for name in filled), workplace
            assert 1 <= workplace.capacity <= 4
            trained = list(workplace.trained.all())
            assert 3 <= len(trained) <= 6, workplace
            assert all(1 <= t.level <= 4 for t in trained)
        assert any(w.requires_driving_licence for w in workplaces)

    def test_agreements_expiring_expired_and_missing(self) -> None:
        today = timezone.localdate()
        cooperation = Agreement.objects.filter(kind=AgreementKind.COOPERATION)
        assert cooperation.filter(
            end__gte=today, end__lte=today + datetime.timedelta(days=21), commitment_clause=True
        ).exists()
        expired = [
            e
            for e in Employer.objects.all()
            if e.agreements.filter(kind=AgreementKind.COOPERATION).exists()
            and not e.agreements.filter(kind=AgreementKind.COOPERATION)
            .exclude(end__lt=today)
            .exists()
        ]
        assert len(expired) == 1
        assert Employer.objects.filter(agreements__isnull=True).count() == 1
        # R-PLC-1: every art60 placement at a third-party user has its signed tripartite.
        art60 = Placement.objects.filter(trajectory__kind=TrajectoryKind.ART60).exclude(
            workplace__employer__kind=EmployerKind.INTERNAL
        )
        assert art60.exists()
        for placement in art60:
            assert Agreement.objects.filter(
                kind=AgreementKind.TRIPARTITE,
                trajectory=placement.trajectory,
                employer=placement.workplace.employer,
                signed_by_client=True,
                signed_on__lte=placement.start,
            ).exists(), placement

    def test_placements_with_build_up_follow_ups_rotations_and_outflow(self) -> None:
        placements = list(
            Placement.objects.select_related("trajectory").prefetch_related(
                "regime_steps", "followups"
            )
        )
        assert len(placements) >= 20
        assert {p.trajectory.kind for p in placements} == set(TrajectoryKind.values)
        for placement in placements:
            trajectory = placement.trajectory
            assert placement.start >= trajectory.start, placement
            if trajectory.stopped_on is not None:
                assert placement.start <= trajectory.stopped_on, placement
        assert any(len(p.regime_steps.all()) >= 3 for p in placements)  # 0.5 → 0.8 → 1.0
        running = [p for p in placements if p.end is None]
        assert any(p.followups.all() for p in running)
        assert any(not p.followups.all() for p in running)  # placement_followup_due
        rotations = [p for p in placements if p.end_reason == PlacementEndReason.ROTATION]
        assert len(rotations) >= 4
        for ended in rotations:  # R-PLC-4: the next placement follows the day after
            assert ended.end is not None
            after = [
                p
                for p in placements
                if p.trajectory_id == ended.trajectory_id
                and p.start == ended.end + datetime.timedelta(days=1)
            ]
            assert after, ended
        assert any(
            after.workplace.employer_id == ended.workplace.employer_id
            for ended in rotations
            for after in placements
            if after.trajectory_id == ended.trajectory_id and after.start > ended.start
        )
        assert sum(p.end_reason == PlacementEndReason.OUTFLOW for p in placements) >= 2

    def test_the_coach_gets_employer_signals_and_meaningful_matches(self) -> None:
        today = timezone.localdate()
        coach = User.objects.get(email="coach@demo.doorstroom.be")
        codes = {s.deadline.code.value for s in employer_signals(coach, today, 30)}
        assert {"agreement_expiry", "profile_review_due"} <= codes
        trajectories = with_clock(Trajectory.objects.filter(coach=coach, placements__isnull=False))
        assert any(
            d.code.value == "placement_followup_due"
            for t in trajectories.distinct()
            for d in deadlines_of(t, today)
        )
        # "Find a workplace": a client of coach@ without a placement, whose job targets fit.
        client = Client.objects.get(first_name="Wim", last_name="Peetermans")
        assert client in placeable_clients(coach)
        assert client.work_limitations
        result = matches_for_client(coach, client, today).result
        same_occupation = [
            m
            for m in result.matches
            if any(("match", "unit_group") in c.facts for c in m.components)
        ]
        assert len(same_occupation) >= 3
        excluded = {e.code.value for x in result.excluded for e in x.exclusions}
        assert {"no_agreement", "limitation", "no_capacity"} <= excluded
        assert Client.objects.exclude(work_limitations=[]).count() >= 5

    def test_every_employer_write_went_through_the_services(self) -> None:
        def count(action: str) -> int:
            return AuditEvent.objects.filter(action=action).count()

        assert count("employers.employer.created") == Employer.objects.count()
        assert count("employers.workplace.created") == Workplace.objects.count()
        assert count("employers.agreement.created") == Agreement.objects.count()
        assert count("employers.placement.started") == Placement.objects.count()
        ended = Placement.objects.exclude(end=None).count()
        assert count("employers.placement.ended") == ended

    def test_pops_evaluations_feedback_and_instruments_on_the_dossiers(self) -> None:
        today = timezone.localdate()
        versions = PlanVersion.objects.select_related("trajectory")
        assert versions.values("trajectory").distinct().count() >= 10
        for version in versions.filter(number=1):  # R-TRJ-7: the first POP within a month
            assert version.drawn_up_on <= version.trajectory.start + datetime.timedelta(days=31)
            assert version.client_words
            assert version.agreements
        assert PlanAction.objects.exclude(instrument_use=None).exists()
        completed = Evaluation.objects.filter(status=EvaluationStatus.COMPLETED)
        assert completed.count() >= 10
        for evaluation in completed:  # the coach's, the mentor's and the client's own levels
            sources = set(evaluation.scores.values_list("source", flat=True))
            assert sources == set(Source.values), evaluation
            assert evaluation.mentor_link is not None
            assert evaluation.mentor_link.used_at is not None
        followed = completed.filter(next_plan_versions__isnull=False).distinct().count()
        assert followed == completed.count() - 1
        # R-TRJ-7: Leen's last evaluation waits for its new POP version.
        leen = Trajectory.objects.get(client__first_name="Leen", client__last_name="Huybrechts")
        assert leen.next_due_code == "pop_due"
        # R-PLC-6: no growth over two evaluations at Glenn's current placement.
        glenn = Trajectory.objects.get(client__first_name="Glenn", client__last_name="Aerts")
        plateau = competence_picture(glenn).plateau
        assert plateau is not None
        assert plateau.stalled
        planned = Evaluation.objects.filter(status=EvaluationStatus.PLANNED, planned_on__gt=today)
        links = [e.mentor_link for e in planned]
        assert len(links) == 2
        assert all(link and link.sent_at and not link.used_at for link in links)
        assert sorted(link.opened_at is not None for link in links if link) == [False, True]
        # Seed 001: the network group is shown (≥ 3 answers), the workfloor group is not.
        results = round_results(FeedbackRound.objects.get(), individual=False)
        assert results.self_levels
        shown = {group.group.value: group.shown for group in results.groups if group.answers}
        assert shown == {"network": True, "work": False}
        kinds = set(InstrumentUse.objects.values_list("kind", flat=True))
        assert {"job_coaching", "language_coaching", "ibo", "exploratory_internship"} <= kinds
        tryouts = Tryout.objects.all()
        assert tryouts.count() == 2
        assert all(t.expectation and t.finding and t.wants_this for t in tryouts)
        assert TryoutOffer.objects.values("organisation").distinct().count() == 3

    def test_icf_profiles_outflow_follow_ups_aftercare_and_end_reports(self) -> None:
        today = timezone.localdate()
        # R-ICF-1: profiles on running trajectories with evaluations, and on the endings.
        ratings = list(IcfRating.objects.select_related("code", "trajectory"))
        running = {r.trajectory_id for r in ratings if r.trajectory.status != Status.STOPPED}
        assert len(running) >= 8
        evaluated = Evaluation.objects.filter(status=EvaluationStatus.COMPLETED)
        assert running <= set(evaluated.values_list("trajectory_id", flat=True))
        activities = [r for r in ratings if r.code.component == "d"]
        assert activities
        assert all(r.first is not None and r.second is not None for r in activities)
        environment = [r for r in ratings if r.code.component == "e"]
        assert {r.facilitator for r in environment} == {True, False}  # facilitators and barriers
        health = [r for r in ratings if r.code.concerns_health]
        assert len({r.trajectory_id for r in health if r.trajectory_id in running}) == 2
        for rating in health:  # R-PRV-3: rated by the lead coach, from the doctor
            assert rating.source == IcfSource.MEDICAL
            assert rating.created_by_id == rating.trajectory.coach_id
        # R-END-2: where the clients went, only at the end of a trajectory.
        outflows = list(Outflow.objects.select_related("trajectory"))
        kinds = [o.kind for o in outflows]
        assert kinds.count(OutflowKind.NEC_JOB) >= 2
        assert {OutflowKind.TRAINING, OutflowKind.BENEFITS} <= set(kinds)
        for outflow in outflows:
            assert outflow.trajectory.status == Status.STOPPED
            assert outflow.on >= outflow.trajectory.stopped_on
            if outflow.to_work:
                assert outflow.employer_id
                assert outflow.contract_type
                assert outflow.regime
        followups = list(OutflowFollowUp.objects.select_related("trajectory"))
        assert {f.months for f in followups} >= {3, 6}
        for followup in followups:
            assert followup.trajectory.stopped_on < followup.measured_on <= today
        assert any(f.at_work and f.same_employer for f in followups)
        # R-TRJ-10: aftercare after outflow to work; held with notes, one planned ahead.
        contacts = list(AftercareContact.objects.select_related("trajectory__outflow"))
        assert {c.kind for c in contacts} == {"job_coaching", "language_coaching"}
        for contact in contacts:
            assert contact.trajectory.outflow.to_work
            assert contact.planned_on >= contact.trajectory.outflow.on
            assert (contact.held_on is None) != bool(contact.notes)
        assert any(c.held_on and c.with_mentor for c in contacts)
        assert [c.planned_on > today for c in contacts if c.held_on is None] == [True]
        # R-END-1: closed only with a final report; one still a draft, one amended.
        closed = Trajectory.objects.exclude(closed_on=None)
        assert closed.count() >= 3
        for trajectory in closed:
            assert trajectory.end_reports.filter(status=EndReportStatus.FINAL).exists()
        for report in EndReport.objects.filter(status=EndReportStatus.FINAL):
            assert report.motivation
            assert report.recommendation
            assert report.facts["outflow"]
            assert report.facts["icf"]
            assert not any(item["code"][0] in "bs" for item in report.facts["icf"])
        amended = Trajectory.objects.get(
            client__first_name="Mohamed", client__last_name="Ait Lahcen"
        )
        versions = list(amended.end_reports.order_by("number").values_list("number", "status"))
        assert versions == [(1, EndReportStatus.FINAL), (2, EndReportStatus.DRAFT)]
        # The caseload shows the end report and the follow-up that are overdue.
        coach2 = User.objects.get(email="coach2@demo.doorstroom.be")
        partner = User.objects.get(email="partner@demo.doorstroom.be")
        kenny = caseload_for(coach2, CaseloadFilters()).get(client__last_name="Boeckx")
        assert kenny.closed_on is not None
        assert (kenny.next_due_code, kenny.next_due < today) == ("followup_3m", True)
        rania = caseload_for(partner, CaseloadFilters()).get(client__last_name="Haddad")
        assert list(rania.end_reports.values_list("status", flat=True)) == ["draft"]
        assert (rania.next_due_code, rania.next_due < today) == ("end_report_due", True)

        def count(action: str) -> int:
            return AuditEvent.objects.filter(action=action).count()

        assert count("evaluations.icf.rated") == len(ratings)
        assert count("reports.outflow.recorded") == len(outflows)
        assert count("reports.followup.recorded") == len(followups)
        assert count("reports.aftercare.planned") == len(contacts)
        assert count("reports.trajectory.closed") == closed.count()


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
        "placements": list(
            Placement.objects.order_by("trajectory__client__last_name", "start").values_list(
                "trajectory__client__last_name",
                "workplace__title",
                "workplace__employer__name",
                "start",
                "end",
                "end_reason",
            )
        ),
        "pops": list(
            PlanVersion.objects.order_by("trajectory__client__last_name", "number").values_list(
                "trajectory__client__last_name", "number", "drawn_up_on", "goals", "author__email"
            )
        ),
        "evaluations": list(
            Evaluation.objects.order_by("trajectory__client__last_name", "planned_on").values_list(
                "trajectory__client__last_name", "kind", "planned_on", "held_on", "status"
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
    assert loads[0]["placements"]


def test_it_refuses_a_database_that_is_not_empty(demo: None) -> None:
    with pytest.raises(CommandError, match="not empty"):
        call_command("load_demo")
    employers, placements = Employer.objects.count(), Placement.objects.count()
    call_command("load_demo", "--if-empty")  # make run: quietly skips
    assert (Employer.objects.count(), Placement.objects.count()) == (employers, placements)
    assert User.objects.filter(email="coach@demo.doorstroom.be").count() == 1
