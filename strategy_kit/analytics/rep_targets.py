"""Per-rep revenue targets with a realism check, and one scorecard per rep (METHOD.md section 4,
steps 2 and 3).

Pure numbers: a :class:`~strategy_kit.data.SalesData`, a :class:`~strategy_kit.periods.Period`
and the team's monthly revenue target (``month``, ``revenue_target``) in, dataclasses of
DataFrames out; no language, no I/O (:mod:`strategy_kit.narrative.rep_targets` writes them for a
reader, :mod:`strategy_kit.report.scorecards` writes the PDFs). The won values come from
:class:`~strategy_kit.kpis.KpiEngine` (one ``series`` call by owner).

The rules (:func:`strategy_kit.narrative.rep_targets.rule_finding` states them in the report):

- **History**: the 12 full months before the plan's first month (the first month of the team
  target), ending earlier when the data end earlier (the last month the data reach completely).
  A rep's months of history are the months of that window with at least one deal created or
  closed, or one activity, of the rep (as in :func:`strategy_kit.analytics.baselines_reps.months_of_history`).
- **The team**: the reps of the ``reps`` table when the client has one, else every owner with
  history in the window.
- **Own baseline**: a rep with at least ``min_months`` months of history weighs their own
  baseline, the won value of the window per month of history (never the team average).
- **Ramp**: a rep with fewer months of history weighs ``ramp[i]`` times the median baseline of
  the established reps (:data:`RAMP`: 50 %, 75 % then 100 % in the 1st, 2nd and 3rd month of
  tenure, 100 % afterwards); tenure counts from the month of the rep's ``start_date`` (``reps``
  table), else of their first deal or activity, else from the plan's first month. Before that month
  the rep has no target. Without any established rep the ramp factors weigh alone.
- **Scaling**: each month, the team target is shared in proportion to the weights, in whole
  currency units; the units left by rounding down go one each to the reps with the largest
  fractional parts (ties: by name), so the reps' targets add up to the team's exactly. When every
  weight is 0 the month is shared equally among the reps who have started.
- **Realism**: for each target, the percentile of the rep's own monthly won values (over the
  months of history, 0 for a month without a win) that it demands: the smallest ``q`` whose
  quantile (linear interpolation, numpy's default) reaches the target; 100 when the target is
  above the rep's best month. A target above the rep's 90th percentile
  (:data:`REALISM_PERCENTILE`) is unrealistic. A rep without history has no percentile.
- **Realistic total**: the sum of the targets, each capped at the rep's 90th percentile (targets of
  reps without history counted as they are).
- **Scorecards**: actuals are the rep's won value per month of the plan that has ended by the
  period's end (and by the data's last day); attainment is actual / target; the trend compares
  the last :data:`TREND_MONTHS` complete months up to then with the :data:`TREND_MONTHS` before
  (``stable`` within :data:`TREND_TOLERANCE`). The means objectives: deals to win = target /
  the rep's average won deal in the history window; calls and emails = deals x the rep's calls
  and emails per won deal in the window (the team's figures for a rep on the ramp rule, whose few
  months say little, and for a rep who won no deal there). What would help the rep, against the
  team over the 12 months ending on the cut-off: :mod:`strategy_kit.analytics.rep_help`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.analytics.baselines import MIN_HISTORY_MONTHS, BaselineWindow, baseline_window, month_period
from strategy_kit.analytics.rep_help import RepHelp, rep_help
from strategy_kit.availability import require_deal_column
from strategy_kit.data import SalesData
from strategy_kit.errors import StrategyKitError, UnavailableError
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import Period, month_start

RAMP: tuple[float, ...] = (0.5, 0.75, 1.0)  # new reps: share of the median rep in tenure months 1, 2, 3...
REALISM_PERCENTILE = 90.0  # a target above this percentile of the rep's own months is unrealistic
TREND_MONTHS = 3
TREND_TOLERANCE = 0.05  # within 5 %: stable
# The KPIs read per rep and month: results and the means objectives' activities.
SERIES_KPIS = ("won_value", "deals_won", "calls_made", "emails_sent")
MEANS = (("calls", "calls_made"), ("emails", "emails_sent"))


class RepTargetsError(StrategyKitError):
    """The team's monthly target cannot be shared among the reps (a bad target table)."""


# --------------------------------------------------------------------------- helpers


def _months_between(first: date, later: date) -> int:
    return (later.year - first.year) * 12 + later.month - first.month


def apportion(total: int, weights: Sequence[float], names: Sequence[str]) -> list[int]:
    """``total`` shared in proportion to ``weights`` in whole units, adding up to ``total`` exactly:
    each gets the floor of its share, the units left go one each to the largest fractional parts
    (ties: by name, case-insensitive). All weights 0: an equal share."""
    if not weights:
        return []
    weights = [max(float(w), 0.0) for w in weights]
    if sum(weights) <= 0:
        weights = [1.0] * len(weights)
    exact = [total * w / sum(weights) for w in weights]
    floors = [math.floor(x) for x in exact]
    left = total - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), names[i].casefold(), names[i]))
    for i in order[:left]:
        floors[i] += 1
    return floors


def demanded_percentile(target: float, values: Sequence[float]) -> float | None:
    """The smallest percentile ``q`` (0-100) whose quantile of ``values`` (linear interpolation)
    reaches ``target``; 100 when the target is above the largest value; None without values."""
    ordered = sorted(float(v) for v in values)
    if not ordered:
        return None
    if target <= ordered[0]:
        return 0.0
    if target > ordered[-1]:
        return 100.0
    n = len(ordered)
    for i in range(n - 1):
        low, high = ordered[i], ordered[i + 1]
        if low < target <= high:
            position = i + (target - low) / (high - low)
            return 100.0 * position / (n - 1)
    return 100.0  # unreachable: target <= the largest value


def slugify(name: str) -> str:
    """A file-name-safe form of a rep's name: ``Élise Martin`` -> ``elise-martin``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "rep"


# --------------------------------------------------------------------------- history


def _history_end(plan_start: date, last_day: date | None) -> date:
    """The first day of the month after the history window: the plan's first month, or earlier
    when the data end before it (the month after the last month the data reach completely)."""
    if last_day is None:
        return plan_start
    after_last_full = month_start(last_day + timedelta(days=1))
    return min(plan_start, after_last_full)


def _owner_months(data: SalesData) -> pd.DataFrame:
    """Every (owner, month) with a deal created or closed or an activity of the owner, in the order
    of their first row (deals' created_at, deals' closed_at, then activities), each row labelled by
    that first row's position among the dated rows with an owner.

    Only the two columns are read (not the wide tables' rows), and each table's (owner, month)
    pairs are made distinct on integer codes before any text is written."""
    parts = []
    offset = 0
    for table, column in (("deals", "created_at"), ("deals", "closed_at"), ("activities", "at")):
        frame = data.tables.get(table)
        if frame is None or "owner" not in frame.columns or column not in frame.columns:
            continue
        owners, months, first, rows = _distinct_owner_months(frame["owner"], frame[column])
        parts.append(pd.DataFrame({"owner": owners, "month": months}, index=first + offset))
        offset += rows
    if not parts:
        return pd.DataFrame(columns=["owner", "month"])
    return pd.concat(parts).drop_duplicates()


def _distinct_owner_months(owner: pd.Series, when: pd.Series) -> tuple[Any, Any, np.ndarray, int]:
    """The distinct (owner as text, first day of the month) pairs of the rows with both, as object
    arrays, with the position of each pair's first row among those rows, in that order; and the
    number of those rows."""
    stamps = when.to_numpy()
    if not (isinstance(when.dtype, np.dtype) and when.dtype.kind == "M"):  # a time zone...: the general way
        known = (owner.notna() & when.notna()).to_numpy()
        return (
            owner[known].astype(str).to_numpy(),
            when[known].dt.to_period("M").dt.to_timestamp().dt.date.to_numpy(),
            np.arange(int(known.sum())),
            int(known.sum()),
        )
    codes, names = pd.factorize(owner, sort=False)
    known = (codes >= 0) & ~np.isnat(stamps)
    text = pd.Series(names, dtype=object).astype(str) if len(names) else pd.Series([], dtype=object)
    text_codes, text_names = pd.factorize(text)  # two values may be written alike
    owner_codes = text_codes[codes[known]] if len(text_codes) else codes[known]
    unit: Any
    unit, count = np.datetime_data(stamps.dtype)
    days = np.floor_divide(stamps[known].view(np.int64), np.timedelta64(1, "D") // np.timedelta64(count, unit))
    low_day = int(days.min()) if len(days) else 0
    high_day = int(days.max()) if len(days) else 0
    # The month of each day the rows span, looked up per row: no calendar arithmetic on every row.
    calendar = np.arange(low_day, high_day + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    month = calendar[days - low_day]
    low = int(calendar[0]) if len(calendar) else 0
    span = int(calendar[-1]) - low + 1 if len(calendar) else 1
    pair = owner_codes.astype(np.int64) * span + (month - low)
    first = np.flatnonzero(~pd.Series(pair).duplicated().to_numpy())
    owners = np.asarray(np.asarray(text_names, dtype=object)[owner_codes[first]], dtype=object)
    firsts = month[first].astype("datetime64[M]").astype("datetime64[D]").astype(object)
    return owners, np.asarray(firsts, dtype=object), first, int(known.sum())


def _team(data: SalesData, history_owners: set[str]) -> list[str]:
    reps = data.tables.get("reps")
    if reps is not None and "owner" in reps.columns and reps["owner"].notna().any():
        owners = {str(o) for o in reps["owner"].dropna()}
    else:
        owners = set(history_owners)
    return sorted(owners, key=lambda o: (o.casefold(), o))


def _tenure_starts(data: SalesData, owner_months: pd.DataFrame, plan_start: date) -> dict[str, date]:
    starts: dict[str, date] = {}
    if not owner_months.empty:
        for owner, month in owner_months.groupby("owner")["month"].min().items():
            starts[str(owner)] = month
    reps = data.tables.get("reps")
    if reps is not None and "start_date" in reps.columns:
        for owner, start in zip(reps["owner"], reps["start_date"]):
            if pd.notna(owner) and pd.notna(start):
                starts[str(owner)] = month_start(pd.Timestamp(start).date())
    return starts


def _series(engine: KpiEngine, months: Sequence[date]) -> pd.DataFrame:
    """Won value, deals won, calls and emails per owner and month (``owner``, ``month``, one column
    per KPI, 0 where the owner has nothing); KPIs the data cannot give are left out."""
    periods = [month_period(m) for m in sorted(set(months))]
    if not periods:
        return pd.DataFrame(columns=["owner", "month"])
    available = [k for k in SERIES_KPIS if k in engine.definitions]
    frame = engine.series(periods, kpis=available, by=("owner",))
    frame = frame[frame["dimension"] == "owner"]
    if frame.empty:
        return pd.DataFrame(columns=["owner", "month"])
    frame = frame.assign(owner=frame["group"].astype(str), month=frame["start"].dt.date)
    wide = frame.pivot_table(index=["owner", "month"], columns="kpi", values="value", aggfunc="sum")
    return wide.fillna(0.0).reset_index()


# --------------------------------------------------------------------------- rep targets


@dataclass(frozen=True)
class RepTargets:
    """The reps' monthly revenue targets.

    ``table``: one row per rep and month of the plan: ``owner``, ``month`` (first day),
    ``revenue_target`` (int), ``baseline_monthly`` (the rep's own won value per month of history;
    None without history), ``share`` (of the team's month), ``months_of_history``, ``ramp`` (on
    the ramp rule), ``ramp_factor``, ``p90`` (the rep's 90th percentile month), ``best_month``,
    ``percentile`` (demanded by the target), ``unrealistic``, ``reason`` (a code of
    :func:`realism`). ``team``: ``month``, ``revenue_target`` (the team's), ``realistic`` (each
    target capped at the rep's P90). ``history``: the rep's months of history: ``owner``,
    ``month``, ``won_value``, ``deals_won``, ``calls_made``, ``emails_sent`` (those the data give).
    """

    period: Period
    window: BaselineWindow
    table: pd.DataFrame
    team: pd.DataFrame
    history: pd.DataFrame
    min_months: int = MIN_HISTORY_MONTHS
    ramp: tuple[float, ...] = RAMP
    owners: tuple[str, ...] = field(default=())

    @property
    def realistic_total(self) -> int:
        """The team total a realistic plan would reach (each target capped at the rep's P90)."""
        return int(round(float(self.team["realistic"].sum())))

    @property
    def history_months(self) -> tuple[date, date]:
        """The first and the last month of the history window (first days)."""
        return self.window.months[0].start, self.window.months[-1].start

    @property
    def objective_total(self) -> int:
        return int(self.team["revenue_target"].sum())

    def rep(self, owner: str) -> pd.DataFrame:
        return self.table[self.table["owner"] == owner].reset_index(drop=True)


def realism(row: dict[str, Any]) -> str | None:
    """Why a target is flagged, as a code: ``no_history`` (no realism check), ``above_best`` (above
    the rep's best month), ``above_p90`` (above the rep's 90th percentile), None (realistic)."""
    if row["percentile"] is None or pd.isna(row["percentile"]):
        return "no_history"
    if not row["unrealistic"]:
        return None
    return "above_best" if row["revenue_target"] > row["best_month"] else "above_p90"


def _team_months(team_monthly: pd.DataFrame) -> list[tuple[date, int]]:
    missing = {"month", "revenue_target"} - set(team_monthly.columns)
    if missing:
        raise RepTargetsError(
            f"the team's monthly target needs the columns month and revenue_target; "
            f"missing: {', '.join(sorted(missing))}"
        )
    months: list[tuple[date, int]] = []
    for month, target in zip(team_monthly["month"], team_monthly["revenue_target"]):
        if pd.isna(month) or pd.isna(target):
            raise RepTargetsError("the team's monthly target has an empty month or revenue_target; fill every row")
        value = float(target)
        if value < 0 or value != int(value):
            raise RepTargetsError(f"the team's target for {month} is {target}: give a whole, non-negative amount")
        months.append((month_start(pd.Timestamp(month).date()), int(value)))
    if not months:
        raise RepTargetsError("the team's monthly target is empty: phase the annual objective first")
    if len({m for m, _ in months}) != len(months):
        raise RepTargetsError("the team's monthly target has a month twice; give one row per month")
    return sorted(months)


def rep_targets(
    data: SalesData,
    period: Period,
    team_monthly: pd.DataFrame,
    engine: KpiEngine | None = None,
    min_months: int = MIN_HISTORY_MONTHS,
    ramp: Sequence[float] = RAMP,
) -> RepTargets:
    """Share ``team_monthly`` (``month``, ``revenue_target``) among the reps, from each rep's own
    baseline, and check every target against the rep's own monthly history (module docstring)."""
    require_deal_column(data, "owner")
    ramp = tuple(float(f) for f in ramp) or (1.0,)
    if any(f < 0 for f in ramp):
        raise RepTargetsError(f"ramp factors must not be negative: {ramp}")
    engine = engine or KpiEngine(data)
    months = _team_months(team_monthly)
    plan_start = months[0][0]
    end = _history_end(plan_start, data.last_day())
    window = baseline_window(month_period(end), data.config.fiscal_year_start_month)
    window_months = [m.start for m in window.months]

    owner_months = _owner_months(data)
    in_window = owner_months[owner_months["month"].isin(window_months)]
    history_months = {str(o): set(g["month"]) for o, g in in_window.groupby("owner")}
    owners = _team(data, set(history_months))
    if not owners:
        raise UnavailableError(
            "rep_targets.unavailable.no_reps",
            client=data.config.client,
            start=window.months[0].start,
            end=window.months[-1].end,
        )
    tenure = _tenure_starts(data, owner_months, plan_start)

    series = _series(engine, window_months)
    history_rows = []
    for owner in owners:
        for month in sorted(history_months.get(owner, ())):
            found = series[(series["owner"] == owner) & (series["month"] == month)] if not series.empty else series
            row: dict[str, Any] = {"owner": owner, "month": month}
            for kpi in SERIES_KPIS:
                if kpi in series.columns:
                    row[kpi] = float(found[kpi].iloc[0]) if len(found) else 0.0
            history_rows.append(row)
    history = pd.DataFrame(history_rows, columns=["owner", "month", *[k for k in SERIES_KPIS if k in series.columns]])
    if "won_value" not in history.columns:
        history["won_value"] = 0.0

    stats: dict[str, dict[str, Any]] = {}
    for owner in owners:
        values = history.loc[history["owner"] == owner, "won_value"].astype(float).tolist()
        count = len(values)
        stats[owner] = {
            "months": count,
            "values": values,
            "baseline": sum(values) / count if count else None,
            "p90": float(np.percentile(values, REALISM_PERCENTILE)) if count else None,
            "best": max(values) if count else None,
            "established": count >= min_months,
        }
    established = [s["baseline"] for s in stats.values() if s["established"]]
    median = float(np.median(established)) if established else None

    rows = []
    team_rows = []
    for month, team_target in months:
        weights, factors = [], []
        for owner in owners:
            s = stats[owner]
            if s["established"]:
                factor, weight = 1.0, float(s["baseline"])
            else:
                start = tenure.get(owner, plan_start)
                index = _months_between(start, month)
                factor = 0.0 if index < 0 else ramp[min(index, len(ramp) - 1)]
                weight = factor * (median if median is not None else 1.0)
            factors.append(factor)
            weights.append(weight)
        if sum(weights) <= 0:  # nobody has a baseline: an equal share among the reps who have started
            weights = [1.0 if f > 0 else 0.0 for f in factors]
        targets = apportion(team_target, weights, owners)
        realistic = 0.0
        for owner, target, factor in zip(owners, targets, factors):
            s = stats[owner]
            percentile = demanded_percentile(target, s["values"]) if s["months"] else None
            unrealistic = bool(s["p90"] is not None and target > s["p90"] + 1e-9)
            realistic += min(target, s["p90"]) if s["p90"] is not None else target
            row = {
                "owner": owner,
                "month": month,
                "revenue_target": int(target),
                "baseline_monthly": s["baseline"],
                "share": target / team_target if team_target else 0.0,
                "months_of_history": s["months"],
                "ramp": not s["established"],
                "ramp_factor": factor,
                "p90": s["p90"],
                "best_month": s["best"],
                "percentile": percentile,
                "unrealistic": unrealistic,
            }
            row["reason"] = realism(row)
            rows.append(row)
        team_rows.append({"month": month, "revenue_target": team_target, "realistic": realistic})
    table = pd.DataFrame(rows)
    table["revenue_target"] = table["revenue_target"].astype("int64")
    table["months_of_history"] = table["months_of_history"].astype("int64")
    table["ramp"] = table["ramp"].astype(bool)
    table["unrealistic"] = table["unrealistic"].astype(bool)
    team = pd.DataFrame(team_rows, columns=["month", "revenue_target", "realistic"])
    team["revenue_target"] = team["revenue_target"].astype("int64")
    return RepTargets(
        period=period,
        window=window,
        table=table,
        team=team,
        history=history,
        min_months=min_months,
        ramp=ramp,
        owners=tuple(owners),
    )


# --------------------------------------------------------------------------- scorecards


@dataclass(frozen=True)
class Scorecard:
    """One rep's page. ``months``: ``month``, ``revenue_target``, ``actual`` (None for months not
    ended by ``cutoff``), ``attainment``, ``percentile``, ``unrealistic``, ``reason`` (a code of :func:`realism`),
    ``p90``, ``best_month``,
    ``deals_needed``, ``calls_needed``, ``emails_needed`` (None when the data cannot say).
    ``means``: per activity kind (``calls``, ``emails``): per won deal, and the ``source`` of the
    ratios (``own`` or ``team``)."""

    owner: str
    period: Period
    cutoff: date | None
    months: pd.DataFrame
    target_total: int
    target_to_date: int
    actual_to_date: float | None
    attainment: float | None
    trend: str | None  # up, down, stable; None without enough months
    trend_change: float | None
    unrealistic_months: int
    ramp: bool
    months_of_history: int
    avg_deal_size: float | None
    means: dict[str, float | None]
    means_source: str | None
    min_months: int = MIN_HISTORY_MONTHS
    ramp_factors: tuple[float, ...] = RAMP
    history: tuple[date, date] | None = None  # first and last month of the targets' history window
    help: RepHelp | None = None  # the rep against the team over the last 12 months (rep_help)

    @property
    def deals_per_month(self) -> float | None:
        return _mean_of(self.months["deals_needed"])

    def per_month(self, kind: str) -> float | None:
        """The mean calls (``calls``) or emails (``emails``) per month the targets need."""
        return _mean_of(self.months[f"{kind}_needed"])


def _mean_of(values: pd.Series) -> float | None:
    known = [float(v) for v in values if v is not None and not pd.isna(v)]
    return sum(known) / len(known) if known else None


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _means(history: pd.DataFrame, owner: str | None) -> tuple[float | None, dict[str, float | None]]:
    rows = history if owner is None else history[history["owner"] == owner]
    won = float(rows["deals_won"].sum()) if "deals_won" in rows.columns else 0.0
    size = _ratio(float(rows["won_value"].sum()), won)
    per_deal = {kind: (_ratio(float(rows[kpi].sum()), won) if kpi in rows.columns else None) for kind, kpi in MEANS}
    return size, per_deal


def _trend(values: list[float]) -> tuple[str | None, float | None]:
    if len(values) < 2 * TREND_MONTHS:
        return None, None
    before = sum(values[-2 * TREND_MONTHS : -TREND_MONTHS])
    recent = sum(values[-TREND_MONTHS:])
    if before == 0:
        return ("stable", None) if recent == 0 else ("up", None)
    change = recent / before - 1
    if abs(change) <= TREND_TOLERANCE:
        return "stable", change
    return ("up" if change > 0 else "down"), change


def scorecards(
    data: SalesData, period: Period, targets: RepTargets, engine: KpiEngine | None = None
) -> list[Scorecard]:
    """One scorecard per rep of ``targets``, with the actuals of the plan's months ended by the
    period's end (and the data's last day)."""
    engine = engine or KpiEngine(data)
    last_day = data.last_day()
    cutoff = min(period.end, last_day) if last_day else None
    plan_months = sorted(set(targets.table["month"]))
    ended = [m for m in plan_months if cutoff is not None and month_period(m).end <= cutoff]
    trend_months: list[date] = []
    if cutoff is not None:
        last_full = month_start(cutoff + timedelta(days=1), -1)
        trend_months = [month_start(last_full, -k) for k in range(2 * TREND_MONTHS - 1, -1, -1)]
    series = _series(engine, ended + trend_months)
    won = (
        {}
        if series.empty or "won_value" not in series.columns
        else {(o, m): v for o, m, v in zip(series["owner"], series["month"], series["won_value"])}
    )
    team_size, team_per_deal = _means(targets.history, None)
    helps = rep_help(data, targets.owners, cutoff, engine) if cutoff is not None else {}

    cards = []
    for owner in targets.owners:
        rows = targets.rep(owner)
        own_size, own_per_deal = _means(targets.history, owner)
        own = bool(own_size) and not bool(rows["ramp"].any())  # a new rep's few deals say little: the team's
        source = "own" if own else ("team" if team_size else None)
        size, per_deal = (own_size, own_per_deal) if own else (team_size, team_per_deal)
        actual = [float(won.get((owner, m), 0.0)) if m in ended else None for m in rows["month"]]
        months = pd.DataFrame(
            {
                "month": rows["month"],
                "revenue_target": rows["revenue_target"],
                "actual": actual,
                "attainment": [
                    (a / t if t else None) if a is not None else None for a, t in zip(actual, rows["revenue_target"])
                ],
                "percentile": rows["percentile"],
                "unrealistic": rows["unrealistic"],
                "reason": rows["reason"],
                "p90": rows["p90"],
                "best_month": rows["best_month"],
            }
        )
        months["deals_needed"] = [t / size if size else None for t in rows["revenue_target"]]
        for kind, _ in MEANS:
            ratio = per_deal.get(kind)
            months[f"{kind}_needed"] = [
                d * ratio if d is not None and ratio is not None else None for d in months["deals_needed"]
            ]
        done = months[months["actual"].notna()]
        target_to_date = int(done["revenue_target"].sum())
        actual_to_date = float(done["actual"].sum()) if len(done) else None
        trend, trend_change = _trend([float(won.get((owner, m), 0.0)) for m in trend_months])
        cards.append(
            Scorecard(
                owner=owner,
                period=period,
                cutoff=cutoff,
                months=months,
                target_total=int(rows["revenue_target"].sum()),
                target_to_date=target_to_date,
                actual_to_date=actual_to_date,
                attainment=(actual_to_date / target_to_date) if actual_to_date is not None and target_to_date else None,
                trend=trend,
                trend_change=trend_change,
                unrealistic_months=int(rows["unrealistic"].sum()),
                ramp=bool(rows["ramp"].any()),
                months_of_history=int(rows["months_of_history"].iloc[0]),
                avg_deal_size=size,
                means=dict(per_deal),
                means_source=source,
                min_months=targets.min_months,
                ramp_factors=targets.ramp,
                history=targets.history_months,
                help=helps.get(owner),
            )
        )
    return cards
