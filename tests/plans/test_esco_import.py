"""The competence catalogue imports ESCO skill files (issue #6)."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from doorstroom.core.esco import EscoFormatError
from doorstroom.plans.esco import (
    SKIP_NAME_TAKEN,
    SKIP_NOT_A_SKILL,
    SKIP_NOT_LINKED,
    SKIP_NOT_RELEASED,
    SKIP_REUSE_LEVEL,
    ImportResult,
    RowIssue,
    import_esco_skills,
)
from doorstroom.plans.models import Competence, CompetenceKind

ESCO_HEADER = [
    "conceptType",
    "conceptUri",
    "skillType",
    "reuseLevel",
    "preferredLabel",
    "altLabels",
    "hiddenLabels",
    "status",
    "modifiedDate",
    "scopeNote",
    "definition",
    "inScheme",
    "description",
]
SKILL = "http://data.europa.eu/esco/skill/"
# ESCO URIs end in a UUID; the code of a new competence takes its first eight characters
WERKPLAN = "0a1b2c3d-5e6f-4a1b-9c2d-3e4f5a6b7c8d"
ETIKETTEN = "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f"
VERANDERING = "c8f1e7a2-1d3b-4b6a-9e0f-2a4c6e8b0d1f"


def skill(uuid: str, label: str, reuse: str = "transversal", **fields: str) -> dict[str, str]:
    return {
        "conceptType": "KnowledgeSkillCompetence",
        "conceptUri": SKILL + uuid,
        "skillType": "skill/competence",
        "reuseLevel": reuse,
        "preferredLabel": label,
        "altLabels": "",
        "status": "released",
        "modifiedDate": "2023-11-30T12:00:00Z",
        "inScheme": "http://data.europa.eu/esco/concept-scheme/skills",
        **fields,
    }


def esco_file(
    tmp_path: Path,
    rows: list[dict[str, str]],
    name: str = "skills_nl.csv",
    *,
    header: list[str] = ESCO_HEADER,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=header, delimiter=delimiter, restval="", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def counts(result: ImportResult) -> tuple[int, int, int, int, int]:
    """(created, updated, unchanged, skipped, errors)"""
    skipped, errors = len(result.skipped), len(result.errors)
    return (result.created, result.updated, result.unchanged, skipped, errors)


def catalogue() -> list[tuple[str, ...]]:
    return list(
        Competence.objects.order_by("code").values_list(
            "code", "name_nl", "name_en", "kind", "description", "esco_uri"
        )
    )


@pytest.fixture
def linked_curated(db: None) -> Competence:
    """A curated competence an administrator linked to ESCO (curated ones ship without a URI)."""
    competence = Competence.objects.get(code="adapt-to-change")
    competence.esco_uri = SKILL + VERANDERING
    competence.save(update_fields=["esco_uri"])
    return competence


# Importing a Dutch file ---------------------------------------------------------------------


def test_a_dutch_file_creates_the_missing_skills(db: None, tmp_path: Path) -> None:
    rows = [
        skill(WERKPLAN, "werkplan volgen", description="Werkt volgens het plan van de dag."),
        skill(ETIKETTEN, "etiketten aanbrengen", "occupation-specific", definition="Kleeft."),
    ]
    result = import_esco_skills(esco_file(tmp_path, rows))
    assert counts(result) == (2, 0, 0, 0, 0)
    werkplan = Competence.objects.get(esco_uri=SKILL + WERKPLAN)
    assert (werkplan.code, werkplan.name_nl, werkplan.name_en, werkplan.kind) == (
        "werkplan-volgen-0a1b2c3d",
        "Werkplan volgen",
        "",
        CompetenceKind.TRANSVERSAL,
    )
    assert (werkplan.description, werkplan.is_active, werkplan.occupation) == (
        "Werkt volgens het plan van de dag.",
        True,
        None,
    )
    etiketten = Competence.objects.get(esco_uri=SKILL + ETIKETTEN)
    assert (etiketten.code, etiketten.kind, etiketten.description) == (
        "etiketten-aanbrengen-9f8e7d6c",
        CompetenceKind.OCCUPATIONAL,
        "Kleeft.",  # no description: ESCO's definition
    )


@pytest.mark.parametrize(
    ("reuse", "kind"),
    [
        ("transversal", CompetenceKind.TRANSVERSAL),
        ("cross-sector", CompetenceKind.OCCUPATIONAL),
        ("sector-specific", CompetenceKind.OCCUPATIONAL),
        ("occupation-specific", CompetenceKind.OCCUPATIONAL),
        ("http://data.europa.eu/esco/skill-reuse-level/transversal", CompetenceKind.TRANSVERSAL),
        ("", CompetenceKind.OCCUPATIONAL),
    ],
)
def test_the_reuse_level_gives_the_kind(db: None, tmp_path: Path, reuse: str, kind: str) -> None:
    import_esco_skills(esco_file(tmp_path, [skill(WERKPLAN, "werkplan volgen", reuse)]))
    assert Competence.objects.get(esco_uri=SKILL + WERKPLAN).kind == kind


def test_codes_are_slugs_of_at_most_60_characters_and_unique(db: None, tmp_path: Path) -> None:
    Competence.objects.create(
        code="werkplan-volgen-0a1b2c3d", name_nl="Iets anders", kind=CompetenceKind.SOFT_SKILL
    )
    long_label = "veilig en hygiënisch werken in een grootkeuken " * 4
    rows = [skill(WERKPLAN, "werkplan volgen"), skill(ETIKETTEN, long_label.strip())]
    import_esco_skills(esco_file(tmp_path, rows))
    assert Competence.objects.get(esco_uri=SKILL + WERKPLAN).code == "werkplan-volgen-0a1b2c3d5"
    long_code = Competence.objects.get(esco_uri=SKILL + ETIKETTEN).code
    assert len(long_code) <= 60
    assert long_code.startswith("veilig-en-hygienisch-werken-in-een-grootkeuken-")
    assert long_code.endswith("-9f8e7d6c")


def test_a_bom_semicolons_and_odd_columns_are_read(db: None, tmp_path: Path) -> None:
    """Excel saves ';'-separated UTF-8 with a BOM; missing and unknown columns do no harm."""
    header = ["conceptUri", "preferredLabel", "reuseLevel", "description", "extra"]
    rows = [skill(WERKPLAN, "werkplan volgen", description="Eén; twee.", extra="x")]
    path = esco_file(tmp_path, rows, header=header, delimiter=";", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfconceptUri;")
    result = import_esco_skills(path)
    assert counts(result) == (1, 0, 0, 0, 0)
    assert Competence.objects.get(esco_uri=SKILL + WERKPLAN).description == "Eén; twee."


def test_other_concepts_obsolete_skills_and_unselected_levels_are_skipped(
    db: None, tmp_path: Path
) -> None:
    before = catalogue()
    rows = [
        skill(WERKPLAN, "ICT-vaardigheden", conceptType="SkillGroup"),
        skill(ETIKETTEN, "oude vaardigheid", status="obsolete"),
        skill(VERANDERING, "lassen", "sector-specific"),
    ]
    result = import_esco_skills(esco_file(tmp_path, rows), reuse_levels=["transversal"])
    assert counts(result) == (0, 0, 0, 3, 0)
    assert result.skipped == [
        RowIssue(2, SKIP_NOT_A_SKILL),
        RowIssue(3, SKIP_NOT_RELEASED),
        RowIssue(4, SKIP_REUSE_LEVEL),
    ]
    assert catalogue() == before


def test_the_filter_keeps_the_levels_asked_for(db: None, tmp_path: Path) -> None:
    rows = [
        skill(WERKPLAN, "werkplan volgen", "transversal"),
        skill(ETIKETTEN, "etiketten aanbrengen", "occupation-specific"),
        skill(VERANDERING, "lassen", "sector-specific"),
    ]
    result = import_esco_skills(
        esco_file(tmp_path, rows), reuse_levels=["Transversal", " occupation-specific"]
    )
    assert counts(result) == (2, 0, 0, 1, 0)
    with pytest.raises(ValueError, match="unknown reuse level occupational"):
        import_esco_skills(esco_file(tmp_path, rows), reuse_levels=["occupational"])


def test_a_row_without_uri_or_label_is_an_error_by_row_number(db: None, tmp_path: Path) -> None:
    rows = [
        skill(WERKPLAN, "werkplan volgen", altLabels="planning volgen\nwerkschema volgen"),
        skill(ETIKETTEN, ""),
        {**skill("", "zonder adres"), "conceptUri": ""},
        skill(VERANDERING, "x" * 201),
        skill("d1e2f3a4-0000-4000-8000-000000000000", "etiketten aanbrengen"),
    ]
    result = import_esco_skills(esco_file(tmp_path, rows))
    assert counts(result) == (2, 0, 0, 0, 3)
    # row numbers count records, as a spreadsheet does, not the lines of multi-line labels
    assert result.errors[:2] == [
        RowIssue(3, "the preferred label is empty"),
        RowIssue(4, "the concept URI is empty"),
    ]
    assert result.errors[2].row == 5
    assert "longer than 200" in result.errors[2].reason


def test_a_new_skill_with_the_dutch_name_of_a_competence_is_not_duplicated(
    db: None, tmp_path: Path
) -> None:
    count = Competence.objects.count()
    result = import_esco_skills(esco_file(tmp_path, [skill(WERKPLAN, "samenwerken")]))
    assert result.skipped == [RowIssue(2, SKIP_NAME_TAKEN, "work-in-teams")]
    assert Competence.objects.count() == count


# Existing competences -----------------------------------------------------------------------


def test_curated_competences_without_a_uri_are_left_alone(db: None, tmp_path: Path) -> None:
    before = catalogue()
    assert all(not uri for *_rest, uri in before)
    import_esco_skills(esco_file(tmp_path, [skill(WERKPLAN, "werkplan volgen")]))
    assert [c for c in catalogue() if c[0] != "werkplan-volgen-0a1b2c3d"] == before


def test_a_linked_competence_follows_esco_but_keeps_its_code_and_kind(
    linked_curated: Competence, tmp_path: Path
) -> None:
    rows = [
        skill(
            VERANDERING,
            "zich aanpassen aan veranderende situaties",
            "sector-specific",
            description="Past houding en gedrag aan wanneer het werk verandert.",
        )
    ]
    result = import_esco_skills(esco_file(tmp_path, rows))
    assert counts(result) == (0, 1, 0, 0, 0)
    linked_curated.refresh_from_db()
    assert (linked_curated.code, linked_curated.kind, linked_curated.name_en) == (
        "adapt-to-change",
        CompetenceKind.TRANSVERSAL,
        "adapt to change",
    )
    assert linked_curated.name_nl == "Zich aanpassen aan veranderende situaties"
    assert linked_curated.description == "Past houding en gedrag aan wanneer het werk verandert."


def test_an_empty_esco_description_keeps_ours(linked_curated: Competence, tmp_path: Path) -> None:
    ours = linked_curated.description
    rows = [skill(VERANDERING, "zich aanpassen aan veranderingen")]
    result = import_esco_skills(esco_file(tmp_path, rows))
    assert counts(result) == (0, 0, 1, 0, 0)  # our Dutch name is ESCO's label, capitalised
    linked_curated.refresh_from_db()
    assert linked_curated.description == ours


def test_an_english_file_fills_english_names_and_creates_nothing(
    linked_curated: Competence, tmp_path: Path
) -> None:
    import_esco_skills(esco_file(tmp_path, [skill(WERKPLAN, "werkplan volgen")]))
    before = Competence.objects.count()
    rows = [
        skill(WERKPLAN, "follow work schedule"),
        skill(VERANDERING, "adapt to change"),
        skill(ETIKETTEN, "apply labels"),
    ]
    result = import_esco_skills(esco_file(tmp_path, rows, "skills_en.csv"), language="en")
    assert counts(result) == (0, 1, 1, 1, 0)
    assert result.skipped == [RowIssue(4, SKIP_NOT_LINKED)]
    assert Competence.objects.count() == before
    werkplan = Competence.objects.get(esco_uri=SKILL + WERKPLAN)
    assert (werkplan.name_nl, werkplan.name_en) == ("Werkplan volgen", "follow work schedule")


def test_a_second_import_changes_nothing(linked_curated: Competence, tmp_path: Path) -> None:
    rows = [
        skill(WERKPLAN, "werkplan volgen", description="Volgt het plan."),
        skill(ETIKETTEN, "etiketten aanbrengen", "cross-sector"),
        skill(VERANDERING, "zich aanpassen", description="Past zich aan."),
    ]
    path = esco_file(tmp_path, rows)
    assert counts(import_esco_skills(path)) == (2, 1, 0, 0, 0)
    after_first = catalogue()
    assert counts(import_esco_skills(path)) == (0, 0, 3, 0, 0)
    assert catalogue() == after_first


def test_a_dry_run_writes_nothing_and_counts_the_same(
    linked_curated: Competence, tmp_path: Path
) -> None:
    before = catalogue()
    rows = [
        skill(WERKPLAN, "werkplan volgen"),
        skill(WERKPLAN.replace("0a", "1a", 1), "werkplan volgen (2)"),
        skill(VERANDERING, "zich aanpassen"),
        skill(ETIKETTEN, ""),
    ]
    path = esco_file(tmp_path, rows)
    dry = import_esco_skills(path, dry_run=True)
    assert (counts(dry), dry.dry_run) == ((2, 1, 0, 0, 1), True)
    assert catalogue() == before
    real = import_esco_skills(path)
    assert (counts(real), real.dry_run) == (counts(dry), False)


# Files that are not ESCO skill files ---------------------------------------------------------


def test_a_file_without_the_esco_columns_is_refused(db: None, tmp_path: Path) -> None:
    path = tmp_path / "competenties.csv"
    path.write_text("code;naam\nsamenwerken;Samenwerken\n", encoding="utf-8")
    with pytest.raises(EscoFormatError) as caught:
        import_esco_skills(path)
    assert caught.value.missing == ["conceptUri", "preferredLabel"]
    with pytest.raises(CommandError, match="is not an ESCO skills file: the columns conceptUri"):
        call_command("import_esco_skills", str(path))


def test_an_empty_file_is_refused(db: None, tmp_path: Path) -> None:
    path = tmp_path / "skills_nl.csv"
    path.write_bytes(b"")
    with pytest.raises(EscoFormatError):
        import_esco_skills(path)


def test_an_unknown_language_is_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="language must be one of"):
        import_esco_skills(esco_file(tmp_path, []), language="fr")


# The management command ---------------------------------------------------------------------


def test_the_command_prints_a_summary_and_the_errors(db: None, tmp_path: Path) -> None:
    rows = [
        skill(WERKPLAN, "werkplan volgen"),
        skill(ETIKETTEN, "etiketten aanbrengen", "occupation-specific"),
        skill(VERANDERING, "lassen", "sector-specific"),
        skill("d1e2f3a4-0000-4000-8000-000000000000", "oud", status="obsolete"),
        skill("e1e2f3a4-0000-4000-8000-000000000000", ""),
    ]
    out, err = StringIO(), StringIO()
    call_command(
        "import_esco_skills",
        str(esco_file(tmp_path, rows)),
        "--only",
        "transversal,occupation-specific",
        stdout=out,
        stderr=err,
    )
    assert out.getvalue().splitlines() == [
        "2 created, 0 updated, 0 unchanged, 2 skipped, 1 with an error.",
        f"  1 skipped: {SKIP_REUSE_LEVEL}",
        f"  1 skipped: {SKIP_NOT_RELEASED}",
    ]
    assert err.getvalue().strip() == "Row 6: the preferred label is empty"
    assert Competence.objects.filter(esco_uri__startswith=SKILL).count() == 2


def test_the_command_lists_skipped_rows_when_verbose(db: None, tmp_path: Path) -> None:
    out = StringIO()
    path = esco_file(tmp_path, [skill(WERKPLAN, "samenwerken")])
    call_command("import_esco_skills", str(path), verbosity=2, stdout=out)
    assert f"Row 2 skipped: {SKIP_NAME_TAKEN} (work-in-teams)" in out.getvalue().splitlines()


def test_the_command_fills_english_names(linked_curated: Competence, tmp_path: Path) -> None:
    path = esco_file(tmp_path, [skill(VERANDERING, "adapt")], "skills_en.csv")
    out = StringIO()
    call_command("import_esco_skills", str(path), "--language", "en", stdout=out)
    assert out.getvalue().splitlines()[0] == (
        "0 created, 1 updated, 0 unchanged, 0 skipped, 0 with an error."
    )
    linked_curated.refresh_from_db()
    assert linked_curated.name_en == "adapt"


def test_the_command_dry_run_says_nothing_was_saved(db: None, tmp_path: Path) -> None:
    out = StringIO()
    path = esco_file(tmp_path, [skill(WERKPLAN, "werkplan volgen")])
    call_command("import_esco_skills", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 created, 0 updated, 0 unchanged, 0 skipped, 0 with an error.",
        "Dry run: nothing was saved.",
    ]
    assert not Competence.objects.filter(esco_uri=SKILL + WERKPLAN).exists()


def test_a_missing_file_is_a_clear_command_error(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Cannot read .*skills_nl\.csv: No such file"):
        call_command("import_esco_skills", str(tmp_path / "skills_nl.csv"))


def test_a_file_that_is_not_utf8_is_a_clear_command_error(db: None, tmp_path: Path) -> None:
    path = esco_file(tmp_path, [skill(WERKPLAN, "hygiënisch werken")], encoding="latin-1")
    with pytest.raises(CommandError, match=r"Cannot read .*skills_nl\.csv as UTF-8 CSV"):
        call_command("import_esco_skills", str(path))
    assert not Competence.objects.filter(esco_uri=SKILL + WERKPLAN).exists()


@pytest.mark.parametrize(
    "arguments",
    [["--only", "transversal,occupational"], ["--language", "fr"]],
    ids=["unknown-level", "unknown-language"],
)
def test_wrong_options_are_command_errors(db: None, tmp_path: Path, arguments: list[str]) -> None:
    path = esco_file(tmp_path, [skill(WERKPLAN, "werkplan volgen")])
    with pytest.raises(CommandError):
        call_command("import_esco_skills", str(path), *arguments)
    assert not Competence.objects.filter(esco_uri=SKILL + WERKPLAN).exists()
