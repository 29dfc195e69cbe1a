"""Segments with too few closed deals for their win rate to mean anything (definitions in
:mod:`strategy_kit.analytics.segmentation`): pooled into one row, their counts added up."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.kpis import MISSING_GROUP

MIN_RATE_DEALS = 6  # closed deals a segment needs for its win rate to be shown (below: pooled)
FEW_GROUP = "(few)"  # the row pooling the segments with fewer than MIN_RATE_DEALS closed deals
ADDED_UP = ("deals", "won", "lost", "revenue", "revenue_share", "deal_share", "customers", "prospects")


def pool_few(table: pd.DataFrame, min_deals: int = MIN_RATE_DEALS) -> pd.DataFrame:
    """``table`` (:func:`~strategy_kit.analytics.segmentation.segment_table`) with its segments of fewer than ``min_deals`` closed deals
    (``(none)`` aside) pooled into one last row :data:`FEW_GROUP`: the columns of
    :data:`ADDED_UP` added up, every rate, amount per deal and key missing, ``small`` true. The
    attribute ``pooled`` says how many segments it holds (0: the table as it was)."""
    few = (table["deals"] < min_deals) & (table["segment"] != MISSING_GROUP)
    kept = table[~few].copy()
    kept.attrs.update(table.attrs, pooled=int(few.sum()), min_rate_deals=min_deals)
    if not few.any():
        return kept
    pooled: dict[str, Any] = dict.fromkeys(table.columns)
    for column in ADDED_UP:
        if column in table:
            values = pd.to_numeric(table.loc[few, column], errors="coerce")
            pooled[column] = values.sum(min_count=1) if values.notna().any() else None
    pooled.update(segment=FEW_GROUP, small=True, win_rate=np.nan, ci_low=np.nan, ci_high=np.nan)
    result = pd.concat([kept, pd.DataFrame([pooled], columns=table.columns)], ignore_index=True)
    for column in ("deals", "won", "lost"):
        result[column] = result[column].astype(int)
    result.attrs.update(kept.attrs)
    return result
