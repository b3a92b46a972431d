"""Demo development: POPs, evaluations, 360° feedback, instruments and try-outs (R-TRJ-6/7).

Thirteen running trajectories of different ages, most of them with placements from
``employers.py``, get a first POP within a month of their start and, when older, evaluations
on the job with the coach's, the mentor's (through the mentor's link) and the client's own
levels, each followed by a new POP version with rising levels. A few show a signal:

- Glenn Aerts: no growth over two evaluations at the netheidsploeg (R-PLC-6, rotation);
- Leen Huybrechts: an evaluation nine days ago, no new POP version yet (R-TRJ-7, pop_due);
- Nele Smets: a planned evaluation whose mentor has the link but did not answer;
- Niels Cools: a planned evaluation whose mentor opened the link;
- Shana Thys: an open 360° round (self-assessment, family and friends shown, colleagues not);
- instruments: language coaching (Fatima Bouzid), job coaching (Ann Dierckx), an IBO (Tom
  Verachtert), a beroepsverkennende stage (Stijn Luyten) and two proeftuin try-outs with the
  client's reflection (Youssef El Amrani, Ruben Van de Weyer); some POP actions link to them.

Every write goes through the services with the coach who led the trajectory that day; days
count from the trajectory start (as in ``clients.Plan``) and every text is fixed: the demo is
deterministic (only the secret link tokens differ between loads).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.test.utils import override_settings

from doorstroom.accounts.models import User
from doorstroom.demo.context import DemoContext, lead_coach_id_on
from doorstroom.employers.models import Placement, Workplace
from doorstroom.evaluations import services as evaluations
from doorstroom.evaluations.models import Evaluation, EvaluationKind, Relation
from doorstroom.instruments import services as instruments
from doorstroom.instruments.models import InstrumentUse, TryoutOffer, UseResult, WantsThis
from doorstroom.plans import services as plans
from doorstroom.plans.models import ActionStatus, Competence
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.models import Trajectory

PLANNED, BUSY, DONE, DROPPED = (
    ActionStatus.PLANNED.value,
    ActionStatus.IN_PROGRESS.value,
    ActionStatus.DONE.value,
    ActionStatus.DROPPED.value,
)
PHASE, SIX_MONTHLY, ON_THE_JOB = (
    EvaluationKind.PHASE.value,
    EvaluationKind.SIX_MONTHLY.value,
    EvaluationKind.ON_THE_JOB.value,
)

# --- What happens ------------------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    """A POP action; `due` counts from the trajectory start, `use` names an instrument step."""

    what: str
    who: str
    due: int | None = None
    status: str = PLANNED
    use: str = ""


@dataclass(frozen=True)
class Pop:
    """A POP version. A competence's current level None takes the coach's level of the
    evaluation this version follows (as the app proposes it)."""

    day: int
    goals: tuple[str, ...]
    competences: tuple[tuple[str, int | None, int, str], ...]  # code, current, target, note
    actions: tuple[Act, ...]
    agreements: str
    client_words: str


@dataclass(frozen=True)
class Eval:
    """A held evaluation at the trajectory's `placement` (index by start): planned on the day
    it was held; the mentor answers through the link, then the coach completes it."""

    day: int
    kind: str
    placement: int
    scores: tuple[tuple[str, int, int, int], ...]  # code, coach, mentor, self
    conclusions: str
    next_steps: str
    mentor_comment: str
    notes: tuple[tuple[str, str], ...] = ()  # (code, the coach's comment)


@dataclass(frozen=True)
class Planned:
    """An open evaluation `ahead` days from today; the mentor got the link (and opened it?)."""

    ahead: int
    kind: str
    placement: int
    opened: bool = False


@dataclass(frozen=True)
class Use:
    """An instrument use (R-INS-1), registered by the coach of its start."""

    key: str
    kind: str
    provider: str
    start: int
    end: int
    result: str
    hours: str | None = None
    regime: str = "1.00"
    notes: str = ""


@dataclass(frozen=True)
class Try:
    """A proeftuin try-out from the catalogue with the client's reflection before and after."""

    key: str
    offer: str
    start: int
    end: int
    hours: str
    expectation: str
    finding: str
    wants_this: str


@dataclass(frozen=True)
class Answer:
    """A 360° respondent; `levels` follow the competences of the last POP, None: no answer."""

    relation: str
    name: str
    levels: tuple[int, ...] | None = None
    answers: tuple[str, str, str] = ("", "", "")


@dataclass(frozen=True)
class Round:
    """A 360° round opened today (the service dates it so) on the current POP version."""

    closes_in: int
    respondents: tuple[Answer, ...]


Step = Pop | Eval | Planned | Use | Try | Round

# Proeftuin catalogue: key → (user key, title, (employer, workplace), description, max days)
OFFERS: dict[str, tuple[str, str, tuple[str, str], str, int]] = {
    "olen_green": (
        "coach", "Proeftuin groenonderhoud bij de gemeente Olen",
        ("Groendienst Gemeente Olen", "Medewerker groenonderhoud"),
        "Een week meedraaien met de groenploeg: maaien, snoeien en plantvakken onderhouden, "
        "met werkkledij van de gemeente. Start om 7u30 aan het gemeentelijk magazijn.", 5,
    ),
    "kookpot_kitchen": (
        "coach3", "Proefdagen in de keuken van De Kookpot",
        ("Sociaal restaurant De Kookpot", "Hulpkok"),
        "Twee tot drie dagen mee in de keuken: mise-en-place, de dagschotel en de afwas.", 3,
    ),
    "linde_logistics": (
        "coach", "Meedraaien in de logistiek van een woonzorgcentrum",
        ("Woonzorgcentrum De Linde", "Logistiek assistent"),
        "Een week mee met de logistieke ploeg: maaltijden rondbrengen, linnen aanvullen en "
        "kort contact met de bewoners.", 5,
    ),
    "kempenwas": (
        "coach2", "Een week in de wasserij",
        ("Wasserij Kempenwas", "Productiemedewerker wasserij"),
        "Sorteren, de mangel en het plooien in de dagploeg; veiligheidsschoenen worden voorzien.",
        5,
    ),
    "kempenlog_picking": (
        "partner", "Proeftuin orderpicking bij Kempenlog",
        ("Distributiecentrum Kempenlog", "Orderpicker"),
        "Vijf dagen in de dagploeg met een vaste collega: orders verzamelen met de handscanner "
        "en paletten wikkelen. Geen heftruck.", 5,
    ),
    "kringwinkel_shop": (
        "partner", "Een dag in de winkel van de Kringwinkel",
        ("Kringwinkel Kempen", "Winkelmedewerker en kassa"),
        "Een dag mee in de winkel in Herentals: afdelingen aanvullen, prijzen zetten en "
        "meekijken aan de kassa.", 2,
    ),
}  # fmt: skip

QUESTIONS = (
    "Wat doet %(name)s goed?",
    "Waarin kan %(name)s nog beter worden?",
    "Welk soort werk zie je %(name)s doen?",
)

COACH, CLIENT = "trajectbegeleider", "cliënt"

# (first name, last name) of a demo client → what happens in their running trajectory, in order.
STORIES: dict[tuple[str, str], tuple[Step, ...]] = {
    # OCMW Geel --------------------------------------------------------------------------------
    ("Glenn", "Aerts"): (  # plateau at the netheidsploeg: no growth over two evaluations
        Pop(
            21,
            ("Een vaste job in het groenonderhoud of de openbare netheid.",
             "Elke dag op tijd op het werk, ook bij slecht weer.",
             "Veilig werken met machines, volgens de instructies van de ploegbaas."),
            (("follow-safety", 1, 3, "Draagt zijn beschermingsmiddelen nog niet altijd."),
             ("work-in-teams", 2, 3, ""),
             ("meet-commitments", 1, 3, "Kwam bij de vorige werkgever vaak te laat."),
             ("use-machines", 1, 2, "Bosmaaier en haagschaar, na instructie.")),
            (Act("Werkschoenen en werkkledij aankopen met de startpremie", "Glenn", 35, DONE),
             Act("Kennismaking met de groendienst van Olen", COACH, 50, DONE),
             Act("Veiligheidsinstructie machines volgen bij de ploegbaas", "Marc Wouters", 90)),
            "Glenn verwittigt de ploegbaas vóór 7u als hij ziek is of later komt.\n"
            "Elke maand een gesprek met de trajectbegeleider.",
            "Ik wil buiten werken en 's avonds moe zijn van iets nuttigs. Ik weet dat ik vroeger "
            "te laat kwam, dat wil ik niet meer.",
        ),
        Eval(
            160, ON_THE_JOB, 0,
            (("follow-safety", 2, 2, 3), ("work-in-teams", 3, 3, 3),
             ("meet-commitments", 2, 3, 3), ("use-machines", 2, 2, 2)),
            "Goede start in de groenploeg: Glenn is elke dag op tijd en werkt vlot samen. Hij "
            "vergeet nog soms zijn gehoorbescherming bij het maaien.",
            "Zelfstandiger werken: kleine opdrachten alleen afwerken. Veiligheid blijft een "
            "aandachtspunt.",
            "Harde werker, graag gezien in de ploeg. Moet leren vragen in plaats van gokken.",
            (("follow-safety", "Gehoorbescherming twee keer vergeten in de voorbije maand."),),
        ),
        Pop(
            168,
            ("Een vaste job in het groenonderhoud of de openbare netheid.",
             "Kleine opdrachten zelfstandig afwerken.",
             "Altijd de beschermingsmiddelen dragen."),
            (("follow-safety", None, 3, ""), ("work-in-teams", None, 3, ""),
             ("meet-commitments", None, 3, ""), ("use-machines", None, 3, ""),
             ("work-independently", 1, 3, "Nieuw: alleen een perk afwerken.")),
            (Act("Elke week één opdracht alleen uitvoeren en nadien bespreken", "Glenn, "
                 "Marc Wouters", 260, DONE),
             Act("Rijbewijs B halen (theorie via de gemeente)", "Glenn", 300, DONE)),
            "Glenn verwittigt de ploegbaas vóór 7u als hij ziek is of later komt.\n"
            "Bij twijfel over een machine vraagt hij het eerst aan de ploegbaas.",
            "Het gaat goed in de ploeg. Ik wil ook eens alleen met de bestelwagen op pad, daarom "
            "haal ik mijn rijbewijs.",
        ),
        Eval(
            520, SIX_MONTHLY, 1,
            (("follow-safety", 3, 3, 3), ("work-in-teams", 3, 3, 4),
             ("meet-commitments", 3, 3, 3), ("use-machines", 3, 2, 3),
             ("work-independently", 2, 2, 3)),
            "De overstap naar de netheidsploeg is gelukt: Glenn rijdt met de bestelwagen en "
            "werkt veilig. Zelfstandig een ronde plannen lukt nog niet zonder hulp.",
            "De dagronde zelf leren plannen; sluikstorten zelfstandig melden via de app.",
            "Betrouwbaar en vriendelijk tegen de mensen op straat. Belt nog vaak voor kleine "
            "beslissingen.",
        ),
        Pop(
            530,
            ("Een vaste job in de openbare netheid of het groenonderhoud.",
             "De eigen dagronde plannen en afwerken.",
             "Solliciteren bij gemeentelijke diensten in de regio."),
            (("follow-safety", None, 3, ""), ("work-in-teams", None, 3, ""),
             ("meet-commitments", None, 4, ""), ("use-machines", None, 3, ""),
             ("work-independently", None, 3, "De ronde zelf plannen.")),
            (Act("Elke maandag samen met Ronny Luyten de weekplanning maken", "Glenn, "
                 "Ronny Luyten", 600, BUSY),
             Act("Cv opmaken en vacatures van lokale besturen volgen", "Glenn, " + COACH, 640)),
            "Maandelijks gesprek met de trajectbegeleider; de ploegbaas geeft elke vrijdag "
            "feedback.",
            "Ik doe mijn werk graag, maar ik weet niet altijd wat ik eerst moet doen als ik "
            "alleen ben.",
        ),
        Eval(
            700, ON_THE_JOB, 1,
            (("follow-safety", 3, 3, 3), ("work-in-teams", 3, 3, 3),
             ("meet-commitments", 3, 3, 3), ("use-machines", 3, 3, 3),
             ("work-independently", 2, 2, 2)),
            "Sinds de vorige evaluatie geen groei: het werk is routine geworden en Glenn plant "
            "zijn ronde nog steeds niet zelf. Hij zegt zelf dat hij stilstaat.",
            "Rotatie bespreken: een werkplek met meer afwisseling en duidelijke eigen "
            "verantwoordelijkheid, of doorstroom naar een job in het NEC.",
            "Doet wat gevraagd wordt, maar neemt geen nieuwe taken op. Misschien is een andere "
            "omgeving goed voor hem.",
        ),
        Pop(
            712,
            ("Een vaste job in de openbare netheid of het groenonderhoud.",
             "Een nieuwe werkplek met meer eigen verantwoordelijkheid.",
             "Solliciteren bij gemeentelijke diensten in de regio."),
            (("work-independently", None, 3, "Blijft het hoofddoel."),
             ("meet-commitments", None, 4, ""), ("use-machines", None, 3, ""),
             ("take-initiative", 1, 3, "Nieuw: zelf taken voorstellen.")),
            (Act("Rotatie naar een andere werkplek bespreken met de groendienst",
                 COACH, 740, BUSY),
             Act("Drie vacatures van lokale besturen bekijken en er één kiezen", "Glenn", 790),
             Act("De weekplanning met de ploegbaas", "Glenn, Ronny Luyten", 640, DROPPED)),
            "Glenn kiest samen met de trajectbegeleider een nieuwe werkplek vóór het einde van "
            "de maand.",
            "Ik sta stil hier. Ik wil iets nieuws leren, liefst nog altijd buiten.",
        ),
    ),
    ("Evi", "Daems"): (  # rotation in De Linde, then outflow there
        Pop(
            18,
            ("Werken in de zorg of de cafetaria van een woonzorgcentrum.",
             "Zelfstandig de logistieke ronde op een afdeling doen.",
             "Vlot en vriendelijk omgaan met bewoners en bezoekers."),
            (("demonstrate-consideration", 2, 3, ""), ("customer-focus", 1, 3, ""),
             ("work-calculations", 1, 2, "Nodig voor kassawerk."),
             ("take-initiative", 1, 3, "Durft nog weinig te vragen.")),
            (Act("Kennismaking in De Linde met Jef Van Looveren", COACH, 35, DONE),
             Act("Opvang voor de kinderen na school regelen", "Evi", 38, DONE)),
            "Evi start halftijds en bouwt op tot voltijds. Bij problemen met de opvang belt "
            "ze eerst de trajectbegeleider.",
            "Ik zorg graag voor mensen. Ik ben wel wat verlegen in het begin.",
        ),
        Eval(
            210, PHASE, 0,
            (("demonstrate-consideration", 3, 3, 3), ("customer-focus", 2, 3, 2),
             ("work-calculations", 1, 0, 2), ("take-initiative", 2, 2, 2)),
            "Evi is graag gezien door de bewoners en doet haar ronde zelfstandig. Ze wil meer "
            "klantencontact en kassawerk: rotatie naar de cafetaria.",
            "Rotatie naar de cafetaria van De Linde; rekenen met geld oefenen.",
            "Zorgzaam en stipt. Voor kassawerk heb ik haar niet gezien, dat kan ik niet "
            "beoordelen.",
        ),
        Pop(
            220,
            ("Werken in de cafetaria of de logistiek van een woonzorgcentrum.",
             "Zelfstandig de kassa openen en afsluiten.",
             "Zelf voorstellen doen om de cafetaria aan te vullen."),
            (("demonstrate-consideration", None, 3, ""), ("customer-focus", None, 3, ""),
             ("work-calculations", None, 3, "Kassa openen en afsluiten."),
             ("take-initiative", None, 3, "")),
            (Act("Rotatie naar de cafetaria", COACH + ", Lutgart Mols", 251, DONE),
             Act("Oefenen met de kassa buiten de openingsuren", "Evi, Lutgart Mols", 290, DONE)),
            "Evi werkt voltijds in de cafetaria; de uren worden in overleg met Lutgart Mols "
            "vastgelegd.",
            "Ik heb zin in de cafetaria. Met geld werken vind ik spannend, maar ik wil het leren.",
        ),
        Eval(
            440, ON_THE_JOB, 1,
            (("demonstrate-consideration", 3, 4, 3), ("customer-focus", 3, 3, 3),
             ("work-calculations", 3, 3, 3), ("take-initiative", 3, 3, 2)),
            "Alle doelen bereikt: Evi runt de cafetaria zelfstandig en doet voorstellen voor de "
            "aankopen. De Linde wil haar aanwerven.",
            "Uitstroom voorbereiden: sollicitatiegesprek bij De Linde, contract en uurrooster.",
            "Een aanwinst voor het huis. Wij willen haar graag houden.",
        ),
        Pop(
            450,
            ("Een contract bij De Linde als logistiek assistent.",
             "Na de uitstroom: zelfstandig werken met een vast uurrooster."),
            (("take-initiative", None, 3, ""), ("work-calculations", None, 3, ""),
             ("customer-focus", None, 4, "")),
            (Act("Sollicitatiegesprek bij Veerle Janssens voorbereiden", "Evi, " + COACH, 460,
                 DONE),
             Act("Afspraken maken over nazorg na de start", COACH, 475, DONE)),
            "Nazorg: één gesprek per maand in de eerste drie maanden.",
            "Ik ben trots dat ik mag blijven. Ik wil er een vaste job van maken.",
        ),
    ),
    ("Tom", "Verachtert"): (  # art. 60 done; an IBO at a regular employer
        Pop(
            20,
            ("Een job als productiemedewerker in een regulier bedrijf.",
             "Nauwkeurig werken volgens de kwaliteitsnormen."),
            (("attend-to-detail", 1, 3, ""), ("quality-standards", 1, 3, ""),
             ("persist", 2, 3, ""), ("follow-instructions", 2, 3, "")),
            (Act("Kennismaking met Rudi Claes bij Zonnewerk", COACH, 40, DONE),
             Act("Busabonnement naar Westerlo aanvragen", "Tom", 42, DONE)),
            "Tom start halftijds in de dagploeg en bouwt op tot voltijds.",
            "Ik heb altijd in fabrieken gewerkt via de interim. Ik wil eindelijk iets vast.",
        ),
        Eval(
            190, SIX_MONTHLY, 0,
            (("attend-to-detail", 2, 2, 3), ("quality-standards", 2, 2, 2),
             ("persist", 3, 3, 3), ("follow-instructions", 3, 3, 3)),
            "Tom werkt voltijds en houdt het goed vol. Bij de controle met het kaliber mist hij "
            "nog fouten.",
            "Meer controletaken; de ploegleider overloopt de afkeur met hem.",
            "Stipt en rustig. De controle moet nog beter.",
        ),
        Pop(
            196,
            ("Een job als productiemedewerker in een regulier bedrijf.",
             "Zelf zijn werk controleren, zonder fouten door te laten."),
            (("attend-to-detail", None, 3, ""), ("quality-standards", None, 3, ""),
             ("persist", None, 3, ""), ("follow-instructions", None, 3, "")),
            (Act("Elke vrijdag de afkeur overlopen met de ploegleider", "Tom, Rudi Claes", 300,
                 DONE),),
            "Tom meldt twijfel over een stuk altijd aan de ploegleider.",
            "Ik wil dat ze op mij kunnen rekenen, ook bij de controle.",
        ),
        Eval(
            430, ON_THE_JOB, 0,
            (("attend-to-detail", 3, 3, 3), ("quality-standards", 3, 3, 3),
             ("persist", 3, 4, 3), ("follow-instructions", 3, 3, 3)),
            "De werkervaring is afgerond met alle doelen bereikt. Tom is klaar voor een "
            "regulier bedrijf.",
            "Een IBO als productiemedewerker bij een regulier bedrijf, via VDAB.",
            "Tom is een vaste waarde geworden in de ploeg. Hij mag altijd terugkomen.",
        ),
        Use(
            "ibo", "ibo", "VDAB · IBO bij Kempense Metaalbouw (Westerlo)", 455, 455 + 167,
            UseResult.ONGOING, "912", "1.00",
            "IBO als productiemedewerker plaatwerk; bij een goed verloop volgt een contract "
            "van onbepaalde duur.",
        ),
        Pop(
            458,
            ("Een contract van onbepaalde duur als productiemedewerker.",
             "De IBO goed afronden."),
            (("attend-to-detail", None, 3, ""), ("quality-standards", None, 4, ""),
             ("work-in-teams", 2, 3, "Nieuw team, drie ploegen.")),
            (Act("IBO als productiemedewerker bij Kempense Metaalbouw", "Tom, VDAB", 622, BUSY,
                 use="ibo"),
             Act("Maandelijks opvolggesprek tijdens de IBO", COACH, 622, BUSY)),
            "Tom laat na elke maand IBO weten hoe het gaat; problemen meldt hij meteen.",
            "Dit is mijn kans. Ik wil dat contract.",
        ),
    ),
    ("Fatima", "Bouzid"): (  # language coaching on the workfloor, linked to a POP action
        Use(
            "language", "language_coaching",
            "Huis van het Nederlands Kempen (taalcoach op de werkvloer)", 70, 400,
            UseResult.ONGOING, "40", "1.00",
            "Eén uur per week op de werkvloer: werkwoorden en instructies van de keuken.",
        ),
        Pop(
            24,
            ("Werken als hulpkok in een grootkeuken of restaurant.",
             "Instructies in het Nederlands begrijpen en navragen.",
             "Hygiënisch werken volgens het HACCP-plan."),
            (("hygiene", 1, 3, "HACCP-plan van De Kookpot."),
             ("dutch-at-work", 1, 3, "Vraagt nog niet na als ze iets niet begrijpt."),
             ("work-efficiently", 1, 2, ""), ("cope-with-pressure", 1, 3, "Het middagmaal.")),
            (Act("Taalcoaching op de werkvloer, één uur per week",
                 "Fatima, taalcoach Huis van het Nederlands", 70, PLANNED, use="language"),
             Act("Kinderopvang voor de jongste regelen", "Fatima, " + COACH, 45, DONE)),
            "Fatima werkt van 9u tot 15u; de NT2-les op dinsdagavond blijft.",
            "Ik wil koken, dat kan ik goed. Nederlands in de keuken is moeilijk, het gaat zo "
            "snel.",
        ),
        Eval(
            170, PHASE, 0,
            (("hygiene", 2, 2, 3), ("dutch-at-work", 2, 2, 2),
             ("work-efficiently", 2, 3, 2), ("cope-with-pressure", 2, 2, 2)),
            "De afwas loopt vlot en snel; Fatima vraagt meer na. Ze wil koken: rotatie naar de "
            "keuken als hulpkok.",
            "Rotatie naar de keuken onder Hans Peeters; taalcoaching loopt door.",
            "Werkt hard en snel. Als het druk is, zegt ze niet dat ze iets niet begrijpt.",
        ),
        Pop(
            178,
            ("Werken als hulpkok in een grootkeuken of restaurant.",
             "Zelfstandig de mise-en-place voor de dagschotel maken."),
            (("hygiene", None, 3, ""), ("dutch-at-work", None, 3, ""),
             ("work-efficiently", None, 3, ""), ("cope-with-pressure", None, 3, ""),
             ("quality-standards", 1, 2, "Portioneren volgens de fiche.")),
            (Act("Rotatie naar de keuken als hulpkok", COACH + ", Hans Peeters", 201, DONE),
             Act("Taalcoaching op de werkvloer, nu in de keuken",
                 "Fatima, taalcoach Huis van het Nederlands", 400, BUSY, use="language")),
            "Fatima zegt het als ze een instructie niet begrijpt; de chef herhaalt ze dan.",
            "In de keuken voel ik me goed. Ik leer elke dag nieuwe woorden.",
        ),
        Eval(
            300, ON_THE_JOB, 1,
            (("hygiene", 3, 3, 3), ("dutch-at-work", 2, 3, 3),
             ("work-efficiently", 3, 3, 3), ("cope-with-pressure", 3, 3, 2),
             ("quality-standards", 2, 2, 2)),
            "Fatima maakt de mise-en-place zelfstandig en houdt het hoofd koel bij de middagrush. "
            "Navragen in het Nederlands lukt beter, nog niet altijd.",
            "Portioneren volgens de fiche en de dagschotel mee opdienen.",
            "Ik kan op haar rekenen. Haar Nederlands is veel beter dan in het begin.",
        ),
        Pop(
            310,
            ("Werken als hulpkok in een grootkeuken of restaurant.",
             "De dagschotel portioneren voor 80 gasten."),
            (("dutch-at-work", None, 3, ""), ("quality-standards", None, 3, ""),
             ("cope-with-pressure", None, 3, ""), ("hygiene", None, 4, "")),
            (Act("Taalcoaching op de werkvloer afronden",
                 "Fatima, taalcoach Huis van het Nederlands", 400, BUSY, use="language"),
             Act("Vacatures als hulpkok in Geel en Mol bekijken", "Fatima, " + COACH, 420)),
            "Fatima werkt voltijds; de NT2-les op dinsdagavond blijft.",
            "Ik ben trots: de chef laat mij de saus maken. Ik wil later in een restaurant werken.",
        ),
    ),
    ("Nele", "Smets"): (  # a planned evaluation: the mentor has the link, no answer yet
        Pop(
            22,
            ("Werken als logistiek assistent in een woonzorgcentrum.",
             "Afspraken nakomen en op tijd verwittigen."),
            (("interact-with-others", 2, 3, ""), ("meet-commitments", 1, 3, ""),
             ("demonstrate-consideration", 2, 3, ""), ("manage-time", 1, 2, "")),
            (Act("Kennismaking met Jef Van Looveren in De Linde", COACH, 40, DONE),
             Act("Een agenda bijhouden voor werk en afspraken", "Nele", 60, DONE)),
            "Nele verwittigt De Linde vóór 7u als ze niet kan komen.",
            "Ik wil graag met oudere mensen werken. Ik vergeet soms afspraken, daar wil ik aan "
            "werken.",
        ),
        Planned(5, ON_THE_JOB, 0),
    ),
    ("Niels", "Cools"): (  # the overdue phase evaluation is planned; the mentor opened the link
        Pop(
            26,
            ("Werken als groenarbeider bij een gemeente of aannemer.",
             "Veilig werken met machines."),
            (("follow-safety", 1, 3, ""), ("use-machines", 1, 3, ""),
             ("work-in-teams", 2, 3, ""), ("persist", 1, 2, "Regenweer.")),
            (Act("Kennismaking met de groendienst van Olen", COACH, 45, DONE),
             Act("Veiligheidsschoenen en regenkledij aankopen", "Niels", 47, DONE)),
            "Niels meldt elke afwezigheid vóór 7u aan de ploegbaas.",
            "Ik werk liever buiten dan binnen, ook als het regent.",
        ),
        Eval(
            130, ON_THE_JOB, 0,
            (("follow-safety", 2, 2, 3), ("use-machines", 2, 2, 3),
             ("work-in-teams", 2, 3, 3), ("persist", 2, 2, 3)),
            "Niels is goed gestart; hij werkt graag in de ploeg. Met de machines is hij nog "
            "te snel en vergeet hij de controles.",
            "Machineopleiding bij de ploegbaas; regime naar 80%.",
            "Enthousiast, soms te snel. Met wat meer rust wordt dat een goede groenarbeider.",
        ),
        Pop(
            140,
            ("Werken als groenarbeider bij een gemeente of aannemer.",
             "De machines veilig en zelfstandig bedienen."),
            (("follow-safety", None, 3, ""), ("use-machines", None, 3, ""),
             ("work-in-teams", None, 3, ""), ("persist", None, 3, "")),
            (Act("Machineopleiding bosmaaier en hakselaar", "Niels, Marc Wouters", 200, DONE),),
            "Niels doet de dagelijkse controle van de machines samen met een collega.",
            "De bosmaaier vind ik het leukste. Ik wil leren hoe je hem onderhoudt.",
        ),
        Planned(3, PHASE, 0, opened=True),  # the experience phase ended: overdue
    ),
    ("Stijn", "Luyten"): (  # a beroepsverkennende stage; handed over from coach3 to coach
        Use(
            "stage", "exploratory_internship", "Boomkwekerij Van Dessel (Kasterlee)", 30, 34,
            UseResult.COMPLETED, "38", "1.00",
            "Vijf dagen meegedraaid in de kwekerij: het werk met planten bevalt, het tempo in "
            "het hoogseizoen is hoog.",
        ),
        Pop(
            27,
            ("Werken in een tuincentrum of kwekerij.",
             "Zorgvuldig en in een goed tempo werken."),
            (("work-efficiently", 1, 2, ""), ("attend-to-detail", 1, 2, ""),
             ("customer-focus", 1, 2, "Klanten de weg wijzen."), ("persist", 2, 3, "")),
            (Act("Beroepsverkennende stage in een kwekerij", "Stijn, " + COACH, 34, DONE,
                 use="stage"),
             Act("Kennismaking bij De Groene Kempen", COACH, 40, DONE)),
            "Stijn start aan 80% en bouwt op tot voltijds.",
            "Ik ben graag bezig met planten. Met klanten praten vind ik moeilijk.",
        ),
        Eval(
            213, PHASE, 0,
            (("work-efficiently", 2, 2, 2), ("attend-to-detail", 2, 3, 2),
             ("customer-focus", 1, 1, 2), ("persist", 3, 3, 3)),
            "Stijn verzorgt de planten nauwkeurig en houdt vol, ook in drukke weken. Klanten "
            "aanspreken lukt nog niet.",
            "Oefenen met korte klantencontacten in de buitenafdeling.",
            "Goed met planten, hij ziet alles. Naar de klanten stapt hij niet uit zichzelf.",
        ),
        Pop(
            222,
            ("Werken in een tuincentrum of kwekerij.",
             "Klanten kort helpen in de buitenafdeling."),
            (("work-efficiently", None, 3, ""), ("attend-to-detail", None, 3, ""),
             ("customer-focus", None, 2, ""), ("persist", None, 3, "")),
            (Act("Elke dag twee klanten helpen in de buitenafdeling", "Stijn, Bert Vervoort",
                 260, BUSY),),
            "Stijn vraagt hulp aan een collega als hij een klant niet kan helpen.",
            "Ik wil leren om klanten te helpen, maar ik wil vooral bij de planten blijven.",
        ),
    ),
    ("Leen", "Huybrechts"): (  # evaluated nine days ago, no new POP yet: pop_due
        Pop(
            25,
            ("Werken als interieurverzorger in een dienstencentrum.",
             "De schoonmaaktechnieken zelfstandig toepassen, zonder zwaar te tillen."),
            (("cleaning-techniques", 1, 3, "Kleurensysteem."), ("hygiene", 2, 3, ""),
             ("meet-commitments", 2, 3, ""), ("interact-with-others", 1, 2, "")),
            (Act("Kennismaking met Anja Verheyden bij Net & Fris", COACH, 38, DONE),
             Act("Afspraak arbeidsgeneesheer over tillen", "Leen", 60, DONE)),
            "Leen tilt geen emmers of zakken zwaarder dan 10 kg; de ploegbaas weet dit.",
            "Ik poets graag, thuis ook. Mijn rug laat niet alles toe, dat moet iedereen weten.",
        ),
        Eval(
            101, PHASE, 0,
            (("cleaning-techniques", 2, 2, 3), ("hygiene", 2, 3, 2),
             ("meet-commitments", 3, 3, 3), ("interact-with-others", 2, 2, 2)),
            "Leen werkt stipt en houdt zich aan de afspraken over tillen. Het kleurensysteem "
            "lukt nog niet zonder geheugensteun.",
            "Een nieuwe POP-versie met zelfstandig werken in één centrum als doel.",
            "Betrouwbaar en vriendelijk tegen de bezoekers. Het kleurensysteem oefenen we nog.",
        ),
    ),
    ("Youssef", "El Amrani"): (  # a proeftuin try-out in the green after his snuffelstage
        Try(
            "proeftuin", "olen_green", 20, 24, "36",
            "Ik denk dat het zwaar is, maar dat ik me beter voel buiten dan in de keuken. Ik "
            "wil zien of ik de machines mag gebruiken.",
            "Het was zwaar de eerste twee dagen, daarna ging het. De ploeg was tof en ik mocht "
            "met de bladblazer werken. Dit wil ik doen.",
            WantsThis.YES,
        ),
        Pop(
            26,
            ("Werken in het groenonderhoud of in een magazijn.",
             "Instructies begrijpen en uitvoeren zonder ze te laten herhalen."),
            (("follow-instructions", 1, 3, ""), ("dutch-at-work", 2, 3, "Vaktermen."),
             ("meet-commitments", 2, 3, ""), ("follow-safety", 1, 2, "")),
            (Act("Proeftuin groenonderhoud bij de gemeente Olen", "Youssef, " + COACH, 24, DONE,
                 use="proeftuin"),
             Act("Een werkplek in het groenonderhoud zoeken", COACH, 60, BUSY),
             Act("NT2 richtgraad 2 afronden", "Youssef", 120, BUSY)),
            "Youssef vraagt het als hij een woord niet kent; de coach komt één keer per week "
            "langs tijdens de start.",
            "Na de proeftuin weet ik het: ik wil buiten werken. De keuken is niets voor mij.",
        ),
    ),
    # OCMW Mol ---------------------------------------------------------------------------------
    ("Ann", "Dierckx"): (  # job coaching by GTB
        Use(
            "jobcoach", "job_coaching", "GTB Kempen (jobcoach op de werkvloer)", 60, 240,
            UseResult.COMPLETED, "20", "1.00",
            "Tien sessies op de werkvloer: werkplanning en grenzen aangeven bij collega's.",
        ),
        Pop(
            23,
            ("Werken als interieurverzorger in een woonzorgcentrum.",
             "Zelfstandig een afdeling poetsen zonder zwaar te tillen."),
            (("cleaning-techniques", 1, 3, ""), ("demonstrate-consideration", 2, 3, ""),
             ("work-in-teams", 2, 3, ""), ("work-independently", 1, 2, "")),
            (Act("Jobcoaching door GTB op de werkvloer", "Ann, jobcoach GTB", 240, PLANNED,
                 use="jobcoach"),
             Act("Kennismaking met Rita Boeckx", COACH, 38, DONE)),
            "Ann start halftijds; na drie maanden bekijken we 80%.",
            "Ik ben bang dat ik het tempo niet aankan, maar ik wil het proberen.",
        ),
        Eval(
            180, SIX_MONTHLY, 0,
            (("cleaning-techniques", 2, 2, 2), ("demonstrate-consideration", 3, 3, 3),
             ("work-in-teams", 2, 3, 2), ("work-independently", 2, 2, 1)),
            "Ann is warm in het contact met de bewoners en werkt mee in de ploeg. Met de "
            "jobcoach leert ze haar werk plannen.",
            "Zelfstandig één gang per dag; de jobcoaching loopt nog twee maanden door.",
            "Graag gezien door de bewoners. Ze durft nog niet alleen een gang te doen.",
        ),
        Pop(
            188,
            ("Werken als interieurverzorger in een woonzorgcentrum.",
             "Zelfstandig een gang per dag poetsen."),
            (("cleaning-techniques", None, 3, ""), ("demonstrate-consideration", None, 3, ""),
             ("work-in-teams", None, 3, ""), ("work-independently", None, 3, "")),
            (Act("Jobcoaching door GTB afronden", "Ann, jobcoach GTB", 240, BUSY,
                 use="jobcoach"),),
            "Ann werkt 80%; bij pijn in de rug stopt ze en verwittigt ze de "
            "ploegverantwoordelijke.",
            "Het gaat beter dan ik dacht. Alleen werken is nog spannend.",
        ),
        Eval(
            350, ON_THE_JOB, 0,
            (("cleaning-techniques", 3, 3, 3), ("demonstrate-consideration", 3, 4, 3),
             ("work-in-teams", 3, 3, 3), ("work-independently", 3, 3, 2)),
            "Ann doet haar gang zelfstandig en plant haar werk; de jobcoaching is met succes "
            "afgerond.",
            "Doorstroom voorbereiden: vacatures als interieurverzorger in de zorg.",
            "Een vaste waarde. Ze werkt nu nieuwe collega's mee in.",
        ),
        Pop(
            360,
            ("Een job als interieurverzorger in de zorg.",
             "Nieuwe collega's mee inwerken."),
            (("cleaning-techniques", None, 4, ""), ("work-independently", None, 3, ""),
             ("demonstrate-consideration", None, 4, "")),
            (Act("Solliciteren bij twee woonzorgcentra in Mol en Balen", "Ann, " + COACH, 420),),
            "Ann blijft 80% werken tot ze een job vindt.",
            "Ik wil in de zorg blijven poetsen. De bewoners zijn mijn tweede familie.",
        ),
    ),
    # Leerwerkbedrijf Kempen (TWE-wz) ------------------------------------------------------------
    ("Ruben", "Van de Weyer"): (  # a proeftuin try-out that led to his rotation
        Pop(
            21,
            ("Werken als magazijnmedewerker.",
             "In een goed tempo werken en samenwerken in een ploeg."),
            (("attend-to-detail", 1, 2, ""), ("work-efficiently", 1, 3, ""),
             ("work-in-teams", 1, 3, "Werkt liever alleen."),
             ("order-picking", 1, 3, "Jobdoelwit magazijn.")),
            (Act("Start aan de sorteertafel textiel", "Ruben, Ahmed Ouali", 30, DONE),),
            "Ruben start halftijds; bij afwezigheid belt hij vóór 8u naar de Kringwinkel.",
            "Ik wil in een magazijn werken. Textiel sorteren is een begin.",
        ),
        Eval(
            150, PHASE, 0,
            (("attend-to-detail", 2, 2, 2), ("work-efficiently", 2, 3, 3),
             ("work-in-teams", 2, 2, 2), ("order-picking", 1, 0, 1)),
            "Het sorteren zit goed: Ruben werkt nauwkeurig en in een goed tempo. Hij wil naar "
            "het magazijn: eerst een proeftuin orderpicking.",
            "Proeftuin bij Kempenlog; daarna rotatie naar magazijn en ophaling.",
            "Rustige werker. Orderpicking heb ik hem niet zien doen.",
        ),
        Try(
            "proeftuin", "kempenlog_picking", 160, 164, "38",
            "Ik denk dat orderpicking bij mij past: alleen werken met de scanner. Ik ben bang "
            "voor het tempo.",
            "Het tempo was hoog, maar na drie dagen haalde ik de norm bijna. Ik werkte toch "
            "veel samen met de collega's. Ik wil dit.",
            WantsThis.YES,
        ),
        Pop(
            166,
            ("Werken als magazijnmedewerker.",
             "Orders zelfstandig verzamelen en samenwerken in de ophaalploeg."),
            (("work-efficiently", None, 3, ""), ("work-in-teams", None, 3, ""),
             ("order-picking", None, 3, ""), ("attend-to-detail", None, 3, "")),
            (Act("Proeftuin orderpicking bij Kempenlog", "Ruben", 164, DONE, use="proeftuin"),
             Act("Rotatie naar magazijn en ophaling in de Kringwinkel", "Ruben, Ludo Wouters",
                 181, PLANNED)),
            "Ruben werkt voltijds; in de ophaalploeg volgt hij de afspraken van de chauffeur.",
            "De proeftuin was zwaar maar leuk. Ik wil nu in het magazijn leren werken.",
        ),
        Eval(
            280, ON_THE_JOB, 1,
            (("work-efficiently", 3, 3, 3), ("work-in-teams", 3, 3, 3),
             ("order-picking", 2, 2, 3), ("attend-to-detail", 2, 3, 2)),
            "Ruben is in het magazijn op zijn plaats; hij werkt vlot samen in de ophaalploeg. "
            "Orders verzamelen lukt, nog niet altijd foutloos.",
            "Orderpicking met de handscanner; solliciteren bij logistieke bedrijven.",
            "Ruben is een fijne collega in de ploeg. Hij mag meer zelf beslissen.",
        ),
        Pop(
            288,
            ("Een job als magazijnmedewerker bij een logistiek bedrijf.",
             "Foutloos orders verzamelen."),
            (("order-picking", None, 3, ""), ("attend-to-detail", None, 3, ""),
             ("take-initiative", 1, 2, "Zelf beslissen in de ploeg.")),
            (Act("Solliciteren bij drie logistieke bedrijven in de Kempen", "Ruben, " + COACH,
                 340, BUSY),),
            "Ruben bespreekt elke vacature met de trajectbegeleider vóór hij solliciteert.",
            "Ik ben klaar voor een echt magazijn. Ik wil een contract.",
        ),
    ),
    ("Shana", "Thys"): (  # an open 360° round
        Pop(
            20,
            ("Werken als winkelmedewerker of kassamedewerker.",
             "Zelfstandig de kassa bedienen."),
            (("customer-focus", 2, 3, ""), ("work-calculations", 1, 3, "Wisselgeld."),
             ("take-initiative", 1, 3, ""), ("interact-with-others", 2, 3, "")),
            (Act("Kassa-opleiding in de Kringwinkel", "Shana, Ludo Wouters", 60, DONE),),
            "Shana werkt 80% van dinsdag tot vrijdag.",
            "Ik praat graag met mensen. Rekenen is niet mijn sterkste kant.",
        ),
        Eval(
            190, SIX_MONTHLY, 0,
            (("customer-focus", 3, 3, 3), ("work-calculations", 2, 2, 2),
             ("take-initiative", 2, 2, 3), ("interact-with-others", 3, 3, 3)),
            "Shana helpt klanten vriendelijk en zelfstandig. De kassa lukt met hulp bij de "
            "afsluiting.",
            "De kassa zelfstandig afsluiten; zelf afdelingen aanvullen zonder te vragen.",
            "De klanten vragen naar haar. Met de kas afsluiten helpen we haar nog.",
        ),
        Pop(
            200,
            ("Werken als kassamedewerker in een winkel of supermarkt.",
             "De kassa zelfstandig openen en afsluiten."),
            (("customer-focus", None, 3, ""), ("work-calculations", None, 3, ""),
             ("take-initiative", None, 3, ""), ("interact-with-others", None, 3, "")),
            (Act("Elke vrijdag de kassa afsluiten met Ludo Wouters", "Shana, Ludo Wouters",
                 300, DONE),),
            "Shana werkt 80%; bij een kasverschil meldt ze het meteen.",
            "Ik wil de kassa helemaal alleen kunnen doen.",
        ),
        Eval(
            370, SIX_MONTHLY, 0,
            (("customer-focus", 3, 4, 3), ("work-calculations", 3, 3, 3),
             ("take-initiative", 3, 3, 3), ("interact-with-others", 3, 3, 4)),
            "Alle doelen bereikt: Shana opent en sluit de kassa zelfstandig en vult afdelingen "
            "aan uit zichzelf.",
            "Doorstroom naar een supermarkt voorbereiden; een 360°-feedbackronde in haar "
            "netwerk.",
            "Een aanwinst voor de winkel. Zij mag de nieuwe vrijwilligers leren kassa doen.",
        ),
        Pop(
            380,
            ("Een job als kassamedewerker in een supermarkt.",
             "Sollicitatiegesprekken met vertrouwen voeren."),
            (("customer-focus", None, 4, ""), ("work-calculations", None, 3, ""),
             ("take-initiative", None, 3, ""), ("cope-with-pressure", 2, 3, "Drukke zaterdag.")),
            (Act("360°-feedback vragen aan familie, vrienden en collega's", "Shana, " + COACH,
                 410, BUSY),
             Act("Sollicitatietraining bij VDAB", "Shana", 440)),
            "Shana solliciteert pas na het gesprek over de 360°-feedback.",
            "Ik wil weten hoe anderen mij zien voor ik ga solliciteren.",
        ),
        Round(
            14,
            (Answer(Relation.SELF, "Shana Thys", (3, 3, 3, 2),
                    ("Ik ben vriendelijk en help klanten graag.",
                     "Rustig blijven als het druk is aan de kassa.",
                     "Kassamedewerker in een supermarkt.")),
             Answer(Relation.FAMILY, "Marleen Thys", (4, 3, 3, 2),
                    ("Ze is altijd bereid om te helpen, ook thuis.",
                     "Ze maakt zich soms te veel zorgen.",
                     "In een winkel, tussen de mensen.")),
             Answer(Relation.FRIEND, "Jolien Peeters", (4, 3, 2, 3),
                    ("Ze kan met iedereen praten.",
                     "Zelf beslissen zonder het eerst aan iedereen te vragen.",
                     "Kassa of onthaal.")),
             Answer(Relation.OTHER, "Kris Van Looy", (3, 3, 3, 3),
                    ("Als vrijwilliger in de volleybalclub is ze stipt en betrouwbaar.",
                     "Meer durven zeggen wat ze denkt.",
                     "Winkel of horeca.")),
             Answer(Relation.FRIEND, "Lies Goossens"),  # invited, not answered yet
             Answer(Relation.COLLEAGUE, "Nancy Wouters", (4, 3, 3, 3),
                    ("Klanten komen speciaal voor haar naar de kassa.",
                     "De zaterdagdrukte, dan wordt ze zenuwachtig.",
                     "Kassamedewerker, zonder twijfel.")),
             Answer(Relation.COLLEAGUE, "Sam De Backer", (3, 3, 3, 2),
                    ("Ze vult de afdelingen aan zonder dat iemand het vraagt.",
                     "Rust nemen als het druk is.",
                     "Winkelmedewerker in een supermarkt."))),
        ),
    ),
    ("Koen", "Raeymaekers"): (
        Pop(
            16,
            ("Werken als heftruckchauffeur in een distributiecentrum.",
             "Het heftruckattest halen."),
            (("use-machines", 1, 3, "Heftruck, na de interne opleiding."),
             ("follow-safety", 2, 3, ""), ("attend-to-detail", 2, 3, ""),
             ("work-independently", 1, 2, "")),
            (Act("Interne heftruckopleiding bij Kempenlog", "Koen, Kurt Jansen", 60, DONE),),
            "Koen werkt in de dagploeg; de heftruck gebruikt hij alleen met de instructeur "
            "tot hij zijn attest heeft.",
            "Ik wil met de heftruck werken. Ik weet dat veiligheid het belangrijkste is.",
        ),
        Eval(
            150, PHASE, 0,
            (("use-machines", 2, 2, 3), ("follow-safety", 3, 3, 3),
             ("attend-to-detail", 2, 2, 2), ("work-independently", 2, 2, 2)),
            "Koen heeft zijn heftruckattest en werkt veilig. Goederen in de hoge rekken plaatsen "
            "lukt nog met begeleiding.",
            "Zelfstandig laden en lossen; de hoge rekken met de instructeur.",
            "Veilig en voorzichtig. Nog wat meer ervaring in de hoge rekken.",
        ),
        Pop(
            158,
            ("Werken als heftruckchauffeur in een distributiecentrum.",
             "Zelfstandig laden, lossen en de rekken vullen."),
            (("use-machines", None, 3, ""), ("follow-safety", None, 3, ""),
             ("attend-to-detail", None, 3, ""), ("work-independently", None, 3, "")),
            (Act("Elke dag een uur rekken vullen met Kurt Jansen", "Koen, Kurt Jansen", 200,
                 BUSY),),
            "Koen werkt voltijds in de dagploeg.",
            "Met de heftruck gaat het goed. De hoge rekken zijn nog spannend.",
        ),
    ),
}  # fmt: skip


# --- Building ------------------------------------------------------------------------------


@dataclass
class _State:
    """One story being played out."""

    trajectory_id: int
    start: datetime.date
    placements: list[Placement]
    uses: dict[str, InstrumentUse] = field(default_factory=dict)
    codes: tuple[str, ...] = ()  # the competences of the last POP version
    evaluation: Evaluation | None = None  # completed, not yet followed by a POP version
    levels: dict[str, int] = field(default_factory=dict)  # its coach's levels

    def trajectory(self) -> Trajectory:
        return Trajectory.objects.select_related("client", "organisation").get(
            pk=self.trajectory_id
        )


class _Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.today = ctx.today
        self.u: dict[str, User] = ctx.users
        self.by_id = {user.pk: user for user in ctx.users.values()}
        self.competences = {c.code: c for c in Competence.objects.filter(is_active=True)}
        self.offers: dict[str, TryoutOffer] = {}

    def on(self, state: _State, day: int) -> datetime.date:
        date = state.start + datetime.timedelta(days=day)
        assert date <= self.today, (state, day)
        return date

    def coach_on(self, trajectory: Trajectory, on: datetime.date) -> User:
        """Who led the trajectory on `on` (handovers change the lead coach)."""
        return self.by_id[lead_coach_id_on(trajectory, on)]

    # Catalogue -------------------------------------------------------------------------------

    def offer(self, key: str) -> None:
        user, title, (employer, workplace_title), description, max_days = OFFERS[key]
        workplace = Workplace.objects.get(title=workplace_title, employer__name=employer)
        self.offers[key] = instruments.offer_create(
            data={
                "title": title,
                "occupation": workplace.occupation,
                "workplace": workplace,
                "description": description,
                "max_days": max_days,
                "is_active": True,
            },
            by=self.u[user],
        )

    # Steps -----------------------------------------------------------------------------------

    def pop(self, state: _State, step: Pop) -> None:
        trajectory = state.trajectory()
        on = self.on(state, step.day)
        lines = []
        for code, current, target, note in step.competences:
            level = state.levels.get(code, current) if current is None else current
            lines.append(plans.CompetenceLine(self.competences[code], target, level, note))
        actions = [
            plans.ActionLine(
                what=act.what,
                who=act.who,
                due=None if act.due is None else state.start + datetime.timedelta(days=act.due),
                status=act.status,
                instrument_use=state.uses[act.use] if act.use else None,
            )
            for act in step.actions
        ]
        plans.version_create(
            trajectory,
            data=plans.VersionData(
                drawn_up_on=on,
                goals="\n".join(step.goals),
                competences=lines,
                actions=actions,
                agreements=step.agreements,
                client_words=step.client_words,
                evaluation=state.evaluation,
            ),
            expected_version=trajectory.version,
            by=self.coach_on(trajectory, on),
        )
        state.codes = tuple(code for code, *_rest in step.competences)
        state.evaluation, state.levels = None, {}

    def plan_evaluation(
        self, state: _State, kind: str, planned_on: datetime.date, placement: int
    ) -> tuple[Evaluation, evaluations.SentLink]:
        trajectory = state.trajectory()
        by = self.coach_on(trajectory, min(planned_on, self.today))
        evaluation = evaluations.evaluation_plan(
            trajectory,
            kind=kind,
            planned_on=planned_on,
            placement=state.placements[placement],
            expected_version=trajectory.version,
            by=by,
        )
        return evaluation, evaluations.mentor_link_send(evaluation, by=by)

    def evaluation(self, state: _State, step: Eval) -> None:
        on = self.on(state, step.day)
        evaluation, sent = self.plan_evaluation(state, step.kind, on, step.placement)
        ids = {code: self.competences[code].pk for code, *_levels in step.scores}
        notes = dict(step.notes)
        evaluations.mentor_submit(
            sent.link,
            scores={ids[code]: (mentor, "") for code, _c, mentor, _s in step.scores if mentor},
            comment=step.mentor_comment,
        )
        evaluation = Evaluation.objects.get(pk=evaluation.pk)
        evaluations.evaluation_record(
            evaluation,
            coach_scores={
                ids[code]: (coach, notes.get(code, "")) for code, coach, *_ in step.scores
            },
            self_scores={ids[code]: (own, "") for code, _c, _m, own in step.scores},
            held_on=on,
            conclusions=step.conclusions,
            next_steps=step.next_steps,
            complete=True,
            expected_version=evaluation.version,
            by=self.coach_on(evaluation.trajectory, on),
        )
        state.evaluation = evaluation
        state.levels = {code: coach for code, coach, *_ in step.scores}

    def planned(self, state: _State, step: Planned) -> None:
        on = self.today + datetime.timedelta(days=step.ahead)
        _evaluation, sent = self.plan_evaluation(state, step.kind, on, step.placement)
        if step.opened:
            evaluations.mentor_link_opened(sent.link)

    def use(self, state: _State, step: Use) -> None:
        trajectory = state.trajectory()
        start = state.start + datetime.timedelta(days=step.start)
        state.uses[step.key] = instruments.use_register(
            trajectory,
            data={
                "kind": step.kind,
                "provider": step.provider,
                "start": start,
                "end": state.start + datetime.timedelta(days=step.end),
                "hours": None if step.hours is None else Decimal(step.hours),
                "regime": Decimal(step.regime),
                "result": step.result,
                "result_notes": step.notes,
            },
            by=self.coach_on(trajectory, start),
        )

    def tryout(self, state: _State, step: Try) -> None:
        trajectory = state.trajectory()
        start, end = self.on(state, step.start), self.on(state, step.end)
        by = self.coach_on(trajectory, start)
        tryout = instruments.tryout_register(
            trajectory,
            offer=self.offers[step.offer],
            start=start,
            end=end,
            expectation=step.expectation,
            hours=Decimal(step.hours),
            by=by,
        )
        use = tryout.use
        instruments.use_update(
            use,
            data={name: getattr(use, name) for name in instruments.USE_FIELDS}
            | {"result": UseResult.COMPLETED},
            expected_version=use.version,
            by=by,
        )
        instruments.tryout_reflect(
            tryout,
            finding=step.finding,
            wants_this=step.wants_this,
            by=self.coach_on(trajectory, end),
        )
        state.uses[step.key] = use

    def feedback(self, state: _State, step: Round) -> None:
        trajectory = state.trajectory()
        by = self.coach_on(trajectory, self.today)
        feedback_round = evaluations.round_open(
            trajectory,
            closes_on=self.today + datetime.timedelta(days=step.closes_in),
            questions=QUESTIONS,
            expected_version=trajectory.version,
            by=by,
        )
        ids = [self.competences[code].pk for code in state.codes]
        for answer in step.respondents:
            _respondent, sent = evaluations.respondent_invite(
                feedback_round,
                relation=answer.relation,
                name=answer.name,
                email=_email(answer.name),
                by=by,
            )
            if answer.levels is not None:
                evaluations.feedback_submit(
                    sent.link,
                    scores={pk: (level, "") for pk, level in zip(ids, answer.levels, strict=True)},
                    answers=answer.answers,
                )

    def play(self, state: _State, steps: tuple[Step, ...]) -> None:
        for step in steps:
            match step:
                case Pop():
                    self.pop(state, step)
                case Eval():
                    self.evaluation(state, step)
                case Planned():
                    self.planned(state, step)
                case Use():
                    self.use(state, step)
                case Try():
                    self.tryout(state, step)
                case Round():
                    self.feedback(state, step)


def _email(name: str) -> str:
    local = ".".join("".join(c for c in part.lower() if c.isascii() and c.isalpha())
                     for part in name.split())  # fmt: skip
    return f"{local}@example.com"


def load_development(ctx: DemoContext) -> None:
    """POPs, evaluations, 360° feedback, instruments and try-outs (module doc)."""
    builder = _Builder(ctx)
    running = (
        Trajectory.objects.exclude(status=Status.STOPPED)
        .select_related("client")
        .prefetch_related(
            Prefetch("placements", queryset=Placement.objects.order_by("start", "pk"))
        )
    )
    trajectories = {(t.client.first_name, t.client.last_name): t for t in running}
    # The mentors' and 360° respondents' links are e-mailed by the services; in the demo they
    # go to the in-memory backend (not the console of `make run`). Demo code only, never in
    # production (load_demo refuses it there).
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for key in OFFERS:
            builder.offer(key)
        for name, steps in STORIES.items():
            trajectory = trajectories[name]
            state = _State(trajectory.pk, trajectory.start, list(trajectory.placements.all()))
            builder.play(state, steps)
