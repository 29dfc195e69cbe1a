"""Baselines on a tiny hand-built client; every expected number was worked out by hand from the rows
below (the comments say how), then one render of notebook 05 on the demo client."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from strategy_kit.analytics import baselines as bl
from strategy_kit.analytics import baselines_history, baselines_reps
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.i18n import MESSAGES, label
from strategy_kit.kpis import REGISTRY, KpiEngine, KpiError
from strategy_kit.narrative import Finding, Table
from strategy_kit.narrative import baselines as narrative
from strategy_kit.periods import parse_period
from strategy_kit.plots.baselines import history_chart
from strategy_kit.report import notebook as nb

NaT = None
# deal_id, owner, status, value, created_at, closed_at
DEALS = [
    # 2024: the 12 months before the baseline window of 2026-Q1 (the deals' first dates: created and
    # closed in January 2024, so won deals are covered from January 2024).
    ("P1", "Ana", "won", 1000.0, "2024-01-10", "2024-01-25"),
    ("P2", "Ana", "won", 3000.0, "2024-03-01", "2024-05-20"),
    ("L0", "Ana", "lost", 500.0, "2024-04-01", "2024-06-30"),
    # 2025: the baseline window of 2026-Q1.
    ("W1", "Ana", "won", 2000.0, "2024-11-05", "2025-01-20"),
    ("W2", "Ana", "won", 1000.0, "2025-02-01", "2025-02-25"),
    ("W3", "Ben", "won", 3000.0, "2025-03-03", "2025-03-28"),
    ("W4", "Ana", "won", 2000.0, "2025-05-05", "2025-06-10"),
    ("W5", "Ben", "won", 4000.0, "2025-07-01", "2025-08-15"),
    ("W6", "Ana", "won", 1000.0, "2025-10-01", "2025-11-20"),
    ("W7", "Cleo", "won", 3000.0, "2025-11-03", "2025-12-15"),
    ("L1", "Ben", "lost", 800.0, "2025-01-15", "2025-04-10"),
    ("L2", "Ben", "lost", 800.0, "2025-06-01", "2025-09-05"),
    ("L3", "Ana", "lost", 800.0, "2025-09-10", "2025-12-01"),
    ("X1", "Ana", "won", 900.0, NaT, NaT),  # won without dates: left out of every KPI, counted
    # 2026-Q1: the period.
    ("C1", "Ana", "won", 5000.0, "2025-12-01", "2026-01-15"),
    ("C2", "Ben", "won", 2000.0, "2026-01-05", "2026-02-10"),
    ("C3", "Cleo", "lost", 700.0, "2026-02-01", "2026-03-10"),
    ("C4", "Dana", "open", 1500.0, "2026-03-01", NaT),
]
# activity_id, owner, at (all outbound calls); the first is in May 2024, so the activities do not
# cover the year 2024 and calls have no year-over-year growth for 2026-Q1.
CALLS = [
    ("a0", "Ana", "2024-05-06 10:00"),
    ("a1", "Ana", "2025-01-10 10:00"),
    ("a2", "Ana", "2025-01-20 10:00"),
    ("a3", "Ben", "2025-03-05 10:00"),
    ("a4", "Ana", "2025-07-07 10:00"),
    ("a5", "Ben", "2025-10-02 10:00"),
    ("a6", "Ben", "2025-10-03 10:00"),
    ("a7", "Ana", "2026-01-08 10:00"),
    ("a8", "Ben", "2026-02-02 10:00"),
    ("a9", "Ben", "2026-02-03 10:00"),
]
Q1 = parse_period("2026-Q1")
KPIS = ["new_deals", "deals_won", "won_value", "win_rate", "open_deals_end", "calls_made"]


def make_data(cutoff: date = date(2026, 3, 31)) -> SalesData:
    deals = pd.DataFrame(DEALS, columns=["deal_id", "owner", "status", "value", "created_at", "closed_at"])
    for column in ("created_at", "closed_at"):
        deals[column] = pd.to_datetime(deals[column], format="ISO8601")
    deals["deal_id"] = deals["deal_id"].astype("string")
    for column in ("owner", "status"):
        deals[column] = deals[column].astype("category")
    activities = pd.DataFrame(CALLS, columns=["activity_id", "owner", "at"])
    activities["at"] = pd.to_datetime(activities["at"], format="ISO8601")
    activities["activity_id"] = activities["activity_id"].astype("string")
    activities["owner"] = activities["owner"].astype("category")
    activities["type"] = pd.Categorical(["call"] * len(activities))
    activities["direction"] = pd.Categorical(["outbound"] * len(activities))
    config = ClientConfig(client="acme", display_name="Acme", language="fr", data_cutoff=cutoff)
    return SalesData(config, {"deals": deals, "activities": activities})


@pytest.fixture(scope="module")
def data() -> SalesData:
    return make_data()


@pytest.fixture(scope="module")
def engine(data) -> KpiEngine:
    return KpiEngine(data)


@pytest.fixture(scope="module")
def q1(data, engine) -> bl.Baselines:
    return bl.compute_baselines(data, Q1, KPIS, engine)


# --------------------------------------------------------------------------- the window


def test_window_of_a_quarter_is_the_twelve_months_before():
    window = bl.baseline_window(Q1)
    assert [m.label for m in window.months] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert [q.label for q in window.quarters] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert (window.window.start, window.window.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert (window.previous_window.start, window.previous_window.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert (window.previous_year.start, window.previous_year.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert window.months_in_period == 3


def test_window_of_a_week_starts_with_the_month_the_week_starts_in():
    # 2026-W36 runs from Monday 31 August to 6 September 2026: the window is Aug 2025 - Jul 2026.
    window = bl.baseline_window(parse_period("2026-W36"))
    assert (window.window.start, window.window.end) == (date(2025, 8, 1), date(2026, 7, 31))
    assert window.months_in_period == pytest.approx(7 * 12 / 365)  # 365 days in the window
    # Three-month blocks from August are not calendar quarters: they are labelled as ranges.
    assert window.quarters[0].label == "2025-08-01..2025-10-31"


def test_window_quarters_follow_the_fiscal_year():
    # Fiscal year from April, named by its ending year: 2026-Q1 is April-June 2025, and the window
    # (April 2024 - March 2025) is the fiscal year 2025.
    window = bl.baseline_window(parse_period("2026-Q1", 4), 4)
    assert (window.window.start, window.window.end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert [q.label for q in window.quarters] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


# --------------------------------------------------------------------------- team baselines


def test_monthly_and_quarterly_baselines_with_the_seasonal_profile(q1):
    monthly = q1.monthly[q1.monthly["kpi"] == "deals_won"].set_index("label")
    # Won in 2025 by closed_at: W1 Jan, W2 Feb, W3 Mar, W4 Jun, W5 Aug, W6 Nov, W7 Dec (X1 has no date).
    assert list(monthly["value"]) == [1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1]
    assert monthly["covered"].all()
    assert monthly["share"].sum() == pytest.approx(1.0)
    assert monthly.loc["2025-03", "share"] == pytest.approx(1 / 7)
    value = q1.monthly[q1.monthly["kpi"] == "won_value"].set_index("label")
    # 2000 + 1000 + 3000 + 2000 + 4000 + 1000 + 3000 = 16000; August (W5, 4000) is a quarter of it.
    assert value["value"].sum() == 16000
    assert value.loc["2025-08", "share"] == pytest.approx(0.25)
    assert value["share"].sum() == pytest.approx(1.0)
    quarterly = q1.quarterly[q1.quarterly["kpi"] == "won_value"].set_index("quarter")
    assert list(quarterly["value"]) == [6000, 2000, 4000, 4000]
    assert list(quarterly["share"]) == pytest.approx([0.375, 0.125, 0.25, 0.25])
    # Rates have no share of the year; the win rate by quarter: Q1 3 won / 3, Q2 1 won + L1 lost,
    # Q3 1 won + L2 lost, Q4 2 won + L3 lost.
    rate = q1.quarterly[q1.quarterly["kpi"] == "win_rate"]
    assert list(rate["value"]) == pytest.approx([1.0, 0.5, 0.5, 2 / 3])
    assert rate["share"].isna().all()


def test_a_quarter_is_compared_with_the_mean_of_the_four_baseline_quarters(q1):
    won = q1.row("deals_won")
    # 7 won in 2025 -> 7 / 4 = 1.75 per quarter; 2026-Q1 has C1 and C2 -> +14.3 %, better.
    assert (won["value"], won["baseline"]) == (2, pytest.approx(1.75))
    assert won["change"] == pytest.approx(2 / 1.75 - 1)
    assert won["verdict"] == "better"
    value = q1.row("won_value")
    # 16000 / 4 = 4000 against 5000 + 2000 = 7000; a year earlier (2025-Q1: W1, W2, W3) 6000.
    assert (value["value"], value["baseline"], value["previous_year"]) == (7000, 4000, 6000)
    assert value["change"] == pytest.approx(0.75)
    assert value["previous_year_change"] == pytest.approx(7000 / 6000 - 1)
    assert value["previous_year_verdict"] == "better"
    # Deals won a year earlier: 3 -> 2 is worse.
    assert won["previous_year"] == 3 and won["previous_year_verdict"] == "worse"
    # New deals created in 2025: L1, W2, W3, W4, L2, W5, L3, W6, W7 and C1 = 10 -> 2.5 a quarter;
    # 2026-Q1 created C2, C3, C4.
    new = q1.row("new_deals")
    assert (new["value"], new["baseline"]) == (3, pytest.approx(2.5))


def test_rates_are_compared_with_the_rate_over_the_whole_window_in_points(q1):
    rate = q1.row("win_rate")
    # 2025: 7 won, 3 lost -> 0.7 (pooled, not the mean of the quarterly rates); 2026-Q1: 2 won, 1 lost.
    assert rate["baseline"] == pytest.approx(0.7)
    assert rate["value"] == pytest.approx(2 / 3)
    assert rate["change"] == pytest.approx(2 / 3 - 0.7)  # percentage points, as a fraction
    assert rate["verdict"] == "worse"
    # A year earlier, 2025-Q1: 3 won, none lost.
    assert rate["previous_year"] == 1.0 and rate["previous_year_change"] == pytest.approx(2 / 3 - 1)


def test_open_deals_are_compared_with_their_mean_month_end_level(q1):
    stock = q1.row("open_deals_end")
    # Open at each month end of 2025 (created on or before, not closed by then):
    # Jan L1, Feb L1, Mar L1, Apr -, May W4, Jun L2, Jul L2 W5, Aug L2, Sep L3, Oct L3 W6,
    # Nov L3 W7, Dec C1 -> 1+1+1+0+1+1+2+1+1+2+2+1 = 14 -> 14 / 12. X1 (no dates) is left out.
    assert stock["kind"] == "stock"
    assert stock["baseline"] == pytest.approx(14 / 12)
    assert stock["value"] == 1  # C4 at 2026-03-31
    assert q1.monthly[q1.monthly["kpi"] == "open_deals_end"]["share"].isna().all()


def test_activities_per_rep_is_compared_with_the_mean_of_the_baseline_quarters(data, engine):
    result = bl.compute_baselines(data, Q1, ["activities_per_rep"], engine)
    row = result.row("activities_per_rep")
    # Outbound activities / reps with one, per quarter of 2025: Q1 3 / 2 (Ana 2, Ben 1), Q2 none
    # (no rep: null), Q3 1 / 1, Q4 2 / 1 -> mean (1.5 + 1 + 2) / 3 = 1.5 (a flow's rule, the monthly
    # mean x 3, would give (2 + 1 + 1 + 2) / 4 x 3 = 4.5). 2026-Q1: 3 activities / 2 reps.
    assert row["kind"] == "average"
    assert (row["baseline"], row["value"], row["verdict"]) == (pytest.approx(1.5), 1.5, "stable")


def test_how_each_kpi_adds_up_over_time():
    kinds = {kpi_id: bl.kpi_kind(REGISTRY[kpi_id]) for kpi_id in REGISTRY if REGISTRY[kpi_id].unit != "breakdown"}
    assert {k for k, kind in kinds.items() if kind == "stock"} == {
        "open_deals_end",
        "open_pipeline_value",
        "weighted_pipeline_value",
        "customer_ltv",
    }
    assert {k for k, kind in kinds.items() if kind == "average"} == {
        "activities_per_rep",
        "new_business_revenue",
        "new_business_share",
    }
    assert kinds["deals_won"] == kinds["revenue"] == kinds["calls_made"] == "flow"
    assert kinds["win_rate"] == kinds["avg_deal_size"] == kinds["sales_cycle_days"] == "ratio"


def test_year_over_year_growth_and_its_null_case(data, engine, q1):
    # 2025 against 2024: won 7 against 2 (P1, P2), won value 16000 against 4000, win rate 0.7
    # against 2 / 3 (L0 lost).
    assert q1.row("deals_won")["yoy_growth"] == pytest.approx(7 / 2 - 1)
    assert q1.row("won_value")["yoy_growth"] == pytest.approx(3.0)
    assert q1.row("win_rate")["yoy_growth"] == pytest.approx(0.7 - 2 / 3)
    # The activities start in May 2024: 2024 is not covered for calls.
    calls = q1.row("calls_made")
    assert calls["window_value"] == 6 and math.isnan(calls["yoy_growth"])
    # For 2025-Q3 the window is July 2024 - June 2025 and the 12 months before start in July 2023,
    # before the data: no growth, but the same quarter a year earlier (2024-Q3: nothing won) is covered.
    q3 = bl.compute_baselines(data, parse_period("2025-Q3"), ["deals_won"], engine)
    won = q3.row("deals_won")
    assert math.isnan(won["yoy_growth"]) and math.isnan(won["previous_window_value"])
    assert won["previous_year"] == 0


def test_months_the_data_do_not_cover_have_no_value_and_no_share(data, engine):
    # 2024-Q3: the window July 2023 - June 2024; deals won are covered from January 2024 (the first close).
    partial = bl.compute_baselines(data, parse_period("2024-Q3"), ["deals_won"], engine)
    monthly = partial.monthly.set_index("label")
    assert monthly["covered"].sum() == 6 and monthly.loc["2023-12", "value"] != monthly.loc["2023-12", "value"]
    assert monthly["share"].isna().all()
    # Won Jan-Jun 2024: P1 (Jan), P2 (May) -> 2 / 6 a month -> 1 a quarter.
    assert partial.row("deals_won")["baseline"] == pytest.approx(1.0)
    assert partial.row("deals_won")["months_covered"] == 6
    assert partial.months_covered == 6


def test_a_month_a_year_and_a_range_against_the_same_window(data, engine):
    # All three have 2025 as their window; 7 deals won in it.
    month = bl.compute_baselines(data, parse_period("2026-01"), ["deals_won", "win_rate"], engine)
    assert month.row("deals_won")["baseline"] == pytest.approx(7 / 12)  # the mean of the 12 months
    assert month.row("win_rate")["baseline"] == pytest.approx(0.7)
    year = bl.compute_baselines(data, parse_period("2026"), ["deals_won"], engine)
    assert year.row("deals_won")["baseline"] == pytest.approx(7)
    days = bl.compute_baselines(data, parse_period("2026-01-01..2026-01-31"), ["deals_won"], engine)
    assert days.row("deals_won")["baseline"] == pytest.approx(7 * 31 / 365)


def test_rows_left_out_and_unavailable_kpis_are_reported(data, engine):
    result = bl.compute_baselines(data, Q1, ["deals_won", "email_open_rate"], engine)
    assert result.row("deals_won")["excluded"] == 1  # X1, won without a close date
    assert "email_open_rate" in result.unavailable  # no email outcomes in the data
    assert list(result.comparison["kpi"]) == ["deals_won"]
    with pytest.raises(KpiError, match="no_such_kpi"):
        bl.compute_baselines(data, Q1, ["no_such_kpi"], engine)


def test_change_and_verdict_rules():
    assert bl.change(0.30, 0.25, "rate") == pytest.approx(0.05)
    assert bl.change(120, 100, "count") == pytest.approx(0.2)
    assert bl.change(5, 0, "count") is None and bl.change(None, 3, "count") is None
    assert bl.verdict(120, 100, "higher") == "better"
    assert bl.verdict(120, 100, "lower") == "worse"  # e.g. a longer sales cycle
    assert bl.verdict(80, 100, "lower") == "better"
    assert bl.verdict(100.9, 100, "higher") == "stable"  # within 1 %
    assert bl.verdict(None, 100, "higher") is None


# --------------------------------------------------------------------------- per rep


def test_months_of_history_per_rep(data):
    history = baselines_reps.months_of_history(data, bl.baseline_window(Q1))
    # Ana 2025: W1 Jan, W2 Feb, W4 May-Jun, W6 Oct-Nov, L3 Sep-Dec, C1 Dec, calls Jan and Jul
    # -> Jan Feb May Jun Jul Sep Oct Nov Dec = 9. Ben: L1 Jan-Apr, W3 Mar, L2 Jun-Sep, W5 Jul-Aug,
    # calls Mar and Oct -> Jan Mar Apr Jun Jul Aug Sep Oct = 8. Cleo: W7 Nov-Dec = 2. Dana: none.
    assert history.to_dict() == {"Ana": 9, "Ben": 8, "Cleo": 2}


def test_rep_baselines_come_from_each_reps_own_history(data, engine):
    reps = baselines_reps.rep_baselines(data, Q1, ["deals_won", "won_value", "win_rate", "calls_made"], engine)
    table = reps.table.set_index("owner")
    assert list(table.index) == ["Ana", "Ben", "Cleo", "Dana"]
    assert list(table["months_of_history"]) == [9, 8, 2, 0]
    assert list(table["flagged"]) == [False, False, True, True]
    # Ana: 4 won (W1, W2, W4, W6) worth 6000 over 9 months -> 4 / 9 * 3 and 2000 a quarter;
    # 4 won, 1 lost -> 0.8; 3 calls -> 1 a quarter. Period: C1 won (5000), 1 call.
    assert table.loc["Ana", "deals_won"] == pytest.approx(4 / 3)
    assert table.loc["Ana", "won_value"] == pytest.approx(2000)
    assert table.loc["Ana", "win_rate"] == pytest.approx(0.8)
    assert table.loc["Ana", "calls_made"] == pytest.approx(1.0)
    assert table.loc["Ana", "won_value.value"] == 5000
    assert table.loc["Ana", "won_value.change"] == pytest.approx(1.5)
    # Ben: W3 + W5 = 7000 over 8 months -> 2625 a quarter; 2 won, 2 lost -> 0.5.
    assert table.loc["Ben", "won_value"] == pytest.approx(2625)
    assert table.loc["Ben", "win_rate"] == pytest.approx(0.5)
    # Cleo (2 months, flagged): W7 3000 -> 1500 a month -> 4500 a quarter, shown as an extrapolation.
    assert table.loc["Cleo", "won_value"] == pytest.approx(4500)
    # Dana has no history: no baseline at all.
    assert math.isnan(table.loc["Dana", "won_value"])


def test_rep_baselines_need_an_owner():
    data = make_data()
    data.tables["deals"] = data.deals.drop(columns="owner")
    with pytest.raises(UnavailableError, match="owner"):
        baselines_reps.rep_baselines(data, Q1, ["deals_won"])


# --------------------------------------------------------------------------- narrative and display


def test_highlights_read_the_numbers(q1):
    name = {kpi_id: REGISTRY[kpi_id].en for kpi_id in KPIS}
    sentences = [str(s) for s in narrative.highlights(q1, "en")]
    # Against the baseline, in the KPI's good direction: calls 3 vs 6 / 4 = 1.5 (+100 %), won value
    # +75 %, new deals 3 vs 2.5 (+20 %), deals won +14.3 % (only three are named); open deals 1 vs
    # 14 / 12 (-14.3 %), win rate 2/3 vs 0.7 (-4.8 % relative, shown in points).
    assert sentences[0] == (
        f"Biggest improvements against the baseline: {name['calls_made']} +100.0% (3 vs 1.5 on average), "
        f"{name['won_value']} +75.0% (€7,000 vs €4,000), and {name['new_deals']} +20.0% (3 vs 2.5 on average)."
    )
    assert sentences[1] == (
        f"Biggest declines against the baseline: {name['open_deals_end']} -14.3% (1 vs 1.2 on average) and "
        f"{name['win_rate']} -3.3\u00a0pts (66.7% vs 70.0%)."
    )
    # No revenue KPI asked for: the won value over 2025 against 2024.
    assert sentences[2] == (
        f"{name['won_value']} over the baseline's twelve months (Jan 2025 – Dec 2025): €16,000, +300.0% "
        "on the twelve months before (€4,000)."
    )
    assert len(sentences) == 3  # the 12 months are covered: no caution
    french = [str(s) for s in narrative.highlights(q1, "fr")]
    assert french[0].startswith("Plus fortes progressions par rapport à la référence : ")
    assert f"{REGISTRY['won_value'].fr} +75,0\u00a0% (7\u202f000\u00a0€ contre 4\u202f000\u00a0€) et " in french[0]
    assert french[1].startswith("Plus forts reculs par rapport à la référence : ")
    assert french[2].startswith(
        f"{REGISTRY['won_value'].fr} des douze mois de la référence (janv. 2025 – déc. 2025) : "
    )


def test_a_single_move_is_written_in_the_singular(q1):
    # Only the best move of each side: calls +100 % and open deals -14.3 % (see above).
    french = [f.text for f in narrative.highlights(q1, "fr", count=1)]
    assert french[0] == (
        f"Plus forte progression par rapport à la référence : {REGISTRY['calls_made'].fr} +100,0\u00a0% (3 contre 1,5 en moyenne)."
    )
    assert french[1] == (
        f"Plus fort recul par rapport à la référence : {REGISTRY['open_deals_end'].fr} -14,3\u00a0% (1 contre 1,2 en moyenne)."
    )
    english = [f.text for f in narrative.highlights(q1, "en", count=1)]
    assert english[0].startswith("Biggest improvement against the baseline: ")


def test_rep_highlights_name_the_flagged_reps(data, engine):
    reps = baselines_reps.rep_baselines(data, Q1, ["won_value"], engine)
    findings = narrative.rep_highlights(reps, "en")
    assert all(isinstance(f, Finding) for f in findings)
    sentences = [f.text for f in findings]
    assert sentences[0] == (
        "Short history (fewer than 6 of the twelve months) for 2 reps: "
        "Cleo (2 months) and Dana (0 months); their baselines are only indicative."
    )
    # Among Ana (+150 %) and Ben (2000 vs 2625: -23.8 %).
    assert "Ana improved most (+150.0%), Ben fell back most (-23.8%)" in sentences[1]
    french = [f.text for f in narrative.rep_highlights(reps, "fr")]
    assert french[0] == (
        "Historique court (moins de 6 mois sur les douze) pour 2 commerciaux : "
        "Cleo (2 mois) et Dana (0 mois) ; leurs références sont indicatives."
    )


def test_one_rep_with_a_short_history_is_written_in_the_singular(data, engine):
    # With a minimum of 1 month, only Dana (no history) is flagged; Cleo has 2 months.
    reps = baselines_reps.rep_baselines(data, Q1, ["won_value"], engine, min_months=1)
    assert narrative.rep_highlights(reps, "fr")[0].text == (
        "Historique court (moins de 1 mois sur les douze) pour 1 commercial : Dana (0 mois) ; "
        "sa référence est indicative."
    )
    assert narrative.rep_highlights(reps, "en")[0].text == (
        "Short history (fewer than 1 of the twelve months) for 1 rep: Dana (0 months); "
        "their baseline is only indicative."
    )


def test_family_table_is_written_in_the_report_language(q1):
    shown = narrative.family_table(q1, "pipeline", "fr")
    assert isinstance(shown, Table) and shown.columns == narrative.FAMILY_COLUMNS
    table = shown.frame.set_index("kpi")
    assert list(table.index) == ["new_deals", "open_deals_end", "deals_won", "win_rate", "won_value"]
    assert table.loc["win_rate", "label"] == REGISTRY["win_rate"].fr
    assert table.loc["win_rate", "change"] == "-3,3\u00a0pts"
    # The win rate fell (-3,3 pts) and a lower win rate is worse: down, and worse.
    assert table.loc["win_rate", "verdict"] == "▼\u00a0moins\u00a0bien"
    # A count's baseline is a mean: below ten, one decimal and the word saying it is one (7 / 4 = 1.75
    # -> "1,8 en moyenne", never read as if 1,8 deals had been won); the period's count is whole.
    assert (table.loc["deals_won", "value"], table.loc["deals_won", "baseline"]) == ("2", "1,8 en moyenne")
    assert table.loc["won_value", "baseline"] == "4\u202f000\u00a0€"
    assert table.loc["won_value", "previous_year_change"] == "+16,7\u00a0%"
    assert table.loc["won_value", "previous_year_verdict"] == "▲\u00a0mieux"  # up 16,7 % on a year earlier, and better


def test_tables_for_the_report_fit_a_portrait_page(q1, data, engine):
    # At most 8 columns (more would switch to smaller type, more than 12 to a landscape page).
    reps = baselines_reps.rep_baselines(data, Q1, engine=engine)
    for shown in (
        narrative.quarterly_table(q1, "fr"),
        narrative.seasonal_table(q1, "fr"),
        narrative.rep_table(reps, "fr"),
    ):
        assert len(shown.columns) <= 8
    assert len(narrative.FAMILY_COLUMNS) == 8
    shown = narrative.quarterly_table(q1, "en", kpis=["won_value", "win_rate"])
    # The KPI columns are headed by the registry's labels, never by a message of their own.
    assert shown.headers == {"won_value": REGISTRY["won_value"].en, "win_rate": REGISTRY["win_rate"].en}
    quarterly = shown.frame
    from strategy_kit.report.notebook import table_html

    head = table_html(shown.frame, "en", **shown.options()).split("</thead>")[0]
    assert f">{REGISTRY['won_value'].en}</th>" in head and f">{label('baseline.column.quarter', 'en')}</th>" in head
    # Four quarters then the baseline for a quarter: 16000 / 4 and the 2025 win rate.
    assert list(quarterly["quarter"]) == [
        "Q1 2025",
        "Q2 2025",
        "Q3 2025",
        "Q4 2025",
        label("baseline.quarter_baseline", "en"),
    ]
    assert list(quarterly["won_value"]) == ["€6,000", "€2,000", "€4,000", "€4,000", "€4,000"]
    assert quarterly["win_rate"].iloc[-1] == "70.0%"
    months = narrative.rep_table(reps, "en").frame.set_index("owner")["months_of_history"]
    assert list(months) == ["9", "8", "2 (short history)", "0 (short history)"]
    assert list(narrative.quarterly_table(q1, "fr", kpis=["won_value"]).frame["quarter"])[:4] == [
        "T1 2025",
        "T2 2025",
        "T3 2025",
        "T4 2025",
    ]


def test_history_and_its_chart(data, engine, q1):
    histories = baselines_history.history(data, q1, ["won_value", "win_rate", "calls_made"], engine)
    won = histories["won_value"]
    # The 12 baseline months and the 3 months of 2026-Q1; a year earlier: 2024 (covered by the deals).
    assert len(won.monthly) == 15 and list(won.monthly["in_period"]).count(True) == 3
    assert list(won.monthly["value"].iloc[-3:]) == [5000, 2000, 0]
    assert list(won.monthly["previous_year"].iloc[:5]) == [1000, 0, 0, 0, 3000]
    assert list(won.quarterly["quarter"]) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    # 2026-Q1: C1 + C2; a year earlier each quarter of 2024: P1 (Jan) 1000, P2 (May) 3000, nothing after.
    assert won.quarterly["value"].iloc[-1] == 7000
    assert list(won.quarterly["previous_year"]) == [1000, 3000, 0, 0, 6000]
    assert (won.monthly_baseline, won.quarterly_baseline) == (pytest.approx(16000 / 12), pytest.approx(4000))
    assert histories["win_rate"].monthly_baseline == pytest.approx(0.7)
    # Calls: the activities start in May 2024, so January-April 2024 have no value a year earlier.
    calls = histories["calls_made"]
    assert calls.monthly["previous_year"].iloc[:4].isna().all() and calls.monthly["previous_year"].iloc[4] == 1
    for language in ("fr", "en"):
        assert isinstance(history_chart(won, language), Figure)


def test_baseline_label_keys_exist_in_both_languages():
    root = Path(__file__).resolve().parents[1]
    notebook = json.loads((root / "notebooks" / "05_baseline_kpis.ipynb").read_text(encoding="utf-8"))
    modules = [
        *(root / "strategy_kit" / "analytics").glob("baselines*.py"),
        root / "strategy_kit" / "narrative" / "baselines.py",
        root / "strategy_kit" / "plots" / "baselines.py",
    ]
    texts = [
        *(path.read_text(encoding="utf-8") for path in modules),
        *("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"),
    ]
    pattern = re.compile(r"""["'](baseline\.[a-z0-9_.]*[a-z0-9_])["']""")
    used = {key for text in texts for key in pattern.findall(text)}
    assert {"baseline.title", "baseline.reps.title", "baseline.months_flagged"} <= used
    # Keys built from a value: one per verdict, unit, period kind, family and narrative case.
    used |= {f"baseline.verdict.{v}" for v in ("better", "worse", "stable")}
    used |= {f"baseline.unit.{u}" for u in ("days", "hours")}
    used |= {f"baseline.rule.{k}" for k in ("quarter", "month", "year", "other")}
    used |= {f"baseline.family.{f}" for f in bl.FAMILY_ORDER}
    used |= {f"baseline.narrative.{n}" for n in ("improvements", "declines", "no_improvements", "no_declines")}
    used |= {f"baseline.small_base.{k}.{r}" for k in ("rate", "amount") for r in ("baseline", "previous_year")}
    assert sorted(key for key in used if key not in MESSAGES) == []
    unused = sorted(key for key in MESSAGES if key.startswith("baseline.") and key not in used)
    assert unused == []


def test_kpi_names_come_from_the_registry_only():
    # No message repeats a KPI's name: the tables head their KPI columns with the registry's labels.
    assert sorted(f"baseline.column.{kpi_id}" for kpi_id in REGISTRY if f"baseline.column.{kpi_id}" in MESSAGES) == []


# --------------------------------------------------------------------------- reasons and period names


def test_every_reason_of_the_step_reads_in_the_report_language(data, engine, q1):
    # No KPI of the list is available: the reason names them with the registry's labels.
    with pytest.raises(UnavailableError) as caught:
        narrative.quarterly_table(q1, "fr", kpis=["email_open_rate"])
    assert caught.value.reason("fr") == (
        f"aucun des indicateurs clés ({REGISTRY['email_open_rate'].fr}) n'est disponible"
    )
    assert str(caught.value) == f"none of the key KPIs ({REGISTRY['email_open_rate'].en}) is available"
    with pytest.raises(UnavailableError) as caught:
        narrative.seasonal_table(q1, "fr", kpis=["win_rate", "open_deals_end"])  # a rate and a stock: no share
    assert caught.value.reason("fr") == (
        "aucun des indicateurs du profil saisonnier "
        f"({REGISTRY['win_rate'].fr} et {REGISTRY['open_deals_end'].fr}) n'est disponible"
    )
    # A family none of whose KPIs the data support: the KPIs' own reasons, in French.
    result = bl.compute_baselines(data, Q1, ["deals_won", "email_open_rate"], engine)
    with pytest.raises(UnavailableError) as caught:
        narrative.require_family(result, "outreach")
    assert caught.value.reason("fr") == (
        f"les données du client ne permettent aucun de ces indicateurs ({label('kpis.reason.no_emails', 'fr')})"
    )
    assert narrative.kpi_reason(result, "email_open_rate", "fr") == label("kpis.reason.no_emails", "fr")
    with pytest.raises(UnavailableError) as caught:
        narrative.require_family(result, "lead_generation")
    assert caught.value.reason("fr") == "aucun indicateur de la famille « Génération de leads » n'a été demandé"
    narrative.require_family(result, "pipeline")  # deals won is available: no error


def test_a_kpi_without_a_value_per_rep_says_why_in_both_languages():
    # The customer lifetime value breaks down by account only: the team has it, the reps do not.
    data = make_data()
    data.tables["deals"] = data.deals.assign(account_id=pd.Series(["A1"] * len(DEALS), dtype="string"))
    reps = baselines_reps.rep_baselines(data, Q1, ["won_value", "customer_ltv"])
    assert reps.kpis == ("won_value",)
    reason = reps.reasons["customer_ltv"]
    assert reason.reason("fr") == "cet indicateur n'a pas de valeur par commercial"
    assert reps.unavailable == {"customer_ltv": "this KPI has no value per sales rep"}


def test_period_names_are_written_by_the_language():
    assert narrative.quarter_text("2025-Q3", date(2025, 7, 1), date(2025, 9, 30), "fr") == "T3 2025"
    assert narrative.quarter_text("2025-Q3", date(2025, 7, 1), date(2025, 9, 30), "en") == "Q3 2025"
    # A fiscal year from April: its first quarter (April - June 2025) is not the calendar's.
    assert narrative.quarter_text("2026-Q1", date(2025, 4, 1), date(2025, 6, 30), "fr") == "T1 exercice 2026"
    assert narrative.quarter_text("2026-Q1", date(2025, 4, 1), date(2025, 6, 30), "en") == "Q1 FY2026"
    assert narrative.quarter_text("2025-08-01..2025-10-31", date(2025, 8, 1), date(2025, 10, 31), "fr") == (
        "août 2025 – oct. 2025"
    )
    assert narrative.period_name(parse_period("2026-09"), "fr") == "septembre 2026"
    assert narrative.period_name(parse_period("2026"), "fr") == "2026"  # a calendar year: its number
    assert narrative.period_name(parse_period("2026", 4), "fr") == "exercice 2026"
    assert narrative.period_name(parse_period("2026-W36"), "fr") == "semaine 36 de 2026"
    assert narrative.period_name(parse_period("2026-01-01..2026-01-31"), "fr") is None


def _window_only(period: str) -> bl.Baselines:
    """Baselines with a window and nothing computed (what the intro and the rule read)."""
    return bl.Baselines(
        window=bl.baseline_window(parse_period(period)),
        definitions={},
        comparison=pd.DataFrame(),
        monthly=pd.DataFrame(),
        quarterly=pd.DataFrame(),
    )


def test_intro_and_rule_name_the_period_and_elide_before_a_vowel():
    # 2026-Q2: the twelve months from April 2025 to March 2026 -> "d'avril", not "de avril".
    assert narrative.intro(_window_only("2026-Q2"), "fr").text == (
        "Chaque indicateur de la période T2 2026 (du 01/04/2026 au 30/06/2026) face à sa référence, sa valeur "
        "sur les douze mois précédents (d'avril 2025 à mars 2026), et face à la même période un an plus tôt."
    )
    assert "(de janvier 2025 à décembre 2025)" in narrative.intro(_window_only("2026-Q1"), "fr").text
    assert "(April 2025 to March 2026)" in narrative.intro(_window_only("2026-Q2"), "en").text
    # A range of days has no name: its dates say which period it is.
    assert narrative.intro(_window_only("2026-01-01..2026-01-31"), "fr").text.startswith(
        "Chaque indicateur de la période du 01/01/2026 au 31/01/2026 face à sa référence"
    )
    # A month is compared with the same month a year earlier, named in full.
    assert narrative.rule_finding(_window_only("2026-01"), "fr").text.endswith(
        "Même période un an plus tôt : janvier 2025."
    )


def test_rows_left_out_are_one_sentence(q1):
    # X1, won without dates, is left out of each pipeline KPI of KPIS that reads a deal's dates.
    finding = narrative.excluded_finding(q1, "pipeline", "fr")
    names = [REGISTRY[k].fr for k in ("new_deals", "open_deals_end", "deals_won", "win_rate", "won_value")]
    assert finding.text == (
        "Lignes écartées faute de date : "
        + ", ".join(f"{n} (1 ligne)" for n in names[:-1])
        + f" et {names[-1]} (1 ligne)."
    )
    assert narrative.excluded_finding(q1, "activity", "fr") is None


def test_the_main_date_of_a_table_is_the_overviews():
    from strategy_kit.analytics.overview import DATE_COLUMNS

    assert {table: bl.main_date(table) for table in DATE_COLUMNS} == DATE_COLUMNS


# --------------------------------------------------------------------------- the notebook


def test_notebook_renders_on_the_demo(tmp_path):
    """One render (it starts a kernel): notebook 05 on the demo client, in French."""
    from strategy_kit.demo import build_demo
    from strategy_kit.report import render_report
    from strategy_kit.workspace import Workspace

    workspace = Workspace(tmp_path / "ws")
    build_demo(workspace)
    pdf = render_report(workspace, "demo", notebooks=["baseline_kpis"], keep_html=True)
    assert pdf.exists() and pdf.stat().st_size > 10_000
    page = pdf.with_suffix(".html").read_text(encoding="utf-8")
    for text in (
        "Indicateurs de référence",
        "Mesures du pipeline",
        "Références par commercial",
        "Taux de transformation",
        "Même période N-1",
        "Plus fortes progressions",
        "historique court",
        "Léa Fournier",
    ):
        assert text in page, text
    assert "Traceback" not in page and "Baseline KPIs" not in page  # French throughout


def test_counts_read_as_a_reader_counts_them():
    # A baseline is a mean, but a count of ten or more is read whole (38,5 new deals: 39, before
    # "38,5"), and no count shows ",0"; below ten the half shows, and the word says it is an average.
    assert narrative.format_kpi_value(2403.5, "count", "fr") == "2\u202f404"
    assert narrative.format_kpi_value(160.0, "count", "fr") == "160"
    assert narrative.format_kpi_value(38.5, "count", "fr") == "39"  # half up
    assert narrative.format_kpi_value(10.0, "count", "en") == "10"  # exactly at the threshold
    assert narrative.format_kpi_value(9.5, "count", "fr") == "9,5"  # just below ten: the half shows
    assert narrative.format_kpi_value(1.5, "count", "en") == "1.5"
    assert narrative.average_count(1.5, "count", "fr") == "1,5 en moyenne"
    assert narrative.average_count(2.0, "count", "fr") == "2"  # whole: no word needed
    assert narrative.average_count(0.125, "rate", "en") == "12.5%"
    assert narrative.format_kpi_value(0.125, "rate", "fr") == "12,5\u00a0%"


def test_the_arrow_says_where_the_kpi_went_and_the_word_whether_it_is_good():
    # More lost deals (a KPI whose good direction is down): up, and worse; fewer: down, and better.
    assert narrative.verdict_text("worse", 0.2, "fr") == "▲\u00a0moins\u00a0bien"
    assert narrative.verdict_text("better", -0.2, "fr") == "▼\u00a0mieux"
    assert narrative.verdict_text("better", 0.15, "en") == "▲\u00a0better"
    assert narrative.verdict_text("stable", 0.01, "en") == "=\u00a0stable"
    assert narrative.verdict_text(None, None, "en") == narrative.MISSING


# --------------------------------------------------------------------------- indicator tables as a reader sees them


def test_indicator_tables_align_numbers_right_and_colour_the_verdicts(q1, data, engine):
    # Before: every column was text, left-aligned, and "▼ moins bien" was black.
    shown = narrative.family_table(q1, "pipeline", "fr")
    for column in ("value", "baseline", "change", "previous_year", "previous_year_change"):
        assert shown.classes[column] == "num sk-narrow", column
    table = shown.frame.set_index("kpi")
    verdicts = dict(zip(shown.frame["kpi"], shown.classes["verdict"]))
    # win rate 66,7 % against 70 %: worse, red; won value 7 000 € against 4 000 €: better, green
    assert (table.loc["win_rate", "verdict"], verdicts["win_rate"]) == ("▼\u00a0moins\u00a0bien", "sk-worse")
    assert (table.loc["won_value", "verdict"], verdicts["won_value"]) == ("▲\u00a0mieux", "sk-better")
    markup = nb.table_html(shown.frame, "fr", **shown.options())
    assert '<th class="text num sk-narrow">' in markup  # the header of a column of numbers, right-aligned too
    assert '<td class="text sk-worse">▼\u00a0moins\u00a0bien</td>' in markup
    assert '<td class="text sk-label sk-narrow">' in markup  # the KPI's name in its wider column
    # the per-rep and per-quarter tables: numbers right-aligned, a rep's counts whole
    reps = baselines_reps.rep_baselines(data, Q1, engine=engine)
    rep_table = narrative.rep_table(reps, "fr")
    assert set(rep_table.classes) == set(reps.kpis) and set(rep_table.classes.values()) == {"num"}
    counts = [k for k in reps.kpis if REGISTRY[k].unit == "count"]
    assert counts and all("," not in str(v) for k in counts for v in rep_table.frame[k])
    assert set(narrative.quarterly_table(q1, "fr").classes.values()) == {"num"}


def small_base_baselines() -> bl.Baselines:
    """Two KPIs by hand: revenue growth at 28,4 % against 56,6 % (baseline) and 143,5 % a year
    earlier; revenue 3 000 against 2 000 (baseline) and 1 200 a year earlier (+150 %)."""
    rows = [
        {
            "kpi": "revenue_yoy_growth",
            "value": 0.284,
            "baseline": 0.566,
            "change": 0.284 - 0.566,
            "verdict": "worse",
            "previous_year": 1.435,
            "previous_year_change": 0.284 - 1.435,
            "previous_year_verdict": "worse",
        },
        {
            "kpi": "revenue",
            "value": 3000.0,
            "baseline": 2000.0,
            "change": 0.5,
            "verdict": "better",
            "previous_year": 1200.0,
            "previous_year_change": 1.5,
            "previous_year_verdict": "better",
        },
    ]
    definitions = {r["kpi"]: REGISTRY[r["kpi"]] for r in rows}
    comparison = pd.DataFrame([{**r, "family": "business", "unit": definitions[r["kpi"]].unit} for r in rows])
    return bl.Baselines(
        window=bl.baseline_window(Q1),
        definitions=definitions,
        comparison=comparison,
        monthly=pd.DataFrame(),
        quarterly=pd.DataFrame(),
    )


def test_a_change_resting_on_a_small_base_is_flagged_and_explained():
    # Before: "143,5 % / -115,0 pts" with no word of why (a growth rate above 100 %: the base a year
    # earlier was less than half).
    baselines = small_base_baselines()
    table = narrative.family_table(baselines, "business", "fr").frame.set_index("kpi")
    assert table.loc["revenue_yoy_growth", "previous_year"] == "143,5\u00a0%\u00a0*"
    assert table.loc["revenue_yoy_growth", "previous_year_change"] == "-115,1\u00a0pts\u00a0*"  # 28,4 - 143,5
    assert table.loc["revenue_yoy_growth", "baseline"] == "56,6\u00a0%"  # under 100 %: no star
    assert table.loc["revenue_yoy_growth", "change"] == "-28,2\u00a0pts"
    # revenue: +50 % on its baseline (no star), +150 % on a year earlier (3 000 / 1 200 - 1): starred
    assert table.loc["revenue", "change"] == "+50,0\u00a0%"
    assert table.loc["revenue", "previous_year_change"] == "+150,0\u00a0%\u00a0*"
    notes = narrative.family_notes(baselines, "business", "fr")
    assert [(n.subject, n.evidence["reference"]) for n in notes] == [
        ("revenue_yoy_growth", "previous_year"),
        ("revenue", "previous_year"),
    ]
    assert notes[0].text == (
        f"* {REGISTRY['revenue_yoy_growth'].fr} : 28,4\u00a0% pour la période contre 143,5\u00a0% à la même "
        "période N-1. Une croissance de plus de 100 % veut dire que la base d'un an plus tôt faisait moins de "
        "la moitié : l'écart de -115,1\u00a0pts tient surtout à cette base faible."
    )
    assert notes[1].text.startswith(
        f"* {REGISTRY['revenue'].fr} : 3\u202f000\u00a0€ contre 1\u202f200\u00a0€ à la même période N-1, soit +150,0\u00a0%"
    )
    assert narrative.family_notes(baselines, "pipeline", "en") == []  # nothing to explain elsewhere
