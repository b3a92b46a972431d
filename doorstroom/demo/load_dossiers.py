"""One chunk of ``generate_load``: clients with their intakes, trajectories and everything after.

Every object gets its primary key when it is made (``Chunk.add``), so children point at their
parents before anything is written; then the chunk is inserted table by table in the order of
``ORDER`` (``load_rows.insert_rows``), in one transaction. Only the POP version's "follows the
evaluation" link points forward; it is written by one UPDATE per chunk.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction

from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients.models import (
    AlternativeRoute,
    Client,
    Consent,
    ContactKind,
    Intake,
    IntakeDecision,
    JournalEntry,
    Referral,
    ReferralStatus,
    SensitiveNote,
)
from doorstroom.core import crypto
from doorstroom.core.models import AuditEvent
from doorstroom.demo.clients import LANGUAGES
from doorstroom.demo.load import FIRST_NAMES, LAST_NAMES, ClientPlan, World
from doorstroom.demo.load_rows import insert_rows, make
from doorstroom.demo.load_story import WORK_OUTFLOWS, Story, plan, signal_columns
from doorstroom.employers.models import (
    EmployerContact,
    EmployerKind,
    Placement,
    PlacementFollowUp,
    PlacementKind,
    RegimeStep,
    Workplace,
)
from doorstroom.evaluations.models import Evaluation, EvaluationScore, EvaluationStatus, Source
from doorstroom.plans.models import PlanAction, PlanCompetence, PlanVersion
from doorstroom.plans.services import CompetenceLine, open_competences
from doorstroom.reports.models import (
    AftercareContact,
    EndReport,
    EndReportStatus,
    Outflow,
    OutflowFollowUp,
)
from doorstroom.rules.periods import add_days, period_end
from doorstroom.trajectories.choices import HandoverKind, Status
from doorstroom.trajectories.models import (
    EmploymentContract,
    Handover,
    PhaseExtension,
    Suspension,
    Trajectory,
    TrajectoryPhase,
)

ORDER: list[type[models.Model]] = [
    Client,
    Client.job_targets.through,
    Consent,
    SensitiveNote,
    Referral,
    Intake,
    Trajectory,
    TrajectoryPhase,
    PhaseExtension,
    Handover,
    Suspension,
    EmploymentContract,
    Placement,
    RegimeStep,
    PlacementFollowUp,
    PlanVersion,
    PlanCompetence,
    PlanAction,
    Evaluation,
    EvaluationScore,
    JournalEntry,
    Outflow,
    EndReport,
    OutflowFollowUp,
    AftercareContact,
]
STREETS = ("Kerkstraat", "Stationsstraat", "Markt", "Dorp", "Molenstraat", "Schoolstraat")
NOTES = [
    "Gesprek over de voortgang op de werkvloer; afspraken overlopen.",
    "Telefonisch contact: klant meldt zich ziek, volgt op.",
    "Werkplekbezoek met de mentor: tempo gaat vooruit, stiptheid blijft een aandachtspunt.",
    "Huisbezoek: kinderopvang geregeld, vervoer blijft moeilijk.",
    "Casusoverleg met de maatschappelijk werker over de schulden.",
    "E-mail van de mentor: positieve feedback over de samenwerking.",
]


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.time(rng.randint(7, 17), rng.randint(0, 59))
    return datetime.datetime.combine(day, moment, tzinfo=datetime.UTC)


@dataclass
class Chunk:
    world: World
    rng: random.Random
    rows: dict[type[models.Model], list[Any]] = field(default_factory=lambda: defaultdict(list))
    follows: list[tuple[PlanVersion, Evaluation]] = field(default_factory=list)
    done: list[tuple[Trajectory, Story]] = field(default_factory=list)
    reads: list[tuple[Client, int, datetime.date]] = field(default_factory=list)

    def add(self, obj: Any) -> Any:
        """Queue ``obj`` with its primary key already given, so children can point at it."""
        obj.pk = self.world.next_id(type(obj))
        self.rows[type(obj)].append(obj)
        return obj

    def flush(self) -> None:
        for model in ORDER:
            insert_rows(self.world.counts, model, self.rows.pop(model, []))
        table = PlanVersion._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {connection.ops.quote_name(table)} SET evaluation_id = %s WHERE id = %s",  # noqa: S608  (table name from the model, values as parameters)
                [(e.pk, v.pk) for v, e in self.follows],
            )


def write_chunk(world: World, plans: list[ClientPlan], index: int) -> None:
    """Write the dossiers of ``plans`` (one transaction)."""
    chunk = Chunk(world, world.rng("chunk", index))
    with transaction.atomic():
        for client_plan in plans:
            _dossier(chunk, client_plan)
        chunk.flush()
        events = _audit_trail(chunk)
        for event in events:
            event.pk = world.next_id(AuditEvent)
        insert_rows(world.counts, AuditEvent, events)


# --- The client ---------------------------------------------------------------------------


def _dossier(chunk: Chunk, client_plan: ClientPlan) -> None:
    rng, world = chunk.rng, chunk.world
    stories = [plan(t, world.today, rng, len(world.competences)) for t in client_plan.tracks]
    first_day = add_days(
        stories[0].skeleton.start if stories else world.today,
        -rng.randint(5, 40 if stories else 1800),
    )
    org = world.orgs[client_plan.organisation]
    registrar = (
        client_plan.tracks[0].coach if client_plan.tracks else rng.choice(org.users[Role.COACH]).pk
    )
    client = chunk.add(_client(chunk, client_plan, first_day, registrar))
    _client_extras(chunk, client, stories)
    if not stories:
        _not_eligible(chunk, client, first_day, registrar)
    for story in stories:
        _trajectory(chunk, client, story)


def _national_number(world: World, birth: datetime.date) -> str:
    world.serials[birth] += 1
    serial = world.serials[birth]
    if serial > 997:
        return ""
    digits = f"{birth:%y%m%d}{serial:03d}"
    number = int(("2" if birth.year >= 2000 else "") + digits)
    return f"{digits}{97 - number % 97:02d}"


def _client(
    chunk: Chunk, client_plan: ClientPlan, first_day: datetime.date, registrar: int
) -> Client:
    rng, world = chunk.rng, chunk.world
    birth = datetime.date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28))
    languages, levels = (
        LANGUAGES["nl"] if rng.random() < 0.6 else rng.choice(list(LANGUAGES.values()))
    )
    client = make(
        Client,
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        birth_date=birth,
        national_number=_national_number(world, birth),
        street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        postcode=world.postcodes.get(client_plan.municipality, "1000"),
        municipality_id=client_plan.municipality,
        phone=f"04{rng.randint(70, 99)}{rng.randint(100000, 999999)}",
        languages=languages,
        dutch_level=rng.choice(levels),
        income="leefloon" if client_plan.kind == "art60" else "job_seeker",
        vdab_registration_date=add_days(first_day, -rng.randint(30, 700)),
        driving_licence=rng.random() < 0.4,
        own_transport=rng.random() < 0.3,
        max_regime=rng.choice((Decimal("1.00"), Decimal("1.00"), Decimal("0.80"), Decimal("0.50"))),
        work_limitations=rng.sample(
            ["lifting", "standing", "shift_work"], k=rng.choice((0, 0, 0, 1))
        ),
        organisation_id=client_plan.organisation,
        registered_by_id=registrar,
        created_at=_at(first_day, rng),
    )
    client.refresh_search_text()  # what Client.save() keeps
    return client


def _client_extras(chunk: Chunk, client: Client, stories: list[Story]) -> None:
    rng, world = chunk.rng, chunk.world
    targets = rng.sample(world.occupations, k=rng.randint(1, 3))
    through = Client.job_targets.through
    for occupation in targets:
        chunk.add(make(through, client=client, occupation=occupation))
    # clients.services.job_targets_set: the sorted ISCO codes, comma-separated
    client.job_target_codes = ",".join(sorted({o.isco_code for o in targets}))
    if stories:
        last = stories[-1]
        vdab = rng.choice(world.of_kind(OrganisationKind.VDAB))
        chunk.add(
            make(
                Consent,
                client=client,
                organisation_id=vdab.pk,
                scope="Trajectgegevens, evaluaties en eindverslag",
                given_on=last.skeleton.start,
                until=last.consent_until,
                recorded_by_id=last.skeleton.coach,
            )
        )
    if rng.random() < 0.03:
        text = "Medische opvolging bij de huisarts; beperkte belastbaarheid rug."
        chunk.add(
            make(
                SensitiveNote,
                client=client,
                category="medical",
                ciphertext=crypto.encrypt(text),
                author_id=client.registered_by_id,
            )
        )


def _not_eligible(chunk: Chunk, client: Client, day: datetime.date, assessor: int) -> None:
    rng = chunk.rng
    decided = rng.random() < 0.7
    chunk.add(
        make(
            Intake,
            client=client,
            assessed_on=day,
            assessor_id=assessor,
            strengths="Gemotiveerd, praktisch ingesteld.",
            learning_potential=rng.choice(("low", "moderate", "good")),
            max_regime=Decimal("0.50"),
            decision=IntakeDecision.NOT_ELIGIBLE if decided else IntakeDecision.PENDING,
            alternative_route=rng.choice(AlternativeRoute.values) if decided else "",
            decided_by_id=assessor if decided else None,
            decided_on=day if decided else None,
        )
    )
    chunk.reads.append((client, assessor, day))


# --- The trajectory -------------------------------------------------------------------------


def _trajectory(chunk: Chunk, client: Client, story: Story) -> None:
    rng, sk = chunk.rng, story.skeleton
    referral = _referral(chunk, client, story) if sk.kind == "wz" else None
    intake = chunk.add(
        make(
            Intake,
            client=client,
            assessed_on=add_days(sk.start, -rng.randint(0, 20)),
            assessor_id=sk.coach,
            strengths="Stipt, werkt graag met de handen.",
            preconditions="Kinderopvang en vervoer regelen.",
            learning_potential=rng.choice(("moderate", "good")),
            max_regime=Decimal("1.00"),
            suggested_eligible=True,
            decision=IntakeDecision.ELIGIBLE,
            motivation="Klaar voor werkervaring op de werkvloer.",
            decided_by_id=sk.coach,
            decided_on=add_days(sk.start, -rng.randint(0, 3)),
        )
    )
    intake.decided_on = max(intake.assessed_on, intake.decided_on)
    trajectory = chunk.add(
        make(
            Trajectory,
            client=client,
            kind=sk.kind,
            organisation_id=sk.organisation,
            coach_id=sk.coach,
            intake=intake,
            referral=referral,
            start=sk.start,
            status=story.status,
            phase=story.phase,
            stopped_on=sk.stop,
            stop_reason=story.stop_reason,
            stop_motivation="Zie eindverslag." if sk.stop else "",
            closed_on=story.end_report_on,
            created_at=_at(sk.start, rng),
            **signal_columns(story),
        )
    )
    _phases(chunk, trajectory, story, referral)
    _ao_and_suspensions(chunk, trajectory, story)
    placements = _placements(chunk, trajectory, story)
    _development(chunk, trajectory, story, placements)
    _journal(chunk, client, trajectory, story)
    _ending(chunk, trajectory, story)
    chunk.done.append((trajectory, story))


def _referral(chunk: Chunk, client: Client, story: Story) -> Referral:
    rng, sk = chunk.rng, story.skeleton
    vdab = rng.choice(chunk.world.of_kind(OrganisationKind.VDAB))
    return chunk.add(
        make(
            Referral,
            kind=sk.kind,
            first_name=client.first_name,
            last_name=client.last_name,
            birth_date=client.birth_date,
            national_number=client.national_number,
            client=client,
            referred_by=rng.choice(vdab.users[Role.COUNSELLOR]),
            from_organisation_id=vdab.pk,
            to_organisation_id=sk.organisation,
            to_coach_id=sk.coach,
            referred_on=sk.start,
            context="Warme overdracht: gemotiveerd, zoekt werk in de logistiek.",
            status=ReferralStatus.ACCEPTED,
            decided_by_id=sk.coach,
            decided_on=sk.start,
        )
    )


def _phases(chunk: Chunk, trajectory: Trajectory, story: Story, referral: Referral | None) -> None:
    sk = story.skeleton
    for p in story.phases:
        phase = chunk.add(
            make(
                TrajectoryPhase,
                trajectory=trajectory,
                phase=p.phase,
                start=p.start,
                planned_end=p.planned_end,
                end=p.end,
                decision=p.decision,
                decided_by="VDAB-consulent" if p.decision else "",
            )
        )
        for until in p.extensions:
            chunk.add(
                make(
                    PhaseExtension,
                    phase=phase,
                    until=until,
                    motivation="Verlengd na evaluatie.",
                    by_id=sk.coach,
                )
            )
    chunk.add(
        make(
            Handover,
            trajectory=trajectory,
            kind=HandoverKind.START,
            on=sk.start,
            from_coach=referral.referred_by if referral else None,
            to_coach_id=sk.coach,
            from_organisation_id=referral.from_organisation_id if referral else None,
            to_organisation_id=sk.organisation,
            note=referral.context if referral else "Gestart na de intake.",
            by_id=sk.coach,
        )
    )


def _ao_and_suspensions(chunk: Chunk, trajectory: Trajectory, story: Story) -> None:
    coach = story.skeleton.coach
    for start, end in story.suspensions:
        chunk.add(
            make(
                Suspension,
                trajectory=trajectory,
                start=start,
                end=end,
                reason="Ziekte.",
                by_id=coach,
            )
        )
    if story.ao is None:
        return
    start, end = story.ao
    hours = chunk.rng.choice((Decimal("19.0"), Decimal("30.4"), Decimal("38.0")))
    chunk.add(
        make(
            EmploymentContract,
            trajectory=trajectory,
            start=start,
            end=end,
            weekly_hours=hours,
            rva_status="answered",
            rva_days=Decimal("312.0"),
            rva_end=period_end(start, 18),
            end_reason="Einde traject" if end else "",
        )
    )


def _placements(chunk: Chunk, trajectory: Trajectory, story: Story) -> list[Placement]:
    rng, world, coach = chunk.rng, chunk.world, story.skeleton.coach
    places: list[Workplace] = world.orgs[story.skeleton.organisation].workplaces
    made = []
    for p in story.placements:
        place = rng.choice(places)
        mentors: list[EmployerContact | None] = [*world.mentors.get(place.employer_id, [])]
        internal = place.employer.kind == EmployerKind.INTERNAL
        placement = chunk.add(
            make(
                Placement,
                trajectory=trajectory,
                workplace=place,
                mentor=rng.choice(mentors) if mentors else None,
                kind=PlacementKind.INTERNAL_WORKFLOOR
                if internal
                else PlacementKind.WORK_EXPERIENCE,
                start=p.start,
                planned_end=p.planned_end,
                end=p.end,
                end_reason=p.end_reason,
                created_by_id=coach,
            )
        )
        chunk.add(make(RegimeStep, placement=placement, start=p.start, regime=Decimal(p.regime)))
        for day in p.followups:
            chunk.add(
                make(
                    PlacementFollowUp,
                    placement=placement,
                    on=day,
                    by_id=coach,
                    notes=rng.choice(NOTES),
                )
            )
        made.append(placement)
    return made


def _development(
    chunk: Chunk, trajectory: Trajectory, story: Story, placements: list[Placement]
) -> None:
    """POP versions (as plans.services.version_create stores them) and evaluations."""
    competences, coach = chunk.world.competences, story.skeleton.coach
    versions = []
    for v in story.versions:
        lines = [CompetenceLine(competences[c], tgt, cur) for c, cur, tgt in v.competences]
        version = chunk.add(
            make(
                PlanVersion,
                trajectory=trajectory,
                number=v.number,
                drawn_up_on=v.day,
                author_id=coach,
                goals="Stipt op het werk komen\nZelfstandig een taak afwerken",
                is_current=v.number == len(story.versions),
                open_competences=open_competences(lines),
            )
        )
        for line in lines:
            chunk.add(
                make(
                    PlanCompetence,
                    version=version,
                    competence=line.competence,
                    current_level=line.current_level,
                    target_level=line.target_level,
                )
            )
        due = add_days(v.day, 60)
        status = "done" if due < chunk.world.today else "planned"
        chunk.add(
            make(
                PlanAction,
                version=version,
                what="Opleiding heftruck volgen",
                who="Klant",
                due=due,
                status=status,
            )
        )
        versions.append(version)
    evaluations = [
        _evaluation(chunk, trajectory, story, e, versions, placements) for e in story.evaluations
    ]
    for v, version in zip(story.versions, versions, strict=True):
        if v.after_evaluation is not None:
            chunk.follows.append((version, evaluations[v.after_evaluation]))
    _next_evaluation(chunk, trajectory, story)


def _evaluation(
    chunk: Chunk,
    trajectory: Trajectory,
    story: Story,
    e: Any,
    versions: list[PlanVersion],
    placements: list[Placement],
) -> Evaluation:
    rng, coach = chunk.rng, story.skeleton.coach
    version = versions[e.version] if e.version is not None else None
    placement = placements[e.placement] if e.placement is not None else None
    evaluation = chunk.add(
        make(
            Evaluation,
            trajectory=trajectory,
            kind=e.kind,
            planned_on=e.planned_on,
            status=EvaluationStatus.COMPLETED,
            placement=placement,
            plan_version=version,
            held_on=e.held_on,
            conclusions="Vooruitgang op stiptheid; tempo blijft een werkpunt.",
            created_by_id=coach,
            completed_by_id=coach,
        )
    )
    plan_lines = story.versions[e.version].competences if e.version is not None else []
    for c, cur, _target in plan_lines:
        sources = [Source.COACH]
        sources += [Source.SELF] if rng.random() < 0.4 else []
        sources += [Source.MENTOR] if placement is not None and rng.random() < 0.3 else []
        for source in sources:
            level = min(4, (cur or 1) + rng.randint(0, 1))
            chunk.add(
                make(
                    EvaluationScore,
                    evaluation=evaluation,
                    competence=chunk.world.competences[c],
                    source=source,
                    level=level,
                )
            )
    return evaluation


def _next_evaluation(chunk: Chunk, trajectory: Trajectory, story: Story) -> None:
    if story.status == Status.STOPPED:
        return
    last = max((e.planned_on for e in story.evaluations), default=story.skeleton.start)
    chunk.add(
        make(
            Evaluation,
            trajectory=trajectory,
            kind="six_monthly",
            planned_on=max(add_days(story.today, 1), period_end(last, 6)),
            created_by_id=story.skeleton.coach,
        )
    )


def _journal(chunk: Chunk, client: Client, trajectory: Trajectory, story: Story) -> None:
    rng, coach = chunk.rng, story.skeleton.coach
    for day in story.journal:
        chunk.add(
            make(
                JournalEntry,
                client=client,
                trajectory=trajectory,
                on=day,
                kind=rng.choice(ContactKind.values),
                notes=rng.choice(NOTES),
                author_id=coach,
                created_at=_at(day, rng),
            )
        )
        chunk.reads.append((client, coach, day))


def _ending(chunk: Chunk, trajectory: Trajectory, story: Story) -> None:
    rng, coach = chunk.rng, story.skeleton.coach
    if story.outflow:
        on, kind = story.outflow
        to_work = kind in WORK_OUTFLOWS
        chunk.add(
            make(
                Outflow,
                trajectory=trajectory,
                on=on,
                kind=kind,
                employer_name=f"{rng.choice(LAST_NAMES)} BV" if to_work else "",
                contract_type=rng.choice(("permanent", "fixed_term", "temporary"))
                if to_work
                else "",
                recorded_by_id=coach,
            )
        )
    if story.end_report_on:
        chunk.add(
            make(
                EndReport,
                trajectory=trajectory,
                status=EndReportStatus.FINAL,
                summary="Traject afgerond; zie de competenties en de aanbeveling.",
                author_id=coach,
                finalised_on=story.end_report_on,
                finalised_by_id=coach,
            )
        )
    stop = story.skeleton.stop or story.today
    for months in story.followups:
        measured = add_days(period_end(stop, months), rng.randint(0, 14))
        chunk.add(
            make(
                OutflowFollowUp,
                trajectory=trajectory,
                months=months,
                measured_on=min(measured, story.today),
                at_work=rng.random() < 0.6,
                recorded_by_id=coach,
            )
        )
    for planned, held in story.aftercare:
        chunk.add(
            make(
                AftercareContact,
                trajectory=trajectory,
                kind="job_coaching",
                planned_on=planned,
                held_on=held,
                created_by_id=coach,
            )
        )


# --- The audit trail: dossier writes and reads ----------------------------------------------


def _audit_trail(chunk: Chunk) -> list[AuditEvent]:
    rng, emails = chunk.rng, chunk.world.emails
    events = []
    for trajectory, story in chunk.done:
        sk = story.skeleton
        event = _event(
            trajectory, sk.coach, emails, "trajectories.trajectory.started", _at(sk.start, rng)
        )
        event.changes = {"kind": sk.kind, "start": sk.start.isoformat()}
        events.append(event)
        if sk.stop:
            event = _event(
                trajectory, sk.coach, emails, "trajectories.trajectory.stopped", _at(sk.stop, rng)
            )
            event.changes = {"on": sk.stop.isoformat(), "reason": story.stop_reason}
            events.append(event)
    for client, actor, day in chunk.reads:
        events.append(_event(client, actor, emails, "clients.client.viewed", _at(day, rng)))
    return events


def _event(
    target: Client | Trajectory,
    actor: int,
    emails: dict[int, str],
    action: str,
    at: datetime.datetime,
) -> AuditEvent:
    return make(
        AuditEvent,
        at=at,
        actor_id=actor,
        actor_label=emails[actor],
        organisation_id=target.organisation_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:254],
    )
