"""A scope is one period × one grouping (the total, or the groups of one dimension).

KPI functions receive a :class:`Scope` and return a :class:`Measure`: one value per group (NaN for
an empty denominator) and the number of rows left out for a missing date or value. A scope computes
each KPI once (``scope.get("deals_won")`` inside ``win_rate`` reuses the figure) and keeps the
intermediate arrays KPIs share (the deals closed in the period, the activity counts by class...);
masks that depend on the period only are shared by every grouping of that period.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from strategy_kit.kpis.arrays import day_number, grouped_median
from strategy_kit.kpis.dimensions import MISSING_GROUP
from strategy_kit.kpis.prepared import Prepared
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import KPI
from strategy_kit.periods import Period

if TYPE_CHECKING:
    from strategy_kit.kpis.engine import KpiEngine


@dataclass(frozen=True)
class Measure:
    """A KPI's value per group (NaN: empty denominator) and the rows it left out."""

    values: np.ndarray
    excluded: int = 0
    parts: dict[str, float | None] | None = None  # a breakdown KPI's values (revenue_by_product)


def natural_key(text: str) -> tuple[Any, ...]:
    """Sort key reading numbers as numbers (1-9 < 10-49 < 250-999 < 1000+), ignoring case first."""
    parts = tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold()) for part in re.split(r"(\d+)", text) if part
    )
    return parts, text


@dataclass
class Grouping:
    """The groups of one dimension (or the single total group) and each kind of rows' group codes."""

    dimension: str | None
    groups: list[str]
    codes: dict[str, np.ndarray]
    unavailable: dict[str, Unavailable]

    @property
    def size(self) -> int:
        return len(self.groups)

    @classmethod
    def total(cls) -> Grouping:
        return cls(None, [""], {}, {})

    @classmethod
    def of(cls, prepared: Prepared, dimension: str, rows: Iterable[str]) -> Grouping:
        resolved, unavailable = {}, {}
        for kind in rows:
            try:
                resolved[kind] = prepared.labels(kind, dimension)
            except Unavailable as reason:
                unavailable[kind] = reason
        used: set[str] = set()
        missing = False
        for labels in resolved.values():
            present = np.bincount(labels.codes + 1, minlength=len(labels.categories) + 1) > 0
            missing |= bool(present[0])
            used.update(labels.categories[i] for i in np.flatnonzero(present[1:]))
        groups = sorted(used, key=natural_key) + ([MISSING_GROUP] if missing else [])
        index = {name: i for i, name in enumerate(groups)}
        codes = {}
        for kind, labels in resolved.items():
            lookup = np.array(
                [index.get(c, -1) for c in labels.categories] + [index.get(MISSING_GROUP, -1)], dtype=np.int64
            )
            codes[kind] = lookup[labels.codes]
        return cls(dimension, groups, codes, unavailable)


class Scope:
    """One period and one grouping; computes KPIs on demand, each once."""

    def __init__(self, engine: KpiEngine, period: Period, grouping: Grouping, period_memo: dict[str, Any]):
        self.engine = engine
        self.prepared: Prepared = engine.prepared
        self.period = period
        self.start = day_number(period.start)
        self.end = day_number(period.end)
        self.grouping = grouping
        self.size = grouping.size
        self.shared = period_memo  # intermediates that depend on the period only
        self.memo: dict[str, Any] = {}  # intermediates of this scope
        self.measures: dict[str, Measure | Unavailable] = {}

    @property
    def is_total(self) -> bool:
        return self.grouping.dimension is None

    # ------------------------------------------------------------------ KPIs

    def measure(self, kpi_id: str) -> Measure:
        """The KPI's measure in this scope (computed once); raises :class:`Unavailable`."""
        if kpi_id not in self.measures:
            definition = self.engine.definition(kpi_id)
            try:
                if definition.rows in ("deals", "stage_history"):
                    self.prepared.deals_frame()  # no deals table: every KPI over deals is unavailable
                self._check_breakdown(definition)
                compute = definition.compute
                assert compute is not None, f"KPI '{kpi_id}' is declared with the function computing it"
                result = compute(self) if definition.stage is None else compute(self, definition.stage)
            except Unavailable as reason:
                result = reason
            self.measures[kpi_id] = result
        found = self.measures[kpi_id]
        if isinstance(found, Unavailable):
            raise found
        return found

    def get(self, kpi_id: str) -> np.ndarray:
        return self.measure(kpi_id).values

    def excluded(self, kpi_id: str) -> int:
        return self.measure(kpi_id).excluded

    def _check_breakdown(self, definition: KPI) -> None:
        dimension = self.grouping.dimension
        if dimension is None or definition.breakdowns is None:  # the total, or a KPI of every dimension
            return
        if self.prepared.dimensions[dimension].level not in definition.breakdowns:
            raise Unavailable("not_by_dimension", dimension=self.grouping.dimension)

    def shifted(self, years: int) -> Scope:
        """The same grouping for the period ``years`` years away (e.g. -1: a year earlier)."""
        return self.engine.scope(self.period.shifted_years(years), self.grouping)

    # ------------------------------------------------------------------ memo

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        """An intermediate of this scope, built on first use."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    def per_period(self, key: str, build: Callable[[], Any]) -> Any:
        """An intermediate that depends on the period only (shared by its groupings)."""
        if key not in self.shared:
            self.shared[key] = build()
        return self.shared[key]

    def rows_in_period(self, key: str, days: np.ndarray) -> np.ndarray:
        """Indices of the rows whose day falls in the period (missing days never do); ``key`` names
        the date column (e.g. 'deals.closed'). The rows are sorted by day once, then each period is
        a binary search."""

        def build() -> np.ndarray:
            uses = self.engine.constant(f"uses:{key}", lambda: [0])
            uses[0] += 1
            if uses[0] == 1:  # one period so far: a scan is cheaper than sorting
                return np.flatnonzero((days >= self.start) & (days <= self.end))
            order, sorted_days = self.engine.constant(f"order:{key}", lambda: _day_order(days))
            first = np.searchsorted(sorted_days, sorted_days.dtype.type(self.start), side="left")
            last = np.searchsorted(sorted_days, sorted_days.dtype.type(self.end), side="right")
            return np.arange(first, last) if order is None else order[first:last]

        return self.per_period(f"in:{key}", build)

    # ------------------------------------------------------------------ aggregation per group

    def codes(self, rows: str) -> np.ndarray | None:
        """Group code of each row of kind ``rows`` (None for the total); raises Unavailable."""
        if self.is_total:
            return None
        if rows in self.grouping.unavailable:
            raise self.grouping.unavailable[rows]
        if rows not in self.grouping.codes:  # rows the grouping was not built for
            raise Unavailable("not_by_dimension", dimension=self.grouping.dimension)
        return self.grouping.codes[rows]

    def count(self, rows: str, selection: np.ndarray) -> np.ndarray:
        """Rows selected (boolean mask or row indices) per group."""
        codes = self.codes(rows)
        if codes is None:
            total = np.count_nonzero(selection) if selection.dtype == bool else len(selection)
            return np.array([float(total)])
        return np.bincount(codes[selection], minlength=self.size).astype(np.float64)

    def total(self, rows: str, selection: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Sum per group of the known ``values`` (one per selected row, NaN: unknown): 0 for a group
        without rows, NaN for a group whose rows all lack their value (unknown, never 0)."""
        known = ~np.isnan(values)
        chosen = np.where(known, values, 0.0)
        codes = self.codes(rows)
        if codes is None:
            if len(values) and not known.any():
                return np.array([np.nan])
            return np.array([float(chosen.sum())])
        groups = codes[selection]
        sums = np.bincount(groups, weights=chosen, minlength=self.size)
        with_value = np.bincount(groups[known], minlength=self.size)
        with_rows = np.bincount(groups, minlength=self.size)
        return np.where((with_rows > 0) & (with_value == 0), np.nan, sums)

    def median(self, rows: str, selection: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Ordinary median per group of ``values`` (one per selected row; NaN: no row)."""
        chosen = values
        codes = self.codes(rows)
        if codes is None:
            return np.array([float(np.median(chosen)) if len(chosen) else np.nan])
        return grouped_median(codes[selection], chosen, self.size)

    @staticmethod
    def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
        """``numerator / denominator``, NaN where the denominator is 0 or unknown."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(denominator != 0, numerator / np.where(denominator != 0, denominator, 1), np.nan)


def _day_order(days: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """The row order by day (None when the rows already are in that order) and the sorted days."""
    if len(days) < 2 or bool(np.all(days[1:] >= days[:-1])):
        return None, days
    order = np.argsort(days, kind="stable")
    return order, days[order]
