"""The stage history of the deals: recorded rows (a mapped ``stage_history`` table, or the
per-stage date columns of the deals) completed with the stages each deal passed.

Rules (docs/data-model.md, ``stage_history``): the last stage of the pipeline is won, so a deal
that is not won has no row at it (recorded ones are left out and counted) and a won deal always
has one; a deal without a current stage takes one from its history, and the history holds every
stage up to the furthest one the deal reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from strategy_kit.importer.convert import Encoded, missing_mask

if TYPE_CHECKING:
    from strategy_kit.importer.derive import StageColumns


@dataclass
class StageHistory:
    table: pa.Table  # deal_id, stage (dictionary), entered_at, inferred
    recorded: int
    inferred: int
    source: str  # where the recorded rows came from
    unknown_deals: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    current_stage: pa.Array | None = None  # deals' stage, filled from history where it was empty
    won_left_out: int = 0  # recorded rows at the won stage of deals that are not won
    warnings: list[str] = field(default_factory=list)  # for the import summary


def complete_stage_history(
    deals: dict[str, pa.Array],
    stage_ids: list[str],
    recorded: dict[str, pa.Array] | None,
    source: str,
) -> StageHistory:
    """Recorded rows plus inferred ones.

    - The last stage is won: a recorded row at it for a deal that is not won (open, lost, or
      without a status) is left out and counted (a deal recorded "Closed Won" and then lost was
      not won); a won deal has passed every stage.
    - A deal without a current stage takes one: a won deal the won stage; a lost deal the furthest
      stage it reached (it was lost there: the stages it passed and its stage agree); any other
      deal its latest recorded stage (where it is now).
    - Every stage up to the furthest one a deal reached (its current stage or a recorded row)
      counts as passed; a deal that is not won never passes the won stage.

    Inferred rows have no entered_at, except the first stage of a deal without any record (its
    created_at) and the last stage of a won deal (its closed_at).

    Any input is accepted (validation reports the problems, this must not fail on them): no
    deals, empty or repeated deal ids (recorded rows go to the first deal with the id),
    rows for deals that do not exist (``unknown_deals``), equal timestamps."""
    ids = _combine(deals["deal_id"])
    count, width = len(ids), len(stage_ids)
    current = _stage_codes(deals.get("stage"), stage_ids, count)
    status = Encoded.of(deals["status"]) if "status" in deals else None
    won = status.rows_with({"won"}) if status is not None else np.zeros(count, bool)
    lost = status.rows_with({"lost"}) if status is not None else np.zeros(count, bool)

    won_left_out = 0
    if recorded is not None and len(recorded["deal_id"]):
        recorded_ids = _combine(recorded["deal_id"])
        deal_index = _positions(ids, recorded_ids)
        stage_index = _stage_codes(recorded["stage"], stage_ids, len(deal_index))
        unknown = (deal_index < 0) & ~missing_mask(recorded_ids)
        matched = (deal_index >= 0) & (stage_index >= 0)
        of_won_deal = np.zeros(len(deal_index), dtype=bool)
        of_won_deal[matched] = won[deal_index[matched]]
        not_won_at_won = matched & (stage_index == width - 1) & ~of_won_deal
        won_left_out = int(not_won_at_won.sum())
        keep = matched & ~not_won_at_won
        deal_index, stage_index = deal_index[keep], stage_index[keep]
        entered = (
            _as_ns(recorded["entered_at"]).filter(pa.array(keep))
            if "entered_at" in recorded
            else pa.nulls(int(keep.sum()), pa.timestamp("ns"))
        )
    else:
        unknown = np.zeros(0 if recorded is None else len(recorded["deal_id"]), dtype=bool)
        deal_index = stage_index = np.zeros(0, dtype=np.int64)
        entered = pa.nulls(0, pa.timestamp("ns"))

    reached = np.full(count, -1, dtype=np.int64)  # furthest recorded stage (never won unless won)
    np.maximum.at(reached, deal_index, stage_index)
    has_record = reached >= 0
    current_filled = _fill_current(current, reached, _latest(deal_index, stage_index, entered, count), won, lost, width)
    furthest = np.maximum(current_filled, reached)
    furthest[won] = width - 1
    furthest[~won] = np.minimum(furthest[~won], width - 2)  # a deal that is not won did not pass won

    passed = np.zeros((count, width), dtype=bool)
    passed[deal_index, stage_index] = True
    needed = np.arange(width)[None, :] <= furthest[:, None]
    inferred_deal, inferred_stage = np.nonzero(needed & ~passed)
    inferred_at = _inferred_dates(deals, inferred_deal, inferred_stage, has_record, won, width)

    deal_rows = np.concatenate([deal_index, inferred_deal]).astype(np.int64)
    stage_rows = np.concatenate([stage_index, inferred_stage]).astype(np.int32)
    table = pa.table(
        {
            "deal_id": ids.take(pa.array(deal_rows, type=pa.int64())),
            "stage": pa.DictionaryArray.from_arrays(pa.array(stage_rows), pa.array(stage_ids, type=pa.string())),
            "entered_at": pa.concat_arrays([_combine(entered), _combine(inferred_at)]),
            "inferred": pa.array(np.concatenate([np.zeros(len(deal_index), bool), np.ones(len(inferred_deal), bool)])),
        }
    )
    filled_stage = None
    if (current_filled != current).any():
        filled_stage = Encoded(current_filled.astype(np.int32), list(stage_ids)).to_dictionary()
    warnings = (
        []
        if not won_left_out
        else [
            f"stage_history: {won_left_out:,} recorded row(s) at the won stage '{stage_ids[-1]}' left out: their deals "
            "are open or lost, and a deal that is not won never reached won (if they were won, check the status mapping)"
        ]
    )
    return StageHistory(
        table, len(deal_index), len(inferred_deal), source, unknown, filled_stage, won_left_out, warnings
    )


def _positions(ids: pa.Array, wanted: pa.Array) -> np.ndarray:
    """The row of ``ids`` holding each value of ``wanted`` (the first row when an id is
    repeated; -1 for an id that is missing or not in ``ids``)."""
    lookup = pc.index_in(wanted, value_set=ids, skip_nulls=True)
    return pc.fill_null(lookup, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _stage_codes(column: pa.Array | None, stage_ids: list[str], length: int) -> np.ndarray:
    if column is None:
        return np.full(length, -1, dtype=np.int64)
    encoded = Encoded.of(column)
    table = np.array([stage_ids.index(v) if v in stage_ids else -1 for v in encoded.values] + [-1], dtype=np.int64)
    return table[encoded.codes]


def _fill_current(
    current: np.ndarray, reached: np.ndarray, latest: np.ndarray, won: np.ndarray, lost: np.ndarray, width: int
) -> np.ndarray:
    """The stage of deals whose current stage is empty (e.g. lost, mapped to none): a won deal
    is at the won (last) stage; a lost deal at the furthest stage it reached; any other deal at
    its latest recorded stage. ``reached`` and ``latest`` hold no won row of a deal not won."""
    empty = current < 0
    if not empty.any():
        return current
    filled = current.copy()
    if width:
        filled[empty & won] = width - 1
    rest = empty & ~won
    filled[rest] = np.where(lost[rest], reached[rest], latest[rest])
    return filled


def _latest(deal_index: np.ndarray, stage_index: np.ndarray, entered: pa.Array, count: int) -> np.ndarray:
    """Each deal's latest recorded stage (-1 without a record): the last entered; for equal or
    missing dates (missing ones count as earliest), the furthest stage."""
    latest = np.full(count, -1, dtype=np.int64)
    if not len(deal_index):
        return latest
    when = _as_ns(entered).to_numpy(zero_copy_only=False).astype("datetime64[ns]").astype(np.int64)
    order = np.lexsort((stage_index, when, deal_index))
    last = np.ones(len(order), dtype=bool)
    last[:-1] = deal_index[order][1:] != deal_index[order][:-1]
    latest[deal_index[order][last]] = stage_index[order][last]
    return latest


def _inferred_dates(
    deals: dict[str, pa.Array],
    deal_rows: np.ndarray,
    stage_rows: np.ndarray,
    has_record: np.ndarray,
    won: np.ndarray,
    width: int,
) -> pa.Array:
    result = np.full(len(deal_rows), np.datetime64("NaT"), dtype="datetime64[ns]")
    if "created_at" in deals:
        first = (stage_rows == 0) & ~has_record[deal_rows]
        result[first] = _numpy_dates(deals["created_at"])[deal_rows[first]]
    if "closed_at" in deals:
        last = (stage_rows == width - 1) & won[deal_rows]
        result[last] = _numpy_dates(deals["closed_at"])[deal_rows[last]]
    return pa.array(result, from_pandas=True)


def _numpy_dates(column: pa.Array) -> np.ndarray:
    return _as_ns(column).to_numpy(zero_copy_only=False).astype("datetime64[ns]")


def _as_ns(column: pa.Array) -> pa.Array:
    return _combine(column).cast(pa.timestamp("ns"))


def _combine(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def history_from_columns(rule: StageColumns, deal_ids: pa.Array, dates: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """One row per deal and non-empty stage date column."""
    ids, stages, entered = [], [], []
    for stage, slot in rule.columns.items():
        if slot.name not in dates:
            continue
        column = _as_ns(dates[slot.name])
        present = ~missing_mask(column)
        index = pa.array(np.flatnonzero(present), type=pa.int64())
        ids.append(_combine(deal_ids).take(index))
        stages.append(
            pa.repeat(pa.scalar(stage), len(index)).cast(pa.string()) if len(index) else pa.array([], pa.string())
        )
        entered.append(column.take(index))
    return {
        "deal_id": pa.concat_arrays(ids) if ids else pa.array([], pa.string()),
        "stage": pa.concat_arrays(stages) if stages else pa.array([], pa.string()),
        "entered_at": pa.concat_arrays(entered) if entered else pa.array([], pa.timestamp("ns")),
    }
