"""Telephone prospecting (METHOD.md section 7): when calls reach people, and which calls book meetings.

Pure functions over :class:`~strategy_kit.data.SalesData` and a period: numbers and frames out, no
language and no file I/O (what a reader sees is :mod:`strategy_kit.narrative.outreach`).

Definitions (the report's appendix repeats them):

- **Calls**: activities of type ``call`` dated in the **window**, the twelve months ending on the
  period's last day (a quarter holds too few calls per slot). A call **reached** the person when
  its outcome is one of :data:`~strategy_kit.schema.CALL_REACHED`; it **booked a meeting** when its
  outcome is ``meeting_booked``; ``callback_requested`` counts as a callback. The totals (calls
  made, connect rate, meeting rate, callbacks) are the KPI registry's own, computed by
  :class:`~strategy_kit.kpis.KpiEngine` over the window; every breakdown here adds up to them.
- **Time of a call**: activities are dated in the client's time zone (``config.timezone``). When
  the call's account (its own ``account_id``, else its deal's) has a ``country`` that has one
  clock (every zone of the country keeps the same UTC offset all year), the call is placed in the
  prospect's time (``time_basis`` ``prospect``); otherwise, in the client's (``client``): a country
  with several clocks (United States, Spain with the Canaries...) is never guessed. Countries are
  read as ISO codes (``FR``) or as their French or English names (``France``, ``Allemagne``)
  (:func:`strategy_kit.timezones.country_zone`).
- **Slot**: weekday (1 Monday … 7 Sunday) × hour band (:data:`HOUR_BANDS`, the rest ``other``).
- **Rates** per cell with their Wilson 95 % interval (:func:`strategy_kit.stats.wilson_interval`);
  a cell with fewer than :data:`MIN_CALLS` calls has no rate nor interval (NaN, ``enough`` False):
  a handful of calls says nothing, and is never shown as 0 % or 100 %.
- **Best slots**: slots whose whole interval lies above the client's average rate (the KPI).
- **Experiment**: to tell a slot's rate ``p2 = p1 + d`` from the average ``p1`` (two-sided test of
  two proportions at significance α, power 1 − β), each arm needs
  ``n = (z₁₋α/₂ √(2 p̄ (1 − p̄)) + z₁₋β √(p1 (1 − p1) + p2 (1 − p2)))² / d²`` calls, p̄ = (p1 + p2) / 2,
  rounded up (:func:`calls_needed`).
- **Attempt**: the rank of a call among the calls to the same lead (``lead_id``, else the deal,
  ``deal_id``), ordered by time, counted over the whole history up to the period's end; calls
  with neither have no attempt number. **Give up** after attempt ``k − 1`` when attempt ``k`` is the
  first (from the 2nd) whose meeting rate is below :data:`GIVE_UP_SHARE` of the first call's, or
  that booked no meeting at all (its interval reaches 0), among attempts with enough calls.
- **Days since lead creation**: from the lead's ``created_at`` (the call's lead, else its deal's
  lead) to the call, in calendar days.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from strategy_kit.analytics.segmentation import accounts_table, analysis_window, segment_labels
from strategy_kit.availability import require_table
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.inputs.market import DEFAULT_KEYS
from strategy_kit.kpis import KpiEngine
from strategy_kit.kpis.arrays import encode, link
from strategy_kit.periods import Period
from strategy_kit.schema import CALL_REACHED
from strategy_kit.stats import wilson_interval
from strategy_kit.timezones import country_zone

MIN_CALLS = 20  # below it a cell has no rate ("too few calls")
HOUR_BANDS = ((8, 10), (10, 12), (12, 14), (14, 16), (16, 18))
OTHER_BAND = "other"
BAND_ORDER = (*(f"{a:02d}-{b:02d}" for a, b in HOUR_BANDS), OTHER_BAND)
# Call durations (seconds): (lowest, key); calls without a duration are "unknown".
DURATION_BANDS = ((0, "under_30s"), (30, "30s_2min"), (120, "2_5min"), (300, "5_10min"), (600, "over_10min"))
# Days from the lead's creation to the call: (lowest, key); without a lead date, "unknown".
LEAD_AGE_BANDS = ((0, "0_1"), (2, "2_7"), (8, "8_30"), (31, "31_90"), (91, "over_90"))
UNKNOWN = "unknown"
MAX_ATTEMPT = 6  # attempts from the 6th on are pooled ("6+")
GIVE_UP_SHARE = 0.5  # a further call pays off while it books at least half the first call's rate
DEFAULT_DIFFERENCE = 0.05  # the experiment detects 5 points
ALPHA = 0.05
POWER = 0.80
EXPERIMENT_SLOTS = 3
KPIS = ("calls_made", "call_connect_rate", "call_meeting_rate", "callbacks")

CALL_COLUMNS = [
    "activity_id",
    "at",
    "local_at",
    "zone",
    "time_basis",
    "weekday",
    "hour_band",
    "owner",
    "segment",
    "outcome",
    "reached",
    "meeting",
    "callback",
    "duration_seconds",
    "duration_band",
    "contact",
    "attempt",
    "attempt_band",
    "days_since_lead",
    "lead_age_band",
]
RATE_COLUMNS = [
    "calls",
    "reached",
    "meetings",
    "callbacks",
    "enough",
    "connect_rate",
    "connect_low",
    "connect_high",
    "meeting_rate",
    "meeting_low",
    "meeting_high",
]

# --------------------------------------------------------------------------- time zones


def local_times(at: pd.Series, client_zone: str, zones: pd.Series) -> pd.Series:
    """``at`` (naive, in ``client_zone``) as the wall-clock time of each row's zone (None: the client's).

    A time that does not exist or repeats at a daylight-saving change is read as the later clock."""
    local = at.copy()
    wanted = zones.where(zones.notna() & (zones != client_zone))
    for zone in wanted.dropna().unique():
        rows = wanted == zone
        aware = at[rows].dt.tz_localize(ZoneInfo(client_zone), ambiguous=False, nonexistent="shift_forward")
        local[rows] = aware.dt.tz_convert(ZoneInfo(str(zone))).dt.tz_localize(None)
    return local


def hour_band(hours: pd.Series) -> pd.Series:
    """The :data:`HOUR_BANDS` key of each hour (``08-10``...), ``other`` outside them."""
    out = pd.Series(OTHER_BAND, index=hours.index, dtype="object")
    for low, high in HOUR_BANDS:
        out[(hours >= low) & (hours < high)] = f"{low:02d}-{high:02d}"
    return out


def _band(values: pd.Series, bands: Sequence[tuple[float, str]]) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    edges = [low for low, _ in bands] + [math.inf]
    cut = pd.cut(numbers, bins=edges, right=False, labels=[key for _, key in bands])
    return cut.astype("object").where(cut.notna(), UNKNOWN)


# --------------------------------------------------------------------------- the calls


@dataclass(frozen=True)
class CallLog:
    """The calls of the window, one row each (columns :data:`CALL_COLUMNS`)."""

    calls: pd.DataFrame
    window: Period
    timezone: str  # the client's
    has_segments: bool
    has_attempts: bool
    has_lead_age: bool


def _ids(frame: pd.DataFrame, column: str) -> pd.Series:
    """The ids of ``column`` as text objects, None where missing (or without the column)."""
    if column not in frame:
        return pd.Series(None, index=frame.index, dtype="object")
    values = frame[column]
    return values.astype(str).astype("object").where(values.notna().to_numpy(), None)


def _mapped(values: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """``values.map(function)``, calling ``function`` once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = pd.Series(uniques, dtype=values.dtype).map(function)
    return pd.Series(mapped.array.take(codes), index=values.index)


def _looked_up(keys: pd.Series, table_keys: pd.Series, values: pd.Series) -> pd.Series:
    """``keys.map(pd.Series(values, index=table_keys))`` for unique text ``table_keys`` (looked
    up by Arrow, not through a pandas index): the value of each key's row, missing for none."""
    rows = link(table_keys.reset_index(drop=True), keys)
    array = values.array
    if isinstance(array, pd.arrays.NumpyExtensionArray):  # missing as Series.map writes it: NaN, NaT
        found = array.to_numpy()
        fill = np.datetime64("NaT") if found.dtype.kind in "mM" else np.nan
        return pd.Series(pd.api.extensions.take(found, rows, allow_fill=True, fill_value=fill), index=keys.index)
    return pd.Series(pd.api.extensions.take(array, rows, allow_fill=True), index=keys.index)


def _first_known(table: pd.DataFrame, key: str, column: str, keys: pd.Series) -> np.ndarray:
    """For each of ``keys``, the first non-missing ``column`` of the rows of ``table`` whose ``key``
    (as text) it is (``groupby(key).first()``); positions in ``table``, -1 for none."""
    known = np.flatnonzero((table[key].notna() & table[column].notna()).to_numpy())
    found = link(table[key].take(known).astype(str).reset_index(drop=True), keys)
    return np.where(found >= 0, known[np.maximum(found, 0)] if len(known) else -1, -1)


def _deal_column(data: SalesData, deal_ids: pd.Series, column: str) -> pd.Series:
    deals = data.tables.get("deals")
    if deals is None or column not in deals:
        return pd.Series(None, index=deal_ids.index, dtype="object")
    rows = _first_known(deals, "deal_id", column, deal_ids)
    values = deals[column].to_numpy(dtype=object)
    return pd.Series(
        np.where(rows >= 0, values[np.maximum(rows, 0)] if len(values) else np.nan, np.nan),
        index=deal_ids.index,
        dtype="object",
    )


def _any_label(accounts: pd.DataFrame, keys: Sequence[str]) -> bool:
    """Whether an account (its first row) has a segment label."""
    first = accounts[~accounts["account_id"].duplicated().to_numpy()]
    return bool(segment_labels(first, keys).notna().any())


def _in_time_order(history: pd.DataFrame) -> pd.DataFrame:
    """``history`` by time then activity id (missing last), a stable sort."""
    try:
        table = pa.table({"at": pa.array(history["at"].to_numpy()), "id": pa.array(history["activity_id"].array)})
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # ids of mixed kinds: pandas compares them
        return history.sort_values(["at", "activity_id"], kind="stable")
    order = pc.sort_indices(table, sort_keys=[("at", "ascending", "at_end"), ("id", "ascending", "at_end")])
    return history.take(order.to_numpy())


def _attempts(history: pd.DataFrame) -> np.ndarray:
    """The rank (1, 2...) of each call among the calls to its lead, else its deal, in time order
    (NaN: neither)."""
    codes = {}
    for column in ("lead_id", "deal_id"):
        codes[column] = np.full(len(history), -1, dtype=np.int64)
        if column in history:
            (codes[column],) = encode(history[column].astype(str))
    lead, deal = codes["lead_id"], codes["deal_id"]
    contact = np.where(lead >= 0, lead, np.where(deal >= 0, lead.max(initial=-1) + 1 + deal, -1))
    known = np.flatnonzero(contact >= 0)
    # rank within each contact: order the calls by contact (stable: in time within one), count from
    # the first call of each contact
    order = known[np.argsort(contact[known], kind="stable")]
    grouped = contact[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    attempt = np.full(len(history), np.nan)
    attempt[order] = np.arange(len(order)) - np.repeat(starts, sizes) + 1
    return attempt


def _contacts(calls: pd.DataFrame, missing: object) -> pd.Series:
    """``lead:<id>``, else ``deal:<id>``, else ``missing``."""
    found = np.full(len(calls), missing, dtype=object)
    for column, prefix in (("deal_id", "deal:"), ("lead_id", "lead:")):
        if column in calls:
            ids = calls[column]
            found = np.where(ids.notna().to_numpy(), (prefix + ids.astype(str)).to_numpy(dtype=object), found)
    return pd.Series(found, index=calls.index, dtype="object")


CALL_SOURCE_COLUMNS = ("activity_id", "at", "deal_id", "lead_id", "account_id", "owner", "outcome", "duration_seconds")


def call_log(data: SalesData, period: Period) -> CallLog:
    """The calls of the twelve months ending with ``period``; raises UnavailableError without any call."""
    activities = require_table(data, "activities")
    window = analysis_window(period)
    end = pd.Timestamp(window.end) + pd.Timedelta(days=1)
    at = activities["at"]
    is_call = activities["type"].eq("call").fillna(False).to_numpy(dtype=bool)
    history = activities.loc[
        is_call & (at.notna() & (at < end)).to_numpy(), [c for c in CALL_SOURCE_COLUMNS if c in activities]
    ]
    if history.empty:
        raise UnavailableError("outreach.unavailable.no_calls", client=data.config.client)
    history = _in_time_order(history)
    # Attempts: rank among the calls to the same lead (else deal), over the history up to the end.
    attempt = pd.Series(_attempts(history), index=history.index)
    calls = history[(history["at"] >= pd.Timestamp(window.start)).to_numpy()]
    rows = calls.index
    deal_ids, lead_ids = _ids(calls, "deal_id"), _ids(calls, "lead_id")
    # neither: NaN as a text column writes it, None when no call of the history names a deal
    contact = _contacts(calls, np.nan if "deal_id" in history and history["deal_id"].notna().any() else None)

    account_ids = _ids(calls, "account_id")
    account_ids = account_ids.where(account_ids.notna(), _deal_column(data, deal_ids, "account_id"))
    zones = pd.Series(None, index=rows, dtype="object")
    segments = pd.Series(None, index=rows, dtype="object")
    has_segments = False
    if data.has("accounts"):
        accounts = accounts_table(data)
        # the accounts' first rows (drop_duplicates), looked up by Arrow
        keys = tuple(k for k in DEFAULT_KEYS if k in accounts and accounts[k].notna().any())  # available_keys
        needed = pd.unique(link(accounts["account_id"], account_ids))
        needed = np.sort(needed[needed >= 0])
        by_id = accounts.take(needed).set_index("account_id")
        by_key = by_id.index.to_series().reset_index(drop=True)
        if "country" in by_id:
            country = _looked_up(account_ids, by_key, by_id["country"])
            to_zone = lambda c: country_zone(str(c)) if pd.notna(c) else None  # noqa: E731
            zones = (
                country.map(to_zone) if isinstance(country.dtype, pd.CategoricalDtype) else _mapped(country, to_zone)
            )
        if keys:
            has_segments = True
            labels = pd.Series(segment_labels(by_id, keys).to_numpy(), index=by_id.index)
            if not labels.notna().any() and _any_label(accounts, keys):
                labels = labels.astype("str")  # as the labels of every account would be typed
            segments = _looked_up(account_ids, by_key, labels)
    client_zone = data.config.timezone
    local = local_times(calls["at"], client_zone, zones)

    lead_of_call = lead_ids.where(lead_ids.notna(), _deal_column(data, deal_ids, "lead_id"))
    lead_created = pd.Series(pd.NaT, index=rows, dtype="datetime64[ns]")
    leads = data.tables.get("leads")
    if leads is not None and "created_at" in leads and leads["created_at"].notna().any():
        first = _first_known(leads, "lead_id", "created_at", lead_of_call)
        created = leads["created_at"].to_numpy(dtype="datetime64[ns]")
        lead_created = pd.Series(
            np.where(first >= 0, created[np.maximum(first, 0)], np.datetime64("NaT", "ns")), index=rows
        )
    days = (calls["at"].dt.normalize() - lead_created.dt.normalize()).dt.days

    outcome = calls["outcome"].astype("object") if "outcome" in calls else pd.Series(None, index=rows)
    duration = calls["duration_seconds"] if "duration_seconds" in calls else pd.Series(np.nan, index=rows)
    attempts = attempt[rows]
    frame = pd.DataFrame(
        {
            "activity_id": calls["activity_id"].astype(str),
            "at": calls["at"],
            "local_at": local,
            "zone": zones.where(zones.notna(), client_zone),
            "time_basis": np.where(zones.notna() & (zones != client_zone), "prospect", "client"),
            "weekday": local.dt.day_of_week + 1,
            "hour_band": hour_band(local.dt.hour),
            "owner": calls["owner"].astype("object") if "owner" in calls else None,
            "segment": segments,
            "outcome": outcome,
            "reached": outcome.isin(CALL_REACHED),
            "meeting": outcome == "meeting_booked",
            "callback": outcome == "callback_requested",
            "duration_seconds": pd.to_numeric(duration, errors="coerce").astype("float64"),
            "duration_band": _band(duration, DURATION_BANDS),
            "contact": contact,
            "attempt": attempts.astype("Int64"),
            "attempt_band": _mapped(attempts, lambda a: None if pd.isna(a) else str(min(int(a), MAX_ATTEMPT))),
            "days_since_lead": days.astype("Int64"),
            "lead_age_band": _band(days.where(days >= 0), LEAD_AGE_BANDS),
        },
        index=rows,
    ).reset_index(drop=True)
    frame.loc[frame["attempt_band"] == str(MAX_ATTEMPT), "attempt_band"] = f"{MAX_ATTEMPT}+"
    return CallLog(
        calls=frame[CALL_COLUMNS],
        window=window,
        timezone=client_zone,
        has_segments=has_segments and bool(frame["segment"].notna().any()),
        has_attempts=bool(frame["attempt"].notna().any()),
        has_lead_age=bool(frame["days_since_lead"].notna().any()),
    )


# --------------------------------------------------------------------------- rates


def rate_table(calls: pd.DataFrame, by: Sequence[str], min_calls: int = MIN_CALLS) -> pd.DataFrame:
    """Calls, reached, meetings, callbacks and both rates with their Wilson 95 % interval, per group
    of ``by`` (columns ``by`` + :data:`RATE_COLUMNS`). Rows whose ``by`` value is missing form no
    group. A group with fewer than ``min_calls`` calls has ``enough`` False and NaN rates."""
    keys = list(by)
    grouped = calls.dropna(subset=keys).groupby(keys, sort=True, observed=True)
    table = grouped.agg(
        calls=("activity_id", "size"),
        reached=("reached", "sum"),
        meetings=("meeting", "sum"),
        callbacks=("callback", "sum"),
    ).reset_index()
    for column in ("calls", "reached", "meetings", "callbacks"):
        table[column] = table[column].astype("int64")
    table["enough"] = table["calls"] >= min_calls
    for name, successes in (("connect", "reached"), ("meeting", "meetings")):
        low, high = wilson_interval(table[successes], table["calls"])
        keep = table["enough"].to_numpy()
        table[f"{name}_rate"] = np.where(keep, table[successes] / table["calls"].where(table["calls"] > 0), np.nan)
        table[f"{name}_low"] = np.where(keep, low, np.nan)
        table[f"{name}_high"] = np.where(keep, high, np.nan)
    return table[[*keys, *RATE_COLUMNS]]


def slot_table(calls: pd.DataFrame, min_calls: int = MIN_CALLS) -> pd.DataFrame:
    """:func:`rate_table` by ``weekday`` × ``hour_band``, in calendar and band order."""
    table = rate_table(calls, ["weekday", "hour_band"], min_calls)
    order = {band: i for i, band in enumerate(BAND_ORDER)}
    table = table.sort_values(["weekday", "hour_band"], key=lambda s: s.map(order) if s.name == "hour_band" else s)
    return table.reset_index(drop=True)


def _ordered(table: pd.DataFrame, column: str, order: Sequence[str]) -> pd.DataFrame:
    rank = {key: i for i, key in enumerate(order)}
    return table.sort_values(column, key=lambda s: s.map(rank)).reset_index(drop=True)


# --------------------------------------------------------------------------- best time and experiment


def best_slots(slots: pd.DataFrame, average: float | None, rate: str = "connect") -> pd.DataFrame:
    """The slots whose whole ``rate`` interval (``connect`` or ``meeting``) lies above ``average``,
    best first; empty when none does (or without an average)."""
    if average is None or slots.empty:
        return slots.iloc[0:0]
    found = slots[slots["enough"] & (slots[f"{rate}_low"] > average)]
    return found.sort_values(f"{rate}_rate", ascending=False).reset_index(drop=True)


def calls_needed(
    baseline: float, difference: float = DEFAULT_DIFFERENCE, alpha: float = ALPHA, power: float = POWER
) -> int:
    """Calls each arm needs to tell ``baseline + difference`` from ``baseline`` (two-sided test of
    two proportions, significance ``alpha``, ``power``):
    ``n = (z(1−α/2)·√(2·p̄·(1−p̄)) + z(power)·√(p1·(1−p1) + p2·(1−p2)))² / (p2 − p1)²``,
    p1 = baseline, p2 = baseline + difference (capped below 1), p̄ = (p1 + p2) / 2, rounded up."""
    if not 0 < difference < 1 or not 0 <= baseline < 1:
        raise ValueError(f"baseline must be in [0, 1) and difference in (0, 1), got {baseline}, {difference}")
    p1, p2 = baseline, min(baseline + difference, 1 - 1e-9)
    mean = (p1 + p2) / 2
    normal = NormalDist()
    z_alpha, z_power = normal.inv_cdf(1 - alpha / 2), normal.inv_cdf(power)
    spread = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(spread**2 / (p2 - p1) ** 2 - 1e-9)


@dataclass(frozen=True)
class Experiment:
    """Slots to try against the average, and the calls each needs to show a difference."""

    rate: str  # connect | meeting
    baseline: float  # the client's average rate (the KPI)
    difference: float  # in rate points (0.05: 5 points)
    alpha: float
    power: float
    calls_per_slot: int
    slots: pd.DataFrame  # weekday, hour_band, calls, <rate>_rate, enough, weeks_needed


def experiment(
    slots: pd.DataFrame,
    baseline: float,
    window_days: int,
    rate: str = "connect",
    difference: float = DEFAULT_DIFFERENCE,
    count: int = EXPERIMENT_SLOTS,
) -> Experiment:
    """The ``count`` slots most worth testing: those with enough calls and the highest rate, not yet
    credibly above the average (then the busiest slots with too few calls), within the hour bands
    (not ``other``, which spans the evening and early morning); with the calls each
    needs (:func:`calls_needed`) and the weeks that takes at the slot's current pace (NaN: no call)."""
    credible = set(map(tuple, best_slots(slots, baseline, rate)[["weekday", "hour_band"]].to_numpy()))
    open_slots = slots[[(w, b) not in credible for w, b in zip(slots["weekday"], slots["hour_band"])]]
    open_slots = open_slots[open_slots["hour_band"] != OTHER_BAND]
    measured = open_slots[open_slots["enough"]].sort_values(f"{rate}_rate", ascending=False)
    thin = open_slots[~open_slots["enough"]].sort_values("calls", ascending=False)
    chosen = pd.concat([measured, thin]).head(count)
    needed = calls_needed(baseline, difference)
    weeks = max(window_days, 1) / 7
    shown = chosen[["weekday", "hour_band", "calls", f"{rate}_rate", "enough"]].copy()
    pace = shown["calls"] / weeks
    shown["weeks_needed"] = np.where(pace > 0, np.ceil(needed / pace.where(pace > 0)), np.nan)
    return Experiment(rate, baseline, difference, ALPHA, POWER, needed, shown.reset_index(drop=True))


# --------------------------------------------------------------------------- attempts


@dataclass(frozen=True)
class GiveUp:
    """When another call to the same lead stops paying off (module docstring)."""

    after: int | None  # give up after this many calls (None: no attempt stops paying off in the data)
    reason: str  # below_share | no_meeting | keeps_paying | too_few
    first_rate: float | None  # meeting rate of the first calls
    rate: float | None  # meeting rate of the attempt that stops paying off
    share: float = GIVE_UP_SHARE


def give_up(attempts: pd.DataFrame, share: float = GIVE_UP_SHARE) -> GiveUp:
    """The give-up rule over :func:`rate_table` by ``attempt_band`` (rows ``1``, ``2``... ``6+``)."""
    rows = {str(band): row for band, row in zip(attempts["attempt_band"], attempts.itertuples())}
    first = rows.get("1")
    if first is None or not first.enough or not first.meetings:
        return GiveUp(None, "too_few", None if first is None else _float(first.meeting_rate), None, share)
    first_rate = float(first.meeting_rate)
    measured = False
    for number in range(2, MAX_ATTEMPT + 1):
        row = rows.get(str(number) if number < MAX_ATTEMPT else f"{MAX_ATTEMPT}+")
        if row is None or not row.enough:  # too few calls at this attempt to judge it: the next one
            continue
        measured = True
        if row.meetings == 0:
            return GiveUp(number - 1, "no_meeting", first_rate, 0.0, share)
        if row.meeting_rate < share * first_rate:
            return GiveUp(number - 1, "below_share", first_rate, float(row.meeting_rate), share)
    return GiveUp(None, "keeps_paying" if measured else "too_few", first_rate, None, share)


def _float(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the whole analysis


@dataclass(frozen=True)
class CallAnalysis:
    """Every figure of the call analysis for one period (tables: :func:`rate_table` columns)."""

    window: Period
    timezone: str
    calls: int  # calls_made over the window (KPI)
    connect_rate: float | None  # call_connect_rate (KPI)
    meeting_rate: float | None  # call_meeting_rate (KPI)
    callbacks: int | None  # callbacks (KPI)
    prospect_time_calls: int  # calls placed in the prospect's time zone
    slots: pd.DataFrame  # weekday, hour_band + RATE_COLUMNS
    reps: pd.DataFrame | None  # owner + RATE_COLUMNS (None: calls carry no owner)
    segments: pd.DataFrame | None  # segment + RATE_COLUMNS (None: no accounts, sector or size)
    attempts: pd.DataFrame | None  # attempt_band + RATE_COLUMNS (None: calls name no lead nor deal)
    durations: pd.DataFrame | None  # duration_band + RATE_COLUMNS (None: no duration recorded)
    lead_ages: pd.DataFrame | None  # lead_age_band + RATE_COLUMNS (None: no lead creation date)
    best_connect: pd.DataFrame  # best_slots on connect rate
    best_meeting: pd.DataFrame  # best_slots on meeting rate
    experiment: Experiment | None  # None: no average connect rate, or one too close to 100 % to beat
    give_up: GiveUp | None  # None: no attempts
    unavailable: dict[str, str] = field(default_factory=dict)  # KPI id -> reason (English)


def call_totals(data: SalesData, window: Period) -> tuple[dict[str, float | int | None], dict[str, str]]:
    """The outreach KPIs of the registry over ``window``: values and unavailable reasons."""
    result = KpiEngine(data).compute(window, kpis=list(KPIS))
    return dict(result.values), dict(result.unavailable)


def call_analysis(
    data: SalesData, period: Period, min_calls: int = MIN_CALLS, difference: float = DEFAULT_DIFFERENCE
) -> CallAnalysis:
    """The call analysis of ``period`` (its twelve-month window); raises UnavailableError without
    calls, or when no call has an outcome (the registry's connect rate is then unavailable)."""
    log = call_log(data, period)
    calls = log.calls
    values, unavailable = call_totals(data, log.window)
    if "call_connect_rate" in unavailable:  # no call outcome recorded: no rate is 0, none is known
        raise UnavailableError("outreach.unavailable.no_outcomes", client=data.config.client)
    connect = _float(values.get("call_connect_rate"))
    meeting = _float(values.get("call_meeting_rate"))
    slots = slot_table(calls, min_calls)
    reps = rate_table(calls, ["owner"], min_calls) if calls["owner"].notna().any() else None
    segments = rate_table(calls, ["segment"], min_calls) if log.has_segments else None
    attempts = None
    if log.has_attempts:
        attempts = rate_table(calls, ["attempt_band"], min_calls)
        attempts = _ordered(attempts, "attempt_band", [*map(str, range(1, MAX_ATTEMPT)), f"{MAX_ATTEMPT}+"])
    durations = None
    if calls["duration_seconds"].notna().any():
        durations = _ordered(
            rate_table(calls, ["duration_band"], min_calls), "duration_band", [k for _, k in DURATION_BANDS] + [UNKNOWN]
        )
    lead_ages = None
    if log.has_lead_age:
        lead_ages = _ordered(
            rate_table(calls, ["lead_age_band"], min_calls), "lead_age_band", [k for _, k in LEAD_AGE_BANDS] + [UNKNOWN]
        )
    window_days = (log.window.end - log.window.start).days + 1
    return CallAnalysis(
        window=log.window,
        timezone=log.timezone,
        calls=int(values.get("calls_made") or 0),
        connect_rate=connect,
        meeting_rate=meeting,
        callbacks=None if values.get("callbacks") is None else int(values["callbacks"] or 0),
        prospect_time_calls=int((calls["time_basis"] == "prospect").sum()),
        slots=slots,
        reps=reps,
        segments=segments,
        attempts=attempts,
        durations=durations,
        lead_ages=lead_ages,
        best_connect=best_slots(slots, connect, "connect"),
        best_meeting=best_slots(slots, meeting, "meeting"),
        experiment=(
            experiment(slots, connect, window_days, "connect", difference)
            if connect is not None and connect + difference < 1
            else None
        ),
        give_up=None if attempts is None else give_up(attempts),
        unavailable=unavailable,
    )
