"""Small clients of many shapes, and a fast way to run every notebook's code on one of them.

:func:`write_client` writes the exports and client.yml of a small client with every table
(deals, accounts, leads, activities, revenue) and lets a test drop tables or deal columns, or
empty them; the CLI imports it. :func:`run_notebooks` executes the code cells of every notebook
of the report in this process (no kernel: a few seconds for all seven), with a chosen
:class:`~strategy_kit.data.SalesData`, and draws every figure the way the report does (SVG, tight
bounding box), so that a section that crashes, or a chart that cannot be drawn, fails the test.
Rendering through papermill and WeasyPrint is left to tests/test_report_without_data.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from strategy_kit.data import SalesData
from strategy_kit.report import notebook as nb

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

STAGES = ("prospecting", "meeting", "proposal", "negotiation")
OWNERS = ("Ana", "Ben", "Chloé")
PRODUCTS = ("Basic", "Pro")
SOURCES = ("Web", "Referral")
SECTORS = ("Retail", "Industry", "Health")
REASONS = ("Price", "Timing", "Competitor")
# Text from data with matplotlib math markup: a chart that reads it as mathtext fails to draw.
MARKUP = r"MG $\bad{x}$ Special"

DEAL_COLUMNS = (
    "deal_id",
    "account_id",
    "owner",
    "stage",
    "status",
    "value",
    "created_at",
    "closed_at",
    "product",
    "source",
    "lost_reason",
)


def deal_rows(count: int = 48, markup: bool = False) -> list[dict[str, str]]:
    """``count`` deals created over 2023-2024 (one every 12 days from 2022-12-20), a third won, a
    third lost (closed 40 days after creation), a third open; every attribute cycles over its
    values. With ``markup``, the first owner, product, source and lost reason carry :data:`MARKUP`
    (and :func:`write_client` puts it in a sector, a churn reason and the stage labels)."""

    def pick(values: tuple[str, ...], i: int) -> str:
        value = values[i % len(values)]
        return f"{value} {MARKUP}" if markup and value == values[0] else value

    rows = []
    for i in range(count):
        created = dt.date(2022, 12, 20) + dt.timedelta(days=12 * i)
        status = ("won", "lost", "open")[i % 3]
        rows.append(
            {
                "deal_id": f"D{i + 1}",
                "account_id": f"A{i % 12 + 1}",
                "owner": pick(OWNERS, i // 3),
                "stage": STAGES[-1] if status == "won" else STAGES[i % (len(STAGES) - 1)],
                "status": status,
                "value": str(1000 + 100 * (i % 7)),
                "created_at": created.isoformat(),
                "closed_at": (created + dt.timedelta(days=40)).isoformat() if status != "open" else "",
                "product": pick(PRODUCTS, i),
                "source": pick(SOURCES, i),
                "lost_reason": pick(REASONS, i // 3) if status == "lost" else "",
            }
        )
    return rows


def _csv(columns: Iterable[str], rows: list[dict[str, str]]) -> str:
    columns = list(columns)
    return "\n".join([",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]) + "\n"


def write_client(
    root: Path,
    name: str,
    *,
    deals: list[dict[str, str]] | None = None,
    drop: Iterable[str] = (),
    empty: Iterable[str] = (),
    tables: Iterable[str] = ("deals", "accounts", "leads", "activities", "revenue"),
    markup: bool = False,
    language: str = "en",
    inputs: bool = False,
) -> Path:
    """data/<name>/ under ``root``: client.yml and raw exports of the chosen ``tables``.

    ``drop``: deal columns neither exported nor mapped; ``empty``: deal columns exported with a
    header and no value. ``deals=[]`` writes a header-only deals export. ``inputs``: a saved persona
    and objectives too (the sections and charts that need them are drawn).
    """
    deals = deal_rows(markup=markup) if deals is None else deals
    kept = [c for c in DEAL_COLUMNS if c not in set(drop)]
    rows = [{c: ("" if c in set(empty) else v) for c, v in row.items()} for row in deals]
    sector = lambda i: f"{SECTORS[i % 3]} {MARKUP}" if markup and i % 3 == 0 else SECTORS[i % 3]  # noqa: E731
    files: dict[str, str] = {}
    mapping: dict[str, Any] = {}
    if "deals" in tables:
        files["deals.csv"] = _csv(kept, rows)
        mapping["deals"] = {"files": ["deals.csv"], "columns": {c: c for c in kept}}
    if "accounts" in tables:
        files["accounts.csv"] = _csv(
            ("account_id", "sector", "employees", "region", "churned_at", "churn_reason"),
            [
                {
                    "account_id": f"A{i + 1}",
                    "sector": sector(i),
                    "employees": str(10 * (i + 1)),
                    "region": ("North", "South")[i % 2],
                    "churned_at": "2024-06-01" if i % 5 == 4 else "",
                    "churn_reason": f"Price {MARKUP}" if i % 5 == 4 and markup else ("Price" if i % 5 == 4 else ""),
                }
                for i in range(12)
            ],
        )
        mapping["accounts"] = {
            "files": ["accounts.csv"],
            "columns": {c: c for c in ("account_id", "sector", "employees", "region", "churned_at", "churn_reason")},
        }
    if "leads" in tables:
        files["leads.csv"] = _csv(
            ("lead_id", "created_at", "owner", "source", "account_id"),
            [
                {
                    "lead_id": f"L{i + 1}",
                    "created_at": f"2024-{i % 12 + 1:02d}-03",
                    "owner": OWNERS[i % 3],
                    "source": SOURCES[i % 2],
                    "account_id": f"A{i % 12 + 1}",
                }
                for i in range(30)
            ],
        )
        mapping["leads"] = {
            "files": ["leads.csv"],
            "columns": {c: c for c in ("lead_id", "created_at", "owner", "source", "account_id")},
        }
    if "activities" in tables:
        with_deals = "deals" in tables and bool(deals)
        files["activities.csv"] = _csv(
            ("activity_id", "type", "at", "owner", "outcome", "deal_id"),
            [
                {
                    "activity_id": f"T{i + 1}",
                    "type": ("call", "email")[i % 2],
                    "at": f"2024-{i % 12 + 1:02d}-{i % 27 + 1:02d}",
                    "owner": OWNERS[i % 3],
                    "outcome": ("connected", "sent")[i % 2],
                    "deal_id": f"D{i % 48 + 1}" if with_deals else "",
                }
                for i in range(60)
            ],
        )
        columns = ["activity_id", "type", "at", "owner", "outcome"] + (["deal_id"] if with_deals else [])
        mapping["activities"] = {"files": ["activities.csv"], "columns": {c: c for c in columns}}
    if "revenue" in tables:
        files["revenue.csv"] = _csv(
            ("invoice_id", "account_id", "date", "amount", "product"),
            [
                {
                    "invoice_id": f"I{i + 1}",
                    "account_id": f"A{i % 12 + 1}",
                    "date": f"{2022 + (i + 11) // 12}-{(i + 11) % 12 + 1:02d}-15",
                    "amount": str(500 + 50 * (i % 5)),
                    "product": PRODUCTS[i % 2],
                }
                for i in range(24)
            ],
        )
        mapping["revenue"] = {
            "files": ["revenue.csv"],
            "columns": {c: c for c in ("invoice_id", "account_id", "date", "amount", "product")},
        }
    stages = [{"id": s, "fr": s.capitalize(), "en": s.capitalize() + (f" {MARKUP}" if markup else "")} for s in STAGES]
    config = (
        textwrap.dedent(f"""\
        display_name: Shapes
        language: {language}
        timezone: Europe/Paris
        data_cutoff: 2024-12-31
        """)
        + f"stages: {json.dumps(stages)}\nimport: {json.dumps(mapping)}\n"
    )
    folder = root / "data" / name
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    (folder / "inputs").mkdir(exist_ok=True)
    (folder / "client.yml").write_text(config, encoding="utf-8")
    for file_name, text in files.items():
        (folder / "raw" / file_name).write_text(text, encoding="utf-8")
    if inputs:
        (folder / "inputs" / "persona.yml").write_text(
            f"sectors: {json.dumps([sector(0), sector(1)])}\n", encoding="utf-8"
        )
        (folder / "inputs" / "objectives.yml").write_text(
            textwrap.dedent("""\
            year: 2024
            revenue_growth: 0.1
            intermediate:
              - {kpi: win_rate, target: 0.5, kind: absolute, start: 2024-01-01, deadline: 2024-12-31, owner: team}
            """),
            encoding="utf-8",
        )
    return folder


def code_cells(path: Path) -> tuple[str, list[str]]:
    """A notebook's parameters cell, and the code of its other cells (the forms too: tagged
    ``no-pdf``, they are left out of the PDF but run in every report)."""
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    tags = [set(c.get("metadata", {}).get("tags", [])) for c in cells]
    parameters = "".join(next(c["source"] for c, t in zip(cells, tags) if "parameters" in t))
    return parameters, ["".join(c["source"]) for c, t in zip(cells, tags) if "parameters" not in t]


@dataclass
class Section:
    """One ``with nb.section(...)`` of a notebook as it ran: its title key (None for an untitled
    section), and what it showed between its title and its end (nested sections' displays too)."""

    notebook: str
    title: str | None
    shown: list[Any]

    @property
    def unavailable(self) -> bool:
        """It ended on "not available: <reason>" (notebook.show_unavailable)."""
        return bool(self.shown) and 'class="sk-unavailable"' in str(self.shown[-1])


def run_notebooks(
    monkeypatch: Any,
    workspace: Path,
    client: str,
    period: str,
    language: str = "",
    change: Callable[[SalesData], None] | None = None,
    notebooks: Iterable[Path] = NOTEBOOKS,
    sections: list[Section] | None = None,
) -> dict[str, list[str]]:
    """Run the code of every notebook on ``client`` in this process; return per notebook the HTML
    it showed. ``change`` edits the loaded data first (e.g. drops the deals table). Every figure is
    drawn as the report draws it. ``sections``, when given, receives every section that ran."""
    import matplotlib

    from strategy_kit.report import notebook

    shown: dict[str, list[str]] = {}
    current: list[str] = []
    load = notebook.load_context
    real_section = notebook.section
    running = [""]

    @contextlib.contextmanager
    def section(ctx: Any, title_key: str | None = None, *args: Any, **kwargs: Any) -> Iterator[nb.Section]:
        start = len(current) + (1 if title_key else 0)  # after the title real_section shows
        with real_section(ctx, title_key, *args, **kwargs) as part:
            yield part
        if sections is not None:  # what it showed, "not available: <reason>" included
            sections.append(Section(running[0], title_key, current[start:]))

    def load_context(*args: Any, **kwargs: Any) -> nb.ReportContext:
        ctx = load(*args, **kwargs)
        if change is not None:
            change(ctx.data)
        return ctx

    def draw(figure: Any) -> None:
        figure.savefig(io.BytesIO(), format="svg", bbox_inches="tight")
        current.append("[figure]")

    monkeypatch.setattr(notebook, "load_context", load_context)
    monkeypatch.setattr(notebook, "section", section)
    monkeypatch.setattr(notebook, "show_figure", draw)
    monkeypatch.setattr(notebook, "_display_html", current.append)
    monkeypatch.setattr(
        "IPython.display.display", lambda *objects, **_: current.extend(getattr(o, "data", repr(o)) for o in objects)
    )
    matplotlib.use("Agg")
    for path in notebooks:
        current.clear()
        running[0] = path.stem
        parameters, cells = code_cells(path)
        namespace: dict[str, Any] = {}
        exec(parameters, namespace)  # noqa: S102
        namespace.update(client=client, period=period, language=language, workspace=str(workspace))
        for index, code in enumerate(cells):
            try:
                exec(compile(code, f"{path.name}[{index}]", "exec"), namespace)  # noqa: S102
            except Exception as exc:
                raise AssertionError(f"{path.name}, code cell {index} failed on {client}: {exc!r}") from exc
        shown[path.stem] = list(current)
    return shown
