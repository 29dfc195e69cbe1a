"""The Maven CRM example imports the public data set as it is, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.importer import load_sales_data

from import_fixtures import DATASETS, digests, run_cli

MAVEN = DATASETS / "maven-crm"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "maven-crm" / "client.yml"
pytestmark = pytest.mark.skipif(not MAVEN.is_dir(), reason=f"public data set not found at {MAVEN}")


@pytest.fixture(scope="module")
def maven(tmp_path_factory):
    """A workspace with the maven client created and imported by the CLI; (workspace, data, stdout)."""
    workspace = tmp_path_factory.mktemp("maven-workspace")
    before = digests(MAVEN)
    from strategy_kit.cli import main

    assert (
        main(["--workspace", str(workspace), "new-client", "maven", "--config", str(EXAMPLE), "--raw", str(MAVEN)]) == 0
    )
    return workspace, before


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(MAVEN / "sales_pipeline.csv", dtype=str)


def test_import_through_the_cli(maven, capsys):
    workspace, _ = maven
    code, out, err = run_cli(capsys, "--workspace", str(workspace), "import", "maven")
    assert code == 0, err
    assert "8,800 rows from raw/sales_pipeline.csv" in out
    assert "excluded: no rows" in out


def test_deal_counts_match_the_raw_file(maven, raw):
    workspace, _ = maven
    deals = load_sales_data(workspace, "maven").deals
    assert len(deals) == len(raw) == 8800
    expected_status = {
        "won": (raw["deal_stage"] == "Won").sum(),
        "lost": (raw["deal_stage"] == "Lost").sum(),
        "open": raw["deal_stage"].isin(["Prospecting", "Engaging"]).sum(),
    }
    assert deals["status"].value_counts().to_dict() == expected_status
    open_without_account = (raw["deal_stage"].isin(["Prospecting", "Engaging"]) & raw["account"].isna()).sum()
    assert open_without_account == 1425
    assert ((deals["status"] == "open") & deals["account_id"].isna()).sum() == open_without_account
    gtx_pro = raw["product"].isin(["GTXPro", "GTX Pro"]).sum()
    assert (deals["product"] == "GTX Pro").sum() == gtx_pro
    assert "GTXPro" not in set(deals["product"].dropna())


def test_prospecting_deals_are_open_without_created_at(maven, raw):
    workspace, _ = maven
    deals = load_sales_data(workspace, "maven").deals.set_index("deal_id")
    prospecting = raw.loc[raw["deal_stage"] == "Prospecting", "opportunity_id"]
    assert deals.loc[prospecting, "created_at"].isna().all()
    assert (deals.loc[prospecting, "status"] == "open").all()
    assert (deals.loc[prospecting, "stage"] == "prospecting").all()
    assert deals["created_at"].isna().sum() == len(prospecting)
    lost = raw.loc[raw["deal_stage"] == "Lost", "opportunity_id"]
    assert (deals.loc[lost, "stage"] == "engaging").all()


def test_accounts_products_and_reps(maven):
    workspace, _ = maven
    data = load_sales_data(workspace, "maven")
    accounts = pd.read_csv(MAVEN / "accounts.csv", dtype=str)
    imported = data.tables["accounts"].set_index("account_id")
    assert len(imported) == len(accounts) == 85
    assert "technolgy" not in set(imported["sector"].dropna())
    assert (imported["sector"] == "technology").sum() == (accounts["sector"] == "technolgy").sum()
    assert imported.loc["Acme Corporation", "employees"] == 2822
    assert imported.loc["Acme Corporation", "annual_revenue"] == pytest.approx(1100.04e6)
    assert (imported["parent_account"] == "Acme Corporation").sum() == (
        accounts["subsidiary_of"] == "Acme Corporation"
    ).sum()
    products = data.tables["products"].set_index("product")
    assert products.loc["GTX Pro", "family"] == "GTX" and products.loc["GTX Pro", "list_price"] == 4821
    reps = data.tables["reps"].set_index("owner")
    teams = pd.read_csv(MAVEN / "sales_teams.csv", dtype=str).set_index("sales_agent")
    assert len(reps) == 35
    assert reps["team"].astype(str).to_dict() == teams["regional_office"].to_dict()
    assert reps["manager"].astype(str).to_dict() == teams["manager"].to_dict()


def test_stage_history_records_engagement_and_infers_the_rest(maven, raw):
    workspace, _ = maven
    history = load_sales_data(workspace, "maven").tables["stage_history"]
    recorded = history[~history["inferred"]]
    engaged = raw["engage_date"].notna().sum()
    assert len(recorded) == engaged and set(recorded["stage"]) == {"engaging"}
    won = history[(history["stage"] == "won")]
    assert len(won) == (raw["deal_stage"] == "Won").sum()
    # every deal passed prospecting
    assert (history["stage"] == "prospecting").sum() == len(raw)


def test_the_raw_files_were_not_modified(maven):
    workspace, before = maven
    assert digests(MAVEN) == before
    copied = workspace / "data" / "maven" / "raw"
    assert dict(digests(copied).items()) == before
