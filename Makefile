# journeys: two commands do everything.
#   make run   set up, build the sample on the embedded DuckDB, print headline figures
#   make test  set up, lint (sqlfluff, ruff), dbt build with every test, pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: setup run build test lint sqlfluff ruff dbt-build pytest sample clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: setup
	$(BIN)/journeys run

build: setup
	$(BIN)/journeys build

test: setup lint dbt-build pytest

lint: sqlfluff ruff

sqlfluff: setup
	$(BIN)/sqlfluff lint models analyses

ruff: setup
	$(BIN)/ruff check scripts tests sqlfluff_libs
	$(BIN)/ruff format --check scripts tests sqlfluff_libs

dbt-build: setup
	mkdir -p target && JOURNEYS_DUCKDB_PATH=target/test.duckdb $(BIN)/dbt build --profiles-dir . --target duckdb

pytest: setup
	$(BIN)/pytest

# Rewrite the committed sample seeds from the deterministic generator.
sample: setup
	$(BIN)/journeys generate --sample

clean:
	rm -rf target logs .duckdb_tmp journeys.duckdb journeys.duckdb.wal
