"""Pipeline KPIs (KPIS.md "Pipeline — mesures du pipeline"), except the per-stage ones (stages.py)."""

from __future__ import annotations

import numpy as np

from strategy_kit.kpis.arrays import MISSING_DAY
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import CREATED_DEALS, Family, kpi
from strategy_kit.kpis.scope import Measure, Scope

PIPELINE = Family(family="pipeline", rows="deals")


def _require(scope: Scope, name: str) -> None:
    scope.prepared.deals_frame()  # no deals table: say so rather than "no <column>"
    if scope.prepared.column("deals", name) is None:
        raise Unavailable("no_column", column=name, table="deals")


def _closed_in_period(scope: Scope) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the deals won and of the deals lost with closed_at in the period."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        deals = scope.prepared.deals
        closed = scope.rows_in_period("deals.closed", deals.closed)
        return closed[deals.won[closed]], closed[deals.lost[closed]]

    return scope.per_period("closed", build)


def _undated(scope: Scope, status: str) -> int:
    """Won (or lost) deals without a closed_at: left out of every period."""
    deals = scope.prepared.deals
    chosen = deals.won if status == "won" else deals.lost
    return scope.engine.constant(
        f"undated:{status}", lambda: int(np.count_nonzero(chosen & (deals.closed == MISSING_DAY)))
    )


@kpi(
    "new_deals",
    fr="Nouvelles affaires",
    en="New deals",
    unit="count",
    direction="higher",
    definition="deals with created_at in P",
    needs=("deals.created_at",),
    **PIPELINE,
)
def new_deals(scope: Scope) -> Measure:
    _require(scope, "created_at")
    deals = scope.prepared.deals
    chosen = scope.rows_in_period("deals.created", deals.created)
    undated = scope.engine.constant("undated:created", lambda: int(np.count_nonzero(deals.created == MISSING_DAY)))
    return Measure(scope.count(CREATED_DEALS, chosen), undated)


def _open_at_end(scope: Scope) -> tuple[np.ndarray, int]:
    """Deals open at the end of the period, and how many could not be placed: deals without a
    created_at, and deals created by the end that were won or lost without a closed_at."""

    def build() -> tuple[np.ndarray, int]:
        deals = scope.prepared.deals
        end = scope.end
        has_created = deals.created != MISSING_DAY
        created_by_end = has_created & (deals.created <= end)
        no_close = (deals.won | deals.lost) & (deals.closed == MISSING_DAY)
        still_open = (deals.closed == MISSING_DAY) | (deals.closed > end)
        open_at_end = np.flatnonzero(created_by_end & ~no_close & still_open)
        excluded = int(np.count_nonzero(~has_created) + np.count_nonzero(created_by_end & no_close))
        return open_at_end, excluded

    return scope.per_period("open_at_end", build)


@kpi(
    "open_deals_end",
    fr="Affaires ouvertes en fin de période",
    en="Open deals at period end",
    unit="count",
    direction="higher",
    definition="deals with created_at ≤ end and (no closed_at or closed_at > end)",
    needs=("deals.created_at", "deals.closed_at"),
    **PIPELINE,
)
def open_deals_end(scope: Scope) -> Measure:
    _require(scope, "created_at")
    chosen, excluded = _open_at_end(scope)
    return Measure(scope.count(CREATED_DEALS, chosen), excluded)


@kpi(
    "open_pipeline_value",
    fr="Montant du pipeline ouvert",
    en="Open pipeline value",
    unit="currency",
    direction="higher",
    definition="sum of value of open_deals_end",
    needs=("deals.created_at", "deals.closed_at", "deals.value"),
    **PIPELINE,
)
def open_pipeline_value(scope: Scope) -> Measure:
    _require(scope, "value")
    scope.measure("open_deals_end")
    chosen, excluded = _open_at_end(scope)
    values = scope.prepared.deals.value[chosen]
    known = ~np.isnan(values)
    return Measure(_sum_of_known(scope, chosen, values, known), excluded + int(np.count_nonzero(~known)))


def _sum_of_known(scope: Scope, chosen: np.ndarray, values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Sum per group of the known values; null for a group whose rows all lack one (unknown, not 0)."""
    sums = scope.total(CREATED_DEALS, chosen[known], values[known])
    unknown_only = (scope.count(CREATED_DEALS, chosen[known]) == 0) & (scope.count(CREATED_DEALS, chosen[~known]) > 0)
    return np.where(unknown_only, np.nan, sums)


def _dated_path(scope: Scope) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """The recorded, dated stage-history rows as a sorted key (deal block, day) for lookups."""
    history = scope.prepared.history
    rows = np.flatnonzero(history.recorded & history.dated)
    deal = history.deal[rows]
    new_block = np.ones(len(rows), dtype=bool)
    new_block[1:] = deal[1:] != deal[:-1]
    ordinal = np.cumsum(new_block) - 1
    block = np.full(scope.prepared.deals.count, -1, dtype=np.int64)
    block[deal[new_block]] = ordinal[new_block]
    offset = int(history.day[rows].min()) - 1 if len(rows) else 0
    key = (ordinal.astype(np.int64) << 32) | (history.day[rows].astype(np.int64) - offset)
    return key, history.stage[rows].astype(np.int64), deal, block, offset


def _stage_at_end(scope: Scope, deals_chosen: np.ndarray) -> np.ndarray:
    """The stage rank of each chosen deal at the end of the period (-1: unknown).

    From the recorded, dated stage history (the last stage entered on or before the end), else the
    deal's current stage, unless it was won since (its current stage is then not its stage at end).
    """
    deals = scope.prepared.deals
    width = len(scope.prepared.stage_ids)
    key, stage, deal, block, offset = scope.engine.constant("dated_path", lambda: _dated_path(scope))
    if not len(key):
        key, stage, deal = np.zeros(1, np.int64), np.full(1, -1, np.int64), np.full(1, -1, np.int64)
    chosen_block = block[deals_chosen]
    day = min(max(scope.end - offset, 0), (1 << 32) - 1)
    position = np.searchsorted(key, (np.maximum(chosen_block, 0) << 32) | day, side="right") - 1
    found = (chosen_block >= 0) & (position >= 0)
    found &= deal[np.maximum(position, 0)] == deals_chosen
    from_history = np.where(found, stage[np.maximum(position, 0)], -1)
    current = deals.stage[deals_chosen].astype(np.int64)
    fallback = np.where(deals.won[deals_chosen] | (current >= width), -1, current)
    return np.where(from_history >= 0, from_history, fallback)


def _stage_probabilities(scope: Scope) -> np.ndarray:
    """Win probability of each stage: the client's, else the share won among the deals closed by
    the end of the period that reached the stage (NaN when none did)."""
    prepared = scope.prepared
    configured = np.array([np.nan if s.probability is None else s.probability for s in prepared.config.stages])

    def cumulative() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        deals = prepared.deals
        closed = np.flatnonzero((deals.won | deals.lost) & (deals.closed != MISSING_DAY))
        order = closed[np.argsort(deals.closed[closed], kind="stable")]
        reached = prepared.history.reached[order]
        return (
            deals.closed[order],
            np.cumsum(reached, axis=0, dtype=np.int64),
            np.cumsum(reached & deals.won[order][:, None], axis=0, dtype=np.int64),
        )

    if not np.isnan(configured).any():
        return configured
    days, reached, won = scope.engine.constant("stage_outcomes", cumulative)
    position = int(np.searchsorted(days, days.dtype.type(scope.end), side="right"))
    if position == 0:
        historical = np.full(len(configured), np.nan)
    else:
        historical = Scope.ratio(won[position - 1].astype(float), reached[position - 1].astype(float))
    return np.where(np.isnan(configured), historical, configured)


@kpi(
    "weighted_pipeline_value",
    fr="Pipeline pondéré",
    en="Weighted pipeline value",
    unit="currency",
    direction="higher",
    definition="sum over open_deals_end of value × probability of its stage at end (probability from the "
    "client's config, else the historical share of deals that reached that stage and were won)",
    needs=("deals.created_at", "deals.closed_at", "deals.value", "stage_history"),
    **PIPELINE,
)
def weighted_pipeline_value(scope: Scope) -> Measure:
    _require(scope, "value")
    scope.measure("open_deals_end")
    chosen, excluded = _open_at_end(scope)
    stage = scope.per_period("stage_at_end", lambda: _stage_at_end(scope, chosen))
    probability = scope.per_period("stage_probability", lambda: _stage_probabilities(scope))
    weight = np.where(stage >= 0, probability[np.maximum(stage, 0)], np.nan)
    values = scope.prepared.deals.value[chosen] * weight
    known = ~np.isnan(values)
    return Measure(_sum_of_known(scope, chosen, values, known), excluded + int(np.count_nonzero(~known)))


@kpi(
    "deals_won",
    fr="Affaires gagnées",
    en="Deals won",
    unit="count",
    direction="higher",
    definition="deals won with closed_at in P",
    needs=("deals.status", "deals.closed_at"),
    **PIPELINE,
)
def deals_won(scope: Scope) -> Measure:
    _require(scope, "closed_at")
    won, _ = _closed_in_period(scope)
    return Measure(scope.count("deals", won), _undated(scope, "won"))


@kpi(
    "deals_lost",
    fr="Affaires perdues",
    en="Deals lost",
    unit="count",
    direction="lower",
    definition="deals lost with closed_at in P",
    needs=("deals.status", "deals.closed_at"),
    **PIPELINE,
)
def deals_lost(scope: Scope) -> Measure:
    _require(scope, "closed_at")
    _, lost = _closed_in_period(scope)
    return Measure(scope.count("deals", lost), _undated(scope, "lost"))


@kpi(
    "win_rate",
    fr="Taux de transformation",
    en="Win rate",
    unit="rate",
    direction="higher",
    definition="deals_won / (deals_won + deals_lost)",
    needs=("deals.status", "deals.closed_at"),
    **PIPELINE,
)
def win_rate(scope: Scope) -> Measure:
    won, lost = scope.get("deals_won"), scope.get("deals_lost")
    return Measure(scope.ratio(won, won + lost), scope.excluded("deals_won") + scope.excluded("deals_lost"))


def _won_without_value(scope: Scope) -> np.ndarray:
    won, _ = _closed_in_period(scope)
    return scope.once("won_without_value", lambda: scope.count("deals", won[np.isnan(scope.prepared.deals.value[won])]))


@kpi(
    "won_value",
    fr="Montant gagné",
    en="Won value",
    unit="currency",
    direction="higher",
    definition="sum of value of deals won in P",
    needs=("deals.status", "deals.closed_at", "deals.value"),
    **PIPELINE,
)
def won_value(scope: Scope) -> Measure:
    _require(scope, "value")
    scope.measure("deals_won")
    won, _ = _closed_in_period(scope)
    no_value = int(_won_without_value(scope).sum())
    return Measure(scope.total("deals", won, scope.prepared.deals.value[won]), scope.excluded("deals_won") + no_value)


@kpi(
    "avg_deal_size",
    fr="Montant moyen des affaires gagnées",
    en="Average deal size",
    unit="currency",
    direction="higher",
    definition="won_value / deals_won",
    needs=("deals.status", "deals.closed_at", "deals.value"),
    **PIPELINE,
)
def avg_deal_size(scope: Scope) -> Measure:
    # Deals won without a value add nothing to won_value and are left out of the count too.
    counted = scope.get("deals_won") - _won_without_value(scope)
    return Measure(scope.ratio(scope.get("won_value"), counted), scope.excluded("won_value"))


@kpi(
    "sales_cycle_days",
    fr="Durée du cycle de vente (médiane)",
    en="Sales cycle (median)",
    unit="days",
    direction="lower",
    definition="median of closed_at − created_at over deals won in P",
    needs=("deals.status", "deals.created_at", "deals.closed_at"),
    **PIPELINE,
)
def sales_cycle_days(scope: Scope) -> Measure:
    _require(scope, "created_at")
    scope.measure("deals_won")
    deals = scope.prepared.deals
    won, _ = _closed_in_period(scope)
    dated = won[deals.created[won] != MISSING_DAY]
    days = (deals.closed[dated].astype(np.int64) - deals.created[dated]).astype(np.float64)
    return Measure(scope.median("deals", dated, days), scope.excluded("deals_won") + (len(won) - len(dated)))


@kpi(
    "pipeline_velocity",
    fr="Vélocité du pipeline",
    en="Pipeline velocity",
    unit="currency_per_day",
    direction="higher",
    definition="open_deals_end × win_rate × avg_deal_size / sales_cycle_days (value per day)",
    needs=("deals.status", "deals.created_at", "deals.closed_at", "deals.value"),
    **PIPELINE,
)
def pipeline_velocity(scope: Scope) -> Measure:
    dimension = scope.grouping.dimension
    if dimension is not None and scope.prepared.dimensions[dimension].calendar is not None:
        # Its parts read different dates (open deals: created_at; won deals: closed_at): no one
        # weekday, hour or month is the group of all its parts.
        raise Unavailable("not_by_dimension", dimension=dimension)
    cycle = scope.get("sales_cycle_days")
    product = scope.get("open_deals_end") * scope.get("win_rate") * scope.get("avg_deal_size")
    return Measure(scope.ratio(product, np.where(cycle > 0, cycle, np.nan)))
