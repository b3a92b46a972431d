"""Django's SQLite backend, plus ``PRAGMA optimize`` before each connection closes.

SQLite plans without statistics until ANALYZE has run, and nothing runs it for an installation
on the embedded database: at scale l it then matched a workplace against the clients by reading
every running trajectory (150 ms) rather than the coach's scope by index (30 ms; issue 11).
SQLite's advice for applications is to run ``PRAGMA optimize`` before closing a connection: it
analyses, within ``analysis_limit``, only the tables this connection used that lack statistics
or have grown much since, and costs next to nothing otherwise.
"""

from __future__ import annotations

import contextlib
import sqlite3

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close(self) -> None:
        if self.connection is not None and not self.in_atomic_block:
            with contextlib.suppress(sqlite3.Error):  # busy elsewhere: next time
                self.connection.execute("PRAGMA busy_timeout = 100")
                self.connection.execute("PRAGMA analysis_limit = 400")
                self.connection.execute("PRAGMA optimize")
        super().close()
