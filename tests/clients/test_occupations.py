"""Occupations: the curated list every installation gets, and the import of ESCO downloads."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from doorstroom.clients.models import Occupation
from doorstroom.clients.occupations import (
    CURATED_CSV,
    RowError,
    import_esco,
    load_curated,
)
from doorstroom.core.esco import EscoFormatError
from doorstroom.core.models import AuditEvent

ESCO_HEADER = [
    "conceptType",
    "conceptUri",
    "iscoGroup",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "regulatedProfessionNote",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
    "code",
]
OCC = "http://data.europa.eu/esco/occupation/"


def esco_row(uri: str, isco: str, label: str, **fields: str) -> dict[str, str]:
    return {
        "conceptType": "Occupation",
        "conceptUri": OCC + uri,
        "iscoGroup": isco,
        "preferredLabel": label,
        "altLabels": "",
        "status": "released",
        "code": f"{isco}.1",
        **fields,
    }


def esco_file(tmp_path: Path, rows: list[dict[str, str]], name: str = "occupations_nl.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ESCO_HEADER, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


# The curated list -------------------------------------------------------------------------


def test_the_migration_loaded_the_curated_list(db: None) -> None:
    with CURATED_CSV.open(encoding="utf-8", newline="") as handle:
        shipped = list(csv.DictReader(handle))
    occupations = list(Occupation.objects.all())
    assert len(occupations) == len(shipped) >= 140
    assert all(o.isco_code.isdigit() and len(o.isco_code) == 4 for o in occupations)
    assert all(o.isco_code[0] != "0" for o in occupations)  # no armed forces
    assert all(o.name_en and o.is_active and not o.esco_uri for o in occupations)
    names = [o.name_nl.casefold() for o in occupations]
    assert len(set(names)) == len(names)
    magazijn = Occupation.objects.get(name_nl="Magazijnmedewerker")
    assert (magazijn.isco_code, magazijn.name_en) == ("9333", "Warehouse worker")
    assert Occupation.objects.get(name_nl="Heftruckchauffeur").isco_code == "8344"
    assert Occupation.objects.get(name_nl="Keukenhulp").isco_code == "9412"


def test_loading_the_curated_list_again_changes_nothing(db: None) -> None:
    count = Occupation.objects.count()
    assert load_curated(Occupation) == 0
    assert Occupation.objects.count() == count


def test_reloading_repairs_codes_but_keeps_the_administrators_choices(db: None) -> None:
    Occupation.objects.filter(name_nl="Inpakker").update(isco_code="9999", is_active=False)
    Occupation.objects.filter(name_nl="Kok").update(isco_code="3434", esco_uri=OCC + "x")
    Occupation.objects.filter(name_nl="Lasser").delete()
    assert load_curated(Occupation) == 2
    inpakker = Occupation.objects.get(name_nl="Inpakker")
    assert (inpakker.isco_code, inpakker.is_active) == ("9321", False)
    assert Occupation.objects.get(name_nl="Kok").isco_code == "3434"  # linked: ESCO's code
    assert Occupation.objects.filter(name_nl="Lasser").exists()


def test_the_load_command_reports_what_it_wrote(db: None) -> None:
    Occupation.objects.filter(name_nl="Kok").delete()
    out = StringIO()
    call_command("load_occupations", stdout=out)
    assert out.getvalue().strip() == "1 occupations added or updated."


# Importing ESCO ---------------------------------------------------------------------------


def test_an_unknown_occupation_is_created_with_its_uri(db: None, tmp_path: Path) -> None:
    path = esco_file(tmp_path, [esco_row("a1", "9629", "pakjessorteerder")])
    result = import_esco(path)
    assert (result.created, result.updated, result.skipped, result.errors) == (1, 0, 0, [])
    created = Occupation.objects.get(esco_uri=OCC + "a1")
    assert (created.name_nl, created.isco_code, created.is_active) == (
        "Pakjessorteerder",
        "9629",
        True,
    )


def test_a_curated_occupation_gets_its_uri_by_name_regardless_of_case(
    db: None, tmp_path: Path
) -> None:
    count = Occupation.objects.count()
    path = esco_file(tmp_path, [esco_row("b2", "9333", "MAGAZIJNMEDEWERKER")])
    result = import_esco(path)
    assert (result.created, result.updated) == (0, 1)
    assert Occupation.objects.count() == count
    magazijn = Occupation.objects.get(esco_uri=OCC + "b2")
    assert magazijn.name_nl == "Magazijnmedewerker"  # our spelling stays


def test_a_linked_occupation_follows_esco_by_uri(db: None, tmp_path: Path) -> None:
    import_esco(esco_file(tmp_path, [esco_row("c3", "9629", "fietsenhersteller")]))
    result = import_esco(esco_file(tmp_path, [esco_row("c3", "7234", "fietstechnicus")]))
    assert (result.created, result.updated) == (0, 1)
    linked = Occupation.objects.get(esco_uri=OCC + "c3")
    assert (linked.name_nl, linked.isco_code) == ("Fietstechnicus", "7234")
    assert not Occupation.objects.filter(name_nl="Fietsenhersteller").exists()
    again = import_esco(esco_file(tmp_path, [esco_row("c3", "7234", "fietstechnicus")]))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_groups_skills_and_rows_without_a_unit_group_are_skipped(db: None, tmp_path: Path) -> None:
    count = Occupation.objects.count()
    rows = [
        esco_row("d1", "93", "arbeiders", conceptType="ISCOGroup"),
        esco_row("d2", "9333", "heftruck besturen", conceptType="KnowledgeSkillCompetence"),
        esco_row("d3", "", "zonder groep"),
        esco_row("d4", "933", "drie cijfers"),
        esco_row("d5", "9333", "oud beroep", status="obsolete"),
    ]
    result = import_esco(esco_file(tmp_path, rows))
    assert (result.created, result.updated, result.skipped, result.errors) == (0, 0, 5, [])
    assert Occupation.objects.count() == count


def test_a_faulty_row_is_reported_by_its_row_number_and_left_out(db: None, tmp_path: Path) -> None:
    rows = [
        esco_row("e1", "9629", "straatmuzikant", altLabels="muzikant\nstraatzanger"),
        esco_row("e2", "9629", ""),
        esco_row("e3", "9629", "x" * 201),
        esco_row("e4", "9629", "bezorger"),
    ]
    result = import_esco(esco_file(tmp_path, rows))
    assert result.created == 2
    assert [e.row for e in result.errors] == [3, 4]  # the header is row 1
    assert result.errors[0] == RowError(3, "the preferred label is empty")
    assert "longer than 200" in result.errors[1].reason


def test_a_name_taken_by_another_esco_occupation_is_an_error(db: None, tmp_path: Path) -> None:
    import_esco(esco_file(tmp_path, [esco_row("f1", "9112", "schoonmaker")]))
    result = import_esco(esco_file(tmp_path, [esco_row("f2", "9112", "Schoonmaker")]))
    assert result.created == 0
    assert result.errors == [RowError(2, "“Schoonmaker” is linked to another ESCO occupation")]
    renamed = import_esco(esco_file(tmp_path, [esco_row("f1", "9112", "kok")]))
    assert renamed.errors == [RowError(2, "another occupation is already called “Kok”")]
    assert Occupation.objects.get(esco_uri=OCC + "f1").name_nl == "Schoonmaker"


def test_a_dry_run_saves_nothing_but_counts_everything(db: None, tmp_path: Path) -> None:
    before = list(Occupation.objects.values_list("name_nl", "isco_code", "esco_uri"))
    rows = [esco_row("g1", "9629", "pakjessorteerder"), esco_row("g2", "9112", "schoonmaker")]
    result = import_esco(esco_file(tmp_path, rows), dry_run=True)
    assert (result.created, result.updated, result.dry_run) == (1, 1, True)
    assert list(Occupation.objects.values_list("name_nl", "isco_code", "esco_uri")) == before


def test_the_english_file_fills_the_english_names(db: None, tmp_path: Path) -> None:
    dutch = esco_file(tmp_path, [esco_row("h1", "9629", "pakjessorteerder")])
    english = esco_file(tmp_path, [esco_row("h1", "9629", "parcel sorter")], "occupations_en.csv")
    import_esco(dutch, english=english)
    assert Occupation.objects.get(esco_uri=OCC + "h1").name_en == "parcel sorter"
    # read on its own, an English file only names occupations already linked to ESCO
    other = esco_file(
        tmp_path,
        [esco_row("h1", "9629", "parcel handler"), esco_row("h9", "9629", "unknown")],
        "occupations_en.csv",
    )
    result = import_esco(other, language="en")
    assert (result.created, result.updated, result.skipped) == (0, 1, 1)
    assert Occupation.objects.get(esco_uri=OCC + "h1").name_en == "parcel handler"


def test_a_file_without_the_esco_columns_is_refused(db: None, tmp_path: Path) -> None:
    path = tmp_path / "beroepen.csv"
    path.write_text("code,naam\n9333,magazijnmedewerker\n", encoding="utf-8")
    with pytest.raises(EscoFormatError) as caught:
        import_esco(path)
    assert caught.value.missing == ["conceptType", "conceptUri", "iscoGroup", "preferredLabel"]
    with pytest.raises(CommandError, match="is not an ESCO occupations file: the columns"):
        call_command("import_esco_occupations", str(path))


def test_a_missing_file_is_a_clear_command_error(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Cannot read .*occupations_nl\.csv"):
        call_command("import_esco_occupations", str(tmp_path / "occupations_nl.csv"))


def test_the_import_command_prints_a_summary_and_the_errors(db: None, tmp_path: Path) -> None:
    dutch = esco_file(
        tmp_path,
        [
            esco_row("k1", "9629", "pakjessorteerder"),
            esco_row("k2", "9321", "inpakker"),
            esco_row("k3", "93", "groep", conceptType="ISCOGroup"),
            esco_row("k4", "9629", ""),
        ],
    )
    english = esco_file(tmp_path, [esco_row("k1", "9629", "parcel sorter")], "occupations_en.csv")
    out, err = StringIO(), StringIO()
    call_command(
        "import_esco_occupations", str(dutch), "--english", str(english), stdout=out, stderr=err
    )
    assert out.getvalue().strip() == (
        "1 created, 1 updated, 0 unchanged, 1 skipped, 1 with an error."
    )
    assert err.getvalue().strip() == "Row 5: the preferred label is empty"
    assert Occupation.objects.get(esco_uri=OCC + "k1").name_en == "parcel sorter"


def test_the_import_command_dry_run_says_nothing_was_saved(db: None, tmp_path: Path) -> None:
    path = esco_file(tmp_path, [esco_row("m1", "9629", "pakjessorteerder")])
    out = StringIO()
    call_command("import_esco_occupations", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 created, 0 updated, 0 unchanged, 0 skipped, 0 with an error.",
        "Dry run: nothing was saved.",
    ]
    assert not Occupation.objects.filter(esco_uri=OCC + "m1").exists()


# Administration ---------------------------------------------------------------------------


def test_the_administrator_edits_occupations_and_the_change_is_audited(
    client: Client, functional_admin
) -> None:
    client.force_login(functional_admin)
    listing = client.get(reverse("admin:clients_occupation_changelist"), {"q": "heftruck"})
    assert "Heftruckchauffeur" in listing.content.decode()
    occupation = Occupation.objects.get(name_nl="Heftruckchauffeur")
    url = reverse("admin:clients_occupation_change", args=[occupation.pk])
    form = {"name_nl": "Heftruckchauffeur", "name_en": "Forklift driver", "esco_uri": ""}
    refused = client.post(url, {**form, "isco_code": "834", "is_active": "on"})
    assert refused.status_code == 200
    response = client.post(url, {**form, "isco_code": "8344"})
    assert response.status_code == 302
    occupation.refresh_from_db()
    assert not occupation.is_active
    assert AuditEvent.objects.filter(action="clients.occupation.changed").exists()
