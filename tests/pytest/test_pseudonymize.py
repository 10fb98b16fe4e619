"""Personal data (issue 7): with var pseudonymize_identifiers on, every
customer_id and anonymous_id is replaced from staging on by a keyed hash,
so that no mart carries a raw identifier, and every mart is otherwise
exactly what the plain build gives.

The pseudonym is computed here independently of the SQL (Python's hashlib):
sha256(md5('journeys-pseudonym-v1|' + key) + '|' + identifier), in hex.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from conftest import (
    HANDMADE_AS_OF,
    MART_ORDER,
    PROJECT_DIR,
    assert_same_rows,
    copy_fixture,
    query,
    run_dbt,
)

from journeys.project import DbtInvocation

KEY = "test-only-key-0123456789"
OTHER_KEY = "another-test-key-9876543210"
IDENTIFIER_COLUMNS = {"customer_key", "customer_id", "anonymous_id", "linked_customer_id"}
# Surrogate keys hashed from customer_key: mapped through the events.
SURROGATES = ("session_id", "journey_id", "transition_id")
# Keys of rejected / dropped rows: a keyed hash when pseudonymized.
ROW_IDS = {"rejected_row_id", "dropped_row_id"}


def pseudonym(value: str, key: str = KEY) -> str:
    salt = hashlib.md5(f"journeys-pseudonym-v1|{key}".encode()).hexdigest()
    return hashlib.sha256(f"{salt}|{value}".encode()).hexdigest()


def pseudo_key(customer_key: str, key: str = KEY) -> str:
    if customer_key.startswith("anon:"):
        return "anon:" + pseudonym(customer_key[5:], key)
    return pseudonym(customer_key, key)


class Build:
    """dbt builds into one database, with or without pseudonymisation."""

    def __init__(self, workdir: Path, raw: Path) -> None:
        self.workdir = workdir
        self.raw = raw
        self.database = workdir / "journeys.duckdb"

    def run(self, pseudonymize: bool, key: str = KEY) -> Path:
        invocation = DbtInvocation(
            project_dir=PROJECT_DIR,
            duckdb_path=self.database,
            vars={
                "raw_data_dir": str(self.raw),
                "as_of": HANDMADE_AS_OF,
                "pseudonymize_identifiers": pseudonymize,
            },
            target_path=self.workdir / "target",
        )
        previous = os.environ.get("JOURNEYS_PSEUDONYM_KEY")
        os.environ["JOURNEYS_PSEUDONYM_KEY"] = key
        try:
            run_dbt(invocation, ["build", "--exclude-resource-type", "unit_test"])
        finally:
            if previous is None:
                os.environ.pop("JOURNEYS_PSEUDONYM_KEY")
            else:
                os.environ["JOURNEYS_PSEUDONYM_KEY"] = previous
        return self.database


@pytest.fixture(scope="module")
def handmade_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture("handmade", tmp_path_factory.mktemp("pseudo_raw"))


@pytest.fixture(scope="module")
def pseudonymized_db(tmp_path_factory, handmade_raw) -> Path:
    return Build(tmp_path_factory.mktemp("pseudo"), handmade_raw).run(pseudonymize=True)


def table(db: Path, name: str) -> tuple[list[str], list[tuple]]:
    rows = query(db, f"select * from {name}")
    columns = [
        row[0]
        for row in query(
            db,
            "select column_name from information_schema.columns where table_name = ?"
            " order by ordinal_position",
            [name],
        )
    ]
    return columns, rows


def surrogate_maps(plain: Path, hashed: Path) -> dict[str, dict]:
    """Plain surrogate key -> pseudonymized one, matched through the events
    (session_id, journey_id) and the transitions (journey, to_stage)."""
    maps: dict[str, dict] = {name: {} for name in SURROGATES}
    sql = "select event_id, session_id, journey_id from fct_events"
    by_event = {row[0]: row[1:] for row in query(hashed, sql)}
    for event_id, session_id, journey_id in query(plain, sql):
        maps["session_id"][session_id] = by_event[event_id][0]
        maps["journey_id"][journey_id] = by_event[event_id][1]
    sql = "select journey_id, to_stage, transition_id from fct_stage_transitions"
    by_step = {(row[0], row[1]): row[2] for row in query(hashed, sql)}
    for journey_id, to_stage, transition_id in query(plain, sql):
        maps["transition_id"][transition_id] = by_step[(maps["journey_id"][journey_id], to_stage)]
    return maps


def pseudonymize_raw_values(text: str) -> str:
    values = json.loads(text)
    for column in ("customer_id", "anonymous_id"):
        value = values.get(column)
        if value is not None and value.strip(" "):
            values[column] = pseudonym(value.strip(" "))
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def expected_row(columns: list[str], row: tuple, maps: dict, mart: str) -> tuple:
    """A plain build's row as the pseudonymized build must show it."""
    out = []
    values = dict(zip(columns, row, strict=True))
    for column, value in values.items():
        if column in ROW_IDS or column.startswith("_"):
            continue
        if value is None:
            out.append(None)
        elif column == "customer_key":
            out.append(pseudo_key(value))
        elif column in IDENTIFIER_COLUMNS:
            out.append(pseudonym(value))
        elif column.endswith(SURROGATES):
            out.append(maps[next(s for s in SURROGATES if column.endswith(s))][value])
        elif column == "raw_values":
            out.append(pseudonymize_raw_values(value))
        elif column == "record_key" and values.get("input_name") == "customers":
            out.append(pseudonym(value))
        else:
            out.append(value)
    return tuple(out)


def rounded(row: tuple) -> str:
    """A sort key in which doubles equal within D21's tolerance sort alike."""
    return repr(tuple(f"{v:.8e}" if isinstance(v, float) else v for v in row))


def comparable(columns: list[str], rows: list[tuple]) -> list[tuple]:
    keep = [i for i, name in enumerate(columns) if name not in ROW_IDS and name[0] != "_"]
    return sorted((tuple(row[i] for i in keep) for row in rows), key=rounded)


@pytest.mark.parametrize("mart", sorted(MART_ORDER))
def test_pseudonymized_marts_are_the_plain_marts_with_identifiers_hashed(
    handmade_db, pseudonymized_db, mart
):
    maps = surrogate_maps(handmade_db, pseudonymized_db)
    columns, plain_rows = table(handmade_db, mart)
    hashed_columns, hashed_rows = table(pseudonymized_db, mart)
    assert hashed_columns == columns
    expected = sorted((expected_row(columns, row, maps, mart) for row in plain_rows), key=rounded)
    assert_same_rows(comparable(hashed_columns, hashed_rows), expected)


def test_no_mart_holds_a_raw_identifier(pseudonymized_db, handmade_raw):
    raw_ids = set()
    for name, columns in (
        ("events.csv", ("customer_id", "anonymous_id")),
        ("customers.csv", ("customer_id",)),
        ("survey_responses.csv", ("customer_id",)),
    ):
        with open(handmade_raw / name, newline="") as handle:
            for record in csv.DictReader(handle):
                raw_ids |= {record[c].strip(" ") for c in columns if record[c].strip(" ")}
    assert raw_ids == {"a2", "c1", "c2", "c3", "c4", "c5", "c6", "c9", "v9"}
    # By substring: a raw id anywhere inside a value (a key `anon:a2`, a
    # path, a JSON document of raw values, a concatenated id) is a leak; an
    # id counts where it is not part of a longer run of letters and digits
    # (the hex of a pseudonym holds `c1` by chance, and is no leak).
    leak = re.compile(
        r"(?<![0-9A-Za-z])(" + "|".join(map(re.escape, sorted(raw_ids))) + r")(?![0-9A-Za-z])"
    )
    checked = 0
    for mart in MART_ORDER:
        columns, rows = table(pseudonymized_db, mart)
        for row in rows:
            for column, value in zip(columns, row, strict=True):
                # a list (fct_conversion_paths.channel_list): every element
                for held in value if isinstance(value, list) else [value]:
                    if isinstance(held, str):
                        checked += 1
                        found = leak.search(held)
                        assert found is None, (
                            f"{mart}.{column} holds the raw id {found[0]!r} in {held[:200]!r}"
                        )
                if column == "raw_values":
                    fields = json.loads(value)
                    for field in ("customer_id", "anonymous_id"):
                        held = (fields.get(field) or "").strip(" ")
                        assert held not in raw_ids, f"{mart}.raw_values holds {held!r}"
    assert checked > 1000, "the marts' text values were read"
    # the check itself finds what it must: an id inside a key, a JSON
    # document and a path, not inside a pseudonym's hex or a longer id
    assert leak.search("anon:a2") and leak.search('{"customer_id": " c1 "}')
    assert leak.search("web > c9 > email")
    assert not leak.search(pseudonym("c1")) and not leak.search("c10") and not leak.search("xc1")


def test_switching_pseudonymization_on_recomputes_everything(
    tmp_path_factory, handmade_raw, pseudonymized_db
):
    """An incremental build switched on (then its key rotated) must equal a
    fresh build: every event is recomputed, no raw identifier survives."""
    build = Build(tmp_path_factory.mktemp("pseudo_toggle"), handmade_raw)
    build.run(pseudonymize=False)
    switched = build.run(pseudonymize=True)
    for mart in MART_ORDER:
        columns, rows = table(switched, mart)
        fresh_columns, fresh_rows = table(pseudonymized_db, mart)
        assert_same_rows(comparable(columns, rows), comparable(fresh_columns, fresh_rows))
    rotated = build.run(pseudonymize=True, key=OTHER_KEY)
    keys = {row[0] for row in query(rotated, "select customer_key from dim_customers")}
    assert pseudonym("c1", OTHER_KEY) in keys
    assert pseudonym("c1") not in keys
