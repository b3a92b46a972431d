"""The kennisbank's starter documents (seed 001), written by us and generated as DOCX here.

Four documents a Flemish OCMW can use from day one: a cooperation agreement for a work
experience (a template with merge fields for the employer and the organisation), an intake
checklist, an evaluation guide and a 360° feedback invitation letter (a template with merge
fields for the client and the respondent). ``load_library_starters`` stores them, shared with
every organisation; the texts are Dutch because the documents are.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from docx import Document as DocxDocument
from docx.document import Document as DocxFile
from docx.shared import Pt

from doorstroom.library.models import Category

Builder = Callable[[DocxFile], None]


@dataclass(frozen=True)
class Starter:
    key: str
    title: str
    description: str
    category: Category
    tags: str
    filename: str
    build: Builder


def _new() -> DocxFile:
    document = DocxDocument()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    return document


def _bullets(document: DocxFile, items: list[str]) -> None:
    for item in items:
        document.add_paragraph(item, style="List Bullet")


def _checklist(document: DocxFile, items: list[str]) -> None:
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text, header[2].text = "Besproken", "Onderwerp", "Notities"
    for item in items:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = "☐", item, ""


# --- Samenwerkingsovereenkomst werkervaring (template) -----------------------------------

AGREEMENT_ARTICLES = [
    (
        "Artikel 1 – Voorwerp",
        "Deze overeenkomst regelt de samenwerking tussen de organisatie en de werkgever voor "
        "het aanbieden van werkervaringsplaatsen binnen Tijdelijke WerkErvaring (TWE). De "
        "werkgever biedt cliënten van de organisatie een leerrijke werkplek aan, zodat zij "
        "werkervaring opdoen en competenties versterken met het oog op doorstroom naar een job "
        "in het normaal economisch circuit.",
    ),
    (
        "Artikel 2 – Engagementen van de werkgever",
        "De werkgever duidt voor elke cliënt een werkplekbegeleider (mentor) aan die de cliënt "
        "op de werkvloer opvolgt, geeft de cliënt taken die passen bij het afgesproken "
        "jobprofiel, neemt deel aan de evaluaties en meldt afwezigheden, problemen en "
        "ongevallen onmiddellijk aan de trajectbegeleider. De werkgever engageert zich om de "
        "cliënt actief te ondersteunen bij de doorstroom naar een reguliere job, bij voorkeur "
        "binnen de eigen onderneming.",
    ),
    (
        "Artikel 3 – Engagementen van de organisatie",
        "De organisatie selecteert en bereidt de cliënt voor, stelt samen met de cliënt een "
        "persoonlijk ontwikkelingsplan (POP) op, begeleidt de cliënt tijdens het traject, "
        "plant de evaluaties en is het aanspreekpunt voor de werkgever en de mentor.",
    ),
    (
        "Artikel 4 – Werkplek en arbeidsvoorwaarden",
        "De werkplek, het uurrooster en het regime worden per cliënt vastgelegd in een "
        "afzonderlijke werkplekovereenkomst. De werkgever zorgt voor een veilige werkplek, "
        "de nodige persoonlijke beschermingsmiddelen en een onthaal op de werkvloer, en "
        "voert waar nodig een werkpostfiche en een gezondheidsbeoordeling uit.",
    ),
    (
        "Artikel 5 – Evaluatie en opvolging",
        "Na elke fase en minstens elke zes maanden vindt een evaluatie plaats met de cliënt, "
        "de mentor en de trajectbegeleider. Na elke evaluatie wordt het POP bijgewerkt.",
    ),
    (
        "Artikel 6 – Vertrouwelijkheid en privacy",
        "Beide partijen gaan vertrouwelijk om met alle informatie over de cliënt en verwerken "
        "persoonsgegevens enkel voor de uitvoering van deze overeenkomst, volgens de Algemene "
        "Verordening Gegevensbescherming (AVG).",
    ),
    (
        "Artikel 7 – Duur en beëindiging",
        "Deze overeenkomst geldt voor onbepaalde duur vanaf de datum van ondertekening. Elke "
        "partij kan ze schriftelijk opzeggen met een opzegtermijn van één maand; lopende "
        "werkervaringen worden in onderling overleg afgerond.",
    ),
]


def _agreement(document: DocxFile) -> None:
    document.add_heading("Samenwerkingsovereenkomst werkervaring", level=0)
    document.add_paragraph("Tussen")
    document.add_paragraph(
        "{{ organisation_name }}, {{ organisation_address }}, hierna ‘de organisatie’, "
        "vertegenwoordigd door {{ coach_name }}, trajectbegeleider,"
    )
    document.add_paragraph("en")
    document.add_paragraph(
        "{{ employer_name }}, {{ employer_address }}, ondernemingsnummer "
        "{{ employer_enterprise_number }}, hierna ‘de werkgever’,"
    )
    document.add_paragraph("wordt het volgende overeengekomen.")
    for heading, text in AGREEMENT_ARTICLES:
        document.add_heading(heading, level=2)
        document.add_paragraph(text)
    document.add_heading("Werkplek bij de start", level=2)
    document.add_paragraph(
        "Eerste werkplek: {{ workplace }} ({{ workplace_address }}), mentor {{ mentor_name }}, "
        "vanaf {{ placement_start }}."
    )
    document.add_paragraph("Opgemaakt in twee exemplaren op {{ today }}.")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text = "Voor de organisatie"
    table.rows[0].cells[1].text = "Voor de werkgever"
    table.rows[1].cells[0].text = "{{ coach_name }}\n\n(handtekening)"
    table.rows[1].cells[1].text = "Naam:\n\n(handtekening)"


# --- Intake checklist (werkinstrument) --------------------------------------------------


def _intake(document: DocxFile) -> None:
    document.add_heading("Checklist intake werkervaring", level=0)
    document.add_paragraph(
        "Gebruik deze checklist tijdens het intakegesprek, bij voorkeur samen met de "
        "maatschappelijk assistent of de VDAB-bemiddelaar die de cliënt doorverwijst (warme "
        "overdracht). Ze volgt het gedeelde kader voor de inschatting: sterktes, drempels, "
        "randvoorwaarden, werkervaring, leerpotentieel en jobdoelwitten."
    )
    sections = {
        "1. Warm onthaal": [
            "Kennismaking: wie is de trajectbegeleider, wat kan de cliënt verwachten?",
            "Uitleg over TWE: werkervaring, begeleiding, evaluaties, duur van het traject",
            "Privacy: welke gegevens we bijhouden en met wie we ze delen (toestemming)",
        ],
        "2. Werkgerelateerde sterktes": [
            "Wat doet de cliënt graag, waar is hij of zij goed in?",
            "Attitudes: stiptheid, betrouwbaarheid, samenwerken, omgaan met feedback",
        ],
        "3. Drempels": [
            "Medisch en psychisch (enkel wat nodig is; gevoelige info in het beschermde deel)",
            "Taal: niveau Nederlands, andere talen",
            "Mobiliteit: rijbewijs, eigen vervoer, openbaar vervoer",
            "Kinderopvang en mantelzorg",
            "Huisvesting, schulden, justitiële situatie",
        ],
        "4. Randvoorwaarden": [
            "Kan de cliënt minstens halftijds werken?",
            "Inkomen (leefloon, uitkering) en gevolgen van tewerkstelling",
            "Inschrijving bij VDAB",
        ],
        "5. Werkervaring en leerpotentieel": [
            "(Recente) werkervaring, stages, vrijwilligerswerk",
            "Opleidingen en attesten",
            "Leerpotentieel: hoe leert de cliënt het best?",
        ],
        "6. Jobdoelwitten en afspraken": [
            "Eén of meer jobdoelwitten (beroepen) met de motivatie van de cliënt",
            "Voorstel van werkplek of proeftuin (jobproeven, beroepsverkennende stage)",
            "Volgende afspraak en wie wat doet",
        ],
    }
    for heading, items in sections.items():
        document.add_heading(heading, level=2)
        _checklist(document, items)
    document.add_heading("Besluit", level=2)
    document.add_paragraph(
        "Noteer de instroommotivatie: waarom is werkervaring voor deze cliënt de juiste stap? "
        "Is TWE niet aangewezen, noteer dan de alternatieve route (sociale economie, IBO, "
        "stage, rechtstreekse bemiddeling, …)."
    )


# --- Evaluatiegids (procedure) ----------------------------------------------------------


def _evaluation(document: DocxFile) -> None:
    document.add_heading("Evaluatiegids werkervaring", level=0)
    document.add_paragraph(
        "Deze gids helpt trajectbegeleiders om evaluaties op dezelfde manier voor te bereiden, "
        "te voeren en op te volgen. Een goede evaluatie kijkt vooruit: wat heeft de cliënt "
        "geleerd, wat is de volgende stap naar werk?"
    )
    document.add_heading("Wanneer evalueren?", level=1)
    _bullets(
        document,
        [
            "Na de fase joboriëntering op de werkvloer (uiterlijk na één maand).",
            "Na elke volgende fase en minstens elke zes maanden.",
            "Bij het einde van een werkplek of bij jobrotatie.",
            "Wanneer de groei op de werkplek stilvalt of er problemen zijn.",
        ],
    )
    document.add_heading("Voorbereiding", level=1)
    _bullets(
        document,
        [
            "Plan de evaluatie minstens twee weken vooraf met de cliënt en de mentor.",
            "Vraag de mentor om de werkplekevaluatie in te vullen (beveiligde link).",
            "Laat de cliënt een zelfevaluatie maken; overweeg 360°-feedback uit het netwerk.",
            "Neem het actuele POP erbij: doelen, competenties en afgesproken acties.",
        ],
    )
    document.add_heading("Het gesprek", level=1)
    _bullets(
        document,
        [
            "Begin bij wat goed loopt: concrete voorbeelden van de werkvloer.",
            "Bespreek per competentie het huidige niveau en het doelniveau, zoals de coach, de "
            "mentor en de cliënt het zien.",
            "Benoem verschillen tussen de bronnen en zoek samen naar de reden.",
            "Bespreek drempels die het werk beïnvloeden, met respect voor de privacy.",
            "Spreek concrete acties af: wie doet wat, tegen wanneer?",
        ],
    )
    document.add_heading("Na de evaluatie", level=1)
    _bullets(
        document,
        [
            "Werk het POP bij: na elke evaluatie verplicht.",
            "Noteer de conclusies en volgende stappen in het dossier.",
            "Bekijk of jobrotatie of een instrument (opleiding, IBO, stage) zinvol is.",
            "Plan de volgende evaluatie.",
        ],
    )
    document.add_heading("Tips", level=1)
    document.add_paragraph(
        "Spreek de taal van de cliënt, vermijd jargon en laat de cliënt zelf verwoorden wat "
        "hij of zij geleerd heeft. Een evaluatie is geen examen maar een stap in het traject."
    )


# --- Uitnodiging 360°-feedback (template) -----------------------------------------------


def _invitation(document: DocxFile) -> None:
    document.add_paragraph("{{ organisation_name }}\n{{ organisation_address }}")
    document.add_paragraph("{{ organisation_address }}, {{ today }}")
    document.add_paragraph("Beste {{ respondent_name }},")
    document.add_paragraph(
        "{{ client_name }} volgt bij {{ organisation_name }} een traject werkervaring. Om "
        "goed in beeld te brengen waar {{ client_first_name }} sterk in is en waarin "
        "{{ client_first_name }} nog kan groeien, vragen we feedback aan mensen die "
        "{{ client_first_name }} goed kennen. {{ client_first_name }} heeft u daarvoor zelf "
        "voorgesteld."
    )
    document.add_paragraph(
        "We vragen u om een korte vragenlijst in te vullen over enkele competenties, zoals "
        "samenwerken, afspraken nakomen en omgaan met feedback. Dat duurt ongeveer tien "
        "minuten. U ontvangt daarvoor een persoonlijke link per e-mail; die link is beperkt "
        "geldig en enkel voor u bestemd."
    )
    document.add_paragraph(
        "Uw antwoorden worden vertrouwelijk behandeld. Ze worden samen met de antwoorden van "
        "anderen besproken met {{ client_first_name }} en de trajectbegeleider, met als enig "
        "doel {{ client_first_name }} te helpen op weg naar werk. Meedoen is vrijwillig."
    )
    document.add_paragraph(
        "Hebt u vragen? Neem gerust contact op met {{ coach_name }} ({{ coach_email }})."
    )
    document.add_paragraph("Alvast hartelijk dank voor uw medewerking.")
    document.add_paragraph("Met vriendelijke groeten,\n\n{{ coach_name }}\nTrajectbegeleider")


STARTERS = (
    Starter(
        key="samenwerkingsovereenkomst",
        title="Samenwerkingsovereenkomst werkervaring",
        description=(
            "Sjabloon voor de samenwerkingsovereenkomst met een werkgever die "
            "werkervaringsplaatsen aanbiedt, met het engagement van de werkgever om de cliënt "
            "te laten doorstromen naar werk. Vul het in vanuit een dossier: de gegevens van "
            "de werkgever (van de gekozen werkplek) en van de organisatie worden ingevuld."
        ),
        category=Category.TEMPLATE,
        tags="contract, werkgever, samenwerking",
        filename="samenwerkingsovereenkomst-werkervaring.docx",
        build=_agreement,
    ),
    Starter(
        key="intake-checklist",
        title="Checklist intake werkervaring",
        description=(
            "Checklist voor het intakegesprek volgens het gedeelde kader: warm onthaal, "
            "sterktes, drempels, randvoorwaarden, werkervaring, leerpotentieel en jobdoelwitten."
        ),
        category=Category.WORK_TOOL,
        tags="intake, checklist",
        filename="checklist-intake-werkervaring.docx",
        build=_intake,
    ),
    Starter(
        key="evaluatiegids",
        title="Evaluatiegids werkervaring",
        description=(
            "Hoe een evaluatie voorbereiden, voeren en opvolgen: met de mentor, de cliënt en "
            "eventueel 360°-feedback, en altijd een bijgewerkt POP achteraf."
        ),
        category=Category.PROCEDURE,
        tags="evaluatie, pop",
        filename="evaluatiegids-werkervaring.docx",
        build=_evaluation,
    ),
    Starter(
        key="uitnodiging-360",
        title="Uitnodigingsbrief 360°-feedback",
        description=(
            "Sjabloon voor de brief waarmee een respondent uit het netwerk van de cliënt "
            "uitgenodigd wordt voor 360°-feedback. Vul het in vanuit een dossier en geef de "
            "naam van de respondent op."
        ),
        category=Category.TEMPLATE,
        tags="360° feedback, brief",
        filename="uitnodiging-360-feedback.docx",
        build=_invitation,
    ),
)


def docx_bytes(starter: Starter) -> bytes:
    """Generate the starter's DOCX file."""
    document = _new()
    starter.build(document)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
