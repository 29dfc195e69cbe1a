"""Business-performance KPIs on hand-made revenue lines, then on won deals when there are none;
every expected value is worked out below by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import parse_period

from conftest import sales_data, table

Q2 = parse_period("2026-Q2")  # 2026-04-01 .. 2026-06-30
CONFIG = ClientConfig(client="t", display_name="T", language="en", data_cutoff=date(2026, 9, 30))

LINES = [
    # id,  account, date,         amount, product
    ("r1", "X", "2025-04-15", 100.0, "P1"),
    ("r2", "X", "2025-05-10", 200.0, "P2"),
    ("r3", "Y", "2025-12-01", 50.0, "P1"),
    ("r4", "X", "2026-04-10", 300.0, "P1"),
    ("r5", "Y", "2026-05-20", 400.0, "P2"),
    ("r6", "Z", "2026-06-05", 260.0, "P1"),
    ("r7", "Z", "2026-06-30", 150.0, "P2"),
    ("r8", "W", "2026-07-01", 999.0, "P1"),
    ("r9", "X", None, 80.0, "P1"),
]


def _lines() -> pd.DataFrame:
    return table("revenue", LINES, ["invoice_id", "account_id", "date", "amount", "product"])


def _data() -> SalesData:
    deals = pd.DataFrame({"deal_id": ["d1"], "status": ["open"]})
    return sales_data(CONFIG, deals=deals, revenue=_lines())


@pytest.fixture(scope="module")
def engine():
    return KpiEngine(_data())


def test_revenue_from_lines(engine):
    values = engine.compute(Q2)
    # r4 300 + r5 400 + r6 260 + r7 150 (06-30 counts); r9 has no date: left out.
    assert values.values["revenue"] == pytest.approx(1110)
    assert values.excluded["revenue"] == 1
    # First revenue: X 2025-04-15, Y 2025-12-01, Z 2026-06-05 (in Q2), W 2026-07-01 -> Z only: 260 + 150.
    assert values.values["new_business_revenue"] == pytest.approx(410)
    assert values.values["new_business_share"] == pytest.approx(410 / 1110)
    # 2025-Q2: r1 100 + r2 200 = 300; the data start in April 2025, so 2025-Q2 is covered.
    assert values.values["revenue_yoy_growth"] == pytest.approx(1110 / 300 - 1)
    # Accounts with a first revenue by 06-30: X (100+200+300), Y (50+400), Z (260+150) -> 1460 / 3.
    assert values.values["customer_ltv"] == pytest.approx(1460 / 3)
    assert values.excluded["customer_ltv"] == 1
    # Per product in Q2: P1 300 + 260, P2 400 + 150.
    assert values.by_product == {"P1": 560.0, "P2": 550.0}


def test_growth_is_null_when_the_year_before_is_not_covered_or_zero(engine):
    # 2025-Q2 a year earlier is 2024-Q2: before the data's first month (2025-04).
    assert engine.compute(parse_period("2025-Q2")).values["revenue_yoy_growth"] is None
    # 2026-Q3 (r8 999) against 2025-Q3, covered but without revenue: no denominator.
    values = engine.compute(parse_period("2026-Q3")).values
    assert values["revenue"] == 999
    assert values["revenue_yoy_growth"] is None


def test_revenue_breakdown_by_product_is_by_line(engine):
    breakdown = engine.compute(Q2, by=["product"]).breakdown["product"]
    assert breakdown["P1"]["revenue"] == 560 and breakdown["P2"]["revenue"] == 550
    # New business by product: Z's lines r6 (P1) and r7 (P2).
    assert breakdown["P1"]["new_business_revenue"] == 260
    # 2025-Q2: P1 100, P2 200.
    assert breakdown["P2"]["revenue_yoy_growth"] == pytest.approx(550 / 200 - 1)


def test_customer_ltv_is_broken_down_by_account_dimensions_only():
    accounts = pd.DataFrame({"account_id": ["X", "Y", "Z", "W"], "sector": ["retail", "retail", "health", "health"]})
    data = SalesData(
        CONFIG,
        {"deals": pd.DataFrame({"deal_id": ["d1"], "status": ["open"]}), "revenue": _lines(), "accounts": accounts},
    )
    result = KpiEngine(data).compute(Q2, by=["sector", "product"])
    # retail: X 600 + Y 450 over 2 accounts; health: Z 410 (W's first revenue is after the end).
    assert result.breakdown["sector"]["retail"]["customer_ltv"] == pytest.approx(525)
    assert result.breakdown["sector"]["health"]["customer_ltv"] == pytest.approx(410)
    assert result.breakdown_unavailable["product"]["customer_ltv"] == "cannot be broken down by product"


def test_without_revenue_lines_revenue_is_won_value():
    deals = pd.DataFrame(
        {
            "deal_id": ["w1", "w2", "w3", "w4", "w5"],
            "account_id": ["X", "X", "Y", "Y", "Z"],
            "status": ["won", "won", "won", "lost", "won"],
            "value": [100.0, 200.0, 300.0, 50.0, 70.0],
            "product": ["P1", "P2", "P1", "P1", "P2"],
            "closed_at": pd.to_datetime(["2025-05-01", "2026-04-10", "2026-05-15", "2026-05-20", "2026-08-01"]),
        }
    )
    result = KpiEngine(SalesData(CONFIG, {"deals": deals})).compute(Q2)
    # Won in Q2: w2 200 + w3 300.
    assert result.values["revenue"] == result.values["won_value"] == 500
    # Y's first won deal (w3) is in Q2; X's was in 2025.
    assert result.values["new_business_revenue"] == 300
    assert result.values["new_business_share"] == pytest.approx(0.6)
    # The first won deal closed in May 2025: 2025-Q2 (from April) is not covered.
    assert result.values["revenue_yoy_growth"] is None
    # By 06-30: X won 300 in all, Y 300 -> 600 / 2.
    assert result.values["customer_ltv"] == 300
    assert result.by_product == {"P1": 300.0, "P2": 200.0}


def test_new_business_needs_accounts():
    deals = pd.DataFrame(
        {"deal_id": ["w1"], "status": ["won"], "value": [10.0], "closed_at": pd.to_datetime(["2026-05-01"])}
    )
    result = KpiEngine(SalesData(CONFIG, {"deals": deals})).compute(Q2)
    assert result.values["revenue"] == 10
    assert result.unavailable["new_business_revenue"] == "no account on the revenue (account_id)"
    assert result.unavailable["new_business_share"] == "no account on the revenue (account_id)"
    assert result.unavailable["customer_ltv"] == "no account on the revenue (account_id)"
