"""Undated stage-history rows whose bounds are inverted (the deal's dated rows contradict each
other) are never placed in a period: they are excluded and counted in every period sharing a day
with the span between the bounds. Expected counts are worked out by hand below."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.config import ClientConfig, Stage
from strategy_kit.data import SalesData
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import parse_period

STAGES = (
    Stage("lead", "Lead", "Lead"),
    Stage("demo", "Démo", "Demo"),
    Stage("proposal", "Proposition", "Proposal"),
    Stage("won", "Gagnée", "Won"),
)
CONFIG = ClientConfig(client="t", display_name="T", language="en", stages=STAGES)


def _engine() -> KpiEngine:
    deals = pd.DataFrame(
        {"deal_id": ["x"], "status": ["open"], "stage": ["proposal"], "created_at": pd.to_datetime(["2026-04-01"])}
    )
    # x entered lead on 05-10 but proposal on 05-05: its undated demo row is bounded below by
    # lead's entry (05-10) and above by proposal's (05-05): inverted bounds, span 05-05 .. 05-10.
    history = pd.DataFrame(
        {
            "deal_id": ["x", "x", "x"],
            "stage": ["lead", "demo", "proposal"],
            "entered_at": pd.to_datetime(["2026-05-10", None, "2026-05-05"]),
            "inferred": [False, True, False],
        }
    )
    return KpiEngine(SalesData(CONFIG, {"deals": deals, "stage_history": history}))


@pytest.mark.parametrize(
    "period, excluded",
    [
        ("2026-05", 1),  # holds both bounds
        ("2026-05-06..2026-05-08", 1),  # inside the span, holds neither bound
        ("2026-05-08..2026-05-31", 1),  # holds the lower bound (05-10) only
        ("2026-05-01..2026-05-05", 1),  # shares the upper bound's day (05-05)
        ("2026-04", 0),  # before the span
        ("2026-05-11..2026-05-31", 0),  # after it
    ],
)
def test_inverted_bounds_are_excluded_and_counted(period, excluded):
    result = _engine().compute(parse_period(period), kpis=["stage_conversion.demo", "time_in_stage_days.lead"])
    # The demo row never counts as entered in any period: no deal entered demo, so no denominator.
    assert result.values["stage_conversion.demo"] is None
    assert result.excluded["stage_conversion.demo"] == excluded
    # The stay in lead ends with that undated demo row: left out where it may have ended.
    assert result.excluded["time_in_stage_days.lead"] == excluded
