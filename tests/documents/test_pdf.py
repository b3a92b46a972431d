"""The rendering mechanism: static files from disk, never the network; safe file names."""

from __future__ import annotations

import io
from typing import Any

import pytest
from weasyprint.urls import FatalURLFetchingError

from doorstroom.core.pdf import BASE_URL, ascii_filename, html_to_pdf, static_fetcher


def test_it_serves_our_static_files_from_disk() -> None:
    response = static_fetcher().fetch(BASE_URL + "static/img/favicon.svg")
    assert response.content_type == "image/svg+xml"
    assert response.read().startswith(b"<svg")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://doorstroom.invalid/media/dossiers/1/attest.pdf",
        "http://doorstroom.invalid/static/../config/settings.py",
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/img/favicon.svg",
    ],
)
def test_it_refuses_every_other_url(url: str) -> None:
    with pytest.raises(ValueError, match="static"):
        static_fetcher().fetch(url)


def test_a_document_that_loads_from_the_network_fails_instead_of_fetching() -> None:
    with pytest.raises(FatalURLFetchingError):
        html_to_pdf('<p>Logo</p><img src="https://example.com/logo.png">')


def test_a_missing_static_file_fails_loudly() -> None:
    with pytest.raises(FatalURLFetchingError):
        html_to_pdf('<img src="/static/img/nothing-here.svg">')


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("POP v2 Zoë Vérhaegen 2026-03-05.pdf", "POP-v2-Zoe-Verhaegen-2026-03-05.pdf"),
        ('evaluatie "Ann"; rm -rf /.pdf', "evaluatie-Ann-rm-rf-.pdf"),
        ("Ĳsbrand Øster.pdf", "IJsbrand-ster.pdf"),
        ("…", "document.pdf"),
    ],
)
def test_file_names_are_plain_ascii(name: str, safe: str) -> None:
    assert ascii_filename(name) == safe


def test_documents_carry_the_organisations_logo(tmp_path: Any, settings: Any, owner: Any) -> None:
    """The organisation's name and logo head every document (issue #7)."""
    from django.core.files.base import ContentFile
    from PIL import Image

    from doorstroom.core.pdf import document_html, pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    organisation = owner.primary_organisation
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (29, 90, 148)).save(buffer, format="PNG")
    organisation.logo.save("logo.png", ContentFile(buffer.getvalue()))
    context = {"organisation": organisation}
    html = document_html("documents/base.html", context)
    assert 'class="org-logo" src="data:image/png;base64,' in html
    assert pdf_bytes("documents/base.html", context).startswith(b"%PDF")
