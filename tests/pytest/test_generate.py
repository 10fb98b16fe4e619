"""The input-data generator (journeys.generate): determinism, the contract's
columns, coverage of every event type and channel, and the exact number of
bad rows of every kind, in CSV and in typed parquet."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from journeys.generate import (
    CHANNELS,
    COLUMNS,
    EVENT_TYPES,
    bad_row_counts,
    generate_dataset,
    write_sample_seeds,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
INPUTS = tuple(COLUMNS)
START = dt.date(2025, 2, 3)
DAYS = 200
PARAMS = {"customers": 400, "days": DAYS, "seed": 7, "start": START}
WINDOW_START = "2025-02-03 00:00:00+00"
WINDOW_END = "2025-08-22 00:00:00+00"  # START + 200 days

# Event rows, each with the SPEC's first reject reason (null when valid).
EVENT_REASONS = """
select *,
  case
    when event_id is null or event_id = '' then 'missing_event_id'
    when try_cast(occurred_at as timestamptz) is null then 'invalid_occurred_at'
    when coalesce(customer_id, '') = '' and coalesce(anonymous_id, '') = ''
      then 'missing_identity'
    when event_type not in ({types}) then 'unknown_event_type'
    when revenue is not null and coalesce(try_cast(revenue as double), -1) < 0
      then 'invalid_revenue'
    when try_cast(occurred_at as timestamptz) > now() + interval 1 day
      then 'future_occurred_at'
  end as reason
from events
""".format(types=", ".join(f"'{t}'" for t in EVENT_TYPES))


def _connect(folder: Path, fmt: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for name in INPUTS:
        path = folder / f"{name}.{fmt}"
        source = (
            f"read_csv('{path}', header = true, all_varchar = true)"
            if fmt == "csv"
            else f"read_parquet('{path}')"
        )
        con.execute(f"create view {name} as select * from {source}")
    return con


@pytest.fixture(scope="module")
def csv_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("gen_csv")
    return out, generate_dataset(out_dir=out, fmt="csv", **PARAMS)


@pytest.fixture(scope="module")
def parquet_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("gen_parquet")
    return out, generate_dataset(out_dir=out, fmt="parquet", **PARAMS)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path, fmt: str) -> None:
    params = {"customers": 150, "days": 90, "start": START, "fmt": fmt}
    a = generate_dataset(out_dir=tmp_path / "a", seed=3, **params)
    b = generate_dataset(out_dir=tmp_path / "b", seed=3, **params)
    c = generate_dataset(out_dir=tmp_path / "c", seed=4, **params)
    assert a == b
    assert sorted(a) == sorted(INPUTS)
    for name in INPUTS:
        data = (tmp_path / "a" / f"{name}.{fmt}").read_bytes()
        assert data == (tmp_path / "b" / f"{name}.{fmt}").read_bytes(), name
    assert (tmp_path / "a" / f"events.{fmt}").read_bytes() != (
        tmp_path / "c" / f"events.{fmt}"
    ).read_bytes()
    assert a["events"] != c["events"]


def test_csv_headers_are_the_contract_columns(csv_set) -> None:
    folder, rows = csv_set
    for name in INPUTS:
        with (folder / f"{name}.csv").open(newline="") as f:
            lines = f.read().splitlines()
        assert lines[0] == ",".join(COLUMNS[name]), name  # unquoted, contract order
        assert len(lines) - 1 == rows[name], name
        assert all(line.count(",") == len(COLUMNS[name]) - 1 for line in lines), name


def test_parquet_columns_types_and_counts(parquet_set) -> None:
    folder, rows = parquet_set
    con = _connect(folder, "parquet")
    expected_types = {
        "events": ["VARCHAR", "TIMESTAMP WITH TIME ZONE", *["VARCHAR"] * 5, "DOUBLE"],
        "customers": ["VARCHAR", "TIMESTAMP WITH TIME ZONE", "VARCHAR", "VARCHAR"],
        "survey_responses": [
            "VARCHAR",
            "VARCHAR",
            "TIMESTAMP WITH TIME ZONE",
            "VARCHAR",
            "INTEGER",
            "VARCHAR",
        ],
        "marketing_spend": ["DATE", "VARCHAR", "VARCHAR", "DOUBLE"],
        "campaigns": ["VARCHAR", "VARCHAR", "VARCHAR", "DATE", "DATE"],
    }
    for name in INPUTS:
        described = con.execute(f"describe {name}").fetchall()
        assert [r[0] for r in described] == list(COLUMNS[name]), name
        assert [r[1] for r in described] == expected_types[name], name
        assert con.execute(f"select count(*) from {name}").fetchone()[0] == rows[name], name


def test_every_event_type_and_channel_is_present(csv_set) -> None:
    folder, _ = csv_set
    con = _connect(folder, "csv")
    types = {r[0] for r in con.execute("select distinct event_type from events").fetchall()}
    assert types == {*EVENT_TYPES, "teleport"}
    channels = {r[0] for r in con.execute("select distinct channel from events").fetchall()}
    assert {c.strip().lower() for c in channels} == set(CHANNELS)
    assert channels - set(CHANNELS), "expected some odd spellings such as ' Web '"
    # The generator's vocabulary is the shipped event-type mapping.
    with (PROJECT_DIR / "seeds" / "config" / "event_type_mapping.csv").open() as f:
        assert [r["event_type"] for r in csv.DictReader(f)] == list(EVENT_TYPES)


def test_csv_event_bad_rows_exact(csv_set) -> None:
    folder, rows = csv_set
    con = _connect(folder, "csv")
    con.execute(f"create table r as {EVENT_REASONS}")
    clean = con.execute("select count(*) from r where reason is null").fetchone()[0]
    bad = bad_row_counts("csv", clean)["events"]
    got = dict(con.execute("select reason, count(*) from r group by 1").fetchall())
    assert got.pop(None) == clean
    assert got == {
        "missing_event_id": bad["missing_event_id"],
        "invalid_occurred_at": bad["missing_occurred_at"] + bad["unparseable_occurred_at"],
        "missing_identity": bad["missing_identity"],
        "unknown_event_type": bad["unknown_event_type"],
        "invalid_revenue": bad["negative_revenue"] + bad["unparseable_revenue"],
        "future_occurred_at": bad["future_occurred_at"],
    }
    assert sum(got.values()) + clean == rows["events"]
    one = "select count(*) from events where "
    assert con.execute(one + "occurred_at is null").fetchone()[0] == bad["missing_occurred_at"]
    assert (
        con.execute(one + "occurred_at in ('not-a-date', '2025-13-40 25:00')").fetchone()[0]
        == bad["unparseable_occurred_at"]
    )
    assert con.execute(one + "revenue = 'abc'").fetchone()[0] == bad["unparseable_revenue"]
    assert con.execute(one + "revenue like '-%'").fetchone()[0] == bad["negative_revenue"]
    assert con.execute(one + "occurred_at like '2099-%'").fetchone()[0] == bad["future_occurred_at"]
    # Duplicates among rows with a reason-free check: exact copies, and ids
    # carried by two different rows.
    exact = con.execute(
        "select count(*) - (select count(*) from (select distinct * from r where reason is null))"
        " from r where reason is null"
    ).fetchone()[0]
    assert exact == bad["exact_duplicate"]
    conflicting = con.execute(
        "select count(*) from (select event_id from (select distinct * from r"
        " where reason is null) group by 1 having count(*) > 1)"
    ).fetchone()[0]
    assert conflicting == bad["conflicting_duplicate"]


def test_csv_other_inputs_bad_rows_exact(csv_set) -> None:
    folder, _ = csv_set
    con = _connect(folder, "csv")
    bad = bad_row_counts("csv", 1)

    def count(sql: str) -> int:
        return con.execute(sql).fetchone()[0]

    s = bad["survey_responses"]
    assert (
        count("select count(*) from survey_responses where response_id is null")
        == s["missing_response_id"]
    )
    assert (
        count("select count(*) from survey_responses where responded_at is null")
        == s["missing_responded_at"]
    )
    assert (
        count(
            "select count(*) from survey_responses where responded_at in ('not-a-date',"
            " '2025-13-40 25:00')"
        )
        == s["unparseable_responded_at"]
    )
    assert (
        count("select count(*) from survey_responses where customer_id is null")
        == s["missing_customer_id"]
    )
    assert (
        count("select count(*) from survey_responses where survey_type = 'poll'")
        == s["invalid_survey_type"]
    )
    out_of_range = count(
        "select count(*) from survey_responses where survey_type <> 'poll' and not ("
        " (survey_type = 'csat' and score::int between 1 and 5)"
        " or (survey_type = 'ces' and score::int between 1 and 7)"
        " or (survey_type = 'nps' and score::int between 0 and 10)) and score is not null"
    )
    assert out_of_range == s["score_out_of_range"]
    assert count("select count(*) from survey_responses where score is null") == s["missing_score"]
    assert (
        count("select count(*) from survey_responses where survey_type = 'csat' and score = '9'")
        >= 1
    )
    assert (
        count("select count(*) from survey_responses where survey_type = 'nps' and score = '11'")
        >= 1
    )
    assert (
        count("select count(*) from survey_responses where survey_type = 'ces' and score = '0'")
        >= 1
    )

    c = bad["customers"]
    assert (
        count("select count(*) from customers where customer_id is null")
        == c["missing_customer_id"]
    )
    assert (
        count("select count(*) from customers where try_cast(signed_up_at as timestamptz) is null")
        == c["unparseable_signed_up_at"]
    )
    assert (
        count(
            "select count(*) - (select count(*) from (select distinct * from customers))"
            " from customers"
        )
        == c["exact_duplicate"]
    )

    m = bad["marketing_spend"]
    assert (
        count("select count(*) from marketing_spend where try_cast(spend_date as date) is null")
        == m["unparseable_spend_date"]
    )
    assert (
        count("select count(*) from marketing_spend where amount::double < 0")
        == m["negative_amount"]
    )

    p = bad["campaigns"]
    assert (
        count("select count(*) from campaigns where campaign_id is null")
        == p["missing_campaign_id"]
    )
    assert (
        count("select count(*) from campaigns where try_cast(started_at as date) is null")
        == p["unparseable_started_at"]
    )


def test_parquet_bad_rows_exact(parquet_set) -> None:
    folder, rows = parquet_set
    con = _connect(folder, "parquet")
    bad = bad_row_counts("parquet", rows["events"])
    assert bad["events"]["unparseable_occurred_at"] == bad["events"]["unparseable_revenue"] == 0

    def count(sql: str) -> int:
        return con.execute(sql).fetchone()[0]

    e = bad["events"]
    assert count("select count(*) from events where event_id is null") == e["missing_event_id"]
    assert (
        count("select count(*) from events where occurred_at is null") == e["missing_occurred_at"]
    )
    assert (
        count("select count(*) from events where customer_id is null and anonymous_id is null")
        == e["missing_identity"]
    )
    assert (
        count("select count(*) from events where event_type = 'teleport'")
        == e["unknown_event_type"]
    )
    assert count("select count(*) from events where revenue < 0") == e["negative_revenue"]
    assert (
        count("select count(*) from events where year(occurred_at) = 2099")
        == e["future_occurred_at"]
    )
    assert (
        count(
            "select count(*) - (select count(*) from (select distinct * from events)) from events"
        )
        == e["exact_duplicate"]
    )
    s = bad["survey_responses"]
    assert (
        count("select count(*) from survey_responses where responded_at is null")
        == s["missing_responded_at"]
    )
    assert count("select count(*) from survey_responses where score is null") == s["missing_score"]
    assert (
        count("select count(*) from marketing_spend where amount < 0")
        == bad["marketing_spend"]["negative_amount"]
    )
    assert (
        count("select count(*) from campaigns where campaign_id is null")
        == bad["campaigns"]["missing_campaign_id"]
    )


def test_clean_events_fit_the_contract_and_the_story(csv_set) -> None:
    folder, _ = csv_set
    con = _connect(folder, "csv")
    con.execute(
        f"create table clean as select * exclude (reason), try_cast(occurred_at as timestamptz)"
        f" as ts, lower(trim(channel)) as ch from ({EVENT_REASONS}) where reason is null"
    )
    lo, hi = con.execute("select min(ts), max(ts) from clean").fetchone()
    assert (
        con.execute(
            f"select count(*) from clean where ts < '{WINDOW_START}' or ts >= '{WINDOW_END}'"
        ).fetchone()[0]
        == 0
    ), (lo, hi)
    # Revenue exactly on purchases, positive with two decimals.
    assert (
        con.execute(
            "select count(*) from clean where (event_type = 'purchase') <> (revenue is not null)"
        ).fetchone()[0]
        == 0
    )
    assert (
        con.execute(
            "select count(*) from clean where revenue is not null"
            " and not regexp_full_match(revenue, '[0-9]+\\.[0-9]{2}')"
        ).fetchone()[0]
        == 0
    )
    # Each event type on the channels that fit it.
    allowed = {
        "ad_impression": {"ads", "social"},
        "ad_click": {"ads", "social"},
        "social_engagement": {"social"},
        "email_open": {"email", "sms"},
        "email_click": {"email", "sms"},
        "app_open": {"app"},
        "store_visit": {"store"},
        "call": {"call_center"},
        "chat_message": {"chat"},
        "page_view": {"web", "app"},
        "product_view": {"web", "app"},
        "search": {"web", "app"},
        "purchase": {"web", "app", "store"},
    }
    pairs = con.execute("select distinct event_type, ch from clean").fetchall()
    # Conflicting duplicates may flip web <-> app, never to another channel.
    wrong = [(t, c) for t, c in pairs if t in allowed and c not in allowed[t]]
    assert wrong == []
    # Campaign ids come from the campaigns table and sit on paid channels.
    assert (
        con.execute(
            "select count(*) from clean where campaign_id is not null and (campaign_id not in"
            " (select campaign_id from campaigns where campaign_id is not null)"
            " or ch not in ('ads', 'social', 'email', 'sms'))"
        ).fetchone()[0]
        == 0
    )
    # The three timestamp spellings, each describing a UTC instant.
    spellings = [r[0] for r in con.execute("select occurred_at from clean").fetchall()]
    z = sum(bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s)) for s in spellings)
    off = sum(
        bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", s)) for s in spellings
    )
    naive = sum(bool(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", s)) for s in spellings)
    assert z + off + naive == len(spellings)
    assert 0.85 < z / len(spellings) < 0.95
    assert 0.03 < off / len(spellings) < 0.07
    assert 0.03 < naive / len(spellings) < 0.07
    # Identity: anonymous-only, linking (both) and identified-only events all occur;
    # some anonymous_id is linked to two customers (shared device).
    kinds = dict(
        con.execute(
            "select (customer_id is not null)::int * 2 + (anonymous_id is not null)::int, count(*)"
            " from clean group by 1"
        ).fetchall()
    )
    assert set(kinds) == {1, 2, 3}
    assert (
        con.execute(
            "select count(*) from (select anonymous_id from clean where customer_id is not null"
            " and anonymous_id is not null group by 1 having count(distinct customer_id) > 1)"
        ).fetchone()[0]
        >= 1
    )
    # CRM gaps: some identified customers are missing from customers.
    assert (
        con.execute(
            "select count(distinct customer_id) from clean where customer_id not in"
            " (select customer_id from customers where customer_id is not null)"
        ).fetchone()[0]
        >= 1
    )


def test_clean_surveys_cover_the_three_types(csv_set) -> None:
    folder, _ = csv_set
    con = _connect(folder, "csv")
    rows = con.execute(
        "select survey_type, min(score::int), max(score::int), count(*) from survey_responses"
        " where response_id is not null and customer_id is not null"
        " and try_cast(responded_at as timestamptz) is not null and score is not null"
        " and ((survey_type = 'csat' and score::int between 1 and 5)"
        " or (survey_type = 'ces' and score::int between 1 and 7)"
        " or (survey_type = 'nps' and score::int between 0 and 10))"
        " group by 1 order by 1"
    ).fetchall()
    assert [r[0] for r in rows] == ["ces", "csat", "nps"]
    assert all(r[3] >= 30 for r in rows), rows
    channels = {
        r[0] for r in con.execute("select distinct channel from survey_responses").fetchall()
    }
    assert channels <= set(CHANNELS)


def test_bad_rows_off_writes_only_the_clean_rows(tmp_path: Path, csv_set) -> None:
    _, with_bad = csv_set
    rows = generate_dataset(out_dir=tmp_path, fmt="csv", bad_rows=False, **PARAMS)
    con = _connect(tmp_path, "csv")
    clean = con.execute(f"select count(*) from ({EVENT_REASONS}) where reason is null").fetchone()[
        0
    ]
    assert clean == rows["events"]
    assert (
        con.execute("select count(*) from (select distinct event_id from events)").fetchone()[0]
        == rows["events"]
    )
    bad = bad_row_counts("csv", clean)
    for name in INPUTS:
        assert rows[name] == with_bad[name] - sum(bad[name].values()), name
        # Same clean rows, byte for byte (only their order around bad rows differs).
        off = (tmp_path / f"{name}.csv").read_text().splitlines()
        on = (csv_set[0] / f"{name}.csv").read_text().splitlines()
        assert set(off) <= set(on), name


def test_committed_sample_seeds_are_the_generator_output(tmp_path: Path) -> None:
    (tmp_path / "seeds" / "sample").mkdir(parents=True)
    rows = write_sample_seeds(tmp_path)
    for name in INPUTS:
        fresh = (tmp_path / "seeds" / "sample" / f"raw_{name}.csv").read_bytes()
        committed = PROJECT_DIR / "seeds" / "sample" / f"raw_{name}.csv"
        assert committed.read_bytes() == fresh, f"regenerate {committed.name}"
        assert fresh.count(b"\n") == rows[name] + 1
    assert 30_000 <= rows["events"] <= 45_000
