"""Baselines ("indicateurs de référence", METHOD.md section 4, step 2): every KPI over the 12 months
before the period, by month and by quarter, per rep, and the period compared with it.

Pure functions: a :class:`~strategy_kit.data.SalesData` and a :class:`~strategy_kit.periods.Period`
in, dataclasses of DataFrames out; no I/O, no printing. The KPI values come from
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
- **Narrative**: improvements and declines are ranked by relative change against the baseline in
  the KPI's good direction (rates too, so that 20 % -> 25 % ranks as +25 %), over the KPIs whose
  baseline is positive and whose verdict is not ``stable``.
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
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.availability import require_deal_column
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import FAMILIES, KPI, MISSING_GROUP, KpiEngine, KpiError, KpiResult, kpi_definitions
from strategy_kit.i18n import (
    LANGUAGES,
    format_currency,
    format_date,
    format_month,
    format_number,
    format_percent,
    label,
)
from strategy_kit.analytics.overview import DATE_COLUMNS
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


_NEED = re.compile(r"([a-z_]+)(?:\.([a-z_|]+)|\s*\(([^)]*)\))?")


def needed_dates(kpi: KPI) -> set[tuple[str, str]]:
    """The dated columns a KPI reads, from its ``needs`` (``deals.closed_at``, ``revenue (date,
    amount) or deals (status, closed_at)``, ``stage_history``): the dated columns named, else the
    table's main date (overview.DATE_COLUMNS)."""
    named: dict[str, set[str]] = {}
    for need in kpi.needs or ("deals",):
        for table, dotted, listed in _NEED.findall(need):
            if table in TABLES:
                columns = set(re.findall(r"[a-z_]+", dotted or listed)) & set(TABLES[table].column_names)
                named.setdefault(table, set()).update(c for c in columns if TABLES[table].column(c).kind == "datetime")
    found = {(table, column) for table, columns in named.items() for column in columns}
    found |= {(table, DATE_COLUMNS[table]) for table, columns in named.items()
              if not columns and DATE_COLUMNS.get(table)}
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


def kpi_coverage(kpi: KPI, data: SalesData, firsts: Mapping[tuple[str, str], date] | None = None) -> Coverage:
    """From the latest first month among the dated columns the KPI reads (those the client has) to
    the data's last day. A won deal's KPI is covered from the month of the first close, a lead KPI
    from the first lead's month, and so on."""
    firsts = first_months(data) if firsts is None else firsts
    known = [firsts[key] for key in needed_dates(kpi) if key in firsts]
    return Coverage(first=max(known) if known else None, last=data.last_day())


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


class _Values:
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


def _request(engine: KpiEngine, periods: Sequence[Period], kpis: Sequence[str], by: Sequence[str] = ()) -> _Values:
    """One ``engine.series`` call for ``periods`` (each distinct range asked once)."""
    unique: dict[tuple[date, date], Period] = {}
    aliases: dict[str, str] = {}
    for period in periods:
        first = unique.setdefault((period.start, period.end), period)
        aliases[period.label] = first.label
    if not kpis or not unique:
        return _Values(pd.DataFrame(columns=["period", "kpi", "dimension", "group", "value"]), aliases)
    frame = engine.series(list(unique.values()), kpis=list(kpis), by=tuple(by))
    return _Values(frame, aliases)


def _definitions(data: SalesData, kpis: Sequence[str] | None) -> dict[str, KPI]:
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
    ``unavailable``: KPI id -> why the data cannot support it (English; :meth:`reason` in a language).
    """

    window: BaselineWindow
    definitions: dict[str, KPI]
    comparison: pd.DataFrame
    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    unavailable: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)  # kpi -> language -> text

    def reason(self, kpi: str, language: str) -> str:
        """Why ``kpi`` is unavailable, in ``language``."""
        return self.reasons.get(kpi, {}).get(language) or self.unavailable[kpi]

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
    definitions = _definitions(data, kpis)
    window = baseline_window(period, data.config.fiscal_year_start_month)
    current = engine.compute(period, kpis=list(definitions))
    unavailable = {kpi: reason for kpi, reason in current.unavailable.items() if kpi in definitions}
    available = [kpi for kpi in definitions if kpi not in unavailable]
    periods = [*window.months, *window.quarters, window.window, window.previous_window, window.previous_year]
    values = _request(engine, periods, available)

    firsts = first_months(data)
    rows, monthly_rows, quarterly_rows = [], [], []
    for kpi_id in sorted(available, key=lambda k: _family_rank(definitions[k])):  # stable: registry order
        kpi = definitions[kpi_id]
        kind = kpi_kind(kpi)
        coverage = kpi_coverage(kpi, data, firsts)
        monthly = [values.get(kpi_id, m) if coverage.covers(m) else None for m in window.months]
        covered = [coverage.covers(m) for m in window.months]
        quarterly = [values.get(kpi_id, q) if coverage.covers(q) else None for q in window.quarters]
        quarter_covered = [coverage.covers(q) for q in window.quarters]
        fully_covered = all(covered)
        window_value = values.get(kpi_id, window.window) if any(covered) else None
        previous_window_value = (values.get(kpi_id, window.previous_window)
                                 if coverage.covers(window.previous_window) else None)
        total = sum(v or 0.0 for v in monthly) if kind == "flow" and fully_covered else None

        for month, value, is_covered in zip(window.months, monthly, covered):
            share = value / total if total and value is not None else None
            monthly_rows.append({"kpi": kpi_id, "month": pd.Timestamp(month.start), "label": month.label,
                                 "value": value, "covered": is_covered, "share": share})
        for quarter, value, is_covered in zip(window.quarters, quarterly, quarter_covered):
            share = value / total if total and value is not None else None
            quarterly_rows.append({"kpi": kpi_id, "quarter": quarter.label, "start": pd.Timestamp(quarter.start),
                                   "end": pd.Timestamp(quarter.end), "value": value, "covered": is_covered,
                                   "share": share})

        baseline = _baseline_of(kind, monthly, quarterly, window_value, window.months_in_period, period.kind)
        value = finite_or_none(current.values.get(kpi_id))
        previous_year = values.get(kpi_id, window.previous_year) if coverage.covers(window.previous_year) else None
        yoy_value = window_value if fully_covered or kind != "flow" else None
        rows.append({
            "kpi": kpi_id, "family": kpi.family, "unit": kpi.unit, "direction": kpi.direction, "kind": kind,
            "value": value, "baseline": baseline,
            "change": change(value, baseline, kpi.unit), "verdict": verdict(value, baseline, kpi.direction),
            "previous_year": previous_year,
            "previous_year_change": change(value, previous_year, kpi.unit),
            "previous_year_verdict": verdict(value, previous_year, kpi.direction),
            "window_value": window_value, "previous_window_value": previous_window_value,
            "yoy_growth": change(yoy_value, previous_window_value, kpi.unit),
            "months_covered": int(sum(covered)),
            "excluded": int(current.excluded.get(kpi_id, 0) or 0),
        })

    comparison = pd.DataFrame(rows, columns=[
        "kpi", "family", "unit", "direction", "kind", "value", "baseline", "change", "verdict",
        "previous_year", "previous_year_change", "previous_year_verdict", "window_value",
        "previous_window_value", "yoy_growth", "months_covered", "excluded",
    ])
    for column in ("value", "baseline", "change", "previous_year", "previous_year_change", "window_value",
                   "previous_window_value", "yoy_growth"):
        comparison[column] = comparison[column].astype("float64")
    monthly = pd.DataFrame(monthly_rows, columns=["kpi", "month", "label", "value", "covered", "share"])
    quarterly = pd.DataFrame(quarterly_rows, columns=["kpi", "quarter", "start", "end", "value", "covered", "share"])
    for frame in (monthly, quarterly):
        frame["value"] = frame["value"].astype("float64")
        frame["share"] = frame["share"].astype("float64")
    return Baselines(window=window, definitions=definitions, comparison=comparison, monthly=monthly,
                     quarterly=quarterly, unavailable=unavailable, reasons=_reasons(current, unavailable))


def _reasons(result: KpiResult, kpis: Iterable[str]) -> dict[str, dict[str, str]]:
    return {kpi: {language: result.reason(kpi, language) or "" for language in LANGUAGES} for kpi in kpis}


# --------------------------------------------------------------------------- per-rep baselines


def months_of_history(data: SalesData, window: BaselineWindow) -> pd.Series:
    """Per rep (owner), the window's months with at least one deal created or closed, or one
    activity, of that rep (``months_of_history``, 0 to 12). Rows without an owner are left out."""
    start, after = pd.Timestamp(window.window.start), pd.Timestamp(window.window.end + timedelta(days=1))
    first_month = np.datetime64(window.window.start, "M")
    found = []
    for table, column in (("deals", "created_at"), ("deals", "closed_at"), ("activities", "at")):
        frame = data.tables.get(table)
        if frame is None or "owner" not in frame.columns or column not in frame.columns:
            continue
        stamps = frame[column]
        mask = ((stamps >= start) & (stamps < after)).to_numpy(dtype=bool, na_value=False)
        owners = frame["owner"]
        if isinstance(owners.dtype, pd.CategoricalDtype):  # the canonical dtype: no strings to hash
            codes, names = owners.cat.codes.to_numpy()[mask], owners.cat.categories
        else:
            codes, names = pd.factorize(owners.to_numpy()[mask])
        offsets = (stamps.to_numpy()[mask].astype("datetime64[M]") - first_month).astype("int64")
        keys = np.unique(codes[codes >= 0].astype("int64") * BASELINE_MONTHS + offsets[codes >= 0])
        found.append(pd.DataFrame({"owner": np.asarray(names, dtype=object)[keys // BASELINE_MONTHS],
                                   "month": keys % BASELINE_MONTHS}))
    if not found:
        return pd.Series(dtype="int64", name="months_of_history")
    pairs = pd.concat(found, ignore_index=True)
    pairs["owner"] = pairs["owner"].astype(str)
    return pairs.drop_duplicates().groupby("owner")["month"].size().astype("int64").rename("months_of_history")


@dataclass(frozen=True)
class RepBaselines:
    """Each rep's baseline from the rep's own history in the window.

    ``table``: one row per rep (``owner``), sorted by name: ``months_of_history``, ``flagged``
    (fewer than ``min_months``), and per KPI of ``kpis``: ``<kpi>`` (the baseline for a period of
    the report's length), ``<kpi>.value`` (the period), ``<kpi>.change`` and ``<kpi>.verdict``.
    """

    window: BaselineWindow
    kpis: tuple[str, ...]
    definitions: dict[str, KPI]
    table: pd.DataFrame
    min_months: int = MIN_HISTORY_MONTHS
    unavailable: dict[str, str] = field(default_factory=dict)  # KPIs without values per rep, and why
    reasons: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)  # kpi -> language -> text

    @property
    def flagged(self) -> pd.DataFrame:
        return self.table[self.table["flagged"]]

    def reason(self, kpi: str, language: str) -> str:
        return self.reasons.get(kpi, {}).get(language) or self.unavailable[kpi]


def rep_baselines(
    data: SalesData,
    period: Period,
    kpis: Sequence[str] = REP_KPIS,
    engine: KpiEngine | None = None,
    min_months: int = MIN_HISTORY_MONTHS,
) -> RepBaselines:
    """Per-rep baselines of ``kpis``: one ``series`` call (the window and the period, by owner),
    and a ``compute`` only to say why, when some KPI has no value per rep."""
    require_deal_column(data, "owner")
    engine = engine or KpiEngine(data)
    definitions = _definitions(data, kpis)
    window = baseline_window(period, data.config.fiscal_year_start_month)
    values = _request(engine, [window.window, window.period], list(definitions), by=("owner",))
    available = [kpi for kpi in definitions if kpi in values.grouped]
    unavailable: dict[str, str] = {}
    reasons: dict[str, dict[str, str]] = {}
    missing = [kpi for kpi in definitions if kpi not in values.grouped]
    if missing:
        current = engine.compute(period, by=("owner",), kpis=missing)
        per_owner = current.breakdown_unavailable.get("owner", {})
        for kpi in missing:
            unavailable[kpi] = current.unavailable.get(kpi) or per_owner.get(kpi) or "no value per rep"
            reasons[kpi] = {
                language: current.reasons[kpi].text(language) if kpi in current.reasons else unavailable[kpi]
                for language in LANGUAGES
            }
    history = months_of_history(data, window)
    owners = sorted(set(history.index) | values.groups, key=str.casefold)

    rows = []
    for owner in owners:
        months = int(history.get(owner, 0))
        row: dict[str, Any] = {"owner": owner, "months_of_history": months, "flagged": months < min_months}
        for kpi_id in available:
            kpi = definitions[kpi_id]
            total = values.get(kpi_id, window.window, owner)
            if kpi_kind(kpi) in ("flow", "average"):
                if total is None and months:
                    total = 0.0  # the rep has history but nothing of this KPI in the window
                baseline = total / months * window.months_in_period if months and total is not None else None
            else:
                baseline = total if months else None
            value = values.get(kpi_id, window.period, owner)
            if value is None and kpi_kind(kpi) in ("flow", "average"):
                value = 0.0
            row[kpi_id] = baseline
            row[f"{kpi_id}.value"] = value
            row[f"{kpi_id}.change"] = change(value, baseline, kpi.unit)
            row[f"{kpi_id}.verdict"] = verdict(value, baseline, kpi.direction)
        rows.append(row)
    columns = ["owner", "months_of_history", "flagged"]
    for kpi_id in available:
        columns += [kpi_id, f"{kpi_id}.value", f"{kpi_id}.change", f"{kpi_id}.verdict"]
    table = pd.DataFrame(rows, columns=columns)
    table["months_of_history"] = table["months_of_history"].astype("int64")
    table["flagged"] = table["flagged"].astype(bool)
    return RepBaselines(window=window, kpis=tuple(available), definitions=definitions, table=table,
                        min_months=min_months, unavailable=unavailable, reasons=reasons)


# --------------------------------------------------------------------------- history (charts)


@dataclass(frozen=True)
class History:
    """One KPI by month and by quarter: the baseline window and the period, a year earlier beside.

    ``monthly``: ``month`` (first day), ``value``, ``previous_year`` (the same month a year
    earlier), ``in_period`` (False for the baseline months). ``quarterly``: ``quarter`` (label),
    ``start``, ``value``, ``previous_year``, ``in_period``. Periods the data do not cover are NaN.
    ``monthly_baseline`` / ``quarterly_baseline``: the baseline for a month and for a quarter.
    """

    kpi: KPI
    monthly: pd.DataFrame
    quarterly: pd.DataFrame
    monthly_baseline: float | None
    quarterly_baseline: float | None

    @property
    def has_previous_year(self) -> bool:
        return bool(self.monthly["previous_year"].notna().any() or self.quarterly["previous_year"].notna().any())


def _period_months(window: BaselineWindow) -> list[Period]:
    """The calendar months the period overlaps, after the window."""
    months, first = [], month_start(window.period.start)
    first = max(first, month_start(window.window.end, 1))
    while first <= window.period.end:
        months.append(month_period(first))
        first = month_start(first, 1)
    return months


def _period_blocks(window: BaselineWindow, fiscal_year_start_month: int) -> list[Period]:
    """The three-month blocks after the window that end by the period's end."""
    blocks, first = [], month_start(window.window.end, 1)
    while True:
        block = block_period(first, fiscal_year_start_month)
        if block.end > window.period.end:
            return blocks
        blocks.append(block)
        first = month_start(first, 3)


def _shift_year(period: Period, fiscal_year_start_month: int) -> Period:
    if period.kind == "month":
        return month_period(month_start(period.start, -12))
    return block_period(month_start(period.start, -12), fiscal_year_start_month)


def history(
    data: SalesData,
    baselines: Baselines,
    kpis: Sequence[str] = KEY_KPIS,
    engine: KpiEngine | None = None,
) -> dict[str, History]:
    """The history of ``kpis`` (those available in ``baselines``), by month and by quarter.

    One ``series`` call for what ``baselines`` does not hold yet: the period's months and
    quarters and every shown month and quarter a year earlier.
    """
    engine = engine or KpiEngine(data)
    fy = data.config.fiscal_year_start_month
    window = baselines.window
    chosen = [kpi for kpi in kpis if kpi in set(baselines.comparison["kpi"])]
    months = [*window.months, *_period_months(window)]
    blocks = [*window.quarters, *_period_blocks(window, fy)]
    earlier_months = [_shift_year(m, fy) for m in months]
    earlier_blocks = [_shift_year(b, fy) for b in blocks]
    known = {m.label for m in window.months} | {q.label for q in window.quarters}
    wanted = [p for p in (*months, *blocks, *earlier_months, *earlier_blocks) if p.label not in known]
    values = _request(engine, wanted, chosen)

    firsts = first_months(data)
    result: dict[str, History] = {}
    for kpi_id in chosen:
        kpi = baselines.definitions[kpi_id]
        coverage = kpi_coverage(kpi, data, firsts)
        stored = baselines.monthly[baselines.monthly["kpi"] == kpi_id].set_index("label")["value"]
        stored_quarters = baselines.quarterly[baselines.quarterly["kpi"] == kpi_id].set_index("quarter")["value"]

        def value_of(period: Period, saved: pd.Series) -> float:
            if not coverage.covers(period):
                return float("nan")
            found = finite_or_none(saved.get(period.label)) if period.label in saved.index else values.get(kpi_id, period)
            return float("nan") if found is None else found

        monthly = pd.DataFrame({
            "month": [pd.Timestamp(m.start) for m in months],
            "value": [value_of(m, stored) for m in months],
            "previous_year": [value_of(m, stored) for m in earlier_months],
            "in_period": [index >= len(window.months) for index in range(len(months))],
        })
        quarterly = pd.DataFrame({
            "quarter": [b.label for b in blocks],
            "start": [pd.Timestamp(b.start) for b in blocks],
            "value": [value_of(b, stored_quarters) for b in blocks],
            "previous_year": [value_of(b, stored_quarters) for b in earlier_blocks],
            "in_period": [index >= len(window.quarters) for index in range(len(blocks))],
        })
        result[kpi_id] = History(
            kpi=kpi, monthly=monthly, quarterly=quarterly,
            monthly_baseline=baselines.level(kpi_id, "month"),
            quarterly_baseline=baselines.level(kpi_id, "quarter"),
        )
    return result


# --------------------------------------------------------------------------- tables for reports


def kpi_label(kpi: KPI, language: str) -> str:
    return kpi.label(language)


def format_kpi_value(value: float | None, unit: str, language: str, currency: str = "EUR", mean: bool = False) -> str:
    """A KPI value written for its unit: counts (one decimal when not whole, or always for a
    ``mean`` such as a baseline), amounts, %, days, hours."""
    value = finite_or_none(value)
    if value is None:
        return label("baseline.missing", language)
    if unit == "rate":
        return format_percent(value, language)
    if unit == "currency":
        return format_currency(value, language, currency)
    if unit in ("days", "hours"):
        return label(f"baseline.unit.{unit}", language, value=format_number(value, language, 1))
    if unit == "currency_per_day":
        return label("baseline.unit.per_day", language, value=format_currency(value, language, currency))
    return format_number(value, language, 0 if float(value).is_integer() and not mean else 1)


def format_change(value: float | None, unit: str, language: str) -> str:
    """``+12,5 %`` (relative change) or ``+3,1 pts`` (rates: percentage points)."""
    value = finite_or_none(value)
    if value is None:
        return label("baseline.missing", language)
    if unit == "rate":
        number = format_number(value * 100, language, 1)
        text = label("baseline.points", language, value=number)
    else:
        text = format_percent(value, language)
    return text if text.startswith("-") or _is_zero(text) else f"+{text}"


def _is_zero(text: str) -> bool:
    return not any(ch in "123456789" for ch in text)


def verdict_text(value: str | float | None, language: str) -> str:
    """``▲ better`` / ``▼ worse`` / ``= stable``; a dash when there is nothing to compare (None, NaN)."""
    if not isinstance(value, str):
        return label("baseline.missing", language)
    return label(f"baseline.verdict.{value}", language)


# Columns of family_table and their header label keys.
FAMILY_COLUMNS: dict[str, str] = {
    "label": "baseline.column.kpi",
    "value": "baseline.column.value",
    "baseline": "baseline.column.baseline",
    "change": "baseline.column.change",
    "verdict": "baseline.column.verdict",
    "previous_year": "baseline.column.previous_year",
    "previous_year_change": "baseline.column.previous_year_change",
    "previous_year_verdict": "baseline.column.verdict",
}


def families(baselines: Baselines) -> list[str]:
    """The families with at least one KPI asked for (available or not), in method order."""
    present = {kpi.family for kpi in baselines.definitions.values()}
    return sorted(present, key=lambda f: (FAMILY_ORDER.index(f) if f in FAMILY_ORDER else len(FAMILY_ORDER), f))


def family_table(baselines: Baselines, family: str, language: str, currency: str = "EUR") -> pd.DataFrame:
    """The family's available KPIs as written in a report (text columns of :data:`FAMILY_COLUMNS`)."""
    rows = []
    for row in baselines.comparison[baselines.comparison["family"] == family].to_dict("records"):
        unit = row["unit"]
        rows.append({
            "kpi": row["kpi"],
            "label": kpi_label(baselines.definitions[row["kpi"]], language),
            "value": format_kpi_value(row["value"], unit, language, currency),
            "baseline": format_kpi_value(row["baseline"], unit, language, currency, mean=True),
            "change": format_change(row["change"], unit, language),
            "verdict": verdict_text(row["verdict"], language),
            "previous_year": format_kpi_value(row["previous_year"], unit, language, currency),
            "previous_year_change": format_change(row["previous_year_change"], unit, language),
            "previous_year_verdict": verdict_text(row["previous_year_verdict"], language),
        })
    return pd.DataFrame(rows, columns=["kpi", *FAMILY_COLUMNS])


def unavailable_table(baselines: Baselines, family: str, language: str) -> pd.DataFrame:
    """``label`` and ``reason`` of the family's KPIs the data cannot support."""
    rows = [
        {"kpi": kpi_id, "label": kpi_label(baselines.definitions[kpi_id], language),
         "reason": baselines.reason(kpi_id, language)}
        for kpi_id in baselines.unavailable
        if baselines.definitions[kpi_id].family == family
    ]
    return pd.DataFrame(rows, columns=["kpi", "label", "reason"])


def excluded_text(baselines: Baselines, family: str, language: str) -> str:
    """``Left out for a missing date: sales cycle 3, ...`` for the family's KPIs (empty when none)."""
    rows = baselines.comparison[(baselines.comparison["family"] == family) & (baselines.comparison["excluded"] > 0)]
    if rows.empty:
        return ""
    items = [
        label("baseline.excluded_item", language, kpi=kpi_label(baselines.definitions[k], language),
              count=format_number(n, language))
        for k, n in zip(rows["kpi"], rows["excluded"])
    ]
    return label("baseline.excluded", language, items=label("baseline.list_separator", language).join(items))


@dataclass(frozen=True)
class ShownTable:
    """A table ready for ``nb.show_table(ctx, t.frame, columns=t.columns, kinds=t.kinds)``."""

    frame: pd.DataFrame
    columns: dict[str, str]  # column -> header label key
    kinds: dict[str, str]  # column -> value kind (strategy_kit.i18n.FORMATTERS)


def _kpi_column(kpi_id: str) -> str:
    return f"baseline.column.{kpi_id}"


def seasonal_table(baselines: Baselines, kpis: Sequence[str] = SEASONAL_KPIS) -> ShownTable:
    """The seasonal profile: one row per baseline month (``month``) and, per available flow KPI of
    ``kpis``, the month's share of the 12-month total (null when the 12 months are not all covered)."""
    frame = pd.DataFrame({"month": [pd.Timestamp(m.start) for m in baselines.window.months]})
    columns, kinds = {"month": "column.month"}, {"month": "month"}
    for kpi_id in kpis:
        rows = baselines.monthly[baselines.monthly["kpi"] == kpi_id]
        if rows.empty or kpi_kind(baselines.definitions[kpi_id]) != "flow":
            continue
        frame[kpi_id] = rows["share"].to_numpy()
        columns[kpi_id] = _kpi_column(kpi_id)
        kinds[kpi_id] = "percent"
    if len(columns) == 1:
        raise UnavailableError("none of the KPIs of the seasonal profile (" + ", ".join(kpis) + ") is available")
    return ShownTable(frame, columns, kinds)


def quarterly_table(baselines: Baselines, language: str, currency: str = "EUR",
                    kpis: Sequence[str] = KEY_KPIS) -> ShownTable:
    """One row per baseline quarter (``quarter``: its name in ``language``) then a row with the
    baseline for a quarter; one column per available KPI of ``kpis``, written for its unit."""
    quarters = baselines.window.quarters
    frame = pd.DataFrame({"quarter": [*(quarter_text(q.label, q.start, q.end, language) for q in quarters),
                                      label("baseline.quarter_baseline", language)]})
    columns = {"quarter": "baseline.column.quarter"}
    for kpi_id in kpis:
        values = baselines.quarterly[baselines.quarterly["kpi"] == kpi_id]["value"]
        if values.empty:
            continue
        unit = baselines.definitions[kpi_id].unit
        frame[kpi_id] = [*(format_kpi_value(v, unit, language, currency) for v in values),
                         format_kpi_value(baselines.level(kpi_id, "quarter"), unit, language, currency, mean=True)]
        columns[kpi_id] = _kpi_column(kpi_id)
    if len(columns) == 1:
        raise UnavailableError("none of the key KPIs (" + ", ".join(kpis) + ") is available")
    return ShownTable(frame, columns, {})


def rep_table(reps: RepBaselines, language: str, currency: str = "EUR") -> ShownTable:
    """Per rep: months of history (with the short-history flag) and the baseline of each KPI,
    written for its unit."""
    frame = reps.table[["owner"]].copy()
    frame["months_of_history"] = [
        label("baseline.months_flagged", language, months=format_number(months, language)) if flagged
        else format_number(months, language)
        for months, flagged in zip(reps.table["months_of_history"], reps.table["flagged"])
    ]
    columns = {"owner": "baseline.column.owner", "months_of_history": "baseline.column.months_of_history"}
    for kpi_id in reps.kpis:
        unit = reps.definitions[kpi_id].unit
        frame[kpi_id] = [format_kpi_value(v, unit, language, currency, mean=True) for v in reps.table[kpi_id]]
        columns[kpi_id] = _kpi_column(kpi_id)
    return ShownTable(frame, columns, {})


def require_family(baselines: Baselines, family: str, language: str) -> None:
    """Raise :class:`UnavailableError` (with the reasons, in ``language``) when none of the family's
    KPIs is available; the notebook's section then shows "not available"."""
    if (baselines.comparison["family"] == family).any():
        return
    reasons = sorted({baselines.reason(kpi_id, language) for kpi_id in baselines.unavailable
                      if baselines.definitions[kpi_id].family == family})
    raise UnavailableError(label("baseline.list_separator", language).join(reasons)
                           or f"no KPI of the family '{family}' was asked for")


def quarter_text(period_label: str, start: date, end: date, language: str) -> str:
    """``T3 2025`` / ``Q3 2025`` for a quarter label, else ``sept. 2025 – nov. 2025``."""
    if "-Q" in period_label and ".." not in period_label:
        year, quarter = period_label.split("-Q")
        return label("baseline.quarter", language, quarter=quarter, year=year)
    return f"{format_month(start, language)} – {format_month(end, language)}"


# --------------------------------------------------------------------------- narrative


@dataclass(frozen=True)
class Sentence:
    """A narrative sentence: a label key and its already-written fields (``nb.show_text(ctx, s.key, **s.fields)``)."""

    key: str
    fields: dict[str, str]
    language: str

    def __str__(self) -> str:
        return label(self.key, self.language, **self.fields)


def _score(row: Mapping[str, Any]) -> float | None:
    """How much better (positive) or worse (negative) than the baseline, relative to it."""
    value, baseline = finite_or_none(row["value"]), finite_or_none(row["baseline"])
    if value is None or baseline is None or baseline <= 0 or row["verdict"] in (None, "stable"):
        return None
    relative = value / baseline - 1
    return relative if row["direction"] == "higher" else -relative


def _item(baselines: Baselines, row: Mapping[str, Any], language: str, currency: str) -> str:
    return label(
        "baseline.narrative.item", language,
        kpi=kpi_label(baselines.definitions[row["kpi"]], language),
        change=format_change(row["change"], row["unit"], language),
        value=format_kpi_value(row["value"], row["unit"], language, currency),
        baseline=format_kpi_value(row["baseline"], row["unit"], language, currency, mean=True),
    )


def highlights(baselines: Baselines, language: str, currency: str = "EUR", count: int = 3) -> list[Sentence]:
    """What moved most against the baseline (up to ``count`` improvements and declines, ranked by
    relative change in the KPI's good direction), revenue over the window against the year before,
    and a caution when some baselines rest on fewer than 12 months of data (or on none)."""
    comparison = baselines.comparison
    if comparison.empty or comparison["months_covered"].max() == 0:
        return [Sentence("baseline.narrative.no_baseline", {
            "start": format_month(baselines.window.window.start, language),
            "end": format_month(baselines.window.window.end, language),
        }, language)]
    sentences: list[Sentence] = []
    scored = [(score, row) for row in comparison.to_dict("records") if (score := _score(row)) is not None]
    separator = label("baseline.list_separator", language)
    better = sorted((s for s in scored if s[0] > 0), key=lambda s: -s[0])[:count]
    worse = sorted((s for s in scored if s[0] < 0), key=lambda s: s[0])[:count]
    for key, chosen in (("improvements", better), ("declines", worse)):
        if chosen:
            items = separator.join(_item(baselines, row, language, currency) for _, row in chosen)
            sentences.append(Sentence(f"baseline.narrative.{key}", {"items": items}, language))
        else:
            sentences.append(Sentence(f"baseline.narrative.no_{key}", {}, language))

    revenue_kpi = next((k for k in ("revenue", "won_value") if k in set(comparison["kpi"])), None)
    if revenue_kpi is not None and baselines.row(revenue_kpi)["months_covered"] == BASELINE_MONTHS:
        row = baselines.row(revenue_kpi)
        fields = {
            "kpi": kpi_label(baselines.definitions[revenue_kpi], language),
            "start": format_month(baselines.window.window.start, language),
            "end": format_month(baselines.window.window.end, language),
            "value": format_kpi_value(row["window_value"], row["unit"], language, currency),
        }
        if finite_or_none(row["yoy_growth"]) is None:
            sentences.append(Sentence("baseline.narrative.window_no_yoy", fields, language))
        else:
            fields.update(change=format_change(row["yoy_growth"], row["unit"], language),
                          previous=format_kpi_value(row["previous_window_value"], row["unit"], language, currency))
            sentences.append(Sentence("baseline.narrative.window_yoy", fields, language))

    if baselines.months_covered < BASELINE_MONTHS:
        sentences.append(Sentence("baseline.narrative.partial", {
            "months": format_number(baselines.months_covered, language),
        }, language))
    return sentences


def rep_highlights(reps: RepBaselines, language: str, currency: str = "EUR", kpi: str = "won_value") -> list[Sentence]:
    """Reps flagged for a short history; among the others, who moved most against their own baseline on ``kpi``."""
    sentences: list[Sentence] = []
    separator = label("baseline.list_separator", language)
    flagged = reps.flagged
    minimum = format_number(reps.min_months, language)
    if flagged.empty:
        sentences.append(Sentence("baseline.narrative.reps_none_flagged", {"min": minimum}, language))
    else:
        names = separator.join(
            label("baseline.narrative.rep_months", language, owner=owner, months=format_number(months, language))
            for owner, months in zip(flagged["owner"], flagged["months_of_history"])
        )
        sentences.append(Sentence("baseline.narrative.reps_flagged", {
            "count": format_number(len(flagged), language), "min": minimum, "reps": names,
        }, language))
    if kpi in reps.kpis:
        definition = reps.definitions[kpi]
        steady = reps.table[~reps.table["flagged"]]
        scored = []
        for row in steady.to_dict("records"):
            score = _score({"value": row[f"{kpi}.value"], "baseline": row[kpi],
                            "verdict": row[f"{kpi}.verdict"], "direction": definition.direction})
            if score is not None:
                scored.append((score, row))
        if scored:
            best = max(scored, key=lambda s: s[0])
            worst = min(scored, key=lambda s: s[0])
            fields = {"kpi": kpi_label(definition, language)}
            for prefix, (score, row) in (("best", best), ("worst", worst)):
                fields[f"{prefix}"] = row["owner"]
                fields[f"{prefix}_change"] = format_change(row[f"{kpi}.change"], definition.unit, language)
            key = "baseline.narrative.reps_moves" if best[0] > 0 > worst[0] else (
                "baseline.narrative.reps_all_up" if worst[0] > 0 else "baseline.narrative.reps_all_down")
            sentences.append(Sentence(key, fields, language))
    return sentences


def rule_sentence(baselines: Baselines, language: str) -> Sentence:
    """How the period is compared with its baseline, for this period's kind."""
    window = baselines.window
    kind = window.period.kind if window.period.kind in ("quarter", "month", "year") else "other"
    return Sentence(f"baseline.rule.{kind}", {
        "start": format_month(window.window.start, language),
        "end": format_month(window.window.end, language),
        "previous_year": f"{format_month(window.previous_year.start, language)}"
                         if window.previous_year.kind == "month" else
                         label("report.period_dates", language,
                               start=format_date(window.previous_year.start, language),
                               end=format_date(window.previous_year.end, language)),
    }, language)
