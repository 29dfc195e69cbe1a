"""What every period shares, prepared once per client (lazily, only for the KPIs asked for).

Each table the KPIs read becomes NumPy arrays (day numbers, nanoseconds, codes), plus what is
computed once for the whole history: each activity's class (type × direction × outcome) and whether
it is a follow-up, each lead's first outbound activity, each account's first revenue, the stage
history in path order with date bounds for undated rows. A period is then a range of day numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import overload

import numpy as np
import pandas as pd

from strategy_kit.data import SalesData
from strategy_kit.kpis.arrays import (
    DAY_NS,
    HOUR_NS,
    INT64_MAX,
    MISSING_DAY,
    NO_TIME,
    Labels,
    category_index,
    day_numbers,
    encode,
    group_min,
    keys,
    link,
    nanoseconds,
)
from strategy_kit.kpis.dimensions import MISSING_GROUP, SEGMENT_SEPARATOR, WEEKDAYS, Dimension, dimensions_of
from strategy_kit.kpis.history import History, inferred_history, path
from strategy_kit.kpis.reasons import Unavailable
from strategy_kit.kpis.registry import CREATED_DEALS
from strategy_kit.schema import ACTIVITY_OUTCOMES, ACTIVITY_TYPES

# Every activity outcome of the data model, in a fixed order (activity classes index into it).
OUTCOMES: tuple[str, ...] = tuple(dict.fromkeys(o for outcomes in ACTIVITY_OUTCOMES.values() for o in outcomes))
TYPE_COUNT = len(ACTIVITY_TYPES) + 1  # the last one: missing or unknown type
OUTCOME_COUNT = len(OUTCOMES) + 1  # the last one: no outcome


def column(frame: pd.DataFrame | None, name: str) -> pd.Series | None:
    """``frame[name]`` when the table has that column with at least one value, else None."""
    if frame is None or name not in frame.columns:
        return None
    series = frame[name]
    return series if series.notna().any() else None


@dataclass
class DealRows:
    frame: pd.DataFrame
    created_ns: np.ndarray
    closed_ns: np.ndarray
    created: np.ndarray  # day numbers
    closed: np.ndarray
    won: np.ndarray
    lost: np.ndarray
    value: np.ndarray  # float, NaN where missing
    stage: np.ndarray  # rank of the current stage in the client's stages (their count: none or unknown)

    @property
    def count(self) -> int:
        return len(self.won)


@dataclass
class ActivityRows:
    frame: pd.DataFrame
    at_ns: np.ndarray
    day: np.ndarray
    kind: np.ndarray  # class = (type * 2 + outbound) * OUTCOME_COUNT + outcome
    outbound: np.ndarray

    @property
    def count(self) -> int:
        return len(self.day)


@dataclass
class ActivityKeys:
    """Each activity's deal and lead: the row in deals / leads (-1: none or unknown) and a
    grouping code (the row for a known id, further codes for ids the table lacks)."""

    deal_rows: np.ndarray
    deal_key: np.ndarray
    deal_count: int
    lead_rows: np.ndarray
    lead_key: np.ndarray
    lead_count: int


@dataclass
class LeadRows:
    frame: pd.DataFrame
    created_ns: np.ndarray
    created: np.ndarray

    @property
    def count(self) -> int:
        return len(self.created)


@dataclass
class RevenueEvents:
    """What counts as revenue: revenue lines (``source='revenue_lines'``) or won deals (``'won_deals'``)."""

    source: str
    day: np.ndarray
    amount: np.ndarray
    account: np.ndarray  # account code (-1: none)
    account_first_day: np.ndarray  # per account code: the day of its first revenue
    account_count: int
    deal_rows: np.ndarray | None  # won_deals: the deals row of each event
    ns: np.ndarray  # the time of each event (NO_TIME: none)

    @property
    def count(self) -> int:
        return len(self.day)

    def won_deal_rows(self) -> np.ndarray:
        """The deals row of each event, for revenue from won deals (``source='won_deals'``)."""
        assert self.deal_rows is not None, "revenue from won deals keeps the deals row of each event"
        return self.deal_rows


class Prepared:
    """The client's tables as arrays, each part built on first use and kept."""

    def __init__(self, data: SalesData):
        self.data = data
        self.config = data.config
        self.stage_ids = list(data.config.stage_ids)
        self._labels: dict[tuple[str, str], Labels | Unavailable] = {}
        self._columns: dict[tuple[str, str], pd.Series | None] = {}

    def table(self, name: str) -> pd.DataFrame | None:
        return self.data.tables.get(name)

    def deals_frame(self) -> pd.DataFrame:
        """The deals table; :class:`Unavailable` (``no deals table``) when the client has none."""
        frame = self.table("deals")
        if frame is None:
            raise Unavailable("no_table", table="deals")
        return frame

    def deal_ids(self) -> pd.Series | None:
        """The deals' ids, None without a deals table (every link to a deal then finds none)."""
        frame = self.table("deals")
        return frame["deal_id"] if frame is not None else None

    @overload
    def column(self, table: str, name: str) -> pd.Series | None: ...

    @overload
    def column(self, table: str, name: str, default: pd.Series) -> pd.Series: ...

    def column(self, table: str, name: str, default: pd.Series | None = None) -> pd.Series | None:
        """A column of a table when it has at least one value, else ``default`` (checked once)."""
        key = (table, name)
        if key not in self._columns:
            self._columns[key] = column(self.table(table), name)
        found = self._columns[key]
        return default if found is None else found

    # ------------------------------------------------------------------ deals

    @cached_property
    def deals(self) -> DealRows:
        frame = self.deals_frame()
        n = len(frame)
        created_ns = nanoseconds(self.column("deals", "created_at"), n)
        closed_ns = nanoseconds(self.column("deals", "closed_at"), n)
        status = category_index(Labels.of(frame["status"]), ("won", "lost"))
        value = self.column("deals", "value")
        stage = self.column("deals", "stage")
        return DealRows(
            frame=frame,
            created_ns=created_ns,
            closed_ns=closed_ns,
            created=day_numbers(created_ns),
            closed=day_numbers(closed_ns),
            won=status == 0,
            lost=status == 1,
            value=(
                pd.to_numeric(value, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
                if value is not None
                else np.full(n, np.nan)
            ),
            stage=(
                category_index(Labels.of(stage), self.stage_ids).astype(np.int16)
                if stage is not None
                else np.full(n, len(self.stage_ids), np.int16)
            ),
        )

    # ------------------------------------------------------------------ activities

    @cached_property
    def activities(self) -> ActivityRows | None:
        frame = self.table("activities")
        if frame is None:
            return None
        n = len(frame)
        at_ns = nanoseconds(self.column("activities", "at"), n)
        kind_type = category_index(Labels.of(frame["type"]), ACTIVITY_TYPES).astype(np.int16)
        direction = self.column("activities", "direction")
        outbound = (
            np.ones(n, dtype=bool) if direction is None else category_index(Labels.of(direction), ("inbound",)) != 0
        )  # missing: outbound
        outcome = self.column("activities", "outcome")
        outcome_index = (
            category_index(Labels.of(outcome), OUTCOMES).astype(np.int16)
            if outcome is not None
            else np.full(n, len(OUTCOMES), np.int16)
        )
        kind = (kind_type * 2 + outbound) * OUTCOME_COUNT + outcome_index
        return ActivityRows(frame, at_ns, day_numbers(at_ns), kind.astype(np.int16), outbound)

    def activity_rows(self) -> ActivityRows:
        """:attr:`activities` where the caller runs only for a client with an activities table."""
        rows = self.activities
        assert rows is not None, "activity rows are read only after checking the activities table exists"
        return rows

    @cached_property
    def activity_keys(self) -> ActivityKeys:
        """Deal and lead ids of activities, looked up in the deals' and leads' keys."""
        frame = self.activity_rows().frame
        empty = pd.Series([None] * len(frame), dtype="object")
        leads = self.table("leads")
        deal_ids = self.column("activities", "deal_id", empty)
        lead_ids = self.column("activities", "lead_id", empty)
        deal_target = self.deal_ids()
        lead_target = leads["lead_id"] if leads is not None else None
        # The two look-ups release the GIL: run them side by side.
        with ThreadPoolExecutor(max_workers=2) as pool:
            deal_job = pool.submit(link, deal_target, deal_ids) if deal_target is not None else None
            lead_job = pool.submit(link, lead_target, lead_ids) if lead_target is not None else None
            found_deals = deal_job.result() if deal_job is not None else None
            found_leads = lead_job.result() if lead_job is not None else None
        deal_rows, deal_key, deal_count = keys(deal_ids, deal_target, found_deals)
        lead_rows, lead_key, lead_count = keys(lead_ids, lead_target, found_leads)
        return ActivityKeys(deal_rows, deal_key, deal_count, lead_rows, lead_key, lead_count)

    @cached_property
    def activity_deals(self) -> np.ndarray:
        """The deals row of each activity (-1: none or unknown): ``activity_keys.deal_rows`` when
        already built, else only that look-up (not the leads')."""
        if "activity_keys" in self.__dict__:
            return self.activity_keys.deal_rows
        ids, target = self.column("activities", "deal_id"), self.deal_ids()
        if ids is None or target is None:
            return np.full(self.activity_rows().count, -1, dtype=np.int64)
        return link(target, ids)

    @cached_property
    def first_outbound(self) -> tuple[np.ndarray, np.ndarray]:
        """Per deal key and per lead key: the time of the first outbound activity (int64 max: none)."""
        activities, found = self.activity_rows(), self.activity_keys
        out = activities.outbound & (activities.at_ns != NO_TIME)
        result = []
        for codes, count in ((found.deal_key, found.deal_count), (found.lead_key, found.lead_count)):
            chosen = out & (codes >= 0)
            result.append(group_min(codes[chosen], activities.at_ns[chosen], count))
        return result[0], result[1]

    @cached_property
    def followups(self) -> np.ndarray:
        """Outbound activities on a lead or deal that already had an earlier outbound activity."""
        activities, found = self.activity_rows(), self.activity_keys
        first_on_deal, first_on_lead = self.first_outbound
        at = activities.at_ns
        # A code indexes its group's first time (an empty table of codes: every code is -1).
        later_on_deal = at > _lookup(first_on_deal, found.deal_key, INT64_MAX)
        later_on_lead = at > _lookup(first_on_lead, found.lead_key, INT64_MAX)
        return activities.outbound & (at != NO_TIME) & (later_on_deal | later_on_lead)

    @cached_property
    def lead_contacts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per lead row: time of its first outbound activity at or after its created_at (NO_TIME:
        none), its number of outbound activities (at any time), and whether it was contacted only
        before its created_at (outbound activities, none at or after it: no response to measure)."""
        found = self.activity_keys
        activities = self.activity_rows()
        lead_rows = self.lead_rows()
        leads = lead_rows.count
        out = activities.outbound & (activities.at_ns != NO_TIME) & (found.lead_rows >= 0)
        rows = found.lead_rows[out]
        at = activities.at_ns[out]
        created = lead_rows.created_ns
        after = at >= created[rows] if leads else np.zeros(0, dtype=bool)
        first = group_min(rows[after], at[after], leads)
        counts = np.bincount(rows, minlength=leads)
        only_before = (counts > 0) & (first == INT64_MAX)
        return np.where(first == INT64_MAX, NO_TIME, first), counts, only_before

    # ------------------------------------------------------------------ leads

    @cached_property
    def leads(self) -> LeadRows | None:
        frame = self.table("leads")
        if frame is None:
            return None
        created_ns = nanoseconds(self.column("leads", "created_at"), len(frame))
        return LeadRows(frame, created_ns, day_numbers(created_ns))

    def lead_rows(self) -> LeadRows:
        """:attr:`leads` where the caller runs only for a client with a leads table."""
        rows = self.leads
        assert rows is not None, "lead rows are read only after checking the leads table exists"
        return rows

    @cached_property
    def lead_became_deal(self) -> np.ndarray | None:
        """Per lead: it became a deal. From the lead's own deal_id or converted_at when the leads
        have either; else from the deals naming it (deals.lead_id); None when nothing links them."""
        own = [
            values.notna().to_numpy()
            for name in ("deal_id", "converted_at")
            if (values := self.column("leads", name)) is not None
        ]
        if own:
            return np.logical_or.reduce(own)
        deal_lead = self.column("deals", "lead_id")
        if deal_lead is None:
            return None
        lead_rows = self.lead_rows()
        rows = link(lead_rows.frame["lead_id"], deal_lead)
        became = np.zeros(lead_rows.count, dtype=bool)
        became[rows[rows >= 0]] = True
        return became

    # ------------------------------------------------------------------ revenue

    @cached_property
    def revenue(self) -> RevenueEvents:
        lines = self.table("revenue")
        if lines is not None:
            n = len(lines)
            ns = nanoseconds(self.column("revenue", "date"), n)
            amount = pd.to_numeric(lines["amount"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
            accounts = lines["account_id"] if "account_id" in lines.columns else pd.Series([None] * n, dtype="object")
            source, deal_rows = "revenue_lines", None
        else:
            deals = self.deals
            deal_rows = np.flatnonzero(deals.won)
            ns = deals.closed_ns[deal_rows]
            amount = deals.value[deal_rows]
            frame = self.deals_frame()
            accounts = (
                frame["account_id"].iloc[deal_rows]
                if "account_id" in frame.columns
                else pd.Series([None] * len(deal_rows), dtype="object")
            )
            source = "won_deals"
        day = day_numbers(ns)
        (account,) = encode(accounts) if len(accounts) else [np.zeros(0, dtype=np.int64)]
        account_count = int(account.max(initial=-1)) + 1
        dated = (day != MISSING_DAY) & (account >= 0)
        first_day = np.full(account_count, np.iinfo(np.int32).max, dtype=np.int64)
        np.minimum.at(first_day, account[dated], day[dated].astype(np.int64))
        return RevenueEvents(source, day, amount, account, first_day.astype(np.int32), account_count, deal_rows, ns)

    # ------------------------------------------------------------------ stage history

    @cached_property
    def history(self) -> History:
        frame = self.table("stage_history")
        if frame is not None and len(frame):
            return self.recorded_history
        width = len(self.stage_ids)
        return path(*inferred_history(self.deals, width), self.deals, width)

    @cached_property
    def recorded_history(self) -> History:
        """The rows of the stage_history table only (none when the client has no such table)."""
        width = len(self.stage_ids)
        frame = self.table("stage_history")
        if frame is None or not len(frame):
            empty = np.zeros(0, dtype=np.int64)
            return path(empty, empty, empty, np.zeros(0, dtype=bool), self.deals, width)
        deal = link(self.deals_frame()["deal_id"], frame["deal_id"])
        stage = category_index(Labels.of(frame["stage"]), self.stage_ids).astype(np.int64)
        ns = nanoseconds(self.column("stage_history", "entered_at"), len(frame))
        inferred = self.column("stage_history", "inferred")
        recorded = (
            ~inferred.fillna(False).astype(bool).to_numpy() if inferred is not None else np.ones(len(frame), dtype=bool)
        )
        keep = (deal >= 0) & (stage < width)
        history = path(deal[keep], stage[keep], ns[keep], recorded[keep], self.deals, width)
        history.unknown_deal = int((deal < 0).sum())
        history.unknown_stage = int(((deal >= 0) & (stage >= width)).sum())
        return history

    # ------------------------------------------------------------------ dimensions

    @cached_property
    def dimensions(self) -> dict[str, Dimension]:
        """Every dimension this client's tables name: standard, calendar and custom ones."""
        return dimensions_of(self.data.tables)

    def labels(self, rows: str, name: str) -> Labels:
        """The value of dimension ``name`` for each row of kind ``rows``; raises Unavailable."""
        key = (rows, name)
        if key not in self._labels:
            try:
                self._labels[key] = self._resolve(rows, self.dimensions[name])
            except Unavailable as reason:
                self._labels[key] = reason
        found = self._labels[key]
        if isinstance(found, Unavailable):
            raise found
        return found

    # The table holding each kind of rows' own columns (stage-history rows only have their deal).
    OWN_TABLE = {"deals": "deals", "activities": "activities", "leads": "leads", "revenue": "revenue"}

    def _own(self, rows: str, name: str) -> pd.Series | None:
        table = self.OWN_TABLE.get(rows)
        if table is None or (rows == "revenue" and self.revenue.source == "won_deals"):
            return None
        return self.column(table, name)

    def _resolve(self, rows: str, dimension: Dimension) -> Labels:
        if rows in ("activities", "leads") and self.table(rows) is None:
            raise Unavailable("no_table", table=rows)
        if dimension.calendar is not None:
            return _calendar_labels(self.row_times(rows), dimension.calendar)
        if rows == CREATED_DEALS:
            return self.labels("deals", dimension.name)
        if (
            dimension.custom
            and dimension.table not in ("deals", "accounts", "reps", "products")
            and rows not in dimension.own
        ):
            raise Unavailable("not_by_dimension", dimension=dimension.name)
        if dimension.parts:
            first, second = (self.labels(rows, part) for part in dimension.parts)
            return Labels.combine(first, second, SEGMENT_SEPARATOR, MISSING_GROUP)
        if rows == "revenue" and self.revenue.source == "won_deals":
            return self.labels("deals", dimension.name).take(self.revenue.won_deal_rows())
        own = self._own(rows, dimension.column) if rows in dimension.own else None
        if own is not None:
            return Labels.of(own)
        if dimension.table in ("reps", "products"):
            key = "owner" if dimension.table == "reps" else "product"
            table = self.table(dimension.table)
            if table is None:
                raise Unavailable("no_table", table=dimension.table)
            values = self.column(dimension.table, dimension.column)
            if values is None:
                raise Unavailable("no_column", column=dimension.column, table=dimension.table)
            mapping = {
                str(k): (str(v) if pd.notna(v) else None)
                for k, v in zip(table[key].astype("object"), values.astype("object"))
            }
            return self.labels(rows, key).map(mapping)
        if dimension.table == "deals":
            self.deals_frame()  # no deals table: no deal dimension
            if rows == "deals":
                raise Unavailable("no_column", column=dimension.column, table="deals")
            return self.labels("deals", dimension.name).take(self.deal_link(rows))
        if self.table("accounts") is None:
            raise Unavailable("no_table", table="accounts")
        values = self.column("accounts", dimension.column)
        if values is None:
            raise Unavailable("no_column", column=dimension.column, table="accounts")
        return Labels.of(values).take(self.account_link(rows))

    def row_times(self, rows: str) -> np.ndarray:
        """Each row's own date (nanoseconds, NO_TIME: none), the one calendar dimensions read: a
        deal's closed_at for the KPIs of deals closed in P (a deal without one, never counted by
        them, is placed by its created_at so that it forms no group of its own); a deal's
        created_at for the new and open deals (``deals_created``); an activity's at; a lead's
        created_at; a revenue event's date; a stage-history row's entered_at."""
        if rows == CREATED_DEALS:
            return self.deals.created_ns
        if rows == "deals":
            deals = self.deals
            return np.where(deals.closed_ns != NO_TIME, deals.closed_ns, deals.created_ns)
        if rows == "activities":
            if self.activities is None:
                raise Unavailable("no_table", table="activities")
            return self.activities.at_ns
        if rows == "leads":
            if self.leads is None:
                raise Unavailable("no_table", table="leads")
            return self.leads.created_ns
        if rows == "revenue":
            return self.revenue.ns
        return self.history.ns

    def deal_link(self, rows: str) -> np.ndarray:
        """The deals row of each row of kind ``rows`` (-1: none)."""
        if rows == "stage_history":
            return self.history.deal
        if rows == "activities":
            return self.activity_keys.deal_rows
        if rows == "revenue" and self.revenue.source == "won_deals":
            return self.revenue.won_deal_rows()

        def build() -> np.ndarray:
            ids = self._own(rows, "deal_id")
            if ids is None:
                raise Unavailable("no_column", column="deal_id", table=self.OWN_TABLE.get(rows, rows))
            return link(self.deals_frame()["deal_id"], ids)

        return self._cached_link(rows, "deal", build)

    def account_link(self, rows: str) -> np.ndarray:
        """The accounts row of each row of kind ``rows`` (-1: none): its own account, else its deal's."""

        def build() -> np.ndarray:
            accounts_table = self.table("accounts")
            assert accounts_table is not None, "account links are built only after checking the accounts table exists"
            accounts = accounts_table["account_id"]
            own_ids = self._own(rows, "account_id")
            own = link(accounts, own_ids) if own_ids is not None else None
            if rows == "deals":
                if own is None:
                    raise Unavailable("no_column", column="account_id", table="deals")
                return own
            try:
                deal = self.deal_link(rows)
                via_deal = np.where(deal >= 0, self.account_link("deals")[np.maximum(deal, 0)], -1)
            except Unavailable:
                if own is None:
                    raise
                return own
            return via_deal if own is None else np.where(own >= 0, own, via_deal)

        return self._cached_link(rows, "account", build)

    def _cached_link(self, rows: str, kind: str, build: Callable[[], np.ndarray]) -> np.ndarray:
        key = (rows, f"link:{kind}")
        if key not in self._labels:
            try:
                self._labels[key] = Labels(build(), ())
            except Unavailable as reason:
                self._labels[key] = reason
        found = self._labels[key]
        if isinstance(found, Unavailable):
            raise found
        return found.codes


def _calendar_labels(ns: np.ndarray, kind: str) -> Labels:
    """The weekday, hour or month of each timestamp (missing where there is none)."""
    dated = ns != NO_TIME
    if kind == "weekday":  # 1970-01-01 was a Thursday (index 3 from Monday)
        codes = np.where(dated, (np.floor_divide(ns, DAY_NS) + 3) % 7, -1)
        return Labels(codes.astype(np.int32), WEEKDAYS)
    if kind == "hour":
        codes = np.where(dated, np.floor_divide(ns, HOUR_NS) % 24, -1)
        return Labels(codes.astype(np.int32), tuple(f"{h:02d}" for h in range(24)))
    months = ns[dated].view("datetime64[ns]").astype("datetime64[M]").astype(np.int64)
    present, inverse = np.unique(months, return_inverse=True)
    codes = np.full(len(ns), -1, dtype=np.int32)
    codes[dated] = inverse.astype(np.int32)
    names = tuple(str(np.datetime64(int(m), "M")) for m in present)
    return Labels(codes, names)


def _lookup(values: np.ndarray, codes: np.ndarray, missing: int) -> np.ndarray:
    """``values[code]`` for each code, ``missing`` where the code is -1 (no group) or ``values`` is
    empty (the table the codes point into has no rows, or is absent)."""
    if not len(values):
        return np.full(len(codes), missing, dtype=values.dtype)
    return np.where(codes >= 0, values[np.maximum(codes, 0)], missing)
