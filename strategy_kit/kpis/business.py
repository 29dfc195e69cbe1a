"""Business-performance KPIs (KPIS.md "Business performance — indicateurs de performance").

Revenue is the revenue lines when the client has them, else the value of won deals (then
``revenue`` is ``won_value`` itself, computed once). Every revenue KPI reads the same revenue
events (strategy_kit.kpis.prepared.RevenueEvents): a line by its date, or a won deal by its
closed_at; an account's first revenue is its first line (or first won deal).
"""
from __future__ import annotations

from datetime import date

import numpy as np

from strategy_kit.kpis.arrays import MISSING_DAY, day_number
from strategy_kit.kpis.dimensions import MISSING_GROUP
from strategy_kit.kpis.prepared import RevenueEvents
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import kpi
from strategy_kit.kpis.scope import Measure, Scope
from strategy_kit.periods import Period

BUSINESS = dict(family="business", rows="revenue")
NEEDS = ("revenue (date, amount, account_id) or deals (status, closed_at, value)",)


def _events(scope: Scope) -> RevenueEvents:
    return scope.prepared.revenue


def _in_period(scope: Scope) -> np.ndarray:
    events = _events(scope)
    return scope.rows_in_period("revenue.day", events.day)


def _undated(scope: Scope) -> int:
    events = _events(scope)
    return scope.engine.constant("undated:revenue", lambda: int(np.count_nonzero(events.day == MISSING_DAY)))


def _require_accounts(scope: Scope) -> RevenueEvents:
    events = _events(scope)
    if events.account_count == 0:
        raise Unavailable("no_revenue_accounts")
    return events


@kpi("revenue", fr="Chiffre d'affaires", en="Revenue", unit="currency", direction="higher",
     definition="sum of revenue lines dated in P where the client provides them; otherwise won_value",
     needs=NEEDS, **BUSINESS)
def revenue(scope: Scope) -> Measure:
    events = _events(scope)
    if events.source == "won_deals":
        return scope.measure("won_value")
    chosen = _in_period(scope)
    amounts = events.amount[chosen]
    return Measure(scope.total("revenue", chosen, amounts), _undated(scope) + int(np.count_nonzero(np.isnan(amounts))))


@kpi("new_business_revenue", fr="Chiffre d'affaires des nouveaux clients", en="New-business revenue",
     unit="currency", direction="higher",
     definition="revenue in P from accounts whose first revenue (or first won deal) falls in P",
     needs=NEEDS, **BUSINESS)
def new_business_revenue(scope: Scope) -> Measure:
    events = _require_accounts(scope)
    chosen = _in_period(scope)
    account = events.account[chosen]
    first = events.account_first_day[np.maximum(account, 0)]
    new = (account >= 0) & (first >= scope.start) & (first <= scope.end)
    return Measure(scope.total("revenue", chosen[new], events.amount[chosen[new]]),
                   _undated(scope) + int(np.count_nonzero(account < 0)))


@kpi("new_business_share", fr="Part du chiffre d'affaires des nouveaux clients", en="New-business share",
     unit="rate", direction="higher", definition="new_business_revenue / revenue", needs=NEEDS, **BUSINESS)
def new_business_share(scope: Scope) -> Measure:
    return Measure(scope.ratio(scope.get("new_business_revenue"), scope.get("revenue")),
                   scope.excluded("new_business_revenue"))


def covers(scope: Scope, period: Period) -> bool:
    """The data covers ``period``: revenue is recorded from its first month on, and up to its end."""
    events = _events(scope)

    def first_month() -> int | None:
        dated = events.day[events.day != MISSING_DAY]
        if not len(dated):
            return None
        first = np.datetime64(int(dated.min()), "D").astype(date)
        return day_number(first.replace(day=1))

    start = scope.engine.constant("revenue_first_month", first_month)
    last_day = scope.engine.constant("last_day", scope.prepared.data.last_day)
    return start is not None and last_day is not None and start <= day_number(period.start) and period.end <= last_day


@kpi("revenue_yoy_growth", fr="Croissance du chiffre d'affaires sur un an", en="Revenue growth year on year",
     unit="rate", direction="higher",
     definition="revenue(P) / revenue(P shifted back one year) − 1; null when the earlier period is not covered "
                "by the data or its revenue is 0",
     needs=NEEDS, null_note="kpis.note.not_covered", **BUSINESS)
def revenue_yoy_growth(scope: Scope) -> Measure:
    current = scope.get("revenue")
    if not covers(scope, scope.period.shifted_years(-1)):
        return Measure(np.full(scope.size, np.nan), scope.excluded("revenue"))
    earlier = scope.shifted(-1)
    return Measure(scope.ratio(current, earlier.get("revenue")) - 1,
                   scope.excluded("revenue") + earlier.excluded("revenue"))


@kpi("customer_ltv", fr="Valeur vie client (historique)", en="Customer lifetime value (historical)",
     unit="currency", direction="higher",
     definition="mean, over accounts with a first revenue on or before end, of their total revenue up to end "
                "(historical LTV)",
     needs=NEEDS, breakdowns=("account",), **BUSINESS)
def customer_ltv(scope: Scope) -> Measure:
    events = _require_accounts(scope)

    def by_day() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        usable = np.flatnonzero((events.day != MISSING_DAY) & (events.account >= 0))
        usable = usable[np.argsort(events.day[usable], kind="stable")]
        return (usable, events.day[usable], np.cumsum(np.nan_to_num(events.amount[usable])),
                np.sort(events.account_first_day))

    usable, days, cumulative, first_days = scope.engine.constant("ltv", by_day)
    left_out = events.count - len(usable)
    upto = int(np.searchsorted(days, days.dtype.type(scope.end), side="right"))
    codes = scope.codes("revenue")
    if codes is None:
        customers = float(np.searchsorted(first_days, first_days.dtype.type(scope.end), side="right"))
        total = np.array([float(cumulative[upto - 1]) if upto else 0.0])
        return Measure(scope.ratio(total, np.array([customers])), left_out)
    chosen = usable[:upto]
    group_of_account = np.full(events.account_count, -1, dtype=np.int64)
    group_of_account[events.account[usable]] = codes[usable]
    grouped = group_of_account[events.account_first_day <= scope.end]
    count = np.bincount(grouped[grouped >= 0], minlength=scope.size).astype(float)
    return Measure(scope.ratio(scope.total("revenue", chosen, events.amount[chosen]), count), left_out)


@kpi("revenue_by_product", fr="Chiffre d'affaires par produit", en="Revenue by product", unit="breakdown",
     direction="higher", definition="revenue in P per product (a breakdown, not a single number)",
     needs=NEEDS + ("product",), breakdowns=(), **BUSINESS)
def revenue_by_product(scope: Scope) -> Measure:
    events = _events(scope)
    product = scope.prepared.labels("revenue", "product")
    chosen = _in_period(scope)
    width = len(product.categories) + 1
    sums = np.bincount(product.codes[chosen] + 1, weights=np.nan_to_num(events.amount[chosen]), minlength=width)
    seen = scope.engine.constant("revenue_products", lambda: np.bincount(product.codes + 1, minlength=width) > 0)
    names = [MISSING_GROUP, *product.categories]
    parts = {names[i]: float(sums[i]) for i in range(width) if seen[i]}
    total = float(sums.sum())
    return Measure(np.array([total]), _undated(scope) + int(np.count_nonzero(np.isnan(events.amount[chosen]))), parts)
