"""Shapes of exports real clients hand over: no deals table, columns looked up from another
table, generated ids, custom dimensions, leads without a creation date (docs/mapping.md)."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.importer import import_client, load_sales_data
from strategy_kit.importer.cache import read_table

from import_fixtures import make_client, run_cli

HEAD = """\
    display_name: Shapes
    language: en
    timezone: Europe/Paris
    data_cutoff: 2024-06-30
"""

LEADS = (
    "Lead,Created,Source,Campaign\nL1,2024-01-02,Webinar,Spring\nL2,2024-01-03,Referral,Spring\nL3,2024-01-04,,Autumn\n"
)


def cli_import(capsys, root, *extra: str) -> tuple[int, str, str]:
    return run_cli(capsys, "--workspace", str(root), "import", "acme", *extra)


def cached(root, table: str) -> pd.DataFrame:
    return read_table(root / "data" / "acme" / ".cache", table).to_pandas()


# --------------------------------------------------------------------------- deals optional


def test_leads_and_activities_without_deals(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      leads:
        files: [leads.csv]
        columns: {lead_id: Lead, created_at: Created, source: Source}
      activities:
        files: [calls.csv]
        columns: {activity_id: Id, at: When, lead_id: Lead}
        constants: {type: call}
    """
    )
    make_client(
        tmp_path, config, {"leads.csv": LEADS, "calls.csv": "Id,When,Lead\nc1,2024-01-05,L1\nc2,2024-01-06,L2\n"}
    )
    code, out, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    assert "leads                  3 rows" in out and "activities             2 rows" in out
    assert "deals         none imported" in out and "stage history" not in out
    data = load_sales_data(tmp_path, "acme")  # from the cache
    assert set(data.tables) == {"leads", "activities"}
    assert not data.has("deals")
    manifest = (tmp_path / "data" / "acme" / ".cache" / "manifest.json").read_text()
    assert '"deals": {}' in manifest
    code, out, _ = cli_import(capsys, tmp_path)  # the summary again, from the cache
    assert code == 0 and "up to date" in out and "none imported" in out


def test_only_calls(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      activities:
        files: [calls.csv]
        columns: {activity_id: Call, at: Date, owner: Agent, outcome: Result}
        constants: {type: call}
        values:
          outcome: {Answered: connected, "No answer": no_answer}
    """
    )
    calls = "Call,Date,Agent,Result\n1,2024-03-01 09:00,Ana,Answered\n2,2024-03-01 09:05,Ana,No answer\n3,2024-03-02,Bob,Answered\n"
    make_client(tmp_path, config, {"calls.csv": calls})
    code, out, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    calls = load_sales_data(tmp_path, "acme").tables["activities"]
    assert calls["outcome"].astype(str).tolist() == ["connected", "no_answer", "connected"]
    assert set(load_sales_data(tmp_path, "acme").tables) == {"activities"}


def test_only_revenue_lines(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      revenue:
        files: [sales.csv]
        columns: {invoice_id: Order, account_id: Customer, date: Date, amount: Total}
    """
    )
    make_client(
        tmp_path, config, {"sales.csv": "Order,Customer,Date,Total\nA1,Acme,2024-02-01,100\nA2,Beta,2024-02-03,50.5\n"}
    )
    code, out, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    revenue = load_sales_data(tmp_path, "acme").tables["revenue"]
    assert revenue["amount"].sum() == pytest.approx(150.5)  # 100 + 50.5


def test_a_stage_history_needs_the_deals_table(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      stage_history:
        files: [history.csv]
        columns: {deal_id: Deal, stage: Stage, entered_at: Date}
    """
    )
    make_client(tmp_path, config, {"history.csv": "Deal,Stage,Date\n1,prospecting,2024-01-01\n"})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "Traceback" not in err
    assert "client.yml: import: stage_history: a stage history needs the deals table" in err


def test_an_import_maps_at_least_one_table(tmp_path, capsys):
    make_client(tmp_path, HEAD + "    import:\n      format: {decimal: ','}\n", {})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "no tables to import; map at least one table" in err


def test_leads_without_a_creation_date(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      leads:
        files: [leads.csv]
        columns: {lead_id: Lead, source: Source}
    """
    )
    make_client(tmp_path, config, {"leads.csv": LEADS})
    code, _, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    leads = load_sales_data(tmp_path, "acme").tables["leads"]
    assert "created_at" not in leads and leads["lead_id"].tolist() == ["L1", "L2", "L3"]


# --------------------------------------------------------------------------- lookups

DEALS = (
    "Deal,Lead,Status,Created,Closed,Owner\n"
    "D1,L1,Won,2024-01-10,2024-02-01,Ana\n"  # own created_at: kept
    "D2,L2,Open,,,Bob\n"  # none: L2's 2024-01-03
    "D3,L9,Open,,,Ana\n"  # L9 is not a lead: stays empty
    "D4,L3,Lost,,2024-03-01,\n"
)  # L3's 2024-01-04; L3 has no source


def test_a_deal_takes_created_at_from_its_lead_and_inherits_its_source(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      leads:
        files: [leads.csv]
        columns: {lead_id: Lead, created_at: Created, source: Source}
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, lead_id: Lead, status: Status, created_at: Created, closed_at: Closed}
        derive:
          created_at: {lookup: leads.created_at, by: lead_id}
    """
    )
    make_client(tmp_path, config, {"leads.csv": LEADS, "deals.csv": DEALS})
    code, out, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    deals = load_sales_data(tmp_path, "acme").tables["deals"].set_index("deal_id")
    assert deals["created_at"].tolist()[:2] == [pd.Timestamp("2024-01-10"), pd.Timestamp("2024-01-03")]
    assert pd.isna(deals.loc["D3", "created_at"]) and deals.loc["D4", "created_at"] == pd.Timestamp("2024-01-04")
    # source inherited automatically: D1 Webinar, D2 Referral; L9 unknown, L3 has none.
    assert deals["source"].astype(object).where(deals["source"].notna(), None).tolist() == [
        "Webinar",
        "Referral",
        None,
        None,
    ]
    assert "created_at from leads.created_at (by lead_id): 2 row(s)" in out  # D2, D4
    assert "source inherited from their lead (deals.lead_id): 2 row(s)" in out  # D1, D2


LOOKUP_CONFIG = (
    HEAD
    + """\
    import:
      leads:
        files: [leads.csv]
        columns: {lead_id: Lead, created_at: Created, source: Source}
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, lead_id: Lead, status: Status, closed_at: Closed}
        derive:
          created_at: {lookup: leads.created_at, by: lead_id}
    """
)


def test_a_lookup_reads_only_rows_that_survive_validation(tmp_path, capsys):
    # lead L2 has an impossible date: a lenient import rejects it, so deal D2 inherits neither its
    # created_at nor its source (before, D2 took source Referral from the rejected lead)
    leads = LEADS.replace("L2,2024-01-03", "L2,2024-13-45")
    deals = "Deal,Lead,Status,Closed\nD1,L1,Open,\nD2,L2,Open,\n"
    make_client(tmp_path, LOOKUP_CONFIG, {"leads.csv": leads, "deals.csv": deals})
    code, out, err = cli_import(capsys, tmp_path, "--lenient")
    assert code == 0, out + err
    deals = load_sales_data(tmp_path, "acme").tables["deals"].set_index("deal_id")
    assert deals.loc["D1", "source"] == "Webinar" and deals.loc["D1", "created_at"] == pd.Timestamp("2024-01-02")
    assert pd.isna(deals.loc["D2", "source"]) and pd.isna(deals.loc["D2", "created_at"])
    # D2's lead is not among the kept leads: said like any key matching no lead
    assert "deals.lead_id: 1 row match no lead (e.g. 'L2')" in out


def test_keys_matching_no_row_are_reported(tmp_path, capsys):
    # D3's lead 'l3' is L3 in another case, D4's 'L9' is no lead: 2 of the 4 deals lack created_at
    deals = "Deal,Lead,Status,Closed\nD1,L1,Open,\nD2,L2,Open,\nD3,l3,Open,\nD4,L9,Open,\n"
    make_client(tmp_path, LOOKUP_CONFIG, {"leads.csv": LEADS, "deals.csv": deals})
    code, out, err = cli_import(capsys, tmp_path)
    assert code == 0, out + err
    assert (
        "deals.lead_id: 2 rows match no lead (e.g. 'l3', 'L9'); check case and spaces "
        "('l3' matches a key ignoring case; keys are compared exactly)"
    ) in out
    assert out.count("match no lead") == 1  # one warning per key column, not one per looked-up column


def test_a_deal_keeps_its_own_source(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      leads:
        files: [leads.csv]
        columns: {lead_id: Lead, source: Source}
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, lead_id: Lead, status: Status, closed_at: Closed, source: Origin}
    """
    )
    deals = "Deal,Lead,Status,Closed,Origin\nD1,L1,Open,,Partner\nD2,L2,Open,,\n"
    make_client(tmp_path, config, {"leads.csv": LEADS, "deals.csv": deals})
    code, out, _ = cli_import(capsys, tmp_path)
    assert code == 0
    deals = load_sales_data(tmp_path, "acme").tables["deals"]
    assert deals["source"].astype(str).tolist() == ["Partner", "Referral"]  # own value wins; D2 from L2
    assert "source inherited from their lead (deals.lead_id): 1 row(s)" in out


def test_an_activity_takes_the_owner_of_its_deal(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      activities:
        files: [calls.csv]
        columns: {activity_id: Id, at: When, deal_id: Deal}
        constants: {type: call}
        derive:
          owner: {lookup: deals.owner}          # by deal_id: the key of deals
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, status: Status, closed_at: Closed, owner: Owner}
    """
    )
    calls = "Id,When,Deal\nc1,2024-01-05,D1\nc2,2024-01-06,D2\nc3,2024-01-07,D9\nc4,2024-01-08,\n"
    make_client(tmp_path, config, {"calls.csv": calls, "deals.csv": DEALS})
    code, out, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    calls = load_sales_data(tmp_path, "acme").tables["activities"]
    assert calls["owner"].astype(object).where(calls["owner"].notna(), None).tolist() == ["Ana", "Bob", None, None]
    assert calls["owner"].dtype == "category"
    assert "owner from deals.owner (by deal_id): 2 row(s)" in out


def test_a_looked_up_date_is_checked_like_the_others(tmp_path, capsys):
    """The lead of D5 arrived after D5 closed: the deal is closed before it was created."""
    config = (
        HEAD
        + """\
    import:
      leads:
        files: [leads.csv]
        columns: {lead_id: Lead, created_at: Created}
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, lead_id: Lead, status: Status, closed_at: Closed}
        derive:
          created_at: {lookup: leads.created_at}
    """
    )
    make_client(tmp_path, config, {"leads.csv": LEADS, "deals.csv": "Deal,Lead,Status,Closed\nD5,L3,Won,2024-01-01\n"})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "closed_at is before created_at" in err and "(1 row: 2)" in err


@pytest.mark.parametrize(
    ("derive", "words"),
    [
        (
            "created_at: {lookup: prospects.created_at}",
            "import: deals: derive: created_at: lookup: 'prospects' is not a table",
        ),
        (
            "created_at: {lookup: accounts.created_at, by: account_id}",
            "import: deals: derive: created_at: lookup: the accounts table is not imported",
        ),
        (
            "created_at: {lookup: leads.arrived}",
            "import: deals: derive: created_at: lookup: 'arrived' is not a column of leads",
        ),
        ("created_at: {lookup: leads.converted_at}", "leads does not map converted_at"),
        ("name: {lookup: leads.created_at}", "leads.created_at is a datetime column and deals.name a text one"),
        (
            "created_at: {lookup: leads.created_at, by: account_id}",
            "import: deals: derive: created_at: by: deals does not map account_id",
        ),
        ("status: {lookup: leads.status}", "status takes canonical values"),
        (
            "created_at: {lookup: leads.created_at, by: Lead}",
            "expected the column of deals that holds the leads key (lead_id)",
        ),
        (
            "created_at: {lookup: leads.created_at, by: closed_at}",
            "by: closed_at is a datetime column; rows are looked up by an id",
        ),
        ("created_at: {lookup: deals.closed_at}", "lookup: a table cannot look up from itself"),
    ],
)
def test_lookup_mistakes_name_client_yml_and_the_key(tmp_path, capsys, derive, words):
    config = (
        HEAD
        + f"""\
    import:
      leads:
        files: [leads.csv]
        columns: {{lead_id: Lead, created_at: Created}}
      deals:
        files: [deals.csv]
        columns: {{deal_id: Deal, lead_id: Lead, status: Status, closed_at: Closed}}
        derive:
          {derive}
    """
    )
    make_client(tmp_path, config, {"leads.csv": LEADS, "deals.csv": DEALS})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "Traceback" not in err
    assert "client.yml: " in err and words in err


def test_lookups_in_a_cycle_are_refused(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      leads:
        files: [leads.csv]
        columns: {lead_id: Lead, deal_id: Deal}
        derive:
          owner: {lookup: deals.owner}
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, lead_id: Lead, status: Status, closed_at: Closed}
        derive:
          owner: {lookup: leads.owner}
    """
    )
    make_client(tmp_path, config, {"leads.csv": "Lead,Deal\nL1,D1\n", "deals.csv": DEALS})
    code, _, err = cli_import(capsys, tmp_path)
    assert (
        code == 2 and "client.yml: import: deals: derive: owner: lookups form a cycle: deals looks up from leads" in err
    )


def test_a_lead_dimension_looked_up_by_its_deals(tmp_path, capsys):
    """A marketing funnel: the campaign is on the leads; the deals take it through lead_id."""
    config = (
        HEAD
        + """\
    import:
      leads:
        files: [leads.csv]
        columns: {lead_id: Lead, created_at: Created}
        dimensions: {campaign: Campaign}
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, lead_id: Lead, status: Status, closed_at: Closed}
        derive:
          campaign: {lookup: leads.campaign}
    """
    )
    make_client(tmp_path, config, {"leads.csv": LEADS, "deals.csv": DEALS})
    code, out, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    deals = load_sales_data(tmp_path, "acme").tables["deals"]
    assert deals["campaign"].dtype == "category"
    assert deals["campaign"].astype(object).where(deals["campaign"].notna(), None).tolist() == [
        "Spring",
        "Spring",
        None,
        "Autumn",
    ]
    assert "dimensions: campaign (2 values)" in out


def test_a_deal_takes_the_team_of_its_owner_as_a_dimension(tmp_path, capsys):
    """reps is keyed by owner (a category): deals.owner finds the rep; Cy is not in reps."""
    config = (
        HEAD
        + """\
    import:
      reps:
        files: [reps.csv]
        columns: {owner: Rep, team: Team}
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, status: Status, closed_at: Closed, owner: Owner}
        derive:
          team: {lookup: reps.team, by: owner}
    """
    )
    deals = "Deal,Status,Closed,Owner\n1,Open,,Ana\n2,Open,,Cy\n3,Won,2024-02-01,Bob\n"
    make_client(tmp_path, config, {"reps.csv": "Rep,Team\nAna,North\nBob,South\n", "deals.csv": deals})
    code, out, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    deals = load_sales_data(tmp_path, "acme").tables["deals"]
    assert deals["team"].astype(object).where(deals["team"].notna(), None).tolist() == ["North", None, "South"]
    assert "team from reps.team (by owner): 2 row(s)" in out and "dimensions: team (2 values)" in out


def test_the_stage_history_takes_no_dimensions(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, status: Status, closed_at: Closed}
      stage_history:
        files: [history.csv]
        columns: {deal_id: Deal, stage: Stage}
        dimensions: {campaign: Campaign}
    """
    )
    make_client(tmp_path, config, {"deals.csv": DEALS, "history.csv": "Deal,Stage,Campaign\nD1,lead,x\n"})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "import: stage_history: dimensions: the stage history is rebuilt from the deals" in err


# --------------------------------------------------------------------------- generated ids

ORDERS = (
    "Company,Date,Product,Status\n"
    "Acme,2024-01-05,Gizmo,Open\n"
    "Beta,2024-01-06,Gizmo,Won\n"
    "Acme,2024-01-05,Gizmo,Open\n"
)  # the same as row 2: still its own id


def test_generated_ids_are_stable_and_distinct(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {status: Status, account_id: Company, created_at: Date, product: Product}
        derive:
          deal_id: {generate: true}
        values:
          status: {Open: open, Won: won}
    """
    )
    make_client(tmp_path, config, {"deals.csv": ORDERS.replace("Won\n", "Open\n")})
    code, _, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    first = cached(tmp_path, "deals")["deal_id"].tolist()
    assert len(set(first)) == 3 and all(len(i) == 16 for i in first)
    assert cli_import(capsys, tmp_path, "--force")[0] == 0
    assert cached(tmp_path, "deals")["deal_id"].tolist() == first


def test_ids_hashed_from_chosen_columns_survive_new_rows_and_changed_statuses(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {status: Status, account_id: Company, created_at: Date, closed_at: Closed}
        derive:
          deal_id: {hash_of: [Company, Date]}
        values:
          status: {Open: open, Won: won}
    """
    )
    rows = ORDERS.replace("Product", "Closed").replace("Gizmo", "")
    rows = rows.replace("Beta,2024-01-06,,Won", "Beta,2024-01-06,2024-02-01,Won")
    folder = make_client(tmp_path, config, {"deals.csv": rows})
    assert cli_import(capsys, tmp_path)[0] == 0
    before = dict(zip(range(3), cached(tmp_path, "deals")["deal_id"]))
    # A new export: a row inserted at the top, and the first Acme deal won since.
    header, acme, beta, acme_again = rows.splitlines()
    won = acme.replace(",,Open", ",2024-03-01,Won")
    (folder / "raw" / "deals.csv").write_text(
        "\n".join([header, "Zeta,2024-01-01,,Open", won, beta, acme_again]) + "\n"
    )
    assert cli_import(capsys, tmp_path)[0] == 0
    after = cached(tmp_path, "deals")["deal_id"].tolist()
    assert after[1:] == [before[0], before[1], before[2]] and after[0] not in before.values()


def test_generate_needs_mapped_columns(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      deals:
        files: [deals.csv]
        derive:
          deal_id: {generate: true}
          status: {from: Status, map: {Open: open}}
    """
    )
    make_client(tmp_path, config, {"deals.csv": "Status\nOpen\n"})
    code, _, err = cli_import(capsys, tmp_path)
    assert (
        code == 2 and "import: deals: derive: deal_id: generate: true hashes the columns mapped under columns:" in err
    )


# --------------------------------------------------------------------------- custom dimensions


def test_custom_dimensions_are_categories_shown_and_cached(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: Deal, status: Status, closed_at: Closed}
        dimensions:
          campaign: Campaign
          channel: [Canal, Channel]
        values:
          channel: {mail: Email}
    """
    )
    deals = "Deal,Status,Closed,Campaign,Channel\n1,Open,,Spring,Email\n2,Won,2024-02-01,Autumn,mail\n3,Open,,Spring,\n"
    make_client(tmp_path, config, {"deals.csv": deals})
    code, out, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    assert "dimensions: campaign (2 values) · channel (1 value)" in out
    table = read_table(tmp_path / "data" / "acme" / ".cache", "deals")
    assert table.column_names[-2:] == ["campaign", "channel"]
    deals = load_sales_data(tmp_path, "acme").tables["deals"]  # from the cache
    assert deals["campaign"].dtype == "category" and deals["campaign"].astype(str).tolist() == [
        "Spring",
        "Autumn",
        "Spring",
    ]
    assert deals["channel"].astype(object).where(deals["channel"].notna(), None).tolist() == ["Email", "Email", None]


@pytest.mark.parametrize(
    ("dimensions", "words"),
    [
        ("{Campaign: Campaign}", "import: deals: dimensions: Campaign: 'Campaign': a dimension name is snake_case"),
        (
            "{source: Campaign}",
            "import: deals: dimensions: source: 'source' is a column of deals: map it under columns:",
        ),
        ("{month: Campaign}", "'month' is a calendar dimension"),
        ("{campaign: Campagne}", "no column 'Campagne' (for dimensions: campaign)"),
    ],
)
def test_dimension_mistakes(tmp_path, capsys, dimensions, words):
    config = (
        HEAD
        + f"""\
    import:
      deals:
        files: [deals.csv]
        columns: {{deal_id: Deal, status: Status, closed_at: Closed}}
        dimensions: {dimensions}
    """
    )
    make_client(tmp_path, config, {"deals.csv": "Deal,Status,Closed,Campaign\n1,Open,,Spring\n"})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "Traceback" not in err and words in err


def test_result_round_trip_through_the_manifest(tmp_path):
    config = (
        HEAD
        + """\
    import:
      leads:
        files: [leads.csv]
        columns: {lead_id: Lead, created_at: Created, source: Source}
        dimensions: {campaign: Campaign}
    """
    )
    make_client(tmp_path, config, {"leads.csv": LEADS})
    fresh = import_client(tmp_path, "acme")
    again = import_client(tmp_path, "acme")
    assert again.from_cache and again.reports["leads"].dimensions == fresh.reports["leads"].dimensions == {
        "campaign": 2
    }
    assert again.summary().splitlines()[1:] == fresh.summary().splitlines()[1:]


# --------------------------------------------------------------------------- dates from parts


def test_a_year_not_written_in_full_is_a_row_problem(tmp_path, capsys):
    """A 2-digit year (26) would be the year 26 (0026-04-01), then reported as a date the
    format cannot read, showing a value that is not in the export: it is refused on the year
    column, with the fix."""
    config = (
        HEAD
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: Id, status: Status, created_at: Created}
        format: {date_format: "%d/%m/%Y"}
        derive:
          closed_at: {year: Y, month: M, day: D}
    """
    )
    deals = (
        "Id,Status,Y,M,D,Created\n"
        "1,won,2024,Mai,3,05/02/2024\n"  # row 2: fine (month name)
        "2,won,24,4,1,05/02/2024\n"  # row 3: 2-digit year
        "3,won,0,4,1,05/02/2024\n"  # row 4: year 0
        "4,won,2024,4,31,05/02/2024\n"  # row 5: 31 April (no date)
        "5,won,2024.0,03,04,05/02/2024\n"
    )  # row 6: fine
    make_client(tmp_path, config, {"deals.csv": deals})
    code, out, err = cli_import(capsys, tmp_path)
    assert code == 2 and "Traceback" not in out + err
    assert "raw/deals.csv, column 'Y': years not written in full (4 digits) (2 rows: 3, 4); e.g. '24', '0'" in err
    assert "fix: write the year in full (2026)" in err
    assert "column 'Y / M / D': year, month and day that make no date (mapped to closed_at) (1 row: 5)" in err
    assert "0024" not in err and "cannot be read" not in err  # never a value that is not in the export
    assert "without closed_at" not in err  # the rows above are not also "closed without a close date"
    code, out, err = cli_import(capsys, tmp_path, "--lenient")
    assert code == 0 and "excluded from deals: 3 row(s)" in out and "years not written in full (4 digits): 2" in out
    deals = load_sales_data(tmp_path, "acme").deals.set_index("deal_id")
    assert deals["closed_at"].to_dict() == {"1": pd.Timestamp("2024-05-03"), "5": pd.Timestamp("2024-03-04")}
