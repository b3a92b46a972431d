"""The API's dossier resources (issue 9): ``clients``, ``clients/{id}/intakes`` and the
trajectory's ``suspensions``, ``phases``, ``employment-contract`` and ``financing``.

The owner reads and writes through the app's services; the outsider (a coach of another
OCMW) gets 404 on every route; refused writes are problem details with Dutch field errors;
a stale version is 409; every list costs the same number of queries for 3 and for 15 rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doorstroom.accounts.models import User
from doorstroom.accounts.services import api_token_create
from doorstroom.clients import services as client_services
from doorstroom.clients.models import Client, Occupation
from doorstroom.core.models import AuditEvent
from doorstroom.core.regulation import ruleset_on
from doorstroom.rules.periods import add_days, month_ends
from doorstroom.trajectories import services as trajectory_services
from doorstroom.trajectories.models import EmploymentContract, Trajectory
from tests.dossiers import client_data, days_ago, fresh, make_client, make_trajectory
from tests.factories import municipality

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


class Api:
    """An HTTP client that sends a user's personal API token, and JSON bodies."""

    def __init__(self, user: User, language: str = "") -> None:
        _token, key = api_token_create(user, name="tests", by=user)
        self.http = HttpClient()
        self.headers: dict[str, str] = {"HTTP_AUTHORIZATION": f"Token {key}"}
        if language:
            self.headers["HTTP_ACCEPT_LANGUAGE"] = language

    def get(self, url: str, **params: Any) -> Any:
        return self.http.get(url, params, **self.headers)

    def send(self, method: str, url: str, body: dict[str, Any]) -> Any:
        call: Callable[..., Any] = getattr(self.http, method.lower())
        return call(
            url, data=json.dumps(body, default=str), content_type="application/json", **self.headers
        )

    def post(self, url: str, body: dict[str, Any]) -> Any:
        return self.send("POST", url, body)

    def patch(self, url: str, body: dict[str, Any]) -> Any:
        return self.send("PATCH", url, body)

    def put(self, url: str, body: dict[str, Any]) -> Any:
        return self.send("PUT", url, body)


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"api:{name}", args=[pk] if pk is not None else [])


def assert_field_error(response: Any, field: str, message: str) -> None:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 400
    assert any(message in error for error in body["errors"][field]), body


def assert_stale(response: Any) -> None:
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"].startswith("Iemand anders heeft dit gewijzigd")


def contract_body(trajectory: Trajectory, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "start": trajectory.start.isoformat(),
        "weekly_hours": "19",
        "full_time_weekly_hours": "38",
        "rva_status": "draft",
    }
    body.update(overrides)
    return body


def register_contract(trajectory: Trajectory, by: User) -> EmploymentContract:
    return trajectory_services.contract_save(
        fresh(trajectory),
        data={
            "start": trajectory.start,
            "end": None,
            "weekly_hours": Decimal("19"),
            "full_time_weekly_hours": Decimal("38"),
            "days_credited": Decimal("0"),
            "rva_status": "draft",
        },
        expected_version=None,
        by=by,
    )


def count_queries(api: Api, address: str) -> int:
    api.get(address)  # the token's last use is written at most every few minutes
    with CaptureQueriesContext(connection) as captured:
        response = api.get(address)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


# --- Scope: the outsider gets 404 everywhere ----------------------------------------------


def test_outsider_gets_404_on_every_dossier_route(owner: User, outsider: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(200))
    register_contract(trajectory, owner)
    trajectory = fresh(trajectory)
    client_pk, pk = trajectory.client_id, trajectory.pk
    api = Api(outsider)
    calls = [
        ("GET", url("client-detail", client_pk), None),
        ("PATCH", url("client-detail", client_pk), {"version": 1, "first_name": "X"}),
        ("GET", url("client-intakes", client_pk), None),
        ("GET", url("trajectory-dossier-suspensions", pk), None),
        (
            "POST",
            url("trajectory-dossier-suspensions", pk),
            {"start": days_ago(1), "reason": "Ziekte", "version": trajectory.version},
        ),
        ("GET", url("trajectory-dossier-phases", pk), None),
        (
            "POST",
            url("trajectory-dossier-phases", pk),
            {
                "phase": "experience",
                "on": days_ago(1),
                "decision": "continue",
                "decided_by": "VDAB",
                "version": trajectory.version,
            },
        ),
        ("GET", url("trajectory-dossier-employment-contract", pk), None),
        (
            "PUT",
            url("trajectory-dossier-employment-contract", pk),
            contract_body(trajectory, version=1),
        ),
        ("GET", url("trajectory-dossier-financing", pk), None),
    ]
    for method, address, body in calls:
        response = api.get(address) if body is None else api.send(method, address, body)
        assert response.status_code == 404, (method, address, response.content)
        assert response["Content-Type"] == PROBLEM
    assert fresh(trajectory).version == trajectory.version  # nothing was written
    assert not trajectory.suspensions.exists()
    listed = api.get(url("client-list")).json()
    assert listed["count"] == 0


def test_missing_ids_are_404_like_out_of_scope(owner: User) -> None:
    api = Api(owner)
    for address in (
        url("client-detail", 999_999),
        url("client-intakes", 999_999),
        url("trajectory-dossier-phases", 999_999),
        "/api/v1/clients/abc/",
    ):
        assert api.get(address).status_code == 404


def test_no_token_is_401(owner: User) -> None:
    client = make_client(owner)
    response = HttpClient().get(url("client-detail", client.pk))
    assert response.status_code == 401


# --- Clients ------------------------------------------------------------------------------

LIST_FIELDS = {
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "municipality",
    "dutch_level",
    "max_regime",
    "job_targets",
    "organisation",
    "version",
}


def test_client_list_has_no_national_number_and_searches_like_the_app(
    owner: User, teammate: User, outsider: User
) -> None:
    sofie = make_client(owner, first_name="Sofie", last_name="Maës", national_number="85073003328")
    other = make_client(owner, first_name="Jan", last_name="Claes")
    mine_elsewhere = make_client(outsider, postcode="2400")  # Mol: OCMW B's area
    targets = list(Occupation.objects.order_by("pk")[:2])
    client_services.job_targets_set(sofie, targets)

    rows = Api(owner).get(url("client-list")).json()["results"]
    assert {row["id"] for row in rows} == {sofie.pk, other.pk}
    assert all(set(row) == LIST_FIELDS for row in rows)
    row = next(row for row in rows if row["id"] == sofie.pk)
    assert row["job_targets"] == [t.pk for t in targets]
    assert row["max_regime"] == "1.00"
    assert "85073003328" not in json.dumps(rows)

    api = Api(owner)
    for q, found in (("maes", [sofie.pk]), ("850730", [sofie.pk]), ("nobody", [])):
        rows = api.get(url("client-list"), q=q).json()["results"]
        assert [r["id"] for r in rows] == found, q
    # A teammate of the same OCMW sees the clients living in its service area (R-PRV-1).
    assert Api(teammate).get(url("client-list")).json()["count"] == 2
    assert [r["id"] for r in Api(outsider).get(url("client-list")).json()["results"]] == [
        mine_elsewhere.pk
    ]


def test_client_detail_has_the_national_number_is_audited_and_hides_the_protected_section(
    owner: User,
) -> None:
    trajectory = make_trajectory(owner, national_number="85073003328")
    client = trajectory.client
    client_services.sensitive_note_add(
        client, category="medical", text="Geheime diagnose", by=owner
    )
    api = Api(owner)

    response = api.get(url("client-detail", client.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["national_number"] == "85073003328"
    assert body["postcode"] == "2440"
    assert body["version"] == client.version
    assert body["organisation"] == owner.primary_organisation.pk
    assert not any("sensitive" in key or "protected" in key for key in body)
    intakes = api.get(url("client-intakes", client.pk)).content.decode()
    assert "Geheime diagnose" not in response.content.decode() + intakes
    viewed = AuditEvent.objects.filter(
        action="clients.client.viewed", target_id=str(client.pk), actor=owner
    )
    assert viewed.count() == 2  # the detail and the intakes: both dossier reads (R-PRV-4)


def new_client_body(**overrides: Any) -> dict[str, Any]:
    body = {
        name: value
        for name, value in client_data().items()
        if value is not None and name != "national_number"
    }
    body["max_regime"] = "0.80"
    body.update(overrides)
    return body


def test_create_client_goes_through_the_service(owner: User) -> None:
    municipality("Geel")
    targets = list(Occupation.objects.order_by("pk")[:2])
    body = new_client_body(
        national_number="85.07.30-033.28",
        job_targets=[t.pk for t in targets],
        work_limitations=["lifting"],
    )

    response = Api(owner).post(url("client-list"), body)

    assert response.status_code == 201, response.content
    created = response.json()
    client = Client.objects.get(pk=created["id"])
    assert client.registered_by == owner
    assert client.national_number == "85073003328"
    assert client.phone == "+32470123456"  # cleaned by the service
    assert client.municipality.name_nl == "Geel"
    assert client.max_regime == Decimal("0.80")
    assert set(client.job_targets.all()) == set(targets)
    assert created["national_number"] == "85073003328"
    assert created["version"] == 1
    assert AuditEvent.objects.filter(
        action="clients.client.registered", target_id=str(client.pk)
    ).exists()


def test_create_client_refusals_are_dutch_field_errors(owner: User) -> None:
    municipality("Geel")
    api = Api(owner)
    address = url("client-list")

    assert_field_error(api.post(address, {}), "first_name", "Dit veld is verplicht.")
    assert_field_error(
        api.post(address, new_client_body(postcode="24a0")),
        "postcode",
        "Een Belgische postcode heeft 4 cijfers.",
    )
    assert_field_error(
        api.post(address, new_client_body(national_number="12345678901")),
        "national_number",
        "Dit is geen geldig rijksregisternummer (INSZ): controleer de 11 cijfers.",
    )
    assert_field_error(
        api.post(address, new_client_body(phone="12")),
        "phone",
        "Dit is geen geldig telefoonnummer. Bijvoorbeeld: 0470 12 34 56 of +32 14 12 34 56.",
    )
    assert not Client.objects.exists()


def test_create_client_asks_to_confirm_the_same_person_and_refuses_a_known_number(
    owner: User, outsider: User
) -> None:
    make_client(owner, first_name="Sofie", last_name="Peeters")
    api = Api(owner)
    address = url("client-list")
    same = new_client_body(first_name="Sofie", last_name="Peeters")

    response = api.post(address, same)
    assert response.status_code == 400
    assert "confirm_duplicate" in response.json()["errors"]
    assert api.post(address, {**same, "confirm_duplicate": True}).status_code == 201

    numbered = make_client(owner, national_number="85073003328")
    known = new_client_body(national_number="85073003328")
    response = api.post(address, known)
    assert response.status_code == 400
    assert numbered.full_name in response.json()["errors"]["national_number"][0]
    # Out of scope: a neutral message that names nobody.
    response = Api(outsider).post(address, {**known, "postcode": "2400"})
    assert response.status_code == 400
    message = response.json()["errors"]["national_number"][0]
    assert numbered.last_name not in message
    assert message.startswith("Dit rijksregisternummer is al geregistreerd")
    assert Client.objects.filter(national_number="85073003328").count() == 1


def test_patch_client_keeps_what_is_not_sent_and_refuses_a_stale_version(owner: User) -> None:
    client = make_client(owner, national_number="85073003328")
    api = Api(owner)
    address = url("client-detail", client.pk)

    response = api.patch(address, {"version": client.version, "phone": "014 12 34 56"})

    assert response.status_code == 200, response.content
    client.refresh_from_db()
    assert client.phone == "+3214123456"
    assert client.national_number == "85073003328"  # not sent: kept
    assert response.json()["version"] == client.version == 2
    assert AuditEvent.objects.filter(action="clients.client.updated").count() == 1

    assert_stale(api.patch(address, {"version": 1, "first_name": "Anna"}))
    assert_field_error(
        api.patch(address, {"first_name": "Anna"}), "version", "Dit veld is verplicht."
    )
    assert_field_error(
        api.patch(address, {"version": 2, "phone": "12"}),
        "phone",
        "Dit is geen geldig telefoonnummer. Bijvoorbeeld: 0470 12 34 56 of +32 14 12 34 56.",
    )
    client.refresh_from_db()
    assert (client.first_name, client.version) == ("Sofie", 2)


def test_patch_client_postcode_moves_the_municipality_and_sets_job_targets(owner: User) -> None:
    client = make_client(owner)
    targets = list(Occupation.objects.order_by("pk")[:1])

    response = Api(owner).patch(
        url("client-detail", client.pk),
        {"version": client.version, "postcode": "2400", "job_targets": [t.pk for t in targets]},
    )

    assert response.status_code == 200, response.content
    client.refresh_from_db()
    assert client.municipality.name_nl == "Mol"
    assert list(client.job_targets.all()) == targets
    assert response.json()["municipality"] == client.municipality_id


def test_errors_follow_accept_language(owner: User) -> None:
    client = make_client(owner)
    response = Api(owner, language="en").patch(
        url("client-detail", client.pk), {"version": client.version, "phone": "12"}
    )
    assert response.json()["errors"]["phone"] == [
        "This is not a valid phone number, e.g. 0470 12 34 56 or +32 14 12 34 56."
    ]


def test_intakes_of_a_client(owner: User) -> None:
    trajectory = make_trajectory(owner)
    client = trajectory.client
    client_services.intake_record(
        client,
        data={
            "assessed_on": days_ago(3),
            "strengths": "Leergierig",
            "learning_potential": "moderate",
            "max_regime": Decimal("0.50"),
        },
        barriers=[("language", "severe", "Spreekt weinig Nederlands")],
        by=owner,
    )

    response = Api(owner).get(url("client-intakes", client.pk))

    assert response.status_code == 200
    newest, decided = response.json()["results"]
    assert newest["barriers"] == [
        {"category": "language", "severity": "severe", "note": "Spreekt weinig Nederlands"}
    ]
    assert newest["max_regime"] == "0.50"
    assert newest["decision"] == ""
    assert decided["decision"] == "eligible"
    assert decided["id"] == trajectory.intake_id


# --- Suspensions --------------------------------------------------------------------------


def test_suspend_through_the_service(owner: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    api = Api(owner)
    address = url("trajectory-dossier-suspensions", trajectory.pk)
    assert api.get(address).json()["results"] == []

    response = api.post(
        address, {"start": days_ago(2), "reason": " Ziekte ", "version": trajectory.version}
    )

    assert response.status_code == 201, response.content
    assert response.json()["reason"] == "Ziekte"
    assert response.json()["end"] is None
    trajectory = fresh(trajectory)
    assert trajectory.status == "suspended"
    rows = api.get(address).json()["results"]
    assert [(r["start"], r["end"]) for r in rows] == [(days_ago(2).isoformat(), None)]
    assert AuditEvent.objects.filter(action="trajectories.suspension.started").exists()


def test_suspension_refusals(owner: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    api = Api(owner)
    address = url("trajectory-dossier-suspensions", trajectory.pk)
    version = trajectory.version

    assert_field_error(
        api.post(address, {"start": days_ago(2), "reason": " ", "version": version}),
        "reason",
        "Geef de reden van de opschorting.",
    )
    response = api.post(address, {"start": days_ago(200), "reason": "Ziekte", "version": version})
    assert_field_error(response, "start", "Een opschorting kan niet starten voor het traject")
    assert_field_error(
        api.post(address, {"start": "gisteren", "reason": "Ziekte", "version": version}),
        "start",
        "Date heeft het verkeerde formaat, gebruik 1 van deze formaten: YYYY-MM-DD.",
    )
    assert not trajectory.suspensions.exists()
    # Someone else changes the trajectory meanwhile: the version read is stale.
    trajectory_services.phase_change(
        fresh(trajectory),
        phase="experience",
        on=days_ago(60),
        decision="continue",
        decided_by="VDAB",
        expected_version=version,
        by=owner,
    )
    assert_stale(api.post(address, {"start": days_ago(2), "reason": "Ziekte", "version": version}))
    assert not trajectory.suspensions.exists()


# --- Phases -------------------------------------------------------------------------------


def test_phase_change_through_the_service(owner: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    api = Api(owner)
    address = url("trajectory-dossier-phases", trajectory.pk)
    (orientation,) = api.get(address).json()["results"]
    assert orientation["phase"] == "orientation"
    assert orientation["end"] is None

    body = {"phase": "experience", "on": days_ago(70), "version": trajectory.version}
    assert_field_error(
        api.post(address, body),
        "decision",
        "Registreer de beslissing na de oriëntatie: verderzetten of heroriënteren.",
    )
    response = api.post(address, {**body, "decision": "continue", "decided_by": "VDAB Geel"})

    assert response.status_code == 201, response.content
    assert response.json()["phase"] == "experience"
    assert response.json()["start"] == days_ago(70).isoformat()
    assert fresh(trajectory).phase == "experience"
    first, second = api.get(address).json()["results"]
    assert first["end"] == days_ago(71).isoformat()
    assert (first["decision"], first["decided_by"]) == ("continue", "VDAB Geel")
    assert second["extensions"] == []
    assert_stale(api.post(address, {**body, "phase": "outflow", "on": days_ago(10)}))


# --- Employment contract ------------------------------------------------------------------


def test_employment_contract_register_change_and_stale(owner: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(100))
    api = Api(owner)
    address = url("trajectory-dossier-employment-contract", trajectory.pk)
    assert api.get(address).status_code == 404  # none registered yet

    response = api.put(address, contract_body(trajectory))
    assert response.status_code == 201, response.content
    assert response.json()["regime"] == "0.50"
    assert response.json()["version"] == 1

    got = api.get(address).json()
    assert (got["weekly_hours"], got["rva_status"], got["end"]) == ("19.0", "draft", None)
    response = api.put(address, contract_body(trajectory, weekly_hours="38", version=1))
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert EmploymentContract.objects.get(trajectory=trajectory).weekly_hours == Decimal("38")

    assert_stale(api.put(address, contract_body(trajectory, version=1)))
    assert_field_error(
        api.put(address, contract_body(trajectory, weekly_hours="40", version=2)),
        "weekly_hours",
        "Het aantal uren per week is hoger dan een voltijdse week.",
    )
    assert_field_error(
        api.put(address, contract_body(trajectory, start=None, version=2)),
        "start",
        "Dit veld mag niet leeg zijn.",
    )


# --- Financing ----------------------------------------------------------------------------


def test_financing_per_month_from_the_rules_core(owner: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(200))
    register_contract(trajectory, owner)
    as_of = days_ago(1)
    rules = ruleset_on(trajectory.start).financing

    response = Api(owner).get(
        url("trajectory-dossier-financing", trajectory.pk), as_of=as_of.isoformat()
    )

    assert response.status_code == 200, response.content
    body = response.json()
    expected_ends = [d.isoformat() for d in month_ends(trajectory.start, as_of)]
    assert [m["month_end"] for m in body["months"]] == expected_ends
    assert [m["month"] for m in body["months"]] == list(range(1, len(expected_ends) + 1))
    assert {m["effort_status"] for m in body["months"]} == {"paid"}
    assert body["months"][0]["effort_fee"] == f"{rules.effort_fee:.2f}"
    assert body["months"][0]["part2_quarter"] is None
    assert Decimal(body["totals"]["effort_fee"]) == rules.effort_fee * len(expected_ends)
    assert Decimal(body["totals"]["total"]) == sum(
        Decimal(body["totals"][name])
        for name in ("effort_fee", "deel3", "compensation_part1", "compensation_part2")
    )
    assert body["as_of"] == as_of.isoformat()
    assert body["ruleset"] == ruleset_on(trajectory.start).name


def test_financing_without_a_contract_in_time_pays_no_effort_fee(owner: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(200))
    api = Api(owner)
    address = url("trajectory-dossier-financing", trajectory.pk)

    body = api.get(address).json()

    assert body["months"]
    assert {m["effort_status"] for m in body["months"]} == {"no_ao"}
    assert body["totals"]["effort_fee"] == "0.00"
    assert body["as_of"] == timezone.localdate().isoformat()
    assert_field_error(api.get(address, as_of="morgen"), "as_of", "Date heeft het verkeerde")


# --- Query counts: constant in the number of rows ------------------------------------------


def test_client_list_queries_are_constant(owner: User) -> None:
    targets = list(Occupation.objects.order_by("pk")[:2])

    def add(n: int) -> None:
        for _ in range(n):
            client_services.job_targets_set(make_client(owner), targets)

    api = Api(owner)
    add(3)
    few = count_queries(api, url("client-list"))
    add(12)
    assert count_queries(api, url("client-list")) == few


def test_intake_list_queries_are_constant(owner: User) -> None:
    client = make_client(owner)

    def add(n: int) -> None:
        for _ in range(n):
            client_services.intake_record(
                client,
                data={
                    "assessed_on": days_ago(5),
                    "strengths": "Punctueel",
                    "learning_potential": "good",
                    "max_regime": Decimal("1.00"),
                },
                barriers=[("language", "mild", ""), ("mobility", "moderate", "")],
                by=owner,
            )

    api = Api(owner)
    add(3)
    few = count_queries(api, url("client-intakes", client.pk))
    add(12)
    assert count_queries(api, url("client-intakes", client.pk)) == few


def test_suspension_list_queries_are_constant(owner: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    added = 0

    def add(n: int) -> None:
        nonlocal added
        for _ in range(n):
            start = add_days(trajectory.start, 10 * added + 1)
            trajectory_services.suspension_start(
                fresh(trajectory),
                start=start,
                end=add_days(start, 2),
                reason="Ziekte",
                expected_version=fresh(trajectory).version,
                by=owner,
            )
            added += 1

    api = Api(owner)
    address = url("trajectory-dossier-suspensions", trajectory.pk)
    add(3)
    few = count_queries(api, address)
    add(12)
    assert count_queries(api, address) == few
    assert api.get(address).json()["count"] == 15


def test_phase_list_queries_are_constant(owner: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    added = 0

    def add(n: int) -> None:
        nonlocal added
        for _ in range(n):
            current = fresh(trajectory)
            phase = "outflow" if current.phase == "experience" else "experience"
            trajectory_services.phase_change(
                current,
                phase=phase,
                on=add_days(trajectory.start, 10 * (added + 1)),
                decision="continue",
                decided_by="VDAB",
                expected_version=current.version,
                by=owner,
            )
            added += 1

    api = Api(owner)
    address = url("trajectory-dossier-phases", trajectory.pk)
    add(2)  # with the first phase: 3 rows
    few = count_queries(api, address)
    add(12)
    assert count_queries(api, address) == few
    assert api.get(address).json()["count"] == 15
