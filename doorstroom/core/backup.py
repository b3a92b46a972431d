"""Backup and restore of the embedded mode (SQLite + MEDIA_ROOT), and database fingerprints.

An archive is a ``.tar.gz`` with ``doorstroom.sqlite3`` (taken with SQLite's online backup API,
so the application may keep running), ``media/`` and ``manifest.json`` (when, which migrations,
and a fingerprint of every table). ``restore_archive`` checks the archive before it touches
anything and checks the fingerprints again afterwards. The encryption keys are never in an
archive: see docs/backup.md. PostgreSQL installations use pg_dump (same document); the
fingerprint command proves a pg_dump/pg_restore round trip in CI.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, cast

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

DB_NAME = "doorstroom.sqlite3"
MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    sha256: str


def _quote(wrapper: BaseDatabaseWrapper, name: str) -> str:
    return wrapper.ops.quote_name(name)


def table_fingerprints(wrapper: BaseDatabaseWrapper = connection) -> dict[str, TableFingerprint]:
    """Return every table's row count and a SHA-256 of its rows in a stable order."""
    result: dict[str, TableFingerprint] = {}
    with wrapper.cursor() as cursor:
        for table in sorted(wrapper.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {_quote(wrapper, table)} WHERE 1 = 0")  # noqa: S608 - introspected name, quoted
            order = ", ".join(_quote(wrapper, c[0]) for c in cursor.description)
            cursor.execute(f"SELECT * FROM {_quote(wrapper, table)} ORDER BY {order}")  # noqa: S608 - introspected names, quoted
            digest, count = hashlib.sha256(), 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_normal(v) for v in row)).encode())
                count += 1
            result[table] = TableFingerprint(count, digest.hexdigest())
    return result


def _normal(value: Any) -> Any:
    # The same value must hash the same on every driver: memoryview/bytes as hex, the rest as text.
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return str(value) if value is not None else None


def _sqlite_path() -> Path:
    if connection.vendor != "sqlite":
        raise BackupError(
            "manage.py backup and restore are for the embedded SQLite database; "
            "back up PostgreSQL with pg_dump (docs/backup.md)."
        )
    return Path(str(settings.DATABASES["default"]["NAME"]))


def _live_sqlite() -> sqlite3.Connection:
    connection.ensure_connection()
    return cast(sqlite3.Connection, connection.connection)


def _migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def create_archive(output: Path) -> dict[str, Any]:
    """Write a backup archive of the database and MEDIA_ROOT to ``output``; return the manifest."""
    _sqlite_path()
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / DB_NAME
        target = sqlite3.connect(copy)
        try:
            _live_sqlite().backup(target)  # online backup: a consistent copy while in use
        finally:
            target.close()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "migrations": _migrations(),
            "tables": {
                name: {"rows": f.rows, "sha256": f.sha256}
                for name, f in table_fingerprints().items()
            },
            "database_sha256": hashlib.sha256(copy.read_bytes()).hexdigest(),
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as archive:
            archive.add(Path(work) / MANIFEST, MANIFEST)
            archive.add(copy, DB_NAME)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, MEDIA)
    return manifest


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"The archive holds an unsafe entry: {member.name!r}.")
        members.append(member)
    return members


def read_manifest(archive_path: Path) -> dict[str, Any]:
    """Return the manifest of an archive, or raise BackupError when it is not one of ours."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            names = {m.name for m in _safe_members(archive)}
            if MANIFEST not in names or DB_NAME not in names:
                raise BackupError("This is not a Doorstroom backup: manifest or database missing.")
            handle = archive.extractfile(MANIFEST)
            assert handle is not None
            manifest: dict[str, Any] = json.loads(handle.read())
    except (OSError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(f"The archive cannot be read: {error}.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def _is_empty() -> bool:
    with connection.cursor() as cursor:
        if "accounts_user" not in connection.introspection.table_names(cursor):
            return True
        cursor.execute("SELECT COUNT(*) FROM accounts_user")
        return bool(cursor.fetchone()[0] == 0)


def restore_archive(archive_path: Path, *, force: bool = False) -> dict[str, Any]:
    """Replace the database and MEDIA_ROOT by the archive's; verify every table afterwards."""
    _sqlite_path()
    manifest = read_manifest(archive_path)
    if not force and not _is_empty():
        raise BackupError(
            "The database is not empty: restoring would replace it. Use --force to replace it."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(work, members=_safe_members(archive), filter="data")
        copy = Path(work) / DB_NAME
        if hashlib.sha256(copy.read_bytes()).hexdigest() != manifest["database_sha256"]:
            raise BackupError("The database in the archive is damaged (checksum mismatch).")
        source = sqlite3.connect(copy)
        try:
            source.backup(_live_sqlite())  # page by page into the live database
        finally:
            source.close()
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.rmtree(media)
        if (Path(work) / MEDIA).is_dir():
            shutil.copytree(Path(work) / MEDIA, media)
        else:
            media.mkdir(parents=True, exist_ok=True)
    expected = manifest["tables"]
    found = {n: {"rows": f.rows, "sha256": f.sha256} for n, f in table_fingerprints().items()}
    if found != expected:
        differing = sorted(n for n in set(found) | set(expected) if found.get(n) != expected.get(n))
        raise BackupError(
            "Restored, but these tables differ from the backup: " + ", ".join(differing)
        )
    return manifest
