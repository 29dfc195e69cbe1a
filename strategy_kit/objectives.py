"""Objectives (METHOD.md sections 2 to 4): the 12-month revenue objective phased by month and
quarter, the reverse funnel from revenue to activities, intermediate objectives and their status,
and the team's attainment with a year-end projection.

Pure functions: validated inputs, :class:`~strategy_kit.data.SalesData` and a
:class:`~strategy_kit.kpis.KpiEngine` in, dataclasses and DataFrames out; no I/O (the saved input
is read by :func:`strategy_kit.inputs.objectives.load_objectives`).

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
- **Intermediate objectives** are measured month by month. The starting level is the KPI over
  the :data:`START_MONTHS` months before ``start`` (counts and amounts: mean per month; rates:
  pooled); an ``absolute`` target is the level to reach, a ``relative`` one the change on the
  starting level (``0.3``: +30 %). The path is the straight line from the starting level at
  ``start`` to the target at ``deadline``. Status at the latest month measured: ``progress`` is
  the share of the planned change achieved, ``elapsed`` the share of the time elapsed (at the
  month's end); on track when ``elapsed - progress`` <= :data:`ON_TRACK_LAG`, at risk when <=
  :data:`AT_RISK_LAG`, off track beyond.
- **Attainment**: revenue of the month, the quarter and the fiscal year to date (ending with the
  period) against the phased targets of the same months.
- **Projection of the year end**: the mean of two estimates, both starting from the revenue to
  date: plus the run rate (mean monthly revenue of the last :data:`RUN_RATE_MONTHS` months) times
  the months left, and plus the open weighted pipeline at the period's end.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.analytics.baselines import compute_baselines, month_period
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.i18n import label
from strategy_kit.inputs.objectives import (  # noqa: F401
    INPUT_NAME,
    KINDS,
    TEAM,
    Intermediate,
    Objectives,
    data_owners,
    validate_objectives,
)
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import (
    Period,
    fiscal_quarter_of,
    fiscal_year_bounds,
    month_end,
    month_start,
)

START_MONTHS = 3  # months before an intermediate objective's start that give its starting level
ON_TRACK_LAG = 0.10  # behind the straight-line path by at most 10 % of the way: on track
AT_RISK_LAG = 0.25  # behind by at most 25 % of the way: at risk; more: off track
STATUSES = ("on_track", "at_risk", "off_track", "no_data")
RUN_RATE_MONTHS = 3
ACTIVITY_MEANS = {"call": "calls", "email": "emails"}  # activity type -> means objective
LEAD_STEP = "lead"


# --------------------------------------------------------------------------- inputs


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


@dataclass(frozen=True)
class Plan:
    """The annual objective: the baseline year, its revenue and the target."""

    year: Period
    baseline_year: Period
    baseline_revenue: float
    revenue_target: int
    growth: float | None  # target / baseline - 1


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
            f"the data do not cover the 12 months of fiscal year {objectives.year - 1} (the baseline of "
            f"the {objectives.year} objective): import a longer history or set the objective for a later year")
    total = float(values.sum())
    if total <= 0:
        raise UnavailableError(f"no revenue in fiscal year {objectives.year - 1}: the seasonal profile is undefined")
    shares = values / total
    amounts = largest_remainder(annual_target(objectives, total), shares)
    months = year_months(objectives.year, fy)
    return pd.DataFrame({
        "month": [pd.Timestamp(m) for m in months],
        "quarter": [quarter_label(m, fy) for m in months],
        "revenue_target": pd.Series(amounts, dtype="int64"),
        "share": shares,
        "baseline": values,
    })


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


def _stage_activities(data: SalesData, window: Period, stages: Sequence[str]) -> dict[str, dict[str, float]]:
    """Calls and emails per advancing deal, by open stage and for the lead step (see module doc)."""
    result: dict[str, dict[str, float]] = {}
    if not data.has("activities"):
        return result
    start, end = pd.Timestamp(window.start), pd.Timestamp(window.end) + pd.Timedelta(days=1)
    acts = data.tables["activities"]
    acts = acts[acts["type"].astype(str).isin(ACTIVITY_MEANS) & (acts["at"] >= start) & (acts["at"] < end)]
    if data.has("stage_history"):
        history = data.tables["stage_history"][["deal_id", "stage", "entered_at"]].dropna()
        history = history.assign(stage=history["stage"].astype(str)).sort_values(["deal_id", "entered_at"])
        history["next_at"] = history.groupby("deal_id")["entered_at"].shift(-1)
        advanced = history[(history["next_at"] >= start) & (history["next_at"] < end)]
        advancing = advanced["stage"].value_counts()
        on_deals = acts[acts["deal_id"].notna()][["deal_id", "type", "at"]].sort_values("at")
        placed = pd.merge_asof(on_deals.assign(deal_id=on_deals["deal_id"].astype(str)),
                               history.assign(deal_id=history["deal_id"].astype(str)).sort_values("entered_at"),
                               left_on="at", right_on="entered_at", by="deal_id", direction="backward")
        counts = placed.dropna(subset=["stage"]).groupby(["stage", placed["type"].astype(str)]).size()
        for stage in stages:
            deals = int(advancing.get(stage, 0))
            if deals:
                result[stage] = {kind: float(counts.get((stage, kind), 0)) / deals for kind in ACTIVITY_MEANS}
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
        raise UnavailableError(f"no deal won between {window.start} and {window.end}: the average deal size "
                               "the reverse funnel starts from is undefined")
    revenue, won = rate("revenue"), rate("won_value")
    ratio = won / revenue if revenue and won else 1.0
    conversions = {}
    for stage in stages:
        value = rate(f"stage_conversion.{stage}")
        if not value:
            raise UnavailableError(f"the conversion of stage '{stage}' over {window.start}..{window.end} is "
                                   "undefined or zero: the reverse funnel cannot work back through it")
        conversions[stage] = value
    return FunnelRates(window, avg, ratio, conversions, rate("lead_to_deal_rate") or None,
                       _stage_activities(data, window, stages))


def reverse_funnel(phasing: pd.DataFrame, rates: FunnelRates, won_stage: str = "won") -> pd.DataFrame:
    """Per month and step, from the revenue target back to leads and activities (long format):
    ``month``, ``quarter``, ``step`` (``won``, each open stage from the last to the first, then
    ``lead``), ``objective`` (results: deals won / deals entering the stage / new leads), ``calls``,
    ``emails`` (means: activities for the deals that must advance from the step)."""
    stages = list(rates.conversions)
    rows: list[dict[str, Any]] = []
    for month, quarter, revenue in zip(phasing["month"], phasing["quarter"], phasing["revenue_target"]):
        won = float(revenue) * rates.won_value_ratio / rates.avg_deal_size
        rows.append({"month": month, "quarter": quarter, "step": won_stage, "objective": won,
                     "calls": np.nan, "emails": np.nan})
        following = won
        for stage in reversed(stages):
            entering = following / rates.conversions[stage]
            per = rates.activities_per_advance.get(stage)
            rows.append({"month": month, "quarter": quarter, "step": stage, "objective": entering,
                         "calls": following * per["call"] if per else np.nan,
                         "emails": following * per["email"] if per else np.nan})
            following = entering
        if rates.lead_to_deal_rate:
            per = rates.activities_per_advance.get(LEAD_STEP)
            rows.append({"month": month, "quarter": quarter, "step": LEAD_STEP,
                         "objective": following / rates.lead_to_deal_rate,
                         "calls": following * per["call"] if per else np.nan,
                         "emails": following * per["email"] if per else np.nan})
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
    variant = reverse_funnel(phasing, rates.improved(stage, points)).groupby("step", sort=False)[
        ["objective", "calls", "emails"]].sum(min_count=1)
    table = pd.DataFrame({"step": base.index, "base": base["objective"].to_numpy(),
                          "variant": variant["objective"].to_numpy()})
    table["change"] = table["variant"] / table["base"] - 1
    totals = pd.DataFrame({
        "step": ["calls", "emails"],
        "base": [base["calls"].sum(), base["emails"].sum()],
        "variant": [variant["calls"].sum(), variant["emails"].sum()],
    })
    totals["change"] = totals["variant"] / totals["base"] - 1
    return pd.concat([table, totals], ignore_index=True)


# --------------------------------------------------------------------------- intermediate objectives


def status_of(progress: float | None, elapsed: float) -> str:
    """``on_track`` / ``at_risk`` / ``off_track`` from the share of the way done and of the time elapsed."""
    if progress is None or math.isnan(progress):
        return "no_data"
    lag = elapsed - progress
    if lag <= ON_TRACK_LAG:
        return "on_track"
    if lag <= AT_RISK_LAG:
        return "at_risk"
    return "off_track"


def progress_of(actual: float | None, start_level: float | None, target: float) -> float | None:
    """The share of the planned change achieved; when no change is planned, 1 if the target is held."""
    if actual is None or start_level is None or pd.isna(actual) or pd.isna(start_level):
        return None
    if target == start_level:
        return 1.0 if actual == target else 0.0
    return (actual - start_level) / (target - start_level)


def elapsed_of(day: date, start: date, deadline: date) -> float:
    """The share of ``[start, deadline]`` elapsed at the end of ``day`` (0..1)."""
    total = (deadline - start).days + 1
    return min(1.0, max(0.0, ((day - start).days + 1) / total))


@dataclass(frozen=True)
class Tracking:
    """An intermediate objective tracked month by month.

    ``months``: ``month`` (first day), ``actual``, ``path`` (the straight line's value at the
    month's end), ``progress``, ``elapsed``, ``status``; months from ``start`` to the earlier of
    the deadline and the period's end.
    """

    objective: Intermediate
    start_level: float | None
    target_level: float | None
    unit: str
    months: pd.DataFrame
    status: str  # of the latest month measured
    unavailable: str | None = None


def _kpi_value(engine: KpiEngine, periods: Sequence[Period], kpi: str, owner: str) -> dict[str, float | None]:
    by = () if owner == TEAM else ("owner",)
    series = engine.series(periods, kpis=[kpi], by=by)
    if owner == TEAM:
        rows = series[series["dimension"].isna()]
    else:
        rows = series[(series["dimension"] == "owner") & (series["group"] == owner)]
    found = {label: (None if pd.isna(v) else float(v)) for label, v in zip(rows["period"], rows["value"])}
    return {p.label: found.get(p.label) for p in periods}


def track_intermediate(objective: Intermediate, engine: KpiEngine, until: date) -> Tracking:
    """The objective's starting level, target level, monthly actuals and path, and its status at ``until``."""
    from strategy_kit.analytics.baselines import kpi_kind

    kpi = engine.definition(objective.kpi)
    before_start = month_start(objective.start, -START_MONTHS)
    before = Period("start", before_start, month_start(objective.start) - timedelta(days=1), "range")
    last = min(objective.deadline, until)
    months: list[Period] = []
    first = month_start(objective.start)
    while first <= last and month_end(first) <= until:
        months.append(month_period(first))
        first = month_start(first, 1)
    empty = pd.DataFrame(columns=["month", "actual", "path", "progress", "elapsed", "status"])
    try:
        values = _kpi_value(engine, [before, *months], objective.kpi, objective.owner)
    except Exception as exc:  # a KPI the data cannot support
        return Tracking(objective, None, None, kpi.unit, empty, "no_data", str(exc))
    start_level = values["start"]
    if start_level is not None and kpi_kind(kpi) in ("flow", "average"):
        start_level = start_level / START_MONTHS
    if objective.kind == "absolute":
        target_level: float | None = objective.target
    else:
        target_level = None if start_level is None else start_level * (1 + objective.target)
    rows = []
    for month in months:
        actual = values[month.label]
        elapsed = elapsed_of(month.end, objective.start, objective.deadline)
        path = (None if start_level is None or target_level is None
                else start_level + (target_level - start_level) * elapsed)
        progress = None if target_level is None else progress_of(actual, start_level, target_level)
        rows.append({"month": pd.Timestamp(month.start), "actual": actual, "path": path, "progress": progress,
                     "elapsed": elapsed, "status": status_of(progress, elapsed)})
    table = pd.DataFrame(rows, columns=empty.columns)
    for column in ("actual", "path", "progress", "elapsed"):
        table[column] = table[column].astype("float64")
    measured = table[table["actual"].notna()]
    status = measured["status"].iloc[-1] if not measured.empty else "no_data"
    return Tracking(objective, start_level, target_level, kpi.unit, table, status)


# --------------------------------------------------------------------------- attainment and projection


@dataclass(frozen=True)
class Attainment:
    """Revenue against the phased targets for the period's month, quarter and year to date.

    ``table``: ``scope`` (month, quarter, ytd), ``label``, ``start``, ``end``, ``actual``,
    ``target``, ``attainment``. The projection: ``run_rate`` (per month), ``months_left``,
    ``weighted_pipeline``, ``projection_run_rate``, ``projection_pipeline``, ``projection``
    (their mean), ``year_target``, ``projected_attainment``.
    """

    table: pd.DataFrame
    ytd_actual: float
    run_rate: float
    months_left: int
    weighted_pipeline: float
    projection_run_rate: float
    projection_pipeline: float
    projection: float
    year_target: int

    @property
    def projected_attainment(self) -> float | None:
        return self.projection / self.year_target if self.year_target else None


def team_attainment(phasing: pd.DataFrame, period: Period, engine: KpiEngine,
                    fiscal_year_start_month: int = 1) -> Attainment:
    """Team revenue of the month, quarter and fiscal year to date ending with ``period`` against the
    phasing, and the year-end projection (module doc)."""
    end_month = month_start(period.end) if period.end == month_end(month_start(period.end)) else None
    if end_month is None:  # a period ending mid-month is measured to the end of its last full month
        end_month = month_start(period.end, -1)
    months = [pd.Timestamp(m).date() for m in phasing["month"]]
    if end_month < months[0] or end_month > months[-1]:
        raise UnavailableError(f"the period {period.label} does not end within the objective's fiscal year "
                               f"({months[0]}..{month_end(months[-1])})")
    quarter_start = month_start(months[0], (months.index(end_month) // 3) * 3)
    scopes = {
        "month": (end_month, month_end(end_month)),
        "quarter": (quarter_start, month_end(month_start(quarter_start, 2))),
        "ytd": (months[0], month_end(end_month)),
    }
    run_start = month_start(end_month, -(RUN_RATE_MONTHS - 1))
    periods = {name: Period(name, s, e, "range") for name, (s, e) in scopes.items()}
    periods["run"] = Period("run", run_start, month_end(end_month), "range")
    series = engine.series(list(periods.values()), kpis=["revenue", "weighted_pipeline_value"])
    values = {(p, k): v for p, k, v in zip(series["period"], series["kpi"], series["value"])}
    targets = phasing.set_index(phasing["month"].dt.date)["revenue_target"]
    rows = []
    labels = {"month": f"{end_month.year}-{end_month.month:02d}", "quarter": quarter_label(quarter_start, fiscal_year_start_month),
              "ytd": f"{months[0].isoformat()}..{month_end(end_month).isoformat()}"}
    for name, (start, end) in scopes.items():
        actual = float(values.get((name, "revenue"), 0.0) or 0.0)
        target = int(sum(int(v) for m, v in targets.items() if start <= m <= end))
        rows.append({"scope": name, "label": labels[name], "start": start, "end": end, "actual": actual,
                     "target": target, "attainment": actual / target if target else np.nan})
    ytd = rows[-1]["actual"]
    run_rate = float(values.get(("run", "revenue"), 0.0) or 0.0) / RUN_RATE_MONTHS
    months_left = len(months) - months.index(end_month) - 1
    pipeline = float(values.get(("ytd", "weighted_pipeline_value"), 0.0) or 0.0)
    by_run = ytd + run_rate * months_left
    by_pipeline = ytd + pipeline if months_left else ytd  # at the year's end nothing more can close
    return Attainment(pd.DataFrame(rows), ytd, run_rate, months_left, pipeline, by_run, by_pipeline,
                      (by_run + by_pipeline) / 2, int(phasing["revenue_target"].sum()))


# --------------------------------------------------------------------------- tables for reports


def _shown(frame: pd.DataFrame, columns: dict[str, str], kinds: dict[str, str] | None = None) -> Any:
    from strategy_kit.narrative import Table as ShownTable

    return ShownTable(frame, columns, kinds or {})


def step_label(step: str, config: Any, language: str) -> str:
    """The name of a funnel step: the stage's name, or "new leads"."""
    if step == LEAD_STEP:
        return label("objectives.step.lead", language)
    for stage in config.stages:
        if stage.id == step:
            return stage.fr if language == "fr" else stage.en
    return step


def phasing_table(phasing: pd.DataFrame) -> Any:
    """Months with their quarter, target, share of the baseline year and baseline revenue."""
    return _shown(phasing, {"month": "column.month", "quarter": "objectives.column.quarter",
                            "revenue_target": "objectives.column.target", "share": "objectives.column.share",
                            "baseline": "objectives.column.baseline"},
                  {"month": "month", "revenue_target": "currency", "share": "percent", "baseline": "currency"})


QUARTER_COLUMNS = ("q1", "q2", "q3", "q4", "year")


def funnel_table(funnel: pd.DataFrame, config: Any, language: str, measure: str = "objective") -> Any:
    """One row per step (funnel order), one column per fiscal quarter and the year: the results
    objectives (``measure="objective"``) or a means objective (``calls``, ``emails``), in whole units
    (rounded up: a plan asks for whole deals and calls)."""
    quarters = list(dict.fromkeys(funnel["quarter"]))
    pivot = funnel.pivot_table(index="step", columns="quarter", values=measure, aggfunc="sum", sort=False)
    steps = [s for s in dict.fromkeys(funnel["step"]) if s in pivot.index and pivot.loc[s].notna().any()]
    if measure != "objective":
        steps = [s for s in steps if funnel.loc[funnel["step"] == s, measure].notna().all()]
    frame = pd.DataFrame({"step": [step_label(s, config, language) for s in steps]})
    columns = {"step": "objectives.column.step"}
    kinds = {}
    for name, quarter in zip(QUARTER_COLUMNS, quarters):
        frame[name] = [math.ceil(float(pivot.loc[s, quarter]) - 1e-9) for s in steps]
    frame["year"] = [math.ceil(float(pivot.loc[s].sum()) - 1e-9) for s in steps]
    for name in [*QUARTER_COLUMNS[:len(quarters)], "year"]:
        columns[name] = f"objectives.column.{name}"
        kinds[name] = "integer"
    return _shown(frame, columns, kinds)


def assumptions_table(rates: FunnelRates, config: Any, language: str, currency: str = "EUR") -> Any:
    """The rates the reverse funnel uses, each with its value, written for its unit."""
    from strategy_kit.i18n import format_currency, format_number, format_percent

    rows = [(label("objectives.assumption.avg_deal_size", language), format_currency(rates.avg_deal_size, language, currency)),
            (label("objectives.assumption.won_value_ratio", language), format_percent(rates.won_value_ratio, language))]
    for stage, value in rates.conversions.items():
        rows.append((label("objectives.assumption.conversion", language, stage=step_label(stage, config, language)),
                     format_percent(value, language)))
    if rates.lead_to_deal_rate:
        rows.append((label("objectives.assumption.lead_to_deal", language), format_percent(rates.lead_to_deal_rate, language)))
    for step, per in rates.activities_per_advance.items():
        name = (label("objectives.assumption.lead_activities", language) if step == LEAD_STEP
                else label("objectives.assumption.activities", language, step=step_label(step, config, language)))
        rows.append((name,
                     label("objectives.assumption.per_deal", language, calls=format_number(per["call"], language, 2),
                           emails=format_number(per["email"], language, 2))))
    frame = pd.DataFrame(rows, columns=["assumption", "value"])
    return _shown(frame, {"assumption": "objectives.column.assumption", "value": "objectives.column.value"})


def variant_table(variant: pd.DataFrame, config: Any, language: str) -> Any:
    frame = variant.copy()
    frame["step"] = [label(f"objectives.means.{s}", language) if s in ("calls", "emails")
                     else step_label(s, config, language) for s in frame["step"]]
    for column in ("base", "variant"):
        frame[column] = [math.ceil(v - 1e-9) for v in frame[column]]
    return _shown(frame, {"step": "objectives.column.step", "base": "objectives.column.base",
                          "variant": "objectives.column.variant", "change": "objectives.column.change"},
                  {"base": "integer", "variant": "integer", "change": "percent"})


def format_level(value: float | None, unit: str, language: str, currency: str = "EUR") -> str:
    from strategy_kit.narrative.baselines import format_kpi_value

    return format_kpi_value(value, unit, language, currency, mean=unit not in ("rate",))


def intermediate_table(trackings: Sequence[Tracking], engine: KpiEngine, language: str, currency: str = "EUR") -> Any:
    """One row per intermediate objective: KPI, owner, start and deadline, starting level, target,
    latest actual against the path, status."""
    from strategy_kit.i18n import format_date

    rows = []
    for tracking in trackings:
        item = tracking.objective
        measured = tracking.months[tracking.months["actual"].notna()]
        latest = measured.iloc[-1] if not measured.empty else None
        unit = tracking.unit
        rows.append({
            "kpi": engine.definition(item.kpi).label(language),
            "owner": label("objectives.form.team", language) if item.owner == TEAM else item.owner,
            "dates": f"{format_date(item.start, language)} – {format_date(item.deadline, language)}",
            "start_level": format_level(tracking.start_level, unit, language, currency),
            "target_level": format_level(tracking.target_level, unit, language, currency),
            "actual": format_level(None if latest is None else latest["actual"], unit, language, currency),
            "path": format_level(None if latest is None else latest["path"], unit, language, currency),
            "status": label(f"objectives.status.{tracking.status}", language),
        })
    frame = pd.DataFrame(rows, columns=["kpi", "owner", "dates", "start_level", "target_level", "actual", "path", "status"])
    return _shown(frame, {c: f"objectives.column.{c}" for c in frame.columns})


def attainment_table(attainment: Attainment, language: str) -> Any:
    frame = attainment.table.copy()
    frame["scope"] = [label(f"objectives.scope.{s}", language, label=l) for s, l in zip(frame["scope"], frame["label"])]
    return _shown(frame[["scope", "actual", "target", "attainment"]],
                  {"scope": "objectives.column.scope", "actual": "objectives.column.actual",
                   "target": "objectives.column.target", "attainment": "objectives.column.attainment"},
                  {"actual": "currency", "target": "currency", "attainment": "percent"})


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
    funnel_unavailable: str | None = None

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
        raise UnavailableError(base.unavailable["revenue"])
    monthly = base.monthly[base.monthly["kpi"] == "revenue"]
    phasing = phase_objective(objectives, monthly, data.config)
    try:
        rates = funnel_rates(data, objectives.year, engine)
        funnel, reason = reverse_funnel(phasing, rates, data.config.stage_ids[-1]), None
    except UnavailableError as exc:
        rates, funnel, reason = None, None, str(exc)
    return ObjectivePlan(objectives, year, fiscal_year(objectives.year - 1, fy), float(phasing["baseline"].sum()),
                         int(phasing["revenue_target"].sum()), phasing, rates, funnel, reason)


def track_all(objectives: Objectives, engine: KpiEngine, until: date) -> list[Tracking]:
    """Every intermediate objective tracked up to ``until`` (the period's end)."""
    return [track_intermediate(item, engine, until) for item in objectives.intermediate]


def plan_json(plan: ObjectivePlan, trackings: Sequence[Tracking], attainment: Attainment | None,
              client: str) -> dict[str, Any]:
    """Everything ``strategy-kit objectives --format json`` prints (amounts in currency units,
    rates as fractions, null: undefined)."""

    def clean(value: Any) -> Any:
        if isinstance(value, (pd.Timestamp, date)):
            return pd.Timestamp(value).date().isoformat()
        if isinstance(value, (np.integer,)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            return None if math.isnan(value) else float(value)
        return value

    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return [{k: clean(v) for k, v in row.items()} for row in frame.to_dict("records")]

    result: dict[str, Any] = {
        "client": client,
        "objectives": plan.objectives.to_dict(),
        "year": plan.year.as_dict(),
        "baseline_year": plan.baseline_year.as_dict(),
        "baseline_revenue": plan.baseline_revenue,
        "revenue_target": plan.revenue_target,
        "new_business_target": plan.new_business_target,
        "phasing": records(plan.phasing),
        "funnel": records(plan.funnel) if plan.funnel is not None else None,
        "funnel_unavailable": plan.funnel_unavailable,
        "assumptions": None if plan.rates is None else {
            "period": plan.rates.period.as_dict(), "avg_deal_size": plan.rates.avg_deal_size,
            "won_value_ratio": plan.rates.won_value_ratio, "stage_conversion": plan.rates.conversions,
            "lead_to_deal_rate": plan.rates.lead_to_deal_rate,
            "activities_per_advancing_deal": plan.rates.activities_per_advance,
        },
        "intermediate": [{**t.objective.to_dict(), "start_level": t.start_level, "target_level": t.target_level,
                          "status": t.status, "months": records(t.months), "unavailable": t.unavailable}
                         for t in trackings],
    }
    if attainment is not None:
        result["attainment"] = records(attainment.table)
        result["projection"] = {
            "run_rate": attainment.run_rate, "months_left": attainment.months_left,
            "weighted_pipeline": attainment.weighted_pipeline,
            "projection_run_rate": attainment.projection_run_rate,
            "projection_pipeline": attainment.projection_pipeline, "projection": attainment.projection,
            "year_target": attainment.year_target, "projected_attainment": attainment.projected_attainment,
        }
    return result


def objectives_csv(plan: ObjectivePlan, trackings: Sequence[Tracking], attainment: Attainment | None) -> pd.DataFrame:
    """One row per figure: ``section``, ``month``, ``quarter``, ``step``, ``measure``, ``value``."""
    rows: list[tuple[Any, ...]] = []
    for month, quarter, target in zip(plan.phasing["month"], plan.phasing["quarter"], plan.phasing["revenue_target"]):
        rows.append(("phasing", month.date().isoformat(), quarter, None, "revenue_target", int(target)))
    if plan.funnel is not None:
        for record in plan.funnel.to_dict("records"):
            for measure in ("objective", "calls", "emails"):
                if not pd.isna(record[measure]):
                    rows.append(("funnel", record["month"].date().isoformat(), record["quarter"], record["step"],
                                 measure, float(record[measure])))
    for tracking in trackings:
        step = f"{tracking.objective.kpi}@{tracking.objective.owner}"
        rows.append(("intermediate", None, None, step, "status", tracking.status))
        for record in tracking.months.to_dict("records"):
            for measure in ("actual", "path"):
                if not pd.isna(record[measure]):
                    rows.append(("intermediate", record["month"].date().isoformat(), None, step, measure,
                                 float(record[measure])))
    if attainment is not None:
        for record in attainment.table.to_dict("records"):
            for measure in ("actual", "target", "attainment"):
                rows.append(("attainment", None, record["label"], record["scope"], measure, record[measure]))
        rows.append(("projection", None, None, None, "projection", attainment.projection))
    return pd.DataFrame(rows, columns=["section", "month", "quarter", "step", "measure", "value"])


def render_plan(plan: ObjectivePlan, trackings: Sequence[Tracking], attainment: Attainment | None,
                period: Period, config: Any, language: str, engine: KpiEngine) -> str:
    """The plan and the tracking as text for a terminal, in ``language``."""
    from strategy_kit.i18n import format_value

    currency = config.currency
    lines: list[str] = [_intro(plan, language, currency), ""]

    def table(title: str, shown: Any) -> None:
        frame = shown.frame
        cells = [[label(key, language) for key in shown.columns.values()]]
        for record in frame[list(shown.columns)].to_dict("records"):
            cells.append([format_value(record[c], shown.kinds.get(c, "text"), language, currency) for c in shown.columns])
        widths = [max(len(str(row[i])) for row in cells) for i in range(len(cells[0]))]
        lines.extend([title, "-" * len(title)])
        for row in cells:
            lines.append("  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths))))
        lines.append("")

    table(label("objectives.phasing.title", language), phasing_table(plan.phasing))
    if plan.funnel is not None and plan.rates is not None:
        table(label("objectives.funnel.results", language), funnel_table(plan.funnel, config, language))
        table(label("objectives.funnel.calls", language), funnel_table(plan.funnel, config, language, "calls"))
        table(label("objectives.funnel.emails", language), funnel_table(plan.funnel, config, language, "emails"))
        table(label("objectives.assumptions.title", language, period=plan.baseline_year.label),
              assumptions_table(plan.rates, config, language, currency))
    else:
        lines += [label("report.unavailable", language, reason=plan.funnel_unavailable), ""]
    if trackings:
        table(label("objectives.intermediate.title", language) + f" ({period.label})",
              intermediate_table(trackings, engine, language, currency))
    if attainment is not None:
        table(label("objectives.attainment.title", language) + f" ({period.label})", attainment_table(attainment, language))
        lines += [projection_text(attainment, language, currency), ""]
    return "\n".join(lines)


def _intro(plan: ObjectivePlan, language: str, currency: str) -> str:
    from strategy_kit.i18n import format_currency, format_percent

    growth = plan.growth
    text = label("objectives.intro", language, year=plan.year.label, target=format_currency(plan.revenue_target, language, currency),
                 growth=("+" if growth and growth > 0 else "") + format_percent(growth, language),
                 baseline_year=plan.baseline_year.label,
                 baseline=format_currency(plan.baseline_revenue, language, currency))
    if plan.new_business_target is not None:
        text += " " + label("objectives.new_business", language,
                            share=format_percent(plan.objectives.new_business_share, language),
                            amount=format_currency(plan.new_business_target, language, currency))
    return text


def intro_text(plan: ObjectivePlan, language: str, currency: str = "EUR") -> str:
    """The annual objective in one sentence (and its new-business part)."""
    return _intro(plan, language, currency)


def projection_text(attainment: Attainment, language: str, currency: str = "EUR") -> str:
    from strategy_kit.i18n import format_currency, format_number, format_percent

    money = lambda v: format_currency(v, language, currency)
    return label("objectives.projection", language, projection=money(attainment.projection),
                 attainment=format_percent(attainment.projected_attainment, language),
                 target=money(attainment.year_target), by_run=money(attainment.projection_run_rate),
                 run_months=format_number(RUN_RATE_MONTHS, language), run_rate=money(attainment.run_rate),
                 months_left=format_number(attainment.months_left, language),
                 by_pipeline=money(attainment.projection_pipeline), pipeline=money(attainment.weighted_pipeline))


def intermediate_note(language: str) -> str:
    from strategy_kit.i18n import format_number, format_percent

    return label("objectives.intermediate.note", language, months=format_number(START_MONTHS, language),
                 on_track=format_percent(ON_TRACK_LAG, language, 0), at_risk=format_percent(AT_RISK_LAG, language, 0))


VARIANT_POINTS = 5.0  # the report's variant: the weakest stage's conversion 5 points higher


def weakest_stage(rates: FunnelRates) -> str:
    """The open stage with the lowest conversion (the first one on a tie)."""
    return min(rates.conversions, key=lambda stage: rates.conversions[stage])


def rep_reasons(targets: Any, language: str, currency: str = "EUR") -> list[str]:
    """One line per rep with a realism finding: ``owner: reason`` (the rep's first such month)."""
    reasons = targets.reasons(language, currency)
    lines = []
    for owner, part in targets.table.groupby("owner", sort=True):
        found = [r for r in reasons.loc[part.index] if r]
        if found:
            lines.append(f"{owner} : {found[0]}" if language == "fr" else f"{owner}: {found[0]}")
    return lines


def monthly_revenue(engine: KpiEngine, phasing: pd.DataFrame, until: date) -> dict[pd.Timestamp, float]:
    """The revenue of each month of the plan that has ended by ``until`` (the phasing chart's dots)."""
    months = [month_period(pd.Timestamp(m).date()) for m in phasing["month"]]
    months = [m for m in months if m.end <= until]
    if not months:
        return {}
    series = engine.series(months, kpis=["revenue"])
    series = series[series["dimension"].isna()]
    return {pd.Timestamp(start): float(value) for start, value in zip(series["start"], series["value"])
            if not pd.isna(value)}
