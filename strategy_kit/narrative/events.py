"""Trigger events for a reader, in a language: why call an account now, and whether it pays.

The numbers come from :mod:`strategy_kit.analytics.events`; every word from
``i18n/<language>/events.yml``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from strategy_kit.analytics.events import HIGHER, LOWER, NO_CALLS, NO_DIFFERENCE, NO_EVENTS, EventUplift
from strategy_kit.i18n import label
from strategy_kit.narrative import Finding, Table

RECENT_TABLE_COLUMNS = ("account_id", "type", "date", "age_days", "source", "description")


def event_label(event_type: object, language: str) -> str:
    """The name of an event type (``fundraising`` -> ``Levée de fonds``); an unknown or missing type is "other"."""
    known = ("fundraising", "hiring", "new_executive", "acquisition", "expansion", "other")
    kind = event_type if isinstance(event_type, str) and event_type in known else "other"
    return label(f"events.type.{kind}", language)


def call_reason(event_type: object, age_days: int, language: str, source: object = None) -> str:
    """The reason to call now, for the call list: ``Levée de fonds, il y a 12 jours (source : Les Échos)``."""
    event = event_label(event_type, language)
    if age_days == 0:
        reason = label("events.reason_today", language, event=event)
    else:
        reason = label("events.reason", language, event=event, days=int(age_days))
    if isinstance(source, str) and source.strip():
        reason = label("events.reason_source", language, reason=reason, source=source.strip())
    return reason


def recent_finding(recent: pd.DataFrame, as_of: date, window_days: int, language: str) -> Finding:
    """How many accounts had an event in the window (the frame of :func:`~strategy_kit.analytics.events.recent_events`)."""
    count = len(recent)
    key = "events.recent.some" if count else "events.recent.none"
    return Finding(
        key,
        {"count": count, "window": window_days, "as_of": as_of},
        language,
        subject="recent",
        evidence={"accounts": count},
    )


def recent_table(recent: pd.DataFrame, language: str) -> Table:
    """The accounts to call now: account, event, date, age in days, source, details (latest event first)."""
    frame = recent.copy()
    frame["type"] = [event_label(t, language) for t in frame["type"]]
    return Table(
        frame,
        columns={column: f"events.column.{column}" for column in RECENT_TABLE_COLUMNS},
        kinds={"date": "date", "age_days": "integer", "account_id": "text", "source": "text", "description": "text"},
    )


def uplift_finding(uplift: EventUplift, language: str) -> Finding:
    """The sentence on whether calls after an event book more meetings (or that it is the strategist's assumption)."""
    fields: dict[str, Any] = {"window": uplift.window_days}
    evidence: dict[str, Any] = {
        "events": uplift.events,
        "after_calls": uplift.after.calls,
        "after_meetings": uplift.after.meetings,
        "other_calls": uplift.other.calls,
        "other_meetings": uplift.other.meetings,
        "difference": uplift.difference,
        "difference_low": uplift.difference_low,
        "difference_high": uplift.difference_high,
    }
    if uplift.verdict in (NO_EVENTS, NO_CALLS):
        return Finding(f"events.uplift.{uplift.verdict}", fields, language, subject="uplift", evidence=evidence)
    assert uplift.verdict in (NO_DIFFERENCE, HIGHER, LOWER)
    assert uplift.difference is not None and uplift.difference_low is not None and uplift.difference_high is not None
    fields |= {
        "after_calls": uplift.after.calls,
        "after_rate": uplift.after.rate,
        "after_low": uplift.after.low,
        "after_high": uplift.after.high,
        "other_calls": uplift.other.calls,
        "other_rate": uplift.other.rate,
        "other_low": uplift.other.low,
        "other_high": uplift.other.high,
    }
    if uplift.verdict == HIGHER:
        fields |= {
            "points": 100 * uplift.difference,
            "points_low": 100 * uplift.difference_low,
            "points_high": 100 * uplift.difference_high,
        }
    elif uplift.verdict == LOWER:
        fields |= {
            "points": -100 * uplift.difference,
            "points_low": -100 * uplift.difference_high,
            "points_high": -100 * uplift.difference_low,
        }
    return Finding(f"events.uplift.{uplift.verdict}", fields, language, subject="uplift", evidence=evidence)


def uplift_table(uplift: EventUplift, language: str) -> Table:
    """Calls within the window after an event vs the other calls: calls, meetings booked, rate and its range."""
    rows = []
    for group, estimate in (("after", uplift.after), ("other", uplift.other)):
        rows.append(
            {
                "group": label(f"events.group.{group}", language, window=uplift.window_days),
                "calls": estimate.calls,
                "meetings": estimate.meetings,
                "rate": estimate.rate,
                "low": estimate.low,
                "high": estimate.high,
            }
        )
    frame = pd.DataFrame(rows)
    return Table(
        frame,
        columns={column: f"events.column.{column}" for column in frame.columns},
        kinds={
            "group": "text",
            "calls": "integer",
            "meetings": "integer",
            "rate": "percent",
            "low": "percent",
            "high": "percent",
        },
    )
