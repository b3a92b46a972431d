"""Importing employers and workplaces: the employers area's forms and services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from doorstroom.core.models import AuditEvent
from doorstroom.employers.models import Employer, EmployerContact, Workplace
from doorstroom.imports import services
from doorstroom.imports.models import ImportRun, ImportStatus
from tests.employers.builders import make_employer
from tests.imports.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

EMPLOYER_HEADERS = ["naam", "ondernemingsnummer", "soort", "sector", "postcode", "contactpersoon"]
WORKPLACE_HEADERS = ["werkgever", "functie", "fysieke belasting", "laagste regime", "gemeente"]


def check(lead: Any, kind: str, content: bytes) -> ImportRun:
    with translation.override("en"):
        return services.import_check(kind=kind, content=content, file_name="f.csv", by=lead)


def refused(run: ImportRun) -> dict[int, list[str]]:
    return {
        row["row"]: [f"{e['column']}: {e['message']}" for e in row["errors"]]
        for row in run.report
        if row["action"] == "refused"
    }


def test_employers_are_created_with_their_contact_person_by_the_service(lead: Any) -> None:
    rows = [
        ["De Linde", "0403.019.261", "nec", "green", "2440", "Tom Claes"],
        # Labels in Dutch or English are accepted for choices (the lead's language is English).
        [
            "Kringwinkel",
            "",
            "Leerwerkbedrijf / social economy",
            "Recycling and environment",
            "",
            "Els Mertens",
        ],
    ]
    dry = check(lead, "employers", xlsx_bytes(EMPLOYER_HEADERS, rows))
    assert dry.refused_count == 0, dry.report
    with translation.override("en"):
        done = services.import_run(dry, mode="all_or_nothing", by=lead)
    assert done.created_count == 2
    linde = Employer.objects.get(name="De Linde")
    assert (linde.enterprise_number, linde.organisation, linde.municipality.name_nl) == (
        "0403019261",
        lead.primary_organisation,
        "Geel",
    )
    assert EmployerContact.objects.get(employer=linde).name == "Tom Claes"  # R-PLC-2
    assert Employer.objects.get(name="Kringwinkel").kind == "leerwerkbedrijf"
    assert AuditEvent.objects.filter(action="employers.employer.created").count() == 2


def test_an_enterprise_number_twice_or_already_registered_is_refused(lead: Any) -> None:
    make_employer(lead, enterprise_number="0417497106")
    rows = [
        ["A", "0403.019.261", "nec", "green", "", "X"],
        ["B", "BE 0403 019 261", "nec", "green", "", "Y"],
        ["C", "0417.497.106", "nec", "green", "", "Z"],
        ["D", "0123.456.789", "nec", "green", "", "Z"],
        ["E", "", "nec", "green", "", ""],
    ]
    dry = check(lead, "employers", csv_bytes(EMPLOYER_HEADERS, rows))
    twice = "ondernemingsnummer: This value occurs more than once in the file (rows 2, 3)."
    assert refused(dry) == {
        2: [twice],
        3: [twice],
        4: [
            "ondernemingsnummer: Your organisation already registered an employer with this "
            "enterprise number."
        ],
        5: [
            "ondernemingsnummer: This is not a valid enterprise number "
            "(10 digits, e.g. 0403.019.261)."
        ],
        6: ["contactpersoon: This field is required."],
    }


def test_workplaces_are_created_for_an_employer_named_by_enterprise_number_or_name(
    lead: Any, outsider: Any
) -> None:
    make_employer(lead, name="De Linde", enterprise_number="0403019261")
    make_employer(outsider, name="Elders", enterprise_number="0417497106")
    rows = [
        ["0403.019.261", "Groenonderhoud", "lifting, outdoor", "50%", "Geel"],
        ["de linde", "Poetshulp", "", "", "2440"],
        ["0417.497.106", "Magazijn", "", "", ""],  # another organisation's employer
        ["De Linde", "Nachtploeg", "", "30%", ""],  # R-PLC-3: at least half-time
    ]
    dry = check(lead, "workplaces", csv_bytes(WORKPLACE_HEADERS, rows))
    assert refused(dry) == {
        4: ["werkgever: No employer of your organisation has this enterprise number or name."],
        5: [
            "laagste regime: A placement is at least half-time: the lowest regime is at least "
            "half of full time."
        ],
    }
    with translation.override("en"):
        done = services.import_run(dry, mode="skip_bad_rows", by=lead)
    assert (done.status, done.created_count) == (ImportStatus.IMPORTED, 2)
    green = Workplace.objects.get(title="Groenonderhoud")
    assert (green.demands, green.min_regime, green.last_reviewed, green.municipality.name_nl) == (
        ["lifting", "outdoor"],
        Decimal("0.50"),
        timezone.localdate(),
        "Geel",
    )
    assert Workplace.objects.get(title="Poetshulp").employer.name == "De Linde"
    assert AuditEvent.objects.filter(action="employers.workplace.created").count() == 2
