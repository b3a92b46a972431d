"""generate_load: large synthetic data whose derived columns are what the services compute."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from stdnum.be import nn, vat

from doorstroom.accounts.models import Membership, TwoFactorDevice, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients.models import Client
from doorstroom.core.models import AuditEvent
from doorstroom.employers.models import Employer, Workplace
from doorstroom.employers.services import _search_text
from doorstroom.plans.models import PlanVersion
from doorstroom.plans.services import CompetenceLine, open_competences
from doorstroom.trajectories import deadlines
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock

CLIENTS = 120
SIGNAL_COLUMNS = (
    "next_due",
    "next_due_code",
    "urgency",
    "violation_count",
    "overdue_count",
    "due_soon_count",
    "signals_on",
)


@pytest.fixture
def load(db: None) -> str:
    out = StringIO()
    call_command("generate_load", "--scale", "s", "--clients", str(CLIENTS), stdout=out)
    return out.getvalue()


def test_it_reports_row_counts_and_time(load: str) -> None:
    assert "clients.Client" in load
    assert "rows in" in load


def test_it_leaves_the_query_planner_its_statistics(load: str) -> None:
    # Issue 11: without them SQLite read every running trajectory to match one workplace.
    if connection.vendor == "sqlite":
        sql = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'trajectories_trajectory'"
    else:
        sql = "SELECT count(*) FROM pg_stats WHERE tablename = 'trajectories_trajectory'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        assert cursor.fetchone()[0] > 0
    assert "planner statistics gathered" in load


def test_it_refuses_a_database_that_holds_clients(load: str) -> None:
    with pytest.raises(CommandError, match="already holds clients"):
        call_command("generate_load", "--scale", "s", "--clients", "10", stdout=StringIO())


def test_it_needs_a_scale(db: None) -> None:
    with pytest.raises(CommandError, match="scale"):
        call_command("generate_load", stdout=StringIO())


def test_it_keeps_the_proportions(load: str) -> None:
    assert Client.objects.count() == CLIENTS
    assert 1.3 * CLIENTS <= Trajectory.objects.count() <= 1.7 * CLIENTS
    assert Employer.objects.count() == 6  # clients / 20, at least 4 and one per organisation
    assert Workplace.objects.count() == 24  # clients / 5
    statuses = set(Trajectory.objects.values_list("status", flat=True))
    assert statuses == {Status.RUNNING, Status.SUSPENDED, Status.STOPPED}
    assert AuditEvent.objects.filter(action="clients.client.viewed").exists()


def test_every_open_trajectory_has_a_coach_of_its_organisation(load: str) -> None:
    coaches = set(Membership.objects.filter(role=Role.COACH).values_list("user", "organisation"))
    running = Trajectory.objects.exclude(status=Status.STOPPED)
    assert running.exists()
    assert all(pair in coaches for pair in running.values_list("coach", "organisation"))


def test_clients_live_in_the_service_area_of_their_ocmw(load: str) -> None:
    art60 = Client.objects.filter(organisation__kind=OrganisationKind.OCMW)
    outside = art60.exclude(municipality__service_organisations=F("organisation"))
    assert art60.exists()
    assert not outside.exists()


def test_the_known_accounts_log_in_without_two_factor(load: str) -> None:
    for key in ("coach", "teamlead", "counsellor", "admin"):
        user = User.objects.get(email=f"{key}@load.test")
        assert user.check_password("doorstroom")
        assert user.has_privacy_training()
    assert not TwoFactorDevice.objects.exists()
    lead = User.objects.get(email="teamlead@load.test")
    assert lead.has_role(Role.TEAM_LEAD)


def test_the_known_coach_has_the_caseload_nearest_to_fifty(load: str) -> None:
    coach = User.objects.get(email="coach@load.test")
    organisation = coach.primary_organisation
    caseloads = dict(
        User.objects.filter(memberships__role=Role.COACH, memberships__organisation=organisation)
        .annotate(n=Count("led_trajectories", filter=~Q(led_trajectories__status="stopped")))
        .values_list("pk", "n")
    )
    assert caseloads[coach.pk] > 0
    assert abs(caseloads[coach.pk] - 50) == min(abs(n - 50) for n in caseloads.values())


def test_the_caseload_columns_are_what_refresh_signals_computes(load: str) -> None:
    today = timezone.localdate()
    for trajectory in with_clock(Trajectory.objects.all()):
        expected = deadlines.signal_columns(deadlines.deadlines_of(trajectory, today), today)
        assert {c: getattr(trajectory, c) for c in SIGNAL_COLUMNS} == expected, trajectory.pk


def test_the_client_columns_are_what_the_services_keep(load: str) -> None:
    for client in Client.objects.prefetch_related("job_targets"):
        kept = client.search_text
        client.refresh_search_text()
        assert kept == client.search_text
        codes = ",".join(sorted({o.isco_code for o in client.job_targets.all()}))
        assert client.job_target_codes == codes
        if client.national_number:
            assert nn.is_valid(client.national_number)


def test_the_employer_columns_are_what_the_services_keep(load: str) -> None:
    for employer in Employer.objects.all():
        assert employer.search_text == _search_text(employer)
        assert vat.is_valid(employer.enterprise_number)
    for workplace in Workplace.objects.prefetch_related("competences"):
        assert workplace.trained_codes == ",".join(
            sorted(c.code for c in workplace.competences.all())
        )


def test_the_pop_columns_are_what_version_create_keeps(load: str) -> None:
    versions = PlanVersion.objects.prefetch_related("competences__competence")
    latest = dict(
        PlanVersion.objects.values("trajectory")
        .annotate(top=Max("number"))
        .values_list("trajectory", "top")
    )
    assert versions.exists()
    for version in versions:
        assert version.is_current == (version.number == latest[version.trajectory_id])
        lines = [
            CompetenceLine(pc.competence, pc.target_level, pc.current_level)
            for pc in version.competences.all()
        ]
        assert set(version.open_competences.split(",")) - {""} == {
            code for code in open_competences(lines).split(",") if code
        }
    assert PlanVersion.objects.filter(evaluation__isnull=False).exists()


def test_the_main_pages_render_for_the_coach(load: str, client: HttpClient) -> None:
    coach = User.objects.get(email="coach@load.test")
    client.force_login(coach)
    trajectory = coach.led_trajectories.exclude(status=Status.STOPPED).first()
    assert trajectory is not None
    workplace = Workplace.objects.filter(employer__organisation=trajectory.organisation).first()
    assert workplace is not None
    pages = [
        reverse("trajectories:caseload"),
        reverse("trajectories:caseload") + "?signal=overdue",
        reverse("clients:detail", args=[trajectory.client_id]),
        reverse("clients:list") + f"?q={trajectory.client.last_name[:4]}",
        reverse("employers:client_matches", args=[trajectory.client_id]),
        reverse("employers:workplace_matches", args=[workplace.pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
