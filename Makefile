# journeys: two commands do everything.
#   make run   set up, build the sample on the embedded DuckDB, print headline figures
#   make test  set up, lint (sqlfluff, ruff), dbt build with every test, MetricFlow's
#              validations, pytest, then the same build on PostgreSQL and Spark,
#              compared with DuckDB
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: setup run build test lint sqlfluff ruff dbt-build pytest sample bench clean \
	test-postgres test-spark test-engines test-suite semantic publish export report docs \
	ci-base ci-slim diff-marts lint-changed pre-commit test-fuzz fuzz

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,engines,semantic]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: setup
	$(BIN)/journeys run

build: setup
	$(BIN)/journeys build

test: setup lint dbt-build semantic test-suite

# make test runs every pytest file in one pytest-xdist session on
# TEST_WORKERS workers: the files of make pytest, the bounded fuzz run of
# make test-fuzz and the engine comparisons of make test-engines. One
# session keeps both cores busy to the end (run one after another, the
# engine and fuzz steps left a core idle for minutes). The files that start
# Spark run one after another as one unit on one worker (tests/pytest/
# conftest.py: three Spark sessions at once on two cores slowed each
# several times over). The longest units are named first and start first
# (--no-loadscope-reorder: xdist would start the files with the most tests
# first, which left the Spark builds to the end); each worker takes two
# units at the start, so a short file follows the Spark unit. Each target
# still runs alone.
TEST_WORKERS ?= 3
LONGEST_TEST_FILES := tests/pytest/test_cross_engine_spark.py tests/pytest/test_cross_engine_spark_raw.py \
	tests/pytest/test_reliability_engines.py tests/pytest/test_serving_publish.py \
	tests/pytest/test_cross_engine.py tests/pytest/test_ci_workflows.py tests/pytest/test_fuzz.py \
	tests/pytest/test_incremental.py tests/pytest/test_failures.py tests/pytest/test_pseudonymize.py
test-suite: setup
	JOURNEYS_FUZZ_EXAMPLES=$(FUZZ_CI_EXAMPLES) $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=25 \
		-m "" $(LONGEST_TEST_FILES) \
		$(filter-out $(LONGEST_TEST_FILES),$(sort $(wildcard tests/pytest/test_*.py)))

lint: sqlfluff ruff

# sqlfluff on both cores: 72 s instead of 134 s for every model and analysis
SQLFLUFF_PROCESSES ?= 2
sqlfluff: setup
	$(BIN)/sqlfluff lint --processes $(SQLFLUFF_PROCESSES) models analyses

ruff: setup
	$(BIN)/ruff check scripts tests sqlfluff_libs
	$(BIN)/ruff format --check scripts tests sqlfluff_libs

dbt-build: setup
	mkdir -p target && rm -f target/test.duckdb target/test.duckdb.wal && JOURNEYS_DUCKDB_PATH=target/test.duckdb $(BIN)/dbt build --profiles-dir . --target duckdb

# pytest runs the test files on PYTEST_WORKERS pytest-xdist workers (one file
# per worker at a time, so a file's module fixtures are built once).
PYTEST_WORKERS ?= 2
pytest: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

# MetricFlow's semantic and data-warehouse validations of the semantic layer
# (models/semantic/), against the database dbt-build just built.
semantic: setup
	JOURNEYS_DUCKDB_PATH=target/test.duckdb $(BIN)/dbt parse --profiles-dir . --quiet
	JOURNEYS_DUCKDB_PATH=target/test.duckdb $(BIN)/mf validate-configs

# Serving (README, "Serving the marts"): publish the project to the serving
# database (write-audit-publish), then export files, render the report or
# build the docs site from what is served.
EXPORT_FORMAT ?= parquet
EXPORT_DIR ?= exports
REPORT_DIR ?= reports/latest
publish: setup
	$(BIN)/journeys publish

export: setup
	$(BIN)/journeys export --format $(EXPORT_FORMAT) --out $(EXPORT_DIR)

report: setup
	$(BIN)/journeys report --out $(REPORT_DIR)

docs: setup
	$(BIN)/journeys docs --out target/docs-site

# Benchmark: full build, incremental build after 1% new events, and the
# bare-DuckDB floor, at BENCH_EVENTS events (e.g. make bench BENCH_EVENTS=10000000);
# BENCH_SELECTOR=core_pipeline measures the event-grain models only (selectors.yml).
BENCH_EVENTS ?= 1000000
BENCH_SELECTOR ?=
bench: setup
	$(BIN)/journeys bench --events $(BENCH_EVENTS) --workdir target/bench \
		$(if $(BENCH_SELECTOR),--selector $(BENCH_SELECTOR))

# The sample built (dbt build: seeds, models, unit and data tests) on a
# throwaway PostgreSQL server / a local Spark session, each compared mart by
# mart with a DuckDB build (tests/pytest/test_cross_engine*.py: PostgreSQL,
# Spark on the sample, Spark reading raw_data_dir files). The engines are
# started and stopped by scripts/journeys/engines.py. test-engines runs
# them all, plus the hostile fixture pseudonymized on each engine and
# PostgreSQL's read-only grants (tests/pytest/test_reliability_engines.py);
# make test runs the same files within its one pytest session.
ENGINE_TESTS := tests/pytest/test_cross_engine.py tests/pytest/test_cross_engine_spark.py \
	tests/pytest/test_cross_engine_spark_raw.py tests/pytest/test_reliability_engines.py
test-postgres: setup
	$(BIN)/pytest -m postgres $(ENGINE_TESTS)

test-spark: setup
	$(BIN)/pytest -m spark $(ENGINE_TESTS)

test-engines: setup
	$(BIN)/pytest -m "postgres or spark" $(ENGINE_TESTS)

# Pull-request CI (.github/workflows/; README, "Contributing"). The workflows
# call these targets and nothing else, so every step also runs locally.
#   make ci-base                 the main branch's artefacts: a full dbt build
#                                into $(CI_BASE_DIR)/journeys_base.duckdb, with
#                                its manifest.json beside it
#   make ci-slim BASE=<dir>      build and test only the models changed against
#                                BASE's manifest and their descendants
#                                (state:modified+), reading unchanged parents
#                                from BASE's database (--defer), into
#                                $(CI_DIR)/journeys_ci.duckdb
#   make diff-marts BASE=<file>  every mart of DB against BASE's: rows added,
#                                removed and changed, key figures before/after
#                                (Markdown; appended to DIFF_OUT when given)
#   make lint-changed            sqlfluff on the SQL changed since BASE_REF
#   make pre-commit              every pre-commit hook on every file
CI_BASE_DIR ?= target/ci-base
CI_DIR ?= target/ci
BASE_REF ?= origin/main
DB ?= journeys.duckdb
DIFF_OUT ?=

ci-base: setup
	rm -rf $(CI_BASE_DIR) && mkdir -p $(CI_BASE_DIR)
	JOURNEYS_DUCKDB_PATH=$(CI_BASE_DIR)/journeys_base.duckdb $(BIN)/dbt build --profiles-dir . \
		--target duckdb --target-path $(CI_BASE_DIR)/dbt-target
	cp $(CI_BASE_DIR)/dbt-target/manifest.json $(CI_BASE_DIR)/manifest.json

ci-slim: setup
	@[ -f "$(BASE)/manifest.json" ] && [ -f "$(BASE)/journeys_base.duckdb" ] || { echo \
		"make ci-slim: BASE=<folder holding manifest.json and journeys_base.duckdb (make ci-base)>"; \
		exit 2; }
	rm -rf $(CI_DIR) && mkdir -p $(CI_DIR)
	JOURNEYS_DUCKDB_PATH=$(CI_DIR)/journeys_ci.duckdb \
	JOURNEYS_CI_BASE_DUCKDB=$(abspath $(BASE))/journeys_base.duckdb \
		$(BIN)/dbt build --profiles-dir . --target duckdb_ci --target-path $(CI_DIR) \
		--select state:modified+ --defer --state $(BASE)

diff-marts: setup
	@test -n "$(BASE)" || { echo "make diff-marts: BASE=<base DuckDB file or make ci-base folder>"; \
		exit 2; }
	$(BIN)/python -m journeys.diff --base "$(BASE)" --current "$(DB)" \
		$(if $(DIFF_OUT),--append-to "$(DIFF_OUT)")

lint-changed: setup
	@base=$$(git merge-base $(BASE_REF) HEAD) || exit 2; \
	files=$$( (git diff --name-only --diff-filter=d $$base -- 'models/*.sql' 'analyses/*.sql'; \
		git ls-files --others --exclude-standard -- 'models/*.sql' 'analyses/*.sql') | sort -u); \
	if [ -z "$$files" ]; then echo "lint-changed: no SQL changed since $(BASE_REF)"; \
	else echo "lint-changed:" $$files; $(BIN)/sqlfluff lint $$files; fi

pre-commit: setup
	$(BIN)/pre-commit run --all-files

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
