"""Matching and rotation through the pages (R-PLC-4/5), signals (R-PLC-1/7) and query counts."""

from __future__ import annotations

import gc
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doorstroom.clients.models import Client, Occupation
from doorstroom.clients.services import job_targets_set
from doorstroom.employers import selectors, services
from doorstroom.employers.models import Employer, Workplace
from doorstroom.plans.models import Competence
from doorstroom.rules import AgreementState, match_clients
from doorstroom.trajectories.digest import send_digests
from tests.dossiers import days_ago, make_trajectory
from tests.employers.builders import (
    make_employer,
    make_workplace,
    place,
    sign_cooperation,
    workplace_data,
)
from tests.evaluations.builders import make_pop

pytestmark = pytest.mark.django_db


def occupation(name: str) -> Occupation:
    return Occupation.objects.get(name_nl=name)


def count_queries(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url)
        assert response.status_code == 200
    return len(captured)


def test_a_client_who_cannot_lift_is_never_offered_a_job_that_demands_lifting(
    client: HttpClient, owner: Any
) -> None:
    """R-PLC-5: a demand the client cannot meet is a hard constraint, named with its ICF code."""
    trajectory = make_trajectory(owner, work_limitations=["lifting"])
    target = occupation("Magazijnmedewerker")
    job_targets_set(trajectory.client, [target])
    employer = make_employer(owner, kind="internal")
    heavy = make_workplace(
        employer, owner, title="Magazijnier zwaar", occupation=target, demands=["lifting"]
    )
    light = make_workplace(employer, owner, title="Magazijnier licht", occupation=target)
    client.force_login(owner)
    response = client.get(reverse("employers:client_matches", args=[trajectory.client_id]))
    matches = [workplace for _m, workplace, _rows in response.context["matches"]]
    excluded = {w: reasons for _e, w, reasons in response.context["excluded"]}
    assert matches == [light]
    assert "d430" in " ".join(text for _label, text in excluded[heavy])


def test_the_top_match_is_the_job_target_and_the_reason_says_so(
    client: HttpClient, owner: Any
) -> None:
    """R-PLC-5: each score is explained part by part."""
    trajectory = make_trajectory(owner)
    job_targets_set(trajectory.client, [occupation("Keukenhulp")])
    employer = make_employer(owner, kind="internal")
    kitchen = make_workplace(
        employer, owner, title="Keukenhulp", occupation=occupation("Keukenhulp")
    )
    make_workplace(employer, owner, title="Poetshulp", occupation=occupation("Schoonmaker"))
    client.force_login(owner)
    response = client.get(reverse("employers:client_matches", args=[trajectory.client_id]))
    first, workplace, rows = response.context["matches"][0]
    assert workplace == kitchen
    occupation_row = rows[0]
    assert occupation_row.percent == 100
    assert response.context["matches"][1][0].score < first.score
    assert "start-placement" in response.content.decode()


def test_a_workplace_without_an_agreement_or_place_is_excluded_with_its_reason(owner: Any) -> None:
    """R-PLC-1, R-PLC-5: no agreement in force and no free place exclude."""
    trajectory = make_trajectory(owner)
    unsigned = make_workplace(
        make_employer(owner, agreement=False), owner, title="Zonder overeenkomst"
    )
    full = make_workplace(make_employer(owner, kind="internal"), owner, title="Volzet", capacity=1)
    place(make_trajectory(owner), full, owner, start=days_ago(5))
    found = selectors.matches_for_client(owner, trajectory.client, timezone.localdate())
    codes = {e.workplace_id: {x.code.value for x in e.exclusions} for e in found.result.excluded}
    assert codes[str(unsigned.pk)] == {"no_agreement"}
    assert codes[str(full.pk)] == {"no_capacity"}


def test_rotation_offers_the_same_employer_first(client: HttpClient, owner: Any) -> None:
    """R-PLC-4: other workplaces of the same employer come before other employers."""
    trajectory = make_trajectory(owner)
    target = occupation("Keukenhulp")
    job_targets_set(trajectory.client, [target])
    own = make_employer(owner, kind="internal")
    current = make_workplace(own, owner, title="Afwas", occupation=target)
    sibling = make_workplace(own, owner, title="Zaalmedewerker")
    other = make_workplace(
        make_employer(owner, kind="internal"), owner, title="Keukenhulp elders", occupation=target
    )
    placement = place(trajectory, current, owner, start=days_ago(60))
    client.force_login(owner)
    response = client.get(reverse("employers:rotation", args=[placement.pk]))
    order = [w for _m, w, _rows in response.context["matches"]]
    assert order == [sibling, other]


def test_reverse_matching_ranks_only_clients_in_scope_without_a_placement(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    """R-PLC-5 reversed, within R-PRV-1."""
    mine = make_trajectory(owner)
    busy = make_trajectory(owner)
    theirs = make_trajectory(outsider, postcode="2400")  # lives in Mol: not the owner's area
    workplace = make_workplace(make_employer(owner, kind="internal"), owner, capacity=3)
    place(busy, workplace, owner, start=days_ago(5))
    client.force_login(owner)
    response = client.get(reverse("employers:workplace_matches", args=[workplace.pk]))
    shown = [c for _m, c, _rows in response.context["matches"]]
    assert shown == [mine.client]
    assert theirs.client.last_name not in response.content.decode()


def test_reverse_matching_ranks_the_client_whose_job_target_it_is_first_and_follows_a_change(
    owner: Any,
) -> None:
    """R-PLC-5 reversed: the job targets are read from the client's copy, kept by the service."""
    kitchen_job, cleaning_job = occupation("Keukenhulp"), occupation("Schoonmaker")
    cook, cleaner = make_trajectory(owner).client, make_trajectory(owner).client
    job_targets_set(cook, [kitchen_job])
    job_targets_set(cleaner, [cleaning_job, kitchen_job])
    cleaner.refresh_from_db()
    assert cleaner.job_target_codes == ",".join(
        sorted([kitchen_job.isco_code, cleaning_job.isco_code])
    )
    kitchen = make_workplace(make_employer(owner, kind="internal"), owner, occupation=kitchen_job)
    today = timezone.localdate()

    def ranked() -> list[str]:
        found = selectors.matches_for_workplace(owner, kitchen, today)
        return [m.client_id for m in found.result.matches]

    job_targets_set(cleaner, [cleaning_job])
    assert ranked() == [str(cook.pk), str(cleaner.pk)]
    job_targets_set(cook, [cleaning_job])  # the copy follows the change
    job_targets_set(cleaner, [kitchen_job])
    assert ranked() == [str(cleaner.pk), str(cook.pk)]


@pytest.mark.parametrize("was_on", [True, False])
def test_matching_pauses_the_garbage_collector_and_leaves_it_as_it_was(
    owner: Any, monkeypatch: pytest.MonkeyPatch, was_on: bool
) -> None:
    """Issue 11: no collection scans the profiles and results while matching builds them."""
    make_trajectory(owner)
    workplace = make_workplace(make_employer(owner, kind="internal"), owner)
    client = make_trajectory(owner).client
    seen: list[bool] = []
    for name in ("match_clients", "match_workplaces"):
        rank = getattr(selectors.matching, name)

        def spy(*args: Any, rank: Any = rank, **kwargs: Any) -> Any:
            seen.append(gc.isenabled())
            return rank(*args, **kwargs)

        monkeypatch.setattr(selectors.matching, name, spy)
    today = timezone.localdate()
    if not was_on:
        gc.disable()
    try:
        selectors.matches_for_workplace(owner, workplace, today)
        assert gc.isenabled() is was_on
        selectors.matches_for_client(owner, client, today)
        assert gc.isenabled() is was_on
    finally:
        gc.enable()
    assert seen == [False, False]


def test_reverse_matching_reads_the_same_clients_and_pops_as_the_dossier_reads(
    owner: Any, outsider: Any
) -> None:
    """Issue 11: the one-read candidate query gives what the plainer reads give.

    The candidates of a workplace that every client can reach are the placeable clients in scope
    (`placeable_clients`), each with the POP `client_profiles` reads: with and without a POP,
    placed (left out), out of scope (left out).
    """
    with_pop, without_pop, busy = (make_trajectory(owner) for _ in range(3))
    make_pop(with_pop, owner, levels={"cope-with-pressure": (2, 3), "adapt-to-change": (3, 3)})
    make_trajectory(outsider, postcode="2400")
    workplace = make_workplace(make_employer(owner, kind="internal"), owner, capacity=3)
    place(busy, workplace, owner, start=days_ago(5))
    today = timezone.localdate()
    found = selectors._placeable_profiles(owner, Client.objects.all(), today)
    expected = selectors.client_profiles(selectors.placeable_clients(owner))
    assert sorted(found) == sorted(expected)
    assert {p.id: p.to_develop for p in found} == {
        str(with_pop.client_id): frozenset({"cope-with-pressure"}),
        str(without_pop.client_id): None,
    }


def test_the_database_drops_exactly_the_clients_a_client_side_constraint_excludes(
    owner: Any,
) -> None:
    """Issue 11: the SQL pre-filter of reverse matching changes nothing the rules core decides.

    One client per fact around each client-side hard constraint (R-PLC-5); the clients the
    database keeps are exactly those the rules core does not exclude.
    """
    from dataclasses import replace

    from doorstroom.accounts.models import Municipality
    from doorstroom.core.regulation import ruleset_on

    geel = Municipality.objects.get(name_nl="Geel")
    elsewhere = Municipality.objects.exclude(province_refnis__in=["", geel.province_refnis])[0]
    unknown = Municipality.objects.create(refnis="99999", name_nl="Onbekend", province_refnis="")
    facts: list[dict[str, Any]] = [
        {},
        {"work_limitations": ["lifting"]},
        {"work_limitations": ["walking"]},
        {"work_limitations": ["fine_hand_use", "outdoor"]},
        {"driving_licence": False},
        {"max_regime": Decimal("0.50")},
        {"max_regime": Decimal("0.80")},
        {"municipality": elsewhere},
        {"municipality": elsewhere, "own_transport": True},
        {"municipality": unknown},
    ]
    for changes in facts:
        client = make_trajectory(owner).client
        changed = {"driving_licence": True, "municipality": geel, **changes}
        Client.objects.filter(pk=client.pk).update(**changed)
    workplace = make_workplace(
        make_employer(owner, kind="internal"),
        owner,
        demands=["lifting", "fine_hand_use"],
        requires_driving_licence=True,
        min_regime=Decimal("0.80"),
    )
    today = timezone.localdate()
    (profile,) = selectors.workplace_profiles(Workplace.objects.filter(pk=workplace.pk), today)
    kept = {
        str(pk)
        for pk in selectors._possible_for(Client.objects.all(), profile).values_list(
            "pk", flat=True
        )
    }
    # Open, so that only the client-side constraints can exclude.
    profile = replace(profile, agreement=AgreementState.IN_FORCE, capacity=1, occupied=0)
    clients = selectors.client_profiles(Client.objects.all())
    result = match_clients(profile, clients, ruleset_on(today))
    assert kept == {m.client_id for m in result.matches}
    assert len(kept) == 5  # the first, walking, 0.80, elsewhere with own transport, unknown


def test_the_workplace_keeps_the_codes_of_the_competences_it_trains(owner: Any) -> None:
    """R-PLC-5: matching reads the trained competences from the workplace's copy."""
    first, second = Competence.objects.order_by("code")[:2]
    workplace = make_workplace(make_employer(owner), owner, competences={second: 2, first: 3})
    assert workplace.trained_codes == f"{first.code},{second.code}"
    services.workplace_update(
        workplace,
        data=workplace_data(),
        competences={second: 1},
        expected_version=workplace.version,
        by=owner,
    )
    workplace.refresh_from_db()
    assert workplace.trained_codes == second.code
    (profile,) = selectors.workplace_profiles(
        Workplace.objects.filter(pk=workplace.pk), days_ago(0)
    )
    assert profile.trains == frozenset({second.code})


def test_the_employer_list_runs_the_same_queries_for_5_and_40_employers(
    client: HttpClient, owner: Any
) -> None:
    for _ in range(5):
        make_workplace(make_employer(owner), owner)
    client.force_login(owner)
    url = reverse("employers:list")
    small = count_queries(client, url)
    for _ in range(35):
        make_workplace(make_employer(owner), owner)
    assert Employer.objects.count() == 40
    assert count_queries(client, url) == small


def test_the_matches_page_runs_the_same_queries_for_5_and_60_workplaces(
    client: HttpClient, owner: Any
) -> None:
    trajectory = make_trajectory(owner)
    employer = make_employer(owner, kind="internal")
    competence = Competence.objects.first()
    assert competence is not None
    for _ in range(5):
        make_workplace(employer, owner, competences={competence: 2})
    client.force_login(owner)
    url = reverse("employers:client_matches", args=[trajectory.client_id])
    small = count_queries(client, url)
    other = make_employer(owner, agreement=False)
    for n in range(55):
        make_workplace(employer if n % 2 else other, owner, competences={competence: 3})
    assert Workplace.objects.count() == 60
    assert count_queries(client, url) == small


def test_the_employer_page_runs_the_same_queries_for_2_and_20_workplaces(
    client: HttpClient, owner: Any
) -> None:
    employer = make_employer(owner, kind="internal")
    for _ in range(2):
        place(make_trajectory(owner), make_workplace(employer, owner), owner, start=days_ago(3))
    client.force_login(owner)
    url = reverse("employers:detail", args=[employer.pk])
    small = count_queries(client, url)
    for _ in range(18):
        place(make_trajectory(owner), make_workplace(employer, owner), owner, start=days_ago(3))
    assert count_queries(client, url) == small


def test_an_old_job_profile_and_an_expiring_agreement_reach_the_coach(owner: Any) -> None:
    """R-PLC-7: a profile not reviewed for 12 months; R-PLC-1: an agreement that expires."""
    employer = make_employer(owner, agreement=False, contact_coach=owner)
    sign_cooperation(employer, owner, start=days_ago(300), end=days_ago(-5))
    stale = make_workplace(employer, owner, contact_coach=owner, last_reviewed=days_ago(370))
    make_workplace(employer, owner, contact_coach=owner, last_reviewed=days_ago(10))
    today = timezone.localdate()
    signals = selectors.employer_signals(owner, today, 7)
    assert [(s.deadline.code.value, s.workplace) for s in signals] == [
        ("profile_review_due", stale),
        ("agreement_expiry", None),
    ]
    mail.outbox.clear()
    assert send_digests(today) == 1
    body = mail.outbox[0].body
    assert stale.title in body
    assert employer.name in body

    services.workplace_reviewed(stale, on=today, expected_version=stale.version, by=owner)
    sign_cooperation(employer, owner, start=days_ago(-6), signed_on=today)
    assert selectors.employer_signals(owner, today, 7) == []


def test_a_workplace_regime_below_half_time_is_refused(owner: Any) -> None:
    """R-PLC-3: a workplace offers at least half-time."""
    from doorstroom.core.errors import DomainError

    with pytest.raises(DomainError) as low:
        make_workplace(make_employer(owner), owner, min_regime=Decimal("0.40"))
    assert low.value.field == "min_regime"


def test_the_caseload_shows_the_coach_s_overdue_job_profile_review(
    client: HttpClient, owner: Any, teammate: Any
) -> None:
    """SPEC §4: the start page lists job-profile reviews (R-PLC-7) for their contact coach."""
    employer = make_employer(owner)
    stale = make_workplace(
        employer,
        owner,
        title="Poetshulp oud profiel",
        contact_coach=owner,
        last_reviewed=days_ago(400),
    )
    client.force_login(owner)
    page = client.get(reverse("trajectories:caseload")).content.decode()
    assert stale.title in page
    assert reverse("employers:workplace", args=[stale.pk]) in page
    client.force_login(teammate)
    assert stale.title not in client.get(reverse("trajectories:caseload")).content.decode()


def test_the_caseload_s_signal_panel_runs_the_same_queries_for_2_and_12_signals(
    client: HttpClient, owner: Any
) -> None:
    """R-PLC-7, R-PLC-1, issue 11: each signal shows its workplace and employer by name, read
    with the signal (the panel reads only the columns it shows, none later one by one)."""

    def add_signals(n: int) -> None:
        for _ in range(n):
            employer = make_employer(owner, agreement=False, contact_coach=owner)
            sign_cooperation(employer, owner, start=days_ago(300), end=days_ago(-5))
            make_workplace(employer, owner, contact_coach=owner, last_reviewed=days_ago(400))

    add_signals(1)
    client.force_login(owner)
    url = reverse("trajectories:caseload")
    small = count_queries(client, url)
    add_signals(5)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    assert len(captured) == small
    for workplace in Workplace.objects.filter(contact_coach=owner).select_related("employer"):
        assert reverse("employers:workplace", args=[workplace.pk]) in page
        assert reverse("employers:detail", args=[workplace.employer.pk]) in page
        assert page.count(workplace.employer.name) >= 2  # beside its workplace and its agreement


def test_every_score_component_has_an_explanation() -> None:
    """R-PLC-5: each part of a score is explained; a new component needs its sentence."""
    from doorstroom.employers.explain import COMPONENT_LABELS, COMPONENT_TEXTS
    from doorstroom.rules.matching import ComponentCode

    assert set(COMPONENT_TEXTS) == set(ComponentCode)
    assert set(COMPONENT_LABELS) == set(ComponentCode)


def test_code_lists_are_parsed_once_across_requests() -> None:
    """Issue 11: equal texts give the same set, built once; empty or missing texts, none."""
    assert selectors._codes("7512,9321") == frozenset({"9321", "7512"})
    assert selectors._codes("7512,9321") is selectors._codes("7512,9321")
    assert selectors._codes("") == selectors._codes(None) == frozenset()
