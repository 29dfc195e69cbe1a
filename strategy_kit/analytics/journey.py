"""The customer journey (METHOD.md section 1, "analysez le parcours client"): how deals move
through the client's ordered stages in a period, how long they stay, what reps do at each stage,
where and why deals are lost, and how all this differs by owner, source, product, segment and
region.

Pure computation: a :class:`~strategy_kit.data.SalesData` and a
:class:`~strategy_kit.periods.Period` in, stage ids, numbers and DataFrames out; no language, no
labels, no I/O (the results are in :mod:`~strategy_kit.analytics.journey_results`, the activities
per stage in :mod:`~strategy_kit.analytics.journey_activity`; :mod:`strategy_kit.narrative.journey`
writes them for a reader).
:class:`Journey` prepares once what every period needs (the stage entries of every deal, when
each stay ended, the stage of every activity), so a notebook asking for the funnel, the times and
the activity mix of a quarter does the heavy work once; the module-level functions
(:func:`funnel`, :func:`time_in_stage`...) are one-call shortcuts. It builds on the KPI engine's
preparation (:class:`strategy_kit.kpis.prepared.Prepared`: the deals, activities and stage history
as arrays, undated rows bounded by the deal's dated ones), so both read the history the same way;
``Journey(data, prepared=KpiEngine(data).prepared)`` shares one preparation between them.

Definitions (they agree with KPIS.md ``stage_conversion`` and ``time_in_stage_days``):

- **Entered a stage in P**: the deal's stage history has a row for the stage whose ``entered_at``
  is in P (a deal entering the same stage twice in P counts once, at its first entry; the same
  stage recorded twice in a row is one stay). Inferred history rows that carry a date (the first
  stage of a deal with no recorded row gets its ``created_at``, the last stage of a won deal its
  ``closed_at``) are used like recorded ones. An inferred row *without* a date (a stage passed
  without a recorded date, docs/data-model.md) is bounded by the deal's dated rows: entered not
  before its creation and its first dated entry into any earlier stage, not after its first
  dated entry into any later stage and its close. When both bounds fall in P it entered in P;
  when they straddle an edge of P it cannot be placed: it is left out of the funnel and counted
  per stage in the column ``undated`` (and in ``left_out``); when both fall outside P it did not
  enter in P. (The same rules as ``strategy_kit.kpis``.)
- **Outcome** of a deal at a stage, followed to the end of the data: it *moved on* (KPIS.md
  ``stage_conversion``'s numerator) when it was won or entered any later stage of the ordered
  list at or after that entry (an undated later row counts: it was inferred from the deal going
  further); it *reached the next stage* when its history has a row for the next stage of the list
  or it was won (the same as moving on once the import has completed the history, since a deal
  that skipped a stage is taken to have passed it). A deal that did not move on was *lost there*
  (status lost) or is *still there* (open).
- **Conversion** of a stage = moved on / entered (KPIS.md ``stage_conversion``); **next-step
  conversion** = reached the next stage / entered (HubSpot's "next step"); **cumulative
  conversion** of stage *i* = the product of the conversions of the stages before it: the share
  of the deals entering the first stage that get at least as far as stage *i* at the period's
  rates (HubSpot's "cumulative"; 100 % for the first stage); **drop-off** = 1 − conversion (lost
  there or still there). A rate whose denominator is empty is missing (NaN in tables, None in
  dataclass fields), shown as "–", never 0.
- **Time in a stage**: calendar days (date of leaving − date of entering) from entering the
  stage to the deal's next dated stage entry, over the stays that ended in P (KPIS.md
  ``time_in_stage_days``). A stay whose length is unknown is left out and counted: a dated stay
  followed by stages passed without a date (the time cannot be split between them), or a stay
  that began without a date and ended, at the latest, with a dated entry in P. Median, P75
  and P90 use numpy's default (linear) percentiles, so the median is the ordinary median. The
  **sales cycle** is ``closed_at − created_at`` in calendar days over the deals won in P
  (KPIS.md ``sales_cycle_days``). Both are compared with the previous period of the same length
  (:func:`previous_period`).
- **Activities at a stage**: an activity about a deal (``deal_id``) belongs to the stage the deal
  was in at the activity's time: its latest dated stage entry at or before ``at``. Activities
  before the deal's first dated entry, after it was closed, or during a stay followed by stages
  passed without a date are left out and counted. All directions count (an inbound call is part
  of the exchange at that stage). The activity mix of a stage in P covers the deals that entered
  it in P with a dated entry (an undated stay holds no activity), over their whole stay there.
- **Where deals are lost**: deals lost in P (status lost, ``closed_at`` in P) by the stage they
  were in when lost (their ``stage``, else their furthest stage in the history) and
  ``lost_reason``.
- **Breakdowns** (owner, source, product, segment, region): the groups of the KPI breakdowns by the
  same dimension (:mod:`strategy_kit.kpis.dimensions`, the one registry of breakdowns): the same
  values, the same segment names (``sector · size_band``) and the same missing group
  (``MISSING_GROUP``) for the deals lacking the value.
- **Cohorts**: deals created in a month; share won within 30, 60 and 90 days of creation. A
  month whose last deal's window ends after the last day of the data is incomplete for that
  horizon: its share is missing and flagged, not shown as a low rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import NoReturn

import numpy as np
import pandas as pd

from strategy_kit.analytics import journey_activity
from strategy_kit.analytics.journey_results import (
    BREAKDOWNS,
    COHORT_MONTHS,
    HORIZONS,
    MAX_STAGES,
    MIN_DEALS,
    NAT,
    SALES_CYCLE,
    UNKNOWN_STAGE,
    ActivityMix,
    Cohorts,
    Funnel,
    FunnelBreakdown,
    LostReasons,
    TimeInStage,
    bit_range,
    categorical,
    day_number,
    in_period,
    left_out_counts,
    period_bounds,
    previous_period,
    ratio,
    speed_trend,
)
from strategy_kit.availability import require_deal_column, require_deals, require_table
from strategy_kit.data import SalesData
from strategy_kit.errors import ConfigError, UnavailableError
from strategy_kit.kpis.dimensions import DIMENSIONS, MISSING_GROUP
from strategy_kit.kpis.prepared import Prepared
from strategy_kit.periods import Period


class Journey:
    """The stage history of a client's deals, prepared once and analysed per period.

    Raises :class:`~strategy_kit.errors.UnavailableError` when the client has no stage history
    (the import builds one for every client, so this only happens with hand-made data).
    """

    def __init__(self, data: SalesData, prepared: Prepared | None = None):
        """``prepared``: the KPI engine's preparation of the same data (``KpiEngine(data).prepared``),
        so that a notebook computing both the KPIs and the journey converts the tables once."""
        if prepared is not None and prepared.data is not data:
            raise ValueError(
                "Journey(data, prepared=...) needs the preparation of that same data, e.g. KpiEngine(data).prepared"
            )
        require_deals(data)
        if not data.has("stage_history"):
            raise UnavailableError("journey.unavailable.no_stage_history", client=data.config.client)
        self.data = data
        self.prepared = prepared if prepared is not None else Prepared(data)
        self.stage_ids: tuple[str, ...] = tuple(data.config.stage_ids)
        if len(self.stage_ids) > MAX_STAGES:
            raise ConfigError(
                f"client '{data.config.client}' has {len(self.stage_ids)} stages; the customer journey handles "
                f"at most {MAX_STAGES} (merge stages in client.yml)"
            )
        self.client_stages = tuple(data.config.stages)
        self._groups: dict[str, tuple[list[str], np.ndarray]] = {}  # breakdown -> (group names, group of every deal)
        self._prepare()

    @classmethod
    def or_unavailable(cls, data: SalesData, prepared: Prepared | None = None) -> Journey | UnavailableJourney:
        """The journey, or, for a client without deals or stage history, a stand-in whose every
        analysis raises the reason (each section of the notebook then says "not available")."""
        try:
            return cls(data, prepared)
        except UnavailableError as exc:
            return UnavailableJourney(exc)

    # ------------------------------------------------------------------ preparation

    def _prepare(self) -> None:
        """The stays of every deal, from the KPI engine's stage history (rows in path order per
        deal, the same stage twice in a row one stay, day bounds of the undated rows)."""
        deals, history = self.prepared.deals, self.prepared.recorded_history
        count, stages = deals.count, len(self.stage_ids)
        self.won, self.lost = deals.won, deals.lost
        self.open = ~(deals.won | deals.lost)
        self.created, self.closed = deals.created_ns, deals.closed_ns
        self.history_left_out = left_out_counts(unknown_deal=history.unknown_deal, unknown_stage=history.unknown_stage)
        # reached[d, r]: deal d has a history row for stage r (dated or not); later[d, r]: the latest
        # time it entered any stage after r (an undated row counts as "any time"; never: NAT).
        self.reached, self.later = history.reached, history.later
        self.furthest = np.where(self.reached.any(axis=1), stages - 1 - np.argmax(self.reached[:, ::-1], axis=1), -1)
        rank, dated = history.stage.astype(np.int64), history.dated
        self.undated_deal, self.undated_rank = history.deal[~dated], rank[~dated]
        self.undated_low, self.undated_high = history.low[~dated], history.high[~dated]
        assert history.first_later is not None, "stage_history() always sets first_later"
        self.undated_exit = history.first_later[~dated]  # where a stay that began undated ended at the latest
        undated_bits = np.zeros(count, dtype=np.uint64)  # per deal, one bit per stage with an undated row
        np.bitwise_or.at(
            undated_bits, self.undated_deal, np.left_shift(np.uint64(1), self.undated_rank.astype(np.uint64))
        )

        # Dated entries in time order per deal; each stay ends at the deal's next dated entry.
        deal, rank, entered = history.deal[dated], rank[dated], history.ns[dated]
        repeated = np.zeros(len(deal), dtype=bool)  # the same stage entered again in a row: one stay
        repeated[1:] = (deal[1:] == deal[:-1]) & (rank[1:] == rank[:-1])
        if repeated.any():
            deal, rank, entered = deal[~repeated], rank[~repeated], entered[~repeated]
        has_exit = np.zeros(len(deal), dtype=bool)
        has_exit[:-1] = deal[1:] == deal[:-1]
        exit_at = np.full(len(deal), NAT, dtype=np.int64)
        exit_rank = np.full(len(deal), -1, dtype=np.int64)
        exit_at[:-1][has_exit[:-1]] = entered[1:][has_exit[:-1]]
        exit_rank[:-1][has_exit[:-1]] = rank[1:][has_exit[:-1]]
        # A stay followed by stages passed without a date (undated rows of a stage between this one
        # and the next dated one, or after it when there is none) has no known end.
        low = rank + 1
        high = np.where(has_exit, exit_rank - 1, stages - 1)
        self.entry_deal, self.entry_rank, self.entry_at = deal, rank, entered
        self.exit_at, self.exit_rank = exit_at, exit_rank
        self.stay_known = (low > high) | ((undated_bits[deal] & bit_range(low, high)) == 0)
        self.entry_start = np.searchsorted(deal, np.arange(count))  # each deal's first entry
        self.entry_count = np.bincount(deal, minlength=count)

        # The stage a lost deal was lost at: its stage, else its furthest stage in the history.
        current = np.where(deals.stage < stages, deals.stage.astype(np.int64), -1)
        self.lost_rank = np.where(self.lost, np.where(current >= 0, current, self.furthest), -1)

        # The last stage is the "won" stage when every deal that reached it is won: nothing leaves it.
        reached_last = self.furthest == stages - 1
        self.won_stage: str | None = self.stage_ids[-1] if reached_last.any() and self.won[reached_last].all() else None

    @property
    def open_stages(self) -> tuple[str, ...]:
        """The stages a deal can leave for a later one: all but a final won stage."""
        return self.stage_ids[:-1] if self.won_stage else self.stage_ids

    @property
    def has_activities(self) -> bool:
        """Whether activities can be placed at stages (an activities table with deal_id)."""
        activities = self.data.tables.get("activities")
        return activities is not None and "deal_id" in activities.columns

    # ------------------------------------------------------------------ the period's cohort

    def cohort_entries(self, period: Period, dated_only: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(deal, rank, entry time) of the deals that entered a stage in ``period``, one per deal and
        stage (its first entry in the period): dated entries, then undated ones whose bounds lie
        within the period (entry time ``NAT + 1``: before anything)."""
        chosen = np.flatnonzero(in_period(self.entry_at, period))
        deal, rank, entered = self.entry_deal[chosen], self.entry_rank[chosen], self.entry_at[chosen]
        if not dated_only:
            placed = self._placed(period)[0]
            deal = np.concatenate([deal, self.undated_deal[placed]])
            rank = np.concatenate([rank, self.undated_rank[placed]])
            entered = np.concatenate([entered, np.full(int(placed.sum()), NAT + 1, dtype=np.int64)])
        _, first = np.unique(deal * len(self.stage_ids) + rank, return_index=True)
        return deal[first], rank[first], entered[first]

    def _placed(self, period: Period) -> tuple[np.ndarray, np.ndarray]:
        """Undated rows whose bounds lie within ``period`` (entered in it), and those whose bounds
        overlap its edges (may have entered in it: cannot be placed)."""
        start, end = (
            day_number(np.array([period_bounds(period)[0]]))[0],
            day_number(np.array([period_bounds(period)[1]]))[0] - 1,
        )
        low, high = self.undated_low, self.undated_high
        within = (low >= start) & (high <= end) & (low <= high)
        overlaps = (low <= end) & (high >= start)
        return within, overlaps & ~within

    def outcomes(self, deal: np.ndarray, rank: np.ndarray, entered: np.ndarray) -> dict[str, np.ndarray]:
        advanced = self.won[deal] | (self.later[deal, rank] >= entered)
        last = len(self.stage_ids) - 1
        next_row = (rank < last) & self.reached[deal, np.minimum(rank + 1, last)]
        return {
            "reached_next": self.won[deal] | next_row,
            "advanced": advanced,
            "won": self.won[deal],
            "lost": self.lost[deal] & ~advanced,
            "still_open": self.open[deal] & ~advanced,
        }

    def _undated_in(self, period: Period) -> np.ndarray:
        """Per stage, undated entries that may have happened in ``period`` but cannot be placed."""
        return np.bincount(self.undated_rank[self._placed(period)[1]], minlength=len(self.stage_ids))

    # ------------------------------------------------------------------ funnel

    def funnel(self, period: Period) -> Funnel:
        deal, rank, entered_at = self.cohort_entries(period)
        outcome = self.outcomes(deal, rank, entered_at)
        stages = len(self.stage_ids)

        def count(selected: np.ndarray | None = None) -> np.ndarray:
            return np.bincount(rank[selected] if selected is not None else rank, minlength=stages)

        entered = count()
        table = pd.DataFrame({"stage": list(self.stage_ids), "entered": entered})
        for name in ("reached_next", "advanced", "won", "lost", "still_open"):
            table[name] = count(outcome[name])
        table["drop_off"] = table["entered"] - table["advanced"]
        table["undated"] = self._undated_in(period)
        table["next_step_conversion"] = ratio(table["reached_next"], entered)
        table["conversion"] = ratio(table["advanced"], entered)
        # cumulative: 1 for the first stage, then the product of the conversions before (NaN spreads)
        table["cumulative_conversion"] = np.cumprod(np.concatenate([[1.0], table["conversion"].to_numpy()[:-1]]))
        if not entered[0]:
            table["cumulative_conversion"] = np.nan
        table["drop_off_rate"] = ratio(table["drop_off"], entered)
        table["lost_rate"] = ratio(table["lost"], entered)
        return Funnel(
            period=period,
            table=table,
            deals=int(len(np.unique(deal))),
            left_out=left_out_counts(undated_stage_entry=table["undated"].sum()),
            client_stages=self.client_stages,
        )

    # ------------------------------------------------------------------ time in stage

    def _durations(self, period: Period) -> tuple[pd.DataFrame, np.ndarray, int]:
        """Days of the stays that ended in ``period`` (rank, days) plus the sales cycles of the deals
        won in it (rank = number of stages); per stage the stays of unknown length; won deals
        without a creation date."""
        ended = in_period(self.exit_at, period)
        known = ended & self.stay_known
        won = self.won & in_period(self.closed, period)
        dated = won & (self.created != NAT)
        durations = pd.DataFrame(
            {
                "rank": np.concatenate([self.entry_rank[known], np.full(int(dated.sum()), len(self.stage_ids))]),
                "days": np.concatenate(
                    [
                        day_number(self.exit_at[known]) - day_number(self.entry_at[known]),
                        day_number(self.closed[dated]) - day_number(self.created[dated]),
                    ]
                ).astype(float),
            }
        )
        # Unknown length: dated stays followed by undated stages, and stays that began undated and
        # ended (at the latest) with a dated entry in the period.
        unknown = np.bincount(self.entry_rank[ended & ~self.stay_known], minlength=len(self.stage_ids))
        unknown += np.bincount(self.undated_rank[in_period(self.undated_exit, period)], minlength=len(self.stage_ids))
        return durations, unknown, int((won & ~dated).sum())

    @staticmethod
    def _spread(durations: pd.DataFrame, ranks: list[int]) -> pd.DataFrame:
        """Per rank: count, median, P75, P90 (linear percentiles, numpy's default)."""
        grouped = durations.groupby("rank")["days"]
        spread = grouped.quantile([0.5, 0.75, 0.9]).unstack() if len(durations) else pd.DataFrame()
        spread = spread.reindex(index=ranks, columns=[0.5, 0.75, 0.9])
        spread.columns = ["median", "p75", "p90"]
        spread.insert(0, "deals", grouped.size().reindex(ranks, fill_value=0).astype(np.int64))
        return spread

    def time_in_stage(self, period: Period, previous: Period | None = None) -> TimeInStage:
        previous = previous or previous_period(period)
        ranks = [*range(len(self.open_stages)), len(self.stage_ids)]  # open stages, then the sales cycle
        durations, unknown_stays, no_created = self._durations(period)
        current = self._spread(durations, ranks)
        before = self._spread(self._durations(previous)[0], ranks)
        table = pd.DataFrame(
            {
                "stage": [*self.open_stages, SALES_CYCLE],
                **{column: current[column].to_numpy() for column in ("deals", "median", "p75", "p90")},
                "left_out": [*unknown_stays[: len(self.open_stages)].tolist(), no_created],
                "previous_deals": before["deals"].to_numpy(),
                "previous_median": before["median"].to_numpy(),
            }
        )
        table["change"] = table["median"] - table["previous_median"]
        table["trend"] = [
            speed_trend(*row)
            for row in table[["median", "previous_median", "deals", "previous_deals"]].itertuples(  # one per stage
                index=False
            )
        ]
        # Won deals without a close date: whether they were won in the period is unknown.
        no_closed = int((self.won & (self.closed == NAT)).sum())
        return TimeInStage(
            period=period,
            previous=previous,
            table=table,
            left_out=left_out_counts(
                undated_stay=unknown_stays.sum(), no_created_at=no_created, no_closed_at=no_closed
            ),
            client_stages=self.client_stages,
        )

    # ------------------------------------------------------------------ activities per stage

    @cached_property
    def activity_counts(self) -> journey_activity.ActivityCounts:
        """Every activity about a deal placed at the stage of its time (computed once)."""
        return journey_activity.place_activities(self)

    def activity_mix(self, period: Period) -> ActivityMix:
        return journey_activity.activity_mix(self, period)

    # ------------------------------------------------------------------ lost reasons

    def lost_reasons(self, period: Period) -> LostReasons:
        lost = self.lost & in_period(self.closed, period)
        deals = self.data.deals
        stage_ids = [*self.stage_ids, UNKNOWN_STAGE]
        rank = self.lost_rank[lost]
        rank = np.where(rank >= 0, rank, len(self.stage_ids))
        if "lost_reason" in deals.columns:
            reasons = categorical(deals["lost_reason"])
            names, reason = [*map(str, reasons.categories), None], reasons.codes[lost].astype(np.int64)
        else:
            names, reason = [None], np.full(int(lost.sum()), -1, dtype=np.int64)
        reason = np.where(reason >= 0, reason, len(names) - 1)
        pairs = np.bincount(rank * len(names) + reason, minlength=len(stage_ids) * len(names))
        pairs = pairs.reshape(len(stage_ids), len(names))
        stage_index, reason_index = np.nonzero(pairs)
        table = pd.DataFrame(
            {
                "stage": [stage_ids[i] for i in stage_index],
                "reason": pd.Series([names[j] for j in reason_index], dtype=object),
                "deals": pairs[stage_index, reason_index],
            }
        ).sort_values(["deals"], ascending=False, kind="stable")
        table = table.iloc[np.argsort(table["stage"].map(stage_ids.index).to_numpy(), kind="stable")]

        shown = [s for s in self.stage_ids if s != self.won_stage] + ([UNKNOWN_STAGE] if pairs[-1].any() else [])
        total = int(lost.sum())
        by_stage = pd.DataFrame({"stage": shown})
        by_stage["lost"] = [int(pairs[stage_ids.index(s)].sum()) for s in shown]
        by_stage["share_of_lost"] = ratio(by_stage["lost"], np.full(len(shown), total))
        by_stage["reasons"] = [
            list(zip(g["reason"], g["deals"].tolist())) for g in (table[table["stage"] == s] for s in shown)
        ]
        return LostReasons(
            period=period,
            table=table.reset_index(drop=True),
            by_stage=by_stage,
            total=total,
            left_out=left_out_counts(no_closed_at=(self.lost & (self.closed == NAT)).sum()),
            client_stages=self.client_stages,
        )

    # ------------------------------------------------------------------ breakdowns

    def breakdown(self, period: Period, dimension: str) -> FunnelBreakdown:
        """The funnel and win rate per group of ``dimension`` (one of :data:`BREAKDOWNS`), its groups
        being those of the KPI breakdowns by that dimension."""
        names, group = self._breakdown_groups(dimension)
        count, stages, opened = len(names), len(self.stage_ids), len(self.open_stages)

        deal, rank, entered_at = self.cohort_entries(period)
        advanced_rows = self.outcomes(deal, rank, entered_at)["advanced"]
        cells = group[deal] * stages + rank
        entered = np.bincount(cells, minlength=count * stages).reshape(count, stages)[:, :opened]
        advanced = np.bincount(cells, weights=advanced_rows, minlength=count * stages)
        advanced = advanced.reshape(count, stages)[:, :opened]
        with np.errstate(divide="ignore", invalid="ignore"):
            conversion = np.where(entered > 0, advanced / np.maximum(entered, 1), np.nan)
            team = advanced.sum(axis=0) / np.where(entered.sum(axis=0) > 0, entered.sum(axis=0), np.nan)
        # The weakest stage: the largest shortfall against the team among stages with enough deals.
        shortfall = np.where(entered >= MIN_DEALS, team[None, :] - conversion, np.nan)
        shortfall = np.where(np.isnan(shortfall), -np.inf, shortfall)
        weakest = np.argmax(shortfall, axis=1) if opened else np.zeros(count, dtype=np.int64)
        has_weakest = shortfall[np.arange(count), weakest] > 0 if opened else np.zeros(count, dtype=bool)

        closed_in = in_period(self.closed, period)
        won = np.bincount(group[self.won & closed_in], minlength=count)
        closed = won + np.bincount(group[self.lost & closed_in], minlength=count)
        deals = np.bincount(group[np.unique(deal)], minlength=count)
        table = pd.DataFrame(
            {
                "group": names,
                "deals": deals,
                "won": won,
                "closed": closed,
                "win_rate": ratio(won, closed),
                "weakest_stage": pd.Series(
                    [self.open_stages[w] if ok else None for w, ok in zip(weakest, has_weakest)], dtype=object
                ),
                "weakest_conversion": np.where(has_weakest, conversion[np.arange(count), weakest], np.nan),
                "team_conversion": np.where(has_weakest, team[weakest], np.nan),
            }
        )
        table = table[(table["deals"] > 0) | (table["closed"] > 0)]
        # Most deals first, then most closed; on a tie, by name with the missing group last.
        table = table.assign(missing=table["group"] == MISSING_GROUP)
        table = table.sort_values(
            ["deals", "closed", "missing", "group"], ascending=[False, False, True, True], kind="stable"
        ).drop(columns="missing")

        present = np.flatnonzero(entered.sum(axis=1) > 0)
        group_index, stage_index = np.nonzero(entered[present] > 0)
        per_stage = pd.DataFrame(
            {
                "group": [names[g] for g in present[group_index]],
                "stage": [self.open_stages[r] for r in stage_index],
                "entered": entered[present][group_index, stage_index],
                "advanced": advanced[present][group_index, stage_index].astype(np.int64),
                "conversion": conversion[present][group_index, stage_index],
            }
        )
        return FunnelBreakdown(
            period=period,
            dimension=dimension,
            table=table.reset_index(drop=True),
            stages=per_stage,
            stage_order=self.open_stages,
            client_stages=self.client_stages,
        )

    def _breakdown_groups(self, dimension: str) -> tuple[list[str], np.ndarray]:
        """The group names of ``dimension`` (the missing group last) and the group of every deal,
        read as the KPI engine reads them (``Prepared.labels``) after checking the data hold them."""
        if dimension not in BREAKDOWNS:
            raise KeyError(f"unknown breakdown '{dimension}'; choose among {', '.join(BREAKDOWNS)}")
        if dimension not in self._groups:
            definition = DIMENSIONS[dimension]
            if definition.table == "deals":
                require_deal_column(self.data, definition.column)
            else:
                accounts = require_table(self.data, "accounts")
                require_deal_column(self.data, "account_id")
                missing = [c for c in (definition.parts or (definition.column,)) if c not in accounts.columns]
                if missing:
                    raise UnavailableError(
                        "journey.unavailable.breakdown_columns",
                        labelled={"breakdown": f"journey.breakdown.name.{dimension}"},
                        columns=", ".join(f"accounts.{column}" for column in missing),
                        count=len(missing),
                        client=self.data.config.client,
                    )
            groups = self.prepared.labels("deals", dimension)
            names = [*groups.categories, MISSING_GROUP]
            self._groups[dimension] = (
                names,
                np.where(groups.codes >= 0, groups.codes, len(names) - 1).astype(np.int64),
            )
        return self._groups[dimension]

    # ------------------------------------------------------------------ cohorts

    def cohorts(self, period: Period, months: int = COHORT_MONTHS, horizons: Sequence[int] = HORIZONS) -> Cohorts:
        """The ``months`` months ending with the period's last month."""
        dated = self.created != NAT
        if len(dated) and not dated.any():  # every deal lacks created_at: no cohort, not cohorts of 0
            require_deal_column(self.data, "created_at")
        last_day = self.data.last_day()
        shown = pd.period_range(end=pd.Timestamp(period.end).to_period("M"), periods=months, freq="M")
        created = pd.DatetimeIndex(self.created[dated].view("datetime64[ns]"))
        month = np.full(len(self.created), -1, dtype=np.int64)
        month[dated] = (created.year - shown[0].year) * 12 + (created.month - shown[0].month)
        inside = (month >= 0) & (month < months)
        month = month[inside]
        deals = np.bincount(month, minlength=months)
        won = self.won[inside] & (self.closed[inside] != NAT)
        days_to_win = np.where(
            won, day_number(self.closed[inside]) - day_number(self.created[inside]), np.iinfo(np.int64).max
        )
        table = pd.DataFrame({"month": shown.to_timestamp(), "deals": deals})
        month_ends = (shown + 1).to_timestamp() - pd.Timedelta(days=1)
        for days in horizons:
            won_within = np.bincount(month, weights=days_to_win <= days, minlength=months)
            complete = (
                np.zeros(months, dtype=bool)
                if last_day is None
                else np.asarray(month_ends + pd.Timedelta(days=days) <= pd.Timestamp(last_day))
            )
            table[f"won_{days}d"] = np.where(complete, ratio(won_within, deals), np.nan)
            table[f"complete_{days}d"] = complete
        table["won_to_date"] = ratio(np.bincount(month, weights=self.won[inside], minlength=months), deals)
        return Cohorts(
            table=table,
            horizons=tuple(horizons),
            last_day=last_day,
            left_out=left_out_counts(
                no_created_at=(~dated).sum(), no_closed_at=(self.won & (self.closed == NAT)).sum()
            ),
        )


class UnavailableJourney:
    """The journey of a client that lacks what it needs: every analysis raises the reason."""

    has_activities = False

    def __init__(self, error: UnavailableError):
        self.error = error

    def _unavailable(self, *args: object, **kwargs: object) -> NoReturn:
        raise self.error

    funnel = time_in_stage = activity_mix = lost_reasons = breakdown = cohorts = _unavailable


# --------------------------------------------------------------------------- shortcuts


def funnel(data: SalesData, period: Period) -> Funnel:
    return Journey(data).funnel(period)


def time_in_stage(data: SalesData, period: Period) -> TimeInStage:
    return Journey(data).time_in_stage(period)


def activity_mix(data: SalesData, period: Period) -> ActivityMix:
    return Journey(data).activity_mix(period)


def lost_reasons(data: SalesData, period: Period) -> LostReasons:
    return Journey(data).lost_reasons(period)


def breakdown(data: SalesData, period: Period, dimension: str) -> FunnelBreakdown:
    return Journey(data).breakdown(period, dimension)


def cohorts(data: SalesData, period: Period) -> Cohorts:
    return Journey(data).cohorts(period)
