"""The curated ICF reference set shipped with every installation (data/icf_codes.csv, R-ICF-2)."""

from __future__ import annotations

import csv
from importlib import resources
from typing import Any


def load_codes(model: Any) -> int:
    """Create the curated codes that are missing; return how many were created."""
    created = 0
    path = resources.files("doorstroom.evaluations").joinpath("data/icf_codes.csv")
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            _, was_created = model.objects.get_or_create(
                code=row["code"],
                defaults={"title_nl": row["title_nl"], "title_en": row["title_en"]},
            )
            created += was_created
    return created
