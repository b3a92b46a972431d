"""The proeftuin (seed 001): a catalogue of try-outs, and the client's reflection before and after.

A try-out is a beroepsverkennende stage (R-INS-2: at most 30 days). Messages are checked in
English, the source text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from doorstroom.core.errors import DomainError, StaleEditError
from doorstroom.core.models import AuditEvent
from doorstroom.core.text import short_date
from doorstroom.instruments import services
from doorstroom.instruments.models import InstrumentUse, Tryout, TryoutOffer
from doorstroom.rules.periods import add_days
from tests.dossiers import days_ago, make_trajectory
from tests.employers.builders import make_employer, make_workplace
from tests.instruments.builders import lasting, make_offer, start_tryout, use_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


# --- Starting a try-out ------------------------------------------------------------------


def test_a_try_out_registers_an_exploratory_internship_with_the_expectation(owner: Any) -> None:
    """R-INS-1: the try-out is an instrument use; the reflection before is kept with it."""
    trajectory = make_trajectory(owner)
    workplace = make_workplace(make_employer(owner, name="WZC De Linde"), owner)
    offer = make_offer(owner, workplace=workplace)
    tryout = start_tryout(trajectory, offer, owner, days=10)
    use = tryout.use
    assert (use.kind, use.provider, use.result) == (
        "exploratory_internship",
        "WZC De Linde",
        "planned",
    )
    assert (use.start, use.end) == (days_ago(20), days_ago(11))
    assert tryout.offer == offer
    assert tryout.expectation == "Ik denk dat het druk zal zijn."
    assert tryout.reflected_before_at is not None
    assert tryout.reflected_after_at is None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"instruments.use.registered", "instruments.tryout.registered"} <= actions


def test_a_try_out_longer_than_30_days_is_refused_and_nothing_is_written(owner: Any) -> None:
    """R-INS-2: a beroepsverkennende stage lasts at most 30 days."""
    trajectory = make_trajectory(owner)
    offer = make_offer(owner)
    with pytest.raises(DomainError) as refused:
        start_tryout(trajectory, offer, owner, days=45, start=days_ago(60))
    assert refused.value.field == "end"
    assert str(refused.value).startswith(
        "Beroepsverkennende stage lasts at most 30 days (R-INS-2): this one lasts 45 days."
    )
    assert not InstrumentUse.objects.exists()
    assert not Tryout.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="instruments.tryout").exists()


def test_a_try_out_stays_within_its_offer_s_length(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    offer = make_offer(owner, title="Snuffelen in de fietsenwerkplaats", max_days=5)
    with pytest.raises(DomainError) as refused:
        start_tryout(trajectory, offer, owner, days=7)
    assert refused.value.field == "end"
    assert str(refused.value) == (
        "The try-out “Snuffelen in de fietsenwerkplaats” lasts at most 5 days: "
        "this one lasts 7 days."
    )
    assert not InstrumentUse.objects.exists()


def test_an_offer_of_another_organisation_cannot_be_used(owner: Any, outsider: Any) -> None:
    """R-PRV-1: the catalogue is the organisation's own."""
    trajectory = make_trajectory(owner)
    theirs = make_offer(outsider)
    with pytest.raises(DomainError) as refused:
        start_tryout(trajectory, theirs, owner)
    assert refused.value.field == "offer"
    assert not InstrumentUse.objects.exists()


def test_an_inactive_offer_cannot_be_used(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    offer = make_offer(owner)
    services.offer_update(
        offer,
        data={"title": offer.title, "max_days": 30, "is_active": False},
        expected_version=offer.version,
        by=owner,
    )
    with pytest.raises(DomainError) as refused:
        start_tryout(trajectory, offer, owner)
    assert refused.value.field == "offer"


def test_a_stopped_trajectory_gets_no_new_try_out(owner: Any) -> None:
    from doorstroom.trajectories import services as trajectory_services

    trajectory = make_trajectory(owner, start=days_ago(200))
    trajectory_services.trajectory_stop(
        trajectory,
        on=days_ago(5),
        reason="drop_out",
        motivation="Geen contact meer.",
        expected_version=trajectory.version,
        by=owner,
    )
    with pytest.raises(DomainError, match="stopped"):
        start_tryout(trajectory, make_offer(owner), owner, start=days_ago(50))
    assert not InstrumentUse.objects.exists()


def test_a_try_out_stays_an_exploratory_internship(owner: Any) -> None:
    tryout = start_tryout(make_trajectory(owner), make_offer(owner), owner)
    use = tryout.use
    with pytest.raises(DomainError) as refused:
        services.use_update(
            use,
            data=use_data(kind="job_coaching", start=use.start, end=use.end),
            expected_version=use.version,
            by=owner,
        )
    assert refused.value.field == "kind"


# --- The client's reflection ------------------------------------------------------------


def test_the_coach_records_the_reflection_after_and_it_is_audited(owner: Any) -> None:
    tryout = start_tryout(make_trajectory(owner), make_offer(owner), owner)
    services.tryout_reflect(
        tryout,
        finding="Zwaarder dan gedacht, maar de collega's waren fijn.",
        wants_this="unsure",
        expected_version=tryout.version,
        by=owner,
    )
    stored = Tryout.objects.get()
    assert stored.finding == "Zwaarder dan gedacht, maar de collega's waren fijn."
    assert stored.wants_this == "unsure"
    assert stored.expectation == "Ik denk dat het druk zal zijn."  # left as it was
    assert stored.reflected_after_at is not None
    event = AuditEvent.objects.get(action="instruments.tryout.reflected")
    assert event.actor == owner
    assert event.changes == {"finding": True, "wants_this": "unsure"}


def test_the_client_reflects_through_a_personal_link_without_an_account(owner: Any) -> None:
    """Later the client answers by link: no user, a label in the audit trail instead."""
    trajectory = make_trajectory(owner)
    tryout = start_tryout(trajectory, make_offer(owner), owner, expectation="")
    assert tryout.reflected_before_at is None
    services.tryout_reflect(tryout, expectation="Ik kijk ernaar uit.", actor_label="client link")
    event = AuditEvent.objects.get(action="instruments.tryout.reflected")
    assert event.actor is None
    assert event.actor_label == "client link"
    assert event.organisation == trajectory.organisation
    assert Tryout.objects.get().reflected_before_at is not None


def test_a_reflection_without_a_user_needs_a_label(owner: Any) -> None:
    tryout = start_tryout(make_trajectory(owner), make_offer(owner), owner)
    with pytest.raises(ValueError, match="actor_label"):
        services.tryout_reflect(tryout, finding="Leuk.")


def test_the_client_looks_back_only_once_the_try_out_started(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    start = add_days(days_ago(0), 3)
    tryout = start_tryout(trajectory, make_offer(owner), owner, start=start)
    with pytest.raises(DomainError) as refused:
        services.tryout_reflect(tryout, finding="Leuk.", by=owner)
    assert refused.value.field == "finding"
    assert str(refused.value) == (
        f"The try-out starts on {short_date(start)}: the client looks back on it from then on."
    )
    assert not Tryout.objects.get().finding


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        ({"expectation": "   "}, "expectation"),
        ({"finding": ""}, "finding"),
        ({"wants_this": "maybe"}, "wants_this"),
    ],
)
def test_an_empty_or_unknown_answer_is_refused(
    owner: Any, parts: dict[str, str], field: str
) -> None:
    tryout = start_tryout(make_trajectory(owner), make_offer(owner), owner)
    with pytest.raises(DomainError) as refused:
        services.tryout_reflect(tryout, by=owner, **parts)
    assert refused.value.field == field
    assert not AuditEvent.objects.filter(action="instruments.tryout.reflected").exists()


def test_nothing_to_look_back_on_when_the_try_out_did_not_take_place(owner: Any) -> None:
    tryout = start_tryout(make_trajectory(owner), make_offer(owner), owner)
    use = tryout.use
    services.use_update(
        use,
        data=use_data(
            kind="exploratory_internship",
            regime="1.00",
            result="not_started",
            start=use.start,
            end=use.end,
        ),
        expected_version=use.version,
        by=owner,
    )
    with pytest.raises(DomainError) as refused:
        services.tryout_reflect(Tryout.objects.get(), wants_this="no", by=owner)
    assert refused.value.field == "wants_this"


def test_a_stale_reflection_is_refused(owner: Any, teammate: Any) -> None:
    tryout = start_tryout(make_trajectory(owner), make_offer(owner), owner)
    seen = tryout.version
    services.tryout_reflect(Tryout.objects.get(), finding="Fijn.", actor_label="client link")
    with pytest.raises(StaleEditError):
        services.tryout_reflect(tryout, finding="Saai.", expected_version=seen, by=teammate)
    assert Tryout.objects.get().finding == "Fijn."


# --- The catalogue ----------------------------------------------------------------------


def test_an_offer_is_added_to_the_organisation_s_catalogue_and_audited(owner: Any) -> None:
    offer = make_offer(owner)
    assert offer.organisation == owner.primary_organisation
    assert "linde" in offer.search_text
    event = AuditEvent.objects.get(action="instruments.offer.created")
    assert (event.actor, event.target_id) == (owner, str(offer.pk))


def test_an_offer_lasts_at_most_the_rule_set_s_30_days(owner: Any) -> None:
    """R-INS-2: a try-out is a beroepsverkennende stage."""
    with pytest.raises(DomainError) as refused:
        make_offer(owner, max_days=31)
    assert refused.value.field == "max_days"
    assert str(refused.value) == (
        "Beroepsverkennende stage lasts at most 30 days (R-INS-2): a try-out cannot offer more."
    )
    assert not TryoutOffer.objects.exists()


def test_an_offer_at_a_workplace_of_another_organisation_is_refused(
    owner: Any, outsider: Any
) -> None:
    """R-PRV-1: the workplace must be visible to the user."""
    theirs = make_workplace(make_employer(outsider), outsider)
    with pytest.raises(DomainError) as refused:
        make_offer(owner, workplace=theirs)
    assert refused.value.field == "workplace"
    assert not TryoutOffer.objects.exists()


def test_a_stale_offer_edit_is_refused(owner: Any, teammate: Any) -> None:
    offer = make_offer(owner)
    seen = offer.version
    data = {"title": "Nieuwe titel", "max_days": 10, "is_active": True}
    services.offer_update(offer, data=data, expected_version=seen, by=teammate)
    with pytest.raises(StaleEditError):
        services.offer_update(offer, data={**data, "title": "Oud"}, expected_version=seen, by=owner)
    stored = TryoutOffer.objects.get()
    assert (stored.title, stored.max_days, stored.search_text) == (
        "Nieuwe titel",
        10,
        "nieuwe titel",
    )


def test_uses_are_listed_in_time_order_with_their_try_out(owner: Any) -> None:
    from doorstroom.instruments.selectors import uses_for_trajectory

    trajectory = make_trajectory(owner, start=days_ago(300))
    late = start_tryout(trajectory, make_offer(owner), owner, start=days_ago(30))
    early = services.use_register(trajectory, data=use_data(**lasting(56, days_ago(250))), by=owner)
    uses = list(uses_for_trajectory(trajectory))
    assert uses == [early, late.use]
    assert uses[1].tryout_or_none == late
    assert uses[0].tryout_or_none is None


def test_an_edited_try_out_stays_within_its_offer_s_length(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    tryout = start_tryout(trajectory, make_offer(owner, max_days=5), owner, days=5)
    use = tryout.use
    with pytest.raises(DomainError) as refused:
        services.use_update(
            use,
            data=use_data(kind="exploratory_internship", regime="1.00", **lasting(8, use.start)),
            expected_version=use.version,
            by=owner,
        )
    assert refused.value.field == "end"
    assert InstrumentUse.objects.get().end == use.end
