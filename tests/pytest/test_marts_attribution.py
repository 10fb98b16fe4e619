"""Channel attribution (SPEC 6) on a small hand-made dataset, and the exact
Markov solve at scale.

The dataset is tests/fixtures/attribution/events.csv (events only: the other
inputs are optional), built with as_of = 2024-06-30 00:00 and the default
attribution_lookback_days = 30, attribution_half_life_days = 7. Every
expected value below was worked out by hand from that file; the working is
in the comments.

Customers (one journey each; a journey is closed when as_of is more than 30
days after its last event, so every journey but c6's is closed):

  c1  s0 social    2024-01-01 09:59:59   30 d + 1 s before p1: outside the look-back
      e1 email     2024-01-01 10:00:00   exactly 30 d before p1: inside
      i1 ad_impression (no touchpoint; keeps the journey together)
      w1 web       2024-01-31 09:00:00
      p1 purchase  2024-01-31 10:00:00   revenue 100  -> path email > web
      w5 web       2024-01-31 10:00:00   p1's instant, but 'w5' > 'p1': after p1
      p5 purchase  2024-02-03 10:00:00   no revenue   -> path web (w5, 3 days old)
  c2  s2 social 02-01, e2 email 02-08, w2 web 02-15 (21, 14, 7 days before p2)
      p2 purchase  2024-02-22 10:00:00   revenue 50   -> social > email > web
      s6 social    2024-02-25            after the last conversion: null path 'social'
  c3  w3 web 10:00, a3 web 10:10 (p3's instant, 'a3' < 'p3': before it)
      p3 purchase  2024-03-01 10:10:00   revenue 30   -> web > web
      w7 web       2024-03-02            null path 'web'
  c4  i4 ad_impression, p4 purchase 2024-04-01 (store), revenue 20 -> direct
  c5  s8 social 2024-03-11 09:59:59, i5 ad_impression, e8 email 2024-04-10 10:00
      never converted: null path 'email' (s8 is 30 d + 1 s older than e8: out)
  c6  w9 web 2024-06-20: open journey, no null path (it may still convert)

5 conversions, revenue 100 + 50 + 30 + 20 + 0 = 200.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import numpy as np
import pytest
from conftest import PROJECT_DIR, copy_fixture, query_dicts, run_dbt

from journeys.project import DbtInvocation

AS_OF = "2024-06-30T00:00:00"
MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay", "markov")

# CP1 time decay: e1 is 30 days old, w1 1 hour (1/24 day); weights
# 2^(-30/7) and 2^(-(1/24)/7), so e1's share is 1 / (1 + 2^((30 - 1/24)/7)).
CP1_EMAIL_DECAY = 1 / (1 + 2 ** ((30 - 1 / 24) / 7))


def approx(value):
    return pytest.approx(value, rel=1e-9, abs=1e-12)


@pytest.fixture(scope="module")
def db(build_project, tmp_path_factory) -> Path:
    raw = copy_fixture("attribution", tmp_path_factory.mktemp("attribution_raw"))
    return build_project(raw, vars={"as_of": AS_OF}, name="attribution")


def rows_by(db: Path, sql: str, *key: str) -> dict:
    out = {}
    for row in query_dicts(db, sql):
        k = row[key[0]] if len(key) == 1 else tuple(row[c] for c in key)
        assert k not in out, f"duplicate {k}"
        out[k] = row
    return out


def test_conversion_paths(db):
    paths = rows_by(db, "select * from fct_conversion_paths", "conversion_event_id")
    got = {
        event_id: (
            row["customer_key"],
            row["channel_list"],
            row["path_length"],
            row["channel_path"],
            row["touchpoint_count"],
            row["channel_count"],
            row["conversion_number"],
            row["revenue"],
            row["is_direct"],
            row["first_touch_channel"],
            row["last_touch_channel"],
        )
        for event_id, row in paths.items()
    }
    assert got == {
        # s0 is 1 s outside the look-back, e1 exactly at it (in)
        "p1": ("c1", ["email", "web"], 2, "email > web", 2, 2, 1, 100.0, False, "email", "web"),
        # the journey's second conversion: only what came after p1 (w5)
        "p5": ("c1", ["web"], 1, "web", 1, 1, 2, None, False, "web", "web"),
        "p2": ("c2", ["social", "email", "web"], 3, "social > email > web", 3, 3, 1, 50.0,
               False, "social", "web"),
        # a3 at p3's instant with a smaller event_id is before it; repeats kept
        "p3": ("c3", ["web", "web"], 2, "web > web", 2, 1, 1, 30.0, False, "web", "web"),
        # only an ad impression before it: direct, one 'direct' touch
        "p4": ("c4", ["direct"], 1, "direct", 0, 0, 1, 20.0, True, "direct", "direct"),
    }  # fmt: skip
    # days from the first touch: p1 30 d, p5 3 d, p2 21 d, p3 10 min
    assert paths["p1"]["days_from_first_touch"] == approx(30.0)
    assert paths["p5"]["days_from_first_touch"] == approx(3.0)
    assert paths["p2"]["days_from_first_touch"] == approx(21.0)
    assert paths["p3"]["days_from_first_touch"] == approx(10 / 1440)
    assert paths["p4"]["days_from_first_touch"] is None


def test_attribution_credits(db):
    credits = rows_by(
        db, "select * from fct_attribution_credits", "conversion_event_id", "touch_position"
    )
    columns = (
        "touch_event_id",
        "channel",
        "first_touch_credit",
        "last_touch_credit",
        "linear_credit",
        "position_based_credit",
        "time_decay_credit",
    )
    # (touch, channel, first, last, linear, position-based, time decay)
    expected = {
        ("p1", 1): ("e1", "email", 1, 0, 1 / 2, 1 / 2, CP1_EMAIL_DECAY),
        ("p1", 2): ("w1", "web", 0, 1, 1 / 2, 1 / 2, 1 - CP1_EMAIL_DECAY),
        ("p5", 1): ("w5", "web", 1, 1, 1, 1, 1),
        # 21, 14, 7 days: weights 1/8, 1/4, 1/2 over 7/8 -> 1/7, 2/7, 4/7
        ("p2", 1): ("s2", "social", 1, 0, 1 / 3, 0.4, 1 / 7),
        ("p2", 2): ("e2", "email", 0, 0, 1 / 3, 0.2, 2 / 7),
        ("p2", 3): ("w2", "web", 0, 1, 1 / 3, 0.4, 4 / 7),
        # 10 and 0 minutes: weights 2^(-10/1440/7) and 1
        ("p3", 1): ("w3", "web", 1, 0, 1 / 2, 1 / 2, 1 / (1 + 2 ** (10 / 1440 / 7))),
        ("p3", 2): ("a3", "web", 0, 1, 1 / 2, 1 / 2, 1 / (1 + 2 ** (-10 / 1440 / 7))),
        ("p4", 1): (None, "direct", 1, 1, 1, 1, 1),
    }
    assert set(credits) == set(expected)
    for key, want in expected.items():
        got = tuple(credits[key][c] for c in columns)
        assert got[:2] == want[:2], key
        assert got[2:] == tuple(approx(v) for v in want[2:]), key
    # the documented drill-down (D183): fct_conversion_paths joins its credits
    # on conversion_event_id, touch_position i being element i of channel_list
    paths = rows_by(db, "select * from fct_conversion_paths", "conversion_event_id")
    listed = {
        (conversion, position): channel
        for conversion, row in paths.items()
        for position, channel in enumerate(row["channel_list"], start=1)
    }
    assert listed == {key: credits[key]["channel"] for key in expected}
    assert {k: v["path_length"] for k, v in paths.items()} == {
        "p1": 2, "p5": 1, "p2": 3, "p3": 2, "p4": 1
    }  # fmt: skip
    assert credits[("p2", 1)]["touch_campaign_id"] == "cmp_social"
    assert credits[("p2", 1)]["days_before_conversion"] == approx(21.0)
    assert credits[("p2", 1)]["time_decay_weight"] == approx(2**-3)


def test_markov_transitions(db):
    transitions = rows_by(
        db,
        "select * from int_attribution_markov_transitions",
        "from_state",
        "to_state",
    )
    # paths: p1 email > web, p2 social > email > web, p3 web > web, p4 direct,
    # p5 web (conversions); s6 social, w7 web, e8 email (null paths).
    assert {k: v["transitions"] for k, v in transitions.items()} == {
        ("start", "email"): 2,  # p1, e8
        ("start", "social"): 2,  # p2, s6
        ("start", "web"): 3,  # p3, p5, w7
        ("start", "direct"): 1,  # p4
        ("email", "web"): 2,  # p1, p2
        ("email", "null"): 1,  # e8
        ("social", "email"): 1,  # p2
        ("social", "null"): 1,  # s6
        ("web", "conversion"): 4,  # p1, p2, p3, p5
        ("web", "web"): 1,  # p3's repeat
        ("web", "null"): 1,  # w7
        ("direct", "conversion"): 1,  # p4
    }
    # states in alphabetical order: direct 1, email 2, social 3, web 4
    assert {v["to_state"]: v["to_state_index"] for v in transitions.values()} == {
        "direct": 1,
        "email": 2,
        "social": 3,
        "web": 4,
        "conversion": -1,
        "null": -2,
    }
    assert transitions[("web", "web")]["transition_probability"] == approx(1 / 6)


# The chain, by hand (x_s = P(conversion) from state s):
#   start -> email 2/8, social 2/8, web 3/8, direct 1/8
#   email -> web 2/3, null 1/3;  social -> email 1/2, null 1/2
#   web -> conversion 4/6, web 1/6, null 1/6;  direct -> conversion 1
#   x_web = 2/3 + 1/6 x_web = 4/5; x_email = 2/3 x 4/5 = 8/15;
#   x_social = 1/2 x 8/15 = 4/15; x_direct = 1.
#   P = 2/8 (8/15) + 2/8 (4/15) + 3/8 (4/5) + 1/8 = (16 + 8 + 36 + 15) / 120 = 5/8
# Removed (steps into the channel go to null):
#   email:  x_email = 0, so x_social = 0: P = (36 + 15) / 120 = 17/40; effect 1 - 51/75 = 8/25
#   social: P = (16 + 36 + 15) / 120 = 67/120; effect 1 - 67/75 = 8/75
#   web:    x_web = x_email = x_social = 0: P = 15/120 = 1/8; effect 1 - 15/75 = 4/5
#   direct: P = 60/120 = 1/2; effect 1 - 60/75 = 1/5
# Sum of effects = (24 + 8 + 60 + 15) / 75 = 107/75: shares 24/107, 8/107, 60/107, 15/107.
MARKOV_EFFECTS = {"email": 8 / 25, "social": 8 / 75, "web": 4 / 5, "direct": 1 / 5}
MARKOV_WITHOUT = {"email": 17 / 40, "social": 67 / 120, "web": 1 / 8, "direct": 1 / 2}
MARKOV_SHARES = {"email": 24 / 107, "social": 8 / 107, "web": 60 / 107, "direct": 15 / 107}


def test_markov_removal_effects(db):
    effects = rows_by(db, "select * from int_attribution_markov_removal_effects", "channel")
    assert set(effects) == set(MARKOV_EFFECTS)
    for channel, row in effects.items():
        assert row["conversion_probability"] == approx(5 / 8)
        assert row["conversion_probability_without_channel"] == approx(MARKOV_WITHOUT[channel])
        assert row["removal_effect"] == approx(MARKOV_EFFECTS[channel])
        assert row["removal_share"] == approx(MARKOV_SHARES[channel])


def test_channel_attribution_report(db):
    report = rows_by(db, "select * from rpt_channel_attribution", "model", "channel")
    # (conversions, revenue) per model and channel; revenue is credit x the
    # conversion's revenue (p1 100, p2 50, p3 30, p4 20, p5 none).
    a = CP1_EMAIL_DECAY
    expected = {
        # p1 email, p2 social, p3 and p5 web, p4 direct
        "first_touch": {
            "email": (1, 100),
            "social": (1, 50),
            "web": (2, 30),
            "direct": (1, 20),
        },
        # web ends p1, p2, p3 and p5
        "last_touch": {"email": (0, 0), "social": (0, 0), "web": (4, 180), "direct": (1, 20)},
        # p1 halves, p2 thirds, p3 and p5 all web
        "linear": {
            "email": (1 / 2 + 1 / 3, 50 + 50 / 3),
            "social": (1 / 3, 50 / 3),
            "web": (1 / 2 + 1 / 3 + 1 + 1, 50 + 50 / 3 + 30),
            "direct": (1, 20),
        },
        # p2: 0.4 social, 0.2 email, 0.4 web
        "position_based": {
            "email": (0.5 + 0.2, 50 + 10),
            "social": (0.4, 20),
            "web": (0.5 + 0.4 + 1 + 1, 50 + 20 + 30),
            "direct": (1, 20),
        },
        "time_decay": {
            "email": (a + 2 / 7, 100 * a + 100 / 7),
            "social": (1 / 7, 50 / 7),
            "web": ((1 - a) + 4 / 7 + 1 + 1, 100 * (1 - a) + 200 / 7 + 30),
            "direct": (1, 20),
        },
        "markov": {c: (5 * share, 200 * share) for c, share in MARKOV_SHARES.items()},
    }
    touchpoints = {"email": 2, "social": 1, "web": 5, "direct": 1, "all": 9}
    assert set(report) == {(m, c) for m in MODELS for c in [*touchpoints]}
    for model, channels in expected.items():
        for channel, (conversions, revenue) in [*channels.items(), ("all", (5, 200))]:
            row = report[(model, channel)]
            label = f"{model}/{channel}"
            assert row["attributed_conversions"] == approx(conversions), label
            assert row["attributed_revenue"] == approx(revenue), label
            assert row["conversion_share"] == approx(conversions / 5), label
            assert row["revenue_share"] == approx(revenue / 200), label
            assert row["touchpoints"] == touchpoints[channel], label
            if model == "markov":
                effect = MARKOV_EFFECTS.get(channel, 107 / 75)
                assert row["removal_effect"] == approx(effect), label
            else:
                assert row["removal_effect"] is None, label


def test_lookback_and_half_life_vars(build_project, tmp_path_factory):
    """attribution_lookback_days = 31 lets s0 into p1's path and s8 into c5's
    null path; attribution_half_life_days = 14 halves p2's decay rate."""
    raw = copy_fixture("attribution", tmp_path_factory.mktemp("attribution_vars_raw"))
    db = build_project(
        raw,
        vars={"as_of": AS_OF, "attribution_lookback_days": 31, "attribution_half_life_days": 14},
        name="attribution_vars",
    )
    paths = rows_by(db, "select * from fct_conversion_paths", "conversion_event_id")
    assert paths["p1"]["channel_path"] == "social > email > web"
    credits = rows_by(
        db, "select * from fct_attribution_credits", "conversion_event_id", "touch_position"
    )
    # p2 at 21, 14, 7 days with a 14-day half-life: weights 2^-1.5, 2^-1, 2^-0.5
    weights = [2**-1.5, 2**-1, 2**-0.5]
    for position, weight in enumerate(weights, start=1):
        assert credits[("p2", position)]["time_decay_credit"] == approx(weight / sum(weights))
    transitions = rows_by(
        db, "select * from int_attribution_markov_transitions", "from_state", "to_state"
    )
    # s0 and s8 now open p1's and c5's paths: start -> social 2 + 2
    assert transitions[("start", "social")]["transitions"] == 4
    assert transitions[("social", "email")]["transitions"] == 3


# as_of in the past (DECISIONLOG D182): attribution and lifetime value are
# evaluated at that instant. as_of = 2024-02-22 10:00, p2's own instant (in).
# Events up to then: c1's journey (s0 ... p5) and c2's s2, e2, w2, p2; s6
# (02-25), c3, c4, c5 and c6 come later. Conversions: p1 (email > web,
# 100), p5 (web, no revenue), p2 (social > email > web, 50): 3 conversions,
# revenue 150. No journey is closed at as_of (c1's last event p5 is 19 days
# before it, c2's p2 is at it), so there is no null path and every path
# converts:
#   start -> email 1/3, web 1/3, social 1/3; email -> web 1; social ->
#   email 1; web -> conversion 1. P = 1.
#   email removed: only start -> web converts, P = 1/3, effect 2/3;
#   social removed: P = 2/3, effect 1/3; web removed: P = 0, effect 1.
#   Sum 2: shares email 1/3, social 1/6, web 1/2; x 3 conversions, x 150.
PAST_AS_OF = "2024-02-22T10:00:00"
PAST_MARKOV = {"email": (1.0, 50.0), "social": (0.5, 25.0), "web": (1.5, 75.0)}


def test_as_of_in_the_past_bounds_attribution_and_value(build_project, tmp_path_factory):
    raw = copy_fixture("attribution", tmp_path_factory.mktemp("attribution_past_raw"))
    db = build_project(raw, vars={"as_of": PAST_AS_OF}, name="attribution_past")
    # the events after as_of are still there (D5), only not counted
    [(events, conversions)] = [
        tuple(r.values())
        for r in query_dicts(
            db, "select count(*), count(case when is_conversion then 1 end) from fct_events"
        )
    ]
    assert (events, conversions) == (22, 5)
    paths = rows_by(db, "select * from fct_conversion_paths", "conversion_event_id")
    assert {k: v["channel_path"] for k, v in paths.items()} == {
        "p1": "email > web",
        "p5": "web",
        "p2": "social > email > web",
    }
    report = rows_by(db, "select * from rpt_channel_attribution", "model", "channel")
    assert {c for _, c in report} == {"email", "social", "web", "all"}
    for channel, (conversions, revenue) in [*PAST_MARKOV.items(), ("all", (3.0, 150.0))]:
        row = report[("markov", channel)]
        assert row["attributed_conversions"] == approx(conversions), channel
        assert row["attributed_revenue"] == approx(revenue), channel
    # first touch: p1 email (100), p5 web (no revenue), p2 social (50)
    first = {
        c: (
            report[("first_touch", c)]["attributed_conversions"],
            report[("first_touch", c)]["attributed_revenue"],
        )
        for c in PAST_MARKOV
    }
    assert first == {"email": (1.0, 100.0), "social": (1.0, 50.0), "web": (1.0, 0.0)}
    assert report[("last_touch", "web")]["attributed_conversions"] == approx(3.0)
    # lifetime value (no customers input: every key is 'unknown'). Customers
    # first seen by as_of: c1 (Jan 1), c2 (Feb 1). Purchases p1, p5 (c1), p2
    # (c2): revenue 150, apv 50; earliest purchase Jan 31 10:00, 22 days
    # before as_of; lifespans c1 3 days (Jan 31 -> Feb 3), c2 0.
    # clv = 50 x (3 / 2 / (22 / 365.25)) x (1.5 / 365.25) = 50 x 2.25 / 22.
    values = rows_by(db, "select * from rpt_customer_lifetime_value", "segment")
    assert set(values) == {"unknown", "all"}
    for segment in ("unknown", "all"):
        row = values[segment]
        got = (row["customers"], row["purchasers"], row["purchases"], row["revenue"])
        assert got == (2, 2, 3, 150.0), segment
        assert row["years_observed"] == approx(22 / 365.25)
        assert row["purchase_frequency_per_year"] == approx(3 / 2 / (22 / 365.25))
        assert row["average_lifespan_years"] == approx(1.5 / 365.25)
        assert row["clv"] == approx(50 * 2.25 / 22)


# ---------------------------------------------------------------------------
# Scale: the exact solve on 30 channels and 200,000 paths
# ---------------------------------------------------------------------------

SCALE_CHANNELS = 30
SCALE_PATHS = 200_000

# Synthetic paths in the shape of int_attribution_path_touchpoints: 1-8
# touches, first touches only on the first 10 channels, and a
# conversion chance that depends on the last channel, so that removal
# effects differ between channels.
SCALE_PATHS_SQL = f"""
create table int_attribution_path_touchpoints as
with paths as (
    select
        i as path_number,
        cast(1 + hash(i, 'length') % 8 as bigint) as path_length
    from range({SCALE_PATHS}) as numbers(i)
),
touches as (
    select
        path_number,
        path_length,
        unnest(generate_series(1, path_length)) as touch_position
    from paths
),
channelled as (
    select
        *,
        cast(
            1 + hash(path_number, touch_position, 'channel')
            % (case when touch_position = 1 then 10 else {SCALE_CHANNELS} end)
            as bigint
        ) as channel_number
    from touches
),
last_touches as (
    select
        path_number,
        case
            when hash(path_number, 'convert') % 100 < 10 + 2 * channel_number
                then 'conversion'
            else 'null'
        end as path_type
    from channelled
    where touch_position = path_length
)
select
    last_touches.path_type,
    'p' || channelled.path_number as path_id,
    channelled.touch_position,
    channelled.path_length,
    'ch' || lpad(cast(channelled.channel_number as varchar), 2, '0') as channel
from channelled
inner join last_touches
    on channelled.path_number = last_touches.path_number
"""


def _absorbing_conversion_probability(
    transitions: list[tuple[int, int, float]], states: int, removed: int | None
) -> float:
    """P(conversion) from start by numpy's dense linear solve of
    (I - Q) x = r over the transient states (start 0, channels 1..n): an
    independent check of the SQL's state elimination."""
    q = np.zeros((states + 1, states + 1))
    r = np.zeros(states + 1)
    for source, target, probability in transitions:
        if source == removed or target == removed:
            continue  # the removed channel: steps into it go to null
        if target == -1:
            r[source] += probability
        elif target > 0:
            q[source, target] += probability
    return float(np.linalg.solve(np.eye(states + 1) - q, r)[0])


def test_markov_solve_at_scale(tmp_path):
    """The SQL solve on 30 channels x 200k paths (about 900k touches) on
    DuckDB: the transitions and the 31 elimination scenarios are built from
    a synthetic path table, then checked against numpy. The time is printed
    (pytest -s), not asserted."""
    database = tmp_path / "scale.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(SCALE_PATHS_SQL)
        touches, paths = con.execute(
            "select count(*), count(distinct path_id) from int_attribution_path_touchpoints"
        ).fetchone()
    assert paths == SCALE_PATHS
    invocation = DbtInvocation(
        project_dir=PROJECT_DIR, duckdb_path=database, target_path=tmp_path / "target"
    )
    started = time.perf_counter()
    run_dbt(
        invocation,
        [
            "run",
            "--select",
            "int_attribution_markov_transitions int_attribution_markov_removal_effects",
        ],
    )
    elapsed = time.perf_counter() - started
    timings = {
        result["unique_id"].split(".")[-1]: result["execution_time"]
        for result in json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    }
    print(
        f"\nMarkov at scale: {SCALE_CHANNELS} channels, {paths:,} paths, {touches:,} touches:"
        f" dbt run {elapsed:.1f} s; transitions"
        f" {timings['int_attribution_markov_transitions']:.2f} s, solve"
        f" {timings['int_attribution_markov_removal_effects']:.2f} s"
    )
    with duckdb.connect(str(database), read_only=True) as con:
        transitions = con.execute(
            "select from_state_index, to_state_index, transition_probability"
            " from int_attribution_markov_transitions"
        ).fetchall()
        effects = con.execute(
            "select state_index, conversion_probability, conversion_probability_without_channel,"
            " removal_effect, removal_share from int_attribution_markov_removal_effects"
        ).fetchall()
    assert len(effects) == SCALE_CHANNELS
    baseline = _absorbing_conversion_probability(transitions, SCALE_CHANNELS, None)
    assert 0 < baseline < 1
    for state, probability, without, effect, _share in effects:
        assert probability == approx(baseline)
        expected_without = _absorbing_conversion_probability(transitions, SCALE_CHANNELS, state)
        assert without == approx(expected_without), state
        assert effect == approx(1 - expected_without / baseline), state
    assert sum(row[4] for row in effects) == approx(1.0)
    assert len({round(row[3], 6) for row in effects}) > 1, "effects should differ by channel"
