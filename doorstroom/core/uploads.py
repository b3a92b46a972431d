"""The one check for uploaded files: what they really are (by content, not by name), and safe names.

A file is accepted only when its content is one of the kinds the caller allows — a PDF
(``%PDF-``), a DOCX/XLSX/ODT (a zip with the right inner parts), UTF-8 text or Markdown, a JPEG or
PNG image — and its extension agrees with that content: a renamed program is refused. Stored
files get a generated name (``stored_name``); downloads use ``safe_filename`` so a hostile name
(folders, control characters, quotes) never reaches a header or a path.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

from doorstroom.core.errors import DomainError

MB = 1024 * 1024
# A zip that unpacks to more than this is refused (a "zip bomb" would exhaust the server).
UNPACKED_LIMIT = 200 * MB
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class Kind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    ODT = "odt"
    TEXT = "txt"
    MARKDOWN = "md"
    JPEG = "jpg"
    PNG = "png"


# The extensions each kind may carry.
EXTENSIONS: dict[Kind, frozenset[str]] = {
    Kind.PDF: frozenset({"pdf"}),
    Kind.DOCX: frozenset({"docx"}),
    Kind.XLSX: frozenset({"xlsx"}),
    Kind.ODT: frozenset({"odt"}),
    Kind.TEXT: frozenset({"txt", "text"}),
    Kind.MARKDOWN: frozenset({"md", "markdown"}),
    Kind.JPEG: frozenset({"jpg", "jpeg"}),
    Kind.PNG: frozenset({"png"}),
}
LABELS: dict[Kind, str] = {
    Kind.PDF: "PDF",
    Kind.DOCX: "Word (DOCX)",
    Kind.XLSX: "Excel (XLSX)",
    Kind.ODT: "OpenDocument (ODT)",
    Kind.TEXT: "text",
    Kind.MARKDOWN: "Markdown",
    Kind.JPEG: "JPEG",
    Kind.PNG: "PNG",
}
# What a dossier or an agreement may hold: documents and scans or photos of signed papers.
DOSSIER_KINDS = frozenset(
    {Kind.PDF, Kind.DOCX, Kind.XLSX, Kind.ODT, Kind.TEXT, Kind.JPEG, Kind.PNG}
)


@dataclass(frozen=True)
class Checked:
    """An accepted upload: its bytes, what it is, and its cleaned name."""

    data: bytes
    kind: Kind
    name: str


def safe_filename(name: str, *, default: str = "document") -> str:
    """Return ``name`` without folders, control characters, quotes or leading dots.

    "../../etc/passwd" → "passwd"; 'a"b\\r\\n.pdf' → "ab.pdf"; empty → ``default``.
    """
    base = re.split(r"[/\\]", name or "")[-1]
    kept = "".join(
        " " if unicodedata.category(c) == "Zs" else c
        for c in unicodedata.normalize("NFC", base)
        if not unicodedata.category(c).startswith("C") and c not in "\"'`;:*?<>|"
    )
    kept = " ".join(kept.split()).lstrip(". ").rstrip(". ")
    if len(kept) > 150:
        stem, dot, ext = kept.rpartition(".")
        kept = f"{stem[: 140 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else kept[:150]
    return kept or default


def extension_of(name: str) -> str:
    return PurePosixPath(name.lower()).suffix.lstrip(".")


def stored_name(folder: str, filename: str) -> str:
    """A generated name under ``folder`` keeping only the (cleaned) extension."""
    extension = extension_of(safe_filename(filename))
    suffix = f".{extension}" if extension.isalnum() and len(extension) <= 10 else ""
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def download_name(title: str, stored: str) -> str:
    """The name a download gets: the record's title with the stored file's extension."""
    extension = extension_of(stored)
    name = safe_filename(title)
    return (
        name if not extension or name.lower().endswith(f".{extension}") else f"{name}.{extension}"
    )


def _zip_kind(data: bytes) -> Kind | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > UNPACKED_LIMIT:
            return None
        names = {info.filename for info in infos}
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return Kind.DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return Kind.XLSX
        if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
            return Kind.ODT
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def _text_kind(data: bytes, extension: str) -> Kind | None:
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return Kind.MARKDOWN if extension in EXTENSIONS[Kind.MARKDOWN] else Kind.TEXT


def sniff(data: bytes, extension: str) -> Kind | None:
    """Return what ``data`` really is, or None when it is none of the known kinds."""
    if data.startswith(b"%PDF-"):
        return Kind.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return _text_kind(data, extension)


def _read(upload: Any, max_bytes: int, field: str) -> bytes:
    too_big = _("The file is larger than %(limit)s MB.") % {"limit": max_bytes // MB}
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise DomainError(too_big, field=field)
    upload.seek(0)
    data: bytes = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise DomainError(too_big, field=field)
    if not data:
        raise DomainError(_("The file is empty."), field=field)
    return data


def check(
    upload: Any, *, allowed: Collection[Kind], max_bytes: int, field: str = "file"
) -> Checked:
    """Check an upload's size, real type and extension; DomainError on ``field`` otherwise."""
    data = _read(upload, max_bytes, field)
    name = safe_filename(getattr(upload, "name", "") or "")
    extension = extension_of(name)
    kind = sniff(data, extension)
    if kind is None or kind not in allowed:
        kinds = ", ".join(LABELS[k] for k in Kind if k in allowed)
        raise DomainError(
            _("This file is not one of the kinds accepted here: %(kinds)s.") % {"kinds": kinds},
            field=field,
        )
    if extension not in EXTENSIONS[kind]:
        raise DomainError(
            _("The file's name ends in .%(extension)s but its content is %(kind)s.")
            % {"extension": extension or "?", "kind": LABELS[kind]},
            field=field,
        )
    return Checked(data=data, kind=kind, name=name)
