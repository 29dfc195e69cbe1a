"""Every notebook of the report copes with a client that has only deals, and a period without any.

Scheduled runs must not fail because a section has nothing to show: such sections say
"not available" and the report is still written.
"""
from __future__ import annotations

from pathlib import Path

from strategy_kit.cli import main

ROOT = Path(__file__).resolve().parents[1]

DEALS = """ID,Status,Stage,Amount,Created,Closed,Owner
1,Won,won,1000,2024-01-10,2024-04-10,Ana
2,Lost,proposal,500,2024-02-01,2024-04-20,Ben
3,Open,qualification,200,2024-04-05,,Ana
"""


def test_report_of_an_empty_period_for_a_deals_only_client(tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "deals.csv").write_text(DEALS, encoding="utf-8")
    workspace = str(tmp_path / "ws")
    assert main(["--workspace", workspace, "new-client", "solo", "--raw", str(exports)]) == 0
    capsys.readouterr()

    # March 2024 lies inside the data (2024-01-10 to 2024-04-20) but no deal was created, won or lost
    # in it (a period wholly outside the data is refused: tests/test_kpis_period_range.py).
    assert main(["--workspace", workspace, "report", "solo", "--period", "2024-03"]) == 0, capsys.readouterr().err
    pdf = tmp_path / "ws" / "reports" / "solo" / "2024-03" / "report.pdf"
    assert capsys.readouterr().out.strip() == str(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    executed = sorted(p.name for p in pdf.with_name("notebooks").glob("*.ipynb"))
    assert executed == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
