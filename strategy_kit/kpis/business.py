"""Business-performance KPIs (KPIS.md "Business performance — indicateurs de performance").

Revenue is the revenue lines when the client has them, else the value of won deals (then
``revenue`` is ``won_value`` itself, computed once). Every revenue KPI reads the same revenue
events (strategy_kit.kpis.prepared.RevenueEvents): a line by its date, or a won deal by its
closed_at; an account's first revenue is its first line (or first won deal).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from strategy_kit.errors import PeriodError
from strategy_kit.kpis.arrays import MISSING_DAY, day_number
from strategy_kit.kpis.dimensions import MISSING_GROUP
from strategy_kit.kpis.prepared import RevenueEvents
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import Family, kpi
from strategy_kit.kpis.scope import Measure, Scope
from strategy_kit.periods import Period

BUSINESS = Family(family="business", rows="revenue")
NEEDS = ("revenue (date, amount, account_id) or deals (status, closed_at, value)",)


def _events(scope: Scope) -> RevenueEvents:
    return scope.prepared.revenue


def _in_period(scope: Scope) -> np.ndarray:
    events = _events(scope)
    return scope.rows_in_period("revenue.day", events.day)


def _undated(scope: Scope) -> int:
    events = _events(scope)
    return scope.engine.constant("undated:revenue", lambda: int(np.count_nonzero(events.day == MISSING_DAY)))


def _require_source(scope: Scope, amounts: bool = True) -> RevenueEvents:
    """The revenue events, or Unavailable when their source lacks the dates (or the amounts) every
    revenue KPI reads: a column empty in every row is missing data, never a revenue of 0."""
    events = _events(scope)
    if events.source == "revenue_lines":
        needed, table = (("date", "amount") if amounts else ("date",)), "revenue"
    else:
        needed, table = (("closed_at", "value") if amounts else ("closed_at",)), "deals"
    for name in needed:
        if scope.prepared.column(table, name) is None:
            raise Unavailable("no_column", column=name, table=table)
    return events


def _require_accounts(scope: Scope, amounts: bool = True) -> RevenueEvents:
    events = _require_source(scope, amounts)
    if events.account_count == 0:
        raise Unavailable("no_revenue_accounts")
    return events


@kpi(
    "revenue",
    fr="Chiffre d'affaires",
    en="Revenue",
    unit="currency",
    direction="higher",
    definition="sum of revenue lines dated in P where the client provides them; otherwise won_value",
    needs=NEEDS,
    **BUSINESS,
)
def revenue(scope: Scope) -> Measure:
    events = _events(scope)
    if events.source == "won_deals":
        return scope.measure("won_value")
    _require_source(scope)
    chosen = _in_period(scope)
    amounts = events.amount[chosen]
    return Measure(scope.total("revenue", chosen, amounts), _undated(scope) + int(np.count_nonzero(np.isnan(amounts))))


@kpi(
    "new_business_revenue",
    fr="Chiffre d'affaires des nouveaux clients",
    en="New-business revenue",
    unit="currency",
    direction="higher",
    definition="revenue in P from accounts whose first revenue (or first won deal) falls in P",
    needs=NEEDS,
    **BUSINESS,
)
def new_business_revenue(scope: Scope) -> Measure:
    events = _require_accounts(scope)
    chosen = _in_period(scope)
    account = events.account[chosen]
    first = events.account_first_day[np.maximum(account, 0)]
    new = (account >= 0) & (first >= scope.start) & (first <= scope.end)
    return Measure(
        scope.total("revenue", chosen[new], events.amount[chosen[new]]),
        _undated(scope) + int(np.count_nonzero(account < 0)),
    )


@kpi(
    "new_business_share",
    fr="Part du chiffre d'affaires des nouveaux clients",
    en="New-business share",
    unit="rate",
    direction="higher",
    definition="new_business_revenue / revenue",
    needs=NEEDS,
    **BUSINESS,
)
def new_business_share(scope: Scope) -> Measure:
    return Measure(
        scope.ratio(scope.get("new_business_revenue"), scope.get("revenue")), scope.excluded("new_business_revenue")
    )


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


@kpi(
    "revenue_yoy_growth",
    fr="Croissance du chiffre d'affaires sur un an",
    en="Revenue growth year on year",
    unit="rate",
    direction="higher",
    definition="revenue(P) / revenue(P shifted back one year) − 1; null when the earlier period is not covered "
    "by the data or its revenue is 0",
    needs=NEEDS,
    null_note="kpis.note.not_covered",
    **BUSINESS,
)
def revenue_yoy_growth(scope: Scope) -> Measure:
    current = scope.get("revenue")
    try:
        earlier_period = scope.period.shifted_years(-1)
    except PeriodError:  # a year before 0001: not covered by any data
        return Measure(np.full(scope.size, np.nan), scope.excluded("revenue"))
    if not covers(scope, earlier_period):
        return Measure(np.full(scope.size, np.nan), scope.excluded("revenue"))
    earlier = scope.shifted(-1)
    return Measure(
        scope.ratio(current, earlier.get("revenue")) - 1, scope.excluded("revenue") + earlier.excluded("revenue")
    )


@kpi(
    "customer_ltv",
    fr="Valeur vie client (historique)",
    en="Customer lifetime value (historical)",
    unit="currency",
    direction="higher",
    definition="mean, over accounts with a first revenue on or before end, of their total revenue up to end "
    "(historical LTV)",
    needs=NEEDS,
    breakdowns=("account",),
    **BUSINESS,
)
def customer_ltv(scope: Scope) -> Measure:
    events = _require_accounts(scope)

    def by_day() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        usable = np.flatnonzero((events.day != MISSING_DAY) & (events.account >= 0))
        usable = usable[np.argsort(events.day[usable], kind="stable")]
        amounts = events.amount[usable]
        known = ~np.isnan(amounts)
        return (
            usable,
            events.day[usable],
            np.cumsum(np.where(known, amounts, 0.0)),
            np.cumsum(known),
            np.sort(events.account_first_day),
        )

    usable, days, cumulative, known, first_days = scope.engine.constant("ltv", by_day)
    left_out = events.count - len(usable)
    upto = int(np.searchsorted(days, days.dtype.type(scope.end), side="right"))
    codes = scope.codes("revenue")
    if codes is None:
        customers = float(np.searchsorted(first_days, first_days.dtype.type(scope.end), side="right"))
        # Revenue up to the end whose amounts are all unknown is unknown, not 0.
        total = np.array([(float(cumulative[upto - 1]) if known[upto - 1] else np.nan) if upto else 0.0])
        return Measure(scope.ratio(total, np.array([customers])), left_out)
    chosen = usable[:upto]
    group_of_account = np.full(events.account_count, -1, dtype=np.int64)
    group_of_account[events.account[usable]] = codes[usable]
    grouped = group_of_account[events.account_first_day <= scope.end]
    count = np.bincount(grouped[grouped >= 0], minlength=scope.size).astype(float)
    return Measure(scope.ratio(scope.total("revenue", chosen, events.amount[chosen]), count), left_out)


@kpi(
    "revenue_by_product",
    fr="Chiffre d'affaires par produit",
    en="Revenue by product",
    unit="breakdown",
    direction="higher",
    definition="revenue in P per product (a breakdown, not a single number)",
    needs=NEEDS + ("product",),
    breakdowns=(),
    **BUSINESS,
)
def revenue_by_product(scope: Scope) -> Measure:
    events = _events(scope)
    if events.source == "won_deals":
        scope.measure("won_value")  # unavailable with revenue (no value in the deals...), never 0
    else:
        _require_source(scope)
    product = scope.prepared.labels("revenue", "product")
    chosen = _in_period(scope)
    width = len(product.categories) + 1
    amounts = events.amount[chosen]
    known = ~np.isnan(amounts)
    codes = product.codes[chosen] + 1
    sums = np.bincount(codes[known], weights=amounts[known], minlength=width)
    # A product whose lines of P all lack their amount has an unknown revenue (null), not 0; a
    # product without lines in P has 0.
    unknown = (np.bincount(codes, minlength=width) > 0) & (np.bincount(codes[known], minlength=width) == 0)
    seen = scope.engine.constant("revenue_products", lambda: np.bincount(product.codes + 1, minlength=width) > 0)
    names = [MISSING_GROUP, *product.categories]
    parts = {names[i]: (None if unknown[i] else float(sums[i])) for i in range(width) if seen[i]}
    total = scope.total("revenue", chosen, amounts)
    return Measure(total, _undated(scope) + int(np.count_nonzero(~known)), parts)


def _purchases(events: RevenueEvents) -> np.ndarray:
    """Which revenue events are purchases: every revenue line (or won deal) except those whose
    amount is 0 or negative (a credit note, a zero line). A line (or won deal) without an amount is
    a purchase: a sale was recorded, only its amount is unknown."""
    with np.errstate(invalid="ignore"):
        return ~(events.amount <= 0)


def _second_purchase_days(events: RevenueEvents) -> np.ndarray:
    """Per account code: the day of its second distinct purchase date (int32 max: it has one date).

    Two passes without sorting: each account's first purchase day, then its earliest day after it."""
    none = np.iinfo(np.int32).max
    dated = (events.day != MISSING_DAY) & (events.account >= 0) & _purchases(events)
    account, day = events.account[dated], events.day[dated].astype(np.int64)
    first = np.full(events.account_count, none, dtype=np.int64)
    np.minimum.at(first, account, day)
    later = day > first[account]
    second = np.full(events.account_count, none, dtype=np.int64)
    np.minimum.at(second, account[later], day[later])
    return second


@kpi(
    "repeat_customer_rate",
    fr="Taux de clients récurrents",
    en="Repeat customer rate",
    unit="rate",
    direction="higher",
    definition="accounts with a purchase in P that have purchases on at least two distinct dates from their first "
    "purchase up to P's end / accounts with a purchase in P (a purchase: a revenue line, or a won deal "
    "where the client has no revenue lines)",
    needs=("revenue (date, account_id) or deals (status, closed_at, account_id)",),
    breakdowns=("account",),
    **BUSINESS,
)
def repeat_customer_rate(scope: Scope) -> Measure:
    events = _require_accounts(scope, amounts=False)
    second = scope.engine.constant("second_purchase", lambda: _second_purchase_days(events))
    purchases = scope.engine.constant("purchases", lambda: _purchases(events))
    in_period = _in_period(scope)
    chosen = in_period[purchases[in_period]]  # credit notes and zero lines are not purchases
    account = events.account[chosen]
    with_account = chosen[account >= 0]
    account = account[account >= 0]
    codes = scope.codes("revenue")
    group = np.zeros(len(with_account), dtype=np.int64) if codes is None else codes[with_account]
    # Each (group, account) once: the accounts that purchased in P, per group.
    pairs = np.unique(group * max(events.account_count, 1) + account)
    pair_group, pair_account = np.divmod(pairs, max(events.account_count, 1))
    buyers = np.bincount(pair_group, minlength=scope.size).astype(float)
    repeat = second[pair_account] <= scope.end
    repeaters = np.bincount(pair_group[repeat], minlength=scope.size).astype(float)
    return Measure(scope.ratio(repeaters, buyers), _undated(scope) + int(np.count_nonzero(events.account[chosen] < 0)))
