"""`journeys bench` end to end at a tiny size: it generates the data, runs
the full build, appends 1% new events and runs the incremental build, runs
once more with nothing new, and times the floor; the figures it reports
are consistent with what it built. Times are printed, never asserted
(performance is measured by the benchmark command, not by tests)."""

from __future__ import annotations

import duckdb

from journeys.bench import append_new_events, format_bench, run_bench


def test_bench_measures_full_incremental_no_op_and_floor(tmp_path) -> None:
    workdir = tmp_path / "bench"
    result = run_bench(events=4000, workdir=workdir, days=60, selector="core_pipeline")

    events_dir = workdir / "raw" / "events"
    with duckdb.connect() as con:
        files = {
            path.name: con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
            for path in sorted(events_dir.glob("*.parquet"))
        }
    # the generated events, then 1% of them replayed forward as a new file
    assert set(files) == {"part-1.parquet", "part-2.parquet"}
    assert files["part-1.parquet"] == result.events
    assert files["part-2.parquet"] == result.new_events
    assert 0.005 * result.events <= result.new_events <= 0.02 * result.events

    # the incremental run took the new file in: every event is in
    # int_events_journeyed (fct_events' rows) but the generator's bad rows
    with duckdb.connect(str(workdir / "bench.duckdb"), read_only=True) as con:
        clean = con.execute(
            "select count(*) from base_events where row_status = 'clean'"
        ).fetchone()[0]
        journeyed = con.execute("select count(*) from int_events_journeyed").fetchone()[0]
        from_new_file = con.execute(
            "select count(*) from base_events where _source_file = 'events/part-2.parquet'"
        ).fetchone()[0]
    assert journeyed == clean
    assert from_new_file == result.new_events

    for step in (result.full, result.incremental, result.no_op):
        assert step is not None and step.seconds > 0 and step.peak_rss_mb > 0
        assert step.slowest_models, "dbt's run_results were read"
    assert result.floor_seconds > 0
    report = format_bench(result)
    for line in ("full build", "incremental (+1%)", "no-op incremental", "full / floor"):
        assert line in report


def test_new_events_are_the_latest_activity_replayed_forward(tmp_path) -> None:
    """The 1% appended: new ids, later than every existing event, copied
    from the latest 1% of activity (same customers, types and channels)."""
    events_dir = tmp_path / "events"
    events_dir.mkdir()
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute(
            f"""
            copy (
                select
                    'e' || lpad(cast(i as varchar), 4, '0') as event_id,
                    timestamptz '2025-01-01 00:00:00+00' + to_minutes(i) as occurred_at,
                    'c' || cast(i % 7 as varchar) as customer_id,
                    cast(null as varchar) as anonymous_id,
                    'page_view' as event_type,
                    'web' as channel,
                    cast(null as varchar) as campaign_id,
                    cast(null as double) as revenue
                from range(1000) as t(i)
            ) to '{events_dir / "part-1.parquet"}' (format parquet)
            """
        )
        added = append_new_events(events_dir)
        new = con.execute(
            f"select event_id, occurred_at, customer_id "
            f"from read_parquet('{events_dir / 'part-2.parquet'}') order by occurred_at"
        ).fetchall()
    # quantile_disc(0.99) of minutes 0..999 is minute 989: the events of
    # minutes 989..999 (11) are replayed, shifted by 999 - 989 + 1 minutes
    assert added == len(new) == 11
    assert new[0][0] == "new_e0989"
    assert [row[1].minute for row in new][:2] == [(989 + 11) % 60, (990 + 11) % 60]
    assert {row[2] for row in new} == {f"c{i % 7}" for i in range(989, 1000)}
