"""Incremental runs give exactly what a full refresh gives (issue: scale).

Build on a generated dataset, append a second events file holding late and
new events designed to move every boundary (an event between two existing
events, one linking an anonymous visitor to a customer, events bridging two
sessions and two journeys, a conflicting duplicate that moves an event and
splits its session, exact copies, a new customer, a far-future event), run
`dbt build` again incrementally, and compare every mart row by row with a
full refresh of the same files in a fresh database."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest
from conftest import MART_ORDER, PROJECT_DIR, assert_same_rows, mart_rows, query, run_dbt

from journeys.generate import COLUMNS, generate_dataset
from journeys.project import DbtInvocation

MARTS = {
    **MART_ORDER,
    # intermediate state that the next incremental run starts from
    "stg_events": "event_id",
    "int_events_journeyed": "event_id",
    "int_customer_activity_instants": "customer_key, active_at",
    "int_customer_activity": "customer_key",
    "int_customer_period_starts": "period_grain, period_start, customer_key",
    "base_events": "record_key, key_row_number",
    "int_journey_stage_entries": "journey_id, stage_order",
    "int_journey_conversions": "journey_id",
}
FIELDS = COLUMNS["events"]


def _iso(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _late_events(first_file: Path) -> list[dict]:
    """Rows for the second file, chosen from what the first file holds."""
    con = duckdb.connect()
    con.execute(
        f"""
        create table events as
        select *, try_cast(occurred_at as timestamptz) at time zone 'UTC' as ts
        from read_csv('{first_file}', all_varchar = true, header = true)
        """
    )
    con.execute(
        """
        create table clean as
        select * from events
        where ts is not null and customer_id is not null and ts < timestamp '2099-01-01'
        """
    )
    rows: list[dict] = []

    def add(
        event_id,
        ts,
        customer_id=None,
        anonymous_id=None,
        event_type="page_view",
        channel="web",
        revenue=None,
    ):
        rows.append(
            {
                "event_id": event_id,
                "occurred_at": _iso(ts) if isinstance(ts, dt.datetime) else ts,
                "customer_id": customer_id or "",
                "anonymous_id": anonymous_id or "",
                "event_type": event_type,
                "channel": channel,
                "campaign_id": "",
                "revenue": "" if revenue is None else str(revenue),
            }
        )

    # a customer with a gap between two sessions (consecutive events 2-6 h
    # apart): bridge it with events 25 min apart, merging the sessions
    customer, start, end = con.execute(
        """
        select customer_id, ts, next_ts from (
            select customer_id, ts,
                   lead(ts) over (partition by customer_id order by ts, event_id) as next_ts
            from clean
        )
        where next_ts - ts between interval 2 hour and interval 6 hour
        order by customer_id, ts limit 1
        """
    ).fetchone()
    step, number = dt.timedelta(minutes=25), 0
    moment = start + step
    while moment < end:
        add(f"late_bridge_{number}", moment, customer_id=customer, event_type="product_view")
        moment, number = moment + step, number + 1

    # a customer with two journeys (a gap of more than 30 days): an event in
    # the middle of the gap merges them into one journey
    customer, start, end = con.execute(
        """
        select customer_id, ts, next_ts from (
            select customer_id, ts,
                   lead(ts) over (partition by customer_id order by ts, event_id) as next_ts
            from clean
        )
        where next_ts - ts between interval 35 day and interval 55 day
          and customer_id <> ?
        order by customer_id, ts limit 1
        """,
        [customer],
    ).fetchone()
    add(
        "late_journey_bridge",
        start + (end - start) / 2,
        customer_id=customer,
        event_type="add_to_cart",
    )

    # a late purchase between a customer's existing events (changes the
    # conversion numbering: conversion vs retention of later purchases)
    customer, start, end = con.execute(
        """
        select customer_id, ts, next_ts from (
            select customer_id, ts, event_type,
                   lead(ts) over (partition by customer_id order by ts, event_id) as next_ts,
                   lead(event_type) over (
                       partition by customer_id order by ts, event_id
                   ) as next_type
            from clean
        )
        where next_type = 'purchase' and next_ts - ts > interval 4 second
        order by customer_id desc, ts limit 1
        """
    ).fetchone()
    add(
        "late_purchase",
        start + (end - start) / 2,
        customer_id=customer,
        event_type="purchase",
        revenue=12.5,
    )

    # an anonymous visitor never seen with a customer id: link it now (an
    # earlier instant than any of its events, so every one of them moves)
    anonymous_id, first_seen = con.execute(
        """
        select anonymous_id, min(ts) from events
        where anonymous_id is not null and ts is not null
        group by anonymous_id
        having count(customer_id) = 0 and min(ts) < timestamp '2099-01-01'
        order by anonymous_id limit 1
        """
    ).fetchone()
    linked_customer = con.execute(
        "select min(customer_id) from clean where customer_id is not null"
    ).fetchone()[0]
    add(
        "late_link",
        first_seen - dt.timedelta(minutes=1),
        customer_id=linked_customer,
        anonymous_id=anonymous_id,
        event_type="app_open",
        channel="app",
    )

    # an anonymous id already linked to a customer, with anonymous-only
    # events: an earlier event tying it to another customer moves the link,
    # so those events leave the first customer for the second
    relinked, first_link, anonymous_only = con.execute(
        """
        select anonymous_id, min(ts) filter (where customer_id is not null),
               count(*) filter (where customer_id is null)
        from events
        where anonymous_id is not null and ts is not null and ts < timestamp '2099-01-01'
        group by anonymous_id
        having count(customer_id) > 0 and count(*) filter (where customer_id is null) > 0
           and anonymous_id <> ?
        order by anonymous_id limit 1
        """,
        [anonymous_id],
    ).fetchone()
    assert anonymous_only > 0
    add(
        "late_relink",
        first_link - dt.timedelta(seconds=30),
        customer_id="relink_customer",
        anonymous_id=relinked,
        event_type="email_click",
        channel="email",
    )

    # a conflicting duplicate of an existing event, 3 hours earlier: it sorts
    # first, wins, and moves the event out of its session
    moved = con.execute(
        """
        select event_id, ts, customer_id, event_type, channel from clean
        where event_type = 'page_view' order by event_id limit 1 offset 10
        """
    ).fetchone()
    add(
        moved[0],
        moved[1] - dt.timedelta(hours=3),
        customer_id=moved[2],
        event_type=moved[3],
        channel=moved[4],
    )

    # an exact copy of an existing row
    copy = con.execute(
        f"select {', '.join(FIELDS)} from events where event_id is not null limit 1"
    ).fetchone()
    rows.append({field: (value or "") for field, value in zip(FIELDS, copy, strict=True)})

    # new events after everything: an existing customer and a new one
    last = con.execute("select max(ts) from clean").fetchone()[0]
    add("new_1", last + dt.timedelta(days=2), customer_id=linked_customer, event_type="search")
    add(
        "new_2",
        last + dt.timedelta(days=3),
        customer_id="brand_new_customer",
        event_type="ad_click",
        channel="ads",
    )
    add(
        "new_3",
        last + dt.timedelta(days=3, minutes=5),
        customer_id="brand_new_customer",
        event_type="purchase",
        revenue=99,
    )
    # far in the future: quarantined, never blocks the run
    add("future_1", "2099-06-01T00:00:00Z", customer_id=linked_customer)
    con.close()
    return rows


def _invocation(workdir: Path, raw: Path, name: str) -> DbtInvocation:
    return DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=workdir / f"{name}.duckdb",
        vars={"raw_data_dir": str(raw)},
        target_path=workdir / f"target_{name}",
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    workdir = tmp_path_factory.mktemp("incremental")
    raw = workdir / "raw"
    generate_dataset(customers=250, days=150, out_dir=raw, seed=11, fmt="csv")
    events_dir = raw / "events"
    events_dir.mkdir()
    (raw / "events.csv").rename(events_dir / "part-1.csv")

    build = ["build", "--exclude-resource-type", "unit_test"]
    incremental = _invocation(workdir, raw, "incremental")
    run_dbt(incremental, build)
    first_batch = query(incremental.duckdb_path, "select max(_batch_at) from stg_events")[0][0]

    late = _late_events(events_dir / "part-1.csv")
    with (events_dir / "part-2.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(late)

    run_dbt(incremental, build)
    full = _invocation(workdir, raw, "full")
    run_dbt(full, [*build, "--full-refresh"])
    return {
        "incremental": incremental.duckdb_path,
        "full": full.duckdb_path,
        "first_batch": first_batch,
        "late_rows": len(late),
        "raw": raw,
        "workdir": workdir,
    }


def test_the_second_run_was_incremental(builds):
    """The second run recomputed only the customers it had to."""
    db = builds["incremental"]
    total, recomputed, batches = query(
        db,
        """
        select count(*),
               count(*) filter (where _batch_at = (select max(_batch_at) from stg_events)),
               count(distinct _batch_at)
        from stg_events
        """,
    )[0]
    assert batches == 2, "the second run should have left most rows of the first batch"
    assert 0 < recomputed < total / 4
    keys = query(
        db,
        """
        select count(distinct customer_key) filter (
                   where _batch_at = (select max(_batch_at) from stg_events)),
               count(distinct customer_key)
        from stg_events
        """,
    )[0]
    # the crafted events touch at most 8 existing customers or visitors, the
    # customer a link moved to and 1 new customer; nothing else is recomputed
    assert keys[0] <= 10 < keys[1]


def test_the_second_run_read_only_what_it_had_to(builds):
    """base_events classified again only the new file's rows and the rows
    sharing a key with them (plus keyless and future rows), not the whole
    first file."""
    db = builds["incremental"]
    total, reclassified, from_first_file = query(
        db,
        """
        select count(*),
               count(*) filter (where _batch_at = (select max(_batch_at) from base_events)),
               count(*) filter (where _batch_at = (select max(_batch_at) from base_events)
                                  and _source_file like '%part-1.csv')
        from base_events
        """,
    )[0]
    new_rows = query(
        db,
        "select count(*) from base_events where _source_file like '%part-2.csv'",
    )[0][0]
    assert new_rows > 0
    assert new_rows <= reclassified < new_rows + total / 10
    assert 0 < from_first_file < total / 10


def test_vanished_key_is_gone_everywhere(builds):
    """The linked visitor's anonymous key disappears from every event model."""
    db = builds["incremental"]
    anonymous_id = query(db, "select anonymous_id from stg_events where event_id = 'late_link'")[0][
        0
    ]
    for table in (
        "stg_events",
        "int_events_journeyed",
        "fct_events",
        "fct_sessions",
        "fct_journeys",
        "dim_customers",
    ):
        rows = query(
            db, f"select count(*) from {table} where customer_key = ?", [f"anon:{anonymous_id}"]
        )
        assert rows == [(0,)], table


def test_future_event_is_quarantined_not_blocking(builds):
    rows = query(
        builds["incremental"],
        "select reason from rejected_rows where record_key = 'future_1'",
    )
    assert rows == [("future_occurred_at",)]


@pytest.mark.parametrize("model", sorted(MARTS))
def test_incremental_equals_full_refresh(builds, model):
    order = MARTS[model]
    expected = mart_rows(builds["full"], model, order)
    actual = mart_rows(builds["incremental"], model, order)
    assert_same_rows(actual, expected)


def test_changing_a_timeout_recomputes_everything(builds):
    """A changed timeout changes every event's row hash, so the next
    incremental run equals a full refresh with the new value."""
    workdir, raw = builds["workdir"], builds["raw"]
    changed = workdir / "changed.duckdb"
    changed.write_bytes(builds["incremental"].read_bytes())
    build = ["build", "--exclude-resource-type", "unit_test"]
    new_vars = {"raw_data_dir": str(raw), "session_timeout_minutes": 240}
    incremental = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=changed,
        vars=new_vars,
        target_path=workdir / "target_changed",
    )
    run_dbt(incremental, build)
    full = DbtInvocation(
        project_dir=PROJECT_DIR,
        duckdb_path=workdir / "changed_full.duckdb",
        vars=new_vars,
        target_path=workdir / "target_changed_full",
    )
    run_dbt(full, [*build, "--full-refresh"])
    for model, order in (
        ("fct_sessions", "session_id"),
        ("fct_events", "event_id"),
        ("fct_journeys", "journey_id"),
    ):
        expected = mart_rows(full.duckdb_path, model, order)
        assert_same_rows(mart_rows(changed, model, order), expected)
    # and the 4-hour timeout really merged sessions (generated sessions start
    # at least 90 minutes apart)
    assert len(mart_rows(changed, "fct_sessions", "session_id")) < len(
        mart_rows(builds["incremental"], "fct_sessions", "session_id")
    )
