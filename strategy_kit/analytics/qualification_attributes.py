"""The attributes of deals, leads and accounts that lead qualification reads (definitions in
:mod:`strategy_kit.analytics.qualification`): sector, employees, size band and region of the
account (or the lead's own), source and product of the deal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from strategy_kit.analytics.segmentation import size_band as size_band_of
from strategy_kit.availability import has_column, require_deals, require_table
from strategy_kit.data import SalesData

_BUILT: ContextVar[dict[tuple[str, int], pd.DataFrame] | None] = ContextVar("attributes_built", default=None)

OTHER = "(other)"  # values pooled because too few deals carry them
LIFT_ATTRIBUTES = ("sector", "size_band", "region", "source", "product")
FIRMOGRAPHICS = ("sector", "employees", "size_band", "region")


def text_values(series: pd.Series) -> pd.Series:
    """A category/text column as object strings, missing as None (each distinct value written once:
    a million deals share a few hundred sectors)."""
    return pd.Series(_texts(series), index=series.index, dtype=object)


def _texts(series: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if pd.api.types.is_string_dtype(uniques.dtype):  # texts already: converted in one go, not one by one
        texts = np.append(np.asarray(uniques, dtype=object), [None])
    else:
        texts = np.array([str(value) for value in uniques] + [None], dtype=object)
    return texts[codes]  # code -1 (missing): None


def _numbers(series: pd.Series) -> np.ndarray:
    """A column as floats, NaN where missing or not a number."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(series.astype(object), errors="coerce").to_numpy(dtype=float, na_value=np.nan)


class _Lookup:
    """The rows of ``table`` matching each of ``keys`` on ``table[key]`` (the first row of a key),
    found once and then read for any column: each distinct key is matched once, then spread over
    the rows (a million deals share a few hundred thousand accounts)."""

    def __init__(self, keys: pd.Series, table: pd.DataFrame, key: str):
        self.index, self.table = keys.index, table
        first = np.flatnonzero(~table[key].duplicated().to_numpy())  # the first row of each key
        found = _positions(keys, table[key].iloc[first].astype(str))
        self.rows = np.where(found >= 0, first[found], -1)  # -1: no key, or no such row

    def column(self, column: str) -> pd.Series:
        """``table[column]`` for each key (its type kept), missing where unmatched."""
        return pd.Series(self.table[column].array.take(self.rows, allow_fill=True), index=self.index)


def _positions(keys: pd.Series, among: pd.Series) -> np.ndarray:
    """The position in ``among`` (distinct values) of each of ``keys``, -1 where absent or missing:
    texts are matched by Arrow's hash join, anything else once per distinct key as Python objects."""
    try:
        values, ids = pa.array(keys.array, from_pandas=True), pa.array(among.array, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        values = ids = None
    if values is not None and ids is not None and _is_text(values.type) and _is_text(ids.type):
        found = pc.index_in(values.cast(pa.large_string()), value_set=ids.cast(pa.large_string()), skip_nulls=True)
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.intp)
    codes, distinct = pd.factorize(keys, use_na_sentinel=True)
    rows = pd.Index(among.to_numpy(dtype=object)).get_indexer(pd.Index(np.asarray(distinct, dtype=object)))
    return np.append(rows, -1)[codes]  # code -1 (no key): -1


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def lookup(keys: pd.Series, table: pd.DataFrame, key: str, column: str) -> pd.Series:
    """``table[column]`` for each of ``keys`` (matched on ``table[key]``), missing where unmatched."""
    return _Lookup(keys, table, key).column(column)


def _firmographics(
    frame: pd.DataFrame, own: pd.DataFrame | None, accounts: pd.DataFrame | None, account_id: pd.Series | None
) -> dict[str, pd.Series]:
    """sector, employees, size_band, region of each row: its own columns first, then its account's."""
    index = frame.index
    result: dict[str, pd.Series] = {}
    of_account = (
        _Lookup(account_id, accounts, "account_id") if accounts is not None and account_id is not None else None
    )
    for column in FIRMOGRAPHICS:
        read = _numbers if column == "employees" else _texts
        value = np.full(
            len(index), np.nan if column == "employees" else None, dtype=float if column == "employees" else object
        )
        if of_account is not None and accounts is not None and column in accounts.columns:
            value = read(of_account.column(column))
        if own is not None and column in own.columns:  # its own value wins where it has one
            value = np.where(own[column].notna().to_numpy(), read(own[column]), value)
        result[column] = pd.Series(value, index=index, dtype=value.dtype)
    if result["size_band"].isna().all() and result["employees"].isna().all():
        return result
    derived = size_band_of(result["employees"])
    result["size_band"] = result["size_band"].where(result["size_band"].notna(), derived)
    return result


def _available(data: SalesData) -> set[str]:
    """The attributes the client's data has at all."""
    found = set()
    deals = require_deals(data)
    accounts = data.tables.get("accounts")
    if accounts is not None and has_column(deals, "account_id"):
        found |= {c for c in ("sector", "employees", "size_band", "region") if has_column(accounts, c)}
        if has_column(accounts, "employees"):
            found.add("size_band")
    found |= {c for c in ("source", "product") if has_column(deals, c)}
    return found


@contextmanager
def built_once() -> Iterator[None]:
    """Inside it, :func:`deal_attributes` and :func:`lead_attributes` are built once per data and
    handed out as copies (the parts of :func:`~strategy_kit.analytics.qualification.qualify` all
    read them); outside, each call builds its own."""
    token = _BUILT.set({})
    try:
        yield
    finally:
        _BUILT.reset(token)


def _once(name: str, data: SalesData, build: Callable[[SalesData], pd.DataFrame]) -> pd.DataFrame:
    built = _BUILT.get()
    if built is None:
        return build(data)
    key = (name, id(data))
    if key not in built:
        built[key] = build(data)
    return built[key].copy()


def deal_attributes(data: SalesData) -> pd.DataFrame:
    """One row per deal: deal_id, status, created_at, closed_at and the attributes the data has
    (sector, employees, size_band, region, source, product), as texts (employees as numbers)."""
    return _once("deals", data, _deal_attributes)


def lead_attributes(data: SalesData) -> pd.DataFrame:
    """One row per lead: lead_id, created_at, deal_id and sector, employees, size_band, region
    (the lead's own, else its account's)."""
    return _once("leads", data, _lead_attributes)


def _deal_attributes(data: SalesData) -> pd.DataFrame:
    deals = require_deals(data)
    frame = pd.DataFrame(
        {"deal_id": deals["deal_id"].astype(str), "status": text_values(deals["status"])}, index=deals.index
    )
    for column in ("created_at", "closed_at"):
        frame[column] = pd.to_datetime(deals[column]) if column in deals.columns else pd.NaT
    available = _available(data)
    accounts = data.tables.get("accounts")
    if accounts is not None and "account_id" in deals.columns:
        firmographics = _firmographics(frame, None, accounts, deals["account_id"])
        for column, values in firmographics.items():
            if column in available:
                frame[column] = values
    for column in ("source", "product"):
        if column in available:
            frame[column] = text_values(deals[column])
    return frame.reset_index(drop=True)


def deal_context(data: SalesData) -> pd.DataFrame:
    """One row per deal, in the order of :func:`deal_attributes`: what a person acting on the deal
    needs to find it: deal_id, account (the account's name, else its id, which is often the
    company's name; for a deal without an account, the deal's name, else its id), owner (the rep, None when unassigned), value (None when
    unknown) and stage (the stage id, None when unknown)."""
    deals = require_deals(data).reset_index(drop=True)
    deal_id = deals["deal_id"].astype(str)
    missing = pd.Series([None] * len(deals), index=deals.index, dtype=object)
    account_id = text_values(deals["account_id"]) if "account_id" in deals.columns else missing
    accounts = data.tables.get("accounts")
    account_name = missing
    if accounts is not None and has_column(accounts, "name") and "account_id" in deals.columns:
        account_name = text_values(lookup(deals["account_id"], accounts, "account_id", "name"))
    deal_name = text_values(deals["name"]) if has_column(deals, "name") else missing
    account = account_name.combine_first(account_id).combine_first(deal_name).combine_first(deal_id)
    value = (
        pd.to_numeric(deals["value"], errors="coerce")
        if "value" in deals.columns
        else pd.Series(float("nan"), index=deals.index)
    )
    return pd.DataFrame(
        {
            "deal_id": deal_id,
            "account": account.astype(object),
            "owner": text_values(deals["owner"]) if "owner" in deals.columns else missing,
            "value": value.astype(object).where(value.notna(), None),
            "stage": text_values(deals["stage"]) if "stage" in deals.columns else missing,
        }
    )


def _lead_attributes(data: SalesData) -> pd.DataFrame:
    leads = require_table(data, "leads")
    created = leads["created_at"] if "created_at" in leads.columns else pd.Series(pd.NaT, index=leads.index)
    frame = pd.DataFrame(
        {"lead_id": leads["lead_id"].astype(str), "created_at": pd.to_datetime(created)}, index=leads.index
    )
    accounts = data.tables.get("accounts")
    account_id = leads["account_id"] if "account_id" in leads.columns else None
    firmographics = _firmographics(frame, leads, accounts, account_id)
    for column, values in firmographics.items():
        frame[column] = values
    return frame.reset_index(drop=True)


def account_attributes(data: SalesData) -> pd.DataFrame:
    """One row per account: account_id and sector, employees, size_band, region."""
    accounts = require_table(data, "accounts")
    frame = pd.DataFrame({"account_id": accounts["account_id"].astype(str)}, index=accounts.index)
    for column, values in _firmographics(frame, accounts, None, None).items():
        frame[column] = values
    return frame.reset_index(drop=True)


def closed_deals(frame: pd.DataFrame, until: date | None = None) -> pd.DataFrame:
    """The won or lost rows of ``frame`` (closed up to ``until`` when given; undated closes kept)."""
    closed = frame[frame["status"].isin(("won", "lost"))]
    if until is not None:
        closed = closed[closed["closed_at"].isna() | (closed["closed_at"] < pd.Timestamp(until + timedelta(days=1)))]
    return closed


def pool_values(values: pd.Series, min_count: int) -> pd.Series:
    """Values seen fewer than ``min_count`` times replaced by :data:`OTHER` (missing stays missing)."""
    counts = values.value_counts(dropna=True)
    rare = set(counts.index[counts < min_count])
    return values.where(~values.isin(rare), OTHER)
