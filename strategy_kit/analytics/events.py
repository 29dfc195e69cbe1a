"""Trigger events (METHOD.md section 7): which accounts to call now, and whether it pays.

An account event (a fundraising, a new executive, an acquisition... the ``events`` table) within
``window_days`` before a date makes a call to that account timely: :func:`recent_events` lists
those accounts with their latest event and its age, for the call list's "why call now".

Where the history has events, :func:`event_uplift` measures whether the calls made to an account
within the window after one of its events book meetings more often than the other calls: the two
meeting rates with their Wilson intervals and the difference with Newcombe's interval (the
hybrid score interval built from the two Wilson intervals). Overlapping intervals mean no
measurable difference; with no events at all, the rule stays the strategist's assumption.

Windows count whole days: an event on day ``d`` covers the days ``d`` to ``d + window_days``
included, so an event exactly ``window_days`` days before the as-of date still counts.
Numbers only; words are :mod:`strategy_kit.narrative.events`' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis.arrays import encode
from strategy_kit.stats import finite_or_none, wilson_interval

DEFAULT_WINDOW_DAYS = 30
MEETING_OUTCOME = "meeting_booked"
RECENT_COLUMNS = ("account_id", "type", "date", "source", "description", "age_days", "events_in_window")
# What the comparison concluded (the narrative words each one).
NO_EVENTS, NO_CALLS, NO_DIFFERENCE, HIGHER, LOWER = "no_events", "no_calls", "no_difference", "higher", "lower"


@dataclass(frozen=True)
class RateEstimate:
    """Meetings booked out of calls, with the 95 % Wilson interval (None without calls)."""

    calls: int
    meetings: int
    rate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class EventUplift:
    """Meeting rate of the calls made within ``window_days`` after an account event vs the other calls.

    ``events``: events in the history up to the as-of date; ``accounts``: accounts that have one.
    ``difference`` = after.rate - other.rate, with Newcombe's 95 % interval; ``verdict`` is one of
    ``no_events`` (the rule is the strategist's assumption), ``no_calls`` (a group has no call),
    ``no_difference`` (the two Wilson intervals overlap), ``higher`` or ``lower``.
    """

    window_days: int
    events: int
    accounts: int
    after: RateEstimate
    other: RateEstimate
    difference: float | None
    difference_low: float | None
    difference_high: float | None
    verdict: str

    @property
    def measured(self) -> bool:
        """True when the history tells the two groups apart (intervals that do not overlap)."""
        return self.verdict in (HIGHER, LOWER)


def _events_table(data: SalesData | pd.DataFrame) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    return data.require("events")


def _days(values: pd.Series) -> np.ndarray:
    """Calendar day numbers (days since 1970-01-01) of timestamps; NaT -> a very negative number."""
    stamps = pd.to_datetime(values)
    days = stamps.dt.normalize().to_numpy(dtype="datetime64[D]").astype(np.int64)
    return np.where(stamps.isna().to_numpy(), np.iinfo(np.int64).min // 2, days)


def recent_events(
    data: SalesData | pd.DataFrame, as_of: date | None = None, window_days: int | None = None
) -> pd.DataFrame:
    """Accounts with an event within ``window_days`` before ``as_of`` (both days included).

    ``as_of`` defaults to the data's last day and ``window_days`` to the client's
    ``events.window_days`` (30) when ``data`` is the client's data; with a bare events frame,
    ``as_of`` is required and the window defaults to 30 days.

    One row per account, its latest event in the window (ties: the first listed), most recent
    first, then by account: columns ``account_id``, ``type``, ``date``, ``source``,
    ``description`` (missing when the table lacks them), ``age_days`` (whole days from the
    event to ``as_of``: 0 on the day) and ``events_in_window`` (the account's events in the
    window). Events after ``as_of`` are left out. ``data``: the client's data (the ``events``
    table, :class:`UnavailableError` without it) or an events frame.
    """
    events = _events_table(data)
    if isinstance(data, SalesData):
        as_of = as_of or data.last_day()
        window_days = data.config.events_window_days if window_days is None else window_days
    if as_of is None:
        raise ValueError("recent_events needs as_of with an events frame (or the client's data)")
    window_days = DEFAULT_WINDOW_DAYS if window_days is None else window_days
    frame = pd.DataFrame({column: events.get(column, pd.NA) for column in RECENT_COLUMNS[:5]})
    frame = frame.dropna(subset=["account_id", "date"])
    as_of_day = (pd.Timestamp(as_of).normalize() - pd.Timestamp(0)).days
    frame["age_days"] = as_of_day - _days(frame["date"])
    frame = frame[(frame["age_days"] >= 0) & (frame["age_days"] <= window_days)]
    counts = frame.groupby("account_id", sort=False)["age_days"].transform("size")
    frame = frame.assign(events_in_window=counts.astype("int64"))
    frame = frame.sort_values(["age_days", "account_id"], kind="stable")
    frame = frame.drop_duplicates("account_id", keep="first").reset_index(drop=True)
    frame["age_days"] = frame["age_days"].astype("int64")
    return frame.loc[:, list(RECENT_COLUMNS)]


def calls_after_events(
    activities: pd.DataFrame, events: pd.DataFrame, window_days: int = DEFAULT_WINDOW_DAYS, as_of: date | None = None
) -> pd.DataFrame:
    """The calls the comparison counts, each marked ``after_event`` and ``meeting``.

    Calls are activities of type ``call`` with an outcome (a planned call has none) and an
    ``account_id``, up to ``as_of`` (included) when given. ``after_event``: an event of the same
    account falls 0 to ``window_days`` days before the call's day. Columns: ``account_id``,
    ``at``, ``outcome``, ``after_event``, ``meeting``.
    """
    needed = {"type", "at", "outcome", "account_id"}
    if not needed <= set(activities.columns):
        missing = ", ".join(sorted(needed - set(activities.columns)))
        raise UnavailableError("events.unavailable.calls", columns=missing)
    calls = activities.loc[
        (activities["type"] == "call") & activities["outcome"].notna() & activities["account_id"].notna(),
        ["account_id", "at", "outcome"],
    ]
    if as_of is not None:
        calls = calls[calls["at"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)]
    calls = calls.reset_index(drop=True)
    call_day = _days(calls["at"])
    dated = events.dropna(subset=["account_id", "date"])
    after = np.zeros(len(calls), dtype=bool)
    if len(dated) and len(calls):
        # For each call, the latest event of its account on or before the call's day.
        # the accounts as integer codes shared by the calls and the events
        call_key, event_key = encode(calls["account_id"].astype(str), dated["account_id"].astype(str))
        span = np.int64(1 << 32)
        event_code = np.sort(event_key * span + (_days(dated["date"]) + (1 << 31)))
        call_code = call_key * span + (call_day + (1 << 31))
        position = np.searchsorted(event_code, call_code, side="right") - 1
        found = position >= 0
        latest = event_code[np.maximum(position, 0)]
        same_account = found & (latest // span == call_key)
        age = call_code - latest
        after = same_account & (age >= 0) & (age <= window_days)
    return calls.assign(after_event=after, meeting=(calls["outcome"] == MEETING_OUTCOME).to_numpy())


def _estimate(meetings: int, calls: int) -> RateEstimate:
    low, high = wilson_interval(meetings, calls)
    rate = meetings / calls if calls else None
    return RateEstimate(calls, meetings, rate, finite_or_none(low), finite_or_none(high))


def newcombe_interval(after: RateEstimate, other: RateEstimate) -> tuple[float | None, float | None]:
    """Newcombe's hybrid score interval for after.rate - other.rate, from the two Wilson intervals
    (Newcombe 1998, method 10): d - sqrt((p1-l1)^2 + (u2-p2)^2), d + sqrt((u1-p1)^2 + (p2-l2)^2)."""
    if after.rate is None or other.rate is None:
        return None, None
    assert after.low is not None and after.high is not None and other.low is not None and other.high is not None
    difference = after.rate - other.rate
    below = np.sqrt((after.rate - after.low) ** 2 + (other.high - other.rate) ** 2)
    above = np.sqrt((after.high - after.rate) ** 2 + (other.rate - other.low) ** 2)
    return float(difference - below), float(difference + above)


def event_uplift(data: SalesData, window_days: int | None = None, as_of: date | None = None) -> EventUplift:
    """Do calls made within the window after an account event book meetings more often?

    ``window_days`` defaults to the client's ``events.window_days`` (30); ``as_of`` (default:
    the data's last day) bounds the events and calls counted. Needs the activities (calls with
    outcomes and accounts); without an ``events`` table, or with no event up to ``as_of``, the
    verdict is ``no_events`` and the rates are those of all calls (``after`` has no call).
    """
    window = data.config.events_window_days if window_days is None else window_days
    as_of = as_of or data.last_day()
    activities = data.require("activities")
    events = data.tables.get("events")
    if events is None:
        events = pd.DataFrame({"account_id": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]")})
    if as_of is not None:
        events = events[events["date"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)]
    events = events.dropna(subset=["account_id", "date"])
    calls = calls_after_events(activities, events, window, as_of)
    return uplift_of_calls(calls, window, events=len(events), accounts=int(events["account_id"].nunique()))


def uplift_of_calls(calls: pd.DataFrame, window_days: int, events: int, accounts: int) -> EventUplift:
    """The comparison on calls already marked by :func:`calls_after_events`."""
    after_mask = calls["after_event"].to_numpy(dtype=bool)
    meeting = calls["meeting"].to_numpy(dtype=bool)
    after = _estimate(int(meeting[after_mask].sum()), int(after_mask.sum()))
    other = _estimate(int(meeting[~after_mask].sum()), int((~after_mask).sum()))
    low, high = newcombe_interval(after, other)
    difference = after.rate - other.rate if after.rate is not None and other.rate is not None else None
    if events == 0:
        verdict = NO_EVENTS
    elif after.calls == 0 or other.calls == 0:
        verdict = NO_CALLS
    else:
        assert after.low is not None and after.high is not None and other.low is not None and other.high is not None
        if after.low > other.high:
            verdict = HIGHER
        elif after.high < other.low:
            verdict = LOWER
        else:
            verdict = NO_DIFFERENCE
    return EventUplift(window_days, events, accounts, after, other, difference, low, high, verdict)
