"""The customer journey on a small hand-built client; every expected number below was worked out by
hand from the rows of the fixture (the comments say how). Percentiles are numpy's default (linear):
for sorted values v0..v(n-1), Pq = v[k] + f * (v[k+1] - v[k]) with k + f = q * (n - 1).

Stages of the fixture, in order: lead (0), meeting (1), proposal (2), won (3).
Period Q1 = 2026-01-01 .. 2026-03-31; the previous period is Q4 2025.
"""

from __future__ import annotations

import html
import math
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from strategy_kit.analytics import journey
from strategy_kit.analytics import journey_results as results
from strategy_kit.analytics.journey import Journey
from strategy_kit.analytics.journey_results import previous_period, speed_trend
from strategy_kit.config import ClientConfig, Stage
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.i18n import MESSAGES, NBSP
from strategy_kit.kpis import KpiEngine
from strategy_kit.narrative import journey as words
from strategy_kit.periods import parse_period
from strategy_kit.plots.journey import (
    breakdown_chart,
    funnel_chart,
    journey_map,
    lost_reasons_chart,
    time_in_stage_chart,
)

ROOT = Path(__file__).resolve().parents[1]
Q1 = parse_period("2026-Q1")
NaT = None
STAGES = (
    Stage("lead", "Piste", "Lead"),
    Stage("meeting", "Rendez-vous", "Meeting"),
    Stage("proposal", "Proposition", "Proposal"),
    Stage("won", "Gagnée", "Won"),
)

# deal_id, owner, account_id, stage, status, created_at, closed_at, lost_reason
DEALS = [
    ("d1", "Ana", "acc1", "won", "won", "2026-01-05", "2026-03-01", None),  # every stage dated, won in Q1
    ("d2", "Ana", "acc2", "meeting", "lost", "2026-01-10", "2026-02-10", "Prix"),  # lost at meeting in Q1
    ("d3", "Ben", None, "proposal", "open", "2026-02-01", NaT, None),  # still at proposal
    ("d4", "Ben", "acc1", "lead", "lost", "2026-03-01", "2026-03-20", None),  # lost at lead, no reason
    ("d5", "Ben", "acc1", "won", "won", "2026-01-08", "2026-03-15", None),  # inferred history (below)
    ("d6", "Ana", "acc1", "won", "won", "2025-11-01", "2026-02-10", None),  # started in Q4, won in Q1
    ("d7", "Ben", "acc1", "meeting", "lost", "2025-10-01", "2025-12-01", "Timing"),  # all in Q4
    ("d8", "Ana", "acc1", "meeting", "open", "2026-03-02", NaT, None),  # goes back to lead once
    ("d9", None, "acc1", "lead", "open", "2026-04-01", NaT, None),  # after Q1
    ("d10", None, "acc1", "meeting", "open", "2025-11-20", NaT, None),  # undated meeting, still open
]
# deal_id, stage, entered_at, inferred
HISTORY = [
    ("d1", "lead", "2026-01-05", False),
    ("d1", "meeting", "2026-01-15", False),
    ("d1", "proposal", "2026-02-01", False),
    ("d1", "won", "2026-03-01", False),
    ("d2", "lead", "2026-01-10", False),
    ("d2", "lead", "2026-01-12", False),  # the same stage again in a row: one stay from 01-10
    ("d2", "meeting", "2026-01-20", False),
    ("d3", "lead", "2026-02-01", False),
    ("d3", "meeting", "2026-02-05", False),
    ("d3", "proposal", "2026-03-10", False),
    ("d3", "mystery", "2026-02-02", False),  # not one of the client's stages: left out
    ("d4", "lead", "2026-03-01", False),
    # d5: only its first and last stages carry a date (created_at, closed_at); meeting and proposal
    # were passed without a recorded date, between 01-08 and 03-15: both inside Q1, so placed in it.
    ("d5", "lead", "2026-01-08", True),
    ("d5", "meeting", NaT, True),
    ("d5", "proposal", NaT, True),
    ("d5", "won", "2026-03-15", True),
    ("d6", "lead", "2025-11-01", False),
    ("d6", "meeting", "2025-11-11", False),
    ("d6", "proposal", "2026-01-11", False),
    ("d6", "won", "2026-02-10", False),
    ("d7", "lead", "2025-10-01", False),
    ("d7", "meeting", "2025-10-05", False),
    ("d8", "lead", "2026-03-02", False),
    ("d8", "meeting", "2026-03-05", False),
    ("d8", "lead", "2026-03-10", False),
    ("d8", "meeting", "2026-03-12", False),
    ("d9", "lead", "2026-04-01", False),
    # d10: meeting passed without a date some time after 2025-11-20 (no later dated stage, still
    # open): it may or may not have been in Q1, so it cannot be placed.
    ("d10", "lead", "2025-11-20", True),
    ("d10", "meeting", NaT, True),
]
# activity_id, type, at, deal_id -> the stage it belongs to (worked out from HISTORY)
ACTIVITIES = [
    ("a1", "call", "2026-01-06 10:00", "d1"),  # d1 lead (01-05 .. 01-15)
    ("a2", "email", "2026-01-15 10:00", "d1"),  # d1 meeting (entered 01-15 00:00)
    ("a3", "meeting", "2026-01-20 10:00", "d1"),  # d1 meeting
    ("a4", "call", "2026-03-05 10:00", "d1"),  # after d1 was closed (03-01): left out
    ("a5", "call", "2026-01-12 10:00", "d2"),  # d2 lead
    ("a6", "call", "2026-01-25 10:00", "d2"),  # d2 meeting
    ("a7", "email", "2026-02-15 10:00", "d2"),  # after d2 was closed (02-10): left out
    ("a8", "linkedin", "2026-01-30 10:00", "d3"),  # before d3's first stage (02-01): left out
    ("a9", "meeting", "2026-02-06 10:00", "d3"),  # d3 meeting
    ("a10", "call", "2026-02-01 10:00", "d5"),  # d5 between lead and undated stages: left out
    ("a11", "call", "2026-03-03 10:00", "d8"),  # d8 lead (first stay)
    ("a12", "email", "2026-03-11 10:00", "d8"),  # d8 lead (second stay)
    ("a13", "meeting", "2026-03-13 10:00", "d8"),  # d8 meeting (second stay)
    ("a14", "call", "2026-02-01 10:00", None),  # about a lead, not a deal
    ("a15", "task", "2026-01-20 10:00", "d6"),  # d6 proposal, counted as "other"
    ("a16", "call", "2025-10-03 10:00", "d7"),  # d7 lead (not in the Q1 cohort)
]
ACCOUNTS = [
    ("acc1", "Santé", "10-49", "Île-de-France"),
    ("acc2", "Santé", None, None),
]


def make_data(activities: bool = True, accounts: bool = True) -> SalesData:
    deals = pd.DataFrame(
        DEALS, columns=["deal_id", "owner", "account_id", "stage", "status", "created_at", "closed_at", "lost_reason"]
    )
    for column in ("created_at", "closed_at"):
        deals[column] = pd.to_datetime(deals[column], format="ISO8601")
    for column in ("owner", "stage", "status", "lost_reason"):
        deals[column] = deals[column].astype("category")
    history = pd.DataFrame(HISTORY, columns=["deal_id", "stage", "entered_at", "inferred"])
    history["entered_at"] = pd.to_datetime(history["entered_at"], format="ISO8601")
    history["stage"] = history["stage"].astype("category")
    tables = {"deals": deals, "stage_history": history}
    if activities:
        frame = pd.DataFrame(ACTIVITIES, columns=["activity_id", "type", "at", "deal_id"])
        frame["at"] = pd.to_datetime(frame["at"], format="ISO8601")
        frame["type"] = frame["type"].astype("category")
        tables["activities"] = frame
    if accounts:
        tables["accounts"] = pd.DataFrame(ACCOUNTS, columns=["account_id", "sector", "size_band", "region"])
    config = ClientConfig(
        client="acme", display_name="Acme", language="en", stages=STAGES, data_cutoff=date(2026, 4, 30)
    )
    return SalesData(config, tables)


@pytest.fixture(scope="module")
def fixture_journey() -> Journey:
    return Journey(make_data())


# --------------------------------------------------------------------------- funnel


def test_funnel_counts_and_conversions(fixture_journey: Journey):
    table = fixture_journey.funnel(Q1).table.set_index("stage")
    # Entered in Q1: lead d1 d2 d3 d4 d5 d8 (d2 and d8 twice, counted once); meeting d1 d2 d3 d8 and d5
    # (undated, bounded by 01-08 and 03-15); proposal d1 d3 d6 and d5 (the same); won d1 d5 d6.
    assert list(table["entered"]) == [6, 5, 4, 3]
    # lead: all but d4 entered a later stage afterwards or were won -> 5; meeting: d1 and d5 (won), d3
    # (proposal 03-10) -> 3; proposal: d1 d5 d6 won, d3 is still there -> 3; won: 3 (won).
    assert list(table["advanced"]) == [5, 3, 3, 3]
    assert list(table["reached_next"]) == [5, 3, 3, 3]  # every one of them has a row for the next stage
    assert list(table["won"]) == [2, 2, 3, 3]  # lead: d1 d5; meeting: d1 d5; proposal: d1 d5 d6
    assert list(table["lost"]) == [1, 1, 0, 0]  # d4 at lead, d2 at meeting
    assert list(table["still_open"]) == [0, 1, 1, 0]  # d8 at meeting, d3 at proposal
    assert list(table["drop_off"]) == [1, 2, 1, 0]
    assert list(table["undated"]) == [0, 1, 0, 0]  # d10's meeting: may have been in Q1, cannot be placed
    expected_conversion = [5 / 6, 3 / 5, 3 / 4, 1.0]
    assert table["conversion"].tolist() == pytest.approx(expected_conversion)
    assert table["next_step_conversion"].tolist() == pytest.approx(expected_conversion)
    # cumulative: 1, 5/6, 5/6 * 3/5 = 1/2, 1/2 * 3/4 = 3/8
    assert table["cumulative_conversion"].tolist() == pytest.approx([1.0, 5 / 6, 1 / 2, 3 / 8])
    assert table["drop_off_rate"].tolist() == pytest.approx([1 / 6, 2 / 5, 1 / 4, 0.0])
    assert table["lost_rate"].tolist() == pytest.approx([1 / 6, 1 / 5, 0.0, 0.0])


def test_funnel_totals_left_out_and_unknown_rows(fixture_journey: Journey):
    result = fixture_journey.funnel(Q1)
    assert result.deals == 7  # d1 d2 d3 d4 d5 d6 d8
    assert result.left_out == {"undated_stage_entry": 1}
    assert fixture_journey.history_left_out == {"unknown_stage": 1}  # d3's "mystery" row
    assert fixture_journey.won_stage == "won"  # every deal that reached it is won
    assert fixture_journey.open_stages == ("lead", "meeting", "proposal")


def test_skipped_stage_without_a_row_counts_as_moved_on_but_not_as_next_step():
    # A deal recorded at lead then proposal, with no meeting row at all (history not completed):
    # at lead it moved on (a later stage) but did not reach the next stage (meeting).
    data = make_data()
    data.tables["stage_history"] = pd.DataFrame(
        {
            "deal_id": ["d3", "d3"],
            "stage": ["lead", "proposal"],
            "entered_at": pd.to_datetime(["2026-02-01", "2026-02-20"]),
            "inferred": [False, False],
        }
    )
    table = Journey(data).funnel(Q1).table.set_index("stage")
    assert table.loc["lead", ["entered", "advanced", "reached_next"]].tolist() == [1, 1, 0]
    assert table.loc["lead", "next_step_conversion"] == 0.0 and table.loc["lead", "conversion"] == 1.0


def test_empty_period_gives_missing_rates_not_zero(fixture_journey: Journey):
    table = fixture_journey.funnel(parse_period("2027-Q1")).table
    assert table["entered"].sum() == 0
    for column in ("conversion", "next_step_conversion", "cumulative_conversion", "drop_off_rate"):
        assert table[column].isna().all(), column
    assert fixture_journey.funnel(parse_period("2027-Q1")).rate("lead") is None
    assert fixture_journey.funnel(Q1).rate("meeting") == pytest.approx(0.6)
    [finding] = words.funnel_findings(fixture_journey.funnel(parse_period("2027-Q1")), "en")
    assert finding.key == "journey.finding.too_few"


def test_period_bounds_are_days(fixture_journey: Journey):
    # d9 entered lead on 2026-04-01 00:00: in Q2, not Q1.
    q2 = fixture_journey.funnel(parse_period("2026-Q2")).table.set_index("stage")
    assert q2.loc["lead", "entered"] == 1


# --------------------------------------------------------------------------- time in stage


def test_time_in_stage_percentiles_and_previous_period(fixture_journey: Journey):
    result = fixture_journey.time_in_stage(Q1)
    assert (result.previous.start, result.previous.end) == (date(2025, 10, 1), date(2025, 12, 31))
    table = result.table.set_index("stage")
    assert list(table.index) == ["lead", "meeting", "proposal", "sales_cycle"]  # won is never left
    # lead stays that ended in Q1: d1 10 (01-05 -> 01-15), d2 10 (01-10 -> 01-20: its repeated lead row
    # does not start a new stay), d3 4, d8 3 (03-02 -> 03-05) and 2 (03-10 -> 03-12); d5's lead stay is
    # followed by undated stages: left out.
    # sorted 2 3 4 10 10: median 4; P75 at 3.0 -> 10; P90 at 3.6 -> 10.
    lead = table.loc["lead"]
    assert (lead["deals"], lead["median"], lead["p75"], lead["p90"], lead["left_out"]) == (5, 4, 10, 10, 1)
    # previous (Q4 2025): d6 10 (11-01 -> 11-11) and d7 4 (10-01 -> 10-05): median 7, too few to compare.
    assert (lead["previous_deals"], lead["previous_median"], lead["change"]) == (2, 7, -3)
    assert lead["trend"] is None
    # meeting: d1 17 (01-15 -> 02-01), d3 33 (02-05 -> 03-10), d6 61 (2025-11-11 -> 2026-01-11),
    # d8 5 (03-05 -> back to lead 03-10). sorted 5 17 33 61: median 25; P75 at 2.25 -> 33 + 0.25 * 28 = 40;
    # P90 at 2.7 -> 33 + 0.7 * 28 = 52.6.
    meeting = table.loc["meeting"]
    assert (meeting["deals"], meeting["median"], meeting["p75"]) == (4, 25, 40)
    assert meeting["p90"] == pytest.approx(52.6)
    assert meeting["previous_deals"] == 0 and math.isnan(meeting["previous_median"])
    # proposal: d1 28 (02-01 -> 03-01), d6 30 (01-11 -> 02-10): median 29, P75 29.5, P90 29.8.
    proposal = table.loc["proposal"]
    assert (proposal["deals"], proposal["median"], proposal["p75"]) == (2, 29, 29.5)
    assert proposal["p90"] == pytest.approx(29.8)
    # sales cycle of the deals won in Q1: d1 55 days, d5 66, d6 101: median 66; P75 at 1.5 -> 83.5;
    # P90 at 1.8 -> 94.
    cycle = table.loc["sales_cycle"]
    assert (cycle["deals"], cycle["median"], cycle["p75"]) == (3, 66, 83.5)
    assert cycle["p90"] == pytest.approx(94)
    assert cycle["previous_deals"] == 0
    # Unknown lengths: d5's lead stay (followed by undated stages), and its meeting and proposal stays,
    # which began undated and ended at the latest with its won entry on 03-15.
    assert list(table["left_out"]) == [1, 1, 1, 0]
    assert result.left_out == {"undated_stay": 3}


def test_speed_trend_thresholds():
    assert speed_trend(13, 11, 123, 121) == "slower"  # +2 days, +18 %
    assert speed_trend(8, 11, 20, 20) == "faster"  # -3 days, -27 %
    assert speed_trend(10, 11, 20, 20) == "stable"  # -9 %: under 15 %
    assert speed_trend(7.5, 7, 20, 20) == "stable"  # under a day
    assert speed_trend(1, 0, 20, 20) == "slower"  # a day more than nothing
    assert speed_trend(20, 8, 4, 50) is None  # fewer than 5 deals now


def test_previous_period_has_the_same_length_just_before():
    month = previous_period(parse_period("2026-09"))
    assert (month.start, month.end) == (date(2026, 8, 1), date(2026, 8, 31))
    quarter = previous_period(parse_period("2026-Q3"))
    assert (quarter.start, quarter.end) == (date(2026, 4, 1), date(2026, 6, 30))
    days = previous_period(parse_period("2026-03-10..2026-03-19"))  # 10 days
    assert (days.start, days.end) == (date(2026, 2, 28), date(2026, 3, 9))
    week = previous_period(parse_period("2026-W10"))  # Mon 2026-03-02 .. Sun 03-08
    assert (week.start, week.end) == (date(2026, 2, 23), date(2026, 3, 1))


# --------------------------------------------------------------------------- activities


def test_activities_are_placed_at_the_stage_of_their_time(fixture_journey: Journey):
    result = fixture_journey.activity_mix(Q1)
    assert result.types == ("call", "email", "meeting", "linkedin", "other")  # the types in the data
    per_stage = result.per_stage.set_index("stage")
    assert list(per_stage.index) == ["lead", "meeting", "proposal"]
    # lead (6 deals): calls a1 a5 a11, email a12 -> 4 activities.
    lead = per_stage.loc["lead"]
    assert (lead["deals"], lead["activities"]) == (6, 4)
    assert (lead["call"], lead["email"], lead["meeting"], lead["total"]) == pytest.approx((3 / 6, 1 / 6, 0, 4 / 6))
    # meeting (4 deals): call a6, email a2, meetings a3 a9 a13 -> 5.
    meeting = per_stage.loc["meeting"]
    assert (meeting["deals"], meeting["activities"]) == (4, 5)
    assert (meeting["call"], meeting["email"], meeting["meeting"]) == pytest.approx((0.25, 0.25, 0.75))
    # proposal (3 deals: d1 d3 d6): the task a15 of d6 -> other.
    assert per_stage.loc["proposal", "activities"] == 1
    assert per_stage.loc["proposal", "other"] == pytest.approx(1 / 3)
    # Left out, among the cohort's deals: a4 and a7 after close, a8 before d3's first stage, a10 in d5's
    # undated stretch. a16 (d7) and a14 (no deal) are not about the cohort.
    assert result.left_out == {"activity_after_close": 2, "activity_before_first_stage": 1, "activity_stage_unknown": 1}


def test_activity_mix_of_deals_that_moved_on_and_the_others(fixture_journey: Journey):
    table = fixture_journey.activity_mix(Q1).by_outcome.set_index(["stage", "outcome"])
    # lead: moved on d1 d2 d3 d5 d8 (calls a1 a5 a11, email a12); not: d4 (nothing).
    assert table.loc[("lead", "advanced"), ["deals", "call", "email"]].tolist() == pytest.approx([5, 0.6, 0.2])
    assert table.loc[("lead", "not_advanced"), ["deals", "call", "total"]].tolist() == pytest.approx([1, 0, 0])
    # meeting: moved on d1 (email, meeting) and d3 (meeting); not: d2 (call) and d8 (meeting).
    assert table.loc[("meeting", "advanced"), ["deals", "call", "email", "meeting", "total"]].tolist() == pytest.approx(
        [2, 0, 0.5, 1.0, 1.5]
    )
    assert table.loc[
        ("meeting", "not_advanced"), ["deals", "call", "email", "meeting", "total"]
    ].tolist() == pytest.approx([2, 0.5, 0, 0.5, 1.0])
    # proposal: moved on d1 and d6 (task); not: d3.
    assert table.loc[("proposal", "advanced"), ["deals", "other"]].tolist() == pytest.approx([2, 0.5])
    assert table.loc[("proposal", "not_advanced"), "deals"] == 1


def test_without_activities_the_mix_is_unavailable():
    without = Journey(make_data(activities=False))
    assert not without.has_activities
    with pytest.raises(UnavailableError, match="activities"):
        without.activity_mix(Q1)
    # the narrative skips that part instead of failing
    assert all(f.key != "journey.finding.activity_mix" for f in words.findings(without, Q1, "en"))


# --------------------------------------------------------------------------- lost deals, breakdowns, cohorts


def test_lost_reasons_by_stage(fixture_journey: Journey):
    result = fixture_journey.lost_reasons(Q1)
    # lost in Q1: d2 at meeting (Prix), d4 at lead (no reason); d7 was lost in Q4.
    assert result.total == 2
    by_stage = result.by_stage.set_index("stage")
    assert list(by_stage.index) == ["lead", "meeting", "proposal"]
    assert list(by_stage["lost"]) == [1, 1, 0]
    assert by_stage["share_of_lost"].tolist() == pytest.approx([0.5, 0.5, 0.0])
    assert list(words.main_reasons(result, "fr")) == [f"raison non précisée 100{NBSP}%", f"Prix 100{NBSP}%", "–"]
    assert list(words.main_reasons(result, "en")) == ["no reason given 100%", "Prix 100%", "–"]
    shown = words.lost_table(result, "fr").frame
    assert list(shown["label"]) == ["Piste", "Rendez-vous", "Proposition"]


def test_breakdown_by_owner(fixture_journey: Journey, monkeypatch: pytest.MonkeyPatch):
    result = fixture_journey.breakdown(Q1, "owner")
    table = result.table.set_index("group")
    assert list(table.index) == ["Ana", "Ben"]  # most deals first; d9 (no owner) is in no Q1 figure
    # Ana: d1 d2 d6 d8 entered a stage in Q1; closed in Q1: d1 won, d2 lost, d6 won.
    assert table.loc["Ana", ["deals", "won", "closed"]].tolist() == [4, 2, 3]
    assert table.loc["Ana", "win_rate"] == pytest.approx(2 / 3)
    # Ben: d3 d4 d5; closed in Q1: d4 lost, d5 won.
    assert table.loc["Ben", ["deals", "won", "closed"]].tolist() == [3, 1, 2]
    stages = result.stages.set_index(["group", "stage"])
    # Ana: lead d1 d2 d8 all moved on; meeting d1 d2 d8 -> only d1; proposal d1 d6 -> both won.
    assert stages.loc[("Ana", "meeting"), ["entered", "advanced"]].tolist() == [3, 1]
    # Ben: lead d3 d4 d5 -> d3 d5; meeting d3 d5 -> both; proposal d3 d5 -> d5.
    assert stages.loc[("Ben", "lead"), ["entered", "advanced"]].tolist() == [3, 2]
    assert stages.loc[("Ben", "proposal"), ["entered", "advanced", "conversion"]].tolist() == [2, 1, 0.5]
    # With at least 5 deals needed, no stage is named the weakest.
    assert table["weakest_stage"].isna().all()

    # With 1 deal enough: team lead 5/6, meeting 3/5, proposal 3/4. Ana is furthest below at meeting
    # (1/3 vs 3/5), Ben at proposal (1/2 vs 3/4; lead is only 1/6 below).
    monkeypatch.setattr(journey, "MIN_DEALS", 1)
    monkeypatch.setattr(words, "MIN_DEALS", 1)
    table = fixture_journey.breakdown(Q1, "owner").table.set_index("group")
    assert table.loc["Ana", ["weakest_stage", "weakest_conversion", "team_conversion"]].tolist() == [
        "meeting",
        pytest.approx(1 / 3),
        pytest.approx(3 / 5),
    ]
    assert table.loc["Ben", ["weakest_stage", "weakest_conversion", "team_conversion"]].tolist() == [
        "proposal",
        0.5,
        0.75,
    ]
    shown, hidden = words.breakdown_table(fixture_journey.breakdown(Q1, "owner"), "fr")
    assert list(shown.frame["weakest_stage"]) == ["Rendez-vous", "Proposition"] and hidden == 0
    findings = words.owner_findings(fixture_journey.breakdown(Q1, "owner"), "en")
    assert [f.text for f in findings] == [
        "Best win rate: Ana, 67% (2 deals won of 3 closed); lowest: Ben, 50% (1 of 2).",
        "Ben's weakest stage compared with the team: Proposal (50% conversion vs 75%).",
    ]


def test_segment_and_region_come_from_the_accounts_with_the_kpi_groups():
    data = make_data()
    # Entered a stage in Q1: d1 d4 d5 d6 d8 (acc1: Santé, 10-49, Île-de-France), d2 (acc2: Santé, no
    # size, no region), d3 (no account). Closed in Q1: d1 d5 d6 won and d4 lost (acc1), d2 lost (acc2).
    segment = Journey(data).breakdown(Q1, "segment").table
    assert list(segment["group"]) == ["Santé · 10-49", "Santé · (none)", "(none)"]
    assert list(segment["deals"]) == [5, 1, 1] and list(segment["won"]) == [3, 0, 0]
    assert list(segment["closed"]) == [4, 1, 0]
    region = Journey(data).breakdown(Q1, "region").table
    assert list(region["group"]) == ["Île-de-France", "(none)"] and list(region["deals"]) == [5, 2]
    # The groups are the KPI engine's: the same names, the same deals won in each.
    kpis = KpiEngine(data).compute(Q1, kpis=["deals_won"], by=["segment", "owner"]).breakdown
    assert {g: v["deals_won"] for g, v in kpis["segment"].items()} == {
        "Santé · 10-49": 3,
        "Santé · (none)": 0,
        "(none)": 0,
    }
    owners = Journey(data).breakdown(Q1, "owner").table.set_index("group")["won"]
    assert {g: v["deals_won"] for g, v in kpis["owner"].items() if v["deals_won"]} == owners[owners > 0].to_dict()
    # Shown to a reader, the missing group and a missing part read as in the KPI tables.
    shown, _ = words.breakdown_table(Journey(data).breakdown(Q1, "segment"), "fr", min_closed=0)
    assert list(shown.frame["group"]) == ["Santé · 10-49", "Santé · (non renseigné)", "(non renseigné)"]
    with pytest.raises(UnavailableError, match="accounts"):
        Journey(make_data(accounts=False)).breakdown(Q1, "segment")
    with pytest.raises(KeyError, match="owner, source"):
        Journey(data).breakdown(Q1, "colour")


def test_a_breakdown_the_accounts_cannot_give_says_why_in_the_report_language():
    data = make_data()
    del data.tables["accounts"]["size_band"]
    with pytest.raises(UnavailableError) as raised:
        Journey(data).breakdown(Q1, "segment")
    assert raised.value.reason("fr") == (
        "l'entonnoir par segment a besoin de la colonne accounts.size_band, que le client « acme » "
        "n'a pas associée (associez-la sous import: accounts: columns: dans client.yml)"
    )
    assert raised.value.reason("en") == (
        "the funnel by segment needs accounts.size_band, which client 'acme' has not mapped "
        "(map it under import: accounts: columns: in client.yml)"
    )


def test_cohorts_mark_incomplete_windows(fixture_journey: Journey):
    # Data end 2026-04-30. Months Dec 2025 .. Mar 2026.
    table = fixture_journey.cohorts(Q1, months=4).table
    assert list(table["deals"]) == [0, 3, 1, 2]  # Jan: d1 d2 d5; Feb: d3; Mar: d4 d8
    # Dec: no deal -> missing even though complete.
    assert table.loc[0, ["won_30d", "won_60d"]].isna().all()
    # Jan: d1 won after 55 days, d5 after 66. 30 d: 0/3 (Jan 31 + 30 <= Apr 30); 60 d: 1/3 (Jan 31 + 60 =
    # Apr 1); 90 d: May 1 > Apr 30 -> incomplete.
    assert table.loc[1, "won_30d"] == 0.0
    assert table.loc[1, "won_60d"] == pytest.approx(1 / 3)
    assert not table.loc[1, "complete_90d"] and math.isnan(table.loc[1, "won_90d"])
    # Feb (d3 open): 30 and 60 d complete (Feb 28 + 60 = Apr 29) -> 0; 90 d incomplete.
    assert (table.loc[2, "won_30d"], table.loc[2, "won_60d"], table.loc[2, "complete_90d"]) == (0.0, 0.0, False)
    # Mar: 30 d ends exactly on Apr 30 -> complete; 60 d not.
    assert (table.loc[3, "complete_30d"], table.loc[3, "complete_60d"]) == (True, False)
    assert table["won_to_date"].tolist()[1:] == pytest.approx([2 / 3, 0, 0])
    shown = words.cohort_table(fixture_journey.cohorts(Q1, months=4), "fr").frame
    assert shown.loc[1].tolist() == ["janv. 2026", "3", f"0,0{NBSP}%", f"33,3{NBSP}%", "en cours", f"66,7{NBSP}%"]


# --------------------------------------------------------------------------- narrative


def test_findings_read_the_numbers_in_both_languages(fixture_journey: Journey):
    funnel = fixture_journey.funnel(Q1)
    # At least 5 deals entered lead (1 of 6 lost there: 17 %) and meeting (1 of 5: 20 %, drop-off 2/5).
    [en] = words.funnel_findings(funnel, "en")
    assert en.text == (
        "Meeting loses the most deals: 20% of the deals that entered it in the period were "
        "lost there (1 of 5); counting those still there, the drop-off is 40%."
    )
    [fr] = words.funnel_findings(Journey(make_data()).funnel(Q1), "fr")
    assert fr.text.startswith(f"L'étape « Rendez-vous » perd le plus d'affaires : 20{NBSP}% des affaires")
    times = words.time_findings(fixture_journey.time_in_stage(Q1), "en")
    assert [f.key for f in times] == ["journey.finding.steady", "journey.finding.cycle_no_previous"]
    assert times[1].text == (
        "Sales cycle, from creation to won: a median of 66 days over 3 deals won (no deal won in the previous period)."
    )


def test_activity_finding_names_the_biggest_gap(fixture_journey: Journey, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(words, "MIN_DEALS", 1)
    # Gaps (moved on - others, per deal): lead call 0.6 - 0, email 0.2; meeting email 0.5, meeting 0.5;
    # proposal other 0.5 -> lead calls.
    [finding] = words.activity_findings(fixture_journey.activity_mix(Q1), "en")
    assert finding.text == (
        "At Lead, the deals that moved on had 0.6 calls per deal, vs 0.0 for those lost or still there (5 deals vs 1)."
    )


def test_time_findings_pick_the_largest_relative_change():
    table = pd.DataFrame(
        {
            "stage": ["a", "b", "c", "sales_cycle"],
            "label": ["A", "B", "C", "Cycle"],
            "deals": [30, 30, 30, 10],
            "median": [12.0, 30.0, 5.0, 40.0],
            "p75": np.nan,
            "p90": np.nan,
            "left_out": 0,
            "previous_deals": [30, 30, 30, 0],
            "previous_median": [8.0, 24.0, 10.0, np.nan],
        }
    )
    table["change"] = table["median"] - table["previous_median"]
    table["trend"] = ["slower", "slower", "faster", None]  # +50 %, +25 %, -50 %
    stages = (Stage("a", "A", "A"), Stage("b", "B", "B"), Stage("c", "C", "C"))
    result = results.TimeInStage(Q1, previous_period(Q1), table, client_stages=stages)
    texts = [f.text for f in words.time_findings(result, "fr")]
    assert texts[0] == (
        "L'étape « A » a ralenti : 12 jours en médiane contre 8 sur la période précédente "
        "(30 affaires sorties de l'étape, contre 30)."
    )
    assert texts[1].startswith("L'étape « C » s'est accélérée : 5 jours en médiane contre 10")
    assert texts[2].endswith("(aucune affaire gagnée sur la période précédente).")


def test_journey_label_keys_exist_with_both_languages():
    literal = re.compile(r"""["'](journey\.[a-z0-9_.]*[a-z0-9_])["']""")
    sources = [
        ROOT / "strategy_kit" / "analytics" / "journey.py",
        ROOT / "strategy_kit" / "narrative" / "journey.py",
        ROOT / "strategy_kit" / "plots" / "journey.py",
        ROOT / "notebooks" / "01_customer_journey.ipynb",
    ]
    used = {key for path in sources for key in literal.findall(path.read_text(encoding="utf-8"))}
    prefixes = (
        "journey.activity_type.",
        "journey.activity_noun.",
        "journey.trend.",
        "journey.outcome.",
        "journey.chart.breakdown.title.",
        "journey.column.group.",
        "journey.breakdown.",
        "journey.breakdown.name.",
    )
    dynamic = {f"{prefix}{suffix}" for prefix in prefixes[:2] for suffix in results.MIX_TYPES}
    dynamic |= {f"journey.trend.{t}" for t in ("slower", "faster", "stable")}
    dynamic |= {f"journey.outcome.{o}" for o in results.OUTCOMES}
    dynamic |= {f"{p}{d}" for p in prefixes[4:] for d in results.BREAKDOWNS}
    used -= {"journey.trend", "journey.outcome"}  # prefixes of message keys (Table.translate), not keys
    missing = sorted(k for k in used | dynamic if k not in MESSAGES and not k.endswith("."))
    assert missing == []
    for key in (k for k in MESSAGES if k.startswith("journey.")):
        assert MESSAGES[key]["fr"] and MESSAGES[key]["en"], key


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize("language", ["fr", "en"])
def test_figures_are_built_without_showing(fixture_journey: Journey, language: str):
    mix = fixture_journey.activity_mix(Q1)
    figures = [
        journey_map(fixture_journey.funnel(Q1), fixture_journey.time_in_stage(Q1), mix, language),
        journey_map(fixture_journey.funnel(Q1), fixture_journey.time_in_stage(Q1), None, language),
        funnel_chart(fixture_journey.funnel(Q1), language),
        time_in_stage_chart(fixture_journey.time_in_stage(Q1), language),
        lost_reasons_chart(fixture_journey.lost_reasons(Q1), language),
        breakdown_chart(fixture_journey.breakdown(Q1, "owner"), language),
    ]
    for figure in figures:
        assert isinstance(figure, Figure)
        figure.canvas.draw()  # lays the figure out: fails on a bad label or an empty series


def test_figures_of_an_empty_period(fixture_journey: Journey):
    empty = parse_period("2027-Q1")
    funnel_chart(fixture_journey.funnel(empty), "fr").canvas.draw()
    time_in_stage_chart(fixture_journey.time_in_stage(empty), "fr").canvas.draw()
    journey_map(
        fixture_journey.funnel(empty), fixture_journey.time_in_stage(empty), fixture_journey.activity_mix(empty), "fr"
    ).canvas.draw()
    lost_reasons_chart(fixture_journey.lost_reasons(empty), "fr").canvas.draw()
    breakdown_chart(fixture_journey.breakdown(empty, "owner"), "fr").canvas.draw()


# --------------------------------------------------------------------------- the demo client


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from strategy_kit.demo import build_demo
    from strategy_kit.importer import load_sales_data
    from strategy_kit.workspace import Workspace

    workspace = Workspace(tmp_path_factory.mktemp("journey-demo"))
    build_demo(workspace)
    return workspace, load_sales_data(workspace, "demo")


def test_demo_funnel_time_and_activities_match_plain_pandas(demo):
    """KPIS.md stage_conversion, time_in_stage_days and sales_cycle_days, and the stage of each
    activity, computed here directly with pandas on the demo's tables (2026-Q3)."""
    _, data = demo
    period = parse_period("2026-Q3")
    start, after = pd.Timestamp(period.start), pd.Timestamp(period.end) + pd.Timedelta(days=1)
    result = Journey(data)
    stage_ids = data.config.stage_ids
    rank = {stage: position for position, stage in enumerate(stage_ids)}
    history = data.tables["stage_history"].assign(stage=lambda h: h["stage"].astype(str))
    history["rank"] = history["stage"].map(rank)
    status = data.deals.set_index("deal_id")["status"].astype(str)
    furthest = history.groupby("deal_id")["rank"].max()

    entered = history[(history["entered_at"] >= start) & (history["entered_at"] < after)]
    entered = entered.drop_duplicates(["deal_id", "stage"])
    moved_on = (entered["deal_id"].map(furthest) > entered["rank"]) | (entered["deal_id"].map(status) == "won")
    expected = moved_on.groupby(entered["stage"]).mean()
    table = result.funnel(period).table.set_index("stage")
    for stage in stage_ids:
        assert table.loc[stage, "conversion"] == pytest.approx(expected[stage]), stage

    ordered = history.sort_values(["deal_id", "entered_at"])
    ordered["left_at"] = ordered.groupby("deal_id")["entered_at"].shift(-1)
    left = ordered[(ordered["left_at"] >= start) & (ordered["left_at"] < after)]
    days = (left["left_at"].dt.normalize() - left["entered_at"].dt.normalize()).dt.days
    medians = days.groupby(left["stage"]).median()
    times = result.time_in_stage(period).table.set_index("stage")
    for stage in stage_ids[:-1]:
        assert times.loc[stage, "median"] == medians[stage], stage
    deals = data.deals
    closed_in = (deals["closed_at"] >= start) & (deals["closed_at"] < after)
    won = deals[(deals["status"].astype(str) == "won") & closed_in]
    cycle = (won["closed_at"].dt.normalize() - won["created_at"].dt.normalize()).dt.days
    assert times.loc["sales_cycle", "median"] == cycle.median()

    # Activities of the cohort's deals at each stage, placed with merge_asof.
    activities = data.tables["activities"].dropna(subset=["deal_id"]).sort_values("at")
    stamps = history.sort_values("entered_at")[["deal_id", "stage", "entered_at"]]
    placed = pd.merge_asof(activities, stamps, left_on="at", right_on="entered_at", by="deal_id")
    closed_at = placed["deal_id"].map(deals.set_index("deal_id")["closed_at"])
    placed = placed[placed["stage"].notna() & ~(placed["at"] > closed_at)]
    cohort = entered[entered["stage"] != stage_ids[-1]][["deal_id", "stage"]]
    counted = placed.merge(cohort, on=["deal_id", "stage"]).groupby("stage").size()
    mix = result.activity_mix(period).per_stage.set_index("stage")
    for stage in stage_ids[:-1]:
        assert mix.loc[stage, "activities"] == counted.get(stage, 0), stage


def test_notebook_renders_the_demo_report(demo):
    """One papermill run of notebooks/01_customer_journey.ipynb on the demo (French) into the PDF."""
    from strategy_kit.report import render_report

    workspace, data = demo
    pdf = render_report(workspace, "demo", period="2026-Q3", notebooks=["customer_journey"], keep_html=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    document = pdf.with_suffix(".html").read_text(encoding="utf-8")
    text = html.unescape(document)
    for key in (
        "journey.title",
        "journey.findings.title",
        "journey.map.title",
        "journey.funnel.title",
        "journey.time.title",
        "journey.activity.title",
        "journey.lost.title",
        "journey.breakdown.owner",
        "journey.breakdown.segment",
        "journey.cohort.title",
    ):
        assert MESSAGES[key]["fr"] in text, key
    assert "Non disponible" not in text and "Traceback" not in text
    # The narrative the PDF shows is the package's, in French.
    for finding in words.findings(Journey(data), parse_period("2026-Q3"), "fr"):
        assert finding.text in text
    assert document.count("data:image/svg+xml") >= 9  # map, funnel, time, lost reasons, five breakdowns


def _without_created_at(*deal_ids: str) -> SalesData:
    data = make_data()
    deals = data.tables["deals"]
    deals.loc[deals["deal_id"].isin(deal_ids), "created_at"] = pd.NaT
    return data


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "Deals won in the period: 3, but none has a creation date: the sales cycle cannot be measured."),
        (
            "fr",
            "Affaires gagnées sur la période : 3, mais aucune n'a de date de création : le cycle de vente "
            "n'est pas mesurable.",
        ),
    ],
)
def test_deals_won_without_a_creation_date_are_counted_as_won_not_as_none(language: str, expected: str):
    # d1, d5 and d6 are the 3 deals won in Q1; without their created_at no cycle can be measured,
    # yet they were won: the finding says so instead of "No deal was won in the period".
    times = Journey(_without_created_at("d1", "d5", "d6")).time_in_stage(Q1)
    assert times.row("sales_cycle")["deals"] == 0
    assert times.left_out["no_created_at"] == 3
    findings = words.time_findings(times, language)
    assert [f.key for f in findings][-1] == "journey.finding.cycle_unmeasured"
    assert findings[-1].text == expected


def test_deals_won_partly_without_a_creation_date_say_how_many_cycles_are_missing():
    # Without d1's created_at, the cycle is measured on d5 (66 days) and d6 (101): median 83.5;
    # 1 of the 3 deals won in Q1 has no cycle.
    times = Journey(_without_created_at("d1")).time_in_stage(Q1)
    findings = words.time_findings(times, "en")
    assert [f.key for f in findings][-2:] == ["journey.finding.cycle_no_previous", "journey.finding.cycle_partly"]
    assert "a median of 83.5 days over 2 deals won" in findings[-2].text
    assert findings[-1].text == (
        "The sales cycle is not measurable for 1 of the 3 deals won in the period (no creation date)."
    )
    fr = words.time_findings(Journey(_without_created_at("d1")).time_in_stage(Q1), "fr")
    assert fr[-1].text == (
        "Le cycle de vente n'est pas mesurable pour 1 des 3 affaires gagnées sur la période "
        "(date de création manquante)."
    )


def test_without_deals_every_journey_analysis_is_unavailable_with_the_reason():
    data = make_data()
    for table in ("deals", "stage_history"):
        del data.tables[table]
    customer_journey = Journey.or_unavailable(data)
    assert not customer_journey.has_activities
    for analysis in (
        customer_journey.funnel,
        customer_journey.time_in_stage,
        customer_journey.cohorts,
        lambda period: words.findings(customer_journey, period, "fr"),
        customer_journey.lost_reasons,
    ):
        with pytest.raises(UnavailableError) as raised:
            analysis(Q1)
        assert "needs the deals table" in str(raised.value)
    assert raised.value.reason("fr").startswith("cette partie repose sur la table « Affaires »")


# --------------------------------------------------------------------------- French that agrees


def test_french_journey_sentences_agree_with_their_numbers_and_elide():
    from strategy_kit.i18n import label

    assert label("journey.intro", "fr", client="Orséa", period="T1 2026", dates="…").startswith(
        "Comment les affaires d'Orséa avancent"
    )
    assert label("journey.intro", "fr", client="Marie", period="T1 2026", dates="…").startswith(
        "Comment les affaires de Marie avancent"
    )
    assert label("journey.funnel.undated", "fr", count=1).startswith(
        "1 passage d'étape sans date enregistrée a pu avoir lieu"
    )
    assert label("journey.funnel.undated", "fr", count=3).startswith(
        "3 passages d'étape sans date enregistrée ont pu avoir lieu"
    )
    assert label("journey.breakdown.more", "fr", count=1) == "1 autre groupe, plus petit, n'est pas affiché."
    assert label("journey.breakdown.more", "en", count=2) == "2 other, smaller groups are not shown."
    assert label("journey.finding.cycle_no_close_date", "fr", count=1) == (
        "1 affaire gagnée n'a pas de date de clôture : on ne peut pas savoir si elle l'a été sur la période, "
        "et son cycle de vente n'est pas mesurable."
    )


def test_french_activity_finding_says_0_6_appel(fixture_journey: Journey, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(words, "MIN_DEALS", 1)
    # The same gap as in English (lead calls: 0.6 per deal vs 0.0, 5 deals vs 1); in French a number
    # below 2 takes the singular: "0,6 appel", "1 affaire".
    [finding] = words.activity_findings(fixture_journey.activity_mix(Q1), "fr")
    assert finding.text == (
        "À l'étape « Piste », les affaires qui ont avancé ont reçu 0,6 appel par affaire, "
        "contre 0,0 pour celles perdues ou restées à l'étape (5 affaires contre 1)."
    )


def test_sales_cycle_of_one_deal_reads_in_the_singular():
    # One stage, one deal won in Q1 after 1 day (created 2026-01-05, won 2026-01-06); none before.
    table = pd.DataFrame(
        {
            "stage": ["sales_cycle"],
            "deals": [1],
            "median": [1.0],
            "p75": [1.0],
            "p90": [1.0],
            "left_out": [0],
            "previous_deals": [0],
            "previous_median": [np.nan],
            "change": [np.nan],
            "trend": [None],
        }
    )
    result = results.TimeInStage(Q1, previous_period(Q1), table)
    assert words.time_findings(result, "fr")[-1].text == (
        "Cycle de vente, de la création au gain : 1 jour en médiane sur 1 affaire gagnée "
        "(aucune affaire gagnée sur la période précédente)."
    )
    assert words.time_findings(result, "en")[-1].text == (
        "Sales cycle, from creation to won: a median of 1 day over 1 deal won (no deal won in the previous period)."
    )


def test_every_reason_the_journey_gives_is_french_in_french():
    from strategy_kit.i18n import MESSAGES as messages

    for key in (
        "journey.unavailable.no_stage_history",
        "journey.unavailable.activities_without_deal",
        "journey.unavailable.breakdown_columns",
    ):
        assert messages[key]["fr"] != messages[key]["en"]
    data = make_data()
    del data.tables["stage_history"]
    with pytest.raises(UnavailableError) as raised:
        Journey(data)
    assert raised.value.reason("fr").startswith("le parcours client repose sur l'historique des étapes")
    without = make_data()
    del without.tables["activities"]["deal_id"]
    with pytest.raises(UnavailableError) as raised:
        Journey(without).activity_mix(Q1)
    assert raised.value.reason("fr").startswith("la répartition des activités par étape a besoin de la colonne")


def test_segments_with_fewer_than_six_closed_deals_show_no_win_rate():
    # The segments of the fixture closed 4 (Santé · 10-49), 1 and 0 deals in Q1: none has the 6 a
    # rate needs, so one row adds them up: 5 + 1 + 1 = 7 deals entered, 3 won, 4 + 1 + 0 = 5 closed,
    # no rate and no weakest stage. Reps keep their own rows (Ana closed 3, Ben 2).
    shown, hidden = words.breakdown_table(Journey(make_data()).breakdown(Q1, "segment"), "fr")
    rows = shown.frame.to_dict("records")
    assert [r["group"] for r in rows] == ["Autres (moins de 6 affaires conclues)"] and hidden == 0
    assert (rows[0]["deals"], rows[0]["won"], rows[0]["closed"]) == (7, 3, 5)
    assert pd.isna(rows[0]["win_rate"]) and rows[0]["weakest_stage"] is None
    owners, _ = words.breakdown_table(Journey(make_data()).breakdown(Q1, "owner"), "fr")
    assert list(owners.frame["group"]) == ["Ana", "Ben"]
