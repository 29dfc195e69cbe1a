"""What a section needs from a client's data, checked in one place, with the reason as a label.

A client may have no deals table (calls only, leads and activities, revenue lines only), or deals
whose optional columns are absent or left empty. The sections ask here for what they need and get
it, or a :class:`~strategy_kit.errors.UnavailableError` whose reason the report shows in its
language ("not available: ..."), never a crash and never a 0 standing for missing data.
"""

from __future__ import annotations

import pandas as pd

from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError


def require_table(data: SalesData, table: str) -> pd.DataFrame:
    """The canonical ``table``, or unavailable when the client has not imported it: the same
    check as :meth:`SalesData.require <strategy_kit.data.SalesData.require>`, which makes it."""
    return data.require(table)


def require_deals(data: SalesData) -> pd.DataFrame:
    """The deals table, or unavailable when the client has imported none (:attr:`SalesData.deals`)."""
    return data.deals


def has_column(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``frame`` has ``column`` with at least one value."""
    return column in frame.columns and bool(frame[column].notna().any())


def require_deal_column(data: SalesData, column: str) -> pd.Series:
    """``deals[column]``, or unavailable when the deals lack it or leave it empty everywhere."""
    deals = require_deals(data)
    if not has_column(deals, column):
        raise UnavailableError("unavailable.no_deal_column", column=column, client=data.config.client)
    return deals[column]


def require_column(data: SalesData, table: str, column: str) -> pd.Series:
    """``table[column]``, or unavailable when the client lacks the table, or the column, or left
    it empty everywhere (an optional column such as leads.created_at)."""
    frame = require_table(data, table)
    if not has_column(frame, column):
        raise UnavailableError(
            "unavailable.no_column",
            labelled={"label": f"table.{table}"},
            table=table,
            column=column,
            client=data.config.client,
        )
    return frame[column]
