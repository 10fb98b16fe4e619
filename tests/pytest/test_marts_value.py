"""Independent check of the channel and value marts on a small hand-made
dataset (tests/fixtures/value: all five inputs).

Every expected row below was worked out by hand from those files, SPEC.md
and DECISIONLOG D60-D66; the working is written next to it. Whole marts are
compared: every row of the grid, so a missing or extra row fails too.

Build vars: as_of = 2024-01-31 12:00:00, journey_timeout_days = 5,
churn_inactivity_days = 7 (short, so that one month of data has journeys,
churn and campaigns to measure).

Spine: first event 2024-01-02 (week of Mon Jan 1), as_of in the week of Mon
Jan 29 and in January: weeks W1 Jan 1, W2 Jan 8, W3 Jan 15, W4 Jan 22,
W5 Jan 29, and the month of January.

Customers (segment): c1 gold, c2 gold, c6 gold, c3 silver, c5 silver,
c4 (not in the CRM) unknown, anon:v1 unknown.

Journeys (timeout 5 days), their events' journey stages and touchpoints
(tp; purchases and checkout_error are not touchpoints):
  J1  c1  Jan 2-3   email_open(email,1,tp,cmp_a) page_view(web,1,tp)
                    product_view(web,2,tp) add_to_cart(app,3,tp)
                    checkout_error(web,friction) purchase(web,4,100)
  J2  c1  Jan 16    email_click(email,2,tp,cmp_b) purchase(web,4,50)
                    (13 days after J1: a new journey)
  C2  c2  Jan 9-10  app_open(app,1,tp,cmp_b) app_open(app,1,tp) product_view(web,2,tp)
  C3  c3  Jan 13-19 page_view(web,1,tp) email_open(email,1,tp,cmp_b)
                    page_view(web,1,tp) purchase(web,4,no revenue)
                    review_submitted(web,6,tp)
  C4  c4  Jan 22-24 page_view(web,1,tp) purchase(app,4,30) purchase(app,5,20)
  V1  v1  Jan 29    page_view(web,1,tp) product_view(web,2,tp)
  C5  c5  Jan 4-8   page_view(web,1,tp) product_view(web,2,tp) | Jan 8 page_view(web,2,tp)
  C6  c6  Jan 16    checkout_error(web,friction): no stage, no touchpoint
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_fixture, query_dicts

VALUE_AS_OF = "2024-01-31T12:00:00"
VALUE_VARS = {"as_of": VALUE_AS_OF, "journey_timeout_days": 5, "churn_inactivity_days": 7}

W1, W2, W3, W4, W5 = (dt.date(2024, 1, d) for d in (1, 8, 15, 22, 29))
JAN = dt.date(2024, 1, 1)
PERIODS = [("week", W1), ("week", W2), ("week", W3), ("week", W4), ("week", W5), ("month", JAN)]
CHANNELS = ["app", "email", "web", "all"]  # touchpoint channels, spend and survey channels

SECONDS_PER_YEAR = 365.25 * 86400


@pytest.fixture(scope="module")
def db(build_project, tmp_path_factory) -> Path:
    raw = copy_fixture("value", tmp_path_factory.mktemp("value_raw"))
    return build_project(raw, vars=VALUE_VARS, name="value")


def _close(got, want) -> bool:
    if want is None or got is None:
        return got is None and want is None
    if isinstance(want, float) or isinstance(got, float):
        return got == pytest.approx(want, rel=1e-9, abs=1e-12)
    return got == want


def assert_mart(db: Path, table: str, key: tuple[str, ...], expected: dict) -> None:
    """Every row of `table`, keyed by `key`, equals `expected` (key -> dict of
    the columns checked): same keys, and each listed column equal (floats
    within 1e-9 relative)."""
    rows = {tuple(row[k] for k in key): row for row in query_dicts(db, f"select * from {table}")}
    assert sorted(rows, key=str) == sorted(expected, key=str), f"{table}: rows differ"
    problems = []
    for k, want in expected.items():
        got = rows[k]
        bad = {c: (got[c], v) for c, v in want.items() if not _close(got[c], v)}
        if bad:
            problems.append(
                f"{k}: " + ", ".join(f"{c} got {g!r} want {w!r}" for c, (g, w) in bad.items())
            )
    assert not problems, f"{table}:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------
# rpt_channel_transitions
# ---------------------------------------------------------------------------

# Consecutive touchpoints of each journey, in the period of the later one:
#   J1 (W1): email->web, web->web, web->app     C5: web->web (W1, Jan 4), web->web (W2, Jan 8)
#   C2 (W2): app->app, app->web                  C3: web->email, email->web, web->web (W3)
#   V1 (W5): web->web                             J2, C4: one touchpoint each; C6: none
# Cells with transitions: (transitions, customers, share of from_channel's outgoing).
TRANSITIONS = {
    ("week", W1): {
        ("email", "web"): (1, 1, 1.0),
        ("email", "all"): (1, 1, 1.0),
        ("web", "web"): (2, 2, 2 / 3),  # c1 and c5
        ("web", "app"): (1, 1, 1 / 3),
        ("web", "all"): (3, 2, 1.0),
        ("all", "web"): (3, 2, 3 / 4),
        ("all", "app"): (1, 1, 1 / 4),
        ("all", "all"): (4, 2, 1.0),
    },
    ("week", W2): {
        ("app", "app"): (1, 1, 0.5),
        ("app", "web"): (1, 1, 0.5),
        ("app", "all"): (2, 1, 1.0),
        ("web", "web"): (1, 1, 1.0),  # c5
        ("web", "all"): (1, 1, 1.0),
        ("all", "web"): (2, 2, 2 / 3),
        ("all", "app"): (1, 1, 1 / 3),
        ("all", "all"): (3, 2, 1.0),
    },
    ("week", W3): {
        ("web", "email"): (1, 1, 0.5),
        ("web", "web"): (1, 1, 0.5),
        ("web", "all"): (2, 1, 1.0),
        ("email", "web"): (1, 1, 1.0),
        ("email", "all"): (1, 1, 1.0),
        ("all", "web"): (2, 1, 2 / 3),
        ("all", "email"): (1, 1, 1 / 3),
        ("all", "all"): (3, 1, 1.0),
    },
    ("week", W4): {},
    ("week", W5): {
        ("web", "web"): (1, 1, 1.0),
        ("web", "all"): (1, 1, 1.0),
        ("all", "web"): (1, 1, 1.0),
        ("all", "all"): (1, 1, 1.0),
    },
    ("month", JAN): {
        ("email", "web"): (2, 2, 1.0),  # c1, c3
        ("email", "all"): (2, 2, 1.0),
        ("web", "web"): (5, 4, 5 / 7),  # c1, c5 (twice), c3, v1
        ("web", "app"): (1, 1, 1 / 7),
        ("web", "email"): (1, 1, 1 / 7),
        ("web", "all"): (7, 4, 1.0),
        ("app", "app"): (1, 1, 0.5),
        ("app", "web"): (1, 1, 0.5),
        ("app", "all"): (2, 1, 1.0),
        ("all", "web"): (8, 5, 8 / 11),
        ("all", "app"): (2, 2, 2 / 11),
        ("all", "email"): (1, 1, 1 / 11),
        ("all", "all"): (11, 5, 1.0),
    },
}


def test_channel_transitions(db):
    expected = {}
    for (grain, start), cells in TRANSITIONS.items():
        for source in CHANNELS:
            for target in CHANNELS:
                if (source, target) in cells:
                    transitions, customers, share = cells[(source, target)]
                else:
                    # nothing moved: the share is 0 when from_channel had
                    # outgoing transitions, else undefined (null)
                    transitions, customers = 0, 0
                    share = 0.0 if (source, "all") in cells else None
                expected[(grain, start, source, target)] = {
                    "is_channel_switch": None if "all" in (source, target) else source != target,
                    "transitions": transitions,
                    "customers": customers,
                    "share_of_from_channel_outgoing": share,
                }
    assert_mart(
        db,
        "rpt_channel_transitions",
        ("period_grain", "period_start", "from_channel", "to_channel"),
        expected,
    )


def test_switches_are_the_journeys_channel_switches(db):
    # J1 email->web, web->app; C2 app->web; C3 web->email, email->web: 5
    [row] = query_dicts(
        db,
        "select (select sum(transitions) from rpt_channel_transitions"
        "        where period_grain = 'month' and is_channel_switch) as switches,"
        "       (select sum(channel_switches) from fct_journeys) as journey_switches",
    )
    assert row == {"switches": 5, "journey_switches": 5}


# ---------------------------------------------------------------------------
# rpt_channel_funnel
# ---------------------------------------------------------------------------

FUNNEL_COLUMNS = (
    "journeys_touched",
    "journeys_reached_awareness",
    "journeys_reached_consideration",
    "journeys_reached_intent",
    "journeys_reached_conversion",
    "journeys_reached_retention",
    "journeys_reached_advocacy",
    "journeys_converted",
    "conversions",
    "revenue",
    "conversion_rate",
)
# Journeys by start period, touchpoint channels, max stage, conversions, revenue:
#   W1: J1 (email, web, app; 4; 1; 100), C5 (web; 2)
#   W2: C2 (app, web; 2), C3 (web, email; 6; 1; 0: no revenue)
#   W3: J2 (email; 4; 1; 50); C6 has no touchpoint: in no row
#   W4: C4 (web; 5; 2; 50)        W5: V1 (web; 2)
# (touched, reached aw, co, in, cv, ret, adv, converted, conversions, revenue, rate)
FUNNEL = {
    ("week", W1): {
        "email": (1, 1, 1, 1, 1, 0, 0, 1, 1, 100.0, 1.0),
        "app": (1, 1, 1, 1, 1, 0, 0, 1, 1, 100.0, 1.0),
        "web": (2, 2, 2, 1, 1, 0, 0, 1, 1, 100.0, 0.5),
        "all": (2, 2, 2, 1, 1, 0, 0, 1, 1, 100.0, 0.5),
    },
    ("week", W2): {
        "app": (1, 1, 1, 0, 0, 0, 0, 0, 0, 0.0, 0.0),
        "email": (1, 1, 1, 1, 1, 1, 1, 1, 1, 0.0, 1.0),
        "web": (2, 2, 2, 1, 1, 1, 1, 1, 1, 0.0, 0.5),
        "all": (2, 2, 2, 1, 1, 1, 1, 1, 1, 0.0, 0.5),
    },
    ("week", W3): {
        "email": (1, 1, 1, 1, 1, 0, 0, 1, 1, 50.0, 1.0),
        "all": (1, 1, 1, 1, 1, 0, 0, 1, 1, 50.0, 1.0),
    },
    ("week", W4): {
        "web": (1, 1, 1, 1, 1, 1, 0, 1, 2, 50.0, 1.0),
        "all": (1, 1, 1, 1, 1, 1, 0, 1, 2, 50.0, 1.0),
    },
    ("week", W5): {
        "web": (1, 1, 1, 0, 0, 0, 0, 0, 0, 0.0, 0.0),
        "all": (1, 1, 1, 0, 0, 0, 0, 0, 0, 0.0, 0.0),
    },
    ("month", JAN): {
        # J1, J2, C3: a journey counts for every channel that touched it
        "email": (3, 3, 3, 3, 3, 1, 1, 3, 3, 150.0, 1.0),
        # J1, C2, C3, C4, V1, C5
        "web": (6, 6, 6, 3, 3, 2, 1, 3, 4, 150.0, 0.5),
        # J1, C2
        "app": (2, 2, 2, 1, 1, 0, 0, 1, 1, 100.0, 0.5),
        # every journey with a touchpoint (not C6), each once
        "all": (7, 7, 7, 4, 4, 2, 1, 4, 5, 200.0, 4 / 7),
    },
}


def test_channel_funnel(db):
    expected = {}
    for (grain, start), cells in FUNNEL.items():
        for channel in CHANNELS:
            values = cells.get(channel, (0,) * 9 + (0.0, None))
            expected[(grain, start, channel)] = dict(zip(FUNNEL_COLUMNS, values, strict=True))
    assert_mart(db, "rpt_channel_funnel", ("period_grain", "period_start", "channel"), expected)


# ---------------------------------------------------------------------------
# rpt_customer_lifetime_value
# ---------------------------------------------------------------------------

# Purchases: c1 Jan 3 09:10 (100) and Jan 16 08:10 (50); c3 Jan 18 10:00 (no
# revenue: counts 0); c4 Jan 23 09:00 (30) and Jan 24 09:00 (20).
# Seconds: Jan 3 09:10 -> as_of (Jan 31 12:00) = 28 d 2 h 50 m = 2,429,400;
# Jan 18 10:00 -> as_of = 13 d 2 h = 1,130,400; Jan 23 09:00 -> as_of =
# 8 d 3 h = 702,000; c1's lifespan Jan 3 09:10 -> Jan 16 08:10 = 12 d 23 h =
# 1,119,600; c4's = 86,400; c3's = 0.
C1_OBSERVED, C3_OBSERVED, C4_OBSERVED = 2_429_400, 1_130_400, 702_000
C1_LIFESPAN, C4_LIFESPAN = 1_119_600, 86_400
YEARS = {s: s / SECONDS_PER_YEAR for s in (C1_OBSERVED, C3_OBSERVED, C4_OBSERVED)}

CLV_GOLD = 75.0 * (2 / 1 / YEARS[C1_OBSERVED]) * (C1_LIFESPAN / SECONDS_PER_YEAR)
CLV_UNKNOWN = 25.0 * (2 / 1 / YEARS[C4_OBSERVED]) * (C4_LIFESPAN / SECONDS_PER_YEAR)
CLV_ALL = (
    40.0 * (5 / 3 / YEARS[C1_OBSERVED]) * ((C1_LIFESPAN + 0 + C4_LIFESPAN) / 3 / SECONDS_PER_YEAR)
)
# by acquisition channel (first touchpoint): email c1; app c2; web c3, c4, v1, c5, c6
CLV_EMAIL = CLV_GOLD  # c1 is the only purchaser acquired on email
CLV_WEB = (50 / 3) * (3 / 2 / YEARS[C3_OBSERVED]) * ((0 + C4_LIFESPAN) / 2 / SECONDS_PER_YEAR)


def test_customer_lifetime_value(db):
    def row(
        customers, purchasers, purchases, revenue, first_at, observed, frequency, lifespan, clv
    ):
        return {
            "customers": customers,
            "purchasers": purchasers,
            "purchases": purchases,
            "revenue": revenue,
            "average_purchase_value": revenue / purchases,
            "earliest_purchase_at": first_at,
            "years_observed": observed / SECONDS_PER_YEAR,
            "purchase_frequency_per_year": frequency,
            "average_lifespan_years": lifespan,
            "clv": clv,
        }

    jan3 = dt.datetime(2024, 1, 3, 9, 10)
    expected = {
        # c1, c2, c6: one purchaser (c1), 2 purchases, 150
        ("gold",): row(
            3,
            1,
            2,
            150.0,
            jan3,
            C1_OBSERVED,
            2 / YEARS[C1_OBSERVED],
            C1_LIFESPAN / SECONDS_PER_YEAR,
            CLV_GOLD,
        ),
        # c3, c5: a single purchase without revenue: apv 0, lifespan 0, clv 0
        ("silver",): row(
            2,
            1,
            1,
            0.0,
            dt.datetime(2024, 1, 18, 10),
            C3_OBSERVED,
            1 / YEARS[C3_OBSERVED],
            0.0,
            0.0,
        ),
        # c4 (not in the CRM) and anon:v1: c4's two purchases, 50
        ("unknown",): row(
            2,
            1,
            2,
            50.0,
            dt.datetime(2024, 1, 23, 9),
            C4_OBSERVED,
            2 / YEARS[C4_OBSERVED],
            C4_LIFESPAN / SECONDS_PER_YEAR,
            CLV_UNKNOWN,
        ),
        ("all",): row(
            7,
            3,
            5,
            200.0,
            jan3,
            C1_OBSERVED,
            5 / 3 / YEARS[C1_OBSERVED],
            (C1_LIFESPAN + C4_LIFESPAN) / 3 / SECONDS_PER_YEAR,
            CLV_ALL,
        ),
    }
    assert_mart(db, "rpt_customer_lifetime_value", ("segment",), expected)
    # the arithmetic in closed form: gold = 75 x 2 / (2,429,400 s / year) x
    # (1,119,600 s / year) = 150 x 1,119,600 / 2,429,400 = 69.128...; unknown =
    # 25 x 2 x 86,400 / 702,000 = 6.1538...
    [gold] = query_dicts(db, "select clv from rpt_customer_lifetime_value where segment = 'gold'")
    [unknown] = query_dicts(
        db, "select clv from rpt_customer_lifetime_value where segment = 'unknown'"
    )
    assert (round(gold["clv"], 6), round(unknown["clv"], 6)) == (69.128180, 6.153846)


# ---------------------------------------------------------------------------
# rpt_campaign_impact
# ---------------------------------------------------------------------------


# Journey-weeks (stage at week start -> end), strata (week, start stage):
#   W1: J1 0->4, C5 0->2                (W1,0): 2, both progressed
#   W2: C2 0->2, C3 0->1 | C5 2->2      (W2,0): 2, 2 progressed | (W2,2): 1, 0
#   W3: J2 0->4, C6 0->0 | C3 1->6      (W3,0): 2, 1 progressed | (W3,1): 1, 1
#   W4: C4 0->5   W5: V1 0->2
# cmp_a: Jan 1 to Jan 7 (midnight: through Jan 7): window [Jan 1, Jan 8);
#   audience c1 (e01); during = W1, before = none (the spine starts in W1).
#   W1: J1 touched (progressed), C5 comparable (progressed): 1.0 vs 1.0.
# cmp_b: Jan 15 to Jan 21: window [Jan 15, Jan 22); audience c1 (e07 Jan 16)
#   and c3 (e12 Jan 17), not c2 (e09 on Jan 9 is outside the window).
#   during = W3: J2 in (W3,0) vs C6: 1.0 vs 0.0; C3's (W3,1) has no
#   comparable: unmatched. before = W2: C3 in (W2,0) vs C2: 1.0 vs 1.0.
#   lift change = 1.0 - 0.0.
def test_campaign_impact(db):
    def row(window, weeks, audience, touched, unmatched, comparable, lift, change):
        t_weeks, t_progressed = touched
        c_weeks, c_progressed, c_rate = comparable
        return {
            "window_start": window[0],
            "window_end": window[1],
            "weeks": weeks,
            "audience_customers": audience,
            "touched_journey_weeks": t_weeks,
            "touched_progressed": t_progressed,
            "touched_progression_rate": t_progressed / t_weeks if t_weeks else None,
            "unmatched_journey_weeks": unmatched,
            "comparable_journey_weeks": c_weeks,
            "comparable_progressed": c_progressed,
            "comparable_progression_rate": c_rate,
            "progression_lift": lift,
            "lift_change_from_before": change,
        }

    none = (None, None)
    expected = {
        ("cmp_a", "before"): row(none, 0, 1, (0, 0), 0, (0, 0, None), None, None),
        ("cmp_a", "during"): row((W1, W2), 1, 1, (1, 1), 0, (1, 1, 1.0), 0.0, None),
        ("cmp_b", "before"): row((W2, W3), 1, 2, (1, 1), 0, (1, 1, 1.0), 0.0, None),
        ("cmp_b", "during"): row((W3, W4), 1, 2, (1, 1), 1, (1, 0, 0.0), 1.0, 1.0),
    }
    assert_mart(db, "rpt_campaign_impact", ("campaign_id", "phase"), expected)


# ---------------------------------------------------------------------------
# rpt_journey_scores
# ---------------------------------------------------------------------------

# Churn (7 days) instants: c1 Jan 10 09:10 and Jan 23 08:10, c5 Jan 15 10:00,
# c2 Jan 17 12:00, c6 Jan 23 10:00, c3 Jan 26 10:00, c4 Jan 31 09:00 (v1's
# Feb 5 is after as_of). Active at start / churned / rate:
#   W1 0/0/null; W2 c1, c5: 2/1/0.5; W3 c2, c3, c5: 3/2/(2/3);
#   W4 c1, c3, c6: 3/3/1.0; W5 c4: 1/1/1.0; January 0/7/null.
CHURN = {
    ("week", W1): (0, 0, None),
    ("week", W2): (2, 1, 0.5),
    ("week", W3): (3, 2, 2 / 3),
    ("week", W4): (3, 3, 1.0),
    ("week", W5): (1, 1, 1.0),
    ("month", JAN): (0, 7, None),
}
CLV_BY_CHANNEL = {"app": None, "email": CLV_EMAIL, "web": CLV_WEB, "all": CLV_ALL}

# Per period and channel: csat responses, csat (0-1), ces responses, avg_ces,
# spend, newly converted customers (first purchase in the period, under the
# acquisition channel: c1 email W1, c3 web W3, c4 web W4), journeys active,
# friction events. Survey: csat s1 web W1 5, s2 web W2 3, s3 web W3 4, s6 app
# W4 4; ces s4 web W1 2, s5 web W3 5, s7 app W4 1. Spend: email 40 W1, email
# 60 W3, web 10 W3, email 5 W5. Friction: e05 web W1, e25 web W3.
SCORE_INPUTS = {
    ("week", W1): {
        "app": (0, None, 0, None, 0.0, 0, 1, 0),
        "email": (0, None, 0, None, 40.0, 1, 1, 0),
        "web": (1, 1.0, 1, 2.0, 0.0, 0, 2, 1),
        "all": (1, 1.0, 1, 2.0, 40.0, 1, 2, 1),
    },
    ("week", W2): {
        "app": (0, None, 0, None, 0.0, 0, 1, 0),
        "email": (0, None, 0, None, 0.0, 0, 0, 0),
        "web": (1, 0.0, 0, None, 0.0, 0, 3, 0),
        "all": (1, 0.0, 0, None, 0.0, 0, 3, 0),
    },
    ("week", W3): {
        "app": (0, None, 0, None, 0.0, 0, 0, 0),
        "email": (0, None, 0, None, 60.0, 0, 2, 0),
        "web": (1, 1.0, 1, 5.0, 10.0, 1, 3, 1),
        "all": (1, 1.0, 1, 5.0, 70.0, 1, 3, 1),
    },
    ("week", W4): {
        "app": (1, 1.0, 1, 1.0, 0.0, 0, 1, 0),
        "email": (0, None, 0, None, 0.0, 0, 0, 0),
        "web": (0, None, 0, None, 0.0, 1, 1, 0),
        "all": (1, 1.0, 1, 1.0, 0.0, 1, 1, 0),
    },
    ("week", W5): {
        "app": (0, None, 0, None, 0.0, 0, 0, 0),
        "email": (0, None, 0, None, 5.0, 0, 0, 0),
        "web": (0, None, 0, None, 0.0, 0, 1, 0),
        "all": (0, None, 0, None, 5.0, 0, 1, 0),
    },
    ("month", JAN): {
        "app": (1, 1.0, 1, 1.0, 0.0, 0, 3, 0),
        "email": (0, None, 0, None, 105.0, 1, 3, 0),
        "web": (3, 2 / 3, 2, 3.5, 10.0, 2, 8, 2),
        "all": (4, 3 / 4, 3, 8 / 3, 115.0, 3, 8, 2),
    },
}
# The only rows where every input of a score is known and its denominator is
# not 0 (every other score is null):
#   W3 web: CJSS = (1.0 x 1/3) / (10 x 2/3) = 0.05;
#           JXS = (1 + 1/3 + clv_web) / (1/3 + 2/3)
#   W3 all: CJSS = (1/3) / (70 x 2/3) = 1/140; JXS = (4/3 + clv_all) / 1
#   W4 all: CJSS has cac 0 x churn 1: null; JXS = (1 + 1 + clv_all) / (0 + 1)
#   W4 app: cac null (nobody acquired on app), clv null (nobody acquired on
#           app bought): both null. Every month score: churn null.
SCORES = {
    ("week", W3, "web"): (0.05, (1 + 1 / 3 + CLV_WEB) / (1 / 3 + 2 / 3)),
    ("week", W3, "all"): (1 / 140, (1 + 1 / 3 + CLV_ALL) / (1 / 3 + 2 / 3)),
    ("week", W4, "all"): (None, 2 + CLV_ALL),
}


def test_journey_scores(db):
    expected = {}
    for (grain, start), cells in SCORE_INPUTS.items():
        active, churned, churn_rate = CHURN[(grain, start)]
        for channel, values in cells.items():
            csat_n, csat, ces_n, avg_ces, spend, new, journeys, friction = values
            cjss, jxs = SCORES.get((grain, start, channel), (None, None))
            expected[(grain, start, channel)] = {
                "csat_responses": csat_n,
                "csat": csat,
                "ces_responses": ces_n,
                "avg_ces": avg_ces,
                "ease": None if avg_ces is None else (7 - avg_ces) / 6,
                "marketing_spend": spend,
                "newly_converted_customers": new,
                "cac": spend / new if new else None,
                "customers_active_at_start": active,
                "customers_churned": churned,
                "churn_rate": churn_rate,
                "clv": CLV_BY_CHANNEL[channel],
                "journeys_active": journeys,
                "friction_events": friction,
                "friction_points": friction / journeys if journeys else None,
                "customer_journey_success_score": cjss,
                "journey_experience_success": jxs,
            }
    assert_mart(db, "rpt_journey_scores", ("period_grain", "period_start", "channel"), expected)


def test_missing_campaigns_and_spend_give_empty_impact_and_null_costs(handmade_db):
    """tests/fixtures/handmade has no campaigns and no marketing_spend input
    (both optional): the campaign report is empty with all its columns, and
    the scores carry zero spend, so a cost per customer of 0 or null."""
    columns = [
        row["column_name"]
        for row in query_dicts(
            handmade_db,
            "select column_name from information_schema.columns"
            " where table_name = 'rpt_campaign_impact' order by ordinal_position",
        )
    ]
    assert columns[:4] == ["campaign_id", "phase", "campaign_name", "channel"]
    assert "progression_lift" in columns
    assert query_dicts(handmade_db, "select count(*) as n from rpt_campaign_impact") == [{"n": 0}]
    [spend] = query_dicts(
        handmade_db,
        "select sum(marketing_spend) as spend, max(cac) as max_cac,"
        " count(customer_journey_success_score) as scored from rpt_journey_scores",
    )
    assert spend == {"spend": 0.0, "max_cac": 0.0, "scored": 0}
