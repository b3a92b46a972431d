"""Decisions on intakes and referrals are dated today, or on a past day for imports and the demo."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.clients import services
from doorstroom.clients.models import Referral
from doorstroom.core.errors import DomainError
from tests.dossiers import days_ago, make_client
from tests.factories import member

pytestmark = pytest.mark.django_db


def refer(by: Any, to: Any, organisation: Any, *, on_day: int = 20) -> Referral:
    return services.referral_create(
        data={
            "kind": "art60",
            "first_name": "Lotte",
            "last_name": "Wouters",
            "birth_date": days_ago(9000),
            "to_organisation": organisation,
            "to_coach": to,
            "referred_on": days_ago(on_day),
            "context": "Wil graag in de zorg werken.",
        },
        by=by,
    )


def recorded_intake(owner: Any, *, on_day: int = 30) -> Any:
    return services.intake_record(
        make_client(owner),
        data={
            "assessed_on": days_ago(on_day),
            "strengths": "Punctueel",
            "experience_months": 6,
            "learning_potential": "good",
            "max_regime": "1.00",
            "social_economy_highest": False,
            "faster_route": False,
        },
        by=owner,
    )


def decide(intake: Any, owner: Any, **extra: Any) -> Any:
    return services.intake_decide(
        intake,
        decision="eligible",
        motivation="Gemotiveerd en leerbaar.",
        expected_version=intake.version,
        by=owner,
        **extra,
    )


def test_an_intake_decision_can_be_recorded_on_a_past_day(owner: Any) -> None:
    # R-INT-2: the decision with the instroommotivatie, as it was taken (an import, the demo).
    intake = decide(recorded_intake(owner), owner, on=days_ago(28))
    intake.refresh_from_db()
    assert intake.decided_on == days_ago(28)


def test_an_intake_decision_is_dated_today_by_default(owner: Any) -> None:
    intake = decide(recorded_intake(owner), owner)
    assert intake.decided_on == days_ago(0)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (-1, "De beslissingsdatum kan niet in de toekomst liggen."),
        (31, "De beslissingsdatum kan niet vóór {date} liggen."),
    ],
)
def test_an_intake_decision_lies_between_the_assessment_and_today(
    owner: Any, day: int, message: str
) -> None:
    # R-INT-2: no decision before the assessment it decides on.
    intake = recorded_intake(owner, on_day=30)
    assessed = days_ago(30)
    with pytest.raises(DomainError) as refused:
        decide(intake, owner, on=days_ago(day))
    shown = f"{assessed.day}-{assessed.month}-{assessed.year}"
    assert str(refused.value) == message.format(date=shown)
    intake.refresh_from_db()
    assert intake.decided_on is None


def test_referral_answers_can_be_recorded_on_a_past_day(owner: Any, ocmw_a: Any) -> None:
    # R-TRJ-9: the warm handover's answer, as it was given.
    social_worker = member(ocmw_a, "social_worker")
    accepted = refer(social_worker, owner, ocmw_a)
    services.referral_accept(accepted, expected_version=accepted.version, by=owner, on=days_ago(18))
    declined = refer(social_worker, owner, ocmw_a)
    services.referral_decline(
        declined,
        reason="Volzet tot maart",
        expected_version=declined.version,
        by=owner,
        on=days_ago(15),
    )
    accepted.refresh_from_db()
    declined.refresh_from_db()
    assert (accepted.status, accepted.decided_on) == ("accepted", days_ago(18))
    assert (declined.status, declined.decided_on) == ("declined", days_ago(15))
    with pytest.raises(DomainError):
        services.referral_accept(
            refer(social_worker, owner, ocmw_a), expected_version=1, by=owner, on=days_ago(21)
        )


def test_the_referral_page_still_answers_today(client: HttpClient, owner: Any, ocmw_a: Any) -> None:
    referral = refer(member(ocmw_a, "social_worker"), owner, ocmw_a)
    client.force_login(owner)
    url = reverse("clients:referral-detail", args=[referral.pk])
    client.post(url, {"version": referral.version, "accept": "1"})
    referral.refresh_from_db()
    assert (referral.status, referral.decided_on) == ("accepted", days_ago(0))


def test_a_national_number_message_shows_the_date_as_the_pages_do(owner: Any) -> None:
    # The number 85.07.30-033.28 encodes 30 July 1985: nl-BE shows it as 30-7-1985.
    with pytest.raises(DomainError) as refused:
        make_client(owner, national_number="85073003328", birth_date=days_ago(9000))
    assert str(refused.value) == (
        "Het rijksregisternummer komt niet overeen met de geboortedatum (30-7-1985)."
    )


def test_an_intake_before_the_first_rule_set_is_refused_on_its_field(owner: Any) -> None:
    # R-VER-1: the suggested verdict needs the rule set in force on the day; a day before the
    # first one (a typo such as 0625) is a message on the field, not a server error.
    import datetime

    client = make_client(owner)
    with pytest.raises(DomainError) as refused:
        services.intake_record(
            client,
            data={"assessed_on": datetime.date(625, 9, 23), "strengths": "Punctueel"},
            by=owner,
        )
    assert refused.value.field == "assessed_on"
    assert not client.intakes.exists()
