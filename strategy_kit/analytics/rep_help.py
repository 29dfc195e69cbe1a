"""What would help a rep, from the rep's own numbers against the team's (the scorecards' three
lines; :mod:`strategy_kit.narrative.rep_targets` writes them).

Over the :data:`HELP_MONTHS` months ending on the scorecard's cut-off (:func:`help_window`):

- **Stage**: the stage where the rep's conversion falls furthest below the team's, among the stages
  the rep had at least :data:`~strategy_kit.analytics.journey_results.MIN_DEALS` deals enter
  (:meth:`strategy_kit.analytics.journey.Journey.breakdown` by owner: conversion = moved on /
  entered, the team being every deal).
- **Activity**: per won deal (deals won in the window), the activities of each type about the
  rep's won deals against the team's; the type where the rep does least compared with the team
  (the lowest ratio rep / team among types the team uses), when below :data:`ACTIVITY_GAP`.
- **Deal size**: the rep's average won deal against the team's (won value / deals won).

A rep with fewer than :data:`MIN_CLOSED` deals closed (won or lost) in the window gets no line:
``closed`` says how many there were, and the narrative says why there is no advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from strategy_kit.analytics.journey import Journey
from strategy_kit.config import Stage
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import Period, add_months

HELP_MONTHS = 12
MIN_CLOSED = 5  # deals closed in the window a rep needs before the scorecard compares them with the team
ACTIVITY_GAP = 0.9  # an activity type is named when the rep does less than 90 % of the team's per won deal


@dataclass(frozen=True)
class RepHelp:
    """One rep's figures against the team's over ``window`` (None where the data cannot say)."""

    owner: str
    window: Period
    closed: int  # deals the rep won or lost in the window
    won: int
    stage: str | None = None  # stage id where the rep's conversion is furthest below the team's
    stage_conversion: float | None = None
    team_stage_conversion: float | None = None
    activity: str | None = None  # activity type the rep uses least per won deal, against the team
    activity_per_won: float | None = None
    team_activity_per_won: float | None = None
    deal_size: float | None = None
    team_deal_size: float | None = None
    client_stages: tuple[Stage, ...] = ()

    @property
    def enough(self) -> bool:
        return self.closed >= MIN_CLOSED


def help_window(cutoff: date) -> Period:
    """The :data:`HELP_MONTHS` months ending on ``cutoff``."""
    start = add_months(cutoff + timedelta(days=1), -HELP_MONTHS)
    return Period(f"{HELP_MONTHS}m to {cutoff.isoformat()}", start, cutoff, "range")


def _won_in(deals: pd.DataFrame, window: Period) -> pd.DataFrame:
    closed = deals["closed_at"] if "closed_at" in deals.columns else pd.Series(pd.NaT, index=deals.index)
    inside = (closed >= pd.Timestamp(window.start)) & (closed < pd.Timestamp(window.end + timedelta(days=1)))
    return deals[inside]


def _per_won(activities: pd.DataFrame | None, won: pd.DataFrame, about: np.ndarray | None = None) -> pd.Series:
    """Activities of each type about the ``won`` deals, per won deal. ``activities``: their
    ``deal_id`` (as text, missing where none) and ``type``, from :func:`_activity_deals`;
    ``about``: which of them are about ``won`` when already known."""
    if activities is None or won.empty:
        return pd.Series(dtype=float)
    chosen = activities[_about(activities, won) if about is None else about]
    return chosen["type"].astype(str).value_counts() / len(won)


def _about(activities: pd.DataFrame, won: pd.DataFrame) -> np.ndarray:
    """Whether each activity is about one of the ``won`` deals."""
    return activities["deal_id"].isin(set(won["deal_id"].astype(str))).to_numpy()


class _DealKeys:
    """The activities' deal ids as integer codes, to find those about a set of deals quickly."""

    def __init__(self, activities: pd.DataFrame):
        self.codes, uniques = pd.factorize(activities["deal_id"])
        self.ids = pd.Index(uniques)

    def about(self, won: pd.DataFrame) -> np.ndarray:
        """Whether each activity is about one of the ``won`` deals (as :func:`_about`)."""
        found = self.ids.get_indexer(pd.unique(won["deal_id"].astype(str)))
        hit = np.zeros(len(self.ids) + 1, dtype=bool)  # the last one: a missing id (code -1)
        hit[found[found >= 0]] = True
        return hit[self.codes]


def _activity_deals(data: SalesData) -> pd.DataFrame | None:
    """The activities' ``deal_id`` as text (missing where none) and ``type``: the two columns
    :func:`_per_won` reads (None without activities or their deal_id)."""
    activities = data.tables.get("activities")
    if activities is None or "deal_id" not in activities.columns:
        return None
    ids = activities["deal_id"]
    if not isinstance(ids.dtype, pd.StringDtype):  # ids already text are kept as they are
        ids = ids.astype(object)
        ids = ids.where(ids.isna(), ids.astype(str))
    return pd.DataFrame({"deal_id": ids, "type": activities["type"]})


def _size(won: pd.DataFrame) -> float | None:
    if "value" not in won.columns or won.empty:
        return None
    values = pd.to_numeric(won["value"], errors="coerce")
    return float(values.sum() / values.notna().sum()) if values.notna().any() else None


def rep_help(
    data: SalesData, owners: tuple[str, ...] | list[str], cutoff: date, engine: KpiEngine | None = None
) -> dict[str, RepHelp]:
    """Each of ``owners``' :class:`RepHelp` over the :func:`help_window` ending on ``cutoff``.
    ``engine``: the notebook's KPI engine on the same data, whose prepared stage history the
    journey reuses."""
    window = help_window(cutoff)
    deals = data.tables.get("deals")
    if deals is None or "owner" not in deals.columns:
        return {}
    read = [c for c in deals.columns if c in ("deal_id", "owner", "status", "closed_at", "value")]
    deals = deals[read].assign(deal_id=deals["deal_id"].astype(str), owner=deals["owner"].astype(object))
    closed_in = _won_in(deals, window)
    won = closed_in[closed_in["status"].astype(str) == "won"]
    activities = _activity_deals(data)
    if activities is not None and not won.empty:  # each rep's won deals are among the team's
        activities = activities[_about(activities, won)]
    team_mix = _per_won(activities, won)
    keys = _DealKeys(activities) if activities is not None and not won.empty else None
    team_size = _size(won)
    prepared = engine.prepared if engine is not None and engine.data is data else None
    try:
        breakdown = Journey(data, prepared).breakdown(window, "owner")
        weakest = breakdown.table.set_index("group")
        stages = breakdown.client_stages
    except UnavailableError:  # no stage history or stages: no stage line
        weakest, stages = pd.DataFrame(), ()
    result = {}
    for owner in owners:
        mine = closed_in[closed_in["owner"] == owner]
        mine_won = won[won["owner"] == owner]
        fields: dict[str, object] = {}
        if owner in weakest.index and isinstance(weakest.loc[owner, "weakest_stage"], str):
            row = weakest.loc[owner]
            fields.update(
                stage=row["weakest_stage"],
                stage_conversion=float(row["weakest_conversion"]),
                team_stage_conversion=float(row["team_conversion"]),
            )
        mix = _per_won(activities, mine_won, keys.about(mine_won) if keys is not None and len(mine_won) else None)
        if len(mine_won) and len(team_mix):
            ratios = pd.Series({t: mix.get(t, 0.0) / team_mix[t] for t in team_mix.index if team_mix[t] > 0})
            if len(ratios) and ratios.min() < ACTIVITY_GAP:
                kind = str(ratios.sort_values(kind="stable").index[0])
                fields.update(
                    activity=kind,
                    activity_per_won=float(mix.get(kind, 0.0)),
                    team_activity_per_won=float(team_mix[kind]),
                )
        result[owner] = RepHelp(
            owner=owner,
            window=window,
            closed=int(len(mine)),
            won=int(len(mine_won)),
            deal_size=_size(mine_won),
            team_deal_size=team_size,
            client_stages=tuple(stages),
            **fields,  # type: ignore[arg-type]
        )
    return result
