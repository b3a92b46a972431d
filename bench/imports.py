"""Benchmark: the dry run and the real run of an import of 10,000 clients (issue #8).

Not a test: run it by hand (not part of `make test`):

    .venv/bin/python -m bench.imports                      # a throwaway SQLite database
    DATABASE_URL=postgres://… .venv/bin/python -m bench.imports   # an EMPTY PostgreSQL database

It builds a CSV file of 10,000 valid clients in memory (real national numbers, postcode 2440),
then times `import_check` (the dry run: every row through ClientForm and the clients service's
checks) and `import_run` with "skip the refused rows" (every row checked again, then created
in batches of 500 with one audit event each), and prints the time and query count of each.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Counter:
    """Count the queries sent to the database (without keeping them, unlike DEBUG logging)."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> Counter:
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapper.__exit__(*exc)


def main() -> None:
    setup_django()
    from django.db import connection

    from doorstroom.accounts.models import Membership, Municipality, Organisation, User
    from doorstroom.accounts.roles import OrganisationKind, Role
    from doorstroom.clients.models import Client
    from doorstroom.imports import services
    from tests.imports.files import CLIENT_HEADERS, client_rows, csv_bytes

    organisation = Organisation.objects.create(
        name=f"OCMW Bench {time.time_ns()}", kind=OrganisationKind.OCMW
    )
    organisation.service_area.set(Municipality.objects.filter(name_nl="Geel"))
    lead = User.objects.create_user(
        email=f"bench-{time.time_ns()}@example.test", password=None, first_name="B", last_name="L"
    )
    Membership.objects.create(user=lead, organisation=organisation, role=Role.TEAM_LEAD)
    content = csv_bytes(CLIENT_HEADERS, client_rows(ROWS), delimiter=";", bom=True)
    print(f"database: {connection.vendor}; {ROWS:,} clients, {len(content) / 1e6:.1f} MB CSV")

    with Counter() as counted:
        started = time.perf_counter()
        run = services.import_check(kind="clients", content=content, file_name="b.csv", by=lead)
        seconds = time.perf_counter() - started
    print(
        f"dry run:  {seconds:6.1f} s  {counted.queries:7,} queries  "
        f"{1000 * seconds / ROWS:.2f} ms/row  refused {run.refused_count}"
    )
    with Counter() as counted:
        started = time.perf_counter()
        run = services.import_run(run, mode="skip_bad_rows", by=lead)
        seconds = time.perf_counter() - started
    print(
        f"real run: {seconds:6.1f} s  {counted.queries:7,} queries  "
        f"{1000 * seconds / ROWS:.2f} ms/row  created {run.created_count}"
    )
    assert Client.objects.filter(organisation=organisation).count() == run.created_count


if __name__ == "__main__":
    main()
