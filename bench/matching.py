"""Benchmark: matching one client against 5,000 workplaces, one workplace against 20,000 clients.

Target (issue #5): under 200 ms server time each on the development machine, with a constant
number of queries. Not a test: run it by hand or with `make bench-matching`:

    .venv/bin/python -m bench.matching                     # a throwaway SQLite database
    DATABASE_URL=postgres://… .venv/bin/python -m bench.matching   # an EMPTY PostgreSQL database

It builds the data with bulk inserts (about a minute), then times the two selectors that the
matching pages call (`matches_for_client`, `matches_for_workplace`) and prints p50/p95 and the
query count of each; `matches_for_workplace` twice: for a workplace without an agreement (every
candidate excluded) and for an open one (every candidate scored). The database is migrated
first; a database from an earlier run is reused.
"""

from __future__ import annotations

import importlib
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

WORKPLACES = 5_000
CLIENTS = 20_000
REPEAT = 15


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import call_command

    # whitenoise's "No directory at var/static/": nothing here serves static files
    warnings.filterwarnings("ignore", message="No directory at")
    # Start as a gunicorn worker does (config/wsgi.py freezes the start-up heap): bench/pages.py.
    importlib.import_module("config.wsgi")

    call_command("migrate", verbosity=0)


def build() -> tuple[Any, Any, Any]:
    import datetime
    import random

    from django.utils import timezone

    from doorstroom.accounts.models import Membership, Municipality, Organisation, User
    from doorstroom.accounts.roles import OrganisationKind, Role
    from doorstroom.clients.models import Client, Intake, Occupation
    from doorstroom.employers.models import (
        Agreement,
        ContactRole,
        Employer,
        EmployerContact,
        Workplace,
        WorkplaceCompetence,
    )
    from doorstroom.plans.models import Competence, PlanCompetence, PlanVersion
    from doorstroom.trajectories.models import Trajectory

    rng = random.Random(5)
    today = timezone.localdate()
    municipalities = list(Municipality.objects.filter(region_refnis="02000"))
    if not municipalities:
        municipalities = list(Municipality.objects.all())
    organisation = Organisation.objects.create(name="OCMW Bench", kind=OrganisationKind.OCMW)
    organisation.service_area.set(municipalities)
    coach = User.objects.create_user(
        email="bench@example.test", password=None, first_name="B", last_name="Ench"
    )
    Membership.objects.create(user=coach, organisation=organisation, role=Role.COACH)
    occupations = list(Occupation.objects.all())
    competences = list(Competence.objects.all())
    demands = ["lifting", "standing", "walking", "fine_hand_use", "outdoor", "shift_work"]

    employers = Employer.objects.bulk_create(
        Employer(
            organisation=organisation,
            name=f"Werkgever {n}",
            kind=rng.choice(["internal", "leerwerkbedrijf", "nec"]),
            sector="other",
            municipality=rng.choice(municipalities),
        )
        for n in range(WORKPLACES // 4)
    )
    EmployerContact.objects.bulk_create(
        EmployerContact(employer=e, role=ContactRole.CONTACT, name="Contact") for e in employers
    )
    Agreement.objects.bulk_create(
        Agreement(
            employer=e,
            kind="cooperation",
            start=today - datetime.timedelta(days=400),
            end=None if n % 5 else today + datetime.timedelta(days=30),
            signed_on=today - datetime.timedelta(days=400),
            signed_by_employer="x",
            signed_by_organisation="y",
            commitment_clause=n % 11 != 0,
        )
        for n, e in enumerate(employers)
    )
    trains = [rng.sample(competences, 4) for _ in range(WORKPLACES)]
    workplaces = Workplace.objects.bulk_create(
        Workplace(
            employer=employers[n % len(employers)],
            title=f"Werkplek {n}",
            occupation=rng.choice(occupations),
            demands=rng.sample(demands, rng.randint(0, 3)),
            requires_driving_licence=rng.random() < 0.1,
            dutch_level=rng.choice(["none", "A1", "A2", "B1"]),
            min_regime=Decimal("0.50"),
            max_regime=rng.choice([Decimal("0.80"), Decimal("1.00")]),
            municipality=rng.choice(municipalities),
            capacity=rng.randint(1, 4),
            last_reviewed=today - datetime.timedelta(days=rng.randint(0, 500)),
            trained_codes=",".join(sorted(c.code for c in trains[n])),  # as the service
        )
        for n in range(WORKPLACES)
    )
    WorkplaceCompetence.objects.bulk_create(
        WorkplaceCompetence(workplace=w, competence=c, level=rng.randint(1, 4))
        for w, chosen in zip(workplaces, trains, strict=True)
        for c in chosen
    )
    targets = [rng.sample(occupations, 2) for _ in range(CLIENTS)]
    clients = Client.objects.bulk_create(
        Client(
            first_name="Cliënt",
            last_name=f"Nummer {n}",
            birth_date=datetime.date(1980 + n % 20, 1 + n % 12, 1 + n % 28),
            postcode="2440",
            municipality=rng.choice(municipalities),
            income="leefloon",
            dutch_level=rng.choice(["none", "A1", "A2", "B1", "B2"]),
            driving_licence=rng.random() < 0.3,
            own_transport=rng.random() < 0.3,
            max_regime=rng.choice([Decimal("0.50"), Decimal("0.80"), Decimal("1.00")]),
            work_limitations=rng.sample(demands, rng.randint(0, 2)),
            organisation=organisation,
            registered_by=coach,
            search_text=f"client nummer {n}",
            job_target_codes=",".join(sorted(o.isco_code for o in targets[n])),  # as the service
        )
        for n in range(CLIENTS)
    )
    through = Client.job_targets.through
    through.objects.bulk_create(
        through(client_id=c.pk, occupation_id=o.pk)
        for c, chosen in zip(clients, targets, strict=True)
        for o in chosen
    )
    intakes = Intake.objects.bulk_create(
        Intake(
            client=c,
            assessed_on=today - datetime.timedelta(days=100),
            assessor=coach,
            strengths="x",
            max_regime=Decimal("1.00"),
            decision="eligible",
        )
        for c in clients
    )
    Trajectory.objects.bulk_create(
        Trajectory(
            client=c,
            kind="art60",
            organisation=organisation,
            coach=coach,
            intake=i,
            start=today - datetime.timedelta(days=90),
            status="running",
            phase="experience",
        )
        for c, i in zip(clients, intakes, strict=True)
    )
    # Every client has a POP (two versions: matching reads the latest, R-PLC-5).
    trajectories = list(Trajectory.objects.filter(organisation=organisation))
    lines = {
        (t.pk, number): [(c, rng.randint(1, 3)) for c in rng.sample(competences, 4)]
        for t in trajectories
        for number in (1, 2)
    }
    versions = PlanVersion.objects.bulk_create(
        PlanVersion(
            trajectory=t,
            number=number,
            drawn_up_on=today - datetime.timedelta(days=80 - 40 * (number - 1)),
            author=coach,
            goals="Werken",
            is_current=number == 2,
            # as plans.services.version_create keeps it: the codes still below the target
            open_competences=",".join(c.code for c, level in lines[t.pk, number] if level < 3),
        )
        for t in trajectories
        for number in (1, 2)
    )
    PlanCompetence.objects.bulk_create(
        PlanCompetence(version=v, competence=c, current_level=level, target_level=3)
        for v in versions
        for c, level in lines[v.trajectory_id, v.number]
    )
    coach = User.objects.get(pk=coach.pk)
    return coach, clients[len(clients) // 2], workplaces[len(workplaces) // 2]


def measure(label: str, call: Callable[[], object]) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    call()  # warm up
    times, queries = [], set()
    for _ in range(REPEAT):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        queries.add(len(captured))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{label:<48} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
        f"queries {sorted(queries)}"
    )


def _calibration() -> int:
    return sum(i * i for i in range(300_000))


def main() -> None:
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from doorstroom.accounts.models import User
    from doorstroom.clients.models import Client
    from doorstroom.employers import selectors
    from doorstroom.employers.models import Workplace

    started = time.perf_counter()
    existing = User.objects.filter(email="bench@example.test").first()
    if existing is None:
        coach, client, workplace = build()
    else:  # a database built by an earlier run (DATABASE_URL given): reuse it
        coach = existing
        client = Client.objects.order_by("pk")[CLIENTS // 2]
        workplace = Workplace.objects.order_by("pk")[WORKPLACES // 2]
    print(f"database: {connection.vendor}; built in {time.perf_counter() - started:.0f} s")
    # The machine's speed varies (a shared VM): a fixed pure-Python workload, timed in the same
    # run, tells a slow moment from a slow change when two runs are compared.
    measure("calibration: a fixed pure-Python loop", _calibration)
    today = timezone.localdate()
    measure(
        f"one client against {WORKPLACES:,} workplaces",
        lambda: selectors.matches_for_client(coach, client, today),
    )
    measure(
        f"one workplace against {CLIENTS:,} clients",
        lambda: selectors.matches_for_workplace(coach, workplace, today),
    )
    # The workplace above has no cooperation agreement: every candidate is excluded. An open
    # one (agreement in force, a free place) scores every candidate instead.
    opened = _open_workplace(coach, workplace.pk, today)
    measure(
        f"one open workplace against {CLIENTS:,} clients",
        lambda: selectors.matches_for_workplace(coach, opened, today),
    )


def _open_workplace(coach: Any, from_pk: int, today: Any) -> Any:
    """The first workplace from `from_pk` on that can take a client (issue 11)."""
    from doorstroom.employers import selectors
    from doorstroom.employers.models import Workplace
    from doorstroom.rules.matching import AgreementState

    candidates = Workplace.objects.visible_to(coach).filter(pk__gte=from_pk, pk__lt=from_pk + 50)
    for profile in sorted(selectors.workplace_profiles(candidates, today), key=lambda p: int(p.id)):
        if profile.agreement is not AgreementState.MISSING and profile.occupied < profile.capacity:
            return Workplace.objects.get(pk=int(profile.id))
    raise LookupError("no open workplace among the 50 after the middle one")


if __name__ == "__main__":
    main()
