"""Know your audience (METHOD.md section 5): segments, saturation, resemblance to customers, customer value.

Pure functions over :class:`~strategy_kit.data.SalesData` and a period: numbers and frames out, no
language and no file I/O (the strategist's market input is read and saved by
:mod:`strategy_kit.inputs.market`; what a reader sees is :mod:`strategy_kit.narrative.segmentation`).

Definitions (docs/inputs.md "market" describes the input; the report repeats the formulas):

- **Segment**: the combination of account attributes ``keys`` (default sector × size band), its
  label the values joined by `` · `` (``Industrie · 50-249``). A deal or revenue line belongs to its
  account's segment; rows without an account, or whose account lacks a key, form ``(none)``.
  Without a ``size_band`` column the band is derived from ``employees`` (:data:`SIZE_BANDS`).
- **Window**: the twelve months ending on the period's last day (a quarter alone holds too few
  deals per segment to compare them).
- **Metrics** come from the KPI engine (docs/kpis.md) broken down by segment over the window:
  ``won``/``lost`` = deals_won/deals_lost, ``deals`` = won + lost (closed in the window),
  ``win_rate`` with its Wilson 95 % interval, ``avg_deal_size``, ``cycle_days`` (median sales cycle),
  ``revenue``, ``growth`` (revenue_yoy_growth: against the same twelve months a year earlier, None
  when the data do not cover them) and ``ltv`` (customer_ltv). Shares are of the segments' totals.
- **Customers** of a segment: its accounts with a won deal closed, or a revenue line dated, on or
  before the period end. **Penetration** = customers / addressable accounts (market ``unit:
  accounts``) or window revenue / addressable annual revenue (``unit: revenue``); **saturated** when
  penetration ≥ the threshold (default 30 %). Both None without an addressable figure.
- **Small**: fewer than ``min_deals`` closed deals in the window; shown, never ranked.
- **Too few to read** (:mod:`strategy_kit.analytics.segmentation_pool`): fewer than 6 closed
  deals; a rate over 2 to 5 deals is noise, so the tables pool these segments into one row
  (their deals, revenue and customers added up, no rate).
- **Resemblance** (``similarity``): the best customers are the top decile of customers by revenue
  up to the period end (the ⌈10 %⌉ largest). For a prospect account and each firmographic attribute
  (sector, size band, region), take the share of best customers with the same value; its
  similarity is the mean of those shares (0: shares nothing with them; 1: every best customer has
  all its values). A segment's similarity is the mean over its prospects: accounts with a deal open
  at the period end, or with a lead created in the window that did not become a deal, and that are
  not customers.
- **Attractiveness**: score = lower bound of the win-rate interval × average deal size (the value a
  closed deal is worth, counted cautiously so that a rate resting on few deals does not win on
  noise). Ranked among segments that are not small, not saturated and not ``(none)``.
- **RFM** over customers with revenue lines up to the period end: recency (days since the last
  line), frequency (lines), monetary (amount). Each gets a quintile score 1–5:
  ``1 + floor(5 × (rank − 1) / n)`` with ranks ascending, ties sharing the lowest rank (recency is
  ranked on the last date, so the most recent scores 5). Named segments (:data:`RFM_SEGMENTS`) read
  R and FM = (F + M) / 2.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from strategy_kit.availability import require_table
from strategy_kit.data import SalesData
from strategy_kit.errors import ConfigError, UnavailableError
from strategy_kit.inputs.market import DEFAULT_KEYS, MIN_DEALS, SEGMENT_KEYS, TRUST_KEYWORDS, Market
from strategy_kit.kpis import MISSING_GROUP, KpiEngine, arrays
from strategy_kit.kpis.dimensions import SEGMENT_SEPARATOR
from strategy_kit.periods import Period, add_months
from strategy_kit.stats import wilson_interval

SIMILARITY_ATTRIBUTES = ("sector", "size_band", "region")
BEST_CUSTOMER_SHARE = 0.10
WINDOW_MONTHS = 12
# Company-size bands derived from employees when the accounts have no size_band: (lowest, label).
SIZE_BANDS = ((1, "1-9"), (10, "10-49"), (50, "50-249"), (250, "250-999"), (1000, "1000+"))

SEGMENT_COLUMNS = [
    "segment",
    "deals",
    "won",
    "lost",
    "win_rate",
    "ci_low",
    "ci_high",
    "avg_deal_size",
    "cycle_days",
    "revenue",
    "revenue_share",
    "deal_share",
    "growth",
    "ltv",
    "customers",
    "addressable",
    "penetration",
    "saturated",
    "small",
    "prospects",
    "similarity",
]
KPIS = ("deals_won", "deals_lost", "avg_deal_size", "sales_cycle_days", "revenue", "revenue_yoy_growth", "customer_ltv")

# --------------------------------------------------------------------------- accounts and segments


def analysis_window(period: Period) -> Period:
    """The twelve months ending on the period's last day."""
    start = add_months(period.end + timedelta(days=1), -WINDOW_MONTHS)
    return Period(f"{period.label} (12m)", start, period.end, "range")


def size_band(employees: pd.Series) -> pd.Series:
    """The :data:`SIZE_BANDS` band of each employee count (None when unknown or below 1)."""
    numbers = pd.to_numeric(employees, errors="coerce").astype("float64")
    edges = [low for low, _ in SIZE_BANDS] + [math.inf]
    bands = pd.cut(numbers, bins=edges, right=False, labels=[name for _, name in SIZE_BANDS])
    return bands.astype("object").where(bands.notna(), None)


def accounts_table(data: SalesData) -> pd.DataFrame:
    """The accounts with ``size_band`` derived from ``employees`` when the export has no band."""
    accounts = require_table(data, "accounts").copy()
    has_band = "size_band" in accounts and accounts["size_band"].notna().any()
    if not has_band and "employees" in accounts and accounts["employees"].notna().any():
        accounts["size_band"] = size_band(accounts["employees"])
    accounts["account_id"] = accounts["account_id"].astype("object").astype(str)
    return accounts


def available_keys(data: SalesData, keys: Sequence[str] = DEFAULT_KEYS) -> tuple[str, ...]:
    """The keys among ``keys`` the client's accounts have (with at least one value)."""
    accounts = accounts_table(data)
    return tuple(k for k in keys if k in accounts and accounts[k].notna().any())


def segment_labels(frame: pd.DataFrame, keys: Sequence[str]) -> pd.Series:
    """Each row's segment label (None when a key is missing)."""
    parts = [frame[k].astype("object") for k in keys]
    present = np.logical_and.reduce([p.notna().to_numpy() for p in parts])
    text = parts[0].astype(str)
    for part in parts[1:]:
        text = text + SEGMENT_SEPARATOR + part.astype(str)
    return text.where(present, None)


def _check_keys(accounts: pd.DataFrame, keys: Sequence[str]) -> tuple[str, ...]:
    keys = tuple(keys)
    if not keys:
        raise ConfigError("segmentation needs at least one key (e.g. keys: [sector, size_band])")
    missing = [k for k in keys if k not in accounts or accounts[k].isna().all()]
    if missing:
        available = [k for k in SEGMENT_KEYS if k in accounts and accounts[k].notna().any()]
        # The keys are written as in inputs/market.yml, where the strategist changes them.
        fields = {"keys": " × ".join(keys), "missing": ", ".join(missing), "available": ", ".join(available)}
        raise UnavailableError(
            "segmentation.unavailable.missing_keys"
            if available
            else "segmentation.unavailable.missing_keys_none_available",
            None,
            **fields,
        )
    return keys


def customers(data: SalesData, end: date) -> pd.Series:
    """Revenue up to ``end`` per customer account (revenue lines, else won deals' values), sorted descending.

    A customer is an account with a won deal closed, or a revenue line dated, on or before ``end``.
    """
    stop = pd.Timestamp(end) + pd.Timedelta(days=1)
    deals = data.tables.get("deals")
    if deals is None or not {"account_id", "closed_at"} <= set(deals.columns):
        deals = pd.DataFrame(
            {
                "account_id": pd.Series(dtype=object),
                "status": pd.Series(dtype=object),
                "closed_at": pd.Series(dtype="datetime64[ns]"),
                "value": pd.Series(dtype=float),
            }
        )
    won = deals[(deals["status"] == "won") & (deals["closed_at"] < stop) & deals["account_id"].notna()]
    # A customer whose won deals carry no value has an unknown revenue (NaN, ranked last), not 0.
    won_total = (
        won.groupby(won["account_id"].astype(str), observed=True)["value"].sum(min_count=1)
        if "value" in won
        else pd.Series(float("nan"), index=pd.Index(won["account_id"].astype(str).unique()))
    )
    if data.has("revenue"):
        lines = data.tables["revenue"]
        lines = lines[(lines["date"] < stop) & lines["account_id"].notna()]
        revenue = lines.groupby(lines["account_id"].astype(str), observed=True)["amount"].sum()
        extra = won_total.index.difference(revenue.index)
        total = pd.concat([revenue, pd.Series(0.0, index=extra)])
    else:
        total = won_total
    total.index.name = "account_id"
    return total.astype(float).sort_values(ascending=False, kind="stable", na_position="last")


def best_customers(revenue: pd.Series, share: float = BEST_CUSTOMER_SHARE) -> pd.Index:
    """The ⌈share⌉ customers with the highest revenue (ties: the order of ``revenue``)."""
    ordered = revenue.dropna().sort_values(ascending=False, kind="stable")
    return ordered.index[: math.ceil(share * len(ordered))] if len(ordered) else ordered.index


def prospect_accounts(data: SalesData, period: Period, customer_ids: Iterable[str]) -> pd.Index:
    """Accounts with a deal open at the period end or an unconverted lead created in the window, minus customers."""
    window = analysis_window(period)
    stop = pd.Timestamp(period.end) + pd.Timedelta(days=1)
    deals = data.tables.get("deals")
    if deals is None or "account_id" not in deals:
        deals = pd.DataFrame({"account_id": pd.Series(dtype=object), "status": pd.Series(dtype=object)})
    created = deals["created_at"] if "created_at" in deals else pd.Series(pd.NaT, index=deals.index)
    closed = deals["closed_at"] if "closed_at" in deals else pd.Series(pd.NaT, index=deals.index)
    open_at_end = (
        (created.isna() | (created < stop))
        & (closed.isna() | (closed >= stop))
        & ((deals["status"] == "open") | closed.notna())
    )
    ids = set(deals.loc[open_at_end & deals["account_id"].notna(), "account_id"].astype(str))
    leads = data.tables.get("leads")
    if leads is not None and "account_id" in leads:
        arrived = leads["created_at"] if "created_at" in leads else pd.Series(pd.NaT, index=leads.index)
        in_window = (arrived >= pd.Timestamp(window.start)) & (arrived < stop)  # undated leads: not known to be recent
        unconverted = pd.Series(True, index=leads.index)
        for column in ("deal_id", "converted_at"):
            if column in leads:
                unconverted &= leads[column].isna()
        ids |= set(leads.loc[in_window & unconverted & leads["account_id"].notna(), "account_id"].astype(str))
    return pd.Index(sorted(ids - set(customer_ids)), dtype=object)


def similarity_scores(
    prospects: pd.DataFrame, best: pd.DataFrame, attributes: Sequence[str] = SIMILARITY_ATTRIBUTES
) -> pd.Series:
    """Each prospect's mean, over ``attributes``, of the share of ``best`` customers with its value."""
    used = [a for a in attributes if a in prospects and a in best and best[a].notna().any()]
    if not used or best.empty:
        return pd.Series(np.nan, index=prospects.index, dtype=float)
    shares = []
    for attribute in used:
        frequency = best[attribute].astype("object").value_counts(normalize=False) / len(best)
        shares.append(prospects[attribute].astype("object").map(frequency).astype(float).fillna(0.0))
    return pd.concat(shares, axis=1).mean(axis=1)


def _engine_by_segment(
    data: SalesData, accounts: pd.DataFrame, keys: Sequence[str], window: Period
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The KPI engine's figures per segment over ``window``.

    The engine breaks KPIs down by an account column; a private copy of the data whose accounts
    carry the segment label in ``sector`` lets it group by any combination of keys with its own
    definitions (exclusions, coverage of the year-earlier period, LTV).
    """
    labelled = accounts[["account_id"]].copy()
    labelled["sector"] = segment_labels(accounts, keys)
    tables = dict(data.tables)
    tables["accounts"] = labelled
    tables["leads"] = None  # a lead's own sector would come first; no lead KPI is asked for
    engine = KpiEngine(SalesData(data.config, tables, dict(data.excluded)))
    if not engine.has_dimension("sector"):  # no deal nor revenue line of the window belongs to an account
        raise UnavailableError("segmentation.unavailable.no_segment_rows")
    wanted = [k for k in KPIS if k in engine.definitions]
    result = engine.compute(window, by="sector", kpis=wanted)
    reasons = dict(result.unavailable)
    reasons.update(result.breakdown_unavailable.get("sector", {}))
    return result.breakdown.get("sector", {}), reasons


def _amount(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def segment_table(
    data: SalesData,
    period: Period,
    keys: Sequence[str] = DEFAULT_KEYS,
    market: Market | None = None,
    min_deals: int | None = None,
) -> pd.DataFrame:
    """One row per segment (columns :data:`SEGMENT_COLUMNS` plus the keys), sorted by revenue.

    ``market``: the strategist's input (addressable market, threshold); without one, penetration
    and saturated are None. ``min_deals``: below it a segment is ``small`` (default: the market's,
    else :data:`MIN_DEALS`). Raises UnavailableError without accounts or without the keys.
    """
    accounts = accounts_table(data)
    keys = _check_keys(accounts, keys)
    min_deals = min_deals if min_deals is not None else (market.min_deals if market else MIN_DEALS)
    window = analysis_window(period)
    groups, _ = _engine_by_segment(data, accounts, keys, window)
    label_of_row = segment_labels(accounts, keys).to_numpy()

    def rows_of(ids: pd.Index, once: bool = False) -> np.ndarray:  # the ids' rows in accounts (not the unknown)
        rows = arrays.link(accounts["account_id"], ids.to_series())
        return np.unique(rows[rows >= 0]) if once else rows[rows >= 0]

    revenue = customers(data, period.end)
    customer_count = pd.Series(label_of_row[rows_of(revenue.index)]).value_counts()
    attributes = accounts.drop(columns="account_id")
    prospect_rows = rows_of(prospect_accounts(data, period, revenue.index))
    best = best_customers(revenue)
    scores = similarity_scores(attributes.iloc[prospect_rows], attributes.iloc[rows_of(best, once=True)])
    # the prospects' scores split by segment in one pass, not one look-up per segment
    prospect_scores = {s: pd.Series(v) for s, v in arrays.split(label_of_row[prospect_rows], scores.to_numpy(float))}

    rows = []
    for segment, values in groups.items():
        won = int(values.get("deals_won") or 0)
        lost = int(values.get("deals_lost") or 0)
        name = segment if segment != MISSING_GROUP else MISSING_GROUP
        in_segment = prospect_scores.get(segment, pd.Series(dtype=float)) if segment != MISSING_GROUP else pd.Series()
        rows.append(
            {
                "segment": name,
                "deals": won + lost,
                "won": won,
                "lost": lost,
                "avg_deal_size": values.get("avg_deal_size"),
                "cycle_days": values.get("sales_cycle_days"),
                "revenue": _amount(values.get("revenue")),  # unknown (deals without values): NaN, not 0
                "growth": values.get("revenue_yoy_growth"),
                "ltv": values.get("customer_ltv"),
                "customers": int(customer_count.get(segment, 0)) if segment != MISSING_GROUP else None,
                "prospects": len(in_segment),
                "similarity": float(in_segment.mean()) if len(in_segment) else None,
            }
        )
    table = pd.DataFrame(rows, columns=[c for c in SEGMENT_COLUMNS if c not in _DERIVED_COLUMNS])
    if table.empty:
        raise UnavailableError("segmentation.unavailable.no_closed", end=period.end)
    closed = table["deals"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["win_rate"] = np.where(closed > 0, table["won"] / closed, np.nan)
    low, high = wilson_interval(table["won"].to_numpy(), closed)
    table["ci_low"], table["ci_high"] = low, high
    total_revenue = float(table["revenue"].sum())
    table["revenue_share"] = table["revenue"] / total_revenue if total_revenue else np.nan
    table["deal_share"] = closed / closed.sum() if closed.sum() else np.nan
    table["small"] = table["deals"] < min_deals
    _add_penetration(table, market)
    for column in ("win_rate", "ci_low", "ci_high", "revenue_share", "deal_share"):
        table[column] = table[column].astype(float)
    for column in ("avg_deal_size", "cycle_days", "growth", "ltv", "similarity", "addressable", "penetration"):
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    for position, key in enumerate(keys):
        table[key] = [None if s == MISSING_GROUP else s.split(SEGMENT_SEPARATOR)[position] for s in table["segment"]]
    table = table.sort_values(["revenue", "deals"], ascending=False, kind="stable").reset_index(drop=True)
    table.attrs.update(
        keys=keys,
        window=window,
        min_deals=min_deals,
        unit=market.unit if market else None,
        threshold=market.saturation_threshold if market else None,
        best_customers=len(best),
        customers_total=len(revenue),
    )
    return table[[*SEGMENT_COLUMNS, *keys]]


_DERIVED_COLUMNS = (  # computed from the others once the table is built
    *("win_rate", "ci_low", "ci_high", "revenue_share", "deal_share", "addressable", "penetration", "saturated"),
    "small",
)


def _add_penetration(table: pd.DataFrame, market: Market | None) -> None:
    """addressable, penetration, saturated. Reaching more than the market entered (an old estimate) gives
    no penetration, counts as saturated and is listed in ``attrs["market_below_reached"]``."""
    table.attrs["market_below_reached"] = []
    if market is None or not market.addressable:
        table["addressable"], table["penetration"], table["saturated"] = None, None, None
        return
    addressable = table["segment"].map(market.addressable)
    reached = table["customers"] if market.unit == "accounts" else table["revenue"]
    penetration = [
        (float(r) / float(a)) if pd.notna(a) and a > 0 and r is not None else None for r, a in zip(reached, addressable)
    ]
    beyond = [p is not None and p > 1 for p in penetration]
    table.attrs["market_below_reached"] = [
        (segment, float(r), float(a))
        for segment, r, a, over in zip(table["segment"], reached, addressable, beyond)
        if over
    ]
    table["addressable"] = addressable.astype(object).where(addressable.notna(), None)
    table["penetration"] = pd.Series(
        [None if over else p for p, over in zip(penetration, beyond)], index=table.index, dtype=object
    )
    table["saturated"] = pd.Series(
        [None if p is None else bool(p >= market.saturation_threshold) for p in penetration],
        index=table.index,
        dtype=object,
    )


# --------------------------------------------------------------------------- attractiveness


# Why a segment is chosen, tested in order: (reason key, test on (win rate above, deal size above)).
REASONS: tuple[tuple[str, tuple[bool | None, bool | None]], ...] = (
    ("both", (True, True)),
    ("win_rate", (True, None)),
    ("deal_size", (None, True)),
    ("balanced", (None, None)),
)


def overall_rates(table: pd.DataFrame) -> tuple[float | None, float | None]:
    """Win rate and average deal size over every segment of the table (deal size weighted by wins)."""
    won, closed = table["won"].sum(), table["deals"].sum()
    win_rate = float(won / closed) if closed else None
    sized = table[table["avg_deal_size"].notna() & (table["won"] > 0)]
    weight = sized["won"].sum()
    deal_size = float((sized["avg_deal_size"].astype(float) * sized["won"]).sum() / weight) if weight else None
    return win_rate, deal_size


def attractiveness(table: pd.DataFrame) -> pd.DataFrame:
    """Every segment with its ``score`` (ci_low × avg_deal_size), ``eligible`` flag and ``rank`` (eligible only)."""
    ranked = table.copy()
    size = pd.to_numeric(ranked["avg_deal_size"], errors="coerce")
    ranked["score"] = ranked["ci_low"].astype(float) * size
    ranked["eligible"] = (
        (~ranked["small"].astype(bool))
        & (ranked["segment"] != MISSING_GROUP)
        & (ranked["saturated"].map(lambda s: s is not True))
        & ranked["score"].notna()
        & (ranked["won"] > 0)
    )
    order = ranked[ranked["eligible"]].sort_values(["score", "revenue"], ascending=False, kind="stable").index
    ranked["rank"] = pd.Series(range(1, len(order) + 1), index=order).reindex(ranked.index).astype("Int64")
    return ranked


def attractive_segments(table: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` most attractive segments, best first, with why (``reason``: a key of
    :data:`REASONS`) and the figures the narrative quotes."""
    ranked = attractiveness(table)
    chosen = ranked[ranked["rank"].notna()].sort_values("rank").head(n)
    win_rate, deal_size = overall_rates(table)
    reasons = []
    for row in chosen.itertuples():
        above = (
            win_rate is not None and row.win_rate > win_rate,
            deal_size is not None and row.avg_deal_size is not None and row.avg_deal_size > deal_size,
        )
        reasons.append(next(key for key, test in REASONS if all(t is None or t == a for t, a in zip(test, above))))
    columns = [
        "rank",
        "segment",
        "reason",
        "score",
        "deals",
        "win_rate",
        "ci_low",
        "ci_high",
        "avg_deal_size",
        "revenue_share",
        "deal_share",
        "growth",
        "penetration",
        "similarity",
    ]
    result = chosen.assign(reason=reasons)[columns].reset_index(drop=True)
    result["rank"] = result["rank"].astype(int)
    result["overall_win_rate"] = win_rate
    result["overall_deal_size"] = deal_size
    return result


# --------------------------------------------------------------------------- customer value (RFM)


# Named RFM segments, tested in order: (key, lowest R, highest R, lowest FM, highest FM); FM = (F + M) / 2.
RFM_SEGMENTS: tuple[tuple[str, int, int, float, float], ...] = (
    ("champions", 4, 5, 4.0, 5.0),
    ("loyal", 3, 5, 3.0, 5.0),
    ("promising", 4, 5, 1.0, 3.0),
    ("needs_attention", 3, 3, 1.0, 3.0),
    ("at_risk", 1, 2, 3.0, 5.0),
    ("lost", 1, 2, 1.0, 3.0),
)


def quintile_scores(values: pd.Series) -> pd.Series:
    """1 + floor(5 × (rank − 1) / n), ranks ascending with ties at their lowest rank."""
    ranks = values.rank(method="min", ascending=True)
    return (1 + np.floor(5 * (ranks - 1) / len(values))).astype(int)


def rfm_segment(r: int, fm: float) -> str:
    for key, r_low, r_high, fm_low, fm_high in RFM_SEGMENTS:
        # FM bounds: the lower is inclusive, the upper exclusive except 5.
        if r_low <= r <= r_high and fm_low <= fm and (fm < fm_high or fm_high == 5.0):
            return key
    raise AssertionError(f"no RFM segment for R={r}, FM={fm}")  # the table covers every score


def rfm_table(data: SalesData, period: Period) -> pd.DataFrame:
    """Per customer with revenue lines up to the period end: recency_days, frequency, monetary, r, f, m, segment."""
    lines = require_table(data, "revenue")
    stop = pd.Timestamp(period.end) + pd.Timedelta(days=1)
    lines = lines[(lines["date"] < stop) & lines["account_id"].notna()]
    if lines.empty:
        raise UnavailableError("segmentation.unavailable.rfm_no_revenue", end=period.end)
    grouped = lines.groupby(lines["account_id"].astype(str), observed=True)
    table = pd.DataFrame(
        {"last": grouped["date"].max(), "frequency": grouped.size(), "monetary": grouped["amount"].sum()}
    )
    table["recency_days"] = (pd.Timestamp(period.end) - table["last"].dt.normalize()).dt.days
    table["r"] = quintile_scores(table["last"])
    table["f"] = quintile_scores(table["frequency"])
    table["m"] = quintile_scores(table["monetary"])
    table["segment"] = [rfm_segment(r, (f + m) / 2) for r, f, m in zip(table["r"], table["f"], table["m"])]
    table.index.name = "account_id"
    return table[["recency_days", "frequency", "monetary", "r", "f", "m", "segment"]].reset_index()


def rfm_summary(rfm: pd.DataFrame) -> pd.DataFrame:
    """Per named segment (in :data:`RFM_SEGMENTS` order): customers, share, revenue, revenue_share, recency_days (median)."""
    grouped = rfm.groupby("segment")
    summary = (
        pd.DataFrame(
            {
                "customers": grouped.size(),
                "revenue": grouped["monetary"].sum(),
                "recency_days": grouped["recency_days"].median(),
            }
        )
        .reindex([key for key, *_ in RFM_SEGMENTS])
        .dropna(subset=["customers"])
    )
    summary["customers"] = summary["customers"].astype(int)
    summary["share"] = summary["customers"] / summary["customers"].sum()
    summary["revenue_share"] = summary["revenue"] / summary["revenue"].sum() if summary["revenue"].sum() else np.nan
    summary.index.name = "segment"
    return summary.reset_index()[["segment", "customers", "share", "revenue", "revenue_share", "recency_days"]]


# --------------------------------------------------------------------------- churn causes


@dataclass(frozen=True)
class ChurnReasons:
    table: pd.DataFrame  # reason, accounts, share, trust (bool)
    churned: int  # accounts that churned on or before the end, with or without a reason
    without_reason: int
    trust_share: float | None  # share of churned accounts with a reason whose reason is trust / customer service


def is_trust_reason(reason: str, keywords: Iterable[str] = TRUST_KEYWORDS) -> bool:
    text = str(reason).casefold()
    return any(word.casefold() in text for word in keywords)


def churn_reasons(data: SalesData, period: Period, keywords: Iterable[str] = TRUST_KEYWORDS) -> ChurnReasons:
    """Churned accounts (churned_at on or before the period end, or undated) per reason, with the trust share."""
    accounts = require_table(data, "accounts")
    if "churn_reason" not in accounts or accounts["churn_reason"].isna().all():
        raise UnavailableError("segmentation.unavailable.no_churn_reason")
    stop = pd.Timestamp(period.end) + pd.Timedelta(days=1)
    dated = accounts["churned_at"] if "churned_at" in accounts else pd.Series(pd.NaT, index=accounts.index)
    churned = accounts[(dated < stop) | (dated.isna() & accounts["churn_reason"].notna())]
    if churned.empty:
        raise UnavailableError("segmentation.unavailable.no_churn", end=period.end)
    reasons = churned["churn_reason"].dropna().astype(str)
    counts = reasons.value_counts()
    keywords = tuple(keywords)
    table = pd.DataFrame({"reason": counts.index, "accounts": counts.to_numpy()})
    table["share"] = table["accounts"] / len(reasons)
    table["trust"] = [is_trust_reason(r, keywords) for r in table["reason"]]
    trust_share = float(table.loc[table["trust"], "accounts"].sum() / len(reasons)) if len(reasons) else None
    return ChurnReasons(table, len(churned), int(churned["churn_reason"].isna().sum()), trust_share)


def with_market(table: pd.DataFrame, market: Market) -> pd.DataFrame:
    """``table`` with penetration recomputed for ``market`` (e.g. after the form changed it)."""
    updated = table.copy()
    _add_penetration(updated, market)
    updated.attrs.update(unit=market.unit, threshold=market.saturation_threshold)  # copied with the table
    return updated


def ranking(table: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """The ``limit`` best-ranked segments of :func:`attractiveness`, best first (``rank`` as int)."""
    ranked = attractiveness(table)
    ranked = ranked[ranked["rank"].notna()].sort_values("rank").head(limit).copy()
    ranked["rank"] = ranked["rank"].astype(int)
    return ranked


AT_RISK_SEGMENTS = ("at_risk", "lost")  # the RFM segments whose customers are about to be lost


def at_risk(summary: pd.DataFrame) -> tuple[int, float]:
    """Customers of the :data:`AT_RISK_SEGMENTS` of an :func:`rfm_summary` and their share of revenue."""
    risky = summary[summary["segment"].isin(AT_RISK_SEGMENTS)]
    return int(risky["customers"].sum()), float(risky["revenue_share"].sum())
