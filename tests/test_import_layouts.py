"""How values are laid out in real exports: fallback columns, fixed-width text files, dates in
year/month/day columns, a format shared by every table (docs/mapping.md)."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.importer import load_sales_data

from import_fixtures import make_client, run_cli

HEAD = """\
    display_name: Layouts
    language: en
    timezone: Europe/Paris
    data_cutoff: 2024-06-30
"""


def cli_import(capsys, root, *extra: str) -> tuple[int, str, str]:
    return run_cli(capsys, "--workspace", str(root), "import", "acme", *extra)


def values(column: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in column.astype(object)]


# --------------------------------------------------------------------------- first_of


def test_first_of_for_ids_numbers_and_dates_under_columns_and_derive(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      deals:
        files: [deals.csv]
        format: {date_format: dayfirst, decimal: ","}
        columns:
          deal_id: {first_of: [ID, Legacy ID]}
          status: Status
          value: {first_of: [Won amount, Amount]}
        derive:
          closed_at: {first_of: [Won time, Lost time]}
    """
    )
    deals = (
        "ID;Legacy ID;Status;Won amount;Amount;Won time;Lost time\n"
        "  ;OLD-7;Open;;12,5;;\n"  # id from Legacy ID (spaces are empty), value 12.5
        "D2;OLD-8;Won;300;250;01/02/2024;\n"  # own id; won amount first; won time
        "D3;;Lost;;;;15/03/2024\n"
    )  # no value; lost time
    make_client(tmp_path, config, {"deals.csv": deals})
    code, _, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    deals = load_sales_data(tmp_path, "acme").tables["deals"]
    assert deals["deal_id"].tolist() == ["OLD-7", "D2", "D3"]
    assert values(deals["value"]) == [12.5, 300.0, None]
    assert values(deals["closed_at"]) == [None, pd.Timestamp("2024-02-01"), pd.Timestamp("2024-03-15")]


def test_a_column_set_both_under_columns_and_derive_is_refused(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      deals:
        files: [deals.csv]
        columns:
          deal_id: ID
          status: Status
          closed_at: {first_of: [Won time, Lost time]}
        derive:
          closed_at: {first_of: [Lost time]}
    """
    )
    make_client(tmp_path, config, {"deals.csv": "ID,Status,Won time,Lost time\n1,Open,,\n"})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "import: deals: columns: closed_at: closed_at is also set under derive:" in err


# --------------------------------------------------------------------------- fixed width

CALL_LOG = """\
Call log exported 2024-04-02
Call ID   Agent Name   Started            Duration
C-001     Ana Lopez    2024-03-01 09:00        125
C-002     Bob          2024-03-01 09:05          8

C-003     Ana Lopez    2024-03-02 14:30     1 200
C-004                  2024-03-02 15:00         40
"""


def fixed_config(format_line: str) -> str:
    return (
        HEAD
        + f"""\
    import:
      activities:
        files: [calls.txt]
        format: {format_line}
        columns: {{activity_id: Call ID, owner: Agent Name, at: Started, duration_seconds: Duration}}
        constants: {{type: call}}
    """
    )


def test_a_fixed_width_file_with_inferred_columns(tmp_path, capsys):
    make_client(tmp_path, fixed_config("{layout: fixed, skip_rows: 1, thousands: ' '}"), {"calls.txt": CALL_LOG})
    code, out, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    calls = load_sales_data(tmp_path, "acme").tables["activities"]
    assert calls["activity_id"].tolist() == ["C-001", "C-002", "C-003", "C-004"]
    assert values(calls["owner"]) == ["Ana Lopez", "Bob", "Ana Lopez", None]  # "Agent Name" stays one header
    assert calls["duration_seconds"].tolist() == [125, 8, 1200, 40]
    assert calls["at"].iloc[2] == pd.Timestamp("2024-03-02 14:30")


def test_fixed_width_rows_are_numbered_as_in_the_file(tmp_path, capsys):
    """Line 1 is the title, 2 the header; the blank line 5 counts: C-003 is on line 6."""
    log = CALL_LOG.replace("2024-03-02 14:30", "2024-13-02 14:30")
    make_client(tmp_path, fixed_config("{layout: fixed, skip_rows: 1, thousands: ' '}"), {"calls.txt": log})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "raw/calls.txt, column 'Started'" in err and "(1 row: 6)" in err


def test_a_fixed_width_file_with_given_widths(tmp_path, capsys):
    # Call ID 10, Agent Name 13, Started 16, Duration the rest (up to 12)
    make_client(
        tmp_path,
        fixed_config("{layout: fixed, skip_rows: 1, widths: [10, 13, 16, 12], thousands: ' '}"),
        {"calls.txt": CALL_LOG},
    )
    code, _, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    calls = load_sales_data(tmp_path, "acme").tables["activities"]
    assert values(calls["owner"]) == ["Ana Lopez", "Bob", "Ana Lopez", None]
    assert calls["duration_seconds"].sum() == 125 + 8 + 1200 + 40


@pytest.mark.parametrize(
    ("format_line", "words"),
    [
        ("{layout: aligned}", "import: activities: format: layout: expected delimited (CSV, the default) or fixed"),
        ("{widths: [10, 13]}", "import: activities: format: widths: widths applies to layout: fixed only"),
        ("{layout: fixed, widths: [10, 0]}", "import: activities: format: widths: expected the width of each column"),
    ],
)
def test_fixed_width_mistakes(tmp_path, capsys, format_line, words):
    make_client(tmp_path, fixed_config(format_line), {"calls.txt": CALL_LOG})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and words in err


# --------------------------------------------------------------------------- year / month / day


def test_dates_from_year_month_and_day_columns(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      revenue:
        files: [sales.csv]
        columns: {invoice_id: Line, account_id: Customer, amount: Amount}
        derive:
          date: {year: Year, month: Month, day: Day}
      targets:
        files: [targets.csv]
        columns: {kpi: KPI, target: Target}
        derive:
          month: {year: Year, month: Month}      # no day: the 1st of the month
    """
    )
    sales = "Line,Customer,Amount,Year,Month,Day\n1,Acme,10,2024,3,15\n2,Beta,20,2024,février,1\n3,Acme,5,2023,Dec,31\n"
    targets = "KPI,Target,Year,Month\nrevenue,1000,2024,07\n"
    make_client(tmp_path, config, {"sales.csv": sales, "targets.csv": targets})
    code, _, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    data = load_sales_data(tmp_path, "acme")
    assert data.tables["revenue"]["date"].tolist() == [
        pd.Timestamp("2024-03-15"),
        pd.Timestamp("2024-02-01"),
        pd.Timestamp("2023-12-31"),
    ]
    assert data.tables["targets"]["month"].tolist() == [pd.Timestamp("2024-07-01")]


def test_year_month_day_that_make_no_date_are_row_problems(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      revenue:
        files: [sales.csv]
        columns: {invoice_id: Line, account_id: Customer, amount: Amount}
        derive:
          date: {year: Year, month: Month, day: Day}
    """
    )
    sales = (
        "Line,Customer,Amount,Year,Month,Day\n"
        "1,Acme,10,2024,13,1\n"  # row 2: month 13
        "2,Beta,20,2024,4,31\n"  # row 3: 31 April
        "3,Acme,5,2024,,\n"  # row 4: year without a month
        "4,Acme,7,2024,5,2\n"
    )  # row 5: fine
    make_client(tmp_path, config, {"sales.csv": sales})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "Traceback" not in err
    assert "column 'Year / Month / Day': year, month and day that make no date" in err
    assert "(3 rows: 2, 3, 4)" in err and "2024 / 13 / 1" in err
    code, out, _ = cli_import(capsys, tmp_path, "--lenient")
    assert code == 0 and "excluded from revenue: 3 row(s)" in out
    revenue = load_sales_data(tmp_path, "acme").tables["revenue"]
    assert revenue["date"].tolist() == [pd.Timestamp("2024-05-02")]


def test_year_month_day_needs_a_date_column(tmp_path, capsys):
    config = (
        HEAD
        + """\
    import:
      revenue:
        files: [sales.csv]
        columns: {invoice_id: Line, date: Date, amount: Amount}
        derive:
          account_id: {year: Year, month: Month}
    """
    )
    make_client(tmp_path, config, {"sales.csv": "Line,Date,Amount,Year,Month\n1,2024-01-01,3,2024,1\n"})
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "import: revenue: derive: account_id: account_id is not a date column" in err


# --------------------------------------------------------------------------- client-wide format

FRENCH_CONFIG = (
    HEAD
    + """\
    import:
      format: {encoding: cp1252, separator: ";", decimal: ",", thousands: " ", date_format: dayfirst}
      deals:
        files: [affaires.csv]
        columns: {deal_id: N°, status: Statut, value: Montant, created_at: Créée le, closed_at: Close le, owner: Commercial}
        values:
          status: {En cours: open, Gagnée: won, Perdue: lost}
      revenue:
        files: [factures.txt]
        format: {separator: tab}          # overrides one key; the others are inherited
        columns: {invoice_id: Facture, account_id: Client, date: Date, amount: Montant HT}
"""
)


def test_a_format_written_once_for_every_table(tmp_path, capsys):
    deals = (
        "N°;Statut;Montant;Créée le;Close le;Commercial\n"
        "1;En cours;1 234,50;05/01/2024;;Hélène\n"
        "2;Gagnée;2 000;06/01/2024;01/02/2024;Éric\n"
    )
    invoices = (
        "Facture\tClient\tDate\tMontant HT\nF1\tSociété A\t15/02/2024\t2 000,00\nF2\tSociété B\t01/03/2024\t99,90\n"
    )
    make_client(
        tmp_path, FRENCH_CONFIG, {"affaires.csv": deals.encode("cp1252"), "factures.txt": invoices.encode("cp1252")}
    )
    code, _, err = cli_import(capsys, tmp_path)
    assert (code, err) == (0, "")
    data = load_sales_data(tmp_path, "acme")
    deals = data.tables["deals"]
    assert deals["value"].tolist() == [1234.5, 2000.0]
    assert deals["created_at"].tolist() == [pd.Timestamp("2024-01-05"), pd.Timestamp("2024-01-06")]
    assert deals["owner"].astype(str).tolist() == ["Hélène", "Éric"]
    revenue = data.tables["revenue"]
    assert revenue["amount"].sum() == pytest.approx(2099.9)  # 2 000,00 + 99,90
    assert revenue["date"].tolist() == [pd.Timestamp("2024-02-15"), pd.Timestamp("2024-03-01")]
    assert revenue["account_id"].tolist() == ["Société A", "Société B"]


def test_a_mistake_in_the_shared_format_names_its_key(tmp_path, capsys):
    make_client(
        tmp_path, FRENCH_CONFIG.replace('decimal: ","', 'decimal: ";"'), {"affaires.csv": "", "factures.txt": ""}
    )
    code, _, err = cli_import(capsys, tmp_path)
    assert code == 2 and "client.yml: import: format: decimal: expected '.' or ','" in err


# --------------------------------------------------------------------------- the documentation's examples


def test_every_example_of_the_mapping_reference_is_a_valid_mapping():
    """Each yaml example of docs/mapping.md that starts with import: is accepted as it stands."""
    import re
    from pathlib import Path

    import yaml

    from strategy_kit.importer.mapping import parse_import

    text = (Path(__file__).resolve().parents[1] / "docs" / "mapping.md").read_text(encoding="utf-8")
    examples = [block for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL) if block.startswith("import:")]
    assert len(examples) >= 9  # the reference, and one per capability
    for example in examples:
        mappings = parse_import(yaml.safe_load(example)["import"], "client.yml")
        assert mappings, example
