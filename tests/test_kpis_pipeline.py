"""Pipeline KPIs on a hand-made table of ten deals; every expected value is worked out below by hand."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from strategy_kit.config import ClientConfig, Stage
from strategy_kit.data import SalesData
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import parse_period

from conftest import sales_data, table

Q2 = parse_period("2026-Q2")  # 2026-04-01 .. 2026-06-30
STAGES = (
    Stage("lead", "Lead", "Lead"),
    Stage("demo", "Démo", "Demo", 0.3),
    Stage("proposal", "Proposition", "Proposal"),
    Stage("won", "Gagnée", "Won"),
)


def _deals() -> pd.DataFrame:
    rows = [
        # id,   owner, status, value, created,      closed,       stage
        ("d1", "A", "won", 1000.0, "2026-01-10", "2026-04-10", "won"),
        ("d2", "A", "won", 3000.0, "2026-03-01", "2026-05-01 17:45", "won"),
        ("d3", "B", "won", None, "2026-04-05", "2026-06-30 23:59", "won"),
        ("d4", "B", "lost", 500.0, "2026-02-01", "2026-04-20", "proposal"),
        ("d5", "A", "lost", 800.0, "2026-04-02", "2026-07-05", "demo"),
        ("d6", "B", "open", 2000.0, "2026-05-15", None, "proposal"),
        ("d7", "A", "open", 4000.0, "2026-07-01", None, "lead"),
        ("d8", "B", "won", 700.0, None, "2026-05-05", "won"),
        ("d9", "A", "lost", 100.0, "2026-01-01", None, "demo"),
        ("d10", "B", "open", None, "2026-03-15", None, "demo"),
    ]
    return table("deals", rows, ["deal_id", "owner", "status", "value", "created_at", "closed_at", "stage"])


def _history() -> pd.DataFrame:
    rows = [
        ("d1", "lead", "2026-01-10"),
        ("d1", "demo", "2026-02-01"),
        ("d1", "proposal", "2026-03-01"),
        ("d1", "won", "2026-04-10"),
        ("d2", "lead", "2026-03-01"),
        ("d2", "proposal", "2026-04-01"),
        ("d2", "won", "2026-05-01"),
        ("d3", "lead", "2026-04-05"),
        ("d3", "won", "2026-06-30"),
        ("d4", "lead", "2026-02-01"),
        ("d4", "demo", "2026-03-01"),
        ("d4", "proposal", "2026-04-01"),
        ("d5", "lead", "2026-04-02"),
        ("d5", "demo", "2026-04-20"),
        ("d6", "lead", "2026-05-15"),
        ("d6", "proposal", "2026-07-02"),
        ("d8", "won", "2026-05-05"),
        ("d9", "lead", "2026-01-01"),
        ("d9", "demo", "2026-01-15"),
        ("d10", "lead", "2026-03-15"),
        ("d10", "demo", "2026-03-20"),
        ("d7", "lead", "2026-07-01"),
    ]
    return table("stage_history", [(*row, False) for row in rows], ["deal_id", "stage", "entered_at", "inferred"])


def _data(stages=STAGES) -> SalesData:
    config = ClientConfig(client="t", display_name="T", language="en", stages=stages)
    return sales_data(config, deals=_deals(), stage_history=_history())


@pytest.fixture(scope="module")
def result():
    return KpiEngine(_data()).compute(Q2, by=["owner"])


def test_flows_of_the_period(result):
    # Created in Q2: d3 (04-05), d5 (04-02), d6 (05-15) -> 3; d8 has no created_at -> 1 left out.
    assert result.values["new_deals"] == 3
    assert result.excluded["new_deals"] == 1
    # Won with closed_at in Q2: d1 (04-10), d2 (05-01), d3 (06-30 23:59, the date counts), d8 (05-05) -> 4.
    assert result.values["deals_won"] == 4
    assert result.excluded["deals_won"] == 0
    # Lost in Q2: d4 (04-20); d5 closed 07-05 is outside; d9 is lost without closed_at -> left out.
    assert result.values["deals_lost"] == 1
    assert result.excluded["deals_lost"] == 1
    # 4 / (4 + 1); left out: 0 + 1.
    assert result.values["win_rate"] == pytest.approx(0.8)
    assert result.excluded["win_rate"] == 1


def test_values_and_cycle(result):
    # d1 1000 + d2 3000 + d8 700; d3 has no value -> 4700, 1 left out.
    assert result.values["won_value"] == pytest.approx(4700)
    assert result.excluded["won_value"] == 1
    # 4700 over the 3 won deals that have a value.
    assert result.values["avg_deal_size"] == pytest.approx(4700 / 3)
    # Cycles in calendar days: d1 01-10 -> 04-10 = 90, d2 03-01 -> 05-01 = 61, d3 04-05 -> 06-30 = 86;
    # d8 has no created_at (left out). Median of 61, 86, 90 = 86.
    assert result.values["sales_cycle_days"] == 86
    assert result.excluded["sales_cycle_days"] == 1


def test_open_pipeline_at_end(result):
    # Open at 06-30: d5 (closed 07-05, after the end), d6 and d10 (no closed_at); d3 closed on the
    # end day is not open; d7 was created after the end. Left out: d8 (no created_at) and d9 (lost
    # without closed_at) -> 2.
    assert result.values["open_deals_end"] == 3
    assert result.excluded["open_deals_end"] == 2
    # d5 800 + d6 2000; d10 has no value -> 2800, left out 2 + 1.
    assert result.values["open_pipeline_value"] == pytest.approx(2800)
    assert result.excluded["open_pipeline_value"] == 3


def test_weighted_pipeline(result):
    # Stage at 06-30 from the dated history: d5 demo (entered 04-20), d6 lead (proposal only on 07-02).
    # demo: 0.3 from the config. lead: historical share won among the deals closed by 06-30 that
    # reached lead: d1, d2, d3, d4 reached it (d8 has no lead row; d9 has no closed_at; d5 closed
    # after the end); won: d1, d2, d3 -> 3/4. d10 has no value (left out with the 2 above).
    assert result.values["weighted_pipeline_value"] == pytest.approx(800 * 0.3 + 2000 * 0.75)
    assert result.excluded["weighted_pipeline_value"] == 3


def test_weighted_pipeline_uses_the_clients_probabilities_when_set():
    stages = tuple(Stage(s.id, s.fr, s.en, p) for s, p in zip(STAGES, (0.1, 0.3, 0.6, 1.0)))
    values = KpiEngine(_data(stages)).compute(Q2, kpis=["weighted_pipeline_value"]).values
    assert values["weighted_pipeline_value"] == pytest.approx(800 * 0.3 + 2000 * 0.1)


def test_velocity(result):
    # open_deals_end × win_rate × avg_deal_size / sales_cycle_days = 3 × 0.8 × 4700/3 / 86 = 3760 / 86.
    assert result.values["pipeline_velocity"] == pytest.approx(3760 / 86)


def test_breakdown_by_owner(result):
    a, b = result.breakdown["owner"]["A"], result.breakdown["owner"]["B"]
    # A: new d5; won d1, d2; lost none; open d5; cycles 90, 61.
    assert (a["new_deals"], a["deals_won"], a["deals_lost"], a["open_deals_end"]) == (1, 2, 0, 1)
    assert a["win_rate"] == 1.0
    assert a["won_value"] == 4000 and a["avg_deal_size"] == 2000
    assert a["sales_cycle_days"] == pytest.approx(75.5)  # mean of the two middle values
    assert a["weighted_pipeline_value"] == pytest.approx(240)
    assert a["pipeline_velocity"] == pytest.approx(1 * 1.0 * 2000 / 75.5)
    # B: new d3, d6; won d3 (no value), d8; lost d4; open d6, d10; cycle d3 86 (d8 undated).
    assert (b["new_deals"], b["deals_won"], b["deals_lost"], b["open_deals_end"]) == (2, 2, 1, 2)
    assert b["win_rate"] == pytest.approx(2 / 3)
    assert b["won_value"] == 700 and b["avg_deal_size"] == 700
    assert b["sales_cycle_days"] == 86
    assert b["open_pipeline_value"] == 2000
    assert b["weighted_pipeline_value"] == pytest.approx(1500)


def test_empty_denominators_are_null():
    # 2026-08: nothing won, lost or created: rates and averages have no denominator.
    values = KpiEngine(_data()).compute(parse_period("2026-08")).values
    assert values["deals_won"] == 0 and values["deals_lost"] == 0
    assert values["win_rate"] is None
    assert values["avg_deal_size"] is None
    assert values["sales_cycle_days"] is None
    assert values["pipeline_velocity"] is None
    assert values["won_value"] == 0


def test_deals_without_values_or_dates_make_those_kpis_unavailable():
    deals = _deals().drop(columns=["value"])
    data = SalesData(ClientConfig(client="t", display_name="T", stages=STAGES), {"deals": deals})
    result = KpiEngine(data).compute(Q2)
    assert result.unavailable["won_value"] == "no value in the deals"
    assert result.unavailable["avg_deal_size"] == "no value in the deals"
    assert result.unavailable["revenue"] == "no value in the deals"
    assert result.values["deals_won"] == 4
    assert "won_value" not in result.values


def test_each_kpi_is_computed_once_and_reused():
    """win_rate, avg_deal_size and pipeline_velocity read deals_won from the scope: computed once."""
    engine = KpiEngine(_data())
    calls = []
    original = engine.definitions["deals_won"]

    def counting(scope):
        calls.append(scope.period.label)
        return original.compute(scope)

    engine.definitions["deals_won"] = dataclasses.replace(original, compute=counting)
    values = engine.compute(Q2, kpis=["deals_won", "win_rate", "avg_deal_size", "pipeline_velocity"]).values
    assert calls == ["2026-Q2"]
    assert values["pipeline_velocity"] == pytest.approx(3760 / 86)


def test_pipeline_value_is_null_when_no_open_deal_has_a_value():
    deals = _deals()
    deals.loc[deals["deal_id"].isin(["d5", "d6"]), "value"] = None
    config = ClientConfig(client="t", display_name="T", stages=STAGES)
    result = KpiEngine(SalesData(config, {"deals": deals, "stage_history": _history()})).compute(Q2, by=["owner"])
    # Open at 06-30: d5, d6, d10, none with a value: unknown, not 0 (left out: 2 unplaced + 3).
    assert result.values["open_pipeline_value"] is None
    assert result.excluded["open_pipeline_value"] == 5
    assert result.values["weighted_pipeline_value"] is None
    assert result.breakdown["owner"]["A"]["open_pipeline_value"] is None
    assert result.values["open_deals_end"] == 3
