"""Writes on instrument uses, try-outs and the try-out catalogue: transaction + audit each.

R-INS-1: every use is registered with kind, provider, start, end, hours and result. R-INS-2 and
R-TRJ-11: the pure rules core checks a use against its kind's limits in the rule set in force on
the trajectory's start (R-VER-1); a refusal names the limit in plain words.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.accounts.models import Organisation, User
from doorstroom.core.audit import audit, diff
from doorstroom.core.errors import DomainError, StaleEditError
from doorstroom.core.locking import check_version, save_versioned
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.text import normalise, short_date
from doorstroom.employers.models import Workplace
from doorstroom.instruments.explain import PROBLEM_FIELDS, days_text, duration_text, problem_message
from doorstroom.instruments.models import (
    FINISHED_RESULTS,
    STARTED_RESULTS,
    TRYOUT_KIND,
    InstrumentUse,
    Tryout,
    TryoutOffer,
    UseResult,
    WantsThis,
)
from doorstroom.rules import clock
from doorstroom.rules.instruments import InstrumentUse as PlannedUse
from doorstroom.rules.instruments import instrument_problems
from doorstroom.rules.periods import inclusive_days
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.services import lock_trajectory

FULL_TIME = Decimal("1.00")
HOURS_PER_DAY = 24

USE_FIELDS = ("kind", "provider", "start", "end", "hours", "regime", "result", "result_notes")
OFFER_FIELDS = ("title", "occupation", "workplace", "description", "max_days", "is_active")
# Free text is audited as "changed", not copied into the audit trail (data minimisation).
FREE_TEXT = frozenset({"result_notes", "description", "expectation", "finding"})
REFLECTION_FIELDS = ("expectation", "finding", "wants_this")


def _audited(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: (True if name in FREE_TEXT else value) for name, value in changes.items()}


# --- Instrument uses (R-INS-1, R-INS-2, R-TRJ-11) ---------------------------------------


def _check_period(trajectory: Trajectory, start: Any, end: Any) -> None:
    if start is None:
        raise DomainError(_("Enter the start date."), field="start")
    if end is None:
        raise DomainError(_("Enter the last day."), field="end")
    if end < start:
        raise DomainError(_("The last day lies before the start."), field="end")
    if start < trajectory.start:
        raise DomainError(
            _("An instrument cannot start before the trajectory (%(day)s).")
            % {"day": short_date(trajectory.start)},
            field="start",
        )
    # A stopped trajectory keeps its history complete, but nothing runs after the stop.
    stopped_on = trajectory.stopped_on
    if trajectory.status == Status.STOPPED and stopped_on is not None and end > stopped_on:
        raise DomainError(
            _("The trajectory stopped on %(day)s: an instrument cannot run after that day.")
            % {"day": short_date(stopped_on)},
            field="end",
        )


def _check_hours(values: Mapping[str, Any]) -> None:
    hours = values["hours"]
    if hours is None:
        # R-INS-1: the hours may follow, but a finished instrument records them.
        if values["result"] in FINISHED_RESULTS:
            raise DomainError(
                _("Record the hours of a finished instrument (R-INS-1)."), field="hours"
            )
        return
    if hours < 0:
        raise DomainError(_("The number of hours cannot be negative."), field="hours")
    days = inclusive_days(values["start"], values["end"])
    if hours > days * HOURS_PER_DAY:
        raise DomainError(
            _("%(hours)s hours do not fit in a period of %(days)s.")
            % {"hours": hours, "days": days_text(days)},
            field="hours",
        )


def _check_result(trajectory: Trajectory, values: Mapping[str, Any], today: datetime.date) -> None:
    result = values["result"]
    if result not in UseResult.values:
        raise DomainError(_("Choose a result from the list."), field="result")
    if trajectory.status == Status.STOPPED and result not in {
        *FINISHED_RESULTS,
        UseResult.NOT_STARTED,
    }:
        raise DomainError(
            _(
                "The trajectory is stopped: record how the instrument went (completed, stopped "
                "early or did not take place)."
            ),
            field="result",
        )
    if result in STARTED_RESULTS and values["start"] > today:
        raise DomainError(
            _("The instrument starts on %(day)s: it cannot be ongoing or finished before then.")
            % {"day": short_date(values["start"])},
            field="result",
        )
    if result in FINISHED_RESULTS and values["end"] > today:
        raise DomainError(
            _("A finished instrument has its last day in the past: enter the actual last day."),
            field="end",
        )
    if result == UseResult.STOPPED_EARLY and not values["result_notes"]:
        raise DomainError(_("Explain why the instrument stopped early."), field="result_notes")


def _check_limits(trajectory: Trajectory, values: Mapping[str, Any], pk: int | None) -> None:
    """R-INS-2, R-TRJ-11: the kind's limits, with the trajectory's other uses as earlier ones."""
    ruleset = ruleset_on(trajectory.start)  # R-VER-1: the rule set of the trajectory's start
    kind = values["kind"]
    planned = PlannedUse(kind, values["start"], values["end"], values["regime"], str(pk or ""))
    # A use that did not take place does not count towards "once per trajectory".
    others = (
        InstrumentUse.objects.filter(trajectory=trajectory)
        .exclude(pk=pk)
        .exclude(result=UseResult.NOT_STARTED)
    )
    earlier = [PlannedUse(o.kind, o.start, o.end, o.regime, str(o.pk)) for o in others]
    problems = instrument_problems(planned, clock.TrajectoryKind(trajectory.kind), earlier, ruleset)
    if values["result"] == UseResult.NOT_STARTED:
        problems = tuple(p for p in problems if p.code != "max_uses_exceeded")
    if not problems:
        return
    problem = problems[0]
    earlier_start = min((o.start for o in earlier if o.kind == kind), default=None)
    raise DomainError(
        problem_message(problem, planned, ruleset.instrument(kind), earlier_start),
        field=PROBLEM_FIELDS.get(problem.code, "kind"),
        code=problem.code,
    )


def _clean_use(
    trajectory: Trajectory, data: Mapping[str, Any], *, pk: int | None = None
) -> dict[str, Any]:
    values = {name: data.get(name) for name in USE_FIELDS}
    values["provider"] = (values["provider"] or "").strip()
    values["result_notes"] = (values["result_notes"] or "").strip()
    values["result"] = values["result"] or UseResult.PLANNED
    regime = FULL_TIME if values["regime"] is None else Decimal(values["regime"])
    values["regime"] = regime
    kinds = {limits.kind for limits in ruleset_on(trajectory.start).instruments}
    if values["kind"] not in kinds:
        raise DomainError(_("Choose a kind of instrument from the list."), field="kind")
    if not values["provider"]:
        raise DomainError(
            _("Enter the provider: who organises the instrument (R-INS-1)."), field="provider"
        )
    _check_period(trajectory, values["start"], values["end"])
    if not 0 < regime <= FULL_TIME:
        raise DomainError(
            _("The regime lies between 1 and 100 percent of full time."), field="regime"
        )
    _check_result(trajectory, values, timezone.localdate())
    _check_hours(values)
    _check_limits(trajectory, values, pk)
    return values


@transaction.atomic
def use_register(trajectory: Trajectory, *, data: Mapping[str, Any], by: User) -> InstrumentUse:
    """Register an instrument use (R-INS-1) within its kind's limits (R-INS-2, R-TRJ-11)."""
    # Serialise with the trajectory's other writes: "once per trajectory" must hold under races.
    lock_trajectory(trajectory)
    values = _clean_use(trajectory, data)
    use = InstrumentUse.objects.create(trajectory=trajectory, created_by=by, **values)
    audit(by, "instruments.use.registered", use, _audited({k: str(v) for k, v in values.items()}))
    return use


@transaction.atomic
def use_update(
    use: InstrumentUse, *, data: Mapping[str, Any], expected_version: int, by: User
) -> InstrumentUse:
    """Change a use (e.g. record its result); refused when stale or out of its limits."""
    trajectory = use.trajectory
    lock_trajectory(trajectory)
    check_version(InstrumentUse, use.pk, expected_version)
    values = _clean_use(trajectory, data, pk=use.pk)
    tryout = use.tryout_or_none
    if values["kind"] != use.kind and tryout is not None:
        raise DomainError(
            _("A try-out is always of the kind “%(label)s”: its kind cannot change.")
            % {"label": ruleset_on(trajectory.start).instrument(TRYOUT_KIND).label},
            field="kind",
        )
    if tryout is not None and tryout.offer is not None:
        _check_offer_length(tryout.offer, values["start"], values["end"])
    changes = diff(use, values)
    for name, value in values.items():
        setattr(use, name, value)
    save_versioned(use, expected_version=expected_version, update_fields=list(values))
    audit(by, "instruments.use.updated", use, _audited(changes))
    return use


# --- Proeftuin try-outs (seed 001) ------------------------------------------------------


def _offer_provider(offer: TryoutOffer) -> str:
    if offer.workplace is not None:
        return offer.workplace.employer.name
    return offer.organisation.name


def _check_offer(offer: TryoutOffer, start: datetime.date, end: datetime.date, by: User) -> None:
    if not TryoutOffer.objects.visible_to(by).filter(pk=offer.pk, is_active=True).exists():
        raise DomainError(_("Choose an active try-out from your catalogue."), field="offer")
    _check_offer_length(offer, start, end)


def _check_offer_length(offer: TryoutOffer, start: datetime.date, end: datetime.date) -> None:
    days = inclusive_days(start, end)
    if days > offer.max_days:
        raise DomainError(
            _("The try-out “%(title)s” lasts at most %(limit)s: this one lasts %(actual)s.")
            % {
                "title": offer.title,
                "limit": days_text(offer.max_days),
                "actual": days_text(days),
            },
            field="end",
        )


@transaction.atomic
def tryout_register(
    trajectory: Trajectory,
    *,
    offer: TryoutOffer,
    start: datetime.date,
    end: datetime.date,
    provider: str = "",
    expectation: str = "",
    hours: Decimal | None = None,
    by: User,
) -> Tryout:
    """Plan a try-out from the catalogue: a beroepsverkennende stage (R-INS-2), with reflection."""
    lock_trajectory(trajectory)
    if trajectory.status == Status.STOPPED:
        raise DomainError(_("This trajectory is stopped: a new try-out can no longer start."))
    data = {
        "kind": TRYOUT_KIND,
        "provider": (provider or "").strip() or _offer_provider(offer),
        "start": start,
        "end": end,
        "hours": hours,
        "regime": FULL_TIME,
        "result": UseResult.PLANNED,
        "result_notes": "",
    }
    values = _clean_use(trajectory, data)
    _check_offer(offer, start, end, by)
    use = InstrumentUse.objects.create(trajectory=trajectory, created_by=by, **values)
    expectation = (expectation or "").strip()
    tryout = Tryout.objects.create(
        use=use,
        offer=offer,
        expectation=expectation,
        reflected_before_at=timezone.now() if expectation else None,
    )
    audit(by, "instruments.use.registered", use, _audited({k: str(v) for k, v in values.items()}))
    audit(
        by,
        "instruments.tryout.registered",
        tryout,
        {"offer": offer.pk, "expectation": bool(expectation)},
    )
    return tryout


def _reflection_values(
    tryout: Tryout,
    expectation: str | None,
    finding: str | None,
    wants_this: str | None,
    today: datetime.date,
) -> dict[str, str]:
    """The parts of the reflection given (None: leave as is), checked."""
    values: dict[str, str] = {}
    if expectation is not None:
        values["expectation"] = expectation.strip()
        if not values["expectation"]:
            raise DomainError(_("Write what the client expects."), field="expectation")
    if finding is not None:
        values["finding"] = finding.strip()
        if not values["finding"]:
            raise DomainError(_("Write what the client found."), field="finding")
    if wants_this is not None:
        if wants_this not in WantsThis.values:
            raise DomainError(_("Choose an answer from the list."), field="wants_this")
        values["wants_this"] = wants_this
    if "finding" not in values and "wants_this" not in values:
        return values
    field = "finding" if "finding" in values else "wants_this"
    use = tryout.use
    if use.result == UseResult.NOT_STARTED:
        raise DomainError(
            _("This try-out did not take place: there is nothing to look back on."), field=field
        )
    if use.start > today:
        raise DomainError(
            _("The try-out starts on %(day)s: the client looks back on it from then on.")
            % {"day": short_date(use.start)},
            field=field,
        )
    return values


@transaction.atomic
def tryout_reflect(
    tryout: Tryout,
    *,
    expectation: str | None = None,
    finding: str | None = None,
    wants_this: str | None = None,
    expected_version: int | None = None,
    by: User | None = None,
    actor_label: str = "",
) -> Tryout:
    """Record the client's reflection before (expectation) or after (finding, wants this job).

    A coach records it (`by`), or the client through a personal link (`by=None` with an
    `actor_label`, e.g. "client link"). A part left None stays as it is.
    """
    if by is None and not actor_label:
        raise ValueError("a reflection without a user needs an actor_label")
    current = (
        Tryout.objects.select_for_update().filter(pk=tryout.pk).values_list("version", flat=True)
    ).get()
    if expected_version is not None and expected_version != current:
        raise StaleEditError()
    # Compare with the row as stored now (a link's page may have been open for days).
    tryout.refresh_from_db(fields=[*REFLECTION_FIELDS, "version"])
    values = _reflection_values(tryout, expectation, finding, wants_this, timezone.localdate())
    if not values:
        raise DomainError(_("Write at least one part of the reflection."))
    changed = [name for name, value in values.items() if getattr(tryout, name) != value]
    if not changed:
        return tryout
    now = timezone.now()
    fields = list(changed)
    for name in changed:
        setattr(tryout, name, values[name])
    if "expectation" in changed:
        tryout.reflected_before_at = now
        fields.append("reflected_before_at")
    if {"finding", "wants_this"} & set(changed):
        tryout.reflected_after_at = now
        fields.append("reflected_after_at")
    save_versioned(tryout, expected_version=current, update_fields=fields)
    audit(
        by,
        "instruments.tryout.reflected",
        tryout,
        _audited({name: values[name] for name in changed}),
        actor_label=actor_label,
    )
    return tryout


# --- The try-out catalogue (proeftuin) ---------------------------------------------------


def _organisation_for(by: User) -> Organisation:
    organisation = by.primary_organisation
    if organisation is None:
        raise DomainError(_("You are not a member of an organisation."))
    return organisation


def _check_max_days(max_days: int) -> None:
    if max_days < 1:
        raise DomainError(_("A try-out lasts at least one day."), field="max_days")
    today = timezone.localdate()
    limits = ruleset_on(today).instrument(TRYOUT_KIND)
    if limits.max_duration is None:
        return
    # R-INS-2: a try-out is a beroepsverkennende stage, so it offers no more than that lasts.
    if max_days > inclusive_days(today, limits.max_duration.last_day(today)):
        raise DomainError(
            _("%(label)s lasts at most %(limit)s (R-INS-2): a try-out cannot offer more.")
            % {"label": limits.label, "limit": duration_text(limits.max_duration)},
            field="max_days",
        )


def _check_workplace(workplace: Workplace | None, by: User, current: TryoutOffer | None) -> None:
    if workplace is None or (current is not None and workplace.pk == current.workplace_id):
        return
    if not Workplace.objects.visible_to(by).filter(pk=workplace.pk, is_active=True).exists():
        raise DomainError(_("Choose an active workplace of your organisation."), field="workplace")


def _clean_offer(
    data: Mapping[str, Any], by: User, *, current: TryoutOffer | None = None
) -> dict[str, Any]:
    values = {name: data[name] for name in OFFER_FIELDS if name in data}
    for name in ("title", "description"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if not values.get("title", current.title if current else ""):
        raise DomainError(_("Give the try-out a title."), field="title")
    default_days = current.max_days if current else TryoutOffer._meta.get_field("max_days").default
    _check_max_days(values.get("max_days", default_days) or 0)
    _check_workplace(values.get("workplace"), by, current)
    return values


def offer_search_text(offer: TryoutOffer) -> str:
    parts = [offer.title]
    if offer.occupation is not None:
        parts.append(offer.occupation.name_nl)
    if offer.workplace is not None:
        parts += [offer.workplace.title, offer.workplace.employer.name]
    return normalise(" ".join(parts))[:400]


@transaction.atomic
def offer_create(*, data: Mapping[str, Any], by: User) -> TryoutOffer:
    """Add a try-out to the organisation's proeftuin catalogue (seed 001)."""
    organisation = _organisation_for(by)
    values = _clean_offer(data, by)
    offer = TryoutOffer(organisation=organisation, **values)
    offer.search_text = offer_search_text(offer)
    offer.save()
    audit(by, "instruments.offer.created", offer, _audited({k: str(v) for k, v in values.items()}))
    return offer


@transaction.atomic
def offer_update(
    offer: TryoutOffer, *, data: Mapping[str, Any], expected_version: int, by: User
) -> TryoutOffer:
    values = _clean_offer(data, by, current=offer)
    changes = diff(offer, values)
    for name, value in values.items():
        setattr(offer, name, value)
    offer.search_text = offer_search_text(offer)
    save_versioned(offer, expected_version=expected_version, update_fields=[*values, "search_text"])
    audit(by, "instruments.offer.updated", offer, _audited(changes))
    return offer
