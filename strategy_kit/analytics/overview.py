"""The client's data at a glance for a period: what was imported, the open pipeline, the flow of
deals and revenue by month.

Pure functions: a :class:`~strategy_kit.data.SalesData` and a
:class:`~strategy_kit.periods.Period` in, DataFrames and dataclasses out (ids and numbers, no
words: :mod:`strategy_kit.narrative.overview` writes them); no I/O, no printing.
Rows that lack the date (or value) a figure needs are left out of that figure and counted in a
``left_out`` mapping ``reason -> count`` beside it (reasons are label keys ``excluded.<reason>``).

"In the period" follows KPIS.md: the date part of the timestamp falls in ``[start, end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from strategy_kit.availability import has_column, require_deal_column, require_deals
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import arrays
from strategy_kit.periods import Period
from strategy_kit.schema import TABLE_ORDER

# The date that places a row of each table in time ("in the period", first and last date).
DATE_COLUMNS: dict[str, str | None] = {
    "deals": "created_at",
    "accounts": "created_at",
    "leads": "created_at",
    "stage_history": "entered_at",
    "activities": "at",
    "revenue": "date",
    "targets": "month",
    "reps": "start_date",
    "products": None,
    "events": "date",
}
# Tables the volumes table always lists, imported or not.
MAIN_TABLES = ("deals", "accounts", "leads", "activities", "revenue")
UNKNOWN_STAGE = "unknown"

# The missing value of an all-missing column of each dtype (NaT only fits a datetime column).
_MISSING = {"object": pd.NA, "float64": float("nan"), "datetime64[ns]": pd.NaT}


def _column(frame: pd.DataFrame, name: str, dtype: str = "object") -> pd.Series:
    """``frame[name]``, or an all-missing column when the table lacks that optional column."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(_MISSING[dtype], index=frame.index, dtype=dtype)


def _timestamps(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_datetime(_column(frame, name, "datetime64[ns]"))


def _day_after(day: date) -> pd.Timestamp:
    return pd.Timestamp(day + timedelta(days=1))


def in_period(timestamps: pd.Series, period: Period) -> pd.Series:
    """True where the date part of the timestamp falls in ``[period.start, period.end]``."""
    return (timestamps >= pd.Timestamp(period.start)) & (timestamps < _day_after(period.end))


def _left_out(**counts: int) -> dict[str, int]:
    return {reason: int(count) for reason, count in counts.items() if count}


# --------------------------------------------------------------------------- volumes


def volumes(data: SalesData, period: Period) -> pd.DataFrame:
    """One row per table: imported or not, rows in total and in the period, date range.

    Columns: ``table``, ``imported``, ``rows``, ``date_column`` (the date used), ``in_period``,
    ``undated`` (rows without that date, left out of ``in_period`` and of the range),
    ``first_date``, ``last_date``. The main tables (deals, accounts, leads, activities, revenue)
    are always listed; the other tables only when imported.
    """
    rows = []
    for table in TABLE_ORDER:
        frame = data.tables.get(table)
        if frame is None:
            if table in MAIN_TABLES:
                rows.append({"table": table, "imported": False})
            continue
        date_column = DATE_COLUMNS.get(table)
        row: dict[str, object] = {"table": table, "imported": True, "rows": len(frame), "date_column": date_column}
        if date_column is not None:
            stamps = _timestamps(frame, date_column)
            dated = bool(stamps.notna().any()) or frame.empty  # none dated: how many in the period is unknown
            row.update(
                in_period=int(in_period(stamps, period).sum()) if dated else None,
                undated=int(stamps.isna().sum()),
                first_date=stamps.min(),
                last_date=stamps.max(),
            )
        rows.append(row)
    result = pd.DataFrame(
        rows,
        columns=["table", "imported", "rows", "date_column", "in_period", "undated", "first_date", "last_date"],
    )
    for column in ("rows", "in_period", "undated"):
        result[column] = result[column].astype("Int64")
    for column in ("first_date", "last_date"):
        result[column] = pd.to_datetime(result[column])
    return result


# --------------------------------------------------------------------------- pipeline by stage


@dataclass(frozen=True)
class PipelineByStage:
    """The deals open at ``end`` (KPIS.md ``open_deals_end``), per stage at that date.

    ``table``: one row per stage of the client, in the client's order (``stage``, ``deals``,
    ``value``, ``share_of_value``), then a row ``unknown`` when some deals' stage at
    ``end`` cannot be known (won since then, no dated stage history). ``left_out``: deals that could
    not be placed (``no_created_at``, ``no_closed_at``) and open deals counted without a value
    (``no_value``).
    """

    end: date
    table: pd.DataFrame
    total_deals: int
    total_value: float
    stage_from_history: int  # deals whose stage at end was read from the dated stage history
    left_out: dict[str, int] = field(default_factory=dict)


def _stage_at(data: SalesData, deal_ids: pd.Series, end: date) -> pd.Series:
    """The stage each deal was in at the end of ``end`` according to the dated, recorded history."""
    history = data.tables.get("stage_history")
    if history is None or history.empty:
        return pd.Series(pd.NA, index=deal_ids.index, dtype="object")
    entered = _timestamps(history, "entered_at")
    recorded = entered.notna() & (entered < _day_after(end))
    if "inferred" in history.columns:
        recorded &= ~history["inferred"].fillna(False).astype(bool)
    rows = history.loc[recorded, ["deal_id", "stage"]]
    order = {stage_id: rank for rank, stage_id in enumerate(data.config.stage_ids)}
    rank = rows["stage"].astype("object").map(order).fillna(-1).to_numpy()
    # each deal's latest entry (by time, then by the stages' order; the export's order last)
    latest_first = np.lexsort((rank, entered[recorded].to_numpy()))
    history_deal, wanted = arrays.encode(rows["deal_id"], deal_ids)
    latest = np.full(max(int(history_deal.max(initial=-1)), int(wanted.max(initial=-1))) + 1, -1)
    placed = history_deal[latest_first] >= 0  # a row without a deal id belongs to no deal
    np.maximum.at(latest, history_deal[latest_first][placed], np.arange(len(latest_first))[placed])
    row = np.where(wanted >= 0, latest[wanted], -1)
    stages = np.append(rows["stage"].astype("object").to_numpy()[latest_first], np.nan)  # row -1: no entry
    return pd.Series(stages[row], index=deal_ids.index, dtype="object")


def pipeline_by_stage(data: SalesData, period: Period) -> PipelineByStage:
    """Open deals at the end of ``period``: count and value per stage.

    Open at end: ``created_at`` on or before end and no ``closed_at`` or one after end. The stage at
    end comes from the dated, recorded stage history when there is one, else from the deal's
    current stage; a deal won after end with no dated history has an unknown stage at end.
    """
    deals = require_deals(data)
    if len(deals):  # no deal can be placed without its creation date: unknown, not an empty pipeline
        require_deal_column(data, "created_at")
    created = _timestamps(deals, "created_at")
    closed = _timestamps(deals, "closed_at")
    status = _column(deals, "status").astype("object")
    after_end = _day_after(period.end)

    no_created = created.isna()
    no_closed = status.isin(["won", "lost"]) & closed.isna() & ~no_created
    open_at_end = ~no_created & ~no_closed & (created < after_end) & (closed.isna() | (closed >= after_end))
    open_deals = deals.loc[open_at_end, [c for c in ("deal_id", "stage", "value") if c in deals.columns]]

    from_history = _stage_at(data, _column(open_deals, "deal_id"), period.end)
    current = _column(open_deals, "stage").astype("object")
    won_since = status[open_at_end] == "won"
    stage = from_history.where(from_history.notna(), current.where(~won_since, UNKNOWN_STAGE))
    stage = stage.where(stage.isin(data.config.stage_ids), UNKNOWN_STAGE)

    values = pd.to_numeric(_column(open_deals, "value", "float64"), errors="coerce")
    grouped = pd.DataFrame({"stage": stage, "value": values}).groupby("stage", sort=False)
    counts = grouped.size()
    sums = grouped["value"].sum(min_count=1)  # a stage whose deals all lack a value: unknown, not 0

    # The won stage holds no open deal: its row shows only when the data place one there anyway.
    won = data.config.stage_ids[-1]
    stage_ids = [s for s in data.config.stage_ids if s != won or counts.get(won, 0)]
    if counts.get(UNKNOWN_STAGE, 0):
        stage_ids.append(UNKNOWN_STAGE)
    deal_counts = counts.reindex(stage_ids, fill_value=0).astype(int)
    table = pd.DataFrame(
        {
            "stage": stage_ids,
            "deals": deal_counts.to_numpy(),
            "value": sums.reindex(stage_ids).where(deal_counts > 0, 0.0).astype(float).to_numpy(),
        }
    )
    total_value = float(table["value"].sum(min_count=1)) if values.notna().any() or not len(values) else float("nan")
    table["share_of_value"] = table["value"] / total_value if total_value else float("nan")
    return PipelineByStage(
        end=period.end,
        table=table,
        total_deals=int(open_at_end.sum()),
        total_value=total_value,
        stage_from_history=int(from_history.notna().sum()),
        left_out=_left_out(no_created_at=no_created.sum(), no_closed_at=no_closed.sum(), no_value=values.isna().sum()),
    )


# --------------------------------------------------------------------------- flows of the period


@dataclass(frozen=True)
class DealFlows:
    """Deals created, won and lost in a period (KPIS.md ``new_deals``, ``deals_won``, ``deals_lost``).

    ``table``: rows ``created``, ``won``, ``lost`` with columns ``measure``, ``count``, ``value``
    (sum of the deals' values; deals without a value count but add nothing). ``left_out``:
    ``no_created_at`` (left out of created), ``no_closed_at`` (won or lost without a close date,
    left out of won and lost), ``no_value``.
    """

    table: pd.DataFrame
    left_out: dict[str, int] = field(default_factory=dict)

    def count(self, measure: str) -> int | None:
        """How many deals; None when no deal has the date the measure needs."""
        count = self.table.set_index("measure").loc[measure, "count"]
        return None if pd.isna(count) else int(count)

    def value(self, measure: str) -> float:
        return float(self.table.set_index("measure").loc[measure, "value"])


def deal_flows(data: SalesData, period: Period) -> DealFlows:
    """Created, won and lost in ``period``; the value of a measure whose deals all lack one is
    missing (NaN), not 0."""
    deals = require_deals(data)
    created = _timestamps(deals, "created_at")
    closed = _timestamps(deals, "closed_at")
    status = _column(deals, "status").astype("object")
    values = pd.to_numeric(_column(deals, "value", "float64"), errors="coerce")
    selections = {
        "created": in_period(created, period),
        "won": (status == "won") & in_period(closed, period),
        "lost": (status == "lost") & in_period(closed, period),
    }
    # A measure whose date no deal has (created_at, or closed_at for won and lost) is unknown: no count.
    known = {"created": created.notna().any() or not len(deals), "won": closed.notna().any() or not len(deals)}
    known["lost"] = known["won"]
    table = pd.DataFrame(
        {
            "measure": list(selections),
            "count": pd.array(
                [int(chosen.sum()) if known[m] else None for m, chosen in selections.items()], dtype="Int64"
            ),
            "value": [
                float(values[chosen].sum(min_count=1)) if chosen.any() else 0.0 if known[m] else float("nan")
                for m, chosen in selections.items()
            ],
        }
    )
    counted = selections["created"] | selections["won"] | selections["lost"]
    return DealFlows(
        table=table,
        left_out=_left_out(
            no_created_at=created.isna().sum(),
            no_closed_at=(status.isin(["won", "lost"]) & closed.isna()).sum(),
            no_value=(counted & values.isna()).sum(),
        ),
    )


# --------------------------------------------------------------------------- revenue by month


@dataclass(frozen=True)
class RevenueByMonth:
    """Revenue for the 12 months ending with the period's last month, and a year earlier.

    ``source``: ``revenue_lines`` (sum of revenue amounts by invoice month) when the client has
    revenue lines, else ``won_deals`` (value of deals won, by month closed). ``table`` columns:
    ``month`` (first day), ``revenue``, ``previous_year`` (the same month a year earlier).
    A month the data do not cover (before the month of the source's first date or after the
    month of the data's last day) is missing (NaN), not 0.
    """

    table: pd.DataFrame
    source: str
    covered_from: date | None
    covered_to: date | None
    left_out: dict[str, int] = field(default_factory=dict)

    @property
    def has_previous_year(self) -> bool:
        return bool(self.table["previous_year"].notna().any())


def _revenue_events(data: SalesData) -> tuple[str, pd.Series, pd.Series, dict[str, int]]:
    """(source, dates, amounts, left_out) of what counts as revenue for this client."""
    if data.has("revenue"):
        lines = data.tables["revenue"]
        dates = _timestamps(lines, "date")
        amounts = pd.to_numeric(_column(lines, "amount", "float64"), errors="coerce")
        left_out = _left_out(no_date=dates.isna().sum(), no_amount=(dates.notna() & amounts.isna()).sum())
        return "revenue_lines", dates, amounts, left_out
    deals = require_deals(data)
    won = _column(deals, "status").astype("object") == "won"
    dates = _timestamps(deals, "closed_at")[won]
    amounts = pd.to_numeric(_column(deals, "value", "float64"), errors="coerce")[won]
    if not has_column(deals, "value") or (won.any() and amounts.isna().all()):  # revenue unknown, not 0
        raise UnavailableError("overview.unavailable.no_revenue_values", client=data.config.client)
    left_out = _left_out(no_closed_at=dates.isna().sum(), no_value=(dates.notna() & amounts.isna()).sum())
    return "won_deals", dates, amounts, left_out


def revenue_by_month(data: SalesData, period: Period, months: int = 12) -> RevenueByMonth:
    source, dates, amounts, left_out = _revenue_events(data)
    usable = dates.notna() & amounts.notna()
    by_month = amounts[usable].groupby(dates[usable].dt.to_period("M")).sum()

    last_day = data.last_day()
    first_month = dates.min().to_period("M") if dates.notna().any() else None
    last_month = pd.Timestamp(last_day).to_period("M") if last_day is not None else None

    def revenue_of(month: pd.Period) -> float:
        if first_month is None or last_month is None or not first_month <= month <= last_month:
            return float("nan")
        return float(by_month.get(month, 0.0))

    shown = pd.period_range(end=pd.Timestamp(period.end).to_period("M"), periods=months, freq="M")
    table = pd.DataFrame(
        {
            "month": shown.to_timestamp(),
            "revenue": [revenue_of(m) for m in shown],
            "previous_year": [revenue_of(m - 12) for m in shown],
        }
    )
    return RevenueByMonth(
        table=table,
        source=source,
        covered_from=first_month.start_time.date() if first_month is not None else None,
        covered_to=last_day,
        left_out=left_out,
    )
