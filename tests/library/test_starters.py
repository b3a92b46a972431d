"""The starter documents (seed 001): loaded once, shared, and usable as templates."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document as DocxDocument

from doorstroom.core.models import AuditEvent
from doorstroom.library import services
from doorstroom.library.models import Document, DocumentVersion
from doorstroom.library.selectors import documents_search
from doorstroom.library.starters import STARTERS
from tests.dossiers import make_trajectory
from tests.library.builders import place_at

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_library_starters", *args, stdout=out)
    return out.getvalue()


def test_the_starters_are_loaded_once_and_shared(ocmw_a: Any, ocmw_b: Any, outsider: Any) -> None:
    assert load().count(": created") == 4
    assert load().count(": unchanged") == 4  # idempotent
    documents = Document.objects.order_by("title")
    assert documents.count() == 4
    assert DocumentVersion.objects.count() == 4
    assert {d.organisation for d in documents} == {ocmw_a}  # the first organisation
    assert {d.visibility for d in documents} == {"shared"}
    assert len(documents_search(outsider, "evaluatie")) >= 1  # another OCMW finds them
    created = AuditEvent.objects.filter(action="library.document.created", actor=None)
    assert set(created.values_list("actor_label", flat=True)) == {"load_library_starters"}
    assert created.count() == 4


def test_the_author_organisation_can_be_chosen(ocmw_a: Any, ocmw_b: Any) -> None:
    load("--organisation", "OCMW Mol")
    assert set(Document.objects.values_list("organisation__name", flat=True)) == {"OCMW Mol"}
    with pytest.raises(CommandError):
        load("--organisation", "Bestaat niet")


def test_without_organisations_the_command_says_so(db: None) -> None:
    with pytest.raises(CommandError, match="Maak eerst een organisatie aan"):
        load()


def test_a_changed_starter_text_adds_a_version(ocmw_a: Any, monkeypatch: Any) -> None:
    load()
    starter = STARTERS[1]

    def changed(document: Any) -> None:
        document.add_paragraph("Een nieuwe vraag over digitale vaardigheden.")

    monkeypatch.setattr(
        "doorstroom.library.services.docx_bytes",
        lambda s: _bytes_with(changed) if s.key == starter.key else _original(s),
    )
    assert f"{starter.title}: updated" in load()
    document = Document.objects.get(starter_key=starter.key)
    assert document.current_version.number == 2
    assert len(documents_search(_any_user(ocmw_a), "digitale vaardigheden")) == 1


def _original(starter: Any) -> bytes:
    from doorstroom.library.starters import docx_bytes

    return docx_bytes(starter)


def _bytes_with(build: Any) -> bytes:
    document = DocxDocument()
    build(document)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _any_user(organisation: Any) -> Any:
    from tests.factories import member

    return member(organisation, "coach")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("samenwerkingsovereenkomst", ["Groendienst De Linde", "OCMW Geel", "An Peeters"]),
        ("uitnodiging-360", ["Beste Jan Claes", "Sofie Maes volgt bij OCMW Geel"]),
    ],
)
def test_the_starter_templates_fill_from_a_dossier(
    owner: Any, key: str, expected: list[str]
) -> None:
    load()
    trajectory = make_trajectory(owner, first_name="Sofie", last_name="Maes")
    place_at(trajectory, owner, "Groendienst De Linde")
    filled = services.template_fill(
        Document.objects.get(starter_key=key),
        trajectory=trajectory,
        placement=None,
        respondent_name="Jan Claes",
        by=owner,
    )
    document = DocxDocument(io.BytesIO(filled.data))
    text = "\n".join(p.text for p in document.paragraphs)
    for fragment in expected:
        assert fragment in text
    assert "{{" not in text
