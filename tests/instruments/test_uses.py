"""Instrument uses: every use is registered (R-INS-1) within its kind's limits (R-INS-2, R-TRJ-11).

Refusals name the limit in plain words; a refusal writes nothing. The messages are checked in
English (the source text), so that these tests do not depend on the Dutch catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from doorstroom.core.errors import DomainError, StaleEditError
from doorstroom.core.models import AuditEvent
from doorstroom.core.text import short_date
from doorstroom.instruments import services
from doorstroom.instruments.models import InstrumentUse
from doorstroom.rules.periods import add_days, period_end
from doorstroom.trajectories import services as trajectory_services
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import days_ago, make_trajectory
from tests.instruments.builders import lasting, make_wz_trajectory, register, use_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def refusal(trajectory: Trajectory, by: Any, **overrides: Any) -> DomainError:
    """Register a use that must be refused; check that nothing was written."""
    uses = InstrumentUse.objects.count()
    events = AuditEvent.objects.filter(action="instruments.use.registered").count()
    with pytest.raises(DomainError) as refused:
        register(trajectory, by, **overrides)
    assert InstrumentUse.objects.count() == uses
    assert AuditEvent.objects.filter(action="instruments.use.registered").count() == events
    return refused.value


# --- R-INS-2: the limits per kind ---------------------------------------------------------


def test_an_exploratory_internship_of_45_days_is_refused_naming_the_30_day_limit(
    owner: Any,
) -> None:
    """R-INS-2: a beroepsverkennende stage lasts at most 30 calendar days."""
    trajectory = make_trajectory(owner)
    period = lasting(45)
    error = refusal(trajectory, owner, kind="exploratory_internship", regime="1.00", **period)
    assert error.field == "end"
    assert error.code == "duration_too_long"
    assert str(error) == (
        "Beroepsverkennende stage lasts at most 30 days (R-INS-2): this one lasts 45 days. "
        f"Starting on {short_date(period['start'])}, it ends on "
        f"{short_date(add_days(period['start'], 29))} at the latest."
    )
    assert not AuditEvent.objects.filter(action="instruments.use.registered").exists()


def test_an_exploratory_internship_of_30_days_is_registered(owner: Any) -> None:
    """R-INS-2: 30 calendar days, both ends included, is within the limit."""
    trajectory = make_trajectory(owner)
    use = register(trajectory, owner, kind="exploratory_internship", **lasting(30))
    assert use.kind == "exploratory_internship"


@pytest.mark.parametrize(
    ("days", "code", "limit"),
    [
        (27, "duration_too_short", "lasts at least 4 weeks (R-INS-2): this one lasts only 27 days"),
        (183, "duration_too_long", "lasts at most 26 weeks (R-INS-2): this one lasts 183 days"),
    ],
)
def test_an_ibo_lasts_4_to_26_weeks(owner: Any, days: int, code: str, limit: str) -> None:
    """R-INS-2: IBO 4–26 weeks."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    error = refusal(trajectory, owner, **lasting(days, days_ago(250)))
    assert error.field == "end"
    assert error.code == code
    assert str(error).startswith(f"IBO (individuele beroepsopleiding) {limit}.")


@pytest.mark.parametrize("days", [28, 182])
def test_an_ibo_of_exactly_4_or_26_weeks_is_registered(owner: Any, days: int) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    assert register(trajectory, owner, **lasting(days, days_ago(250))).pk


def test_an_ibo_below_half_time_is_refused_naming_the_regime(owner: Any) -> None:
    """R-INS-2: an IBO is at least half-time."""
    trajectory = make_trajectory(owner)
    error = refusal(trajectory, owner, regime=Decimal("0.40"))
    assert error.field == "regime"
    assert error.code == "regime_too_low"
    assert str(error) == (
        "IBO (individuele beroepsopleiding) is at least 50 % of full time (R-INS-2): "
        "this one is 40 %."
    )


def test_a_work_experience_internship_lasts_at_most_6_months(owner: Any) -> None:
    """R-INS-2: werkervaringsstage ≤ 6 months (SPEC §3 date conventions)."""
    trajectory = make_trajectory(owner, start=days_ago(400))
    start = days_ago(390)
    last_day = period_end(start, 6)
    error = refusal(
        trajectory,
        owner,
        kind="work_experience_internship",
        regime="1.00",
        start=start,
        end=add_days(last_day, 1),
    )
    assert "Werkervaringsstage lasts at most 6 months (R-INS-2)" in str(error)
    assert f"it ends on {short_date(last_day)} at the latest" in str(error)
    use = register(
        trajectory,
        owner,
        kind="work_experience_internship",
        regime="1.00",
        start=start,
        end=last_day,
    )
    assert use.end == last_day


# --- R-TRJ-11: the short technical training of an art60 trajectory -----------------------


def test_a_technical_training_in_art60_lasts_at_most_3_months(owner: Any) -> None:
    """R-TRJ-11: at most 3 months full-time."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    error = refusal(trajectory, owner, kind="technical_training", **lasting(120, days_ago(200)))
    assert error.field == "end"
    assert str(error).startswith(
        "Korte technische opleiding lasts at most 3 months (R-TRJ-11): this one lasts 120 days."
    )


def test_a_technical_training_in_art60_is_used_only_once(owner: Any) -> None:
    """R-TRJ-11: once per trajectory; the refusal says when the first one started."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    first = register(trajectory, owner, kind="technical_training", **lasting(60, days_ago(250)))
    error = refusal(trajectory, owner, kind="technical_training", **lasting(30, days_ago(100)))
    assert error.field == "kind"
    assert error.code == "max_uses_exceeded"
    assert str(error) == (
        "Korte technische opleiding is used only once per trajectory (R-TRJ-11). "
        f"This trajectory already has one from {short_date(first.start)}."
    )


def test_a_technical_training_that_did_not_take_place_does_not_use_up_the_once(
    owner: Any,
) -> None:
    """R-TRJ-11: only a training that took place counts."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    register(
        trajectory,
        owner,
        kind="technical_training",
        result="not_started",
        result_notes="Opleiding geannuleerd door de aanbieder.",
        **lasting(60, days_ago(250)),
    )
    assert register(trajectory, owner, kind="technical_training", **lasting(30, days_ago(100)))


def test_editing_the_one_technical_training_does_not_count_it_twice(owner: Any) -> None:
    """R-TRJ-11: the use being edited is not an earlier use of itself."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    use = register(trajectory, owner, kind="technical_training", **lasting(60, days_ago(250)))
    data = use_data(kind="technical_training", **lasting(80, days_ago(250)))
    services.use_update(use, data=data, expected_version=use.version, by=owner)
    assert InstrumentUse.objects.get().end == add_days(days_ago(250), 79)


def test_a_technical_training_in_a_wz_trajectory_is_not_limited(owner: Any) -> None:
    """R-TRJ-11 concerns art60 trajectories only: in TWE-wz neither 3 months nor once applies."""
    trajectory = make_wz_trajectory(owner)
    assert trajectory.kind == "wz"
    register(trajectory, owner, kind="technical_training", **lasting(150, days_ago(190)))
    register(trajectory, owner, kind="technical_training", **lasting(20, days_ago(30)))
    assert InstrumentUse.objects.filter(trajectory=trajectory).count() == 2


def test_an_instrument_without_known_limits_is_registered_as_it_is(owner: Any) -> None:
    """R-INS-2: job coaching has no confirmed limits (rule-set data): nothing to refuse."""
    trajectory = make_trajectory(owner, start=days_ago(400))
    use = register(trajectory, owner, kind="job_coaching", **lasting(360, days_ago(380)))
    assert use.kind == "job_coaching"


# --- R-INS-1: what every use records, and the trajectory's dates -------------------------


def test_a_kind_outside_the_rule_set_is_refused(owner: Any) -> None:
    error = refusal(make_trajectory(owner), owner, kind="ibo_deluxe")
    assert (error.field, str(error)) == ("kind", "Choose a kind of instrument from the list.")


def test_the_provider_is_required(owner: Any) -> None:
    """R-INS-1: the provider is part of every registration."""
    error = refusal(make_trajectory(owner), owner, provider="  ")
    assert error.field == "provider"


def test_the_last_day_cannot_lie_before_the_start(owner: Any) -> None:
    error = refusal(make_trajectory(owner), owner, start=days_ago(10), end=days_ago(11))
    assert (error.field, str(error)) == ("end", "The last day lies before the start.")


def test_an_instrument_cannot_start_before_the_trajectory(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(90))
    error = refusal(trajectory, owner, start=days_ago(100))
    assert error.field == "start"
    assert str(error) == (
        f"An instrument cannot start before the trajectory ({short_date(days_ago(90))})."
    )


def test_a_finished_instrument_records_its_hours(owner: Any) -> None:
    """R-INS-1: hours may follow, but a completed use has them."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    error = refusal(trajectory, owner, result="completed", **lasting(56, days_ago(200)))
    assert error.field == "hours"
    use = register(
        trajectory, owner, result="completed", hours=Decimal("304"), **lasting(56, days_ago(200))
    )
    assert use.hours == Decimal("304")


def test_hours_must_fit_in_the_period(owner: Any) -> None:
    error = refusal(make_trajectory(owner), owner, hours=Decimal("2000"))
    assert error.field == "hours"


def test_a_use_that_stopped_early_says_why(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    error = refusal(
        trajectory,
        owner,
        result="stopped_early",
        hours=Decimal("40"),
        **lasting(28, days_ago(200)),
    )
    assert error.field == "result_notes"


def test_a_use_cannot_be_finished_before_it_starts(owner: Any) -> None:
    trajectory = make_trajectory(owner)
    error = refusal(trajectory, owner, result="ongoing", **lasting(28, add_days(days_ago(0), 5)))
    assert error.field == "result"


def _stopped(trajectory: Trajectory, by: Any) -> Trajectory:
    trajectory_services.trajectory_stop(
        trajectory,
        on=days_ago(30),
        reason="drop_out",
        motivation="Cliënt komt niet meer opdagen; geen contact meer mogelijk.",
        expected_version=trajectory.version,
        by=by,
    )
    trajectory.refresh_from_db()
    return trajectory


def test_on_a_stopped_trajectory_only_finished_uses_within_its_dates_are_registered(
    owner: Any,
) -> None:
    """A stopped trajectory keeps a complete history, but nothing runs after its stop."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    trajectory = _stopped(trajectory, owner)
    after_stop = refusal(
        trajectory, owner, result="completed", hours=Decimal("100"), **lasting(40, days_ago(60))
    )
    assert after_stop.field == "end"
    assert f"stopped on {short_date(days_ago(30))}" in str(after_stop)
    still_planned = refusal(trajectory, owner, **lasting(40, days_ago(200)))
    assert still_planned.field == "result"
    use = register(
        trajectory, owner, result="completed", hours=Decimal("100"), **lasting(40, days_ago(200))
    )
    assert use.result == "completed"


def test_a_registration_is_audited_with_its_values(owner: Any) -> None:
    """R-PRV-4: who registered what; free text is noted as changed, not copied."""
    trajectory = make_trajectory(owner)
    use = register(trajectory, owner, result_notes="Loopt goed.")
    event = AuditEvent.objects.get(action="instruments.use.registered")
    assert event.actor == owner
    assert event.target_id == str(use.pk)
    assert event.organisation == trajectory.organisation
    assert event.changes["kind"] == "ibo"
    assert event.changes["regime"] == "0.50"
    assert event.changes["result_notes"] is True


# --- Changing a use: optimistic locking and the same checks -----------------------------


def test_an_update_is_checked_against_the_limits_and_changes_nothing_when_refused(
    owner: Any,
) -> None:
    """R-INS-2: the edit of an IBO to 30 weeks is refused like a registration."""
    trajectory = make_trajectory(owner, start=days_ago(300))
    use = register(trajectory, owner, **lasting(56, days_ago(250)))
    with pytest.raises(DomainError) as refused:
        services.use_update(
            use,
            data=use_data(**lasting(210, days_ago(250))),
            expected_version=use.version,
            by=owner,
        )
    assert refused.value.code == "duration_too_long"
    stored = InstrumentUse.objects.get()
    assert (stored.end, stored.version) == (add_days(days_ago(250), 55), 1)
    assert not AuditEvent.objects.filter(action="instruments.use.updated").exists()


def test_a_result_is_recorded_and_audited(owner: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    use = register(trajectory, owner, **lasting(56, days_ago(250)))
    services.use_update(
        use,
        data=use_data(result="completed", hours=Decimal("280"), **lasting(56, days_ago(250))),
        expected_version=use.version,
        by=owner,
    )
    stored = InstrumentUse.objects.get()
    assert (stored.result, stored.hours, stored.version) == ("completed", Decimal("280"), 2)
    event = AuditEvent.objects.get(action="instruments.use.updated")
    assert event.changes["result"] == ["planned", "completed"]


def test_a_stale_update_is_refused(owner: Any, teammate: Any) -> None:
    trajectory = make_trajectory(owner, start=days_ago(300))
    use = register(trajectory, owner, **lasting(56, days_ago(250)))
    seen = use.version
    services.use_update(
        use,
        data=use_data(provider="Syntra", **lasting(56, days_ago(250))),
        expected_version=seen,
        by=teammate,
    )
    with pytest.raises(StaleEditError):
        services.use_update(
            use,
            data=use_data(provider="VDAB", **lasting(56, days_ago(250))),
            expected_version=seen,
            by=owner,
        )
    assert InstrumentUse.objects.get().provider == "Syntra"
