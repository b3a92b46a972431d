"""Reads of employers, workplaces, placements and matches: scoped, constant query counts."""

from __future__ import annotations

import datetime
import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection, connections
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast
from django.utils import timezone

from doorstroom.accounts.models import User
from doorstroom.clients.models import Client, ClientQuerySet, DutchLevel
from doorstroom.core.regulation import ruleset_on
from doorstroom.core.text import normalise
from doorstroom.employers.models import (
    Agreement,
    AgreementKind,
    ContactRole,
    Employer,
    EmployerContact,
    Placement,
    Workplace,
)
from doorstroom.plans.models import PlanVersion
from doorstroom.rules import deadlines as rule_deadlines
from doorstroom.rules import matching
from doorstroom.rules.deadlines import Deadline
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.models import Trajectory

# 0 for no Dutch, 1..6 for A1..C2 (the rules core's scale)
DUTCH_RANK = {level: rank for rank, level in enumerate(DutchLevel.values)}


# --- Employers ---------------------------------------------------------------------------


def employer_list(
    user: User, *, q: str = "", kind: str = "", sector: str = ""
) -> QuerySet[Employer]:
    employers = Employer.objects.visible_to(user).select_related("municipality", "contact_coach")
    if q:
        employers = employers.filter(search_text__contains=normalise(q))
    if kind:
        employers = employers.filter(kind=kind)
    if sector:
        employers = employers.filter(sector=sector)
    return (
        employers.annotate(
            workplace_count=Count("workplaces", filter=Q(workplaces__is_active=True), distinct=True)
        )
        .order_by("name", "pk")
        .prefetch_related(
            "agreements",
            Prefetch(
                "contacts",
                queryset=EmployerContact.objects.filter(role=ContactRole.CONTACT, is_active=True),
            ),
        )
    )


def agreement_status(agreements: Iterable[Agreement], today: datetime.date) -> str:
    """`in_force`, `expiring` (within the rule set's window) or `missing` (R-PLC-1)."""
    window = ruleset_on(today).matching.agreement_expiring_days
    best = matching.AgreementState.MISSING
    for agreement in agreements:
        if agreement.kind != AgreementKind.COOPERATION:
            continue
        if not (agreement.commitment_clause and agreement.in_force_on(today)):
            continue
        if agreement.end is not None and (agreement.end - today).days <= window:
            best = matching.AgreementState.EXPIRING
        else:
            return matching.AgreementState.IN_FORCE.value
    return best.value


def latest_cooperation(agreements: Iterable[Agreement]) -> Agreement | None:
    """The most recent signed cooperation agreement: older ones are superseded."""
    signed = [a for a in agreements if a.kind == AgreementKind.COOPERATION and a.signed_on]
    return max(signed, key=lambda a: (a.start, a.pk), default=None)


def employer_deadlines(employer: Employer, today: datetime.date) -> list[Deadline]:
    """Agreement expiry (R-PLC-1) and job-profile reviews (R-PLC-7) of a prefetched employer."""
    ruleset = ruleset_on(today)
    found = []
    latest = latest_cooperation(employer.agreements.all())
    if latest is not None and latest.end is not None:
        found.append(
            rule_deadlines.agreement_expiry(
                str(latest.pk), latest.end, today=today, ruleset=ruleset
            )
        )
    found += [
        rule_deadlines.profile_review_due(str(w.pk), w.last_reviewed, today=today, ruleset=ruleset)
        for w in employer.workplaces.all()
        if w.is_active
    ]
    return sorted(found, key=lambda d: (d.severity.rank, d.due))


@dataclass(frozen=True)
class EmployerSignal:
    """A deadline on an employer or workplace for the caseload panel and the digest."""

    deadline: Deadline
    employer: Employer
    workplace: Workplace | None = None
    agreement: Agreement | None = None


# The columns a signal reads: its deadline's date and the names and links it shows.
SIGNAL_WORKPLACE_FIELDS = ("title", "last_reviewed", "employer__name")
SIGNAL_AGREEMENT_FIELDS = ("start", "end", "employer__name")


def employer_signals(user: User, today: datetime.date, within_days: int) -> list[EmployerSignal]:
    """Job-profile reviews for the contact coach, agreement expiries for the account coach."""
    ruleset = ruleset_on(today)
    horizon = today + datetime.timedelta(days=within_days)
    months = ruleset.placements.profile_review_months
    signals: list[EmployerSignal] = []
    workplaces = (
        Workplace.objects.visible_to(user)
        .filter(
            contact_coach=user,
            is_active=True,
            last_reviewed__lte=horizon - datetime.timedelta(days=28 * months),
        )
        .select_related("employer")
        # what a signal shows (caseload panel, digest): not the profile's texts (issue 11)
        .only(*SIGNAL_WORKPLACE_FIELDS)
        .order_by()  # sorted below, by urgency: no ORDER BY to build (issue 11)
    )
    for workplace in workplaces:
        deadline = rule_deadlines.profile_review_due(
            str(workplace.pk), workplace.last_reviewed, today=today, ruleset=ruleset
        )
        if deadline.due <= horizon:
            signals.append(EmployerSignal(deadline, workplace.employer, workplace=workplace))
    newer = Agreement.objects.filter(
        employer=OuterRef("employer"),
        kind=AgreementKind.COOPERATION,
        signed_on__isnull=False,
        start__gt=OuterRef("start"),
    )
    agreements = (
        Agreement.objects.visible_to(user)
        .filter(
            employer__contact_coach=user,
            employer__is_active=True,
            kind=AgreementKind.COOPERATION,
            signed_on__isnull=False,
            end__isnull=False,
            end__lte=horizon,
        )
        .exclude(Exists(newer))
        .select_related("employer")
        .only(*SIGNAL_AGREEMENT_FIELDS)
        .order_by()
    )
    for agreement in agreements:
        assert agreement.end is not None
        deadline = rule_deadlines.agreement_expiry(
            str(agreement.pk), agreement.end, today=today, ruleset=ruleset
        )
        signals.append(EmployerSignal(deadline, agreement.employer, agreement=agreement))
    return sorted(signals, key=lambda s: (s.deadline.severity.rank, s.deadline.due))


def signal_recipients() -> QuerySet[User]:
    """Users who follow up a workplace or an employer (for the daily digest)."""
    return User.objects.filter(
        Q(pk__in=Workplace.objects.filter(is_active=True).values("contact_coach"))
        | Q(pk__in=Employer.objects.filter(is_active=True).values("contact_coach")),
        is_active=True,
    )


def employer_detail(user: User, pk: int) -> Employer:
    """One employer with everything its page shows, prefetched (raises 404 outside scope)."""
    from doorstroom.core.scoping import get_for_user_or_404

    queryset = (
        Employer.objects.visible_to(user)
        .select_related("municipality", "contact_coach", "organisation")
        .prefetch_related(
            Prefetch("contacts", queryset=EmployerContact.objects.filter(is_active=True)),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.select_related("trajectory__client"),
            ),
            Prefetch(
                "workplaces",
                queryset=Workplace.objects.select_related("occupation", "municipality")
                .annotate(
                    running=Count(
                        "placements",
                        filter=Q(placements__end__isnull=True)
                        | Q(placements__end__gte=timezone.localdate()),
                    )
                )
                .order_by("-is_active", "title"),
            ),
        )
    )
    return get_for_user_or_404(queryset, user, pk=pk)


def placements_visible_at(user: User, employer: Employer) -> QuerySet[Placement]:
    """Placements at this employer that the user may see (client data stays scoped, R-PRV-1)."""
    return (
        Placement.objects.visible_to(user)
        .filter(workplace__employer=employer)
        .select_related("workplace", "trajectory__client", "mentor")
        .order_by("-start")
    )


# --- Matching (R-PLC-5) ------------------------------------------------------------------


def _agreement_states(employer_ids: QuerySet[Any], today: datetime.date) -> dict[int, str]:
    """`agreement_status` for many employers, in one aggregate query (R-PLC-1).

    An employer's cooperation agreements in force today (signed, with the commitment clause)
    reduce to: is one open-ended, and the last end date. In force when one runs past the
    rule set's expiry window, expiring when all end within it, missing when none is in force.
    """
    window = ruleset_on(today).matching.agreement_expiring_days
    rows = (
        Agreement.objects.filter(
            employer_id__in=employer_ids,
            kind=AgreementKind.COOPERATION,
            commitment_clause=True,
            signed_on__lte=today,
            start__lte=today,
        )
        .exclude(end__lt=today)
        .order_by()
        .values("employer_id")
        .annotate(open=Count("pk", filter=Q(end__isnull=True)), last=Max("end"))
        .values_list("employer_id", "open", "last")
    )
    in_force = matching.AgreementState.IN_FORCE.value
    expiring = matching.AgreementState.EXPIRING.value
    return {
        pk: in_force if open_ended or (last - today).days > window else expiring
        for pk, open_ended, last in rows
    }


@lru_cache(maxsize=256)
def _demands(text: str | None) -> frozenset[matching.Demand]:
    """Parse a stored demand list once per distinct value (lists repeat a lot)."""
    return frozenset(matching.Demand(d) for d in json.loads(text or "[]"))


@lru_cache(maxsize=64)
def _regime(text: str | int | float | Decimal | None) -> Decimal | None:
    return None if text is None else Decimal(str(text)).quantize(Decimal("0.01"))


# Matching reads thousands of rows: plain tuples, JSON and decimals as text parsed once per
# distinct value, and related rows fetched through the same subquery instead of id lists.
# (bench/matching.py measures it.)


def workplace_profiles(
    workplaces: QuerySet[Workplace], today: datetime.date
) -> list[matching.WorkplaceProfile]:
    """The rules core's view of the active `workplaces`, in three queries whatever their number.

    The trained competences come from the workplace's copy of their codes (kept by
    employers.services._set_competences).
    """
    active = workplaces.filter(is_active=True, employer__is_active=True)
    rows = active.order_by().values_list(
        "pk",
        "employer_id",
        "occupation__isco_code",
        "trained_codes",
        Cast("demands", TextField()),
        Cast("min_regime", TextField()),
        Cast("max_regime", TextField()),
        "dutch_level",
        "requires_driving_licence",
        "municipality__refnis",
        "municipality__province_refnis",
        "capacity",
    )
    subquery = active.values("pk")
    occupied = dict(
        Placement.objects.filter(workplace__in=subquery, start__lte=today)
        .exclude(end__lt=today)
        .values("workplace_id")
        .annotate(n=Count("pk"))
        .values_list("workplace_id", "n")
    )
    states = {
        pk: matching.AgreementState(state)
        for pk, state in _agreement_states(active.values("employer_id"), today).items()
    }
    missing = matching.AgreementState.MISSING
    return [
        matching.WorkplaceProfile(
            id=str(pk),
            employer=str(employer_id),
            occupation=isco,
            trains=_codes(trained),
            demands=_demands(demands),
            min_regime=_regime(low) or Decimal("0.50"),
            max_regime=_regime(high) or Decimal("1.00"),
            dutch_level=DUTCH_RANK.get(dutch, 0),
            requires_driving_licence=bool(licence),
            municipality=refnis,
            arrondissement=refnis[:2] + "000" if refnis else None,
            province=province or None,
            capacity=capacity,
            occupied=occupied.get(pk, 0),
            agreement=states.get(employer_id, missing),
        )
        for (
            pk,
            employer_id,
            isco,
            trained,
            demands,
            low,
            high,
            dutch,
            licence,
            refnis,
            province,
            capacity,
        ) in _fetch(rows)  # booleans as 0/1 on SQLite: read as truth values
    ]


def _open_competences() -> Subquery:
    """The POP competences a client still works on (current level below the target).

    Read from the current POP version of the client's running or suspended trajectory, where
    version_create keeps them as one text: a client without a POP gets NULL (matching leaves
    the competence component unscored rather than guessing, R-PLC-5); a client whose POP
    reached every target gets an empty text.
    """
    return Subquery(
        PlanVersion.objects.filter(
            trajectory__client_id=OuterRef("pk"),
            trajectory__status__in=[Status.RUNNING, Status.SUSPENDED],
            is_current=True,  # kept by plans.services.version_create
        )
        .order_by()
        .values("open_competences")[:1]
    )


# The client columns matching reads, in the order `_client_profiles` unpacks them.
_CLIENT_COLUMNS = (
    "job_target_codes",  # kept by clients.services.job_targets_set
    Cast("work_limitations", TextField()),
    Cast("max_regime", TextField()),
    "dutch_level",
    "driving_licence",
    "own_transport",
    "public_transport",
    "municipality__refnis",
    "municipality__province_refnis",
)


def client_profiles(clients: QuerySet[Client]) -> list[matching.ClientProfile]:
    """The rules core's view of `clients`, in one query whatever their number."""
    rows = clients.order_by().values_list("pk", _open_competences(), *_CLIENT_COLUMNS)
    return _client_profiles(_fetch(rows))


def _placeable_profiles(
    user: User, among: ClientQuerySet, today: datetime.date
) -> list[matching.ClientProfile]:
    """The profiles of the placeable clients in the user's scope, narrowed to `among`.

    The clients of `free_trajectories`, read once: each client joined to its running trajectory
    (without a running placement) and that trajectory's current POP version. Cheaper than a
    correlated subquery per client, and than reading the trajectories and checking their client
    against the candidates in a second read of the clients (bench/matching.py, issue 11).
    """
    run = FilteredRelation("trajectories", condition=Q(trajectories__status=Status.RUNNING))
    pop = FilteredRelation("run__plan_versions", condition=Q(run__plan_versions__is_current=True))
    rows = (
        among.visible_to(user)  # R-PRV-1: `pk IN (scope)` on the candidates themselves
        .annotate(run=run)
        .alias(run_id=F("run__id"))  # one join: the placement check refers to the same row
        .filter(run_id__isnull=False)
        .exclude(Exists(_running_placements(OuterRef("run_id"), today)))
        .annotate(pop=pop)
        .order_by()
        .values_list("pk", "pop__open_competences", *_CLIENT_COLUMNS)
    )
    return _client_profiles(_fetch(rows))


def _fetch(rows: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the database driver returns them.

    Thousands of rows: skipping the ORM's per-row converters matters here (booleans arrive as
    0/1 on SQLite, which `_client_profiles` reads as truth values).
    """
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@lru_cache(maxsize=1 << 15)
def _codes(text: str | None) -> frozenset[str]:
    """A comma-separated list of codes as a set, parsed once per distinct text.

    Building the sets was a tenth of the time of ranking 20,000 clients, and the texts (job
    targets, open POP competences, trained competences) change rarely: they are cached across
    requests. 32,768 texts (a few MB) hold those of 20,000 clients and 5,000 workplaces, about
    20,000 (bench/matching.py, issue 11).
    """
    return frozenset(text.split(",")) if text else frozenset()


def _client_profiles(rows: Iterable[tuple[Any, ...]]) -> list[matching.ClientProfile]:
    """Build the profiles; equal code lists, demand lists, regimes and places are parsed once.

    A client appears once (the first of its rows), whatever the query joined. Thousands of rows
    (bench/matching.py): the loop does dictionary look-ups and builds one tuple per client.
    """
    places: dict[tuple[str | None, str | None], tuple[str | None, str | None, str | None]] = {}
    make = matching.ClientProfile._make
    profiles: dict[Any, matching.ClientProfile] = {}
    for (
        pk,
        develop,
        targets,
        limitations,
        regime,
        dutch,
        licence,
        own,
        public,
        refnis,
        province,
    ) in rows:
        if pk in profiles:
            continue
        place = places.get((refnis, province))
        if place is None:
            place = places[refnis, province] = (
                refnis,
                refnis[:2] + "000" if refnis else None,
                province or None,
            )
        profiles[pk] = make(
            (
                str(pk),
                _codes(targets),
                None if develop is None else _codes(develop),
                _demands(limitations),
                _regime(regime),
                DUTCH_RANK.get(dutch, 0),
                bool(licence),
                bool(own),
                bool(public),
                *place,
            )
        )
    return list(profiles.values())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while matching builds its objects.

    Ranking 20,000 clients (or 5,000 workplaces) builds some 100,000 rows, sets, profiles and
    results that all live until the page is drawn: every collection in between scans them and
    frees nothing. With the collector on, 40 to 50 collections a request, now and then a full
    one, cost 50 ms and more (bench/matching.py, issue 11). Matching makes no reference cycles,
    and whatever other code makes meanwhile is collected when the collector resumes. The switch
    is process-wide: resume only when it was on (another thread may be matching too).
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


@dataclass(frozen=True)
class WorkplaceMatches:
    result: matching.MatchResult
    workplaces: dict[str, Workplace]  # the shown ones, by id


def _workplaces_by_id(ids: Iterable[str]) -> dict[str, Workplace]:
    return {
        str(w.pk): w
        for w in Workplace.objects.filter(pk__in=[int(i) for i in ids]).select_related(
            "employer", "occupation", "municipality"
        )
    }


@_collector_paused()
def matches_for_client(
    user: User,
    client: Client,
    today: datetime.date,
    *,
    limit: int = 25,
    excluded_limit: int = 50,
) -> WorkplaceMatches:
    """R-PLC-5: the user's visible workplaces ranked for `client`, with the excluded ones."""
    trajectory = (
        Trajectory.objects.filter(client=client)
        .exclude(status=Status.STOPPED)
        .order_by("-start")
        .first()
    )
    exclude: frozenset[str] = frozenset()
    if trajectory is not None:
        running = Placement.objects.filter(trajectory=trajectory).exclude(end__lt=today)
        exclude = frozenset(str(pk) for pk in running.values_list("workplace_id", flat=True))
    profile = client_profiles(Client.objects.filter(pk=client.pk))[0]
    profiles = workplace_profiles(Workplace.objects.visible_to(user), today)
    result = matching.match_workplaces(profile, profiles, ruleset_on(today), exclude_ids=exclude)
    shown = matching.MatchResult(result.matches[:limit], result.excluded[:excluded_limit])
    ids = [m.workplace_id for m in shown.matches] + [e.workplace_id for e in shown.excluded]
    return WorkplaceMatches(
        matching.MatchResult(result.matches, result.excluded), _workplaces_by_id(ids)
    )


def free_trajectories(today: datetime.date) -> QuerySet[Trajectory]:
    """Running trajectories without a running placement: the clients one can place."""
    placed = _running_placements(OuterRef("pk"), today)
    return Trajectory.objects.filter(status=Status.RUNNING).exclude(Exists(placed))


def _running_placements(trajectory: OuterRef, today: datetime.date) -> QuerySet[Placement]:
    """The placements of `trajectory` running today (begun, not ended)."""
    return Placement.objects.filter(trajectory_id=trajectory, start__lte=today).exclude(
        end__lt=today
    )


def placeable_clients(user: User) -> QuerySet[Client]:
    """Clients in scope with a running trajectory that has no running placement."""
    free = free_trajectories(timezone.localdate()).filter(client=OuterRef("pk"))
    return Client.objects.visible_to(user).filter(Exists(free))


@dataclass(frozen=True)
class ClientMatches:
    result: matching.ClientMatchResult
    clients: dict[str, Client]


@_collector_paused()
def matches_for_workplace(
    user: User, workplace: Workplace, today: datetime.date, *, limit: int = 25
) -> ClientMatches:
    """R-PLC-5 reversed: the clients in the user's scope ranked for one workplace.

    The database first drops the clients that a hard constraint on the client's side
    excludes for certain (regime, driving licence, province without own transport, a demand
    they cannot meet), so that the rules core scores thousands rather than tens of thousands;
    the rules core still checks every constraint of those it scores.
    """
    profiles = workplace_profiles(Workplace.objects.filter(pk=workplace.pk), today)
    if not profiles:
        return ClientMatches(matching.ClientMatchResult((), ()), {})
    profile = profiles[0]
    clients = _placeable_profiles(user, _possible_for(Client.objects.all(), profile), today)
    result = matching.match_clients(profile, clients, ruleset_on(today))
    ids = [int(m.client_id) for m in result.matches[:limit]]
    shown = {str(c.pk): c for c in Client.objects.filter(pk__in=ids)}
    return ClientMatches(result, shown)


def _possible_for(clients: QuerySet[Client], workplace: matching.WorkplaceProfile) -> Any:
    """`clients` without those a client-side hard constraint excludes (see the rules core).

    Exactly those, so that the ranking is the rules core's over every client (a test holds
    each condition against the rules core).
    """
    clients = clients.filter(max_regime__gte=workplace.min_regime)
    if workplace.requires_driving_licence:
        clients = clients.filter(driving_licence=True)
    if workplace.province:
        # Unreachable only from another province that is known (a blank code is not known).
        clients = clients.filter(
            Q(municipality__province_refnis=workplace.province)
            | Q(municipality__province_refnis="")
            | Q(own_transport=True)
        )
    if workplace.demands:
        demands = sorted(d.value for d in workplace.demands)
        if connections[clients.db].features.supports_json_field_contains:
            # PostgreSQL: `@>` on the jsonb, cheaper than the list as text on every row.
            for demand in demands:
                clients = clients.exclude(work_limitations__contains=[demand])
        else:
            clients = clients.annotate(_limitations=Cast("work_limitations", TextField()))
            for demand in demands:
                clients = clients.exclude(_limitations__contains=f'"{demand}"')
    return clients


@_collector_paused()
def rotation_for(user: User, placement: Placement, today: datetime.date) -> WorkplaceMatches:
    """R-PLC-4: alternatives for the client's current placement, same employer first."""
    client = placement.trajectory.client
    profile = client_profiles(Client.objects.filter(pk=client.pk))[0]
    all_profiles = workplace_profiles(
        Workplace.objects.visible_to(user) | Workplace.objects.filter(pk=placement.workplace_id),
        today,
    )
    current = next((p for p in all_profiles if p.id == str(placement.workplace_id)), None)
    if current is None:
        return WorkplaceMatches(matching.MatchResult((), ()), {})
    result = matching.rotation_alternatives(profile, current, all_profiles, ruleset_on(today))
    ids = [m.workplace_id for m in result.matches[:25]]
    return WorkplaceMatches(result, _workplaces_by_id(ids))
