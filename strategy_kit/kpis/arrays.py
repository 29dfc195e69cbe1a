"""Columns as NumPy arrays: day numbers, nanoseconds, shared integer codes for ids and labels.

The KPI engine converts each column it reads once (dates to integer day numbers, ids and labels to
integer codes) so that every period and every breakdown is a few vectorised NumPy operations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NO_TIME = np.iinfo(np.int64).min  # a missing timestamp (NaT viewed as int64)
INT64_MAX = np.iinfo(np.int64).max
MISSING_DAY = np.iinfo(np.int32).min  # a missing date as a day number
NO_DAY_LOW = np.iinfo(np.int32).min + 1  # an unknown lower bound: before any day
NO_DAY_HIGH = np.iinfo(np.int32).max  # an unknown upper bound: after any day
DAY_NS = 86_400 * 10**9
HOUR_NS = 3_600 * 10**9


def day_number(day: date) -> int:
    """Days since 1970-01-01."""
    return int(np.datetime64(day, "D").astype(np.int64))


def nanoseconds(series: pd.Series | None, length: int) -> np.ndarray:
    """Timestamps as int64 nanoseconds, :data:`NO_TIME` where missing (or no column)."""
    if series is None:
        return np.full(length, NO_TIME, dtype=np.int64)
    values = pd.to_datetime(series).to_numpy(dtype="datetime64[ns]")
    return values.view(np.int64)


def day_numbers(ns: np.ndarray) -> np.ndarray:
    """The calendar day (days since 1970-01-01) of each timestamp; :data:`MISSING_DAY` where missing."""
    days = np.floor_divide(ns, DAY_NS).astype(np.int32)
    days[ns == NO_TIME] = MISSING_DAY
    return days


def _arrow_strings(series: pd.Series) -> pa.Array:
    array = series.array
    if hasattr(array, "__arrow_array__"):
        result = array.__arrow_array__()
    else:
        result = pa.array(series.to_numpy(dtype=object), from_pandas=True)
    if isinstance(result, pa.ChunkedArray):
        result = result.combine_chunks()
    if pa.types.is_dictionary(result.type):
        result = result.dictionary_decode()
    if not pa.types.is_large_string(result.type):
        result = pc.cast(result, pa.large_string())
    return result


def encode(*columns: pd.Series) -> list[np.ndarray]:
    """Integer codes shared by the values of several id columns (``-1`` where missing).

    Equal values get equal codes across the columns; codes follow the order of first appearance,
    so when the first column holds unique keys, its row ``i`` has code ``i``.
    """
    arrays = [_arrow_strings(column) for column in columns]
    joined = pa.concat_arrays(arrays) if len(arrays) > 1 else arrays[0]
    indices = pc.dictionary_encode(joined).indices
    codes = pc.fill_null(indices, -1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    bounds = np.cumsum([0, *(len(a) for a in arrays)])
    return [codes[bounds[i] : bounds[i + 1]] for i in range(len(arrays))]


def link(target: pd.Series, source: pd.Series) -> np.ndarray:
    """For each value of ``source``, the first row of ``target`` holding it, else ``-1``."""
    if not len(source):
        return np.zeros(0, dtype=np.int64)
    found = pc.index_in(_arrow_strings(source), value_set=_arrow_strings(target))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def keys(
    source: pd.Series, target: pd.Series | None, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """``source`` ids as (row of ``target`` or -1, a grouping code or -1, the number of codes).

    Codes are the target row for known ids, and further codes for ids the target lacks.
    ``rows``: ``link(target, source)`` when already computed.
    """
    if rows is None:
        rows = link(target, source) if target is not None else np.full(len(source), -1, dtype=np.int64)
    base = len(target) if target is not None else 0
    codes = rows.copy()
    unknown = (rows < 0) & source.notna().to_numpy()
    count = base
    if unknown.any():
        (extra,) = encode(source[unknown])
        codes[unknown] = base + extra
        count = base + int(extra.max()) + 1
    return rows, codes, count


def split(labels: np.ndarray, values: np.ndarray) -> list[tuple[object, np.ndarray]]:
    """``values`` grouped by their ``labels`` (missing labels left out), each group in the values'
    order, the groups in the order their labels first appear: one sort, not one look-up per label."""
    codes, names = pd.factorize(labels)
    order = np.argsort(codes, kind="stable")
    bounds, ordered = np.searchsorted(codes[order], np.arange(len(names) + 1)), values[order]
    return [(name, ordered[bounds[i] : bounds[i + 1]]) for i, name in enumerate(names)]


def group_min(codes: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """Minimum of ``values`` per code in ``[0, count)`` (int64 max where a code has none)."""
    result = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(result, codes, values)
    return result


def grouped_median(groups: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """The ordinary median of ``values`` per group in ``[0, count)`` (NaN for an empty group)."""
    result = np.full(count, np.nan)
    if not len(values):
        return result
    by_value = np.argsort(values)
    small = np.int16 if count < np.iinfo(np.int16).max else np.int64  # stable sort of int16 is a radix sort
    order = by_value[np.argsort(groups[by_value].astype(small), kind="stable")]
    groups, values = groups[order], values[order].astype(np.float64)
    sizes = np.bincount(groups, minlength=count)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    present = sizes > 0
    low = starts[present] + (sizes[present] - 1) // 2
    high = starts[present] + sizes[present] // 2
    result[present] = (values[low] + values[high]) / 2
    return result


@dataclass(frozen=True)
class Labels:
    """A column of labels as integer codes (``-1`` where missing) and the labels they stand for."""

    codes: np.ndarray
    categories: tuple[str, ...]

    @classmethod
    def of(cls, series: pd.Series) -> Labels:
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.int32)
            return cls(codes, tuple(str(c) for c in series.cat.categories))
        factorized, uniques = pd.factorize(series, use_na_sentinel=True)
        return cls(factorized.astype(np.int32), tuple(str(u) for u in uniques))

    def take(self, rows: np.ndarray) -> Labels:
        """The labels of rows ``rows`` (``-1``: missing)."""
        if not len(self.codes):  # no row to take from: every row is missing
            return Labels(np.full(len(rows), -1, dtype=np.int32), self.categories)
        return Labels(np.where(rows >= 0, self.codes[np.maximum(rows, 0)], -1).astype(np.int32), self.categories)

    def map(self, mapping: Mapping[str, str | None]) -> Labels:
        """Each label replaced by ``mapping[label]`` (missing where absent or None)."""
        mapped = [mapping.get(c) for c in self.categories]
        new_categories = tuple(sorted({m for m in mapped if m is not None}))
        index = {c: i for i, c in enumerate(new_categories)}
        lookup = np.array([index.get(m, -1) if m is not None else -1 for m in mapped] + [-1], dtype=np.int32)
        return Labels(lookup[self.codes], new_categories)

    @classmethod
    def combine(cls, first: Labels, second: Labels, separator: str, missing: str) -> Labels:
        """Pairs of labels ``first · second`` (missing when both are missing)."""
        width = len(second.categories) + 1
        pair = (first.codes.astype(np.int64) + 1) * width + (second.codes + 1)
        present, codes = np.unique(pair, return_inverse=True)
        names = []
        for value in present:
            a, b = divmod(int(value), width)
            left = first.categories[a - 1] if a else missing
            right = second.categories[b - 1] if b else missing
            names.append(None if a == 0 and b == 0 else f"{left}{separator}{right}")
        lookup = np.array([i if n is not None else -1 for i, n in enumerate(names)], dtype=np.int32)
        kept = [n for n in names if n is not None]
        remap = np.cumsum([n is not None for n in names]) - 1
        return cls(np.where(lookup[codes] >= 0, remap[codes], -1).astype(np.int32), tuple(kept))


def category_index(labels: Labels, known: Sequence[str]) -> np.ndarray:
    """Each row's position in ``known`` (``len(known)`` for a missing or unknown label)."""
    position = {name: i for i, name in enumerate(known)}
    lookup = np.array([position.get(c, len(known)) for c in labels.categories] + [len(known)], dtype=np.int16)
    return lookup[labels.codes]
