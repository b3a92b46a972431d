"""360° feedback (seed 001): invitations by secret link, and who sees which answers.

Individual answers are for the lead coach only; everyone else — a teammate or team lead with
access to the dossier — sees a peer group only as an average, and only from 3 answers on.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from doorstroom.core.models import AccessLink
from doorstroom.evaluations import selectors, services
from doorstroom.evaluations.models import FeedbackResponse, FeedbackRound
from doorstroom.trajectories.models import TrajectoryMember
from doorstroom.trajectories.services import member_add
from tests.dossiers import days_ago, fresh, make_trajectory
from tests.evaluations.builders import make_pop

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback_round(owner: Any) -> FeedbackRound:
    trajectory = make_trajectory(owner, start=days_ago(120))
    make_pop(trajectory, owner)
    return services.round_open(
        fresh(trajectory),
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        questions=["Wat doet %(name)s goed?"],
        expected_version=fresh(trajectory).version,
        by=owner,
    )


def invite(feedback_round: FeedbackRound, owner: Any, relation: str, name: str) -> str:
    _respondent, sent = services.respondent_invite(
        feedback_round, relation=relation, name=name, email=f"{name.lower()}@mail.test", by=owner
    )
    return sent.url.split("/evaluations/", 1)[1].join(["/evaluations/", ""])


def answer(url: str, feedback_round: FeedbackRound, level: int, text: str) -> Any:
    data = {
        f"level_{c.competence_id}": str(level)
        for c in feedback_round.plan_version.competences.all()
    }
    data["answer_0"] = text
    return HttpClient().post(url, data)


def test_respondents_get_a_link_by_email_and_answer_once(
    feedback_round: FeedbackRound, owner: Any
) -> None:
    url = invite(feedback_round, owner, "friend", "Karim")
    assert mail.outbox[-1].to == ["karim@mail.test"]
    assert re.search(r"/evaluations/f/[^/\s]+/", mail.outbox[-1].body)
    assert "Wat doet Sofie goed?" in HttpClient().get(url).content.decode()  # name filled in
    assert answer(url, feedback_round, 3, "Helpt altijd").status_code == 200
    again = answer(url, feedback_round, 1, "Iets anders")
    assert again.status_code == 410
    assert FeedbackResponse.objects.get().answers == ["Helpt altijd"]


def test_a_closed_round_accepts_no_answers(feedback_round: FeedbackRound, owner: Any) -> None:
    url = invite(feedback_round, owner, "family", "Mina")
    FeedbackRound.objects.filter(pk=feedback_round.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    AccessLink.objects.update(expires_at=timezone.now() + datetime.timedelta(days=1))
    assert answer(url, feedback_round, 3, "x").status_code == 410
    assert not FeedbackResponse.objects.exists()


def _members(owner: Any, teammate: Any, feedback_round: FeedbackRound) -> None:
    trajectory = fresh(feedback_round.trajectory)
    member_add(trajectory, user=teammate, role="coach", since=timezone.localdate(), by=owner)


def test_a_group_under_three_answers_is_shown_to_nobody_but_the_lead_coach(
    feedback_round: FeedbackRound, owner: Any, teammate: Any
) -> None:
    # Two friends answer (network group: 2 < 3), one colleague (work group: 1).
    for name, relation in (("Karim", "friend"), ("Mina", "family"), ("Tom", "colleague")):
        answer(
            invite(feedback_round, owner, relation, name), feedback_round, 4, f"Geheim van {name}"
        )
    _members(owner, teammate, feedback_round)
    url = reverse("evaluations:round", args=[feedback_round.pk])

    lead = HttpClient()
    lead.force_login(owner)
    page = lead.get(url).content.decode()
    assert "Geheim van Karim" in page
    assert 'data-testid="individual-answers"' in page

    other = HttpClient()
    other.force_login(teammate)
    response = other.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Geheim van" not in page
    assert "Karim" not in page
    assert 'data-testid="individual-answers"' not in page
    # No group reaches 3 answers: no average of any group; "all others" has 3 → shown.
    results = response.context["results"]
    assert not any(g.shown for g in results.groups)
    assert all(g.averages == {} for g in results.groups)
    assert results.respondents == []
    assert results.everyone is not None
    assert results.everyone.answers == 3


def test_a_group_with_three_answers_is_shown_as_an_average_only(
    feedback_round: FeedbackRound, owner: Any
) -> None:
    for name, level in (("Karim", 2), ("Mina", 3), ("Lies", 4)):
        answer(invite(feedback_round, owner, "friend", name), feedback_round, level, "")
    results = selectors.round_results(feedback_round, individual=False)
    network = next(g for g in results.groups if g.group == "network")
    assert network.shown
    assert set(network.averages.values()) == {3}
    assert results.respondents == []


def test_the_self_assessment_stands_beside_the_others(
    feedback_round: FeedbackRound, owner: Any
) -> None:
    answer(invite(feedback_round, owner, "self", "Sofie"), feedback_round, 2, "")
    results = selectors.round_results(feedback_round, individual=False)
    assert set(results.self_levels.values()) == {2}
    assert all(g.answers == 0 for g in results.groups)  # the client is no peer
    with pytest.raises(Exception, match=r"al uitgenodigd|already invited"):
        services.respondent_invite(
            feedback_round, relation="self", name="Sofie", email="", by=owner
        )


def test_without_email_the_coach_gets_the_link_once(
    feedback_round: FeedbackRound, owner: Any
) -> None:
    http = HttpClient()
    http.force_login(owner)
    url = reverse("evaluations:round", args=[feedback_round.pk])
    response = http.post(
        url, {"relation": "family", "name": "Oma Jeanne", "email": ""}, follow=True
    )
    assert re.search(r"/evaluations/f/[^/\s<]+/", response.content.decode())
    assert not mail.outbox
    # The next visit no longer shows it (only the hash is stored).
    assert not re.search(r"/evaluations/f/[^/\s<]+/", http.get(url).content.decode())


def test_an_outsider_gets_404_on_every_feedback_page(
    feedback_round: FeedbackRound, owner: Any, outsider: Any
) -> None:
    respondent, _sent = services.respondent_invite(
        feedback_round, relation="friend", name="Karim", email="", by=owner
    )
    http = HttpClient()
    http.force_login(outsider)
    trajectory = feedback_round.trajectory
    assert http.get(reverse("evaluations:round", args=[feedback_round.pk])).status_code == 404
    assert http.get(reverse("evaluations:round-open", args=[trajectory.pk])).status_code == 404
    assert (
        http.post(reverse("evaluations:respondent-resend", args=[respondent.pk])).status_code == 404
    )
    assert not TrajectoryMember.objects.filter(user=outsider).exists()


def test_all_others_is_not_shown_when_it_would_reveal_a_hidden_group(
    feedback_round: FeedbackRound, owner: Any
) -> None:
    # Seed 001: 3 friends (shown) and 2 colleagues (hidden); "all others" (5) minus the friends
    # would give the colleagues' average, so it is not shown — in the table nor in the chart.
    for name, relation, level in (
        ("Karim", "friend", 2),
        ("Mina", "family", 3),
        ("Lies", "friend", 4),
        ("Tom", "colleague", 1),
        ("Eva", "colleague", 1),
    ):
        answer(invite(feedback_round, owner, relation, name), feedback_round, level, "")
    results = selectors.round_results(feedback_round, individual=False)
    network = next(g for g in results.groups if g.group == "network")
    work = next(g for g in results.groups if g.group == "work")
    assert network.shown
    assert not work.shown
    assert results.everyone is None
    picture = selectors.competence_picture(feedback_round.trajectory)
    assert all(not series.of("feedback") for series in picture.series)


def test_all_others_is_shown_when_no_group_reaches_three(
    feedback_round: FeedbackRound, owner: Any
) -> None:
    for name, relation in (("Karim", "friend"), ("Tom", "colleague"), ("Eva", "former_employer")):
        answer(invite(feedback_round, owner, relation, name), feedback_round, 3, "")
    results = selectors.round_results(feedback_round, individual=False)
    assert not any(g.shown for g in results.groups)
    assert results.everyone is not None
    assert results.everyone.answers == 3


def test_the_round_page_uses_a_constant_number_of_queries(
    feedback_round: FeedbackRound, owner: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http = HttpClient()
    http.force_login(owner)
    url = reverse("evaluations:round", args=[feedback_round.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert http.get(url).status_code == 200
        return len(queries)

    for name in ("Karim", "Mina", "Lies"):
        answer(invite(feedback_round, owner, "friend", name), feedback_round, 3, "Goed")
    few = count()
    for name in ("Tom", "Eva", "Jef", "Ilse", "Bart", "Sara"):
        answer(invite(feedback_round, owner, "colleague", name), feedback_round, 2, "Ok")
    assert count() == few
