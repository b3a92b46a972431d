"""Demo endings: ICF profiles, outflow, follow-ups, aftercare and end reports (R-ICF, R-END).

ICF ratings (R-ICF-1) on eight running trajectories that have evaluations (``development.py``):
activities with a performance and a capacity qualifier, environmental factors as barriers or
facilitators, and on two of them a body function (b130, from the doctor) rated by the lead
coach, who may open the protected section (R-PRV-3).

Five stopped trajectories of ``clients.py`` get the whole ending (R-END-1/2, R-TRJ-10):

- Senait Tesfaye (coach@): a permanent job at Net & Fris, aftercare with the mentor and a
  language coach, the follow-up after 3 months; end report final, trajectory closed;
- Kenny Boeckx (coach2@): a permanent job at Kempenwas, aftercare held; report final and
  closed, but the follow-up after 3 months is overdue (on the caseload);
- Mohamed Ait Lahcen (coach2@): stopped for illness, on benefits; follow-ups after 3 and 6
  months; the final end report is amended: version 2 is a draft;
- Rania Haddad (partner@): end of term, agency work at Kempenlog with aftercare (one contact
  planned ahead); the end report is still a draft, so end_report_due shows on the caseload;
- Katrien Van Genechten (partner@): referred to a VDAB training; follow-ups after 3 and 6
  months; report final, trajectory closed.

Every write goes through the services with the coach who led the trajectory that day; dates
count from the last evaluations or from the trajectory's last day, and every text is fixed:
the demo is deterministic. Finalising and closing are dated today by the services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from doorstroom.accounts.models import User
from doorstroom.clients.services import may_read_protected
from doorstroom.demo.context import DemoContext, lead_coach_id_on
from doorstroom.employers.models import Employer
from doorstroom.evaluations.models import Evaluation, EvaluationStatus, IcfCode, IcfSource
from doorstroom.reports import services as reports
from doorstroom.reports.models import AftercareKind, ContractType, EndReport, OutflowKind
from doorstroom.trajectories.choices import Status
from doorstroom.trajectories.models import Trajectory

COACH, MENTOR, CLIENT, VDAB, MEDICAL = (
    IcfSource.COACH.value,
    IcfSource.MENTOR.value,
    IcfSource.CLIENT.value,
    IcfSource.VDAB.value,
    IcfSource.MEDICAL.value,
)
JOB, LANGUAGE = AftercareKind.JOB_COACHING.value, AftercareKind.LANGUAGE_COACHING.value

# --- What happens ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """An ICF rating. ``first``: performance (d) or the one qualifier; ``second``: capacity
    (d-codes only); ``plus``: a facilitator (e-codes). ``at`` picks the day: on a running
    trajectory the index of its completed evaluation (-1: the last one), on an ending the
    number of days before the trajectory's last day."""

    code: str
    first: int
    second: int | None = None
    plus: bool = False
    source: str = COACH
    note: str = ""
    at: int = -1


@dataclass(frozen=True)
class Out:
    """Where the client went (R-END-2), ``after`` days after the last day (a working day)."""

    after: int
    kind: str
    details: str
    employer: str = ""
    contract: str = ""
    regime: str | None = None


@dataclass(frozen=True)
class Contact:
    """An aftercare contact (R-TRJ-10): ``after`` days after the outflow, held with ``notes``;
    without notes it is planned ``after`` days from today."""

    kind: str
    after: int
    with_mentor: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Follow:
    """The situation ``months`` after the end, measured ``after`` days after the last day."""

    months: int
    after: int
    at_work: bool
    notes: str
    same_employer: bool | None = None
    regime: str | None = None


@dataclass(frozen=True)
class Texts:
    """The coach's texts of the end report; ``summary`` is added to the prefilled one."""

    summary: str
    competences: str
    motivation: str
    recommendation: str = ""


FINAL, CLOSED, DRAFT, AMENDED = "final", "closed", "draft", "amended"


@dataclass(frozen=True)
class Ending:
    ratings: tuple[Rate, ...]
    outflow: Out
    aftercare: tuple[Contact, ...] = ()
    followups: tuple[Follow, ...] = ()
    report: Texts | None = None
    finish: str = CLOSED  # draft | final | closed | amended (final, then a new draft)
    amendment: str = ""  # amended: added to the recommendation in version 2


# (first name, last name) → ICF ratings on a running trajectory with evaluations.
PROFILES: dict[tuple[str, str], tuple[Rate, ...]] = {
    ("Glenn", "Aerts"): (
        Rate("d220", 2, 2, note="Geen groei sinds de vorige evaluatie: plant zijn dagronde "
             "nog niet zelf en wacht op de ploegbaas voor de volgorde van de taken."),
        Rate("d177", 2, 1, source=MENTOR, note="Belt de ploegbaas voor kleine beslissingen "
             "die hij zelf kan nemen."),
        Rate("d430", 0, 0, note="Tilt en draagt groenafval en materiaal zonder problemen."),
        Rate("e330", 2, plus=True, note="De ploegbaas geeft elke vrijdag feedback en "
             "bespreekt de planning van de week."),
    ),
    ("Evi", "Daems"): (
        Rate("d720", 2, 1, at=0, note="Verlegen bij de start: spreekt collega's en "
             "bezoekers nog weinig uit zichzelf aan."),
        Rate("d720", 1, 0, source=MENTOR, note="Spreekt collega's en bezoekers vlot aan en "
             "doet zelf voorstellen voor de cafetaria."),
        Rate("d240", 1, 1, note="Kassawerk onder tijdsdruk lukt; bij grote drukte vraagt ze "
             "tijdig hulp."),
        Rate("e310", 2, plus=True, source=CLIENT, note="Haar zus vangt de kinderen op na "
             "school, ook bij late diensten."),
        Rate("e325", 3, plus=True, note="De collega's van de cafetaria werken haar actief in "
             "en geven haar verantwoordelijkheid."),
    ),
    ("Tom", "Verachtert"): (
        Rate("d845", 2, 1, note="Had voordien enkel korte interimcontracten; bereidt met de "
             "IBO een vaste job voor."),
        Rate("d240", 1, 1, source=MENTOR, note="Blijft rustig bij afkeur en meldt twijfel "
             "over een stuk aan de ploegleider."),
        Rate("d230", 0, 0, note="Houdt een voltijds ritme in de dagploeg vol zonder "
             "afwezigheden."),
        Rate("e590", 3, plus=True, source=VDAB, note="IBO via VDAB bij een reguliere "
             "werkgever, met uitzicht op een contract van onbepaalde duur."),
    ),
    ("Fatima", "Bouzid"): (
        Rate("d310", 2, 3, at=0, note="Snelle instructies in de keuken begrijpt ze nog niet; "
             "ze vraagt niet na."),
        Rate("d310", 1, 2, note="Vraagt meer na; met herhalen en voordoen door de chef "
             "begrijpt ze de instructies."),
        Rate("d240", 1, 1, source=MENTOR, note="Houdt het hoofd koel tijdens de middagrush."),
        Rate("e590", 3, plus=True, note="Taalcoaching op de werkvloer door het Huis van het "
             "Nederlands Kempen."),
        Rate("e575", 2, plus=True, note="Kinderopvang voor de jongste via het OCMW geregeld."),
        Rate("b130", 1, source=MEDICAL, note="Huisarts: lichte vermoeidheid door de combinatie "
             "van voltijds werk en avondles; geen aanpassing van het regime nodig."),
    ),
    ("Ann", "Dierckx"): (
        Rate("d240", 2, 2, at=0, note="Bang om het tempo niet aan te kunnen; stopt en "
             "twijfelt wanneer het druk wordt op de afdeling."),
        Rate("d240", 1, 1, note="Plant haar werk en geeft zelf haar grenzen aan, geleerd met "
             "de jobcoach."),
        Rate("d430", 1, 2, note="Vermijdt zware emmers en matrassen; met de aangepaste "
             "poetskar werkt ze zonder problemen."),
        Rate("d720", 1, 1, source=MENTOR, note="Werkt nieuwe collega's mee in en zegt het "
             "wanneer iets haar niet zint."),
        Rate("e590", 3, plus=True, note="Jobcoaching op de werkvloer door GTB Kempen, met "
             "succes afgerond."),
        Rate("e330", 2, plus=True, source=MENTOR, note="De ploegverantwoordelijke houdt "
             "rekening met haar grenzen bij de planning."),
        Rate("b130", 2, source=MEDICAL, note="Arbeidsgeneesheer: vermoeidheid na een volle "
             "werkweek; 80 % is haalbaar, voltijds nog niet."),
    ),
    ("Ruben", "Van de Weyer"): (
        Rate("d720", 2, 2, at=0, note="Werkt liever alleen; samenwerken aan de sorteertafel "
             "vraagt moeite."),
        Rate("d720", 1, 1, source=MENTOR, note="Werkt vlot samen in de ophaalploeg en volgt "
             "de afspraken van de chauffeur."),
        Rate("d177", 2, 1, note="Durft weinig zelf te beslissen en vraagt bevestiging, ook "
             "wanneer hij het antwoord kent."),
        Rate("d430", 0, 0, note="Tillen en dragen in het magazijn en bij de ophaling zonder "
             "problemen."),
        Rate("e325", 2, plus=True, note="De collega's van de ophaalploeg nemen hem mee en "
             "leggen het werk geduldig uit."),
    ),
    ("Shana", "Thys"): (
        Rate("d240", 2, 1, note="Wordt zenuwachtig bij de zaterdagdrukte aan de kassa; in "
             "rustige uren geen problemen."),
        Rate("d720", 1, 1, source=CLIENT, note="Durft nog niet altijd te zeggen wat ze denkt, "
             "zeker niet tegen een leidinggevende."),
        Rate("e310", 3, plus=True, source=CLIENT, note="Haar moeder steunt haar keuze voor een "
             "job in de winkel en helpt met de verplaatsingen."),
        Rate("e325", 2, plus=True, source=MENTOR, note="De collega's van de Kringwinkel geven "
             "haar verantwoordelijkheid aan de kassa."),
    ),
    ("Koen", "Raeymaekers"): (
        Rate("d430", 0, 0, note="Geen beperkingen bij laden en lossen."),
        Rate("d220", 1, 1, source=MENTOR, note="Combineert laden, lossen en rekken vullen; "
             "de hoge rekken nog met begeleiding."),
        Rate("e135", 2, plus=True, note="Heftruck met camera en hoogte-indicator: veiliger "
             "werken in de hoge rekken."),
        Rate("e590", 3, plus=True, note="Interne heftruckopleiding en attest via het "
             "leerwerkbedrijf."),
    ),
}  # fmt: skip

# (first name, last name) → the ending of a stopped trajectory.
ENDINGS: dict[tuple[str, str], Ending] = {
    ("Senait", "Tesfaye"): Ending(
        ratings=(
            Rate("d310", 2, 3, at=200, note="Begrijpt werkinstructies in het Nederlands nog "
                 "moeilijk; de taalcoaching is net gestart."),
            Rate("d310", 1, 2, at=14, note="Begrijpt werkinstructies wanneer ze worden "
                 "voorgedaan en met pictogrammen ondersteund; zonder die steun nog matige "
                 "problemen."),
            Rate("d230", 0, 0, at=14, note="Stipt en betrouwbaar; houdt zich aan het "
                 "uurrooster."),
            Rate("d845", 1, 1, at=14, note="Solliciteert met ondersteuning; bereidt "
                 "gesprekken goed voor."),
            Rate("e590", 3, plus=True, at=14, note="Taalcoaching op de werkvloer en "
                 "bemiddeling door VDAB."),
            Rate("e460", 1, at=14, note="Werkgevers aarzelen bij een beperkte kennis van het "
                 "Nederlands."),
        ),
        outflow=Out(
            1, OutflowKind.NEC_JOB,
            "Schoonmaker kantoren en scholen in de dagploeg (4/5), aangeworven na een "
            "sollicitatie op een vacature van VDAB. Mentor op de werkvloer: Anja Verheyden.",
            employer="Schoonmaakbedrijf Net & Fris", contract=ContractType.PERMANENT,
            regime="0.80",
        ),
        aftercare=(
            Contact(JOB, 10, True, "Eerste nazorgbezoek bij Net & Fris samen met Anja "
                    "Verheyden. Senait is goed gestart in de ploeg van de scholen; instructies "
                    "worden voorgedaan en met pictogrammen op de kar ondersteund. Afspraak: op "
                    "een nieuwe locatie loopt een collega de eerste dag mee."),
            Contact(LANGUAGE, 37, False, "Twee sessies met de taalcoach van het Huis van het "
                    "Nederlands op de werkvloer: vaktaal van de schoonmaak (producten, "
                    "kleurcodes, veiligheidsfiches). Senait vraagt nu zelf na als ze een "
                    "instructie niet begrijpt."),
            Contact(JOB, 96, True, "Evaluatie na drie maanden met Anja Verheyden: Senait "
                    "werkt zelfstandig op twee scholen en haalt het tempo. De proefperiode is "
                    "positief afgesloten. Volgend contact binnen drie maanden."),
        ),
        followups=(
            Follow(3, 97, True, "Bevestigd bij het nazorgbezoek: werkt nog bij Net & Fris, "
                   "4/5 in de dagploeg.", same_employer=True, regime="0.80"),
        ),
        report=Texts(
            "Na de art. 60-tewerkstelling (toegang tot de werkloosheidsuitkering bereikt) "
            "volgde een korte, gerichte zoektocht naar werk met VDAB. Senait is aan de slag "
            "als schoonmaker bij Schoonmaakbedrijf Net & Fris, met een contract van "
            "onbepaalde duur (4/5).",
            "Activiteiten en participatie (ICF):\n"
            "- d310 Gesproken boodschappen begrijpen: van matige naar lichte problemen in de "
            "werksituatie (d310.23 → d310.12), dankzij taalcoaching en visuele instructies.\n"
            "- d230 De dagelijkse routine uitvoeren: geen problemen (d230.00).\n"
            "- d845 Werk verwerven, behouden en beëindigen: lichte problemen; solliciteert "
            "met ondersteuning (d845.11).",
            "Senait heeft de doelen van haar traject bereikt: ze werkt stipt en zelfstandig, "
            "houdt zich aan de afspraken en begrijpt werkinstructies in het Nederlands veel "
            "beter (d310 van .23 naar .12). De taalcoaching op de werkvloer en de bemiddeling "
            "door VDAB waren daarbij doorslaggevende facilitatoren (e590+3). Met een contract "
            "van onbepaalde duur bij een reguliere werkgever is de doorstroom naar het NEC "
            "gerealiseerd; het traject is beëindigd met als reden uitstroom naar werk.",
            "Nazorg tot zes maanden na de uitstroom (R-TRJ-10): jobcoaching samen met de "
            "mentor en, bij een nieuwe locatie of nieuwe taken, opnieuw taalcoaching op de "
            "werkvloer. NT2 richtgraad 2 verder volgen in het CBE. Voor de werkgever: nieuwe "
            "instructies voordoen en visueel ondersteunen; een beperkte kennis van het "
            "Nederlands blijft een drempel bij een nieuwe leidinggevende (e460.1).",
        ),
        finish=CLOSED,
    ),
    ("Kenny", "Boeckx"): Ending(
        ratings=(
            Rate("d240", 1, 1, at=10, note="Blijft rustig bij piekmomenten; vraagt zelf een "
                 "korte pauze als het te druk wordt."),
            Rate("d720", 1, 1, at=10, note="Aanvaardt feedback van de ploegleider; neemt "
                 "afstand bij een conflict en bespreekt het achteraf."),
            Rate("d430", 0, 0, at=10, note="Geen beperkingen bij tillen en dragen."),
            Rate("e310", 2, plus=True, at=10, source=CLIENT, note="Zijn moeder vangt de "
                 "kinderen op bij vroege diensten."),
            Rate("e325", 2, plus=True, at=10, note="Een vaste collega als peter in de ploeg."),
        ),
        outflow=Out(
            1, OutflowKind.NEC_JOB,
            "Productiemedewerker in de dagploeg (mangel en plooiafdeling), voltijds. "
            "Aangeworven na een sollicitatiegesprek met proefdag. Mentor: Luc Bols.",
            employer="Wasserij Kempenwas", contract=ContractType.PERMANENT, regime="1.00",
        ),
        aftercare=(
            Contact(JOB, 7, True, "Nazorgbezoek bij Kempenwas met Luc Bols: Kenny is "
                    "ingewerkt aan de mangel en haalt het tempo van de dagploeg. Afspraak over "
                    "verwittigen bij ziekte van de kinderen."),
            Contact(JOB, 38, False, "Gesprek op het OCMW: eerste loonbrieven en budget "
                    "overlopen; het leefloon is stopgezet en de overgang verloopt vlot. Kenny "
                    "voelt zich goed in de ploeg."),
        ),
        report=Texts(
            "Na de art. 60-tewerkstelling volgde een gerichte zoektocht naar werk in de "
            "productie en de logistiek, met ondersteuning van VDAB. Kenny is aan de slag "
            "bij Wasserij Kempenwas, voltijds met een contract van onbepaalde duur.",
            "Activiteiten en participatie (ICF):\n"
            "- d240 Omgaan met stress en andere psychische eisen: lichte problemen "
            "(d240.11); piekmomenten vangt hij op met afgesproken pauzes.\n"
            "- d720 Complexe interpersoonlijke interacties: lichte problemen (d720.11); "
            "aanvaardt feedback van een leidinggevende.\n"
            "- d430 Voorwerpen optillen en dragen: geen problemen (d430.00).",
            "Kenny heeft in de art. 60-tewerkstelling een stabiel werkritme opgebouwd en de "
            "toegang tot de werkloosheidsuitkering bereikt. De resterende lichte problemen "
            "met stress en feedback (d240.11, d720.11) vormen geen belemmering voor werk in "
            "het NEC, zeker met de steun van een vaste collega (e325+2) en van zijn familie "
            "(e310+2). Met een voltijds contract van onbepaalde duur is het doel van het "
            "traject bereikt.",
            "Nazorg gedurende zes maanden (R-TRJ-10): maandelijks contact, het eerste "
            "kwartaal samen met de mentor. Bij signalen van overbelasting een gesprek met de "
            "ploegleider over de piekmomenten. De situatie 3, 6 en 12 maanden na het einde "
            "wordt in het dossier geregistreerd.",
        ),
        finish=CLOSED,  # the follow-up after 3 months is not recorded: overdue
    ),
    ("Mohamed", "Ait Lahcen"): Ending(
        ratings=(
            Rate("d240", 3, 2, at=7, note="Raakt snel overbelast bij tijdsdruk; rustige "
                 "taken zonder tijdsdruk lukten wel."),
            Rate("d850", 4, 2, at=7, note="Werkt momenteel niet; deeltijds werk blijft op "
                 "termijn haalbaar."),
            Rate("e580", 3, plus=True, at=7, note="Huisarts en adviserend arts volgen "
                 "hem regelmatig op."),
            Rate("e570", 2, plus=True, at=7, note="Ziekte-uitkering via het ziekenfonds: het "
                 "inkomen is verzekerd."),
            Rate("b130", 3, source=MEDICAL, at=7, note="Attest van de huisarts: ernstige "
                 "vermoeidheid; werk is voorlopig niet haalbaar."),
        ),
        outflow=Out(
            1, OutflowKind.BENEFITS,
            "Ziekte-uitkering via het ziekenfonds na het einde van de arbeidsovereenkomst "
            "wegens medische overmacht; opvolging door de adviserend arts.",
        ),
        followups=(
            Follow(3, 93, False, "Nog arbeidsongeschikt en met een ziekte-uitkering; de "
                   "huisarts verwacht geen hervatting op korte termijn."),
            Follow(6, 186, False, "Nog arbeidsongeschikt. De adviserend arts heeft een "
                   "re-integratietraject opgestart; een aanmelding bij GTB voor een deeltijdse "
                   "hervatting wordt voorbereid."),
        ),
        report=Texts(
            "De art. 60-tewerkstelling is beëindigd wegens medische overmacht; het traject "
            "is in overleg met de cliënt en de adviserend arts stopgezet.",
            "Activiteiten en participatie (ICF):\n"
            "- d240 Omgaan met stress en andere psychische eisen: ernstige problemen in de "
            "werksituatie (d240.32); rustige taken zonder tijdsdruk lukten.\n"
            "- d850 Betaald werk: op dit moment volledig (d850.42); de capaciteit voor "
            "deeltijds werk blijft aanwezig.",
            "Mohamed was gemotiveerd en bouwde de eerste maanden een goed werkritme op. Door "
            "gezondheidsproblemen kon hij het werk niet meer hervatten en een verdere "
            "schorsing bood geen perspectief op hervatting binnen de looptijd van het "
            "traject. De stopzetting is daarom gemotiveerd door ziekte (R-TRJ-4). "
            "Ondersteunende omgevingsfactoren: de opvolging door de huisarts (e580+3) en het "
            "vervangingsinkomen via het ziekenfonds (e570+2). Medische gegevens staan niet "
            "in dit verslag; ze blijven in het beschermde deel van het dossier.",
            "Opvolging door de adviserend arts en de maatschappelijk werker van het "
            "ziekenfonds. Zodra een deeltijdse hervatting mogelijk is: aanmelding bij GTB "
            "voor een re-integratietraject, eventueel later opnieuw TWE met een opbouw "
            "vanaf halftijds.",
        ),
        finish=AMENDED,
        amendment="Aanvulling na de opvolging van zes maanden: de adviserend arts heeft een "
        "re-integratietraject opgestart. De aanmelding bij GTB voor een begeleide deeltijdse "
        "hervatting (halftijds) is voorbereid; een nieuw TWE-traject wordt pas bekeken na "
        "een positief advies van GTB.",
    ),
    ("Rania", "Haddad"): Ending(
        ratings=(
            Rate("d310", 1, 1, at=20, note="Begrijpt werkinstructies; nieuwe taken laat ze "
                 "nog eens herhalen."),
            Rate("d240", 2, 1, at=20, note="De tijdsdruk van de normen in het magazijn is "
                 "een aandachtspunt."),
            Rate("d720", 1, 1, at=20, note="Werkt vlot samen; spreekt een leidinggevende "
                 "nog niet uit zichzelf aan."),
            Rate("e590", 3, plus=True, at=20, source=VDAB, note="Bemiddeling door VDAB en "
                 "een proeftuin in de logistiek."),
            Rate("e460", 2, at=20, note="Vooroordelen bij werkgevers tegenover anderstalige "
                 "kandidaten; twee sollicitaties zonder antwoord."),
        ),
        outflow=Out(
            10, OutflowKind.NEC_JOB,
            "Orderpicker in de dagploeg via een uitzendkantoor in Herentals (weekcontracten, "
            "4/5), met uitzicht op een contract bij Kempenlog. Mentor: Jessica Van Dessel.",
            employer="Distributiecentrum Kempenlog", contract=ContractType.TEMPORARY,
            regime="0.80",
        ),
        aftercare=(
            Contact(JOB, 7, True, "Bezoek bij Kempenlog met Jessica Van Dessel: Rania haalt "
                    "na een week 85 % van de norm. Afspraak: eerst orders met kleine volumes; "
                    "de scanner staat in het Nederlands, met pictogrammen."),
            Contact(LANGUAGE, 24, False, "Taalcoaching door het Huis van het Nederlands: "
                    "vaktaal van het magazijn en de veiligheidsinstructies geoefend. Rania "
                    "houdt een woordenlijst bij op haar gsm."),
            Contact(JOB, 8, True),  # planned ahead, with the mentor
        ),
        report=Texts(
            "Einde van de 24 maanden TWE-wz. Rania werkt sindsdien als orderpicker via een "
            "uitzendkantoor bij Distributiecentrum Kempenlog (4/5).",
            "Activiteiten en participatie (ICF):\n"
            "- d310 Gesproken boodschappen begrijpen: lichte problemen (d310.11).\n"
            "- d240 Omgaan met stress en andere psychische eisen: matige problemen onder "
            "tijdsdruk (d240.21).\n"
            "- d720 Complexe interpersoonlijke interacties: lichte problemen (d720.11).",
            "Rania heeft de werkervaring volledig doorlopen en de afgesproken competenties "
            "grotendeels bereikt. Een vast contract volgde niet binnen de looptijd; de "
            "vooroordelen bij werkgevers tegenover anderstalige kandidaten (e460.2) speelden "
            "daarbij mee. Via uitzendarbeid is ze aan de slag in de logistiek, met de steun "
            "van VDAB (e590+3).",
            # The recommendation waits for the talk with the VDAB counsellor: still a draft.
        ),
        finish=DRAFT,
    ),
    ("Katrien", "Van Genechten"): Ending(
        ratings=(
            Rate("d155", 0, 0, at=3, note="Leert nieuwe taken snel aan; wil een erkend "
                 "opleidingsattest."),
            Rate("d430", 2, 1, at=3, note="Zware dozen tillen in het magazijn bleek te "
                 "belastend: reden voor de heroriëntering."),
            Rate("e590", 3, plus=True, at=3, source=VDAB, note="De VDAB-bemiddelaar biedt een "
                 "beroepsopleiding met een IBO aan."),
        ),
        outflow=Out(
            5, OutflowKind.TRAINING,
            "VDAB-opleiding winkelmedewerker (16 weken) in het competentiecentrum in "
            "Herentals, met een aansluitende IBO.",
        ),
        followups=(
            Follow(3, 92, False, "Volgt de VDAB-opleiding winkelmedewerker; aanwezigheid en "
                   "resultaten zijn goed volgens de instructeur."),
            Follow(6, 183, True, "Opleiding met succes afgerond; aan de slag via een IBO als "
                   "winkelmedewerker in een supermarkt in Herentals, met uitzicht op een "
                   "contract van onbepaalde duur.", regime="1.00"),
        ),
        report=Texts(
            "Na de oriëntatie is Katrien van het magazijn naar de schoonmaak gegaan; na een "
            "korte werkervaring is ze in overleg met VDAB doorverwezen naar een "
            "beroepsopleiding als winkelmedewerker.",
            "Activiteiten en participatie (ICF):\n"
            "- d155 Vaardigheden verwerven: geen problemen (d155.00); leert snel nieuwe "
            "taken aan.\n"
            "- d430 Voorwerpen optillen en dragen: matige problemen in het magazijn "
            "(d430.21); reden voor de heroriëntering.",
            "Katrien is leerbaar en gemotiveerd, maar zwaar tilwerk bleek niet haalbaar "
            "(d430.21). Een beroepsopleiding als winkelmedewerker sluit beter aan bij haar "
            "mogelijkheden en leidt sneller naar duurzaam werk dan een verdere werkervaring "
            "in TWE. De doorverwijzing gebeurde in overleg met de VDAB-bemiddelaar (e590+3); "
            "het traject is daarom gestopt met als reden doorverwijzing.",
            "Opvolging door de VDAB-bemiddelaar tijdens de opleiding en de IBO. Werkplekken "
            "zonder zwaar tilwerk blijven aangewezen (geen lasten boven 10 kg). Een nieuwe "
            "werkervaring in TWE is niet nodig zolang de opleiding goed verloopt.",
        ),
        finish=CLOSED,
    ),
}  # fmt: skip


# --- Building ------------------------------------------------------------------------------


def _workday(day: datetime.date) -> datetime.date:
    """The day itself, or the Monday after a weekend."""
    return day + datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() > 4 else 0)


class _Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.today = ctx.today
        self.by_id: dict[int, User] = {user.pk: user for user in ctx.users.values()}
        self.codes = {c.code: c for c in IcfCode.objects.all()}

    def fresh(self, pk: int) -> Trajectory:
        """The trajectory as stored now (each write bumps its version)."""
        return Trajectory.objects.select_related("client").get(pk=pk)

    def coach_on(self, trajectory: Trajectory, on: datetime.date) -> User:
        return self.by_id[lead_coach_id_on(trajectory, on)]

    def past(self, day: datetime.date) -> datetime.date:
        assert day <= self.today, day
        return day

    def rate(self, trajectory: Trajectory, rate: Rate, on: datetime.date) -> None:
        assert trajectory.start <= on, (trajectory, rate)
        by = self.coach_on(trajectory, on)
        reports.icf_rate(
            trajectory,
            code=self.codes[rate.code],
            first=rate.first,
            second=rate.second,
            facilitator=rate.plus,
            source=rate.source,
            rated_on=self.past(on),
            note=rate.note,
            may_rate_health=may_read_protected(trajectory.client, by),
            by=by,
        )

    # Running trajectories ------------------------------------------------------------------

    def profile(self, trajectory: Trajectory, ratings: tuple[Rate, ...]) -> None:
        held = list(
            Evaluation.objects.filter(trajectory=trajectory, status=EvaluationStatus.COMPLETED)
            .order_by("held_on", "pk")
            .values_list("held_on", flat=True)
        )
        assert held, trajectory
        for rate in ratings:
            self.rate(trajectory, rate, held[rate.at])

    # Endings -------------------------------------------------------------------------------

    def end(self, trajectory: Trajectory, ending: Ending) -> None:
        last = reports.last_day(trajectory)
        for rate in ending.ratings:
            self.rate(self.fresh(trajectory.pk), rate, last - datetime.timedelta(days=rate.at))
        coach = self.by_id[trajectory.coach_id]
        outflow_on = self.outflow(trajectory.pk, ending.outflow, last, coach)
        for contact in ending.aftercare:
            self.aftercare(trajectory.pk, contact, outflow_on, coach)
        for follow in ending.followups:
            reports.followup_record(
                self.fresh(trajectory.pk),
                months=follow.months,
                measured_on=self.past(_workday(last + datetime.timedelta(days=follow.after))),
                at_work=follow.at_work,
                same_employer=follow.same_employer,
                regime=None if follow.regime is None else Decimal(follow.regime),
                notes=follow.notes,
                by=coach,
            )
        if ending.report is not None:
            self.report(trajectory.pk, ending, coach)

    def outflow(self, pk: int, out: Out, last: datetime.date, coach: User) -> datetime.date:
        trajectory = self.fresh(pk)
        on = _workday(last + datetime.timedelta(days=out.after))
        reports.outflow_record(
            trajectory,
            data={
                "on": self.past(on),
                "kind": out.kind,
                "employer": Employer.objects.get(name=out.employer) if out.employer else None,
                "contract_type": out.contract,
                "regime": None if out.regime is None else Decimal(out.regime),
                "details": out.details,
            },
            expected_version=trajectory.version,
            by=coach,
        )
        return on

    def aftercare(self, pk: int, contact: Contact, outflow_on: datetime.date, by: User) -> None:
        if not contact.notes:  # planned ahead
            reports.aftercare_plan(
                self.fresh(pk),
                kind=contact.kind,
                planned_on=self.today + datetime.timedelta(days=contact.after),
                with_mentor=contact.with_mentor,
                by=by,
            )
            return
        on = self.past(_workday(outflow_on + datetime.timedelta(days=contact.after)))
        planned = reports.aftercare_plan(
            self.fresh(pk), kind=contact.kind, planned_on=on, with_mentor=contact.with_mentor, by=by
        )
        reports.aftercare_record(
            planned, held_on=on, with_mentor=contact.with_mentor, notes=contact.notes, by=by
        )

    def report(self, pk: int, ending: Ending, coach: User) -> None:
        texts = ending.report
        assert texts is not None
        report = reports.end_report_draft(self.fresh(pk), by=coach)
        report = reports.end_report_update(
            report,
            data={
                "summary": f"{report.summary}\n{texts.summary}",
                "competences_reached": texts.competences,
                "motivation": texts.motivation,
                "recommendation": texts.recommendation,
            },
            expected_version=report.version,
            by=coach,
        )
        if ending.finish == DRAFT:
            return
        reports.end_report_finalise(report, expected_version=report.version, by=coach)
        if ending.finish == CLOSED:
            trajectory = self.fresh(pk)
            reports.trajectory_close(trajectory, expected_version=trajectory.version, by=coach)
        elif ending.finish == AMENDED:  # a new version starts from the final one's texts
            amended: EndReport = reports.end_report_draft(self.fresh(pk), by=coach)
            reports.end_report_update(
                amended,
                data={
                    "summary": amended.summary,
                    "competences_reached": amended.competences_reached,
                    "motivation": amended.motivation,
                    "recommendation": f"{amended.recommendation}\n\n{ending.amendment}",
                },
                expected_version=amended.version,
                by=coach,
            )


def load_endings(ctx: DemoContext) -> None:
    """ICF profiles on running trajectories and the endings of stopped ones (module doc)."""
    builder = _Builder(ctx)
    trajectories = {
        (t.client.first_name, t.client.last_name): t
        for t in Trajectory.objects.select_related("client").prefetch_related("handovers")
    }
    for name, ratings in PROFILES.items():
        trajectory = trajectories[name]
        assert trajectory.status != Status.STOPPED, name
        builder.profile(trajectory, ratings)
    for name, ending in ENDINGS.items():
        trajectory = trajectories[name]
        assert trajectory.status == Status.STOPPED, name
        builder.end(trajectory, ending)
