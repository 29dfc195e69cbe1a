"""The customer journey (METHOD.md section 1, "analysez le parcours client"): how deals move
through the client's ordered stages in a period, how long they stay, what reps do at each stage,
where and why deals are lost, and how all this differs by owner, source, product, segment and
region.

Pure functions: a :class:`~strategy_kit.data.SalesData` and a
:class:`~strategy_kit.periods.Period` in, DataFrames and dataclasses out; no I/O, no printing.
:class:`Journey` prepares once what every period needs (the stage entries of every deal, when
each stay ended, the stage of every activity), so a notebook asking for the funnel, the times and
the activity mix of a quarter does the heavy work once; the module-level functions
(:func:`funnel`, :func:`time_in_stage`...) are one-call shortcuts. It builds on the KPI engine's
preparation (:class:`strategy_kit.kpis.prepared.Prepared`: the deals, activities and stage history
as arrays, undated rows bounded by the deal's dated ones), so both read the history the same way;
``Journey(data, prepared=KpiEngine(data).prepared)`` shares one preparation between them.

Definitions (they agree with KPIS.md ``stage_conversion`` and ``time_in_stage_days``):

- **Entered a stage in P**: the deal's stage history has a row for the stage whose ``entered_at``
  is in P (a deal entering the same stage twice in P counts once, at its first entry; the same
  stage recorded twice in a row is one stay). Inferred history rows that carry a date (the first
  stage of a deal with no recorded row gets its ``created_at``, the last stage of a won deal its
  ``closed_at``) are used like recorded ones. An inferred row *without* a date (a stage passed
  without a recorded date, docs/data-model.md) is bounded by the deal's dated rows: entered not
  before its creation and its first dated entry into any earlier stage, not after its first
  dated entry into any later stage and its close. When both bounds fall in P it entered in P;
  when they straddle an edge of P it cannot be placed: it is left out of the funnel and counted
  per stage in the column ``undated`` (and in ``left_out``); when both fall outside P it did not
  enter in P. (The same rules as ``strategy_kit.kpis``.)
- **Outcome** of a deal at a stage, followed to the end of the data: it *moved on* (KPIS.md
  ``stage_conversion``'s numerator) when it was won or entered any later stage of the ordered
  list at or after that entry (an undated later row counts: it was inferred from the deal going
  further); it *reached the next stage* when its history has a row for the next stage of the list
  or it was won (the same as moving on once the import has completed the history, since a deal
  that skipped a stage is taken to have passed it). A deal that did not move on was *lost there*
  (status lost) or is *still there* (open).
- **Conversion** of a stage = moved on / entered (KPIS.md ``stage_conversion``); **next-step
  conversion** = reached the next stage / entered (HubSpot's "next step"); **cumulative
  conversion** of stage *i* = the product of the conversions of the stages before it: the share
  of the deals entering the first stage that get at least as far as stage *i* at the period's
  rates (HubSpot's "cumulative"; 100 % for the first stage); **drop-off** = 1 − conversion (lost
  there or still there). A rate whose denominator is empty is missing (NaN in tables, None in
  dataclass fields), shown as "–", never 0.
- **Time in a stage**: calendar days (date of leaving − date of entering) from entering the
  stage to the deal's next dated stage entry, over the stays that ended in P (KPIS.md
  ``time_in_stage_days``). A stay whose length is unknown is left out and counted: a dated stay
  followed by stages passed without a date (the time cannot be split between them), or a stay
  that began without a date and ended, at the latest, with a dated entry in P. Median, P75
  and P90 use numpy's default (linear) percentiles, so the median is the ordinary median. The
  **sales cycle** is ``closed_at − created_at`` in calendar days over the deals won in P
  (KPIS.md ``sales_cycle_days``). Both are compared with the previous period of the same length
  (:func:`previous_period`).
- **Activities at a stage**: an activity about a deal (``deal_id``) belongs to the stage the deal
  was in at the activity's time: its latest dated stage entry at or before ``at``. Activities
  before the deal's first dated entry, after it was closed, or during a stay followed by stages
  passed without a date are left out and counted. All directions count (an inbound call is part
  of the exchange at that stage). The activity mix of a stage in P covers the deals that entered
  it in P with a dated entry (an undated stay holds no activity), over their whole stay there.
- **Where deals are lost**: deals lost in P (status lost, ``closed_at`` in P) by the stage they
  were in when lost (their ``stage``, else their furthest stage in the history) and
  ``lost_reason``.
- **Cohorts**: deals created in a month; share won within 30, 60 and 90 days of creation. A
  month whose last deal's window ends after the last day of the data is incomplete for that
  horizon: its share is missing and flagged, not shown as a low rate.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import NoReturn

import numpy as np
import pandas as pd

from strategy_kit.availability import require_deal_column, require_deals, require_table
from strategy_kit.data import SalesData
from strategy_kit.errors import ConfigError, UnavailableError
from strategy_kit.kpis.arrays import DAY_NS, NO_TIME, link
from strategy_kit.kpis.prepared import OUTCOME_COUNT, Prepared
from strategy_kit.narrative import Finding
from strategy_kit.i18n import (
    MISSING, format_integer, format_month, format_number, format_percent, label,
)
from strategy_kit.periods import Period
from strategy_kit.schema import ACTIVITY_TYPES

# Activity types shown per stage; task and other are pooled as "other".
MIX_TYPES = ("call", "email", "meeting", "linkedin", "other")
OUTCOMES = ("advanced", "not_advanced")
MIN_DEALS = 5  # groups with fewer deals are shown but never compared or named in the narrative
MIN_CHANGE_SHARE = 0.15  # a median moving by less than this share (or less than a day) is "stable"
HORIZONS = (30, 60, 90)
COHORT_MONTHS = 12
TOP_REASONS = 3  # lost reasons named per stage in the lost-reasons table
MAX_STAGES = 62  # stages are kept as bits of one 64-bit integer per deal
SALES_CYCLE = "sales_cycle"  # the row of the time table holding the whole cycle (created -> won)
UNKNOWN = "unknown"  # group of deals lacking the breakdown's attribute; stage of a lost deal not placed

_NAT = NO_TIME  # NaT as an int64 nanosecond count

# How each column of the tables below is written in a report (kinds of strategy_kit.i18n.FORMATTERS).
COLUMN_KINDS: dict[str, str] = {
    "stage": "text", "label": "text", "entered": "integer", "reached_next": "integer",
    "advanced": "integer", "won": "integer", "lost": "integer", "still_open": "integer",
    "drop_off": "integer", "undated": "integer", "next_step_conversion": "percent",
    "conversion": "percent", "cumulative_conversion": "percent", "drop_off_rate": "percent",
    "lost_rate": "percent", "deals": "integer", "median": "number", "p75": "number", "p90": "number",
    "left_out": "integer", "previous_deals": "integer", "previous_median": "number", "change": "number",
    "trend": "text", "activities": "integer", "total": "number", "outcome": "text",
    **{activity_type: "number" for activity_type in MIX_TYPES},
    "share_of_lost": "percent", "main_reasons": "text", "reason": "text", "group": "text",
    "closed": "integer", "win_rate": "percent", "weakest_stage": "text", "weakest_conversion": "percent",
    "team_conversion": "percent", "month": "month", "won_to_date": "percent",
    **{f"won_{days}d": "percent" for days in HORIZONS},
}


# The columns each table shows in a report, with their header label keys.
FUNNEL_COLUMNS: dict[str, str] = {
    "label": "journey.column.stage", "entered": "journey.column.entered", "advanced": "journey.column.advanced",
    "lost": "journey.column.lost", "still_open": "journey.column.still_open",
    "next_step_conversion": "journey.column.next_step_conversion", "conversion": "journey.column.conversion",
    "cumulative_conversion": "journey.column.cumulative_conversion",
    "drop_off_rate": "journey.column.drop_off_rate",
}
TIME_COLUMNS: dict[str, str] = {
    "label": "journey.column.stage", "deals": "journey.column.stays", "median": "journey.column.median",
    "p75": "journey.column.p75", "p90": "journey.column.p90", "previous_median": "journey.column.previous_median",
    "change": "journey.column.change", "trend": "journey.column.trend",
}
LOST_COLUMNS: dict[str, str] = {
    "label": "journey.column.stage", "lost": "journey.column.lost_deals",
    "share_of_lost": "journey.column.share_of_lost", "main_reasons": "journey.column.main_reasons",
}
COHORT_COLUMNS: dict[str, str] = {
    "month": "journey.column.month", "deals": "journey.column.created",
    **{f"won_{days}d": f"journey.column.won_{days}d" for days in HORIZONS},
    "won_to_date": "journey.column.won_to_date",
}


def mix_columns(types: Sequence[str], outcome: bool = False) -> dict[str, str]:
    """The columns of the activity-mix tables for the activity ``types`` present."""
    columns = {"label": "journey.column.stage"}
    if outcome:
        columns["outcome"] = "journey.column.outcome"
    columns["deals"] = "journey.column.deals"
    columns.update({t: f"journey.column.{t}" for t in types})
    columns["total"] = "journey.column.total"
    return columns


def breakdown_columns(dimension: str) -> dict[str, str]:
    return {
        "group": f"journey.column.group.{dimension}", "deals": "journey.column.deals",
        "won": "journey.column.won", "closed": "journey.column.closed", "win_rate": "journey.column.win_rate",
        "weakest_stage": "journey.column.weakest_stage", "weakest_conversion": "journey.column.weakest_conversion",
        "team_conversion": "journey.column.team_conversion",
    }


def previous_period(period: Period) -> Period:
    """The period of the same length just before ``period``: the previous month, quarter or year
    for those kinds (so 2026-Q3 is compared with April-June), the previous 7 days for a week, and
    the same number of days for a range."""
    months = {"month": 1, "quarter": 3, "year": 12}.get(period.kind)
    if months is not None:
        start = (pd.Timestamp(period.start) - pd.DateOffset(months=months)).date()
    else:
        start = period.start - timedelta(days=period.days)
    end = period.start - timedelta(days=1)
    return Period(f"{start.isoformat()}..{end.isoformat()}", start, end, period.kind)


def _bounds(period: Period) -> tuple[int, int]:
    """``[start, end + 1 day)`` in nanoseconds: "in P" is ``lo <= t < hi``."""
    lo = pd.Timestamp(period.start).value
    return lo, pd.Timestamp(period.end + timedelta(days=1)).value


def _in(stamps: np.ndarray, period: Period) -> np.ndarray:
    lo, hi = _bounds(period)
    return (stamps != _NAT) & (stamps >= lo) & (stamps < hi)


def _day(stamps: np.ndarray) -> np.ndarray:
    """The day number of each timestamp (calendar days since 1970-01-01, floor)."""
    return np.floor_divide(stamps, DAY_NS)


def _bit_range(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The bits low..high (both included) set, as uint64; 0 where low > high."""
    width = np.clip(high - low + 1, 0, None).astype(np.uint64)
    ones = np.left_shift(np.uint64(1), width) - np.uint64(1)
    return np.left_shift(ones, np.clip(low, 0, None).astype(np.uint64))


def _rate(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def _none(value: float) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _left_out(**counts: int) -> dict[str, int]:
    return {reason: int(count) for reason, count in counts.items() if count}


def _categorical(column: pd.Series) -> pd.Categorical:
    """A category/text column as a Categorical (no copy when it already is one)."""
    return column.array if isinstance(column.dtype, pd.CategoricalDtype) else pd.Categorical(column)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Funnel:
    """Per stage of the client (in order), the deals that entered it in the period and what became
    of them (see the module docstring for every definition).

    ``table`` columns: ``stage``, ``label``, ``entered``, ``reached_next``, ``advanced`` (moved on),
    ``won`` (won in the end), ``lost`` (lost there), ``still_open`` (still there), ``drop_off``
    (lost there + still there), ``undated`` (inferred entries without a date, left out),
    ``next_step_conversion``, ``conversion``, ``cumulative_conversion``, ``drop_off_rate``,
    ``lost_rate`` (lost there / entered).
    """

    period: Period
    table: pd.DataFrame
    deals: int  # distinct deals that entered at least one stage in the period
    left_out: dict[str, int] = field(default_factory=dict)

    def row(self, stage: str) -> pd.Series:
        return self.table.set_index("stage").loc[stage]

    def rate(self, stage: str, column: str = "conversion") -> float | None:
        """A rate of one stage (``conversion``, ``next_step_conversion``...); None when no deal
        entered the stage in the period (an empty denominator), never 0."""
        return _none(self.row(stage)[column])


@dataclass(frozen=True)
class TimeInStage:
    """Days spent per stage (stays that ended in the period) and the sales cycle, against the
    previous period.

    ``table``: one row per stage that can be left (every stage but the last), then the row
    ``sales_cycle``; columns ``stage``, ``label``, ``deals`` (stays counted), ``median``, ``p75``,
    ``p90``, ``left_out`` (stays that ended in P whose time is unknown), ``previous_deals``,
    ``previous_median``, ``change`` (median − previous median, days), ``trend`` (``slower``,
    ``faster``, ``stable``, or None when either period has fewer than ``MIN_DEALS`` deals).
    """

    period: Period
    previous: Period
    table: pd.DataFrame
    left_out: dict[str, int] = field(default_factory=dict)

    def row(self, stage: str) -> pd.Series:
        return self.table.set_index("stage").loc[stage]


@dataclass(frozen=True)
class ActivityMix:
    """What reps did at each stage for the deals that entered it in the period.

    ``per_stage``: ``stage``, ``label``, ``deals``, ``activities`` (total), then per activity type
    of ``MIX_TYPES`` the mean number per deal, and ``total`` (mean activities per deal).
    ``by_outcome``: the same means per stage for the deals that moved on (``advanced``) and those
    that did not (``not_advanced``: lost there or still there), with ``deals`` in each group.
    ``types``: the activity types present in the data (``other`` only when some are).
    ``left_out``: activities of these deals that could not be placed at a stage, by reason.
    """

    period: Period
    per_stage: pd.DataFrame
    by_outcome: pd.DataFrame
    types: tuple[str, ...]
    left_out: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class LostReasons:
    """Deals lost in the period, by the stage they were lost at and why.

    ``table`` (tidy): ``stage``, ``label``, ``reason`` (None when not given), ``deals``.
    ``by_stage``: ``stage``, ``label``, ``lost``, ``share_of_lost``, and ``reasons``: a list of
    ``(reason, count)`` most frequent first. ``left_out``: lost deals without a close date.
    """

    period: Period
    table: pd.DataFrame
    by_stage: pd.DataFrame
    total: int
    left_out: dict[str, int] = field(default_factory=dict)

    def main_reasons(self, language: str, top: int = TOP_REASONS) -> pd.Series:
        """Per stage, ``Prix 38 % · Concurrent 22 %``: the most frequent reasons and their share."""

        def describe(reasons: list[tuple[str | None, int]], lost: int) -> str:
            if not lost:
                return MISSING
            parts = [
                f"{reason if isinstance(reason, str) else label('journey.reason.none', language)} "
                f"{format_percent(count / lost, language, 0)}"
                for reason, count in reasons[:top]
            ]
            return " · ".join(parts)

        return pd.Series(
            [describe(r, n) for r, n in zip(self.by_stage["reasons"], self.by_stage["lost"])],
            index=self.by_stage.index,
        )

    def display(self, language: str) -> pd.DataFrame:
        """``by_stage`` with the column ``main_reasons`` written for ``language``."""
        return self.by_stage.drop(columns="reasons").assign(main_reasons=self.main_reasons(language))


@dataclass(frozen=True)
class FunnelBreakdown:
    """The funnel per group of one dimension (owner, source, product, segment, region).

    ``table``: one row per group, most deals first: ``group`` (``unknown`` for deals lacking the
    attribute), ``deals`` (entered a stage in P), ``won``, ``closed`` (won + lost in P),
    ``win_rate`` (KPIS.md ``win_rate``), ``weakest_stage`` (stage label where the group's
    conversion falls furthest below the whole team's, among stages with at least ``MIN_DEALS``
    of its deals), ``weakest_conversion``, ``team_conversion``.
    ``stages`` (tidy): ``group``, ``stage``, ``label``, ``entered``, ``advanced``, ``conversion``.
    """

    period: Period
    dimension: str
    table: pd.DataFrame
    stages: pd.DataFrame
    stage_order: tuple[str, ...] = ()  # the stages of ``stages``, in the client's order

    def display(self, language: str, max_groups: int = 25) -> tuple[pd.DataFrame, int]:
        """The ``max_groups`` largest groups with ``unknown`` written out, and how many were left out."""
        shown = self.table.head(max_groups).copy()
        shown["group"] = shown["group"].where(shown["group"] != UNKNOWN, label("journey.group.unknown", language))
        return shown, max(len(self.table) - max_groups, 0)


@dataclass(frozen=True)
class Cohorts:
    """Deals created per month and the share won within ``horizons`` days of creation.

    ``table``: ``month`` (first day), ``deals``, per horizon ``won_<h>d`` (share; NaN when the
    month has no deal or is incomplete) and ``complete_<h>d``, and ``won_to_date`` (share won by
    the data's last day). ``last_day``: the data's last day, against which completeness is judged.
    """

    table: pd.DataFrame
    horizons: tuple[int, ...]
    last_day: date | None
    left_out: dict[str, int] = field(default_factory=dict)

    def display(self, language: str) -> pd.DataFrame:
        """The table with shares written out and incomplete cells saying so (all text)."""
        shown = pd.DataFrame({"month": [format_month(m, language) for m in self.table["month"]],
                              "deals": [format_integer(n, language) for n in self.table["deals"]]})
        pending = label("journey.cohort.incomplete", language)
        for days in self.horizons:
            shown[f"won_{days}d"] = [
                format_percent(share, language) if complete else pending
                for share, complete in zip(self.table[f"won_{days}d"], self.table[f"complete_{days}d"])
            ]
        shown["won_to_date"] = [format_percent(share, language) for share in self.table["won_to_date"]]
        return shown


# --------------------------------------------------------------------------- breakdown dimensions


AccountPosition = Callable[[], np.ndarray]  # each deal's row in the accounts table (-1: none)


def _deal_attribute(column: str) -> Callable[[SalesData, AccountPosition | None], pd.Categorical]:
    def groups(data: SalesData, account_position: AccountPosition | None = None) -> pd.Categorical:
        return _categorical(require_deal_column(data, column))

    return groups


def _account_attribute(*columns: str) -> Callable[[SalesData, AccountPosition | None], pd.Categorical]:
    """The group of each deal from its account's ``columns`` (several: joined with " × ", a missing
    part written "–"); deals without a known account, or whose account lacks them all, are unknown."""

    def groups(data: SalesData, account_position: AccountPosition | None = None) -> pd.Categorical:
        name = " × ".join(columns)
        accounts = require_table(data, "accounts")
        require_deal_column(data, "account_id")
        missing = [c for c in columns if c not in accounts.columns]
        if missing:
            lacking = ", ".join([f"accounts.{c}" for c in missing] or ["deals.account_id"])
            raise UnavailableError(
                f"the breakdown by {name} needs {lacking}, which client '{data.config.client}' has not mapped"
            )
        position = account_position() if account_position else _account_position(data)
        known = position >= 0
        parts = [_categorical(accounts[c]) for c in columns]
        # One integer per combination: mixed radix over (code + 1), 0 meaning "missing" in each part.
        combined = np.zeros(len(position), dtype=np.int64)
        for part in parts:
            codes = np.where(known, part.codes[np.where(known, position, 0)].astype(np.int64) + 1, 0)
            combined = combined * (len(part.categories) + 1) + codes
        used, inverse = np.unique(combined, return_inverse=True)  # the few combinations that occur
        names: list[str | None] = []
        for value in used.tolist():
            pieces = []
            for part in reversed(parts):
                value, code = divmod(value, len(part.categories) + 1)
                pieces.append(str(part.categories[code - 1]) if code else None)
            pieces.reverse()
            names.append(None if all(p is None for p in pieces) else " × ".join(p or MISSING for p in pieces))
        categories = [n for n in names if n is not None]
        code_of = np.array([categories.index(n) if n is not None else -1 for n in names], dtype=np.int64)
        return pd.Categorical.from_codes(code_of[inverse], categories=categories)

    return groups


def _account_position(data: SalesData) -> np.ndarray:
    return link(data.tables["accounts"]["account_id"], data.deals["account_id"])


# dimension -> the group of every deal (a Categorical aligned with data.deals; missing: unknown).
# The second argument, when given, returns each deal's row in the accounts table (computed once).
DIMENSIONS: dict[str, Callable[[SalesData, AccountPosition | None], pd.Categorical]] = {
    "owner": _deal_attribute("owner"),
    "source": _deal_attribute("source"),
    "product": _deal_attribute("product"),
    "segment": _account_attribute("sector", "size_band"),
    "region": _account_attribute("region"),
}


# --------------------------------------------------------------------------- the journey


class Journey:
    """The stage history of a client's deals, prepared once and analysed per period.

    Raises :class:`~strategy_kit.errors.UnavailableError` when the client has no stage history
    (the import builds one for every client, so this only happens with hand-made data).
    """

    def __init__(self, data: SalesData, language: str | None = None, prepared: Prepared | None = None):
        """``prepared``: the KPI engine's preparation of the same data (``KpiEngine(data).prepared``),
        so that a notebook computing both the KPIs and the journey converts the tables once."""
        if prepared is not None and prepared.data is not data:
            raise ValueError("Journey(data, prepared=...) needs the preparation of that same data, "
                             "e.g. KpiEngine(data).prepared")
        require_deals(data)
        if not data.has("stage_history"):
            raise UnavailableError("unavailable.no_stage_history", client=data.config.client)
        self.data = data
        self.prepared = prepared if prepared is not None else Prepared(data)
        self.language = language or data.config.language
        self.stage_ids: tuple[str, ...] = tuple(data.config.stage_ids)
        if len(self.stage_ids) > MAX_STAGES:
            raise ConfigError(
                f"client '{data.config.client}' has {len(self.stage_ids)} stages; the customer journey handles "
                f"at most {MAX_STAGES} (merge stages in client.yml)"
            )
        self.labels: dict[str, str] = data.config.stage_labels(self.language)
        self._groups: dict[str, pd.Categorical] = {}  # breakdown dimension -> group of every deal
        self._prepare()

    @classmethod
    def or_unavailable(cls, data: SalesData, language: str | None = None) -> Journey | UnavailableJourney:
        """The journey, or, for a client without deals or stage history, a stand-in whose every
        analysis raises the reason (each section of the notebook then says "not available")."""
        try:
            return cls(data, language)
        except UnavailableError as exc:
            return UnavailableJourney(exc)

    # ------------------------------------------------------------------ preparation

    def _prepare(self) -> None:
        """The stays of every deal, from the KPI engine's stage history (rows in path order per
        deal, the same stage twice in a row one stay, day bounds of the undated rows)."""
        deals, history = self.prepared.deals, self.prepared.recorded_history
        count, stages = deals.count, len(self.stage_ids)
        self.won, self.lost = deals.won, deals.lost
        self.open = ~(deals.won | deals.lost)
        self.created, self.closed = deals.created_ns, deals.closed_ns
        self.history_left_out = _left_out(unknown_deal=history.unknown_deal, unknown_stage=history.unknown_stage)
        # reached[d, r]: deal d has a history row for stage r (dated or not); later[d, r]: the latest
        # time it entered any stage after r (an undated row counts as "any time"; never: _NAT).
        self.reached, self.later = history.reached, history.later
        self.furthest = np.where(self.reached.any(axis=1), stages - 1 - np.argmax(self.reached[:, ::-1], axis=1), -1)
        rank, dated = history.stage.astype(np.int64), history.dated
        self.undated_deal, self.undated_rank = history.deal[~dated], rank[~dated]
        self.undated_low, self.undated_high = history.low[~dated], history.high[~dated]
        self.undated_exit = history.first_later[~dated]  # where a stay that began undated ended at the latest
        undated_bits = np.zeros(count, dtype=np.uint64)  # per deal, one bit per stage with an undated row
        np.bitwise_or.at(undated_bits, self.undated_deal,
                         np.left_shift(np.uint64(1), self.undated_rank.astype(np.uint64)))

        # Dated entries in time order per deal; each stay ends at the deal's next dated entry.
        deal, rank, entered = history.deal[dated], rank[dated], history.ns[dated]
        repeated = np.zeros(len(deal), dtype=bool)  # the same stage entered again in a row: one stay
        repeated[1:] = (deal[1:] == deal[:-1]) & (rank[1:] == rank[:-1])
        if repeated.any():
            deal, rank, entered = deal[~repeated], rank[~repeated], entered[~repeated]
        has_exit = np.zeros(len(deal), dtype=bool)
        has_exit[:-1] = deal[1:] == deal[:-1]
        exit_at = np.full(len(deal), _NAT, dtype=np.int64)
        exit_rank = np.full(len(deal), -1, dtype=np.int64)
        exit_at[:-1][has_exit[:-1]] = entered[1:][has_exit[:-1]]
        exit_rank[:-1][has_exit[:-1]] = rank[1:][has_exit[:-1]]
        # A stay followed by stages passed without a date (undated rows of a stage between this one
        # and the next dated one, or after it when there is none) has no known end.
        low = rank + 1
        high = np.where(has_exit, exit_rank - 1, stages - 1)
        self.entry_deal, self.entry_rank, self.entry_at = deal, rank, entered
        self.exit_at, self.exit_rank = exit_at, exit_rank
        self.stay_known = (low > high) | ((undated_bits[deal] & _bit_range(low, high)) == 0)
        self.entry_start = np.searchsorted(deal, np.arange(count))  # each deal's first entry
        self.entry_count = np.bincount(deal, minlength=count)

        # The stage a lost deal was lost at: its stage, else its furthest stage in the history.
        current = np.where(deals.stage < stages, deals.stage.astype(np.int64), -1)
        self.lost_rank = np.where(self.lost, np.where(current >= 0, current, self.furthest), -1)

        # The last stage is the "won" stage when every deal that reached it is won: nothing leaves it.
        reached_last = self.furthest == stages - 1
        self.won_stage: str | None = (
            self.stage_ids[-1] if reached_last.any() and self.won[reached_last].all() else None
        )

    @property
    def open_stages(self) -> tuple[str, ...]:
        """The stages a deal can leave for a later one: all but a final won stage."""
        return self.stage_ids[:-1] if self.won_stage else self.stage_ids

    @cached_property
    def _account_position(self) -> np.ndarray:
        return _account_position(self.data)

    @property
    def has_activities(self) -> bool:
        """Whether activities can be placed at stages (an activities table with deal_id)."""
        activities = self.data.tables.get("activities")
        return activities is not None and "deal_id" in activities.columns

    def findings(self, period: Period) -> list[Finding]:
        """The narrative of the period in the journey's language: which stage loses most, which got
        slower or faster, the sales cycle, the best and worst owner, and the activity mix that goes
        with deals that move on (parts whose data the client lacks are skipped)."""
        findings = funnel_findings(self.funnel(period), self.language)
        findings += time_findings(self.time_in_stage(period), self.language)
        for part in (lambda: owner_findings(self.breakdown(period, "owner"), self.language),
                     lambda: activity_findings(self.activity_mix(period), self.language)):
            try:
                findings += part()
            except UnavailableError:
                continue
        return findings

    # ------------------------------------------------------------------ the period's cohort

    def _cohort(self, period: Period, dated_only: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(deal, rank, entry time) of the deals that entered a stage in ``period``, one per deal and
        stage (its first entry in the period): dated entries, then undated ones whose bounds lie
        within the period (entry time ``_NAT + 1``: before anything)."""
        chosen = np.flatnonzero(_in(self.entry_at, period))
        deal, rank, entered = self.entry_deal[chosen], self.entry_rank[chosen], self.entry_at[chosen]
        if not dated_only:
            placed = self._placed(period)[0]
            deal = np.concatenate([deal, self.undated_deal[placed]])
            rank = np.concatenate([rank, self.undated_rank[placed]])
            entered = np.concatenate([entered, np.full(int(placed.sum()), _NAT + 1, dtype=np.int64)])
        _, first = np.unique(deal * len(self.stage_ids) + rank, return_index=True)
        return deal[first], rank[first], entered[first]

    def _placed(self, period: Period) -> tuple[np.ndarray, np.ndarray]:
        """Undated rows whose bounds lie within ``period`` (entered in it), and those whose bounds
        overlap its edges (may have entered in it: cannot be placed)."""
        start, end = _day(np.array([_bounds(period)[0]]))[0], _day(np.array([_bounds(period)[1]]))[0] - 1
        low, high = self.undated_low, self.undated_high
        within = (low >= start) & (high <= end) & (low <= high)
        overlaps = (low <= end) & (high >= start)
        return within, overlaps & ~within

    def _outcomes(self, deal: np.ndarray, rank: np.ndarray, entered: np.ndarray) -> dict[str, np.ndarray]:
        advanced = self.won[deal] | (self.later[deal, rank] >= entered)
        last = len(self.stage_ids) - 1
        next_row = (rank < last) & self.reached[deal, np.minimum(rank + 1, last)]
        return {
            "reached_next": self.won[deal] | next_row,
            "advanced": advanced,
            "won": self.won[deal],
            "lost": self.lost[deal] & ~advanced,
            "still_open": self.open[deal] & ~advanced,
        }

    def _undated_in(self, period: Period) -> np.ndarray:
        """Per stage, undated entries that may have happened in ``period`` but cannot be placed."""
        return np.bincount(self.undated_rank[self._placed(period)[1]], minlength=len(self.stage_ids))

    # ------------------------------------------------------------------ funnel

    def funnel(self, period: Period) -> Funnel:
        deal, rank, entered_at = self._cohort(period)
        outcome = self._outcomes(deal, rank, entered_at)
        stages = len(self.stage_ids)

        def count(selected: np.ndarray | None = None) -> np.ndarray:
            return np.bincount(rank[selected] if selected is not None else rank, minlength=stages)

        entered = count()
        table = pd.DataFrame({"stage": list(self.stage_ids), "label": [self.labels[s] for s in self.stage_ids],
                              "entered": entered})
        for name in ("reached_next", "advanced", "won", "lost", "still_open"):
            table[name] = count(outcome[name])
        table["drop_off"] = table["entered"] - table["advanced"]
        table["undated"] = self._undated_in(period)
        table["next_step_conversion"] = _rate(table["reached_next"], entered)
        table["conversion"] = _rate(table["advanced"], entered)
        # cumulative: 1 for the first stage, then the product of the conversions before (NaN spreads)
        table["cumulative_conversion"] = np.cumprod(np.concatenate([[1.0], table["conversion"].to_numpy()[:-1]]))
        if not entered[0]:
            table["cumulative_conversion"] = np.nan
        table["drop_off_rate"] = _rate(table["drop_off"], entered)
        table["lost_rate"] = _rate(table["lost"], entered)
        return Funnel(
            period=period,
            table=table,
            deals=int(len(np.unique(deal))),
            left_out=_left_out(undated_stage_entry=table["undated"].sum()),
        )

    # ------------------------------------------------------------------ time in stage

    def _durations(self, period: Period) -> tuple[pd.DataFrame, np.ndarray, int]:
        """Days of the stays that ended in ``period`` (rank, days) plus the sales cycles of the deals
        won in it (rank = number of stages); per stage the stays of unknown length; won deals
        without a creation date."""
        ended = _in(self.exit_at, period)
        known = ended & self.stay_known
        won = self.won & _in(self.closed, period)
        dated = won & (self.created != _NAT)
        durations = pd.DataFrame({
            "rank": np.concatenate([self.entry_rank[known], np.full(int(dated.sum()), len(self.stage_ids))]),
            "days": np.concatenate([_day(self.exit_at[known]) - _day(self.entry_at[known]),
                                    _day(self.closed[dated]) - _day(self.created[dated])]).astype(float),
        })
        # Unknown length: dated stays followed by undated stages, and stays that began undated and
        # ended (at the latest) with a dated entry in the period.
        unknown = np.bincount(self.entry_rank[ended & ~self.stay_known], minlength=len(self.stage_ids))
        unknown += np.bincount(self.undated_rank[_in(self.undated_exit, period)], minlength=len(self.stage_ids))
        return durations, unknown, int((won & ~dated).sum())

    @staticmethod
    def _spread(durations: pd.DataFrame, ranks: list[int]) -> pd.DataFrame:
        """Per rank: count, median, P75, P90 (linear percentiles, numpy's default)."""
        grouped = durations.groupby("rank")["days"]
        spread = grouped.quantile([0.5, 0.75, 0.9]).unstack() if len(durations) else pd.DataFrame()
        spread = spread.reindex(index=ranks, columns=[0.5, 0.75, 0.9])
        spread.columns = ["median", "p75", "p90"]
        spread.insert(0, "deals", grouped.size().reindex(ranks, fill_value=0).astype(np.int64))
        return spread

    def time_in_stage(self, period: Period, previous: Period | None = None) -> TimeInStage:
        previous = previous or previous_period(period)
        ranks = [*range(len(self.open_stages)), len(self.stage_ids)]  # open stages, then the sales cycle
        durations, unknown_stays, no_created = self._durations(period)
        current = self._spread(durations, ranks)
        before = self._spread(self._durations(previous)[0], ranks)
        table = pd.DataFrame({
            "stage": [*self.open_stages, SALES_CYCLE],
            "label": [self.labels[s] for s in self.open_stages] + [label("journey.sales_cycle", self.language)],
            **{column: current[column].to_numpy() for column in ("deals", "median", "p75", "p90")},
            "left_out": [*unknown_stays[:len(self.open_stages)].tolist(), no_created],
            "previous_deals": before["deals"].to_numpy(),
            "previous_median": before["median"].to_numpy(),
        })
        table["change"] = table["median"] - table["previous_median"]
        table["trend"] = [speed_trend(*row) for row in  # one per stage
                          table[["median", "previous_median", "deals", "previous_deals"]].itertuples(index=False)]
        # Won deals without a close date: whether they were won in the period is unknown.
        no_closed = int((self.won & (self.closed == _NAT)).sum())
        return TimeInStage(
            period=period, previous=previous, table=table,
            left_out=_left_out(undated_stay=unknown_stays.sum(), no_created_at=no_created, no_closed_at=no_closed),
        )

    # ------------------------------------------------------------------ activities per stage

    @cached_property
    def _activity_counts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
        """Every activity about a deal placed at the stage of its time, counted per (deal, stage, type).

        Returns (sorted keys ``(deal * stages + rank) * types + type``, their counts, the deal and
        reason code (1 after close, 2 before the first stage, 3 unknown stage) of every activity
        that could not be placed, the activity types present).
        """
        activities = require_table(self.data, "activities")
        if "deal_id" not in activities.columns:
            raise UnavailableError("unavailable.activities_without_deal", client=self.data.config.client)
        stages, types = len(self.stage_ids), len(MIX_TYPES)
        rows = self.prepared.activities
        other = MIX_TYPES.index("other")
        mix_of = np.array([MIX_TYPES.index(t) if t in MIX_TYPES else other for t in ACTIVITY_TYPES] + [other])
        type_code = mix_of[rows.kind // (2 * OUTCOME_COUNT)]  # activity class -> type -> shown type
        present = tuple(MIX_TYPES[i] for i in np.flatnonzero(np.bincount(type_code, minlength=types)))
        deal, at = self.prepared.activity_deals, rows.at_ns
        about_deal = (deal >= 0) & (at != _NAT)
        deal, type_code, at = deal[about_deal], type_code[about_deal], at[about_deal]

        # The deal's latest dated entry at or before each activity. A deal's entries are contiguous
        # and in time order, so step through them: pass k looks at every activity's k-th entry and
        # keeps only the activities that may still have a later one (a few passes in all).
        position = np.full(len(deal), -1, dtype=np.int64)
        first, entries = self.entry_start[deal], self.entry_count[deal]
        active = np.flatnonzero(entries > 0)
        step = 0
        while active.size:
            candidate = first[active] + step
            started = self.entry_at[candidate] <= at[active]
            position[active[started]] = candidate[started]
            active = active[started & (entries[active] > step + 1)]
            step += 1
        found = position >= 0
        closed = self.closed[deal]
        after_close = (closed != _NAT) & (at > closed)
        stay_unknown = found & ~after_close & ~self.stay_known[np.maximum(position, 0)] if len(self.stay_known) \
            else np.zeros(len(deal), dtype=bool)
        placed = found & ~after_close & ~stay_unknown
        reason = np.select([after_close, ~found, stay_unknown], [1, 2, 3], default=0)

        keys = np.sort((deal[placed] * stages + self.entry_rank[position[placed]]) * types + type_code[placed])
        starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else np.zeros(0, int)
        counts = np.diff(np.append(starts, len(keys)))
        return keys[starts], counts, deal[~placed], reason[~placed], present

    def activity_mix(self, period: Period) -> ActivityMix:
        keys, counts, unplaced_deal, unplaced_reason, present = self._activity_counts
        stages, types = len(self.stage_ids), len(MIX_TYPES)
        deal, rank, entered_at = self._cohort(period, dated_only=True)  # undated stays hold no activity
        kept = rank < len(self.open_stages)
        deal, rank, entered_at = deal[kept], rank[kept], entered_at[kept]
        advanced = self._outcomes(deal, rank, entered_at)["advanced"]

        # per_row[i, t]: activities of type t of cohort row i at its stage
        wanted = ((deal * stages + rank)[:, None] * types + np.arange(types)[None, :]).ravel()
        position = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
        matched = (keys[position] == wanted) if len(keys) else np.zeros(len(wanted), dtype=bool)
        per_row = np.where(matched, counts[position] if len(counts) else 0, 0).reshape(-1, types)

        outcome = np.where(advanced, 0, 1)  # index in OUTCOMES
        open_count = len(self.open_stages)

        def means(group: np.ndarray, groups: int) -> pd.DataFrame:
            deals = np.bincount(group, minlength=groups)
            sums = np.stack([np.bincount(group, weights=per_row[:, t], minlength=groups) for t in range(types)], 1)
            table = pd.DataFrame(sums / np.where(deals > 0, deals, np.nan)[:, None], columns=list(MIX_TYPES))
            table.insert(0, "activities", sums.sum(axis=1).astype(np.int64))
            table.insert(0, "deals", deals)
            table["total"] = table[list(MIX_TYPES)].sum(axis=1, min_count=1)
            return table

        per_stage = means(rank, open_count)
        per_stage.insert(0, "label", [self.labels[s] for s in self.open_stages])
        per_stage.insert(0, "stage", list(self.open_stages))
        by_outcome = means(rank * len(OUTCOMES) + outcome, open_count * len(OUTCOMES)).drop(columns="activities")
        by_outcome.insert(0, "outcome", list(OUTCOMES) * open_count)
        by_outcome.insert(0, "label", [self.labels[s] for s in self.open_stages for _ in OUTCOMES])
        by_outcome.insert(0, "stage", [s for s in self.open_stages for _ in OUTCOMES])

        involved = np.zeros(len(self.data.deals), dtype=bool)
        involved[deal] = True
        reasons = np.bincount(unplaced_reason[involved[unplaced_deal]], minlength=4)
        return ActivityMix(
            period=period, per_stage=per_stage, by_outcome=by_outcome, types=present,
            left_out=_left_out(activity_after_close=reasons[1], activity_before_first_stage=reasons[2],
                               activity_stage_unknown=reasons[3]),
        )

    # ------------------------------------------------------------------ lost reasons

    def lost_reasons(self, period: Period) -> LostReasons:
        lost = self.lost & _in(self.closed, period)
        deals = self.data.deals
        stage_ids = [*self.stage_ids, UNKNOWN]
        rank = self.lost_rank[lost]
        rank = np.where(rank >= 0, rank, len(self.stage_ids))
        if "lost_reason" in deals.columns:
            reasons = _categorical(deals["lost_reason"])
            names, reason = [*map(str, reasons.categories), None], reasons.codes[lost].astype(np.int64)
        else:
            names, reason = [None], np.full(int(lost.sum()), -1, dtype=np.int64)
        reason = np.where(reason >= 0, reason, len(names) - 1)
        pairs = np.bincount(rank * len(names) + reason, minlength=len(stage_ids) * len(names))
        pairs = pairs.reshape(len(stage_ids), len(names))
        stage_index, reason_index = np.nonzero(pairs)
        table = pd.DataFrame({
            "stage": [stage_ids[i] for i in stage_index],
            "label": [self._stage_label(stage_ids[i]) for i in stage_index],
            "reason": pd.Series([names[j] for j in reason_index], dtype=object),
            "deals": pairs[stage_index, reason_index],
        }).sort_values(["deals"], ascending=False, kind="stable")
        table = table.iloc[np.argsort(table["stage"].map(stage_ids.index).to_numpy(), kind="stable")]

        shown = [s for s in self.stage_ids if s != self.won_stage] + ([UNKNOWN] if pairs[-1].any() else [])
        total = int(lost.sum())
        by_stage = pd.DataFrame({"stage": shown, "label": [self._stage_label(s) for s in shown]})
        by_stage["lost"] = [int(pairs[stage_ids.index(s)].sum()) for s in shown]
        by_stage["share_of_lost"] = _rate(by_stage["lost"], np.full(len(shown), total))
        by_stage["reasons"] = [list(zip(g["reason"], g["deals"].tolist()))
                               for g in (table[table["stage"] == s] for s in shown)]
        return LostReasons(
            period=period, table=table.reset_index(drop=True), by_stage=by_stage, total=total,
            left_out=_left_out(no_closed_at=(self.lost & (self.closed == _NAT)).sum()),
        )

    def _stage_label(self, stage: str) -> str:
        return self.labels.get(stage) or label("journey.stage_unknown", self.language)

    # ------------------------------------------------------------------ breakdowns

    def breakdown(self, period: Period, dimension: str) -> FunnelBreakdown:
        """The funnel and win rate per group of ``dimension`` (a key of :data:`DIMENSIONS`)."""
        try:
            attribute = DIMENSIONS[dimension]
        except KeyError:
            raise KeyError(f"unknown breakdown '{dimension}'; choose among {', '.join(DIMENSIONS)}") from None
        if dimension not in self._groups:
            self._groups[dimension] = attribute(self.data, lambda: self._account_position)
        groups = self._groups[dimension]
        names = [*map(str, groups.categories), UNKNOWN]
        group = np.where(groups.codes >= 0, groups.codes, len(names) - 1).astype(np.int64)
        count, stages, opened = len(names), len(self.stage_ids), len(self.open_stages)

        deal, rank, entered_at = self._cohort(period)
        advanced_rows = self._outcomes(deal, rank, entered_at)["advanced"]
        cells = group[deal] * stages + rank
        entered = np.bincount(cells, minlength=count * stages).reshape(count, stages)[:, :opened]
        advanced = np.bincount(cells, weights=advanced_rows, minlength=count * stages)
        advanced = advanced.reshape(count, stages)[:, :opened]
        with np.errstate(divide="ignore", invalid="ignore"):
            conversion = np.where(entered > 0, advanced / np.maximum(entered, 1), np.nan)
            team = advanced.sum(axis=0) / np.where(entered.sum(axis=0) > 0, entered.sum(axis=0), np.nan)
        # The weakest stage: the largest shortfall against the team among stages with enough deals.
        shortfall = np.where(entered >= MIN_DEALS, team[None, :] - conversion, np.nan)
        shortfall = np.where(np.isnan(shortfall), -np.inf, shortfall)
        weakest = np.argmax(shortfall, axis=1) if opened else np.zeros(count, dtype=np.int64)
        has_weakest = shortfall[np.arange(count), weakest] > 0 if opened else np.zeros(count, dtype=bool)

        closed_in = _in(self.closed, period)
        won = np.bincount(group[self.won & closed_in], minlength=count)
        closed = won + np.bincount(group[self.lost & closed_in], minlength=count)
        deals = np.bincount(group[np.unique(deal)], minlength=count)
        table = pd.DataFrame({
            "group": names, "deals": deals, "won": won, "closed": closed, "win_rate": _rate(won, closed),
            "weakest_stage": pd.Series([self.labels[self.open_stages[w]] if ok else None
                                        for w, ok in zip(weakest, has_weakest)], dtype=object),
            "weakest_conversion": np.where(has_weakest, conversion[np.arange(count), weakest], np.nan),
            "team_conversion": np.where(has_weakest, team[weakest], np.nan),
        })
        table = table[(table["deals"] > 0) | (table["closed"] > 0)]
        table = table.sort_values(["deals", "closed", "group"], ascending=[False, False, True], kind="stable")

        present = np.flatnonzero(entered.sum(axis=1) > 0)
        group_index, stage_index = np.nonzero(entered[present] > 0)
        per_stage = pd.DataFrame({
            "group": [names[g] for g in present[group_index]],
            "stage": [self.open_stages[r] for r in stage_index],
            "label": [self.labels[self.open_stages[r]] for r in stage_index],
            "entered": entered[present][group_index, stage_index],
            "advanced": advanced[present][group_index, stage_index].astype(np.int64),
            "conversion": conversion[present][group_index, stage_index],
        })
        return FunnelBreakdown(period=period, dimension=dimension, table=table.reset_index(drop=True),
                               stages=per_stage, stage_order=self.open_stages)

    # ------------------------------------------------------------------ cohorts

    def cohorts(self, period: Period, months: int = COHORT_MONTHS, horizons: Sequence[int] = HORIZONS) -> Cohorts:
        """The ``months`` months ending with the period's last month."""
        dated = self.created != _NAT
        if len(dated) and not dated.any():  # every deal lacks created_at: no cohort, not cohorts of 0
            require_deal_column(self.data, "created_at")
        last_day = self.data.last_day()
        shown = pd.period_range(end=pd.Timestamp(period.end).to_period("M"), periods=months, freq="M")
        created = pd.DatetimeIndex(self.created[dated].view("datetime64[ns]"))
        month = np.full(len(self.created), -1, dtype=np.int64)
        month[dated] = (created.year - shown[0].year) * 12 + (created.month - shown[0].month)
        inside = (month >= 0) & (month < months)
        month = month[inside]
        deals = np.bincount(month, minlength=months)
        won = self.won[inside] & (self.closed[inside] != _NAT)
        days_to_win = np.where(won, _day(self.closed[inside]) - _day(self.created[inside]), np.iinfo(np.int64).max)
        table = pd.DataFrame({"month": shown.to_timestamp(), "deals": deals})
        month_ends = (shown + 1).to_timestamp() - pd.Timedelta(days=1)
        for days in horizons:
            won_within = np.bincount(month, weights=days_to_win <= days, minlength=months)
            complete = np.zeros(months, dtype=bool) if last_day is None else \
                np.asarray(month_ends + pd.Timedelta(days=days) <= pd.Timestamp(last_day))
            table[f"won_{days}d"] = np.where(complete, _rate(won_within, deals), np.nan)
            table[f"complete_{days}d"] = complete
        table["won_to_date"] = _rate(np.bincount(month, weights=self.won[inside], minlength=months), deals)
        return Cohorts(table=table, horizons=tuple(horizons), last_day=last_day,
                       left_out=_left_out(no_created_at=(~dated).sum(),
                                          no_closed_at=(self.won & (self.closed == _NAT)).sum()))


class UnavailableJourney:
    """The journey of a client that lacks what it needs: every analysis raises the reason."""

    has_activities = False

    def __init__(self, error: UnavailableError):
        self.error = error

    def _unavailable(self, *args: object, **kwargs: object) -> NoReturn:
        raise self.error

    findings = funnel = time_in_stage = activity_mix = lost_reasons = breakdown = cohorts = _unavailable


def speed_trend(median: float, previous: float, deals: int, previous_deals: int) -> str | None:
    """slower / faster / stable, or None when either period has too few deals to compare."""
    if deals < MIN_DEALS or previous_deals < MIN_DEALS or pd.isna(median) or pd.isna(previous):
        return None
    change = median - previous
    if abs(change) < 1 or (previous > 0 and abs(change) / previous < MIN_CHANGE_SHARE):
        return "stable"
    return "slower" if change > 0 else "faster"


# --------------------------------------------------------------------------- shortcuts


def funnel(data: SalesData, period: Period, language: str | None = None) -> Funnel:
    return Journey(data, language).funnel(period)


def time_in_stage(data: SalesData, period: Period, language: str | None = None) -> TimeInStage:
    return Journey(data, language).time_in_stage(period)


def activity_mix(data: SalesData, period: Period, language: str | None = None) -> ActivityMix:
    return Journey(data, language).activity_mix(period)


def lost_reasons(data: SalesData, period: Period, language: str | None = None) -> LostReasons:
    return Journey(data, language).lost_reasons(period)


def breakdown(data: SalesData, period: Period, dimension: str, language: str | None = None) -> FunnelBreakdown:
    return Journey(data, language).breakdown(period, dimension)


def cohorts(data: SalesData, period: Period, language: str | None = None) -> Cohorts:
    return Journey(data, language).cohorts(period)


# --------------------------------------------------------------------------- narrative




def _days(value: float, language: str) -> str:
    """Days as people write them: whole numbers without decimals, half days with one."""
    return format_number(value, language, 0 if float(value).is_integer() else 1)


def funnel_findings(result: Funnel, language: str) -> list[Finding]:
    """Which stage loses the most deals (highest share lost there, among stages at least
    ``MIN_DEALS`` deals entered), with the counts behind."""
    table = result.table
    candidates = table[table["entered"] >= MIN_DEALS]
    if candidates.empty:
        return [Finding("journey.finding.too_few", {"min": format_integer(MIN_DEALS, language)}, language)]
    worst = candidates.sort_values(["lost_rate", "lost"], ascending=False, kind="stable").iloc[0]
    if not worst["lost"]:
        return [Finding("journey.finding.no_loss", {}, language)]
    return [Finding("journey.finding.loses_most", {
        "stage": worst["label"],
        "lost_rate": format_percent(worst["lost_rate"], language, 0),
        "lost": format_integer(worst["lost"], language),
        "entered": format_integer(worst["entered"], language),
        "drop_off_rate": format_percent(worst["drop_off_rate"], language, 0),
    }, language)]


def time_findings(result: TimeInStage, language: str) -> list[Finding]:
    """The stage that got slower the most (relative change of the median), the one that got faster
    the most, or that none moved; then the sales cycle against the previous period."""
    findings = []
    stages = result.table[result.table["stage"] != SALES_CYCLE].copy()
    stages["relative"] = stages["change"] / stages["previous_median"].where(stages["previous_median"] > 0, 1)

    def sentence(key: str, row: pd.Series) -> Finding:
        return Finding(key, {
            "stage": row["label"], "median": _days(row["median"], language),
            "previous": _days(row["previous_median"], language),
            "deals": format_integer(row["deals"], language),
            "previous_deals": format_integer(row["previous_deals"], language),
        }, language)

    for trend, ascending in (("slower", False), ("faster", True)):
        moved = stages[stages["trend"] == trend].sort_values("relative", ascending=ascending, kind="stable")
        if not moved.empty:
            findings.append(sentence(f"journey.finding.{trend}", moved.iloc[0]))
    if not findings:
        findings.append(Finding("journey.finding.steady", {
            "share": format_percent(MIN_CHANGE_SHARE, language, 0), "min": format_integer(MIN_DEALS, language),
        }, language))

    cycle = result.row(SALES_CYCLE)
    unmeasured = int(cycle["left_out"])  # won in the period without a creation date
    won = {"won": format_integer(int(cycle["deals"]) + unmeasured, language),
           "missing": format_integer(unmeasured, language)}
    undated = result.left_out.get("no_closed_at", 0)  # won deals without a close date, in any period
    if not cycle["deals"]:
        if unmeasured:
            findings.append(Finding("journey.finding.cycle_unmeasured", won, language))
        elif undated:
            findings.append(Finding("journey.finding.cycle_no_close_date",
                                    {"count": format_integer(undated, language)}, language))
        else:
            findings.append(Finding("journey.finding.cycle_none", {}, language))
    else:
        fields = {"median": _days(cycle["median"], language), "deals": format_integer(cycle["deals"], language)}
        if cycle["previous_deals"]:
            fields.update(previous=_days(cycle["previous_median"], language),
                          previous_deals=format_integer(cycle["previous_deals"], language))
            findings.append(Finding("journey.finding.cycle", fields, language))
        else:
            findings.append(Finding("journey.finding.cycle_no_previous", fields, language))
        if unmeasured:
            findings.append(Finding("journey.finding.cycle_partly", won, language))
    return findings


def activity_findings(result: ActivityMix, language: str) -> list[Finding]:
    """The stage and activity type where deals that moved on had the most more activities per deal
    than the others (both groups with at least ``MIN_DEALS`` deals)."""
    table = result.by_outcome.set_index(["stage", "outcome"])
    best: tuple[float, str, str] | None = None
    for stage in dict.fromkeys(result.by_outcome["stage"]):
        advanced, other = table.loc[(stage, "advanced")], table.loc[(stage, "not_advanced")]
        if advanced["deals"] < MIN_DEALS or other["deals"] < MIN_DEALS:
            continue
        for activity_type in result.types:
            gap = advanced[activity_type] - other[activity_type]
            if gap > 0 and (best is None or gap > best[0]):
                best = (gap, stage, activity_type)
    if best is None:
        return [Finding("journey.finding.activity_none", {"min": format_integer(MIN_DEALS, language)}, language)]
    _, stage, activity_type = best
    advanced, other = table.loc[(stage, "advanced")], table.loc[(stage, "not_advanced")]
    return [Finding("journey.finding.activity_mix", {
        "stage": advanced["label"],
        "activity": label(f"journey.activity_noun.{activity_type}", language),
        "advanced": format_number(advanced[activity_type], language, 1),
        "other": format_number(other[activity_type], language, 1),
        "advanced_deals": format_integer(advanced["deals"], language),
        "other_deals": format_integer(other["deals"], language),
    }, language)]


def owner_findings(result: FunnelBreakdown, language: str) -> list[Finding]:
    """Best and worst win rate among the groups (owners) with at least ``MIN_DEALS`` closed deals,
    with the counts, and the worst one's weakest stage against the team."""
    table = result.table[(result.table["closed"] >= MIN_DEALS) & (result.table["group"] != UNKNOWN)]
    if len(table) < 2:
        return [Finding("journey.finding.owners_too_few", {"min": format_integer(MIN_DEALS, language)}, language)]
    ranked = table.sort_values(["win_rate", "closed"], ascending=[False, False], kind="stable")
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    findings = [Finding("journey.finding.owners", {
        "best": str(best["group"]), "best_rate": format_percent(best["win_rate"], language, 0),
        "best_won": format_integer(best["won"], language),
        "best_closed": format_integer(best["closed"], language),
        "worst": str(worst["group"]), "worst_rate": format_percent(worst["win_rate"], language, 0),
        "worst_won": format_integer(worst["won"], language),
        "worst_closed": format_integer(worst["closed"], language),
    }, language)]
    if isinstance(worst["weakest_stage"], str):
        findings.append(Finding("journey.finding.owner_weakest", {
            "owner": str(worst["group"]), "stage": worst["weakest_stage"],
            "conversion": format_percent(worst["weakest_conversion"], language, 0),
            "team": format_percent(worst["team_conversion"], language, 0),
        }, language))
    return findings
