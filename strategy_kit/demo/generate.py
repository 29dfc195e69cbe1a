"""Simulate Orséa Solutions' sales history: one vectorised pass over all deals, leads and activities.

The simulation works in business seconds (:mod:`strategy_kit.demo.timeline`) and returns
:class:`History`, plain numpy columns per table, sorted the way the CRM exports them, with
codes that index the registries of :mod:`strategy_kit.demo.company`. Writing files is
:mod:`strategy_kit.demo.exports`' job. The same seed and end give the same history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from strategy_kit.demo import company as co
from strategy_kit.demo.timeline import (
    BDAYS_PER_YEAR,
    DAY,
    Timeline,
    bday_from_calendar,
    calendar_day,
    months_of_days,
    to_calendar,
)

Columns = dict[str, np.ndarray]
NEVER = np.iinfo(np.int64).max // 4
HOUR = 3600

REP_WIN = np.array([r.win for r in co.REPS])
REP_CYCLE = np.array([r.cycle for r in co.REPS])
REP_SIZE = np.array([r.deal_size for r in co.REPS])
REP_SHARE = np.array([r.deal_share for r in co.REPS])
REP_ACTIVITY = np.array([r.activity for r in co.REPS])
REP_RESPONSE = np.array([r.response_hours for r in co.REPS])
REP_CONTACT = np.array([r.contact_rate for r in co.REPS])
REP_FOLLOWUPS = np.array([r.followups for r in co.REPS])
REP_CALLS = np.array([r.call_skill for r in co.REPS])
REP_CONVERSION = np.array([r.lead_conversion for r in co.REPS])
SOURCE_WIN = np.array([s.win for s in co.SOURCES] + [tuple(co.REPEAT_WIN)])
SOURCE_SHARE = np.array([s.share for s in co.SOURCES])
SOURCE_CONVERSION = np.array([s.lead_conversion for s in co.SOURCES])
SOURCE_RESPONSE = np.array([s.response for s in co.SOURCES])
SOURCE_FIRST_TOUCH = np.array([s.first_touch for s in co.SOURCES])
REPEAT_SOURCE = len(co.SOURCES)
COLD_SOURCES = [i for i, s in enumerate(co.SOURCES) if s.name in co.COLD_SOURCES]
LOST_PRICE, LOST_COMPETITOR, LOST_BUDGET, LOST_NO_ANSWER = (
    co.LOST_REASONS.index(r) for r in ("Prix", "Concurrent", "Pas de budget", "Pas de réponse")
)
PRODUCT_WIN = np.array([p.win for p in co.PRODUCTS])
PRODUCT_CYCLE = np.array([p.cycle_days for p in co.PRODUCTS])
PRODUCT_MONTHLY = np.array([p.monthly_price for p in co.PRODUCTS])
PRODUCT_SETUP = np.array([p.setup_fee for p in co.PRODUCTS])
PRODUCT_PRICE = np.array([p.price for p in co.PRODUCTS])
PRODUCT_DEPOSIT = np.array([p.deposit_share for p in co.PRODUCTS])
PRODUCT_BILLING = np.array([("monthly", "annual", "instalments").index(p.billing) for p in co.PRODUCTS])
MONTHLY, ANNUAL, INSTALMENTS = 0, 1, 2
OPEN, WON, LOST = 0, 1, 2
WON_STAGE = len(co.STAGE_IDS) - 1
CALL, EMAIL, MEETING, LINKEDIN = range(len(co.ACTIVITY_TYPES))
OUTCOME_OFFSET = np.cumsum([0] + [len(co.OUTCOMES[t]) for t in co.ACTIVITY_TYPES])[:-1]
# Invoice line kinds.
SETUP, SUBSCRIPTION_MONTH, SUBSCRIPTION_YEAR, DEPOSIT, BALANCE = range(5)


@dataclass
class History:
    """The generated tables, sorted by id, as numpy columns (codes index the company registries)."""

    timeline: Timeline
    accounts: Columns
    deals: Columns
    stage_history: Columns
    leads: Columns
    activities: Columns
    invoices: Columns
    events: Columns = field(default_factory=dict)  # account events (strategy_kit.demo.outreach)


# ---------------------------------------------------------------- small helpers


def _choice_rows(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) matrix of probabilities (rows need not be normalised)."""
    cumulative = np.cumsum(probabilities, axis=1)
    draw = rng.random(len(probabilities)) * cumulative[:, -1]
    return np.minimum((draw[:, None] >= cumulative).sum(axis=1), probabilities.shape[1] - 1)


def _choice(rng: np.random.Generator, probabilities: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(len(probabilities), size=n, p=probabilities / probabilities.sum())


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, n: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(n))


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))


def _employees(rng: np.random.Generator, size: np.ndarray) -> np.ndarray:
    bounds = np.array(co.SIZE_EMPLOYEES, dtype=np.float64)
    low, high = bounds[size, 0], bounds[size, 1] + 1
    return np.minimum(np.floor(low * np.exp(rng.random(len(size)) * np.log(high / low))), high - 1).astype(np.int64)


def _reflect(values: np.ndarray, low: np.ndarray | int, high: int) -> np.ndarray:
    """Fold values that fall outside [low, high] back inside (no pile-up at the bounds)."""
    values = np.where(values < low, 2 * low - values, values)
    values = np.where(values > high, 2 * high - values, values)
    return np.clip(values, low, high).astype(np.int64)


def _rank(keys: np.ndarray) -> np.ndarray:
    """Position of each element once sorted by keys (stable): the inverse of argsort."""
    order = np.argsort(keys, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank


def _segments(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts per row: the row of each repeated item and its position 0..count-1 within its row."""
    rows = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return rows, np.arange(len(rows)) - np.repeat(starts, counts)


# ---------------------------------------------------------------- deals


def _rep_start(timeline: Timeline) -> np.ndarray:
    return np.array([timeline.calendar_days_before_end(r.joined_days_before_end) for r in co.REPS])


def _owners(rng: np.random.Generator, created: np.ndarray, rep_start: np.ndarray, history_start: int) -> np.ndarray:
    """Owners drawn by deal share; a deal created before its owner joined goes to a veteran."""
    owner = _choice(rng, REP_SHARE, len(created))
    veterans = np.where(rep_start <= history_start, REP_SHARE, 0.0)
    replacement = _choice(rng, veterans, len(created))
    return np.where(created >= rep_start[owner], owner, replacement)


def _new_business(
    rng: np.random.Generator, timeline: Timeline, n: int, rep_start: np.ndarray, first_account: int = 0
) -> Columns:
    """Deals with new customers (one new account each), created with the seasonality and growth."""
    bdays = timeline.bday_range()
    days = calendar_day(bdays)
    weight = co.MONTH_FACTOR[months_of_days(days) - 1] * (1 + co.GROWTH_PER_YEAR) ** timeline.years_since_start(
        bdays * DAY
    )
    created = rng.choice(bdays, size=n, p=weight / weight.sum()) * DAY + rng.integers(0, DAY, n)
    sector = _choice(rng, co.SECTOR_SHARE, n)
    size = _choice_rows(rng, co.SECTOR_SIZE_MIX[sector])
    return {
        "created": created,
        "owner": _owners(rng, created, rep_start, timeline.start_b),
        "sector": sector,
        "size": size,
        "employees": _employees(rng, size),
        "region": _choice(rng, co.REGION_SHARE, n),
        "source": _choice(rng, SOURCE_SHARE, n),
        "product": _choice_rows(rng, co.SIZE_PRODUCT_MIX[size]),
        "account": first_account + np.arange(n),
        "repeat": np.zeros(n, dtype=bool),
    }


def _stage_logits(timeline: Timeline, deals: Columns) -> np.ndarray:
    sector, size = deals["sector"], deals["size"]
    logits = (
        _logit(co.STAGE_PASS)[None, :]
        + REP_WIN[deals["owner"]]
        + SOURCE_WIN[deals["source"]]
        + co.SECTOR_WIN[sector]
        + co.SIZE_WIN[size]
        + PRODUCT_WIN[deals["product"]]
        + co.REGION_WIN[deals["region"]][:, None]
    )
    opportunity = (sector == co.OPPORTUNITY_SEGMENT[0]) & (size == co.OPPORTUNITY_SEGMENT[1])
    logits[opportunity] += co.OPPORTUNITY_WIN
    second = (sector == co.SECOND_OPPORTUNITY_SEGMENT[0]) & (size == co.SECOND_OPPORTUNITY_SEGMENT[1])
    logits[second] += co.SECOND_OPPORTUNITY_WIN
    saturated = (sector == co.SATURATED_SEGMENT[0]) & (size == co.SATURATED_SEGMENT[1])
    years = timeline.years_since_start(deals["created"][saturated])
    logits[saturated] += co.SATURATED_WIN
    logits[np.ix_(saturated, [3, 4, 5])] += (co.SATURATED_WIN_PER_YEAR * years)[:, None]
    return logits


def _deal_values(rng: np.random.Generator, deals: Columns) -> None:
    n = len(deals["created"])
    product, size = deals["product"], deals["size"]
    saturated = (deals["sector"] == co.SATURATED_SEGMENT[0]) & (size == co.SATURATED_SEGMENT[1])
    scale = (
        co.SIZE_VALUE[size]
        * REP_SIZE[deals["owner"]]
        * np.exp(0.35 * rng.standard_normal(n))
        * np.where(saturated, co.SATURATED_VALUE, 1.0)
        * np.where(deals["repeat"], 0.8, 1.0)
    )
    subscription = PRODUCT_BILLING[product] != INSTALMENTS
    monthly = np.where(subscription, np.maximum(np.round(PRODUCT_MONTHLY[product] * scale / 5) * 5, 50), 0)
    setup = np.where(subscription, np.round(PRODUCT_SETUP[product] * np.sqrt(co.SIZE_VALUE[size]) / 10) * 10, 0)
    one_off = np.maximum(np.round(PRODUCT_PRICE[product] * scale / 50) * 50, 500)
    deals["monthly"] = monthly.astype(np.int64)
    deals["setup"] = setup.astype(np.int64)
    deals["value"] = np.where(subscription, 12 * monthly + setup, one_off).astype(np.int64)


def _shift_won_closes(rng: np.random.Generator, won_at: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Summer and year-end habits: August signatures slip to September; early July and early
    January ones are pulled into the end of June and December."""
    bday = won_at // DAY
    day = calendar_day(bday)
    as_date = day.astype("datetime64[D]")
    month = months_of_days(day)
    day_of_month = (as_date - as_date.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    draw = rng.random(len(won_at))
    spread = rng.integers(0, 8, len(won_at))
    within = won_at % DAY
    september = (as_date.astype("datetime64[M]") + 1).astype("datetime64[D]").astype(np.int64)
    later = (bday_from_calendar(september) + spread) * DAY + within
    month_start = as_date.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    earlier = (bday_from_calendar(month_start) - 1 - spread) * DAY + within
    shifted = np.where((month == 8) & (draw < 0.7), later, won_at)
    pull = ((month == 7) | (month == 1)) & (day_of_month <= 25) & (draw < 0.55) & (earlier > floor + DAY)
    return np.where(pull, earlier, shifted)


def _simulate_pipeline(rng: np.random.Generator, timeline: Timeline, deals: Columns) -> None:
    """Move every deal through the stages; adds entered (n, 7), status, closed, stage, lost_reason..."""
    n = len(deals["created"])
    created = deals["created"]
    logits = _stage_logits(timeline, deals)
    cycle_days = (
        PRODUCT_CYCLE[deals["product"]]
        * REP_CYCLE[deals["owner"]]
        * co.SIZE_CYCLE[deals["size"]]
        * np.where(
            deals["sector"] == co.LENGTHENING_SECTOR,
            1 + co.LENGTHENING_PER_YEAR * timeline.years_since_start(created),
            1.0,
        )
        * np.where(deals["repeat"], co.REPEAT_CYCLE, 1.0)
    )
    cycle = cycle_days * 5 / 7 * DAY
    entered = np.full((n, len(co.STAGE_IDS)), -1, dtype=np.int64)
    entered[:, 0] = created
    alive = np.ones(n, dtype=bool)
    failed_at = np.full(n, co.TRANSITIONS)
    close = np.full(n, NEVER, dtype=np.int64)
    t = created.astype(np.float64)
    for k in range(co.TRANSITIONS):
        passed = rng.random(n) < 1 / (1 + np.exp(-logits[:, k]))
        duration = _lognormal(rng, cycle * co.STAGE_TIME_SHARE[k], 0.6, n)
        loss_delay = duration * rng.uniform(0.6, 1.6, n)
        failing = alive & ~passed
        failed_at[failing] = k
        close[failing] = (t + loss_delay)[failing].astype(np.int64)
        alive &= passed
        t = t + duration
        entered[alive, k + 1] = t[alive].astype(np.int64)
    won = failed_at == co.TRANSITIONS
    entered[won, WON_STAGE] = _shift_won_closes(rng, entered[won, WON_STAGE], entered[won, WON_STAGE - 1])
    close[won] = entered[won, WON_STAGE]
    stalled = ~won & (rng.random(n) < co.STALL_SHARE)
    close[stalled] = NEVER

    saturated = (deals["sector"] == co.SATURATED_SEGMENT[0]) & (deals["size"] == co.SATURATED_SEGMENT[1])
    reason_weights = co.LOST_REASON_BY_STAGE[np.minimum(failed_at, co.TRANSITIONS - 1)].copy()
    reason_weights[np.ix_(saturated, [LOST_PRICE, LOST_COMPETITOR])] *= 1.8
    reason_weights[deals["sector"] == co.BTP, LOST_BUDGET] *= 2.0
    reason_weights[np.isin(deals["source"], COLD_SOURCES), LOST_NO_ANSWER] *= 1.3
    reason = _choice_rows(rng, reason_weights)

    end_b = timeline.end_b
    closed_in_time = close <= end_b
    status = np.where(won & closed_in_time, WON, np.where(~won & closed_in_time, LOST, OPEN))
    entered[entered > end_b] = -1
    stage = (entered >= 0).sum(axis=1) - 1
    deals.update(
        entered=entered,
        status=status,
        closed=np.where(status == OPEN, -1, close),
        stage=stage,
        lost_reason=np.where(status == LOST, reason, -1),
        stalled=stalled,
        cycle=cycle,
        expected_close=created + cycle.astype(np.int64),
    )


def _repeat_business(rng: np.random.Generator, timeline: Timeline, first: Columns, n: int) -> Columns:
    """Further deals with customers, 20 to 400 business days after a win (fewer if too few wins)."""
    end_b = timeline.end_b
    eligible = np.flatnonzero((first["status"] == WON) & (first["closed"] <= end_b - 20 * DAY))
    if n == 0 or len(eligible) == 0:
        eligible = eligible[:0]
        n = 0
    weight = (end_b - first["closed"][eligible]).astype(np.float64)
    base = rng.choice(eligible, size=n, p=weight / weight.sum()) if n else eligible
    low = first["closed"][base] + 20 * DAY
    high = np.minimum(first["closed"][base] + 400 * DAY, end_b)
    created = (low + rng.random(n) * (high - low)).astype(np.int64)
    columns = {key: first[key][base] for key in ("owner", "sector", "size", "employees", "region", "account")}
    columns.update(
        created=created,
        source=np.full(n, REPEAT_SOURCE),
        product=_choice_rows(rng, co.UPSELL[first["product"][base]]) if n else base,
        repeat=np.ones(n, dtype=bool),
    )
    return columns


def _concat(parts: list[Columns]) -> Columns:
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


# ---------------------------------------------------------------- leads


def _leads(rng: np.random.Generator, timeline: Timeline, deals: Columns, n_new: int, rep_start: np.ndarray) -> Columns:
    """Leads behind new-business deals, and the many more that never became a deal."""
    owner, source = deals["owner"][:n_new], deals["source"][:n_new]
    created_deal = deals["created"][:n_new]
    has_lead = rng.random(n_new) < co.LEAD_SHARE
    response = _lognormal(rng, REP_RESPONSE[owner] * SOURCE_RESPONSE[source] * HOUR, 0.9, n_new)
    lag = _lognormal(rng, 6.0 * DAY, 0.7, n_new)
    lead_created = (created_deal - lag - response).astype(np.int64)
    floor = np.maximum(timeline.start_b, rep_start[owner])
    converted = np.flatnonzero(has_lead & (lead_created >= floor))

    rate = SOURCE_CONVERSION[source[converted]] * REP_CONVERSION[owner[converted]]
    spawned = rng.poisson(1 / rate - 1)
    template = np.repeat(converted, spawned)
    m = len(template)
    low = np.maximum(timeline.start_b, rep_start[owner[template]])
    others_created = _reflect(lead_created[template] + rng.normal(0, 15 * DAY, m), low, timeline.end_b)
    others_owner = owner[template]
    others_source = source[template]
    others_response = _lognormal(rng, REP_RESPONSE[others_owner] * SOURCE_RESPONSE[others_source] * HOUR, 0.9, m)
    others_first = (others_created + others_response).astype(np.int64)
    contacted = (rng.random(m) < REP_CONTACT[others_owner]) & (others_first <= timeline.end_b)
    others_sector = _choice(rng, co.PROSPECT_SECTOR_SHARE, m)
    others_size = _choice(rng, co.PROSPECT_SIZE_MIX, m)

    k = len(converted)
    return {
        "created": np.concatenate([lead_created[converted], others_created]),
        "owner": np.concatenate([owner[converted], others_owner]),
        "source": np.concatenate([source[converted], others_source]),
        "account": np.concatenate([deals["account"][converted], n_new + np.arange(m)]),  # then new prospects
        "sector": np.concatenate([deals["sector"][converted], others_sector]),
        "size": np.concatenate([deals["size"][converted], others_size]),
        "employees": np.concatenate([deals["employees"][converted], _employees(rng, others_size)]),
        "region": np.concatenate([deals["region"][converted], _choice(rng, co.REGION_SHARE, m)]),
        "deal": np.concatenate([converted, np.full(m, -1)]),
        "converted": np.concatenate([created_deal[converted], np.full(m, -1)]),
        "first_contact": np.concatenate(
            [(created_deal - lag)[converted].astype(np.int64), np.where(contacted, others_first, -1)]
        ),
        "is_converted": np.concatenate([np.ones(k, dtype=bool), np.zeros(m, dtype=bool)]),
    }


# ---------------------------------------------------------------- accounts and churn

_NAME_FORMS = len(co.NAME_FORMS)
_NAME_SPACE = len(co.NAME_PREFIXES[0]) * len(co.NAME_ROOTS) * _NAME_FORMS  # names per sector


def _company_name_codes(rng: np.random.Generator, sector: np.ndarray) -> np.ndarray:
    """A distinct name code per account; :func:`company_names` turns codes into names."""
    code = np.empty(len(sector), dtype=np.int64)
    for s in range(len(co.SECTORS)):
        members = np.flatnonzero(sector == s)
        copies = max(-(-len(members) // _NAME_SPACE), 1)
        draw = rng.choice(_NAME_SPACE * copies, size=len(members), replace=False)
        copy, within = np.divmod(draw, _NAME_SPACE)
        code[members] = (copy * len(co.SECTORS) + s) * _NAME_SPACE + within
    return code


def company_names(codes: np.ndarray) -> pa.Array:
    """Plausible French company names (sector word, family or place name, legal form) from codes.

    Codes beyond the names available per sector (enterprise scale) get a number: "... (2)".
    """
    rest, within = np.divmod(np.asarray(codes, dtype=np.int64), _NAME_SPACE)
    copy, sector = np.divmod(rest, len(co.SECTORS))
    prefix, rest = np.divmod(within, len(co.NAME_ROOTS) * _NAME_FORMS)
    root, form = np.divmod(rest, _NAME_FORMS)
    prefixes = pa.array([p for sector_prefixes in co.NAME_PREFIXES for p in sector_prefixes])
    names = pc.binary_join_element_wise(
        prefixes.take(pa.array(sector * len(co.NAME_PREFIXES[0]) + prefix)),
        pa.array(co.NAME_ROOTS).take(pa.array(root)),
        " ",
    )
    names = pc.binary_join_element_wise(names, pa.array(co.NAME_FORMS).take(pa.array(form)), "")
    if copy.any():
        number = pc.binary_join_element_wise(" (", pc.cast(pa.array(copy + 1), pa.string()), ")", "")
        names = pc.binary_join_element_wise(names, pc.if_else(pa.array(copy > 0), number, ""), "")
    return names


def _churn(rng: np.random.Generator, timeline: Timeline, deals: Columns, accounts: Columns) -> None:
    n_accounts = len(accounts["sector"])
    last_event = np.full(n_accounts, -1, dtype=np.int64)
    event = np.where(deals["status"] == OPEN, NEVER, deals["closed"])
    np.maximum.at(last_event, deals["account"], event)
    subscriber = np.zeros(n_accounts, dtype=bool)
    subscriber[deals["account"][(deals["status"] == WON) & (PRODUCT_BILLING[deals["product"]] != INSTALMENTS)]] = True
    saturated = (accounts["sector"] == co.SATURATED_SEGMENT[0]) & (accounts["size"] == co.SATURATED_SEGMENT[1])
    hazard = np.where(accounts["size"] == 0, 2.0, 1.0) * np.where(saturated, 1.8, 1.0)
    lifetime = rng.exponential(co.CHURN_MEAN_YEARS * BDAYS_PER_YEAR * DAY, n_accounts) / hazard
    churn_at = np.where(last_event < NEVER, last_event + 60 * DAY + lifetime.astype(np.int64), NEVER)
    churned = subscriber & (churn_at <= timeline.end_b)

    leaving = np.flatnonzero(churned)
    other = np.tile(co.CHURN_OTHER_MIX, (len(leaving), 1))
    other[accounts["size"][leaving] <= 1, 2] *= 2.0
    other[saturated[leaving], 1] *= 1.5
    reason = np.full(n_accounts, -1)
    reason[leaving] = np.where(rng.random(len(leaving)) < co.CHURN_TRUST_SHARE, 0, 1 + _choice_rows(rng, other))
    accounts["churned"] = np.where(churned, churn_at, -1)
    accounts["churn_reason"] = reason


# ---------------------------------------------------------------- activities


def _call_outcomes(rng: np.random.Generator, at: np.ndarray, owner: np.ndarray, early: np.ndarray) -> np.ndarray:
    bday, within = np.divmod(at, DAY)
    hour_index = np.minimum(within // HOUR, len(co.CALL_HOURS) - 1)
    reached = rng.random(len(at)) < co.call_connect_table()[bday % 5, hour_index] * REP_CALLS[owner]
    booked = np.where(early, 0.30, 0.10)
    draw = rng.random(len(at))
    when_reached = np.where(draw < booked, 1, np.where(draw < booked + 0.25, 2, 0))
    when_missed = np.where(rng.random(len(at)) < 0.6, 3, 4)
    return np.where(reached, when_reached, when_missed)


def _bucket(draw: np.ndarray, thresholds: list[np.ndarray | float], codes: list[int]) -> np.ndarray:
    """codes[i] where draw falls below the i-th cumulative threshold (the last code otherwise)."""
    result = np.full(len(draw), codes[-1], dtype=np.int8)
    for threshold, code in reversed(list(zip(thresholds, codes))):
        result = np.where(draw < threshold, code, result).astype(np.int8)
    return result


def _outcomes(
    rng: np.random.Generator, kind: np.ndarray, at: np.ndarray, owner: np.ndarray, context: np.ndarray
) -> np.ndarray:
    """Outcome code (index into the flattened OUTCOMES) of each activity, drawn type by type."""
    outcome = np.zeros(len(kind), dtype=np.int8)
    for activity_type in range(len(co.ACTIVITY_TYPES)):
        rows = np.flatnonzero(kind == activity_type)
        ctx = context[rows]
        if activity_type == CALL:
            local = _call_outcomes(rng, at[rows], owner[rows], ctx <= 2)
        else:
            draw = rng.random(len(rows))
            if activity_type == EMAIL:
                bounced = np.where(ctx == 0, 0.03, 0.01)
                replied = bounced + np.where(ctx == 0, 0.10, 0.20 + 0.03 * np.maximum(ctx - 1, 0))
                local = _bucket(draw, [bounced, replied, replied + 0.45], [3, 2, 1, 0])
            elif activity_type == MEETING:
                local = _bucket(draw, [0.86, 0.95], [0, 1, 2])
            else:
                local = _bucket(draw, [0.38, 0.45], [1, 2, 0])
        outcome[rows] = OUTCOME_OFFSET[activity_type] + local
    return outcome


def _times(rng: np.random.Generator, kind: np.ndarray, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Times uniform in [start, stop]; calls keep the day but take an hour from the calling habits."""
    at = start + (rng.random(len(kind)) * np.maximum(stop - start, 0)).astype(np.int64)
    calls = np.flatnonzero(kind == CALL)
    hour = rng.choice(len(co.CALL_HOURS), size=len(calls), p=co.CALL_HOUR_WEIGHT / co.CALL_HOUR_WEIGHT.sum())
    at[calls] = (at[calls] // DAY) * DAY + hour * HOUR + rng.integers(0, HOUR, len(calls))
    return at


def _activity_part(
    at: np.ndarray,
    kind: np.ndarray | int,
    lead: np.ndarray | int,
    deal: np.ndarray | int,
    context: np.ndarray | int,
    routine: bool,
) -> Columns:
    n = len(at)
    return {
        "at": at.astype(np.int64),
        "kind": np.broadcast_to(np.asarray(kind, dtype=np.int8), n),
        "lead": np.broadcast_to(np.asarray(lead, dtype=np.int32), n),
        "deal": np.broadcast_to(np.asarray(deal, dtype=np.int32), n),
        "context": np.broadcast_to(np.asarray(context, dtype=np.int8), n),
        "routine": np.full(n, routine),
    }


def _activities(rng: np.random.Generator, timeline: Timeline, deals: Columns, leads: Columns, target: int) -> Columns:
    end_b = timeline.end_b
    # First contact of each lead.
    first = leads["first_contact"]
    contacted = np.flatnonzero((first >= 0) & (first <= end_b))
    first_kind = np.array([CALL, EMAIL, LINKEDIN])[_choice_rows(rng, SOURCE_FIRST_TOUCH[leads["source"][contacted]])]
    # Follow-ups on leads, before conversion (or within five weeks).
    horizon = np.where(leads["is_converted"], leads["converted"], np.minimum(first + 25 * DAY, end_b))
    followup_rate = np.where((first >= 0) & (horizon > first), REP_FOLLOWUPS[leads["owner"]], 0.0)

    # The meeting that moves a deal into the meeting stage.
    entered = deals["entered"]
    anchor = np.flatnonzero(entered[:, 2] >= 0)
    anchor_next = np.where(entered[anchor, 3] >= 0, entered[anchor, 3], np.minimum(entered[anchor, 2] + 2 * DAY, end_b))
    anchor_at = entered[anchor, 2] + (
        rng.random(len(anchor)) * np.minimum(anchor_next - entered[anchor, 2], 2 * DAY)
    ).astype(np.int64)

    # Routine activities in each open stage a deal went through.
    deal_idx, stage = np.nonzero(entered[:, : co.TRANSITIONS] >= 0)
    seg_start = entered[deal_idx, stage]
    closed = deals["closed"][deal_idx]
    current = deals["stage"][deal_idx] == stage
    seg_stop = np.where(
        entered[deal_idx, stage + 1] >= 0,
        entered[deal_idx, stage + 1],
        np.where(
            current & (closed >= 0),
            closed,
            np.where(current & deals["stalled"][deal_idx], np.minimum(seg_start + 10 * DAY, end_b), end_b),
        ),
    )
    del closed, current
    typical = deals["cycle"][deal_idx] * co.STAGE_TIME_SHARE[stage]
    length_factor = np.sqrt(np.clip((seg_stop - seg_start) / typical, 0.25, 4.0))
    del typical
    deal_rate = co.STAGE_ACTIVITY[stage] * (REP_ACTIVITY[deals["owner"][deal_idx]] * length_factor)[:, None]
    del length_factor

    fixed = len(contacted) + len(anchor)
    august_keep = 1 - (1 - co.AUGUST_ACTIVITY_KEEP) / 12
    scale = max(target - fixed, 0) / max((followup_rate.sum() + deal_rate.sum()) * august_keep, 1e-9)

    followups = rng.poisson(followup_rate * scale)
    fu_lead, _ = _segments(followups)
    fu_kind = _choice(rng, co.FOLLOWUP_MIX, len(fu_lead))
    fu_at = _times(rng, fu_kind, first[fu_lead], horizon[fu_lead])

    flat, _ = _segments(rng.poisson(deal_rate * scale).ravel())
    del deal_rate
    segment, da_kind = np.divmod(flat, len(co.ACTIVITY_TYPES))
    del flat
    da_at = _times(rng, da_kind, seg_start[segment], seg_stop[segment])

    parts = [
        _activity_part(first[contacted], first_kind, contacted, -1, 0, routine=False),
        _activity_part(fu_at, fu_kind, fu_lead, -1, 0, routine=True),
        _activity_part(anchor_at, MEETING, -1, anchor, 3, routine=False),
        _activity_part(da_at, da_kind, -1, deal_idx[segment], stage[segment] + 1, routine=True),
    ]
    del fu_at, da_at, segment, da_kind
    acts = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    del parts
    np.minimum(acts["at"], end_b, out=acts["at"])
    on_lead = acts["lead"] >= 0
    acts["owner"] = np.where(
        on_lead, leads["owner"][np.maximum(acts["lead"], 0)], deals["owner"][np.maximum(acts["deal"], 0)]
    ).astype(np.int8)
    acts["account"] = np.where(
        on_lead, leads["account"][np.maximum(acts["lead"], 0)], deals["account"][np.maximum(acts["deal"], 0)]
    ).astype(np.int32)
    del on_lead
    acts["outcome"] = _outcomes(rng, acts["kind"], acts["at"], acts["owner"], acts["context"])
    anchors = slice(len(contacted) + len(fu_lead), len(contacted) + len(fu_lead) + len(anchor))
    acts["outcome"][anchors] = OUTCOME_OFFSET[MEETING]  # held

    bdays = timeline.bday_range()
    august_day = months_of_days(calendar_day(bdays)) == 8
    august = august_day[np.clip(acts["at"] // DAY - bdays[0], 0, len(bdays) - 1)]
    keep = ~(acts.pop("routine") & august & (rng.random(len(august)) > co.AUGUST_ACTIVITY_KEEP))
    del august
    return {key: value[keep] for key, value in acts.items()}


# ---------------------------------------------------------------- invoices


def _invoices(rng: np.random.Generator, timeline: Timeline, deals: Columns, accounts: Columns) -> Columns:
    end_day = timeline.end_day
    won = np.flatnonzero(deals["status"] == WON)
    won_day = calendar_day(deals["closed"][won] // DAY)
    product = deals["product"][won]
    billing = PRODUCT_BILLING[product]
    value = deals["value"][won]
    churned = accounts["churned"][deals["account"][won]]
    stop_day = np.where(churned >= 0, calendar_day(np.maximum(churned, 0) // DAY) - 1, end_day)
    stop_day = np.minimum(stop_day, end_day)
    n = len(won)

    subscription = billing != INSTALMENTS
    setup_day = won_day + rng.integers(5, 16, n)
    first_month = (won_day + 15).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) + 1
    stop_month = stop_day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    months = np.maximum(stop_month - first_month + 1, 0)
    periods = np.where(billing == MONTHLY, months, np.where(billing == ANNUAL, -(-months // 12), 0))
    periods = np.where(subscription, periods, 0)
    row, index = _segments(periods)
    step = np.where(billing[row] == MONTHLY, 1, 12)
    line_month = first_month[row] + index * step
    sub_day = line_month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    sub_amount = np.where(billing[row] == MONTHLY, 1, 12) * deals["monthly"][won][row]

    deposit_day = won_day + rng.integers(2, 7, n)
    delivery = np.where(product == 3, rng.integers(60, 151, n), rng.integers(25, 76, n))
    deposit = (np.round(value * PRODUCT_DEPOSIT[product] / 10) * 10).astype(np.int64)

    one_off = np.flatnonzero(~subscription)
    subs = np.flatnonzero(subscription)
    day = np.concatenate([setup_day[subs], sub_day, deposit_day[one_off], (won_day + delivery)[one_off]])
    deal = np.concatenate([won[subs], won[row], won[one_off], won[one_off]])
    amount = np.concatenate([deals["setup"][won][subs], sub_amount, deposit[one_off], (value - deposit)[one_off]])
    kind = np.concatenate(
        [
            np.full(len(subs), SETUP),
            np.where(billing[row] == MONTHLY, SUBSCRIPTION_MONTH, SUBSCRIPTION_YEAR),
            np.full(len(one_off), DEPOSIT),
            np.full(len(one_off), BALANCE),
        ]
    )
    month = np.concatenate([np.zeros(len(subs), np.int64), line_month, np.zeros(2 * len(one_off), np.int64)])
    keep = (day <= end_day) & (amount > 0)
    return {
        "day": day[keep],
        "deal": deal[keep],
        "amount_cents": amount[keep] * 100,
        "kind": kind[keep],
        "month": month[keep],
    }


# ---------------------------------------------------------------- assembly


def simulate(seed: int, end: date, deals: int, activities: int) -> History:
    """Generate the whole history (see the package docstring for the planted patterns)."""
    rng = np.random.default_rng(seed)
    timeline = Timeline(end)
    rep_start = _rep_start(timeline)
    n_repeat = int(round(deals * co.REPEAT_SHARE))
    n_new = deals - n_repeat

    first = _new_business(rng, timeline, n_new, rep_start)
    _deal_values(rng, first)
    _simulate_pipeline(rng, timeline, first)
    repeat = _repeat_business(rng, timeline, first, n_repeat)
    shortfall = n_repeat - len(repeat["created"])  # too few customers yet (tiny sizes)
    if shortfall:
        extra = _new_business(rng, timeline, shortfall, rep_start, first_account=n_new)
        _deal_values(rng, extra)
        _simulate_pipeline(rng, timeline, extra)
        first = _concat([first, extra])
        n_new += shortfall
    _deal_values(rng, repeat)
    _simulate_pipeline(rng, timeline, repeat)
    d = _concat([first, repeat])

    leads = _leads(rng, timeline, d, n_new, rep_start)
    n_prospects = len(leads["created"]) - int(leads["is_converted"].sum())
    prospects = ~leads["is_converted"]
    lead_of_deal = np.full(len(d["created"]), -1)
    lead_of_deal[leads["deal"][leads["is_converted"]]] = np.flatnonzero(leads["is_converted"])

    # Accounts: one per new-business deal, then one per unconverted lead.
    room = np.minimum(10 * DAY, d["created"][:n_new] - timeline.start_b)
    account_created = d["created"][:n_new] - (rng.random(n_new) * room).astype(np.int64)
    has_lead = lead_of_deal[:n_new] >= 0
    account_created = np.where(has_lead, leads["created"][np.maximum(lead_of_deal[:n_new], 0)], account_created)
    accounts = {
        "created": np.concatenate([account_created, leads["created"][prospects]]),
        "sector": np.concatenate([d["sector"][:n_new], leads["sector"][prospects]]),
        "size": np.concatenate([d["size"][:n_new], leads["size"][prospects]]),
        "employees": np.concatenate([d["employees"][:n_new], leads["employees"][prospects]]),
        "region": np.concatenate([d["region"][:n_new], leads["region"][prospects]]),
        "owner": np.concatenate([d["owner"][:n_new], leads["owner"][prospects]]),
    }
    assert len(accounts["created"]) == n_new + n_prospects
    _churn(rng, timeline, d, accounts)
    accounts["name_code"] = _company_name_codes(rng, accounts["sector"])
    acts = _activities(rng, timeline, d, leads, activities)
    for key in ("first_contact", "is_converted"):
        del leads[key]
    invoices = _invoices(rng, timeline, d, accounts)
    old_spelling = (
        (d["product"] == 0) & (timeline.years_since_start(d["created"]) < 1) & (rng.random(len(d["created"])) < 0.6)
    )
    history = _finalise(timeline, d, leads, lead_of_deal, accounts, acts, invoices, old_spelling)
    from strategy_kit.demo.outreach import add_outreach

    add_outreach(history, seed)
    return history


def _finalise(
    timeline: Timeline,
    d: Columns,
    leads: Columns,
    lead_of_deal: np.ndarray,
    accounts: Columns,
    acts: Columns,
    invoices: Columns,
    old_spelling: np.ndarray,
) -> History:
    """Sort every table the way the CRM numbers it (by creation time) and turn indices into ids.

    Columns are popped from the working tables as they are copied, to keep memory down at
    enterprise scale.
    """
    deal_rank = _rank(d["created"])
    lead_rank = _rank(leads["created"])
    account_rank = _rank(accounts["created"])

    def deal_id(index: np.ndarray) -> np.ndarray:
        return np.where(index >= 0, deal_rank[np.maximum(index, 0)] + 1, -1)

    def lead_id(index: np.ndarray) -> np.ndarray:
        return np.where(index >= 0, lead_rank[np.maximum(index, 0)] + 1, -1)

    order = np.argsort(acts["at"], kind="stable")
    activities = {
        "id": np.arange(1, len(order) + 1),
        "at": to_calendar(acts.pop("at")[order]),
        "outcome": acts.pop("outcome")[order],
        "owner": acts.pop("owner")[order],
        "deal": deal_id(acts.pop("deal")[order]).astype(np.int32),
        "lead": lead_id(acts.pop("lead")[order]).astype(np.int32),
        "account": account_rank[acts.pop("account")[order]].astype(np.int32),
        "subject": (acts.pop("context") * len(co.ACTIVITY_TYPES) + acts["kind"])[order],
        "kind": acts.pop("kind")[order],
    }
    del order

    inv_deal = deal_id(invoices.pop("deal"))
    order = np.lexsort((invoices["kind"], inv_deal, invoices["day"]))
    invoices_out = {key: invoices.pop(key)[order] for key in list(invoices)}
    invoices_out["deal"] = inv_deal[order]

    order = np.argsort(deal_rank)
    entered = d.pop("entered")[order]
    closed = d.pop("closed")[order]
    deals = {
        "id": np.arange(1, len(order) + 1),
        "account": account_rank[d.pop("account")[order]],
        "owner": d.pop("owner")[order],
        "product": d.pop("product")[order],
        "old_spelling": old_spelling[order],
        "source": d.pop("source")[order],
        "lead": lead_id(lead_of_deal[order]),
        "value": d.pop("value")[order],
        "created": to_calendar(d.pop("created")[order]),
        "closed": np.where(closed >= 0, to_calendar(np.maximum(closed, 0)), -1),
        "status": d.pop("status")[order],
        "stage": d.pop("stage")[order],
        "lost_reason": d.pop("lost_reason")[order],
        "expected_close": calendar_day(d.pop("expected_close")[order] // DAY),
    }
    d.clear()
    invoices_out["account"] = deals["account"][invoices_out["deal"] - 1]
    invoices_out["product"] = deals["product"][invoices_out["deal"] - 1]
    sh_deal, sh_stage = np.nonzero(entered >= 0)
    stage_history = {"deal": sh_deal + 1, "stage": sh_stage, "at": to_calendar(entered[sh_deal, sh_stage])}
    del entered

    order = np.argsort(lead_rank)
    converted = leads.pop("converted")[order]
    created = leads.pop("created")[order]
    leads_out = {
        "id": np.arange(1, len(order) + 1),
        "created": to_calendar(created),
        "owner": leads.pop("owner")[order],
        "source": leads.pop("source")[order],
        "account": account_rank[leads.pop("account")[order]],
        "sector": leads.pop("sector")[order],
        "employees": leads.pop("employees")[order],
        "region": leads.pop("region")[order],
        "converted": np.where(converted >= 0, to_calendar(np.maximum(converted, 0)), -1),
        "deal": deal_id(leads.pop("deal")[order]),
        "recent": created >= timeline.end_b - 20 * DAY,
    }
    leads.clear()

    order = np.argsort(account_rank)
    churned = accounts.pop("churned")[order]
    accounts_out = {
        "id": np.arange(1, len(order) + 1),
        "sector": accounts.pop("sector")[order],
        "size": accounts.pop("size")[order],
        "employees": accounts.pop("employees")[order],
        "region": accounts.pop("region")[order],
        "owner": accounts.pop("owner")[order],
        "created": to_calendar(accounts.pop("created")[order]),
        "churned": np.where(churned >= 0, calendar_day(np.maximum(churned, 0) // DAY), -1),
        "churn_reason": accounts.pop("churn_reason")[order],
        "name_code": accounts.pop("name_code")[order],
    }
    accounts.clear()
    return History(timeline, accounts_out, deals, stage_history, leads_out, activities, invoices_out)
