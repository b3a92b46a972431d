"""The caseload and the dossier stay at a constant number of queries; the digest mails."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.clients import services as client_services
from doorstroom.trajectories import services
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import days_ago, make_trajectory

pytestmark = pytest.mark.django_db


def grow(owner: Any, count: int) -> None:
    """Add trajectories by copying a real one (fast), then compute their signals."""
    template = make_trajectory(owner)
    for _ in range(count - Trajectory.objects.count()):
        client = template.client
        client.pk = None
        client.national_number = ""
        client.save()
        trajectory = Trajectory.objects.get(pk=template.pk)
        trajectory.pk = None
        trajectory.client = client
        trajectory.save()
        phase = template.phases.get()
        phase.pk = None
        phase.trajectory = trajectory
        phase.save()
    services.refresh_all()


def count_queries(http: HttpClient, url: str, django_assert_max_num_queries: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def test_the_caseload_runs_the_same_queries_for_10_and_500_trajectories(
    client: HttpClient, owner: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(owner)
    url = reverse("trajectories:caseload")
    grow(owner, 10)
    small = count_queries(client, url, django_assert_max_num_queries)
    grow(owner, 500)
    assert Trajectory.objects.count() == 500
    large = count_queries(client, url, django_assert_max_num_queries)
    assert small == large


def test_the_dossier_runs_the_same_queries_for_10_and_500_trajectories(
    client: HttpClient, owner: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(owner)
    trajectory = make_trajectory(owner)
    for day in range(3):
        client_services.journal_add(
            trajectory.client,
            data={"on": days_ago(day), "kind": "conversation", "notes": "Gesprek"},
            by=owner,
        )
    url = reverse("clients:detail", args=[trajectory.client_id])
    grow(owner, 10)
    small = count_queries(client, url, django_assert_max_num_queries)
    grow(owner, 500)
    for day in range(3, 40):
        client_services.journal_add(
            trajectory.client,
            data={"on": days_ago(day), "kind": "phone", "notes": "Telefoon"},
            by=owner,
        )
    large = count_queries(client, url, django_assert_max_num_queries)
    assert small == large


def test_the_caseload_sorts_by_urgency_and_filters_on_signal(
    client: HttpClient, owner: Any
) -> None:
    make_trajectory(owner, start=days_ago(200), last_name="Laat")
    make_trajectory(owner, start=days_ago(3), last_name="Vers")
    client.force_login(owner)
    html = client.get(reverse("trajectories:caseload")).content.decode()
    assert html.index("Laat") < html.index("Vers")
    overdue = client.get(reverse("trajectories:caseload"), {"signal": "overdue"}).content.decode()
    assert "Laat" in overdue
    assert "Vers" not in overdue


def test_a_team_lead_sees_the_team_and_a_coach_only_their_own(
    client: HttpClient, owner: Any, teammate: Any, ocmw_a: Any
) -> None:
    from tests.factories import member

    make_trajectory(owner, last_name="VanOwner")
    make_trajectory(teammate, last_name="VanTeammate")
    lead = member(ocmw_a, "team_lead")
    client.force_login(owner)
    mine = client.get(reverse("trajectories:caseload")).content.decode()
    assert "VanOwner" in mine
    assert "VanTeammate" not in mine
    client.force_login(lead)
    team = client.get(reverse("trajectories:caseload"), {"scope": "team"}).content.decode()
    assert "VanOwner" in team
    assert "VanTeammate" in team


def test_the_digest_sends_one_mail_per_user_with_due_items(
    owner: Any, teammate: Any, outsider: Any
) -> None:
    make_trajectory(owner, start=days_ago(200), last_name="Achterstand")
    make_trajectory(owner, start=days_ago(190), last_name="Tweede")
    make_trajectory(teammate, start=days_ago(1), last_name="Nieuw")  # nothing due this week
    call_command("send_digests")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "Achterstand" in message.body
    assert "Tweede" in message.body
    assert "R-TRJ-6" in message.body  # the evaluation is overdue
    assert "/caseload/" in message.body
