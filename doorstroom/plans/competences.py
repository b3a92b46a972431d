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
