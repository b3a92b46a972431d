"""The one way to make a document: a Django template rendered to PDF by WeasyPrint.

Documents are Dutch whatever the reader's UI language (the regulation's documents are
Dutch), carry the organisation's name, page numbers and "confidential", and never touch the
network: the only URLs a document may load are our own static files, read from disk.
Generating a document is audited (R-PRV-4).
"""

from __future__ import annotations

import base64
import functools
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header

from doorstroom.core.audit import audit

# Documents resolve relative URLs against this made-up origin: it is never contacted, the
# fetcher maps its /static/ paths to files on disk and refuses everything else.
BASE_URL = "http://doorstroom.invalid/"
_ORIGIN = urlsplit(BASE_URL)
_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg"}


def _static_path(url: str) -> Path:
    """The file on disk behind ``url``, which must be one of our static files."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if (parts.scheme, parts.netloc) != (_ORIGIN.scheme, _ORIGIN.netloc) or not (
        parts.path.startswith(prefix)
    ):
        raise ValueError(f"Documents load only our static files, not {url}")
    name = unquote(parts.path.removeprefix(prefix))
    if ".." in name.split("/"):
        raise ValueError(f"Not a static file: {url}")
    found = finders.find(name)  # development: the app and project static folders
    if isinstance(found, str):
        return Path(found)
    if staticfiles_storage.exists(name):  # production: collected (and hashed) files
        return Path(staticfiles_storage.path(name))
    raise FileNotFoundError(f"No static file {name}")


@functools.cache
def _weasyprint() -> Any:
    """Import WeasyPrint on first use: the import alone takes ~0.8 s, which every process
    (and every test run) would pay at start-up for a feature it may not use."""
    # WeasyPrint reports every layout step at INFO: noise in the server's log, not news.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint

    return weasyprint


@functools.cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """Serve our static files from disk; refuse every other URL (no network, ever).

        ``fail_on_errors``: a refused or missing file is a bug in a template, not something
        to print around silently.
        """

        def __init__(self) -> None:
            super().__init__(fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")):
                # An inlined image (the organisation's logo): no file, no network.
                kind, data = url[5:].split(";base64,", 1)
                return URLFetcherResponse(url, base64.b64decode(data), {"Content-Type": kind})
            path = _static_path(url)
            content_type = _TYPES.get(path.suffix.lower(), "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFetcher


def static_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves only our static files, from disk."""
    _weasyprint()
    return _fetcher_class()()


def document_html(template_name: str, context: dict[str, Any]) -> str:
    """Render a document template to HTML, in the documents' language (Dutch)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template_name, {"generated_on": timezone.localdate(), **context})


def html_to_pdf(html: str) -> bytes:
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=static_fetcher())
    return bytes(document.write_pdf())


def pdf_bytes(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a document template to a PDF."""
    return html_to_pdf(document_html(template_name, context))


def ascii_filename(name: str) -> str:
    """``name`` as a safe ASCII file name: "POP v2 Zoë Maes.pdf" → "POP-v2-Zoe-Maes.pdf"."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = decomposed.encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9._]+", "-", plain).strip("-.")
    return safe or "document.pdf"


def render_pdf(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    filename: str | Promise,
    target: models.Model,
    kind: str,
    by: Any,
    details: dict[str, Any] | None = None,
) -> HttpResponse:
    """Answer ``request`` with the document as a PDF download and audit its generation.

    ``filename`` may be lazy: like the document, it is in Dutch. ``kind`` names the
    document in the audit trail (``documents.<kind>.generated``);
    ``target`` is what the privacy officer searches for (the trajectory or client, whose
    label carries the client's name); ``details`` says which record exactly (``{"version": 2}``).
    """
    content = pdf_bytes(template_name, context)
    with translation.override(settings.LANGUAGE_CODE):
        name = ascii_filename(str(filename))
    # R-PRV-4: who generated which document about whom, and when.
    audit(by, f"documents.{kind}.generated", target, details, purpose=f"PDF {request.path}")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["Cache-Control"] = "private, no-store"  # dossier data: never in a shared cache
    return response
