"""The KPI engine: every KPI of a period, its breakdowns, and series of periods, in one call.

``KpiEngine(data)`` prepares lazily, once, what every period shares (strategy_kit.kpis.prepared);
``compute(period, by)`` then returns a :class:`KpiResult` and ``series(periods)`` a tidy table,
each period costing a few vectorised operations over the prepared arrays.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from strategy_kit.data import SalesData
from strategy_kit.errors import StrategyKitError, UnavailableError
from strategy_kit.kpis.dimensions import MISSING_GROUP
from strategy_kit.kpis.prepared import Prepared
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import CREATED_DEALS, KPI, kpi_definitions
from strategy_kit.kpis.scope import Grouping, Scope, natural_key
from strategy_kit.periods import Period

Value = float | int | None
TABLE_COLUMNS = ["kpi", "family", "unit", "direction", "dimension", "group", "value", "excluded", "unavailable"]
SERIES_COLUMNS = ["period", "start", "end", "kpi", "dimension", "group", "value", "excluded"]


class KpiError(StrategyKitError):
    """An unknown KPI id or breakdown dimension was asked for."""


class DimensionUnavailable(KpiError, UnavailableError):
    """A breakdown dimension the client's data hold no value for: a notebook section shows it as
    "not available" (an UnavailableError), the CLI exits with code 2 (a KpiError)."""


def _value(number: float, unit: str) -> Value:
    """A KPI value as machine output holds it: None for an empty denominator, int for counts."""
    if number is None or math.isnan(number):
        return None
    if unit == "count" and float(number).is_integer():
        return int(number)
    return float(number)


@dataclass
class KpiResult:
    """Every KPI asked for, for one period: values, rows left out, what is unavailable and why."""

    period: Period
    values: dict[str, Value]  # kpi id -> value (None: empty denominator)
    excluded: dict[str, int]  # kpi id -> rows left out for a missing date (or value)
    unavailable: dict[str, str]  # kpi id -> reason, in English
    breakdown: dict[str, dict[str, dict[str, Value]]]  # dimension -> group -> kpi id -> value
    by_product: dict[str, float | None]  # revenue_by_product: product -> revenue in the period
    breakdown_unavailable: dict[str, dict[str, str]] = field(default_factory=dict)  # dimension -> kpi -> reason
    definitions: dict[str, KPI] = field(default_factory=dict, repr=False)
    reasons: dict[str, Unavailable] = field(default_factory=dict, repr=False)

    def reason(self, kpi_id: str, language: str) -> str | None:
        """Why the KPI is unavailable, in ``language`` (None when it is available)."""
        found = self.reasons.get(kpi_id)
        return found.text(language) if found is not None else self.unavailable.get(kpi_id)

    def table(self) -> pd.DataFrame:
        """Tidy: one row per KPI (total), per product of revenue_by_product, and per KPI and group
        of each breakdown. Columns: kpi, family, unit, direction, dimension, group, value, excluded,
        unavailable."""
        rows: list[dict[str, Any]] = []
        for kpi_id, definition in self.definitions.items():
            base = {
                "kpi": kpi_id,
                "family": definition.family,
                "unit": definition.unit,
                "direction": definition.direction,
            }
            if kpi_id in self.unavailable:
                rows.append({**base, "unavailable": self.unavailable[kpi_id]})
                continue
            if definition.unit == "breakdown":
                rows += [
                    {**base, "dimension": "product", "group": group, "value": value}
                    for group, value in self.by_product.items()
                ]
                continue
            rows.append({**base, "value": self.values.get(kpi_id), "excluded": self.excluded.get(kpi_id, 0)})
            for dimension, groups in self.breakdown.items():
                reason = self.breakdown_unavailable.get(dimension, {}).get(kpi_id)
                if reason is not None:
                    rows.append({**base, "dimension": dimension, "unavailable": reason})
                    continue
                rows += [
                    {**base, "dimension": dimension, "group": group, "value": values.get(kpi_id)}
                    for group, values in groups.items()
                ]
        table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
        table["value"] = table["value"].astype("float64")
        table["excluded"] = table["excluded"].astype("Int64")
        return table

    def to_json(self, client: str) -> dict[str, Any]:
        """The KPIS.md "Machine-readable output" object (rates as fractions, null: no denominator)."""
        kpis: dict[str, Any] = {}
        for kpi_id, definition in self.definitions.items():
            if kpi_id in self.unavailable:
                continue
            kpis[kpi_id] = dict(self.by_product) if definition.unit == "breakdown" else self.values.get(kpi_id)
        result: dict[str, Any] = {
            "client": client,
            "period": self.period.as_dict(),
            "kpis": kpis,
            "excluded": {k: n for k, n in self.excluded.items() if n},
            "unavailable": dict(self.unavailable),
        }
        if self.breakdown:
            result["breakdown"] = self.breakdown
        gaps = {dimension: dict(reasons) for dimension, reasons in self.breakdown_unavailable.items() if reasons}
        if gaps:  # KPIs left out of a breakdown are listed with the reason, never silently
            result["breakdown_unavailable"] = gaps
        return result


class KpiEngine:
    """Computes the KPIs of one client's data for any period, breakdown and series of periods."""

    def __init__(self, data: SalesData):
        self.data = data
        self.config = data.config
        self.prepared = Prepared(data)
        self.definitions: dict[str, KPI] = {k.id: k for k in kpi_definitions(data.config)}
        self._constants: dict[str, Any] = {}
        self._total = Grouping.total()
        self._groupings: dict[tuple[str, frozenset[str]], Grouping] = {}
        self._scopes: dict[tuple[Any, ...], Scope] = {}
        self._period_memos: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._measured_once = False  # the first computation prepares in two threads

    # ------------------------------------------------------------------ shared by scopes

    def definition(self, kpi_id: str) -> KPI:
        try:
            return self.definitions[kpi_id]
        except KeyError:
            raise KpiError(f"unknown KPI '{kpi_id}'; known: {', '.join(self.definitions)}") from None

    def constant(self, key: str, build: Callable[[], Any]) -> Any:
        """Something every period shares (e.g. rows without a date), built on first use."""
        if key not in self._constants:
            self._constants[key] = build()
        return self._constants[key]

    def scope(self, period: Period, grouping: Grouping) -> Scope:
        key = (period.start, period.end, grouping.dimension, id(grouping))
        if key not in self._scopes:
            memo = self._period_memos.setdefault((period.start, period.end), {})
            self._scopes[key] = Scope(self, period, grouping, memo)
        return self._scopes[key]

    def _release(self) -> None:
        """Forget the per-period intermediates of the last call (the prepared arrays stay)."""
        self._scopes.clear()
        self._period_memos.clear()

    # ------------------------------------------------------------------ dimensions

    def has_dimension(self, name: str) -> bool:
        """The client's data has dimension ``name`` for its deals, activities, leads or revenue."""
        if name not in self.prepared.dimensions:
            return False
        for rows in ("deals", "activities", "leads", "revenue"):
            try:
                labels = self.prepared.labels(rows, name)
            except Unavailable:
                continue
            if (labels.codes >= 0).any():  # at least one row has a value
                return True
        return False

    def available_dimensions(self) -> list[str]:
        """The dimensions this client's data has: standard, custom and calendar ones."""
        return [name for name in self.prepared.dimensions if self.has_dimension(name)]

    def _dimensions(self, by: Sequence[str] | str) -> list[str]:
        names = [by] if isinstance(by, str) else list(by)
        names = [part.strip() for name in names for part in name.split(",") if part.strip()]
        unknown = [name for name in names if name not in self.prepared.dimensions]
        if unknown:
            raise KpiError(
                f"unknown breakdown dimension {', '.join(repr(n) for n in unknown)}; this client's data has: "
                f"{', '.join(self.available_dimensions()) or 'none'}"
            )
        missing = [name for name in names if not self.has_dimension(name)]
        if missing:
            raise DimensionUnavailable(
                "kpis.reason.no_dimension",
                client=self.config.client,
                dimensions=", ".join(repr(n) for n in missing),
                available=", ".join(self.available_dimensions()) or "-",
            )
        return list(dict.fromkeys(names))

    def grouping(self, dimension: str, rows: Iterable[str]) -> Grouping:
        key = (dimension, frozenset(rows))
        if key not in self._groupings:
            self._groupings[key] = Grouping.of(self.prepared, dimension, sorted(key[1]))
        return self._groupings[key]

    def _requested(self, kpis: Sequence[str] | None) -> list[str]:
        if kpis is None:
            return list(self.definitions)
        ids = [kpis] if isinstance(kpis, str) else list(kpis)
        for kpi_id in ids:
            self.definition(kpi_id)
        return list(dict.fromkeys(ids))

    def _rows(self, ids: Iterable[str]) -> set[str]:
        rows = {self.definitions[k].rows for k in ids}
        if "revenue" in rows:
            rows.add("deals")  # revenue is won_value when there are no revenue lines
        if "deals" in rows:
            rows.add(CREATED_DEALS)  # new and open deals: grouped by created_at on the calendar
        return rows

    # ------------------------------------------------------------------ public API

    def compute(self, period: Period, by: Sequence[str] | str = (), kpis: Sequence[str] | None = None) -> KpiResult:
        """Every KPI asked for (default: all) for ``period``, with a breakdown per dimension of ``by``."""
        try:
            return self._compute(period, self._dimensions(by), self._requested(kpis))
        finally:
            self._release()

    def _compute(self, period: Period, by: list[str], ids: list[str]) -> KpiResult:
        total = self.scope(period, self._total)
        values: dict[str, Value] = {}
        excluded: dict[str, int] = {}
        reasons: dict[str, Unavailable] = {}
        by_product: dict[str, float | None] = {}
        self._measure_in_parallel(total, ids)
        for kpi_id in ids:
            definition = self.definitions[kpi_id]
            try:
                measure = total.measure(kpi_id)
            except Unavailable as reason:
                reasons[kpi_id] = reason
                continue
            if definition.unit == "breakdown":
                by_product = dict(
                    sorted(
                        (measure.parts or {}).items(), key=lambda item: (item[0] == MISSING_GROUP, natural_key(item[0]))
                    )
                )
            else:
                values[kpi_id] = _value(measure.values[0], definition.unit)
            excluded[kpi_id] = int(measure.excluded)
        breakdown: dict[str, dict[str, dict[str, Value]]] = {}
        not_broken_down: dict[str, dict[str, str]] = {}
        available = [k for k in ids if k not in reasons and self.definitions[k].unit != "breakdown"]
        for dimension in by:
            grouping = self.grouping(dimension, self._rows(available))
            scope = self.scope(period, grouping)
            groups: dict[str, dict[str, Value]] = {group: {} for group in grouping.groups}
            for kpi_id in available:
                try:
                    measure = scope.measure(kpi_id)
                except Unavailable as reason:
                    not_broken_down.setdefault(dimension, {})[kpi_id] = str(reason)
                    continue
                unit = self.definitions[kpi_id].unit
                for group, number in zip(grouping.groups, measure.values):
                    groups[group][kpi_id] = _value(number, unit)
            if self.prepared.dimensions[dimension].calendar == "month":
                # No KPI of P reads a date after P's end: later months are not shown (earlier ones
                # are: deals created before P and still open at its end).
                last = f"{period.end:%Y-%m}"
                groups = {g: v for g, v in groups.items() if g == MISSING_GROUP or g <= last}
            breakdown[dimension] = groups
        return KpiResult(
            period=period,
            values=values,
            excluded=excluded,
            unavailable={k: str(r) for k, r in reasons.items()},
            breakdown=breakdown,
            by_product=by_product,
            breakdown_unavailable=not_broken_down,
            definitions={k: self.definitions[k] for k in ids},
            reasons=reasons,
        )

    # Row kinds whose KPIs share nothing with the others: measured in a second thread on large data.
    _SIDE_ROWS = frozenset({"activities", "leads"})
    _PARALLEL_FROM_ROWS = 500_000

    def _measure_in_parallel(self, scope: Scope, ids: list[str]) -> None:
        """On large data, measure the activity and lead KPIs in a second thread while this one
        measures the others: the heavy steps are NumPy and Arrow operations that release the GIL,
        and the two groups share no intermediate (a figure built twice would be the same)."""
        if self._measured_once:
            return
        self._measured_once = True
        rows = sum(len(frame) for frame in self.data.tables.values() if frame is not None)
        side = [k for k in ids if self.definitions[k].rows in self._SIDE_ROWS]
        if rows < self._PARALLEL_FROM_ROWS or not side or len(side) == len(ids):
            return
        main = [k for k in ids if k not in side]

        def measure(group: list[str]) -> None:
            for kpi_id in group:
                with contextlib.suppress(Unavailable):
                    scope.measure(kpi_id)

        with ThreadPoolExecutor(max_workers=1) as pool:
            job = pool.submit(measure, side)
            measure(main)
            job.result()

    def series(
        self, periods: Sequence[Period], kpis: Sequence[str] | None = None, by: Sequence[str] | str = ()
    ) -> pd.DataFrame:
        """Tidy table of the KPIs over several periods: period (label), start, end, kpi, dimension
        (None for the total), group, value, excluded (totals only). Unavailable KPIs have no rows;
        revenue_by_product has one row per product (dimension ``product``)."""
        dimensions = self._dimensions(by)
        ids = self._requested(kpis)
        rows: list[tuple[Any, ...]] = []
        try:
            for period in periods:
                result = self._compute(period, dimensions, ids)
                head = (period.label, pd.Timestamp(period.start), pd.Timestamp(period.end))
                for kpi_id in ids:
                    if kpi_id in result.unavailable:
                        continue
                    if self.definitions[kpi_id].unit == "breakdown":
                        rows += [
                            (*head, kpi_id, "product", group, value, None) for group, value in result.by_product.items()
                        ]
                        continue
                    rows.append((*head, kpi_id, None, None, result.values.get(kpi_id), result.excluded.get(kpi_id, 0)))
                    for dimension, groups in result.breakdown.items():
                        rows += [
                            (*head, kpi_id, dimension, group, values[kpi_id], None)
                            for group, values in groups.items()
                            if kpi_id in values
                        ]
        finally:
            self._release()
        table = pd.DataFrame(rows, columns=SERIES_COLUMNS)
        table["value"] = table["value"].astype("float64")
        table["excluded"] = table["excluded"].astype("Int64")
        return table


def compute_kpis(
    data: SalesData, period: Period, by: Sequence[str] | str = (), kpis: Sequence[str] | None = None
) -> KpiResult:
    """Every KPI (or those asked for) of ``data`` for ``period``: ``KpiEngine(data).compute(...)``."""
    return KpiEngine(data).compute(period, by, kpis)
