"""Per-stage KPIs from the stage history: ``stage_conversion.<stage>`` and ``time_in_stage_days.<stage>``.

The history is read in path order (strategy_kit.kpis.prepared.History). A row without an
``entered_at`` (a stage the deal is taken to have passed, docs/data-model.md) has no date of its own,
but its date is bounded by the deal's dated rows: after its creation and its first entry into any
earlier stage, before its close and its first entry into any later stage. So:

- "entered <stage> in P": a dated row whose day is in P, or an undated row whose bounds lie within
  P; an undated row whose bounds straddle P's edges cannot be placed and is counted in ``excluded``;
  one whose bounds lie outside P did not enter in P; one whose bounds are inverted (its lower bound
  after its upper one) is never placed: it is counted in ``excluded`` in every period sharing a day
  with the span between them;
- "later reached any later stage": the deal was won, or it has a row for a later stage entered at
  or after that entry (an undated later row counts: it was inferred from the deal going further);
- "left <stage> in P": the next row of the deal's path (its next stage) is dated in P; the days in
  the stage are then known when the stage's own row is dated too, else the stay is excluded; a
  next row that is undated and may fall in P is excluded as well.

Consecutive rows of the same stage are one stay (the first entry counts).
"""

from __future__ import annotations

import numpy as np

from strategy_kit.kpis.arrays import NO_TIME, grouped_median
from strategy_kit.kpis.registry import stage_kpi
from strategy_kit.kpis.scope import Measure, Scope


def _width(scope: Scope) -> int:
    return len(scope.prepared.stage_ids)


def _rank(scope: Scope, stage_id: str) -> int:
    return scope.prepared.stage_ids.index(stage_id)


def _overlaps(low: np.ndarray, high: np.ndarray, scope: Scope) -> np.ndarray:
    """Undated rows that may have been entered in the period: their span between the two bounds
    shares a day with it. Inverted bounds (low after high: the deal's dated rows contradict each
    other) span from the earlier bound to the later one, so such a row is counted in every period
    that shares a day with that span, never silently dropped."""
    first, last = np.minimum(low, high), np.maximum(low, high)
    return (first <= scope.end) & (last >= scope.start)


def _entry_index(scope: Scope) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of tracked stages: dated ones sorted by day (with their days), and undated ones."""
    history = scope.prepared.history
    tracked = history.stage < _width(scope) - 1
    dated = np.flatnonzero(tracked & history.dated)
    dated = dated[np.argsort(history.day[dated], kind="stable")]
    return dated, history.day[dated], np.flatnonzero(tracked & ~history.dated)


def _entries(scope: Scope) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows entering a stage in P — the first entry per deal and stage —, whether each later
    reached a later stage or was won, undated rows that may have entered in P but cannot be placed)."""

    def build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        history = scope.prepared.history
        width = _width(scope)
        dated, days, undated = scope.engine.constant("stage_entries", lambda: _entry_index(scope))
        first = np.searchsorted(days, days.dtype.type(scope.start), side="left")
        last = np.searchsorted(days, days.dtype.type(scope.end), side="right")
        low, high = history.low[undated], history.high[undated]
        within = (low >= scope.start) & (high <= scope.end) & (low <= high)
        overlaps = _overlaps(low, high, scope)
        rows = np.concatenate([dated[first:last], undated[within]])
        _, unique = np.unique(history.deal[rows] * width + history.stage[rows], return_index=True)
        rows = rows[unique]
        entered = np.where(history.dated[rows], history.ns[rows], NO_TIME + 1)
        deal, stage = history.deal[rows], history.stage[rows].astype(np.int64)
        advanced = scope.prepared.deals.won[deal] | (history.later[deal, stage] >= entered)
        return rows, advanced, undated[overlaps & ~within]

    return scope.per_period("stage_entries", build)


def _conversion_table(scope: Scope) -> tuple[np.ndarray, np.ndarray]:
    """Per group and stage: deals that entered it in P, and those of them that went further."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        rows, advanced, _ = _entries(scope)
        width = _width(scope)
        stage = scope.prepared.history.stage[rows].astype(np.int64)
        codes = scope.codes("stage_history")
        cell = stage if codes is None else codes[rows] * width + stage
        size = scope.size * width
        entered = np.bincount(cell, minlength=size).reshape(scope.size, width)
        went_on = np.bincount(cell[advanced], minlength=size).reshape(scope.size, width)
        return entered.astype(float), went_on.astype(float)

    return scope.once("stage_conversion", build)


@stage_kpi(
    "stage_conversion",
    fr="Conversion de l'étape « {stage} »",
    en="{stage} stage conversion",
    unit="rate",
    direction="higher",
    definition="among deals that entered <stage> in P, the share that later reached any later stage of "
    "the ordered list or were won (from the stage history; without one, a deal is taken to "
    "have passed every stage before its current one)",
    needs=("stage_history", "deals.status"),
)
def stage_conversion(scope: Scope, stage_id: str) -> Measure:
    rank = _rank(scope, stage_id)
    entered, went_on = _conversion_table(scope)
    _, _, unplaced = _entries(scope)
    excluded = int(np.count_nonzero(scope.prepared.history.stage[unplaced] == rank))
    return Measure(scope.ratio(went_on[:, rank], entered[:, rank]), excluded)


def _step_index(scope: Scope) -> tuple[np.ndarray, ...]:
    """Stays in a tracked stage followed by another stage: those whose next stage is dated, sorted
    by the day it was entered (with that day, whether the stay's own entry is dated, its length in
    days), and those whose next stage is undated (with its bounds)."""
    history = scope.prepared.history
    steps = np.flatnonzero((history.next_row >= 0) & (history.stage < _width(scope) - 1))
    following = history.next_row[steps]
    next_dated = history.dated[following]
    known, unknown = steps[next_dated], steps[~next_dated]
    next_day = history.day[following[next_dated]]
    order = np.argsort(next_day, kind="stable")
    known, next_day = known[order], next_day[order]
    days = (next_day.astype(np.int64) - history.day[known]).astype(np.float64)
    after_unknown = following[~next_dated]
    return known, next_day, history.dated[known], days, unknown, history.low[after_unknown], history.high[after_unknown]


def _stays(scope: Scope) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows of stays left in P with a known length, their length in days, stays left out)."""

    def build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        known, next_day, own_dated, days, unknown, low, high = scope.engine.constant(
            "stage_steps", lambda: _step_index(scope)
        )
        first = np.searchsorted(next_day, next_day.dtype.type(scope.start), side="left")
        last = np.searchsorted(next_day, next_day.dtype.type(scope.end), side="right")
        measured = own_dated[first:last]
        rows = known[first:last][measured]
        left_out = np.concatenate([known[first:last][~measured], unknown[_overlaps(low, high, scope)]])
        return rows, days[first:last][measured], left_out

    return scope.per_period("stage_stays", build)


def _time_table(scope: Scope) -> np.ndarray:
    def build() -> np.ndarray:
        rows, days, _ = _stays(scope)
        width = _width(scope)
        stage = scope.prepared.history.stage[rows].astype(np.int64)
        codes = scope.codes("stage_history")
        cell = stage if codes is None else codes[rows] * width + stage
        return grouped_median(cell, days, scope.size * width).reshape(scope.size, width)

    return scope.once("time_in_stage", build)


@stage_kpi(
    "time_in_stage_days",
    fr="Temps passé en « {stage} » (médiane, jours)",
    en="Time in {stage} (median days)",
    unit="days",
    direction="lower",
    definition="median days from entering <stage> to entering the next stage it reached, over deals "
    "that left <stage> in P",
    needs=("stage_history.entered_at",),
)
def time_in_stage_days(scope: Scope, stage_id: str) -> Measure:
    rank = _rank(scope, stage_id)
    _, _, left_out = _stays(scope)
    excluded = int(np.count_nonzero(scope.prepared.history.stage[left_out] == rank))
    return Measure(_time_table(scope)[:, rank], excluded)
