"""Property-based fuzzing of the input contract (issue 7): hypothesis
generates events, customers and survey_responses files corrupted in every
column (nulls, empty and blank strings, unicode and control characters,
quotes, commas and newlines inside CSV fields, a byte-order mark, CRLF line
ends, very long strings, out-of-range and malformed timestamps and offsets,
duplicate and conflicting keys, absurd numbers, shuffled and upper-cased
headers, an extra column, CSV or all-text Parquet), builds the whole project
on them (dbt build, every data test) and holds the result to the Python
oracle in fuzz_oracle.py:

- the build succeeds;
- per input, rows_received = rows_clean + rows_rejected + duplicates_dropped,
  and each count is the oracle's;
- every rejected row carries a reason, and the counts per reason are the
  oracle's; exact and conflicting duplicates likewise;
- every valid event reaches fct_events unchanged (its parsed id, time,
  identities, type, channel, campaign and revenue), and nothing else does.

Marked `fuzz` (deselected by default: a dbt build per example). `make
test-fuzz` runs a bounded, derandomised number of examples in CI
($JOURNEYS_FUZZ_EXAMPLES, default 5); `make fuzz` runs many more with a
random seed. A summary of what ran is printed at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import DBT, PROJECT_DIR, query
from fuzz_oracle import classify_customers, classify_events, classify_survey_responses
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from journeys.generate import COLUMNS

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("JOURNEYS_FUZZ_EXAMPLES", "5"))
RANDOM = os.environ.get("JOURNEYS_FUZZ_RANDOM") == "1"
# Shrinking a failure costs a dbt build per step (minutes): on request only.
SHRINK = os.environ.get("JOURNEYS_FUZZ_SHRINK") == "1"

# Gates off: fuzzed inputs are mostly bad rows on purpose.
BUILD_VARS = {
    "max_rejected_share_warn": 1,
    "max_rejected_share_error": 1,
    "max_rejected_reason_share_warn": 1,
    "max_rejected_reason_share_error": 1,
}

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)

# ---------------------------------------------------------------------------
# Strategies: cells
# ---------------------------------------------------------------------------

HOSTILE = [
    " ",
    "  ",
    "\t",
    "'",
    '"',
    '""',
    ",",
    "\n",
    "\r\n",
    ";",
    "--",
    "/*",
    "*/",
    "\\",
    "\\'",
    "é",
    "Ω",
    "ß",
    "😀",
    "\u200b",
    "\u00a0",
    "\ufeff",
    "\x01",
    "\x1b",
    "\x7f",
    "'); drop table fct_events; --",
    "' or '1'='1",
    "NULL",
    "null",
    "None",
    "{}",
    '{"a": 1}',
    "$.x",
    "%s",
    "{{ var('x') }}",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(alphabet="abcXYZ019_-", min_size=1, max_size=4)),
    min_size=1,
    max_size=4,
).map("".join)
long_text = st.integers(min_value=2_000, max_value=20_000).map(lambda n: "x" * n)
blank = st.sampled_from([None, "", " ", "   "])


def cell(*bad: st.SearchStrategy) -> st.SearchStrategy:
    """A corrupt value for a column: blank, hostile text or the column's own
    kind of bad (or colliding) value."""
    return st.one_of(blank, hostile_text, *bad)


def rows_of(valid_row: st.SearchStrategy, corrupt: list[st.SearchStrategy], size: tuple):
    """Rows that start valid and get 0-3 corrupted columns each, plus
    conflicting copies (an earlier row with one column changed: the same key
    with other values) and exact copies."""

    @st.composite
    def build(draw: st.DrawFn) -> list[tuple]:
        rows = []
        for row in draw(st.lists(valid_row, min_size=size[0], max_size=size[1])):
            values = list(row)
            for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))):
                column = draw(st.integers(0, len(values) - 1))
                values[column] = draw(corrupt[column])
            rows.append(tuple(values))
        if rows:
            for _ in range(draw(st.integers(0, 4))):
                values = list(draw(st.sampled_from(rows)))
                column = draw(st.integers(1, len(values) - 1))
                values[column] = draw(
                    st.one_of(valid_row.map(lambda r, c=column: r[c]), corrupt[column])
                )
                rows.append(tuple(values))
            rows += draw(st.lists(st.sampled_from(rows), max_size=4))
        return draw(st.permutations(rows))

    return build()


def ids(prefix: str, pool: int) -> st.SearchStrategy:
    """Ids from a small pool (so keys collide), sometimes padded or odd."""
    plain = st.integers(min_value=1, max_value=pool).map(lambda n: f"{prefix}{n}")
    padded = plain.map(lambda value: f" {value}  ")
    odd = st.sampled_from([f"{prefix}'1", f'{prefix}"2', f"{prefix},3", f"{prefix} é4", "ünï-5"])
    return st.one_of(plain, plain, plain, padded, odd)


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    """ISO-8601 spellings, valid and not: past and far-future instants in
    every layout the contract allows (T or space, seconds optional,
    fractions of any length, offsets Z/+hh/+hhmm/+hh:mm, unpadded fields),
    random calendar fields (month 13, 30 February, 24:00, 23:59:60, ...)
    and junk."""
    kind = draw(st.sampled_from(["past"] * 5 + ["future", "fields", "junk"]))
    if kind == "junk":
        return draw(
            st.sampled_from(
                [
                    "not a time",
                    "2024-01-01T",
                    "2024-01-01 10",
                    "2024-01-01Z",
                    "T10:00:00",
                    "1700000000",
                    "24-01-01",
                    "2024-01-01 10:00:00 +01:00",
                    "2024-01-01T10:00:00+1",
                    "2024-01-01T10:00:00+01:00:00",
                    "\uff12\uff10\uff12\uff14-01-01",  # full-width digits
                    "2024-01-01\n10:00",
                    "\t2024-01-01",
                    "2024-01-01T10:00:00+01:00:00",
                    "2024-01-01T10:00:00z",
                    "0000-01-01",
                    "99999-01-01",
                ]
            )
            | hostile_text
        )
    if kind == "fields":
        year = draw(st.sampled_from([2023, 2024, 2000, 1900]))
        month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
        hour, minute = draw(st.integers(0, 25)), draw(st.integers(0, 60))
        second = draw(st.integers(0, 61))
        text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        return text + draw(st.sampled_from(["", "Z", ".000", ".5", "+25:00", "-00:30"]))
    if kind == "future":
        moment = draw(st.datetimes(dt.datetime(2090, 1, 1), dt.datetime(2099, 12, 31)))
    else:
        moment = draw(st.datetimes(dt.datetime(2020, 1, 1), NOW - dt.timedelta(days=3)))
    pad = draw(st.booleans())
    date = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        if pad
        else f"{moment.year:04d}-{moment.month}-{moment.day}"
    )
    if draw(st.integers(0, 5)) == 0:
        return date
    clock = f"{moment.hour:02d}:{moment.minute:02d}" if pad else f"{moment.hour}:{moment.minute}"
    if draw(st.booleans()):
        clock += f":{moment.second:02d}"
        digits = draw(st.integers(0, 9))
        if digits:
            clock += "." + f"{moment.microsecond:06d}{draw(st.integers(0, 999)):03d}"[:digits]
    offset = draw(st.sampled_from(["", "", "Z", "+00", "+0530", "-08:00", "+14:00", "-0330"]))
    separator = draw(st.sampled_from(["T", " "]))
    around = draw(st.sampled_from(["", "", " ", "  "]))
    return f"{around}{date}{separator}{clock}{offset}{around}"


numbers = st.one_of(
    st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False).map(str),
    st.integers(0, 500).map(str),
    st.sampled_from(["+5", ".5", "5.", "1e3", "1_000.5", " 7 ", "0", "-0", "1E-400"]),
)
bad_numbers = st.sampled_from(
    [
        "-1",
        "-0.01",
        "abc",
        "1,5",
        "NaN",
        "inf",
        "-Infinity",
        "1e309",
        "0x10",
        "1__0",
        "--1",
        "1e",
        "1_",
        "123456789012345678901234567890",
        "1e308",
        "\t5",
        "5\n",
    ]
)

event_types = st.sampled_from(
    [
        *["page_view", "Page_View", " purchase ", "PURCHASE", "ad_click", "add_to_cart"],
        *["search", "support_ticket", "email_open", "checkout_start", "referral", "call"],
    ]
)
channels = st.sampled_from(
    ["web", " Web ", "APP", "email", "store", "call_center", "Ünïcode", "ΩMEGA", "a,b", 'q"t']
)


def optional(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), values)


def event_rows() -> st.SearchStrategy:
    valid = st.tuples(
        ids("e", 40),
        timestamps(),
        optional(ids("c", 8)),
        ids("a", 8),
        event_types,
        optional(channels),
        optional(ids("cmp", 3)),
        optional(numbers),
    )
    corrupt = [
        cell(ids("e", 40)),
        cell(timestamps(), long_text),
        cell(ids("c", 8), long_text),
        cell(ids("a", 8)),
        cell(st.sampled_from(["unknown_type", "purchase'; --", "page view"])),
        cell(channels, long_text),
        cell(ids("cmp", 3)),
        cell(bad_numbers, numbers),
    ]
    return rows_of(valid, corrupt, (10, 50))


def customer_rows() -> st.SearchStrategy:
    valid = st.tuples(
        ids("c", 8),
        optional(timestamps()),
        # not `all`: a segment or channel named like the reports' rollup row
        # duplicates their grain and fails the build (a finding: D3, D82)
        optional(st.sampled_from(["gold", "silver", " Bronze ", "ALL-ish"])),
        optional(st.sampled_from(["north", "south", "Zürich"])),
    )
    corrupt = [cell(ids("c", 8)), cell(timestamps()), cell(), cell()]
    return rows_of(valid, corrupt, (0, 12))


def survey_rows() -> st.SearchStrategy:
    valid = st.tuples(
        ids("r", 15),
        ids("c", 8),
        timestamps(),
        st.sampled_from(["csat", "CES", " nps ", "nps"]),
        st.integers(0, 7).map(str),
        optional(channels),
    )
    corrupt = [
        cell(ids("r", 15)),
        cell(ids("c", 8)),
        cell(timestamps()),
        cell(st.just("survey")),
        cell(st.sampled_from(["-1", "11", "4.5", "7.0", "1e1", "abc", "NaN"])),
        cell(channels),
    ]
    return rows_of(valid, corrupt, (0, 15))


@st.composite
def inputs(draw: st.DrawFn) -> dict:
    """Rows of each input, with exact copies appended and the order
    shuffled, and how each file is written."""
    made = {}
    for name, rows in (
        ("events", event_rows()),
        ("customers", customer_rows()),
        ("survey_responses", survey_rows()),
    ):
        values = draw(rows)
        made[name] = {
            "rows": values,
            "format": draw(st.sampled_from(["csv", "csv", "csv", "parquet"])),
            "crlf": draw(st.booleans()),
            "bom": draw(st.booleans()),
            "quote_all": draw(st.booleans()),
            "upper_header": draw(st.booleans()),
            "extra_column": draw(st.booleans()),
            "column_order": draw(st.permutations(range(len(COLUMNS[name])))),
        }
    made["customers"]["present"] = draw(st.booleans()) or bool(made["customers"]["rows"])
    made["survey_responses"]["present"] = True
    made["events"]["present"] = True
    return made


# ---------------------------------------------------------------------------
# Writing the files, and what a reader hands over
# ---------------------------------------------------------------------------


def write_input(folder: Path, name: str, spec: dict) -> list[tuple]:
    """Write one input file as `spec` says; return its rows as the oracle
    must see them (CSV cannot tell an empty field from a missing one: both
    read as null)."""
    columns = list(COLUMNS[name])
    order = list(spec["column_order"])
    header = [columns[i].upper() if spec["upper_header"] else columns[i] for i in order]
    if spec["extra_column"]:
        header.append("notes")
    body = []
    for index, row in enumerate(spec["rows"]):
        values = [row[i] for i in order]
        if spec["extra_column"]:
            values.append(f"note {index}, with 'quotes'")
        body.append(values)
    if spec["format"] == "parquet":
        table = pa.table(
            {h: pa.array([r[i] for r in body], pa.string()) for i, h in enumerate(header)}
        )
        pq.write_table(table, folder / f"{name}.parquet")
        return [tuple(row) for row in spec["rows"]]
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
        if spec["bom"]:
            handle.write("\ufeff")
        writer = csv.writer(
            handle,
            lineterminator="\r\n" if spec["crlf"] else "\n",
            quoting=csv.QUOTE_ALL if spec["quote_all"] or not spec["crlf"] else csv.QUOTE_MINIMAL,
        )
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in values] for values in body])
    return [tuple(None if v == "" else v for v in row) for row in spec["rows"]]


# ---------------------------------------------------------------------------
# The property
# ---------------------------------------------------------------------------

SUMMARY: Counter = Counter()


@pytest.fixture(scope="module")
def fuzz_workspace(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """One raw_data_dir and one dbt target folder for every example (the
    vars never change, so dbt parses the project once); a new database per
    example. Prints what ran at the end."""
    workdir = tmp_path_factory.mktemp("fuzz")
    yield workdir
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    lines = [f"journeys fuzz: {SUMMARY['examples']} examples built and checked"]
    lines.append(
        "  rows generated: "
        + ", ".join(
            f"{name} {SUMMARY['received:' + name]}"
            for name in COLUMNS
            if name in ("events", "customers", "survey_responses")
        )
    )
    reasons = sorted((k[7:], v) for k, v in SUMMARY.items() if k.startswith("reason:"))
    lines.append("  rejected: " + ", ".join(f"{k} {v}" for k, v in reasons))
    lines.append(
        f"  duplicates: exact {SUMMARY['exact']}, conflicting {SUMMARY['conflicting']};"
        f" clean events reaching fct_events: {SUMMARY['clean_events']}"
    )
    text = "\n".join(lines)
    (Path(PROJECT_DIR) / "target").mkdir(exist_ok=True)
    (Path(PROJECT_DIR) / "target" / "fuzz-summary.txt").write_text(text + "\n")
    if reporter is not None:
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)


def build(workdir: Path) -> tuple[Path, subprocess.CompletedProcess]:
    database = workdir / "fuzz.duckdb"
    for leftover in (database, workdir / "fuzz.duckdb.wal"):
        leftover.unlink(missing_ok=True)
    dbt_vars = {**BUILD_VARS, "raw_data_dir": str(workdir / "raw")}
    result = subprocess.run(
        [
            DBT,
            "build",
            "--exclude-resource-type",
            "unit_test",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(workdir / "target"),
            "--log-path",
            str(workdir / "logs"),
            "--vars",
            json.dumps(dbt_vars),
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "JOURNEYS_DUCKDB_PATH": str(database), "JOURNEYS_TARGET": "duckdb"},
        capture_output=True,
        text=True,
        check=False,
    )
    return database, result


def explain_events(database: Path, oracle) -> str:
    """Where the build and the oracle part ways, event by event."""
    got_clean = {row[0] for row in query(database, "select event_id from fct_events")}
    want_clean = {row[0] for row in oracle.clean}
    rejected = query(
        database,
        "select record_key, reason, raw_values from rejected_rows"
        " where input_name = 'events' order by 1, 2",
    )
    return (
        f"\n  clean only in the build: {sorted(got_clean - want_clean)}"
        f"\n  clean only in the oracle: {sorted(want_clean - got_clean)}"
        f"\n  the build's rejected events: {rejected}"
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    print_blob=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if SHRINK else []),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.large_base_example,
    ],
)
@given(made=inputs())
def test_fuzzed_inputs_are_accounted_for(fuzz_workspace: Path, made: dict) -> None:
    raw = fuzz_workspace / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir()
    received = {}
    for name, spec in made.items():
        if spec["present"]:
            received[name] = write_input(raw, name, spec)
    database, result = build(fuzz_workspace)
    assert result.returncode == 0, (
        f"dbt build failed on fuzzed input:\n{result.stdout[-12000:]}\n{result.stderr[-3000:]}"
    )

    expected = {
        "events": classify_events(received["events"], NOW),
        "customers": classify_customers(received.get("customers", [])),
        "survey_responses": classify_survey_responses(received["survey_responses"]),
    }

    # Reconciliation and counts, per input.
    quality = {
        row[0]: row[1:]
        for row in query(
            database,
            "select input_name, rows_received, rows_clean, rows_rejected, duplicates_dropped,"
            " exact_duplicates_dropped, conflicting_duplicates_dropped from rpt_data_quality",
        )
    }
    for name, oracle in expected.items():
        got = quality[name]
        assert got[0] == got[1] + got[2] + got[3], f"{name}: counts do not reconcile: {got}"
        want = (
            oracle.received,
            len(oracle.clean),
            oracle.rejected,
            oracle.duplicates,
            oracle.exact_duplicates,
            oracle.conflicting_duplicates,
        )
        assert got == want, f"{name}: rpt_data_quality {got}, oracle {want}" + (
            explain_events(database, oracle) if name == "events" else ""
        )

    # Every rejected row carries a reason; counts per reason.
    reasons = query(database, "select input_name, reason, count(*) from rejected_rows group by all")
    got_reasons = {(name, reason): count for name, reason, count in reasons}
    assert all(reason for _, reason in got_reasons), "a rejected row without a reason"
    want_reasons = {
        (name, reason): count
        for name, oracle in expected.items()
        for reason, count in oracle.reasons.items()
    }
    assert got_reasons == want_reasons

    # Every valid event reaches fct_events unchanged, and nothing else does.
    got_events = sorted(
        query(
            database,
            "select event_id, occurred_at, customer_id, anonymous_id, event_type, channel,"
            " campaign_id, revenue from fct_events",
        ),
        key=lambda row: row[0],
    )
    want_events = sorted(expected["events"].clean, key=lambda row: row[0])
    assert got_events == want_events

    SUMMARY["examples"] += 1
    SUMMARY["clean_events"] += len(want_events)
    for name, oracle in expected.items():
        SUMMARY["received:" + name] += oracle.received
        SUMMARY["exact"] += oracle.exact_duplicates
        SUMMARY["conflicting"] += oracle.conflicting_duplicates
        for reason, count in oracle.reasons.items():
            SUMMARY["reason:" + reason] += count
            event(f"{name} rejected as {reason}")
    for name, spec in made.items():
        event(f"{name} written as {spec['format']}")
