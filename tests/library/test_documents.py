"""Documents and versions: uploads checked by content, safe downloads, edits, audit, scoping."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from doorstroom.core.models import AuditEvent
from doorstroom.library.files import safe_filename
from doorstroom.library.models import Document, DocumentVersion
from tests.factories import member
from tests.library.builders import docx_file, english, make_document, upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def xlsx_file() -> bytes:
    from openpyxl import Workbook

    output = io.BytesIO()
    Workbook().save(output)
    return output.getvalue()


def odt_file() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return output.getvalue()


def create_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Werkplekovereenkomst",
        "description": "Voorbeeld",
        "category": "contract",
        "tags": "Contract, Werkgever",
        "visibility": "organisation",
        "change_note": "",
    }
    data.update(overrides)
    return data


def post_document(client: HttpClient, user: Any, file: Any, **overrides: Any) -> Any:
    data = create_form(organisation=user.primary_organisation.pk, file=file, **overrides)
    return client.post(reverse("library:create"), data)


def file_errors(response: Any) -> list[str]:
    assert response.status_code == 200
    return list(response.context["form"].errors["file"])


def test_a_coach_adds_a_document_with_its_first_version(client: HttpClient, owner: Any) -> None:
    client.force_login(owner)
    response = post_document(client, owner, upload("Overeenkomst v1.pdf", PDF))
    document = Document.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("library:detail", args=[document.pk])
    version = document.current_version
    assert (version.number, version.kind, version.original_name) == (
        1,
        "pdf",
        "Overeenkomst v1.pdf",
    )
    assert version.content_type == "application/pdf"
    assert sorted(document.tags.values_list("name", flat=True)) == ["contract", "werkgever"]
    # Stored under a generated name, not the uploader's.
    assert "Overeenkomst" not in version.file.name
    assert version.file.name.startswith(f"library/{document.pk}/")


def test_an_upload_is_audited(client: HttpClient, owner: Any) -> None:
    client.force_login(owner)
    post_document(client, owner, upload("gids.docx", docx_file("Tekst")))
    event = AuditEvent.objects.get(action="library.version.uploaded")
    version = DocumentVersion.objects.get()
    assert (event.actor, event.target_id) == (owner, str(version.pk))
    assert event.changes == {
        "version": 1,
        "file": "gids.docx",
        "size": version.size,
        "type": "docx",
    }
    assert AuditEvent.objects.filter(action="library.document.created").count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("contract.pdf", EXE),  # a renamed program
        ("contract.docx", EXE),
        ("contract.txt", EXE),
        ("contract.exe", EXE),
        ("contract.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_a_file_that_is_not_an_accepted_kind_is_refused_on_the_file_field(
    client: HttpClient, owner: Any, name: str, content: bytes
) -> None:
    client.force_login(english(owner))
    [message] = file_errors(post_document(client, owner, upload(name, content)))
    assert message.startswith("This file is not a PDF, Word (DOCX)")
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="library.").exists()


def test_a_zip_that_is_not_an_office_document_is_refused(client: HttpClient, owner: Any) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.exe", EXE)
    client.force_login(english(owner))
    [message] = file_errors(post_document(client, owner, upload("brief.docx", archive.getvalue())))
    assert message.startswith("This file is not a PDF")


def test_content_that_does_not_match_the_extension_is_refused(
    client: HttpClient, owner: Any
) -> None:
    client.force_login(english(owner))
    [message] = file_errors(post_document(client, owner, upload("brief.docx", PDF)))
    assert message == "The file's name ends in .docx but its content is PDF."


def test_a_file_over_the_size_limit_is_refused(
    client: HttpClient, owner: Any, settings: Any
) -> None:
    settings.DOORSTROOM_LIBRARY_MAX_UPLOAD_MB = 1
    client.force_login(english(owner))
    big = upload("groot.txt", b"a" * (1024 * 1024 + 1))
    [message] = file_errors(post_document(client, owner, big))
    assert message == "The file is larger than 1 MB."
    assert not Document.objects.exists()


def test_the_default_size_limit_is_10_mb(client: HttpClient, owner: Any) -> None:
    client.force_login(english(owner))
    big = upload("groot.txt", b"a" * (10 * 1024 * 1024 + 1))
    assert file_errors(post_document(client, owner, big)) == ["The file is larger than 10 MB."]


def test_missing_fields_are_named(client: HttpClient, owner: Any) -> None:
    client.force_login(english(owner))
    response = client.post(reverse("library:create"), create_form(title="", category="x"))
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert set(errors) >= {"title", "category", "file"}


@pytest.mark.parametrize(
    ("hostile", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ('con"tract\r\nSet-Cookie: x=1.txt', "contractSet-Cookie x=1.txt"),
        ("'quoted';.txt", "quoted.txt"),
        ("\x00\x1f.hidden.txt", "hidden.txt"),
        ("", "document"),
    ],
)
def test_hostile_file_names_are_neutralised(hostile: str, safe: str) -> None:
    assert safe_filename(hostile) == safe


def test_the_download_names_the_file_safely_as_an_attachment(
    client: HttpClient, owner: Any
) -> None:
    hostile = 'evil"\r\nX-Injected: 1;.txt'
    document = make_document(owner, file=upload(hostile, b"inhoud"))
    client.force_login(owner)
    response = client.get(reverse("library:download", args=[document.pk, 1]))
    disposition = response["Content-Disposition"]
    assert response.status_code == 200
    assert disposition == 'attachment; filename="evilX-Injected 1.txt"'
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"".join(response.streaming_content) == b"inhoud"
    assert AuditEvent.objects.filter(action="library.version.downloaded").count() == 1


def test_a_new_version_becomes_current_and_the_old_one_stays(
    client: HttpClient, owner: Any, teammate: Any
) -> None:
    document = make_document(owner, file=upload("v1.txt", b"versie een"))
    client.force_login(teammate)  # a colleague of the author organisation
    url = reverse("library:version-add", args=[document.pk])
    response = client.post(
        url,
        {
            "file": upload("v2.txt", b"versie twee"),
            "change_note": "Nieuw",
            "version": document.version,
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current_version.number == 2
    assert document.version == 2
    old = client.get(reverse("library:download", args=[document.pk, 1]))
    assert b"".join(old.streaming_content) == b"versie een"
    assert AuditEvent.objects.filter(action="library.version.uploaded").count() == 2


def test_a_stale_version_upload_is_refused(client: HttpClient, owner: Any) -> None:
    document = make_document(owner)
    client.force_login(english(owner))
    url = reverse("library:version-add", args=[document.pk])
    data = {"file": upload("v2.txt", b"twee"), "change_note": "x", "version": document.version}
    assert client.post(url, data).status_code == 302
    data = {"file": upload("v3.txt", b"drie"), "change_note": "y", "version": document.version}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert document.versions.count() == 2


def test_editing_the_metadata_refuses_a_stale_save(client: HttpClient, owner: Any) -> None:
    document = make_document(owner)
    client.force_login(english(owner))
    url = reverse("library:edit", args=[document.pk])
    form = {**create_form(title="Nieuwe titel", tags="intake"), "version": document.version}
    assert client.post(url, form).status_code == 302
    document.refresh_from_db()
    assert (document.title, document.version) == ("Nieuwe titel", 2)
    assert list(document.tags.values_list("name", flat=True)) == ["intake"]
    response = client.post(url, {**form, "title": "Te laat"})
    assert "Someone else changed this record" in response.content.decode()
    document.refresh_from_db()
    assert document.title == "Nieuwe titel"
    assert AuditEvent.objects.get(action="library.document.updated").changes["title"] == [
        "Werkplekovereenkomst",
        "Nieuwe titel",
    ]


def test_the_detail_page_shows_versions_and_edit_links_to_the_author_organisation(
    client: HttpClient, owner: Any
) -> None:
    document = make_document(owner, visibility="shared")
    client.force_login(owner)
    html = client.get(reverse("library:detail", args=[document.pk])).content.decode()
    assert html.count('data-testid="version"') == 1
    assert reverse("library:edit", args=[document.pk]) in html


# --- Visibility (R-PRV-1 applied to the kennisbank) -------------------------------------


def test_another_organisation_s_private_document_is_404(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    document = make_document(owner)
    client.force_login(outsider)
    for url in (
        reverse("library:detail", args=[document.pk]),
        reverse("library:download", args=[document.pk, 1]),
        reverse("library:edit", args=[document.pk]),
        reverse("library:version-add", args=[document.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "Werkplekovereenkomst" not in client.get(reverse("library:list")).content.decode()


def test_a_shared_document_is_read_by_everyone_but_changed_only_by_its_authors(
    client: HttpClient, owner: Any, outsider: Any
) -> None:
    document = make_document(owner, visibility="shared")
    client.force_login(outsider)
    assert client.get(reverse("library:detail", args=[document.pk])).status_code == 200
    assert client.get(reverse("library:download", args=[document.pk, 1])).status_code == 200
    assert "Werkplekovereenkomst" in client.get(reverse("library:list")).content.decode()
    html = client.get(reverse("library:detail", args=[document.pk])).content.decode()
    assert reverse("library:edit", args=[document.pk]) not in html
    assert client.get(reverse("library:edit", args=[document.pk])).status_code == 404
    data = {"file": upload("x.txt", b"x"), "change_note": "x", "version": 1}
    assert client.post(reverse("library:version-add", args=[document.pk]), data).status_code == 404
    assert document.versions.count() == 1


def test_a_member_without_a_writing_role_reads_but_does_not_edit(
    client: HttpClient, owner: Any, privacy_officer: Any
) -> None:
    document = make_document(owner)
    client.force_login(privacy_officer)
    assert client.get(reverse("library:detail", args=[document.pk])).status_code == 200
    assert client.get(reverse("library:edit", args=[document.pk])).status_code == 404
    assert client.get(reverse("library:create")).status_code == 404


def test_a_coach_cannot_add_a_document_for_another_organisation(
    client: HttpClient, owner: Any, ocmw_b: Any
) -> None:
    client.force_login(owner)
    data = create_form(organisation=ocmw_b.pk, file=upload("a.txt", b"a"))
    response = client.post(reverse("library:create"), data)
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Document.objects.exists()


def test_a_team_lead_of_the_author_organisation_edits(
    client: HttpClient, owner: Any, ocmw_a: Any
) -> None:
    lead = member(ocmw_a, "team_lead")
    document = make_document(owner)
    client.force_login(lead)
    assert client.get(reverse("library:edit", args=[document.pk])).status_code == 200


def test_too_many_or_too_long_tags_are_refused_on_the_tags_field(
    client: HttpClient, owner: Any
) -> None:
    client.force_login(english(owner))
    response = post_document(client, owner, upload("a.txt", b"a"), tags="x" * 51)
    assert response.context["form"].errors["tags"] == ["A tag has at most 50 characters."]
    many = ", ".join(f"tag{n}" for n in range(11))
    response = post_document(client, owner, upload("a.txt", b"a"), tags=many)
    assert response.context["form"].errors["tags"] == ["Give at most 10 tags."]
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("notities.md", "# Titel\nTekst met é".encode(), "md"),
        ("notities.txt", "\ufeffTekst".encode(), "txt"),
        ("brief.docx", docx_file("Beste"), "docx"),
        ("lijst.xlsx", "xlsx", "xlsx"),
        ("brief.odt", "odt", "odt"),
    ],
)
def test_text_markdown_and_office_files_are_accepted(
    owner: Any, name: str, content: bytes | str, kind: str
) -> None:
    built = {"xlsx": xlsx_file, "odt": odt_file}
    data = built[content]() if isinstance(content, str) else content
    document = make_document(owner, file=upload(name, data))
    assert document.current_version.kind == kind
