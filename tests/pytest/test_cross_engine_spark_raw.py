"""raw_data_dir on Spark: files read by Spark's own csv and parquet readers
give the marts DuckDB's readers give (see test_cross_engine.py for the
build and the comparison)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_cross_engine import _assert_same, built_marts

# Files in a raw_data_dir, every layout and format at once: a folder of CSV
# files, single CSV and Parquet files, a missing optional input. Parquet
# carries typed values (UTC timestamps, doubles), CSV unparseable text; both
# carry bad rows. Read by DuckDB's and by Spark's own readers.
RAW_AS_OF = "2025-02-20T00:00:00"
# The generated files carry many bad rows on purpose (at 60 customers over
# 40 days, half the survey responses): the quality gates would stop the
# build, and this test is about the readers, so their error levels are off.
RAW_VARS: dict[str, object] = {
    "as_of": RAW_AS_OF,
    "max_rejected_share_error": 1,
    "max_rejected_reason_share_error": 1,
}


@pytest.fixture(scope="module")
def raw_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from journeys.generate import generate_dataset

    made = tmp_path_factory.mktemp("raw_made")
    for fmt in ("csv", "parquet"):
        generate_dataset(customers=60, days=40, out_dir=made / fmt, fmt=fmt)
    raw = tmp_path_factory.mktemp("raw_data_dir")
    (raw / "events").mkdir()
    (made / "csv" / "events.csv").rename(raw / "events" / "part-0001.csv")
    (made / "parquet" / "customers.parquet").rename(raw / "customers.parquet")
    (made / "csv" / "survey_responses.csv").rename(raw / "survey_responses.csv")
    (made / "parquet" / "campaigns.parquet").rename(raw / "campaigns.parquet")
    return raw  # no marketing_spend: optional, read as empty


@pytest.fixture(scope="module")
def duckdb_raw_marts(tmp_path_factory: pytest.TempPathFactory, raw_data_dir: Path) -> Iterator:
    dbt_vars = {"raw_data_dir": str(raw_data_dir), **RAW_VARS}
    yield from built_marts("duckdb", tmp_path_factory.mktemp("raw_duckdb"), dbt_vars)


@pytest.fixture(scope="module")
def spark_raw_marts(tmp_path_factory: pytest.TempPathFactory, raw_data_dir: Path) -> Iterator:
    dbt_vars = {"raw_data_dir": str(raw_data_dir), **RAW_VARS}
    # models only: the sample build runs every unit test on Spark; this
    # one is about Spark's file readers, and its marts are compared.
    yield from built_marts("spark", tmp_path_factory.mktemp("raw_spark"), dbt_vars, True)


@pytest.mark.spark
def test_spark_reads_raw_data_dir_as_duckdb_does(duckdb_raw_marts: dict, spark_raw_marts: dict):
    """raw_data_dir on Spark (its csv and parquet readers): the same marts,
    rejected rows and their raw text included, as DuckDB's readers give."""
    assert duckdb_raw_marts["rejected_rows"][1], "the files carry bad rows"
    quality = {row[0]: row for row in duckdb_raw_marts["rpt_data_quality"][1]}
    assert quality["marketing_spend"][2] == 0, "marketing_spend is missing, read as empty"
    _assert_same(duckdb_raw_marts, spark_raw_marts, "spark")
