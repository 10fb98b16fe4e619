"""An independent Python reading of the input contract (SPEC section 1 and
DECISIONLOG D11-D15, D30): which rows of an input are clean, rejected (and
why) or dropped as duplicates, and what a clean event becomes in fct_events.

Written from the contract, not from the SQL: the fuzz suite
(test_fuzz.py) builds the project on generated, corrupted files and holds
every build to this oracle. Values are the raw strings a CSV reader hands
over (None for an empty field).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# D30: the ISO-8601 grammar every engine accepts.
TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"([T ]([0-9]{1,2}):([0-9]{1,2})(:([0-9]{1,2})([.]([0-9]*))?)?"
    r"(Z|([+-])([0-9]{2})(:?([0-9]{2}))?)?)?"
)
# The number grammar (journeys_number_pattern): sign, digits with single
# underscores, fraction, exponent; no NaN, no infinity, no hex.
NUMBER = re.compile(
    r"[+-]?([0-9]+(_[0-9]+)*([.]([0-9]+(_[0-9]+)*)?)?|[.][0-9]+(_[0-9]+)*)"
    r"([eE][+-]?[0-9]+(_[0-9]+)*)?"
)

# SPEC section 2: the shipped event types.
EVENT_TYPES = frozenset(
    {
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
    }
)
SURVEY_SCALES = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10)}
FUTURE_TOLERANCE = dt.timedelta(days=1)


def trimmed(value: str | None) -> str | None:
    """D11: trimmed of spaces (SQL trim), and an empty text is missing."""
    if value is None:
        return None
    value = value.strip(" ")
    return value or None


def lowered(value: str | None) -> str | None:
    value = trimmed(value)
    return None if value is None else value.lower()


# D190: a value spelled like the reports' rollup label (`all`, then any
# number of ` (data)`) gets one more ` (data)`; nothing else changes.
ROLLUP_LABEL = re.compile(r"all( [(]data[)])*")


def rollup_safe(value: str) -> str:
    """D190: `all` -> `all (data)`, `all (data)` -> `all (data) (data)`, ...
    (staging renames segments, channels and pattern names so that the
    reports' `all` rows stay the rollup)."""
    return value + " (data)" if ROLLUP_LABEL.fullmatch(value) else value


def parse_timestamp(value: str | None) -> dt.datetime | None:
    """D12 / D30: ISO-8601 with an optional offset, to naive UTC; None when
    missing or unparseable."""
    text = trimmed(value)
    if text is None:
        return None
    match = TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if year < 1 or not 1 <= month <= 12:
        return None
    days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not 1 <= day <= days[month - 1]:
        return None
    hour, minute, second = int(match[5] or 0), int(match[6] or 0), int(match[8] or 0)
    fraction = match[10] or ""
    if minute > 59 or second > 59 or hour > 24:
        return None
    if hour == 24 and (minute or second or fraction.strip("0")):
        return None
    micros = int((fraction + "000000")[:6])
    offset = 0
    if match[12]:
        offset = (int(match[13]) * 60 + int(match[15] or 0)) * (-1 if match[12] == "-" else 1)
    return dt.datetime(year, month, day) + dt.timedelta(
        hours=hour, minutes=minute - offset, seconds=second, microseconds=micros
    )


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def parse_number(value: str | None) -> float | None:
    """A finite double, or None when missing, unparseable or out of range."""
    text = trimmed(value)
    if text is None or NUMBER.fullmatch(text) is None:
        return None
    number = float(text.replace("_", ""))
    return number if math.isfinite(number) else None


@dataclass
class Classified:
    """The oracle's verdict on one input."""

    received: int = 0
    clean: list[tuple] = field(default_factory=list)  # parsed clean rows
    reasons: Counter = field(default_factory=Counter)  # rejection reason -> rows
    exact_duplicates: int = 0
    conflicting_duplicates: int = 0

    @property
    def rejected(self) -> int:
        return sum(self.reasons.values())

    @property
    def duplicates(self) -> int:
        return self.exact_duplicates + self.conflicting_duplicates


def _nulls_last(value: object) -> tuple:
    return (1, "") if value is None else (0, value)


def classify(
    rows: Sequence[tuple],
    check: callable,
    key: callable,
    order: callable,
) -> Classified:
    """SPEC 1, "Bad input": exact copies (equal raw text) beyond the first
    are dropped; every other row gets the first reason that applies
    (`check(row)` -> (reason or None, parsed)); among valid rows sharing a
    key (`key(parsed)`), the first by `order(parsed)` is clean and the rest
    are conflicting duplicates."""
    result = Classified(received=len(rows))
    seen: set[tuple] = set()
    valid: dict[object, list] = {}
    for row in rows:
        if row in seen:
            result.exact_duplicates += 1
            continue
        seen.add(row)
        reason, parsed = check(row)
        if reason is not None:
            result.reasons[reason] += 1
        else:
            valid.setdefault(key(parsed), []).append(parsed)
    for candidates in valid.values():
        candidates.sort(key=order)
        result.clean.append(candidates[0])
        result.conflicting_duplicates += len(candidates) - 1
    return result


def classify_events(rows: Iterable[tuple], now: dt.datetime) -> Classified:
    """Events: (event_id, occurred_at, customer_id, anonymous_id, event_type,
    channel, campaign_id, revenue) as text. A clean row's parsed form is the
    fct_events record: (event_id, occurred_at, customer_id, anonymous_id,
    event_type, channel, campaign_id, revenue)."""

    def check(row: tuple) -> tuple[str | None, tuple | None]:
        event_id, occurred_at, customer_id, anonymous_id, event_type, channel, campaign, revenue = (
            row
        )
        parsed = (
            trimmed(event_id),
            parse_timestamp(occurred_at),
            trimmed(customer_id),
            trimmed(anonymous_id),
            lowered(event_type),
            lowered(channel) or "unknown",
            trimmed(campaign),
            parse_number(revenue),
        )
        if parsed[0] is None:
            return "missing_event_id", None
        if parsed[1] is None:
            return "invalid_occurred_at", None
        if parsed[2] is None and parsed[3] is None:
            return "missing_identity", None
        if parsed[4] not in EVENT_TYPES:
            return "unknown_event_type", None
        if trimmed(revenue) is not None and (parsed[7] is None or parsed[7] < 0):
            return "invalid_revenue", None
        if parsed[1] > now + FUTURE_TOLERANCE:
            return "future_occurred_at", None
        return None, parsed

    def order(parsed: tuple) -> tuple:
        # (occurred_at, event_type, channel), then D14's tie-breakers
        return (
            parsed[1],
            parsed[4],
            parsed[5],
            _nulls_last(parsed[2]),
            _nulls_last(parsed[3]),
            _nulls_last(parsed[6]),
            _nulls_last(parsed[7]),
        )

    # Duplicates are resolved on the channel as received (base_events); the
    # rollup label is renamed after that, in staging (D190).
    result = classify(list(rows), check, key=lambda parsed: parsed[0], order=order)
    result.clean = [(*row[:5], rollup_safe(row[5]), *row[6:]) for row in result.clean]
    return result


def classify_customers(rows: Iterable[tuple]) -> Classified:
    """Customers: (customer_id, signed_up_at, segment, region) (D15)."""

    def check(row: tuple) -> tuple[str | None, tuple | None]:
        customer_id, signed_up_at, segment, region = row
        parsed = (
            trimmed(customer_id),
            parse_timestamp(signed_up_at),
            trimmed(segment) or "unknown",
            trimmed(region),
        )
        if parsed[0] is None:
            return "missing_customer_id", None
        if trimmed(signed_up_at) is not None and parsed[1] is None:
            return "invalid_signed_up_at", None
        return None, parsed

    def order(parsed: tuple) -> tuple:
        return (_nulls_last(parsed[1]), parsed[2], _nulls_last(parsed[3]))

    result = classify(list(rows), check, key=lambda parsed: parsed[0], order=order)
    result.clean = [(row[0], row[1], rollup_safe(row[2]), row[3]) for row in result.clean]
    return result


def classify_survey_responses(rows: Iterable[tuple]) -> Classified:
    """Survey responses: (response_id, customer_id, responded_at,
    survey_type, score, channel) (SPEC 1, D10)."""

    def check(row: tuple) -> tuple[str | None, tuple | None]:
        response_id, customer_id, responded_at, survey_type, score, channel = row
        parsed = (
            trimmed(response_id),
            trimmed(customer_id),
            parse_timestamp(responded_at),
            lowered(survey_type),
            parse_number(score),
            lowered(channel) or "unknown",
        )
        if parsed[0] is None:
            return "missing_response_id", None
        if parsed[2] is None:
            return "invalid_responded_at", None
        if parsed[1] is None:
            return "missing_identity", None
        if parsed[3] not in SURVEY_SCALES:
            return "invalid_survey_type", None
        low, high = SURVEY_SCALES[parsed[3]]
        if parsed[4] is None or not low <= parsed[4] <= high:
            return "score_out_of_range", None
        return None, parsed

    def order(parsed: tuple) -> tuple:
        return (parsed[2], parsed[3], parsed[5], parsed[1], parsed[4])

    result = classify(list(rows), check, key=lambda parsed: parsed[0], order=order)
    result.clean = [(*row[:5], rollup_safe(row[5])) for row in result.clean]
    return result
