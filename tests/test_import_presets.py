"""The preset registry, and each preset against exports in its CRM's own format."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from strategy_kit.errors import ImportValidationError
from strategy_kit.importer import import_client, load_sales_data
from strategy_kit.importer.mapping import Where, parse_table
from strategy_kit.importer.presets import PRESETS

from import_fixtures import DATASETS, make_client, run_cli

SALESFORCE = DATASETS / "salesforce-demo"
needs_salesforce = pytest.mark.skipif(not SALESFORCE.is_dir(), reason=f"public data set not found at {SALESFORCE}")


def test_registry_lists_every_preset_with_its_table():
    assert {name: p.table for name, p in PRESETS.items()} == {
        "salesforce-opportunity": "deals",
        "salesforce-opportunity-history": "stage_history",
        "salesforce-task": "activities",
        "salesforce-lead": "leads",
        "salesforce-account": "accounts",
        "hubspot-deals": "deals",
        "pipedrive-deals": "deals",
        "pipedrive-deals-fr": "deals",
    }
    for name, preset in PRESETS.items():
        assert preset.name == name and preset.description
        parse_table(preset.table, {"preset": name}, Where("preset", "import", preset.table), PRESETS)


def test_presets_command_lists_them(tmp_path, capsys):
    code, out, _ = run_cli(capsys, "--workspace", str(tmp_path), "presets")
    assert code == 0
    assert all(name in out for name in PRESETS)


SALESFORCE_CONFIG = """\
    display_name: Salesforce demo org
    language: en
    timezone: Europe/Paris
    import:
      deals:
        preset: salesforce-opportunity
      accounts:
        preset: salesforce-account
      leads:
        preset: salesforce-lead
      activities:
        preset: salesforce-task
"""


def salesforce_client(tmp_path, config: str):
    folder = make_client(tmp_path, config, {})
    shutil.rmtree(folder / "raw")
    shutil.copytree(SALESFORCE, folder / "raw")
    return folder


def raw_opportunities() -> pd.DataFrame:
    return pd.read_csv(SALESFORCE / "Opportunity.csv", dtype=str, encoding="utf-8-sig")


@needs_salesforce
def test_salesforce_demo_closed_deals_created_after_their_close_date_are_reported(tmp_path):
    # The demo org's records were all created on 2024-01-22 while its won and lost deals
    # carry earlier close dates: the preset imports them faithfully and validation says so.
    salesforce_client(tmp_path, SALESFORCE_CONFIG)
    raw = raw_opportunities()
    created = (
        pd.to_datetime(raw["CreatedDate"], utc=True).dt.tz_convert("Europe/Paris").dt.normalize().dt.tz_localize(None)
    )
    closed = raw["IsClosed"] == "1"
    expected_rows = sorted(i + 2 for i in raw.index[closed & (pd.to_datetime(raw["CloseDate"]) < created)])
    assert expected_rows
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme")
    (problem,) = caught.value.problems
    assert problem.kind == "closed_before_created" and problem.file == "raw/Opportunity.csv"
    assert problem.row_count == len(expected_rows)
    assert problem.rows == expected_rows[: len(problem.rows)]


@needs_salesforce
def test_salesforce_demo_imports_with_the_presets(tmp_path):
    config = SALESFORCE_CONFIG.replace(
        "        preset: salesforce-opportunity\n",
        "        preset: salesforce-opportunity\n        columns: {created_at: null}\n",
    ).replace(
        "        preset: salesforce-task\n",
        "        preset: salesforce-task\n"
        "        derive:\n"
        "          type: {from: Type__c, map: {Call: call, Email: email, Meeting: meeting, Prep: task, Other: other}}\n",
    )
    salesforce_client(tmp_path, config)
    data = load_sales_data(tmp_path, "acme")
    raw = raw_opportunities()
    deals = data.deals.set_index("deal_id").loc[raw["Id"]]

    won = raw["IsWon"] == "1"
    lost = (raw["IsClosed"] == "1") & ~won
    expected_status = pd.Series("open", index=raw.index).mask(won, "won").mask(lost, "lost")
    assert deals["status"].tolist() == expected_status.tolist()
    stage_map = {
        "Qualification": "qualification",
        "Discovery": "meeting",
        "Proposal/Quote": "proposal",
        "Negotiation": "negotiation",
        "Closed Won": "won",
        "Closed Lost": None,
    }
    assert [None if pd.isna(s) else s for s in deals["stage"]] == [stage_map[s] for s in raw["StageName"]]
    assert deals["value"].tolist() == raw["Amount"].astype(float).tolist()
    assert deals["probability"].tolist() == (raw["Probability"].astype(float) / 100).tolist()
    close = pd.to_datetime(raw["CloseDate"])
    is_closed = (raw["IsClosed"] == "1").to_numpy()
    assert deals["closed_at"][is_closed].tolist() == close[is_closed].tolist()
    assert deals["expected_close_at"][~is_closed].tolist() == close[~is_closed].tolist()
    assert "created_at" not in deals.columns

    accounts = data.tables["accounts"]
    assert len(accounts) == 22
    assert accounts.set_index("account_id").loc["001Ec00000GGw3hIAD", "sector"] == "Finance"

    leads = data.tables["leads"]
    assert len(leads) == 60
    # 2024-01-22T20:36:47.000+0000 is 21:36:47 in Paris.
    assert leads["created_at"].iloc[0] == pd.Timestamp(2024, 1, 22, 21, 36, 47)

    tasks = pd.read_csv(SALESFORCE / "Task.csv", dtype=str, encoding="utf-8-sig")
    activities = data.tables["activities"].set_index("activity_id").loc[tasks["Id"]]
    type_map = {"Call": "call", "Email": "email", "Meeting": "meeting", "Prep": "task", "Other": "other"}
    assert activities["type"].tolist() == tasks["Type__c"].map(type_map).tolist()
    lead_ids = tasks["WhoId"].where(tasks["WhoId"].fillna("").str.startswith("00Q"))
    assert activities["lead_id"].isna().tolist() == lead_ids.isna().tolist()
    assert activities["deal_id"].isna().all()  # the demo's tasks point at contacts and accounts only


def hubspot_csv(rows: list[list[str]]) -> str:
    """Every value double-quoted, as HubSpot writes them."""

    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    return "".join(",".join(quote(v) for v in row) + "\n" for row in rows)


HUBSPOT_STAGES = [
    "Appointment Scheduled",
    "Qualified To Buy",
    "Presentation Scheduled",
    "Decision Maker Bought-In",
    "Closed Won",
]


def test_hubspot_deals_export(tmp_path):
    entered = [f'Date entered "{s} (Sales Pipeline)"' for s in HUBSPOT_STAGES]
    header = [
        "Record ID",
        "Deal Name",
        "Deal Stage",
        "Pipeline",
        "Amount",
        "Close Date",
        "Create Date",
        "Deal owner",
        "Deal probability",
        "Is Closed Won",
        "Is Deal Closed?",
        "Associated Company",
        *entered,
    ]
    rows = [
        header,
        [
            "101",
            "Acme - CRM",
            "Presentation Scheduled",
            "Sales Pipeline",
            "5000",
            "2024-06-30 00:00",
            "2024-01-10 09:30",
            "Ana Lopez",
            "0.6",
            "false",
            "false",
            "Acme",
            "2024-01-10 09:30",
            "2024-01-20 11:00",
            "2024-02-05 15:00",
            "",
            "",
        ],
        [
            "102",
            "Beta - CRM",
            "Closed Won",
            "Sales Pipeline",
            "12000",
            "2024-03-01 10:00",
            "2024-01-12 08:00",
            "Bob Smith",
            "1",
            "true",
            "true",
            "Beta",
            "2024-01-12 08:00",
            "",
            "2024-02-01 09:00",
            "2024-02-15 10:00",
            "2024-03-01 10:00",
        ],
        [
            "103",
            "Gamma - CRM",
            "Closed Lost",
            "Sales Pipeline",
            "800",
            "2024-02-20 12:00",
            "2024-01-15 08:00",
            "Ana Lopez",
            "0",
            "false",
            "true",
            "",
            "2024-01-15 08:00",
            "2024-01-25 08:00",
            "",
            "",
            "",
        ],
    ]
    config = """\
        display_name: HubSpot client
        timezone: Europe/Paris
        data_cutoff: 2024-03-31
        import:
          deals:
            preset: hubspot-deals
    """
    make_client(tmp_path, config, {"hubspot-crm-exports-all-deals-2024-03-31.csv": hubspot_csv(rows)})
    data = load_sales_data(tmp_path, "acme")
    deals = data.deals.set_index("deal_id")
    assert deals["status"].tolist() == ["open", "won", "lost"]
    assert deals["value"].tolist() == [5000.0, 12000.0, 800.0]
    assert deals.loc["101", "expected_close_at"] == pd.Timestamp(2024, 6, 30)
    assert pd.isna(deals.loc["101", "closed_at"])
    assert deals.loc["102", "closed_at"] == pd.Timestamp(2024, 3, 1, 10)
    assert deals.loc["101", "created_at"] == pd.Timestamp(2024, 1, 10, 9, 30)
    # Default pipeline stages map to the method's: presentation → proposal; a lost deal keeps the
    # last stage it entered (qualified to buy → needs_defined).
    assert deals["stage"].tolist() == ["proposal", "won", "needs_defined"]
    assert deals.loc["103", "account_id"] is pd.NA or pd.isna(deals.loc["103", "account_id"])

    history = data.tables["stage_history"]
    recorded = history[~history["inferred"]]
    by_deal = {d: sorted(zip(g["stage"].astype(str), g["entered_at"])) for d, g in recorded.groupby("deal_id")}
    assert by_deal["101"] == sorted(
        [
            ("meeting", pd.Timestamp(2024, 1, 10, 9, 30)),
            ("needs_defined", pd.Timestamp(2024, 1, 20, 11)),
            ("proposal", pd.Timestamp(2024, 2, 5, 15)),
        ]
    )
    assert len(by_deal["102"]) == 4  # no "Qualified To Buy" date: inferred instead
    inferred = history[history["inferred"] & (history["deal_id"] == "102")]
    assert sorted(inferred["stage"].astype(str)) == ["needs_defined", "prospecting", "qualification"]


PIPEDRIVE_EN = (
    "Deal - ID,Deal - Title,Deal - Owner,Deal - Value,Deal - Currency of Value,Deal - Organization,Deal - Stage,"
    "Deal - Status,Deal - Pipeline,Deal - Deal created,Deal - Expected close date,Deal - Won time,"
    "Deal - Lost time,Deal - Lost reason\n"
    "1,Acme deal,Ana Lopez,1500.5,EUR,Acme,Proposal Made,won,Pipeline,2024-01-02 10:00:00,,2024-02-01 09:00:00,,\n"
    "2,Beta deal,Bob Smith,300,EUR,Beta,Qualified,lost,Pipeline,2024-01-03 11:00:00,,,2024-01-20 17:30:00,Price\n"
    "3,Gamma deal,Ana Lopez,900,EUR,,Negotiations Started,open,Pipeline,2024-01-04 12:00:00,2024-04-30,,,\n"
)


def test_pipedrive_english_export(tmp_path):
    config = """\
        display_name: Pipedrive client
        timezone: Europe/Paris
        data_cutoff: 2024-03-31
        import:
          deals:
            preset: pipedrive-deals
    """
    make_client(tmp_path, config, {"deals-6781234-45.csv": PIPEDRIVE_EN})
    deals = load_sales_data(tmp_path, "acme").deals.set_index("deal_id")
    assert deals["status"].tolist() == ["won", "lost", "open"]
    assert deals["stage"].tolist() == ["proposal", "qualification", "negotiation"]
    assert deals["closed_at"].tolist()[:2] == [pd.Timestamp(2024, 2, 1, 9), pd.Timestamp(2024, 1, 20, 17, 30)]
    assert deals.loc["3", "expected_close_at"] == pd.Timestamp(2024, 4, 30)
    assert deals.loc["2", "lost_reason"] == "Price"
    assert deals["value"].tolist() == [1500.5, 300.0, 900.0]


def test_pipedrive_french_export_as_xlsx(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "Affaire - ID",
            "Affaire - Titre",
            "Affaire - Propriétaire",
            "Affaire - Valeur",
            "Affaire - Organisation",
            "Affaire - Étape",
            "Affaire - Statut",
            "Affaire - Affaire créée",
            "Affaire - Heure de gain",
            "Affaire - Heure de perte",
            "Affaire - Raison de la perte",
        ]
    )
    sheet.append(
        [
            11,
            "Dupont SA - Logiciel",
            "Chloé Martin",
            4500,
            "Dupont SA",
            "Proposition faite",
            "Gagnée",
            pd.Timestamp(2024, 1, 8, 9).to_pydatetime(),
            pd.Timestamp(2024, 2, 12, 16).to_pydatetime(),
            None,
            None,
        ]
    )
    sheet.append(
        [
            12,
            "Martin SARL - Audit",
            "Rémi Petit",
            1200.5,
            "Martin SARL",
            "Qualifié",
            "Perdu",
            pd.Timestamp(2024, 1, 9, 10).to_pydatetime(),
            None,
            pd.Timestamp(2024, 1, 30, 11).to_pydatetime(),
            "Prix",
        ]
    )
    sheet.append(
        [
            13,
            "Durand - Conseil",
            "Chloé Martin",
            800,
            None,
            "Négociations commencées",
            "Ouvert",
            pd.Timestamp(2024, 1, 10, 8).to_pydatetime(),
            None,
            None,
            None,
        ]
    )
    path = tmp_path / "affaires.xlsx"
    book.save(path)
    config = """\
        display_name: Client Pipedrive
        timezone: Europe/Paris
        data_cutoff: 2024-03-31
        import:
          deals:
            preset: pipedrive-deals-fr
            files: [affaires-2024.xlsx]
    """
    make_client(tmp_path, config, {"affaires-2024.xlsx": path.read_bytes()})
    deals = load_sales_data(tmp_path, "acme").deals.set_index("deal_id")
    assert list(deals.index) == ["11", "12", "13"]
    assert deals["status"].tolist() == ["won", "lost", "open"]
    assert deals["stage"].tolist() == ["proposal", "qualification", "negotiation"]
    assert deals["owner"].tolist() == ["Chloé Martin", "Rémi Petit", "Chloé Martin"]
    assert deals["value"].tolist() == [4500.0, 1200.5, 800.0]
    assert deals["closed_at"].tolist()[:2] == [pd.Timestamp(2024, 2, 12, 16), pd.Timestamp(2024, 1, 30, 11)]
    assert deals.loc["12", "lost_reason"] == "Prix"


def test_a_client_mapping_overrides_its_preset(tmp_path):
    config = """\
        display_name: Override
        data_cutoff: 2024-03-31
        import:
          deals:
            preset: pipedrive-deals
            columns: {owner: Deal - Creator}
            values:
              stage: {Demo Scheduled: meeting}
    """
    rows = PIPEDRIVE_EN.replace("Deal - Owner", "Deal - Creator").replace("Proposal Made", "Demo Scheduled")
    make_client(tmp_path, config, {"deals-1.csv": rows})
    deals = load_sales_data(tmp_path, "acme").deals
    assert deals["owner"].tolist() == ["Ana Lopez", "Bob Smith", "Ana Lopez"]
    assert deals["stage"].tolist() == ["meeting", "qualification", "negotiation"]  # the preset's other stages kept
