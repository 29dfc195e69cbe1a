"""KPI snapshots: what each report measured, kept so that later reports can compare with it.

A :class:`Snapshot` holds, for one report run: the period, the data's last day, when it was taken,
the value of every KPI of the period (with its unit and which way is better), the revenue targets
of the period's month, quarter and fiscal year to date, and the year-end projection as
:func:`strategy_kit.analytics.objectives_tracking.team_attainment` computes it (not recomputed
here). The report stores one file per run (:mod:`strategy_kit.report.snapshots` writes and reads
them; this module does no I/O), so a snapshot survives the raw exports being replaced.

- **What changed since the last report** (:func:`changes_since`): the KPIs measured in both
  snapshots, the change as the baselines write it (rates: the difference in points; other units:
  the relative change) and whether that is better or worse. A KPI null in either snapshot (an
  empty denominator) is not comparable: its change is null, never 0.
- **The last report** (:func:`previous_snapshot`): the latest snapshot of the most recent earlier
  period of the same kind (a quarter for a quarter, a month for a month, a range of the same number
  of days), taken before the report being written; a re-run of the same period never compares
  with itself.
- **Forecast accuracy** (:func:`forecast_accuracy`): once a fiscal year has closed, each
  year-end projection made for it before it closed (the last snapshot of each report period)
  against the revenue actually made: the error in amount (projection - actual) and as a share of
  the actual; per year, the mean of the absolute errors (in %: the mean absolute percentage error).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from strategy_kit.analytics.baselines import change, verdict
from strategy_kit.analytics.objectives import build_plan, fiscal_year
from strategy_kit.analytics.objectives_tracking import Attainment, YearEnd, team_attainment
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.inputs.objectives import Objectives
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import Period

FORMAT = "strategy-kit.kpi-snapshot"
VERSION = 1  # bumped when a field changes meaning; a reader refuses a newer version

# The KPIs the report's "since the last report" table shows, in this order (the others are kept in
# the snapshot files and compared by changes_since all the same).
HEADLINE_KPIS = (
    "revenue",
    "won_value",
    "deals_won",
    "win_rate",
    "avg_deal_size",
    "sales_cycle_days",
    "new_deals",
    "open_pipeline_value",
    "weighted_pipeline_value",
    "new_leads",
    "lead_to_deal_rate",
    "calls_made",
    "meetings_held",
)
CHANGE_COLUMNS = ["kpi", "unit", "direction", "previous", "current", "difference", "change", "verdict", "comparable"]
ACCURACY_COLUMNS = [
    "fiscal_year",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "made_on",
    "data_last_day",
    "months_left",
    "projection",
    "actual",
    "error",
    "error_share",
    "year_target",
]
YEAR_COLUMNS = [
    "fiscal_year",
    "year_start",
    "year_end",
    "projections",
    "actual",
    "mean_absolute_error",
    "mean_error_share",
]


class SnapshotFormatError(ValueError):
    """A snapshot file's content is not a snapshot this version can read (the message says why)."""


@dataclass(frozen=True)
class KpiValue:
    """A KPI as a snapshot keeps it: its value (None: an empty denominator), unit, direction and the
    rows left out for a missing date."""

    value: float | None
    unit: str
    direction: str = "higher"
    excluded: int = 0


@dataclass(frozen=True)
class Target:
    """Revenue against its phased target for the period's month, quarter or fiscal year to date."""

    scope: str  # month | quarter | ytd
    label: str
    start: date
    end: date
    actual: float
    target: int


@dataclass(frozen=True)
class Projection(YearEnd):
    """The year-end projection of :class:`~strategy_kit.analytics.objectives_tracking.Attainment`
    for the objectives' fiscal year, and that year's revenue objective."""

    fiscal_year: int
    year_start: date
    year_end: date


@dataclass(frozen=True)
class Snapshot:
    """What one report measured (module doc). ``created`` is a time-zone aware datetime."""

    client: str
    period: Period
    data_last_day: date | None
    created: datetime
    currency: str
    kpis: Mapping[str, KpiValue]
    unavailable: Mapping[str, str] = field(default_factory=dict)  # KPI id -> reason, in English
    targets: tuple[Target, ...] = ()
    projection: Projection | None = None
    version: int = VERSION

    def value(self, kpi: str) -> float | None:
        found = self.kpis.get(kpi)
        return None if found is None else found.value

    def to_json(self) -> dict[str, Any]:
        """The file's content: plain JSON types, dates as ISO text, null for a missing value."""
        return {
            "format": FORMAT,
            "version": self.version,
            "client": self.client,
            "created": self.created.isoformat(),
            "period": {**self.period.as_dict(), "kind": self.period.kind},
            "data_last_day": _iso(self.data_last_day),
            "currency": self.currency,
            "kpis": {
                kpi: {"value": _number(v.value), "unit": v.unit, "direction": v.direction, "excluded": v.excluded}
                for kpi, v in self.kpis.items()
            },
            "unavailable": dict(self.unavailable),
            "targets": [
                {
                    "scope": t.scope,
                    "label": t.label,
                    "start": t.start.isoformat(),
                    "end": t.end.isoformat(),
                    "actual": _number(t.actual),
                    "target": t.target,
                }
                for t in self.targets
            ],
            "projection": None if self.projection is None else _projection_json(self.projection),
        }

    @classmethod
    def from_json(cls, payload: Any) -> Snapshot:
        """What :meth:`to_json` wrote; :class:`SnapshotFormatError` for anything else."""
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise SnapshotFormatError(f'not a KPI snapshot (no "format": "{FORMAT}")')
        version = payload.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise SnapshotFormatError(
                f"snapshot version {version!r} is newer than this strategy-kit reads ({VERSION}): upgrade strategy-kit"
            )
        try:
            period = payload["period"]
            projection = payload.get("projection")
            return cls(
                client=str(payload["client"]),
                period=Period(
                    str(period["label"]),
                    date.fromisoformat(period["start"]),
                    date.fromisoformat(period["end"]),
                    str(period["kind"]),
                ),
                data_last_day=_day(payload.get("data_last_day")),
                created=datetime.fromisoformat(payload["created"]),
                currency=str(payload.get("currency", "EUR")),
                kpis={
                    str(kpi): KpiValue(
                        _optional(v["value"]),
                        str(v["unit"]),
                        str(v.get("direction", "higher")),
                        int(v.get("excluded", 0)),
                    )
                    for kpi, v in payload["kpis"].items()
                },
                unavailable={str(k): str(v) for k, v in payload.get("unavailable", {}).items()},
                targets=tuple(
                    Target(
                        str(t["scope"]),
                        str(t["label"]),
                        date.fromisoformat(t["start"]),
                        date.fromisoformat(t["end"]),
                        float(t["actual"] or 0.0),
                        int(t["target"]),
                    )
                    for t in payload.get("targets", [])
                ),
                projection=None if projection is None else _projection_from(projection),
                version=version,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SnapshotFormatError(f"a field is missing or malformed ({type(exc).__name__}: {exc})") from None


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: Any) -> date | None:
    return None if text is None else date.fromisoformat(str(text))


def _number(value: float | int | None) -> float | int | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def _projection_json(p: Projection) -> dict[str, Any]:
    return {
        "fiscal_year": p.fiscal_year,
        "year_start": p.year_start.isoformat(),
        "year_end": p.year_end.isoformat(),
        "year_target": p.year_target,
        "ytd_actual": p.ytd_actual,
        "run_rate": p.run_rate,
        "months_left": p.months_left,
        "weighted_pipeline": p.weighted_pipeline,
        "projection_run_rate": p.projection_run_rate,
        "projection_pipeline": p.projection_pipeline,
        "projection": p.projection,
    }


def _projection_from(raw: Mapping[str, Any]) -> Projection:
    return Projection(
        fiscal_year=int(raw["fiscal_year"]),
        year_start=date.fromisoformat(raw["year_start"]),
        year_end=date.fromisoformat(raw["year_end"]),
        year_target=int(raw["year_target"]),
        ytd_actual=float(raw["ytd_actual"]),
        run_rate=float(raw["run_rate"]),
        months_left=int(raw["months_left"]),
        weighted_pipeline=float(raw["weighted_pipeline"]),
        projection_run_rate=float(raw["projection_run_rate"]),
        projection_pipeline=float(raw["projection_pipeline"]),
        projection=float(raw["projection"]),
    )


# --------------------------------------------------------------------------- taking a snapshot


def now_in(time_zone: str) -> datetime:
    """The current time in ``time_zone`` (UTC when the zone is unknown), aware."""
    moment = datetime.now(timezone.utc)
    try:
        return moment.astimezone(ZoneInfo(time_zone))
    except (KeyError, ValueError):  # an unknown zone name: the time stays exact, in UTC
        return moment


def targets_of(attainment: Attainment) -> tuple[Target, ...]:
    return tuple(
        Target(
            str(row["scope"]),
            str(row["label"]),
            pd.Timestamp(row["start"]).date(),
            pd.Timestamp(row["end"]).date(),
            float(row["actual"]),
            int(row["target"]),
        )
        for row in attainment.table.to_dict("records")
    )


def projection_of(attainment: Attainment, year: Period, fiscal_year_number: int) -> Projection:
    """The projection :func:`team_attainment` made, as a snapshot keeps it."""
    return Projection(
        fiscal_year=fiscal_year_number,
        year_start=year.start,
        year_end=year.end,
        year_target=int(attainment.year_target),
        ytd_actual=float(attainment.ytd_actual),
        run_rate=float(attainment.run_rate),
        months_left=int(attainment.months_left),
        weighted_pipeline=float(attainment.weighted_pipeline),
        projection_run_rate=float(attainment.projection_run_rate),
        projection_pipeline=float(attainment.projection_pipeline),
        projection=float(attainment.projection),
    )


def take_snapshot(
    data: SalesData,
    period: Period,
    engine: KpiEngine | None = None,
    objectives: Objectives | None = None,
    created: datetime | None = None,
    kpis: Sequence[str] | None = None,
) -> Snapshot:
    """Every KPI of ``period`` (``kpis``: only those of them the client's KPIs include, for a
    comparison that shows a few) and, with ``objectives``, the revenue targets and the year-end
    projection of the objectives' plan (none when the plan or the period's attainment is not
    available: no revenue, or a period outside the objectives' year)."""
    engine = engine or KpiEngine(data)
    config = data.config
    result = engine.compute(period, kpis=None if kpis is None else [k for k in kpis if k in engine.definitions])
    values = {
        kpi: KpiValue(result.values.get(kpi), definition.unit, definition.direction, int(result.excluded.get(kpi, 0)))
        for kpi, definition in result.definitions.items()
        if kpi not in result.unavailable and definition.unit != "breakdown"
    }
    targets: tuple[Target, ...] = ()
    projection = None
    if objectives is not None:
        try:
            plan = build_plan(data, objectives, engine)
            attainment = team_attainment(plan.phasing, period, engine, config.fiscal_year_start_month)
        except UnavailableError:
            pass
        else:
            targets = targets_of(attainment)
            projection = projection_of(attainment, plan.year, objectives.year)
    return Snapshot(
        client=config.client,
        period=period,
        data_last_day=data.last_day(),
        created=created or now_in(config.timezone),
        currency=config.currency,
        kpis=values,
        unavailable=dict(result.unavailable),
        targets=targets,
        projection=projection,
    )


# --------------------------------------------------------------------------- the last report


def same_kind(earlier: Period, period: Period) -> bool:
    """Periods whose KPIs compare: the same kind (quarter, month...), a range of the same length."""
    if earlier.kind != period.kind:
        return False
    return earlier.kind != "range" or earlier.days == period.days


def previous_snapshot(snapshots: Iterable[Snapshot], period: Period, before: datetime | None = None) -> Snapshot | None:
    """The last report to compare ``period`` with (module doc): among the snapshots of an earlier
    period of the same kind (ending before ``period`` starts) taken before ``before`` (default:
    any), the latest of the most recent period; None when there is none."""
    candidates = [
        s
        for s in snapshots
        if same_kind(s.period, period) and s.period.end < period.start and (before is None or s.created < before)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda s: (s.period.end, s.created))


def changes_since(previous: Snapshot, current: Snapshot, kpis: Sequence[str] | None = None) -> pd.DataFrame:
    """The KPIs measured in both snapshots (``kpis``: only these, in this order), one row each:
    ``kpi``, ``unit``, ``direction``, ``previous``, ``current``, ``difference`` (current -
    previous), ``change`` (rates: the difference, in points as a fraction; others: current /
    previous - 1, null when previous is 0), ``verdict`` (better, worse, stable) and
    ``comparable``: False when either value is null or the unit changed; such a row's difference,
    change and verdict are null, never 0."""
    order = [k for k in (kpis if kpis is not None else current.kpis) if k in previous.kpis and k in current.kpis]
    rows = []
    for kpi in order:
        before, now = previous.kpis[kpi], current.kpis[kpi]
        comparable = before.value is not None and now.value is not None and before.unit == now.unit
        rows.append(
            {
                "kpi": kpi,
                "unit": now.unit,
                "direction": now.direction,
                "previous": before.value,
                "current": now.value,
                "difference": now.value - before.value if comparable else None,  # type: ignore[operator]
                "change": change(now.value, before.value, now.unit) if comparable else None,
                "verdict": verdict(now.value, before.value, now.direction) if comparable else None,
                "comparable": comparable,
            }
        )
    table = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    for column in ("previous", "current", "difference", "change"):
        table[column] = table[column].astype("float64")
    table["comparable"] = table["comparable"].astype(bool)
    return table


# --------------------------------------------------------------------------- forecast accuracy


def closed_years(snapshots: Iterable[Snapshot], last_day: date | None) -> list[int]:
    """The fiscal years projected in ``snapshots`` that ``last_day`` (the data's last day) has closed."""
    if last_day is None:
        return []
    return sorted({s.projection.fiscal_year for s in snapshots if s.projection and s.projection.year_end <= last_day})


def year_actuals(engine: KpiEngine, years: Sequence[int]) -> dict[int, float | None]:
    """The revenue of each fiscal year (the client's fiscal year start), as measured now; None when
    the revenue KPI is unavailable."""
    if not years:
        return {}
    start_month = engine.config.fiscal_year_start_month
    periods = {year: fiscal_year(year, start_month) for year in years}
    series = engine.series(list(periods.values()), kpis=["revenue"])
    series = series[series["dimension"].isna()]
    found = {label: (None if pd.isna(v) else float(v)) for label, v in zip(series["period"], series["value"])}
    return {year: found.get(period.label) for year, period in periods.items()}


@dataclass(frozen=True)
class ForecastAccuracy:
    """``table``: one row per projection of a closed year (:data:`ACCURACY_COLUMNS`), by year then
    by the period it was made for; ``years``: one row per year (:data:`YEAR_COLUMNS`)."""

    table: pd.DataFrame
    years: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.table.empty


def latest_per_period(snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """The last snapshot of each report period (a re-run replaces what the earlier run said)."""
    latest: dict[str, Snapshot] = {}
    for snapshot in snapshots:
        kept = latest.get(snapshot.period.label)
        if kept is None or snapshot.created > kept.created:
            latest[snapshot.period.label] = snapshot
    return sorted(latest.values(), key=lambda s: (s.period.end, s.created))


def forecast_accuracy(snapshots: Iterable[Snapshot], actuals: Mapping[int, float | None]) -> ForecastAccuracy:
    """Each projection made before its fiscal year closed (``months_left`` > 0), for the years of
    ``actuals`` (fiscal year -> revenue actually made; None: unknown, left out), against that
    actual: ``error`` = projection - actual (positive: the projection was too high),
    ``error_share`` = error / actual (null when the actual is 0). Per year, the mean absolute error
    and the mean absolute error share (MAPE)."""
    rows = []
    for snapshot in latest_per_period(snapshots):
        p = snapshot.projection
        if p is None or p.months_left <= 0 or p.fiscal_year not in actuals:
            continue
        actual = actuals[p.fiscal_year]
        if actual is None or not math.isfinite(actual):
            continue
        error = p.projection - actual
        rows.append(
            {
                "fiscal_year": p.fiscal_year,
                "period": snapshot.period.label,
                "period_kind": snapshot.period.kind,
                "period_start": snapshot.period.start,
                "period_end": snapshot.period.end,
                "made_on": snapshot.created.date(),
                "data_last_day": snapshot.data_last_day,
                "months_left": p.months_left,
                "projection": p.projection,
                "actual": actual,
                "error": error,
                "error_share": error / actual if actual else None,
                "year_target": p.year_target,
                "year_start": p.year_start,
                "year_end": p.year_end,
            }
        )
    frame = pd.DataFrame(rows, columns=[*ACCURACY_COLUMNS, "year_start", "year_end"])
    for column in ("projection", "actual", "error", "error_share"):
        frame[column] = frame[column].astype("float64")
    years = []
    for year, group in frame.groupby("fiscal_year", sort=True):
        shares = group["error_share"].dropna().abs()
        years.append(
            {
                "fiscal_year": int(year),
                "year_start": group["year_start"].iloc[0],
                "year_end": group["year_end"].iloc[0],
                "projections": len(group),
                "actual": float(group["actual"].iloc[0]),
                "mean_absolute_error": float(group["error"].abs().mean()),
                "mean_error_share": float(shares.mean()) if not shares.empty else None,
            }
        )
    table = frame.drop(columns=["year_start", "year_end"]).reset_index(drop=True)
    return ForecastAccuracy(table, pd.DataFrame(years, columns=YEAR_COLUMNS))
