"""REST API v1, work and development (issue 9): employers, workplaces, placements, a client's
matches, evaluations, development plans (POP versions) and instrument uses.

The owner (coach of OCMW A) sees their data; the outsider (coach of OCMW B) gets 404 on every
detail and never sees OCMW A's rows in a list; registering an instrument use goes through the
app's service and its refusal comes back as problem details naming the field; every list reads
a constant number of queries, however many rows it shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from doorstroom.accounts.models import User
from doorstroom.accounts.services import api_token_create
from doorstroom.clients.models import Client
from doorstroom.core.models import AuditEvent
from doorstroom.employers import services as employer_services
from doorstroom.employers.explain import COMPONENT_LABELS
from doorstroom.employers.models import Employer, Placement, Workplace
from doorstroom.evaluations import services as evaluation_services
from doorstroom.evaluations.models import Evaluation
from doorstroom.instruments.models import InstrumentUse
from doorstroom.plans.models import Competence, PlanVersion
from doorstroom.rules.matching import ComponentCode
from doorstroom.rules.periods import add_days
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.employers.builders import make_employer, make_workplace, mentor, place, sign_tripartite
from tests.evaluations.builders import CODES, make_pop, place_with_mentor, plan_evaluation
from tests.instruments.builders import register, use_data

# --- Helpers -------------------------------------------------------------------------------


def api(user: User, language: str = "nl") -> HttpClient:
    _token, key = api_token_create(user, name="tests", by=user)
    return HttpClient(headers={"Authorization": f"Token {key}", "Accept-Language": language})


def url(name: str, *args: Any) -> str:
    return reverse(f"api:{name}", args=args)


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.content[:800]
    return response.json()


def ids(payload: dict[str, Any]) -> set[int]:
    return {row["id"] for row in payload["results"]}


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:800]
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def scores_for(version: PlanVersion | None, level: int) -> dict[int, tuple[int, str]]:
    assert version is not None
    return {c.competence_id: (level, "") for c in version.competences.all()}


def record_scores(evaluation: Evaluation, by: User, *, coach: int, own: int) -> Evaluation:
    evaluation = Evaluation.objects.select_related("plan_version").get(pk=evaluation.pk)
    return evaluation_services.evaluation_record(
        evaluation,
        coach_scores=scores_for(evaluation.plan_version, coach),
        self_scores=scores_for(evaluation.plan_version, own),
        held_on=None,
        conclusions="",
        next_steps="",
        complete=False,
        expected_version=evaluation.version,
        by=by,
    )


@dataclass
class Dossier:
    """OCMW A's objects: one of every kind the work resources serve."""

    trajectory: Trajectory
    client: Client
    employer: Employer
    workplace: Workplace
    free_workplace: Workplace
    placement: Placement
    evaluation: Evaluation
    plan: PlanVersion
    use: InstrumentUse
    extra: dict[str, Any] = field(default_factory=dict)

    def details(self) -> dict[str, str]:
        """Every detail URL of this dossier's objects, by route basename."""
        return {
            "employer": url("employer-detail", self.employer.pk),
            "workplace": url("workplace-detail", self.workplace.pk),
            "placement": url("placement-detail", self.placement.pk),
            "evaluation": url("evaluation-detail", self.evaluation.pk),
            "development-plan": url("development-plan-detail", self.plan.pk),
            "instrument-use": url("instrument-use-detail", self.use.pk),
        }

    def lists(self) -> dict[str, tuple[str, int]]:
        """Every list URL with the id of this dossier's object it shows."""
        return {
            "employer": (url("employer-list"), self.employer.pk),
            "workplace": (url("workplace-list"), self.workplace.pk),
            "placement": (url("placement-list"), self.placement.pk),
            "evaluation": (url("evaluation-list"), self.evaluation.pk),
            "development-plan": (url("development-plan-list"), self.plan.pk),
            "instrument-use": (url("instrument-use-list"), self.use.pk),
        }


@pytest.fixture
def dossier(owner: User) -> Dossier:
    trajectory = make_trajectory(owner, start=days_ago(200))
    plan = make_pop(trajectory, owner)
    placement = place_with_mentor(trajectory, owner)
    employer_services.followup_add(
        placement, on=days_ago(10), notes="Werkt zelfstandig.", mentor_present=True, by=owner
    )
    evaluation = record_scores(
        plan_evaluation(trajectory, owner, placement=placement), owner, coach=3, own=2
    )
    use = register(fresh(trajectory), owner)
    workplace = Workplace.objects.get(pk=placement.workplace_id)
    trained = {Competence.objects.get(code=CODES[0]): 3}
    free = make_workplace(
        workplace.employer, owner, trained, title="Magazijnmedewerker", demands=["lifting"]
    )
    return Dossier(
        trajectory=fresh(trajectory),
        client=trajectory.client,
        employer=workplace.employer,
        workplace=workplace,
        free_workplace=free,
        placement=placement,
        evaluation=evaluation,
        plan=plan,
        use=use,
    )


# --- R-PRV-1: owner sees, outsider gets 404 and never a row of OCMW A -----------------------


def test_the_owner_sees_every_detail_and_list(owner: User, dossier: Dossier) -> None:
    http = api(owner)
    for name, address in dossier.details().items():
        assert ok(http.get(address))["id"], name
    for name, (address, pk) in dossier.lists().items():
        assert pk in ids(ok(http.get(address, {"page_size": 200}))), name


def test_r_prv_1_an_outsider_gets_404_on_every_detail_of_ocmw_a(
    outsider: User, dossier: Dossier
) -> None:
    http = api(outsider)
    for name, address in dossier.details().items():
        body = problem(http.get(address), 404)
        assert set(body) == {"type", "title", "status"}, name  # nothing about the object
    body = problem(http.get(url("client-matches-list", dossier.client.pk)), 404)
    assert "detail" not in body


def test_r_prv_1_lists_never_show_an_outsider_rows_of_ocmw_a(
    outsider: User, dossier: Dossier
) -> None:
    # the outsider has data of their own, so an empty list proves nothing by accident
    theirs = make_trajectory(outsider, start=days_ago(100), postcode="2400")
    their_employer = make_employer(outsider, kind="internal")
    their_workplace = make_workplace(their_employer, outsider)
    register(theirs, outsider)
    http = api(outsider)
    for name, (address, pk) in dossier.lists().items():
        payload = ok(http.get(address, {"page_size": 200}))
        assert pk not in ids(payload), name
    employers = ids(ok(http.get(url("employer-list"))))
    assert employers == {their_employer.pk}
    assert ids(ok(http.get(url("workplace-list")))) == {their_workplace.pk}
    # filtering on OCMW A's ids shows nothing either
    for name, params in [
        ("workplace-list", {"employer": dossier.employer.pk}),
        ("placement-list", {"trajectory": dossier.trajectory.pk}),
        ("evaluation-list", {"trajectory": dossier.trajectory.pk}),
        ("development-plan-list", {"trajectory": dossier.trajectory.pk}),
        ("instrument-use-list", {"trajectory": dossier.trajectory.pk}),
    ]:
        assert ok(http.get(url(name), params))["results"] == [], name
    # their own client's matches rank only their own workplaces
    matches = ok(http.get(url("client-matches-list", theirs.client_id)))["results"]
    assert {m["workplace"]["id"] for m in matches} <= {their_workplace.pk}


# --- Employers ---------------------------------------------------------------------------


def test_an_employer_with_its_contacts_agreements_and_deadlines(
    owner: User, dossier: Dossier
) -> None:
    mentor(dossier.employer, owner, name="Els Claes")
    body = ok(api(owner).get(url("employer-detail", dossier.employer.pk)))
    assert body["kind"] == "internal"
    assert [(c["role"], c["name"]) for c in body["contacts"]] == [
        ("contact", "Ann Peeters"),
        ("mentor", "Els Claes"),
        ("mentor", "Marc Wouters"),
    ]
    assert body["agreement_status"] == "in_force"
    [agreement] = body["agreements"]
    assert agreement["kind"] == "cooperation"
    assert agreement["in_force"] is True
    assert agreement["commitment_clause"] is True
    assert agreement["trajectory"] is None
    assert body["workplace_count"] == 2
    assert {d["code"] for d in body["deadlines"]} == {"profile_review_due"}
    assert all(d["rule"] == "R-PLC-7" for d in body["deadlines"])
    assert body["version"] == Employer.objects.get(pk=dossier.employer.pk).version


def test_a_tripartite_agreement_names_the_trajectory_only_to_who_may_see_it(
    owner: User, teammate: User
) -> None:
    # the client lives in Mol: the owner leads the trajectory, the teammate may not see it
    trajectory = make_trajectory(owner, start=days_ago(60), postcode="2400")
    assert not Trajectory.objects.visible_to(teammate).filter(pk=trajectory.pk).exists()
    employer = make_employer(owner)
    sign_tripartite(employer, trajectory, owner)
    address = url("employer-detail", employer.pk)
    tripartite = [a for a in ok(api(owner).get(address))["agreements"] if a["kind"] == "tripartite"]
    assert [a["trajectory"] for a in tripartite] == [trajectory.pk]
    tripartite = [
        a for a in ok(api(teammate).get(address))["agreements"] if a["kind"] == "tripartite"
    ]
    assert [a["trajectory"] for a in tripartite] == [None]


def test_employers_are_filtered_on_q_and_kind(owner: User) -> None:
    bakery = make_employer(owner, name="Bakkerij Vermeulen", kind="nec")
    shop = make_employer(owner, name="Kringwinkel Geel", kind="leerwerkbedrijf")
    http = api(owner)
    assert ids(ok(http.get(url("employer-list"), {"q": "VERMEULEN"}))) == {bakery.pk}
    assert ids(ok(http.get(url("employer-list"), {"kind": "leerwerkbedrijf"}))) == {shop.pk}
    assert ids(ok(http.get(url("employer-list"), {"kind": ""}))) == {bakery.pk, shop.pk}


# --- Workplaces --------------------------------------------------------------------------


def test_a_workplace_with_its_trained_competences_and_demands(
    owner: User, dossier: Dossier
) -> None:
    body = ok(api(owner).get(url("workplace-detail", dossier.free_workplace.pk)))
    assert body["employer"] == {"id": dossier.employer.pk, "name": dossier.employer.name}
    assert body["trained_competences"] == [
        {
            "competence": {
                "code": CODES[0],
                "name_nl": Competence.objects.get(code=CODES[0]).name_nl,
                "name_en": Competence.objects.get(code=CODES[0]).name_en,
            },
            "level": 3,
        }
    ]
    assert body["demands"] == [
        {"code": "lifting", "icf": "d430", "label": "Tillen en dragen (ICF d430)"}
    ]
    assert body["municipality"]["name_nl"] == "Geel"
    assert body["running_placements"] == 0
    assert body["review"]["code"] == "profile_review_due"
    assert body["min_regime"] == "0.50"
    busy = ok(api(owner).get(url("workplace-detail", dossier.workplace.pk)))
    assert busy["running_placements"] == 1


def test_workplaces_are_filtered_on_employer(owner: User, dossier: Dossier) -> None:
    other = make_workplace(make_employer(owner), owner)
    http = api(owner)
    found = ids(ok(http.get(url("workplace-list"), {"employer": dossier.employer.pk})))
    assert found == {dossier.workplace.pk, dossier.free_workplace.pk}
    assert other.pk not in found


# --- Placements --------------------------------------------------------------------------


def test_a_placement_with_its_regime_steps_and_follow_ups(owner: User, dossier: Dossier) -> None:
    body = ok(api(owner).get(url("placement-detail", dossier.placement.pk)))
    assert body["trajectory"] == dossier.trajectory.pk
    assert body["client"] == dossier.client.pk
    assert body["workplace"]["id"] == dossier.workplace.pk
    assert body["mentor"]["name"] == "Marc Wouters"
    assert body["regime_steps"] == [
        {"start": dossier.trajectory.start.isoformat(), "regime": "0.50"}
    ]
    [followup] = body["followups"]
    assert followup["notes"] == "Werkt zelfstandig."
    assert followup["by"] == owner.pk


def test_placements_are_filtered_on_trajectory(owner: User, dossier: Dossier) -> None:
    other = make_trajectory(owner, start=days_ago(50))
    place(other, dossier.free_workplace, owner)
    http = api(owner)
    found = ids(ok(http.get(url("placement-list"), {"trajectory": dossier.trajectory.pk})))
    assert found == {dossier.placement.pk}


# --- Matches (R-PLC-5) -------------------------------------------------------------------


def test_a_clients_matches_are_ranked_with_every_component_explained(
    owner: User, dossier: Dossier
) -> None:
    payload = ok(api(owner).get(url("client-matches-list", dossier.client.pk)))
    matches = payload["results"]
    # the workplace the client works at now is not proposed again
    assert [m["workplace"]["id"] for m in matches] == [dossier.free_workplace.pk]
    [match] = matches
    assert match["rank"] == 1
    assert match["workplace"]["employer"]["id"] == dossier.employer.pk
    assert Decimal("0") <= Decimal(match["score"]) <= Decimal("1")
    with translation.override("nl-be"):
        labels = {code.value: str(label) for code, label in COMPONENT_LABELS.items()}
    assert [c["code"] for c in match["components"]] == [c.value for c in ComponentCode]
    for component in match["components"]:
        assert component["label"] == labels[component["code"]]
        assert component["explanation"]
    competences = next(c for c in match["components"] if c["code"] == "competences")
    assert competences["score"] is not None  # the POP wants what this workplace trains
    event = AuditEvent.objects.get(action="employers.matching.client")
    assert event.actor == owner
    assert event.target_id == str(dossier.client.pk)


def test_matches_answer_in_english_on_request(owner: User, dossier: Dossier) -> None:
    payload = ok(api(owner, "en").get(url("client-matches-list", dossier.client.pk)))
    labels = [c["label"] for c in payload["results"][0]["components"]]
    assert labels[0] == "Job target"


def test_matches_of_an_unknown_client_are_404(owner: User) -> None:
    problem(api(owner).get(url("client-matches-list", 999_999)), 404)
    problem(api(owner).get(url("client-matches-list", "abc")), 404)


# --- Evaluations -------------------------------------------------------------------------


def test_an_evaluation_with_its_scores_per_source(owner: User, dossier: Dossier) -> None:
    body = ok(api(owner).get(url("evaluation-detail", dossier.evaluation.pk)))
    assert body["status"] == "planned"
    assert body["placement"] == dossier.placement.pk
    assert body["plan_version"] == dossier.plan.pk
    assert {row["competence"]["code"] for row in body["competences"]} == set(CODES)
    for row in body["competences"]:
        assert (row["current_level"], row["target_level"]) == (1, 3)
        assert row["scores"] == [
            {"source": "coach", "level": 3, "comment": ""},
            {"source": "self", "level": 2, "comment": ""},
        ]


def test_evaluations_are_filtered_on_trajectory_and_status(owner: User, dossier: Dossier) -> None:
    other = make_trajectory(owner, start=days_ago(50))
    plan_evaluation(other, owner)
    http = api(owner)
    mine: dict[str, Any] = {"trajectory": dossier.trajectory.pk}
    assert ids(ok(http.get(url("evaluation-list"), mine))) == {dossier.evaluation.pk}
    assert ids(ok(http.get(url("evaluation-list"), {**mine, "status": "completed"}))) == set()
    assert ids(ok(http.get(url("evaluation-list"), {**mine, "status": "planned"}))) == {
        dossier.evaluation.pk
    }


# --- Development plans (POP versions) ----------------------------------------------------


def test_a_development_plan_with_its_competences_and_actions_is_audited(
    owner: User, dossier: Dossier
) -> None:
    body = ok(api(owner).get(url("development-plan-detail", dossier.plan.pk)))
    assert body["trajectory"] == dossier.trajectory.pk
    assert body["number"] == 1
    assert body["goals"] == ["Zelfstandig een werkdag volhouden", "Op tijd komen"]
    assert {c["competence"]["code"] for c in body["competences"]} == set(CODES)
    assert all((c["current_level"], c["target_level"]) == (1, 3) for c in body["competences"])
    [action] = body["actions"]
    assert (action["what"], action["who"], action["status"]) == (
        "Sollicitatietraining volgen",
        "Coach",
        "planned",
    )
    event = AuditEvent.objects.get(action="plans.plan.viewed")
    assert event.actor == owner
    assert event.purpose == "POP"


def test_development_plans_are_filtered_on_trajectory_newest_first(
    owner: User, dossier: Dossier
) -> None:
    second = make_pop(dossier.trajectory, owner, on=days_ago(5))
    make_pop(make_trajectory(owner, start=days_ago(50)), owner)
    payload = ok(
        api(owner).get(url("development-plan-list"), {"trajectory": dossier.trajectory.pk})
    )
    assert [row["id"] for row in payload["results"]] == [second.pk, dossier.plan.pk]
    assert "goals" not in payload["results"][0]  # the POP's content: in the (audited) detail


# --- Instrument uses (R-INS-1, R-INS-2) --------------------------------------------------


def use_body(trajectory: Trajectory, **overrides: Any) -> dict[str, Any]:
    data = use_data(**overrides)
    data["trajectory"] = trajectory.pk
    return {
        name: (value.isoformat() if isinstance(value, datetime.date) else value)
        for name, value in data.items()
        if value is not None
    } | {"regime": str(data["regime"])}


def post_use(http: HttpClient, body: dict[str, Any]) -> Any:
    return http.post(url("instrument-use-list"), data=body, content_type="application/json")


def test_an_instrument_use_is_registered_through_the_service(owner: User, dossier: Dossier) -> None:
    response = post_use(api(owner), use_body(dossier.trajectory, provider="VDAB Mol"))
    assert response.status_code == 201, response.content
    body = response.json()
    use = InstrumentUse.objects.get(pk=body["id"])
    assert (use.trajectory_id, use.kind, use.provider) == (dossier.trajectory.pk, "ibo", "VDAB Mol")
    assert use.created_by == owner
    assert body["kind_label"] == "IBO (individuele beroepsopleiding)"
    assert body["regime"] == "0.50"
    assert body["result"] == "planned"
    event = AuditEvent.objects.get(action="instruments.use.registered", target_id=str(use.pk))
    assert event.actor == owner
    listed = ok(api(owner).get(url("instrument-use-list"), {"kind": "ibo"}))
    assert use.pk in ids(listed)
    assert ids(ok(api(owner).get(url("instrument-use-list"), {"kind": "job_coaching"}))) == set()


def test_r_ins_2_a_refusal_names_the_limit_and_the_field_in_dutch(
    owner: User, dossier: Dossier
) -> None:
    response = post_use(api(owner), use_body(dossier.trajectory, regime=Decimal("0.40")))
    body = problem(response, 400)
    message = (
        "IBO (individuele beroepsopleiding) is minstens 50 % van voltijds (R-INS-2): "
        "hier is dat 40 %."
    )
    assert body["detail"] == message
    assert body["errors"] == {"regime": [message]}
    assert InstrumentUse.objects.filter(trajectory=dossier.trajectory).count() == 1


def test_r_ins_2_a_too_long_use_is_refused_on_the_last_day_in_english_on_request(
    owner: User, dossier: Dossier
) -> None:
    start = days_ago(100)
    too_long = use_body(dossier.trajectory, start=start, end=add_days(start, 27 * 7 - 1))
    body = problem(post_use(api(owner, "en"), too_long), 400)
    assert list(body["errors"]) == ["end"]
    assert "lasts at most 26 weeks (R-INS-2)" in body["errors"]["end"][0]


def test_r_trj_11_a_second_technical_training_is_refused_on_the_kind(
    owner: User, dossier: Dossier
) -> None:
    training = {"kind": "technical_training", "regime": Decimal("1.00")}
    register(dossier.trajectory, owner, start=days_ago(120), **training)
    second = use_body(fresh(dossier.trajectory), start=days_ago(40), **training)
    body = problem(post_use(api(owner), second), 400)
    assert list(body["errors"]) == ["kind"]
    assert "(R-TRJ-11)" in body["errors"]["kind"][0]


def test_a_use_at_the_end_of_the_calendar_is_refused_on_the_field(
    owner: User, dossier: Dossier
) -> None:
    # the rules core counts durations from these days: it must not run past 31/12/9999
    late = use_body(dossier.trajectory) | {"start": "9999-12-01", "end": "9999-12-31"}
    body = problem(post_use(api(owner), late), 400)
    assert set(body["errors"]) == {"start", "end"}
    huge = {**use_body(dossier.trajectory), "trajectory": 10**30}
    assert list(problem(post_use(api(owner), huge), 400)["errors"]) == ["trajectory"]


def test_a_use_on_a_trajectory_out_of_scope_is_refused_like_an_unknown_one(
    outsider: User, dossier: Dossier
) -> None:
    http = api(outsider)
    theirs = problem(post_use(http, use_body(dossier.trajectory)), 400)
    unknown = problem(post_use(http, {**use_body(dossier.trajectory), "trajectory": 999_999}), 400)
    assert list(theirs["errors"]) == ["trajectory"]
    # the same words as for an id that does not exist: existence does not leak
    assert theirs["errors"]["trajectory"][0].replace(str(dossier.trajectory.pk), "N") == (
        unknown["errors"]["trajectory"][0].replace("999999", "N")
    )
    assert InstrumentUse.objects.filter(trajectory=dossier.trajectory).count() == 1


def test_an_invalid_body_or_filter_is_400_naming_the_field(owner: User, dossier: Dossier) -> None:
    http = api(owner)
    body = problem(post_use(http, {"trajectory": dossier.trajectory.pk}), 400)
    assert {"kind", "provider", "start", "end"} <= set(body["errors"])
    for name, params in [
        ("workplace-list", {"employer": "abc"}),
        ("placement-list", {"trajectory": "-1"}),
        ("evaluation-list", {"status": "bogus"}),
        ("employer-list", {"kind": "bogus"}),
        ("development-plan-list", {"trajectory": "x"}),
        ("instrument-use-list", {"trajectory": "1.5"}),
        ("placement-list", {"trajectory": str(2**63)}),  # no 64-bit id: 400, not a crash
    ]:
        body = problem(http.get(url(name), params), 400)
        assert list(body["errors"]) == list(params), name


# --- Query counts: constant in the number of rows ----------------------------------------


@dataclass
class Grower:
    """Adds ``n`` rows to one list and says which URL (and filters) shows exactly them."""

    name: str
    setup: Callable[[User], dict[str, Any]]
    grow: Callable[[User, dict[str, Any], int], None]
    address: Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]


def _employers(owner: User, state: dict[str, Any], n: int) -> None:
    for _ in range(n):
        employer = make_employer(owner)
        mentor(employer, owner)
        make_workplace(employer, owner)


def _workplaces(owner: User, state: dict[str, Any], n: int) -> None:
    trained = {c: 2 for c in Competence.objects.filter(code__in=CODES)}
    for _ in range(n):
        make_workplace(state["employer"], owner, trained, demands=["lifting", "outdoor"])


def _trajectory(owner: User) -> dict[str, Any]:
    return {"trajectory": make_trajectory(owner, start=days_ago(400))}


def _trajectory_with_pop(owner: User) -> dict[str, Any]:
    trajectory = make_trajectory(owner, start=days_ago(400))
    make_pop(trajectory, owner)
    employer = make_employer(owner, kind="internal")
    return {
        "trajectory": trajectory,
        "workplace": make_workplace(employer, owner, capacity=20),
        "count": 0,
    }


def _placements(owner: User, state: dict[str, Any], n: int) -> None:
    for _ in range(n):
        start = add_days(state["trajectory"].start, 20 * state["count"])
        state["count"] += 1
        placement = place(
            fresh(state["trajectory"]),
            state["workplace"],
            owner,
            start=start,
            planned_end=add_days(start, 14),
        )
        employer_services.followup_add(
            placement, on=start, notes="Loopt goed.", mentor_present=False, by=owner
        )


def _evaluations(owner: User, state: dict[str, Any], n: int) -> None:
    for _ in range(n):
        record_scores(plan_evaluation(state["trajectory"], owner), owner, coach=2, own=3)


def _plans(owner: User, state: dict[str, Any], n: int) -> None:
    for _ in range(n):
        make_pop(state["trajectory"], owner)


def _uses(owner: User, state: dict[str, Any], n: int) -> None:
    for _ in range(n):
        register(fresh(state["trajectory"]), owner, kind="job_coaching", regime=Decimal("1.00"))


def _matches(owner: User, state: dict[str, Any], n: int) -> None:
    trained = {c: 2 for c in Competence.objects.filter(code__in=CODES)}
    for _ in range(n):
        make_workplace(state["employer"], owner, trained)


def _by_trajectory(name: str) -> Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]:
    return lambda state: (url(name), {"trajectory": state["trajectory"].pk})


GROWERS = [
    Grower("employers", lambda owner: {}, _employers, lambda state: (url("employer-list"), {})),
    Grower(
        "workplaces",
        lambda owner: {"employer": make_employer(owner)},
        _workplaces,
        lambda state: (url("workplace-list"), {"employer": state["employer"].pk}),
    ),
    Grower("placements", _trajectory_with_pop, _placements, _by_trajectory("placement-list")),
    Grower("evaluations", _trajectory_with_pop, _evaluations, _by_trajectory("evaluation-list")),
    Grower("development-plans", _trajectory, _plans, _by_trajectory("development-plan-list")),
    Grower("instrument-uses", _trajectory, _uses, _by_trajectory("instrument-use-list")),
    Grower(
        "matches",
        lambda owner: {
            "client": make_trajectory(owner, start=days_ago(100)).client,
            "employer": make_employer(owner),
        },
        _matches,
        lambda state: (url("client-matches-list", state["client"].pk), {}),
    ),
]


def measure(http: HttpClient, address: str, params: dict[str, Any]) -> tuple[int, int]:
    """(queries, rows) of one page of the list."""
    with CaptureQueriesContext(connection) as queries:
        payload = ok(http.get(address, {**params, "page_size": 50}))
    return len(queries), len(payload["results"])


@pytest.mark.parametrize("grower", GROWERS, ids=lambda g: g.name)
def test_a_list_reads_a_constant_number_of_queries(grower: Grower, owner: User) -> None:
    http = api(owner)
    state = grower.setup(owner)
    address, params = grower.address(state)
    grower.grow(owner, state, 3)
    ok(http.get(address, params))  # warm up: the token's first use is recorded once
    few = measure(http, address, params)
    grower.grow(owner, state, 12)
    many = measure(http, address, params)
    assert (few[1], many[1]) == (3, 15)
    assert few[0] == many[0], f"{grower.name}: {few[0]} queries for 3 rows, {many[0]} for 15"
