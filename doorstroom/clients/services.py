"""Writes on client dossiers: one transaction, validation and an audit event per action."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from doorstroom.accounts.models import Municipality, Organisation, User
from doorstroom.accounts.roles import Role
from doorstroom.clients.models import (
    Barrier,
    Client,
    Consent,
    Document,
    Intake,
    IntakeDecision,
    JournalEntry,
    Occupation,
    Referral,
    ReferralStatus,
    SensitiveAccess,
    SensitiveNote,
    WorkDemand,
)
from doorstroom.clients.validation import clean_national_number, clean_phone
from doorstroom.core import crypto
from doorstroom.core.audit import audit, diff
from doorstroom.core.errors import DomainError
from doorstroom.core.locking import save_versioned
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.text import short_date
from doorstroom.rules import eligibility

CLIENT_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "national_number",
    "street",
    "postcode",
    "municipality",
    "phone",
    "email",
    "languages",
    "dutch_level",
    "income",
    "vdab_registration_date",
    "driving_licence",
    "own_transport",
    "public_transport",
    "max_regime",
    "work_limitations",
)


class DuplicateClientError(DomainError):
    """The national number belongs to an existing dossier (``existing`` may be out of scope)."""

    def __init__(self, existing: Client) -> None:
        super().__init__(
            _("A client with this national number is already registered."),
            field="national_number",
            code="duplicate_insz",
        )
        self.existing = existing


class ClientLookups:
    """The records ``_clean_client`` looks up: one query each, for the one row the UI checks.

    An import checks thousands of rows: it passes lookups read for a whole batch of rows in
    one query each (``doorstroom.imports.kinds``, issue 11), which give the same answers.
    """

    def municipalities(self, postcode: str) -> list[Municipality]:
        """The municipalities that have this postcode."""
        return list(Municipality.objects.filter(postal_codes__code=postcode).distinct())

    def registered(self, national_number: str, exclude_pk: int | None) -> Client | None:
        """The client registered with this national number, but ``exclude_pk``, if any."""
        existing = Client.objects.filter(national_number=national_number)
        if exclude_pk is not None:
            existing = existing.exclude(pk=exclude_pk)
        return existing.first()


LOOKUPS = ClientLookups()


def municipality_for(
    postcode: str, chosen: Municipality | None = None, *, lookups: ClientLookups = LOOKUPS
) -> Municipality:
    """Return the municipality of a Belgian postcode (the chosen one when the code is shared)."""
    options = lookups.municipalities((postcode or "").strip())
    if not options:
        raise DomainError(_("This postcode is unknown."), field="postcode", code="postcode")
    if chosen is not None:
        if chosen not in options:
            raise DomainError(
                _("This municipality does not have postcode %(code)s.") % {"code": postcode},
                field="municipality",
                code="municipality",
            )
        return chosen
    if len(options) > 1:
        raise DomainError(
            _("Several municipalities share this postcode: choose one."),
            field="municipality",
            code="municipality_required",
        )
    return options[0]


def ocmws_serving(municipality: Municipality | OuterRef) -> QuerySet[Organisation]:
    """The active OCMWs whose service area (zorggebied) holds ``municipality`` (or an outer
    query's municipality), by name: the first is the responsible one."""
    # Q(): the type stubs accept a municipality for the lookup, not an OuterRef.
    return Organisation.objects.filter(kind="ocmw", is_active=True).filter(
        Q(service_area=municipality)
    )


def responsible_ocmw(municipality: Municipality) -> Organisation | None:
    """Return the OCMW whose service area (zorggebied) holds ``municipality``, if any."""
    return ocmws_serving(municipality).first()


def same_person(first_name: str, last_name: str, birth_date: datetime.date) -> bool:
    """Tell whether a client with this name and birth date exists (a warning, not a refusal)."""
    return Client.objects.filter(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        birth_date=birth_date,
    ).exists()


def _clean_client(
    data: dict[str, Any], *, exclude_pk: int | None = None, lookups: ClientLookups = LOOKUPS
) -> dict[str, Any]:
    values = {name: data[name] for name in CLIENT_FIELDS if name in data}
    for name in ("first_name", "last_name", "street", "languages"):
        if name in values:
            values[name] = (values[name] or "").strip()
    values["national_number"] = clean_national_number(
        values.get("national_number", ""), values.get("birth_date")
    )
    values["phone"] = clean_phone(values.get("phone", ""))
    values["email"] = (values.get("email") or "").strip().lower()
    values["municipality"] = municipality_for(
        values["postcode"], values.get("municipality"), lookups=lookups
    )
    if "work_limitations" in values:
        limitations = set(values["work_limitations"] or ())
        if not limitations <= set(WorkDemand.values):
            raise DomainError(_("Choose work limitations from the list."), field="work_limitations")
        values["work_limitations"] = sorted(limitations)
    birth = values["birth_date"]
    if birth > timezone.localdate():
        raise DomainError(_("The date of birth lies in the future."), field="birth_date")
    if values["national_number"]:
        found = lookups.registered(values["national_number"], exclude_pk)
        if found is not None:
            raise DuplicateClientError(found)
    return values


def _organisation_of(user: User) -> Organisation:
    organisation = user.primary_organisation
    if organisation is None:
        raise DomainError(_("You have no role in an organisation: ask your administrator."))
    return organisation


@transaction.atomic
def client_register(
    *,
    data: dict[str, Any],
    job_targets: Iterable[Occupation] = (),
    by: User,
    referral: Referral | None = None,
) -> Client:
    """Register a client (one dossier per person); links the referral it came from."""
    values = _clean_client(data)
    client = Client(**values, organisation=_organisation_of(by), registered_by=by)
    client.save()
    job_targets = list(job_targets)
    job_targets_set(client, job_targets)
    if referral is not None:
        referral.client = client
        referral.save(update_fields=["client"])
    audit(
        by,
        "clients.client.registered",
        client,
        {"referral": referral.pk if referral else None, "job_targets": len(list(job_targets))},
    )
    return client


@transaction.atomic
def client_update(
    client: Client,
    *,
    data: dict[str, Any],
    job_targets: Iterable[Occupation] | None = None,
    expected_version: int,
    by: User,
    reason: str = "",
) -> Client:
    """Change a client's data; a stale form (someone saved meanwhile) is refused.

    R-PRV-6 (rectification, art. 16 GDPR): the audit event holds every changed field as
    ``[old, new]`` and the optional reason for the rectification as its purpose.
    """
    values = _clean_client(data, exclude_pk=client.pk)
    changes = diff(client, values)
    for name, value in values.items():
        setattr(client, name, value)
    client.refresh_search_text()
    save_versioned(
        client, expected_version=expected_version, update_fields=[*values, "search_text"]
    )
    if job_targets is not None:
        before = set(client.job_targets.values_list("pk", flat=True))
        targets = list(job_targets)
        job_targets_set(client, targets)
        after = {t.pk for t in targets}
        if before != after:
            changes["job_targets"] = [sorted(before), sorted(after)]
    audit(by, "clients.client.updated", client, changes, purpose=(reason or "").strip())
    return client


def job_targets_set(client: Client, job_targets: Iterable[Occupation]) -> None:
    """Set the client's job targets and the copy of their codes that matching reads.

    The only writer of `Client.job_targets` (callers audit the change).
    """
    targets = list(job_targets)
    client.job_targets.set(targets)
    client.job_target_codes = ",".join(sorted({t.isco_code for t in targets}))
    Client.objects.filter(pk=client.pk).update(job_target_codes=client.job_target_codes)


def dossier_viewed(client: Client, *, by: User, purpose: str = "") -> None:
    """R-PRV-4: every read of a dossier leaves an audit event."""
    audit(by, "clients.client.viewed", client, purpose=purpose)


# --- Referral and warm handover (seed 001, R-TRJ-9) ---------------------------------------


@transaction.atomic
def referral_create(*, data: dict[str, Any], by: User) -> Referral:
    """A social worker or counsellor refers a person to a coach or organisation."""
    if not by.has_role(Role.SOCIAL_WORKER, Role.COUNSELLOR, Role.TEAM_LEAD, Role.COACH):
        raise DomainError(_("Only social workers, counsellors and coaches can refer clients."))
    national_number = clean_national_number(data.get("national_number", ""), data["birth_date"])
    to_organisation: Organisation = data["to_organisation"]
    to_coach: User | None = data.get("to_coach")
    if to_coach is not None and to_organisation.pk not in to_coach.organisation_ids(Role.COACH):
        raise DomainError(
            _("%(coach)s is not a coach at %(organisation)s.")
            % {"coach": to_coach.full_name, "organisation": to_organisation.name},
            field="to_coach",
        )
    if not (data.get("context") or "").strip():
        raise DomainError(_("Write a handover note for the coach."), field="context")
    client = data.get("client")
    if client is None and national_number:
        client = Client.objects.filter(national_number=national_number).first()
    referral = Referral.objects.create(
        kind=data["kind"],
        first_name=data["first_name"].strip(),
        last_name=data["last_name"].strip(),
        birth_date=data["birth_date"],
        national_number=national_number,
        client=client,
        referred_by=by,
        from_organisation=_organisation_of(by),
        to_organisation=to_organisation,
        to_coach=to_coach,
        referred_on=data["referred_on"],
        context=data["context"].strip(),
        first_meeting=data.get("first_meeting"),
    )
    audit(by, "clients.referral.created", referral, {"to": to_organisation.pk})
    return referral


def _decision_day(on: datetime.date | None, earliest: datetime.date, field: str) -> datetime.date:
    """The day a decision is recorded: today, or the past day an import or the demo names."""
    today = timezone.localdate()
    if on is None:
        return today
    if on > today:
        raise DomainError(_("The decision cannot be dated in the future."), field=field)
    if on < earliest:
        raise DomainError(
            _("The decision cannot be dated before %(date)s.") % {"date": short_date(earliest)},
            field=field,
        )
    return on


def _check_answerable(referral: Referral, by: User) -> None:
    if referral.status != ReferralStatus.PENDING:
        raise DomainError(_("This referral has already been answered."), code="answered")
    allowed = referral.to_coach_id == by.pk or (
        referral.to_organisation_id
        in by.organisation_ids(Role.COACH) | by.organisation_ids(Role.TEAM_LEAD)
        and (referral.to_coach_id is None or by.has_role(Role.TEAM_LEAD))
    )
    if not allowed:
        raise DomainError(_("Only the coach this referral is addressed to can answer it."))


@transaction.atomic
def referral_accept(
    referral: Referral,
    *,
    expected_version: int,
    by: User,
    on: datetime.date | None = None,
) -> Referral:
    """The coach accepts: the referral becomes theirs; the handover note stays in the dossier.

    ``on`` (default today) records an earlier acceptance, for imports and the demo.
    """
    _check_answerable(referral, by)
    decided_on = _decision_day(on, referral.referred_on, "decided_on")
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_by = by
    referral.decided_on = decided_on
    if referral.to_coach_id is None:
        referral.to_coach = by
    save_versioned(
        referral,
        expected_version=expected_version,
        update_fields=["status", "decided_by", "decided_on", "to_coach"],
    )
    audit(by, "clients.referral.accepted", referral)
    return referral


@transaction.atomic
def referral_decline(
    referral: Referral,
    *,
    reason: str,
    expected_version: int,
    by: User,
    on: datetime.date | None = None,
) -> Referral:
    """The coach declines, with a reason the referrer reads; ``on`` as in ``referral_accept``."""
    _check_answerable(referral, by)
    if not (reason or "").strip():
        raise DomainError(_("Say why you decline this referral."), field="decline_reason")
    decided_on = _decision_day(on, referral.referred_on, "decided_on")
    referral.status = ReferralStatus.DECLINED
    referral.decided_by = by
    referral.decided_on = decided_on
    referral.decline_reason = reason.strip()
    save_versioned(
        referral,
        expected_version=expected_version,
        update_fields=["status", "decided_by", "decided_on", "decline_reason"],
    )
    audit(by, "clients.referral.declined", referral, {"reason": referral.decline_reason})
    return referral


# --- Intake (R-INT-1, R-INT-2) ------------------------------------------------------------

INTAKE_FIELDS = (
    "assessed_on",
    "strengths",
    "preconditions",
    "recent_experience",
    "experience_months",
    "learning_potential",
    "max_regime",
    "social_economy_highest",
    "faster_route",
)


def suggested_verdict(intake: Intake) -> eligibility.EligibilityVerdict:
    """R-INT-2: the verdict the rules core suggests for this assessment."""
    return eligibility.suggest_verdict(
        eligibility.IntakeAssessment(
            max_regime=Decimal(intake.max_regime),
            learning_potential=eligibility.LearningPotential(intake.learning_potential),
            social_economy_highest=intake.social_economy_highest,
            faster_route=intake.faster_route,
        ),
        ruleset_on(intake.assessed_on),
    )


@transaction.atomic
def intake_record(
    client: Client,
    *,
    data: dict[str, Any],
    barriers: Iterable[tuple[str, str, str]] = (),
    job_targets: Iterable[Occupation] | None = None,
    by: User,
) -> Intake:
    """Record an intake assessment (R-INT-1) with its thresholds and the suggested verdict."""
    values = {name: data[name] for name in INTAKE_FIELDS if name in data}
    if values["assessed_on"] > timezone.localdate():
        raise DomainError(_("An intake cannot be assessed in the future."), field="assessed_on")
    ruleset_on(values["assessed_on"], field="assessed_on")  # R-VER-1: refused before the first
    if not (values.get("strengths") or "").strip():
        raise DomainError(_("Describe the client's work-related strengths."), field="strengths")
    intake = Intake(client=client, assessor=by, **values)
    verdict = suggested_verdict(intake)
    intake.suggested_eligible = verdict.eligible
    intake.suggested_reasons = [problem.code for problem in verdict.failed]
    intake.save()
    Barrier.objects.bulk_create(
        Barrier(intake=intake, category=category, severity=severity, note=note)
        for category, severity, note in barriers
    )
    if job_targets is not None:
        job_targets_set(client, job_targets)
    audit(
        by,
        "clients.intake.recorded",
        intake,
        {"suggested_eligible": verdict.eligible, "failed": intake.suggested_reasons},
    )
    return intake


@transaction.atomic
def intake_decide(
    intake: Intake,
    *,
    decision: str,
    motivation: str,
    alternative_route: str = "",
    alternative_note: str = "",
    expected_version: int,
    by: User,
    on: datetime.date | None = None,
) -> Intake:
    """The human decision with the instroommotivatie (R-INT-2); not eligible ⇒ the route.

    ``on`` (default today) records an earlier decision, for imports and the demo; it lies
    between the assessment and today.
    """
    if decision not in (IntakeDecision.ELIGIBLE, IntakeDecision.NOT_ELIGIBLE):
        raise DomainError(_("Choose a decision."), field="decision")
    if not (motivation or "").strip():
        raise DomainError(
            _("Write the motivation for this decision (instroommotivatie)."), field="motivation"
        )
    if decision == IntakeDecision.NOT_ELIGIBLE and not alternative_route:
        raise DomainError(
            _("Record the alternative route for a client who does not enter TWE."),
            field="alternative_route",
        )
    decided_on = _decision_day(on, intake.assessed_on, "decided_on")
    intake.decision = decision
    intake.motivation = motivation.strip()
    intake.alternative_route = alternative_route if decision == IntakeDecision.NOT_ELIGIBLE else ""
    intake.alternative_note = alternative_note.strip()
    intake.decided_by = by
    intake.decided_on = decided_on
    save_versioned(
        intake,
        expected_version=expected_version,
        update_fields=[
            "decision",
            "motivation",
            "alternative_route",
            "alternative_note",
            "decided_by",
            "decided_on",
        ],
    )
    differs = (decision == IntakeDecision.ELIGIBLE) != intake.suggested_eligible
    audit(
        by,
        "clients.intake.decided",
        intake,
        {"decision": decision, "differs_from_suggestion": differs},
    )
    return intake


# --- Journal, documents, consent --------------------------------------------------------


@transaction.atomic
def journal_add(client: Client, *, data: dict[str, Any], by: User) -> JournalEntry:
    if data["on"] > timezone.localdate():
        raise DomainError(_("A contact moment cannot lie in the future."), field="on")
    if not (data.get("notes") or "").strip():
        raise DomainError(_("Write what was discussed."), field="notes")
    entry = JournalEntry.objects.create(
        client=client,
        trajectory=data.get("trajectory"),
        on=data["on"],
        kind=data["kind"],
        participants=(data.get("participants") or "").strip(),
        notes=data["notes"].strip(),
        author=by,
    )
    audit(by, "clients.journal.added", entry, {"kind": entry.kind, "on": entry.on})
    return entry


@transaction.atomic
def document_add(client: Client, *, title: str, file: Any, by: User) -> Document:
    document = Document.objects.create(
        client=client, title=title.strip(), file=file, uploaded_by=by
    )
    audit(by, "clients.document.added", document, {"title": document.title})
    return document


def document_downloaded(document: Document, *, by: User) -> None:
    audit(by, "clients.document.downloaded", document)


@transaction.atomic
def consent_record(client: Client, *, data: dict[str, Any], by: User) -> Consent:
    """R-PRV-5: record what the client agreed to share with whom, until when."""
    until = data.get("until")
    if until and until < data["given_on"]:
        raise DomainError(_("The end date lies before the date it was given."), field="until")
    consent = Consent.objects.create(
        client=client,
        organisation=data["organisation"],
        scope=data["scope"].strip(),
        given_on=data["given_on"],
        until=until,
        recorded_by=by,
    )
    audit(by, "clients.consent.recorded", consent, {"until": until})
    return consent


@transaction.atomic
def consent_withdraw(consent: Consent, *, on: datetime.date, by: User) -> Consent:
    if consent.withdrawn_on is not None:
        raise DomainError(_("This consent was already withdrawn."))
    if on < consent.given_on:
        raise DomainError(_("A consent cannot be withdrawn before it was given."), field="on")
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    audit(by, "clients.consent.withdrawn", consent, {"on": on})
    return consent


# --- Protected section (R-PRV-3) -----------------------------------------------------------


def lead_coaches_of(trajectories: Iterable[Any]) -> set[int]:
    """The lead coaches of the open trajectories; of the latest one when all are closed."""
    ordered = sorted(trajectories, key=lambda t: (t.start, t.pk), reverse=True)
    return {t.coach_id for t in ordered if t.status != "stopped"} or {
        t.coach_id for t in ordered[:1]
    }


def lead_coach_ids(client: Client) -> set[int]:
    return lead_coaches_of(client.trajectories.only("pk", "start", "status", "coach_id"))


def may_read_protected(client: Client, user: User) -> bool:
    """R-PRV-3: the lead coach and explicitly authorised users only."""
    if user.pk in lead_coach_ids(client):
        return True
    return SensitiveAccess.objects.filter(client=client, user=user).exists()


def _require_protected(client: Client, user: User) -> None:
    if not may_read_protected(client, user):
        raise DomainError(
            _("Only the lead coach and users they authorised can use the protected section."),
            code="forbidden",
        )


@transaction.atomic
def sensitive_note_add(client: Client, *, category: str, text: str, by: User) -> SensitiveNote:
    _require_protected(client, by)
    if not (text or "").strip():
        raise DomainError(_("The note is empty."), field="text")
    note = SensitiveNote.objects.create(
        client=client, category=category, ciphertext=crypto.encrypt(text.strip()), author=by
    )
    audit(by, "clients.sensitive_note.added", note, {"category": category})
    return note


@transaction.atomic
def sensitive_note_read(note: SensitiveNote, *, purpose: str, by: User) -> str:
    """Return the note's text; the read is audited with the reader's purpose (R-PRV-3)."""
    _require_protected(note.client, by)
    if not (purpose or "").strip():
        raise DomainError(_("Say why you read this note."), field="purpose")
    audit(by, "clients.sensitive_note.read", note, purpose=purpose.strip())
    return crypto.decrypt(note.ciphertext)


@transaction.atomic
def sensitive_access_grant(client: Client, *, user: User, by: User) -> SensitiveAccess:
    if by.pk not in lead_coach_ids(client):
        raise DomainError(_("Only the lead coach can authorise others."), code="forbidden")
    if not Client.objects.visible_to(user).filter(pk=client.pk).exists():
        raise DomainError(_("This user has no access to the dossier."), field="user")
    access, _created = SensitiveAccess.objects.get_or_create(
        client=client, user=user, defaults={"granted_by": by}
    )
    audit(by, "clients.sensitive_access.granted", client, {"user": user.pk})
    return access


@transaction.atomic
def sensitive_access_revoke(access: SensitiveAccess, *, by: User) -> None:
    client = access.client
    if by.pk not in lead_coach_ids(client):
        raise DomainError(_("Only the lead coach can withdraw an authorisation."), code="forbidden")
    user_pk = access.user_id
    access.delete()
    audit(by, "clients.sensitive_access.revoked", client, {"user": user_pk})
