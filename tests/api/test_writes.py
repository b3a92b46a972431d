"""REST API v1 writes (issue 9): evaluations, POP versions, placements, employers, workplaces
and a client's intakes, through the same services as the app.

Each write: its effect in the database and its audit event; a refusal is 400 problem details
naming the field (Dutch by default, English on request); a stale version is 409; an object of
another OCMW is 404.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from doorstroom.accounts.models import User
from doorstroom.clients.models import Intake
from doorstroom.core.models import AuditEvent
from doorstroom.employers.models import Employer, Placement, PlacementFollowUp, Workplace
from doorstroom.evaluations.models import Evaluation, EvaluationStatus, Source
from doorstroom.plans.models import PlanVersion
from doorstroom.trajectories.models import Trajectory
from tests.api.test_dossiers import Api, assert_stale, url
from tests.dossiers import days_ago, fresh, make_client, make_trajectory
from tests.employers.builders import make_employer, make_workplace
from tests.evaluations.builders import CODES, make_pop, place_with_mentor, plan_evaluation

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def in_language(message: str, language: str) -> str:
    with translation.override(language):
        return str(translation.gettext(message))


def field_error(response: Any, field: str, message: str = "", language: str = "nl-be") -> Any:
    """Assert a 400 naming ``field``; with ``message`` (an English msgid), in ``language``."""
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert field in body["errors"], body
    if message:
        expected = in_language(message, language).split("%(")[0].replace("%%", "%")
        assert expected in str(body["errors"][field]), (expected, body)
    return body["errors"][field]


def audited(action: str, actor: User) -> AuditEvent:
    """The latest audit event of ``action`` by ``actor`` (the builders write some too)."""
    event = AuditEvent.objects.filter(action=action, actor=actor).order_by("-pk").first()
    assert event is not None, f"no audit event {action}"
    return event


# --- Evaluations (R-TRJ-6) ---------------------------------------------------------------


@pytest.fixture
def trajectory(owner: User) -> Trajectory:
    """A running trajectory with a POP (three competences) and a placement with a mentor."""
    trajectory = make_trajectory(owner, start=days_ago(200))
    make_pop(trajectory, owner)
    place_with_mentor(trajectory, owner)
    return fresh(trajectory)


def test_r_trj_6_plan_an_evaluation_through_the_service(
    owner: User, trajectory: Trajectory
) -> None:
    response = Api(owner).post(
        url("evaluation-list"),
        {
            "trajectory": trajectory.pk,
            "kind": "six_monthly",
            "planned_on": days_ago(0),
            "version": trajectory.version,
        },
    )
    assert response.status_code == 201, response.content
    evaluation = Evaluation.objects.get(pk=response.json()["id"])
    assert (evaluation.trajectory, evaluation.kind) == (trajectory, "six_monthly")
    assert evaluation.plan_version == trajectory.plan_versions.get()
    assert len(response.json()["competences"]) == 3
    assert audited("evaluations.evaluation.planned", owner).target_id == str(evaluation.pk)


def test_r_trj_6_plan_refusals_name_the_field(owner: User, trajectory: Trajectory) -> None:
    body = {"trajectory": trajectory.pk, "kind": "on_the_job", "planned_on": days_ago(0)}
    body["version"] = trajectory.version
    field_error(
        Api(owner).post(url("evaluation-list"), {**body, "planned_on": days_ago(300)}),
        "planned_on",
        "An evaluation cannot be before the trajectory starts (%(date)s).",
    )
    field_error(
        Api(owner, "en").post(url("evaluation-list"), body),
        "placement",
        "An on-the-job evaluation needs the placement it evaluates.",
        language="en",
    )
    field_error(Api(owner).post(url("evaluation-list"), {**body, "kind": "x"}), "kind")
    assert_stale(Api(owner).post(url("evaluation-list"), {**body, "version": 1, "kind": "final"}))
    assert not Evaluation.objects.exists()


def scores(level: int, *codes: str) -> list[dict[str, Any]]:
    return [{"competence": code, "level": level} for code in codes]


def test_r_trj_6_record_then_complete_an_evaluation(owner: User, trajectory: Trajectory) -> None:
    evaluation = plan_evaluation(trajectory, owner)
    api = Api(owner)
    recorded = api.post(
        url("evaluation-record", evaluation.pk),
        {
            "coach_scores": scores(3, *CODES[:2]),
            "self_scores": scores(2, *CODES),
            "version": evaluation.version,
        },
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["status"] == EvaluationStatus.PLANNED
    assert evaluation.scores.filter(source=Source.COACH).count() == 2
    assert evaluation.scores.filter(source=Source.SELF).count() == 3
    assert audited("evaluations.evaluation.scored", owner)

    version = recorded.json()["version"]
    done = {"held_on": days_ago(1), "conclusions": "Goede vooruitgang.", "version": version}
    # completing needs the coach's level for every competence of the POP
    field_error(
        api.post(url("evaluation-complete", evaluation.pk), done),
        "coach_scores",
        "Give your level (coach) for every competence of the POP.",
    )
    completed = api.post(
        url("evaluation-complete", evaluation.pk), {**done, "coach_scores": scores(3, *CODES)}
    )
    assert completed.status_code == 200, completed.content
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.held_on) == (EvaluationStatus.COMPLETED, days_ago(1))
    assert evaluation.completed_by == owner
    assert audited("evaluations.evaluation.completed", owner)
    assert_stale(api.post(url("evaluation-record", evaluation.pk), {"version": version}))


def test_a_score_names_only_competences_of_the_pop(owner: User, trajectory: Trajectory) -> None:
    evaluation = plan_evaluation(trajectory, owner)
    errors = field_error(
        Api(owner).post(
            url("evaluation-record", evaluation.pk),
            {"coach_scores": scores(3, "no-such-code"), "version": evaluation.version},
        ),
        "coach_scores",
        "This competence is not part of the POP version.",
    )
    assert "competence" in str(errors)
    field_error(
        Api(owner).post(
            url("evaluation-record", evaluation.pk),
            {"self_scores": scores(9, CODES[0]), "version": evaluation.version},
        ),
        "self_scores",
    )
    assert not evaluation.scores.exists()


# --- POP versions (R-TRJ-7) --------------------------------------------------------------


def pop_body(trajectory: Trajectory, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "trajectory": trajectory.pk,
        "drawn_up_on": days_ago(0),
        "goals": ["Zelfstandig een werkdag volhouden", "Heftruckattest halen"],
        "competences": [
            {"competence": CODES[0], "current_level": 2, "target_level": 3},
            {"competence": CODES[1], "target_level": 2, "note": "Met begeleiding"},
        ],
        "actions": [{"what": "Opleiding heftruck", "who": "VDAB", "due": days_ago(-30)}],
        "version": trajectory.version,
    }
    body.update(overrides)
    return body


def test_r_trj_7_a_new_pop_version_through_the_service(owner: User, trajectory: Trajectory) -> None:
    response = Api(owner).post(url("development-plan-list"), pop_body(trajectory))
    assert response.status_code == 201, response.content
    version = PlanVersion.objects.get(pk=response.json()["id"])
    assert (version.number, version.trajectory) == (2, trajectory)
    assert version.goal_list == ["Zelfstandig een werkdag volhouden", "Heftruckattest halen"]
    assert {c.competence.code: c.target_level for c in version.competences.all()} == {
        CODES[0]: 3,
        CODES[1]: 2,
    }
    assert version.actions.get().who == "VDAB"
    assert response.json()["goals"] == version.goal_list
    assert audited("plans.version.created", owner).target_id == str(version.pk)


def test_r_trj_7_pop_refusals_name_the_field(owner: User, trajectory: Trajectory) -> None:
    api = Api(owner)
    field_error(
        api.post(url("development-plan-list"), pop_body(trajectory, goals=["  "])),
        "goals",
        "Write at least one goal, one per line.",
    )
    lower = [{"competence": CODES[0], "current_level": 3, "target_level": 2}]
    field_error(
        api.post(url("development-plan-list"), pop_body(trajectory, competences=lower)),
        "competences",
        "The target level of %(competence)s is below its current level.",
    )
    field_error(
        Api(owner, "en").post(
            url("development-plan-list"), pop_body(trajectory, drawn_up_on=days_ago(-1))
        ),
        "drawn_up_on",
        "A POP version cannot be dated in the future.",
        language="en",
    )
    field_error(
        api.post(url("development-plan-list"), pop_body(trajectory, competences=[{}])),
        "competences",
    )
    assert_stale(api.post(url("development-plan-list"), pop_body(trajectory, version=1)))
    assert trajectory.plan_versions.count() == 1


# --- Placements (R-PLC-1, R-PLC-3, R-TRJ-8) ------------------------------------------------


@pytest.fixture
def free(owner: User) -> tuple[Trajectory, Workplace]:
    """A running trajectory without a placement and a workplace of an internal employer."""
    trajectory = make_trajectory(owner, start=days_ago(100))
    return trajectory, make_workplace(make_employer(owner, kind="internal"), owner)


def placement_body(trajectory: Trajectory, workplace: Workplace, **overrides: Any) -> Any:
    start = days_ago(10)
    body = {
        "trajectory": trajectory.pk,
        "workplace": workplace.pk,
        "kind": "work_experience",
        "start": start,
        "regime_steps": [
            {"start": start, "regime": "0.50"},
            {"start": days_ago(3), "regime": "0.80"},
        ],
    }
    body.update(overrides)
    return body


def test_start_a_placement_through_the_service(owner: User, free: Any) -> None:
    trajectory, workplace = free
    response = Api(owner).post(url("placement-list"), placement_body(trajectory, workplace))
    assert response.status_code == 201, response.content
    placement = Placement.objects.get(pk=response.json()["id"])
    assert (placement.trajectory, placement.workplace) == (trajectory, workplace)
    steps = [(s.start, str(s.regime)) for s in placement.regime_steps.order_by("start")]
    assert steps == [(days_ago(10), "0.50"), (days_ago(3), "0.80")]
    assert audited("employers.placement.started", owner).target_id == str(placement.pk)


def test_r_plc_3_and_r_plc_1_placement_refusals_name_the_field(owner: User, free: Any) -> None:
    trajectory, workplace = free
    api = Api(owner)
    low = [{"start": days_ago(10), "regime": "0.40"}]
    field_error(  # R-PLC-3: at least half-time
        api.post(url("placement-list"), placement_body(trajectory, workplace, regime_steps=low)),
        "regime_steps",
        "A placement is at least half-time (50 %%): %(regime)s %% from %(day)s is too "
        "little. Build up from half-time instead.",
    )
    no_agreement = make_workplace(make_employer(owner, agreement=False), owner)
    field_error(  # R-PLC-1: a signed cooperation agreement
        Api(owner, "en").post(url("placement-list"), placement_body(trajectory, no_agreement)),
        "workplace",
        "%(employer)s has no signed cooperation agreement",
        language="en",
    )
    field_error(
        api.post(url("placement-list"), placement_body(trajectory, workplace, regime_steps=[])),
        "regime_steps",
    )
    stale = placement_body(trajectory, workplace, version=fresh(trajectory).version + 5)
    assert_stale(api.post(url("placement-list"), stale))
    assert not Placement.objects.exists()


def test_r_trj_8_an_on_the_job_follow_up_and_the_end_of_a_placement(
    owner: User, trajectory: Trajectory
) -> None:
    placement = trajectory.placements.get()
    api = Api(owner)
    followup = {"on": days_ago(2), "mentor_present": True, "notes": "Werkt zelfstandig."}
    response = api.post(url("placement-followups", placement.pk), followup)
    assert response.status_code == 201, response.content
    assert PlacementFollowUp.objects.get(placement=placement).notes == "Werkt zelfstandig."
    assert audited("employers.placement.followed_up", owner).target_id == str(placement.pk)
    field_error(
        api.post(url("placement-followups", placement.pk), {**followup, "on": days_ago(-1)}),
        "on",
        "A follow-up cannot be in the future.",
    )

    placement.refresh_from_db()
    end = {"end": days_ago(0), "reason": "other", "version": placement.version}
    field_error(
        api.post(url("placement-end", placement.pk), end),
        "note",
        "Explain the reason in the notes.",
    )
    assert_stale(
        api.post(url("placement-end", placement.pk), {**end, "reason": "outflow", "version": 1})
    )
    ended = api.post(url("placement-end", placement.pk), {**end, "reason": "rotation"})
    assert ended.status_code == 200, ended.content
    assert ended.json()["end_reason"] == "rotation"
    placement.refresh_from_db()
    assert (placement.end, placement.end_reason) == (days_ago(0), "rotation")
    assert audited("employers.placement.ended", owner)


# --- Employers and workplaces (R-PLC-2, R-PLC-7) -----------------------------------------------


def employer_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Bakkerij Peeters",
        "enterprise_number": "0403.019.261",
        "kind": "nec",
        "sector": "retail",
        "postcode": "2440",
        "phone": "014 12 34 56",
        "contact": {"name": "Ann Peeters", "job_title": "Zaakvoerder", "email": "ann@b.test"},
    }
    body.update(overrides)
    return body


def test_register_and_change_an_employer(owner: User) -> None:
    make_client(owner)  # the reference data (municipalities)
    api = Api(owner)
    response = api.post(url("employer-list"), employer_body())
    assert response.status_code == 201, response.content
    employer = Employer.objects.get(pk=response.json()["id"])
    assert employer.organisation == owner.primary_organisation
    assert (employer.enterprise_number, employer.phone) == ("0403019261", "+3214123456")
    assert employer.contacts.get().name == "Ann Peeters"
    assert audited("employers.employer.created", owner).target_id == str(employer.pk)

    changed = api.patch(
        url("employer-detail", employer.pk), {"notes": "Enkel voormiddag", "version": 1}
    )
    assert changed.status_code == 200, changed.content
    employer.refresh_from_db()
    assert (employer.notes, employer.name, employer.version) == (
        "Enkel voormiddag",
        "Bakkerij Peeters",
        2,
    )
    assert audited("employers.employer.updated", owner)
    assert_stale(api.patch(url("employer-detail", employer.pk), {"notes": "x", "version": 1}))
    field_error(api.patch(url("employer-detail", employer.pk), {"notes": "x"}), "version")


def test_employer_refusals_name_the_field(owner: User, outsider: User) -> None:
    make_client(owner)
    api = Api(owner)
    field_error(
        api.post(url("employer-list"), employer_body(enterprise_number="0403.019.262")),
        "enterprise_number",
        "This is not a valid enterprise number (10 digits, e.g. 0403.019.261).",
    )
    field_error(
        Api(owner, "en").post(
            url("employer-list"), employer_body(contact={"name": "Ann", "phone": "12"})
        ),
        "contact",
        "This is not a valid phone number",
        language="en",
    )
    field_error(api.post(url("employer-list"), employer_body(contact={})), "contact")
    assert not Employer.objects.exists()
    theirs = make_employer(outsider)
    response = api.patch(url("employer-detail", theirs.pk), {"notes": "x", "version": 1})
    assert response.status_code == 404  # R-PRV-1


def test_add_and_change_a_workplace(owner: User) -> None:
    employer = make_employer(owner)
    api = Api(owner)
    body = {
        "employer": employer.pk,
        "title": "Verkoper",
        "dutch_level": "B1",
        "demands": ["lifting"],
        "min_regime": "0.50",
        "capacity": 2,
        "trained_competences": [{"competence": CODES[0], "level": 3}],
    }
    response = api.post(url("workplace-list"), body)
    assert response.status_code == 201, response.content
    workplace = Workplace.objects.get(pk=response.json()["id"])
    assert (workplace.employer, workplace.demands, workplace.last_reviewed) == (
        employer,
        ["lifting"],
        days_ago(0),
    )
    assert workplace.trained.get().level == 3
    assert audited("employers.workplace.created", owner).target_id == str(workplace.pk)

    changed = api.patch(url("workplace-detail", workplace.pk), {"capacity": 4, "version": 1})
    assert changed.status_code == 200, changed.content
    workplace.refresh_from_db()
    assert (workplace.capacity, workplace.title, workplace.trained.count()) == (4, "Verkoper", 1)
    assert audited("employers.workplace.updated", owner)
    assert_stale(api.patch(url("workplace-detail", workplace.pk), {"capacity": 3, "version": 1}))


def test_r_plc_3_workplace_refusals_name_the_field(owner: User) -> None:
    employer = make_employer(owner)
    workplace = make_workplace(employer, owner)
    api = Api(owner)
    field_error(
        api.post(
            url("workplace-list"), {"employer": employer.pk, "title": "X", "min_regime": "0.30"}
        ),
        "min_regime",
        "A placement is at least half-time: the lowest regime is at least half of full time.",
    )
    level = [{"competence": CODES[0], "level": 7}]
    field_error(
        Api(owner, "en").patch(
            url("workplace-detail", workplace.pk), {"trained_competences": level, "version": 1}
        ),
        "trained_competences",
        "A competence level lies between 1 and 4.",
        language="en",
    )
    workplace.refresh_from_db()
    assert (workplace.version, workplace.trained.count()) == (1, 0)


# --- Intakes (R-INT-1, R-INT-2) ------------------------------------------------------------


def test_r_int_1_record_and_r_int_2_decide_an_intake(owner: User) -> None:
    client = make_client(owner)
    api = Api(owner)
    body = {
        "assessed_on": days_ago(1),
        "strengths": "Handig, punctueel",
        "learning_potential": "good",
        "max_regime": "0.80",
        "barriers": [{"category": "mobility", "severity": "mild", "note": "Geen rijbewijs"}],
    }
    response = api.post(url("client-intakes", client.pk), body)
    assert response.status_code == 201, response.content
    intake = Intake.objects.get(pk=response.json()["id"])
    assert response.json()["suggested_eligible"] is True
    assert intake.barriers.get().category == "mobility"
    assert audited("clients.intake.recorded", owner).target_id == str(intake.pk)

    decide = reverse_decide(client.pk, intake.pk)
    decision = {"decision": "not_eligible", "motivation": "Eerst taal", "version": intake.version}
    field_error(
        api.post(decide, decision),
        "alternative_route",
        "Record the alternative route for a client who does not enter TWE.",
    )
    assert_stale(api.post(decide, {**decision, "decision": "eligible", "version": 9}))
    decided = api.post(decide, {**decision, "decision": "eligible"})
    assert decided.status_code == 200, decided.content
    intake.refresh_from_db()
    assert (intake.decision, intake.decided_by) == ("eligible", owner)
    assert audited("clients.intake.decided", owner)


def reverse_decide(client_pk: int, intake_pk: int) -> str:
    from django.urls import reverse

    return reverse("api:client-intake-decide", kwargs={"pk": client_pk, "intake_pk": intake_pk})


def test_intake_refusals_and_scope(owner: User, outsider: User) -> None:
    client = make_client(owner)
    body = {"assessed_on": days_ago(-1), "strengths": "x", "learning_potential": "good"}
    field_error(
        Api(owner).post(url("client-intakes", client.pk), {**body, "max_regime": "1.00"}),
        "assessed_on",
        "An intake cannot be assessed in the future.",
    )
    field_error(Api(owner, "en").post(url("client-intakes", client.pk), body), "max_regime")
    twice = [{"category": "social", "severity": "mild"}] * 2
    field_error(
        Api(owner).post(
            url("client-intakes", client.pk),
            {**body, "assessed_on": days_ago(1), "max_regime": "1.00", "barriers": twice},
        ),
        "barriers",
    )
    assert not Intake.objects.filter(client=client).exists()
    # another OCMW's intake, or an intake of another client, is not found
    theirs = make_trajectory(outsider, postcode="2400")
    assert Api(owner).post(reverse_decide(client.pk, theirs.intake_id), {}).status_code == 404
    mine = make_trajectory(owner)
    assert Api(owner).post(reverse_decide(client.pk, mine.intake_id), {}).status_code == 404
    assert Api(owner).post(reverse_decide(client.pk, 0) + "", {}).status_code == 404


def test_an_intake_before_any_rule_set_is_a_field_error_not_a_500(owner: User) -> None:
    # found by schemathesis: the suggested verdict needs the rule set in force on that day
    client = make_client(owner)
    body = {"strengths": "x", "learning_potential": "good", "max_regime": "1.00"}
    field_error(
        Api(owner, "en").post(
            url("client-intakes", client.pk), {**body, "assessed_on": "0625-09-23"}
        ),
        "assessed_on",
        "No rule set of the regulation is in force on this day.",
        language="en",
    )
