"""Every notebook of the report copes with a client that has only deals, and a period without any,
with deals that lack values or dates, a header-only deals export, and names carrying math markup.

Scheduled runs must not fail because a section has nothing to show: such sections say
"not available" and the report is still written. Each test renders the whole report (papermill,
WeasyPrint): 7 to 25 s each on a 2-core machine (quiet to busy), so one client covers several shapes;
tests/test_sections_shapes.py checks many more shapes, section by section, in a few seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

from strategy_kit.cli import main

from section_shapes import MARKUP, deal_rows, write_client

ROOT = Path(__file__).resolve().parents[1]

DEALS = """ID,Status,Stage,Amount,Created,Closed,Owner
1,Won,won,1000,2024-01-10,2024-04-10,Ana
2,Lost,proposal,500,2024-02-01,2024-04-20,Ben
3,Open,qualification,200,2024-04-05,,Ana
"""


def render(tmp_path: Path, capsys, client: str, period: str) -> tuple[Path, str]:
    """Import and report ``client`` of the workspace ``tmp_path/ws``; the PDF and every text shown."""
    workspace = str(tmp_path / "ws")
    assert main(["--workspace", workspace, "import", client]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["--workspace", workspace, "report", client, "--period", period]) == 0, capsys.readouterr().err
    pdf = tmp_path / "ws" / "reports" / client / period / "report.pdf"
    assert capsys.readouterr().out.strip() == str(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    shown = []
    for notebook in sorted(pdf.with_name("notebooks").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", (notebook.name, output)
                shown.append("".join(output.get("data", {}).get("text/html", "")))
    return pdf, "\n".join(shown)


def test_report_of_deals_without_value_or_creation_date_and_names_with_markup(tmp_path, capsys):
    # One client for three shapes (each failed the report before): no value column, won deals
    # without created_at, and owners, products, sources, lost reasons, sectors and stage labels
    # carrying math markup; a persona and objectives are saved so that every chart is drawn.
    # In 2024-Q2, 3 deals were won (tests/test_sections_shapes.py says which), none with a creation date.
    deals = [
        dict(row, created_at="" if row["status"] == "won" else row["created_at"]) for row in deal_rows(markup=True)
    ]
    write_client(
        tmp_path / "ws",
        "odd",
        deals=deals,
        drop=("value",),
        markup=True,
        inputs=True,
        tables=("deals", "accounts", "leads", "activities"),
        language="fr",
    )
    _, shown = render(tmp_path, capsys, "odd", "2024-Q2")
    assert "Non disponible : aucune affaire gagnée n&#x27;a de montant" in shown
    assert "Affaires gagnées sur la période : 3, mais aucune n&#x27;a de date de création" in shown
    assert MARKUP in shown  # shown as written, in the tables


def test_report_of_a_header_only_deals_export(tmp_path, capsys):
    # The export has a header and no row: the SWOT (and every section) says "not available".
    write_client(tmp_path / "ws", "blank", deals=[], tables=("deals", "accounts"))
    _, shown = render(tmp_path, capsys, "blank", "2024-Q2")
    assert "no deal or revenue line belongs to an account" in shown
    assert "Not available" in shown


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
