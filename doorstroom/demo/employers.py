"""Demo employers, workplaces with their job profiles, and placements with rotations (R-PLC).

15 employers of the Kempen: internal workfloors of the OCMWs, social economy (a maatwerkbedrijf,
the Kringwinkel) and regular (NEC) employers in different sectors — most of them followed up
by OCMW Geel, some by OCMW Mol and two by Leerwerkbedrijf Kempen. Each has one contact person,
one to three mentors, a cooperation agreement (one expires within three weeks, one has expired,
one employer has none yet) and 40 workplaces in all, with their job profiles.

Placements follow the demo trajectories (see ``clients.py``): art60 at the OCMWs' employers
(with the tripartite agreement at a third-party user), TWE-wz at the partner's, with gradual
build-ups, on-the-job follow-ups (some placements still wait for their first one), rotations
to another workplace and endings for outflow. A few clients get work limitations, so matching
has exclusions to explain. Wim Peetermans (coach@) has no placement yet: his job targets fit
several workplaces of OCMW Geel, for the "find a workplace" page.

Every write goes through the services with the acting demo user; dates are relative to
``ctx.today`` and every value comes from the fixed lists below: the demo is deterministic.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Prefetch

from doorstroom.accounts.models import Municipality, User
from doorstroom.clients import services as clients
from doorstroom.clients.models import Client, DutchLevel, Occupation
from doorstroom.demo.context import DemoContext, lead_coach_id_on
from doorstroom.employers import services as employers
from doorstroom.employers.models import (
    AgreementKind,
    ContactRole,
    Employer,
    EmployerContact,
    EmployerKind,
    Level,
    Placement,
    PlacementEndReason,
    PlacementKind,
    Sector,
    Workplace,
)
from doorstroom.plans.models import Competence
from doorstroom.trajectories.choices import Status, TrajectoryKind
from doorstroom.trajectories.models import Handover, Trajectory

LIFT, STAND, WALK, HANDS, OUT, SHIFT = (
    "lifting",
    "standing",
    "walking",
    "fine_hand_use",
    "outdoor",
    "shift_work",
)
LOW, MEDIUM, HIGH = Level.LOW.value, Level.MEDIUM.value, Level.HIGH.value


def enterprise_number(base: str) -> str:
    """A valid KBO number: 8 digits and their mod-97 check (97 − base mod 97)."""
    return f"{base}{97 - int(base) % 97:02d}"


# --- Employers and their workplaces ---------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A workplace with its job profile; `reviewed` is how many days ago it was last screened."""

    key: str
    title: str
    occupation: str  # Occupation.name_nl of the curated list
    tasks: tuple[str, ...]
    demands: tuple[str, ...]
    competences: tuple[tuple[str, int], ...]  # (Competence.code, level 1–4)
    dutch: str
    regime: tuple[str, str]
    schedule: str
    pace: str = MEDIUM
    variety: str = MEDIUM
    capacity: int = 1
    reviewed: int = 90
    licence: bool = False
    coach: str = ""  # the contact coach; default: the employer's account coach
    town: str = ""  # default: the employer's municipality


@dataclass(frozen=True)
class Firm:
    """An employer; `agreements` are (start, end or None, commitment clause) in days from today."""

    key: str
    org: str  # ocmw_a | ocmw_b | partner
    name: str
    kind: str
    sector: str
    kbo: str  # 8 digits; "" for an internal workfloor (the OCMW itself)
    street: str
    postcode: str
    town: str
    phone: str
    coach: str  # account coach (demo user key)
    contact: tuple[str, str, str]  # name, job title, phone
    mentors: tuple[tuple[str, str], ...]
    agreements: tuple[tuple[int, int | None, bool], ...]
    jobs: tuple[Job, ...]
    notes: str = ""


INTERNAL, SOCIAL, NEC = (
    EmployerKind.INTERNAL.value,
    EmployerKind.LEERWERKBEDRIJF.value,
    EmployerKind.NEC.value,
)
THREE_YEARS = 3 * 365

FIRMS: list[Firm] = [
    # OCMW Geel --------------------------------------------------------------------------------
    Firm(
        "td_geel", "ocmw_a", "Technische dienst OCMW Geel", INTERNAL, Sector.CONSTRUCTION, "",
        "Nijverheidsstraat 14", "2440", "Geel", "014 58 21 40", "coach",
        ("Luc Van Hove", "Diensthoofd technische dienst", "0475 21 36 48"),
        (("Eddy Mertens", "Ploegbaas onderhoud"), ("Patrick Geerts", "Ploegbaas schilderwerken")),
        ((-1400, None, True),),
        (
            Job(
                "td_poly", "Polyvalent medewerker technische dienst",
                "Medewerker technische dienst",
                ("Kleine herstellingen in de gebouwen van het OCMW (lampen, deuren, meubilair).",
                 "Helpen bij verhuizingen en het klaarzetten van zalen.",
                 "Gereedschap en werkplaats netjes houden."),
                (LIFT, STAND, WALK, HANDS),
                (("use-machines", 2), ("follow-safety", 2), ("work-in-teams", 2),
                 ("follow-instructions", 2), ("take-initiative", 1)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 7u30–16u", variety=HIGH, capacity=2,
                reviewed=60,
            ),
            Job(
                "td_paint", "Hulp schilder onderhoud gebouwen", "Schilder",
                ("Schuren, plamuren en afplakken voor de schilder.",
                 "Muren en deuren schilderen in de sociale woningen van het OCMW.",
                 "Borstels en rollen reinigen en het materiaal opbergen."),
                (STAND, HANDS),
                (("attend-to-detail", 3), ("quality-standards", 2), ("follow-instructions", 2),
                 ("work-independently", 1)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 8u–16u", pace=LOW, reviewed=400,
            ),
            Job(
                "td_driver", "Chauffeur-klusjesman", "Klusjesman",
                ("Meubels en materiaal ophalen en leveren met de bestelwagen.",
                 "Kleine klussen in de woningen van cliënten.",
                 "Dagelijkse controle van het voertuig."),
                (LIFT, WALK),
                (("meet-commitments", 3), ("work-independently", 2), ("customer-focus", 2),
                 ("follow-safety", 2), ("manage-time", 2)),
                DutchLevel.B1, ("0.80", "1.00"), "ma–vr 8u–16u30", variety=HIGH, reviewed=100,
                licence=True,
            ),
        ),
        notes="Interne werkvloer van het OCMW (zelfde rechtspersoon): geen derde gebruiker.",
    ),
    Firm(
        "kookpot", "ocmw_a", "Sociaal restaurant De Kookpot", INTERNAL, Sector.HOSPITALITY, "",
        "Kollegestraat 32", "2440", "Geel", "014 58 33 10", "coach3",
        ("Marleen Vos", "Zaakvoerder sociaal restaurant", "0486 44 12 90"),
        (("Hans Peeters", "Chef-kok"), ("Nadia Amrani", "Zaalverantwoordelijke")),
        ((-1400, None, True),),
        (
            Job(
                "kp_dish", "Medewerker afwas en keukenhulp", "Keukenhulp",
                ("Vaat, potten en pannen afwassen.",
                 "Groenten schoonmaken en snijden voor de mise-en-place.",
                 "Keuken en koelcel poetsen volgens het HACCP-plan."),
                (STAND, WALK),
                (("hygiene", 2), ("work-efficiently", 2), ("follow-instructions", 1),
                 ("work-in-teams", 2), ("cope-with-pressure", 2)),
                DutchLevel.A1, ("0.50", "1.00"), "ma–vr 9u–15u", pace=HIGH, variety=LOW,
                capacity=2, reviewed=150,
            ),
            Job(
                "kp_cook", "Hulpkok", "Hulpkok",
                ("Koude en warme bereidingen onder leiding van de chef.",
                 "De dagschotel portioneren voor zo'n 80 gasten.",
                 "Voorraad en houdbaarheid opvolgen."),
                (STAND, HANDS),
                (("hygiene", 3), ("cope-with-pressure", 3), ("quality-standards", 2),
                 ("work-in-teams", 2), ("manage-time", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 8u–15u30", pace=HIGH, capacity=2,
                reviewed=200,
            ),
            Job(
                "kp_meals", "Medewerker grootkeuken (maaltijden aan huis)",
                "Medewerker grootkeuken",
                ("Maaltijden voor de thuisbezorging bereiden en verpakken.",
                 "Etiketten en diëten controleren.",
                 "De keuken reinigen na de productie."),
                (STAND, LIFT),
                (("hygiene", 3), ("attend-to-detail", 3), ("work-efficiently", 2),
                 ("follow-instructions", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 6u30–14u", variety=LOW, capacity=2,
                reviewed=30, coach="coach",
            ),
            Job(
                "kp_floor", "Zaalmedewerker", "Zaalmedewerker",
                ("Gasten ontvangen en bedienen tijdens de middag.",
                 "Tafels dekken en afruimen.",
                 "De kassa bedienen bij het afrekenen."),
                (STAND, WALK),
                (("customer-focus", 3), ("good-manners", 3), ("dutch-at-work", 2),
                 ("interact-with-others", 2), ("work-calculations", 1)),
                DutchLevel.B1, ("0.50", "0.80"), "ma–vr 11u–15u", reviewed=90,
            ),
        ),
        notes="Interne werkvloer van het OCMW: middagmaal voor buurtbewoners aan een sociaal "
        "tarief en maaltijden aan huis.",
    ),
    Firm(
        "zonnewerk", "ocmw_a", "Maatwerkbedrijf Zonnewerk", SOCIAL, Sector.MANUFACTURING,
        "04561238", "Nijverheidsstraat 8", "2260", "Westerlo", "014 54 70 20", "coach3",
        ("Sandra Wuyts", "Personeelsverantwoordelijke", "0478 90 12 55"),
        (("Rudi Claes", "Ploegleider assemblage"), ("Tinne Van Loy", "Ploegleider verpakking")),
        ((-1200, None, True),),
        (
            Job(
                "zw_assembly", "Productiemedewerker assemblage", "Assemblagemedewerker",
                ("Kleine onderdelen monteren voor de automobielsector.",
                 "Het eigen werk controleren met een kaliber.",
                 "De werkpost ordelijk houden (5S)."),
                (STAND, HANDS),
                (("attend-to-detail", 3), ("quality-standards", 3), ("use-machines", 2),
                 ("persist", 2), ("follow-instructions", 2)),
                DutchLevel.A1, ("0.50", "1.00"), "ma–vr 7u–15u (dagploeg)", variety=LOW,
                capacity=3, reviewed=120,
            ),
            Job(
                "zw_pack", "Medewerker verpakking", "Inpakker",
                ("Producten tellen, verpakken en etiketteren.",
                 "Dozen op paletten stapelen en wikkelen.",
                 "Afwijkingen melden aan de ploegleider."),
                (STAND, LIFT, SHIFT),
                (("work-efficiently", 3), ("follow-safety", 2), ("work-in-teams", 2),
                 ("meet-commitments", 2)),
                DutchLevel.A1, ("0.50", "1.00"), "twee ploegen: 6u–14u en 14u–22u", pace=HIGH,
                variety=LOW, capacity=3, reviewed=420,
            ),
            Job(
                "zw_check", "Productiemedewerker sortering en controle", "Productiemedewerker",
                ("Producten visueel controleren op fouten.",
                 "Sorteren en de afkeur registreren.",
                 "De machine bijvullen onder toezicht."),
                (STAND, HANDS),
                (("attend-to-detail", 3), ("quality-standards", 2), ("work-calculations", 2),
                 ("use-machines", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 7u–15u (dagploeg)", pace=LOW,
                variety=LOW, capacity=2, reviewed=50,
            ),
        ),
    ),
    Firm(
        "linde", "ocmw_a", "Woonzorgcentrum De Linde", NEC, Sector.CARE, "04478215",
        "Lindestraat 20", "2440", "Geel", "014 57 61 00", "coach",
        ("Veerle Janssens", "Hoofd logistiek", "0479 33 81 20"),
        (("Jef Van Looveren", "Teamleider logistiek"), ("Mieke Van Dyck", "Hoofd schoonmaak"),
         ("Lutgart Mols", "Verantwoordelijke cafetaria")),
        ((-900, None, True),),
        (
            Job(
                "ln_logistics", "Logistiek assistent", "Logistiek assistent zorg",
                ("Maaltijden en drank rondbrengen op de afdelingen.",
                 "Bewoners begeleiden naar activiteiten en de kapper.",
                 "Linnen en verzorgingsmateriaal aanvullen."),
                (WALK, STAND),
                (("demonstrate-consideration", 3), ("interact-with-others", 3),
                 ("dutch-at-work", 2), ("meet-commitments", 2), ("hygiene", 2)),
                DutchLevel.B1, ("0.50", "1.00"), "7u30–15u30, één weekend op twee",
                variety=HIGH, reviewed=380,
            ),
            Job(
                "ln_interior", "Interieurverzorger", "Interieurverzorger",
                ("Kamers van bewoners en gemeenschappelijke ruimtes poetsen.",
                 "Werken volgens het kleurensysteem en de hygiëneregels.",
                 "Kort en vriendelijk contact met bewoners tijdens het werk."),
                (STAND, WALK),
                (("cleaning-techniques", 3), ("hygiene", 3), ("work-independently", 2),
                 ("demonstrate-consideration", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 7u–13u of 8u–16u", variety=LOW,
                capacity=2, reviewed=45,
            ),
            Job(
                "ln_cafe", "Medewerker cafetaria", "Cafetariamedewerker",
                ("Koffie en versnaperingen serveren aan bewoners en bezoekers.",
                 "De kassa bedienen.",
                 "De cafetaria openen, aanvullen en afsluiten."),
                (STAND,),
                (("customer-focus", 3), ("work-calculations", 2), ("good-manners", 3),
                 ("dutch-at-work", 2), ("take-initiative", 2)),
                DutchLevel.B1, ("0.50", "1.00"), "di–zo 10u–18u, in overleg", pace=LOW,
                reviewed=200,
            ),
        ),
    ),
    Firm(
        "groenekempen", "ocmw_a", "Tuincentrum De Groene Kempen", NEC, Sector.GREEN, "04823617",
        "Geelsebaan 101", "2460", "Kasterlee", "014 85 22 73", "coach3",
        ("Jo Hermans", "Zaakvoerder", "0497 12 40 66"),
        (("Bert Vervoort", "Hoofd kwekerij"),),
        ((-800, -800 + THREE_YEARS, True),),
        (
            Job(
                "gk_greenhouse", "Medewerker serre en buitenafdeling", "Serremedewerker",
                ("Planten verpotten, water geven en verzorgen.",
                 "De buitenafdeling aanvullen en opruimen.",
                 "Klanten de weg wijzen naar de juiste afdeling."),
                (LIFT, STAND, OUT),
                (("work-efficiently", 2), ("attend-to-detail", 2), ("customer-focus", 1),
                 ("persist", 2), ("follow-instructions", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "di–za 8u30–17u", capacity=2, reviewed=250,
            ),
            Job(
                "gk_till", "Winkelmedewerker kassa", "Kassamedewerker",
                ("Klanten afrekenen aan de kassa.",
                 "Rekken aanvullen en prijzen controleren.",
                 "Planten en bloemen inpakken voor klanten."),
                (STAND,),
                (("customer-focus", 3), ("work-calculations", 3), ("dutch-at-work", 3),
                 ("good-manners", 2)),
                DutchLevel.B1, ("0.50", "1.00"), "wo–zo, wisselende uren", reviewed=250,
            ),
        ),
    ),
    Firm(
        "netenfris", "ocmw_a", "Schoonmaakbedrijf Net & Fris", NEC, Sector.CLEANING, "08124539",
        "Diestseweg 210", "2440", "Geel", "014 59 18 80", "coach",
        ("Sven Daems", "Zaakvoerder", "0472 56 78 12"),
        (("Anja Verheyden", "Ploegbaas"), ("Karim Bennani", "Ploegbaas ramen")),
        ((18 - THREE_YEARS, 18, True),),  # expires in 18 days: agreement_expiry for coach@
        (
            Job(
                "nf_offices", "Schoonmaker kantoren en scholen", "Schoonmaker",
                ("Kantoren, klaslokalen en sanitair poetsen.",
                 "Vuilbakken ledigen en afval sorteren.",
                 "De schoonmaakkar aanvullen."),
                (STAND, WALK, SHIFT),
                (("cleaning-techniques", 3), ("work-independently", 2), ("manage-time", 2),
                 ("meet-commitments", 3)),
                DutchLevel.A1, ("0.50", "0.80"), "vroege en late diensten: 6u–10u en 17u–20u",
                variety=LOW, capacity=3, reviewed=20,
            ),
            Job(
                "nf_windows", "Glazenwasser", "Glazenwasser",
                ("Ramen wassen bij bedrijven en particulieren.",
                 "Werken met telescoopsteel en, na opleiding, de hoogwerker.",
                 "Materiaal laden en lossen."),
                (OUT, LIFT, STAND),
                (("follow-safety", 3), ("work-independently", 2), ("customer-focus", 2),
                 ("use-machines", 2)),
                DutchLevel.A2, ("0.80", "1.00"), "ma–vr 7u30–16u", variety=HIGH, reviewed=355,
                licence=True,
            ),
            Job(
                "nf_centres", "Interieurverzorger dienstencentra", "Interieurverzorger",
                ("Lokale dienstencentra overdag poetsen.",
                 "Keuken en sanitair reinigen.",
                 "Het verbruik van producten bijhouden."),
                (STAND, WALK),
                (("cleaning-techniques", 2), ("hygiene", 2), ("meet-commitments", 2),
                 ("interact-with-others", 1)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 8u–16u", capacity=2, reviewed=60,
            ),
        ),
    ),
    Firm(
        "groen_olen", "ocmw_a", "Groendienst Gemeente Olen", NEC, Sector.PUBLIC, "02073452",
        "Lichtaartsesteenweg 52", "2250", "Olen", "014 27 75 30", "coach",
        ("Dirk Van Gorp", "Diensthoofd groen en netheid", "0473 22 19 04"),
        (("Marc Wouters", "Ploegbaas groen"), ("Ronny Luyten", "Ploegbaas netheid")),
        ((-1100, None, True),),
        (
            Job(
                "ol_green", "Medewerker groenonderhoud", "Groenarbeider",
                ("Gras maaien, hagen snoeien en onkruid verwijderen.",
                 "Plantvakken aanleggen en onderhouden.",
                 "Machines reinigen na gebruik."),
                (LIFT, STAND, WALK, OUT),
                (("follow-safety", 3), ("use-machines", 2), ("work-in-teams", 2),
                 ("persist", 2), ("meet-commitments", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 7u30–15u30", capacity=2, reviewed=90,
            ),
            Job(
                "ol_clean", "Medewerker openbare netheid (met bestelwagen)",
                "Medewerker openbare netheid",
                ("Zwerfvuil opruimen en vuilnisbakken ledigen.",
                 "Sluikstorten melden en ophalen met de bestelwagen.",
                 "Straatmeubilair reinigen."),
                (WALK, OUT, LIFT),
                (("work-independently", 3), ("meet-commitments", 2), ("follow-safety", 2),
                 ("interact-with-others", 1)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 7u–15u", capacity=2, reviewed=180,
                licence=True,
            ),
            Job(
                "ol_cemetery", "Medewerker begraafplaatsen", "Medewerker groendienst",
                ("Paden en grafzones onkruidvrij houden.",
                 "Hagen snoeien en bladeren ruimen.",
                 "Respectvol contact met bezoekers."),
                (OUT, WALK, STAND),
                (("demonstrate-consideration", 2), ("work-independently", 2), ("persist", 2),
                 ("attend-to-detail", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 7u30–15u30", pace=LOW, variety=LOW,
                reviewed=300, coach="coach3",
            ),
        ),
    ),
    Firm(
        "verbist", "ocmw_a", "Bakkerij Verbist", NEC, Sector.RETAIL, "06927714",
        "Kerkstraat 15", "2431", "Laakdal", "013 66 18 42", "coach3",
        ("Kristel Verbist", "Zaakvoerder", "0495 61 72 83"),
        (("Jan Verbist", "Bakker"),),
        ((-700, None, True),),
        (
            Job(
                "vb_baker", "Bakkershulp", "Bakkershulp",
                ("Deeg afwegen, vormen en bakken onder begeleiding.",
                 "Bakplaten en machines reinigen.",
                 "Bestellingen klaarzetten voor de winkel."),
                (STAND, LIFT, SHIFT),
                (("hygiene", 3), ("work-efficiently", 2), ("follow-instructions", 2),
                 ("meet-commitments", 3), ("use-machines", 1)),
                DutchLevel.A1, ("0.50", "1.00"), "di–za 4u–11u30 (nachtwerk)", pace=HIGH,
                reviewed=140,
            ),
            Job(
                "vb_shop", "Verkoper bakkerij", "Verkoper bakkerij",
                ("Klanten bedienen en afrekenen.",
                 "Brood snijden en inpakken.",
                 "Toonbank en winkel proper houden."),
                (STAND,),
                (("customer-focus", 3), ("good-manners", 2), ("work-calculations", 2),
                 ("hygiene", 2), ("dutch-at-work", 3)),
                DutchLevel.B1, ("0.50", "0.80"), "wo–zo 7u–13u", reviewed=140,
            ),
        ),
    ),
    Firm(
        "luyckx", "ocmw_a", "Bouwbedrijf Luyckx", NEC, Sector.CONSTRUCTION, "04412876",
        "Boerenkrijgstraat 77", "2260", "Westerlo", "014 54 12 09", "coach3",
        ("Geert Luyckx", "Zaakvoerder", "0476 18 29 37"),
        (("Willy Heylen", "Ploegbaas"),),
        ((-40 - THREE_YEARS, -40, True),),  # expired, not renewed: its workplaces are excluded
        (
            Job(
                "lx_labourer", "Opperman", "Opperman",
                ("Materiaal aanvoeren en mortel maken voor de metsers.",
                 "De werf opruimen en het afval sorteren.",
                 "Steigers helpen opbouwen onder toezicht."),
                (LIFT, STAND, OUT, WALK),
                (("follow-safety", 3), ("work-in-teams", 2), ("persist", 2),
                 ("use-machines", 1)),
                DutchLevel.A2, ("0.80", "1.00"), "ma–vr 7u–15u30", pace=HIGH, capacity=2,
                reviewed=200,
            ),
            Job(
                "lx_ground", "Grondwerker", "Grondwerker",
                ("Sleuven graven en aanvullen.",
                 "Rioleringsbuizen helpen leggen.",
                 "Werfsignalisatie plaatsen."),
                (LIFT, OUT, WALK),
                (("follow-safety", 3), ("follow-instructions", 2), ("work-in-teams", 2)),
                DutchLevel.A2, ("0.80", "1.00"), "ma–vr 7u–15u30", pace=HIGH, reviewed=200,
            ),
        ),
    ),
    # OCMW Mol ---------------------------------------------------------------------------------
    Firm(
        "schoon_mol", "ocmw_b", "Schoonmaakdienst OCMW Mol", INTERNAL, Sector.CLEANING, "",
        "Molderdijk 15", "2400", "Mol", "014 33 09 50", "coach2",
        ("Hilde Claes", "Coördinator schoonmaak", "0488 71 60 24"),
        (("Rita Boeckx", "Ploegverantwoordelijke"), ("Ingrid Smolders", "Ploegverantwoordelijke")),
        ((-1300, None, True),),
        (
            Job(
                "sm_care", "Interieurverzorger woonzorgcentrum", "Interieurverzorger",
                ("Kamers en gangen van het woonzorgcentrum poetsen.",
                 "Werken volgens het kleurensysteem en de hygiëneregels.",
                 "Kort en vriendelijk contact met de bewoners."),
                (STAND, WALK),
                (("cleaning-techniques", 3), ("hygiene", 3), ("demonstrate-consideration", 2),
                 ("work-in-teams", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 7u–15u", variety=LOW, capacity=2,
                reviewed=100,
            ),
            Job(
                "sm_buildings", "Schoonmaker gemeentelijke gebouwen", "Schoonmaker",
                ("Het administratief centrum en de bibliotheek poetsen.",
                 "Sanitair reinigen en verbruiksgoederen aanvullen.",
                 "Afval sorteren volgens de afspraken."),
                (STAND, WALK),
                (("cleaning-techniques", 2), ("work-independently", 2), ("meet-commitments", 2),
                 ("manage-time", 2)),
                DutchLevel.A1, ("0.50", "1.00"), "ma–vr 6u–12u", variety=LOW, capacity=2,
                reviewed=390,
            ),
        ),
        notes="Interne werkvloer van het OCMW (zelfde rechtspersoon): geen derde gebruiker.",
    ),
    Firm(
        "kempenwas", "ocmw_b", "Wasserij Kempenwas", NEC, Sector.CLEANING, "07381946",
        "Nijverheidslaan 21", "2480", "Dessel", "014 37 44 16", "coach2",
        ("Patricia Mertens", "Productieleider", "0474 09 58 31"),
        (("Luc Bols", "Ploegleider wasserij"), ("Fatma Kaya", "Ploegleider strijkatelier")),
        ((-950, None, True),),
        (
            Job(
                "kw_laundry", "Productiemedewerker wasserij", "Wasserijmedewerker",
                ("Vuil linnen sorteren en de wasmachines laden.",
                 "Propere was door de mangel halen en plooien.",
                 "Karren klaarzetten voor de zorginstellingen."),
                (STAND, LIFT, SHIFT),
                (("work-efficiently", 3), ("hygiene", 2), ("work-in-teams", 2),
                 ("follow-safety", 2), ("cope-with-pressure", 2)),
                DutchLevel.A1, ("0.50", "1.00"), "twee ploegen: 6u–14u en 13u–21u", pace=HIGH,
                variety=LOW, capacity=3, reviewed=150,
            ),
            Job(
                "kw_iron", "Strijker", "Strijker",
                ("Kleding en linnen strijken met de strijkpers.",
                 "Kleding plooien en sorteren per klant.",
                 "De kwaliteit controleren voor verzending."),
                (STAND, HANDS),
                (("attend-to-detail", 3), ("quality-standards", 3), ("work-efficiently", 2),
                 ("persist", 2)),
                DutchLevel.A1, ("0.50", "1.00"), "ma–vr 8u–16u", variety=LOW, capacity=2,
                reviewed=150,
            ),
            Job(
                "kw_driver", "Chauffeur levering", "Bestelwagenchauffeur",
                ("Propere was leveren bij woonzorgcentra en hotels.",
                 "Vuile was ophalen en registreren.",
                 "Leveringsbonnen laten aftekenen."),
                (LIFT, WALK),
                (("customer-focus", 2), ("manage-time", 3), ("meet-commitments", 3),
                 ("work-independently", 2), ("follow-safety", 2)),
                DutchLevel.B1, ("0.80", "1.00"), "ma–vr 7u–15u30", variety=HIGH, reviewed=60,
                licence=True,
            ),
        ),
    ),
    Firm(
        "versmarkt", "ocmw_b", "Supermarkt Versmarkt Balen", NEC, Sector.RETAIL, "08346152",
        "Molsebaan 40", "2490", "Balen", "014 81 27 64", "coach2",
        ("Bart Hendrickx", "Winkelverantwoordelijke", "0496 27 83 15"),
        (("Sofie Jacobs", "Afdelingsverantwoordelijke"),
         ("Kris Meulemans", "Verantwoordelijke kassa")),
        ((-1000, -1000 + 2 * THREE_YEARS, True),),
        (
            Job(
                "vm_shelves", "Rekkenvuller", "Rekkenvuller",
                ("Rekken aanvullen en producten netjes vooraan zetten.",
                 "Houdbaarheidsdata controleren.",
                 "Leveringen uitpakken in het magazijn."),
                (LIFT, STAND, WALK),
                (("work-efficiently", 2), ("attend-to-detail", 2), ("customer-focus", 1),
                 ("order-picking", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–za 6u–13u", variety=LOW, capacity=2,
                reviewed=100,
            ),
            Job(
                "vm_till", "Kassamedewerker", "Kassamedewerker",
                ("Klanten afrekenen aan de kassa.",
                 "Leeggoed en klantenkaarten verwerken.",
                 "De kassa openen en afsluiten."),
                (STAND, HANDS),
                (("customer-focus", 3), ("work-calculations", 3), ("dutch-at-work", 3),
                 ("cope-with-pressure", 2)),
                DutchLevel.B1, ("0.50", "1.00"), "ma–za, wisselende diensten", pace=HIGH,
                reviewed=100,
            ),
        ),
    ),
    Firm(
        "kempischeheide", "ocmw_b", "Hotel De Kempische Heide", NEC, Sector.HOSPITALITY,
        "06578203", "Boeretang 180", "2400", "Mol", "014 31 55 90", "coach2",
        ("Nathalie Peeters", "Hotelmanager", "0489 45 36 71"),
        (("Tom Van Hoof", "Chef housekeeping"),),
        (),  # newly met, no agreement yet: no placement possible
        (
            Job(
                "kh_rooms", "Medewerker housekeeping", "Medewerker housekeeping",
                ("Hotelkamers opmaken en poetsen.",
                 "Linnen wisselen en de minibar aanvullen.",
                 "Verloren voorwerpen registreren."),
                (STAND, WALK, LIFT),
                (("cleaning-techniques", 3), ("work-efficiently", 2), ("attend-to-detail", 2),
                 ("good-manners", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–zo 8u–14u, twee weekends op vier",
                pace=HIGH, variety=LOW, capacity=2, reviewed=30,
            ),
            Job(
                "kh_kitchen", "Afwasser en keukenhulp", "Afwasser",
                ("Vaat en keukengerei afwassen.",
                 "De chef helpen bij de mise-en-place.",
                 "De keuken poetsen na de dienst."),
                (STAND, SHIFT),
                (("hygiene", 2), ("work-efficiently", 2), ("cope-with-pressure", 2),
                 ("follow-instructions", 1)),
                DutchLevel.A1, ("0.50", "0.80"), "avonddienst 17u–23u", pace=HIGH, variety=LOW,
                reviewed=30,
            ),
        ),
        notes="Kennismaking gehad; de samenwerkingsovereenkomst wordt nog opgemaakt.",
    ),
    # Leerwerkbedrijf Kempen (TWE-wz) ------------------------------------------------------------
    Firm(
        "kringwinkel", "partner", "Kringwinkel Kempen", SOCIAL, Sector.RECYCLING, "04637785",
        "Lierseweg 120", "2200", "Herentals", "014 21 64 30", "partner",
        ("Greet Boonen", "Coördinator werkervaring", "0470 82 17 39"),
        (("Ludo Wouters", "Winkelverantwoordelijke"), ("Ahmed Ouali", "Ploegleider sortering")),
        ((-1600, -731, False), (-730, None, True)),  # renewed with the commitment clause
        (
            Job(
                "kr_shop", "Winkelmedewerker en kassa", "Kringwinkelmedewerker",
                ("Klanten helpen en afrekenen aan de kassa.",
                 "Afdelingen aanvullen en presenteren.",
                 "Prijzen zetten volgens de prijslijst."),
                (STAND, WALK),
                (("customer-focus", 3), ("work-calculations", 2), ("interact-with-others", 2),
                 ("dutch-at-work", 2), ("take-initiative", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "di–za 9u30–17u30", variety=HIGH, capacity=2,
                reviewed=90,
            ),
            Job(
                "kr_textile", "Sorteerder textiel", "Textielsorteerder",
                ("Ingezameld textiel sorteren op kwaliteit en soort.",
                 "Balen maken voor hergebruik en recyclage.",
                 "Sorteertafel en werkplek proper houden."),
                (STAND, HANDS),
                (("attend-to-detail", 2), ("work-efficiently", 2), ("persist", 2),
                 ("quality-standards", 2)),
                DutchLevel.A1, ("0.50", "1.00"), "ma–vr 8u–16u", variety=LOW, capacity=3,
                reviewed=380,
            ),
            Job(
                "kr_store", "Medewerker ophaling en magazijn", "Magazijnmedewerker",
                ("Goederen ophalen bij particulieren, als bijrijder in de ploeg.",
                 "Het magazijn ordenen en goederen verdelen over de winkels.",
                 "Elektrische toestellen apart zetten voor ontmanteling."),
                (LIFT, WALK),
                (("order-picking", 2), ("work-in-teams", 3), ("follow-safety", 2),
                 ("customer-focus", 1), ("use-machines", 1)),
                DutchLevel.A2, ("0.50", "1.00"), "ma–vr 8u–16u", variety=HIGH, capacity=2,
                reviewed=90,
            ),
        ),
    ),
    Firm(
        "kempenlog", "partner", "Distributiecentrum Kempenlog", NEC, Sector.LOGISTICS, "07195468",
        "Doornboom 21", "2250", "Olen", "014 26 90 00", "partner",
        ("Stefan Geerts", "HR-verantwoordelijke", "0477 64 25 18"),
        (("Dimitri Peeters", "Teamleider inslag"),
         ("Jessica Van Dessel", "Teamleider orderpicking"),
         ("Kurt Jansen", "Heftruckinstructeur")),
        ((-1000, None, True),),
        (
            Job(
                "kl_picker", "Orderpicker", "Orderpicker",
                ("Orders verzamelen met de handscanner.",
                 "Paletten stapelen en wikkelen.",
                 "Fouten en breuk melden aan de teamleider."),
                (LIFT, WALK, STAND, SHIFT),
                (("order-picking", 3), ("work-efficiently", 3), ("follow-safety", 2),
                 ("cope-with-pressure", 2), ("work-calculations", 1)),
                DutchLevel.A2, ("0.50", "1.00"), "vroege en late ploeg: 6u–14u en 14u–22u",
                pace=HIGH, variety=LOW, capacity=3, reviewed=200,
            ),
            Job(
                "kl_inbound", "Magazijnmedewerker inslag", "Magazijnmedewerker",
                ("Vrachtwagens lossen en de goederen controleren.",
                 "Goederen inscannen en wegzetten.",
                 "Lege verpakkingen sorteren."),
                (LIFT, STAND, WALK),
                (("order-picking", 2), ("attend-to-detail", 2), ("follow-safety", 3),
                 ("work-in-teams", 2)),
                DutchLevel.A2, ("0.50", "1.00"), "dagploeg 7u–15u30", capacity=2, reviewed=200,
            ),
            Job(
                "kl_forklift", "Heftruckchauffeur in opleiding", "Heftruckchauffeur",
                ("Paletten laden en lossen met de heftruck, na de interne opleiding.",
                 "Goederen in de rekken plaatsen.",
                 "De dagelijkse controle van de heftruck."),
                (STAND,),
                (("use-machines", 3), ("follow-safety", 3), ("attend-to-detail", 2),
                 ("work-independently", 2)),
                DutchLevel.A2, ("0.80", "1.00"), "dagploeg 7u–15u30", reviewed=200,
            ),
        ),
    ),
]  # fmt: skip


# --- Placements along the demo trajectories -------------------------------------------------


@dataclass(frozen=True)
class Stint:
    """One placement; days count from the trajectory start (as in ``clients.Plan``)."""

    job: str
    start: int
    regime: str  # the first step
    steps: tuple[tuple[int, str], ...] = ()  # the build-up: (day, regime)
    followups: tuple[int, ...] = ()
    end: int | None = None
    reason: str = ""
    note: str = ""
    mentor: int = 0
    kind: str = ""  # default: internal workfloor or work experience
    planned_end: int | None = None


ROTATION, OUTFLOW, COMPLETED = (
    PlacementEndReason.ROTATION.value,
    PlacementEndReason.OUTFLOW.value,
    PlacementEndReason.COMPLETED.value,
)
AO_DONE = "Einde van de art. 60-tewerkstelling; werkervaring afgerond met een positieve evaluatie."

# (first name, last name) of a demo client → the placements of their running trajectory
ROUTES: dict[tuple[str, str], tuple[Stint, ...]] = {
    # OCMW Geel (art60) ------------------------------------------------------------------------
    ("Glenn", "Aerts"): (
        Stint("ol_green", 55, "0.50", followups=(70, 150, 280), end=330, reason=ROTATION,
              note="Rotatie: het groenonderhoud zit goed; volgende stap is zelfstandiger werken "
              "met de bestelwagen bij de netheidsploeg."),
        Stint("ol_clean", 331, "0.50", followups=(360, 520, 700), mentor=1),
    ),
    ("Evi", "Daems"): (
        Stint("ln_logistics", 40, "0.50", steps=((100, "0.80"), (160, "1.00")),
              followups=(60, 130, 220), end=250, reason=ROTATION,
              note="Rotatie binnen De Linde: meer klantencontact en kassawerk, in lijn met haar "
              "jobdoelwit."),
        Stint("ln_cafe", 251, "1.00", followups=(300, 420), end=469, reason=OUTFLOW, mentor=2,
              note="Uitstroom: De Linde werft Evi aan als logistiek assistent met een contract "
              "van bepaalde duur (4/5)."),
    ),
    ("Inge", "Bellens"): (
        Stint("lx_labourer", 45, "0.80", steps=((120, "1.00"),), followups=(70, 200, 380),
              end=469, reason=COMPLETED, note=AO_DONE),
    ),
    ("Tom", "Verachtert"): (
        Stint("zw_assembly", 45, "0.50", steps=((105, "0.80"), (165, "1.00")),
              followups=(60, 150, 300), end=439, reason=COMPLETED, note=AO_DONE),
    ),
    ("Fatima", "Bouzid"): (
        Stint("kp_dish", 50, "0.50", steps=((110, "0.80"),), followups=(70, 150), end=200,
              reason=ROTATION,
              note="Rotatie in De Kookpot: de afwas loopt vlot; nu koken onder begeleiding van "
              "de chef (jobdoelwit hulpkok)."),
        Stint("kp_cook", 201, "0.80", steps=((260, "1.00"),), followups=(230, 300)),
    ),
    ("Nele", "Smets"): (  # no follow-up yet, planned end in 12 days: placement_followup_due
        Stint("ln_logistics", 45, "0.50", steps=((105, "1.00"),), planned_end=312),
    ),
    ("Niels", "Cools"): (
        Stint("ol_green", 48, "0.50", steps=((110, "0.80"),), followups=(75, 180)),
    ),
    ("Stijn", "Luyten"): (  # handed over from coach3 to coach@ on day 100
        Stint("gk_greenhouse", 42, "0.80", steps=((120, "1.00"),), followups=(60, 130)),
    ),
    ("Lotte", "Van Gorp"): (  # started 55 days ago, not visited yet
        Stint("kp_meals", 95, "0.50", steps=((125, "0.80"),), mentor=0),
    ),
    ("Leen", "Huybrechts"): (Stint("nf_centres", 40, "0.50", followups=(60,)),),
    ("Youssef", "El Amrani"): (
        Stint("kp_cook", 10, "1.00", followups=(12,), end=14, reason=COMPLETED,
              kind=PlacementKind.JOB_TASTING, planned_end=14,
              note="Snuffelstage afgerond: keukenwerk bevalt, maar de voorkeur blijft groen of "
              "logistiek."),
    ),
    # OCMW Mol (art60) -------------------------------------------------------------------------
    ("Jolien", "Van Baelen"): (
        Stint("vm_shelves", 40, "0.50", steps=((100, "1.00"),), followups=(60, 200, 400),
              end=519, reason=COMPLETED, note=AO_DONE),
    ),
    ("Ann", "Dierckx"): (
        Stint("sm_care", 40, "0.50", steps=((100, "0.80"),), followups=(70, 250)),
    ),
    ("Elke", "Meeus"): (
        Stint("sm_buildings", 40, "0.50", steps=((90, "1.00"),), followups=(60, 120), end=150,
              reason=ROTATION, mentor=1,
              note="Rotatie: meer contact met mensen; overgang naar het woonzorgcentrum."),
        Stint("sm_care", 151, "1.00", followups=(200,)),
    ),
    ("Agnieszka", "Nowak"): (  # not visited yet
        Stint("kw_laundry", 45, "0.50", steps=((105, "0.80"),)),
    ),
    # Leerwerkbedrijf Kempen (TWE-wz) ------------------------------------------------------------
    ("Brent", "Van Reusel"): (
        Stint("kl_inbound", 30, "0.50", steps=((90, "0.80"), (150, "1.00")),
              followups=(50, 200, 400), end=559, reason=OUTFLOW,
              note="Uitstroom: Kempenlog neemt Brent in dienst als magazijnmedewerker, met een "
              "contract van onbepaalde duur."),
    ),
    ("Shana", "Thys"): (Stint("kr_shop", 29, "0.80", followups=(50, 200, 350)),),
    ("Ruben", "Van de Weyer"): (
        Stint("kr_textile", 30, "0.50", steps=((90, "1.00"),), followups=(60, 150), end=180,
              reason=ROTATION, mentor=1,
              note="Rotatie binnen de Kringwinkel: het sorteren zit goed; nu magazijnwerk en "
              "ophaling, richting zijn jobdoelwit magazijnmedewerker."),
        Stint("kr_store", 181, "1.00", followups=(220,)),
    ),
    ("Koen", "Raeymaekers"): (
        Stint("kl_forklift", 30, "0.80", steps=((90, "1.00"),), followups=(60,), mentor=2),
    ),
    ("Liesbeth", "Nuyts"): (Stint("kl_picker", 20, "0.50", mentor=1),),  # not visited yet
}  # fmt: skip

# Work limitations (WorkDemand codes) the clients told their coach about: matching excludes
# the workplaces that demand them, and says so.
LIMITATIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("Wim", "Peetermans"): (SHIFT,),  # alone with the children in the evening
    ("Leen", "Huybrechts"): (LIFT,),
    ("Sofie", "Verheyen"): (LIFT,),
    ("Dries", "Vervoort"): (LIFT, STAND),
    ("Ann", "Dierckx"): (LIFT,),
    ("Abdi", "Warsame"): (SHIFT, OUT),
    ("Aminata", "Diallo"): (SHIFT,),
}

FOLLOWUPS: list[tuple[str, bool]] = [
    ("Werkplekbezoek met de werkplekbegeleider: goede start, stipt en gemotiveerd. Afspraak: "
     "de ochtendtaken zelfstandig opnemen.", True),
    ("Evaluatie op de werkvloer: het werktempo gaat vooruit; aandachtspunt is hulp vragen bij "
     "twijfel. Volgend bezoek over zes weken.", True),
    ("Tussentijds gesprek met cliënt en begeleider: taken uitgebreid; POP-doelen rond "
     "samenwerken bijgestuurd.", True),
    ("Korte opvolging ter plaatse: de begeleider was afwezig. Cliënt vertelt dat het werk vlot "
     "loopt; telefonisch bevestigd door de ploegbaas.", False),
    ("Werkplekbezoek: uurrooster en verlof overlopen; de werkgever is tevreden over inzet en "
     "houding, de veiligheidsinstructies worden goed opgevolgd.", True),
]  # fmt: skip


# --- Building ------------------------------------------------------------------------------


@dataclass
class _Run:
    """One stint being played out: its placement once started."""

    trajectory: Trajectory
    stint: Stint
    placement: Placement | None = None

    def started(self) -> Placement:
        assert self.placement is not None, self.stint
        return self.placement


Event = tuple[datetime.date, int, Callable[[], None]]


class _Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.today = ctx.today
        self.u: dict[str, User] = ctx.users
        self.by_id = {user.pk: user for user in ctx.users.values()}
        self.towns = {m.name_nl: m for m in Municipality.objects.filter(refnis__startswith="13")}
        self.occupations = {o.name_nl: o for o in Occupation.objects.filter(is_active=True)}
        self.competences = {c.code: c for c in Competence.objects.filter(is_active=True)}
        self.employers: dict[str, Employer] = {}
        self.firm_of: dict[str, Firm] = {}
        self.workplaces: dict[str, Workplace] = {}
        self.mentors: dict[str, list[EmployerContact]] = {}
        self.tripartite: set[tuple[int, int]] = set()
        self.followup_count = 0

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    # Employers, agreements, workplaces ---------------------------------------------------

    def employer(self, firm: Firm) -> None:
        by = self.u[firm.coach]
        name, title, phone = firm.contact
        employer = employers.employer_create(
            data={
                "name": firm.name,
                "enterprise_number": enterprise_number(firm.kbo) if firm.kbo else "",
                "kind": firm.kind,
                "sector": firm.sector,
                "street": firm.street,
                "postcode": firm.postcode,
                "municipality": None,
                "phone": firm.phone,
                "email": "",
                "website": "",
                "contact_coach": by,
                "notes": firm.notes,
                "is_active": True,
            },
            contact={"name": name, "job_title": title, "phone": phone, "email": _email(name)},
            by=by,
        )
        self.employers[firm.key] = employer
        self.mentors[firm.key] = [
            employers.contact_add(
                employer,
                role=ContactRole.MENTOR,
                data={"name": mentor, "job_title": job, "phone": "", "email": _email(mentor)},
                by=by,
            )
            for mentor, job in firm.mentors
        ]
        for start, end, clause in firm.agreements:
            self.cooperation(firm, employer, start, end, clause)
        for job in firm.jobs:
            self.workplace(firm, employer, job)

    def signatory(self, org: str) -> str:
        lead = {"ocmw_a": "teamlead", "ocmw_b": "teamlead2"}.get(org, "partner")
        return self.u[lead].full_name

    def cooperation(
        self, firm: Firm, employer: Employer, start: int, end: int | None, clause: bool
    ) -> None:
        employers.agreement_add(
            employer,
            kind=AgreementKind.COOPERATION,
            data={
                "start": self.day(start),
                "end": None if end is None else self.day(end),
                "signed_on": self.day(start - 10),
                "signed_by_employer": firm.contact[0],
                "signed_by_organisation": self.signatory(firm.org),
                "signed_by_client": False,
                "commitment_clause": clause,
                "notes": "" if clause else "Oud model, nog zonder inschakelingsclausule.",
            },
            by=self.u[firm.coach],
        )

    def workplace(self, firm: Firm, employer: Employer, job: Job) -> None:
        coach = self.u[job.coach or firm.coach]
        first_review = job.reviewed + 365
        since = -firm.agreements[0][0] if firm.agreements else 0
        renewed = job.reviewed <= 180 and since > first_review
        workplace = employers.workplace_create(
            employer,
            data={
                "title": job.title,
                "occupation": self.occupations[job.occupation],
                "tasks": "\n".join(job.tasks),
                "demands": list(job.demands),
                "requires_driving_licence": job.licence,
                "dutch_level": job.dutch,
                "min_regime": Decimal(job.regime[0]),
                "max_regime": Decimal(job.regime[1]),
                "schedule": job.schedule,
                "pace": job.pace,
                "variety": job.variety,
                "street": firm.street,
                "municipality": self.towns[job.town or firm.town],
                "capacity": job.capacity,
                "contact_coach": coach,
                "last_reviewed": self.day(-(first_review if renewed else job.reviewed)),
                "is_active": True,
            },
            competences={self.competences[code]: level for code, level in job.competences},
            by=coach,
        )
        if renewed:  # R-PLC-7: screened again with the employer a year after the first profile
            workplace = employers.workplace_reviewed(
                workplace, on=self.day(-job.reviewed), expected_version=workplace.version, by=coach
            )
        self.workplaces[job.key] = workplace
        self.firm_of[job.key] = firm

    # Clients --------------------------------------------------------------------------------

    def limitations(self, trajectories: dict[tuple[str, str], Trajectory]) -> None:
        for name, codes in LIMITATIONS.items():
            trajectory = trajectories[name]
            client = Client.objects.get(pk=trajectory.client_id)
            data: dict[str, Any] = {n: getattr(client, n) for n in clients.CLIENT_FIELDS}
            data["work_limitations"] = list(codes)
            clients.client_update(
                client,
                data=data,
                expected_version=client.version,
                by=self.by_id[trajectory.coach_id],
            )

    # Placements -----------------------------------------------------------------------------

    def coach_on(self, trajectory: Trajectory, on: datetime.date) -> User:
        """Who led the trajectory on `on` (handovers change the lead coach)."""
        return self.by_id[lead_coach_id_on(trajectory, on)]

    def events(self, trajectory: Trajectory, stints: tuple[Stint, ...]) -> list[Event]:
        """The dated actions of one trajectory's placements (end < start < step < follow-up)."""
        found: list[Event] = []

        def on(day: int) -> datetime.date:
            date = trajectory.start + datetime.timedelta(days=day)
            assert date <= self.today, (trajectory, day)
            return date

        for stint in stints:
            run = _Run(trajectory, stint)
            found.append((on(stint.start), 1, partial(self.start, run, on(stint.start))))
            for day, regime in stint.steps:
                found.append((on(day), 2, partial(self.step, run, on(day), Decimal(regime))))
            for day in stint.followups:
                found.append((on(day), 3, partial(self.followup, run, on(day))))
            if stint.end is not None:
                found.append((on(stint.end), 0, partial(self.end, run, on(stint.end))))
        return found

    def start(self, run: _Run, start: datetime.date) -> None:
        trajectory, stint = run.trajectory, run.stint
        workplace, firm = self.workplaces[stint.job], self.firm_of[stint.job]
        by = self.coach_on(trajectory, start)
        if trajectory.kind == TrajectoryKind.ART60 and firm.kind != INTERNAL:
            self.sign_tripartite(trajectory, firm, start, by)
        planned_end = None
        if stint.planned_end is not None:
            planned_end = trajectory.start + datetime.timedelta(days=stint.planned_end)
        kind = stint.kind or (
            PlacementKind.INTERNAL_WORKFLOOR
            if firm.kind == INTERNAL
            else PlacementKind.WORK_EXPERIENCE
        )
        run.placement = employers.placement_start(
            trajectory,
            workplace,
            kind=kind,
            start=start,
            planned_end=planned_end,
            mentor=self.mentors[firm.key][stint.mentor],
            regime_steps=[(start, Decimal(stint.regime))],
            by=by,
        )

    def sign_tripartite(
        self, trajectory: Trajectory, firm: Firm, start: datetime.date, by: User
    ) -> None:
        """R-PLC-1: art. 60 at a third-party user, signed by OCMW, user and client before."""
        employer = self.employers[firm.key]
        if (employer.pk, trajectory.pk) in self.tripartite:
            return
        self.tripartite.add((employer.pk, trajectory.pk))
        employers.agreement_add(
            employer,
            kind=AgreementKind.TRIPARTITE,
            trajectory=trajectory,
            data={
                "start": start,
                "end": None,
                "signed_on": start - datetime.timedelta(days=3),
                "signed_by_employer": firm.contact[0],
                "signed_by_organisation": self.signatory(firm.org),
                "signed_by_client": True,
                "commitment_clause": False,
                "notes": "",
            },
            by=by,
        )

    def step(self, run: _Run, on: datetime.date, regime: Decimal) -> None:
        placement = run.started()
        employers.regime_step_add(
            placement,
            start=on,
            regime=regime,
            expected_version=placement.version,
            by=self.coach_on(run.trajectory, on),
        )

    def followup(self, run: _Run, on: datetime.date) -> None:
        notes, mentor_present = FOLLOWUPS[self.followup_count % len(FOLLOWUPS)]
        self.followup_count += 1
        employers.followup_add(
            run.started(),
            on=on,
            notes=notes,
            mentor_present=mentor_present,
            by=self.coach_on(run.trajectory, on),
        )

    def end(self, run: _Run, end: datetime.date) -> None:
        placement = run.started()
        employers.placement_end(
            placement,
            end=end,
            reason=run.stint.reason,
            note=run.stint.note,
            expected_version=placement.version,
            by=self.coach_on(run.trajectory, end),
        )


def _email(name: str) -> str:
    local = ".".join("".join(c for c in part.lower() if c.isascii() and c.isalpha())
                     for part in name.split())  # fmt: skip
    return f"{local}@example.com"


def load_employers_and_placements(ctx: DemoContext) -> None:
    """15 employers, 40 workplaces and the placements of the demo trajectories (module doc)."""
    builder = _Builder(ctx)
    for firm in FIRMS:
        builder.employer(firm)
    running = (
        Trajectory.objects.exclude(status=Status.STOPPED)
        .select_related("client")
        .prefetch_related(Prefetch("handovers", queryset=Handover.objects.order_by("on", "pk")))
    )
    trajectories = {(t.client.first_name, t.client.last_name): t for t in running}
    builder.limitations(trajectories)
    events: list[Event] = []
    for name, stints in ROUTES.items():
        events += builder.events(trajectories[name], stints)
    # In date order over all trajectories, so each start sees the places taken on that day.
    for _day, _order, action in sorted(events, key=lambda event: (event[0], event[1])):
        action()
