"""The report pipeline: notebooks run by papermill, HTML without code, one PDF written atomically.

Each render starts a kernel per notebook (a few seconds), so the rendering tests are few and use
small notebooks written here; the layout rules are tested on HTML strings directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from strategy_kit.periods import parse_period
from strategy_kit.report.document import Cover, mark_tables, table_columns
from strategy_kit.report.render import ReportError, ReportFailure, default_notebooks_dir, find_notebooks, render_report
from strategy_kit.workspace import Workspace

from report_fixtures import pdf_text

PARAMETERS = """client: str = "demo"  # client folder under data/
period: str = ""  # period label
language: str = ""  # fr or en
workspace: str = ""  # folder with data/ and reports/"""


def cell(source: str, *tags: str):
    made = new_code_cell(source)
    if tags:
        made.metadata["tags"] = list(tags)
    return made


def write_notebook(folder: Path, name: str, *cells) -> None:
    notebook = new_notebook(
        cells=[cell(PARAMETERS, "parameters"), *cells],
        metadata={"kernelspec": {"name": "strategy-kit", "display_name": "strategy-kit", "language": "python"}},
    )
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / name)


CLIENT_YML = """\
display_name: "Fournil Dupont & Fils"
language: fr
import:
  deals:
    files: [deals.csv]
    format: {separator: ";", decimal: ",", date_format: dayfirst}
    columns: {deal_id: Réf, stage: Étape, status: Statut, value: Montant, created_at: Créée le, closed_at: Clôturée le}
    values:
      status: {En cours: open, Gagnée: won, Perdue: lost}
      stage: {Prospection: prospecting, Rendez-vous: meeting, Proposition: proposal, Négociation: negotiation}
"""
# A French spreadsheet. At 31/03/2026 (end of 2026-Q1) A1, A2 and A5 are open: 3 deals worth
# 1000 + 5000 + 2500.50 = 8500.50, shown rounded as 8 501 €. In Q1: A2, A4, A5 created; A3 won
# (8 000 €); A4 lost on 31/03.
DEALS_CSV = """\
Réf;Étape;Statut;Montant;Créée le;Clôturée le
A1;Prospection;En cours;1000,00;10/12/2025;
A2;Proposition;En cours;5000,00;01/02/2026;
A3;Négociation;Gagnée;8000,00;05/11/2025;15/02/2026
A4;Rendez-vous;Perdue;2000,00;20/01/2026;31/03/2026
A5;Proposition;En cours;2500,50;15/03/2026;
A6;Négociation;Gagnée;4000,00;01/04/2026;10/04/2026
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    folder = tmp_path / "ws" / "data" / "fournil"
    (folder / "raw").mkdir(parents=True)
    (folder / "client.yml").write_text(CLIENT_YML, encoding="utf-8")
    (folder / "raw" / "deals.csv").write_text(DEALS_CSV, encoding="utf-8")
    return Workspace(tmp_path / "ws")


def test_report_runs_the_notebooks_in_order_and_writes_one_pdf(workspace: Workspace, tmp_path: Path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copyfile(default_notebooks_dir() / "00_overview.ipynb", notebooks / "00_overview.ipynb")
    write_notebook(
        notebooks,
        "01_first.ipynb",
        new_markdown_cell("Analyst notes, kept out of the PDF.", metadata={"tags": ["no-pdf"]}),
        cell("import os\nprint('SECTION-ONE', client, period, language)\nprint('CWD', os.getcwd())"),
        cell("print('DEBUG-ONLY-OUTPUT')", "no-pdf"),
        cell(
            "import pandas as pd\nfrom IPython.display import HTML, display\n"
            "display(HTML(pd.DataFrame([[1] * 14] * 3, columns=[f'c{i}' for i in range(14)]).to_html(index=False)))\n"
            "display(HTML(pd.DataFrame([[2] * 9] * 3, columns=[f'n{i}' for i in range(9)]).to_html(index=False)))"
        ),
    )
    write_notebook(
        notebooks,
        "02_second.ipynb",
        cell(
            "from strategy_kit.report import notebook as nb\nctx = nb.load_context(client, period, language, workspace)"
        ),
        cell("print('SECTION-TWO')"),
        cell(
            "from strategy_kit.errors import UnavailableError\n"
            "raise UnavailableError('unavailable.no_table', labelled={'label': 'table.leads'}, table='leads', client='fournil')"
        ),
        cell("print('NEVER-SHOWN')"),
    )

    pdf = render_report(workspace, "fournil", period="2026-Q1", notebooks_dir=notebooks, keep_html=True)

    assert pdf == workspace.reports_dir / "fournil" / "2026-Q1" / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in (pdf.parent / "notebooks").iterdir()) == [
        "00_overview.ipynb",
        "01_first.ipynb",
        "02_second.ipynb",
    ]
    assert not [p for p in pdf.parent.iterdir() if p.name.startswith(".")]  # no temporary file left
    html = (pdf.parent / "report.html").read_text(encoding="utf-8")
    # Cover in the client's language, with the period's dates.
    assert "Fournil Dupont &amp; Fils" in html
    assert "2026-Q1" in html and "du 01/01/2026 au 31/03/2026" in html
    # The overview, in French, with the numbers worked out above (NBSP in numbers).
    assert "Vue d'ensemble des données" in html
    assert "3 affaires pour 8\u202f501\u00a0€" in html
    assert "Affaires ouvertes au 31/03/2026" in html
    assert "Source : le montant des affaires gagnées" in html
    # Sections in order; parameters and code hidden; the no-pdf cells are gone.
    assert html.index("Vue d'ensemble") < html.index("SECTION-ONE fournil 2026-Q1 fr") < html.index("SECTION-TWO")
    kernel_cwd = Path(html.split("CWD ", 1)[1].split("\n", 1)[0])
    assert "sk-report-" in str(kernel_cwd) and not kernel_cwd.exists()  # a scratch folder, removed
    assert "DEBUG-ONLY-OUTPUT" not in html and "Analyst notes" not in html
    body = html.split("<body>", 1)[1]
    assert "print(" not in body and "client: str" not in body
    # An UnavailableError that escapes a notebook ends its section with a note, not the report.
    assert "Non disponible" in html and "NEVER-SHOWN" not in html
    assert "Traceback" not in html
    # The 14-column table gets a landscape page; the 9-column one smaller type only; the chart is SVG.
    assert body.count('<div class="sk-landscape">') == 1
    assert body.count("sk-wide") == 2
    assert body.count("data:image/svg+xml") == 2  # the overview's two charts, as vectors

    from weasyprint import HTML

    pages = HTML(string=html).render().pages
    assert len(pages) >= 4  # overview, first section, its landscape page, second section
    assert any(page.width > page.height for page in pages)
    text = pdf_text(pdf)
    assert "Fournil Dupont & Fils" in text and "2026-Q1" in text and "page 1 / " in text

    # Re-running one section writes report-<topic>.pdf beside the full report, which stays as it was.
    full = pdf.read_bytes()
    partial = render_report(workspace, "fournil", period="2026-Q1", notebooks=["second"], notebooks_dir=notebooks)
    assert partial == pdf.with_name("report-second.pdf") and partial.read_bytes().startswith(b"%PDF")
    assert pdf.read_bytes() == full
    assert len(list((pdf.parent / "notebooks").iterdir())) == 3


def test_a_failing_notebook_names_the_cell_and_keeps_the_previous_report(workspace: Workspace, tmp_path: Path):
    notebooks = tmp_path / "notebooks"
    write_notebook(
        notebooks,
        "00_broken.ipynb",
        cell("ratio = 1"),
        cell("# share of won deals\nratio = 1 / 0"),
        cell("print(ratio)"),
    )
    report_dir = workspace.reports_dir / "fournil" / "2026-Q1"
    (report_dir / "notebooks").mkdir(parents=True)
    good = b"%PDF-1.7 the report of last week"
    (report_dir / "report.pdf").write_bytes(good)
    (report_dir / "notebooks" / "00_broken.ipynb").write_text("previous run", encoding="utf-8")

    with pytest.raises(ReportFailure) as failure:  # a bug of ours, not the user's input (exit 1)
        render_report(workspace, "fournil", period="2026-Q1", notebooks_dir=notebooks)

    message = str(failure.value)
    # Cell 3 of the notebook: 1 is the parameters cell, 2 "ratio = 1".
    assert "00_broken.ipynb" in message and "cell 3" in message and "# share of won deals" in message
    assert "ZeroDivisionError: division by zero" in message
    assert "bug in strategy-kit; please report it" in message and str(report_dir / "failed") in message
    assert (report_dir / "report.pdf").read_bytes() == good
    assert (report_dir / "notebooks" / "00_broken.ipynb").read_text(encoding="utf-8") == "previous run"
    assert (report_dir / "failed" / "00_broken.ipynb").is_file()  # kept for debugging
    assert not [p for p in report_dir.iterdir() if p.name.startswith(".")]


def test_wide_tables_are_marked_by_column_count():
    def table(columns: int, rows: int = 2) -> str:
        head = "".join(f"<th>h{i}</th>" for i in range(columns))
        body = "".join("<tr>" + "<td>1</td>" * columns + "</tr>" for _ in range(rows))
        return f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    assert table_columns('<tr><th colspan="3">a</th><th>b</th></tr><tr><td>1</td></tr>') == 4
    narrow, wide, very_wide = mark_tables(table(8)), mark_tables(table(9)), mark_tables(table(13))
    assert "sk-wide" not in narrow and "sk-landscape" not in narrow
    assert 'class="dataframe sk-short sk-wide"' in wide and "sk-landscape" not in wide
    assert very_wide.startswith('<div class="sk-landscape"><table class="dataframe sk-short sk-wide">')
    assert "sk-short" not in mark_tables(table(3, rows=16))  # long tables may split (headers repeat)


def test_notebooks_are_chosen_by_name_stem_or_topic(tmp_path: Path):
    for name in ("01_journey.ipynb", "00_overview.ipynb", "scratch.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in find_notebooks(tmp_path)] == ["00_overview.ipynb", "01_journey.ipynb"]
    assert [p.name for p in find_notebooks(tmp_path, ["journey", "00_overview"])] == [
        "00_overview.ipynb",
        "01_journey.ipynb",
    ]
    with pytest.raises(ReportError, match="choose among 00_overview, 01_journey"):
        find_notebooks(tmp_path, ["swot"])


def test_cover_in_english():
    from datetime import date

    html = Cover("Globex", parse_period("2026-Q3"), "en", date(2026, 10, 2)).html()
    assert "Sales strategy" in html and "1 Jul 2026 to 30 Sep 2026" in html
    assert "Report generated on 2 Oct 2026" in html


def test_report_tables_are_labelled_and_formatted_for_the_language():
    import pandas as pd

    from strategy_kit.report.notebook import left_out_text, table_html

    frame = pd.DataFrame(
        {"table": ["deals"], "rows": [1234], "value": [98765.4], "month": [pd.Timestamp("2026-09-01")]}
    )
    html = table_html(
        frame,
        "fr",
        "EUR",
        kinds={"rows": "integer", "value": "currency", "month": "month"},
        translate={"table": "table"},
    )
    assert '<th class="text">Table</th><th class="num">Lignes</th><th class="num">Montant</th>' in html
    assert '<td class="text">Affaires</td><td class="num">1\u202f234</td>' in html
    assert '<td class="num">98\u202f765\u00a0€</td><td class="date">sept. 2026</td>' in html
    assert html.startswith('<table class="sk-table"><thead>')
    assert left_out_text({"no_created_at": 2, "no_value": 0}, "en") == "Rows left out: 2 without a creation date."
    assert left_out_text({}, "fr") == ""
    # Whole sentences: the plural of each count, the list joined as the language joins it.
    assert left_out_text({"activity_after_close": 1, "activity_before_first_stage": 30}, "fr") == (
        "Lignes écartées : 1 activité après la clôture de l'affaire et 30 activités antérieures à la première "
        "étape datée de l'affaire."
    )
    assert left_out_text({"undated_stage_entry": 2, "undated_stay": 1}, "en") == (
        "Rows left out: 2 stage entries without a date and 1 stay of unknown length (stages passed without a date)."
    )


def test_each_notebooks_kernel_stops_when_its_notebook_ends(tiny_workspace):
    # Kernels hold a copy of the client's data: one left running per notebook made a report's
    # memory grow with its number of notebooks, and a test session's with every report it rendered.
    import psutil

    from strategy_kit.report import render_report

    def kernels() -> list[int]:
        return [
            child.pid
            for child in psutil.Process().children(recursive=True)
            if "ipykernel_launcher" in " ".join(child.cmdline())
        ]

    before = set(kernels())
    render_report(tiny_workspace, "tiny", period="2026-Q2", notebooks=["overview", "customer_journey"])
    assert set(kernels()) - before == set()


def test_the_command_line_says_what_it_wrote_and_keeps_the_pdfs_path_for_scripts(workspace: Workspace, capsys):
    from pypdf import PdfReader

    from strategy_kit.cli import main

    code = main(
        ["--workspace", str(workspace.root), "report", "fournil", "--period", "2026-Q1", "--notebook", "overview"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    pdf = Path(out.strip())
    pages = len(PdfReader(pdf).pages)
    # A person reads, in the client's language, what was written and what to do next.
    assert f"Rapport écrit : {pdf} ({pages} page" in err
    assert f"Version HTML, pour l'écran et le partage par lien : {pdf.with_suffix('.html')}" in err
    assert "Ensuite : " in err
    # The HTML version holds the same report: its cover and the overview's title.
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert "Fournil Dupont &amp; Fils" in html and "T1 2026" in html and "Vue d'ensemble des données" in html

    assert (
        main(
            [
                "--workspace",
                str(workspace.root),
                "report",
                "fournil",
                "--period",
                "2026-Q1",
                "--no-html",
                "--notebook",
                "overview",
                "--language",
                "en",
            ]
        )
        == 0
    )
    _, err = capsys.readouterr()
    assert f"Report written: {pdf} (" in err and "HTML version" not in err
    assert not pdf.with_suffix(".html").exists()  # the earlier run's HTML no longer matches the PDF


def test_the_pdf_is_written_with_the_garbage_collector_paused_and_left_as_it_was(tmp_path, monkeypatch):
    # WeasyPrint's objects set off full collections that walked every object again and again.
    import gc

    import weasyprint

    from strategy_kit.report.document import write_pdf

    seen: list[bool] = []
    real = weasyprint.HTML

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    assert gc.isenabled()
    assert write_pdf("<p>one page</p>", tmp_path / "a.pdf", tmp_path) == 1
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        write_pdf("<p>one page</p>", tmp_path / "b.pdf", tmp_path)
        assert not gc.isenabled()  # a caller's choice stays
    finally:
        gc.enable()
