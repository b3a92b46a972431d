"""Builders for kennisbank tests: files of each kind, and documents through the real services."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as DocxDocument

from doorstroom.library import services
from doorstroom.library.models import Document


def docx_file(*paragraphs: str) -> bytes:
    document = DocxDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx_upload(*paragraphs: str, name: str = "document.docx") -> Any:
    return upload(name, docx_file(*paragraphs))


def document_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Werkplekovereenkomst",
        "description": "Voorbeeld voor een werkplek bij een private werkgever.",
        "category": "contract",
        "visibility": "organisation",
        "tags": "contract, werkgever",
        "change_note": "",
    }
    data.update(overrides)
    return data


def make_document(
    by: Any, *, file: Any = None, organisation: Any = None, **overrides: Any
) -> Document:
    return services.document_create(
        organisation=organisation or by.primary_organisation,
        data=document_data(**overrides),
        upload=file or upload("overeenkomst.txt", b"Een gewone tekst."),
        by=by,
    )


def make_template(by: Any, *paragraphs: str, **overrides: Any) -> Document:
    overrides.setdefault("title", "Sjabloon")
    overrides.setdefault("category", "template")
    return make_document(by, file=docx_upload(*paragraphs, name="sjabloon.docx"), **overrides)


def english(user: Any) -> Any:
    """Let ``user`` see the interface in English (tests assert the English texts)."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def place_at(trajectory: Any, by: Any, employer_name: str) -> Any:
    """Place ``trajectory`` at a new employer's workplace (with the agreements R-PLC-1 asks)."""
    from tests.employers.builders import make_employer, make_workplace, place, sign_tripartite

    employer = make_employer(by, name=employer_name)
    sign_tripartite(employer, trajectory, by)
    return place(trajectory, make_workplace(employer, by), by)
