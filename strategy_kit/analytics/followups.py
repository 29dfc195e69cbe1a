"""Follow-up exceptions (METHOD.md section 6, "automatisez vos processus de suivi"): what a rep
should do on Monday morning, from the client's own history, as of a day.

Pure computation: a :class:`~strategy_kit.data.SalesData`, an as-of day and the client's
:class:`~strategy_kit.config.FollowupSettings` in; numbers and DataFrames out (no language; the
narrative is :mod:`strategy_kit.narrative.followups`). The rules (docs/followups.md):

- ``sla_missed``: a lead created in the last ``lookback_days`` with no outbound activity at or
  after its ``created_at`` (the KPI ``lead_response_hours``'s first contact) by the as-of day,
  whose due day has passed: the ``sla_business_days``-th business day after the day it was created
  (a lead created on Friday evening or on Saturday is due on Monday with one business day).
- ``single_touch``: a lead with exactly one outbound activity by the as-of day, first contacted
  in the last ``lookback_days``, and no second one by ``follow_up_business_days`` business days
  after it.
- ``stale_deal``: an open deal whose last sign of life (the later of its last activity and its
  latest stage entry, else its creation) is more calendar days before the as-of day than its stage's limit: the P90 time in
  that stage over the stays that ended in the client's history up to the as-of day (the same
  computation as the customer journey's :meth:`~strategy_kit.analytics.journey.Journey.time_in_stage`
  and KPI ``time_in_stage_days``), unless ``stage_days`` sets it by hand, or ``default_stage_days``
  when fewer than ``min_stays`` stays ended there. Exactly at the limit is not late.
- ``no_next_step``: an open deal with no activity dated after the as-of day and no open task
  (type task, outcome open).
- ``close_date_passed``: an open deal whose ``expected_close_at`` is before the as-of day.
- ``close_date_pushed`` ("pushed more than twice") is never computed: the data model keeps one
  expected close date per deal, not its history, so how often it moved cannot be known.

Business days skip Saturdays, Sundays and, when ``country`` is set, its public holidays (the
``holidays`` package). Leads that became a deal by the as-of day are left to the deal rules. A
rule whose data the client lacks is unavailable (its reason kept), never 0 exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from strategy_kit.analytics.journey import Journey
from strategy_kit.availability import has_column, require_column
from strategy_kit.config import FollowupSettings
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis.arrays import INT64_MAX, NO_TIME, encode, link
from strategy_kit.periods import Period

KINDS = ("sla_missed", "single_touch", "stale_deal", "no_next_step", "close_date_passed", "close_date_pushed")
ACTIONS = {  # kind -> suggested action (a message key suffix of the narrative)
    "sla_missed": "call_new_lead",
    "single_touch": "follow_up_lead",
    "stale_deal": "revive_deal",
    "no_next_step": "plan_next_step",
    "close_date_passed": "update_close_date",
}
PRIORITY = {  # kind -> task priority in the CRM
    "sla_missed": "high",
    "single_touch": "normal",
    "stale_deal": "high",
    "no_next_step": "normal",
    "close_date_passed": "normal",
}
EXCEPTION_COLUMNS = (
    "kind",
    "record_type",
    "record_id",
    "deal_id",
    "lead_id",
    "account_id",
    "account",
    "contact",
    "owner",
    "stage",
    "amount",
    "due_date",
    "days_late",
    "limit_days",
    "action",
    "priority",
    "value_at_risk",
)
THRESHOLD_COLUMNS = ("stage", "stays", "p90_days", "limit_days", "source")


@dataclass(frozen=True)
class FollowupExceptions:
    """The follow-up exceptions of a client as of a day.

    ``exceptions``: one row per exception (:data:`EXCEPTION_COLUMNS`), ranked by value at risk
    (largest first; leads, which have no amount, after the deals), then days late;
    ``per_rep``: ``owner`` (None: no owner), one count column per rule evaluated, ``total``,
    ``value_at_risk`` (the amounts of the rep's distinct deals with an exception; NaN: none known);
    ``thresholds``: the idle limit of each open stage (:data:`THRESHOLD_COLUMNS`; ``source`` is
    ``learned``, ``set`` or ``default``); ``unavailable``: rule -> why it could not be checked.
    """

    as_of: date
    settings: FollowupSettings
    exceptions: pd.DataFrame
    per_rep: pd.DataFrame
    thresholds: pd.DataFrame
    unavailable: dict[str, UnavailableError] = field(default_factory=dict)

    @property
    def checked(self) -> tuple[str, ...]:
        """The rules evaluated (their absence of exceptions is a real 0)."""
        return tuple(kind for kind in KINDS if kind not in self.unavailable)

    def counts(self) -> dict[str, int | None]:
        """Exceptions per rule; None for a rule that could not be checked."""
        found = self.exceptions["kind"].value_counts()
        return {kind: (None if kind in self.unavailable else int(found.get(kind, 0))) for kind in KINDS}


# ---------------------------------------------------------------------- business days


class BusinessDays:
    """Monday to Friday, less the public holidays of ``country`` when given."""

    def __init__(self, country: str | None, first_year: int, last_year: int):
        days: list[date] = []
        if country:
            import holidays

            days = sorted(holidays.country_holidays(country, years=range(first_year, last_year + 1)))
        self.calendar = np.busdaycalendar(holidays=np.array(days, dtype="datetime64[D]"))

    def due(self, days: np.ndarray, offset: int) -> np.ndarray:
        """The ``offset``-th business day after each day (a day off counts from the business day
        before it: a lead created on Saturday with one business day is due on Monday)."""
        start = np.asarray(days, dtype="datetime64[D]")
        shifted = np.busday_offset(start, offset, roll="backward", busdaycal=self.calendar)
        return np.maximum(shifted, start)


# ---------------------------------------------------------------------- the rules


def _day(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def _is(values: pd.Series, value: str) -> np.ndarray:
    """Where ``values`` equals ``value`` (missing: False), compared as stored (no copy as objects)."""
    return values.eq(value).fillna(False).to_numpy(dtype=bool)


def _outbound(activities: pd.DataFrame) -> np.ndarray:
    if "direction" not in activities.columns:
        return np.ones(len(activities), dtype=bool)
    return ~_is(activities["direction"], "inbound")  # missing: outbound (as the KPIs)


def _isin(values: pd.Series, wanted: pd.Series) -> np.ndarray:
    """``values.isin(wanted)`` for text, looked up by Arrow (pandas makes a scalar of each wanted value)."""
    return link(wanted, values) >= 0


def _has(frame: pd.DataFrame | None, column: str) -> bool:
    return frame is not None and has_column(frame, column)


def _need(data: SalesData, table: str, *columns: str) -> pd.DataFrame:
    """``table``, or unavailable when it lacks one of ``columns`` or leaves it empty everywhere."""
    for column in columns:
        require_column(data, table, column)
    return data.require(table)


def _columns(frame: pd.DataFrame, *names: str) -> list[str]:
    """``names`` that ``frame`` has (what a rule reads, selected before a row filter)."""
    return [name for name in names if name in frame.columns]


def _objects(values: np.ndarray | list[object]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _strings(frame: pd.DataFrame, column: str) -> np.ndarray:
    """``str`` of each value of ``column``."""
    return _objects([str(value) for value in frame[column].to_numpy(dtype=object)])


def _texts(frame: pd.DataFrame, column: str) -> np.ndarray:
    """``str`` of each value of ``column``; None where missing or without the column."""
    if column not in frame.columns:
        return _objects([None] * len(frame))
    out = _strings(frame, column)
    out[frame[column].isna().to_numpy()] = None
    return out


def _values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The values of ``column`` as they are; None where missing or without the column."""
    if column not in frame.columns:
        return _objects([None] * len(frame))
    values = frame[column]
    out = _objects(values.to_numpy(dtype=object))
    out[values.isna().to_numpy()] = None
    return out


@dataclass(frozen=True)
class _Leads:
    """The leads not yet a deal by the as-of day: their ``rows`` in the leads table, ``created``
    (datetime64[ns]) and ``code`` (their id as an integer, -1: none); per code, their outbound
    ``touches`` by the as-of day and the ``first`` and ``last`` of them (int64 ns)."""

    rows: np.ndarray
    created: np.ndarray
    code: np.ndarray
    touches: np.ndarray
    first: np.ndarray
    last: np.ndarray


class _Rules:
    """Each rule returns its exceptions as a frame of :data:`EXCEPTION_COLUMNS` up to ``limit_days``
    (Python values: str or None, date, int, float), in the order of the records it reads."""

    def __init__(self, data: SalesData, as_of: date, settings: FollowupSettings):
        self.data, self.as_of, self.settings = data, as_of, settings
        self.as_of_day = np.datetime64(as_of, "D")
        self.end = pd.Timestamp(as_of + timedelta(days=1))  # "by the as-of day": before the next midnight
        first = data.first_day() or as_of
        self.business = BusinessDays(settings.country, min(first.year, as_of.year) - 1, as_of.year + 1)
        self._leads: _Leads | None = None
        self._deals: pd.DataFrame | None = None

    def accounts(self, account_ids: np.ndarray) -> np.ndarray:
        """The name of each account (its id when it has none; None without an account)."""
        wanted = {value for value in account_ids if value is not None}
        names: dict[str, str] = {}
        accounts = self.data.tables.get("accounts")
        if wanted and accounts is not None and "name" in accounts.columns:
            ids = accounts["account_id"].astype(str)
            named = ids.isin(list(wanted)).to_numpy() & accounts["name"].notna().to_numpy()
            names = dict(zip(ids[named], accounts["name"][named].astype(str)))  # a repeated id: its last name
        return _objects([None if value is None else names.get(value, value) for value in account_ids])

    def _frame(self, columns: dict[str, object], due: np.ndarray, days_late: np.ndarray, limit: object) -> pd.DataFrame:
        due = np.asarray(due, dtype="datetime64[D]")
        columns |= {
            "due_date": due.astype(object),  # datetime.date
            "days_late": _objects(list(days_late)),
            "limit_days": _objects(list(limit) if isinstance(limit, np.ndarray) else [limit] * len(due)),
        }
        return pd.DataFrame(columns, columns=list(EXCEPTION_COLUMNS[:14]), dtype=object)

    def _days_late(self, due: np.ndarray) -> np.ndarray:
        return (self.as_of_day - np.asarray(due, dtype="datetime64[D]")).astype(np.int64)

    # ------------------------------------------------------------------ leads

    def _lead_frames(self) -> _Leads:
        """The leads not yet a deal by the as-of day and their outbound touches by then."""
        if self._leads is None:
            leads = _need(self.data, "leads", "created_at")
            activities = _need(self.data, "activities", "lead_id", "at")
            keep = leads["created_at"].notna() & (leads["created_at"] < self.end)
            for column in ("converted_at", "deal_id"):  # became a deal by the as-of day: the deal rules' own
                if column in leads.columns:
                    became = leads[column].notna()
                    if column == "converted_at":
                        became = became & (leads[column] < self.end)
                    keep = keep & ~became
            rows = np.flatnonzero(keep)
            at = activities["at"]
            touched = _outbound(activities) & (activities["lead_id"].notna() & at.notna() & (at < self.end)).to_numpy()
            touches = activities.loc[touched, ["lead_id", "at"]]
            # the leads' ids as integer codes shared with the touches (-1: no id)
            lead_code, touch_code = encode(leads["lead_id"].take(rows).astype(str), touches["lead_id"].astype(str))
            # one code more than the ids: -1 (no id) reads it, never touched
            count = int(max(lead_code.max(initial=-1), touch_code.max(initial=-1))) + 2
            stamps = touches["at"].to_numpy(dtype="datetime64[ns]").view(np.int64)
            touch_count = np.bincount(touch_code, minlength=count)
            first, last = np.full(count, INT64_MAX), np.full(count, NO_TIME)
            np.minimum.at(first, touch_code, stamps)
            np.maximum.at(last, touch_code, stamps)
            created = leads["created_at"].take(rows).to_numpy(dtype="datetime64[ns]")
            self._leads = _Leads(rows, created, lead_code, touch_count, first, last)
        return self._leads

    def _lead_rows(self, rows: pd.Index, kind: str, due: np.ndarray, limit: int) -> pd.DataFrame:
        """The exceptions of the leads at ``rows`` of the leads table."""
        leads = self.data.require("leads")
        leads = leads[_columns(leads, "lead_id", "account_id", "owner")].take(np.asarray(rows))
        lead_ids = _strings(leads, "lead_id")
        n = len(leads)
        return self._frame(
            {
                "kind": kind,
                "record_type": "lead",
                "record_id": lead_ids,
                "deal_id": _objects([None] * n),
                "lead_id": lead_ids,
                "account_id": _texts(leads, "account_id"),
                "contact": lead_ids,
                "owner": _values(leads, "owner"),
                "stage": _objects([None] * n),
                "amount": _objects([np.nan] * n),
            },
            due,
            self._days_late(due),
            limit,
        )

    def sla_missed(self) -> pd.DataFrame:
        leads = self._lead_frames()
        window = np.datetime64(self.as_of - timedelta(days=self.settings.lookback_days), "ns")
        recent = leads.created >= window
        # contacted at or after the lead's creation (the KPI's rule): a touch of its id at or after the
        # earliest creation of the recent leads holding that id
        earliest = np.full(len(leads.touches), INT64_MAX)
        np.minimum.at(earliest, leads.code[recent], leads.created[recent].view(np.int64))
        waiting = recent & ~(leads.last >= earliest)[leads.code]
        due = self.business.due(leads.created[waiting].astype("datetime64[D]"), self.settings.sla_business_days)
        late = due < self.as_of_day
        return self._lead_rows(leads.rows[waiting][late], "sla_missed", due[late], self.settings.sla_business_days)

    def single_touch(self) -> pd.DataFrame:
        leads = self._lead_frames()
        window = np.datetime64(self.as_of - timedelta(days=self.settings.lookback_days), "ns").astype(np.int64)
        once = (leads.touches == 1) & (leads.first >= window)
        due = np.full(len(once), np.datetime64("NaT"), dtype="datetime64[D]")
        due[once] = self.business.due(
            leads.first[once].view("datetime64[ns]").astype("datetime64[D]"), self.settings.follow_up_business_days
        )
        late = once & (due < self.as_of_day)
        chosen = late[leads.code]
        days = due[leads.code[chosen]]
        return self._lead_rows(leads.rows[chosen], "single_touch", days, self.settings.follow_up_business_days)

    # ------------------------------------------------------------------ deals

    def _open_deals(self) -> pd.DataFrame:
        """The deals open by the as-of day (``deal_id``; index: their rows in the deals table)."""
        if self._deals is None:
            deals = self.data.deals
            keep = _is(deals["status"], "open")
            if _has(deals, "created_at"):
                keep = keep & (deals["created_at"].isna() | (deals["created_at"] < self.end)).to_numpy()
            self._deals = deals.loc[keep, ["deal_id"]].set_axis(np.flatnonzero(keep), axis=0)
        return self._deals

    def _deal_rows(
        self, rows: pd.Index, kind: str, due: np.ndarray, limit: object, days_late: np.ndarray | None = None
    ) -> pd.DataFrame:
        """The exceptions of the deals at ``rows`` of the deals table."""
        deals = self.data.deals
        deals = deals[_columns(deals, "deal_id", "lead_id", "account_id", "owner", "stage", "value")].take(
            np.asarray(rows)
        )
        deal_ids = _strings(deals, "deal_id")
        lead_ids = _texts(deals, "lead_id")
        amount = np.full(len(deals), np.nan)
        if "value" in deals.columns:
            amount = deals["value"].to_numpy(dtype="float64", na_value=np.nan)
        return self._frame(
            {
                "kind": kind,
                "record_type": "deal",
                "record_id": deal_ids,
                "deal_id": deal_ids,
                "lead_id": lead_ids,
                "account_id": _texts(deals, "account_id"),
                "contact": lead_ids,
                "owner": _values(deals, "owner"),
                "stage": _values(deals, "stage"),
                "amount": _objects(list(amount)),
            },
            due,
            self._days_late(due) if days_late is None else days_late,
            limit,
        )

    def _deal_activities(self) -> pd.DataFrame:
        return _need(self.data, "activities", "deal_id", "at")

    def thresholds(self) -> pd.DataFrame:
        """The idle limit of each open stage: set by hand, learned (P90 time in stage), or default."""
        settings, stage_ids = self.settings, self.data.config.stage_ids
        learned: dict[str, tuple[int, float]] = {}
        try:
            journey = Journey(self.data)
            stages = journey.open_stages
            history = Period("history", self.data.first_day() or self.as_of, self.as_of, "range")
            table = journey.time_in_stage(history).table.set_index("stage")
            learned = {s: (int(table.at[s, "deals"]), float(table.at[s, "p90"])) for s in stages if s in table.index}
        except UnavailableError:
            stages = tuple(stage_ids)
        rows = []
        for stage in stages:
            stays, p90 = learned.get(stage, (0, np.nan))
            if stage in settings.stage_days:
                limit, source = float(settings.stage_days[stage]), "set"
            elif stays >= settings.min_stays and not np.isnan(p90):
                limit, source = p90, "learned"
            else:
                limit, source = float(settings.default_stage_days), "default"
            rows.append((stage, stays, p90, limit, source))
        return pd.DataFrame(rows, columns=list(THRESHOLD_COLUMNS))

    def _latest(self, table: pd.DataFrame, column: str, deal_ids: pd.Series) -> np.ndarray:
        """The latest ``column`` before the as-of day's end of each of ``deal_ids`` (text), as
        datetime64[ns] (NaT: none)."""
        dated = (table["deal_id"].notna() & table[column].notna() & (table[column] < self.end)).to_numpy()
        rows = table.loc[dated, ["deal_id", column]]
        first = link(deal_ids, deal_ids)  # a repeated id reads the same dates as its first row
        found = link(deal_ids, rows["deal_id"].astype(str))
        stamps = rows[column].to_numpy(dtype="datetime64[ns]").view(np.int64)
        latest = np.full(len(deal_ids), NO_TIME, dtype=np.int64)  # NaT: below every time
        np.maximum.at(latest, found[found >= 0], stamps[found >= 0])
        return latest[first].view("datetime64[ns]")

    def stale_deal(self, thresholds: pd.DataFrame) -> pd.DataFrame:
        rows = self._open_deals().index.to_numpy()
        deals = self.data.deals
        activities = self._deal_activities()
        if "stage" not in deals.columns:
            return self._deal_rows(rows[:0], "stale_deal", np.array([], dtype="datetime64[D]"), None)
        # the stage's limit; none without a stage, or in one a deal does not wait in (a final won stage)
        limits = dict(zip(thresholds["stage"], thresholds["limit_days"]))
        codes, stages = pd.factorize(deals["stage"])
        of_stage = np.array([limits.get(stage, np.nan) for stage in stages] + [np.nan], dtype="float64")
        limit = of_stage[codes[rows]]  # code -1 (no stage): the last, NaN
        rows, limit = rows[~np.isnan(limit)], limit[~np.isnan(limit)]
        deal_ids = deals["deal_id"].take(rows).astype(str).reset_index(drop=True)
        # the later of its last activity and its latest stage entry (a move is a sign of life), else its creation
        since = self._latest(activities, "at", deal_ids)
        history = self.data.tables.get("stage_history")
        if _has(history, "entered_at"):
            assert history is not None
            since = np.fmax(since, self._latest(history, "entered_at", deal_ids))
        if "created_at" in deals.columns:
            created = deals["created_at"].take(rows).to_numpy(dtype="datetime64[ns]")
            since = np.where(np.isnat(since), created, since)
        dated = ~np.isnat(since)
        rows, limit, since = rows[dated], limit[dated], since[dated].astype("datetime64[D]")
        idle = (self.as_of_day - since).astype(np.int64)
        late = idle > limit  # exactly at the limit is not late
        rows, limit, since, idle = rows[late], limit[late], since[late], idle[late]
        due = since + np.floor(limit).astype(np.int64)
        days_late = [
            int(days - days_limit) if float(days_limit).is_integer() else round(days - days_limit, 1)
            for days, days_limit in zip(idle, limit)
        ]
        return self._deal_rows(rows, "stale_deal", due, _objects([float(v) for v in limit]), _objects(days_late))

    def no_next_step(self) -> pd.DataFrame:
        deals = self._open_deals()
        activities = self._deal_activities()
        later = (activities["at"] >= self.end).to_numpy()
        if "type" in activities.columns and "outcome" in activities.columns:
            later = later | _is(activities["type"], "task") & _is(activities["outcome"], "open")
        planned = activities.loc[later & activities["deal_id"].notna().to_numpy(), "deal_id"].astype(str)
        rows = deals.index[~_isin(deals["deal_id"].astype(str), planned)]
        due = np.full(len(rows), self.as_of_day)
        return self._deal_rows(rows, "no_next_step", due, None, np.zeros(len(rows), dtype=np.int64))

    def close_date_passed(self) -> pd.DataFrame:
        _need(self.data, "deals", "expected_close_at")
        rows = self._open_deals().index.to_numpy()
        expected = self.data.deals["expected_close_at"].take(rows)
        passed = (expected.notna() & (expected < pd.Timestamp(self.as_of))).to_numpy()
        due = expected[passed].dt.normalize().to_numpy().astype("datetime64[D]")
        return self._deal_rows(rows[passed], "close_date_passed", due, None)


def followup_exceptions(
    data: SalesData, as_of: date | None = None, settings: FollowupSettings | None = None
) -> FollowupExceptions:
    """The follow-up exceptions of ``data`` as of ``as_of`` (default: the data's last day,
    :meth:`SalesData.last_day`) under ``settings`` (default: the client's ``followups:``).

    :class:`UnavailableError` only when the data have no dated row at all (no as-of day)."""
    settings = settings or data.config.followups
    if as_of is None:
        as_of = data.last_day()
        if as_of is None:
            raise UnavailableError("unavailable.no_dated_data", client=data.config.client)
    rules = _Rules(data, as_of, settings)
    unavailable: dict[str, UnavailableError] = {
        "close_date_pushed": UnavailableError("followups.unavailable.no_close_date_history", client=data.config.client)
    }
    thresholds = pd.DataFrame(columns=list(THRESHOLD_COLUMNS))
    if data.has("deals"):  # without deals there is no stage to set a limit for
        thresholds = rules.thresholds()
    checks = {
        "sla_missed": rules.sla_missed,
        "single_touch": rules.single_touch,
        "stale_deal": lambda: rules.stale_deal(thresholds),
        "no_next_step": rules.no_next_step,
        "close_date_passed": rules.close_date_passed,
    }
    found: list[pd.DataFrame] = []
    for kind, check in checks.items():
        try:
            found.append(check())
        except UnavailableError as reason:
            unavailable[kind] = reason
    exceptions = _ranked(_together(found, rules))
    checked = tuple(kind for kind in KINDS if kind not in unavailable)
    return FollowupExceptions(
        as_of=as_of,
        settings=settings,
        exceptions=exceptions,
        per_rep=_per_rep(exceptions, checked),
        thresholds=thresholds,
        unavailable=unavailable,
    )


def _together(found: list[pd.DataFrame], rules: _Rules) -> pd.DataFrame:
    """The rules' exceptions in one frame with their accounts' names, each column typed from its
    values as a frame built from the rows would be (text with None: ``str``; only None: object;
    dates: object; ints with floats: float)."""
    if not sum(len(frame) for frame in found):
        return pd.DataFrame([], columns=list(EXCEPTION_COLUMNS))
    together = pd.concat(found, ignore_index=True)
    together["account"] = pd.Series(rules.accounts(together["account_id"].to_numpy()), dtype=object)
    # column by column: DataFrame.infer_objects leaves a block whose columns all become text as objects
    typed = {column: together[column].infer_objects() for column in together.columns}
    return pd.DataFrame(typed).reindex(columns=list(EXCEPTION_COLUMNS))


def _ranked(exceptions: pd.DataFrame) -> pd.DataFrame:
    exceptions["action"] = exceptions["kind"].map(ACTIONS)
    exceptions["priority"] = exceptions["kind"].map(PRIORITY)
    exceptions["value_at_risk"] = exceptions["amount"].astype(float)  # a lead has no amount: NaN, ranked last
    exceptions["amount"] = exceptions["amount"].astype(float)
    ranked = exceptions.sort_values(
        ["value_at_risk", "days_late", "kind", "record_id"],
        ascending=[False, False, True, True],
        na_position="last",
        kind="stable",
    )
    return ranked.reset_index(drop=True)


def _per_rep(exceptions: pd.DataFrame, checked: tuple[str, ...]) -> pd.DataFrame:
    owners = exceptions["owner"].astype(object).where(exceptions["owner"].notna(), None)
    frame = exceptions.assign(owner=owners.fillna(""))
    counts = pd.crosstab(frame["owner"], frame["kind"]).reindex(columns=list(checked), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    distinct = frame.drop_duplicates(["record_type", "record_id"])  # a deal late on two rules is at risk once
    counts["value_at_risk"] = distinct.groupby("owner")["value_at_risk"].sum(min_count=1).reindex(counts.index)
    counts = counts.sort_values(["total", "value_at_risk"], ascending=[False, False], na_position="last")
    counts = counts.reset_index().rename_axis(columns=None)
    counts["owner"] = counts["owner"].replace("", None)
    return counts
