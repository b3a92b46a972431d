"""The curated competence catalogue shipped with every installation (data/competences.csv).

The ESCO transversal skills (SOURCES.md) and a few VDAB soft skills and occupational ones, with
Dutch names and workfloor descriptions we wrote; the functional administrator extends it.
"""

from __future__ import annotations

import csv
from importlib import resources
from typing import Any


def curated_rows() -> list[dict[str, str]]:
    with (
        resources.files("doorstroom.plans")
        .joinpath("data/competences.csv")
        .open(encoding="utf-8") as handle
    ):
        return list(csv.DictReader(handle))


def load_curated(model: Any) -> int:
    """Create the curated competences that are missing; return how many were created."""
    created = 0
    for row in curated_rows():
        _, was_created = model.objects.get_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "name_nl": row["name_nl"],
                "name_en": row["name_en"],
                "description": row["description"],
            },
        )
        created += was_created
    return created


# The 4-level scale (seed 001 "competenties in beeld"): what each level looks like on the
# workfloor, written for coaches, mentors and clients alike (B1 Dutch).
SCALE_LEVELS: tuple[dict[str, Any], ...] = (
    {
        "level": 1,
        "label_nl": "Nog niet",
        "label_en": "Not yet",
        "descriptor_nl": "Lukt nog niet, ook niet met hulp. Iemand anders neemt het over of "
        "toont het telkens opnieuw.",
        "descriptor_en": "Does not manage yet, not even with help. Someone else takes over or "
        "shows it again every time.",
    },
    {
        "level": 2,
        "label_nl": "Met hulp",
        "label_en": "With help",
        "descriptor_nl": "Lukt als iemand erbij is, uitleg geeft of eraan herinnert. Zonder die "
        "steun loopt het soms mis.",
        "descriptor_en": "Manages when someone is there, explains or reminds. Without that "
        "support it sometimes goes wrong.",
    },
    {
        "level": 3,
        "label_nl": "Zelfstandig",
        "label_en": "Independently",
        "descriptor_nl": "Lukt zelfstandig in gewone situaties, zoals een collega op de "
        "werkvloer. Vraagt hulp als het nodig is.",
        "descriptor_en": "Manages independently in ordinary situations, like a colleague on the "
        "workfloor. Asks for help when needed.",
    },
    {
        "level": 4,
        "label_nl": "Voorbeeld voor anderen",
        "label_en": "Example for others",
        "descriptor_nl": "Lukt ook als het moeilijk of druk is, en kan het aan anderen tonen "
        "of uitleggen.",
        "descriptor_en": "Manages also when it is hard or busy, and can show or explain it to "
        "others.",
    },
)


def load_scale(model: Any) -> int:
    """Create the scale levels that are missing; return how many were created."""
    created = 0
    for row in SCALE_LEVELS:
        _, was_created = model.objects.get_or_create(level=row["level"], defaults=row)
        created += was_created
    return created
