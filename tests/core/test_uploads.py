"""Uploads (issue 10): checked by content, stored under a generated name, served safely."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from doorstroom.clients.models import Document
from doorstroom.core import uploads
from doorstroom.core.errors import DomainError
from doorstroom.employers.forms import AgreementForm
from doorstroom.trajectories.models import Trajectory
from tests.dossiers import make_client

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.pdf", PDF, uploads.Kind.PDF),
        ("scan.PNG", PNG, uploads.Kind.PNG),
        ("brief.docx", _docx(), uploads.Kind.DOCX),
        ("nota.txt", b"Afspraak om 9 uur", uploads.Kind.TEXT),
    ],
)
def test_it_accepts_what_the_content_really_is(name: str, data: bytes, kind: uploads.Kind) -> None:
    upload = SimpleUploadedFile(name, data)
    assert uploads.check(upload, allowed=uploads.DOSSIER_KINDS, max_bytes=1024 * 1024).kind == kind


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("attest.pdf", EXE, "not one of the kinds"),  # a renamed program
        ("attest.pdf", PNG, "ends in .pdf but its content is PNG"),
        ("fake.docx", b"PK\x03\x04garbage", "not one of the kinds"),
        ("leeg.pdf", b"", "empty"),
        ("groot.pdf", PDF + b"x" * 2048, "larger than"),
    ],
)
def test_it_refuses_by_content_with_a_message_on_the_field(
    name: str, data: bytes, message: str
) -> None:
    with translation.override("en"), pytest.raises(DomainError, match=message) as refused:
        uploads.check(SimpleUploadedFile(name, data), allowed=uploads.DOSSIER_KINDS, max_bytes=1024)
    assert refused.value.field == "file"


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ('a"b\r\n.pdf', "ab.pdf"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("\u202egnp.exe", "gnp.exe"),  # a right-to-left override hides the real extension
        ("", "document"),
    ],
)
def test_hostile_names_are_neutralised(hostile: str, expected: str) -> None:
    assert uploads.safe_filename(hostile) == expected


def test_a_dossier_document_is_checked_stored_under_a_generated_name_and_served_safely(
    client: HttpClient, owner: Any, teammate: Any, outsider: Any
) -> None:
    dossier = make_client(owner)
    client.force_login(owner)
    url = reverse("clients:document-create", args=[dossier.pk])
    refused = client.post(url, {"title": "Attest", "file": SimpleUploadedFile("attest.pdf", EXE)})
    assert refused.status_code == 200
    assert "is-invalid" in refused.content.decode()
    assert not Document.objects.exists()

    name = "C:\\fakepath\\..\\evil name.pdf"
    saved = client.post(url, {"title": 'Attest "VDAB"', "file": SimpleUploadedFile(name, PDF)})
    assert saved.status_code == 302
    document = Document.objects.get()
    stored = document.file.name
    assert stored.startswith(f"dossiers/{dossier.pk}/")
    assert "evil" not in stored
    assert ".." not in stored
    assert stored.endswith(".pdf")

    response = client.get(reverse("clients:document-download", args=[document.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "Attest VDAB.pdf" in disposition
    assert b"".join(response.streaming_content) == PDF

    client.force_login(outsider)  # R-PRV-1
    assert client.get(reverse("clients:document-download", args=[document.pk])).status_code == 404


def test_an_agreement_document_is_checked_by_content(owner: Any) -> None:
    form = AgreementForm(
        data={},
        files={"document": SimpleUploadedFile("overeenkomst.pdf", EXE)},
        trajectories=Trajectory.objects.none(),
    )
    form.is_valid()
    assert "document" in form.errors
