"""The client's own view (issue #6): a personal, expiring link, plain Dutch, no protected data."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from doorstroom.clients import services as client_services
from doorstroom.core.models import AccessLink, AuditEvent
from doorstroom.evaluations.models import EvaluationScore, Source
from doorstroom.plans import services
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.evaluations.builders import make_pop, place_with_mentor, plan_evaluation

pytestmark = pytest.mark.django_db


def link_path(url: str) -> str:
    return "/plans/" + url.split("/plans/", 1)[1]


@pytest.fixture
def setting(owner: Any) -> dict[str, Any]:
    trajectory = make_trajectory(owner, start=days_ago(120))
    make_pop(trajectory, owner)
    placement = place_with_mentor(trajectory, owner)
    evaluation = plan_evaluation(
        trajectory, owner, placement=placement, on=timezone.localdate() + datetime.timedelta(days=7)
    )
    _link, url = services.client_link_send(fresh(trajectory), email="sofie@mail.test", by=owner)
    return {"trajectory": trajectory, "evaluation": evaluation, "url": link_path(url)}


def test_the_client_gets_a_link_and_sees_plan_appointments_and_workplace(
    setting: dict[str, Any],
) -> None:
    assert mail.outbox[-1].to == ["sofie@mail.test"]
    page = HttpClient().get(setting["url"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Zelfstandig een werkdag volhouden" in text  # a POP goal
    assert "Medewerker groenonderhoud" in text  # the workplace
    assert "Marc Wouters" in text  # the mentor
    assert AuditEvent.objects.filter(action="plans.client_view.opened").exists()


def test_the_client_view_never_shows_the_protected_section(
    setting: dict[str, Any], owner: Any
) -> None:
    client = setting["trajectory"].client
    client_services.sensitive_note_add(
        client, category="medical", text="Geheime medische info", by=owner
    )
    text = HttpClient().get(setting["url"]).content.decode()
    assert "Geheime medische info" not in text
    assert "Afgeschermde" not in text
    assert "medisch" not in text.lower()


def test_the_client_fills_in_the_self_assessment(setting: dict[str, Any]) -> None:
    evaluation = setting["evaluation"]
    data = {"evaluation": evaluation.pk}
    for c in evaluation.plan_version.competences.all():
        data[f"e{evaluation.pk}-level_{c.competence_id}"] = "2"
    response = HttpClient().post(setting["url"], data)
    assert response.status_code == 302
    levels = EvaluationScore.objects.filter(evaluation=evaluation, source=Source.SELF)
    assert sorted(s.level for s in levels) == [2, 2, 2]
    event = AuditEvent.objects.get(action="evaluations.self_assessment.submitted")
    assert event.actor_label.startswith("client link")


def test_an_expired_or_withdrawn_client_link_shows_a_clear_page(
    setting: dict[str, Any], owner: Any
) -> None:
    AccessLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert HttpClient().get(setting["url"]).status_code == 410
    _link, url = services.client_link_send(fresh(setting["trajectory"]), email="", by=owner)
    assert HttpClient().get(link_path(url)).status_code == 200
    services.client_link_revoke(fresh(setting["trajectory"]).client_links.latest("pk"), by=owner)
    response = HttpClient().get(link_path(url))
    assert response.status_code == 410
    assert 'data-state="revoked"' in response.content.decode()


def test_an_outsider_gets_404_on_the_client_link_page(
    setting: dict[str, Any], outsider: Any
) -> None:
    http = HttpClient()
    http.force_login(outsider)
    url = reverse("plans:client-link", args=[setting["trajectory"].pk])
    assert http.get(url).status_code == 404
    assert http.post(url, {"email": "x@y.test", "days": 30}).status_code == 404
    assert AccessLink.objects.filter(purpose="client_view").count() == 1


def test_a_tampered_client_link_shows_nothing(setting: dict[str, Any]) -> None:
    url = re.sub(
        r"/mine/(.)", lambda m: "/mine/" + ("x" if m.group(1) != "x" else "y"), setting["url"]
    )
    response = HttpClient().get(url)
    assert response.status_code == 404
    assert "Zelfstandig een werkdag volhouden" not in response.content.decode()
