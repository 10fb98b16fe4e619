"""journeys.diff on two hand-made builds: every count below is worked out by
hand from the rows written here (the end-to-end run on a real slim build is
in test_ci_slim.py)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from journeys import diff

BASE_ROWS = {
    # order_id, customer, amount, channel, _batch_at
    "fct_orders": (
        "order_id varchar, customer varchar, amount double, channel varchar, _batch_at timestamp",
        [
            ("o1", "c1", 10.0, "web", "2024-01-01"),
            ("o2", "c1", 20.0, "app", "2024-01-01"),
            ("o3", "c2", 30.0, "web", "2024-01-01"),
            ("o4", "c2", None, "web", "2024-01-01"),
            ("o5", "c3", 1.0, "sms", "2024-01-01"),
        ],
    ),
    "rpt_daily": (
        "day date, channel varchar, orders bigint",
        [
            ("2024-01-01", "web", 3),
            ("2024-01-01", "all", 5),
            ("2024-01-02", "web", 1),
            ("2024-01-02", "all", 1),
        ],
    ),
    "rpt_nokey": ("label varchar, value integer", [("a", 1), ("a", 1), ("b", 2)]),
    "fct_dups": ("id integer, label varchar", [(1, "x"), (2, "y")]),
    "dim_things": ("thing_id varchar", [("t1",), ("t2",)]),
    "fct_failed": ("id integer", [(1,)]),
    "rpt_old": ("id integer", [(1,)]),
    "stg_ignored": ("id integer", [(1,)]),
}
CURRENT_ROWS = {
    "fct_orders": (
        BASE_ROWS["fct_orders"][0],
        [
            ("o1", "c1", 10.0, "web", "2024-02-01"),  # only _batch_at differs: unchanged
            ("o2", "c1", 20.000000000001, "app", "2024-02-01"),  # within 1e-9: unchanged
            ("o3", "c2", 31.0, "web", "2024-02-01"),  # amount changed
            ("o4", "c2", 5.0, "email", "2024-02-01"),  # amount null -> 5, channel changed
            ("o6", "c4", 60.0, "sms", "2024-02-01"),  # added; o5 removed
        ],
    ),
    "rpt_daily": (
        # orders is now an integer (compared as text: same values), revenue is new
        "day date, channel varchar, orders integer, revenue double",
        [
            ("2024-01-01", "web", 3, 1.0),
            ("2024-01-01", "all", 6, 1.0),  # orders changed
            ("2024-01-02", "web", 1, 1.0),
            ("2024-01-02", "all", 1, 1.0),
            ("2024-01-03", "all", 0, 0.0),  # added
        ],
    ),
    # whole rows: one (a, 1) and (b, 2) removed, (b, 3) added
    "rpt_nokey": (BASE_ROWS["rpt_nokey"][0], [("a", 1), ("b", 3)]),
    # id 1 twice: base's (1, x) pairs with (1, x) and with (1, x2), one changed pair
    "fct_dups": (BASE_ROWS["fct_dups"][0], [(1, "x"), (1, "x2"), (2, "y")]),
    "fct_new": ("id integer", [(1,), (2,)]),
    "stg_ignored": ("id integer", [(2,)]),
}


def write_db(path: Path, tables: dict) -> Path:
    with duckdb.connect(str(path)) as con:
        for name, (columns, rows) in tables.items():
            con.execute(f"create table {name} ({columns})")
            if rows:
                marks = ", ".join("?" for _ in rows[0])
                con.executemany(f"insert into {name} values ({marks})", rows)
    return path


def model(name: str, folder: str) -> tuple[str, dict]:
    unique_id = f"model.journeys.{name}"
    return unique_id, {
        "unique_id": unique_id,
        "resource_type": "model",
        "name": name,
        "alias": name,
        "schema": "main",
        "original_file_path": f"models/{folder}/{name}.sql",
    }


def key_test(model_name: str, test: str, **kwargs) -> tuple[str, dict]:
    unique_id = f"test.journeys.{test}_{model_name}_{'_'.join(map(str, kwargs.values()))}"
    return unique_id, {
        "unique_id": unique_id,
        "resource_type": "test",
        "attached_node": f"model.journeys.{model_name}",
        "test_metadata": {"name": test, "kwargs": {**kwargs, "model": "{{ ref(...) }}"}},
    }


def write_manifest(folder: Path) -> Path:
    nodes = dict(
        [
            model("fct_orders", "marts/core"),
            model("rpt_daily", "marts/reports"),
            model("rpt_nokey", "marts/reports"),
            model("fct_dups", "marts/core"),
            model("dim_things", "marts/core"),
            model("fct_new", "marts/core"),
            model("fct_failed", "marts/core"),
            model("stg_ignored", "staging"),
            # a single-column key wins over a combination
            key_test("fct_orders", "unique_combination_of_columns", combination=["customer", "id"]),
            key_test("fct_orders", "unique", column_name="order_id"),
            key_test("rpt_daily", "unique_combination_of_columns", combination=["day", "channel"]),
            key_test("rpt_daily", "not_null", column_name="day"),
            key_test("fct_dups", "unique", column_name="id"),
            key_test("dim_things", "unique", column_name="thing_id"),
        ]
    )
    (folder / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    results = [
        {"unique_id": "model.journeys.fct_failed", "status": "error"},
        {"unique_id": "model.journeys.fct_orders", "status": "success"},
    ]
    (folder / "run_results.json").write_text(json.dumps({"results": results}))
    return folder / "manifest.json"


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    """(base folder as make ci-base writes it, current database with its
    manifest and run results beside it)."""
    base = tmp_path_factory.mktemp("base")
    write_db(base / "journeys_base.duckdb", BASE_ROWS)
    current = tmp_path_factory.mktemp("current")
    write_manifest(current)
    return base, write_db(current / "journeys_ci.duckdb", CURRENT_ROWS)


@pytest.fixture(scope="module")
def report(builds) -> diff.DiffReport:
    base, current = builds
    return diff.diff_builds(base, current)


def by_name(report: diff.DiffReport) -> dict[str, diff.MartDiff]:
    return {mart.name: mart for mart in report.marts}


def test_marts_in_order_of_their_files_and_models_elsewhere_ignored(report):
    assert [mart.name for mart in report.marts] == [
        "dim_things",
        "fct_dups",
        "fct_failed",
        "fct_new",
        "fct_orders",
        "rpt_daily",
        "rpt_nokey",
        "rpt_old",  # in the base only: removed
    ]


def test_rows_added_removed_changed_by_key(report):
    orders = by_name(report)["fct_orders"]
    assert orders.status == "compared"
    assert orders.key == ("order_id",)
    assert (orders.rows_before, orders.rows_after) == (5, 5)
    assert (orders.added, orders.removed, orders.changed) == (1, 1, 2)
    assert orders.changed_columns == {"amount": 2, "channel": 1}
    assert orders.added_keys == [("o6",)]
    assert orders.removed_keys == [("o5",)]
    assert orders.examples == [
        (("o3",), [("amount", 30.0, 31.0)]),
        (("o4",), [("amount", None, 5.0), ("channel", "web", "email")]),
    ]
    assert orders.columns_added == orders.columns_removed == []


def test_combination_key_new_column_and_type_change(report):
    daily = by_name(report)["rpt_daily"]
    assert daily.key == ("day", "channel")
    assert (daily.rows_before, daily.rows_after) == (4, 5)
    assert (daily.added, daily.removed, daily.changed) == (1, 0, 1)
    assert daily.changed_columns == {"orders": 1}
    assert daily.columns_added == ["revenue"]


def test_without_a_key_whole_rows_are_compared(report):
    nokey = by_name(report)["rpt_nokey"]
    assert nokey.key == ()
    assert (nokey.added, nokey.removed, nokey.changed) == (1, 2, None)


def test_duplicate_keys_are_reported(report):
    dups = by_name(report)["fct_dups"]
    assert dups.duplicate_keys == (0, 1)
    assert (dups.added, dups.removed, dups.changed) == (0, 0, 1)


def test_marts_not_rebuilt_new_failed_removed(report):
    marts = by_name(report)
    assert (marts["dim_things"].status, marts["dim_things"].rows_before) == ("not rebuilt", 2)
    assert not marts["dim_things"].is_changed
    assert (marts["fct_new"].status, marts["fct_new"].rows_after) == ("new", 2)
    assert marts["fct_failed"].status == "failed"
    assert (marts["rpt_old"].status, marts["rpt_old"].rows_before) == ("removed", 1)


def test_markdown(report):
    text = diff.format_markdown(report)
    lines = text.splitlines()
    assert lines[0] == "## Mart diff"
    assert "8 marts, 4 rebuilt and compared, **7 changed**." in lines[2]
    assert (
        "| `fct_orders` | order_id | 5 | 5 | 1 | 1 | 2 | changed: amount (2), channel (1) |"
        in lines
    )
    assert "| `rpt_daily` | day, channel | 4 | 5 | 1 | 0 | 1 | new columns: revenue; " in text
    assert "| `dim_things` | thing_id | 2 | 2 |  |  |  | not rebuilt (unchanged: the base's) |" in (
        lines
    )
    assert "| o4 | channel | web | email |" in lines
    assert "- added (order_id): o6" in lines
    # no headline tables in these builds: the figures read n/a, with a note why
    assert "| customers | n/a | n/a |  |" in lines
    assert any(line.startswith("- headline figures unavailable before") for line in lines)


@pytest.mark.parametrize(
    ("kind", "before", "after", "change"),
    [
        ("pct", 0.174, 0.2, "+2.60 pts"),
        ("pct", 0.2, 0.2 * (1 + 1e-12), ""),  # double noise is no change
        ("percent", 69.5, 70.0, "+0.50 pts"),
        ("count", 10, 12, "+2"),
        ("count", 12, 12, ""),
        ("score", 36.8, 30.0, "-6.80"),
        ("amount", None, 5.0, "changed"),
        ("text", "2025-10-01", "2025-10-01", ""),
    ],
)
def test_figure_changes(kind, before, after, change):
    assert diff._change(diff.Figure("x", kind, before, after)) == change


def test_manifest_found_beside_the_current_build_else_the_base(builds, tmp_path):
    base, current = builds
    assert diff.find_manifest(current, base / "journeys_base.duckdb") == (
        current.parent / "manifest.json"
    )
    elsewhere = tmp_path / "journeys.duckdb"
    base_manifest = base / "manifest.json"
    base_manifest.write_text("{}")
    try:
        assert diff.find_manifest(elsewhere, base / "journeys_base.duckdb") == base_manifest
    finally:
        base_manifest.unlink()


def test_command_appends_the_markdown(builds, tmp_path, capsys):
    base, current = builds
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps\n")
    args = ["--base", str(base), "--current", str(current), "--append-to", str(summary)]
    assert diff.main(args) == 0
    printed = capsys.readouterr().out
    assert summary.read_text() == "earlier steps\n" + printed


def test_missing_base_is_one_clear_error(tmp_path, capsys):
    assert diff.main(["--base", str(tmp_path / "nothing.duckdb")]) == 1
    assert "no base DuckDB database at" in capsys.readouterr().err
