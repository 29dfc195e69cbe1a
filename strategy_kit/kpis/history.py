"""The stage history in path order: each deal's rows ordered by time, with the day bounds of
undated rows deduced from the deal's dated ones (docs/kpis.md, "Conversion by stage")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from strategy_kit.kpis.arrays import INT64_MAX, NO_DAY_HIGH, NO_DAY_LOW, NO_TIME, day_numbers

if TYPE_CHECKING:
    from strategy_kit.kpis.prepared import DealRows


@dataclass
class History:
    """Stage-history rows in path order (per deal, by time; undated rows placed by their bounds).

    ``low``/``high``: for an undated row, the day bounds of its entry deduced from the deal's dated
    rows (after its first entry into an earlier stage and its creation; before its first entry into
    a later stage and its close); for a dated row, its day.
    """

    deal: np.ndarray
    stage: np.ndarray
    ns: np.ndarray
    day: np.ndarray
    dated: np.ndarray
    recorded: np.ndarray
    low: np.ndarray
    high: np.ndarray
    later: np.ndarray  # latest time the deal entered any later stage (INT64_MAX: undated; NO_TIME: never)
    next_row: np.ndarray  # the next row of the same deal in path order (-1: last)
    reached: np.ndarray  # deals × stages: the deal has a row for the stage
    # For an undated row, the deal's first dated entry into any later stage (INT64_MAX: none): where
    # a stay that began undated ended at the latest. INT64_MAX for dated rows.
    first_later: np.ndarray | None = None
    unknown_deal: int = 0  # rows of the table left out: their deal is not in the deals table
    unknown_stage: int = 0  # ... their stage is missing or not one of the client's stages

    @property
    def count(self) -> int:
        return len(self.deal)


def inferred_history(deals: DealRows, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Without a stage history: each deal passed every stage up to its current one (won: all);
    the first stage is dated by created_at, the won stage by closed_at, the others are undated."""
    furthest = np.where(deals.won, width - 1, deals.stage.astype(np.int64))
    furthest = np.where(furthest >= width, -1, furthest)
    counts = furthest + 1
    deal = np.repeat(np.arange(deals.count), counts)
    starts = np.cumsum(counts) - counts
    stage = np.arange(len(deal)) - np.repeat(starts, counts)
    ns = np.full(len(deal), NO_TIME, dtype=np.int64)
    first = stage == 0
    ns[first] = deals.created_ns[deal[first]]
    last_won = (stage == width - 1) & deals.won[deal]
    ns[last_won] = deals.closed_ns[deal[last_won]]
    return deal, stage, ns, np.zeros(len(deal), dtype=bool)


def path(
    deal: np.ndarray, stage: np.ndarray, ns: np.ndarray, recorded: np.ndarray, deals: DealRows, width: int
) -> History:
    """Order the rows per deal along its path and compute the bounds of undated rows."""
    count = deals.count
    dated = ns != NO_TIME
    flat = deal * width + stage
    reached = np.zeros(count * width, dtype=bool)
    reached[flat] = True
    # Bounds of undated rows: after the first dated entry into any earlier stage (and the deal's
    # creation), before the first dated entry into any later stage (and its close).
    day = day_numbers(ns)
    low = np.where(dated, day, NO_DAY_LOW).astype(np.int64)
    high = np.where(dated, day, NO_DAY_HIGH).astype(np.int64)
    key = ns.copy()
    first_later = np.full(len(deal), INT64_MAX, dtype=np.int64)
    if not dated.all():
        first: np.ndarray = np.full(count * width, INT64_MAX, dtype=np.int64)  # flat, then (deal, stage)
        np.minimum.at(first, flat[dated], ns[dated])
        first = first.reshape(count, width)
        known = np.where(first == INT64_MAX, NO_TIME, first)
        before = np.maximum.accumulate(np.concatenate([np.full((count, 1), NO_TIME), known[:, :-1]], axis=1), axis=1)
        after = np.minimum.accumulate(
            np.concatenate([first[:, 1:], np.full((count, 1), INT64_MAX)], axis=1)[:, ::-1], axis=1
        )[:, ::-1]
        closed = np.where((deals.won | deals.lost) & (deals.closed_ns != NO_TIME), deals.closed_ns, INT64_MAX)
        undated = ~dated
        d, s = deal[undated], stage[undated]
        low_ns = np.maximum(before[d, s], deals.created_ns[d])
        first_later[undated] = after[d, s]
        high_ns = np.minimum(after[d, s], closed[d])
        low[undated] = np.where(low_ns == NO_TIME, NO_DAY_LOW, day_numbers(low_ns))
        no_high = high_ns == INT64_MAX
        high[undated] = np.where(no_high, NO_DAY_HIGH, day_numbers(np.where(no_high, 0, high_ns)))
        # An undated row sorts at its lower bound, after the dated row that sets it (by stage).
        key[undated] = np.where(low_ns == NO_TIME, NO_TIME + 1, low_ns)
    order = _path_order(deal, key, stage, dated)
    if order is not None:
        deal, stage, ns, recorded, day, dated, low, high, first_later = (
            a[order] for a in (deal, stage, ns, recorded, day, dated, low, high, first_later)
        )
    # Consecutive rows of the same stage are one stay: keep the first.
    same = np.zeros(len(deal), dtype=bool)
    same[1:] = (deal[1:] == deal[:-1]) & (stage[1:] == stage[:-1])
    if same.any():
        deal, stage, ns, recorded, day, dated, low, high, first_later = (
            a[~same] for a in (deal, stage, ns, recorded, day, dated, low, high, first_later)
        )
    next_row = np.arange(1, len(deal) + 1)
    last = np.ones(len(deal), dtype=bool)
    last[:-1] = deal[1:] != deal[:-1]
    next_row[last] = -1
    # Latest entry into any later stage, per (deal, stage): undated rows count as "any time".
    entry = np.where(dated, ns, np.iinfo(np.int64).max)
    latest: np.ndarray = np.full(count * width, NO_TIME, dtype=np.int64)  # flat, then (deal, stage)
    np.maximum.at(latest, deal * width + stage, entry)
    latest = latest.reshape(count, width)
    later = np.maximum.accumulate(
        np.concatenate([latest[:, 1:], np.full((count, 1), NO_TIME)], axis=1)[:, ::-1], axis=1
    )[:, ::-1]
    return History(
        deal=deal,
        stage=stage.astype(np.int16),
        ns=ns,
        day=day,
        dated=dated,
        recorded=recorded,
        low=low,
        high=high,
        later=later,
        next_row=next_row,
        reached=reached.reshape(count, width),
        first_later=first_later,
    )


def _path_order(deal: np.ndarray, key: np.ndarray, stage: np.ndarray, dated: np.ndarray) -> np.ndarray | None:
    """Row order by (deal, key, stage), a dated row before an undated one of the same stage at the
    same time (the merge of a stay keeps the first, so the dated entry is the one kept, whatever
    the export's row order); None when the rows already are in that order."""
    n = len(deal)
    if n < 2:
        return None
    same_deal = deal[1:] == deal[:-1]
    same_stage = stage[1:] == stage[:-1]
    tie_in_order = (stage[1:] > stage[:-1]) | (same_stage & (dated[:-1] | ~dated[1:]))
    in_order = np.where(same_deal, (key[1:] > key[:-1]) | ((key[1:] == key[:-1]) & tie_in_order), True)
    grouped = (np.count_nonzero(~same_deal) + 1) == np.count_nonzero(np.bincount(deal))
    if grouped and in_order.all():
        return None
    by_time = np.lexsort((~dated, stage, key))
    return by_time[np.argsort(deal[by_time], kind="stable")]
