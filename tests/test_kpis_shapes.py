"""KPIs on the shapes real clients hand over: no deals table (a call log, a leads funnel, a
transactions file), activities on deals without leads, deals without values, leads without
created_at, tables present with no rows or with a column empty in every row. Expected values are
worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import REGISTRY, KpiEngine
from strategy_kit.periods import parse_period

CONFIG = ClientConfig(client="t", display_name="T", language="en")
Q2 = parse_period("2026-Q2")  # 2026-04-01 .. 2026-06-30
CURRENCY_UNITS = ("currency", "currency_per_day", "breakdown")


def _activities(**extra) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "activity_id": ["a1", "a2", "a3", "a4"],
            "type": ["call", "call", "email", "call"],
            "at": pd.to_datetime(["2026-04-01 10:00", "2026-04-02 11:00", "2026-04-03 09:00", "2026-03-01 09:00"]),
            "deal_id": ["d1", "d1", "d2", None],
            **extra,
        }
    )
    return frame


def _deals(**extra) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deal_id": ["d1", "d2", "d3"],
            "status": ["won", "open", "won"],
            "product": ["P1", "P2", "P1"],
            "account_id": ["A", "B", "A"],
            "created_at": pd.to_datetime(["2026-03-01", "2026-03-02", "2026-04-05"]),
            "closed_at": pd.to_datetime(["2026-04-20", None, "2026-05-01"]),
            **extra,
        }
    )


def _leads() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lead_id": ["l1", "l2", "l3"],
            "created_at": pd.to_datetime(["2026-04-01 08:00", "2026-04-10 08:00", "2026-07-01 08:00"]),
        }
    )


# ---------------------------------------------------------------- activities on deals, no leads


@pytest.mark.parametrize("leads", [None, "empty"], ids=["no leads table", "leads table without rows"])
def test_followups_on_deals_without_leads(leads):
    tables = {"deals": _deals(), "activities": _activities(lead_id=[None] * 4)}
    if leads == "empty":
        tables["leads"] = _leads().iloc[0:0]
    result = KpiEngine(SalesData(CONFIG, tables)).compute(Q2)
    # a2 (d1, 04-02) follows a1 (d1, 04-01); a3 is d2's first; a4 is in March and on no deal: 1.
    assert result.values["followups_done"] == 1
    assert result.values["calls_made"] == 2  # a1, a2 (a4 is in March)
    if leads is None:
        assert result.unavailable["new_leads"] == "no leads table"
    else:  # a leads table without rows: its columns hold no value, as when they are not mapped
        assert result.unavailable["new_leads"] == "no created_at in the leads"


def test_activities_without_deals_or_leads_rows():
    # deals present but empty: the activities' deal ids find nothing, nothing crashes.
    tables = {"deals": _deals().iloc[0:0], "activities": _activities(), "leads": _leads().iloc[0:0]}
    result = KpiEngine(SalesData(CONFIG, tables)).compute(Q2)
    # Unknown deal ids still group activities: a2 follows a1 on "d1".
    assert result.values["followups_done"] == 1
    assert result.unavailable["deals_won"] == "no closed_at in the deals"
    assert result.values["stage_conversion.prospecting"] is None  # no deal entered it: no denominator


# ---------------------------------------------------------------- no deals table


def test_sales_data_without_deals_says_which_table_and_how_to_map_it():
    data = SalesData(CONFIG, {"activities": _activities()})
    assert not data.has("deals")
    with pytest.raises(UnavailableError, match=r"deals table.*client\.yml"):
        _ = data.deals
    # The last day (and the first) come from the tables there are: a4 03-01 .. a3 04-03.
    assert str(data.last_day()) == "2026-04-03"
    assert str(data.first_day()) == "2026-03-01"


def _deal_kpis(engine: KpiEngine) -> list[str]:
    return [k for k, d in engine.definitions.items() if d.rows in ("deals", "stage_history")]


def test_calls_only_client():
    engine = KpiEngine(SalesData(CONFIG, {"activities": _activities()}))
    result = engine.compute(Q2)
    assert result.values["calls_made"] == 2 and result.values["followups_done"] == 1
    for kpi_id in _deal_kpis(engine):
        assert result.unavailable[kpi_id] == "no deals table", kpi_id
    # Revenue without revenue lines is won_value: no deals, so unavailable too (never 0).
    assert result.unavailable["revenue"] == "no deals table"
    assert result.reason("win_rate", "fr") == "table « Affaires » non importée"


def test_leads_and_activities_client():
    activities = _activities(lead_id=["l1", "l1", "l2", None])
    engine = KpiEngine(SalesData(CONFIG, {"activities": activities.drop(columns="deal_id"), "leads": _leads()}))
    result = engine.compute(Q2)
    # l1 (04-01) and l2 (04-10) created in Q2; l3 on 07-01 is not.
    assert result.values["new_leads"] == 2
    # l1: first outbound a1 04-01 10:00, 2 h after its creation at 08:00. l2: its only outbound
    # activity a3 (04-03 09:00) came before it was created (04-10 08:00): not a response to it, so
    # l2 is left out and counted. Median of (2) = 2 h, never a negative time.
    assert result.values["lead_response_hours"] == pytest.approx(2.0)
    assert result.excluded["lead_response_hours"] == 1  # l2
    # Contacted within 24 h after created_at: l1 only, over the 2 leads created in Q2 = 0.5.
    assert result.values["leads_contacted_24h_rate"] == pytest.approx(0.5)
    assert result.values["leads_followed_up_rate"] == pytest.approx(0.5)  # l1 has a1 and a2
    assert result.values["followups_done"] == 1  # a2 on l1
    assert result.unavailable["lead_to_deal_rate"].startswith("no link between leads and deals")
    for kpi_id in _deal_kpis(engine):
        assert result.unavailable[kpi_id] == "no deals table", kpi_id


def test_revenue_only_client():
    lines = pd.DataFrame(
        {
            "invoice_id": ["r1", "r2"],
            "account_id": ["A", "A"],
            "product": ["P1", "P2"],
            "date": pd.to_datetime(["2026-04-01", "2026-05-01"]),
            "amount": [10.0, 5.0],
        }
    )
    engine = KpiEngine(SalesData(CONFIG, {"revenue": lines}))
    result = engine.compute(Q2, by=["product"])
    assert result.values["revenue"] == 15.0  # 10 + 5
    assert result.by_product == {"P1": 10.0, "P2": 5.0}
    assert result.values["repeat_customer_rate"] == 1.0  # A bought on 04-01 and 05-01
    assert result.breakdown["product"]["P1"]["revenue"] == 10.0
    for kpi_id in _deal_kpis(engine):
        assert result.unavailable[kpi_id] == "no deals table", kpi_id
    assert "owner" not in engine.available_dimensions()


# ---------------------------------------------------------------- no amounts: never 0


@pytest.mark.parametrize("values", ["absent", "empty"])
def test_currency_kpis_are_never_0_when_the_deals_have_no_value(values):
    deals = _deals() if values == "absent" else _deals(value=[None, None, None])
    result = KpiEngine(SalesData(CONFIG, {"deals": deals})).compute(Q2)
    # Won in Q2: d1 (04-20) and d3 (05-01), neither with a value.
    assert result.values["deals_won"] == 2
    for kpi_id, definition in REGISTRY.items():
        if definition.unit in CURRENCY_UNITS:
            assert kpi_id in result.unavailable or result.values.get(kpi_id) is None, kpi_id
    assert result.unavailable["revenue_by_product"] == "no value in the deals"
    assert result.by_product == {}


def test_a_sum_over_amounts_that_are_all_missing_is_null():
    # d1 has no value, d3 has 100: won_value counts d3 only; in 2026-04 only d1 was won (no value).
    deals = _deals(value=[None, 50.0, 100.0])
    engine = KpiEngine(SalesData(CONFIG, {"deals": deals}))
    april = engine.compute(parse_period("2026-04"), by=["product"])
    assert april.values["deals_won"] == 1
    assert april.values["won_value"] is None and april.values["revenue"] is None
    # P1: d1 won without value (null); P2 was never won, so it is not a product with revenue.
    assert april.by_product == {"P1": None}
    assert april.breakdown["product"]["P1"]["won_value"] is None
    assert april.breakdown["product"]["P2"]["won_value"] == 0.0  # no deal won: a true 0
    may = engine.compute(parse_period("2026-05"))
    assert may.values["won_value"] == 100.0 and may.by_product == {"P1": 100.0}


def test_revenue_lines_without_amounts_are_unavailable_or_null():
    lines = pd.DataFrame(
        {
            "invoice_id": ["r1", "r2"],
            "account_id": ["A", "B"],
            "date": pd.to_datetime(["2026-04-01", "2026-05-01"]),
            "amount": [None, 5.0],
        }
    )
    engine = KpiEngine(SalesData(CONFIG, {"revenue": lines}))
    april = engine.compute(parse_period("2026-04"))
    assert april.values["revenue"] is None  # r1 has no amount
    assert april.values["customer_ltv"] is None  # A's only line has no amount
    no_amounts = KpiEngine(SalesData(CONFIG, {"revenue": lines.assign(amount=[None, None])})).compute(Q2)
    for kpi_id in ("revenue", "new_business_revenue", "customer_ltv", "revenue_by_product"):
        assert no_amounts.unavailable[kpi_id] == "no amount in the revenue lines", kpi_id
    # The repeat rate counts purchases, not amounts: A and B each bought once.
    assert no_amounts.values["repeat_customer_rate"] == 0.0


# ---------------------------------------------------------------- leads without created_at


def test_leads_without_created_at():
    leads = pd.DataFrame({"lead_id": ["l1", "l2"], "deal_id": ["d1", None]})
    activities = _activities(lead_id=["l1", "l1", "l2", None])
    result = KpiEngine(SalesData(CONFIG, {"deals": _deals(), "leads": leads, "activities": activities})).compute(Q2)
    for kpi_id in (
        "new_leads",
        "lead_response_hours",
        "leads_contacted_24h_rate",
        "leads_followed_up_rate",
        "lead_to_deal_rate",
    ):
        assert result.unavailable[kpi_id] == "no created_at in the leads", kpi_id
    assert result.values["followups_done"] == 1  # still computed
