"""REST API v1, the end of a trajectory (issue 9): ``trajectories/{id}/outflow``,
``/outflow-followups`` and ``/end-reports``, through the same services as the app (R-END-1,
R-END-2).

The owner records and reads; a coach of another OCMW gets 404 on every route; refusals are
problem details naming the field; the outflow's trajectory version is checked (409); reading an
end report is audited; every list costs the same number of queries however many rows it shows.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doorstroom.accounts.models import User
from doorstroom.core.models import AuditEvent
from doorstroom.reports import services as report_services
from doorstroom.reports.models import EndReport, Outflow, OutflowFollowUp
from doorstroom.trajectories import services as trajectory_services
from doorstroom.trajectories.models import Trajectory
from tests.api.test_dossiers import Api, assert_stale, url
from tests.api.test_writes import audited, field_error
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.employers.builders import make_employer

pytestmark = pytest.mark.django_db


def stopped(owner: User, *, on: int = 100) -> Trajectory:
    """A trajectory stopped ``on`` days ago: its follow-ups can be measured."""
    trajectory = make_trajectory(owner, start=days_ago(on + 200))
    trajectory_services.trajectory_stop(
        trajectory,
        on=days_ago(on),
        reason="drop_out",
        motivation="Verhuisd",
        expected_version=fresh(trajectory).version,
        by=owner,
    )
    return fresh(trajectory)


def end_report_url(trajectory: Trajectory, report: EndReport) -> str:
    return reverse(
        "api:trajectory-end-end-report", kwargs={"pk": trajectory.pk, "end_report_pk": report.pk}
    )


def finalised_reports(trajectory: Trajectory, by: User, count: int) -> list[EndReport]:
    """``count`` end report versions: each amends the final one before it (R-END-1)."""
    reports = []
    for n in range(count):
        draft = report_services.end_report_draft(fresh(trajectory), by=by)
        texts = {"summary": "Traject", "motivation": f"Reden {n}", "recommendation": "Werk"}
        draft = report_services.end_report_update(
            draft, data=texts, expected_version=draft.version, by=by
        )
        reports.append(
            report_services.end_report_finalise(draft, expected_version=draft.version, by=by)
        )
    return reports


def count_queries(api: Api, address: str, page_size: int) -> tuple[int, int]:
    api.get(address, page_size=page_size)  # the token's last use is written once
    with CaptureQueriesContext(connection) as captured:
        response = api.get(address, page_size=page_size)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), len(response.json()["results"])


# --- Outflow (R-END-2) -----------------------------------------------------------------------


def test_r_end_2_record_and_correct_the_outflow(owner: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(200))
    employer = make_employer(owner)
    api = Api(owner)
    address = url("trajectory-end-outflow", trajectory.pk)
    assert api.get(address).status_code == 404  # none yet
    body = {
        "on": days_ago(1),
        "kind": "nec_job",
        "employer": employer.pk,
        "contract_type": "permanent",
        "regime": "0.80",
        "version": trajectory.version,
    }
    recorded = api.put(address, body)
    assert recorded.status_code == 201, recorded.content
    outflow = Outflow.objects.get(trajectory=trajectory)
    assert (outflow.kind, outflow.employer, str(outflow.regime)) == ("nec_job", employer, "0.80")
    assert audited("reports.outflow.recorded", owner).target_id == str(trajectory.pk)
    assert api.get(address).json()["employer"] == employer.pk

    assert_stale(api.put(address, {**body, "kind": "training"}))  # the version was used
    corrected = api.put(address, {**body, "kind": "training", "version": fresh(trajectory).version})
    assert corrected.status_code == 200, corrected.content
    outflow.refresh_from_db()
    assert outflow.kind == "training"
    assert audited("reports.outflow.corrected", owner)


def test_r_end_2_outflow_refusals_name_the_field(owner: User, outsider: User) -> None:
    trajectory = make_trajectory(owner, start=days_ago(200))
    address = url("trajectory-end-outflow", trajectory.pk)
    body = {"on": days_ago(1), "kind": "nec_job", "version": trajectory.version}
    field_error(
        Api(owner).put(address, {**body, "contract_type": "permanent"}),
        "employer_name",
        "Name the employer of the new job.",
    )
    field_error(
        Api(owner, "en").put(address, {**body, "on": days_ago(300)}),
        "on",
        "Outflow cannot be before the trajectory starts.",
        language="en",
    )
    theirs = make_employer(outsider)  # an employer the owner may not see is not found
    field_error(Api(owner).put(address, {**body, "employer": theirs.pk}), "employer")
    field_error(Api(owner).put(address, {**body, "kind": "moon"}), "kind")
    assert not Outflow.objects.exists()
    assert Api(outsider).put(address, body).status_code == 404  # R-PRV-1
    assert Api(outsider).get(address).status_code == 404


# --- Follow-ups after the end (R-END-2) ------------------------------------------------------


def test_r_end_2_record_and_list_the_follow_ups(owner: User, outsider: User) -> None:
    trajectory = stopped(owner)
    api = Api(owner)
    address = url("trajectory-end-outflow-followups", trajectory.pk)
    body = {"months": 3, "measured_on": days_ago(5), "at_work": True, "regime": "0.50"}
    response = api.post(address, {**body, "same_employer": True})
    assert response.status_code == 201, response.content
    followup = OutflowFollowUp.objects.get(trajectory=trajectory)
    assert (followup.months, followup.at_work, followup.same_employer) == (3, True, True)
    assert audited("reports.followup.recorded", owner).target_id == str(trajectory.pk)
    listed = api.get(address).json()["results"]
    assert [row["id"] for row in listed] == [followup.pk]

    field_error(
        api.post(address, body),
        "months",
        "The follow-up after %(months)s months is already recorded.",
    )
    field_error(
        Api(owner, "en").post(address, {**body, "months": 6, "measured_on": days_ago(200)}),
        "measured_on",
        "A follow-up is measured after the trajectory's last day (%(date)s).",
        language="en",
    )
    field_error(api.post(address, {**body, "months": 4}), "months", "Choose 3, 6 or 12 months.")
    field_error(api.post(address, {"months": 6}), "at_work")
    assert OutflowFollowUp.objects.count() == 1
    assert Api(outsider).get(address).status_code == 404  # R-PRV-1
    assert Api(outsider).post(address, {**body, "months": 6}).status_code == 404


def test_the_follow_up_list_reads_a_constant_number_of_queries(owner: User) -> None:
    trajectory = stopped(owner, on=30)
    address = url("trajectory-end-outflow-followups", trajectory.pk)
    for months in (3, 6, 12):
        report_services.followup_record(
            trajectory,
            months=months,
            measured_on=days_ago(10),
            at_work=months > 3,
            same_employer=None,
            regime=None,
            notes="",
            by=owner,
        )
    api = Api(owner)
    assert count_queries(api, address, 1)[0] == count_queries(api, address, 3)[0]
    assert count_queries(api, address, 3)[1] == 3


# --- End reports (R-END-1) --------------------------------------------------------------------


def test_r_end_1_end_reports_with_their_facts_audited(owner: User, outsider: User) -> None:
    trajectory = stopped(owner)
    first, second = finalised_reports(trajectory, owner, 2)
    api = Api(owner)
    listed = api.get(url("trajectory-end-end-reports", trajectory.pk)).json()["results"]
    assert [(row["id"], row["number"], row["status"]) for row in listed] == [
        (second.pk, 2, "final"),
        (first.pk, 1, "final"),
    ]
    assert "facts" not in listed[0]
    before = AuditEvent.objects.filter(action="reports.end_report.viewed").count()
    detail = api.get(end_report_url(trajectory, second))
    assert detail.status_code == 200, detail.content
    body = detail.json()
    assert body["motivation"] == "Reden 1"
    assert body["facts"] == second.facts
    assert body["facts"]["trajectory"]["start"] == trajectory.start.isoformat()
    assert AuditEvent.objects.filter(action="reports.end_report.viewed").count() == before + 1
    assert audited("reports.end_report.viewed", owner).target_id == str(second.pk)
    # a report is only found under its own trajectory; the outsider finds none
    other = make_trajectory(owner)
    assert api.get(end_report_url(other, second)).status_code == 404
    assert api.get(url("trajectory-end-end-reports", trajectory.pk) + "abc/").status_code == 404
    assert Api(outsider).get(end_report_url(trajectory, second)).status_code == 404
    assert Api(outsider).get(url("trajectory-end-end-reports", trajectory.pk)).status_code == 404


def test_the_end_report_list_reads_a_constant_number_of_queries(owner: User) -> None:
    trajectory = stopped(owner)
    finalised_reports(trajectory, owner, 4)
    api = Api(owner)
    address = url("trajectory-end-end-reports", trajectory.pk)
    few, many = count_queries(api, address, 2), count_queries(api, address, 4)
    assert few[0] == many[0]
    assert (few[1], many[1]) == (2, 4)
