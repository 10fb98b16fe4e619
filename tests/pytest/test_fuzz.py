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
# Very long values: plain, and long runs of quotes, commas, newlines and
# multi-byte characters (a CSV reader's buffers and a column's width).
long_text = st.one_of(
    st.integers(min_value=2_000, max_value=20_000).map(lambda n: "x" * n),
    st.tuples(st.sampled_from(['é,"\n', "😀;'", "a\r\nb", "\\ --"]), st.integers(500, 4_000)).map(
        lambda pair: pair[0] * pair[1]
    ),
)
# Numbers no column expects: beyond a double, below its precision, more
# digits than any decimal type holds, the extremes of bigint and double.
ABSURD_NUMBERS = [
    "1e308",
    "-1e308",
    "1e309",
    "1.7976931348623157e308",
    "4.9e-324",
    "1e-400",
    "123456789012345678901234567890",
    "9" * 400,
    "0." + "0" * 400 + "1",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "1" + "0" * 38 + ".5",
]
absurd_numbers = st.sampled_from(ABSURD_NUMBERS)
blank = st.sampled_from([None, "", " ", "   "])
# Spelled like the reports' rollup row (D190): renamed, never lost or merged.
ROLLUP_LABELS = ["all", " ALL ", "All", "all (data)", "all (data) (data)", "all (data)x"]


def tagged(kind: str, values: st.SearchStrategy) -> st.SearchStrategy:
    """Values of one corruption kind, as (kind, value), so that every run
    can report which kinds it covered."""
    return values.map(lambda value, k=kind: (k, value))


GENERIC_KINDS = ("blank", "hostile text", "long string", "absurd number")
# input -> column -> every corruption kind its cells can get (filled by
# cell(); the summary reports which of them a run covered)
KINDS: dict[str, dict[str, list[str]]] = {}


def cell(input_name: str, column: str, **bad: st.SearchStrategy) -> st.SearchStrategy:
    """A corrupt value for a column, as (kind, value): a blank, hostile text,
    a very long string, an absurd number, or the column's own kinds of bad
    (or colliding) value (keyword: kind name)."""
    specific = {kind.replace("_", " "): values for kind, values in bad.items()}
    KINDS.setdefault(input_name, {})[column] = [*GENERIC_KINDS, *specific]
    if column != COLUMNS[input_name][0]:
        KINDS[input_name][column].append("conflicting copy")  # keys are kept
    return st.one_of(
        tagged("blank", blank),
        tagged("hostile text", hostile_text),
        tagged("long string", long_text),
        tagged("absurd number", absurd_numbers),
        *(tagged(kind, values) for kind, values in specific.items()),
    )


def rows_of(valid_row: st.SearchStrategy, corrupt: list[st.SearchStrategy], size: tuple):
    """Rows that start valid and get 0-3 corrupted columns each, plus
    conflicting copies (an earlier row with one column changed: the same key
    with other values) and exact copies. Returns (rows, kinds): kinds lists
    (column index, corruption kind) for every corrupted cell, and (None,
    "exact copy") for every exact copy."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[list[tuple], list[tuple[int, str]]]:
        rows, kinds = [], []
        for row in draw(st.lists(valid_row, min_size=size[0], max_size=size[1])):
            values = list(row)
            for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))):
                column = draw(st.integers(0, len(values) - 1))
                kind, values[column] = draw(corrupt[column])
                kinds.append((column, kind))
            rows.append(tuple(values))
        if rows:
            for _ in range(draw(st.integers(0, 4))):
                values = list(draw(st.sampled_from(rows)))
                column = draw(st.integers(1, len(values) - 1))
                kind, values[column] = draw(
                    st.one_of(
                        tagged("conflicting copy", valid_row.map(lambda r, c=column: r[c])),
                        corrupt[column],
                    )
                )
                kinds.append((column, kind))
                rows.append(tuple(values))
            copies = draw(st.lists(st.sampled_from(rows), max_size=4))
            kinds += [(None, "exact copy")] * len(copies)
            rows += copies
        return draw(st.permutations(rows)), kinds

    return build()


def ids(prefix: str, pool: int) -> st.SearchStrategy:
    """Ids from a small pool (so keys collide), sometimes padded or odd."""
    plain = st.integers(min_value=1, max_value=pool).map(lambda n: f"{prefix}{n}")
    padded = plain.map(lambda value: f" {value}  ")
    odd = st.sampled_from([f"{prefix}'1", f'{prefix}"2', f"{prefix},3", f"{prefix} é4", "ünï-5"])
    return st.one_of(plain, plain, plain, padded, odd)


@st.composite
def timestamps(draw: st.DrawFn, kinds: list[str] | None = None) -> str:
    """ISO-8601 spellings, valid and not: past and far-future instants in
    every layout the contract allows (T or space, seconds optional,
    fractions of any length, offsets Z/+hh/+hhmm/+hh:mm, unpadded fields),
    random calendar fields (month 13, 30 February, 24:00, 23:59:60, ...)
    and junk."""
    kind = draw(st.sampled_from(kinds or ["past"] * 5 + ["future", "fields", "junk"]))
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


def bad_timestamps() -> dict[str, st.SearchStrategy]:
    """timestamps() as corruptions, by kind: junk, impossible calendar
    fields, the far future, another valid spelling."""
    return {
        "timestamp junk": timestamps(kinds=["junk"]),
        "timestamp calendar fields": timestamps(kinds=["fields"]),
        "timestamp far future": timestamps(kinds=["future"]),
        "timestamp other spelling": timestamps(kinds=["past"]),
    }


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
    [
        *["web", " Web ", "APP", "email", "store", "call_center", "Ünïcode", "ΩMEGA", "a,b", 'q"t'],
        *ROLLUP_LABELS,
    ]
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
    rollup = st.sampled_from(ROLLUP_LABELS)
    corrupt = [
        cell("events", "event_id", colliding_id=ids("e", 40)),
        cell("events", "occurred_at", **bad_timestamps()),
        cell("events", "customer_id", colliding_id=ids("c", 8)),
        cell("events", "anonymous_id", colliding_id=ids("a", 8)),
        cell(
            "events",
            "event_type",
            unknown_event_type=st.sampled_from(
                ["unknown_type", "purchase'; --", "page view", "purchase\n"]
            ),
        ),
        cell("events", "channel", other_channel=channels, rollup_label=rollup),
        cell("events", "campaign_id", colliding_id=ids("cmp", 3)),
        cell("events", "revenue", bad_number=bad_numbers, other_number=numbers),
    ]
    return rows_of(valid, corrupt, (10, 50))


def customer_rows() -> st.SearchStrategy:
    valid = st.tuples(
        ids("c", 8),
        optional(timestamps()),
        # `all` and its escapes too: renamed in staging (D190)
        optional(st.sampled_from(["gold", "silver", " Bronze ", "ALL-ish", *ROLLUP_LABELS])),
        optional(st.sampled_from(["north", "south", "Zürich"])),
    )
    corrupt = [
        cell("customers", "customer_id", colliding_id=ids("c", 8)),
        cell("customers", "signed_up_at", **bad_timestamps()),
        cell("customers", "segment", rollup_label=st.sampled_from(ROLLUP_LABELS)),
        cell("customers", "region"),
    ]
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
        cell("survey_responses", "response_id", colliding_id=ids("r", 15)),
        cell("survey_responses", "customer_id", colliding_id=ids("c", 8)),
        cell("survey_responses", "responded_at", **bad_timestamps()),
        cell(
            "survey_responses",
            "survey_type",
            bad_survey_type=st.sampled_from(["survey", "CSAT ", "nps\t", "ces;"]),
        ),
        cell(
            "survey_responses",
            "score",
            bad_score=st.sampled_from(["-1", "11", "4.5", "7.0", "1e1", "abc", "NaN", "0x5", "+3"]),
            bad_number=bad_numbers,
        ),
        cell(
            "survey_responses",
            "channel",
            other_channel=channels,
            rollup_label=st.sampled_from(ROLLUP_LABELS),
        ),
    ]
    # never empty: every example reads a survey file with rows
    return rows_of(valid, corrupt, (1, 15))


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
        values, kinds = draw(rows)
        made[name] = {
            "rows": values,
            "kinds": kinds,
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
    lines = [header] + [["" if v is None else v for v in values] for values in body]
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
        if spec["bom"]:
            handle.write("\ufeff")
        handle.write(
            "".join(
                csv_line(line, spec["quote_all"], "\r\n" if spec["crlf"] else "\n")
                for line in lines
            )
        )
    return [tuple(None if v == "" else v for v in row) for row in spec["rows"]]


def csv_line(values: list[str], quote_all: bool, line_end: str) -> str:
    """One CSV record (RFC 4180): every field quoted, or only those that
    need it (a comma, a quote, a CR or an LF inside; Python's csv module
    leaves a lone CR unquoted under LF line ends, which no reader can tell
    from a line break), with CRLF or LF line ends."""

    def field(value: str) -> str:
        if quote_all or any(ch in value for ch in ',"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return ",".join(field(value) for value in values) + line_end


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
    lines += coverage_lines()
    text = "\n".join(lines)
    (Path(PROJECT_DIR) / "target").mkdir(exist_ok=True)
    (Path(PROJECT_DIR) / "target" / "fuzz-summary.txt").write_text(text + "\n")
    if reporter is not None:
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)


def file_kinds(spec: dict) -> list[str]:
    """How one input file was written, as the summary names it."""
    if spec["format"] == "parquet":
        return ["parquet (all text)"]
    kinds = [
        ("CRLF" if spec["crlf"] else "LF")
        + (" every field quoted" if spec["quote_all"] else " quoted where needed")
    ]
    if spec["bom"]:
        kinds.append("byte-order mark")
    if spec["upper_header"]:
        kinds.append("upper-case header")
    if spec["extra_column"]:
        kinds.append("extra column")
    return kinds


def record_coverage(made: dict) -> None:
    """Count what one example exercised: corruption kinds per column, exact
    copies, and how each file was written."""
    for name, spec in made.items():
        if not spec["present"]:
            continue
        columns = COLUMNS[name]
        for column, kind in spec["kinds"]:
            where = "row" if column is None else columns[column]
            SUMMARY[f"kind:{name}:{where}:{kind}"] += 1
            event(f"{name}.{where}: {kind}")
        for kind in file_kinds(spec):
            SUMMARY[f"file:{name}:{kind}"] += 1


def coverage_lines() -> list[str]:
    """Per input and column, the corruption kinds the run covered (with the
    number of cells) and those it did not; per input, how the files were
    written."""
    lines = ["  corruption kinds covered (cells), per input and column:"]
    for name, columns in KINDS.items():
        for column, kinds in columns.items():
            counts = {kind: SUMMARY[f"kind:{name}:{column}:{kind}"] for kind in kinds}
            covered = ", ".join(f"{kind} {n}" for kind, n in counts.items() if n)
            missing = [kind for kind, n in counts.items() if not n]
            lines.append(
                f"    {name}.{column}: {covered or 'none'}"
                + (f"; not covered: {', '.join(missing)}" if missing else "")
            )
        lines.append(f"    {name} rows: exact copy {SUMMARY[f'kind:{name}:row:exact copy']}")
    for name in KINDS:
        files = sorted(
            (key.split(":", 2)[2], n)
            for key, n in SUMMARY.items()
            if key.startswith(f"file:{name}:")
        )
        lines.append(f"  {name} files: " + (", ".join(f"{k} {n}" for k, n in files) or "none"))
    return lines


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
    record_coverage(made)
