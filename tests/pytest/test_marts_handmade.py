"""Independent check of the marts on a small hand-made dataset.

The dataset lives in tests/fixtures/handmade (events, customers,
survey_responses; marketing_spend and campaigns are deliberately absent: they
are optional inputs). Every expected value below was worked out by hand from
those files and SPEC.md; the working is written next to each expectation.

Calendar facts used throughout (2024 is a leap year):
  * Mondays: Jan 1, 8, 15, 22, 29; Feb 5, 12, 19, 26; Mar 4, 11, 18, 25;
    Apr 1, 8, 15, 22, 29; May 6, 13, 20, 27.  Apr 1 is a Monday AND a 1st.
  * as_of = 2024-05-31 00:00:00 (a Friday) -> last week 2024-05-27, last month May.
  * First clean event 2024-01-02 -> first week 2024-01-01, first month January.
    Grid = 22 weeks (Jan 1 .. May 27) + 5 months = 27 periods.
  * Day arithmetic: Jan 10 + 90 d = Apr 9; Jan 12 + 90 d = Apr 11;
    Jan 20 + 90 d = Apr 19; Feb 1 + 30 d = Mar 2; Mar 2 + 30 d = Apr 1;
    as_of - 30 d = May 1 00:00; Apr 1 - 90 d = Jan 2; May 1 - 90 d = Feb 1.

Customer keys (segment): c1 (gold), c4 (gold), c3 (silver), c6 (silver),
c2 (CRM row with empty segment -> unknown), c5 (not in CRM -> unknown),
anon:v9 (anonymous only -> unknown).  Segments present: gold, silver, unknown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import HANDMADE_AS_OF, query, query_dicts

AS_OF = HANDMADE_AS_OF  # 2024-05-31T00:00:00
# short stage names for the wide per-event table
AW, CO, IN, CV, RET, ADV = (
    "awareness",
    "consideration",
    "intent",
    "conversion",
    "retention",
    "advocacy",
)
STAGE_PAIRS = [
    ("awareness", "consideration"),
    ("consideration", "intent"),
    ("intent", "conversion"),
    ("conversion", "retention"),
    ("retention", "advocacy"),
]


def T(s: str) -> dt.datetime:
    """A naive UTC timestamp from 'YYYY-MM-DD HH:MM:SS'."""
    return dt.datetime.fromisoformat(s)


def D(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _plain(value):
    """Decimals (e.g. a DECIMAL revenue column) compare as floats."""
    return float(value) if isinstance(value, Decimal) else value


def _expect(value):
    """Floats are compared with a relative tolerance, everything else exactly."""
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-9)
    return value


def assert_row(actual: dict, expected: dict, label: str = "") -> None:
    got = {k: _plain(actual[k]) for k in expected}
    want = {k: _expect(v) for k, v in expected.items()}
    assert got == want, f"{label}: got {got}, expected {expected}"


@pytest.fixture(scope="module")
def db(handmade_db) -> Path:
    """The handmade build (conftest), built with as_of = AS_OF."""
    return handmade_db


def rows_by(db: Path, sql: str, *key: str) -> dict:
    out = {}
    for row in query_dicts(db, sql):
        k = tuple(row[c] for c in key)
        assert k not in out, f"duplicate grain {k} in: {sql}"
        out[k] = row
    return out


# ---------------------------------------------------------------------------
# Data quality
# ---------------------------------------------------------------------------


def test_data_quality_counts(db):
    dq = rows_by(db, "select * from rpt_data_quality", "input_name")
    # events.csv has 54 data rows:
    #   41 clean events (c1: e101-e119 = 19, c2: e201 e202 e304 = 3,
    #   c3: e301 e302 e303 e305 e306 = 5, c4: 4, c5: 4, c6: 2, v9: e901-e904 = 4);
    #   9 rejected: (no id), x002, x003, x004, x005, x006, x007 (once), x008,
    #   and the invalid copy of e903 (revenue -1);
    #   4 duplicates: e118 exact copy, x007 exact copy (dropped BEFORE checks, so
    #   x007 is rejected once only), e901 conflicting (page_view/web loses to
    #   ad_click/social), e902 conflicting (00:25 loses to 00:20).
    # 41 + 9 + 4 = 54.
    assert_row(
        dq["events",],
        {"rows_received": 54, "rows_clean": 41, "rows_rejected": 9, "duplicates_dropped": 4},
        "events",
    )
    # customers.csv: 7 rows; '' key and c9 with signed_up_at 'not-a-date' are rejected.
    assert_row(
        dq["customers",],
        {"rows_received": 7, "rows_clean": 5, "rows_rejected": 2, "duplicates_dropped": 0},
        "customers",
    )
    # survey_responses.csv: 23 rows = 15 clean (s01-s15) + 7 bad (no id, s20-s25)
    # + 1 exact copy of s01.
    assert_row(
        dq["survey_responses",],
        {"rows_received": 23, "rows_clean": 15, "rows_rejected": 7, "duplicates_dropped": 1},
        "survey_responses",
    )
    for (name,), row in dq.items():
        assert row["rows_received"] == (
            row["rows_clean"] + row["rows_rejected"] + row["duplicates_dropped"]
        ), name
        if name in ("marketing_spend", "campaigns"):
            # optional inputs missing from the folder: empty, not an error
            assert row["rows_received"] == 0, name


def test_rejected_rows_reasons(db):
    rows = query(db, "select input_name, reason, cast(raw_values as varchar) from rejected_rows")
    assert all(raw is not None and raw != "" for _, _, raw in rows)
    by_input = defaultdict(list)
    for name, reason, raw in rows:
        by_input[name].append((reason, raw))

    def reasons_containing(name: str, marker: str) -> list[str]:
        return [reason for reason, raw in by_input[name] if marker in raw]

    ev = by_input["events"]
    assert len(ev) == 9
    # first applicable reason, in SPEC order
    assert reasons_containing("events", "cmp-noid") == ["missing_event_id"]
    # x002: unparseable time (it also lacks identity and has an unknown type)
    assert reasons_containing("events", "x002") == ["invalid_occurred_at"]
    assert reasons_containing("events", "x003") == ["invalid_occurred_at"]  # empty time
    # x004: no customer_id, no anonymous_id (its event_type is also unknown)
    assert reasons_containing("events", "x004") == ["missing_identity"]
    # x005: 'teleport' (its revenue -5 is also bad, but the type comes first)
    assert reasons_containing("events", "x005") == ["unknown_event_type"]
    assert reasons_containing("events", "x006") == ["invalid_revenue"]  # -5
    # x007: 'abc', present twice as an exact duplicate -> rejected once
    assert reasons_containing("events", "x007") == ["invalid_revenue"]
    assert reasons_containing("events", "x008") == ["future_occurred_at"]  # 2099
    # e903 at 08:00 with revenue -1 is invalid; the valid e903 (09:00) is kept
    assert reasons_containing("events", "e903") == ["invalid_revenue"]
    assert Counter(r for r, _ in ev) == {
        "missing_event_id": 1,
        "invalid_occurred_at": 2,
        "missing_identity": 1,
        "unknown_event_type": 1,
        "invalid_revenue": 3,
        "future_occurred_at": 1,
    }

    sv = by_input["survey_responses"]
    assert Counter(r for r, _ in sv) == {
        "missing_response_id": 1,
        "invalid_responded_at": 1,
        "missing_identity": 1,
        "invalid_survey_type": 1,
        "score_out_of_range": 3,
    }
    assert reasons_containing("survey_responses", "yesterday") == ["invalid_responded_at"]
    assert reasons_containing("survey_responses", "s21") == ["missing_identity"]
    assert reasons_containing("survey_responses", "sus") == ["invalid_survey_type"]
    # csat 6 (1-5), nps 11 (0-10), ces 0 (1-7)
    for rid in ("s23", "s24", "s25"):
        assert reasons_containing("survey_responses", rid) == ["score_out_of_range"], rid

    # customers: reason names are not fixed by SPEC; just the two rows
    assert len(by_input["customers"]) == 2
    assert len(reasons_containing("customers", "not-a-date")) == 1


# ---------------------------------------------------------------------------
# fct_events: identity, sessions, journeys, stages
# ---------------------------------------------------------------------------

# event_id: (customer_key, occurred_at, event_type, channel,
#            session_number, journey_number, event_stage, journey_stage)
# Notes on the non-obvious cells:
#  * e102 channel ' Ads ' -> 'ads'; e103 'Page_View' -> 'page_view';
#    e104 ' Search ' -> 'search'; e404 empty channel -> 'unknown'.
#  * e401 '2024-01-10T12:00:00+02:00' -> 10:00 UTC; e601 '...14:00:00Z' -> 14:00.
#  * Stitching of anonymous_id a2: events carrying both ids are e303 (c3, Mar 2
#    10:05), e304 (c2, Mar 2 10:05) and e201 (c2, Mar 15). Earliest instant is a
#    tie between e303 and e304 -> lowest event_id e303 -> a2 links to c3 (not c2,
#    although 'c2' < 'c3' and e201 < e303). So the anonymous-only e301, e302
#    (earlier) and e305 (later) get customer_key c3; e304/e201 keep c2.
#  * e903 has customer_id "" (empty = missing) -> anon:v9.
#  * c1 sessions: e101 09:00, e102 09:10, e103 09:40 (gap exactly 30 min: same
#    session); e104 10:10:01 (gap 30 min + 1 s: session 2).
#    v9: e903 09:00 -> e904 09:30 is exactly 30 min: same session.
#  * e105/e106 share the instant 10:20:00. e106 add_to_cart reaches intent, so
#    both have journey_stage intent although e105 sorts first by event_id.
#  * Purchases: e108 is c1's journey-1 first conversion ('conversion'); e110 is
#    the second one in the same journey ('retention'); e118 opens journey 2's
#    conversions again ('conversion').
#  * c3: e302 Feb 1 10:05 -> e303 Mar 2 10:05 is exactly 30 days (same journey);
#    e303 -> e305 Apr 1 10:05:01 is 30 days + 1 s (journey 2). e306 email_open
#    (awareness) does not lower journey_stage below conversion.
#  * c4: e402 Jan 10 10:20 -> e403 Apr 9 10:20 (90 d) : new journey.
#  * c2: Mar 15 -> May 1 is 46+ days: journey 2.
EXPECTED_EVENTS = {
    "e101": ("c1", "2024-01-02 09:00:00", "ad_impression", "ads", 1, 1, AW, AW),
    "e102": ("c1", "2024-01-02 09:10:00", "ad_click", "ads", 1, 1, AW, AW),
    "e103": ("c1", "2024-01-02 09:40:00", "page_view", "web", 1, 1, AW, AW),
    "e104": ("c1", "2024-01-02 10:10:01", "search", "web", 2, 1, CO, CO),
    "e105": ("c1", "2024-01-02 10:20:00", "product_view", "web", 2, 1, CO, IN),
    "e106": ("c1", "2024-01-02 10:20:00", "add_to_cart", "web", 2, 1, IN, IN),
    "e107": ("c1", "2024-01-02 10:30:00", "checkout_start", "app", 2, 1, IN, IN),
    "e108": ("c1", "2024-01-02 10:35:00", "purchase", "app", 2, 1, CV, CV),
    "e109": ("c1", "2024-01-05 12:00:00", "email_open", "email", 3, 1, AW, CV),
    "e110": ("c1", "2024-01-05 12:05:00", "purchase", "web", 3, 1, RET, RET),
    "e111": ("c1", "2024-01-05 12:20:00", "review_submitted", "web", 3, 1, ADV, ADV),
    "e112": ("c1", "2024-01-12 10:00:00", "support_ticket", "call_center", 4, 1, None, ADV),
    "e113": ("c1", "2024-04-20 15:00:00", "app_open", "app", 5, 2, AW, AW),
    "e114": ("c1", "2024-04-20 15:10:00", "product_view", "app", 5, 2, CO, CO),
    "e115": ("c1", "2024-05-01 00:00:00", "email_open", "email", 6, 2, AW, CO),
    "e116": ("c1", "2024-05-10 09:00:00", "add_to_cart", "web", 7, 2, IN, IN),
    "e117": ("c1", "2024-05-10 09:05:00", "checkout_error", "web", 7, 2, None, IN),
    "e118": ("c1", "2024-05-10 09:10:00", "purchase", "web", 7, 2, CV, CV),
    "e119": ("c1", "2024-05-20 08:00:00", "referral", "email", 8, 2, ADV, ADV),
    "e304": ("c2", "2024-03-02 10:05:00", "search", "web", 1, 1, CO, CO),
    "e201": ("c2", "2024-03-15 11:00:00", "product_view", "web", 2, 1, CO, CO),
    "e202": ("c2", "2024-05-01 00:00:00", "ad_click", "social", 3, 2, AW, AW),
    "e301": ("c3", "2024-02-01 10:00:00", "page_view", "web", 1, 1, AW, AW),
    "e302": ("c3", "2024-02-01 10:05:00", "add_to_cart", "web", 1, 1, IN, IN),
    "e303": ("c3", "2024-03-02 10:05:00", "chat_message", "chat", 2, 1, None, IN),
    "e305": ("c3", "2024-04-01 10:05:01", "purchase", "web", 3, 2, CV, CV),
    "e306": ("c3", "2024-04-03 09:00:00", "email_open", "email", 4, 2, AW, CV),
    "e401": ("c4", "2024-01-10 10:00:00", "email_open", "email", 1, 1, AW, AW),
    "e402": ("c4", "2024-01-10 10:20:00", "email_click", "email", 1, 1, CO, CO),
    "e403": ("c4", "2024-04-09 10:20:00", "page_view", "web", 2, 2, AW, AW),
    "e404": ("c4", "2024-04-09 10:30:00", "call", "unknown", 2, 2, None, AW),
    "e501": ("c5", "2024-03-25 12:00:00", "social_engagement", "social", 1, 1, AW, AW),
    "e502": ("c5", "2024-03-28 12:00:00", "content_download", "web", 2, 1, CO, CO),
    "e503": ("c5", "2024-04-01 00:00:00", "checkout_start", "web", 3, 1, IN, IN),
    "e504": ("c5", "2024-04-01 00:10:00", "remove_from_cart", "web", 3, 1, None, IN),
    "e601": ("c6", "2024-01-20 14:00:00", "page_view", "web", 1, 1, AW, AW),
    "e602": ("c6", "2024-01-20 14:05:00", "store_visit", "store", 1, 1, CO, CO),
    "e901": ("anon:v9", "2024-05-27 00:00:00", "ad_click", "social", 1, 1, AW, AW),
    "e902": ("anon:v9", "2024-05-27 00:20:00", "page_view", "web", 1, 1, AW, AW),
    "e903": ("anon:v9", "2024-05-28 09:00:00", "search", "web", 2, 1, CO, CO),
    "e904": ("anon:v9", "2024-05-28 09:30:00", "purchase", "web", 2, 1, CV, CV),
}  # fmt: skip


@pytest.fixture(scope="module")
def events(db) -> dict:
    return rows_by(
        db,
        """
        select e.*, s.session_number, j.journey_number
        from fct_events e
        join fct_sessions s on s.session_id = e.session_id
        join fct_journeys j on j.journey_id = e.journey_id
        """,
        "event_id",
    )


def test_fct_events_one_row_per_clean_event(events):
    assert sorted(k for (k,) in events) == sorted(EXPECTED_EVENTS)


@pytest.mark.parametrize("event_id", sorted(EXPECTED_EVENTS))
def test_fct_events_row(events, event_id):
    key, at, etype, channel, sess_no, journey_no, ev_stage, j_stage = EXPECTED_EVENTS[event_id]
    assert_row(
        events[event_id,],
        {
            "customer_key": key,
            "occurred_at": T(at),
            "event_type": etype,
            "channel": channel,
            "session_number": sess_no,
            "journey_number": journey_no,
            "event_stage": ev_stage,
            "journey_stage": j_stage,
        },
        event_id,
    )


def test_fct_events_session_and_journey_grouping(events):
    # Which events share a session_id / journey_id (same sets as the
    # (customer_key, session_number) / (customer_key, journey_number) above).
    sessions = defaultdict(set)
    journeys = defaultdict(set)
    for (event_id,), row in events.items():
        sessions[row["session_id"]].add(event_id)
        journeys[row["journey_id"]].add(event_id)
    exp_sessions = defaultdict(set)
    exp_journeys = defaultdict(set)
    for event_id, (key, _, _, _, s, j, _, _) in EXPECTED_EVENTS.items():
        exp_sessions[key, s].add(event_id)
        exp_journeys[key, j].add(event_id)
    assert sorted(map(sorted, sessions.values())) == sorted(map(sorted, exp_sessions.values()))
    assert sorted(map(sorted, journeys.values())) == sorted(map(sorted, exp_journeys.values()))
    # spot checks of the edge cases
    assert events["e102",]["session_id"] == events["e103",]["session_id"]  # gap = 30 min
    assert events["e103",]["session_id"] != events["e104",]["session_id"]  # 30 min + 1 s
    assert events["e302",]["journey_id"] == events["e303",]["journey_id"]  # gap = 30 days
    assert events["e303",]["journey_id"] != events["e305",]["journey_id"]  # 30 days + 1 s
    assert events["e105",]["journey_stage"] == events["e106",]["journey_stage"]  # same instant


# ---------------------------------------------------------------------------
# fct_sessions
# ---------------------------------------------------------------------------

# (customer_key, session_number): (started_at, ended_at, event_count, channel_count)
EXPECTED_SESSIONS = {
    ("c1", 1): ("2024-01-02 09:00:00", "2024-01-02 09:40:00", 3, 2),  # ads, web
    ("c1", 2): ("2024-01-02 10:10:01", "2024-01-02 10:35:00", 5, 2),  # web, app
    ("c1", 3): ("2024-01-05 12:00:00", "2024-01-05 12:20:00", 3, 2),  # email, web
    ("c1", 4): ("2024-01-12 10:00:00", "2024-01-12 10:00:00", 1, 1),
    ("c1", 5): ("2024-04-20 15:00:00", "2024-04-20 15:10:00", 2, 1),
    ("c1", 6): ("2024-05-01 00:00:00", "2024-05-01 00:00:00", 1, 1),
    ("c1", 7): ("2024-05-10 09:00:00", "2024-05-10 09:10:00", 3, 1),
    ("c1", 8): ("2024-05-20 08:00:00", "2024-05-20 08:00:00", 1, 1),
    ("c2", 1): ("2024-03-02 10:05:00", "2024-03-02 10:05:00", 1, 1),
    ("c2", 2): ("2024-03-15 11:00:00", "2024-03-15 11:00:00", 1, 1),
    ("c2", 3): ("2024-05-01 00:00:00", "2024-05-01 00:00:00", 1, 1),
    ("c3", 1): ("2024-02-01 10:00:00", "2024-02-01 10:05:00", 2, 1),
    ("c3", 2): ("2024-03-02 10:05:00", "2024-03-02 10:05:00", 1, 1),
    ("c3", 3): ("2024-04-01 10:05:01", "2024-04-01 10:05:01", 1, 1),
    ("c3", 4): ("2024-04-03 09:00:00", "2024-04-03 09:00:00", 1, 1),
    ("c4", 1): ("2024-01-10 10:00:00", "2024-01-10 10:20:00", 2, 1),
    ("c4", 2): ("2024-04-09 10:20:00", "2024-04-09 10:30:00", 2, 2),  # web, unknown
    ("c5", 1): ("2024-03-25 12:00:00", "2024-03-25 12:00:00", 1, 1),
    ("c5", 2): ("2024-03-28 12:00:00", "2024-03-28 12:00:00", 1, 1),
    ("c5", 3): ("2024-04-01 00:00:00", "2024-04-01 00:10:00", 2, 1),
    ("c6", 1): ("2024-01-20 14:00:00", "2024-01-20 14:05:00", 2, 2),  # web, store
    ("anon:v9", 1): ("2024-05-27 00:00:00", "2024-05-27 00:20:00", 2, 2),  # social, web
    ("anon:v9", 2): ("2024-05-28 09:00:00", "2024-05-28 09:30:00", 2, 1),
}


def test_fct_sessions(db):
    got = rows_by(db, "select * from fct_sessions", "customer_key", "session_number")
    # sessions per customer: c1 8, c2 3, c3 4, c4 2, c5 3, c6 1, anon:v9 2 = 23
    per_customer = Counter(k for k, _ in got)
    assert per_customer == {"c1": 8, "c2": 3, "c3": 4, "c4": 2, "c5": 3, "c6": 1, "anon:v9": 2}
    assert set(got) == set(EXPECTED_SESSIONS)
    for key, (start, end, n, channels) in EXPECTED_SESSIONS.items():
        assert_row(
            got[key],
            {
                "started_at": T(start),
                "ended_at": T(end),
                "event_count": n,
                "channel_count": channels,
            },
            str(key),
        )


# ---------------------------------------------------------------------------
# fct_journeys
# ---------------------------------------------------------------------------

# is_closed: as_of (May 31 00:00) more than 30 days after the last event, i.e.
# last event strictly before May 1 00:00.  c2's journey 2 ends exactly at
# May 1 00:00 -> exactly 30 days -> still open.
# touchpoint_count / channel_switches count touchpoint events only (purchase,
# ad_impression, support_ticket, checkout_error, remove_from_cart are not
# touchpoints), in (occurred_at, event_id) order.
EXPECTED_JOURNEYS = {
    # c1 J1: touchpoints e102 ads, e103 web, e104 web, e105 web, e106 web, e107 app,
    # e109 email, e111 web = 8; switches ads>web, web>app, app>email, email>web = 4.
    # Sessions 1-4.  Reaches advocacy (e111).
    ("c1", 1): dict(
        started_at="2024-01-02 09:00:00", ended_at="2024-01-12 10:00:00", is_closed=True,
        max_stage="advocacy", is_converted=True, session_count=4, touchpoint_count=8,
        channel_switches=4,
    ),
    # c1 J2: touchpoints e113 app, e114 app, e115 email, e116 web, e119 email = 5;
    # switches app>email, email>web, web>email = 3. Sessions 5-8. Open (May 20).
    ("c1", 2): dict(
        started_at="2024-04-20 15:00:00", ended_at="2024-05-20 08:00:00", is_closed=False,
        max_stage="advocacy", is_converted=True, session_count=4, touchpoint_count=5,
        channel_switches=3,
    ),
    ("c2", 1): dict(
        started_at="2024-03-02 10:05:00", ended_at="2024-03-15 11:00:00", is_closed=True,
        max_stage="consideration", is_converted=False, session_count=2, touchpoint_count=2,
        channel_switches=0,
    ),
    # last event exactly as_of - 30 days -> not closed
    ("c2", 2): dict(
        started_at="2024-05-01 00:00:00", ended_at="2024-05-01 00:00:00", is_closed=False,
        max_stage="awareness", is_converted=False, session_count=1, touchpoint_count=1,
        channel_switches=0,
    ),
    # c3 J1: e301 web, e302 web, e303 chat (chat_message is a touchpoint) -> 3, 1 switch
    ("c3", 1): dict(
        started_at="2024-02-01 10:00:00", ended_at="2024-03-02 10:05:00", is_closed=True,
        max_stage="intent", is_converted=False, session_count=2, touchpoint_count=3,
        channel_switches=1,
    ),
    # c3 J2: starts with the purchase e305; only touchpoint e306
    ("c3", 2): dict(
        started_at="2024-04-01 10:05:01", ended_at="2024-04-03 09:00:00", is_closed=True,
        max_stage="conversion", is_converted=True, session_count=2, touchpoint_count=1,
        channel_switches=0,
    ),
    ("c4", 1): dict(
        started_at="2024-01-10 10:00:00", ended_at="2024-01-10 10:20:00", is_closed=True,
        max_stage="consideration", is_converted=False, session_count=1, touchpoint_count=2,
        channel_switches=0,
    ),
    # e403 page_view web, e404 call unknown -> 2 touchpoints, 1 switch
    ("c4", 2): dict(
        started_at="2024-04-09 10:20:00", ended_at="2024-04-09 10:30:00", is_closed=True,
        max_stage="awareness", is_converted=False, session_count=1, touchpoint_count=2,
        channel_switches=1,
    ),
    # e501 social, e502 web, e503 web (e504 remove_from_cart not a touchpoint)
    ("c5", 1): dict(
        started_at="2024-03-25 12:00:00", ended_at="2024-04-01 00:10:00", is_closed=True,
        max_stage="intent", is_converted=False, session_count=3, touchpoint_count=3,
        channel_switches=1,
    ),
    ("c6", 1): dict(
        started_at="2024-01-20 14:00:00", ended_at="2024-01-20 14:05:00", is_closed=True,
        max_stage="consideration", is_converted=False, session_count=1, touchpoint_count=2,
        channel_switches=1,
    ),
    # e901 social, e902 web, e903 web (e904 purchase not a touchpoint)
    ("anon:v9", 1): dict(
        started_at="2024-05-27 00:00:00", ended_at="2024-05-28 09:30:00", is_closed=False,
        max_stage="conversion", is_converted=True, session_count=2, touchpoint_count=3,
        channel_switches=1,
    ),
}  # fmt: skip


def test_fct_journeys(db):
    got = rows_by(db, "select * from fct_journeys", "customer_key", "journey_number")
    assert set(got) == set(EXPECTED_JOURNEYS)
    for key, exp in EXPECTED_JOURNEYS.items():
        exp = dict(exp, started_at=T(exp["started_at"]), ended_at=T(exp["ended_at"]))
        assert_row(got[key], exp, str(key))


# ---------------------------------------------------------------------------
# fct_stage_transitions
# ---------------------------------------------------------------------------

# (customer_key, journey_number, from, to, from_entered_at, to_entered_at, seconds)
EXPECTED_TRANSITIONS = [
    # c1 J1. 09:00 -> 10:10:01 = 70 min 1 s = 4201 s
    ("c1", 1, "awareness", "consideration", "2024-01-02 09:00:00", "2024-01-02 10:10:01", 4201),
    # 10:10:01 -> 10:20:00 = 599 s.  e105 (consideration) and e106 (intent) share
    # 10:20, so intent is entered at 10:20 in one rise (no 0-second extra row).
    ("c1", 1, "consideration", "intent", "2024-01-02 10:10:01", "2024-01-02 10:20:00", 599),
    ("c1", 1, "intent", "conversion", "2024-01-02 10:20:00", "2024-01-02 10:35:00", 900),
    # Jan 2 10:35 -> Jan 5 12:05 = 3 d 1 h 30 min = 259200 + 5400 = 264600 s
    ("c1", 1, "conversion", "retention", "2024-01-02 10:35:00", "2024-01-05 12:05:00", 264600),
    ("c1", 1, "retention", "advocacy", "2024-01-05 12:05:00", "2024-01-05 12:20:00", 900),
    ("c1", 2, "awareness", "consideration", "2024-04-20 15:00:00", "2024-04-20 15:10:00", 600),
    # Apr 20 15:10 -> May 10 09:00 = 19 d 17 h 50 min = 1641600 + 61200 + 3000
    ("c1", 2, "consideration", "intent", "2024-04-20 15:10:00", "2024-05-10 09:00:00", 1705800),
    ("c1", 2, "intent", "conversion", "2024-05-10 09:00:00", "2024-05-10 09:10:00", 600),
    # skip conversion -> advocacy (referral); May 10 09:10 -> May 20 08:00
    # = 9 d 22 h 50 min = 777600 + 79200 + 3000
    ("c1", 2, "conversion", "advocacy", "2024-05-10 09:10:00", "2024-05-20 08:00:00", 859800),
    # stage skip: page_view straight to add_to_cart, 5 min
    ("c3", 1, "awareness", "intent", "2024-02-01 10:00:00", "2024-02-01 10:05:00", 300),
    # (c3 J2 starts at conversion: entering the first stage is no transition)
    ("c4", 1, "awareness", "consideration", "2024-01-10 10:00:00", "2024-01-10 10:20:00", 1200),
    # 3 days = 259200; Mar 28 12:00 -> Apr 1 00:00 = 3.5 d = 302400
    ("c5", 1, "awareness", "consideration", "2024-03-25 12:00:00", "2024-03-28 12:00:00", 259200),
    ("c5", 1, "consideration", "intent", "2024-03-28 12:00:00", "2024-04-01 00:00:00", 302400),
    ("c6", 1, "awareness", "consideration", "2024-01-20 14:00:00", "2024-01-20 14:05:00", 300),
    # May 27 00:00 -> May 28 09:00 = 1 d 9 h = 118800; then 30 min (skips intent)
    ("anon:v9", 1, "awareness", "consideration", "2024-05-27 00:00:00", "2024-05-28 09:00:00",
     118800),
    ("anon:v9", 1, "consideration", "conversion", "2024-05-28 09:00:00", "2024-05-28 09:30:00",
     1800),
    # c2 (J1 starts at consideration and stays; J2 awareness only) and c4 J2: none
]  # fmt: skip


def test_fct_stage_transitions(db):
    got = query(
        db,
        """
        select t.customer_key, j.journey_number, t.from_stage, t.to_stage,
               t.from_stage_entered_at, t.to_stage_entered_at, t.seconds_in_from_stage
        from fct_stage_transitions t
        join fct_journeys j on j.journey_id = t.journey_id
        order by t.customer_key, j.journey_number, t.to_stage_entered_at
        """,
    )
    assert len(got) == len(EXPECTED_TRANSITIONS)
    expected = sorted(
        (k, j, a, b, T(ta), T(tb), float(s)) for k, j, a, b, ta, tb, s in EXPECTED_TRANSITIONS
    )
    actual = sorted((k, j, a, b, ta, tb, float(s)) for k, j, a, b, ta, tb, s in got)
    assert actual == expected


# ---------------------------------------------------------------------------
# rpt_stage_progression
# ---------------------------------------------------------------------------
# Stage step functions (journey: entered stage @ time; last event):
#   c1 J1 aw Jan 2 09:00, co 10:10:01, in 10:20, cv 10:35, ret Jan 5 12:05,
#         adv Jan 5 12:20; last Jan 12 10:00
#   c1 J2 aw Apr 20 15:00, co 15:10, (May 1 00:00 email_open), in May 10 09:00,
#         cv May 10 09:10, adv May 20 08:00
#   c2 J1 co Mar 2 10:05; last Mar 15 11:00 | c2 J2 aw May 1 00:00
#   c3 J1 aw Feb 1 10:00, in Feb 1 10:05; last Mar 2 10:05
#   c3 J2 cv Apr 1 10:05:01; last Apr 3 09:00
#   c4 J1 aw Jan 10 10:00, co 10:20 | c4 J2 aw Apr 9 10:20; last 10:30
#   c5 J1 aw Mar 25 12:00, co Mar 28 12:00, in Apr 1 00:00; last Apr 1 00:10
#   c6 J1 aw Jan 20 14:00, co 14:05
#   v9 J1 aw May 27 00:00, co May 28 09:00, cv May 28 09:30
# A customer is "at start" when its last event strictly before `start` is at
# most 30 days before it; the stage counts only events strictly before start.

# (grain, period_start, segment, from_stage):
#   (customers_at_start, customers_progressed, progression_rate,
#    previous_progression_rate, progression_rate_change)
EXPECTED_SPR = {
    # First period: nobody has an event before Jan 1 -> at_start 0, rate null,
    # previous null.
    ("month", "2024-01-01", "all", "awareness"): (0, 0, None, None, None),
    ("week", "2024-01-01", "all", "consideration"): (0, 0, None, None, None),
    # Feb 1: window = last event >= Jan 2. c1 (Jan 12) is at advocacy: no pair.
    # c4 (Jan 10 10:20, consideration) and c6 (Jan 20, consideration); neither has
    # an event in February -> 2 / 0.  Previous (January) at_start 0 -> null.
    ("month", "2024-02-01", "all", "consideration"): (2, 0, 0.0, None, None),
    ("month", "2024-02-01", "gold", "consideration"): (1, 0, 0.0, None, None),
    ("month", "2024-02-01", "silver", "consideration"): (1, 0, 0.0, None, None),
    ("month", "2024-02-01", "unknown", "consideration"): (0, 0, None, None, None),
    # Mar 1: window >= Jan 31. c4 and c6 are too old; c3 (Feb 1 10:05, intent)
    # has only e303 chat_message in March (stays intent) -> 1 / 0.
    ("month", "2024-03-01", "all", "intent"): (1, 0, 0.0, None, None),
    # consideration->intent in March: at_start 0 -> null; previous (Feb) 0.0,
    # change null.
    ("month", "2024-03-01", "all", "consideration"): (0, 0, None, 0.0, None),
    # Apr 1 00:00 (a Monday and a 1st): window >= Mar 2 00:00.
    #   c2 (Mar 15, consideration), c5 (Mar 28, consideration; e503 at exactly
    #   Apr 1 00:00 is NOT before start), c3 (Mar 2 10:05, intent; 29 d 13 h 55 m).
    #   c5's e503 checkout_start at Apr 1 00:00 is in [start, end) -> progressed.
    #   c3's purchase e305 (Apr 1 10:05:01) opens a NEW journey -> not progressed.
    #   c2: nothing more in journey 1.
    ("month", "2024-04-01", "all", "consideration"): (2, 1, 0.5, None, None),
    ("month", "2024-04-01", "unknown", "consideration"): (2, 1, 0.5, None, None),
    ("month", "2024-04-01", "all", "intent"): (1, 0, 0.0, 0.0, 0.0),
    ("month", "2024-04-01", "silver", "intent"): (1, 0, 0.0, 0.0, 0.0),
    ("month", "2024-04-01", "gold", "consideration"): (0, 0, None, None, None),
    # Same instant seen by the weekly grid.  Week Mar 25: c2 consideration
    # (1 / 0, e503 at Apr 1 00:00 is outside [Mar 25, Apr 1)); c5 has no event
    # before Mar 25.  Week Apr 1: as for the month; change 0.5 - 0.0.
    ("week", "2024-03-25", "all", "consideration"): (1, 0, 0.0, 0.0, 0.0),
    ("week", "2024-04-01", "all", "consideration"): (2, 1, 0.5, 0.0, 0.5),
    ("week", "2024-04-01", "unknown", "consideration"): (2, 1, 0.5, 0.0, 0.5),
    ("week", "2024-04-01", "all", "intent"): (1, 0, 0.0, 0.0, 0.0),
    # Week Apr 8: c2 still consideration (Mar 15), 0 progressed: 0.0 - 0.5.
    # c3 now sits in journey 2 at conversion (Apr 3), c5 at intent (Apr 1 00:10).
    ("week", "2024-04-08", "all", "consideration"): (1, 0, 0.0, 0.5, -0.5),
    ("week", "2024-04-08", "silver", "conversion"): (1, 0, 0.0, None, None),
    ("week", "2024-04-08", "unknown", "intent"): (1, 0, 0.0, None, None),
    # May 1: window >= Apr 1 00:00.  c1 J2 consideration (last Apr 20 15:10) ->
    # reaches intent May 10 -> 1 / 1. c4 J2 awareness (Apr 9) -> 1 / 0.
    # c5 intent (Apr 1 00:10, 29 d 23 h 50 m) -> 1 / 0. c3 J2 conversion -> 1 / 0.
    # c2's last event before May 1 is Mar 15 (too old); e202 at May 1 00:00 is
    # not before start. retention->advocacy: nobody.
    ("month", "2024-05-01", "all", "awareness"): (1, 0, 0.0, None, None),
    ("month", "2024-05-01", "all", "consideration"): (1, 1, 1.0, 0.5, 0.5),
    ("month", "2024-05-01", "gold", "consideration"): (1, 1, 1.0, None, None),
    ("month", "2024-05-01", "unknown", "consideration"): (0, 0, None, 0.5, None),
    ("month", "2024-05-01", "all", "intent"): (1, 0, 0.0, 0.0, 0.0),
    ("month", "2024-05-01", "silver", "conversion"): (1, 0, 0.0, None, None),
    ("month", "2024-05-01", "all", "retention"): (0, 0, None, None, None),
    # Week Feb 26: c6 (Jan 20) left the window (>= Jan 27): null, prev 0.0.
    ("week", "2024-02-26", "all", "consideration"): (0, 0, None, 0.0, None),
    ("week", "2024-02-26", "silver", "intent"): (1, 0, 0.0, 0.0, 0.0),
    # Week May 6: c1 J2 consideration (last May 1 00:00) -> add_to_cart May 10.
    # c2 J2 awareness (May 1) and c4 J2 awareness (Apr 9 >= Apr 6): 2 / 0.
    ("week", "2024-05-06", "gold", "consideration"): (1, 1, 1.0, 0.0, 1.0),
    ("week", "2024-05-06", "all", "awareness"): (2, 0, 0.0, 0.0, 0.0),
    # Week May 13: c1 at conversion (purchase May 10), nothing that week.
    # Week May 20: referral May 20 08:00 lifts c1 J2 to advocacy, which is
    # "retention or any later stage" -> progressed; change 1.0 - 0.0.
    ("week", "2024-05-13", "gold", "conversion"): (1, 0, 0.0, None, None),
    ("week", "2024-05-20", "gold", "conversion"): (1, 1, 1.0, 0.0, 1.0),
    ("week", "2024-05-20", "all", "conversion"): (1, 1, 1.0, 0.0, 1.0),
    # Week May 27: c1 is at advocacy (no pair); v9 starts exactly at May 27 00:00
    # (not before start). c2 J2 awareness -> 1 / 0.
    ("week", "2024-05-27", "all", "conversion"): (0, 0, None, 1.0, None),
    ("week", "2024-05-27", "unknown", "awareness"): (1, 0, 0.0, 0.0, 0.0),
}


@pytest.fixture(scope="module")
def spr(db) -> dict:
    return rows_by(
        db,
        "select * from rpt_stage_progression",
        "period_grain",
        "period_start",
        "segment",
        "from_stage",
    )


def test_stage_progression_grid(spr):
    # 27 periods x 4 segments (gold, silver, unknown, all) x 5 adjacent pairs
    assert len(spr) == 27 * 4 * 5
    for row in spr.values():
        assert (row["from_stage"], row["to_stage"]) in STAGE_PAIRS
    assert {k[2] for k in spr} == {"gold", "silver", "unknown", "all"}
    weeks = sorted({k[1] for k in spr if k[0] == "week"})
    months = sorted({k[1] for k in spr if k[0] == "month"})
    assert weeks[0] == D("2024-01-01") and weeks[-1] == D("2024-05-27") and len(weeks) == 22
    assert months == [D(f"2024-0{m}-01") for m in range(1, 6)]


@pytest.mark.parametrize("key", sorted(EXPECTED_SPR), ids=lambda k: "-".join(k))
def test_stage_progression_row(spr, key):
    grain, start, segment, from_stage = key
    at_start, progressed, rate, prev, change = EXPECTED_SPR[key]
    assert_row(
        spr[grain, D(start), segment, from_stage],
        {
            "customers_at_start": at_start,
            "customers_progressed": progressed,
            "progression_rate": rate,
            "previous_progression_rate": prev,
            "progression_rate_change": change,
        },
        str(key),
    )


# ---------------------------------------------------------------------------
# rpt_churn
# ---------------------------------------------------------------------------
# Churn instants (t + 90 d with no event in (t, t + 90 d], and <= as_of):
#   c1: e112 Jan 12 10:00, next event Apr 20 -> churns Apr 11 10:00
#       (week Apr 8, April).  Returns Apr 20; last event May 20 + 90 > as_of.
#   c6: last event Jan 20 14:05 -> churns Apr 19 14:05 (week Apr 15, April).
#   c4: e402 Jan 10 10:20 -> e403 Apr 9 10:20 is EXACTLY 90 d later: that event
#       counts as following -> no churn (it would land in week Apr 8, April).
#   Nobody else: every other last event is after Mar 2 (+90 d > May 31).
# Active at s: latest event strictly before s at t with t + 90 d >= s.

# (grain, period_start, segment): (active_at_start, churned, churn_rate)
EXPECTED_CHURN = {
    # nobody has an event before Jan 1
    ("week", "2024-01-01", "all"): (0, 0, None),
    ("month", "2024-01-01", "gold"): (0, 0, None),
    # Feb 1: events before Feb 1 only from c1, c4 (gold) and c6 (silver); c3's
    # first event is Feb 1 10:00.  unknown: nobody active -> null rate.
    ("month", "2024-02-01", "all"): (3, 0, 0.0),
    ("month", "2024-02-01", "gold"): (2, 0, 0.0),
    ("month", "2024-02-01", "silver"): (1, 0, 0.0),
    ("month", "2024-02-01", "unknown"): (0, 0, None),
    # Apr 1: active iff last event before Apr 1 is >= Jan 2: c1 (Jan 12), c2, c3,
    # c4 (Jan 10), c5 (Mar 28), c6 (Jan 20) = 6; v9 has no events yet.
    # Churned in April: c1 (Apr 11) and c6 (Apr 19).
    ("month", "2024-04-01", "all"): (6, 2, 2 / 6),
    ("month", "2024-04-01", "gold"): (2, 1, 0.5),  # c1, c4; c1 churns
    ("month", "2024-04-01", "silver"): (2, 1, 0.5),  # c3, c6; c6 churns
    ("month", "2024-04-01", "unknown"): (2, 0, 0.0),  # c2, c5
    # Week Apr 8: same 6 active (window >= Jan 9); only c1 churns (Apr 11).
    # c4's exact-90-day case (Apr 9 10:20) is not a churn.
    ("week", "2024-04-08", "all"): (6, 1, 1 / 6),
    ("week", "2024-04-08", "gold"): (2, 1, 0.5),
    # Week Apr 15: c1 no longer active (churned Apr 11: Jan 12 + 90 d < Apr 15);
    # c6 still active (Jan 20 + 90 d = Apr 19 >= Apr 15) and churns Apr 19.
    ("week", "2024-04-15", "all"): (5, 1, 0.2),
    ("week", "2024-04-15", "gold"): (1, 0, 0.0),  # c4 only
    ("week", "2024-04-15", "silver"): (2, 1, 0.5),  # c3, c6
    # May 1: window >= Feb 1: c1 (Apr 20), c2 (Mar 15; e202 at May 1 00:00 is not
    # strictly before), c3, c4, c5 = 5; c6 (Jan 20) churned.
    ("month", "2024-05-01", "all"): (5, 0, 0.0),
    ("month", "2024-05-01", "silver"): (1, 0, 0.0),
}


def test_churn(db):
    got = rows_by(db, "select * from rpt_churn", "period_grain", "period_start", "segment")
    assert len(got) == 27 * 4
    for (grain, start, segment), (active, churned, rate) in EXPECTED_CHURN.items():
        assert_row(
            got[grain, D(start), segment],
            {"customers_active_at_start": active, "customers_churned": churned, "churn_rate": rate},
            f"{grain} {start} {segment}",
        )
    # exactly two churn instants in total (c1 Apr 11, c6 Apr 19), per grain
    for grain in ("week", "month"):
        total = sum(
            r["customers_churned"] for k, r in got.items() if k[0] == grain and k[2] == "all"
        )
        assert total == 2, grain


# ---------------------------------------------------------------------------
# rpt_customer_effort
# ---------------------------------------------------------------------------
# Clean CES responses: s05 web 2 (Jan 2), s06 email 7 (Jan 4), s07 web 3
# (Jan 6, a Saturday: week Jan 1), s14 web 1 (May 10).
# First conversions (period and channel of the conversion event):
#   c1 J1 e108 Jan 2 10:35 app: touchpoints before = e102 e103 e104 e105 e106
#     e107 = 6; sessions up to e108 = {1, 2} = 2; switches among those
#     (ads, web, web, web, web, app) = 2; days = 95 min = 95/1440.
#   c3 J2 e305 Apr 1 10:05:01 web: first event of its journey -> 0 touchpoints,
#     1 session, 0 switches, 0 days.
#   c1 J2 e118 May 10 09:10 web: touchpoints e113 e114 e115 e116 = 4 (e117
#     checkout_error is not one); sessions {5, 6, 7} = 3; switches (app, app,
#     email, web) = 2; days = Apr 20 15:00 -> May 10 09:10 = 19 d 18 h 10 min
#     = 19 + 1090/1440.
#   v9 J1 e904 May 28 09:30 web: touchpoints e901 e902 e903 = 3; sessions 2;
#     switches (social, web, web) = 1; days = 1 d 9 h 30 min = 1 + 570/1440.
# (c1's second purchase e110 is not a first conversion.)
# Channels in the grid: app, email, web + all -> 27 x 4 rows.

C1J1_DAYS = 95 / 1440
C1J2_DAYS = 19 + 1090 / 1440
V9_DAYS = 1 + 570 / 1440

# (grain, period_start, channel): (ces_responses, avg_ces, journeys_converted,
#   avg_touchpoints, avg_sessions, avg_channel_switches, avg_days)
EXPECTED_EFFORT = {
    ("month", "2024-01-01", "all"): (3, 4.0, 1, 6.0, 2.0, 2.0, C1J1_DAYS),  # (2+7+3)/3
    ("month", "2024-01-01", "web"): (2, 2.5, 0, None, None, None, None),
    ("month", "2024-01-01", "email"): (1, 7.0, 0, None, None, None, None),
    ("month", "2024-01-01", "app"): (0, None, 1, 6.0, 2.0, 2.0, C1J1_DAYS),
    ("week", "2024-01-01", "all"): (3, 4.0, 1, 6.0, 2.0, 2.0, C1J1_DAYS),
    ("week", "2024-01-08", "all"): (0, None, 0, None, None, None, None),
    ("month", "2024-02-01", "app"): (0, None, 0, None, None, None, None),
    ("month", "2024-04-01", "web"): (0, None, 1, 0.0, 1.0, 0.0, 0.0),
    ("week", "2024-04-01", "all"): (0, None, 1, 0.0, 1.0, 0.0, 0.0),
    # May: two web conversions (c1 J2, v9): (4+3)/2, (3+2)/2, (2+1)/2, mean days
    ("month", "2024-05-01", "web"): (
        1, 1.0, 2, 3.5, 2.5, 1.5, (C1J2_DAYS + V9_DAYS) / 2
    ),
    ("month", "2024-05-01", "all"): (1, 1.0, 2, 3.5, 2.5, 1.5, (C1J2_DAYS + V9_DAYS) / 2),
    ("month", "2024-05-01", "email"): (0, None, 0, None, None, None, None),
    ("week", "2024-05-06", "web"): (1, 1.0, 1, 4.0, 3.0, 2.0, C1J2_DAYS),
    ("week", "2024-05-27", "web"): (0, None, 1, 3.0, 2.0, 1.0, V9_DAYS),
}  # fmt: skip


def test_customer_effort(db):
    got = rows_by(
        db, "select * from rpt_customer_effort", "period_grain", "period_start", "channel"
    )
    assert len(got) == 27 * 4
    assert {k[2] for k in got} == {"app", "email", "web", "all"}
    for key, values in EXPECTED_EFFORT.items():
        grain, start, channel = key
        names = (
            "ces_responses",
            "avg_ces",
            "journeys_converted",
            "avg_touchpoints_to_convert",
            "avg_sessions_to_convert",
            "avg_channel_switches_to_convert",
            "avg_days_to_convert",
        )
        assert_row(got[grain, D(start), channel], dict(zip(names, values, strict=True)), str(key))


# ---------------------------------------------------------------------------
# rpt_satisfaction
# ---------------------------------------------------------------------------
# Clean responses (responded_at, channel, score):
#   csat: s01 Jan 3 web 5 | s02 Jan 20 web 3 | s03 Jan 15 00:00 email 4 |
#         s04 Jan 22 email 1 | s15 Jan 25 web 4
#   nps:  s08 Jan 8 web 10 (P) | s09 Jan 9 email 9 (P) | s10 Jan 10 web 6 (D) |
#         s11 Jan 11 web 9 (P) | s12 Jan 31 23:59:59 email 0 (D) |
#         s13 Feb 1 00:00 email 8 (passive)
# Channels: email, web + all -> 27 x 3 rows.

# (grain, period_start, channel): (csat_responses, csat_pct, nps_responses, nps)
EXPECTED_SATISFACTION = {
    # web: 5, 3, 4 -> 2 of 3 satisfied; nps 10, 6, 9 -> (2 - 1)/3
    ("month", "2024-01-01", "web"): (3, 200 / 3, 3, 100 / 3),
    # email: 4, 1 -> 1 of 2; nps 9, 0 -> (1 - 1)/2
    ("month", "2024-01-01", "email"): (2, 50.0, 2, 0.0),
    # all: satisfied s01, s03, s15 = 3/5; nps 3 P, 2 D of 5 -> 20
    ("month", "2024-01-01", "all"): (5, 60.0, 5, 20.0),
    # February: only s13 (passive, exactly Feb 1 00:00) -> nps 0; no csat -> null
    ("month", "2024-02-01", "email"): (0, None, 1, 0.0),
    ("month", "2024-02-01", "web"): (0, None, 0, None),
    ("month", "2024-02-01", "all"): (0, None, 1, 0.0),
    # week Jan 29 - Feb 4 holds both s12 (D) and s13 (passive): (0 - 1)/2
    ("week", "2024-01-29", "email"): (0, None, 2, -50.0),
    ("week", "2024-01-29", "all"): (0, None, 2, -50.0),
    # week Jan 8: web nps 10, 6, 9; email 9; all 3 P 1 D of 4
    ("week", "2024-01-08", "web"): (0, None, 3, 100 / 3),
    ("week", "2024-01-08", "email"): (0, None, 1, 100.0),
    ("week", "2024-01-08", "all"): (0, None, 4, 50.0),
    # week Jan 15: s03 (email 4, Monday 00:00) and s02 (web 3, Saturday)
    ("week", "2024-01-15", "email"): (1, 100.0, 0, None),
    ("week", "2024-01-15", "web"): (1, 0.0, 0, None),
    ("week", "2024-01-15", "all"): (2, 50.0, 0, None),
    # May: only a CES response -> nothing here
    ("month", "2024-05-01", "all"): (0, None, 0, None),
}


def test_satisfaction(db):
    got = rows_by(db, "select * from rpt_satisfaction", "period_grain", "period_start", "channel")
    assert len(got) == 27 * 3
    assert {k[2] for k in got} == {"email", "web", "all"}
    for key, (n_csat, csat, n_nps, nps) in EXPECTED_SATISFACTION.items():
        grain, start, channel = key
        assert_row(
            got[grain, D(start), channel],
            {"csat_responses": n_csat, "csat_pct": csat, "nps_responses": n_nps, "nps": nps},
            str(key),
        )


# ---------------------------------------------------------------------------
# dim_customers
# ---------------------------------------------------------------------------
# engagement window: May 1 00:00 <= occurred_at <= May 31 00:00.
#   c1: e115 email_open +0.5 (exactly May 1 00:00), e116 add_to_cart +2,
#       e117 checkout_error -2, e118 purchase +5, e119 referral +3 -> 8.5
#   c2: e202 ad_click +1 (exactly May 1 00:00) -> 1.0
#   v9: ad_click +1, page_view +0.2, search +0.5, purchase +5 -> 6.7
#   others: no event in the window -> 0
# is_churned: last_seen_at + 90 d <= as_of -> only c6 (Jan 20 14:05 -> Apr 19 14:05).
# current_stage: max stage of the latest journey.
EXPECTED_CUSTOMERS = {
    # orders: e108 100.00 + e110 50.50 + e118 80 (its exact duplicate dropped)
    "c1": ("gold", "2024-01-02 09:00:00", "2024-05-20 08:00:00", "advocacy", False, None, 3,
           230.5, 8.5),
    "c2": ("unknown", "2024-03-02 10:05:00", "2024-05-01 00:00:00", "awareness", False, None, 0,
           0.0, 1.0),
    # e301 (anonymous, stitched) is c3's first event; e305 (anonymous) its order
    "c3": ("silver", "2024-02-01 10:00:00", "2024-04-03 09:00:00", "conversion", False, None, 1,
           30.0, 0.0),
    "c4": ("gold", "2024-01-10 10:00:00", "2024-04-09 10:30:00", "awareness", False, None, 0,
           0.0, 0.0),
    "c5": ("unknown", "2024-03-25 12:00:00", "2024-04-01 00:10:00", "intent", False, None, 0,
           0.0, 0.0),
    "c6": ("silver", "2024-01-20 14:00:00", "2024-01-20 14:05:00", "consideration", True,
           "2024-04-19 14:05:00", 0, 0.0, 0.0),
    "anon:v9": ("unknown", "2024-05-27 00:00:00", "2024-05-28 09:30:00", "conversion", False,
                None, 1, 25.0, 6.7),
}  # fmt: skip


def test_dim_customers(db):
    got = rows_by(db, "select * from dim_customers", "customer_key")
    assert set(k for (k,) in got) == set(EXPECTED_CUSTOMERS)
    for key, exp in EXPECTED_CUSTOMERS.items():
        segment, first, last, stage, churned, churned_at, orders, revenue, engagement = exp
        assert_row(
            got[key,],
            {
                "segment": segment,
                "first_seen_at": T(first),
                "last_seen_at": T(last),
                "current_stage": stage,
                "is_churned": churned,
                "churned_at": T(churned_at) if churned_at else None,
                "orders": orders,
                "revenue": revenue,
                "engagement_score": engagement,
            },
            key,
        )
