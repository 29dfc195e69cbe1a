"""The README's "start a real client" path on the shapes of export real clients hand over.

For each shape (tests/export_shapes.py writes the raw files) a consultant runs, without editing
the export: ``new-client NAME --config examples/<shape>/client.yml --raw FOLDER``, ``import``,
``kpis --format json`` and ``report``. The KPIs are compared with plain pandas on the raw files,
computed here from KPIS.md's definitions without strategy-kit's importer.
"""

from __future__ import annotations

import calendar
import json
from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.importer import load_sales_data

import export_shapes as shapes
from import_fixtures import DATASETS, run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
Q2 = ("2026-04-01", "2026-06-30")


def onboard(tmp_path: Path, capsys, shape: str, name: str, write=None, config: Path | None = None) -> Path:
    """new-client + import as the README says; returns the workspace."""
    exports = tmp_path / "exports"
    exports.mkdir()
    (write or getattr(shapes, shape.replace("-", "_")))(exports)
    workspace = tmp_path / "ws"
    config = config or EXAMPLES / shape / "client.yml"
    code, _, err = run_cli(
        capsys, "--workspace", str(workspace), "new-client", name, "--config", str(config), "--raw", str(exports)
    )
    assert code == 0, err
    code, out, err = run_cli(capsys, "--workspace", str(workspace), "import", name)
    assert code == 0, err + out
    return workspace


def kpis(capsys, workspace: Path, name: str, period: str = "2026-Q2", by: str | None = None) -> dict:
    argv = ["--workspace", str(workspace), "kpis", name, "--period", period, "--format", "json"]
    code, out, err = run_cli(capsys, *argv, *(["--by", by] if by else []))
    assert code == 0, err
    assert "Traceback" not in err
    return json.loads(out)


def in_q2(dates: pd.Series) -> pd.Series:
    days = dates.dt.normalize()
    return (days >= Q2[0]) & (days <= Q2[1])


def test_a_call_log_without_ids_leads_deals_or_amounts(tmp_path, capsys):
    workspace = onboard(tmp_path, capsys, "call-log", "calls")
    raw = pd.read_csv(tmp_path / "exports" / "calls.csv", parse_dates=["Call Date"])
    calls = raw[in_q2(raw["Call Date"])]
    reached = calls["Outcome"].isin(["Answered", "Appointment Set", "Call Back"])

    result = kpis(capsys, workspace, "calls")
    values = result["kpis"]
    assert values["calls_made"] == len(calls)  # the call logged twice counts twice, 30 June 23:59 counts
    assert values["call_connect_rate"] == pytest.approx(reached.mean())
    assert values["call_meeting_rate"] == pytest.approx((calls["Outcome"] == "Appointment Set").mean())
    assert values["callbacks"] == int((calls["Outcome"] == "Call Back").sum())
    for needs_deals in ("deals_won", "win_rate", "won_value", "open_deals_end"):
        assert values.get(needs_deals) is None and needs_deals in result["unavailable"]
    for needs_leads in ("new_leads", "lead_response_hours"):
        assert needs_leads in result["unavailable"]
    assert "revenue" in result["unavailable"]

    by_agent = kpis(capsys, workspace, "calls", by="owner")["breakdown"]["owner"]
    expected = calls.groupby("Agent").size()
    assert {agent: row["calls_made"] for agent, row in by_agent.items()} == expected.to_dict()

    by_weekday = kpis(capsys, workspace, "calls", by="weekday")["breakdown"]["weekday"]
    weekdays = calls["Call Date"].dt.day_of_week.map(lambda d: f"{d + 1} {calendar.day_name[d]}")
    assert {
        day: row["calls_made"] for day, row in by_weekday.items() if row["calls_made"]
    } == weekdays.value_counts().to_dict()


def test_a_marketing_funnel_whose_deals_take_date_and_source_from_their_lead(tmp_path, capsys):
    workspace = onboard(tmp_path, capsys, "marketing-funnel", "funnel")
    leads = pd.read_csv(tmp_path / "exports" / "leads.csv", parse_dates=["Created"])
    deals = pd.read_csv(tmp_path / "exports" / "closed_deals.csv", parse_dates=["Won Date"])
    deals = deals.merge(leads, on="Lead ID", how="left", validate="one_to_one")
    won = deals[in_q2(deals["Won Date"])]
    created = leads[in_q2(leads["Created"])]

    values = kpis(capsys, workspace, "funnel")["kpis"]
    assert values["new_leads"] == len(created)
    assert values["lead_to_deal_rate"] == pytest.approx(created["Lead ID"].isin(deals["Lead ID"]).mean())
    assert values["deals_won"] == len(won)
    assert values["won_value"] == pytest.approx(won["Amount"].sum())
    assert values["sales_cycle_days"] == pytest.approx((won["Won Date"] - won["Created"]).dt.days.median())

    by_source = kpis(capsys, workspace, "funnel", by="source")["breakdown"]["source"]
    assert {s: row["deals_won"] for s, row in by_source.items() if row["deals_won"]} == won.groupby(
        "Source"
    ).size().to_dict()
    by_campaign = kpis(capsys, workspace, "funnel", by="campaign")["breakdown"]["campaign"]
    assert {c: row["deals_won"] for c, row in by_campaign.items() if row["deals_won"]} == won.groupby(
        "Campaign"
    ).size().to_dict()


def test_a_transactions_file_without_ids(tmp_path, capsys):
    workspace = onboard(tmp_path, capsys, "transactions", "shop")
    raw = pd.read_csv(tmp_path / "exports" / "sales.csv", parse_dates=["Date"])
    end = pd.Timestamp(Q2[1])
    period = raw[in_q2(raw["Date"])]
    upto = raw[raw["Date"] <= end]
    first = upto.groupby("Customer")["Date"].min()
    buyers = period["Customer"].unique()
    dates_per_buyer = upto[upto["Customer"].isin(buyers)].groupby("Customer")["Date"].nunique()

    result = kpis(capsys, workspace, "shop")
    values = result["kpis"]
    assert values["revenue"] == pytest.approx(period["Total"].sum())  # the repeated line counts twice
    assert values["repeat_customer_rate"] == pytest.approx((dates_per_buyer >= 2).mean())
    new = period["Customer"].map(first).between(pd.Timestamp(Q2[0]), end)
    assert values["new_business_revenue"] == pytest.approx(period.loc[new, "Total"].sum())
    assert values["customer_ltv"] == pytest.approx(upto.groupby("Customer")["Total"].sum().mean())
    assert values["revenue_by_product"] == pytest.approx(period.groupby("Product")["Total"].sum().to_dict())
    assert "deals_won" in result["unavailable"] and "calls_made" in result["unavailable"]


def test_salesforce_opportunities_with_their_history(tmp_path, capsys):
    workspace = onboard(tmp_path, capsys, "salesforce", "acme")
    raw = pd.read_csv(tmp_path / "exports" / "Opportunity.csv", parse_dates=["CloseDate"], dtype={"Id": str})
    closed = raw[(raw["IsClosed"] == 1) & in_q2(raw["CloseDate"])]
    won, lost = closed[closed["IsWon"] == 1], closed[closed["IsWon"] == 0]

    values = kpis(capsys, workspace, "acme")["kpis"]
    assert values["deals_won"] == len(won)
    assert values["deals_lost"] == len(lost)
    assert values["won_value"] == pytest.approx(won["Amount"].sum())
    assert values["win_rate"] == pytest.approx(len(won) / len(closed))

    # A deal won, then reopened and lost, is not at the won stage; every won deal is.
    deals = load_sales_data(workspace, "acme").deals.set_index("deal_id")
    status = raw.set_index("Id")
    lost_ids = status.index[(status["IsClosed"] == 1) & (status["IsWon"] == 0)]
    won_ids = status.index[status["IsWon"] == 1]
    assert "006000000000000007" in lost_ids
    assert (deals.loc[lost_ids, "stage"] != "won").all()
    assert (deals.loc[won_ids, "stage"] == "won").all()


@pytest.mark.skipif(
    not (DATASETS / "maven-crm" / "sales_pipeline.csv").is_file(),
    reason=f"the Maven CRM data set is not at {DATASETS / 'maven-crm'}",
)
def test_the_maven_data_with_us_dates(tmp_path, capsys):
    """The same pipeline exported with MM/DD/YYYY dates needs one line of format."""
    source = DATASETS / "maven-crm"

    def us_dated(folder: Path) -> None:
        for file in source.glob("*.csv"):
            frame = pd.read_csv(file, dtype=str, keep_default_na=False)
            for column in ("engage_date", "close_date"):
                if column in frame:
                    dates = pd.to_datetime(frame[column].replace("", None))
                    frame[column] = dates.dt.strftime("%m/%d/%Y").fillna("")
            frame.to_csv(folder / file.name, index=False)

    config = (EXAMPLES / "maven-crm" / "client.yml").read_text(encoding="utf-8")
    config = config.replace("import:\n", "import:\n  format: {date_format: monthfirst}\n", 1)
    (tmp_path / "client.yml").write_text(config, encoding="utf-8")
    workspace = onboard(tmp_path, capsys, "maven-us", "maven", write=us_dated, config=tmp_path / "client.yml")

    raw = pd.read_csv(source / "sales_pipeline.csv", parse_dates=["engage_date", "close_date"])
    closed = raw[(raw["close_date"] >= "2017-04-01") & (raw["close_date"] <= "2017-06-30")]
    won = closed[closed["deal_stage"] == "Won"]
    values = kpis(capsys, workspace, "maven", period="2017-Q2")["kpis"]
    assert values["deals_won"] == len(won)
    assert values["deals_lost"] == int((closed["deal_stage"] == "Lost").sum())
    assert values["won_value"] == pytest.approx(won["close_value"].sum())
    assert values["sales_cycle_days"] == pytest.approx((won["close_date"] - won["engage_date"]).dt.days.median())


def test_a_french_spreadsheet(tmp_path, capsys):
    workspace = onboard(tmp_path, capsys, "french-spreadsheet", "atelier")
    raw = pd.read_csv(
        tmp_path / "exports" / "affaires.csv",
        sep=";",
        encoding="cp1252",
        decimal=",",
        thousands="\xa0",
        dtype={"N°": str},
    )
    raw = raw[raw["N°"] != "Total"]
    raw["Montant"] = pd.to_numeric(
        raw["Montant (€)"].str.replace("€", "").str.replace("\xa0", "").str.replace(",", ".").str.strip()
    )
    for column in ("Date de création", "Date de clôture"):
        raw[column] = pd.to_datetime(raw[column], format="%d/%m/%Y")
    closed = raw[raw["Statut"].isin(["Gagnée", "Perdue"]) & in_q2(raw["Date de clôture"])]
    won = closed[closed["Statut"] == "Gagnée"]

    values = kpis(capsys, workspace, "atelier")["kpis"]
    assert values["new_deals"] == int(in_q2(raw["Date de création"]).sum())
    assert values["deals_won"] == len(won)
    assert values["win_rate"] == pytest.approx(len(won) / len(closed))
    assert values["won_value"] == pytest.approx(won["Montant"].sum())
    cycle = (won["Date de clôture"] - won["Date de création"]).dt.days.median()
    assert values["sales_cycle_days"] == pytest.approx(cycle)
    assert len(load_sales_data(workspace, "atelier").deals) == len(raw)  # the total row is not a deal
