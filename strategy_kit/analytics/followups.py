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


def _outbound(activities: pd.DataFrame) -> pd.Series:
    if "direction" not in activities.columns:
        return pd.Series(True, index=activities.index)
    return activities["direction"].astype(object).ne("inbound")  # missing: outbound (as the KPIs)


def _has(frame: pd.DataFrame | None, column: str) -> bool:
    return frame is not None and has_column(frame, column)


def _need(data: SalesData, table: str, *columns: str) -> pd.DataFrame:
    """``table``, or unavailable when it lacks one of ``columns`` or leaves it empty everywhere."""
    for column in columns:
        require_column(data, table, column)
    return data.require(table)


class _Rules:
    def __init__(self, data: SalesData, as_of: date, settings: FollowupSettings):
        self.data, self.as_of, self.settings = data, as_of, settings
        self.as_of_day = np.datetime64(as_of, "D")
        self.end = pd.Timestamp(as_of + timedelta(days=1))  # "by the as-of day": before the next midnight
        first = data.first_day() or as_of
        self.business = BusinessDays(settings.country, min(first.year, as_of.year) - 1, as_of.year + 1)
        self.rows: list[dict[str, object]] = []
        accounts = data.tables.get("accounts")
        self.account_names: dict[str, str] = {}
        if accounts is not None and "name" in accounts.columns:
            named = accounts.dropna(subset=["name"])
            self.account_names = dict(zip(named["account_id"].astype(str), named["name"].astype(str)))

    def account(self, account_id: object) -> object:
        if account_id is None or pd.isna(account_id):
            return None
        return self.account_names.get(str(account_id), str(account_id))

    # ------------------------------------------------------------------ leads

    def _lead_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        leads = _need(self.data, "leads", "created_at")
        activities = _need(self.data, "activities", "lead_id", "at")
        leads = leads[leads["created_at"].notna() & (leads["created_at"] < self.end)]
        for column in ("converted_at", "deal_id"):  # became a deal by the as-of day: the deal rules' own
            if column in leads.columns:
                became = leads[column].notna()
                if column == "converted_at":
                    became &= leads[column] < self.end
                leads = leads[~became]
        touches = activities[
            _outbound(activities)
            & activities["lead_id"].notna()
            & activities["at"].notna()
            & (activities["at"] < self.end)
        ][["lead_id", "at"]].astype({"lead_id": str})
        return leads, touches

    def _lead_row(self, lead: pd.Series, kind: str, due: np.datetime64, limit: int) -> dict[str, object]:
        account_id = lead.get("account_id")
        return {
            "kind": kind,
            "record_type": "lead",
            "record_id": str(lead["lead_id"]),
            "deal_id": None,
            "lead_id": str(lead["lead_id"]),
            "account_id": None if account_id is None or pd.isna(account_id) else str(account_id),
            "account": self.account(account_id),
            "contact": str(lead["lead_id"]),
            "owner": lead.get("owner") if pd.notna(lead.get("owner")) else None,
            "stage": None,
            "amount": np.nan,
            "due_date": pd.Timestamp(due).date(),
            "days_late": int((self.as_of_day - due).astype(int)),
            "limit_days": limit,
        }

    def sla_missed(self) -> None:
        leads, touches = self._lead_frames()
        window = pd.Timestamp(self.as_of - timedelta(days=self.settings.lookback_days))
        leads = leads[leads["created_at"] >= window]
        created = pd.DataFrame({"lead_id": leads["lead_id"].astype(str), "created_at": leads["created_at"]})
        # a join, not Series.map: pandas cannot map through an empty datetime Series (no lead in the window)
        matched = touches.merge(created, on="lead_id")
        # contacted at or after the lead's creation (the KPI's rule)
        contacted = set(matched.loc[matched["at"] >= matched["created_at"], "lead_id"])
        waiting = leads[~leads["lead_id"].astype(str).isin(contacted)]
        due = self.business.due(_day(waiting["created_at"]), self.settings.sla_business_days)
        late = due < self.as_of_day
        for (_, lead), day in zip(waiting[late].iterrows(), due[late]):
            self.rows.append(self._lead_row(lead, "sla_missed", day, self.settings.sla_business_days))

    def single_touch(self) -> None:
        leads, touches = self._lead_frames()
        touches = touches[touches["lead_id"].isin(set(leads["lead_id"].astype(str)))]
        per_lead = touches.groupby("lead_id")["at"].agg(["count", "min"])
        once = per_lead[per_lead["count"] == 1]
        window = pd.Timestamp(self.as_of - timedelta(days=self.settings.lookback_days))
        once = once[once["min"] >= window]
        due = self.business.due(_day(once["min"]), self.settings.follow_up_business_days)
        late = set(once.index[due < self.as_of_day])
        due_of = dict(zip(once.index, due))
        for _, lead in leads[leads["lead_id"].astype(str).isin(late)].iterrows():
            day = due_of[str(lead["lead_id"])]
            self.rows.append(self._lead_row(lead, "single_touch", day, self.settings.follow_up_business_days))

    # ------------------------------------------------------------------ deals

    def _open_deals(self) -> pd.DataFrame:
        deals = self.data.deals
        open_ = deals[deals["status"].astype(object) == "open"]
        if _has(open_, "created_at"):
            open_ = open_[open_["created_at"].isna() | (open_["created_at"] < self.end)]
        return open_

    def _deal_row(self, deal: pd.Series, kind: str, due: np.datetime64, limit: float | None) -> dict[str, object]:
        account_id = deal.get("account_id")
        lead_id = deal.get("lead_id")
        owner, stage = deal.get("owner"), deal.get("stage")
        return {
            "kind": kind,
            "record_type": "deal",
            "record_id": str(deal["deal_id"]),
            "deal_id": str(deal["deal_id"]),
            "lead_id": None if lead_id is None or pd.isna(lead_id) else str(lead_id),
            "account_id": None if account_id is None or pd.isna(account_id) else str(account_id),
            "account": self.account(account_id),
            "contact": None if lead_id is None or pd.isna(lead_id) else str(lead_id),
            "owner": owner if owner is not None and pd.notna(owner) else None,
            "stage": stage if stage is not None and pd.notna(stage) else None,
            "amount": float(deal["value"]) if "value" in deal and pd.notna(deal["value"]) else np.nan,
            "due_date": pd.Timestamp(due).date(),
            "days_late": int((self.as_of_day - due).astype(int)),
            "limit_days": limit,
        }

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

    def stale_deal(self, thresholds: pd.DataFrame) -> None:
        deals = self._open_deals()
        activities = self._deal_activities()
        done = activities[activities["deal_id"].notna() & activities["at"].notna() & (activities["at"] < self.end)]
        last_touch = done.groupby(done["deal_id"].astype(str))["at"].max()
        entered = pd.Series(dtype="datetime64[ns]")
        history = self.data.tables.get("stage_history")
        if _has(history, "entered_at"):
            assert history is not None
            dated = history[history["entered_at"].notna() & (history["entered_at"] < self.end)]
            entered = dated.groupby(dated["deal_id"].astype(str))["entered_at"].max()
        limits = dict(zip(thresholds["stage"], thresholds["limit_days"]))
        for _, deal in deals.iterrows():
            deal_id = str(deal["deal_id"])
            limit = limits.get(deal.get("stage"))
            if limit is None:  # no stage, or one a deal does not wait in (a final won stage)
                continue
            # the later of its last activity and its latest stage entry (a move is a sign of life), else its creation
            touched = [t for t in (last_touch.get(deal_id), entered.get(deal_id)) if t is not None and pd.notna(t)]
            since = max(touched) if touched else deal.get("created_at")
            if since is None or pd.isna(since):
                continue
            idle = (self.as_of - pd.Timestamp(since).date()).days
            if idle > limit:  # exactly at the limit is not late
                due = np.datetime64(pd.Timestamp(since).date(), "D") + int(np.floor(limit))
                row = self._deal_row(deal, "stale_deal", due, float(limit))
                row["days_late"] = int(idle - limit) if float(limit).is_integer() else round(idle - limit, 1)
                self.rows.append(row)

    def no_next_step(self) -> None:
        deals = self._open_deals()
        activities = self._deal_activities()
        later = activities["at"] >= self.end
        if "type" in activities.columns and "outcome" in activities.columns:
            later |= (activities["type"].astype(object) == "task") & (activities["outcome"].astype(object) == "open")
        planned = set(activities.loc[later & activities["deal_id"].notna(), "deal_id"].astype(str))
        for _, deal in deals[~deals["deal_id"].astype(str).isin(planned)].iterrows():
            self.rows.append(self._deal_row(deal, "no_next_step", self.as_of_day, None) | {"days_late": 0})

    def close_date_passed(self) -> None:
        _need(self.data, "deals", "expected_close_at")
        deals = self._open_deals()
        expected = deals["expected_close_at"]
        passed = deals[expected.notna() & (expected < pd.Timestamp(self.as_of))]
        for _, deal in passed.iterrows():
            due = np.datetime64(pd.Timestamp(deal["expected_close_at"]).date(), "D")
            self.rows.append(self._deal_row(deal, "close_date_passed", due, None))


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
    for kind, check in checks.items():
        before = len(rules.rows)
        try:
            check()
        except UnavailableError as reason:
            del rules.rows[before:]
            unavailable[kind] = reason
    exceptions = _ranked(pd.DataFrame(rules.rows, columns=list(EXCEPTION_COLUMNS)))
    checked = tuple(kind for kind in KINDS if kind not in unavailable)
    return FollowupExceptions(
        as_of=as_of,
        settings=settings,
        exceptions=exceptions,
        per_rep=_per_rep(exceptions, checked),
        thresholds=thresholds,
        unavailable=unavailable,
    )


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
