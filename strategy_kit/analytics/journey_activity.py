"""Activities at each stage of the customer journey (the definitions are in
:mod:`strategy_kit.analytics.journey`): every activity about a deal belongs to the stage the deal
was in at the activity's time; the mix of a stage in a period covers the deals that entered it in
the period with a dated entry, over their whole stay there."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from strategy_kit.analytics.journey_results import MIX_TYPES, NAT, OUTCOMES, ActivityMix, left_out_counts
from strategy_kit.availability import require_table
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis.prepared import OUTCOME_COUNT
from strategy_kit.periods import Period
from strategy_kit.schema import ACTIVITY_TYPES

if TYPE_CHECKING:
    from strategy_kit.analytics.journey import Journey


class ActivityCounts(NamedTuple):
    """The activities about deals, placed: ``keys`` (sorted ``(deal * stages + rank) * types + type``)
    and their ``counts``; the deal and reason code (1 after close, 2 before the first stage, 3 during
    a stay of unknown end) of every activity that could not be placed; the activity types present."""

    keys: np.ndarray
    counts: np.ndarray
    unplaced_deal: np.ndarray
    unplaced_reason: np.ndarray
    types: tuple[str, ...]


def place_activities(journey: Journey) -> ActivityCounts:
    """Every activity about a deal placed at the stage of its time, counted per (deal, stage, type)."""
    activities = require_table(journey.data, "activities")
    if "deal_id" not in activities.columns:
        raise UnavailableError("journey.unavailable.activities_without_deal", client=journey.data.config.client)
    stages, types = len(journey.stage_ids), len(MIX_TYPES)
    rows = journey.prepared.activity_rows()
    other = MIX_TYPES.index("other")
    mix_of = np.array([MIX_TYPES.index(t) if t in MIX_TYPES else other for t in ACTIVITY_TYPES] + [other])
    type_code = mix_of[rows.kind // (2 * OUTCOME_COUNT)]  # activity class -> type -> shown type
    present = tuple(MIX_TYPES[i] for i in np.flatnonzero(np.bincount(type_code, minlength=types)))
    deal, at = journey.prepared.activity_deals, rows.at_ns
    about_deal = (deal >= 0) & (at != NAT)
    deal, type_code, at = deal[about_deal], type_code[about_deal], at[about_deal]

    # The deal's latest dated entry at or before each activity. A deal's entries are contiguous
    # and in time order, so step through them: pass k looks at every activity's k-th entry and
    # keeps only the activities that may still have a later one (a few passes in all).
    position = np.full(len(deal), -1, dtype=np.int64)
    first, entries = journey.entry_start[deal], journey.entry_count[deal]
    active = np.flatnonzero(entries > 0)
    step = 0
    while active.size:
        candidate = first[active] + step
        started = journey.entry_at[candidate] <= at[active]
        position[active[started]] = candidate[started]
        active = active[started & (entries[active] > step + 1)]
        step += 1
    found = position >= 0
    closed = journey.closed[deal]
    after_close = (closed != NAT) & (at > closed)
    stay_unknown = (
        found & ~after_close & ~journey.stay_known[np.maximum(position, 0)]
        if len(journey.stay_known)
        else np.zeros(len(deal), dtype=bool)
    )
    placed = found & ~after_close & ~stay_unknown
    reason = np.select([after_close, ~found, stay_unknown], [1, 2, 3], default=0)

    keys = np.sort((deal[placed] * stages + journey.entry_rank[position[placed]]) * types + type_code[placed])
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else np.zeros(0, int)
    counts = np.diff(np.append(starts, len(keys)))
    return ActivityCounts(keys[starts], counts, deal[~placed], reason[~placed], present)


def activity_mix(journey: Journey, period: Period) -> ActivityMix:
    """What reps did at each stage for the deals that entered it in ``period`` (module docstring)."""
    keys, counts, unplaced_deal, unplaced_reason, present = journey.activity_counts
    stages, types = len(journey.stage_ids), len(MIX_TYPES)
    deal, rank, entered_at = journey.cohort_entries(period, dated_only=True)  # undated stays hold no activity
    kept = rank < len(journey.open_stages)
    deal, rank, entered_at = deal[kept], rank[kept], entered_at[kept]
    advanced = journey.outcomes(deal, rank, entered_at)["advanced"]

    # per_row[i, t]: activities of type t of cohort row i at its stage
    wanted = ((deal * stages + rank)[:, None] * types + np.arange(types)[None, :]).ravel()
    position = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    matched = (keys[position] == wanted) if len(keys) else np.zeros(len(wanted), dtype=bool)
    per_row = np.where(matched, counts[position] if len(counts) else 0, 0).reshape(-1, types)

    outcome = np.where(advanced, 0, 1)  # index in OUTCOMES
    open_count = len(journey.open_stages)

    def means(group: np.ndarray, groups: int) -> pd.DataFrame:
        deals = np.bincount(group, minlength=groups)
        sums = np.stack([np.bincount(group, weights=per_row[:, t], minlength=groups) for t in range(types)], 1)
        table = pd.DataFrame(sums / np.where(deals > 0, deals, np.nan)[:, None], columns=list(MIX_TYPES))
        table.insert(0, "activities", sums.sum(axis=1).astype(np.int64))
        table.insert(0, "deals", deals)
        table["total"] = table[list(MIX_TYPES)].sum(axis=1, min_count=1)
        return table

    per_stage = means(rank, open_count)
    per_stage.insert(0, "stage", list(journey.open_stages))
    by_outcome = means(rank * len(OUTCOMES) + outcome, open_count * len(OUTCOMES)).drop(columns="activities")
    by_outcome.insert(0, "outcome", list(OUTCOMES) * open_count)
    by_outcome.insert(0, "stage", [s for s in journey.open_stages for _ in OUTCOMES])

    involved = np.zeros(len(journey.data.deals), dtype=bool)
    involved[deal] = True
    reasons = np.bincount(unplaced_reason[involved[unplaced_deal]], minlength=4)
    return ActivityMix(
        period=period,
        per_stage=per_stage,
        by_outcome=by_outcome,
        types=present,
        left_out=left_out_counts(
            activity_after_close=reasons[1], activity_before_first_stage=reasons[2], activity_stage_unknown=reasons[3]
        ),
        client_stages=journey.client_stages,
    )
