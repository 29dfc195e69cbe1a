"""Every notebook of the report runs on any generated client: each section shows its figures or says
"not available: <reason>", and a figure that cannot be measured is never shown as 0.

The clients are those of tests/test_properties.py (every combination of the optional tables, each
optional column present, absent or all empty, edge values, unicode and matplotlib markup in names,
custom stages, any fiscal year start), imported through the CLI. The notebooks' code cells then run
in this process (tests/section_shapes.run_notebooks: no kernel, no PDF, a second or two per
client), for a period drawn around the data: the generator's own (the whole range, a month, a range
of days, one day), the fiscal quarter or year of a dated row, its ISO week, or a day inside the
data's range on which nothing happened. tests/test_properties.py still renders a few shapes through
the real report (papermill, WeasyPrint).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import CUTOFF, WHOLE_RANGE, Client, _import, clients

from section_shapes import NOTEBOOKS, Section, run_notebooks

# The label report.unavailable in both languages (strategy_kit/i18n/).
UNAVAILABLE = re.compile(r"^(Not available: |Non disponible : )\S")
# A currency amount of zero as labels.format_value writes it: "€0" (en), "0\xa0€" (fr).
ZERO_CURRENCY = re.compile("(?<![\\d.,\xa0])(€0(?![\\d.,])|0\xa0€)")
DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Case:
    client: Client
    period: str
    kind: str  # how the period was drawn (for failure messages)


def _dated_days(client: Client) -> set[date]:
    """Every day a cell of the client's exports names (any table, any column)."""
    days = set()
    for export in client.tables.values():
        for row in export.rows:
            for value in row.values():
                days.update(date.fromisoformat(found) for found in DAY.findall(str(value)))
    return days


def _first_event(client: Client) -> date | None:
    """The first day the data cover (strategy_kit.data.SalesData.first_day reads these columns)."""
    days = [
        date.fromisoformat(DAY.match(row[column]).group(1))
        for table, columns in (
            ("deals", ("created_at", "closed_at")),
            ("activities", ("at",)),
            ("leads", ("created_at",)),
            ("revenue", ("date",)),
        )
        if table in client.tables
        for row in client.tables[table].rows
        for column in columns
        if DAY.match(row.get(column) or "")
    ]
    return min(days, default=None)


def _fiscal_quarter(day: date, start_month: int) -> str:
    """``YYYY-Qn`` of ``day`` when the fiscal year starts in ``start_month``; a fiscal year is named
    after the calendar year it ends in (docs/periods.md). E.g. start 4, 2024-02-10: the year runs
    2023-04-01..2024-03-31, so "2024"; months since April: 10, quarter 4 -> "2024-Q4"."""
    months = (day.month - start_month) % 12
    start_year = day.year if day.month >= start_month else day.year - 1
    return f"{start_year + (start_month != 1)}-Q{months // 3 + 1}"


@st.composite
def cases(draw: st.DrawFn) -> Case:
    client = draw(clients())
    first = _first_event(client)
    if first is None:  # no dated row: any period inside the cut-off's year
        return Case(client, WHOLE_RANGE, "whole range (no dated row)")
    busy = _dated_days(client)
    quiet = [
        first + timedelta(days=n) for n in range((CUTOFF - first).days + 1) if first + timedelta(days=n) not in busy
    ]
    day = draw(st.sampled_from(sorted(d for d in busy if first <= d <= CUTOFF) or [first]))
    start_month = client.settings["fiscal_year_start_month"]
    options = [
        ("generated", client.period),
        ("fiscal quarter", _fiscal_quarter(day, start_month)),
        ("fiscal year", _fiscal_quarter(day, start_month).split("-")[0]),
        ("ISO week", f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}"),
    ]
    if quiet:
        quiet_day = draw(st.sampled_from(quiet))
        options.append(("day without events", f"{quiet_day}..{quiet_day}"))
    kind, period = draw(st.sampled_from(options))
    return Case(client, period, kind)


def _text(item: object) -> str:
    markup = item.get("text/html", "") if isinstance(item, dict) else str(item)
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()  # keeps "0\xa0€" whole


def _zero_amount(text: str) -> bool:
    """Some amount in ``text`` is 0 where it is not the sum of nothing: "0 €" right after a count
    of 0 (a stage without deals: "0 0 €", "0 deals for €0") is the sum of no deal, not a missing value."""
    return any(
        not re.search(r"(^| )0( [^\W\d]+){0,2} $", text[: found.start()]) for found in ZERO_CURRENCY.finditer(text)
    )


def _run(case: Case) -> tuple[dict[str, list[str]], list[Section]]:
    sections: list[Section] = []
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as monkeypatch:
        root = Path(folder)
        _import(root, case.client)
        shown = run_notebooks(monkeypatch, root, "acme", case.period, sections=sections)
    return shown, sections


@settings(max_examples=25)
@given(case=cases())
def test_every_notebook_runs_and_every_section_shows_figures_or_a_reason(case: Case):
    where = f"period {case.period} ({case.kind}); {case.client.describe()}"
    shown, sections = _run(case)  # a cell that raises fails here, naming the notebook and the cell
    assert sorted(shown) == sorted(p.stem for p in NOTEBOOKS)
    assert sections, "no section ran"
    for section in sections:
        assert section.shown, f"{section.notebook}: section {section.title} showed nothing ({where})"
        if section.unavailable:
            reason = _text(section.shown[-1])
            assert UNAVAILABLE.match(reason), f"{section.notebook}: {section.title}: {reason!r} ({where})"
    if not case.client.has_amounts:
        # No deal value and no revenue line: every amount is unknown ("–" or not available), never 0.
        for notebook, items in shown.items():
            for item in items:
                text = _text(item)
                assert not _zero_amount(text), (
                    f"{notebook} shows a zero amount although the client has no deal value and no revenue "
                    f"line: {text[:300]!r} ({where})"
                )


@settings(max_examples=5)
@given(client=clients(edge_names=True))
def test_markup_and_unicode_names_run_through_every_notebook(client: Client):
    """Display name, owners, products and names all from the markup names, custom stages often."""
    case = Case(client, client.period, "generated")
    shown, sections = _run(case)
    assert sorted(shown) == sorted(p.stem for p in NOTEBOOKS)
    for section in sections:
        assert section.shown, f"{section.notebook}: section {section.title} showed nothing ({client.describe()})"


def test_leads_without_a_creation_date_run_the_qualification_notebook():
    """Package defect found by the property above: leads.created_at is optional (issue 8), but
    strategy_kit/analytics/qualification_attributes.py ``lead_attributes`` reads ``leads["created_at"]`` unconditionally,
    so 02_lead_qualification fails in its persona form cell (widgets/persona.py ``data_choices``) with
    KeyError('created_at'). Minimal client: two leads with an id and a source, one dated activity."""
    from conftest import ExportTable, write_client
    from section_shapes import NOTEBOOKS as ALL

    tables = {
        "leads": ExportTable(
            {"lead_id": "Id", "source": "Source"},
            [{"lead_id": "L1", "source": "Web"}, {"lead_id": "L2", "source": "Salon"}],
        ),
        "activities": ExportTable(
            {"activity_id": "Id", "type": "Type", "at": "At"},
            [{"activity_id": "T1", "type": "call", "at": "2024-03-05"}],
        ),
    }
    settings_ = {
        "display_name": "Acme",
        "language": "en",
        "currency": "EUR",
        "timezone": "Europe/Paris",
        "data_cutoff": CUTOFF.isoformat(),
    }
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as monkeypatch:
        root = Path(folder)
        write_client(root, tables, settings_)
        from conftest import invoke

        assert invoke("--workspace", str(root), "import", "acme").code == 0
        notebook = [p for p in ALL if p.stem == "02_lead_qualification"]
        sections: list[Section] = []
        run_notebooks(monkeypatch, root, "acme", WHOLE_RANGE, notebooks=notebook, sections=sections)
    assert sections and all(s.shown for s in sections)
