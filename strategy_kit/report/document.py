"""The report as a document: executed notebooks to HTML without code, a cover block, one PDF.

Each executed notebook becomes HTML with nbconvert's ``basic`` template (code, prompts and cells
tagged ``no-pdf``/``parameters`` removed); tables get the classes the print stylesheet
(``report_print.css``, beside this module) lays them out by; the sections are wrapped in one
document with a cover block and WeasyPrint writes the PDF. The scorecards use the same cover,
stylesheet and writer.
"""

from __future__ import annotations

import contextlib
import gc
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from strategy_kit.analytics.summary import rank
from strategy_kit.i18n import format_date, label
from strategy_kit.narrative.summary import ATTAINMENT_SECTION, SCORECARD_PREFIX, KeyFigure, KeyFinding, from_json
from strategy_kit.narrative.summary import anchor as section_anchor
from strategy_kit.periods import Period
from strategy_kit.report.notebook import SUMMARY_MIME

# Cells never shown in a report: widgets and debugging (no-pdf), parameters, papermill's error markers.
REMOVED_CELL_TAGS = frozenset({"no-pdf", "parameters", "injected-parameters", "papermill-error-cell-tag"})
SHORT_TABLE_ROWS = 15  # tables with no more rows than this are kept on one page
WIDE_TABLE_COLUMNS = 8  # more columns than this: smaller type, fixed layout
LANDSCAPE_TABLE_COLUMNS = 12  # more columns than this: the table gets a landscape page
STYLESHEET = Path(__file__).with_name("report_print.css")
TEMPLATE = Path(__file__).with_name("report.html.j2")


def html_exporter() -> Any:
    """nbconvert's exporter as the report uses it: no code, no prompts, no cells tagged out."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="basic",
        extra_template_paths=[str(TEMPLATE.parent)],
        template_file=TEMPLATE.name,  # basic, with the charts' alternative text
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
                o
                for o in cell.outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                and SUMMARY_MIME not in o.get("data", {})  # offered to the summary, not shown in the chapter
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


# --------------------------------------------------------------------------- summary and contents


@dataclass(frozen=True)
class Summary:
    """What the chapters offered the executive summary: key figures in order, findings ranked."""

    figures: list[KeyFigure]
    findings: list[KeyFinding]


def gather_summary(notebooks: list[Any]) -> Summary:
    """The key figures and findings the executed ``notebooks`` offered
    (:func:`strategy_kit.report.notebook.offer`), the findings ranked
    (:func:`strategy_kit.analytics.summary.rank`) in the order the notebooks offered them."""
    figures: list[KeyFigure] = []
    findings: list[KeyFinding] = []
    for notebook in notebooks:
        for cell in notebook.cells:
            for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
                payload = output.get("data", {}).get(SUMMARY_MIME)
                if payload is None:
                    continue
                item = from_json(payload)
                (findings if isinstance(item, KeyFinding) else figures).append(item)  # type: ignore[arg-type]
    if any(f.section == ATTAINMENT_SECTION for f in figures):  # against objectives: the revenue alone is repeated there
        figures = [f for f in figures if f.section == ATTAINMENT_SECTION]
    return Summary(sorted(figures, key=lambda f: f.order), rank(findings))


_FIGURE_COLUMNS = ("name", "actual", "target", "attainment", "last_year", "change")


def _see(section_key: str, language: str) -> str:
    return f'<a class="sk-see" href="#{section_anchor(section_key)}">{html.escape(label("summary.see", language))}</a>'


def summary_html(summary: Summary, period: Period, language: str) -> str:
    """The executive summary: the key figures against objective and a year earlier, then the
    ranked findings, each linking to the section that shows it (with its page number)."""
    parts = [
        f'<section class="sk-summary"><h1>{html.escape(label("summary.title", language, period=period.name(language)))}</h1>'
    ]
    parts.append(f"<h2>{html.escape(label('summary.figures', language))}</h2>")
    if summary.figures:
        head = "".join(
            f'<th class="{"text" if c == "name" else "num"}">{html.escape(label(f"summary.column.{c}", language))}</th>'
            for c in _FIGURE_COLUMNS
        )
        rows = "".join(
            "<tr>"
            + "".join(
                f'<td class="{"text" if c == "name" else "num"}">{html.escape(str(getattr(figure, c)))}</td>'
                for c in _FIGURE_COLUMNS
            )
            + "</tr>"
            for figure in summary.figures
        )
        parts.append(
            f'<table class="sk-table sk-short sk-figures"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
    else:
        parts.append(f'<p class="sk-note">{html.escape(label("summary.figures_none", language))}</p>')
    parts.append(f"<h2>{html.escape(label('summary.findings', language))}</h2>")
    if summary.findings:
        items = "".join(
            f"<li>{html.escape(finding.text)} {_see(finding.section, language)}</li>" for finding in summary.findings
        )
        parts.append(f'<ol class="sk-findings">{items}</ol>')
    else:
        parts.append(f"<p>{html.escape(label('summary.findings_none', language))}</p>")
    parts.append("</section>")
    return "\n".join(parts)


_HEADING = re.compile(r'<h([12]) id="(sk-[^"]+)">(.*?)</h\1>', re.S)


def unique_heading_ids(body: str) -> str:
    """Heading ids made unique (a second ``sk-x`` becomes ``sk-x-2``): links go to the first."""
    seen: dict[str, int] = {}

    def rename(match: re.Match[str]) -> str:
        identifier = match.group(2)
        seen[identifier] = seen.get(identifier, 0) + 1
        if seen[identifier] == 1:
            return match.group(0)
        return f'<h{match.group(1)} id="{identifier}-{seen[identifier]}">{match.group(3)}</h{match.group(1)}>'

    return _HEADING.sub(rename, body)


def contents_html(body: str, language: str) -> str:
    """The table of contents of ``body``: its chapters (h1) and sections (h2), with page numbers
    (the reps' scorecards are reached through their section's entry)."""
    entries = "".join(
        f'<li class="sk-toc-{level}"><a href="#{identifier}">{title}</a></li>'
        for level, identifier, title in _HEADING.findall(body)
        if not identifier.startswith(SCORECARD_PREFIX)  # the reps' pages: one entry, their section's
    )
    return (
        f'<nav class="sk-contents"><h1>{html.escape(label("summary.contents", language))}</h1><ol>{entries}</ol></nav>'
    )


def report_document(cover: Cover, sections: list[tuple[str, str]], summary: Summary | None = None) -> str:
    """The whole report as one HTML document: cover and executive summary, contents, then one
    ``<section>`` per notebook."""
    style = STYLESHEET.read_text(encoding="utf-8")
    body = unique_heading_ids(
        "\n".join(
            f'<section class="sk-section" id="{html.escape(name)}">\n{content}\n</section>'
            for name, content in sections
        )
    )
    front = summary_html(summary, cover.period, cover.language) if summary is not None else ""
    contents = contents_html(body, cover.language)
    title = f"{cover.client} — {cover.period.name(cover.language)}"
    return (
        f'<!DOCTYPE html>\n<html lang="{cover.language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{style}\n</style>\n</head>\n"
        f"<body>\n{cover.html()}\n{front}\n{contents}\n{body}\n</body>\n</html>\n"
    )


def write_pdf(document: str, target: Path, base_url: Path) -> int:
    """Render ``document`` with WeasyPrint to ``target``; returns the number of pages.

    Python's cyclic garbage collector is paused meanwhile. WeasyPrint builds hundreds of thousands
    of objects (boxes, styles, text layouts), which set off full collections that walk every object
    of the process again and again: 1.6 s of the 9 s a 68-page report took. Its garbage waits for
    the next collection instead, 12 MB more at the peak (measured on the demo report)."""
    from weasyprint import HTML

    with _collector_paused():
        rendered = HTML(string=document, base_url=str(base_url)).render()
        rendered.write_pdf(target)
        return len(rendered.pages)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
