"""Deterministic generator of realistic customer-journey input data.

Writes the five inputs of the SPEC's input contract (section 1): ``events``,
``customers``, ``survey_responses``, ``marketing_spend`` and ``campaigns``.
Everything is vectorised with numpy / pyarrow: there are Python loops per
journey ordinal, per template or per bad-row kind, never per event.

Model (one simulated *person* per unit of ``customers``)
--------------------------------------------------------
* A person is either a known CRM customer from the start (~33%; most of
  those active in the first weeks signed up before the window), a visitor
  who identifies later (~61%: events carry ``anonymous_id`` only, then the
  first event of the login session carries both ids, later events carry
  ``customer_id``, on web/app sometimes with the cookie too; one who never
  reaches a login stays anonymous), or a visitor who is never identified
  (~6%; they never purchase). About 1% of identifying visitors share a
  device (anonymous_id) with another customer, so a few anonymous_ids are
  seen with two customer_ids. ~3% of identified customers are missing from
  ``customers`` (CRM gaps) and ~2% of CRM rows have an empty segment.
  ``signed_up_at`` is seconds before the login event, within two days
  before the first event, or (customers active from the start) 10-900 days
  before the window.
* A person lives through journeys: bursts of sessions (hours to days apart,
  never more than 20 days) separated by more than 30 days of silence; a
  quarter of the gaps are longer than 90 days (churn, then return), and
  after each journey a person stops for good with probability 0.12-0.5.
* Within a journey the funnel runs awareness -> consideration -> intent ->
  purchase with drop-off (base continue rates 60% / 50% / 40%, higher for
  earlier buyers and scaled by a per-person propensity). Buyers may buy again
  in the same journey, write reviews / refer friends, or return goods.
  Support sessions (chat, call, tickets) and friction events (checkout_error,
  remove_from_cart, support_ticket, return_request) are more frequent in
  journeys that stall at intent.
* A session is an entry touch (ad impression/click, social, email/sms, direct
  visit, app open, search, store visit), a few body events and an exit
  template (checkout, purchase, review, support ...). Events in a session are
  5 s - 3 min apart (a session lasts at most 42 min); sessions of one person
  start at least 90 min apart, so more than 30 min lie between them.
* Channels follow the event: ads/social for ad_*, email (sometimes sms) for
  email_*, store for store_visit, call_center for call, chat for
  chat_message, app for app_open, the session's device (web / app / store)
  for page, product, cart, checkout and purchase events. ~0.5% of channel
  values are written with odd case or padding (`` Web ``, ``APP``).
* campaign_id is set on most ads / social / email / sms entry touches, drawn
  from the campaigns active that day on that channel (always-on campaigns
  plus bursts). marketing_spend has one row per campaign and active day.
* Surveys (csat 1-5, ces 1-7, nps 0-10) follow purchases and support
  contacts of identified customers, carry the channel of that interaction and
  score worse with friction, calls and returns, better in store.

Output formats
--------------
* ``csv``: every value is text; missing values are empty fields (never
  quoted). ~90% of timestamps are ``2025-03-04T10:15:00Z``, ~5% carry a
  non-UTC offset (same instant), ~5% have no offset (meaning UTC).
  Dates (spend_date, campaign started_at / ended_at) are ``YYYY-MM-DD``.
* ``parquet``: typed columns. Timestamps are ``timestamp[us, tz=UTC]``,
  dates ``date32``, revenue and amount ``double``, score ``int32``, the rest
  ``string``. So the parquet bad rows are those a typed column can express:
  null ids / identities / times, unknown event or survey types, negative
  revenue and amounts, out-of-range or null scores, year-2099 timestamps,
  exact and conflicting duplicates. Unparseable text values (``not-a-date``,
  ``abc``) only appear in CSV output.

Both formats hold the same clean rows; bad rows are drawn after the clean
data from the same seeded stream, so ``bad_rows=False`` yields exactly the
clean rows of ``bad_rows=True``. The same arguments give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "EVENT_TYPES",
    "bad_row_counts",
    "generate_dataset",
    "write_sample_seeds",
]

DAY = 86_400
HOUR = 3_600
MINUTE = 60
EPOCH = dt.date(1970, 1, 1)

SAMPLE_CUSTOMERS = 1_200
SAMPLE_DAYS = 300
SAMPLE_START = dt.date(2025, 1, 6)
SAMPLE_SEED = 42
PARQUET_ROW_GROUP = 1_000_000

COLUMNS: dict[str, tuple[str, ...]] = {
    "events": (
        "event_id",
        "occurred_at",
        "customer_id",
        "anonymous_id",
        "event_type",
        "channel",
        "campaign_id",
        "revenue",
    ),
    "customers": ("customer_id", "signed_up_at", "segment", "region"),
    "survey_responses": (
        "response_id",
        "customer_id",
        "responded_at",
        "survey_type",
        "score",
        "channel",
    ),
    "marketing_spend": ("spend_date", "channel", "campaign_id", "amount"),
    "campaigns": ("campaign_id", "campaign_name", "channel", "started_at", "ended_at"),
}

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------
EVENT_TYPES: tuple[str, ...] = (
    "ad_impression",
    "ad_click",
    "social_engagement",
    "email_open",
    "page_view",
    "app_open",
    "email_click",
    "search",
    "product_view",
    "store_visit",
    "content_download",
    "add_to_cart",
    "checkout_start",
    "purchase",
    "review_submitted",
    "referral",
    "chat_message",
    "call",
    "support_ticket",
    "remove_from_cart",
    "checkout_error",
    "return_request",
)
(
    AD_IMPRESSION,
    AD_CLICK,
    SOCIAL_ENGAGEMENT,
    EMAIL_OPEN,
    PAGE_VIEW,
    APP_OPEN,
    EMAIL_CLICK,
    SEARCH,
    PRODUCT_VIEW,
    STORE_VISIT,
    CONTENT_DOWNLOAD,
    ADD_TO_CART,
    CHECKOUT_START,
    PURCHASE,
    REVIEW_SUBMITTED,
    REFERRAL,
    CHAT_MESSAGE,
    CALL,
    SUPPORT_TICKET,
    REMOVE_FROM_CART,
    CHECKOUT_ERROR,
    RETURN_REQUEST,
) = range(len(EVENT_TYPES))
UNKNOWN_EVENT_TYPE = len(EVENT_TYPES)  # written as "teleport" (bad rows only)
FRICTION_TYPES = (SUPPORT_TICKET, REMOVE_FROM_CART, CHECKOUT_ERROR, RETURN_REQUEST)

CHANNELS: tuple[str, ...] = (
    "web",
    "app",
    "email",
    "social",
    "ads",
    "store",
    "call_center",
    "chat",
    "sms",
)
WEB, APP, EMAIL, SOCIAL, ADS, STORE, CALL_CENTER, CHAT, SMS = range(len(CHANNELS))
PAID_CHANNELS = (ADS, SOCIAL, EMAIL, SMS)
# Channel spellings: index 0 is canonical, 1-3 are odd but valid (trim + lower).
CHANNEL_SPELLINGS = tuple((c, f" {c.title()} ", c.upper(), f"{c} ") for c in CHANNELS)

# How an event type picks its channel: a fixed channel code, or one of these.
_CH_AD, _CH_MSG, _CH_DEVICE = -1, -2, -3
_TYPE_CHANNEL = np.array(
    [
        _CH_AD,  # ad_impression
        _CH_AD,  # ad_click
        SOCIAL,  # social_engagement
        _CH_MSG,  # email_open
        _CH_DEVICE,  # page_view
        APP,  # app_open
        _CH_MSG,  # email_click
        _CH_DEVICE,  # search
        _CH_DEVICE,  # product_view
        STORE,  # store_visit
        _CH_DEVICE,  # content_download
        _CH_DEVICE,  # add_to_cart
        _CH_DEVICE,  # checkout_start
        _CH_DEVICE,  # purchase
        _CH_DEVICE,  # review_submitted
        _CH_DEVICE,  # referral
        CHAT,  # chat_message
        CALL_CENTER,  # call
        _CH_DEVICE,  # support_ticket
        _CH_DEVICE,  # remove_from_cart
        _CH_DEVICE,  # checkout_error
        _CH_DEVICE,  # return_request
    ],
    dtype=np.int8,
)

SEGMENTS = ("consumer", "smb", "enterprise")
SEGMENT_SHARE = (0.72, 0.20, 0.08)
SEGMENT_MEDIAN_ORDER = (55.0, 220.0, 900.0)
REGIONS = ("north_america", "europe", "apac", "latam")
REGION_SHARE = (0.45, 0.30, 0.17, 0.08)

# Identity modes of a person.
KNOWN, IDENTIFIES, ANONYMOUS = 0, 1, 2
IDENTITY_SHARE = (0.33, 0.61, 0.06)

# Session kinds.
AWARE, CONSIDER, INTENT, BUY, REBUY, ADVOCACY, RETURN, SUPPORT = range(8)
N_KINDS = 8

# Entry templates (first events of a session).
(
    EN_AD,
    EN_AD_IMP,
    EN_SOCIAL,
    EN_EMAIL,
    EN_EMAIL_OPEN,
    EN_WEB,
    EN_APP,
    EN_SEARCH,
    EN_STORE,
    EN_NONE,
) = range(10)
_ENTRY_EVENTS: tuple[tuple[int, ...], ...] = (
    (AD_IMPRESSION, AD_CLICK),
    (AD_IMPRESSION,),
    (SOCIAL_ENGAGEMENT,),
    (EMAIL_OPEN, EMAIL_CLICK),
    (EMAIL_OPEN,),
    (PAGE_VIEW,),
    (APP_OPEN,),
    (SEARCH,),
    (STORE_VISIT,),
    (),
)
_N_ENTRIES = len(_ENTRY_EVENTS)
# Entry mix per session kind, for anonymous (not yet logged in) visits ...
_ENTRY_ANON: dict[int, dict[int, float]] = {
    AWARE: {EN_AD: 0.32, EN_AD_IMP: 0.18, EN_SOCIAL: 0.18, EN_WEB: 0.32},
    CONSIDER: {EN_WEB: 0.55, EN_SEARCH: 0.25, EN_AD: 0.12, EN_SOCIAL: 0.08},
    INTENT: {EN_WEB: 0.80, EN_SEARCH: 0.12, EN_AD: 0.08},
    BUY: {EN_WEB: 0.80, EN_SEARCH: 0.10, EN_AD: 0.10},
    REBUY: {EN_WEB: 0.85, EN_SEARCH: 0.15},
    ADVOCACY: {EN_WEB: 1.0},
    RETURN: {EN_WEB: 1.0},
    SUPPORT: {EN_NONE: 1.0},
}
# ... and for identified customers (e-mail, sms and store need a known person).
_ENTRY_KNOWN: dict[int, dict[int, float]] = {
    AWARE: {
        EN_AD: 0.18,
        EN_AD_IMP: 0.12,
        EN_SOCIAL: 0.12,
        EN_EMAIL: 0.06,
        EN_EMAIL_OPEN: 0.30,
        EN_WEB: 0.22,
    },
    CONSIDER: {
        EN_WEB: 0.38,
        EN_SEARCH: 0.14,
        EN_EMAIL: 0.16,
        EN_AD: 0.08,
        EN_SOCIAL: 0.06,
        EN_STORE: 0.18,
    },
    INTENT: {EN_WEB: 0.72, EN_EMAIL: 0.14, EN_SEARCH: 0.10, EN_AD: 0.04},
    BUY: {EN_WEB: 0.62, EN_EMAIL: 0.14, EN_AD: 0.06, EN_STORE: 0.18},
    REBUY: {EN_WEB: 0.50, EN_EMAIL: 0.28, EN_STORE: 0.22},
    ADVOCACY: {EN_EMAIL_OPEN: 0.55, EN_WEB: 0.45},
    RETURN: {EN_WEB: 0.75, EN_STORE: 0.25},
    SUPPORT: {EN_NONE: 1.0},
}
_MESSAGE_ENTRIES = (EN_EMAIL, EN_EMAIL_OPEN)
_AD_ENTRIES = (EN_AD, EN_AD_IMP)

# Body events: (minimum count, extra Poisson mean, type mix) per session kind.
_BODY: dict[int, tuple[int, float, dict[int, float]]] = {
    AWARE: (0, 1.8, {PAGE_VIEW: 1.0}),
    CONSIDER: (
        1,
        2.2,
        {
            PRODUCT_VIEW: 0.45,
            SEARCH: 0.17,
            PAGE_VIEW: 0.20,
            CONTENT_DOWNLOAD: 0.10,
            CHAT_MESSAGE: 0.08,
        },
    ),
    INTENT: (
        1,
        1.2,
        {
            PRODUCT_VIEW: 0.38,
            ADD_TO_CART: 0.35,
            REMOVE_FROM_CART: 0.10,
            PAGE_VIEW: 0.10,
            CHAT_MESSAGE: 0.07,
        },
    ),
    BUY: (0, 1.0, {PRODUCT_VIEW: 0.50, PAGE_VIEW: 0.25, SEARCH: 0.15, CHAT_MESSAGE: 0.10}),
    REBUY: (0, 0.8, {PRODUCT_VIEW: 0.60, SEARCH: 0.20, PAGE_VIEW: 0.20}),
    ADVOCACY: (0, 0.3, {PAGE_VIEW: 1.0}),
    RETURN: (0, 0.3, {PAGE_VIEW: 0.5, PRODUCT_VIEW: 0.5}),
    SUPPORT: (0, 0.0, {PAGE_VIEW: 1.0}),
}
_MAX_BODY = 8

# Exit templates (last events of a session).
_EXIT_EVENTS: tuple[tuple[int, ...], ...] = (
    (),
    (CHECKOUT_START,),
    (CHECKOUT_START, CHECKOUT_ERROR),
    (REMOVE_FROM_CART,),
    (ADD_TO_CART, CHECKOUT_START, PURCHASE),
    (ADD_TO_CART, CHECKOUT_START, CHECKOUT_ERROR, CHECKOUT_START, PURCHASE),
    (PURCHASE,),
    (REVIEW_SUBMITTED,),
    (REVIEW_SUBMITTED, REFERRAL),
    (REFERRAL,),
    (RETURN_REQUEST,),
    (RETURN_REQUEST, SUPPORT_TICKET),
    (CHAT_MESSAGE,),
    (CHAT_MESSAGE, CHAT_MESSAGE),
    (CHAT_MESSAGE, CHAT_MESSAGE, CHAT_MESSAGE),
    (CALL,),
    (SUPPORT_TICKET,),
    (SUPPORT_TICKET, CHAT_MESSAGE, CHAT_MESSAGE),
    (SUPPORT_TICKET, CALL),
)
(
    X_NONE,
    X_CO,
    X_CO_ERR,
    X_RM,
    X_BUY,
    X_BUY_ERR,
    X_STORE_BUY,
    X_REVIEW,
    X_REVIEW_REF,
    X_REF,
    X_RETURN,
    X_RETURN_TICKET,
    X_CHAT1,
    X_CHAT2,
    X_CHAT3,
    X_CALL,
    X_TICKET,
    X_TICKET_CHAT,
    X_TICKET_CALL,
) = range(len(_EXIT_EVENTS))
_N_EXITS = len(_EXIT_EVENTS)
# Exit profiles.
(
    XP_NONE,
    XP_INTENT_BUYER,
    XP_INTENT_DROP,
    XP_BUY,
    XP_STORE_BUY,
    XP_ADVOCACY,
    XP_RETURN,
    XP_SUPPORT_ANON,
    XP_SUPPORT_KNOWN,
) = range(9)
_EXIT_MIX: dict[int, dict[int, float]] = {
    XP_NONE: {X_NONE: 1.0},
    XP_INTENT_BUYER: {X_NONE: 0.55, X_CO: 0.30, X_RM: 0.10, X_CO_ERR: 0.05},
    XP_INTENT_DROP: {X_NONE: 0.28, X_CO: 0.30, X_CO_ERR: 0.22, X_RM: 0.20},
    XP_BUY: {X_BUY: 0.88, X_BUY_ERR: 0.12},
    XP_STORE_BUY: {X_STORE_BUY: 1.0},
    XP_ADVOCACY: {X_REVIEW: 0.55, X_REVIEW_REF: 0.20, X_REF: 0.25},
    XP_RETURN: {X_RETURN: 0.60, X_RETURN_TICKET: 0.40},
    XP_SUPPORT_ANON: {X_CHAT1: 0.40, X_CHAT2: 0.35, X_CHAT3: 0.25},
    XP_SUPPORT_KNOWN: {
        X_CHAT1: 0.18,
        X_CHAT2: 0.14,
        X_CHAT3: 0.08,
        X_CALL: 0.25,
        X_TICKET: 0.12,
        X_TICKET_CHAT: 0.10,
        X_TICKET_CALL: 0.13,
    },
}

# Timestamp spellings (CSV): Z, one of these offsets, or no offset.
_OFFSETS_MIN = (60, 120, -300, 330, -480, 540)
_TS_Z = 0
_TS_NAIVE = len(_OFFSETS_MIN) + 1  # variants 1..len(_OFFSETS_MIN) are offsets

# Sentinels for "missing" and "unparseable" values in the integer working arrays.
_NULL = np.iinfo(np.int64).min
_BAD0 = _NULL + 1  # first unparseable spelling; _BAD0 + k is spelling k

# --------------------------------------------------------------------------
# Bad rows: per input, kind -> (rows per unit of scale, CSV only?)
# --------------------------------------------------------------------------
_BAD_ROWS: dict[str, dict[str, tuple[int, bool]]] = {
    "events": {
        "missing_event_id": (4, False),
        "missing_occurred_at": (3, False),
        "unparseable_occurred_at": (4, True),
        "missing_identity": (4, False),
        "unknown_event_type": (5, False),
        "negative_revenue": (3, False),
        "unparseable_revenue": (3, True),
        "future_occurred_at": (4, False),
        "exact_duplicate": (5, False),
        "conflicting_duplicate": (4, False),
    },
    "customers": {
        "missing_customer_id": (3, False),
        "unparseable_signed_up_at": (3, True),
        "exact_duplicate": (3, False),
    },
    "survey_responses": {
        "missing_response_id": (3, False),
        "missing_responded_at": (2, False),
        "unparseable_responded_at": (3, True),
        "missing_customer_id": (3, False),
        "invalid_survey_type": (4, False),
        "score_out_of_range": (4, False),
        "missing_score": (3, False),
    },
    "marketing_spend": {
        "unparseable_spend_date": (3, True),
        "negative_amount": (3, False),
    },
    "campaigns": {
        "missing_campaign_id": (3, False),
        "unparseable_started_at": (3, True),
    },
}
_BAD_TIMES = ("not-a-date", "2025-13-40 25:00")
_BAD_REVENUE = "abc"
_BAD_SIGNUP = ("31/02/2024", "yesterday")
_BAD_SPEND_DATES = ("2025-02-30", "n/a")
_BAD_CAMPAIGN_DATES = ("TBD", "2025-15-01")
_SCORE_RANGE = {0: (1, 5), 1: (1, 7), 2: (0, 10)}  # csat, ces, nps
SURVEY_TYPES = ("csat", "ces", "nps", "poll")


_SCALED_INPUTS = ("events", "customers", "survey_responses")


def bad_row_counts(fmt: str = "csv", clean_events: int = 0) -> dict[str, dict[str, int]]:
    """Bad rows per input and kind that generate_dataset writes for `fmt`
    when the clean events number `clean_events`. Kinds only CSV can express
    are 0 for parquet. Events, customers and surveys get one set of bad rows
    per full million clean events (at least one set); the small spend and
    campaign tables always get one set."""
    scale = max(1, clean_events // 1_000_000)
    return {
        name: {
            kind: (0 if csv_only and fmt != "csv" else n * (scale if name in _SCALED_INPUTS else 1))
            for kind, (n, csv_only) in kinds.items()
        }
        for name, kinds in _BAD_ROWS.items()
    }


# --------------------------------------------------------------------------
# Small vectorised helpers
# --------------------------------------------------------------------------
def _mix_table(mixes: Mapping[int, Mapping[int, float]], n_out: int) -> np.ndarray:
    """Cumulative probability table, one row per profile, over n_out outcomes."""
    table = np.zeros((max(mixes) + 1, n_out))
    for profile, mix in mixes.items():
        for outcome, p in mix.items():
            table[profile, outcome] = p
    table /= np.maximum(table.sum(axis=1, keepdims=True), 1e-300)
    return np.cumsum(table, axis=1)


def _draw(rng: np.random.Generator, profile: np.ndarray, cum: np.ndarray) -> np.ndarray:
    """One categorical draw per element, from row `profile[i]` of cumulative table `cum`."""
    u = rng.random(profile.size)
    out = np.zeros(profile.size, dtype=np.int8)
    for p in range(cum.shape[0]):
        m = profile == p
        if m.any():
            out[m] = np.minimum(np.searchsorted(cum[p], u[m], side="right"), cum.shape[1] - 1)
    return out


def _seg_cumsum(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Cumulative sum restarting at every True of `starts` (starts[0] must be True)."""
    cs = np.cumsum(values)
    first = np.flatnonzero(starts)
    base = cs[first] - values[first]
    return cs - np.repeat(base, np.diff(np.append(first, values.size)))


def _template_table(templates: tuple[tuple[int, ...], ...]) -> tuple[np.ndarray, np.ndarray]:
    width = max(1, max(len(t) for t in templates))
    table = np.full((len(templates), width), -1, dtype=np.int8)
    for i, t in enumerate(templates):
        table[i, : len(t)] = t
    return table, np.array([len(t) for t in templates], dtype=np.int32)


def _time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight UTC, busiest in the afternoon."""
    h = rng.normal(14.5, 3.8, n)
    return (np.clip(h, 0.3, 23.7) * HOUR).astype(np.int64)


def _poisson_capped(rng: np.random.Generator, lam: np.ndarray | float, n: int, cap: int):
    return np.minimum(rng.poisson(lam, n), cap).astype(np.int32)


# --------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------
class _World:
    """Every row of the five inputs as dicts of numpy columns (events,
    customers, surveys, spend, campaigns; times in seconds and dates in days
    after the window start, _NULL / _BAD0 + k for missing / unparseable),
    plus the window (start_epoch, days) and the id widths. Set by _simulate,
    bad rows added by _add_bad_rows, turned into Arrow tables by _tables."""


def _simulate(n: int, days: int, start: dt.date, rng: np.random.Generator) -> _World:
    if n < 1 or days < 1:
        raise ValueError("customers and days must be positive")
    w = _World()
    end = days * DAY  # times are seconds after the window start until the end
    w.start_epoch = (start - EPOCH).days * DAY
    w.days = days

    # ---- persons --------------------------------------------------------
    mode = rng.choice(3, n, p=IDENTITY_SHARE).astype(np.int8)
    segment = rng.choice(len(SEGMENTS), n, p=SEGMENT_SHARE).astype(np.int8)
    region = rng.choice(len(REGIONS), n, p=REGION_SHARE).astype(np.int8)
    app_user = rng.random(n) < 0.35
    propensity = rng.lognormal(0.0, 0.3, n)
    satisfaction = rng.normal(0.0, 0.5, n)
    existing = (mode == KNOWN) & (rng.random(n) < 0.7)
    arrive_day = np.where(
        existing,
        rng.uniform(0, min(days, 45), n),
        rng.uniform(0, days, n),
    ).astype(np.int64)
    jstart = arrive_day * DAY + _time_of_day(rng, n)

    # ---- journeys and sessions (loop over the journey ordinal) ----------
    alive = np.ones(n, dtype=bool)
    bought = np.zeros(n, dtype=bool)
    chunks: list[dict[str, np.ndarray]] = []
    kinds_order = (AWARE, CONSIDER, INTENT, BUY, REBUY, ADVOCACY, RETURN, SUPPORT)
    for ordinal in range(1_000):
        idx = np.flatnonzero(alive & (jstart < end))
        m = idx.size
        if m == 0:
            break
        prior = bought[idx]
        prop = propensity[idx]
        u = rng.random((m, 3))
        p1 = np.minimum(np.where(prior, 0.72, 0.60) * prop, 0.95)
        p2 = np.minimum(np.where(prior, 0.62, 0.50) * prop, 0.95)
        p3 = np.minimum(np.where(prior, 0.60, 0.40) * prop, 0.95)
        p3[mode[idx] == ANONYMOUS] = 0.0
        s1 = u[:, 0] < p1
        s2 = s1 & (u[:, 1] < p2)
        s3 = s2 & (u[:, 2] < p3)
        reach = (1 + s1.astype(np.int8) + s2 + s3).astype(np.int8)  # 1..4
        buyer = reach == 4
        counts = {
            AWARE: 1 + _poisson_capped(rng, 0.8, m, 4),
            CONSIDER: (reach >= 2) * (1 + _poisson_capped(rng, 1.0, m, 4)),
            INTENT: (reach >= 3) * (_poisson_capped(rng, 0.4, m, 3) + (reach == 3)),
            BUY: buyer.astype(np.int32),
            REBUY: buyer * _poisson_capped(rng, 0.4 * prop, m, 4),
            ADVOCACY: (buyer & (rng.random(m) < 0.22)).astype(np.int32),
            RETURN: (buyer & (rng.random(m) < 0.08)).astype(np.int32),
            SUPPORT: _poisson_capped(
                rng, np.where(reach == 3, 0.5, np.where(buyer, 0.25, 0.12)), m, 3
            ),
        }
        js_parts, kind_parts, key_parts = [], [], []
        support_span = (reach - 1 + buyer).astype(np.float64)
        for kind in kinds_order:
            r = np.repeat(np.arange(m, dtype=np.int32), counts[kind])
            u_key = rng.random(r.size)
            if kind == AWARE:
                key = 0.9 * u_key
            elif kind == SUPPORT:
                key = 1.0 + support_span[r] * u_key
            elif kind == BUY:
                key = np.full(r.size, 3.5)
            elif kind in (REBUY, ADVOCACY, RETURN):
                key = 4.0 + u_key
            else:
                key = float(kind) + u_key
            js_parts.append(r)
            kind_parts.append(np.full(r.size, kind, dtype=np.int8))
            key_parts.append(key)
        js = np.concatenate(js_parts)
        kind = np.concatenate(kind_parts)
        key = np.concatenate(key_parts)
        order = np.lexsort((key, js))
        js, kind = js[order], kind[order]
        s = js.size
        first = np.ones(s, dtype=bool)
        first[1:] = js[1:] != js[:-1]
        # Day gaps between sessions: same day (30%) or 1-20 days later.
        later = (~first) & (rng.random(s) >= 0.3)
        day_gap = np.where(
            later,
            1 + np.minimum(rng.lognormal(np.log(1.2), 1.0, s).astype(np.int64), 19),
            0,
        )
        day_off = _seg_cumsum(day_gap, first)
        day_first = first | later
        tod = np.where(first, jstart[idx][js] % DAY, _time_of_day(rng, s))
        # Same-day sessions follow the day's first one by >= 90 minutes each.
        step = np.where(day_first, 0, 90 * MINUTE + rng.exponential(2 * HOUR, s).astype(np.int64))
        intra = _seg_cumsum(step, day_first)
        tod_day = np.maximum.accumulate(np.where(day_first, np.arange(s), 0))  # index of day start
        t = (jstart[idx][js] // DAY + day_off) * DAY + tod[tod_day] + intra
        # A new day's first session may start before the previous session
        # ended (late-night sessions): push it back until >= 90 min apart.
        for _ in range(50):
            prev = np.empty_like(t)
            prev[0] = t[0]
            prev[1:] = t[:-1]
            clash = (~first) & (t < prev + 90 * MINUTE)
            if not clash.any():
                break
            t = np.where(clash, prev + 90 * MINUTE, t)
        last = np.append(np.flatnonzero(first)[1:] - 1, s - 1)
        # Next journey: more than 30 days after this one's last session.
        g = rng.random(m)
        gap_days = np.where(
            g < 0.55,
            32 + rng.exponential(10, m),
            np.where(g < 0.75, rng.uniform(60, 90, m), 92 + rng.exponential(40, m)),
        ).astype(np.int64)
        next_day = (t[last] + HOUR) // DAY + gap_days
        p_continue = np.where(buyer, 0.88, 0.76)
        p_continue[mode[idx] == ANONYMOUS] = 0.5
        alive[idx] = rng.random(m) < p_continue
        bought[idx] |= buyer
        jstart[idx] = next_day * DAY + _time_of_day(rng, m)
        chunks.append(
            {
                "person": idx[js].astype(np.int32),
                "kind": kind,
                "start": t,
                "reach": reach[js],
                "ordinal": np.full(s, ordinal, dtype=np.int32),
            }
        )

    sess = {k: np.concatenate([c[k] for c in chunks]) for k in chunks[0]}
    keep = sess["start"] < end
    order = np.argsort(sess["person"][keep], kind="stable")
    sess = {k: v[keep][order] for k, v in sess.items()}
    person = sess["person"]
    kind = sess["kind"]
    S = person.size
    s_idx = np.arange(S)

    # ---- identification ---------------------------------------------------
    u = rng.random(S)
    pmode = mode[person]
    cand = (
        np.isin(kind, (INTENT, BUY, REBUY, ADVOCACY, RETURN))
        | ((kind == CONSIDER) & (u < 0.40))
        | ((kind == SUPPORT) & (u < 0.30))
        | ((kind == AWARE) & (u < np.where(sess["ordinal"] > 0, 0.5, 0.12)))
    ) & (pmode == IDENTIFIES)
    ci = np.flatnonzero(cand)
    id_session = np.full(n, -1, dtype=np.int64)
    pp, firsts = np.unique(person[ci], return_index=True)
    id_session[pp] = ci[firsts]
    my_id = id_session[person]
    pre = (pmode == ANONYMOUS) | ((pmode == IDENTIFIES) & ((my_id < 0) | (s_idx < my_id)))
    is_id_session = (pmode == IDENTIFIES) & (s_idx == my_id)
    anon_style = pre | is_id_session

    # ---- session templates -------------------------------------------------
    device = np.where(app_user[person] == (rng.random(S) < 0.8), APP, WEB).astype(np.int8)
    entry_cum = np.concatenate(
        [_mix_table(_ENTRY_KNOWN, _N_ENTRIES), _mix_table(_ENTRY_ANON, _N_ENTRIES)]
    )
    entry = _draw(rng, kind + N_KINDS * anon_style, entry_cum)
    entry[(entry == EN_WEB) & (device == APP)] = EN_APP
    store = entry == EN_STORE
    device[store] = STORE
    ad_channel = np.where(rng.random(S) < 0.65, ADS, SOCIAL).astype(np.int8)
    msg_channel = np.where(rng.random(S) < 0.88, EMAIL, SMS).astype(np.int8)

    body_min = np.array([_BODY[k][0] for k in range(N_KINDS)], dtype=np.int32)
    body_lam = np.array([_BODY[k][1] for k in range(N_KINDS)])
    body = np.minimum(body_min[kind] + rng.poisson(body_lam[kind]), _MAX_BODY).astype(np.int32)
    body[store | ((kind == AWARE) & np.isin(entry, (EN_AD_IMP, EN_EMAIL_OPEN)))] = 0
    body_types = [np.array(list(_BODY[k][2]), dtype=np.int8) for k in range(N_KINDS)]
    body_cum = _mix_table({k: dict(enumerate(_BODY[k][2].values())) for k in _BODY}, 5)

    reach = sess["reach"]
    xprofile = np.full(S, XP_NONE, dtype=np.int8)
    xprofile[(kind == INTENT) & (reach == 4)] = XP_INTENT_BUYER
    xprofile[(kind == INTENT) & (reach < 4)] = XP_INTENT_DROP
    xprofile[np.isin(kind, (BUY, REBUY))] = XP_BUY
    xprofile[np.isin(kind, (BUY, REBUY)) & store] = XP_STORE_BUY
    xprofile[kind == ADVOCACY] = XP_ADVOCACY
    xprofile[kind == RETURN] = XP_RETURN
    xprofile[(kind == SUPPORT) & anon_style] = XP_SUPPORT_ANON
    xprofile[(kind == SUPPORT) & ~anon_style] = XP_SUPPORT_KNOWN
    exit_ = _draw(rng, xprofile, _mix_table(_EXIT_MIX, _N_EXITS))

    entry_tab, entry_len = _template_table(_ENTRY_EVENTS)
    exit_tab, exit_len = _template_table(_EXIT_EVENTS)

    # ---- events --------------------------------------------------------------
    el = entry_len[entry]
    xl = exit_len[exit_]
    ne = el + body + xl
    E = int(ne.sum())
    ev_sess = np.repeat(s_idx.astype(np.int32), ne)
    offsets = np.cumsum(ne) - ne
    pos = (np.arange(E, dtype=np.int64) - np.repeat(offsets, ne)).astype(np.int32)
    e_el = el[ev_sess]
    e_bl = body[ev_sess]
    etype = np.empty(E, dtype=np.int8)
    m_entry = pos < e_el
    etype[m_entry] = entry_tab[entry[ev_sess[m_entry]], pos[m_entry]]
    m_body = (~m_entry) & (pos < e_el + e_bl)
    b_kind = kind[ev_sess[m_body]]
    b_pick = _draw(rng, b_kind, body_cum)
    b_types = np.empty(b_pick.size, dtype=np.int8)
    for k in range(N_KINDS):
        mk = b_kind == k
        b_types[mk] = body_types[k][b_pick[mk]]
    etype[m_body] = b_types
    m_exit = ~(m_entry | m_body)
    etype[m_exit] = exit_tab[exit_[ev_sess[m_exit]], (pos - e_el - e_bl)[m_exit]]
    del e_el, e_bl, m_entry, m_body, m_exit, b_kind, b_pick, b_types

    # Times: 5 s - 3 min between events of a session.
    gaps = np.clip(rng.lognormal(np.log(55.0), 0.8, E), 5, 180).astype(np.int64)
    gaps[pos == 0] = 0
    t = sess["start"][ev_sess] + _seg_cumsum(gaps, pos == 0)
    del gaps
    keep = t < end
    if not keep.all():
        ev_sess, pos, etype, t = ev_sess[keep], pos[keep], etype[keep], t[keep]
    E = t.size
    eperson = person[ev_sess]

    # Channels.
    rule = _TYPE_CHANNEL[etype]
    channel = rule.copy()
    m = rule == _CH_AD
    channel[m] = ad_channel[ev_sess[m]]
    m = rule == _CH_MSG
    channel[m] = msg_channel[ev_sess[m]]
    m = rule == _CH_DEVICE
    channel[m] = device[ev_sess[m]]
    del rule

    # Identity.
    post = ~pre[ev_sess]
    in_id = is_id_session[ev_sess]
    web_app = (channel == WEB) | (channel == APP)
    p_cookie = np.where(mode[eperson] == KNOWN, 0.12, 0.25)
    has_customer = post
    has_anon = pre[ev_sess] | (in_id & (pos == 0))
    has_anon |= post & web_app & (rng.random(E) < p_cookie)
    del post, in_id, web_app, p_cookie

    # Campaigns, from the campaign table: attached per session.
    _campaigns(w, rng, n, days)
    camp_channel = np.full(S, -1, dtype=np.int8)
    ad_entry = np.isin(entry, _AD_ENTRIES)
    camp_channel[ad_entry] = ad_channel[ad_entry]
    msg_entry = np.isin(entry, _MESSAGE_ENTRIES)
    camp_channel[msg_entry] = msg_channel[msg_entry]
    camp_channel[entry == EN_SOCIAL] = SOCIAL
    p_attach = np.select([ad_entry, msg_entry, entry == EN_SOCIAL], [0.8, 0.9, 0.35], default=0.0)
    attach = rng.random(S) < p_attach
    sess_campaign = np.full(S, -1, dtype=np.int32)
    sday = np.minimum(sess["start"] // DAY, days - 1)
    u = rng.random(S)
    for ci_, ch in enumerate(PAID_CHANNELS):
        msk = attach & (camp_channel == ch)
        if not msk.any():
            continue
        cum = w.camp_cumw[ci_][sday[msk]]  # (k, n_campaigns)
        tot = cum[:, -1]
        pick = (u[msk, None] * tot[:, None] >= cum).sum(axis=1)
        ok = tot > 0
        chosen = np.full(pick.size, -1, dtype=np.int32)
        chosen[ok] = pick[ok]
        sess_campaign[msk] = chosen
    campaign = sess_campaign[ev_sess]
    campaign[channel != camp_channel[ev_sess]] = -1

    # Revenue on purchases (cents).
    revenue = np.full(E, _NULL, dtype=np.int64)
    pm = etype == PURCHASE
    med = np.array(SEGMENT_MEDIAN_ORDER)[segment[eperson[pm]]]
    amount = med * rng.lognormal(0.0, 0.6, int(pm.sum())) * np.where(channel[pm] == STORE, 1.1, 1)
    revenue[pm] = np.maximum(np.round(amount * 100), 100).astype(np.int64)

    # ---- shared devices and ids -------------------------------------------------
    identified = mode == KNOWN
    identified |= (mode == IDENTIFIES) & (id_session >= 0)
    idf = np.flatnonzero((mode == IDENTIFIES) & (id_session >= 0))
    anon_number = rng.permutation(n).astype(np.int64) + 1
    n_shared = min(max(2, idf.size // 100), idf.size // 2)
    if n_shared > 0:
        pick = rng.choice(idf.size, 2 * n_shared, replace=False)
        sharer, owner = idf[pick[:n_shared]], idf[pick[n_shared:]]
        anon_number[sharer] = anon_number[owner]
    # First event per person, identification time.
    first_ev = np.full(n, -1, dtype=np.int64)
    up, ufirst = np.unique(eperson, return_index=True)
    first_ev[up] = ufirst
    identified &= first_ev >= 0
    signup = np.full(n, _NULL, dtype=np.int64)
    kn = np.flatnonzero(identified & (mode == KNOWN))
    old = existing[kn]
    first_t = t[first_ev[kn]]
    signup[kn] = np.where(
        old,
        -rng.uniform(10 * DAY, 900 * DAY, kn.size).astype(np.int64),
        first_t - rng.uniform(60, 2 * DAY, kn.size).astype(np.int64),
    )
    ids = np.flatnonzero(identified & (mode == IDENTIFIES))
    signup[ids] = sess["start"][id_session[ids]] - rng.integers(5, 120, ids.size)
    # Customer numbers follow sign-up order.
    cust_number = np.full(n, -1, dtype=np.int64)
    who = np.flatnonzero(identified)
    cust_number[who[np.argsort(signup[who], kind="stable")]] = np.arange(1, who.size + 1)

    # ---- surveys ------------------------------------------------------------------
    last_ev = np.append(np.flatnonzero(ev_sess[1:] != ev_sess[:-1]), E - 1)
    last_sess = ev_sess[last_ev]
    sess_last_ev = np.full(S, -1, dtype=np.int64)
    sess_last_ev[last_sess] = last_ev
    purchases = np.bincount(ev_sess[etype == PURCHASE], minlength=S)
    friction = np.bincount(ev_sess[np.isin(etype, FRICTION_TYPES)], minlength=S)
    calls = np.bincount(ev_sess[etype == CALL], minlength=S)
    trigger = (sess_last_ev >= 0) & ~pre
    trigger &= (np.isin(kind, (BUY, REBUY)) & (purchases > 0)) | np.isin(kind, (SUPPORT, RETURN))
    probs = np.zeros((N_KINDS, 3))  # csat, ces, nps
    probs[BUY] = probs[REBUY] = (0.30, 0.22, 0.32)
    probs[SUPPORT] = (0.25, 0.35, 0.08)
    probs[RETURN] = (0.25, 0.30, 0.10)
    rows_s, rows_type = [], []
    for st in range(3):
        hit = trigger & (rng.random(S) < probs[kind, st])
        rows_s.append(np.flatnonzero(hit))
        rows_type.append(np.full(int(hit.sum()), st, dtype=np.int8))
    r_sess = np.concatenate(rows_s)
    r_type = np.concatenate(rows_type)
    r_ev = sess_last_ev[r_sess]
    r_t = t[r_ev] + np.clip(rng.lognormal(np.log(2 * HOUR), 1.3, r_sess.size), 120, 5 * DAY).astype(
        np.int64
    )
    r_channel = channel[r_ev]
    ch_effect = np.zeros(len(CHANNELS))
    ch_effect[[STORE, APP, CHAT, CALL_CENTER]] = (0.45, 0.1, -0.2, -0.35)
    latent = (
        0.9
        + ch_effect[r_channel]
        + satisfaction[person[r_sess]]
        - 0.55 * friction[r_sess]
        - 0.4 * calls[r_sess]
        - 0.5 * (kind[r_sess] == RETURN)
        + 0.3 * r_t / (365 * DAY)
        + 0.7 * rng.standard_t(4, r_sess.size)  # heavy tails: some furious customers
        - 2.0 * (rng.random(r_sess.size) < 0.04)  # an incident (late delivery, ...)
    )
    csat = 1 + (latent[:, None] > np.array([-1.3, -0.5, 0.25, 1.2])).sum(axis=1)
    nps = (
        latent[:, None] > np.array([-2.2, -1.8, -1.4, -1.0, -0.7, -0.3, 0.25, 0.8, 1.35, 2.0])
    ).sum(axis=1)
    ces = 7 - (latent[:, None] > np.array([-2.0, -1.4, -0.8, -0.2, 0.5, 1.1])).sum(axis=1)
    score = np.select([r_type == 0, r_type == 1], [csat, ces], nps).astype(np.int64)
    keep = r_t < end
    order = np.argsort(r_t[keep], kind="stable")
    w.surveys = {
        "customer": cust_number[person[r_sess[keep][order]]],
        "t": r_t[keep][order],
        "type": r_type[keep][order],
        "score": score[keep][order],
        "channel": r_channel[keep][order],
    }

    # ---- events, sorted by time -------------------------------------------------------
    order = np.argsort(t, kind="stable")
    eperson = eperson[order]
    w.events = {
        "t": t[order],
        "customer": np.where(has_customer[order], cust_number[eperson], -1),
        "anon": np.where(has_anon[order], anon_number[eperson], -1),
        "type": etype[order],
        "channel": channel[order],
        "campaign": campaign[order],
        "revenue": revenue[order],
    }
    del t, etype, channel, campaign, revenue, has_customer, has_anon
    w.events["id"] = rng.permutation(E).astype(np.int64) + 1
    w.events["channel_variant"] = np.where(rng.random(E) < 0.005, rng.integers(1, 4, E), 0).astype(
        np.int8
    )

    # ---- customers (CRM): identified persons, minus CRM gaps -------------------------
    crm = np.flatnonzero(identified & (rng.random(n) >= 0.03))
    crm = crm[np.argsort(cust_number[crm], kind="stable")]
    seg = segment[crm].astype(np.int8)
    seg[rng.random(crm.size) < 0.02] = -1
    w.customers = {
        "customer": cust_number[crm],
        "t": signup[crm],
        "segment": seg,
        "region": region[crm],
    }
    # Text spellings (CSV only, drawn always so that every format and
    # bad_rows setting shares the clean rows).
    w.events["ts_variant"] = _ts_variants(rng, w.events["t"].size)
    w.customers["ts_variant"] = _ts_variants(rng, w.customers["t"].size)
    w.surveys["ts_variant"] = _ts_variants(rng, w.surveys["t"].size)
    w.surveys["id"] = np.arange(1, w.surveys["t"].size + 1, dtype=np.int64)
    w.customer_number_width = max(6, len(str(max(1, who.size))))
    w.anon_number_width = max(6, len(str(n)))
    w.event_id_width = max(8, len(str(E + 10_000)))
    return w


def _campaigns(w: _World, rng: np.random.Generator, n: int, days: int) -> None:
    """Campaign table, daily spend, and per (paid channel, day) cumulative
    choice weights of the campaigns active that day."""
    themes = {
        1: "New Year",
        2: "Valentine",
        3: "Spring Launch",
        4: "Easter",
        5: "Mother's Day",
        6: "Summer Deals",
        7: "Mid-Year Sale",
        8: "Back to School",
        9: "Autumn Collection",
        10: "Halloween",
        11: "Black Friday",
        12: "Holiday Gifts",
    }
    start_date = EPOCH + dt.timedelta(days=int(w.start_epoch // DAY))
    labels = {ADS: "Search & Display", SOCIAL: "Social", EMAIL: "Email", SMS: "SMS"}
    n_burst = max(4, round(days / 12))
    burst_channel = rng.choice(PAID_CHANNELS, n_burst, p=(0.35, 0.30, 0.25, 0.10))
    burst_start = rng.integers(-20, max(days - 7, 1), n_burst)
    burst_len = 14 + np.minimum(rng.exponential(18, n_burst), 46).astype(np.int64)
    ch = np.concatenate([np.array(PAID_CHANNELS), burst_channel]).astype(np.int8)
    started = np.concatenate([np.full(len(PAID_CHANNELS), -120), burst_start]).astype(np.int64)
    ended = np.concatenate(
        [np.full(len(PAID_CHANNELS), days + 60), burst_start + burst_len]
    ).astype(np.int64)
    always_on = np.arange(ch.size) < len(PAID_CHANNELS)
    names = []
    for i in range(ch.size):
        if always_on[i]:
            names.append(f"Always-on {labels[int(ch[i])]}")
        else:
            d = start_date + dt.timedelta(days=int(started[i]))
            names.append(f"{themes[d.month]} {d.year} - {labels[int(ch[i])]}")
    order = np.lexsort((ch, started))
    ch, started, ended, always_on = ch[order], started[order], ended[order], always_on[order]
    names = [names[i] for i in order]
    w.campaigns = {"channel": ch, "started": started, "ended": ended, "name": names}

    # Choice weights per paid channel and day (bursts weigh 3x).
    day = np.arange(days)
    active = (started[None, :] <= day[:, None]) & (ended[None, :] >= day[:, None])
    weight = np.where(always_on, 1.0, 3.0)
    w.camp_cumw = []
    for c in PAID_CHANNELS:
        wc = active * (weight * (ch == c))[None, :]
        w.camp_cumw.append(np.cumsum(wc, axis=1))

    # Daily spend per active campaign.
    scale = n / 1_000.0
    base = np.zeros(len(CHANNELS))
    base[[ADS, SOCIAL, EMAIL, SMS]] = (60.0, 40.0, 8.0, 6.0)
    burst_boost = np.where(always_on, 1.0, 1.6)
    di, ci = np.nonzero(active)  # sorted by day, then campaign
    weekend = ((w.start_epoch // DAY + di + 3) % 7) >= 5  # 1970-01-01 was a Thursday
    ch_i = ch[ci]
    amount = base[ch_i] * burst_boost[ci] * scale * rng.lognormal(0.0, 0.25, di.size)
    amount *= np.where(weekend, 0.8, 1.0)
    quiet = weekend & np.isin(ch_i, (EMAIL, SMS)) & (rng.random(di.size) < 0.6)
    amount[quiet] = 0.0
    order = np.lexsort((ci, ch_i, di))
    w.spend = {
        "day": di[order].astype(np.int64),
        "channel": ch_i[order],
        "campaign": ci[order].astype(np.int32),
        "amount": np.round(amount[order] * 100).astype(np.int64),
    }


# --------------------------------------------------------------------------
# Bad rows
# --------------------------------------------------------------------------
def _insert_rows(cols: dict[str, np.ndarray], extra: dict[str, np.ndarray], rng) -> None:
    """Insert `extra` rows at random positions of `cols` (in place)."""
    k = next(iter(extra.values())).size
    if k == 0:
        return
    n = next(iter(cols.values())).size
    where = np.sort(rng.integers(0, n + 1, k))
    for name in cols:
        cols[name] = np.insert(cols[name], where, extra[name])


def _pick(rng: np.random.Generator, pool: int | np.ndarray, k: int) -> np.ndarray:
    """k distinct rows of `pool` (a row count or an index array); fewer if it is smaller."""
    size = pool if isinstance(pool, int) else len(pool)
    return np.asarray(rng.choice(pool, min(k, size), replace=False), dtype=np.int64)


def _take_rows(cols: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[idx].copy() for k, v in cols.items()}


def _concat_rows(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _add_bad_rows(w: _World, rng: np.random.Generator, counts: dict[str, dict[str, int]]) -> None:

    # ---- events ----
    ev = w.events
    c = counts["events"]
    n = ev["t"].size
    next_id = n + 1
    parts = []

    def base(k: int, pool: np.ndarray | None = None) -> dict[str, np.ndarray]:
        return _take_rows(ev, _pick(rng, n if pool is None else pool, k))

    def fresh_ids(rows: dict[str, np.ndarray]) -> None:
        nonlocal next_id
        k = rows["id"].size
        rows["id"] = np.arange(next_id, next_id + k, dtype=np.int64)
        next_id += k

    rows = base(c["missing_event_id"])
    rows["id"][:] = -1
    parts.append(rows)
    rows = base(c["missing_occurred_at"])
    fresh_ids(rows)
    rows["t"][:] = _NULL
    parts.append(rows)
    rows = base(c["unparseable_occurred_at"])
    fresh_ids(rows)
    rows["t"][:] = _BAD0 + np.arange(rows["t"].size) % len(_BAD_TIMES)
    parts.append(rows)
    rows = base(c["missing_identity"])
    fresh_ids(rows)
    rows["customer"][:] = -1
    rows["anon"][:] = -1
    parts.append(rows)
    rows = base(c["unknown_event_type"])
    fresh_ids(rows)
    rows["type"][:] = UNKNOWN_EVENT_TYPE
    rows["revenue"][:] = _NULL
    rows["campaign"][:] = -1
    parts.append(rows)
    buys = np.flatnonzero(ev["type"] == PURCHASE)
    rows = base(c["negative_revenue"], buys)
    fresh_ids(rows)
    rows["revenue"] = -rows["revenue"]
    parts.append(rows)
    rows = base(c["unparseable_revenue"], buys)
    fresh_ids(rows)
    rows["revenue"][:] = _BAD0
    parts.append(rows)
    rows = base(c["future_occurred_at"])
    fresh_ids(rows)
    # Same time of day, some day in the first half of 2099.
    year_2099 = (dt.date(2099, 1, 1) - EPOCH).days * DAY - w.start_epoch
    rows["t"] = year_2099 + rows["t"] % (180 * DAY)
    parts.append(rows)
    parts.append(base(c["exact_duplicate"]))
    # Conflicting duplicates: same event_id, another time (inside the
    # window) or the other device.
    k = c["conflicting_duplicate"]
    rows = base(k - k // 2)
    shift = rng.integers(30, 3_600, rows["t"].size)
    rows["t"] = np.where(rows["t"] + shift < w.days * DAY, rows["t"] + shift, rows["t"] - shift)
    parts.append(rows)
    on_device = (_TYPE_CHANNEL[ev["type"]] == _CH_DEVICE) & np.isin(ev["channel"], (WEB, APP))
    rows = base(k // 2, np.flatnonzero(on_device))
    rows["channel"] = np.where(rows["channel"] == WEB, APP, WEB).astype(np.int8)
    rows["channel_variant"][:] = 0
    parts.append(rows)
    _insert_rows(ev, _concat_rows(parts), rng)

    # ---- customers ----
    cu = w.customers
    c = counts["customers"]
    n = cu["t"].size
    parts = []
    rows = _take_rows(cu, _pick(rng, n, c["missing_customer_id"]))
    rows["customer"][:] = -1
    parts.append(rows)
    rows = _take_rows(cu, _pick(rng, n, c["unparseable_signed_up_at"]))
    rows["customer"] = np.max(cu["customer"]) + 1 + np.arange(rows["t"].size)
    rows["t"][:] = _BAD0 + np.arange(rows["t"].size) % len(_BAD_SIGNUP)
    parts.append(rows)
    parts.append(_take_rows(cu, _pick(rng, n, c["exact_duplicate"])))
    _insert_rows(cu, _concat_rows(parts), rng)

    # ---- survey responses ----
    sv = w.surveys
    c = counts["survey_responses"]
    n = sv["t"].size
    next_id = n + 1
    parts = []

    def sbase(k: int) -> dict[str, np.ndarray]:
        nonlocal next_id
        rows = _take_rows(sv, _pick(rng, n, k))
        k = rows["id"].size
        rows["id"] = np.arange(next_id, next_id + k, dtype=np.int64)
        next_id += k
        return rows

    rows = sbase(c["missing_response_id"])
    rows["id"][:] = -1
    parts.append(rows)
    rows = sbase(c["missing_responded_at"])
    rows["t"][:] = _NULL
    parts.append(rows)
    rows = sbase(c["unparseable_responded_at"])
    rows["t"][:] = _BAD0 + np.arange(rows["t"].size) % len(_BAD_TIMES)
    parts.append(rows)
    rows = sbase(c["missing_customer_id"])
    rows["customer"][:] = -1
    parts.append(rows)
    rows = sbase(c["invalid_survey_type"])
    rows["type"][:] = 3
    parts.append(rows)
    rows = sbase(c["score_out_of_range"])
    k = rows["t"].size
    rows["type"] = np.array([0, 2, 1], dtype=np.int8)[np.arange(k) % 3]
    rows["score"] = np.array([9, 11, 0])[np.arange(k) % 3]
    parts.append(rows)
    rows = sbase(c["missing_score"])
    rows["score"][:] = _NULL
    parts.append(rows)
    _insert_rows(sv, _concat_rows(parts), rng)

    # ---- marketing spend ----
    sp = w.spend
    c = counts["marketing_spend"]
    n = sp["day"].size
    parts = []
    rows = _take_rows(sp, _pick(rng, n, c["unparseable_spend_date"]))
    rows["day"][:] = _BAD0 + np.arange(rows["day"].size) % len(_BAD_SPEND_DATES)
    parts.append(rows)
    rows = _take_rows(sp, _pick(rng, n, c["negative_amount"]))
    rows["amount"] = -np.maximum(rows["amount"], 1)
    parts.append(rows)
    _insert_rows(sp, _concat_rows(parts), rng)

    # ---- campaigns ----
    cp = w.campaigns
    cp["id"] = np.arange(1, cp["channel"].size + 1, dtype=np.int64)
    c = counts["campaigns"]
    names = list(cp.pop("name"))
    cp["name"] = np.arange(len(names))
    n = cp["channel"].size
    parts = []
    rows = _take_rows(cp, _pick(rng, n, c["missing_campaign_id"]))
    rows["id"][:] = -1
    k = rows["id"].size
    rows["name"] = len(names) + np.arange(k)
    names += [f"Untracked promo {i + 1}" for i in range(k)]
    parts.append(rows)
    rows = _take_rows(cp, _pick(rng, n, c["unparseable_started_at"]))
    k = rows["id"].size
    rows["id"] = n + 1 + np.arange(k)
    rows["started"][:] = _BAD0 + np.arange(k) % len(_BAD_CAMPAIGN_DATES)
    rows["name"] = len(names) + np.arange(k)
    names += [f"Draft campaign {i + 1}" for i in range(k)]
    parts.append(rows)
    _insert_rows(cp, _concat_rows(parts), rng)
    w.campaign_names = names


def _ts_variants(rng: np.random.Generator, n: int) -> np.ndarray:
    """0: ...Z (90%), 1..6: an offset (5%), 7: no offset (5%)."""
    u = rng.random(n)
    off = rng.integers(1, len(_OFFSETS_MIN) + 1, n)
    return np.where(u < 0.90, _TS_Z, np.where(u < 0.95, off, _TS_NAIVE)).astype(np.int8)


# --------------------------------------------------------------------------
# Arrow tables
# --------------------------------------------------------------------------
def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """prefix + zero-padded number, null where number < 0."""
    valid = numbers >= 0
    digits = pc.utf8_lpad(
        pc.cast(pa.array(np.where(valid, numbers, 0)), pa.string()), width=width, padding="0"
    )
    out = pc.binary_join_element_wise(prefix, digits, "")
    if not valid.all():
        out = pc.if_else(pa.array(valid), out, pa.scalar(None, pa.string()))
    return out


def _lookup(strings: list[str] | tuple[str, ...], codes: np.ndarray) -> pa.Array:
    """strings[code], null where code < 0."""
    codes = np.asarray(codes)
    return pa.array(list(strings), pa.string()).take(pa.array(codes, mask=codes < 0))


def _replace_bad(arr: pa.Array, values: np.ndarray, spellings: tuple[str, ...]) -> pa.Array:
    """Put the unparseable spellings where values holds _BAD0 + k."""
    bad = (values >= _BAD0) & (values < _BAD0 + 16)
    if not bad.any():
        return arr
    repl = pa.array([spellings[int(k)] for k in values[bad] - _BAD0], pa.string())
    return pc.replace_with_mask(arr, pa.array(bad), repl)


def _timestamps_text(
    secs: np.ndarray, variant: np.ndarray, epoch: int, spellings: tuple[str, ...] = _BAD_TIMES
) -> pa.Array:
    """ISO-8601 text in the three spellings; null for _NULL."""
    special = secs < _BAD0 + 16
    s = np.where(special, 0, secs + epoch)
    offset_min = np.zeros(len(_OFFSETS_MIN) + 2, dtype=np.int64)
    offset_min[1 : len(_OFFSETS_MIN) + 1] = _OFFSETS_MIN
    local = s + offset_min[variant] * MINUTE
    text = pc.strftime(pa.array(local, pa.timestamp("s")), format="%Y-%m-%dT%H:%M:%S")
    naive = variant == _TS_NAIVE
    if naive.any():
        text = pc.if_else(
            pa.array(naive), pc.replace_substring(text, "T", " ", max_replacements=1), text
        )
    suffixes = ["Z"]
    for m in _OFFSETS_MIN:
        sign = "+" if m >= 0 else "-"
        suffixes.append(f"{sign}{abs(m) // 60:02d}:{abs(m) % 60:02d}")
    suffixes.append("")
    text = pc.binary_join_element_wise(text, _lookup(suffixes, variant), "")
    text = _replace_bad(text, secs, spellings)
    if (secs == _NULL).any():
        text = pc.if_else(pa.array(secs == _NULL), pa.scalar(None, pa.string()), text)
    return text


def _timestamps_typed(secs: np.ndarray, epoch: int) -> pa.Array:
    null = secs < _BAD0 + 16
    us = (np.where(null, 0, secs) + epoch) * 1_000_000
    return pa.array(us, pa.timestamp("us", tz="UTC"), mask=null)


def _dates(days: np.ndarray, epoch_day: int, text: bool, spellings: tuple[str, ...]) -> pa.Array:
    special = days < _BAD0 + 16
    d = pa.array(np.where(special, 0, days + epoch_day).astype(np.int32), pa.date32())
    if not text:
        return pc.if_else(pa.array(special), pa.scalar(None, pa.date32()), d)
    return _replace_bad(pc.strftime(d, format="%Y-%m-%d"), days, spellings)


def _money(cents: np.ndarray, text: bool, bad: str = "") -> pa.Array:
    null = cents == _NULL
    badm = (cents >= _BAD0) & (cents < _BAD0 + 16)
    special = null | badm
    if not text:
        return pa.array(np.where(special, 0, cents) / 100.0, pa.float64(), mask=special)
    idx = np.flatnonzero(~special)
    v = cents[idx]
    a = np.abs(v)
    units = pc.binary_join_element_wise(
        pa.array(np.where(v < 0, "-", "")), pc.cast(pa.array(a // 100), pa.string()), ""
    )
    cents_text = pc.utf8_lpad(pc.cast(pa.array(a % 100), pa.string()), width=2, padding="0")
    body = pc.binary_join_element_wise(units, cents_text, ".")
    pos = np.full(cents.size, -1, dtype=np.int64)
    pos[idx] = np.arange(idx.size)
    out = body.take(pa.array(pos, mask=pos < 0))
    if badm.any():
        out = pc.replace_with_mask(
            out, pa.array(badm), pa.array([bad] * int(badm.sum()), pa.string())
        )
    return out


def _tables(w: _World, text: bool) -> dict[str, pa.Table]:
    epoch = int(w.start_epoch)
    epoch_day = epoch // DAY
    cw, aw = w.customer_number_width, w.anon_number_width

    ev = w.events
    channel_names = [s for spellings in CHANNEL_SPELLINGS for s in spellings]
    event_cols = {
        "event_id": _ids("evt_", ev["id"], w.event_id_width),
        "occurred_at": (
            _timestamps_text(ev["t"], ev["ts_variant"], epoch)
            if text
            else _timestamps_typed(ev["t"], epoch)
        ),
        "customer_id": _ids("cust_", ev["customer"], cw),
        "anonymous_id": _ids("anon_", ev["anon"], aw),
        "event_type": _lookup((*EVENT_TYPES, "teleport"), ev["type"]),
        "channel": _lookup(channel_names, ev["channel"] * 4 + ev["channel_variant"]),
        "campaign_id": _ids("cmp_", np.where(ev["campaign"] >= 0, ev["campaign"] + 1, -1), 3),
        "revenue": _money(ev["revenue"], text, _BAD_REVENUE),
    }

    cu = w.customers
    customer_cols = {
        "customer_id": _ids("cust_", cu["customer"], cw),
        "signed_up_at": (
            _timestamps_text(cu["t"], cu["ts_variant"], epoch, _BAD_SIGNUP)
            if text
            else _timestamps_typed(cu["t"], epoch)
        ),
        "segment": _lookup(SEGMENTS, cu["segment"]),
        "region": _lookup(REGIONS, cu["region"]),
    }

    sv = w.surveys
    score_null = sv["score"] == _NULL
    score = pa.array(np.where(score_null, 0, sv["score"]), pa.int32(), mask=score_null)
    survey_cols = {
        "response_id": _ids("resp_", sv["id"], 7),
        "customer_id": _ids("cust_", sv["customer"], cw),
        "responded_at": (
            _timestamps_text(sv["t"], sv["ts_variant"], epoch)
            if text
            else _timestamps_typed(sv["t"], epoch)
        ),
        "survey_type": _lookup(SURVEY_TYPES, sv["type"]),
        "score": pc.cast(score, pa.string()) if text else score,
        "channel": _lookup(CHANNELS, sv["channel"]),
    }

    sp = w.spend
    spend_cols = {
        "spend_date": _dates(sp["day"], epoch_day, text, _BAD_SPEND_DATES),
        "channel": _lookup(CHANNELS, sp["channel"]),
        "campaign_id": _ids("cmp_", sp["campaign"] + 1, 3),
        "amount": _money(sp["amount"], text),
    }

    cp = w.campaigns
    campaign_cols = {
        "campaign_id": _ids("cmp_", cp["id"], 3),
        "campaign_name": _lookup(w.campaign_names, cp["name"]),
        "channel": _lookup(CHANNELS, cp["channel"]),
        "started_at": _dates(cp["started"], epoch_day, text, _BAD_CAMPAIGN_DATES),
        "ended_at": _dates(cp["ended"], epoch_day, text, ()),
    }
    tables = {
        "events": event_cols,
        "customers": customer_cols,
        "survey_responses": survey_cols,
        "marketing_spend": spend_cols,
        "campaigns": campaign_cols,
    }
    out = {}
    for name, cols in tables.items():
        assert tuple(cols) == COLUMNS[name], name
        out[name] = pa.table(cols)
    return out


def _build(
    customers: int, days: int, seed: int, start: dt.date, fmt: str, bad_rows: bool
) -> dict[str, pa.Table]:
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    rng = np.random.Generator(np.random.PCG64(seed))
    w = _simulate(customers, days, start, rng)
    counts = bad_row_counts(fmt, w.events["t"].size)
    if not bad_rows:
        counts = {name: dict.fromkeys(kinds, 0) for name, kinds in counts.items()}
    _add_bad_rows(w, rng, counts)
    return _tables(w, text=fmt == "csv")


def _write(table: pa.Table, path: Path, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    if fmt == "csv":
        opts = pacsv.WriteOptions(include_header=True, quoting_style="none", quoting_header="none")
        pacsv.write_csv(table, tmp, write_options=opts)
    else:
        pq.write_table(
            table, tmp, row_group_size=PARQUET_ROW_GROUP, compression="zstd", write_statistics=True
        )
    tmp.replace(path)


def generate_dataset(
    customers: int,
    days: int,
    out_dir: Path,
    seed: int = 42,
    start: dt.date = dt.date(2025, 1, 6),
    fmt: str = "parquet",
    bad_rows: bool = True,
) -> dict[str, int]:
    """Write events, customers, survey_responses, marketing_spend and campaigns
    into out_dir as <name>.parquet (fmt='parquet') or <name>.csv (fmt='csv');
    return rows written per input.

    `customers` is the number of simulated people (including the anonymous
    visitors who never identify); events fall in [start, start + days)."""
    out_dir = Path(out_dir)
    tables = _build(customers, days, seed, start, fmt, bad_rows)
    rows = {}
    for name, table in tables.items():
        _write(table, out_dir / f"{name}.{fmt}", fmt)
        rows[name] = table.num_rows
    return rows


def write_sample_seeds(project_dir: Path) -> dict[str, int]:
    """Regenerate the committed sample data, seeds/sample/raw_<input>.csv
    (1,200 people, 300 days from 2025-01-06, seed 42, bad rows on)."""
    out = Path(project_dir) / "seeds" / "sample"
    tables = _build(SAMPLE_CUSTOMERS, SAMPLE_DAYS, SAMPLE_SEED, SAMPLE_START, "csv", True)
    rows = {}
    for name, table in tables.items():
        _write(table, out / f"raw_{name}.csv", "csv")
        rows[name] = table.num_rows
    return rows
