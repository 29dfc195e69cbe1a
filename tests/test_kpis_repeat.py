"""repeat_customer_rate on hand-made purchases; every expected value is worked out by hand below."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import parse_period

from conftest import sales_data, table

CONFIG = ClientConfig(client="t", display_name="T", language="en")
Q2 = parse_period("2026-Q2")  # 2026-04-01 .. 2026-06-30

LINES = [
    # id,  account, date,               amount
    ("r1", "A", "2026-04-10 09:00", 10.0),
    ("r2", "A", "2026-06-30 23:30", 10.0),  # A's second date on Q2's last day: counts
    ("r3", "B", "2026-05-05 09:00", 10.0),
    ("r4", "B", "2026-05-05 17:00", 10.0),  # B: two purchases on one day = one date
    ("r5", "C", "2026-05-01 09:00", 10.0),
    ("r6", "C", "2026-07-15 09:00", 10.0),  # C's second date is after Q2's end: not looked at in Q2
    ("r7", "D", "2025-12-01 09:00", None),  # D's first purchase, before Q2 (no amount: still a purchase)
    ("r8", "D", "2026-04-20 09:00", 10.0),
    ("r9", "E", "2026-03-01 09:00", 10.0),  # E bought before Q2 only: not a buyer of Q2
    ("r10", None, "2026-05-10 09:00", 10.0),  # no account: left out (counted in Q2)
    ("r11", "A", None, 10.0),  # no date: left out (counted in every period)
]
ACCOUNTS = pd.DataFrame({"account_id": ["A", "B", "C", "D", "E"], "sector": ["S1", "S1", "S2", "S1", "S2"]})


def _data() -> SalesData:
    lines = table("revenue", LINES, ["invoice_id", "account_id", "date", "amount"])
    return sales_data(CONFIG, revenue=lines, accounts=ACCOUNTS)


def test_repeat_customer_rate_from_revenue_lines():
    engine = KpiEngine(_data())
    result = engine.compute(Q2, by=["sector"], kpis=["repeat_customer_rate"])
    # Buyers of Q2: A, B, C, D (4). Two distinct dates up to 06-30: A (04-10, 06-30), D (2025-12-01,
    # 04-20); B has one date, C's second is 07-15 > end. 2 / 4.
    assert result.values["repeat_customer_rate"] == pytest.approx(0.5)
    # r11 (no date) + r10 (no account, in Q2).
    assert result.excluded["repeat_customer_rate"] == 2
    # S1: A, B, D -> A and D repeat: 2/3; S2: C -> 0/1.
    by_sector = result.breakdown["sector"]
    assert by_sector["S1"]["repeat_customer_rate"] == pytest.approx(2 / 3)
    assert by_sector["S2"]["repeat_customer_rate"] == 0.0
    # Q3: only C bought (07-15), and C has 05-01 before: 1/1.
    assert engine.compute(parse_period("2026-Q3"), kpis=["repeat_customer_rate"]).values["repeat_customer_rate"] == 1.0
    # 2027-Q1: nobody bought: no denominator, null (never 0).
    assert engine.compute(parse_period("2027-Q1"), kpis=["repeat_customer_rate"]).values["repeat_customer_rate"] is None


def test_repeat_customer_rate_reads_won_deals_without_revenue_lines():
    deals = pd.DataFrame(
        {
            "deal_id": ["d1", "d2", "d3", "d4"],
            "account_id": ["X", "X", "Y", "Y"],
            "status": ["won", "won", "won", "lost"],
            "closed_at": pd.to_datetime(["2026-04-01", "2026-05-01", "2026-04-02", "2026-05-02"]),
        }
    )
    result = KpiEngine(SalesData(CONFIG, {"deals": deals})).compute(Q2, kpis=["repeat_customer_rate"])
    # X won twice (04-01, 05-01): repeat; Y won once (the lost deal is no purchase): 1 / 2.
    assert result.values["repeat_customer_rate"] == pytest.approx(0.5)


def test_repeat_customer_rate_is_unavailable_without_accounts():
    lines = pd.DataFrame({"invoice_id": ["r1"], "date": pd.to_datetime(["2026-04-01"]), "amount": [1.0]})
    result = KpiEngine(SalesData(CONFIG, {"revenue": lines})).compute(Q2, kpis=["repeat_customer_rate"])
    assert result.unavailable["repeat_customer_rate"] == "no account on the revenue (account_id)"


def test_a_credit_note_is_not_a_purchase():
    # A: +100 on 04-01, a credit note of -100 on 05-01, a zero line on 06-01: one purchase date
    # (04-01), so not a repeat customer: 0 / 1 = 0.0. B: 50 on 04-02 and a line without an amount
    # on 05-02 (a sale whose amount is unknown is a purchase): two dates, repeat. Rate 1 / 2 = 0.5.
    lines = pd.DataFrame(
        {
            "invoice_id": ["r1", "r2", "r3", "r4", "r5"],
            "account_id": ["A", "A", "A", "B", "B"],
            "date": pd.to_datetime(["2026-04-01", "2026-05-01", "2026-06-01", "2026-04-02", "2026-05-02"]),
            "amount": [100.0, -100.0, 0.0, 50.0, None],
        }
    )
    only_a = KpiEngine(SalesData(CONFIG, {"revenue": lines.iloc[:3]})).compute(Q2, kpis=["repeat_customer_rate"])
    assert only_a.values["repeat_customer_rate"] == 0.0
    both = KpiEngine(SalesData(CONFIG, {"revenue": lines})).compute(Q2, kpis=["repeat_customer_rate"])
    assert both.values["repeat_customer_rate"] == pytest.approx(0.5)
    # A period with only A's credit note: no purchase in it, so no buyer: null, not 0.
    may = KpiEngine(SalesData(CONFIG, {"revenue": lines.iloc[:3]})).compute(
        parse_period("2026-05"), kpis=["repeat_customer_rate"]
    )
    assert may.values["repeat_customer_rate"] is None
