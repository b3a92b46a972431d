"""Reads of employers, workplaces, placements and matches: scoped, constant query counts."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import (
    Aggregate,
    Count,
    Exists,
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
from doorstroom.clients.models import Client, DutchLevel
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
    WorkplaceCompetence,
)
from doorstroom.plans.models import PlanVersion
from doorstroom.rules import deadlines as rule_deadlines
from doorstroom.rules import matching
from doorstroom.rules.deadlines import Deadline
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.models import Trajectory

DUTCH_RANK = {level: rank for rank, level in enumerate(DutchLevel.values)}


def dutch_rank(level: str) -> int:
    """0 for no Dutch, 1..6 for A1..C2 (the rules core's scale)."""
    return DUTCH_RANK.get(level, 0)


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
    by_employer: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in Agreement.objects.filter(
        employer_id__in=employer_ids,
        kind=AgreementKind.COOPERATION,
        signed_on__isnull=False,
        start__lte=today,
    ).exclude(end__lt=today):
        by_employer[agreement.employer_id].append(agreement)
    return {pk: agreement_status(items, today) for pk, items in by_employer.items()}


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
    """The rules core's view of the active `workplaces`, in four queries whatever their number."""
    active = workplaces.filter(is_active=True, employer__is_active=True)
    rows = active.values_list(
        "pk",
        "employer_id",
        "occupation__isco_code",
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
    trains: dict[int, set[str]] = defaultdict(set)
    for workplace_id, code in WorkplaceCompetence.objects.filter(
        workplace__in=subquery
    ).values_list("workplace_id", "competence__code"):
        trains[workplace_id].add(code)
    occupied = dict(
        Placement.objects.filter(workplace__in=subquery, start__lte=today)
        .exclude(end__lt=today)
        .values("workplace_id")
        .annotate(n=Count("pk"))
        .values_list("workplace_id", "n")
    )
    states = _agreement_states(active.values("employer_id"), today)
    missing = matching.AgreementState.MISSING.value
    return [
        matching.WorkplaceProfile(
            id=str(pk),
            employer=str(employer_id),
            occupation=isco,
            trains=frozenset(trains.get(pk, ())),
            demands=_demands(demands),
            min_regime=_regime(low) or Decimal("0.50"),
            max_regime=_regime(high) or Decimal("1.00"),
            dutch_level=dutch_rank(dutch),
            requires_driving_licence=bool(licence),
            municipality=refnis,
            arrondissement=refnis[:2] + "000" if refnis else None,
            province=province or None,
            capacity=capacity,
            occupied=occupied.get(pk, 0),
            agreement=matching.AgreementState(states.get(employer_id, missing)),
        )
        for (
            pk,
            employer_id,
            isco,
            demands,
            low,
            high,
            dutch,
            licence,
            refnis,
            province,
            capacity,
        ) in rows
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


class _Codes(Aggregate):
    """The ISCO codes of a client's job targets as one comma-separated text, on both databases."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # The template goes on a copy, not as a keyword: with a filter, Aggregate.as_sql
        # passes its own template (FILTER (WHERE …)) around ours.
        clone = self.copy()
        clone.template = "%(function)s(%(expressions)s, ',')"
        return clone.as_sql(compiler, connection, function="STRING_AGG", **extra)


def client_profiles(clients: QuerySet[Client]) -> list[matching.ClientProfile]:
    """The rules core's view of `clients`, in one query whatever their number.

    The job targets and the open POP competences come along as one text per client
    (correlated subqueries), so the scope subquery in `clients` is evaluated once.
    """
    through: Any = Client.job_targets.through  # the auto-created M2M table
    codes = (
        through.objects.filter(client_id=OuterRef("pk"))
        .values("client_id")
        .annotate(codes=_Codes("occupation__isco_code"))
        .values("codes")
    )
    rows = clients.order_by().values_list(
        "pk",
        Subquery(codes),
        _open_competences(),
        Cast("work_limitations", TextField()),
        Cast("max_regime", TextField()),
        "dutch_level",
        "driving_licence",
        "own_transport",
        "public_transport",
        "municipality__refnis",
        "municipality__province_refnis",
    )
    return [_client_profile(*row) for row in rows]


def _client_profile(
    pk: int,
    targets: str | None,
    develop: str | None,
    limitations: str | None,
    regime: str | None,
    dutch: str,
    licence: bool,
    own: bool,
    public: bool,
    refnis: str | None,
    province: str | None,
) -> matching.ClientProfile:
    return matching.ClientProfile(
        id=str(pk),
        job_targets=_targets(targets),
        to_develop=_targets(develop) if develop is not None else None,
        limitations=_demands(limitations),
        max_regime=_regime(regime),
        dutch_level=dutch_rank(dutch),
        driving_licence=bool(licence),
        own_transport=bool(own),
        public_transport=bool(public),
        municipality=refnis,
        arrondissement=refnis[:2] + "000" if refnis else None,
        province=province or None,
    )


@lru_cache(maxsize=4096)
def _targets(codes: str | None) -> frozenset[str]:
    return frozenset(codes.split(",")) if codes else frozenset()


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


def placeable_clients(user: User) -> QuerySet[Client]:
    """Clients in scope with a running trajectory and no running placement (reverse matching)."""
    today = timezone.localdate()
    running = Trajectory.objects.filter(client=OuterRef("pk"), status=Status.RUNNING)
    placed = Placement.objects.filter(trajectory__client=OuterRef("pk"), start__lte=today).exclude(
        end__lt=today
    )
    return Client.objects.visible_to(user).filter(Exists(running)).exclude(Exists(placed))


@dataclass(frozen=True)
class ClientMatches:
    result: matching.ClientMatchResult
    clients: dict[str, Client]


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
    clients = client_profiles(_possible_for(placeable_clients(user), profile))
    result = matching.match_clients(profile, clients, ruleset_on(today))
    ids = [int(m.client_id) for m in result.matches[:limit]]
    shown = {str(c.pk): c for c in Client.objects.filter(pk__in=ids)}
    return ClientMatches(result, shown)


def _possible_for(clients: QuerySet[Client], workplace: matching.WorkplaceProfile) -> Any:
    """`clients` without those a client-side hard constraint excludes (see the rules core)."""
    clients = clients.filter(max_regime__gte=workplace.min_regime)
    if workplace.requires_driving_licence:
        clients = clients.filter(driving_licence=True)
    if workplace.province:
        clients = clients.filter(
            Q(municipality__province_refnis=workplace.province) | Q(own_transport=True)
        )
    if workplace.demands:
        clients = clients.annotate(_limitations=Cast("work_limitations", TextField()))
        for demand in sorted(workplace.demands):
            clients = clients.exclude(_limitations__contains=f'"{demand.value}"')
    return clients


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
