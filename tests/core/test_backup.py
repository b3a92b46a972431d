"""Backup and restore of the embedded mode (issue 10): a round trip loses nothing."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from doorstroom.accounts.models import User
from doorstroom.clients.models import Client
from doorstroom.core.backup import table_fingerprints
from tests.dossiers import make_trajectory

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the embedded mode; PostgreSQL: pg_dump in .ci/run"
)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "library").mkdir(parents=True)
    (settings.MEDIA_ROOT / "library" / "overeenkomst.pdf").write_bytes(b"%PDF-1.4 demo")
    return Path(settings.MEDIA_ROOT)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_restores_every_row_and_file_after_a_wipe(
    owner: User, media: Path, tmp_path: Path
) -> None:
    make_trajectory(owner)
    before = table_fingerprints()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)  # wipe
    (media / "library" / "overeenkomst.pdf").unlink()
    assert not Client.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert table_fingerprints() == before
    assert Client.objects.count() == 1
    assert (media / "library" / "overeenkomst.pdf").read_bytes() == b"%PDF-1.4 demo"
    assert "every table checked" in out.getvalue()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_overwrite_data_without_force(
    owner: User, media: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    make_trajectory(owner)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    assert Client.objects.count() == 1  # nothing replaced
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert not Client.objects.exists()  # the backup was taken before the client


def _rewrite(
    archive: Path, replace: dict[str, bytes], extra: tarfile.TarInfo | None = None
) -> Path:
    target = archive.with_name("changed.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name in replace:
                member.size = len(replace[member.name])
                out.addfile(member, io.BytesIO(replace[member.name]))
            else:
                out.addfile(member, data)
        if extra is not None:
            out.addfile(extra, io.BytesIO(b"x"))
    return target


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_damaged_or_hostile_archive(owner: User, media: Path, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        handle = opened.extractfile("doorstroom.sqlite3")
        assert handle is not None
        database = handle.read()
    damaged = _rewrite(archive, {"doorstroom.sqlite3": database[:-10] + b"0123456789"})
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), force=True)

    escape = tarfile.TarInfo("../../etc/evil")
    escape.size = 1
    with pytest.raises(CommandError, match="unsafe entry"):
        call_command("restore", str(_rewrite(archive, {}, escape)), force=True)

    manifest = json.dumps({"format": 99}).encode()
    with pytest.raises(CommandError, match="Unknown backup format"):
        call_command("restore", str(_rewrite(archive, {"manifest.json": manifest})), force=True)

    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("restore", str(tmp_path / "junk.tar.gz"), force=True)
    assert User.objects.filter(pk=owner.pk).exists()  # nothing replaced by any of them


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL installations use pg_dump")
@pytest.mark.django_db
def test_it_points_postgresql_installations_to_pg_dump(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", output=str(tmp_path / "b.tar.gz"))


@pytest.mark.django_db
def test_the_fingerprint_changes_when_a_row_changes(owner: User) -> None:
    before = table_fingerprints()
    owner.first_name = "Anders"
    owner.save(update_fields=["first_name"])
    after = table_fingerprints()
    assert after["accounts_user"].rows == before["accounts_user"].rows
    assert after["accounts_user"].sha256 != before["accounts_user"].sha256
    assert after["clients_client"] == before["clients_client"]
