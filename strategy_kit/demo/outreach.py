"""What the outreach and follow-up analyses need, added to a simulated history with known effects.

Runs after :func:`strategy_kit.demo.generate.simulate` has drawn everything else, with its own
random stream (``[seed, OUTREACH_STREAM]``), so the deals, leads and other activities stay as
they were; only the outcomes of the calls made just after an account event change.

- Account events (:data:`strategy_kit.demo.company.EVENT_TYPES`): each account gets
  Poisson(:data:`EVENTS_PER_ACCOUNT`) events, dated uniformly from ``window`` days before the
  history's first day to its last day, independently of its calls, so the calls that fall within
  the window after an event are a random sample of all calls.
- Event uplift: a call made 0 to :data:`EVENT_WINDOW_DAYS` days after an event of its account
  books a meeting with probability p + :data:`EVENT_MEETING_UPLIFT` (p: the call's own probability,
  from its weekday, hour, rep and stage), the extra meetings taken from its other outcomes.
- Call durations: by outcome (:data:`CALL_DURATION`, lognormal medians in seconds); held
  meetings last about :data:`MEETING_MINUTES` minutes.
- Planned next steps: :data:`PLANNED_SHARE` of the open deals get one
  activity due 1 to 15 days after the last day, with no outcome (a call, meeting or email).
"""

from __future__ import annotations

import numpy as np

from strategy_kit.demo import company as co
from strategy_kit.demo.generate import CALL, EMAIL, MEETING, OPEN, OUTCOME_OFFSET, REP_CALLS, History

OUTREACH_STREAM = 11
EVENTS_PER_ACCOUNT = 1.2
EVENT_WINDOW_DAYS = 30
EVENT_MEETING_UPLIFT = 0.12
# Median duration in seconds and log-scale spread by call outcome (connected, meeting_booked,
# callback_requested, no_answer, voicemail): a missed call lasts 0 s.
CALL_DURATION = ((240.0, 0.5), (540.0, 0.4), (90.0, 0.4), (0.0, 0.0), (35.0, 0.3))
MEETING_MINUTES = 45
PLANNED_SHARE = 0.6
PLANNED_KINDS = (CALL, MEETING, EMAIL)
PLANNED_MIX = np.array([0.5, 0.35, 0.15])
MEETING_BOOKED = 1  # index among the call outcomes
_EARLY_CONTEXT = 2  # contexts 0..2 (lead, prospecting, qualification) book meetings more often


def add_outreach(history: History, seed: int) -> None:
    """Add the events, the event uplift, durations and planned next steps to ``history`` (in place)."""
    rng = np.random.default_rng([seed, OUTREACH_STREAM])
    history.events = _events(rng, history)
    _event_uplift(rng, history)
    _durations(rng, history)
    _planned_next_steps(rng, history)


def _events(rng: np.random.Generator, history: History) -> dict[str, np.ndarray]:
    timeline = history.timeline
    n_accounts = len(history.accounts["id"])
    counts = rng.poisson(EVENTS_PER_ACCOUNT, n_accounts)
    account = np.repeat(np.arange(n_accounts), counts)
    first = timeline.start_day - EVENT_WINDOW_DAYS
    day = rng.integers(first, timeline.end_day + 1, len(account))
    kind = rng.choice(len(co.EVENT_TYPES), size=len(account), p=co.EVENT_TYPE_SHARE)
    source = rng.choice(len(co.EVENT_SOURCES), size=len(account), p=co.EVENT_SOURCE_SHARE)
    detail = rng.integers(0, len(co.EVENT_DETAILS[0]), len(account))
    order = np.lexsort((account, day))
    columns = {"account": account, "day": day, "kind": kind, "source": source, "detail": detail}
    return {key: value[order] for key, value in columns.items()}


def _after_event(history: History) -> np.ndarray:
    """Activities made 0 to EVENT_WINDOW_DAYS days after an event of their account."""
    events, activities = history.events, history.activities
    call_day = activities["at"] // 86400
    span = np.int64(1 << 32)
    codes = np.sort(events["account"].astype(np.int64) * span + events["day"])
    call_code = activities["account"].astype(np.int64) * span + call_day
    position = np.searchsorted(codes, call_code, side="right") - 1
    latest = codes[np.maximum(position, 0)]
    age = call_code - latest
    return (position >= 0) & (latest // span == activities["account"]) & (age >= 0) & (age <= EVENT_WINDOW_DAYS)


def meeting_probability(history: History, rows: np.ndarray) -> np.ndarray:
    """The probability the simulation gave each call of ``rows`` to book a meeting (before any event)."""
    a = history.activities
    seconds = a["at"][rows]
    weekday = ((seconds // 86400) + 3) % 7  # 1970-01-01 was a Thursday (3)
    hour = np.clip((seconds % 86400) // 3600 - co.CALL_HOURS[0], 0, len(co.CALL_HOURS) - 1)
    reach = co.call_connect_table()[np.minimum(weekday, 4), hour] * REP_CALLS[a["owner"][rows]]
    context = a["subject"][rows] // len(co.ACTIVITY_TYPES)
    return np.minimum(reach, 1.0) * np.where(context <= _EARLY_CONTEXT, 0.30, 0.10)


def _event_uplift(rng: np.random.Generator, history: History) -> None:
    a = history.activities
    calls = np.flatnonzero((a["kind"] == CALL) & _after_event(history))
    booked = OUTCOME_OFFSET[CALL] + MEETING_BOOKED
    p = meeting_probability(history, calls)
    convert = (a["outcome"][calls] != booked) & (rng.random(len(calls)) < EVENT_MEETING_UPLIFT / (1 - p))
    a["outcome"][calls[convert]] = booked


def _durations(rng: np.random.Generator, history: History) -> None:
    a = history.activities
    duration = np.full(len(a["kind"]), -1, dtype=np.int64)
    calls = np.flatnonzero(a["kind"] == CALL)
    outcome = a["outcome"][calls] - OUTCOME_OFFSET[CALL]
    median = np.array([m for m, _ in CALL_DURATION])[outcome]
    spread = np.array([s for _, s in CALL_DURATION])[outcome]
    duration[calls] = np.round(median * np.exp(spread * rng.standard_normal(len(calls)))).astype(np.int64)
    held = np.flatnonzero((a["kind"] == MEETING) & (a["outcome"] == OUTCOME_OFFSET[MEETING]))
    minutes = np.clip(np.round(MEETING_MINUTES * np.exp(0.35 * rng.standard_normal(len(held))) / 5) * 5, 15, 180)
    duration[held] = (minutes * 60).astype(np.int64)
    a["duration"] = duration
    a["planned"] = np.zeros(len(a["kind"]), dtype=bool)


def _planned_next_steps(rng: np.random.Generator, history: History) -> None:
    """One activity due after the last day for some open deals; the deal's owner, account, stage subject."""
    d, a = history.deals, history.activities
    open_deals = np.flatnonzero(d["status"] == OPEN)
    chosen = open_deals[rng.random(len(open_deals)) < PLANNED_SHARE]
    n = len(chosen)
    kind = np.array(PLANNED_KINDS)[rng.choice(len(PLANNED_KINDS), size=n, p=PLANNED_MIX)]
    day = history.timeline.end_day + rng.integers(1, 16, n)
    weekday = (day + 3) % 7
    day = day + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))  # a weekend moves to Monday
    at = day * 86400 + rng.choice(np.arange(9, 18), size=n) * 3600 + rng.choice([0, 1800], size=n)
    order = np.argsort(at, kind="stable")
    chosen, kind, at = chosen[order], kind[order], at[order]
    stage = d["stage"][chosen]
    planned = {
        "id": len(a["id"]) + 1 + np.arange(n),
        "at": at,
        "outcome": np.full(n, -1, dtype=a["outcome"].dtype),
        "owner": d["owner"][chosen].astype(a["owner"].dtype),
        "deal": d["id"][chosen].astype(a["deal"].dtype),
        "lead": np.full(n, -1, dtype=a["lead"].dtype),
        "account": d["account"][chosen].astype(a["account"].dtype),
        "subject": ((np.minimum(stage, co.TRANSITIONS - 1) + 1) * len(co.ACTIVITY_TYPES) + kind).astype(
            a["subject"].dtype
        ),
        "kind": kind.astype(a["kind"].dtype),
        "duration": np.full(n, -1, dtype=np.int64),
        "planned": np.ones(n, dtype=bool),
    }
    for key in a:
        a[key] = np.concatenate([a[key], planned[key]])
