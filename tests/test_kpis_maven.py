"""The KPI engine on the public Maven CRM data (examples/maven-crm/client.yml) against a plain
pandas computation on the raw CSV, for 2017-Q2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.cli import main
from strategy_kit.importer import load_sales_data
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import parse_period

ROOT = Path(__file__).resolve().parents[1]
MAVEN = ROOT.parent / "shared" / "datasets" / "maven-crm"

pytestmark = pytest.mark.skipif(
    not (MAVEN / "sales_pipeline.csv").is_file(), reason=f"the Maven CRM data set is not at {MAVEN}"
)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    root = tmp_path_factory.mktemp("maven")
    config = ROOT / "examples" / "maven-crm" / "client.yml"
    assert main(["--workspace", str(root), "new-client", "maven", "--config", str(config), "--raw", str(MAVEN)]) == 0
    assert main(["--workspace", str(root), "import", "maven"]) == 0
    return KpiEngine(load_sales_data(root, "maven")).compute(parse_period("2017-Q2"), by=["owner", "product"])


@pytest.fixture(scope="module")
def expected():
    """Plain pandas on the raw export: won/lost by deal_stage, closed by close_date in Q2."""
    raw = pd.read_csv(MAVEN / "sales_pipeline.csv", parse_dates=["engage_date", "close_date"])
    raw["product"] = raw["product"].replace({"GTXPro": "GTX Pro"})  # products.csv spells it 'GTX Pro'
    in_q2 = (raw["close_date"] >= "2017-04-01") & (raw["close_date"] <= "2017-06-30")
    won = raw[in_q2 & (raw["deal_stage"] == "Won")]
    lost = raw[in_q2 & (raw["deal_stage"] == "Lost")]
    per_agent = pd.DataFrame({"won": won.groupby("sales_agent").size(), "lost": lost.groupby("sales_agent").size()})
    per_agent = per_agent.fillna(0)
    return {
        "won": len(won),
        "lost": len(lost),
        "won_value": won["close_value"].sum(),
        "cycle": (won["close_date"] - won["engage_date"]).dt.days.median(),
        "agent_win_rate": (per_agent["won"] / (per_agent["won"] + per_agent["lost"])).to_dict(),
        "product_revenue": won.groupby("product")["close_value"].sum().to_dict(),
    }


def test_deal_flows(result, expected):
    values = result.values
    assert values["deals_won"] == expected["won"]
    assert values["deals_lost"] == expected["lost"]
    assert values["win_rate"] == pytest.approx(expected["won"] / (expected["won"] + expected["lost"]))
    assert values["won_value"] == pytest.approx(expected["won_value"])
    assert values["avg_deal_size"] == pytest.approx(expected["won_value"] / expected["won"])
    assert values["sales_cycle_days"] == expected["cycle"]
    assert values["revenue"] == values["won_value"]  # no revenue lines: revenue is won_value


def test_win_rate_per_sales_agent(result, expected):
    by_owner = result.breakdown["owner"]
    for agent, rate in expected["agent_win_rate"].items():
        assert by_owner[agent]["win_rate"] == pytest.approx(rate), agent
    for agent in set(by_owner) - set(expected["agent_win_rate"]):
        assert by_owner[agent]["win_rate"] is None  # nothing won or lost in Q2


def test_revenue_per_product(result, expected):
    assert set(expected["product_revenue"]) <= set(result.by_product)
    for product, revenue in result.by_product.items():
        assert revenue == pytest.approx(expected["product_revenue"].get(product, 0.0)), product
    by_product = result.breakdown["product"]
    for product, revenue in expected["product_revenue"].items():
        assert by_product[product]["revenue"] == pytest.approx(revenue)
