"""The sample on Spark gives DuckDB's marts (see test_cross_engine.py for
the build and the comparison). Its own file so that `make test` runs it on
another worker than the PostgreSQL comparison and the raw_data_dir build."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_cross_engine import _assert_same, built_marts


@pytest.fixture(scope="module")
def duckdb_marts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    yield from built_marts("duckdb", tmp_path_factory.mktemp("engine_duckdb"))


@pytest.fixture(scope="module")
def spark_marts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    # Spark runs every model and every unit test (the engine-specific SQL
    # is what they pin); its data tests are left to DuckDB and PostgreSQL:
    # each costs a Spark job (about 60% of the build), and every mart is
    # compared with DuckDB's row by row below, a stronger check.
    yield from built_marts("spark", tmp_path_factory.mktemp("engine_spark"), data_tests=False)


@pytest.mark.spark
def test_spark_marts_equal_duckdb(duckdb_marts: dict, spark_marts: dict) -> None:
    _assert_same(duckdb_marts, spark_marts, "spark")
