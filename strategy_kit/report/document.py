"""The report as a document: executed notebooks to HTML without code, a cover block, one PDF.

Each executed notebook becomes HTML with nbconvert's ``basic`` template (code, prompts and cells
tagged ``no-pdf``/``parameters`` removed); tables get the classes the print stylesheet
(``report_print.css``, beside this module) lays them out by; the sections are wrapped in one
document with a cover block and WeasyPrint writes the PDF. The scorecards use the same cover,
stylesheet and writer.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from strategy_kit.i18n import format_date, label
from strategy_kit.periods import Period

# Cells never shown in a report: widgets and debugging (no-pdf), parameters, papermill's error markers.
REMOVED_CELL_TAGS = frozenset({"no-pdf", "parameters", "injected-parameters", "papermill-error-cell-tag"})
SHORT_TABLE_ROWS = 15  # tables with no more rows than this are kept on one page
WIDE_TABLE_COLUMNS = 8  # more columns than this: smaller type, fixed layout
LANDSCAPE_TABLE_COLUMNS = 12  # more columns than this: the table gets a landscape page
STYLESHEET = Path(__file__).with_name("report_print.css")


def html_exporter() -> Any:
    """nbconvert's exporter as the report uses it: no code, no prompts, no cells tagged out."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(REMOVED_CELL_TAGS), enabled=True), enabled=True
    )
    return exporter


def notebook_html(notebook: Any, exporter: Any | None = None) -> str:
    """The body HTML of an executed notebook as the report shows it (no code, no stderr, no widget state)."""
    import copy

    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)  # forms live in JupyterLab; their saved state is not report content
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    body, _ = (exporter or html_exporter()).from_notebook_node(notebook)
    return mark_tables(body)


_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S | re.I)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S | re.I)
_CELL = re.compile(r"<t[hd]\b([^>]*)>", re.I)
_COLSPAN = re.compile(r"colspan\s*=\s*[\"']?(\d+)", re.I)
_CLASS = re.compile(r"""\bclass\s*=\s*(["'])(.*?)\1""", re.I | re.S)


def table_columns(table_inner_html: str) -> int:
    """Columns of an HTML table, read from its first row (colspans counted)."""
    row = _ROW.search(table_inner_html)
    if row is None:
        return 0
    return sum(int(m.group(1)) if (m := _COLSPAN.search(attrs)) else 1 for attrs in _CELL.findall(row.group(1)))


def _add_class(attributes: str, name: str) -> str:
    if _CLASS.search(attributes):
        return _CLASS.sub(lambda m: f'class="{m.group(2)} {name}"', attributes, count=1)
    return f'{attributes} class="{name}"'


def mark_tables(body: str) -> str:
    """Classes the stylesheet lays tables out by: ``sk-short`` (few rows: not split across pages),
    ``sk-wide`` (many columns: smaller type); very wide tables also get a landscape page (wrapped
    in ``<div class="sk-landscape">``)."""

    def mark(match: re.Match[str]) -> str:
        attributes, inner = match.group(1), match.group(2)
        columns = table_columns(inner)
        if len(_ROW.findall(inner)) <= SHORT_TABLE_ROWS + 1:  # + the header row
            attributes = _add_class(attributes, "sk-short")
        if columns > WIDE_TABLE_COLUMNS:
            attributes = _add_class(attributes, "sk-wide")
        table = f"<table{attributes}>{inner}</table>"
        if columns > LANDSCAPE_TABLE_COLUMNS:
            return f'<div class="sk-landscape">{table}</div>'
        return table

    return _TABLE.sub(mark, body)


@dataclass(frozen=True)
class Cover:
    """What the cover block and the running headers show."""

    client: str
    period: Period
    language: str
    generated: date

    def html(self) -> str:
        lang = self.language
        dates = label(
            "report.period_dates",
            lang,
            start=format_date(self.period.start, lang),
            end=format_date(self.period.end, lang),
        )
        return (
            '<header class="sk-cover">'
            f'<p class="sk-kicker">{html.escape(label("report.title", lang))}</p>'
            f'<h1 class="sk-client">{html.escape(self.client)}</h1>'
            f'<p class="sk-period">{html.escape(label("report.period", lang))} '
            f'<span class="sk-period-label">{html.escape(self.period.name(lang))}</span>'
            f" · {html.escape(dates)}</p>"
            f'<p class="sk-generated">{html.escape(label("report.generated", lang, date=format_date(self.generated, lang)))}</p>'
            "</header>"
        )


def report_document(cover: Cover, sections: list[tuple[str, str]]) -> str:
    """The whole report as one HTML document: cover, then one ``<section>`` per notebook."""
    style = STYLESHEET.read_text(encoding="utf-8")
    body = "\n".join(
        f'<section class="sk-section" id="{html.escape(name)}">\n{content}\n</section>' for name, content in sections
    )
    title = f"{cover.client} — {cover.period.name(cover.language)}"
    return (
        f'<!DOCTYPE html>\n<html lang="{cover.language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{style}\n</style>\n</head>\n"
        f"<body>\n{cover.html()}\n{body}\n</body>\n</html>\n"
    )


def write_pdf(document: str, target: Path, base_url: Path) -> int:
    """Render ``document`` with WeasyPrint to ``target``; returns the number of pages."""
    from weasyprint import HTML

    rendered = HTML(string=document, base_url=str(base_url)).render()
    rendered.write_pdf(target)
    return len(rendered.pages)
