"""The trajectory lifecycle through the pages: rules refuse with a Dutch message, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.clients.models import Client
from doorstroom.core.models import AuditEvent
from doorstroom.trajectories import services
from doorstroom.trajectories.models import EmploymentContract, Suspension, Trajectory
from tests.dossiers import client_data, days_ago, fresh, make_client, make_trajectory

pytestmark = pytest.mark.django_db


def post(http: HttpClient, url: str, data: dict[str, Any]) -> Any:
    return http.post(url, {k: ("" if v is None else v) for k, v in data.items()})


def form_errors(response: Any) -> dict[str, list[str]]:
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_a_bad_national_number_is_refused_on_its_field_in_dutch(
    client: HttpClient, owner: Any
) -> None:
    client.force_login(owner)
    data = client_data(national_number="85073003329")  # wrong check digits
    response = post(client, reverse("clients:create"), data)
    assert response.status_code == 200
    assert form_errors(response)["national_number"] == [
        "Dit is geen geldig rijksregisternummer (INSZ): controleer de 11 cijfers."
    ]
    assert not Client.objects.exists()


def test_an_ao_before_the_trajectory_start_is_refused(client: HttpClient, owner: Any) -> None:
    # R-TRJ-2: the AO belongs to the trajectory; it cannot start before it.
    trajectory = make_trajectory(owner, start=days_ago(30))
    client.force_login(owner)
    response = post(
        client,
        reverse("trajectories:contract", args=[trajectory.pk]),
        {
            "start": days_ago(31).isoformat(),
            "weekly_hours": "19",
            "full_time_weekly_hours": "38",
            "days_credited": "0",
            "rva_status": "draft",
        },
    )
    assert "start" in form_errors(response)
    assert form_errors(response)["start"][0].startswith("De AO kan niet starten voor het traject")
    assert not EmploymentContract.objects.exists()


def test_a_stop_without_a_reason_is_refused(client: HttpClient, owner: Any) -> None:
    # R-TRJ-4: every stop needs a reason and a motivation.
    trajectory = make_trajectory(owner)
    client.force_login(owner)
    response = post(
        client,
        reverse("trajectories:stop", args=[trajectory.pk]),
        {
            "version": trajectory.version,
            "on": days_ago(1).isoformat(),
            "reason": "",
            "motivation": "x",
        },
    )
    assert form_errors(response)["reason"] == ["Kies de reden van de stopzetting."]
    assert fresh(trajectory).status == "running"


def test_a_suspension_ending_before_it_starts_is_refused(client: HttpClient, owner: Any) -> None:
    trajectory = make_trajectory(owner)
    client.force_login(owner)
    response = post(
        client,
        reverse("trajectories:suspend", args=[trajectory.pk]),
        {
            "version": trajectory.version,
            "start": days_ago(10).isoformat(),
            "end": days_ago(12).isoformat(),
            "reason": "Ziekte",
        },
    )
    assert form_errors(response)["end"] == ["Het einde van de opschorting ligt voor het begin."]
    assert not Suspension.objects.exists()


def test_a_stale_client_edit_is_refused_and_keeps_the_first_change(
    client: HttpClient, owner: Any, teammate: Any
) -> None:
    record = make_client(owner)
    url = reverse("clients:edit", args=[record.pk])
    stale_version = record.version
    first = client_data(last_name="Janssens")
    client.force_login(teammate)
    assert post(client, url, {**first, "version": stale_version}).status_code == 302
    second = client_data(last_name="Claes")
    response = post(client, url, {**second, "version": stale_version})
    assert response.status_code == 200
    assert "Iemand anders heeft" in response.content.decode()
    record.refresh_from_db()
    assert record.last_name == "Janssens"


def test_an_art60_stop_is_refused_while_the_ao_runs_and_allowed_once_it_ended(
    client: HttpClient, owner: Any
) -> None:
    # R-TRJ-3: an art60 trajectory is stopped only together with its AO.
    trajectory = make_trajectory(owner, start=days_ago(60))
    services.contract_save(
        trajectory,
        data={
            "start": days_ago(50),
            "end": None,
            "weekly_hours": 19,
            "full_time_weekly_hours": 38,
            "days_credited": 0,
            "rva_status": "draft",
        },
        expected_version=None,
        by=owner,
    )
    client.force_login(owner)
    url = reverse("trajectories:stop", args=[trajectory.pk])
    stop = {
        "on": days_ago(0).isoformat(),
        "reason": "drop_out",
        "motivation": "Niet meer bereikbaar",
    }
    response = post(client, url, {**stop, "version": fresh(trajectory).version})
    assert "arbeidsovereenkomst" in form_errors(response)["on"][0]
    assert fresh(trajectory).status == "running"

    contract = EmploymentContract.objects.get()
    services.contract_end(
        contract, end=days_ago(1), reason="Ontslag", expected_version=contract.version, by=owner
    )
    response = post(client, url, {**stop, "version": fresh(trajectory).version})
    assert response.status_code == 302
    trajectory = fresh(trajectory)
    assert trajectory.status == "stopped"
    # R-TRJ-4: the end report is now due.
    assert trajectory.next_due_code == "end_report_due"
    assert AuditEvent.objects.filter(action="trajectories.trajectory.stopped").count() == 1


def test_suspension_and_resumption_change_the_status_and_are_audited(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    suspension = services.suspension_start(
        trajectory,
        start=days_ago(5),
        reason="Ziekte",
        expected_version=trajectory.version,
        by=owner,
    )
    assert fresh(trajectory).status == "suspended"
    services.suspension_end(
        suspension, end=days_ago(1), expected_version=fresh(trajectory).version, by=owner
    )
    assert fresh(trajectory).status == "running"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"trajectories.suspension.started", "trajectories.suspension.ended"} <= actions


def test_a_long_art60_suspension_signals_its_review(owner: Any) -> None:
    # R-TRJ-3: review due on suspension start + 3 months, while the suspension lasts.
    trajectory = make_trajectory(owner, start=days_ago(200))
    services.suspension_start(
        trajectory,
        start=days_ago(120),
        reason="Opname",
        expected_version=trajectory.version,
        by=owner,
    )
    from django.utils import timezone

    from doorstroom.trajectories.deadlines import deadlines_of
    from doorstroom.trajectories.selectors import with_clock

    loaded = with_clock(Trajectory.objects.filter(pk=trajectory.pk)).get()
    found = {d.code.value: d for d in deadlines_of(loaded, timezone.localdate())}
    assert found["suspension_review"].severity == "overdue"
    assert fresh(trajectory).overdue_count >= 2  # the review and the evaluation


def test_a_wz_transfer_keeps_the_clock_and_keeps_the_handover_note(owner: Any, ocmw_b: Any) -> None:
    # R-TRJ-1 (transfer after a move, clock unchanged), R-TRJ-9 (handover with note).
    from tests.factories import member

    trajectory = make_trajectory(owner)
    new_coach = member(ocmw_b, "coach")
    before = (trajectory.start, fresh(trajectory).next_due)
    services.trajectory_handover(
        trajectory,
        to_coach=new_coach,
        to_organisation=ocmw_b,
        note="Verhuisd naar Mol; afspraken lopen verder.",
        on=days_ago(0),
        expected_version=fresh(trajectory).version,
        by=owner,
    )
    trajectory = fresh(trajectory)
    assert (trajectory.start, trajectory.next_due) == before
    assert trajectory.coach == new_coach
    assert trajectory.organisation == ocmw_b
    assert trajectory.handovers.last().note == "Verhuisd naar Mol; afspraken lopen verder."


def test_an_art60_start_needs_leefloon_and_a_vdab_registration(owner: Any) -> None:
    # R-INT-3
    from doorstroom.core.errors import DomainError
    from tests.dossiers import make_intake

    record = make_client(owner, income="other")
    intake = make_intake(record, owner)
    with pytest.raises(DomainError, match="leefloon"):
        services.trajectory_start(
            record,
            kind="art60",
            start=days_ago(10),
            intake=intake,
            coach=owner,
            organisation=owner.primary_organisation,
            by=owner,
        )
    assert not Trajectory.objects.exists()


def test_a_trajectory_cannot_start_before_its_intake(owner: Any) -> None:
    # R-INT-4
    from doorstroom.core.errors import DomainError
    from tests.dossiers import make_intake

    record = make_client(owner)
    intake = make_intake(record, owner, on=days_ago(5))
    with pytest.raises(DomainError) as refused:
        services.trajectory_start(
            record,
            kind="art60",
            start=days_ago(10),
            intake=intake,
            coach=owner,
            organisation=owner.primary_organisation,
            by=owner,
        )
    assert refused.value.field == "start"


def test_ending_the_ao_makes_a_trajectory_form_opened_before_it_stale(
    client: HttpClient, owner: Any
) -> None:
    # R-TRJ-3: the AO's end changes what a stop or phase change may do; a form opened before
    # it must be reloaded (optimistic locking on the trajectory).
    trajectory = make_trajectory(owner, start=days_ago(60))
    contract = services.contract_save(
        trajectory,
        data={
            "start": days_ago(50),
            "weekly_hours": 19,
            "full_time_weekly_hours": 38,
            "days_credited": 0,
            "rva_status": "draft",
        },
        expected_version=None,
        by=owner,
    )
    client.force_login(owner)
    url = reverse("trajectories:phase", args=[trajectory.pk])
    opened_at = client.get(url).context["form"].initial["version"]
    services.contract_end(
        contract, end=days_ago(1), reason="Ontslag", expected_version=contract.version, by=owner
    )
    assert fresh(trajectory).version > opened_at
    response = post(
        client,
        url,
        {"version": opened_at, "phase": "experience", "on": days_ago(0).isoformat()},
    )
    assert response.status_code == 200
    assert "Iemand anders heeft dit gewijzigd" in response.content.decode()
    assert fresh(trajectory).phase == "orientation"


def test_service_messages_show_dates_as_the_pages_do(owner: Any) -> None:
    # R-TRJ-3: a suspension lies inside the trajectory; the message names its start the way
    # the dossier shows dates (the language's short date format: nl-BE 5-3-2026).
    from django.utils import translation

    from doorstroom.core.errors import DomainError

    start = days_ago(60)
    trajectory = make_trajectory(owner, start=start)
    with pytest.raises(DomainError) as refused:
        services.suspension_start(
            trajectory,
            start=days_ago(61),
            reason="Ziekte",
            expected_version=fresh(trajectory).version,
            by=owner,
        )
    shown = f"{start.day}-{start.month}-{start.year}"
    assert str(refused.value) == f"Een opschorting kan niet starten voor het traject ({shown})."
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.suspension_start(
            trajectory,
            start=days_ago(61),
            reason="Illness",
            expected_version=fresh(trajectory).version,
            by=owner,
        )
    assert f"({start:%d/%m/%Y})" in str(refused.value)  # day first in English too
