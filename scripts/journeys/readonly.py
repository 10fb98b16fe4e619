"""Read-only access to a built DuckDB file, for BI tools and notebooks.

`connect_read_only(path)` opens the database so that the connection can
only read the marts: DuckDB's read-only mode (no write to the file, and
any number of readers at once), external access off (no reading or
writing other files, no ATTACH, no extension loading) and the
configuration locked, so a query cannot switch either back on. Times are
shown in UTC, as the marts hold them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

READ_ONLY_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
}


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A connection that can only read the database at `path` (which must
    exist: a read-only open never creates one)."""
    database = Path(path)
    if not database.is_file():
        raise FileNotFoundError(f"no DuckDB database at {database}; build the project first")
    connection = duckdb.connect(str(database), read_only=True, config=dict(READ_ONLY_CONFIG))
    connection.execute("set TimeZone = 'UTC'")
    connection.execute("set lock_configuration = true")
    return connection
