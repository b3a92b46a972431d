"""Uploaded files: what they really are (by content, not by name), their text, safe names.

A file is accepted only when its content is a PDF (``%PDF-``), a DOCX/XLSX/ODT (a zip with the
right inner parts) or UTF-8 text, and its extension agrees with that content: a renamed
program is refused. The body text feeds the search: DOCX through python-docx, PDF through pypdf
when it is installed (it is not a production dependency: without it a PDF is found by its title,
description and tags only), text as is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from doorstroom.core import uploads
from doorstroom.core.errors import DomainError
from doorstroom.core.uploads import safe_filename
from doorstroom.library.models import FileKind

MB = 1024 * 1024
# The stored body text is capped: enough to find a document, small enough for a tsvector (1 MB).
BODY_LIMIT = 200_000

CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
    FileKind.TEXT: "text/plain; charset=utf-8",
    FileKind.MARKDOWN: "text/markdown; charset=utf-8",
}
# The extensions each kind may carry.
EXTENSIONS = {
    FileKind.PDF: {"pdf"},
    FileKind.DOCX: {"docx"},
    FileKind.XLSX: {"xlsx"},
    FileKind.ODT: {"odt"},
    FileKind.TEXT: {"txt", "text"},
    FileKind.MARKDOWN: {"md", "markdown"},
}


@dataclass(frozen=True)
class Inspected:
    """An accepted upload: its bytes, what it is, and its text for the search."""

    data: bytes
    kind: FileKind
    original_name: str
    body_text: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def extension(self) -> str:
        return self.kind.value


def max_upload_bytes() -> int:
    """The size limit for one file: DOORSTROOM_LIBRARY_MAX_UPLOAD_MB (default 10 MB)."""
    return int(settings.DOORSTROOM_LIBRARY_MAX_UPLOAD_MB) * MB


def sniff(data: bytes, extension: str) -> FileKind | None:
    """Return what ``data`` really is, or None when the kennisbank does not take it."""
    kind = uploads.sniff(data, extension)  # the one content check (images are not taken here)
    return FileKind(kind.value) if kind is not None and kind.value in FileKind.values else None


def _read(upload: Any) -> bytes:
    limit = max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise DomainError(_too_big(limit), field="file")
    upload.seek(0)
    data: bytes = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError(_too_big(limit), field="file")
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    return data


def _too_big(limit: int) -> str:
    return _("The file is larger than %(limit)s MB.") % {"limit": limit // MB}


def inspect(upload: Any) -> Inspected:
    """Check an upload (size, real type, matching extension) and extract its text.

    Raises DomainError on the field ``file`` with a message saying what is wrong.
    """
    data = _read(upload)
    name = safe_filename(getattr(upload, "name", "") or "")
    extension = uploads.extension_of(name)
    kind = sniff(data, extension)
    if kind is None:
        raise DomainError(
            _(
                "This file is not a PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), text "
                "or Markdown file: it cannot be added to the knowledge base."
            ),
            field="file",
        )
    if extension not in EXTENSIONS[kind]:
        raise DomainError(
            _("The file's name ends in .%(extension)s but its content is %(kind)s.")
            % {"extension": extension or "?", "kind": kind.label},
            field="file",
        )
    return Inspected(data=data, kind=kind, original_name=name, body_text=body_text(data, kind))


# --- Body text for the search -----------------------------------------------------------


def _docx_text(data: bytes) -> str:
    from docx import Document as DocxDocument

    document = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:  # pypdf is not a production dependency: index the metadata only
        return ""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages[:200])


def body_text(data: bytes, kind: FileKind) -> str:
    """Return the text of the file for the search ("" when it cannot be read)."""
    try:
        if kind == FileKind.DOCX:
            text = _docx_text(data)
        elif kind == FileKind.PDF:
            text = _pdf_text(data)
        elif kind in (FileKind.TEXT, FileKind.MARKDOWN):
            text = data.decode("utf-8-sig")
        else:
            text = ""
    except Exception:  # a damaged file is still stored; only its text is missing
        text = ""
    return " ".join(text.split())[:BODY_LIMIT]
