"""Each rep's baseline from the rep's own history in the baseline window (the per-rep rule of
:mod:`strategy_kit.analytics.baselines`), and which reps moved most against their own baseline.

Pure functions: canonical tables and a period in, numbers and frames out; no language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.analytics.baselines import (
    BASELINE_MONTHS,
    MIN_HISTORY_MONTHS,
    REP_KPIS,
    BaselineWindow,
    asked_kpis,
    baseline_window,
    change,
    kpi_kind,
    request_values,
    verdict,
)
from strategy_kit.analytics.baselines_moves import relative_move
from strategy_kit.availability import require_deal_column
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import KPI, KpiEngine
from strategy_kit.periods import Period


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
        found.append(
            pd.DataFrame(
                {"owner": np.asarray(names, dtype=object)[keys // BASELINE_MONTHS], "month": keys % BASELINE_MONTHS}
            )
        )
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
    unavailable: dict[str, str] = field(default_factory=dict)  # KPIs without values per rep, and why (English)
    reasons: dict[str, UnavailableError] = field(default_factory=dict, repr=False)  # the same, in any language

    @property
    def flagged(self) -> pd.DataFrame:
        return self.table[self.table["flagged"]]


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
    definitions = asked_kpis(data, kpis)
    window = baseline_window(period, data.config.fiscal_year_start_month)
    values = request_values(engine, [window.window, window.period], list(definitions), by=("owner",))
    available = [kpi for kpi in definitions if kpi in values.grouped]
    reasons: dict[str, UnavailableError] = {}
    missing = [kpi for kpi in definitions if kpi not in values.grouped]
    if missing:
        current = engine.compute(period, by=("owner",), kpis=missing)
        for kpi in missing:
            # The KPI itself is unavailable, or it has no value per rep (the engine does not break it down).
            reasons[kpi] = current.reasons.get(kpi) or UnavailableError("baseline.reason.no_value_per_rep")
    unavailable = {kpi: str(reason) for kpi, reason in reasons.items()}
    history = months_of_history(data, window)
    owners = sorted(set(history.index) | values.groups, key=str.casefold)

    rows = []
    for owner in owners:
        months = int(history.get(owner, 0))
        row: dict[str, Any] = {"owner": owner, "months_of_history": months, "flagged": months < min_months}
        for kpi_id in available:
            definition = definitions[kpi_id]
            total = values.get(kpi_id, window.window, owner)
            if kpi_kind(definition) in ("flow", "average"):
                if total is None and months:
                    total = 0.0  # the rep has history but nothing of this KPI in the window
                baseline = total / months * window.months_in_period if months and total is not None else None
            else:
                baseline = total if months else None
            value = values.get(kpi_id, window.period, owner)
            if value is None and kpi_kind(definition) in ("flow", "average"):
                value = 0.0
            row[kpi_id] = baseline
            row[f"{kpi_id}.value"] = value
            row[f"{kpi_id}.change"] = change(value, baseline, definition.unit)
            row[f"{kpi_id}.verdict"] = verdict(value, baseline, definition.direction)
        rows.append(row)
    columns = ["owner", "months_of_history", "flagged"]
    for kpi_id in available:
        columns += [kpi_id, f"{kpi_id}.value", f"{kpi_id}.change", f"{kpi_id}.verdict"]
    table = pd.DataFrame(rows, columns=columns)
    table["months_of_history"] = table["months_of_history"].astype("int64")
    table["flagged"] = table["flagged"].astype(bool)
    return RepBaselines(
        window=window,
        kpis=tuple(available),
        definitions=definitions,
        table=table,
        min_months=min_months,
        unavailable=unavailable,
        reasons=reasons,
    )


@dataclass(frozen=True)
class RepMoves:
    """Among the reps with enough history, who moved most against their own baseline on ``kpi``:
    ``best`` and ``worst`` are rows of :attr:`RepBaselines.table` (dicts), ``best_move`` and
    ``worst_move`` their relative moves in the KPI's good direction (see ``relative_move``)."""

    kpi: str
    best: dict[str, Any]
    best_move: float
    worst: dict[str, Any]
    worst_move: float


def rep_moves(reps: RepBaselines, kpi: str = "won_value") -> RepMoves | None:
    """Who moved most on ``kpi`` among the reps not flagged; None when no rep can be compared."""
    if kpi not in reps.kpis:
        return None
    direction = reps.definitions[kpi].direction
    scored = []
    for row in reps.table[~reps.table["flagged"]].to_dict("records"):
        score = relative_move(row[f"{kpi}.value"], row[kpi], row[f"{kpi}.verdict"], direction)
        if score is not None:
            scored.append((score, row))
    if not scored:
        return None
    best = max(scored, key=lambda s: s[0])
    worst = min(scored, key=lambda s: s[0])
    return RepMoves(kpi=kpi, best=best[1], best_move=best[0], worst=worst[1], worst_move=worst[0])
