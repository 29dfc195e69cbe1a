"""The annual revenue objective, its phasing and the reverse funnel (METHOD.md sections 2 and 3):
pure numbers.

Validated inputs (:class:`~strategy_kit.inputs.objectives.Objectives`),
:class:`~strategy_kit.data.SalesData` and a :class:`~strategy_kit.kpis.KpiEngine` in, dataclasses
and DataFrames out; no language, no I/O. :mod:`strategy_kit.narrative.objectives` writes them for a
reader; the intermediate objectives, the attainment and the projection are in
:mod:`strategy_kit.analytics.objectives_tracking`.

The rules (notebook 06 and ``strategy-kit objectives`` show them):

- **Annual objective**: ``revenue`` (absolute) or ``revenue_growth`` over the revenue of the
  previous fiscal year (the baseline year), for the fiscal year ``year`` (named by its ending
  calendar year, as periods are). Rounded to the currency unit (half up).
- **Phasing**: each month of the fiscal year gets the share its month had of the baseline year's
  revenue (the seasonal profile). Amounts are whole currency units: each month gets the integer
  part of its exact amount, and the units left over go one each to the months with the largest
  fractional parts (ties: the earlier month), so the months add up to the year exactly.
- **Reverse funnel** (per month, from the baseline year's pooled rates): won value to reach =
  revenue target x (won value / revenue of the baseline year: 1 when revenue is the won value);
  deals to win = won value / average deal size; deals entering each open stage = deals entering
  the next stage / the stage's conversion (``stage_conversion.<stage>``), from the last open stage
  back to the first (new deals); new leads = new deals / ``lead_to_deal_rate``. Means objectives:
  the calls and emails logged on deals while in a stage, per deal that advanced from that stage
  in the baseline year, times the deals that must advance from it; for the lead step, the calls
  and emails on leads per lead that became a deal, times the new deals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.analytics.baselines import compute_baselines
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.inputs.objectives import Objectives
from strategy_kit.kpis import KpiEngine
from strategy_kit.kpis.arrays import encode
from strategy_kit.periods import Period, fiscal_quarter_of, fiscal_year_bounds, month_start

ACTIVITY_MEANS = {"call": "calls", "email": "emails"}  # activity type -> means objective
LEAD_STEP = "lead"
VARIANT_POINTS = 5.0  # the report's variant: the weakest stage's conversion 5 points higher


# --------------------------------------------------------------------------- periods


def fiscal_year(year: int, fiscal_year_start_month: int = 1) -> Period:
    start, end = fiscal_year_bounds(year, fiscal_year_start_month)
    return Period(str(year), start, end, "year")


def year_months(year: int, fiscal_year_start_month: int = 1) -> list[date]:
    start, _ = fiscal_year_bounds(year, fiscal_year_start_month)
    return [month_start(start, offset) for offset in range(12)]


def quarter_label(month: date, fiscal_year_start_month: int = 1) -> str:
    year, quarter = fiscal_quarter_of(month, fiscal_year_start_month)
    return f"{year}-Q{quarter}"


# --------------------------------------------------------------------------- annual objective and phasing


def round_half_up(value: float) -> int:
    return int(math.floor(value + 0.5))


def largest_remainder(total: int, shares: Sequence[float]) -> list[int]:
    """Whole amounts proportional to ``shares`` that add up to ``total`` exactly: each gets the
    integer part of ``total x share``; the units left go to the largest fractional parts, ties to
    the earlier position."""
    weights = np.asarray(shares, dtype="float64")
    if weights.sum() <= 0:
        raise ValueError("shares must have a positive sum")
    exact = total * weights / weights.sum()
    floors = np.floor(exact + 1e-9).astype("int64")
    left = int(total - floors.sum())
    fractions = exact - floors
    order = sorted(range(len(exact)), key=lambda i: (-round(float(fractions[i]), 9), i))
    for index in order[:left]:
        floors[index] += 1
    return [int(v) for v in floors]


def annual_target(objectives: Objectives, baseline_revenue: float) -> int:
    if objectives.revenue is not None:
        return round_half_up(objectives.revenue)
    return round_half_up(baseline_revenue * (1 + float(objectives.revenue_growth or 0.0)))


def phase_objective(objectives: Objectives, monthly: pd.DataFrame, config: Any) -> pd.DataFrame:
    """The year's revenue target by month: ``month`` (first day), ``quarter`` (fiscal label),
    ``revenue_target`` (int, currency units, summing to the year exactly), ``share`` (of the
    baseline year), ``baseline`` (the same month of the baseline year).

    ``monthly``: the baseline year's revenue by month (columns ``month``, ``value``; 12 rows in
    order), e.g. ``Baselines.monthly`` for the KPI ``revenue``.
    """
    fy = config.fiscal_year_start_month
    values = pd.to_numeric(monthly["value"], errors="coerce").to_numpy(dtype="float64")
    if len(values) != 12 or np.isnan(values).any():
        raise UnavailableError(
            "objectives.unavailable.baseline_year", year=objectives.year, baseline_year=objectives.year - 1
        )
    total = float(values.sum())
    if total <= 0:
        raise UnavailableError("objectives.unavailable.no_baseline_revenue", baseline_year=objectives.year - 1)
    shares = values / total
    amounts = largest_remainder(annual_target(objectives, total), shares)
    months = year_months(objectives.year, fy)
    return pd.DataFrame(
        {
            "month": [pd.Timestamp(m) for m in months],
            "quarter": [quarter_label(m, fy) for m in months],
            "revenue_target": pd.Series(amounts, dtype="int64"),
            "share": shares,
            "baseline": values,
        }
    )


def quarterly_targets(phasing: pd.DataFrame) -> pd.DataFrame:
    """``quarter``, ``revenue_target``, ``share``, ``baseline`` (sums of the months)."""
    return phasing.groupby("quarter", sort=False, as_index=False)[["revenue_target", "share", "baseline"]].sum()


# --------------------------------------------------------------------------- reverse funnel


@dataclass(frozen=True)
class FunnelRates:
    """The baseline year's rates the reverse funnel works back through (pooled over the year)."""

    period: Period  # the baseline year
    avg_deal_size: float
    won_value_ratio: float  # won value / revenue (1 when revenue is the won value)
    conversions: dict[str, float]  # open stage -> stage_conversion, in stage order
    lead_to_deal_rate: float | None  # None: no leads table
    # step (open stage or "lead") -> activity type -> activities per deal advancing from the step
    activities_per_advance: dict[str, dict[str, float]]

    def improved(self, stage: str, points: float) -> FunnelRates:
        """The same rates with ``stage``'s conversion ``points`` percentage points higher (at most 100 %)."""
        if stage not in self.conversions:
            raise ValueError(f"'{stage}' is not an open stage; one of {', '.join(self.conversions)}")
        conversions = dict(self.conversions)
        conversions[stage] = min(1.0, conversions[stage] + points / 100)
        return replace(self, conversions=conversions)


FUNNEL_KPIS = ("revenue", "won_value", "avg_deal_size", "lead_to_deal_rate")


def text_in(values: pd.Series, wanted: Iterable[str]) -> np.ndarray:
    """Whether each value, written as text (``values.astype(str)``), is one of ``wanted``; a
    category's labels are written once each, not once per row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        labels = pd.Index(values.cat.categories).astype(str).isin(list(wanted))
        codes = values.cat.codes.to_numpy()
        return (codes >= 0) & labels[np.maximum(codes, 0)]
    return values.astype(str).isin(list(wanted)).to_numpy()


def text_index(values: pd.Series, names: Sequence[str]) -> np.ndarray:
    """The position in ``names`` of each value written as text (``values.astype(str)``), -1 for
    one that is not there; a category's labels are written once each."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        labels = pd.Index(pd.Index(values.cat.categories).astype(str)).get_indexer(list(names))
        positions = np.full(len(values.cat.categories), -1, dtype=np.int64)
        positions[labels[labels >= 0]] = np.flatnonzero(labels >= 0)
        codes = values.cat.codes.to_numpy()
        return np.where(codes >= 0, positions[np.maximum(codes, 0)], -1)
    found = pd.Index(list(names)).get_indexer(values.astype(str))
    return np.asarray(found, dtype=np.int64)


def _stage_activities(data: SalesData, window: Period, stages: Sequence[str]) -> dict[str, dict[str, float]]:
    """Calls and emails per advancing deal, by open stage and for the lead step (see module doc).

    Reads only the columns it needs, and counts on integer codes: a deal's stays follow its
    history rows in time order (rows entered at the same time in table order); an activity is
    placed in the stay that began last at or before it (of rows entered at the same time, the
    last in time order)."""
    result: dict[str, dict[str, float]] = {}
    if not data.has("activities"):
        return result
    start, end = pd.Timestamp(window.start), pd.Timestamp(window.end) + pd.Timedelta(days=1)
    table = data.tables["activities"]
    acts = table[[c for c in ("type", "at", "deal_id", "lead_id") if c in table.columns or c in ("type", "at")]]
    at = acts["at"]
    acts = acts[text_in(acts["type"], ACTIVITY_MEANS) & ((at >= start) & (at < end)).to_numpy()]
    kinds = list(ACTIVITY_MEANS)
    if data.has("stage_history"):
        history = data.tables["stage_history"][["deal_id", "stage", "entered_at"]].dropna()
        # Each deal's rows in time order, as sort_values(["deal_id", "entered_at"]) orders them.
        deal_rank, deal_ids = pd.factorize(history["deal_id"], sort=True)
        entered = history["entered_at"].to_numpy()
        order = np.lexsort((entered, deal_rank))
        deal_rank, entered = deal_rank[order], entered[order]
        stage = text_index(history["stage"], stages)[order]
        same_deal = np.zeros(len(order), dtype=bool)
        same_deal[:-1] = deal_rank[1:] == deal_rank[:-1]
        next_at = pd.Series(np.where(same_deal, np.roll(entered, -1), np.datetime64("NaT")), dtype=entered.dtype)
        advanced = ((next_at >= start) & (next_at < end)).to_numpy() & (stage >= 0)
        advancing = np.bincount(stage[advanced], minlength=len(stages))
        on_deals = acts[acts["deal_id"].notna()]
        # The ids matched as text, each written once: a code per text, shared by both sides.
        id_key, left_key = encode(pd.Series(deal_ids).astype(str), on_deals["deal_id"].astype(str))
        right_key = id_key[deal_rank]
        stays = pd.DataFrame({"deal": right_key, "stage": stage, "entered_at": entered})
        visits = pd.DataFrame(
            {"deal": left_key, "kind": text_index(on_deals["type"], kinds), "at": on_deals["at"].to_numpy()}
        )
        placed = pd.merge_asof(
            visits.sort_values("at"),
            stays.sort_values("entered_at"),
            left_on="at",
            right_on="entered_at",
            by="deal",
            direction="backward",
        )
        placed = placed[placed["stage"].notna()]
        cells = placed["stage"].to_numpy(dtype=np.int64) * len(kinds) + placed["kind"].to_numpy()
        counts = np.bincount(cells[cells >= 0], minlength=len(stages) * len(kinds)).reshape(-1, len(kinds))
        for position, name in enumerate(stages):
            deals = int(advancing[position])
            if deals:
                result[name] = {kind: float(counts[position, k]) / deals for k, kind in enumerate(kinds)}
    if data.has("leads") and "lead_id" in acts.columns:
        leads = data.tables["leads"]
        converted = leads["converted_at"] if "converted_at" in leads.columns else None
        if converted is not None:
            became = int(((converted >= start) & (converted < end)).sum())
            on_leads = acts[acts["lead_id"].notna() & acts["deal_id"].isna()]
            if became:
                per_type = on_leads["type"].astype(str).value_counts()
                result[LEAD_STEP] = {kind: float(per_type.get(kind, 0)) / became for kind in ACTIVITY_MEANS}
    return result


class StageUnavailable(UnavailableError):
    """An :class:`UnavailableError` naming a stage, whose name depends on the language:
    ``names`` is language -> the stage's name there (the client's ``stages`` in client.yml)."""

    def __init__(self, key: str, names: Mapping[str, str], **fields: Any):
        self.names = dict(names)
        super().__init__(key, **fields)

    def reason(self, language: str) -> str:
        fields = self.fields
        self.fields = {**fields, "stage": self.names.get(language) or next(iter(self.names.values()))}
        try:
            return super().reason(language)
        finally:
            self.fields = fields


def _stage_names(config: Any, stage: str) -> dict[str, str]:
    for item in config.stages:
        if item.id == stage:
            return {"fr": item.fr, "en": item.en}
    return {"fr": stage, "en": stage}


def funnel_rates(data: SalesData, year: int, engine: KpiEngine | None = None) -> FunnelRates:
    """The rates of the fiscal year before ``year`` (pooled), for :func:`reverse_funnel`."""
    engine = engine or KpiEngine(data)
    stages = list(data.config.stage_ids[:-1])
    kpis = [*FUNNEL_KPIS, *(f"stage_conversion.{s}" for s in stages)]
    period = fiscal_year(year, data.config.fiscal_year_start_month)
    base = compute_baselines(data, period, kpis=kpis, engine=engine)
    window = base.window.window
    values = dict(zip(base.comparison["kpi"], base.comparison["window_value"]))

    def rate(kpi: str) -> float | None:
        value = values.get(kpi)
        return None if value is None or pd.isna(value) else float(value)

    avg = rate("avg_deal_size")
    if not avg:
        raise UnavailableError("objectives.unavailable.no_deal_won", start=window.start, end=window.end)
    revenue, won = rate("revenue"), rate("won_value")
    ratio = won / revenue if revenue and won else 1.0
    conversions = {}
    for stage in stages:
        value = rate(f"stage_conversion.{stage}")
        if not value:
            raise StageUnavailable(
                "objectives.unavailable.stage_conversion",
                _stage_names(data.config, stage),
                start=window.start,
                end=window.end,
            )
        conversions[stage] = value
    return FunnelRates(
        window, avg, ratio, conversions, rate("lead_to_deal_rate") or None, _stage_activities(data, window, stages)
    )


def reverse_funnel(phasing: pd.DataFrame, rates: FunnelRates, won_stage: str = "won") -> pd.DataFrame:
    """Per month and step, from the revenue target back to leads and activities (long format):
    ``month``, ``quarter``, ``step`` (``won``, each open stage from the last to the first, then
    ``lead``), ``objective`` (results: deals won / deals entering the stage / new leads), ``calls``,
    ``emails`` (means: activities for the deals that must advance from the step)."""
    stages = list(rates.conversions)
    rows: list[dict[str, Any]] = []
    for month, quarter, revenue in zip(phasing["month"], phasing["quarter"], phasing["revenue_target"]):
        won = float(revenue) * rates.won_value_ratio / rates.avg_deal_size
        rows.append(
            {"month": month, "quarter": quarter, "step": won_stage, "objective": won, "calls": np.nan, "emails": np.nan}
        )
        following = won
        for stage in reversed(stages):
            entering = following / rates.conversions[stage]
            per = rates.activities_per_advance.get(stage)
            rows.append(
                {
                    "month": month,
                    "quarter": quarter,
                    "step": stage,
                    "objective": entering,
                    "calls": following * per["call"] if per else np.nan,
                    "emails": following * per["email"] if per else np.nan,
                }
            )
            following = entering
        if rates.lead_to_deal_rate:
            per = rates.activities_per_advance.get(LEAD_STEP)
            rows.append(
                {
                    "month": month,
                    "quarter": quarter,
                    "step": LEAD_STEP,
                    "objective": following / rates.lead_to_deal_rate,
                    "calls": following * per["call"] if per else np.nan,
                    "emails": following * per["email"] if per else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=["month", "quarter", "step", "objective", "calls", "emails"])


def funnel_by_quarter(funnel: pd.DataFrame) -> pd.DataFrame:
    """Results and means objectives per step (rows, in funnel order) and quarter, plus the year."""
    summed = funnel.groupby(["step", "quarter"], sort=False)[["objective", "calls", "emails"]].sum(min_count=1)
    summed = summed.reset_index()
    year = funnel.groupby("step", sort=False)[["objective", "calls", "emails"]].sum(min_count=1).reset_index()
    year["quarter"] = "year"
    return pd.concat([summed, year], ignore_index=True)


def funnel_variant(phasing: pd.DataFrame, rates: FunnelRates, stage: str, points: float) -> pd.DataFrame:
    """The year's objectives per step with the base rates and with ``stage``'s conversion
    ``points`` points higher: ``step``, ``base``, ``variant``, ``change`` (relative), and the same
    for ``calls`` and ``emails`` (totals)."""
    base = reverse_funnel(phasing, rates).groupby("step", sort=False)[["objective", "calls", "emails"]].sum(min_count=1)
    variant = (
        reverse_funnel(phasing, rates.improved(stage, points))
        .groupby("step", sort=False)[["objective", "calls", "emails"]]
        .sum(min_count=1)
    )
    table = pd.DataFrame(
        {"step": base.index, "base": base["objective"].to_numpy(), "variant": variant["objective"].to_numpy()}
    )
    table["change"] = table["variant"] / table["base"] - 1
    totals = pd.DataFrame(
        {
            "step": ["calls", "emails"],
            "base": [base["calls"].sum(), base["emails"].sum()],
            "variant": [variant["calls"].sum(), variant["emails"].sum()],
        }
    )
    totals["change"] = totals["variant"] / totals["base"] - 1
    return pd.concat([table, totals], ignore_index=True)


def weakest_stage(rates: FunnelRates) -> str:
    """The open stage with the lowest conversion (the first one on a tie)."""
    return min(rates.conversions, key=lambda stage: rates.conversions[stage])


# --------------------------------------------------------------------------- the whole plan


@dataclass(frozen=True)
class ObjectivePlan:
    """The annual objective, its phasing and its reverse funnel, for one fiscal year."""

    objectives: Objectives
    year: Period
    baseline_year: Period
    baseline_revenue: float
    revenue_target: int
    phasing: pd.DataFrame
    rates: FunnelRates | None
    funnel: pd.DataFrame | None
    funnel_unavailable: UnavailableError | None = None  # why there is no funnel (``reason(language)``)

    @property
    def growth(self) -> float | None:
        return self.revenue_target / self.baseline_revenue - 1 if self.baseline_revenue else None

    @property
    def new_business_target(self) -> int | None:
        share = self.objectives.new_business_share
        return None if share is None else round_half_up(self.revenue_target * share)


def build_plan(data: SalesData, objectives: Objectives, engine: KpiEngine | None = None) -> ObjectivePlan:
    """Phasing from the baseline year's revenue by month, and the reverse funnel (or why it is
    unavailable)."""
    engine = engine or KpiEngine(data)
    fy = data.config.fiscal_year_start_month
    year = fiscal_year(objectives.year, fy)
    base = compute_baselines(data, year, kpis=["revenue"], engine=engine)
    if "revenue" in base.unavailable:
        raise UnavailableError("objectives.unavailable.no_revenue", year=objectives.year - 1)
    monthly = base.monthly[base.monthly["kpi"] == "revenue"]
    phasing = phase_objective(objectives, monthly, data.config)
    try:
        rates = funnel_rates(data, objectives.year, engine)
        funnel, reason = reverse_funnel(phasing, rates, data.config.stage_ids[-1]), None
    except UnavailableError as exc:
        rates, funnel, reason = None, None, exc
    return ObjectivePlan(
        objectives,
        year,
        fiscal_year(objectives.year - 1, fy),
        float(phasing["baseline"].sum()),
        int(phasing["revenue_target"].sum()),
        phasing,
        rates,
        funnel,
        reason,
    )
