"""Kennisbank search (seed 001): full text on PostgreSQL, every word on SQLite; the same tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.library import services
from doorstroom.library.models import Document
from doorstroom.library.selectors import documents_search, search_words
from tests.library.builders import docx_upload, make_document, upload

pytestmark = pytest.mark.django_db


def titles(user: Any, q: str = "", **filters: Any) -> list[str]:
    return [d.title for d in documents_search(user, q, **filters)]


def test_it_finds_a_document_by_a_word_that_appears_only_in_its_body(owner: Any) -> None:
    """The issue's done-when: on SQLite here and on PostgreSQL in CI."""
    body = docx_upload("Afspraken over de arbeidsongevallenverzekering en het uurrooster.")
    make_document(owner, title="Werkplekovereenkomst", description="Voorbeeld", file=body)
    make_document(owner, title="Andere tekst", description="Niets")
    assert titles(owner, "arbeidsongevallenverzekering") == ["Werkplekovereenkomst"]
    assert titles(owner, "Uurrooster") == ["Werkplekovereenkomst"]  # case does not matter
    assert titles(owner, "brandverzekering") == []
    if connection.vendor == "postgresql":  # the GIN-indexed vector is what PostgreSQL searches
        assert not Document.objects.filter(search_vector__isnull=True).exists()


def test_every_word_of_the_query_must_match(owner: Any) -> None:
    make_document(owner, title="Checklist intake", file=upload("a.txt", b"Drempels en sterktes"))
    make_document(owner, title="Evaluatiegids", file=upload("b.md", b"# Sterktes benoemen"))
    assert titles(owner, "sterktes") == ["Checklist intake", "Evaluatiegids"]
    assert titles(owner, "sterktes drempels") == ["Checklist intake"]
    assert titles(owner, "sterktes onbestaand") == []


def test_accents_and_punctuation_in_the_query_are_ignored(owner: Any) -> None:
    make_document(
        owner, title="Uitnodiging", file=upload("c.txt", "Beste respondent, cliënt".encode())
    )
    assert titles(owner, "CLIENT!") == ["Uitnodiging"]
    assert search_words("Samenwerking-Overeenkomst!") == ["samenwerking", "overeenkomst"]
    assert titles(owner, "&|!:*") == ["Uitnodiging"]  # no words: no filter, and no error


def test_tags_and_title_are_searched_and_filters_combine(owner: Any) -> None:
    make_document(owner, title="Brief", category="template", tags="360° feedback, brief")
    make_document(owner, title="Contract", category="contract", tags="werkgever")
    assert titles(owner, "feedback") == ["Brief"]
    assert titles(owner, category="contract") == ["Contract"]
    assert titles(owner, tag="werkgever") == ["Contract"]
    assert titles(owner, "brief", category="contract") == []


def test_a_new_version_s_body_replaces_the_old_one_in_the_search(owner: Any) -> None:
    document = make_document(owner, file=upload("v1.txt", b"oude tekst over kinderopvang"))
    services.version_add(
        document,
        upload=upload("v2.txt", b"nieuwe tekst over mobiliteit"),
        change_note="Herschreven",
        expected_version=document.version,
        by=owner,
    )
    assert titles(owner, "mobiliteit") == [document.title]
    assert titles(owner, "kinderopvang") == []


def test_search_never_shows_another_organisation_s_private_documents(
    owner: Any, outsider: Any
) -> None:
    """R-PRV-1 in the kennisbank: the search starts from what the user may see."""
    make_document(outsider, title="Privé Mol", file=upload("p.txt", b"geheimwoord"))
    make_document(
        outsider, title="Gedeeld Mol", visibility="shared", file=upload("s.txt", b"geheimwoord")
    )
    assert titles(owner, "geheimwoord") == ["Gedeeld Mol"]
    assert titles(outsider, "geheimwoord") == ["Gedeeld Mol", "Privé Mol"]


def test_the_list_page_searches_and_filters(client: HttpClient, owner: Any, outsider: Any) -> None:
    make_document(owner, title="Evaluatiegids", file=upload("e.txt", b"plateau en jobrotatie"))
    make_document(owner, title="Intake")
    make_document(outsider, title="Mol intern", file=upload("m.txt", b"jobrotatie"))
    client.force_login(owner)
    html = client.get(reverse("library:list"), {"q": "jobrotatie"}).content.decode()
    assert "Evaluatiegids" in html
    assert "Intake" not in html
    assert "Mol intern" not in html
    response = client.get(reverse("library:list"), {"category": "bogus", "tag": "x"})
    assert response.status_code == 200  # bad filters: a message, never a 500


def test_a_pdf_s_text_is_searched_when_pypdf_is_installed(owner: Any) -> None:
    """pypdf is a development dependency only: without it a PDF is found by its metadata."""
    pytest.importorskip("pypdf")
    from weasyprint import HTML

    pdf = HTML(string="<p>Afspraken over het jobcoachingstraject.</p>").write_pdf()
    make_document(owner, title="Pdf-gids", file=upload("gids.pdf", pdf))
    assert titles(owner, "jobcoachingstraject") == ["Pdf-gids"]


def test_a_pdf_without_pypdf_is_found_by_its_title(owner: Any, monkeypatch: Any) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pypdf(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pypdf":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pypdf)
    pdf = b"%PDF-1.4\n(jobcoachingstraject) Tj\n%%EOF\n"
    make_document(owner, title="Pdf-gids", file=upload("gids.pdf", pdf))
    assert titles(owner, "pdf gids") == ["Pdf-gids"]
    assert titles(owner, "jobcoachingstraject") == []
