"""Every CSV the product writes neutralises cells a spreadsheet would run as formulas (OWASP, CSV
injection): ``kpis --format csv``, ``objectives --format csv``, the importer's rejected.csv and the
``followups`` task lists all go through :mod:`strategy_kit.spreadsheet`."""

from __future__ import annotations

import csv
import io

import pandas as pd

from strategy_kit.spreadsheet import BOM, csv_text, neutralise_cell

from import_fixtures import make_client, run_cli

CMD = "+cmd|' /C calc'!A0"
LINK = '=HYPERLINK("x")'


def test_text_cells_starting_a_formula_are_quoted_numbers_are_not():
    for text in (CMD, LINK, "-2+3", "@SUM(A1)", "\tx", "\rx", "-A1"):
        assert neutralise_cell(text) == "'" + text
    # numbers written as numbers, plain numbers kept as text, and ordinary text stay as they are
    for value in (-12.5, -3, "-5", "+3.5", "-1,5", "Ana", "a=b", None):
        assert neutralise_cell(value) == value
    frame = pd.DataFrame({"owner": [CMD, "Ana"], "value": [-1.5, 2.0]})
    text = csv_text(frame, bom=True)
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [["owner", "value"], ["'" + CMD, "-1.5"], ["Ana", "2.0"]]


KPI_CONFIG = """
display_name: Formulas
language: en
import:
  deals:
    files: [deals.csv]
    columns: {deal_id: ID, status: Status, value: Amount, created_at: Created, closed_at: Closed, owner: Owner}
    values:
      status: {Won: won, Lost: lost, Open: open}
"""
# Two owners named as formulas (the examples); one deal won and one lost each in 2026-Q2.
KPI_DEALS = (
    "ID,Status,Amount,Created,Closed,Owner\n"
    "1,Won,1000,2026-04-01,2026-04-10,\"+cmd|' /C calc'!A0\"\n"
    '2,Lost,500,2026-04-02,2026-04-20,"=HYPERLINK(""x"")"\n'
)


def test_kpis_by_owner_csv_neutralises_owners_named_as_formulas(tmp_path, capsys):
    make_client(tmp_path, KPI_CONFIG, {"deals.csv": KPI_DEALS})
    assert run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")[0] == 0
    code, out, err = run_cli(
        capsys, "--workspace", str(tmp_path), "kpis", "acme", "--period", "2026-Q2", "--by", "owner", "--format", "csv"
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    owners = {row["group"] for row in rows if row["dimension"] == "owner"}
    assert owners == {"'" + CMD, "'" + LINK}
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values() if cell)
    # won 1 of 2 closed: the team's win rate is 0.5; the owners' 1.0 and 0.0: numbers left as numbers
    win = {row["group"]: row["value"] for row in rows if row["kpi"] == "win_rate"}
    assert win == {"": "0.5", "'" + CMD: "1.0", "'" + LINK: "0.0"}


def test_rejected_csv_neutralises_formulas(tmp_path, capsys):
    config = KPI_CONFIG
    deals = KPI_DEALS + '3,Maybe,-5,2026-04-03,,"=1+1"\n'  # unknown status: rejected with its raw cells
    folder = make_client(tmp_path, config, {"deals.csv": deals})
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme", "--lenient")
    assert code == 0, err
    rejected = pd.read_csv(folder / ".cache" / "rejected.csv", dtype=str)
    assert list(rejected["owner"]) == ["'=1+1"]
    assert list(rejected["value"]) == ["-5"]  # a plain negative number runs nothing: left as it is
