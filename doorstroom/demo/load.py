"""Large synthetic data for benchmarks (``manage.py generate_load``, issue 11).

A region like Flanders: OCMWs with a service area, VDAB offices and partner organisations,
about 50 running trajectories per coach, employers with workplaces, and five years of dossiers.
Nothing goes through the services (no per-row audit): organisations and users use
``bulk_create``; employers, workplaces and the dossiers are inserted in batches with keys given
up front (``load_rows``), the dossiers in chunks of 2,000 clients, one transaction each.
The denormalised columns hold what the services would have stored: ``Client.search_text`` and
``job_target_codes``, ``Workplace.trained_codes``, ``Employer.search_text``,
``PlanVersion.is_current``/``open_competences`` and the trajectory's caseload columns (from
the rules core, see ``load_story``). Deterministic for a seed and a day.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection, models, transaction

from doorstroom.accounts.models import Membership, Municipality, Organisation, PostalCode, User
from doorstroom.accounts.roles import OrganisationKind, Role
from doorstroom.clients.models import Occupation
from doorstroom.core.text import normalise
from doorstroom.demo.accounts import ADMIN_GROUP
from doorstroom.demo.clients import NAMES
from doorstroom.demo.context import DEMO_PASSWORD
from doorstroom.demo.load_rows import insert_rows, make
from doorstroom.demo.load_story import ART60, WZ, Skeleton
from doorstroom.employers.models import (
    Agreement,
    AgreementKind,
    ContactRole,
    Employer,
    EmployerContact,
    EmployerKind,
    Sector,
    Workplace,
    WorkplaceCompetence,
)
from doorstroom.plans.models import Competence
from doorstroom.rules.periods import add_days

SCALES = {"s": 1_000, "m": 10_000, "l": 100_000}
CHUNK = 2_000  # clients per transaction
BATCH = 5_000  # rows per INSERT
CASELOAD = 50  # running trajectories per coach
KNOWN = ("coach", "teamlead", "counsellor", "admin")
TRAINED_ON = datetime.date(2024, 1, 15)

FIRST_NAMES = sorted({n[0] for n in NAMES} | {"Lars", "Emma", "Noah", "Yasmine", "Marc"})
LAST_NAMES = sorted({n[1] for n in NAMES} | {"Peeters", "Janssens", "Maes", "Jacobs"})
JOB_TITLES = [
    "Magazijnmedewerker", "Orderpicker", "Schoonmaker", "Keukenhulp", "Hulpkok",
    "Kassamedewerker", "Groenarbeider", "Productiemedewerker", "Bouwvakker",
    "Logistiek assistent zorg", "Onderhoudsmedewerker", "Kringwinkelmedewerker",
]  # fmt: skip
SECTOR_WORDS = {
    Sector.CLEANING: "Schoonmaak", Sector.LOGISTICS: "Logistiek", Sector.HOSPITALITY: "Horeca",
    Sector.GREEN: "Groen", Sector.CARE: "Zorg", Sector.RETAIL: "Winkel",
    Sector.MANUFACTURING: "Productie", Sector.RECYCLING: "Kringloop",
}  # fmt: skip


@dataclass(frozen=True)
class Size:
    """How much to make; everything scales with the number of clients."""

    clients: int

    @property
    def ocmws(self) -> int:
        return max(2, self.clients // 2_000)

    @property
    def vdab_offices(self) -> int:
        return max(1, self.clients // 20_000)

    @property
    def partners(self) -> int:
        return max(1, self.clients // 8_000)

    @property
    def employers(self) -> int:
        return max(4, self.clients // 20)

    @property
    def workplaces(self) -> int:
        return max(8, self.clients // 5)


@dataclass
class Org:
    pk: int
    kind: str
    name: str
    area: list[int]
    trajectories: int = 0
    running: int = 0
    users: dict[str, list[User]] = field(default_factory=lambda: defaultdict(list))
    workplaces: list[Workplace] = field(default_factory=list)
    employers: list[Employer] = field(default_factory=list)


@dataclass
class ClientPlan:
    organisation: int
    kind: str
    municipality: int
    tracks: list[Skeleton]


@dataclass
class World:
    """What the chunks share: reference data, organisations, people and workplaces."""

    today: datetime.date
    seed: int
    size: Size
    municipalities: list[int] = field(default_factory=list)
    postcodes: dict[int, str] = field(default_factory=dict)
    occupations: list[Occupation] = field(default_factory=list)
    competences: list[Competence] = field(default_factory=list)
    orgs: dict[int, Org] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    mentors: dict[int, list[EmployerContact]] = field(default_factory=dict)
    emails: dict[int, str] = field(default_factory=dict)
    ids: dict[type[models.Model], int] = field(default_factory=dict)
    serials: Counter[datetime.date] = field(default_factory=Counter)

    def rng(self, *key: object) -> random.Random:
        seed = f"{self.seed}:{':'.join(map(str, key))}"
        return random.Random(seed)  # noqa: S311  (deterministic load data, not security)

    def insert(self, model: type[models.Model], rows: list[Any]) -> None:
        if rows:
            model._default_manager.bulk_create(rows, batch_size=BATCH)
        self.counts[model._meta.label] += len(rows)

    def add(self, model: type[models.Model], **values: Any) -> Any:
        """A new instance of ``model`` with its primary key already given (see ``load_rows``)."""
        obj = make(model, **values)
        obj.pk = self.next_id(model)
        return obj

    def next_id(self, model: type[models.Model]) -> int:
        """The next primary key of ``model`` (the chunks give keys themselves, see ``flush``)."""
        if model not in self.ids:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
            self.ids[model] = top or 0
        self.ids[model] += 1
        return self.ids[model]

    def of_kind(self, kind: str) -> list[Org]:
        return [o for o in self.orgs.values() if o.kind == kind]


# --- Reference data and organisations -----------------------------------------------------


def load_reference(world: World) -> None:
    flemish = Municipality.objects.filter(region_refnis="02000").order_by("refnis")
    world.municipalities = list(flemish.values_list("pk", flat=True))
    for code, municipality in PostalCode.objects.order_by("-code").values_list(
        "code", "municipality_id"
    ):
        world.postcodes[municipality] = code  # the lowest code of the municipality wins
    world.occupations = list(Occupation.objects.filter(is_active=True).order_by("pk"))
    world.competences = list(Competence.objects.filter(is_active=True).order_by("pk"))


def create_organisations(world: World) -> None:
    rng, size = world.rng("organisations"), world.size
    shuffled = world.municipalities[:]
    rng.shuffle(shuffled)
    per_area = max(1, min(8, len(shuffled) // size.ocmws))
    names = Municipality.objects.in_bulk(world.municipalities)
    rows: list[Organisation] = []
    areas: list[list[int]] = []
    for i in range(size.ocmws):
        area = shuffled[i * per_area : (i + 1) * per_area] or [rng.choice(shuffled)]
        areas.append(area)
        rows.append(_organisation(f"OCMW {names[area[0]].name_nl}", OrganisationKind.OCMW, area))
    seats = rng.sample(world.municipalities, size.vdab_offices + size.partners)
    for i, seat in enumerate(seats):
        kind = OrganisationKind.VDAB if i < size.vdab_offices else OrganisationKind.PARTNER
        label = "VDAB" if kind == OrganisationKind.VDAB else "Leerwerkbedrijf"
        areas.append([seat])
        rows.append(_organisation(f"{label} {names[seat].name_nl}", kind, [seat]))
    world.insert(Organisation, rows)
    through = Organisation.service_area.through
    links = [
        through(organisation_id=o.pk, municipality_id=m)
        for o, area in zip(rows, areas, strict=True)
        if o.kind == OrganisationKind.OCMW
        for m in area
    ]
    world.insert(through, links)
    for o, area in zip(rows, areas, strict=True):
        world.orgs[o.pk] = Org(o.pk, o.kind, o.name, area)


def _organisation(name: str, kind: str, area: list[int]) -> Organisation:
    return Organisation(name=name, kind=kind, municipality_id=area[0])


# --- Skeletons: who has which trajectories when ----------------------------------------------


def plan_clients(world: World) -> list[ClientPlan]:
    rng = world.rng("skeletons")
    ocmws, partners = world.of_kind(OrganisationKind.OCMW), world.of_kind(OrganisationKind.PARTNER)
    weights = [len(o.area) for o in ocmws]
    everywhere = [m for o in ocmws for m in o.area]
    plans = []
    for index in range(world.size.clients):
        home = rng.choices(ocmws, weights)[0]
        kind = ART60 if rng.random() < 0.7 else WZ
        org = home if kind == ART60 else rng.choice(partners)
        municipality = rng.choice(home.area if kind == ART60 else everywhere)
        count = rng.choices((0, 1, 2, 3), (8, 42, 42, 8))[0]
        tracks = _tracks(rng, world.today, index, org.pk, kind, count)
        plans.append(ClientPlan(org.pk, kind, municipality, tracks))
        org.trajectories += len(tracks)
        org.running += sum(t.stop is None for t in tracks)
    return plans


def _tracks(
    rng: random.Random, today: datetime.date, client: int, org: int, kind: str, count: int
) -> list[Skeleton]:
    """Trajectories one after the other, the latest started at most ~3 years ago."""
    tracks: list[Skeleton] = []
    start = add_days(today, -rng.randint(0, 1000))
    for _ in range(count):
        duration = rng.randint(60, 720)
        stop = add_days(start, duration)
        tracks.append(Skeleton(client, org, kind, start, stop if stop < today else None))
        start = add_days(start, -rng.randint(90, 720) - rng.randint(30, 300))
        if start < add_days(today, -6 * 365):
            break
    tracks.reverse()
    for earlier, later in itertools.pairwise(tracks):
        if earlier.stop is None or earlier.stop >= later.start:
            earlier.stop = add_days(later.start, -rng.randint(30, 120))
    return [t for t in tracks if t.stop is None or t.stop > t.start]


# --- People ---------------------------------------------------------------------------------


def create_users(world: World) -> None:
    rng = world.rng("users")
    password = make_password(DEMO_PASSWORD)
    users: list[User] = []
    roles: list[tuple[User, Org, str]] = []
    for org in world.orgs.values():
        for role, count in _staffing(world, org).items():
            for _ in range(count):
                user = _person(rng, password, len(users))
                users.append(user)
                roles.append((user, org, role))
                org.users[role].append(user)
    world.insert(User, users)
    world.emails.update((u.pk, u.email) for u in users)
    world.insert(
        Membership, [Membership(user=u, organisation_id=o.pk, role=r) for u, o, r in roles]
    )
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    admins = [u for u, _o, r in roles if r == Role.ADMIN]
    User.objects.filter(pk__in=[u.pk for u in admins]).update(is_staff=True)
    world.insert(User.groups.through, [User.groups.through(user=u, group=group) for u in admins])


def _staffing(world: World, org: Org) -> dict[str, int]:
    coaches = max(2, round(org.running / CASELOAD))
    if org.kind == OrganisationKind.VDAB:
        wz = sum(o.trajectories for o in world.of_kind(OrganisationKind.PARTNER))
        return {Role.COUNSELLOR: max(2, wz // (400 * world.size.vdab_offices)), Role.TEAM_LEAD: 1}
    staff: dict[str, int] = {Role.COACH: coaches, Role.TEAM_LEAD: 1 + coaches // 12}
    if org.kind == OrganisationKind.OCMW:
        staff.update({Role.SOCIAL_WORKER: 2, Role.ADMIN: 1, Role.PRIVACY_OFFICER: 1})
    return staff


def _person(rng: random.Random, password: str, n: int) -> User:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = normalise(f"{first}.{last}").replace(" ", "").replace("'", "")
    return User(
        email=f"{local}.{n}@load.test",
        first_name=first,
        last_name=last,
        password=password,
        privacy_training_date=TRAINED_ON if rng.random() < 0.97 else None,
    )


def assign_coaches(world: World, plans: list[ClientPlan]) -> None:
    """Running trajectories spread over the organisation's coaches (~50 each)."""
    rng = world.rng("coaches")
    for plan in plans:
        org = world.orgs[plan.organisation]
        coaches = org.users[Role.COACH]
        for track in plan.tracks:
            track.coach = rng.choice(coaches).pk


def name_known_accounts(world: World, plans: list[ClientPlan]) -> dict[str, User]:
    """Give the benchmark's known logins their addresses (all users share the password)."""
    largest = max(world.of_kind(OrganisationKind.OCMW), key=lambda o: (o.trajectories, -o.pk))
    running = Counter(t.coach for p in plans for t in p.tracks if t.stop is None)
    coach = min(largest.users[Role.COACH], key=lambda u: (abs(running[u.pk] - CASELOAD), u.pk))
    vdab = world.of_kind(OrganisationKind.VDAB)[0]
    known = {
        "coach": coach,
        "teamlead": largest.users[Role.TEAM_LEAD][0],
        "counsellor": vdab.users[Role.COUNSELLOR][0],
        "admin": largest.users[Role.ADMIN][0],
    }
    for key, user in known.items():
        user.email = f"{key}@load.test"
        user.privacy_training_date = TRAINED_ON
        world.emails[user.pk] = user.email
        User.objects.filter(pk=user.pk).update(email=user.email, privacy_training_date=TRAINED_ON)
    return known


# --- Employers and workplaces ---------------------------------------------------------------


def create_employers(world: World) -> None:
    rng = world.rng("employers")
    hosts = [o for o in world.orgs.values() if o.kind != OrganisationKind.VDAB]
    weights = [max(1, o.trajectories) for o in hosts]
    employers = [_employer(world, rng, o, first=True) for o in hosts]
    while len(employers) < world.size.employers:
        employers.append(_employer(world, rng, rng.choices(hosts, weights)[0], first=False))
    insert_rows(world.counts, Employer, employers)
    contacts, agreements = _contacts_and_agreements(world, rng, employers)
    insert_rows(world.counts, EmployerContact, contacts)
    insert_rows(world.counts, Agreement, agreements)
    for contact in contacts:
        if contact.role == ContactRole.MENTOR:
            world.mentors.setdefault(contact.employer_id, []).append(contact)
    create_workplaces(world, rng, employers)


def _enterprise_number(rng: random.Random) -> str:
    """A valid KBO number: 0 + 7 digits + the mod-97 check (as stdnum.be.vat checks it)."""
    base = rng.randint(2_000_000, 9_999_999)
    return f"0{base}{97 - base % 97:02d}"


def _employer(world: World, rng: random.Random, org: Org, *, first: bool) -> Employer:
    if first:
        internal = org.kind == OrganisationKind.OCMW
        kind = EmployerKind.INTERNAL if internal else EmployerKind.LEERWERKBEDRIJF
    else:
        kind = EmployerKind.NEC if rng.random() < 0.8 else EmployerKind.LEERWERKBEDRIJF
    sector = rng.choice(list(SECTOR_WORDS))
    name = f"{SECTOR_WORDS[sector]} {rng.choice(LAST_NAMES)} {rng.choice(('BV', 'NV', 'vzw'))}"
    if kind == EmployerKind.INTERNAL:
        name = f"Werkvloer {org.name}"
    municipality = rng.choice(org.area)
    number = _enterprise_number(rng)
    employer = world.add(
        Employer,
        organisation_id=org.pk,
        name=name,
        enterprise_number=number,
        kind=kind,
        sector=sector,
        postcode=world.postcodes.get(municipality, ""),
        municipality_id=municipality,
        contact_coach=rng.choice(org.users[Role.COACH]),
        search_text=normalise(f"{name} {number}")[:400],  # employers.services._search_text
    )
    org.employers.append(employer)
    return employer


def _contacts_and_agreements(
    world: World, rng: random.Random, employers: list[Employer]
) -> tuple[list[EmployerContact], list[Agreement]]:
    contacts: list[EmployerContact] = []
    agreements: list[Agreement] = []
    for employer in employers:
        for i in range(1 + rng.randint(1, 2)):
            role = ContactRole.CONTACT if i == 0 else ContactRole.MENTOR
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            contacts.append(world.add(EmployerContact, employer=employer, role=role, name=name))
        start = add_days(world.today, -rng.randint(100, 1800))
        end = add_days(world.today, rng.randint(-60, 120)) if rng.random() < 0.12 else None
        agreements.append(
            world.add(
                Agreement,
                employer=employer,
                kind=AgreementKind.COOPERATION,
                start=start,
                end=end,
                signed_on=start,
                signed_by_employer=contacts[-1].name,
                signed_by_organisation="Voorzitter",
                commitment_clause=True,
            )
        )
    return contacts, agreements


def create_workplaces(world: World, rng: random.Random, employers: list[Employer]) -> None:
    places = [_workplace(world, rng, e) for e in employers]
    places += [
        _workplace(world, rng, rng.choice(employers))
        for _ in range(len(employers), world.size.workplaces)
    ]
    trained: list[WorkplaceCompetence] = []
    for place in places:
        picked = rng.sample(world.competences, k=min(len(world.competences), rng.randint(2, 4)))
        trained += [
            world.add(WorkplaceCompetence, workplace=place, competence=c, level=rng.randint(1, 4))
            for c in picked
        ]
        # employers.services._set_competences: the sorted codes, comma-separated
        place.trained_codes = ",".join(sorted(c.code for c in picked))
    insert_rows(world.counts, Workplace, places)
    insert_rows(world.counts, WorkplaceCompetence, trained)
    orgs_of = {e.pk: e.organisation_id for e in employers}
    for place in places:
        world.orgs[orgs_of[place.employer_id]].workplaces.append(place)


def _workplace(world: World, rng: random.Random, employer: Employer) -> Workplace:
    demands = rng.sample(
        ["lifting", "standing", "walking", "fine_hand_use", "outdoor"], k=rng.randint(0, 2)
    )
    return world.add(
        Workplace,
        employer=employer,
        title=rng.choice(JOB_TITLES),
        occupation=rng.choice(world.occupations),
        demands=demands,
        requires_driving_licence=rng.random() < 0.1,
        dutch_level=rng.choice(("none", "A1", "A2", "B1")),
        municipality_id=employer.municipality_id,
        capacity=rng.randint(1, 4),
        contact_coach_id=employer.contact_coach_id,
        last_reviewed=add_days(world.today, -rng.randint(0, 420)),
    )


# --- The whole run --------------------------------------------------------------------------


def generate(
    size: Size,
    *,
    today: datetime.date,
    seed: int = 2026,
    progress: Callable[[str], None] = lambda _message: None,
) -> Counter[str]:
    """Fill an empty, migrated database; return the number of rows made per model."""
    from doorstroom.demo.load_dossiers import write_chunk

    world = World(today=today, seed=seed, size=size)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # 256 MB of page cache: the indexes of a 100,000-client database stay in memory.
            cursor.execute("PRAGMA cache_size = -262144")
    load_reference(world)
    with transaction.atomic():
        create_organisations(world)
        plans = plan_clients(world)
        create_users(world)
        assign_coaches(world, plans)
        name_known_accounts(world, plans)
        create_employers(world)
    progress(f"organisations, {len(plans)} client plans, users and employers ready")
    for first in range(0, len(plans), CHUNK):
        write_chunk(world, plans[first : first + CHUNK], first // CHUNK)
        progress(f"clients {min(first + CHUNK, len(plans))}/{len(plans)}")
    reset_sequences(world)
    analyse()
    progress("planner statistics gathered (ANALYZE)")
    return world.counts


def analyse() -> None:
    """Gather the query planner's statistics of the freshly filled tables.

    Without them SQLite guesses: it matched a workplace against the clients by reading every
    running trajectory (150 ms at scale l) rather than the coach's scope by index (30 ms); and
    PostgreSQL's autovacuum analyses a bulk load only some time after it (issue 11).
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def reset_sequences(world: World) -> None:
    """After keys given by hand, PostgreSQL's sequences must continue after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(world.ids))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
