"""Dashboards (SPEC §4, R-FIN-4): figures worked out by hand, drill-downs, scope, query counts.

The month-end rows are written by hand (they are precomputed data: R-FIN-4), so every figure
below can be counted in the fixture: team A has three trajectories (An: t1 and t2, Griet: t3),
OCMW B one (Bram: t4), each with rows at the two month ends of the period.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doorstroom.accounts.roles import Role
from doorstroom.clients.models import Client
from doorstroom.core.models import AuditEvent
from doorstroom.employers.models import Placement
from doorstroom.instruments.models import InstrumentUse
from doorstroom.reports import dashboards
from doorstroom.reports.models import MonthEndSnapshot, Outflow, OutflowFollowUp
from doorstroom.rules.periods import add_days, month_end
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import make_trajectory
from tests.employers.builders import make_employer, make_workplace, place
from tests.factories import member, municipality

pytestmark = pytest.mark.django_db

DASHBOARD = "monitoring:dashboard"
DOSSIERS = "monitoring:dashboard-dossiers"


def period() -> tuple[datetime.date, datetime.date]:
    """The last two whole months: the month ends M1 and M2."""
    m2 = dashboards.default_period(timezone.localdate())[1]
    m1 = month_end(add_days(m2.replace(day=1), -1))
    return m1, m2


def snap(trajectory: Trajectory, day: datetime.date, **fields: Any) -> MonthEndSnapshot:
    values: dict[str, Any] = {
        "month_end": day,
        "trajectory": trajectory,
        "organisation_id": trajectory.organisation_id,
        "coach_id": trajectory.coach_id,
        "kind": trajectory.kind,
        "phase": "experience",
        "status": "running",
        "month": 3,
        "guided": True,
        "ao_running": True,
        "suspended": False,
        "ao_in_time": None,
        "evaluation_overdue": False,
        "pop_overdue": False,
        "taken_at": timezone.now(),
    }
    values.update(fields)
    return MonthEndSnapshot.objects.create(**values)


def log_in(http: HttpClient, user: Any) -> None:
    """Log in with English as the interface language (the default is Dutch)."""
    type(user).objects.filter(pk=user.pk).update(language="en")
    user.refresh_from_db()
    http.force_login(user)


def trajectory_of(coach: Any, start: datetime.date) -> Trajectory:
    return make_trajectory(coach, start=start, vdab_registration_date=add_days(start, -30))


@dataclass
class Team:
    lead: Any
    t1: Trajectory
    t2: Trajectory
    t3: Trajectory
    t4: Trajectory
    m1: datetime.date
    m2: datetime.date
    employer: Any


@pytest.fixture
def team(ocmw_a: Any, owner: Any, teammate: Any, outsider: Any) -> Team:
    m1, m2 = period()
    out1, out3 = add_days(m2, -5), add_days(m1, -3)
    t1 = trajectory_of(owner, add_days(out1, -400))  # time to outflow: 400 days
    t2 = trajectory_of(owner, add_days(m1, -60))
    t3 = trajectory_of(teammate, add_days(out3, -100))  # 100 days
    t4 = trajectory_of(outsider, add_days(m1, -200))
    Trajectory.objects.filter(pk=t2.pk).update(kind="wz")
    t2.refresh_from_db()
    # M1: the three of team A in guidance; t3 flows out during M1 and is stopped.
    snap(t1, m1, phase="orientation", evaluation_overdue=True, ao_in_time=True)
    snap(t2, m1, ao_in_time=None)
    snap(t3, m1, status="stopped", guided=False, phase="outflow")
    # M2: t1 and t2 guided; t1's evaluation late (R-TRJ-6), t2's POP late (R-TRJ-7).
    snap(t1, m2, evaluation_overdue=True, ao_in_time=True)
    snap(t2, m2, pop_overdue=True, suspended=True, status="suspended")
    # The other OCMW: in every month, with every flag, so a leak would show.
    for day in (m1, m2):
        snap(t4, day, evaluation_overdue=True, pop_overdue=True, ao_in_time=False)

    employer = make_employer(owner, name="Kringwinkel Geel", kind="internal")
    workplace = make_workplace(employer, owner, title="Winkelbediende")
    other_workplace = make_workplace(employer, owner, title="Magazijnier")
    place(t1, workplace, owner, start=add_days(m1, -40))
    rotated = place(t3, workplace, owner, start=add_days(m1, -50))
    Placement.objects.filter(pk=rotated.pk).update(end=add_days(m1, -10), end_reason="rotation")
    place(t3, other_workplace, owner, start=add_days(m1, -9))
    outside_employer = make_employer(outsider, name="Kringwinkel Mol", kind="internal")
    place(t4, make_workplace(outside_employer, outsider, title="Kassier"), outsider)

    Outflow.objects.create(
        trajectory=t1, on=out1, kind="nec_job", employer=employer, recorded_by=owner
    )
    Outflow.objects.create(trajectory=t3, on=out3, kind="training", recorded_by=teammate)
    Outflow.objects.create(
        trajectory=t4, on=out1, kind="nec_job", employer=outside_employer, recorded_by=outsider
    )
    for trajectory, at_work in ((t1, True), (t3, False), (t4, True)):
        OutflowFollowUp.objects.create(
            trajectory=trajectory,
            months=3,
            measured_on=out1,
            at_work=at_work,
            recorded_by=owner,
        )
    for trajectory, result in ((t1, "completed"), (t2, "completed"), (t3, "stopped_early")):
        use(trajectory, "ibo", result, start=add_days(m1, -20))
    use(t4, "ibo", "completed", start=add_days(m1, -20))
    use(t1, "ibo", "completed", start=add_days(m1, -400))  # before the period: not counted
    lead = member(ocmw_a, Role.TEAM_LEAD, email="lead@geel.test", first_name="Carine")
    return Team(lead, t1, t2, t3, t4, m1, m2, employer)


def use(trajectory: Trajectory, kind: str, result: str, *, start: datetime.date) -> None:
    InstrumentUse.objects.create(
        trajectory=trajectory,
        kind=kind,
        provider="VDAB",
        start=start,
        end=add_days(start, 30),
        regime=Decimal("0.50"),
        result=result,
    )


def params(team: Team, **extra: Any) -> dict[str, Any]:
    return {"start": f"{team.m1:%Y-%m}", "end": f"{team.m2:%Y-%m}", **extra}


def figures(http: HttpClient, team: Team, **extra: Any) -> dict[str, Any]:
    """The charts' data on the dashboard page, by slug (what dashboards.js draws)."""
    response = http.get(reverse(DASHBOARD), params(team, **extra))
    assert response.status_code == 200
    html = response.content.decode()
    found = re.findall(
        r'<script id="chart-data-([a-z_]+)" type="application/json">(.*?)</script>', html, re.S
    )
    return {slug: json.loads(data) for slug, data in found}


def values(chart: dict[str, Any]) -> dict[str, list[float]]:
    return {d["label"]: d["data"] for d in chart["datasets"]}


def listed(http: HttpClient, url: str) -> set[int]:
    response = http.get(url)
    assert response.status_code == 200, response.content[:500]
    return {int(pk) for pk in re.findall(r'data-trajectory="(\d+)"', response.content.decode())}


def url_of(chart: dict[str, Any], label: str, index: int) -> str:
    dataset = next(d for d in chart["datasets"] if d["label"] == label)
    return str(dataset["urls"][index])


# --- figures worked out by hand ------------------------------------------------------------


def test_it_counts_the_team_leads_trajectories_from_the_month_end_rows(
    client: HttpClient, team: Team
) -> None:
    # R-FIN-4: the figures over time come from the month-end snapshot.
    log_in(client, team.lead)
    charts = figures(client, team)
    # Caseload at M2 (the last month end): An leads t1 and t2, Griet's t3 has flowed out.
    assert charts["caseload"]["labels"] == ["An Peeters"]
    assert values(charts["caseload"]) == {"Trajectories in guidance": [2]}
    assert values(charts["kind"]) == {"TWE/art60 (OCMW)": [2, 1], "TWE-wz (VDAB referral)": [1, 1]}
    assert values(charts["status"]) == {
        "Running": [2, 1],
        "Suspended": [0, 1],
        "Stopped": [1, 0],
    }
    assert values(charts["phase"])["Job orientation on the workfloor"] == [1, 0]
    assert values(charts["phase"])["Work experience"] == [1, 2]


def test_it_works_out_the_deadline_shares_per_month(client: HttpClient, team: Team) -> None:
    # R-TRJ-6 evaluation, R-TRJ-7 POP, R-TRJ-2 AO: shares of the guided trajectories.
    log_in(client, team.lead)
    chart = figures(client, team)["compliance"]
    assert values(chart) == {
        "Evaluation on time": [50.0, 50.0],  # t2 of t1, t2 (M1); t2 of t1, t2 (M2)
        "POP update on time": [100.0, 50.0],
        "AO started in time": [100.0, 100.0],  # only t1 has an AO: in time
    }
    assert listed(client, url_of(chart, "Evaluation on time", 1)) == {team.t1.pk}
    assert listed(client, url_of(chart, "POP update on time", 1)) == {team.t2.pk}
    assert listed(client, url_of(chart, "AO started in time", 1)) == set()


def test_it_counts_outflow_at_the_end_and_at_the_follow_ups(client: HttpClient, team: Team) -> None:
    # R-END-2: outflow kind at the end; at work 3 months later.
    log_in(client, team.lead)
    charts = figures(client, team)
    assert charts["outflow"]["labels"] == [
        "A job in the regular economy (NEC)",
        "Training",
    ]
    assert values(charts["outflow"]) == {"Outflows": [1, 1]}
    assert values(charts["at_work"]) == {"At work": [1, 1, 0, 0], "Not at work": [1, 1, 0, 0]}
    assert listed(client, url_of(charts["at_work"], "At work", 0)) == {team.t1.pk}
    assert listed(client, url_of(charts["at_work"], "Not at work", 1)) == {team.t3.pk}


def test_it_buckets_the_time_to_outflow_and_gives_the_median(
    client: HttpClient, team: Team
) -> None:
    log_in(client, team.lead)
    response = client.get(reverse(DASHBOARD), params(team))
    chart = figures(client, team)["time"]
    # t3: 100 days (under 6 months), t1: 400 days (12 to 18 months); median (100+400)/2.
    assert values(chart) == {"Outflows": [1, 0, 1, 0, 0]}
    assert "(250 days)" in response.content.decode()
    assert listed(client, chart["datasets"][0]["urls"][2]) == {team.t1.pk}


def test_it_counts_trajectories_per_instrument_and_result(client: HttpClient, team: Team) -> None:
    # R-INS-1: uses overlapping the period; the use before it does not count.
    log_in(client, team.lead)
    chart = figures(client, team)["instrument"]
    assert len(chart["labels"]) == 1
    assert values(chart) == {"Completed": [2], "Stopped early": [1]}
    assert listed(client, url_of(chart, "Completed", 0)) == {team.t1.pk, team.t2.pk}


def test_it_counts_placements_rotations_and_outflow_per_employer(
    client: HttpClient, team: Team
) -> None:
    # R-PLC-4 rotation, R-END-2 outflow to the employer.
    log_in(client, team.lead)
    chart = figures(client, team)["employer"]
    assert chart["labels"] == ["Kringwinkel Geel (2)"]  # two workplaces used
    assert values(chart) == {
        "Placed": [2],
        "Rotated (placement ended for rotation)": [1],
        "Outflow to this employer": [1],
    }
    assert listed(client, url_of(chart, "Placed", 0)) == {team.t1.pk, team.t3.pk}
    assert listed(client, url_of(chart, "Rotated (placement ended for rotation)", 0)) == {
        team.t3.pk
    }


def test_the_filters_narrow_every_figure(client: HttpClient, team: Team, teammate: Any) -> None:
    log_in(client, team.lead)
    charts = figures(client, team, kind="wz")
    assert values(charts["kind"]) == {"TWE-wz (VDAB referral)": [1, 1]}
    charts = figures(client, team, coach=teammate.pk)
    assert values(charts["status"]) == {"Stopped": [1, 0]}
    assert values(charts["outflow"]) == {"Outflows": [1]}
    # A period of M2 alone: t3's outflow (in M1) drops out.
    charts = figures(client, team, start=f"{team.m2:%Y-%m}")
    assert values(charts["outflow"]) == {"Outflows": [1]}
    assert len(charts["kind"]["labels"]) == 1


# --- drill-down ----------------------------------------------------------------------------


def test_every_bar_lists_exactly_the_dossiers_behind_it(client: HttpClient, team: Team) -> None:
    log_in(client, team.lead)
    charts = figures(client, team)
    for slug in ("caseload", "kind", "phase", "status", "outflow", "at_work", "time"):
        for dataset in charts[slug]["datasets"]:
            for count, url in zip(dataset["data"], dataset["urls"], strict=True):
                shown = listed(client, url)
                assert len(shown) == count, (slug, dataset["label"], url)
                assert team.t4.pk not in shown
    kind = charts["kind"]
    assert listed(client, url_of(kind, "TWE/art60 (OCMW)", 0)) == {team.t1.pk, team.t3.pk}
    caseload = charts["caseload"]
    assert listed(client, url_of(caseload, "Trajectories in guidance", 0)) == {
        team.t1.pk,
        team.t2.pk,
    }


def test_the_table_under_a_chart_links_to_the_same_lists(client: HttpClient, team: Team) -> None:
    log_in(client, team.lead)
    html = client.get(reverse(DASHBOARD), params(team)).content.decode()
    table = html.split('data-testid="table-kind"')[1].split("</table>")[0]
    links = re.findall(r'<a href="([^"]+)">(\d+)</a>', table)
    assert [int(n) for _url, n in links] == [2, 1, 1, 1]
    url = links[0][0].replace("&amp;", "&")
    assert listed(client, url) == {team.t1.pk, team.t3.pk}


def test_the_drill_down_names_the_figure_and_is_audited(client: HttpClient, team: Team) -> None:
    log_in(client, team.lead)
    query = params(team, metric="kind", key="art60", month=f"{team.m1:%Y-%m}")
    response = client.get(reverse(DOSSIERS), query)
    text = response.content.decode()
    assert "TWE/art60 (OCMW)" in text
    assert "2 dossiers" in text
    assert team.t1.client.last_name in text
    event = AuditEvent.objects.get(action="reports.dashboard.dossiers_listed")
    assert event.actor == team.lead
    assert event.changes["count"] == 2


def test_the_drill_down_is_paginated(client: HttpClient, team: Team, settings: Any) -> None:
    settings.DOORSTROOM_PAGE_SIZE = 1
    log_in(client, team.lead)
    url = (
        reverse(DOSSIERS)
        + "?"
        + urlencode(params(team, metric="kind", key="art60", month=f"{team.m1:%Y-%m}"))
    )
    first, second = listed(client, url), listed(client, url + "&page=2")
    assert len(first) == len(second) == 1
    assert first | second == {team.t1.pk, team.t3.pk}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"metric": "nonsense", "key": "x"}, "Select a valid choice"),
        ({"metric": "kind", "key": "art99", "month": "M1"}, "does not exist on the dashboard"),
        ({"metric": "kind", "key": "art60"}, "Choose a month within the period"),
        ({"metric": "kind", "key": "art60", "month": "2026-13"}, "Enter a month as YYYY-MM"),
        ({"metric": "employer", "key": "abc", "sub": "placed"}, "does not exist"),
        ({"metric": "time", "key": "9"}, "does not exist"),
    ],
)
def test_a_bad_drill_down_is_explained_not_a_500(
    client: HttpClient, team: Team, extra: dict[str, str], message: str
) -> None:
    log_in(client, team.lead)
    if extra.get("month") == "M1":
        extra = {**extra, "month": f"{team.m1:%Y-%m}"}
    response = client.get(reverse(DOSSIERS), params(team, **extra))
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"start": "2026-02", "end": "2025-12"}, "The last month comes before the first one"),
        ({"start": "januari"}, "Enter a month as YYYY-MM"),
        ({"start": "2010-01", "end": "2026-01"}, "at most 60 months"),
        ({"kind": "art99"}, "Select a valid choice"),
    ],
)
def test_bad_filters_are_explained_on_the_field(
    client: HttpClient, team: Team, extra: dict[str, str], message: str
) -> None:
    log_in(client, team.lead)
    response = client.get(reverse(DASHBOARD), extra)
    assert response.status_code == 400
    assert message in response.content.decode()


# --- scope ---------------------------------------------------------------------------------


def test_a_coach_sees_only_the_trajectories_they_lead(
    client: HttpClient, team: Team, teammate: Any
) -> None:
    # t1 and t2's clients live in OCMW Geel's service area: Griet may open their dossiers
    # (R-PRV-1), but her dashboard counts only the trajectories she leads.
    Client.objects.filter(pk__in=[team.t1.client_id, team.t2.client_id]).update(
        municipality=municipality("Geel")
    )
    assert Trajectory.objects.visible_to(teammate).filter(pk=team.t1.pk).exists()
    log_in(client, teammate)
    charts = figures(client, team)
    assert values(charts["status"]) == {"Stopped": [1, 0]}
    assert values(charts["outflow"]) == {"Outflows": [1]}
    assert "caseload" not in charts  # t3 is not in guidance at M2
    assert 'name="coach"' not in client.get(reverse(DASHBOARD)).content.decode()


def test_a_coach_of_another_ocmw_sees_none_of_ocmw_a(
    client: HttpClient, team: Team, outsider: Any, ocmw_a: Any
) -> None:
    log_in(client, outsider)
    charts = figures(client, team)
    assert values(charts["caseload"]) == {"Trajectories in guidance": [1]}
    assert values(charts["kind"]) == {"TWE/art60 (OCMW)": [1, 1]}
    assert values(charts["outflow"]) == {"Outflows": [1]}
    assert values(charts["employer"])["Placed"] == [1]
    assert charts["employer"]["labels"] == ["Kringwinkel Mol (1)"]
    for chart in charts.values():
        for dataset in chart["datasets"]:
            for url in dataset["urls"]:
                assert listed(client, url) <= {team.t4.pk}
    # Drill-downs aimed at OCMW A's figures list nothing of it.
    for extra in (
        {"metric": "caseload", "key": team.t1.coach_id, "month": f"{team.m2:%Y-%m}"},
        {"metric": "employer", "key": team.employer.pk, "sub": "placed"},
        {"metric": "outflow", "key": "training"},
    ):
        response = client.get(reverse(DOSSIERS), params(team, **extra))
        assert response.status_code == 200
        text = response.content.decode()
        assert "data-trajectory=" not in text
        assert "Kringwinkel Geel" not in text
        assert "An Peeters" not in text
    # A filter on an organisation that is not theirs: 404.
    assert client.get(reverse(DASHBOARD), {"organisation": ocmw_a.pk}).status_code == 404
    response = client.get(
        reverse(DOSSIERS), params(team, organisation=ocmw_a.pk, metric="outflow", key="nec_job")
    )
    assert response.status_code == 404


def test_a_team_lead_of_another_ocmw_sees_none_of_ocmw_a(
    client: HttpClient, team: Team, ocmw_b: Any
) -> None:
    lead_b = member(ocmw_b, Role.TEAM_LEAD, email="lead@mol.test")
    log_in(client, lead_b)
    charts = figures(client, team)
    assert values(charts["kind"]) == {"TWE/art60 (OCMW)": [1, 1]}
    assert values(charts["at_work"])["At work"] == [1, 1, 0, 0]
    html = client.get(reverse(DASHBOARD), params(team)).content.decode()
    assert "An Peeters" not in html
    assert "Kringwinkel Geel" not in html


def test_a_user_of_two_organisations_may_filter_on_each(
    client: HttpClient, team: Team, ocmw_b: Any
) -> None:
    from doorstroom.accounts.models import Membership

    Membership.objects.create(user=team.lead, organisation=ocmw_b, role=Role.COACH)
    log_in(client, team.lead)
    html = client.get(reverse(DASHBOARD)).content.decode()
    assert 'name="organisation"' in html
    charts = figures(client, team, organisation=ocmw_b.pk)
    assert "kind" not in charts  # the lead leads nothing in OCMW B


def test_the_dashboard_needs_a_privacy_training(client: HttpClient, team: Team) -> None:
    type(team.lead).objects.filter(pk=team.lead.pk).update(privacy_training_date=None)
    log_in(client, team.lead)
    assert client.get(reverse(DASHBOARD)).status_code == 403


def test_the_navigation_leads_to_the_dashboard(client: HttpClient, team: Team) -> None:
    log_in(client, team.lead)
    html = client.get(reverse("core:home"), follow=True).content.decode()
    assert f'href="{reverse(DASHBOARD)}"' in html


def test_a_team_lead_finds_the_statement_and_the_monitoring_file_from_the_dashboard(
    client: HttpClient, team: Team, owner: Any
) -> None:
    # R-FIN-4: only who may open them sees the links (team lead yes, coach no).
    log_in(client, team.lead)
    html = client.get(reverse(DASHBOARD)).content.decode()
    assert f'href="{reverse("monitoring:financing-statement")}"' in html
    assert f'href="{reverse("monitoring:monitoring-export")}"' in html
    log_in(client, owner)
    html = client.get(reverse(DASHBOARD)).content.decode()
    assert reverse("monitoring:financing-statement") not in html


# --- query counts --------------------------------------------------------------------------


def count_queries(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def grow(team: Team, copies: int) -> None:
    """Copy t1 (its client, rows, outflow and instrument use) ``copies`` times."""
    for _ in range(copies):
        client = Trajectory.objects.get(pk=team.t1.pk).client
        client.pk = None
        client.national_number = ""
        client.save()
        trajectory = Trajectory.objects.get(pk=team.t1.pk)
        trajectory.pk = None
        trajectory.client = client
        trajectory.save()
        for day in (team.m1, team.m2):
            snap(trajectory, day, evaluation_overdue=True)
        Outflow.objects.create(
            trajectory=trajectory, on=team.m2, kind="nec_job", recorded_by=team.lead
        )
        use(trajectory, "ibo", "completed", start=team.m1)


def test_the_dashboard_runs_the_same_queries_as_rows_grow(client: HttpClient, team: Team) -> None:
    log_in(client, team.lead)
    url = reverse(DASHBOARD) + "?" + urlencode(params(team))
    small = count_queries(client, url)
    grow(team, 30)
    assert figures(client, team)["kind"]["datasets"][0]["data"] == [32, 31]
    assert count_queries(client, url) == small


def test_the_drill_down_runs_the_same_queries_as_rows_grow(client: HttpClient, team: Team) -> None:
    log_in(client, team.lead)
    url = (
        reverse(DOSSIERS)
        + "?"
        + urlencode(params(team, metric="kind", key="art60", month=f"{team.m2:%Y-%m}"))
    )
    small = count_queries(client, url)
    grow(team, 30)
    assert len(listed(client, url)) == 31
    assert count_queries(client, url) == small
