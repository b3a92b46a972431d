"""The mentor's secure link (issue #6, R-TRJ-6): single use, expiring, tamper-proof, audited."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from doorstroom.core.models import AccessLink, AuditEvent
from doorstroom.evaluations import services
from doorstroom.evaluations.models import Evaluation, EvaluationScore, Source
from tests.dossiers import days_ago, make_trajectory
from tests.evaluations.builders import all_scores, make_pop, place_with_mentor, plan_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(owner: Any) -> Evaluation:
    trajectory = make_trajectory(owner, start=days_ago(200))
    make_pop(trajectory, owner)
    placement = place_with_mentor(trajectory, owner)
    return plan_evaluation(trajectory, owner, placement=placement)


def send_link(evaluation: Evaluation, by: Any) -> str:
    """Send the link as the coach does and return the URL from the e-mail."""
    services.mentor_link_send(evaluation, by=by)
    found = re.search(r"https?://\S+/evaluations/m/\S+/", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(0).split("/evaluations/", 1)[1].join(["/evaluations/", ""])


def mentor_answers(evaluation: Evaluation, level: int = 3) -> dict[str, str]:
    assert evaluation.plan_version is not None
    data = {
        f"level_{c.competence_id}": str(level) for c in evaluation.plan_version.competences.all()
    }
    data["comment"] = "Komt altijd op tijd, werkt nauwkeurig."
    return data


def test_the_mentor_gets_a_dutch_email_with_a_personal_link(
    evaluation: Evaluation, owner: Any
) -> None:
    services.mentor_link_send(evaluation, by=owner)
    message = mail.outbox[-1]
    assert message.to == ["marc.wouters@groen.test"]
    assert "Evaluatie" in message.subject or "evaluatie" in message.subject
    assert "/evaluations/m/" in message.body
    link = AccessLink.objects.get()
    # Only a hash is stored: the token in the e-mail is nowhere in the database.
    found = re.search(r"/evaluations/m/([^/\s]+)/", message.body)
    assert found is not None
    token = found.group(1)
    assert token not in link.token_hash
    assert AuditEvent.objects.filter(action="evaluations.mentor_link.sent").exists()


def test_mentor_opens_and_submits_without_an_account(evaluation: Evaluation, owner: Any) -> None:
    url = send_link(evaluation, owner)
    anonymous = HttpClient()
    page = anonymous.get(url)
    assert page.status_code == 200
    assert "Werkvloer" in page.content.decode() or "werkvloer" in page.content.decode()
    link = AccessLink.objects.get()
    assert link.opened_at is not None  # the coach sees it was opened
    done = anonymous.post(url, mentor_answers(evaluation, level=3))
    assert done.status_code == 200
    assert 'data-testid="link-thanks"' in done.content.decode()
    scores = EvaluationScore.objects.filter(evaluation=evaluation, source=Source.MENTOR)
    assert sorted(s.level for s in scores) == [3, 3, 3]
    evaluation.refresh_from_db()
    assert evaluation.mentor_comment.startswith("Komt altijd op tijd")
    event = AuditEvent.objects.get(action="evaluations.mentor.submitted")
    assert "marc.wouters@groen.test" in event.actor_label


def test_a_used_link_shows_a_clear_page_and_changes_nothing(
    evaluation: Evaluation, owner: Any
) -> None:
    url = send_link(evaluation, owner)
    anonymous = HttpClient()
    anonymous.post(url, mentor_answers(evaluation, level=3))
    again = anonymous.post(url, mentor_answers(evaluation, level=1))
    assert again.status_code == 410
    assert 'data-state="used"' in again.content.decode()
    assert "al gebruikt" in again.content.decode()
    levels = EvaluationScore.objects.filter(evaluation=evaluation, source=Source.MENTOR)
    assert sorted(s.level for s in levels) == [3, 3, 3]  # the second answer changed nothing


def test_an_expired_link_shows_a_clear_page_and_changes_nothing(
    evaluation: Evaluation, owner: Any
) -> None:
    url = send_link(evaluation, owner)
    AccessLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    anonymous = HttpClient()
    for response in (anonymous.get(url), anonymous.post(url, mentor_answers(evaluation))):
        assert response.status_code == 410
        assert 'data-state="expired"' in response.content.decode()
        assert "verlopen" in response.content.decode()
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()
    assert AccessLink.objects.get().opened_at is None


def test_a_tampered_link_shows_a_clear_page_and_changes_nothing(
    evaluation: Evaluation, owner: Any
) -> None:
    url = send_link(evaluation, owner)
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    anonymous = HttpClient()
    for response in (anonymous.get(tampered), anonymous.post(tampered, mentor_answers(evaluation))):
        assert response.status_code == 404
        assert 'data-state="unknown"' in response.content.decode()
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()
    assert AccessLink.objects.get().opened_at is None


def test_resending_revokes_the_earlier_link(evaluation: Evaluation, owner: Any) -> None:
    first = send_link(evaluation, owner)
    second = send_link(evaluation, owner)
    anonymous = HttpClient()
    old = anonymous.post(first, mentor_answers(evaluation))
    assert old.status_code == 410
    assert 'data-state="revoked"' in old.content.decode()
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()
    assert anonymous.get(second).status_code == 200


def test_a_link_to_a_completed_evaluation_no_longer_works(
    evaluation: Evaluation, owner: Any
) -> None:
    url = send_link(evaluation, owner)
    competences = all_scores(evaluation, 2)
    services.evaluation_record(
        evaluation,
        coach_scores=competences,
        self_scores={},
        held_on=timezone.localdate(),
        conclusions="Goede vooruitgang.",
        next_steps="",
        complete=True,
        expected_version=Evaluation.objects.get(pk=evaluation.pk).version,
        by=owner,
    )
    response = HttpClient().post(url, mentor_answers(evaluation))
    assert response.status_code == 410
    assert not EvaluationScore.objects.filter(evaluation=evaluation, source=Source.MENTOR).exists()


def test_the_coach_sees_opened_and_submitted(evaluation: Evaluation, owner: Any) -> None:
    url = send_link(evaluation, owner)
    HttpClient().get(url)
    http = HttpClient()
    http.force_login(owner)
    page = http.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    status = page.split('data-testid="mentor-link-status"', 1)[1].split("</ul>", 1)[0]
    assert "Geopend" in status  # opened …
    assert "nog niet" in status  # … not yet submitted
    HttpClient().post(url, mentor_answers(evaluation, level=4))
    page = http.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert 'data-source="mentor">4' in page


def test_a_mentor_without_email_gets_no_link(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(200))
    make_pop(trajectory, owner)
    placement = place_with_mentor(trajectory, owner, email="")
    evaluation = plan_evaluation(trajectory, owner, placement=placement)
    http = HttpClient()
    http.force_login(owner)
    response = http.post(reverse("evaluations:mentor-link", args=[evaluation.pk]), follow=True)
    assert "heeft geen e-mailadres" in response.content.decode()
    assert not AccessLink.objects.exists()
    assert not mail.outbox


def test_planning_starts_from_the_evaluation_the_rules_say_is_due(owner: Any) -> None:
    # R-TRJ-6: a trajectory started 200 days ago without evaluations is due at start + 6 months
    # (or at the end of the current phase when that comes first).
    from doorstroom.rules.periods import period_end

    trajectory = make_trajectory(owner, start=days_ago(200))
    http = HttpClient()
    http.force_login(owner)
    dossier = http.get(reverse("clients:detail", args=[trajectory.client_id])).content.decode()
    assert 'data-testid="plan-due-evaluation"' in dossier
    form = http.get(reverse("evaluations:plan", args=[trajectory.pk])).context["form"]
    planned = form.initial["planned_on"]
    assert planned <= period_end(trajectory.start, 6)
    assert form.initial["kind"] in ("phase", "six_monthly")


def test_a_garbled_version_on_cancel_changes_nothing(evaluation: Evaluation, owner: Any) -> None:
    http = HttpClient()
    http.force_login(owner)
    url = reverse("evaluations:cancel", args=[evaluation.pk])
    response = http.post(url, {"version": "x"}, follow=True)
    assert response.status_code == 200
    assert Evaluation.objects.get(pk=evaluation.pk).status == "planned"
