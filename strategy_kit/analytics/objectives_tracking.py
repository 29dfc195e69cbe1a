"""Intermediate objectives, the team's attainment and the year-end projection (METHOD.md section
4): pure numbers, and the figures ``strategy-kit objectives`` prints as JSON or CSV.

The plan (:class:`~strategy_kit.analytics.objectives.ObjectivePlan`), a
:class:`~strategy_kit.kpis.KpiEngine` and a period in; dataclasses and DataFrames out; no language,
no I/O. :mod:`strategy_kit.narrative.objectives` writes them for a reader.

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
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.analytics.baselines import kpi_kind, month_period
from strategy_kit.analytics.objectives import ObjectivePlan, quarter_label
from strategy_kit.analytics.overview import revenue_by_month
from strategy_kit.errors import UnavailableError
from strategy_kit.inputs.objectives import TEAM, Intermediate, Objectives
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import Period, month_end, month_start

START_MONTHS = 3  # months before an intermediate objective's start that give its starting level
ON_TRACK_LAG = 0.10  # behind the straight-line path by at most 10 % of the way: on track
AT_RISK_LAG = 0.25  # behind by at most 25 % of the way: at risk; more: off track
STATUSES = ("on_track", "at_risk", "off_track", "no_data")
RUN_RATE_MONTHS = 3


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
        path = (
            None
            if start_level is None or target_level is None
            else start_level + (target_level - start_level) * elapsed
        )
        progress = None if target_level is None else progress_of(actual, start_level, target_level)
        rows.append(
            {
                "month": pd.Timestamp(month.start),
                "actual": actual,
                "path": path,
                "progress": progress,
                "elapsed": elapsed,
                "status": status_of(progress, elapsed),
            }
        )
    table = pd.DataFrame(rows, columns=empty.columns)
    for column in ("actual", "path", "progress", "elapsed"):
        table[column] = table[column].astype("float64")
    measured = table[table["actual"].notna()]
    status = measured["status"].iloc[-1] if not measured.empty else "no_data"
    return Tracking(objective, start_level, target_level, kpi.unit, table, status)


# --------------------------------------------------------------------------- attainment and projection


@dataclass(frozen=True)
class YearEnd:
    """The projection of the fiscal year's revenue: ``ytd_actual``, ``run_rate`` (per month),
    ``months_left``, ``weighted_pipeline``, ``projection_run_rate``, ``projection_pipeline``,
    ``projection`` (their mean), against ``year_target``, and ``projected_attainment``."""

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


@dataclass(frozen=True)
class Attainment(YearEnd):
    """Revenue against the phased targets for the period's month, quarter and year to date, and the
    projection of the year end (:class:`YearEnd`).

    ``table``: ``scope`` (month, quarter, ytd), ``label``, ``start``, ``end``, ``actual``,
    ``target``, ``attainment``, ``last_year`` (revenue of the same dates a year earlier; NaN when
    the data do not reach back that far).
    """

    table: pd.DataFrame


def team_attainment(
    phasing: pd.DataFrame, period: Period, engine: KpiEngine, fiscal_year_start_month: int = 1
) -> Attainment:
    """Team revenue of the month, quarter and fiscal year to date ending with ``period`` against the
    phasing, and the year-end projection (module doc)."""
    end_month = month_start(period.end) if period.end == month_end(month_start(period.end)) else None
    if end_month is None:  # a period ending mid-month is measured to the end of its last full month
        end_month = month_start(period.end, -1)
    months = [pd.Timestamp(m).date() for m in phasing["month"]]
    if end_month < months[0] or end_month > months[-1]:
        raise UnavailableError(
            "objectives.unavailable.period_outside_year",
            period_start=period.start,
            period_end=period.end,
            year=months[-1].year,
            start=months[0],
            end=month_end(months[-1]),
        )
    quarter_start = month_start(months[0], (months.index(end_month) // 3) * 3)
    scopes = {
        "month": (end_month, month_end(end_month)),
        "quarter": (quarter_start, month_end(month_start(quarter_start, 2))),
        "ytd": (months[0], month_end(end_month)),
    }
    run_start = month_start(end_month, -(RUN_RATE_MONTHS - 1))
    periods = {name: Period(name, s, e, "range") for name, (s, e) in scopes.items()}
    covered_from = _first_day(engine, period)
    for name, (start, end) in scopes.items():  # the same dates a year earlier, when the data cover them
        before = Period(f"{name}_last_year", month_start(start, -12), month_end(month_start(end, -12)), "range")
        if covered_from is not None and before.start >= covered_from:
            periods[before.label] = before
    periods["run"] = Period("run", run_start, month_end(end_month), "range")
    series = engine.series(list(periods.values()), kpis=["revenue", "weighted_pipeline_value"])
    values = {(p, k): v for p, k, v in zip(series["period"], series["kpi"], series["value"])}
    targets = phasing.set_index(phasing["month"].dt.date)["revenue_target"]
    rows = []
    labels = {
        "month": f"{end_month.year}-{end_month.month:02d}",
        "quarter": quarter_label(quarter_start, fiscal_year_start_month),
        "ytd": f"{months[0].isoformat()}..{month_end(end_month).isoformat()}",
    }
    for name, (start, end) in scopes.items():
        actual = float(values.get((name, "revenue"), 0.0) or 0.0)
        target = int(sum(int(v) for m, v in targets.items() if start <= m <= end))
        rows.append(
            {
                "scope": name,
                "label": labels[name],
                "start": start,
                "end": end,
                "actual": actual,
                "target": target,
                "attainment": actual / target if target else np.nan,
                "last_year": values.get((f"{name}_last_year", "revenue"), np.nan),
            }
        )
    ytd = rows[-1]["actual"]
    run_rate = float(values.get(("run", "revenue"), 0.0) or 0.0) / RUN_RATE_MONTHS
    months_left = len(months) - months.index(end_month) - 1
    pipeline = float(values.get(("ytd", "weighted_pipeline_value"), 0.0) or 0.0)
    by_run = ytd + run_rate * months_left
    by_pipeline = ytd + pipeline if months_left else ytd  # at the year's end nothing more can close
    return Attainment(
        ytd_actual=ytd,
        run_rate=run_rate,
        months_left=months_left,
        weighted_pipeline=pipeline,
        projection_run_rate=by_run,
        projection_pipeline=by_pipeline,
        projection=(by_run + by_pipeline) / 2,
        year_target=int(phasing["revenue_target"].sum()),
        table=pd.DataFrame(rows),
    )


def _first_day(engine: KpiEngine, period: Period) -> date | None:
    """The first day of the first month with revenue in the data, as the overview's revenue by
    month counts it (revenue lines, else won deals): a year earlier before it is not compared."""
    try:
        return revenue_by_month(engine.data, period).covered_from
    except UnavailableError:
        return None


def track_all(objectives: Objectives, engine: KpiEngine, until: date) -> list[Tracking]:
    """Every intermediate objective tracked up to ``until`` (the period's end)."""
    return [track_intermediate(item, engine, until) for item in objectives.intermediate]


def monthly_revenue(engine: KpiEngine, phasing: pd.DataFrame, until: date) -> dict[pd.Timestamp, float]:
    """The revenue of each month of the plan that has ended by ``until`` (the phasing chart's dots)."""
    months = [month_period(pd.Timestamp(m).date()) for m in phasing["month"]]
    months = [m for m in months if m.end <= until]
    if not months:
        return {}
    series = engine.series(months, kpis=["revenue"])
    series = series[series["dimension"].isna()]
    return {
        pd.Timestamp(start): float(value)
        for start, value in zip(series["start"], series["value"])
        if not pd.isna(value)
    }


# --------------------------------------------------------------------------- what the command prints


def plan_json(
    plan: ObjectivePlan, trackings: Sequence[Tracking], attainment: Attainment | None, client: str
) -> dict[str, Any]:
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
        "funnel_unavailable": None if plan.funnel_unavailable is None else str(plan.funnel_unavailable),
        "assumptions": None
        if plan.rates is None
        else {
            "period": plan.rates.period.as_dict(),
            "avg_deal_size": plan.rates.avg_deal_size,
            "won_value_ratio": plan.rates.won_value_ratio,
            "stage_conversion": plan.rates.conversions,
            "lead_to_deal_rate": plan.rates.lead_to_deal_rate,
            "activities_per_advancing_deal": plan.rates.activities_per_advance,
        },
        "intermediate": [
            {
                **t.objective.to_dict(),
                "start_level": t.start_level,
                "target_level": t.target_level,
                "status": t.status,
                "months": records(t.months),
                "unavailable": t.unavailable,
            }
            for t in trackings
        ],
    }
    if attainment is not None:
        result["attainment"] = records(attainment.table)
        result["projection"] = {
            "run_rate": attainment.run_rate,
            "months_left": attainment.months_left,
            "weighted_pipeline": attainment.weighted_pipeline,
            "projection_run_rate": attainment.projection_run_rate,
            "projection_pipeline": attainment.projection_pipeline,
            "projection": attainment.projection,
            "year_target": attainment.year_target,
            "projected_attainment": attainment.projected_attainment,
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
                    rows.append(
                        (
                            "funnel",
                            record["month"].date().isoformat(),
                            record["quarter"],
                            record["step"],
                            measure,
                            float(record[measure]),
                        )
                    )
    for tracking in trackings:
        step = f"{tracking.objective.kpi}@{tracking.objective.owner}"
        rows.append(("intermediate", None, None, step, "status", tracking.status))
        for record in tracking.months.to_dict("records"):
            for measure in ("actual", "path"):
                if not pd.isna(record[measure]):
                    rows.append(
                        (
                            "intermediate",
                            record["month"].date().isoformat(),
                            None,
                            step,
                            measure,
                            float(record[measure]),
                        )
                    )
    if attainment is not None:
        for record in attainment.table.to_dict("records"):
            for measure in ("actual", "target", "attainment"):
                rows.append(("attainment", None, record["label"], record["scope"], measure, record[measure]))
        rows.append(("projection", None, None, None, "projection", attainment.projection))
    return pd.DataFrame(rows, columns=["section", "month", "quarter", "step", "measure", "value"])
