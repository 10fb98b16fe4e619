"""Read-only BI access to DuckDB (issue 7): a connection from
journeys.readonly reads the marts and can change nothing, reach no other
file and not switch its own limits off."""

from __future__ import annotations

import duckdb
import pytest

from journeys.readonly import connect_read_only


@pytest.fixture
def con(handmade_db):
    with connect_read_only(handmade_db) as connection:
        yield connection


def test_reads_the_marts(con):
    # 41 clean events in the handmade data (test_marts_handmade.py)
    assert con.execute("select count(*) from fct_events").fetchone() == (41,)
    assert con.execute("select current_setting('TimeZone')").fetchone() == ("UTC",)


@pytest.mark.parametrize(
    "statement",
    [
        "create table stolen as select 1 as x",
        "drop table fct_events",
        "delete from dim_customers",
        "update dim_customers set segment = 'x'",
    ],
)
def test_cannot_write(con, statement):
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "copy fct_events to '{tmp}/events.csv'",
        "select * from read_csv('{tmp}/../events.csv')",
        "attach '{tmp}/other.duckdb' as other",
        "install httpfs",
    ],
)
def test_cannot_reach_other_files(con, tmp_path, statement):
    (tmp_path.parent / "events.csv").write_text("a\n1\n")
    with pytest.raises(duckdb.Error):
        con.execute(statement.format(tmp=tmp_path))
    assert not (tmp_path / "events.csv").exists()
    assert not (tmp_path / "other.duckdb").exists()


@pytest.mark.parametrize(
    "statement", ["set enable_external_access = true", "set lock_configuration = false"]
)
def test_cannot_lift_its_limits(con, statement):
    with pytest.raises(duckdb.Error, match="lock"):
        con.execute(statement)


def test_a_missing_database_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no DuckDB database at"):
        connect_read_only(tmp_path / "nothing.duckdb")
