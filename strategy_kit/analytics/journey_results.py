"""What the customer journey's analyses return (:mod:`strategy_kit.analytics.journey` computes them):
the result tables, the thresholds they use, and the small array helpers they share.

Every table holds stage ids (``stage``), never their labels: the client's stages travel with each
result (``client_stages``, in order, with their names in every language) and
:mod:`strategy_kit.narrative.journey` writes the labels for a reader. A rate whose denominator is
empty is missing (NaN in tables, None in dataclass fields), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from strategy_kit.config import Stage
from strategy_kit.kpis.arrays import DAY_NS, NO_TIME
from strategy_kit.periods import Period

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
UNKNOWN_STAGE = "unknown"  # the stage of a lost deal that cannot be placed at one of the client's stages
NAT = NO_TIME  # NaT as an int64 nanosecond count

# The breakdowns of the journey, dimensions of the one breakdown registry
# (:data:`strategy_kit.kpis.dimensions.DIMENSIONS`): deals lacking the value form its missing group
# (:data:`~strategy_kit.kpis.dimensions.MISSING_GROUP`), as in every KPI breakdown.
BREAKDOWNS: tuple[str, ...] = ("owner", "source", "product", "segment", "region")


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


def period_bounds(period: Period) -> tuple[int, int]:
    """``[start, end + 1 day)`` in nanoseconds: "in P" is ``lo <= t < hi``."""
    lo = pd.Timestamp(period.start).value
    return lo, pd.Timestamp(period.end + timedelta(days=1)).value


def in_period(stamps: np.ndarray, period: Period) -> np.ndarray:
    lo, hi = period_bounds(period)
    return (stamps != NAT) & (stamps >= lo) & (stamps < hi)


def day_number(stamps: np.ndarray) -> np.ndarray:
    """The day number of each timestamp (calendar days since 1970-01-01, floor)."""
    return np.floor_divide(stamps, DAY_NS)


def bit_range(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The bits low..high (both included) set, as uint64; 0 where low > high."""
    width = np.clip(high - low + 1, 0, None).astype(np.uint64)
    ones = np.left_shift(np.uint64(1), width) - np.uint64(1)
    return np.left_shift(ones, np.clip(low, 0, None).astype(np.uint64))


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def none_if_missing(value: float) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def left_out_counts(**counts: int) -> dict[str, int]:
    return {reason: int(count) for reason, count in counts.items() if count}


def categorical(column: pd.Series) -> pd.Categorical:
    """A category/text column as a Categorical (no copy when it already is one)."""
    return column.array if isinstance(column.dtype, pd.CategoricalDtype) else pd.Categorical(column)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Funnel:
    """Per stage of the client (in order), the deals that entered it in the period and what became
    of them (the definitions are in :mod:`strategy_kit.analytics.journey`).

    ``table`` columns: ``stage``, ``entered``, ``reached_next``, ``advanced`` (moved on),
    ``won`` (won in the end), ``lost`` (lost there), ``still_open`` (still there), ``drop_off``
    (lost there + still there), ``undated`` (inferred entries without a date, left out),
    ``next_step_conversion``, ``conversion``, ``cumulative_conversion``, ``drop_off_rate``,
    ``lost_rate`` (lost there / entered).
    """

    period: Period
    table: pd.DataFrame
    deals: int  # distinct deals that entered at least one stage in the period
    left_out: dict[str, int] = field(default_factory=dict)
    client_stages: tuple[Stage, ...] = ()  # the client's stages, in order (their names for a reader)

    def row(self, stage: str) -> pd.Series:
        return self.table.set_index("stage").loc[stage]

    def rate(self, stage: str, column: str = "conversion") -> float | None:
        """A rate of one stage (``conversion``, ``next_step_conversion``...); None when no deal
        entered the stage in the period (an empty denominator), never 0."""
        return none_if_missing(self.row(stage)[column])


@dataclass(frozen=True)
class TimeInStage:
    """Days spent per stage (stays that ended in the period) and the sales cycle, against the
    previous period.

    ``table``: one row per stage that can be left (every stage but the last), then the row
    ``sales_cycle``; columns ``stage``, ``deals`` (stays counted), ``median``, ``p75``,
    ``p90``, ``left_out`` (stays that ended in P whose time is unknown), ``previous_deals``,
    ``previous_median``, ``change`` (median − previous median, days), ``trend`` (``slower``,
    ``faster``, ``stable``, or None when either period has fewer than ``MIN_DEALS`` deals).
    """

    period: Period
    previous: Period
    table: pd.DataFrame
    left_out: dict[str, int] = field(default_factory=dict)
    client_stages: tuple[Stage, ...] = ()

    def row(self, stage: str) -> pd.Series:
        return self.table.set_index("stage").loc[stage]


@dataclass(frozen=True)
class ActivityMix:
    """What reps did at each stage for the deals that entered it in the period.

    ``per_stage``: ``stage``, ``deals``, ``activities`` (total), then per activity type
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
    client_stages: tuple[Stage, ...] = ()


@dataclass(frozen=True)
class LostReasons:
    """Deals lost in the period, by the stage they were lost at and why.

    ``table`` (tidy): ``stage`` (``UNKNOWN_STAGE`` when it cannot be placed), ``reason`` (None
    when not given), ``deals``. ``by_stage``: ``stage``, ``lost``, ``share_of_lost``, and
    ``reasons``: a list of ``(reason, count)`` most frequent first. ``left_out``: lost deals without
    a close date.
    """

    period: Period
    table: pd.DataFrame
    by_stage: pd.DataFrame
    total: int
    left_out: dict[str, int] = field(default_factory=dict)
    client_stages: tuple[Stage, ...] = ()


@dataclass(frozen=True)
class FunnelBreakdown:
    """The funnel per group of one dimension (owner, source, product, segment, region).

    ``table``: one row per group, most deals first: ``group`` (the KPI breakdowns' name, and
    ``MISSING_GROUP`` for deals lacking the value), ``deals`` (entered a stage in P), ``won``,
    ``closed`` (won + lost in P), ``win_rate`` (KPIS.md ``win_rate``), ``weakest_stage`` (stage id where the group's
    conversion falls furthest below the whole team's, among stages with at least ``MIN_DEALS``
    of its deals), ``weakest_conversion``, ``team_conversion``.
    ``stages`` (tidy): ``group``, ``stage``, ``entered``, ``advanced``, ``conversion``.
    """

    period: Period
    dimension: str
    table: pd.DataFrame
    stages: pd.DataFrame
    stage_order: tuple[str, ...] = ()  # the stages of ``stages``, in the client's order
    client_stages: tuple[Stage, ...] = ()


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


def speed_trend(median: float, previous: float, deals: int, previous_deals: int) -> str | None:
    """slower / faster / stable, or None when either period has too few deals to compare."""
    if deals < MIN_DEALS or previous_deals < MIN_DEALS or pd.isna(median) or pd.isna(previous):
        return None
    change = median - previous
    if abs(change) < 1 or (previous > 0 and abs(change) / previous < MIN_CHANGE_SHARE):
        return "stable"
    return "slower" if change > 0 else "faster"
