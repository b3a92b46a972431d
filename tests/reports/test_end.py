"""The end of a trajectory (R-END-1/2, R-TRJ-4, R-TRJ-10, R-ICF-1): report, close, follow-ups."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doorstroom.core.errors import DomainError
from doorstroom.core.models import AuditEvent
from doorstroom.evaluations.models import IcfCode
from doorstroom.reports import services
from doorstroom.reports.models import EndReport
from doorstroom.rules.deadlines import DeadlineCode
from doorstroom.trajectories.deadlines import deadlines_of
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.selectors import with_clock
from doorstroom.trajectories.services import contract_end, trajectory_stop
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.evaluations.builders import all_scores, make_pop, place_with_mentor, plan_evaluation

pytestmark = pytest.mark.django_db


def stop(trajectory: Trajectory, by: Any, on: datetime.date) -> Trajectory:
    trajectory = fresh(trajectory)
    contract = trajectory.contract
    if contract is not None and (contract.end is None or contract.end > on):
        contract_end(contract, end=on, reason="outflow", expected_version=contract.version, by=by)
    return trajectory_stop(
        fresh(trajectory),
        on=on,
        reason="outflow_to_work",
        motivation="Vaste job gevonden.",
        expected_version=fresh(trajectory).version,
        by=by,
    )


def complete(evaluation: Any, by: Any, level: int, day: datetime.date) -> None:
    from doorstroom.evaluations.services import evaluation_record

    evaluation_record(
        evaluation,
        coach_scores=all_scores(evaluation, level),
        self_scores={},
        held_on=day,
        conclusions="Besproken.",
        next_steps="",
        complete=True,
        expected_version=type(evaluation).objects.get(pk=evaluation.pk).version,
        by=by,
    )


@pytest.fixture
def ended(owner: Any) -> Trajectory:
    """A trajectory with a placement, two evaluations, ICF ratings and an outflow, stopped."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    make_pop(trajectory, owner, on=days_ago(290))
    placement = place_with_mentor(trajectory, owner)
    complete(
        plan_evaluation(trajectory, owner, placement=placement, on=days_ago(200)),
        owner,
        1,
        days_ago(200),
    )
    complete(
        plan_evaluation(trajectory, owner, placement=placement, on=days_ago(20)),
        owner,
        3,
        days_ago(20),
    )
    services.icf_rate(
        fresh(trajectory),
        code=IcfCode.objects.get(code="d430"),
        first=1,
        second=0,
        facilitator=False,
        source="coach",
        rated_on=days_ago(20),
        note="",
        may_rate_health=True,
        by=owner,
    )
    services.icf_rate(
        fresh(trajectory),
        code=IcfCode.objects.get(code="b130"),
        first=2,
        second=None,
        facilitator=False,
        source="medical",
        rated_on=days_ago(20),
        note="Vermoeid na 4 uur",
        may_rate_health=True,
        by=owner,
    )
    services.outflow_record(
        fresh(trajectory),
        data={
            "on": days_ago(10),
            "kind": "nec_job",
            "employer": None,
            "employer_name": "Bakkerij Peeters",
            "contract_type": "permanent",
            "regime": Decimal("0.80"),
            "details": "",
        },
        expected_version=fresh(trajectory).version,
        by=owner,
    )
    from doorstroom.employers.services import placement_end

    placement_end(
        placement,
        end=days_ago(10),
        reason="outflow",
        note="",
        expected_version=type(placement).objects.get(pk=placement.pk).version,
        by=owner,
    )
    return stop(trajectory, owner, days_ago(10))


def codes(trajectory: Trajectory) -> set[str]:
    loaded = with_clock(Trajectory.objects.filter(pk=trajectory.pk)).get()
    return {d.code.value for d in deadlines_of(loaded, timezone.localdate())}


def test_a_trajectory_cannot_be_closed_without_a_final_end_report(
    ended: Trajectory, owner: Any
) -> None:
    # R-END-1, R-TRJ-4
    with pytest.raises(DomainError, match=r"eindverslag|end report"):
        services.trajectory_close(fresh(ended), expected_version=fresh(ended).version, by=owner)
    report = services.end_report_draft(fresh(ended), by=owner)
    with pytest.raises(DomainError):
        services.trajectory_close(fresh(ended), expected_version=fresh(ended).version, by=owner)
    assert fresh(ended).closed_on is None
    assert DeadlineCode.END_REPORT_DUE.value in codes(ended)
    report = services.end_report_update(
        report,
        data={
            "summary": report.summary,
            "competences_reached": report.competences_reached,
            "motivation": "Zelfstandig aan de slag.",
            "recommendation": "Nazorg 6 maanden.",
        },
        expected_version=report.version,
        by=owner,
    )
    services.end_report_finalise(report, expected_version=report.version, by=owner)
    assert DeadlineCode.END_REPORT_DUE.value not in codes(ended)
    services.trajectory_close(fresh(ended), expected_version=fresh(ended).version, by=owner)
    assert fresh(ended).closed_on == timezone.localdate()


def test_a_running_trajectory_cannot_be_closed(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(30))
    with pytest.raises(DomainError, match=r"loopt nog|still runs"):
        services.trajectory_close(
            fresh(trajectory), expected_version=fresh(trajectory).version, by=owner
        )


def test_the_draft_is_prefilled_with_the_dossiers_facts(ended: Trajectory, owner: Any) -> None:
    report = services.end_report_draft(fresh(ended), by=owner)
    facts = report.facts
    assert facts["trajectory"]["kind"] == "art60"
    assert facts["trajectory"]["stopped_on"] == days_ago(10).isoformat()
    assert [p["workplace"] for p in facts["placements"]] == ["Medewerker groenonderhoud"]
    growth = {c["code"]: (c["first"]["coach"], c["last"]["coach"]) for c in facts["competences"]}
    assert growth["attend-to-detail"] == (1, 3)
    assert [r["notation"] for r in facts["icf"]] == ["d430.10"]  # b130 stays protected
    assert facts["outflow"]["employer"] == "Bakkerij Peeters"
    assert "Medewerker groenonderhoud" in report.summary  # the summary names the workplace
    assert "Nauwkeurig werken: 1 → 3" in report.competences_reached
    http = HttpClient()
    http.force_login(owner)
    page = http.get(reverse("reports:end-report", args=[report.pk])).content.decode()
    assert "Bakkerij Peeters" in page
    assert "d430.10" in page
    assert "Vermoeid na 4 uur" not in page


def test_a_final_report_is_locked_and_amended_with_a_new_version(
    ended: Trajectory, owner: Any
) -> None:
    report = services.end_report_draft(fresh(ended), by=owner)
    report.summary, report.motivation, report.recommendation = "S", "M", "R"
    report.save()
    services.end_report_finalise(report, expected_version=report.version, by=owner)
    final = EndReport.objects.get(pk=report.pk)
    with pytest.raises(DomainError, match=r"vergrendeld|locked"):
        services.end_report_update(
            final, data={"summary": "x"}, expected_version=final.version, by=owner
        )
    amended = services.end_report_draft(fresh(ended), by=owner)
    assert amended.number == 2
    assert (amended.summary, amended.motivation) == ("S", "M")


def test_finalising_needs_the_motivation_named_in_dutch(ended: Trajectory, owner: Any) -> None:
    report = services.end_report_draft(fresh(ended), by=owner)
    http = HttpClient()
    http.force_login(owner)
    response = http.post(
        reverse("reports:end-report", args=[report.pk]),
        {
            "version": report.version,
            "summary": "Samenvatting",
            "competences_reached": "",
            "motivation": "",
            "recommendation": "Nazorg",
            "finalise": "1",
        },
    )
    assert response.status_code == 200
    assert "motivering" in " ".join(response.context["form"].errors["motivation"]).lower()
    assert EndReport.objects.get(pk=report.pk).status == "draft"


def test_the_json_export_has_the_facts_and_the_texts(ended: Trajectory, owner: Any) -> None:
    report = services.end_report_draft(fresh(ended), by=owner)
    http = HttpClient()
    http.force_login(owner)
    response = http.get(reverse("reports:end-report-json", args=[report.pk]))
    payload = json.loads(response.content)
    assert payload["format"] == "doorstroom.end-report/1"
    assert payload["report"]["version"] == 1
    assert payload["outflow"]["kind"] == "nec_job"
    assert AuditEvent.objects.filter(action="documents.end_report_json.generated").exists()


def test_follow_ups_appear_on_the_caseload_and_disappear_when_recorded(owner: Any) -> None:
    # R-END-2: measured again 3, 6 and 12 months after the end.
    trajectory = make_trajectory(owner, start=days_ago(500), vdab_registration_date=days_ago(600))
    stop(trajectory, owner, days_ago(100))
    assert {"followup_3m", "followup_6m", "followup_12m"} <= codes(trajectory)
    http = HttpClient()
    http.force_login(owner)
    caseload = http.get(reverse("trajectories:caseload")).content.decode()
    assert trajectory.client.last_name in caseload  # overdue follow-up keeps it on the caseload
    services.followup_record(
        fresh(trajectory),
        months=3,
        measured_on=days_ago(5),
        at_work=True,
        same_employer=True,
        regime=Decimal("1"),
        notes="",
        by=owner,
    )
    assert "followup_3m" not in codes(trajectory)
    assert "followup_6m" in codes(trajectory)
    with pytest.raises(DomainError, match=r"al geregistreerd|already recorded"):
        services.followup_record(
            fresh(trajectory),
            months=3,
            measured_on=days_ago(4),
            at_work=False,
            same_employer=None,
            regime=None,
            notes="",
            by=owner,
        )


def test_aftercare_needs_an_outflow_to_work(ended: Trajectory, owner: Any) -> None:
    # R-TRJ-10
    contact = services.aftercare_plan(
        fresh(ended), kind="job_coaching", planned_on=days_ago(5), with_mentor=True, by=owner
    )
    services.aftercare_record(
        contact, held_on=days_ago(5), with_mentor=True, notes="Loopt goed.", by=owner
    )
    assert "aftercare_end" in codes(ended)
    other = make_trajectory(owner, start=days_ago(100))
    with pytest.raises(DomainError, match=r"uitstroom|outflow"):
        services.aftercare_plan(
            fresh(other), kind="job_coaching", planned_on=days_ago(1), with_mentor=False, by=owner
        )


def test_icf_ratings_follow_the_who_qualifiers_and_hide_health(
    ended: Trajectory, owner: Any, ocmw_a: Any
) -> None:
    # R-ICF-1 and R-PRV-3: b-codes only for who may open the protected section.
    with pytest.raises(DomainError, match=r"vermogen|capacity"):
        services.icf_rate(
            fresh(ended),
            code=IcfCode.objects.get(code="e310"),
            first=2,
            second=1,
            facilitator=False,
            source="coach",
            rated_on=days_ago(1),
            note="",
            may_rate_health=True,
            by=owner,
        )
    from tests.factories import member

    team_lead = member(ocmw_a, "team_lead", email="lead@geel.test")  # sees, is not the lead
    http = HttpClient()
    http.force_login(team_lead)
    page = http.get(reverse("reports:end", args=[ended.pk])).content.decode()
    assert "d430" in page
    assert "b130" not in page
    form = http.get(reverse("reports:icf-rate", args=[ended.pk])).context["form"]
    assert not form.fields["code"].queryset.filter(code__startswith="b").exists()
    lead = HttpClient()
    lead.force_login(owner)
    assert "b130" in lead.get(reverse("reports:end", args=[ended.pk])).content.decode()


def test_an_outsider_gets_404_on_every_end_page(
    ended: Trajectory, owner: Any, outsider: Any
) -> None:
    report = services.end_report_draft(fresh(ended), by=owner)
    contact = services.aftercare_plan(
        fresh(ended), kind="job_coaching", planned_on=days_ago(1), with_mentor=False, by=owner
    )
    http = HttpClient()
    http.force_login(outsider)
    for name, pk in (
        ("end", ended.pk),
        ("outflow", ended.pk),
        ("followup", ended.pk),
        ("aftercare-plan", ended.pk),
        ("icf-rate", ended.pk),
        ("end-report", report.pk),
        ("end-report-json", report.pk),
        ("end-report-pdf", report.pk),
        ("aftercare-record", contact.pk),
    ):
        assert http.get(reverse(f"reports:{name}", args=[pk])).status_code == 404, name
    for name in ("close", "end-report-open"):
        assert http.post(reverse(f"reports:{name}", args=[ended.pk])).status_code == 404, name
    assert fresh(ended).closed_on is None


def test_the_end_page_uses_a_constant_number_of_queries(ended: Trajectory, owner: Any) -> None:
    http = HttpClient()
    http.force_login(owner)
    url = reverse("reports:end", args=[ended.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert http.get(url).status_code == 200
        return len(queries)

    few = count()
    for day in (9, 8, 7, 6):
        services.aftercare_plan(
            fresh(ended),
            kind="language_coaching",
            planned_on=days_ago(day),
            with_mentor=False,
            by=owner,
        )
        services.icf_rate(
            fresh(ended),
            code=IcfCode.objects.get(code="d240"),
            first=2,
            second=2,
            facilitator=False,
            source="coach",
            rated_on=days_ago(day),
            note="",
            may_rate_health=True,
            by=owner,
        )
    assert count() == few


def test_the_end_report_pdf_has_the_facts_in_dutch(ended: Trajectory, owner: Any) -> None:
    import io

    from pypdf import PdfReader

    report = services.end_report_draft(fresh(ended), by=owner)
    http = HttpClient()
    http.force_login(owner)
    response = http.get(reverse("reports:end-report-pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Eindverslag" in text
    assert "Bakkerij Peeters" in text
    assert "d430.10" in text  # the ICF table
    assert "Nauwkeurig werken" in text  # competence growth
    assert "b130" not in text  # health stays in the protected section
    assert AuditEvent.objects.filter(action="documents.end_report.generated").exists()


def test_an_administrator_adds_an_icf_code(client: Any, functional_admin: Any) -> None:
    # R-ICF-2: the reference set is editable and codes can be added.
    client.force_login(functional_admin)
    response = client.post(
        reverse("admin:evaluations_icfcode_add"),
        {
            "code": "d415",
            "title_nl": "Een lichaamshouding handhaven",
            "title_en": "",
            "description": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert IcfCode.objects.get(code="d415").title_nl == "Een lichaamshouding handhaven"
    assert IcfCode.objects.filter(code="d430").exists()  # the curated set is there


def test_an_evaluation_adds_a_rating_to_the_icf_profile(owner: Any) -> None:
    from doorstroom.evaluations.models import IcfRating

    trajectory = make_trajectory(owner, start=days_ago(100))
    make_pop(trajectory, owner)
    evaluation = plan_evaluation(trajectory, owner, on=days_ago(3))
    complete(evaluation, owner, 2, days_ago(3))
    http = HttpClient()
    http.force_login(owner)
    url = reverse("reports:icf-rate", args=[trajectory.pk]) + f"?evaluation={evaluation.pk}"
    code = IcfCode.objects.get(code="d240")
    response = http.post(
        url,
        {
            "code": code.pk,
            "first": "2",
            "second": "1",
            "source": "coach",
            "rated_on": days_ago(3).isoformat(),
            "note": "",
        },
    )
    assert response.status_code == 302
    rating = IcfRating.objects.get()
    assert rating.evaluation == evaluation
    assert rating.notation == "d240.21"


def test_aftercare_contacts_up_to_six_months_end_the_aftercare_deadline(
    ended: Trajectory, owner: Any
) -> None:
    # R-TRJ-10: after a stop at the outflow there is no aftercare phase to close; contacts
    # held up to six months after the outflow end the deadline, so it never turns overdue.
    from doorstroom.reports.models import AftercareContact

    assert "aftercare_end" in codes(ended)
    contact = services.aftercare_plan(
        fresh(ended), kind="job_coaching", planned_on=days_ago(9), with_mentor=True, by=owner
    )
    services.aftercare_record(
        contact, held_on=days_ago(9), with_mentor=True, notes="Goed.", by=owner
    )
    assert "aftercare_end" in codes(ended)
    with pytest.raises(DomainError):
        services.aftercare_record(
            AftercareContact.objects.get(pk=contact.pk),
            held_on=days_ago(8),
            with_mentor=False,
            notes="x",
            by=owner,
        )
    loaded = with_clock(Trajectory.objects.filter(pk=ended.pk)).get()
    six_months_later = days_ago(10) + datetime.timedelta(days=200)
    found = {d.code.value for d in deadlines_of(loaded, six_months_later)}
    assert "aftercare_end" in found  # the last contact was early on
    AftercareContact.objects.filter(pk=contact.pk).update(
        held_on=days_ago(10) + datetime.timedelta(days=190)
    )
    loaded = with_clock(Trajectory.objects.filter(pk=ended.pk)).get()
    assert "aftercare_end" not in {d.code.value for d in deadlines_of(loaded, six_months_later)}


def test_a_garbled_version_on_the_close_button_is_refused_not_a_server_error(
    ended: Trajectory, owner: Any
) -> None:
    http = HttpClient()
    http.force_login(owner)
    response = http.post(reverse("reports:close", args=[ended.pk]), {"version": "abc"}, follow=True)
    assert response.status_code == 200
    assert "Iemand anders" in response.content.decode()  # the stale-edit message
    assert fresh(ended).closed_on is None
