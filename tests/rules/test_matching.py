"""R-PLC-5: explained matching of clients and workplaces; R-PLC-4: rotation prefers the employer.

The examples are coaches' cases: An lives in Geel (arrondissement Turnhout, province Antwerp), aims
at work as a hand packer (ISCO 9321), speaks Dutch at A2, can work 0.8 and travels by bus.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doorstroom.rules import (
    AgreementState,
    ClientProfile,
    Component,
    ComponentCode,
    Constraint,
    Demand,
    Distance,
    Exclusion,
    Match,
    WorkplaceProfile,
    match_clients,
    match_workplaces,
    rotation_alternatives,
)
from tests.rules.support import RULES, with_rules

# No example database: the suite writes nothing into the work tree (as in test_properties.py).
FAST = settings(max_examples=150, deadline=None, database=None)
SLOW = settings(max_examples=40, deadline=None, database=None)

GEEL = {"municipality": "13008", "arrondissement": "13000", "province": "10000"}
MOL = {"municipality": "13025", "arrondissement": "13000", "province": "10000"}
MECHELEN = {"municipality": "12025", "arrondissement": "12000", "province": "10000"}
LEUVEN = {"municipality": "24062", "arrondissement": "24000", "province": "20001"}
NOWHERE = {"municipality": None, "arrondissement": None, "province": None}


def client(**facts: object) -> ClientProfile:
    """Return An, changed by `facts`."""
    an = ClientProfile(
        id="an",
        job_targets=frozenset({"9321"}),
        to_develop=frozenset({"punctuality", "safety", "teamwork"}),
        limitations=frozenset(),
        max_regime=Decimal("0.8"),
        dutch_level=2,
        driving_licence=False,
        own_transport=False,
        public_transport=True,
        **GEEL,
    )
    return an._replace(**facts)


def workplace(**facts: object) -> WorkplaceProfile:
    """Return a packing workplace in Geel that fits An, changed by `facts`."""
    packing = WorkplaceProfile(
        id="w1",
        employer="e1",
        occupation="9321",
        trains=frozenset({"punctuality", "safety", "teamwork"}),
        demands=frozenset(),
        min_regime=Decimal("0.5"),
        max_regime=Decimal("0.8"),
        dutch_level=2,
        requires_driving_licence=False,
        capacity=2,
        occupied=0,
        agreement=AgreementState.IN_FORCE,
        **GEEL,
    )
    return replace(packing, **facts)


def only_match(an: ClientProfile, place: WorkplaceProfile, ruleset=RULES) -> Match:
    result = match_workplaces(an, [place], ruleset)
    assert result.excluded == ()
    (match,) = result.matches
    return match


def component(an: ClientProfile, place: WorkplaceProfile, code: ComponentCode) -> Component:
    (found,) = [c for c in only_match(an, place).components if c.code == code]
    return found


def exclusions(an: ClientProfile, place: WorkplaceProfile, **options) -> tuple[Exclusion, ...]:
    result = match_workplaces(an, [place], RULES, **options)
    assert result.matches == ()
    (excluded,) = result.excluded
    assert (excluded.workplace_id, excluded.employer) == (place.id, place.employer)
    return excluded.exclusions


def codes(found: tuple[Exclusion, ...]) -> list[Constraint]:
    return [exclusion.code for exclusion in found]


def score(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# --- hard constraints -----------------------------------------------------------------------


def test_R_PLC_5_a_client_who_cannot_lift_is_never_offered_a_warehouse_job_that_demands_lifting():
    an = client(limitations=frozenset({Demand.LIFTING}))
    warehouse = workplace(demands=frozenset({Demand.LIFTING, Demand.STANDING}))
    assert exclusions(an, warehouse) == (Exclusion(Constraint.LIMITATION, (("lifting", "d430"),)),)


def test_R_PLC_5_every_demand_the_client_cannot_meet_is_named_with_its_icf_code():
    an = client(limitations=frozenset({Demand.SHIFT_WORK, Demand.STANDING, Demand.WALKING}))
    night_shift = workplace(demands=frozenset({Demand.STANDING, Demand.SHIFT_WORK}))
    assert exclusions(an, night_shift) == (
        Exclusion(Constraint.LIMITATION, (("shift_work", "b134"), ("standing", "d4154"))),
    )


def test_R_PLC_5_limitations_the_workplace_does_not_demand_do_not_matter():
    an = client(limitations=frozenset({Demand.OUTDOOR}))
    assert only_match(an, workplace(demands=frozenset({Demand.FINE_HAND_USE})))


def test_R_PLC_5_the_icf_codes_of_the_demands():
    assert {demand.value: demand.icf for demand in Demand} == {
        "lifting": "d430",
        "standing": "d4154",
        "walking": "d450",
        "fine_hand_use": "d440",
        "outdoor": "e225",
        "shift_work": "b134",
    }


def test_R_PLC_5_a_workplace_without_a_free_place_is_excluded():
    assert exclusions(client(), workplace(capacity=2, occupied=2)) == (
        Exclusion(Constraint.NO_CAPACITY, (("capacity", "2"), ("occupied", "2"))),
    )


def test_R_PLC_5_R_PLC_1_a_workplace_without_a_cooperation_agreement_is_excluded():
    assert exclusions(client(), workplace(agreement=AgreementState.MISSING)) == (
        Exclusion(Constraint.NO_AGREEMENT, (("agreement", "missing"),)),
    )


def test_R_PLC_5_a_delivery_job_needs_a_driving_licence():
    delivery = workplace(requires_driving_licence=True)
    assert exclusions(client(), delivery) == (
        Exclusion(
            Constraint.DRIVING_LICENCE,
            (("requires_driving_licence", "yes"), ("driving_licence", "no")),
        ),
    )
    assert only_match(client(driving_licence=True), delivery)


@pytest.mark.parametrize(
    ("max_regime", "min_regime", "facts"),
    [
        pytest.param("0.5", "0.8", (("client_max", "0.5"), ("workplace_min", "0.8")), id="half"),
        pytest.param("0.60", "0.75", (("client_max", "0.6"), ("workplace_min", "0.75")), id="0.6"),
    ],
)
def test_R_PLC_5_R_PLC_3_a_client_who_cannot_work_the_lowest_regime_offered_is_excluded(
    max_regime, min_regime, facts
):
    an = client(max_regime=Decimal(max_regime))
    place = workplace(min_regime=Decimal(min_regime), max_regime=Decimal("1"))
    assert exclusions(an, place) == (Exclusion(Constraint.REGIME, facts),)


def test_R_PLC_5_an_unknown_maximum_regime_counts_as_full_time():
    place = workplace(min_regime=Decimal("1.0"), max_regime=Decimal("1.0"))
    assert only_match(client(max_regime=None), place)


def test_R_PLC_5_another_province_is_out_of_reach_without_own_transport():
    assert exclusions(client(), workplace(**LEUVEN)) == (
        Exclusion(
            Constraint.UNREACHABLE,
            (
                ("client_province", "10000"),
                ("workplace_province", "20001"),
                ("own_transport", "no"),
            ),
        ),
    )
    by_car = component(client(own_transport=True), workplace(**LEUVEN), ComponentCode.COMMUTE)
    assert by_car.score == Decimal("0.1")


def test_R_PLC_5_an_unknown_province_excludes_nothing():
    place = workplace(**{**LEUVEN, "province": None})
    commute = component(client(), place, ComponentCode.COMMUTE)
    assert commute.score is None
    assert ("unscored", "unknown_location") in commute.facts


def test_R_PLC_5_R_PLC_4_the_workplace_the_caller_excludes_is_current():
    assert exclusions(client(), workplace(), exclude_ids=frozenset({"w1", "w9"})) == (
        Exclusion(Constraint.CURRENT, (("workplace", "w1"),)),
    )


def test_R_PLC_5_every_failed_constraint_is_listed_not_just_the_first():
    an = client(limitations=frozenset({Demand.OUTDOOR}), max_regime=Decimal("0.5"))
    hopeless = workplace(
        occupied=2,
        agreement=AgreementState.MISSING,
        demands=frozenset({Demand.OUTDOOR}),
        requires_driving_licence=True,
        min_regime=Decimal("1.0"),
        max_regime=Decimal("1.0"),
        **LEUVEN,
    )
    assert codes(exclusions(an, hopeless, exclude_ids=frozenset({"w1"}))) == list(Constraint)


# --- soft components ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("targets", "occupation", "expected", "facts"),
    [
        pytest.param(
            {"9321", "5223"},
            "9321",
            "1",
            (("occupation", "9321"), ("match", "unit_group"), ("closest", "9321")),
            id="R-PLC-5 the job target itself",
        ),
        pytest.param(
            {"9329", "9321"},
            "9322",
            "0.6",
            (("occupation", "9322"), ("match", "minor_group"), ("closest", "9321")),
            id="R-PLC-5 same minor group (932), the lowest target named",
        ),
        pytest.param(
            {"9321"},
            "9112",
            "0.3",
            (("occupation", "9112"), ("match", "major_group"), ("closest", "9321")),
            id="R-PLC-5 same major group (9, elementary occupations)",
        ),
        pytest.param(
            {"9321"},
            "5223",
            "0",
            (("occupation", "5223"), ("match", "none")),
            id="R-PLC-5 a shop assistant job for a packer",
        ),
        pytest.param(
            set(),
            "9321",
            None,
            (("occupation", "9321"), ("unscored", "no_job_targets")),
            id="R-PLC-5 no job targets yet",
        ),
        pytest.param(
            {"9321"},
            None,
            None,
            (("occupation", ""), ("unscored", "no_occupation")),
            id="R-PLC-5 workplace without occupation",
        ),
    ],
)
def test_R_PLC_5_occupation_against_the_job_targets(targets, occupation, expected, facts):
    found = component(
        client(job_targets=frozenset(targets)),
        workplace(occupation=occupation),
        ComponentCode.OCCUPATION,
    )
    assert (found.score, found.weight, found.facts) == (score(expected), Decimal("3"), facts)


@pytest.mark.parametrize(
    ("to_develop", "trains", "expected", "facts"),
    [
        pytest.param(
            {"punctuality", "safety", "teamwork"},
            {"teamwork", "punctuality", "forklift"},
            "0.667",
            (("trained", "punctuality,teamwork"), ("share", "2/3")),
            id="R-PLC-5 2 of 3 POP competences trained",
        ),
        pytest.param(
            {"punctuality"},
            {"forklift"},
            "0",
            (("trained", ""), ("share", "0/1")),
            id="R-PLC-5 none trained",
        ),
        pytest.param(
            None,
            {"punctuality"},
            None,
            (("unscored", "no_pop"),),
            id="R-PLC-5 no POP yet",
        ),
        pytest.param(
            set(),
            {"punctuality"},
            None,
            (("unscored", "nothing_to_develop"),),
            id="R-PLC-5 a POP with nothing to develop",
        ),
    ],
)
def test_R_PLC_5_competences_the_workplace_trains(to_develop, trains, expected, facts):
    an = client(to_develop=None if to_develop is None else frozenset(to_develop))
    found = component(an, workplace(trains=frozenset(trains)), ComponentCode.COMPETENCES)
    assert (found.score, found.facts) == (score(expected), facts)


@pytest.mark.parametrize(
    ("level", "asked", "expected", "facts"),
    [
        pytest.param(2, 2, "1", (("client", "A2"), ("asked", "A2"), ("shortfall", "0")), id="A2"),
        pytest.param(4, 3, "1", (("client", "B2"), ("asked", "B1"), ("shortfall", "0")), id="B2"),
        pytest.param(2, 3, "0.75", (("client", "A2"), ("asked", "B1"), ("shortfall", "1")), id="1"),
        pytest.param(
            0, 3, "0.25", (("client", "none"), ("asked", "B1"), ("shortfall", "3")), id="3"
        ),
        pytest.param(1, 6, "0", (("client", "A1"), ("asked", "C2"), ("shortfall", "5")), id="5"),
    ],
)
def test_R_PLC_5_dutch_each_level_short_costs_a_quarter(level, asked, expected, facts):
    found = component(client(dutch_level=level), workplace(dutch_level=asked), ComponentCode.DUTCH)
    assert (found.score, found.facts) == (Decimal(expected), facts)


@pytest.mark.parametrize(
    ("client_max", "lowest", "highest", "expected"),
    [
        pytest.param("0.8", "0.5", "1.0", "1", id="R-PLC-5 0.8 is offered"),
        pytest.param("0.8", "0.8", "0.8", "1", id="R-PLC-5 exactly 0.8"),
        pytest.param("1.0", "0.5", "0.8", "0.8", id="R-PLC-5 full time at a 0.8 workplace"),
        pytest.param(None, "0.5", "0.5", "0.5", id="R-PLC-5 unknown at a half-time workplace"),
        pytest.param("1", "0.5", "0.7895", "0.790", id="R-PLC-5 30 of 38 hours, half up"),
        pytest.param("1", "0.5", "0.7894", "0.789", id="R-PLC-5 0.7894 rounded down"),
    ],
)
def test_R_PLC_5_regime_offered_against_the_clients_maximum(client_max, lowest, highest, expected):
    an = client(max_regime=score(client_max))
    place = workplace(min_regime=Decimal(lowest), max_regime=Decimal(highest))
    assert component(an, place, ComponentCode.REGIME).score == Decimal(expected)


def test_R_PLC_5_regime_rounding_is_half_up():
    # 1 − (1 − 0.2105) = 0.2105 ⇒ 0.211 (half up), not 0.210 (half even).
    place = workplace(min_regime=Decimal("0.2"), max_regime=Decimal("0.2105"))
    found = component(client(max_regime=Decimal("1")), place, ComponentCode.REGIME)
    assert found.score == Decimal("0.211")
    assert found.facts == (
        ("client_max", "1"),
        ("workplace_min", "0.2"),
        ("workplace_max", "0.2105"),
    )


def test_R_PLC_5_a_workplace_offering_far_less_than_the_client_can_work_scores_0():
    place = workplace(min_regime=Decimal("0.5"), max_regime=Decimal("0.5"))
    # A client who could work 1.6 (as entered) loses 1.1: floored at 0.
    assert component(client(max_regime=Decimal("1.6")), place, ComponentCode.REGIME).score == 0


@pytest.mark.parametrize(
    ("place", "own", "public", "expected", "distance"),
    [
        pytest.param(GEEL, False, False, "1", Distance.SAME_MUNICIPALITY, id="walk to work"),
        pytest.param(MOL, False, True, "0.7", Distance.SAME_ARRONDISSEMENT, id="Mol by bus"),
        pytest.param(MOL, True, False, "0.7", Distance.SAME_ARRONDISSEMENT, id="Mol by car"),
        pytest.param(MOL, False, False, "0.4", Distance.SAME_ARRONDISSEMENT, id="Mol on foot"),
        pytest.param(MECHELEN, True, True, "0.4", Distance.SAME_PROVINCE, id="Mechelen by car"),
        pytest.param(MECHELEN, False, True, "0.25", Distance.SAME_PROVINCE, id="Mechelen by train"),
        pytest.param(MECHELEN, False, False, "0.1", Distance.SAME_PROVINCE, id="Mechelen on foot"),
        pytest.param(LEUVEN, True, False, "0.1", Distance.OTHER_PROVINCE, id="Leuven by car"),
        pytest.param(NOWHERE, True, True, None, Distance.UNKNOWN, id="unknown address"),
    ],
)
def test_R_PLC_5_commute_by_area_and_transport(place, own, public, expected, distance):
    an = client(own_transport=own, public_transport=public)
    found = component(an, workplace(**place), ComponentCode.COMMUTE)
    assert found.score == score(expected)
    assert found.facts[:3] == (
        ("distance", distance.value),
        ("own_transport", "yes" if own else "no"),
        ("public_transport", "yes" if public else "no"),
    )


def test_R_PLC_5_commute_uses_only_areas_known_on_both_sides():
    # Same arrondissement, but the client's municipality is unknown; then only the province.
    an = client(municipality=None)
    assert component(an, workplace(), ComponentCode.COMMUTE).facts[0] == (
        "distance",
        "same_arrondissement",
    )
    an = client(municipality=None, arrondissement=None)
    assert component(an, workplace(), ComponentCode.COMMUTE).facts[0] == (
        "distance",
        "same_province",
    )


@pytest.mark.parametrize(
    ("capacity", "occupied", "expected"),
    [(1, 0, "1"), (2, 1, "0.5"), (3, 1, "0.667"), (8, 7, "0.125")],
)
def test_R_PLC_5_capacity_is_the_share_of_free_places(capacity, occupied, expected):
    found = component(
        client(), workplace(capacity=capacity, occupied=occupied), ComponentCode.CAPACITY
    )
    assert found.score == Decimal(expected)
    assert found.facts == (
        ("capacity", str(capacity)),
        ("occupied", str(occupied)),
        ("free", str(capacity - occupied)),
    )


@pytest.mark.parametrize(
    ("state", "expected"), [(AgreementState.IN_FORCE, "1"), (AgreementState.EXPIRING, "0.5")]
)
def test_R_PLC_5_R_PLC_1_an_agreement_about_to_expire_counts_half(state, expected):
    found = component(client(), workplace(agreement=state), ComponentCode.AGREEMENT)
    assert (found.score, found.facts) == (Decimal(expected), (("agreement", state.value),))


def test_a_workplace_cannot_have_negative_places():
    with pytest.raises(ValueError, match="must be ≥ 0"):
        workplace(occupied=-1)
    with pytest.raises(ValueError, match="must be ≥ 0"):
        workplace(capacity=-1)


# --- the score ------------------------------------------------------------------------------


def test_R_PLC_5_a_perfect_fit_scores_1_with_every_component_explained():
    one = Decimal("1.000")
    assert only_match(client(), workplace()) == Match(
        "w1",
        "e1",
        one,
        (
            Component(
                ComponentCode.OCCUPATION,
                one,
                Decimal("3"),
                (("occupation", "9321"), ("match", "unit_group"), ("closest", "9321")),
            ),
            Component(
                ComponentCode.COMPETENCES,
                one,
                Decimal("3"),
                (("trained", "punctuality,safety,teamwork"), ("share", "3/3")),
            ),
            Component(
                ComponentCode.DUTCH,
                one,
                Decimal("1"),
                (("client", "A2"), ("asked", "A2"), ("shortfall", "0")),
            ),
            Component(
                ComponentCode.REGIME,
                one,
                Decimal("1"),
                (("client_max", "0.8"), ("workplace_min", "0.5"), ("workplace_max", "0.8")),
            ),
            Component(
                ComponentCode.COMMUTE,
                one,
                Decimal("2"),
                (
                    ("distance", "same_municipality"),
                    ("own_transport", "no"),
                    ("public_transport", "yes"),
                ),
            ),
            Component(
                ComponentCode.CAPACITY,
                one,
                Decimal("0.5"),
                (("capacity", "2"), ("occupied", "0"), ("free", "2")),
            ),
            Component(ComponentCode.AGREEMENT, one, Decimal("0.5"), (("agreement", "in_force"),)),
        ),
    )


def test_R_PLC_5_the_score_is_the_weighted_mean_of_the_components():
    # occupation 0.6 × 3, competences 2/3 ⇒ 0.667 × 3, Dutch 0.75 × 1, regime 1 × 1,
    # commute 0.7 × 2, capacity 0.5 × 0.5, agreement 0.5 × 0.5 = 7.451 / 11 = 0.67736… ⇒ 0.677.
    an = client(job_targets=frozenset({"9329"}), to_develop=frozenset({"a", "b", "c"}))
    place = workplace(
        occupation="9321",
        trains=frozenset({"a", "b"}),
        dutch_level=3,
        capacity=2,
        occupied=1,
        agreement=AgreementState.EXPIRING,
        **MOL,
    )
    match = only_match(an, place)
    assert [c.score for c in match.components] == [
        Decimal(s) for s in ("0.6", "0.667", "0.75", "1", "0.7", "0.5", "0.5")
    ]
    assert match.score == Decimal("0.677")


def test_R_PLC_5_weights_are_renormalised_when_competences_are_not_scored():
    # Without a POP: 5.45 / 8 = 0.68125 ⇒ 0.681; the weight of competences is left out.
    an = client(job_targets=frozenset({"9329"}), to_develop=None)
    place = workplace(
        occupation="9321",
        dutch_level=3,
        capacity=2,
        occupied=1,
        agreement=AgreementState.EXPIRING,
        **MOL,
    )
    match = only_match(an, place)
    competences = match.components[1]
    assert (competences.code, competences.score, competences.weight) == (
        ComponentCode.COMPETENCES,
        None,
        Decimal("3"),
    )
    assert match.score == Decimal("0.681")


def test_R_PLC_5_the_score_is_rounded_half_up():
    # Only capacity (1 of 8 free: 0.125) and agreement (1) count: 0.5625 ⇒ 0.563.
    weights = {code.value: Decimal(0) for code in ComponentCode}
    ruleset = with_rules(matching={**weights, "capacity": Decimal(1), "agreement": Decimal(1)})
    match = only_match(client(), workplace(capacity=8, occupied=7), ruleset)
    assert match.score == Decimal("0.563")
    assert [c.weight for c in match.components] == [0, 0, 0, 0, 0, 1, 1]


def test_R_PLC_5_nothing_scored_scores_0():
    weights = {code.value: Decimal(0) for code in ComponentCode}
    ruleset = with_rules(matching={**weights, "occupation": Decimal(1)})
    match = only_match(client(job_targets=frozenset()), workplace(), ruleset)
    assert match.score == Decimal("0.000")


def test_R_PLC_5_an_installation_can_weigh_the_commute_more():
    near, far = workplace(id="near", occupation="5223"), workplace(id="far", **MECHELEN)
    default = match_workplaces(client(), [near, far], RULES)
    assert [m.workplace_id for m in default.matches] == ["far", "near"]
    ruleset = with_rules(matching={"commute": Decimal(20)})
    commuting = match_workplaces(client(), [near, far], ruleset)
    assert [m.workplace_id for m in commuting.matches] == ["near", "far"]


# --- order ----------------------------------------------------------------------------------


def test_R_PLC_5_matches_by_score_then_id_excluded_by_id():
    places = [
        workplace(id="w3"),
        workplace(id="w2", occupation="5223"),
        workplace(id="x1", occupied=2),
        workplace(id="w1"),
        workplace(id="a0", agreement=AgreementState.MISSING),
        workplace(id="w10"),
    ]
    result = match_workplaces(client(), iter(places), RULES)
    assert [m.workplace_id for m in result.matches] == ["w1", "w10", "w3", "w2"]
    assert [e.workplace_id for e in result.excluded] == ["a0", "x1"]
    assert match_workplaces(client(), reversed(places), RULES) == result


def test_R_PLC_5_two_workplaces_with_the_same_id_cannot_be_ranked():
    with pytest.raises(ValueError, match="duplicate workplace ids: w1"):
        match_workplaces(client(), [workplace(), workplace(occupied=2)], RULES)
    with pytest.raises(ValueError, match="duplicate client ids: an"):
        match_clients(workplace(), [client(), client()], RULES)


def test_R_PLC_5_no_workplaces_no_matches():
    result = match_workplaces(client(), [], RULES)
    assert (result.matches, result.excluded) == ((), ())


# --- clients for a workplace ----------------------------------------------------------------


def test_R_PLC_5_clients_for_a_workplace_by_score_then_id():
    forklift = workplace(demands=frozenset({Demand.LIFTING}))
    clients = [
        client(id="ben", job_targets=frozenset({"9329"})),
        client(id="an"),
        client(id="cis", limitations=frozenset({Demand.LIFTING}), **LEUVEN),
        client(id="dirk"),
        client(id="eva", job_targets=frozenset(), to_develop=None, max_regime=None),
    ]
    result = match_clients(forklift, clients, RULES)
    # Eva: no job targets, no POP (both unscored) and an unknown regime (1.0 at a 0.8 workplace):
    # (1 + 0.8 + 2 + 0.5 + 0.5) / 5 = 0.96. Ben aims at 9329: (0.6 × 3 + 8) / 11 = 0.8909….
    assert [(m.client_id, str(m.score)) for m in result.matches] == [
        ("an", "1.000"),
        ("dirk", "1.000"),
        ("eva", "0.960"),
        ("ben", "0.891"),
    ]
    (cis,) = result.excluded
    assert cis.client_id == "cis"
    assert codes(cis.exclusions) == [Constraint.LIMITATION, Constraint.UNREACHABLE]
    for match in result.matches:
        same = match_workplaces(
            next(c for c in clients if c.id == match.client_id), [forklift], RULES
        ).matches[0]
        assert (match.score, match.components) == (same.score, same.components)


def test_R_PLC_5_a_full_workplace_excludes_every_client_with_all_reasons():
    full = workplace(capacity=1, occupied=1, requires_driving_licence=True)
    result = match_clients(full, [client(id="b"), client(id="a", driving_licence=True)], RULES)
    assert result.matches == ()
    assert [(e.client_id, codes(e.exclusions)) for e in result.excluded] == [
        ("a", [Constraint.NO_CAPACITY]),
        ("b", [Constraint.NO_CAPACITY, Constraint.DRIVING_LICENCE]),
    ]
    no_places = workplace(capacity=0, occupied=0, agreement=AgreementState.MISSING)
    (excluded,) = match_clients(no_places, [client()], RULES).excluded
    assert codes(excluded.exclusions) == [Constraint.NO_CAPACITY, Constraint.NO_AGREEMENT]


# --- rotation -------------------------------------------------------------------------------


def test_R_PLC_4_rotation_offers_the_same_employers_other_workplaces_first():
    current = workplace(id="w1", employer="bakery", occupied=1)
    places = [
        current,
        workplace(id="w2", employer="bakery", occupation="5223"),  # scores lower
        workplace(id="w3", employer="bakery", occupation="9329"),
        workplace(id="w4", employer="bakery", requires_driving_licence=True),
        workplace(id="w5", employer="warehouse"),  # the best score
        workplace(id="w6", employer="warehouse", occupation="5223"),
    ]
    result = rotation_alternatives(client(), current, places, RULES)
    assert [(m.workplace_id, m.employer) for m in result.matches] == [
        ("w3", "bakery"),
        ("w2", "bakery"),
        ("w5", "warehouse"),
        ("w6", "warehouse"),
    ]
    assert [str(m.score) for m in result.matches] == ["0.891", "0.727", "1.000", "0.727"]
    assert [(e.workplace_id, codes(e.exclusions)) for e in result.excluded] == [
        ("w1", [Constraint.CURRENT]),
        ("w4", [Constraint.DRIVING_LICENCE]),
    ]


def test_R_PLC_4_rotation_without_other_workplaces_of_the_employer():
    current = workplace(id="w1", employer="bakery")
    result = rotation_alternatives(client(), current, [workplace(id="w2", employer="x")], RULES)
    assert [m.workplace_id for m in result.matches] == ["w2"]
    assert result.excluded == ()


# --- properties (hypothesis) ----------------------------------------------------------------

AREAS = [GEEL, MOL, MECHELEN, LEUVEN, NOWHERE, {**LEUVEN, "municipality": None}]
REGIMES = [Decimal(x) for x in ("0.5", "0.6", "0.75", "0.8", "1.0", "1")]
OCCUPATIONS = ["9321", "9329", "9112", "5223", "7512"]
COMPETENCES = st.frozensets(st.sampled_from("abcde"))
DEMANDS = st.frozensets(st.sampled_from(Demand), max_size=3)


@st.composite
def clients(draw: st.DrawFn, id: str = "an") -> ClientProfile:
    return ClientProfile(
        id=id,
        job_targets=draw(st.frozensets(st.sampled_from(OCCUPATIONS), max_size=3)),
        to_develop=draw(st.none() | COMPETENCES),
        limitations=draw(DEMANDS),
        max_regime=draw(st.none() | st.sampled_from(REGIMES)),
        dutch_level=draw(st.integers(0, 6)),
        driving_licence=draw(st.booleans()),
        own_transport=draw(st.booleans()),
        public_transport=draw(st.booleans()),
        **draw(st.sampled_from(AREAS)),
    )


@st.composite
def workplaces(draw: st.DrawFn, id: str = "w") -> WorkplaceProfile:
    lowest, highest = sorted(draw(st.lists(st.sampled_from(REGIMES), min_size=2, max_size=2)))
    capacity = draw(st.integers(0, 3))
    return WorkplaceProfile(
        id=id,
        employer=draw(st.sampled_from(["e1", "e2", "e3"])),
        occupation=draw(st.none() | st.sampled_from(OCCUPATIONS)),
        trains=draw(COMPETENCES),
        demands=draw(DEMANDS),
        min_regime=lowest,
        max_regime=highest,
        dutch_level=draw(st.integers(0, 6)),
        requires_driving_licence=draw(st.booleans()),
        capacity=capacity,
        occupied=draw(st.integers(0, 4)),
        agreement=draw(st.sampled_from(AgreementState)),
        **draw(st.sampled_from(AREAS)),
    )


@st.composite
def many(draw: st.DrawFn, strategy: st.SearchStrategy, prefix: str) -> list:
    """Draw up to 10 profiles with unique ids in a random order."""
    drawn = draw(st.lists(strategy, max_size=10))
    numbers = draw(st.permutations(range(len(drawn))))
    return [renamed(item, f"{prefix}{n}") for item, n in zip(drawn, numbers, strict=True)]


def renamed(item: ClientProfile | WorkplaceProfile, id: str) -> ClientProfile | WorkplaceProfile:
    if isinstance(item, ClientProfile):  # a named tuple
        return item._replace(id=id)
    return replace(item, id=id)


def violated(client: ClientProfile, place: WorkplaceProfile, exclude_ids=frozenset()) -> list:
    """The hard constraints, written again from the rule text, independently of the module."""
    most = Decimal(1) if client.max_regime is None else client.max_regime
    provinces = {client.province, place.province}
    checks = {
        Constraint.NO_CAPACITY: place.occupied >= place.capacity,
        Constraint.NO_AGREEMENT: place.agreement == "missing",
        Constraint.LIMITATION: bool(set(place.demands) & set(client.limitations)),
        Constraint.DRIVING_LICENCE: place.requires_driving_licence and not client.driving_licence,
        Constraint.REGIME: most < place.min_regime,
        Constraint.UNREACHABLE: not client.own_transport
        and None not in provinces
        and len(provinces) == 2,
        Constraint.CURRENT: place.id in exclude_ids,
    }
    return [code for code, failed in checks.items() if failed]


def recomputed(components: tuple[Component, ...]) -> Decimal:
    """The total from the components shown: Σ(weight × score) / Σ(weight), half up."""
    scored = [c for c in components if c.score is not None]
    weight = sum((c.weight for c in scored), Decimal(0))
    if not weight:
        return Decimal(0)
    total = sum((c.weight * c.score for c in scored), Decimal(0)) / weight
    return total.quantize(Decimal("0.001"), ROUND_HALF_UP)


@FAST
@given(clients(), many(workplaces(), "w"), st.frozensets(st.sampled_from(["w0", "w1", "x"])))
def test_R_PLC_5_no_match_ever_violates_a_hard_constraint(an, places, exclude_ids):
    result = match_workplaces(an, places, RULES, exclude_ids=exclude_ids)
    by_id = {place.id: place for place in places}
    for match in result.matches:
        assert violated(an, by_id[match.workplace_id], exclude_ids) == []
    for excluded in result.excluded:
        expected = violated(an, by_id[excluded.workplace_id], exclude_ids)
        assert codes(excluded.exclusions) == expected != []


@FAST
@given(clients(), many(workplaces(), "w"))
def test_R_PLC_5_every_workplace_appears_exactly_once(an, places):
    result = match_workplaces(an, places, RULES)
    seen = [m.workplace_id for m in result.matches] + [e.workplace_id for e in result.excluded]
    assert sorted(seen) == sorted(place.id for place in places)


@FAST
@given(clients(), many(workplaces(), "w"), st.randoms(use_true_random=False))
def test_R_PLC_5_shuffling_the_workplaces_gives_the_same_result(an, places, rnd):
    result = match_workplaces(an, places, RULES)
    assert match_workplaces(an, rnd.sample(places, len(places)), RULES) == result
    ranks = [(-m.score, m.workplace_id) for m in result.matches]
    assert ranks == sorted(ranks)
    assert [e.workplace_id for e in result.excluded] == sorted(
        e.workplace_id for e in result.excluded
    )


@FAST
@given(clients(), many(workplaces(), "w"))
def test_R_PLC_5_scores_are_between_0_and_1_and_can_be_recomputed(an, places):
    for match in match_workplaces(an, places, RULES).matches:
        assert Decimal(0) <= match.score <= Decimal(1)
        assert match.score == recomputed(match.components)
        assert [c.code for c in match.components] == list(ComponentCode)
        for found in match.components:
            assert found.score is None or Decimal(0) <= found.score <= Decimal(1)
            assert found.weight == RULES.matching.weight(found.code)


@SLOW
@given(workplaces(), many(clients(), "c"), st.randoms(use_true_random=False))
def test_R_PLC_5_clients_for_a_workplace_obey_the_same_rules(place, people, rnd):
    result = match_clients(place, people, RULES)
    assert match_clients(place, rnd.sample(people, len(people)), RULES) == result
    by_id = {person.id: person for person in people}
    seen = [m.client_id for m in result.matches] + [e.client_id for e in result.excluded]
    assert sorted(seen) == sorted(by_id)
    ranks = [(-m.score, m.client_id) for m in result.matches]
    assert ranks == sorted(ranks)
    for match in result.matches:
        assert violated(by_id[match.client_id], place) == []
        assert Decimal(0) <= match.score <= Decimal(1)
        assert match.score == recomputed(match.components)
    for excluded in result.excluded:
        assert codes(excluded.exclusions) == violated(by_id[excluded.client_id], place) != []


@SLOW
@given(workplaces(), many(clients(), "c"))
def test_R_PLC_5_a_client_is_ranked_among_others_as_alone(place, people):
    """What a client gets does not depend on the other clients ranked with it.

    The rules core reuses the exclusions and components that equal facts gave (issue 11): each
    client's score, components and exclusions, facts included, are those it gets alone.
    """
    result = match_clients(place, people, RULES)
    together: dict[str, object] = {m.client_id: (m.score, m.components) for m in result.matches}
    together.update({e.client_id: e.exclusions for e in result.excluded})
    for person in people:
        alone = match_clients(place, [person], RULES)
        (found,) = [(m.score, m.components) for m in alone.matches] + [
            e.exclusions for e in alone.excluded
        ]
        assert together[person.id] == found


@SLOW
@given(clients(), many(workplaces(), "w"), st.frozensets(st.sampled_from(["w0", "w1", "x"])))
def test_R_PLC_5_a_workplace_is_ranked_among_others_as_alone(an, places, exclude_ids):
    """What a workplace gets does not depend on the other workplaces ranked with it.

    The rules core reuses the exclusions and components that equal facts gave (issue 11).
    """
    result = match_workplaces(an, places, RULES, exclude_ids=exclude_ids)
    together: dict[str, object] = {m.workplace_id: m for m in result.matches}
    together.update({e.workplace_id: e for e in result.excluded})
    for place in places:
        alone = match_workplaces(an, [place], RULES, exclude_ids=exclude_ids)
        (found,) = alone.matches + alone.excluded
        assert together[place.id] == found


def test_R_PLC_5_closed_workplaces_keep_their_own_reasons() -> None:
    """Full workplaces exclude An; each one's other reasons are still its own."""
    full = {"capacity": 1, "occupied": 1}
    result = match_workplaces(
        client(limitations=frozenset({Demand.STANDING, Demand.WALKING})),
        [
            workplace(id="w1", **full),
            workplace(id="w2", **full, **LEUVEN),
            workplace(id="w3", **full, min_regime=Decimal("1.0"), max_regime=Decimal("1.0")),
            workplace(id="w4", **full, demands=frozenset({Demand.LIFTING})),
            workplace(id="w5", capacity=1, occupied=2),
            workplace(id="w6", **full, demands=frozenset({Demand.STANDING})),
            workplace(id="w7", **full, demands=frozenset({Demand.WALKING})),
            workplace(id="w8", **full, requires_driving_licence=True),
            workplace(id="w9", **full, agreement=AgreementState.MISSING),
        ],
        RULES,
        exclude_ids=frozenset({"w4"}),
    )
    reasons = {e.workplace_id: e.exclusions for e in result.excluded}
    assert codes(reasons["w1"]) == [Constraint.NO_CAPACITY]
    assert codes(reasons["w2"]) == [Constraint.NO_CAPACITY, Constraint.UNREACHABLE]
    assert reasons["w2"][1].facts[1] == ("workplace_province", "20001")
    assert codes(reasons["w3"]) == [Constraint.NO_CAPACITY, Constraint.REGIME]
    assert codes(reasons["w4"]) == [Constraint.NO_CAPACITY, Constraint.CURRENT]
    assert reasons["w5"][0].facts == (("capacity", "1"), ("occupied", "2"))
    assert reasons["w6"][1].facts == (("standing", "d4154"),)
    assert reasons["w7"][1].facts == (("walking", "d450"),)
    assert codes(reasons["w8"]) == [Constraint.NO_CAPACITY, Constraint.DRIVING_LICENCE]
    assert codes(reasons["w9"]) == [Constraint.NO_CAPACITY, Constraint.NO_AGREEMENT]


def test_R_PLC_5_clients_excluded_by_a_closed_workplace_keep_their_own_reasons() -> None:
    """A full workplace excludes everyone; each client's other reasons are still their own."""
    full = workplace(
        capacity=1,
        occupied=1,
        demands=frozenset({Demand.LIFTING}),
        requires_driving_licence=True,
        **LEUVEN,
    )
    able = {"driving_licence": True}
    people = [
        client(id="c1", **able, **LEUVEN),
        client(id="c2", **able),  # Geel, province Antwerp, no own transport
        client(id="c3", **able, limitations=frozenset({Demand.LIFTING}), **LEUVEN),
        client(id="c4", **LEUVEN),
        client(id="c5", **able, own_transport=True),
        client(id="c6", **able, max_regime=Decimal("0.4"), **LEUVEN),
    ]
    reasons = {e.client_id: e.exclusions for e in match_clients(full, people, RULES).excluded}
    assert codes(reasons["c1"]) == codes(reasons["c5"]) == [Constraint.NO_CAPACITY]
    assert codes(reasons["c2"]) == [Constraint.NO_CAPACITY, Constraint.UNREACHABLE]
    assert reasons["c2"][1].facts[0] == ("client_province", "10000")
    assert codes(reasons["c3"]) == [Constraint.NO_CAPACITY, Constraint.LIMITATION]
    assert codes(reasons["c4"]) == [Constraint.NO_CAPACITY, Constraint.DRIVING_LICENCE]
    assert codes(reasons["c6"]) == [Constraint.NO_CAPACITY, Constraint.REGIME]


@SLOW
@given(clients(), workplaces())
def test_R_PLC_5_a_pair_scores_the_same_from_either_side(an, place):
    for_client = match_workplaces(an, [place], RULES)
    for_workplace = match_clients(place, [an], RULES)
    assert [(m.score, m.components) for m in for_client.matches] == [
        (m.score, m.components) for m in for_workplace.matches
    ]
    assert [e.exclusions for e in for_client.excluded] == [
        e.exclusions for e in for_workplace.excluded
    ]


@SLOW
@given(clients(), many(workplaces(), "w"), st.data())
def test_R_PLC_4_rotation_lists_the_same_employer_first(an, places, data):
    current = data.draw(st.sampled_from(places)) if places else data.draw(workplaces(id="w0"))
    result = rotation_alternatives(an, current, places, RULES)
    plain = match_workplaces(an, places, RULES, exclude_ids=frozenset({current.id}))
    assert sorted(result.matches, key=lambda m: m.workplace_id) == sorted(
        plain.matches, key=lambda m: m.workplace_id
    )
    assert result.excluded == plain.excluded
    same = [m.employer == current.employer for m in result.matches]
    assert same == sorted(same, reverse=True)
    for group in (True, False):
        ranks = [
            (-m.score, m.workplace_id)
            for m, s in zip(result.matches, same, strict=True)
            if s is group
        ]
        assert ranks == sorted(ranks)
