"""Baselines ("indicateurs de référence", METHOD.md section 4, step 2): every KPI over the 12 months
before the period, by month and by quarter, and the period compared with it. Each rep's own
baseline is in :mod:`strategy_kit.analytics.baselines_reps`, the history charts' numbers in
:mod:`strategy_kit.analytics.baselines_history`; the tables and sentences a reader sees, in a
language, in :mod:`strategy_kit.narrative.baselines`.

Pure functions: a :class:`~strategy_kit.data.SalesData` and a :class:`~strategy_kit.periods.Period`
in, dataclasses of DataFrames out; no language, no I/O, no printing. The KPI values come from
:class:`~strategy_kit.kpis.KpiEngine` (one ``series`` call per need, so the cost does not grow with
the number of KPIs asked for); the functions take an ``engine`` so that a notebook builds it once.

The rules (notebook 05 prints the comparison rule of the period's kind in the report):

- **Baseline window**: the 12 full calendar months before the month in which the period starts
  (for ``2026-Q3``: July 2025 to June 2026; for the week ``2026-W36``, which starts on 31 August
  2026: August 2025 to July 2026). Its four "quarters" are the four consecutive three-month blocks
  of the window: the client's (fiscal) quarters when the period starts on a quarter boundary.
- **Coverage**: a month is covered when every dated column the KPI reads (``closed_at`` for deals
  won, ``created_at`` for new deals, the activities' ``at``...) has data from that month or earlier
  (the month of a column's first date counts as covered) and the data reach the month's last day.
  A month that is not covered has no value (never 0); shares, year-over-year growth and
  comparisons that would need it are null.
- **How a KPI adds up** (:data:`KIND_BY_UNIT`, :data:`KIND_OVERRIDES`):

  ``flow``: counts and amounts (deals won, won value, calls made, revenue...) add up over months.
  The baseline of a period is the mean per covered baseline month times the period's length in
  months: a quarter is compared with the mean of the four baseline quarters (the window's total
  / 4), a month with the mean of the 12 months, a year with the 12-month total, a week or a range
  with the 12-month total prorated by days (its days x 12 / the window's days). Each month's share
  of the 12-month total is the seasonal profile (each quarter's share likewise).

  ``average``: depends on the period's length without adding up over months (activities per rep,
  new-business revenue and its share of revenue): a quarter is compared with the mean of the four
  baseline quarters' values, a month with the mean of the 12 months', a year with the window's
  value, a week or range with the mean of the months prorated by days.

  ``stock``: a level at the period's end (open deals, open and weighted pipeline, customer LTV):
  compared with its mean level at the ends of the 12 baseline months.

  ``ratio``: rates, medians and averages (win rate, sales cycle, average deal size, velocity):
  compared with its value over the whole 12-month window (one pooled value, not a mean of monthly
  rates).
- **Change**: for rates (unit ``rate``) the difference in percentage points, for everything else
  the relative change ``value / reference - 1`` (null when the reference is 0 or missing).
  **Verdict**: ``better`` or ``worse`` by the KPI's direction (higher or lower is better),
  ``stable`` when the value is within :data:`STABLE_TOLERANCE` (1 %) of the reference.
- **Same period a year earlier**: ``period.shifted_years(-1)``, compared with the same change
  rule; null when the data do not cover it.
- **Year-over-year growth** of the baseline: the window's value against the 12 months before it,
  with the same change rule; null when those earlier 12 months are not covered by the data (or,
  for flows, when the window itself is not fully covered).
- **Moves** (:func:`moves`): improvements and declines are ranked by relative change against the
  baseline in the KPI's good direction (rates too, so that 20 % -> 25 % ranks as +25 %), over the
  KPIs whose baseline is positive and whose verdict is not ``stable``.
- **Per rep**: each rep's own history in the window, never the team average. A rep's months of
  history are the window's months with at least one deal (created or closed) or activity of the
  rep. Flows and averages: the rep's window total per month of history times the period's length
  in months; ratios and stocks: the rep's value over the window. A rep with fewer than
  :data:`MIN_HISTORY_MONTHS` months is flagged: the figure is an extrapolation from a few months,
  shown as such; a rep with none has no baseline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import EllipsisType
from typing import Any

import pandas as pd

from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import FAMILIES, KPI, MISSING_GROUP, KpiEngine, KpiError, kpi_definitions
from strategy_kit.periods import Period, fiscal_quarter_of, month_start
from strategy_kit.schema import TABLES
from strategy_kit.stats import finite_or_none

BASELINE_MONTHS = 12
MIN_HISTORY_MONTHS = 6  # a rep with fewer months of history in the window is flagged
STABLE_TOLERANCE = 0.01  # within 1 % of the reference: "stable", neither better nor worse

# How each KPI's values combine over time (see the module docstring); by unit, then per KPI.
KIND_BY_UNIT: dict[str, str] = {
    "count": "flow",
    "currency": "flow",
    "rate": "ratio",
    "days": "ratio",
    "hours": "ratio",
    "currency_per_day": "ratio",
}
KIND_OVERRIDES: dict[str, str] = {
    "avg_deal_size": "ratio",
    "activities_per_rep": "average",
    # Revenue of the accounts whose first revenue falls in the period: a quarter counts three months
    # of revenue of the quarter's new accounts, its months only their first month's, so neither
    # the amount nor its share adds up over months.
    "new_business_revenue": "average",
    "new_business_share": "average",
    "open_deals_end": "stock",
    "open_pipeline_value": "stock",
    "weighted_pipeline_value": "stock",
    "customer_ltv": "stock",
}
KINDS = ("flow", "average", "stock", "ratio")

FAMILY_ORDER = FAMILIES  # activity, pipeline, conversion, lead generation, outreach, business
# The KPIs the history charts and the quarterly and seasonal tables show, and the per-rep table's.
KEY_KPIS = ("revenue", "won_value", "deals_won", "win_rate", "new_deals", "calls_made")
REP_KPIS = ("new_deals", "deals_won", "win_rate", "won_value", "calls_made")
SEASONAL_KPIS = ("revenue", "deals_won", "new_deals", "calls_made")


def kpi_kind(kpi: KPI) -> str:
    """``flow``, ``average``, ``stock`` or ``ratio``: how the KPI's values combine over time."""
    if kpi.id in KIND_OVERRIDES:
        return KIND_OVERRIDES[kpi.id]
    return KIND_BY_UNIT.get(kpi.unit, "ratio")


# --------------------------------------------------------------------------- the window


def month_period(first_day: date) -> Period:
    """The calendar month starting on ``first_day``, labelled like ``2026-09``."""
    end = month_start(first_day, 1) - timedelta(days=1)
    return Period(f"{first_day.year}-{first_day.month:02d}", first_day, end, "month")


def block_period(first_day: date, fiscal_year_start_month: int = 1) -> Period:
    """Three months from ``first_day``: a (fiscal) quarter ``2026-Q1`` when aligned on one, else a range."""
    end = month_start(first_day, 3) - timedelta(days=1)
    if (first_day.month - fiscal_year_start_month) % 3 == 0:
        year, quarter = fiscal_quarter_of(first_day, fiscal_year_start_month)
        return Period(f"{year}-Q{quarter}", first_day, end, "quarter")
    return Period(f"{first_day.isoformat()}..{end.isoformat()}", first_day, end, "range")


def _range(start: date, end: date) -> Period:
    return Period(f"{start.isoformat()}..{end.isoformat()}", start, end, "range")


@dataclass(frozen=True)
class BaselineWindow:
    """The periods a baseline is computed on, for ``period``.

    ``months``: the 12 calendar months before the month the period starts in; ``quarters``: those
    months in four blocks of three; ``window``: the 12 months as one range; ``previous_window``: the
    12 months before it (year-over-year growth); ``previous_year``: the period a year earlier.
    """

    period: Period
    months: tuple[Period, ...]
    quarters: tuple[Period, ...]
    window: Period
    previous_window: Period
    previous_year: Period

    @property
    def months_in_period(self) -> float:
        """The period's length in baseline months: 3 for a quarter, 1 for a month, 12 for a year;
        a week or range: its days over the window's average month."""
        fixed = {"month": 1.0, "quarter": 3.0, "year": 12.0}
        if self.period.kind in fixed:
            return fixed[self.period.kind]
        return self.period.days * BASELINE_MONTHS / self.window.days


def baseline_window(period: Period, fiscal_year_start_month: int = 1) -> BaselineWindow:
    """The 12 full months before ``period`` starts, in months and quarters, and the comparisons' periods."""
    start = month_start(period.start, -BASELINE_MONTHS)
    months = tuple(month_period(month_start(start, offset)) for offset in range(BASELINE_MONTHS))
    quarters = tuple(block_period(month_start(start, offset), fiscal_year_start_month) for offset in range(0, 12, 3))
    window = _range(start, months[-1].end)
    previous_start = month_start(start, -BASELINE_MONTHS)
    return BaselineWindow(
        period=period,
        months=months,
        quarters=quarters,
        window=window,
        previous_window=_range(previous_start, start - timedelta(days=1)),
        previous_year=period.shifted_years(-1),
    )


# --------------------------------------------------------------------------- coverage


def first_months(data: SalesData) -> dict[tuple[str, str], date]:
    """The first day of the month of the first date of every dated column of the imported tables."""
    firsts: dict[tuple[str, str], date] = {}
    for table, frame in data.tables.items():
        if frame is None or table not in TABLES:
            continue
        for column in TABLES[table].columns:
            if column.kind != "datetime" or column.name not in frame.columns:
                continue
            first = frame[column.name].min()
            if pd.notna(first):
                firsts[(table, column.name)] = month_start(pd.Timestamp(first).date())
    return firsts


def main_date(table: str) -> str | None:
    """The table's main date: its first dated column in the schema (``deals.created_at``,
    ``activities.at``, ``revenue.date``...; None for a table without dates)."""
    return next((c.name for c in TABLES[table].columns if c.kind == "datetime"), None)


_NEED = re.compile(r"([a-z_]+)(?:\.([a-z_|]+)|\s*\(([^)]*)\))?")


def needed_dates(kpi: KPI) -> set[tuple[str, str]]:
    """The dated columns a KPI reads, from its ``needs`` (``deals.closed_at``, ``revenue (date,
    amount) or deals (status, closed_at)``, ``stage_history``): the dated columns named, else the
    table's main date (:func:`main_date`)."""
    named: dict[str, set[str]] = {}
    for need in kpi.needs or ("deals",):
        for table, dotted, listed in _NEED.findall(need):
            if table in TABLES:
                columns = set(re.findall(r"[a-z_]+", dotted or listed)) & set(TABLES[table].column_names)
                named.setdefault(table, set()).update(c for c in columns if TABLES[table].column(c).kind == "datetime")
    found = {(table, column) for table, columns in named.items() for column in columns}
    found |= {
        (table, date_column)
        for table, columns in named.items()
        if not columns and (date_column := main_date(table)) is not None
    }
    return found or {("deals", "created_at")}


@dataclass(frozen=True)
class Coverage:
    """Which periods the data cover for one KPI: from ``first`` (a month start) to ``last``."""

    first: date | None
    last: date | None

    def covers(self, period: Period) -> bool:
        if self.first is None or self.last is None:
            return False
        return self.first <= period.start and period.end <= self.last


def kpi_coverage(
    kpi: KPI,
    data: SalesData,
    firsts: Mapping[tuple[str, str], date] | None = None,
    last: date | None | EllipsisType = ...,
) -> Coverage:
    """From the latest first month among the dated columns the KPI reads (those the client has) to
    the data's last day. A won deal's KPI is covered from the month of the first close, a lead KPI
    from the first lead's month, and so on. ``firsts`` (:func:`first_months`) and ``last``
    (``data.last_day()``): when already known, for many KPIs of the same data."""
    firsts = first_months(data) if firsts is None else firsts
    known = [firsts[key] for key in needed_dates(kpi) if key in firsts]
    return Coverage(
        first=max(known) if known else None, last=data.last_day() if isinstance(last, EllipsisType) else last
    )


# --------------------------------------------------------------------------- comparisons


def change(value: float | None, reference: float | None, unit: str) -> float | None:
    """Rates: ``value - reference`` (percentage points as a fraction); else ``value / reference - 1``."""
    if value is None or reference is None:
        return None
    if unit == "rate":
        return value - reference
    if reference == 0:
        return None
    return value / reference - 1


def verdict(value: float | None, reference: float | None, direction: str) -> str | None:
    """``better``, ``worse`` or ``stable`` (within :data:`STABLE_TOLERANCE` of the reference)."""
    if value is None or reference is None:
        return None
    if abs(value - reference) <= STABLE_TOLERANCE * abs(reference):
        return "stable"
    higher = value > reference
    return "better" if higher == (direction == "higher") else "worse"


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


# --------------------------------------------------------------------------- engine requests


class KpiValues:
    """KPI values of one ``series`` call, by (kpi, period label, group)."""

    def __init__(self, frame: pd.DataFrame, aliases: Mapping[str, str]):
        self.aliases = dict(aliases)
        groups = frame["group"] if "group" in frame.columns else pd.Series(None, index=frame.index)
        dimensions = frame["dimension"] if "dimension" in frame.columns else pd.Series(None, index=frame.index)
        self.values: dict[tuple[str, str, str | None], float | None] = {}
        self.groups: set[str] = set()  # the groups of the breakdown (reps for owner)
        self.grouped: set[str] = set()  # the KPIs with values per group
        for kpi, period, dimension, group, value in zip(
            frame["kpi"], frame["period"], dimensions, groups, frame["value"]
        ):
            group_key = None if dimension is None or pd.isna(dimension) else str(group)
            if group_key is not None:
                self.grouped.add(str(kpi))
                if group_key != MISSING_GROUP:
                    self.groups.add(group_key)
            self.values[(str(kpi), str(period), group_key)] = finite_or_none(value)

    def get(self, kpi: str, period: Period, group: str | None = None) -> float | None:
        return self.values.get((kpi, self.aliases.get(period.label, period.label), group))


def request_values(
    engine: KpiEngine, periods: Sequence[Period], kpis: Sequence[str], by: Sequence[str] = ()
) -> KpiValues:
    """One ``engine.series`` call for ``periods`` (each distinct range asked once)."""
    unique: dict[tuple[date, date], Period] = {}
    aliases: dict[str, str] = {}
    for period in periods:
        first = unique.setdefault((period.start, period.end), period)
        aliases[period.label] = first.label
    if not kpis or not unique:
        return KpiValues(pd.DataFrame(columns=["period", "kpi", "dimension", "group", "value"]), aliases)
    frame = engine.series(list(unique.values()), kpis=list(kpis), by=tuple(by))
    return KpiValues(frame, aliases)


def asked_kpis(data: SalesData, kpis: Sequence[str] | None) -> dict[str, KPI]:
    """The KPIs asked for (default: all with a single value), in the registry's order."""
    known = {kpi.id: kpi for kpi in kpi_definitions(data.config) if kpi.unit != "breakdown"}
    if kpis is None:
        return known
    unknown = [kpi for kpi in kpis if kpi not in known]
    if unknown:
        raise KpiError(
            f"no KPI {', '.join(map(repr, unknown))} with a single value to take a baseline of; "
            f"known: {', '.join(known)}"
        )
    return {kpi_id: kpi for kpi_id, kpi in known.items() if kpi_id in set(kpis)}


# --------------------------------------------------------------------------- team baselines


@dataclass(frozen=True)
class Baselines:
    """The baselines of the KPIs for ``window.period`` and the period compared with them.

    ``comparison``: one row per available KPI, in family order: ``kpi``, ``family``, ``unit``,
    ``direction``, ``kind``, ``value`` (the period), ``baseline`` (for a period of that length),
    ``change``, ``verdict``, ``previous_year`` (the same period a year earlier), ``previous_year_change``,
    ``previous_year_verdict``, ``window_value`` (the 12 months), ``previous_window_value`` (the 12
    before), ``yoy_growth``, ``months_covered`` (baseline months the data cover), ``excluded`` (rows
    left out of the period's value for a missing date).
    ``monthly``: ``kpi``, ``month`` (first day), ``label``, ``value``, ``covered``, ``share`` (of the
    12-month total; flows only, when the 12 months are covered). ``quarterly``: ``kpi``, ``quarter``
    (label), ``start``, ``end``, ``value``, ``covered``, ``share``.
    ``unavailable``: KPI id -> why the data cannot support it, in English (machine output);
    ``reasons``: KPI id -> the same reason as an :class:`UnavailableError`, which says it in a language.
    """

    window: BaselineWindow
    definitions: dict[str, KPI]
    comparison: pd.DataFrame
    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    unavailable: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, UnavailableError] = field(default_factory=dict, repr=False)

    def unavailable_error(self, kpi: str) -> UnavailableError:
        """Why ``kpi`` is unavailable, as an error to raise or to write in a language."""
        return self.reasons[kpi]

    @property
    def period(self) -> Period:
        return self.window.period

    @property
    def months_covered(self) -> int:
        """The fewest baseline months covered among the available KPIs (12 when fully covered)."""
        if self.comparison.empty:
            return 0
        return int(self.comparison["months_covered"].min())

    def row(self, kpi: str) -> dict[str, Any]:
        rows = self.comparison[self.comparison["kpi"] == kpi]
        if rows.empty:
            raise KeyError(f"KPI '{kpi}' has no baseline (unavailable or not asked for)")
        return rows.iloc[0].to_dict()

    def level(self, kpi: str, length: str) -> float | None:
        """The baseline of ``kpi`` for a ``month`` or a ``quarter`` (the history charts' levels)."""
        return _baseline_for_length(self, self.definitions[kpi], length)


def _family_rank(kpi: KPI) -> int:
    return FAMILY_ORDER.index(kpi.family) if kpi.family in FAMILY_ORDER else len(FAMILY_ORDER)


def _baseline_of(
    kind: str,
    monthly: list[float | None],
    quarterly: list[float | None],
    window_value: float | None,
    months_in_period: float,
    period_kind: str,
) -> float | None:
    """The baseline of a KPI of ``kind`` for a period ``months_in_period`` long, of ``period_kind``
    (quarter, month, year, week or range), from the covered baseline months and quarters (None
    where not covered) and the window's value."""
    if kind == "average" and period_kind in ("quarter", "month", "year"):
        return {"quarter": _mean(quarterly), "month": _mean(monthly), "year": window_value}[period_kind]
    if kind in ("flow", "average"):
        mean = _mean(monthly)
        return None if mean is None else mean * months_in_period
    if kind == "stock":
        return _mean(monthly)
    return window_value if any(v is not None for v in monthly) else None


def _baseline_for_length(baselines: Baselines, kpi: KPI, length: str) -> float | None:
    monthly = baselines.monthly[baselines.monthly["kpi"] == kpi.id]
    quarterly = baselines.quarterly[baselines.quarterly["kpi"] == kpi.id]
    months = [finite_or_none(v) if c else None for v, c in zip(monthly["value"], monthly["covered"])]
    quarters = [finite_or_none(v) if c else None for v, c in zip(quarterly["value"], quarterly["covered"])]
    window_value = finite_or_none(baselines.row(kpi.id)["window_value"])
    factor = {"month": 1.0, "quarter": 3.0}[length]
    return _baseline_of(kpi_kind(kpi), months, quarters, window_value, factor, length)


def compute_baselines(
    data: SalesData,
    period: Period,
    kpis: Sequence[str] | None = None,
    engine: KpiEngine | None = None,
) -> Baselines:
    """Baselines of ``kpis`` (default: every KPI with a single value) and the period against them.

    Two engine calls: ``compute`` for the period (values, rows left out, unavailable KPIs) and one
    ``series`` for the 12 months, the 4 quarters, the window, the 12 months before and the same
    period a year earlier.
    """
    engine = engine or KpiEngine(data)
    definitions = asked_kpis(data, kpis)
    window = baseline_window(period, data.config.fiscal_year_start_month)
    current = engine.compute(period, kpis=list(definitions))
    unavailable = {kpi: reason for kpi, reason in current.unavailable.items() if kpi in definitions}
    available = [kpi for kpi in definitions if kpi not in unavailable]
    periods = [*window.months, *window.quarters, window.window, window.previous_window, window.previous_year]
    values = request_values(engine, periods, available)

    firsts, last = first_months(data), data.last_day()  # once, not once per KPI
    rows, monthly_rows, quarterly_rows = [], [], []
    for kpi_id in sorted(available, key=lambda k: _family_rank(definitions[k])):  # stable: registry order
        kpi = definitions[kpi_id]
        kind = kpi_kind(kpi)
        coverage = kpi_coverage(kpi, data, firsts, last)
        monthly = [values.get(kpi_id, m) if coverage.covers(m) else None for m in window.months]
        covered = [coverage.covers(m) for m in window.months]
        quarterly = [values.get(kpi_id, q) if coverage.covers(q) else None for q in window.quarters]
        quarter_covered = [coverage.covers(q) for q in window.quarters]
        fully_covered = all(covered)
        window_value = values.get(kpi_id, window.window) if any(covered) else None
        previous_window_value = (
            values.get(kpi_id, window.previous_window) if coverage.covers(window.previous_window) else None
        )
        total = sum(v or 0.0 for v in monthly) if kind == "flow" and fully_covered else None

        for month, value, is_covered in zip(window.months, monthly, covered):
            share = value / total if total and value is not None else None
            monthly_rows.append(
                {
                    "kpi": kpi_id,
                    "month": pd.Timestamp(month.start),
                    "label": month.label,
                    "value": value,
                    "covered": is_covered,
                    "share": share,
                }
            )
        for quarter, value, is_covered in zip(window.quarters, quarterly, quarter_covered):
            share = value / total if total and value is not None else None
            quarterly_rows.append(
                {
                    "kpi": kpi_id,
                    "quarter": quarter.label,
                    "start": pd.Timestamp(quarter.start),
                    "end": pd.Timestamp(quarter.end),
                    "value": value,
                    "covered": is_covered,
                    "share": share,
                }
            )

        baseline = _baseline_of(kind, monthly, quarterly, window_value, window.months_in_period, period.kind)
        value = finite_or_none(current.values.get(kpi_id))
        previous_year = values.get(kpi_id, window.previous_year) if coverage.covers(window.previous_year) else None
        yoy_value = window_value if fully_covered or kind != "flow" else None
        rows.append(
            {
                "kpi": kpi_id,
                "family": kpi.family,
                "unit": kpi.unit,
                "direction": kpi.direction,
                "kind": kind,
                "value": value,
                "baseline": baseline,
                "change": change(value, baseline, kpi.unit),
                "verdict": verdict(value, baseline, kpi.direction),
                "previous_year": previous_year,
                "previous_year_change": change(value, previous_year, kpi.unit),
                "previous_year_verdict": verdict(value, previous_year, kpi.direction),
                "window_value": window_value,
                "previous_window_value": previous_window_value,
                "yoy_growth": change(yoy_value, previous_window_value, kpi.unit),
                "months_covered": int(sum(covered)),
                "excluded": int(current.excluded.get(kpi_id, 0) or 0),
            }
        )

    comparison = pd.DataFrame(
        rows,
        columns=[
            "kpi",
            "family",
            "unit",
            "direction",
            "kind",
            "value",
            "baseline",
            "change",
            "verdict",
            "previous_year",
            "previous_year_change",
            "previous_year_verdict",
            "window_value",
            "previous_window_value",
            "yoy_growth",
            "months_covered",
            "excluded",
        ],
    )
    for column in (
        "value",
        "baseline",
        "change",
        "previous_year",
        "previous_year_change",
        "window_value",
        "previous_window_value",
        "yoy_growth",
    ):
        comparison[column] = comparison[column].astype("float64")
    monthly = pd.DataFrame(monthly_rows, columns=["kpi", "month", "label", "value", "covered", "share"])
    quarterly = pd.DataFrame(quarterly_rows, columns=["kpi", "quarter", "start", "end", "value", "covered", "share"])
    for frame in (monthly, quarterly):
        frame["value"] = frame["value"].astype("float64")
        frame["share"] = frame["share"].astype("float64")
    return Baselines(
        window=window,
        definitions=definitions,
        comparison=comparison,
        monthly=monthly,
        quarterly=quarterly,
        unavailable=unavailable,
        reasons={kpi: current.reasons[kpi] for kpi in unavailable if kpi in current.reasons},
    )


def families(baselines: Baselines) -> list[str]:
    """The families with at least one KPI asked for (available or not), in method order."""
    present = {kpi.family for kpi in baselines.definitions.values()}
    return sorted(present, key=lambda f: (FAMILY_ORDER.index(f) if f in FAMILY_ORDER else len(FAMILY_ORDER), f))
