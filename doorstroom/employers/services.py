"""Writes on employers, agreements, workplaces and placements (R-PLC): transaction + audit each."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.be import vat
from stdnum.exceptions import ValidationError as StdnumError

from doorstroom.accounts.models import Organisation, User
from doorstroom.clients.models import WorkDemand
from doorstroom.clients.services import municipality_for
from doorstroom.clients.validation import clean_phone
from doorstroom.core.audit import audit, diff
from doorstroom.core.errors import DomainError
from doorstroom.core.locking import check_version, lock, save_versioned
from doorstroom.core.text import normalise, short_date
from doorstroom.employers.models import (
    Agreement,
    AgreementKind,
    ContactRole,
    Employer,
    EmployerContact,
    Placement,
    PlacementEndReason,
    PlacementFollowUp,
    RegimeStep,
    Workplace,
    WorkplaceCompetence,
)
from doorstroom.plans.models import Competence
from doorstroom.trajectories.choices import Status, TrajectoryKind
from doorstroom.trajectories.models import Trajectory
from doorstroom.trajectories.services import lock_trajectory, refresh_signals

HALF_TIME = Decimal("0.50")
FULL_TIME = Decimal("1.00")

EMPLOYER_FIELDS = (
    "name",
    "enterprise_number",
    "kind",
    "sector",
    "street",
    "postcode",
    "municipality",
    "phone",
    "email",
    "website",
    "contact_coach",
    "notes",
    "is_active",
)
CONTACT_FIELDS = ("name", "job_title", "phone", "email")
AGREEMENT_FIELDS = (
    "start",
    "end",
    "signed_on",
    "signed_by_employer",
    "signed_by_organisation",
    "signed_by_client",
    "commitment_clause",
    "notes",
)
WORKPLACE_FIELDS = (
    "title",
    "occupation",
    "tasks",
    "demands",
    "requires_driving_licence",
    "dutch_level",
    "min_regime",
    "max_regime",
    "schedule",
    "pace",
    "variety",
    "street",
    "municipality",
    "capacity",
    "contact_coach",
    "last_reviewed",
    "is_active",
)


# --- Employers and contacts (R-PLC-2) ----------------------------------------------------


def clean_enterprise_number(value: str) -> str:
    """Return the 10-digit KBO number, or raise naming the field."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return str(vat.validate(value))
    except StdnumError as exc:
        raise DomainError(
            _("This is not a valid enterprise number (10 digits, e.g. 0403.019.261)."),
            field="enterprise_number",
        ) from exc


def _clean_employer(
    organisation: Organisation, data: Mapping[str, Any], *, exclude_pk: int | None = None
) -> dict[str, Any]:
    values = {name: data[name] for name in EMPLOYER_FIELDS if name in data}
    values["name"] = (values.get("name") or "").strip()
    values["enterprise_number"] = clean_enterprise_number(values.get("enterprise_number", ""))
    values["phone"] = clean_phone(values.get("phone", ""))
    values["email"] = (values.get("email") or "").strip().lower()
    postcode = (values.get("postcode") or "").strip()
    values["postcode"] = postcode
    values["municipality"] = (
        municipality_for(postcode, values.get("municipality")) if postcode else None
    )
    if values["enterprise_number"]:
        same = Employer.objects.filter(
            organisation=organisation, enterprise_number=values["enterprise_number"]
        )
        if exclude_pk is not None:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            raise DomainError(
                _("Your organisation already registered an employer with this enterprise number."),
                field="enterprise_number",
            )
    coach = values.get("contact_coach")
    if coach is not None and organisation.pk not in coach.organisation_ids():
        raise DomainError(
            _("The account coach must work at your organisation."), field="contact_coach"
        )
    return values


def _clean_contact(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: (data.get(name) or "").strip() for name in CONTACT_FIELDS}
    values["phone"] = clean_phone(values["phone"])
    values["email"] = values["email"].lower()
    if not values["name"]:
        raise DomainError(_("Enter the contact person's name."), field="name")
    return values


def _organisation_for(by: User) -> Organisation:
    organisation = by.primary_organisation
    if organisation is None:
        raise DomainError(_("You are not a member of an organisation."))
    return organisation


@transaction.atomic
def employer_create(*, data: Mapping[str, Any], contact: Mapping[str, Any], by: User) -> Employer:
    """Register an employer with its one contact person (R-PLC-2)."""
    organisation = _organisation_for(by)
    values = _clean_employer(organisation, data)
    contact_values = _clean_contact(contact)
    employer = Employer(organisation=organisation, **values)
    employer.search_text = _search_text(employer)
    employer.save()
    person = EmployerContact.objects.create(
        employer=employer, role=ContactRole.CONTACT, **contact_values
    )
    audit(by, "employers.employer.created", employer, {k: str(v) for k, v in values.items()})
    audit(by, "employers.contact.created", person, {"role": ContactRole.CONTACT})
    return employer


def _search_text(employer: Employer) -> str:
    return normalise(f"{employer.name} {employer.enterprise_number}")[:400]


@transaction.atomic
def employer_update(
    employer: Employer, *, data: Mapping[str, Any], expected_version: int, by: User
) -> Employer:
    values = _clean_employer(employer.organisation, data, exclude_pk=employer.pk)
    changes = diff(employer, values)
    for name, value in values.items():
        setattr(employer, name, value)
    employer.search_text = _search_text(employer)
    save_versioned(
        employer, expected_version=expected_version, update_fields=[*values, "search_text"]
    )
    audit(by, "employers.employer.updated", employer, changes)
    return employer


@transaction.atomic
def contact_add(
    employer: Employer, *, role: str, data: Mapping[str, Any], by: User
) -> EmployerContact:
    """Add a mentor, or the contact person when the employer has none (R-PLC-2)."""
    values = _clean_contact(data)
    if role == ContactRole.CONTACT:
        check_version(Employer, employer.pk, employer.version)
        # R-PLC-2: exactly one contact person per employer.
        if employer.contacts.filter(role=ContactRole.CONTACT, is_active=True).exists():
            raise DomainError(
                _(
                    "This employer already has a contact person: an employer has exactly one. "
                    "Replace the contact person instead of adding a second one."
                ),
                field="role",
                code="second_contact",
            )
    try:
        with transaction.atomic():
            person = EmployerContact.objects.create(employer=employer, role=role, **values)
    except IntegrityError as exc:  # a parallel request added the contact person first
        raise DomainError(
            _("This employer already has a contact person: an employer has exactly one."),
            field="role",
            code="second_contact",
        ) from exc
    audit(by, "employers.contact.created", person, {"role": role, **values})
    return person


@transaction.atomic
def contact_replace(employer: Employer, *, data: Mapping[str, Any], by: User) -> EmployerContact:
    """Make someone else the employer's one contact person (R-PLC-2); the old one is kept."""
    values = _clean_contact(data)
    previous = list(employer.contacts.filter(role=ContactRole.CONTACT, is_active=True))
    for person in previous:
        person.is_active = False
        person.save(update_fields=["is_active"])
        audit(by, "employers.contact.deactivated", person)
    person = EmployerContact.objects.create(employer=employer, role=ContactRole.CONTACT, **values)
    audit(by, "employers.contact.created", person, {"role": ContactRole.CONTACT, **values})
    return person


@transaction.atomic
def contact_update(
    person: EmployerContact, *, data: Mapping[str, Any], expected_version: int, by: User
) -> EmployerContact:
    values = _clean_contact(data)
    changes = diff(person, values)
    for name, value in values.items():
        setattr(person, name, value)
    save_versioned(person, expected_version=expected_version, update_fields=list(values))
    audit(by, "employers.contact.updated", person, changes)
    return person


@transaction.atomic
def mentor_deactivate(person: EmployerContact, *, by: User) -> None:
    """A mentor who left; the contact person is replaced, never just removed (R-PLC-2)."""
    if person.role != ContactRole.MENTOR:
        raise DomainError(_("Replace the contact person instead: an employer keeps one."))
    person.is_active = False
    person.save(update_fields=["is_active"])
    audit(by, "employers.contact.deactivated", person)


# --- Agreements (R-PLC-1) ----------------------------------------------------------------


def _clean_agreement(
    employer: Employer, kind: str, trajectory: Trajectory | None, data: Mapping[str, Any]
) -> dict[str, Any]:
    values = {name: data.get(name) for name in AGREEMENT_FIELDS}
    for name in ("signed_by_employer", "signed_by_organisation", "notes"):
        values[name] = (values[name] or "").strip()
    values["signed_by_client"] = bool(values["signed_by_client"])
    values["commitment_clause"] = bool(values["commitment_clause"])
    if values["end"] and values["end"] < values["start"]:
        raise DomainError(_("The agreement cannot end before it starts."), field="end")
    if values["signed_on"] and values["signed_on"] > timezone.localdate():
        raise DomainError(_("The signing date lies in the future."), field="signed_on")
    if kind == AgreementKind.TRIPARTITE:
        # R-PLC-1: art. 60 §7 terbeschikkingstelling, signed by OCMW, user and worker.
        if trajectory is None or trajectory.kind != TrajectoryKind.ART60:
            raise DomainError(
                _("A tripartite agreement belongs to an art. 60 trajectory: choose it."),
                field="trajectory",
            )
        if employer.is_internal:
            raise DomainError(
                _("An internal workfloor is no third-party user: no tripartite agreement needed."),
                field="kind",
            )
    elif trajectory is not None:
        raise DomainError(
            _("A cooperation agreement is made with the employer, not for one trajectory."),
            field="trajectory",
        )
    return values


@transaction.atomic
def agreement_add(
    employer: Employer,
    *,
    kind: str,
    data: Mapping[str, Any],
    trajectory: Trajectory | None = None,
    document: UploadedFile | None = None,
    by: User,
) -> Agreement:
    values = _clean_agreement(employer, kind, trajectory, data)
    agreement = Agreement(
        employer=employer, kind=kind, trajectory=trajectory, created_by=by, **values
    )
    if document is not None:
        agreement.document.save(document.name or "overeenkomst", document, save=False)
    agreement.save()
    audit(
        by,
        "employers.agreement.created",
        agreement,
        {"kind": kind, **{k: str(v) for k, v in values.items() if k != "notes"}},
    )
    return agreement


@transaction.atomic
def agreement_update(
    agreement: Agreement,
    *,
    data: Mapping[str, Any],
    document: UploadedFile | None = None,
    expected_version: int,
    by: User,
) -> Agreement:
    values = _clean_agreement(agreement.employer, agreement.kind, agreement.trajectory, data)
    changes = diff(agreement, values)
    for name, value in values.items():
        setattr(agreement, name, value)
    fields = list(values)
    if document is not None:
        agreement.document.save(document.name or "overeenkomst", document, save=False)
        fields.append("document")
        changes["document"] = agreement.document.name
    save_versioned(agreement, expected_version=expected_version, update_fields=fields)
    audit(by, "employers.agreement.updated", agreement, changes)
    return agreement


def cooperation_in_force(employer: Employer, on: datetime.date) -> Agreement | None:
    """The signed cooperation agreement with the commitment clause valid on `on` (R-PLC-1)."""
    for agreement in employer.agreements.filter(kind=AgreementKind.COOPERATION):
        if agreement.commitment_clause and agreement.in_force_on(on):
            return agreement
    return None


# --- Workplaces and job profiles (R-PLC-7) ----------------------------------------------


def _clean_workplace(data: Mapping[str, Any], employer: Employer) -> dict[str, Any]:
    values = {name: data[name] for name in WORKPLACE_FIELDS if name in data}
    values["title"] = (values.get("title") or "").strip()
    demands = set(values.get("demands") or ())
    if not demands <= set(WorkDemand.values):
        raise DomainError(_("Choose the demands from the list."), field="demands")
    values["demands"] = sorted(demands)
    low, high = values.get("min_regime", HALF_TIME), values.get("max_regime", FULL_TIME)
    # R-PLC-3: a placement is at least half-time.
    if low < HALF_TIME:
        raise DomainError(
            _(
                "A placement is at least half-time: the lowest regime is at least half of full "
                "time."
            ),
            field="min_regime",
        )
    if high > FULL_TIME or high < low:
        raise DomainError(
            _("The highest regime lies between the lowest regime and 100 %."), field="max_regime"
        )
    if values.get("capacity", 1) < 1:
        raise DomainError(_("A workplace has at least one place."), field="capacity")
    reviewed = values.get("last_reviewed")
    if reviewed and reviewed > timezone.localdate():
        raise DomainError(_("The review date lies in the future."), field="last_reviewed")
    coach = values.get("contact_coach")
    if coach is not None and employer.organisation_id not in coach.organisation_ids():
        raise DomainError(
            _("The contact coach must work at the organisation of this employer."),
            field="contact_coach",
        )
    return values


def _set_competences(workplace: Workplace, competences: Mapping[Competence, int]) -> dict[str, int]:
    for level in competences.values():
        if not 1 <= level <= 4:
            raise DomainError(_("A competence level lies between 1 and 4."), field="competences")
    WorkplaceCompetence.objects.filter(workplace=workplace).delete()
    WorkplaceCompetence.objects.bulk_create(
        WorkplaceCompetence(workplace=workplace, competence=c, level=level)
        for c, level in competences.items()
    )
    workplace.trained_codes = ",".join(sorted(c.code for c in competences))
    Workplace.objects.filter(pk=workplace.pk).update(trained_codes=workplace.trained_codes)
    return {c.code: level for c, level in sorted(competences.items(), key=lambda i: i[0].code)}


@transaction.atomic
def workplace_create(
    employer: Employer,
    *,
    data: Mapping[str, Any],
    competences: Mapping[Competence, int],
    by: User,
) -> Workplace:
    values = _clean_workplace(data, employer)
    values.setdefault("last_reviewed", timezone.localdate())
    workplace = Workplace.objects.create(employer=employer, **values)
    trained = _set_competences(workplace, competences)
    audit(
        by,
        "employers.workplace.created",
        workplace,
        {**{k: str(v) for k, v in values.items()}, "competences": trained},
    )
    return workplace


@transaction.atomic
def workplace_update(
    workplace: Workplace,
    *,
    data: Mapping[str, Any],
    competences: Mapping[Competence, int] | None,
    expected_version: int,
    by: User,
) -> Workplace:
    values = _clean_workplace(data, workplace.employer)
    changes = diff(workplace, values)
    for name, value in values.items():
        setattr(workplace, name, value)
    save_versioned(workplace, expected_version=expected_version, update_fields=list(values))
    if competences is not None:
        before = {
            wc.competence.code: wc.level for wc in workplace.trained.select_related("competence")
        }
        after = _set_competences(workplace, competences)
        if before != after:
            changes["competences"] = [before, after]
    audit(by, "employers.workplace.updated", workplace, changes)
    return workplace


@transaction.atomic
def workplace_reviewed(
    workplace: Workplace, *, on: datetime.date, expected_version: int, by: User
) -> Workplace:
    """R-PLC-7: the job profile was screened with the employer on `on`."""
    if on > timezone.localdate():
        raise DomainError(_("The review date lies in the future."), field="on")
    if on < workplace.last_reviewed:
        raise DomainError(
            _("The profile was already reviewed on %(day)s.")
            % {"day": short_date(workplace.last_reviewed)},
            field="on",
        )
    before = workplace.last_reviewed
    workplace.last_reviewed = on
    save_versioned(workplace, expected_version=expected_version, update_fields=["last_reviewed"])
    audit(by, "employers.workplace.reviewed", workplace, {"last_reviewed": [str(before), str(on)]})
    return workplace


# --- Placements (R-PLC-1, R-PLC-3, R-TRJ-8) ---------------------------------------------


def _check_regime_steps(
    steps: Iterable[tuple[datetime.date, Decimal]], start: datetime.date, end: datetime.date | None
) -> list[tuple[datetime.date, Decimal]]:
    ordered = sorted(steps)
    if not ordered or ordered[0][0] != start:
        raise DomainError(
            _("The first regime step starts on the placement's start."), field="regime"
        )
    days = [day for day, _regime in ordered]
    if len(set(days)) != len(days):
        raise DomainError(_("Two regime steps start on the same day."), field="regime_steps")
    for day, regime in ordered:
        # R-PLC-3: every step of the build-up is at least half-time.
        if regime < HALF_TIME:
            raise DomainError(
                _(
                    "A placement is at least half-time (50 %%): %(regime)s %% from %(day)s is too "
                    "little. Build up from half-time instead."
                )
                % {"regime": f"{regime * 100:.0f}", "day": short_date(day)},
                field="regime",
                code="below_half_time",
            )
        if regime > FULL_TIME:
            raise DomainError(_("A regime is at most 100 %."), field="regime")
        if end is not None and day > end:
            raise DomainError(
                _("A regime step starts after the placement ends."), field="regime_steps"
            )
    return ordered


def _check_fit(
    steps: list[tuple[datetime.date, Decimal]], workplace: Workplace, trajectory: Trajectory
) -> None:
    """The highest step fits what the workplace offers and what the client can work."""
    top = max(regime for _day, regime in steps)
    if top > workplace.max_regime:
        raise DomainError(
            _("%(workplace)s offers at most %(regime)s %%.")
            % {"workplace": workplace.title, "regime": f"{workplace.max_regime * 100:.0f}"},
            field="regime",
        )
    client_max = trajectory.client.max_regime
    if client_max is not None and top > client_max:
        raise DomainError(
            _("The client can work at most %(regime)s %% (see the client's data).")
            % {"regime": f"{client_max * 100:.0f}"},
            field="regime",
        )


def placement_problems(
    trajectory: Trajectory,
    workplace: Workplace,
    start: datetime.date,
    planned_end: datetime.date | None,
    *,
    exclude_pk: int | None = None,
) -> None:
    """Raise the first reason why this placement cannot start (R-PLC-1, capacity, overlap)."""
    if trajectory.status == Status.STOPPED:
        raise DomainError(_("This trajectory is stopped; it can no longer be changed."))
    if start < trajectory.start:
        raise DomainError(
            _("The placement cannot start before the trajectory (%(day)s).")
            % {"day": short_date(trajectory.start)},
            field="start",
        )
    if planned_end is not None and planned_end < start:
        raise DomainError(_("The planned end lies before the start."), field="planned_end")
    if not workplace.is_active or not workplace.employer.is_active:
        raise DomainError(_("This workplace is no longer active."), field="workplace")
    _agreement_problems(trajectory, workplace, start)
    _overlap_problems(trajectory, workplace, start, planned_end, exclude_pk)


def _agreement_problems(trajectory: Trajectory, workplace: Workplace, start: datetime.date) -> None:
    # R-PLC-1: a signed cooperation agreement with the commitment clause, in force on the start.
    if cooperation_in_force(workplace.employer, start) is None:
        raise DomainError(
            _(
                "%(employer)s has no signed cooperation agreement with the commitment clause "
                "in force on %(day)s. Register the agreement first."
            )
            % {"employer": workplace.employer.name, "day": short_date(start)},
            field="workplace",
            code="no_agreement",
        )
    # R-PLC-1: art. 60 at a third-party user needs the tripartite agreement before the start.
    if trajectory.kind == TrajectoryKind.ART60 and not workplace.employer.is_internal:
        signed = Agreement.objects.filter(
            employer=workplace.employer,
            kind=AgreementKind.TRIPARTITE,
            trajectory=trajectory,
            signed_on__lte=start,
            signed_by_client=True,
        ).exists()
        if not signed:
            raise DomainError(
                _(
                    "An art. 60 placement with a third-party user needs a tripartite agreement "
                    "signed by the OCMW, %(employer)s and the client on or before %(day)s."
                )
                % {"employer": workplace.employer.name, "day": short_date(start)},
                field="workplace",
                code="no_tripartite",
            )


def _overlap_problems(
    trajectory: Trajectory,
    workplace: Workplace,
    start: datetime.date,
    planned_end: datetime.date | None,
    exclude_pk: int | None,
) -> None:
    others = Placement.objects.filter(trajectory=trajectory).exclude(pk=exclude_pk)
    for other in others:
        other_end = other.last_day
        if (other_end is None or start <= other_end) and (
            planned_end is None or other.start <= planned_end
        ):
            raise DomainError(
                _(
                    "This placement overlaps with the one at %(workplace)s from %(day)s. End "
                    "that placement first (for example for rotation)."
                )
                % {"workplace": other.workplace.title, "day": short_date(other.start)},
                field="start",
                code="overlap",
            )
    # Capacity: the most placements running at once at this workplace during the new period
    # (they can only peak on the new start or on another placement's start).
    overlapping = [
        (p.start, p.last_day or datetime.date.max)
        for p in Placement.objects.filter(
            workplace=workplace, start__lte=planned_end or datetime.date.max
        )
        .exclude(trajectory=trajectory)
        .exclude(end__lt=start)
        if p.last_day is None or p.last_day >= start
    ]
    peaks = [start] + [s for s, _e in overlapping if s > start]
    running = max((sum(s <= day <= e for s, e in overlapping) for day in peaks), default=0)
    if running >= workplace.capacity:
        raise DomainError(
            _("This workplace has no free place: %(count)s of %(capacity)s are taken.")
            % {"count": running, "capacity": workplace.capacity},
            field="workplace",
            code="full",
        )


@transaction.atomic
def placement_start(
    trajectory: Trajectory,
    workplace: Workplace,
    *,
    kind: str,
    start: datetime.date,
    planned_end: datetime.date | None,
    mentor: EmployerContact | None,
    regime_steps: Iterable[tuple[datetime.date, Decimal]],
    expected_version: int | None = None,
    by: User,
) -> Placement:
    """Place the client at a workplace; refused without the agreements (R-PLC-1, R-PLC-3)."""
    lock_trajectory(trajectory, expected_version)
    Workplace.objects.select_for_update().filter(pk=workplace.pk).first()
    placement_problems(trajectory, workplace, start, planned_end)
    steps = _check_regime_steps(regime_steps, start, planned_end)
    _check_fit(steps, workplace, trajectory)
    if mentor is not None and (
        mentor.employer_id != workplace.employer_id
        or mentor.role != ContactRole.MENTOR
        or not mentor.is_active
    ):
        raise DomainError(_("Choose a mentor of this employer."), field="mentor")
    placement = Placement.objects.create(
        trajectory=trajectory,
        workplace=workplace,
        mentor=mentor,
        kind=kind,
        start=start,
        planned_end=planned_end,
        created_by=by,
    )
    RegimeStep.objects.bulk_create(
        RegimeStep(placement=placement, start=day, regime=regime) for day, regime in steps
    )
    audit(
        by,
        "employers.placement.started",
        placement,
        {
            "workplace": workplace.pk,
            "kind": kind,
            "start": str(start),
            "planned_end": str(planned_end or ""),
            "regime_steps": [[str(d), str(r)] for d, r in steps],
        },
    )
    refresh_signals(trajectory)
    return placement


def _lock_placement(placement: Placement, expected_version: int | None) -> None:
    lock(placement, expected_version)


@transaction.atomic
def regime_step_add(
    placement: Placement,
    *,
    start: datetime.date,
    regime: Decimal,
    expected_version: int,
    by: User,
) -> RegimeStep:
    """Change the regime from `start` on (gradual build-up, R-PLC-3)."""
    _lock_placement(placement, expected_version)
    if placement.end is not None:
        raise DomainError(_("This placement has ended."))
    if start < placement.start:
        raise DomainError(
            _("A regime step starts on or after the placement's start."), field="start"
        )
    steps = [(s.start, s.regime) for s in placement.regime_steps.all()] + [(start, regime)]
    _check_fit(
        _check_regime_steps(steps, placement.start, placement.planned_end),
        placement.workplace,
        placement.trajectory,
    )
    step = RegimeStep.objects.create(placement=placement, start=start, regime=regime)
    audit(
        by,
        "employers.placement.regime_changed",
        placement,
        {"from": str(start), "regime": str(regime)},
    )
    return step


@transaction.atomic
def followup_add(
    placement: Placement,
    *,
    on: datetime.date,
    notes: str,
    mentor_present: bool,
    by: User,
) -> PlacementFollowUp:
    """Record an on-the-job follow-up (R-TRJ-8)."""
    _lock_placement(placement, None)
    if on < placement.start:
        raise DomainError(_("A follow-up cannot be before the placement starts."), field="on")
    if on > timezone.localdate():
        raise DomainError(_("A follow-up cannot be in the future."), field="on")
    if placement.end is not None and on > placement.end:
        raise DomainError(_("A follow-up cannot be after the placement ended."), field="on")
    notes = (notes or "").strip()
    if not notes:
        raise DomainError(_("Write what you saw and agreed on the workfloor."), field="notes")
    followup = PlacementFollowUp.objects.create(
        placement=placement, on=on, notes=notes, mentor_present=mentor_present, by=by
    )
    audit(by, "employers.placement.followed_up", placement, {"on": str(on)})
    refresh_signals(placement.trajectory)
    return followup


@transaction.atomic
def placement_end(
    placement: Placement,
    *,
    end: datetime.date,
    reason: str,
    note: str,
    expected_version: int,
    by: User,
) -> Placement:
    """End a placement with a reason (rotation, outflow, …); the history stays."""
    if end < placement.start:
        raise DomainError(_("A placement cannot end before it starts."), field="end")
    if reason not in PlacementEndReason.values:
        raise DomainError(_("Choose why the placement ends."), field="reason")
    note = (note or "").strip()
    if reason == PlacementEndReason.OTHER and not note:
        raise DomainError(_("Explain the reason in the notes."), field="note")
    _lock_placement(placement, expected_version)
    placement.refresh_from_db()
    if placement.end is not None:
        raise DomainError(_("This placement has already ended."))
    placement.end, placement.end_reason, placement.end_note = end, reason, note
    placement.save(update_fields=["end", "end_reason", "end_note"])
    audit(
        by,
        "employers.placement.ended",
        placement,
        {"end": str(end), "reason": reason},
    )
    refresh_signals(placement.trajectory)
    return placement
