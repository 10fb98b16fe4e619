# journeys: two commands do everything.
#   make run   set up, build the sample on the embedded DuckDB, print headline figures
#   make test  set up, lint (sqlfluff, ruff), dbt build with every test, pytest,
#              then the same build on PostgreSQL and Spark, compared with DuckDB
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: setup run build test lint sqlfluff ruff dbt-build pytest sample bench clean \
	test-postgres test-spark test-engines test-fuzz fuzz

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,engines]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: setup
	$(BIN)/journeys run

build: setup
	$(BIN)/journeys build

test: setup lint dbt-build pytest test-fuzz test-engines

lint: sqlfluff ruff

sqlfluff: setup
	$(BIN)/sqlfluff lint models analyses

ruff: setup
	$(BIN)/ruff check scripts tests sqlfluff_libs
	$(BIN)/ruff format --check scripts tests sqlfluff_libs

dbt-build: setup
	mkdir -p target && rm -f target/test.duckdb target/test.duckdb.wal && JOURNEYS_DUCKDB_PATH=target/test.duckdb $(BIN)/dbt build --profiles-dir . --target duckdb

pytest: setup
	$(BIN)/pytest

# Benchmark: full build, incremental build after 1% new events, and the
# bare-DuckDB floor, at BENCH_EVENTS events (e.g. make bench BENCH_EVENTS=10000000).
BENCH_EVENTS ?= 1000000
bench: setup
	$(BIN)/journeys bench --events $(BENCH_EVENTS) --workdir target/bench

# The sample built (dbt build: seeds, models, unit and data tests) on a
# throwaway PostgreSQL server / a local Spark session, each compared mart by
# mart with a DuckDB build (tests/pytest/test_cross_engine.py). The engines
# are started and stopped by scripts/journeys/engines.py. test-engines runs
# both against one DuckDB reference build (what `make test` runs), plus the
# hostile fixture pseudonymized on each engine and PostgreSQL's read-only
# grants (tests/pytest/test_reliability_engines.py).
ENGINE_TESTS := tests/pytest/test_cross_engine.py tests/pytest/test_reliability_engines.py
test-postgres: setup
	$(BIN)/pytest -m postgres $(ENGINE_TESTS)

test-spark: setup
	$(BIN)/pytest -m spark $(ENGINE_TESTS)

test-engines: setup
	$(BIN)/pytest -m "postgres or spark" $(ENGINE_TESTS)

# Property-based fuzzing of the input contract (tests/pytest/test_fuzz.py):
# one dbt build per hypothesis example. test-fuzz is the bounded,
# derandomised run of make test (FUZZ_CI_EXAMPLES, 20-35 s each); fuzz runs
# FUZZ_EXAMPLES with a new random seed each time (make fuzz FUZZ_EXAMPLES=500).
FUZZ_CI_EXAMPLES ?= 5
FUZZ_EXAMPLES ?= 100
test-fuzz: setup
	JOURNEYS_FUZZ_EXAMPLES=$(FUZZ_CI_EXAMPLES) $(BIN)/pytest -m fuzz --hypothesis-show-statistics tests/pytest/test_fuzz.py

fuzz: setup
	JOURNEYS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) JOURNEYS_FUZZ_RANDOM=1 $(BIN)/pytest -m fuzz --hypothesis-show-statistics tests/pytest/test_fuzz.py

# Rewrite the committed sample seeds from the deterministic generator.
sample: setup
	$(BIN)/journeys generate --sample

clean:
	rm -rf target logs .duckdb_tmp journeys.duckdb journeys.duckdb.wal
