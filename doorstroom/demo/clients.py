"""Demo client dossiers and trajectories: every phase and status, with their typical events.

64 clients of OCMW Geel and OCMW Mol (art60) and of VDAB Geel (TWE-wz, guided by
Leerwerkbedrijf Kempen): referrals with warm handover, intakes (eligible, not eligible with an
alternative route, not decided yet), consents, journal entries, suspensions, employment
contracts (AO), handovers, two transfers after a move (OCMW Geel → OCMW Mol, and a TWE-wz
trajectory from the partner to VDAB, where the counsellor takes over), stops and aftercare.

Every write goes through the services with the acting demo user (``by=``), so the audit trail
and the signal columns are as in real use. Dates are relative to ``ctx.today``; names, numbers
and texts come from fixed lists and ``random.Random(2026)``: the demo is deterministic.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.utils import timezone

from doorstroom.accounts.models import Organisation, User
from doorstroom.clients import services as clients
from doorstroom.clients.models import (
    AlternativeRoute,
    Client,
    ContactKind,
    DutchLevel,
    Income,
    Intake,
    IntakeDecision,
    LearningPotential,
    Occupation,
    Referral,
)
from doorstroom.demo.context import DemoContext
from doorstroom.trajectories import services as trajectories
from doorstroom.trajectories.benefit import benefit_view
from doorstroom.trajectories.choices import (
    MemberRole,
    OrientationDecision,
    Phase,
    RvaStatus,
    StopReason,
    TrajectoryKind,
)
from doorstroom.trajectories.models import EmploymentContract, Suspension, Trajectory

ART60 = TrajectoryKind.ART60.value
WZ = TrajectoryKind.WZ.value

# --- People -------------------------------------------------------------------------------

# first name, last name, sex, language profile (see LANGUAGES)
NAMES = [
    ("Kevin", "Van den Broeck", "m", "nl"),
    ("Sofie", "Verheyen", "f", "nl"),
    ("Youssef", "El Amrani", "m", "ar"),
    ("Jens", "Geudens", "m", "nl"),
    ("Lotte", "Van Gorp", "f", "nl"),
    ("Mehmet", "Yilmaz", "m", "tr"),
    ("Dries", "Vervoort", "m", "nl"),
    ("Nele", "Smets", "f", "nl"),
    ("Fatima", "Bouzid", "f", "ar"),
    ("Tom", "Verachtert", "m", "nl"),
    ("Evi", "Daems", "f", "nl"),
    ("Ahmad", "Rahimi", "m", "fa"),
    ("Stijn", "Luyten", "m", "nl"),
    ("Kim", "Van Dyck", "f", "nl"),
    ("Piotr", "Kowalski", "m", "pl"),
    ("Bart", "Heylen", "m", "nl"),
    ("Ellen", "Verlinden", "f", "nl"),
    ("Senait", "Tesfaye", "f", "ti"),
    ("Glenn", "Aerts", "m", "nl"),
    ("Joke", "Van Olmen", "f", "nl"),
    ("Omar", "Al Hassan", "m", "ar"),
    ("Wim", "Peetermans", "m", "nl"),
    ("Inge", "Bellens", "f", "nl"),
    ("Elif", "Demir", "f", "tr"),
    ("Niels", "Cools", "m", "nl"),
    ("Leen", "Huybrechts", "f", "nl"),
    ("Andrei", "Popescu", "m", "ro"),
    ("Robby", "Van Hove", "m", "nl"),
    ("Tinne", "Goris", "f", "nl"),
    ("Samira", "El Khattabi", "f", "ar"),
    ("Jelle", "Vos", "m", "nl"),
    ("Sarah", "Van Looy", "f", "nl"),
    ("Tesfay", "Gebremedhin", "m", "ti"),
    ("Sven", "Engelen", "m", "nl"),
    ("Elke", "Meeus", "f", "nl"),
    ("Olena", "Kovalenko", "f", "uk"),
    ("Gert", "Wuyts", "m", "nl"),
    ("Jolien", "Van Baelen", "f", "nl"),
    ("Mohamed", "Ait Lahcen", "m", "ar"),
    ("Kenny", "Boeckx", "m", "nl"),
    ("Lien", "Van Camp", "f", "nl"),
    ("Agnieszka", "Nowak", "f", "pl"),
    ("Yannick", "Vleugels", "m", "nl"),
    ("Ann", "Dierckx", "f", "nl"),
    ("Abdi", "Warsame", "m", "so"),
    ("Jo", "Verboven", "m", "nl"),
    ("Kelly", "Swinnen", "f", "nl"),
    ("Zahra", "Hosseini", "f", "fa"),
    ("Davy", "Van Hout", "m", "nl"),
    ("Marijke", "Keersmaekers", "f", "nl"),
    ("Jean-Pierre", "Mukendi", "m", "fr"),
    ("Ruben", "Van de Weyer", "m", "nl"),
    ("Shana", "Thys", "f", "nl"),
    ("Ioana", "Munteanu", "f", "ro"),
    ("Brent", "Van Reusel", "m", "nl"),
    ("Vicky", "Laenen", "f", "nl"),
    ("Rania", "Haddad", "f", "ar"),
    ("Pieter", "Helsen", "m", "nl"),
    ("Katrien", "Van Genechten", "f", "nl"),
    ("Aminata", "Diallo", "f", "fr"),
    ("Koen", "Raeymaekers", "m", "nl"),
    ("Liesbeth", "Nuyts", "f", "nl"),
    ("Frank", "Gijbels", "m", "nl"),
    ("Hilde", "Van Thielen", "f", "nl"),
]

# Names of people referred but not registered yet (pending referrals).
REFERRED_ONLY = [
    ("Michiel", "Sels", "m", "nl"),
    ("Nour", "Benali", "f", "ar"),
    ("Ward", "Geerts", "m", "nl"),
    ("Tamara", "Van Herck", "f", "nl"),
    ("Ronny", "Van Mechelen", "m", "nl"),
]

# profile: languages, possible levels of Dutch
LANGUAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "nl": ("Nederlands", (DutchLevel.C2,)),
    "ar": ("Arabisch, Frans, Nederlands", (DutchLevel.A2, DutchLevel.B1)),
    "fa": ("Dari, Perzisch, Nederlands", (DutchLevel.A2, DutchLevel.B1)),
    "tr": ("Turks, Nederlands", (DutchLevel.B1, DutchLevel.B2)),
    "ti": ("Tigrinya, Engels", (DutchLevel.A1, DutchLevel.A2)),
    "pl": ("Pools, Engels, Nederlands", (DutchLevel.A2, DutchLevel.B1)),
    "ro": ("Roemeens, Engels", (DutchLevel.A1, DutchLevel.A2)),
    "so": ("Somalisch, Engels, Nederlands", (DutchLevel.A2,)),
    "fr": ("Frans, Lingala, Nederlands", (DutchLevel.A2, DutchLevel.B1)),
    "uk": ("Oekraïens, Russisch, Engels", (DutchLevel.A1,)),
}

# postcode → streets (the municipality follows from the postcode)
STREETS = {
    "2440": ["Pas", "Markt", "Nieuwstraat", "Stationsstraat", "Diestseweg", "Antwerpseweg",
             "Kleinhoefstraat", "Gasthuisstraat", "Retieseweg", "Kollegestraat", "Laar"],
    "2400": ["Statiestraat", "Markt", "Kerkstraat", "Molderdijk", "Rozenberg", "Achterbos",
             "Ezaart", "Kruisven", "Turnhoutsebaan", "Hoogbuul", "Boeretang"],
    "2200": ["Zandstraat", "Grote Markt", "Lierseweg", "Belgiëlaan", "Collegestraat"],
    "2460": ["Geelsebaan", "Markt", "Lichtaartseweg"],
    "2250": ["Dorp", "Lichtaartsesteenweg", "Doornboom"],
    "2260": ["Boerenkrijgstraat", "Grote Markt", "Bergveld"],
    "2470": ["Markt", "Kastelsedijk", "Turnhoutsebaan"],
}  # fmt: skip
WZ_POSTCODES = ["2200", "2460", "2440", "2250", "2400", "2260", "2470"]
MOBILE_PREFIXES = ["470", "471", "472", "473", "475", "476", "477", "478", "479", "484",
                   "485", "486", "487", "488", "489", "491", "492", "493", "494", "495", "496",
                   "497", "498", "499"]  # fmt: skip

JOB_NAMES = [
    "Magazijnmedewerker", "Orderpicker", "Heftruckchauffeur", "Schoonmaker",
    "Interieurverzorger", "Keukenhulp", "Medewerker grootkeuken", "Hulpkok",
    "Kassamedewerker", "Groenarbeider", "Medewerker groendienst", "Productiemedewerker",
    "Bouwvakker", "Polyvalent verzorgende", "Logistiek assistent zorg", "Bestelwagenchauffeur",
]  # fmt: skip

WORKPLACES = [
    "Groendienst Stad Geel",
    "Technische dienst Gemeente Mol",
    "Woonzorgcentrum OCMW Geel",
    "Sociaal restaurant Mol",
    "Kringwinkel Kempen",
    "Schoonmaakdienst OCMW Mol",
    "Logistieke dienst ziekenhuis Geel",
    "Magazijn Leerwerkbedrijf Kempen",
]


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    male: bool
    profile: str


# --- What happens to each client ----------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """One client's story; days count from the trajectory start (``ago`` days before today).

    Without a trajectory (``kind`` empty) ``ago`` is the day of the intake.
    """

    org: str  # ocmw_a | ocmw_b | vdab (wz: guided by the partner)
    coach: str
    kind: str = ART60
    ago: int = 200
    steps: tuple[int, ...] = (30,)  # start of experience, outflow, aftercare (in this order)
    pre: bool = False  # starts in the screening phase
    ao: int | None = 45  # art60: the AO starts on this day; None: no AO yet
    hours: str = "38"
    suspensions: tuple[tuple[int, int | None], ...] = ()  # (first day, last day or open)
    stop: tuple[int, str] | None = None
    decision: str = IntakeDecision.ELIGIBLE  # or NOT_ELIGIBLE, PENDING; "none": no intake
    issue: str = ""  # why not eligible (see INTAKE_ISSUES)
    referred: bool = True  # OCMW Geel: referred by the social worker; wz: always by VDAB
    national_number: str = "nn"  # nn | bis | none
    tags: frozenset[str] = field(default_factory=frozenset)


def _p(org: str, coach: str, *tags: str, **values: Any) -> Plan:
    return Plan(org, coach, tags=frozenset(tags), **values)


G, M, V = "ocmw_a", "ocmw_b", "vdab"
OUT = StopReason.OUTFLOW_TO_WORK.value

PLANS: list[Plan] = [
    # OCMW Geel, art60 ---------------------------------------------------------------------
    _p(G, "coach", ago=7, pre=True, steps=(), ao=None),
    _p(G, "coach", ago=20, steps=(), ao=None),
    _p(G, "coach3", ago=50, steps=(30,), ao=None),  # AO due within 2 months, soon
    _p(G, "coach", ago=75, steps=(30,), ao=None, referred=False),  # AO overdue (> 2 months)
    _p(G, "coach", ago=150, steps=(31,), ao=95),  # AO started late: ao_not_in_time
    _p(G, "coach", "illness", ago=420, ao=40, suspensions=((300, None),)),  # review overdue
    _p(G, "coach", ago=200, steps=(29,), ao=44, suspensions=((170, None),)),
    _p(G, "coach", ago=300, ao=45, suspensions=((120, 160),), referred=False),
    _p(G, "coach", "member", "consent_soon", ago=330, ao=50),
    _p(G, "coach", ago=480, steps=(30, 440), ao=45),
    _p(G, "coach", ago=600, steps=(30, 470, 520), ao=40),
    _p(G, "coach", "transfer", ago=120, steps=(30,), ao=50, national_number="bis"),
    _p(G, "coach3", "handover", ago=240, ao=42),
    _p(G, "coach3", ago=380, ao=35, hours="19"),
    _p(G, "coach3", ago=90, steps=(28,), ao=40, referred=False),
    _p(G, "coach", ago=250, ao=45, stop=(180, StopReason.DROP_OUT)),
    _p(G, "coach3", ago=130, steps=(), ao=None, stop=(20, StopReason.ILLNESS)),
    _p(G, "coach", ago=560, steps=(30, 400), ao=40, stop=(420, OUT)),
    _p(G, "coach", "ao_extends", ago=760, ao=55, hours="19", referred=False),
    _p(G, "coach3", ago=35, steps=(31,), ao=None),
    _p(G, "coach", "overruled", ago=170, ao=50, suspensions=((60, 75),)),
    _p(G, "coach", ago=14, steps=(), ao=None, referred=False),
    _p(G, "coach3", ago=520, steps=(30, 470), ao=45),
    _p(G, "coach", ago=690, steps=(31, 560, 610), ao=50),
    _p(G, "coach3", ago=270, ao=48, hours="30.4"),
    _p(G, "coach", ago=110, ao=40),
    # OCMW Geel, no trajectory ---------------------------------------------------------------
    _p(G, "coach", kind="", ago=40, decision=IntakeDecision.NOT_ELIGIBLE, issue="regime"),
    _p(G, "coach3", kind="", ago=25, decision=IntakeDecision.NOT_ELIGIBLE, issue="social"),
    _p(G, "coach", kind="", ago=3, decision="", national_number="none"),
    _p(G, "coach", kind="", ago=0, decision="none", national_number="none"),
    # OCMW Mol, art60 ------------------------------------------------------------------------
    _p(M, "coach2", ago=10, pre=True, steps=(), ao=None, referred=False),
    _p(M, "coach2", ago=25, steps=(), ao=None, referred=False),
    _p(M, "coach2", ago=70, ao=50, referred=False),
    _p(M, "coach2", ago=110, ao=45, suspensions=((80, None),), referred=False),
    _p(M, "coach2", ago=260, ao=40, referred=False),
    _p(M, "coach2", "rva_differs", ago=350, ao=55, referred=False),
    _p(M, "coach2", ago=450, steps=(30, 400), ao=45, referred=False),
    _p(M, "coach2", ago=650, steps=(30, 520, 570), ao=40, referred=False),
    _p(M, "coach2", ago=500, ao=45, stop=(300, StopReason.ILLNESS), referred=False),
    _p(M, "coach2", ago=720, steps=(30, 480), ao=50, stop=(600, OUT), referred=False),
    _p(M, "coach2", ago=200, ao=50, suspensions=((100, 140),), referred=False),
    _p(M, "coach2", ago=140, steps=(31,), ao=45, referred=False),
    _p(M, "coach2", ago=45, steps=(30,), ao=None, referred=False),
    _p(M, "coach2", ago=380, ao=40, hours="30.4", referred=False),
    _p(
        M,
        "coach2",
        "reviewed",
        ago=560,
        ao=35,
        hours="19",
        suspensions=((200, 330),),
        referred=False,
    ),
    # OCMW Mol, no trajectory
    _p(
        M,
        "coach2",
        kind="",
        ago=30,
        decision=IntakeDecision.NOT_ELIGIBLE,
        issue="faster",
        referred=False,
    ),
    _p(M, "coach2", kind="", ago=5, decision="", referred=False),
    # VDAB referrals: TWE-wz guided by Leerwerkbedrijf Kempen ---------------------------------
    _p(V, "partner", kind=WZ, ago=8, pre=True, steps=()),
    _p(V, "partner", kind=WZ, ago=22, steps=()),
    _p(V, "partner", "to_vdab", kind=WZ, ago=95),  # moves; VDAB's counsellor takes over
    _p(V, "partner", kind=WZ, ago=210, suspensions=((150, None),)),
    _p(V, "partner", kind=WZ, ago=320, suspensions=((90, 130),)),
    _p(V, "partner", "member", kind=WZ, ago=400, steps=(29,)),
    _p(V, "partner", kind=WZ, ago=500, steps=(30, 440)),
    _p(V, "partner", kind=WZ, ago=620, steps=(30, 500, 560)),
    _p(V, "partner", kind=WZ, ago=700, steps=(30, 640)),
    _p(V, "partner", kind=WZ, ago=790, steps=(30, 600), stop=(725, StopReason.END_OF_TERM)),
    _p(V, "partner", kind=WZ, ago=260, stop=(140, StopReason.DROP_OUT)),
    _p(
        V,
        "partner",
        "reorient",
        kind=WZ,
        ago=380,
        steps=(31,),
        stop=(60, StopReason.REFERRAL_ELSEWHERE),
    ),
    _p(V, "partner", kind=WZ, ago=150, steps=(32,), national_number="none"),
    _p(V, "partner", kind=WZ, ago=180, national_number="bis"),
    _p(V, "partner", kind=WZ, ago=60),
    # VDAB, no trajectory: not eligible; eligible and referred, the partner has not answered
    _p(V, "partner", kind="", ago=35, decision=IntakeDecision.NOT_ELIGIBLE, issue="language"),
    _p(V, "partner", "referral_pending", kind="", ago=4),
]

# --- Texts ----------------------------------------------------------------------------------

STRENGTHS = [
    "Stipt en betrouwbaar; werkt graag met de handen en leert snel door te kijken.",
    "Sociaal vaardig, vriendelijk met klanten; ervaring in de horeca en poetsdienst.",
    "Fysiek sterk, werkt nauwkeurig en houdt van een vaste structuur.",
    "Gemotiveerd om te werken, neemt initiatief en helpt collega's spontaan.",
    "Handig met machines en gereedschap; ervaring in een productieomgeving.",
    "Zorgzaam en geduldig; wil graag werken in de zorg of de schoonmaak.",
]
PRECONDITIONS = [
    "Kinderopvang regelen voor de jongste (2 jaar) vóór de start.",
    "Heeft geen rijbewijs: werkplek moet bereikbaar zijn met de fiets of de bus.",
    "Schuldbemiddeling loopt via het OCMW; budgetbegeleiding blijft nodig.",
    "Halftijds starten wegens rugklachten, op te bouwen in overleg met de arbeidsgeneesheer.",
    "NT2-les op dinsdag- en donderdagavond behouden.",
    "",
]
RECENT_EXPERIENCE = [
    "Interimwerk als productiemedewerker (3 maanden, 2022).",
    "Keukenhulp in een restaurant in Geel, tot de sluiting in 2023.",
    "Geen recente werkervaring; vrijwilligerswerk bij de Kringwinkel.",
    "Magazijnwerk via een uitzendkantoor, telkens korte contracten.",
    "Poetshulp met dienstencheques (1 jaar).",
]
BARRIERS = {
    "language": ("language", "moderate", "Begrijpt eenvoudige werkinstructies; NT2 loopt."),
    "mobility": ("mobility", "mild", "Geen rijbewijs; fiets en bus."),
    "debt": ("debt", "moderate", "Collectieve schuldenregeling sinds 2024."),
    "housing": ("housing", "severe", "Woont tijdelijk bij familie; zoekt een sociale woning."),
    "childcare": ("childcare", "moderate", "Alleenstaande ouder met twee jonge kinderen."),
    "medical": ("medical", "mild", "Rugklachten: geen zware tilopdrachten."),
    "psychological": ("psychological", "moderate", "Faalangst; opvolging door CGG."),
    "social": ("social", "mild", "Klein sociaal netwerk."),
}
REGIME_TOO_LOW = Decimal("0.40")  # below the half-time minimum (R-INT-2)
INTAKE_ISSUES: dict[str, dict[str, Any]] = {
    "regime": {
        "route": AlternativeRoute.CARE,
        "motivation": "Kan op dit moment hoogstens twee dagen per week werken wegens de "
        "gezondheid; eerst zorg en activering.",
        "note": "Aangemeld voor een arbeidsmatige activiteit bij het dagcentrum.",
    },
    "social": {
        "social_economy_highest": True,
        "route": AlternativeRoute.SOCIAL_ECONOMY,
        "motivation": "Blijvende ondersteuning op de werkvloer nodig; maatwerk in de sociale "
        "economie is het hoogst haalbare.",
        "note": "GTB-screening aangevraagd voor een maatwerkbedrijf.",
    },
    "faster": {
        "faster_route": True,
        "route": AlternativeRoute.DIRECT_NEC,
        "motivation": "Heeft recente ervaring als heftruckchauffeur en een geldig attest: "
        "rechtstreekse bemiddeling naar werk is sneller.",
        "note": "Vacatures van VDAB doorgegeven; sollicitatie bij een logistiek bedrijf.",
    },
    "language": {
        "route": AlternativeRoute.TRAINING,
        "motivation": "Voldoet aan de criteria, maar het Nederlands is nog te beperkt voor "
        "veilig werk; eerst een NT2-traject met taalcoaching.",
        "note": "Ingeschreven voor NT2 richtniveau 1.2 bij het CBE.",
    },
}
REFERRAL_CONTEXTS = {
    ART60: [
        "Leefloon sinds een jaar; gemotiveerd om te werken en wil een eigen inkomen. Vraagt "
        "een tewerkstelling met begeleiding; kinderopvang is geregeld.",
        "Na een moeilijke periode (verhuis, scheiding) nu stabiel. Graag een rustige start "
        "met duidelijke afspraken; budgetbegeleiding loopt via mij.",
        "Jonge leefloongerechtigde zonder diploma; wil werken in de groendienst of logistiek. "
        "Eerste gesprek kan samen met mij op dinsdag.",
    ],
    WZ: [
        "Langdurig werkzoekend; werkervaring nodig om door te stromen. Graag een start met "
        "oriëntatie op de werkvloer in logistiek of productie.",
        "Werkzoekende met weinig recente werkervaring; taal op de werkvloer is een "
        "aandachtspunt. Afspraken over het POP graag samen met mij.",
        "Gemotiveerd, maar mist ritme en werkattitude. Voorstel: werkervaring in de "
        "schoonmaak of keuken.",
    ],
}
SUSPENSION_REASONS = [
    "Arbeidsongeschikt volgens attest van de huisarts; arbeidsovereenkomst geschorst.",
    "Opname in het ziekenhuis; hervatting afhankelijk van het advies van de arts.",
    "Zwangerschapsrust.",
    "Tijdelijke zorg voor een ziek familielid.",
]
STOP_TEXTS = {
    StopReason.DROP_OUT: (
        "Herhaaldelijk ongewettigd afwezig op de werkplek ondanks afspraken en "
        "verwittigingen; geen contact meer sinds drie weken.",
        "Ontslag wegens herhaalde ongewettigde afwezigheid.",
    ),
    StopReason.ILLNESS: (
        "Langdurig arbeidsongeschikt; stopzetting in overleg met de cliënt en de adviserend arts.",
        "Einde arbeidsovereenkomst wegens medische overmacht.",
    ),
    StopReason.OUTFLOW_TO_WORK: (
        "Aan de slag in het NEC met een contract van onbepaalde duur.",
        "Einde art. 60-tewerkstelling: toegang tot een werkloosheidsuitkering bereikt.",
    ),
    StopReason.END_OF_TERM: (
        "Einde van de 24 maanden TWE-wz; cliënt blijft ingeschreven bij VDAB en wordt "
        "verder bemiddeld.",
        "",
    ),
    StopReason.REFERRAL_ELSEWHERE: (
        "Na de heroriëntering doorverwezen naar een beroepsopleiding bij VDAB.",
        "",
    ),
}
AO_END_OUTFLOW = "Einde art. 60-tewerkstelling: toegang tot een werkloosheidsuitkering bereikt."
PHASE_NOTES: dict[str, str] = {
    Phase.EXPERIENCE: "POP opgemaakt; oriëntatie op de werkvloer positief afgerond.",
    Phase.OUTFLOW: "Werkervaring afgerond; zoektocht naar werk in het NEC gestart.",
    Phase.AFTERCARE: "Aan de slag bij een werkgever in de regio; nazorg gestart.",
}
REORIENT_NOTE = "Magazijnwerk bleek fysiek te zwaar; nieuwe werkplek gezocht in de schoonmaak."
# phase → (kind, participants, notes)
JOURNAL: dict[str, list[tuple[str, str, str]]] = {
    Phase.PRE: [
        ("conversation", "cliënt", "Screening afgerond; documenten voor de start verzameld."),
        ("phone", "cliënt", "Afspraak voor de eerste werkdag bevestigd."),
    ],
    Phase.ORIENTATION: [
        ("workplace_visit", "cliënt, werkplekbegeleider",
         "Eerste dagen op de werkvloer goed verlopen; uurrooster en afspraken overlopen."),
        ("conversation", "cliënt",
         "Oriëntatiegesprek: interesses en sterktes overlopen, eerste POP-doelen besproken."),
    ],
    Phase.EXPERIENCE: [
        ("workplace_visit", "cliënt, werkplekbegeleider",
         "Werkplekbezoek: positieve feedback over stiptheid en inzet; aandachtspunt is "
         "communicatie met collega's."),
        ("conversation", "cliënt",
         "Evaluatiegesprek: werkt zelfstandiger; POP-doelen bijgestuurd."),
        ("phone", "cliënt", "Ziek gemeld voor twee dagen; doktersattest volgt."),
        ("email", "werkplekbegeleider", "Uurrooster voor de volgende maand doorgegeven."),
        ("home_visit", "cliënt, partner",
         "Huisbezoek: kinderopvang en vervoer naar het werk opnieuw besproken."),
    ],
    Phase.OUTFLOW: [
        ("conversation", "cliënt", "Cv bijgewerkt en sollicitatiebrief opgesteld; drie "
         "vacatures geselecteerd."),
        ("consultation", "VDAB-bemiddelaar", "Afstemming over vacatures en jobbeurzen."),
    ],
    Phase.AFTERCARE: [
        ("phone", "cliënt", "Nazorg: het werk loopt goed; contract verlengd."),
        ("workplace_visit", "cliënt, werkgever", "Nazorgbezoek bij de werkgever: tevreden."),
    ],
}  # fmt: skip
INTAKE_NOTE = (
    "conversation",
    "cliënt",
    "Intakegesprek: situatie, werkervaring, drempels en jobdoelwitten overlopen.",
)
WARM_HANDOVER = (
    "conversation",
    "cliënt, maatschappelijk assistent",
    "Warme overdracht: kennismaking samen met de maatschappelijk assistent; werking van TWE "
    "en verwachtingen besproken.",
)


# --- Building ------------------------------------------------------------------------------


def _insz(birth: datetime.date, male: bool, serial: int, bis: bool = False) -> str:
    """A national register (or BIS) number: birth date, serial (odd = male), mod-97 check."""
    month = birth.month + (40 if bis else 0)
    serial = serial if (serial % 2 == 1) == male else serial + 1
    base = f"{birth:%y}{month:02d}{birth:%d}{serial:03d}"
    number = int(base) + (2_000_000_000 if birth.year >= 2000 else 0)
    return f"{base}{97 - number % 97:02d}"


def _ascii(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalpha())


class _Demo:
    """Builds the dossiers; holds what the plans share (users, RNG, reference data)."""

    def __init__(self, ctx: DemoContext) -> None:
        self.today = ctx.today
        self.rng = random.Random(2026)  # noqa: S311  (deterministic demo data, not security)
        self.u: dict[str, User] = ctx.users
        self.org: dict[str, Organisation] = ctx.organisations
        self.by_id = {user.pk: user for user in ctx.users.values()}
        occupations = list(Occupation.objects.filter(is_active=True).order_by("name_nl"))
        self.jobs = [o for o in occupations if o.name_nl in JOB_NAMES] or occupations[:20]

    def day(self, ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=ago)

    def pick(self, options: list[Any]) -> Any:
        return options[self.rng.randrange(len(options))]

    # Client data ------------------------------------------------------------------------

    def client_data(self, person: Person, plan: Plan, first_day: datetime.date) -> dict[str, Any]:
        rng = self.rng
        birth = self.today - datetime.timedelta(days=rng.randint(19 * 366, 58 * 365))
        number = ""
        if plan.national_number != "none":
            number = _insz(birth, person.male, rng.randint(1, 996), plan.national_number == "bis")
        postcode = {G: "2440", M: "2400"}.get(plan.org) or self.pick(WZ_POSTCODES)
        languages, levels = LANGUAGES[person.profile]
        licence = rng.random() < (0.6 if person.profile == "nl" else 0.25)
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": birth,
            "national_number": number,
            "street": f"{self.pick(STREETS[postcode])} {rng.randint(1, 180)}",
            "postcode": postcode,
            "phone": self.phone(),
            "email": self.email(person),
            "languages": languages,
            "dutch_level": self.pick(list(levels)),
            "income": self.income(plan),
            "vdab_registration_date": first_day - datetime.timedelta(days=rng.randint(30, 300)),
            "driving_licence": licence,
            "own_transport": licence and rng.random() < 0.7,
            "public_transport": True,
            "max_regime": self.regime(plan),
        }

    def phone(self) -> str:
        rng = self.rng
        pairs = " ".join(f"{rng.randint(10, 99)}" for _ in range(3))
        if rng.random() < 0.1:
            return f"014 {rng.randint(20, 89)} {pairs[:5]}"  # a landline in the Kempen (014)
        return f"0{self.pick(MOBILE_PREFIXES)} {pairs}"

    def email(self, person: Person) -> str:
        if self.rng.random() < 0.4:
            return ""
        return f"{_ascii(person.first_name)}.{_ascii(person.last_name)}@example.com"

    def income(self, plan: Plan) -> str:
        if plan.kind == ART60 or (plan.org in (G, M) and self.rng.random() < 0.8):
            return Income.LEEFLOON
        return self.pick([Income.JOB_SEEKER, Income.JOB_SEEKER, Income.LEEFLOON])

    @staticmethod
    def regime(plan: Plan) -> Decimal:
        if plan.issue == "regime":
            return REGIME_TOO_LOW
        return (Decimal(plan.hours) / Decimal(38)).quantize(Decimal("0.01"))

    def job_targets(self) -> list[Occupation]:
        if not self.jobs:
            return []
        return self.rng.sample(self.jobs, k=min(len(self.jobs), self.rng.randint(1, 3)))

    # Referral and intake ----------------------------------------------------------------

    def refer(
        self,
        person: dict[str, Any],
        kind: str,
        on: datetime.date,
        by: User,
        to: str,
        to_coach: User,
        client: Client | None = None,
        first_meeting: datetime.datetime | None = None,
    ) -> Referral:
        return clients.referral_create(
            data={
                "kind": kind,
                "first_name": person["first_name"],
                "last_name": person["last_name"],
                "birth_date": person["birth_date"],
                "national_number": person["national_number"],
                "client": client,
                "to_organisation": self.org[to],
                "to_coach": to_coach,
                "referred_on": on,
                "context": self.pick(REFERRAL_CONTEXTS[kind]),
                "first_meeting": first_meeting,
            },
            by=by,
        )

    def intake(self, client: Client, plan: Plan, on: datetime.date, by: User) -> Intake:
        issue = INTAKE_ISSUES.get(plan.issue, {})
        rng = self.rng
        data = {
            "assessed_on": on,
            "strengths": self.pick(STRENGTHS),
            "preconditions": self.pick(PRECONDITIONS),
            "recent_experience": self.pick(RECENT_EXPERIENCE),
            "experience_months": rng.randint(0, 30),
            "learning_potential": (
                LearningPotential.LOW
                if "overruled" in plan.tags
                else self.pick([LearningPotential.GOOD, LearningPotential.MODERATE])
            ),
            "max_regime": client.max_regime,
            "social_economy_highest": issue.get("social_economy_highest", False),
            "faster_route": issue.get("faster_route", False),
        }
        intake = clients.intake_record(client, data=data, barriers=self.barriers(client), by=by)
        self.note(client, on, INTAKE_NOTE, by)
        if plan.decision in (IntakeDecision.ELIGIBLE, IntakeDecision.NOT_ELIGIBLE):
            intake = self.decide(intake, plan, by)
        if intake.decision == IntakeDecision.NOT_ELIGIBLE:
            followed_on = min(on + datetime.timedelta(days=10), self.today)
            route = ("phone", "cliënt", f"Alternatieve route opgevolgd: {intake.alternative_note}")
            self.note(client, followed_on, route, by)
        return intake

    def note(
        self, client: Client, on: datetime.date, entry: tuple[str, str, str], by: User
    ) -> None:
        kind, participants, notes = entry
        clients.journal_add(
            client,
            data={"on": on, "kind": kind, "participants": participants, "notes": notes},
            by=by,
        )

    def barriers(self, client: Client) -> list[tuple[str, str, str]]:
        keys = ["language"] if client.dutch_level not in ("B2", "C1", "C2") else []
        if not client.driving_licence:
            keys.append("mobility")
        others = ["debt", "housing", "childcare", "medical", "psychological", "social"]
        keys += self.rng.sample(others, k=self.rng.randint(0, 2))
        return [BARRIERS[key] for key in keys]

    def decide(self, intake: Intake, plan: Plan, by: User) -> Intake:
        if plan.decision == IntakeDecision.NOT_ELIGIBLE:
            issue = INTAKE_ISSUES[plan.issue]
            return clients.intake_decide(
                intake,
                decision=IntakeDecision.NOT_ELIGIBLE,
                motivation=issue["motivation"],
                alternative_route=issue["route"],
                alternative_note=issue["note"],
                expected_version=intake.version,
                by=by,
                on=intake.assessed_on,
            )
        motivation = (
            "Minstens halftijds inzetbaar, leerbaar en gemotiveerd; geen snellere route "
            "naar werk. Start in TWE."
        )
        if "overruled" in plan.tags:
            motivation = (
                "Leerbaarheid bij de intake laag ingeschat, maar het team ziet op basis van "
                "eerder vrijwilligerswerk voldoende groeikansen: start in TWE met extra "
                "begeleiding op de werkvloer."
            )
        return clients.intake_decide(
            intake,
            decision=IntakeDecision.ELIGIBLE,
            motivation=motivation,
            expected_version=intake.version,
            by=by,
            on=intake.assessed_on,  # decided at the intake meeting
        )

    def consent(self, client: Client, plan: Plan, on: datetime.date, by: User) -> None:
        # R-PRV-5: the consent names the organisation that reads along without guiding the
        # trajectory — VDAB in both kinds (on a wz trajectory the partner guides, the VDAB
        # counsellor who referred stays a member).
        organisation = self.org["vdab"]
        if plan.kind == WZ:
            scope = "Screening en trajectverloop delen tussen de VDAB-bemiddelaar en de partner."
        else:
            scope = "Trajectgegevens en evaluaties delen met de VDAB-bemiddelaar."
        until = on + datetime.timedelta(days=3 * 365)
        if "consent_soon" in plan.tags:
            until = self.today + datetime.timedelta(days=9)
        clients.consent_record(
            client,
            data={"organisation": organisation, "scope": scope, "given_on": on, "until": until},
            by=by,
        )

    # Stories ---------------------------------------------------------------------------

    def ocmw_client(self, plan: Plan, person: Person) -> None:
        """An OCMW client: (referral,) registration, intake, and an art60 trajectory."""
        coach = self.u[plan.coach]
        start = self.day(plan.ago)
        intake_on = start - datetime.timedelta(days=self.rng.randint(5, 14)) if plan.kind else start
        data = self.client_data(person, plan, intake_on)
        referral = None
        if plan.referred and plan.org == G:  # warm handover from the OCMW's social worker
            days = self.rng.randint(5, 15)
            referred_on = min(intake_on - datetime.timedelta(days=days), self.day(2))
            referral = self.refer(data, ART60, referred_on, self.u["maatschappelijk"], G, coach)
            referral = clients.referral_accept(
                referral,
                expected_version=referral.version,
                by=coach,
                on=min(referred_on + datetime.timedelta(days=1), intake_on, self.today),
            )
        client = clients.client_register(
            data=data, job_targets=self.job_targets(), by=coach, referral=referral
        )
        if referral is not None:
            met_on = min(referral.referred_on + datetime.timedelta(days=3), intake_on)
            self.note(client, met_on, WARM_HANDOVER, coach)
        if plan.decision == "none":
            return
        intake = self.intake(client, plan, intake_on, coach)
        if not plan.kind or intake.decision != IntakeDecision.ELIGIBLE:
            return
        self.consent(client, plan, intake_on, coach)
        trajectory = trajectories.trajectory_start(
            client,
            kind=ART60,
            start=start,
            intake=intake,
            coach=coach,
            organisation=self.org[plan.org],
            referral=referral,
            first_phase=Phase.PRE if plan.pre else Phase.ORIENTATION,
            by=coach,
        )
        _Story(self, plan, trajectory).run()

    def vdab_client(self, plan: Plan, person: Person) -> None:
        """A VDAB client: screened by the counsellor, referred to the partner (TWE-wz)."""
        counsellor, partner = self.u["counsellor"], self.u[plan.coach]
        start = self.day(plan.ago)
        intake_on = start - datetime.timedelta(days=self.rng.randint(2, 8)) if plan.kind else start
        data = self.client_data(person, plan, intake_on)
        client = clients.client_register(data=data, job_targets=self.job_targets(), by=counsellor)
        intake = self.intake(client, plan, intake_on, counsellor)
        if intake.decision != IntakeDecision.ELIGIBLE:
            return
        self.consent(client, plan, intake_on, counsellor)
        referred_on = start if plan.kind else self.day(2)
        referral = self.refer(data, WZ, referred_on, counsellor, "partner", partner, client)
        if "referral_pending" in plan.tags:
            return
        referral = clients.referral_accept(
            referral,
            expected_version=referral.version,
            by=partner,
            on=min(referred_on + datetime.timedelta(days=2), self.today),
        )
        trajectory = trajectories.trajectory_start(
            client,
            kind=WZ,
            start=referral.referred_on,  # R-TRJ-1: a wz trajectory starts on the referral date
            intake=intake,
            coach=partner,
            organisation=self.org["partner"],
            referral=referral,
            first_phase=Phase.PRE if plan.pre else Phase.ORIENTATION,
            by=partner,
        )
        _Story(self, plan, trajectory).run()

    def referred_person(self, name: tuple[str, str, str, str], with_number: bool) -> dict[str, Any]:
        first, last, sex, _profile = name
        birth = self.today - datetime.timedelta(days=self.rng.randint(20 * 366, 50 * 365))
        number = _insz(birth, sex == "m", self.rng.randint(1, 996)) if with_number else ""
        return {
            "first_name": first,
            "last_name": last,
            "birth_date": birth,
            "national_number": number,
        }

    def pending_referrals(self) -> None:
        """Referrals waiting for an answer (coach@ and the partner) and one declined."""
        social_worker, counsellor = self.u["maatschappelijk"], self.u["counsellor"]
        people = [self.referred_person(n, i % 2 == 0) for i, n in enumerate(REFERRED_ONLY)]
        tz = timezone.get_current_timezone()
        for person, ago, meeting in zip(people[:3], (2, 5, 9), (2, 4, None), strict=True):
            first_meeting = None
            if meeting is not None:
                on = self.today + datetime.timedelta(days=meeting)
                first_meeting = datetime.datetime.combine(on, datetime.time(10, 0), tzinfo=tz)
            self.refer(
                person,
                ART60,
                self.day(ago),
                social_worker,
                G,
                self.u["coach"],
                first_meeting=first_meeting,
            )
        partner = self.u["partner"]
        self.refer(people[3], WZ, self.day(3), counsellor, "partner", partner)
        declined = self.refer(people[4], WZ, self.day(12), counsellor, "partner", partner)
        clients.referral_decline(
            declined,
            reason="Geen plaats meer in de oriëntatiegroep van deze maand; graag opnieuw "
            "aanmelden in januari of doorverwijzen naar een andere partner.",
            expected_version=declined.version,
            by=partner,
            on=self.day(10),
        )

    def decider(self, trajectory: Trajectory) -> str:
        """Who decides after the orientation (R-TRJ-5): the team lead, or VDAB for wz."""
        if trajectory.kind == WZ:
            return f"{self.u['counsellor'].full_name} (VDAB)"
        lead = "teamlead" if trajectory.organisation_id == self.org[G].pk else "teamlead2"
        return f"{self.u[lead].full_name} (teamverantwoordelijke)"


class _Story:
    """What happens on one trajectory after its start, run in date order by the right user."""

    def __init__(self, demo: _Demo, plan: Plan, trajectory: Trajectory) -> None:
        self.demo, self.plan, self.t = demo, plan, trajectory
        self.client = trajectory.client
        self.contract: EmploymentContract | None = None
        self.contract_data: dict[str, Any] = {}
        self.suspension: Suspension | None = None
        self.events: list[tuple[int, Callable[[int], None]]] = []

    def on(self, day: int) -> datetime.date:
        return self.t.start + datetime.timedelta(days=day)

    def fresh(self) -> Trajectory:
        """The trajectory as stored now: each action bumps its version (optimistic locking)."""
        self.t.refresh_from_db()
        return self.t

    def coach(self) -> User:
        return self.demo.by_id[self.t.coach_id]

    def has(self, tag: str) -> bool:
        return tag in self.plan.tags

    def run(self) -> None:
        self.plan_events()
        for day, action in sorted(self.events, key=lambda event: event[0]):
            action(day)

    def plan_events(self) -> None:
        plan = self.plan
        phases = (Phase.EXPERIENCE, Phase.OUTFLOW, Phase.AFTERCARE)
        for phase, day in zip(phases, plan.steps, strict=False):
            self.events.append((day, partial(self.phase, phase=phase)))
        if plan.kind == ART60 and plan.ao is not None:
            self.plan_contract(plan.ao)
        for first, last in plan.suspensions:
            self.events.append((first, self.suspend))
            if self.has("reviewed"):
                self.events.append((first + 92, self.review))
            if last is not None:
                self.events.append((last, self.resume))
        self.plan_handovers()
        self.plan_journal()
        if plan.stop is not None:
            self.events.append((plan.stop[0], self.stop))

    def plan_handovers(self) -> None:
        """Transfers after a move, a handover to another coach, and a mixed trajectory."""
        if self.has("transfer"):
            self.events += [(20, self.move), (25, self.transfer)]
        if self.has("to_vdab"):
            self.events += [(45, self.move_to_geel), (50, self.transfer_to_vdab)]
        if self.has("handover"):
            self.events.append((100, self.handover))
        if self.has("member"):
            self.events += [(5, self.add_member), (40, self.member_note)]

    def plan_contract(self, start: int) -> None:
        plan = self.plan
        self.events.append((start, self.contract_start))
        outflow = plan.steps[1] - 1 if len(plan.steps) > 1 else None
        limits = [plan.ago, outflow, plan.stop[0] if plan.stop else None]
        if start + 21 <= min(x for x in limits if x is not None):
            self.events.append((start + 21, self.rva_answer))
        if outflow is not None:
            self.events.append((outflow, partial(self.contract_end, reason=AO_END_OUTFLOW)))

    def plan_journal(self) -> None:
        last = self.plan.stop[0] if self.plan.stop else self.plan.ago
        count = min(self.demo.rng.randint(2, 4), last)
        for day in sorted(self.demo.rng.sample(range(1, last + 1), count)):
            self.events.append((day, self.journal))

    # The actions ----------------------------------------------------------------------

    def phase(self, day: int, phase: str) -> None:
        t = self.fresh()
        decision = decided_by = ""
        note = PHASE_NOTES[phase]
        if t.phase == Phase.ORIENTATION:  # R-TRJ-5: continue or reorient, by VDAB/team lead
            decision = OrientationDecision.REORIENT if self.has("reorient") else "continue"
            decided_by = self.demo.decider(t)
            note = REORIENT_NOTE if self.has("reorient") else note
        trajectories.phase_change(
            t,
            phase=phase,
            on=self.on(day),
            decision=decision,
            decided_by=decided_by,
            note=note,
            expected_version=t.version,
            by=self.coach(),
        )

    def contract_start(self, day: int) -> None:
        self.contract_data = {
            "start": self.on(day),
            "weekly_hours": Decimal(self.plan.hours),
            "full_time_weekly_hours": Decimal("38"),
            "third_party_user": self.demo.pick(WORKPLACES) if self.demo.rng.random() < 0.6 else "",
            "rva_status": RvaStatus.DRAFT if self.plan.ago - day < 7 else RvaStatus.SENT,
        }
        self.contract = trajectories.contract_save(
            self.fresh(), data=self.contract_data, expected_version=None, by=self.coach()
        )

    def rva_answer(self, day: int) -> None:
        """R-A60-1: the OCMW@RVA answer, usually as estimated (one differs on purpose).

        Since 1/3/2026 the rules core makes no estimate: those requests stay "sent".
        """
        assert self.contract is not None
        self.contract.refresh_from_db()
        estimate = benefit_view(self.contract).estimate
        data = dict(self.contract_data)
        if estimate.days_to_work is not None and estimate.estimated_end is not None:
            extra = Decimal(26) if self.has("rva_differs") else Decimal(0)
            data["rva_status"] = RvaStatus.ANSWERED
            data["rva_days"] = estimate.days_to_work + extra
            data["rva_end"] = estimate.estimated_end
        if self.has("ao_extends"):  # R-TRJ-1: guidance runs on to the end of the AO
            data["end"] = self.demo.today + datetime.timedelta(days=45)
        if data == self.contract_data:
            return
        self.contract_data = data
        self.contract = trajectories.contract_save(
            self.fresh(), data=data, expected_version=self.contract.version, by=self.coach()
        )

    def contract_end(self, day: int, reason: str) -> None:
        assert self.contract is not None
        self.contract.refresh_from_db()
        self.fresh()
        trajectories.contract_end(
            self.contract,
            end=self.on(day),
            reason=reason,
            expected_version=self.contract.version,
            by=self.coach(),
        )

    def suspend(self, day: int) -> None:
        t = self.fresh()
        reason = (
            SUSPENSION_REASONS[0] if self.has("illness") else self.demo.pick(SUSPENSION_REASONS)
        )
        self.suspension = trajectories.suspension_start(
            t, start=self.on(day), reason=reason, expected_version=t.version, by=self.coach()
        )

    def review(self, day: int) -> None:
        assert self.suspension is not None
        t = self.fresh()
        trajectories.suspension_review(
            self.suspension,
            on=self.on(day),
            note="Herbekeken na 3 maanden: het herstel verloopt goed en de arts verwacht een "
            "hervatting binnen enkele maanden; de schorsing loopt door.",
            expected_version=t.version,
            by=self.coach(),
        )

    def resume(self, day: int) -> None:
        assert self.suspension is not None
        t = self.fresh()
        trajectories.suspension_end(
            self.suspension, end=self.on(day), expected_version=t.version, by=self.coach()
        )

    def move(self, day: int) -> None:
        """The client moves from Geel to Mol (before the transfer to OCMW Mol)."""
        client = Client.objects.get(pk=self.client.pk)
        data: dict[str, Any] = {name: getattr(client, name) for name in clients.CLIENT_FIELDS}
        data.update(street="Statiestraat 41", postcode="2400", municipality=None)
        clients.client_update(client, data=data, expected_version=client.version, by=self.coach())

    def transfer(self, day: int) -> None:
        """R-TRJ-9: after the move, OCMW Mol takes over; the clock runs on (R-TRJ-1)."""
        t = self.fresh()
        trajectories.trajectory_handover(
            t,
            to_coach=self.demo.u["coach2"],
            to_organisation=self.demo.org[M],
            note="Cliënt is verhuisd naar Mol. Oriëntatie loopt goed (groendienst); POP en "
            "contactgegevens van de werkplekbegeleider zitten in het dossier.",
            on=self.on(day),
            expected_version=t.version,
            by=self.coach(),
        )

    def move_to_geel(self, day: int) -> None:
        """A TWE-wz client moves to Geel, outside the partner's reach (before the transfer)."""
        client = Client.objects.get(pk=self.client.pk)
        data: dict[str, Any] = {name: getattr(client, name) for name in clients.CLIENT_FIELDS}
        data.update(street="Kollegestraat 12", postcode="2440", municipality=None)
        clients.client_update(client, data=data, expected_version=client.version, by=self.coach())

    def transfer_to_vdab(self, day: int) -> None:
        """R-TRJ-9: VDAB takes over; its counsellor leads the wz trajectory, clock unchanged."""
        t = self.fresh()
        trajectories.trajectory_handover(
            t,
            to_coach=self.demo.u["counsellor"],
            to_organisation=self.demo.org[V],
            note="Cliënt is verhuisd naar Geel, buiten het werkingsgebied van Leerwerkbedrijf "
            "Kempen. VDAB Geel neemt de trajectbegeleiding over; het POP en de afspraken met de "
            "werkplekbegeleider zitten in het dossier. Kennismaking met Dirk volgende week.",
            on=self.on(day),
            expected_version=t.version,
            by=self.coach(),
        )

    def handover(self, day: int) -> None:
        t = self.fresh()
        trajectories.trajectory_handover(
            t,
            to_coach=self.demo.u["coach"],
            note="Griet werkt vanaf deze maand deeltijds; An neemt de begeleiding over. "
            "Cliënt en werkplekbegeleider zijn op de hoogte; overdrachtsgesprek gepland.",
            on=self.on(day),
            expected_version=t.version,
            by=self.demo.u["teamlead"],
        )

    def member_user(self) -> tuple[User, str]:
        if self.plan.kind == WZ:
            return self.demo.u["counsellor"], MemberRole.COUNSELLOR
        return self.demo.u["maatschappelijk"], MemberRole.SOCIAL_WORKER

    def add_member(self, day: int) -> None:
        """R-TRJ-12: a mixed trajectory; the referrer stays involved."""
        user, role = self.member_user()
        trajectories.member_add(
            self.fresh(), user=user, role=role, since=self.on(day), by=self.coach()
        )

    def member_note(self, day: int) -> None:
        user, _role = self.member_user()
        clients.journal_add(
            self.client,
            data={
                "on": self.on(day),
                "kind": ContactKind.CONSULTATION,
                "participants": f"{self.coach().full_name}, {user.full_name}",
                "notes": "Casusoverleg: werk en begeleiding op elkaar afgestemd; "
                "huisvesting en budget blijven bij de maatschappelijk assistent.",
                "trajectory": self.t,
            },
            by=user,
        )

    def journal(self, day: int) -> None:
        kind, participants, notes = self.demo.pick(JOURNAL[self.t.phase])
        clients.journal_add(
            self.client,
            data={
                "on": self.on(day),
                "kind": kind,
                "participants": participants,
                "notes": notes,
                "trajectory": self.t,
            },
            by=self.coach(),
        )

    def stop(self, day: int) -> None:
        """R-TRJ-4; an art60 trajectory stops together with its AO (R-TRJ-3): end it first."""
        assert self.plan.stop is not None
        reason = self.plan.stop[1]
        motivation, contract_reason = STOP_TEXTS[StopReason(reason)]
        if self.contract is not None:
            self.contract.refresh_from_db()
            if self.contract.end is None:
                self.contract_end(day, contract_reason)
        t = self.fresh()
        trajectories.trajectory_stop(
            t,
            on=self.on(day),
            reason=reason,
            motivation=motivation,
            expected_version=t.version,
            by=self.coach(),
        )


def load_clients_and_trajectories(ctx: DemoContext) -> None:
    """64 client dossiers with their referrals, intakes and trajectories (see module doc)."""
    demo = _Demo(ctx)
    people = [Person(first, last, sex == "m", profile) for first, last, sex, profile in NAMES]
    for plan, person in zip(PLANS, people, strict=True):
        if plan.org == V:
            demo.vdab_client(plan, person)
        else:
            demo.ocmw_client(plan, person)
    demo.pending_referrals()
