"""Robustness as a property: every shape of client a consultant may receive imports, measures and reports.

Hypothesis generates small clients as raw CSV exports plus a client.yml mapping: every combination
of the optional tables (deals, accounts, leads, stage_history, activities, revenue, reps, products),
each optional column present, absent (neither mapped nor exported) or present but all empty, and
edge values (one row, no closed deal, duplicate timestamps, unicode and matplotlib markup such as
``MG $\\bad{x}$ Special`` in names, dates exactly on the data cut-off, closed the day it was
created, amounts and probabilities of 0 and 1). Every generated client is valid by construction.

For each client, through the CLI:
- ``import`` never exits 1 nor prints a traceback; an exit 2 must say why, and since the client is
  valid, it is reported as a valid export refused;
- ``kpis --format json`` gives every KPI of the registry (and the per-stage KPIs of the client's
  stages) a value or an unavailable reason; a KPI whose table is missing is unavailable; a currency
  KPI is never 0 when the client has no amount at all (no deal value, no revenue line), nor a KPI
  counted by a date no row has (deals' or leads' created_at);
- ``kpis --by`` a custom dimension of the mapping (``dimensions:``), a calendar one (weekday, hour,
  month) or a canonical one gives a breakdown or exits 2 naming the dimension;
- ``report`` renders every notebook with exit 0 for three shapes, once each (rendering is slow);
  tests/test_properties_sections.py runs every notebook in-process on generated clients of every
  shape, for periods around the data.

The fast properties run in-process (strategy_kit.cli.main) under the ``ci`` Hypothesis profile of
tests/conftest.py (derandomized: the same examples on every run).
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategy_kit.config import DEFAULT_STAGES
from strategy_kit.kpis.registry import REGISTRY, STAGE_KPIS
from strategy_kit.schema import ACTIVITY_OUTCOMES, ACTIVITY_TYPES, TABLES

from conftest import ExportTable, invoke, write_client

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

CUTOFF = date(2024, 6, 30)
FIRST_DAY = date(2024, 1, 1)
WHOLE_RANGE = f"{FIRST_DAY}..{CUTOFF}"
OPTIONAL_TABLES = ("deals", "accounts", "leads", "stage_history", "activities", "revenue", "reps", "products")
# Tables one of which holds dated events a period can measure.
EVENT_TABLES = ("deals", "leads", "activities", "revenue")
CURRENCY_UNITS = ("currency", "currency_per_day")
# Optional dates a KPI counts rows by: without them its count is unknown, not 0.
DATED_COLUMNS = ("deals.created_at", "leads.created_at")

# Names a client really has: accents, CJK, quotes and commas (CSV quoting), and text matplotlib
# would parse as mathtext or TeX if it were ever handed to it unescaped.
NAMES = (
    "Ana",
    "Bob",
    "Chloé Müller",
    "MG $\\bad{x}$ Special",
    "Price $5 & 50% off",
    "李雷",
    'Acme, "Inc"',
    "R&D <b>bold</b>",
    "_under_score_",
    "x^2 ~ #{1}",
    "Ünïcødé Ltd",
    "O'Brien",
)
# The markup alone, for the report shapes (the first generated example takes the first name).
MARKUP_NAMES = ("MG $\\bad{x}$ Special", "Price $5 & 50% off", "x^2 ~ #{1}", "R&D <b>bold</b>", "李雷")
CUSTOM_STAGES = (
    {"id": "lead", "fr": "Piste", "en": "Lead"},
    {"id": "demo", "fr": "Démo $\\alpha$", "en": "Demo $x_1$"},
    {"id": "signed", "fr": "Signé", "en": "Signed"},
)
PRESENT, ABSENT, EMPTY = "present", "absent", "empty"
COLUMN_STATES = st.sampled_from((PRESENT, ABSENT, EMPTY))


# --------------------------------------------------------------------------- the generated client


@dataclass
class Client:
    """A generated client: its settings, its exports, and what the KPIs may and may not show."""

    settings: dict[str, Any]
    tables: dict[str, ExportTable]
    stages: list[str]
    period: str
    has_amounts: bool  # some deal value or revenue line exists (else currency KPIs have no input)
    dimensions: dict[str, bool]  # custom dimensions declared in the mapping -> some row has a value

    def has(self, table: str, column: str) -> bool:
        """The client exports ``table.column`` with at least one value."""
        export = self.tables.get(table)
        return export is not None and column in export.columns and any(r.get(column) for r in export.rows)

    @property
    def dated(self) -> bool:
        """Some row has the date the calendar breakdowns read (docs/kpis.md: a deal's closed_at or
        created_at, an activity's at, a lead's created_at, a revenue line's date)."""
        return any(
            self.has(t, c)
            for t, c in (
                ("deals", "closed_at"),
                ("deals", "created_at"),
                ("activities", "at"),
                ("leads", "created_at"),
                ("revenue", "date"),
            )
        )

    def write(self, root: Path) -> Path:
        return write_client(root, self.tables, self.settings)

    def describe(self) -> str:
        """A short text of the shape, for failure messages."""
        return "; ".join(f"{t}: {len(e.rows)} rows, columns {sorted(e.columns)}" for t, e in self.tables.items())


def _header(column: str) -> str:
    return column.replace("_", " ").title()


def _text(moment: datetime, with_time: bool) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S" if with_time else "%Y-%m-%d")


@st.composite
def _moments(draw: st.DrawFn) -> list[datetime]:
    """The client's timestamps, a small pool so that rows often share one (duplicate timestamps),
    with the first day and the cut-off day (at midnight and at its last second) as likely values."""
    boundaries = st.sampled_from((datetime(2024, 1, 1), datetime(2024, 6, 30), datetime(2024, 6, 30, 23, 59, 59)))
    inside = st.builds(
        lambda d, s: datetime(2024, 1, 1) + timedelta(days=d, seconds=s),
        st.integers(0, 181),
        st.sampled_from((0, 9 * 3600, 14 * 3600 + 30 * 60 + 15)),
    )
    pool = draw(st.lists(st.one_of(boundaries, inside), min_size=1, max_size=5))
    return sorted(pool)


class _Builder:
    """Draws one table's rows with each optional column present, absent or all empty."""

    def __init__(self, draw: st.DrawFn, table: str, count: int, forced: dict[str, str] | None = None):
        self.draw, self.table, self.count = draw, table, count
        schema = TABLES[table]
        forced = forced or {}
        self.states = {
            c.name: PRESENT if c.required else forced.get(c.name) or draw(COLUMN_STATES)
            for c in schema.columns
            if c.name != "inferred"
        }
        self.states.update({k: v for k, v in forced.items() if k in self.states})
        self.rows: list[dict[str, str]] = [{} for _ in range(count)]

    def present(self, column: str) -> bool:
        return self.states[column] == PRESENT

    def set(self, column: str, values: list[str]) -> None:
        if self.states[column] == PRESENT:
            for row, value in zip(self.rows, values):
                row[column] = value

    def fill(self, column: str, strategy: st.SearchStrategy[str]) -> None:
        self.set(column, [self.draw(strategy) for _ in range(self.count)])

    def export(self) -> ExportTable:
        mapped = {c: _header(c) for c, state in self.states.items() if state != ABSENT}
        return ExportTable(columns=mapped, rows=self.rows, file=f"{self.table}.csv")


@st.composite
def clients(
    draw: st.DrawFn,
    tables: frozenset[str] | None = None,
    edge_names: bool = False,
    forced: dict[str, dict[str, str]] | None = None,
    deal_rows: tuple[int, int] | None = None,
    dimensions: bool = False,
) -> Client:
    """A valid small client.

    ``tables`` fixes which tables it has (else every combination is drawn); ``edge_names`` takes
    every name, owner, product and the display name from the markup names; ``forced`` fixes the
    state of columns per table (``{"deals": {"value": ABSENT}}``); ``deal_rows`` the number of deals;
    ``dimensions`` declares custom breakdown dimensions on the deals, leads and activities it has.
    """
    forced = forced or {}
    if tables is None:
        chosen = {t for t in OPTIONAL_TABLES if draw(st.booleans())}
        if not chosen & set(EVENT_TABLES):
            chosen.add(draw(st.sampled_from(EVENT_TABLES)))
        if "deals" not in chosen:
            chosen.discard("stage_history")  # stage history is about deals
    else:
        chosen = set(tables)
    custom = draw(st.booleans())
    stage_list = list(CUSTOM_STAGES if custom else DEFAULT_STAGES)
    stages = [s["id"] for s in stage_list]
    names = st.sampled_from(MARKUP_NAMES) if edge_names else st.sampled_from(NAMES)
    moments = draw(_moments())
    moment = st.sampled_from(moments)
    with_time = draw(st.booleans())

    def when() -> datetime:
        return draw(moment)

    settings_: dict[str, Any] = {
        "display_name": draw(names) if edge_names or draw(st.booleans()) else "Acme",
        "language": draw(st.sampled_from(("fr", "en"))),
        "currency": "EUR",
        "timezone": "Europe/Paris",
        "fiscal_year_start_month": draw(st.integers(1, 12)),
        "data_cutoff": CUTOFF.isoformat(),
    }
    if custom:
        settings_["stages"] = [dict(s) for s in stage_list]

    exports: dict[str, ExportTable] = {}
    events: list[datetime] = []
    products = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    owners = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    n_accounts = draw(st.integers(1, 3))
    account_ids = [f"A{i}" for i in range(1, n_accounts + 1)]
    deal_ids: list[str] = []
    lead_ids: list[str] = []
    amounts = st.sampled_from(("0", "1", "0.01", "250.5", "1200", "99999.99", "10000000"))

    if "deals" in chosen:
        count = draw(st.integers(*(deal_rows or ((0, 5) if tables is None else (1, 5)))))
        deals = _Builder(draw, "deals", count, forced.get("deals"))
        deal_ids = [f"D{i}" for i in range(1, count + 1)]
        can_close = deals.present("closed_at")
        statuses = [draw(st.sampled_from(("open", "won", "lost"))) if can_close else "open" for _ in deal_ids]
        created, closed = [], []
        for status in statuses:
            first, second = sorted((when(), when()))
            created.append(first)
            closed.append(second if status != "open" else None)
        deals.set("deal_id", deal_ids)
        deals.set("status", statuses)
        deals.set("stage", [stages[-1] if s == "won" else draw(st.sampled_from(stages[:-1] + [""])) for s in statuses])
        deals.fill("value", amounts)
        deals.set("created_at", [_text(c, with_time) for c in created])
        deals.set("closed_at", [_text(c, with_time) if c else "" for c in closed])
        deals.set("expected_close_at", [_text(c, False) if s == "open" else "" for c, s in zip(created, statuses)])
        deals.fill("name", names)
        deals.fill("account_id", st.sampled_from(account_ids))
        deals.fill("owner", st.sampled_from(owners))
        deals.fill("product", st.sampled_from(products))
        deals.fill("source", st.sampled_from(("Web", "Salon", "Référence", "")))
        deals.set("lost_reason", ["Prix $" if s == "lost" else "" for s in statuses])
        deals.fill("probability", st.sampled_from(("0", "0.5", "1")))
        deals.fill("pipeline", st.sampled_from(("Main", "Partenaires")))
        deals.fill("lead_id", st.sampled_from(("L1", "L2", "")))
        exports["deals"] = deals.export()
        events += created if deals.present("created_at") else []
        events += [c for c in closed if c] if deals.present("closed_at") else []

        if "stage_history" in chosen and deal_ids:
            history = _Builder(draw, "stage_history", 0, forced.get("stage_history"))
            rows = []
            for deal, status, start in zip(deal_ids, statuses, created):
                reached = len(stages) if status == "won" else draw(st.integers(1, len(stages) - 1))
                for stage in stages[:reached]:
                    rows.append({"deal_id": deal, "stage": stage, "entered_at": _text(max(start, when()), with_time)})
            history.count, history.rows = len(rows), rows
            if not history.present("entered_at"):
                for row in rows:
                    row.pop("entered_at")
            exports["stage_history"] = history.export()
            if history.present("entered_at"):
                events += [datetime.fromisoformat(r["entered_at"]) for r in rows]

    if "accounts" in chosen:
        accounts = _Builder(draw, "accounts", n_accounts, forced.get("accounts"))
        accounts.set("account_id", account_ids)
        accounts.fill("name", names)
        accounts.fill("sector", st.sampled_from(("BTP", "Santé", "Industrie $x$")))
        accounts.fill("employees", st.sampled_from(("1", "9", "10", "250", "0")))
        accounts.fill("size_band", st.sampled_from(("1-9", "10-49")))
        accounts.fill("annual_revenue", amounts)
        accounts.fill("region", st.sampled_from(("Île-de-France", "Nord")))
        accounts.fill("country", st.sampled_from(("FR", "BE")))
        accounts.set("parent_account", ["" for _ in account_ids])
        accounts.set("created_at", [_text(when(), with_time) for _ in account_ids])
        accounts.set("churned_at", ["" for _ in account_ids])
        accounts.set("churn_reason", ["" for _ in account_ids])
        exports["accounts"] = accounts.export()

    if "leads" in chosen:
        count = draw(st.integers(1, 5))
        leads = _Builder(draw, "leads", count, forced.get("leads"))
        lead_ids = [f"L{i}" for i in range(1, count + 1)]
        leads.set("lead_id", lead_ids)
        arrived = [when() for _ in lead_ids]
        leads.set("created_at", [_text(a, with_time) for a in arrived])
        leads.fill("owner", st.sampled_from(owners))
        leads.fill("source", st.sampled_from(("Web", "Salon", "Référence")))
        leads.fill("status", st.sampled_from(("New", "Qualified", "Disqualified")))
        leads.fill("account_id", st.sampled_from(account_ids))
        leads.fill("sector", st.sampled_from(("BTP", "Santé")))
        leads.fill("employees", st.sampled_from(("1", "50")))
        leads.fill("region", st.sampled_from(("Nord", "Sud")))
        leads.set("converted_at", [_text(max(a, when()), with_time) if deal_ids else "" for a in arrived])
        leads.set("deal_id", [draw(st.sampled_from(deal_ids)) if deal_ids else "" for _ in lead_ids])
        exports["leads"] = leads.export()
        events += arrived if leads.present("created_at") else []

    if "activities" in chosen:
        count = draw(st.integers(1, 6))
        activities = _Builder(draw, "activities", count, forced.get("activities"))
        types = [draw(st.sampled_from(ACTIVITY_TYPES)) for _ in range(count)]
        at = [when() for _ in range(count)]
        activities.set("activity_id", [f"T{i}" for i in range(1, count + 1)])
        activities.set("type", types)
        activities.set("at", [_text(a, with_time) for a in at])
        activities.fill("owner", st.sampled_from(owners))
        activities.fill("direction", st.sampled_from(("outbound", "inbound", "")))
        activities.set("outcome", [draw(st.sampled_from(ACTIVITY_OUTCOMES[t] + ("",))) for t in types])
        activities.set("deal_id", [draw(st.sampled_from(deal_ids + [""])) for _ in types])
        activities.set("lead_id", [draw(st.sampled_from(lead_ids + [""])) for _ in types])
        activities.fill("account_id", st.sampled_from(account_ids))
        activities.fill("duration_seconds", st.sampled_from(("0", "1", "3600")))
        activities.fill("subject", names)
        exports["activities"] = activities.export()
        events += at

    revenue_rows = 0
    if "revenue" in chosen:
        revenue_rows = draw(st.integers(1, 5))
        revenue = _Builder(draw, "revenue", revenue_rows, forced.get("revenue"))
        revenue.set("invoice_id", [f"F{i}" for i in range(1, revenue_rows + 1)])
        revenue.fill("account_id", st.sampled_from(account_ids))
        dated = [when() for _ in range(revenue_rows)]
        revenue.set("date", [_text(d, with_time) for d in dated])
        revenue.fill("amount", amounts)
        revenue.fill("product", st.sampled_from(products))
        revenue.set("deal_id", [draw(st.sampled_from(deal_ids + [""])) for _ in dated])
        exports["revenue"] = revenue.export()
        events += dated

    if "reps" in chosen:
        reps = _Builder(draw, "reps", len(owners), forced.get("reps"))
        reps.set("owner", owners)
        reps.fill("manager", st.sampled_from(("Zoé", "")))
        reps.fill("team", st.sampled_from(("Nord", "Sud $x$")))
        reps.set("start_date", [_text(when(), False) for _ in owners])
        exports["reps"] = reps.export()

    if "products" in chosen:
        catalogue = _Builder(draw, "products", len(products), forced.get("products"))
        catalogue.set("product", products)
        catalogue.fill("family", st.sampled_from(("Logiciel", "Service")))
        catalogue.fill("list_price", amounts)
        exports["products"] = catalogue.export()

    deal_values = (
        exports.get("deals")
        and "value" in exports["deals"].columns
        and any(r.get("value") for r in exports["deals"].rows)
    )
    has_amounts = bool(deal_values or revenue_rows)

    declared: dict[str, bool] = {}  # custom dimension -> whether some row has a value
    if dimensions:
        for table_name, dimension, headers in (
            ("deals", "campaign", "Campaign"),
            ("leads", "channel", ["Canal", "Channel"]),
            ("activities", "channel", ["Canal", "Channel"]),
        ):
            export = exports.get(table_name)
            if export is None:
                continue
            header = headers if isinstance(headers, str) else draw(st.sampled_from(headers))
            values = [draw(st.sampled_from(("Printemps", "Salon $x$", ""))) for _ in export.rows]
            for row, value in zip(export.rows, values):
                row[dimension] = value
            export.extra_headers[dimension] = header
            export.mapping["dimensions"] = {dimension: headers}
            declared[dimension] = declared.get(dimension, False) or any(values)

    if events:
        day = draw(st.sampled_from(events)).date()
        month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        period = draw(
            st.sampled_from(
                (WHOLE_RANGE, f"{day.year}-{day.month:02d}", f"{day.replace(day=1)}..{month_end}", f"{day}..{day}")
            )
        )
    else:
        period = WHOLE_RANGE
    return Client(settings_, exports, stages, period, has_amounts, declared)


# --------------------------------------------------------------------------- the properties


def _no_traceback(run, what: str, client: Client) -> None:
    assert "Traceback" not in run.text, f"{what} printed a traceback for {client.describe()}:\n{run.err}"


def _import(root: Path, client: Client) -> None:
    client.write(root)
    run = invoke("--workspace", str(root), "import", "acme")
    _no_traceback(run, "import", client)
    assert run.code in (0, 2), f"import exit {run.code} for {client.describe()}:\n{run.err}"
    if run.code == 2:
        assert run.err.strip(), "import refused the client without saying why"
    # The client is valid by construction: refusing it is a defect, whatever the message.
    assert run.code == 0, f"a valid client was refused ({client.describe()}):\n{run.err}"


def _expected_kpis(client: Client) -> set[str]:
    stage_ids = client.stages[:-1]  # strategy_kit.kpis.registry.stage_kpi_stages: every stage but the last
    return set(REGISTRY) | {f"{prefix}.{stage}" for prefix in STAGE_KPIS for stage in stage_ids}


def _is_zero(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_is_zero(v) for v in value.values())
    return value is not None and not isinstance(value, bool) and value == 0


def _needed_tables(kpi_id: str) -> list[set[str]]:
    """Per need of a registry KPI, the tables any of which satisfies it (a need reads 'revenue (...) or
    deals (...)', 'deals.value', 'stage_history'...)."""
    definition = REGISTRY.get(kpi_id)
    if definition is None:
        return [{"stage_history", "deals"}]
    result = []
    for need in definition.needs:
        words = {w.strip(" ().,").split(".")[0] for w in need.split()}
        tables = words & set(TABLES)
        if tables:
            result.append(tables)
    return result


def _check_kpis(root: Path, client: Client) -> None:
    run = invoke("--workspace", str(root), "kpis", "acme", "--period", client.period, "--format", "json")
    _no_traceback(run, "kpis", client)
    assert run.code == 0, f"kpis --period {client.period} exit {run.code} for {client.describe()}:\n{run.err}"
    shown = json.loads(run.out)
    values, unavailable = shown["kpis"], shown["unavailable"]
    expected = _expected_kpis(client)
    missing = sorted(expected - set(values) - set(unavailable))
    assert not missing, f"KPIs with neither a value nor a reason: {missing} ({client.describe()})"
    both = sorted(set(values) & set(unavailable))
    assert not both, f"KPIs both computed and unavailable: {both}"
    for kpi_id, reason in unavailable.items():
        assert isinstance(reason, str) and reason.strip(), f"{kpi_id} is unavailable without a reason"
    present = set(client.tables) | ({"stage_history"} if "deals" in client.tables else set())  # derived from deals
    for kpi_id in expected & set(values):
        for alternatives in _needed_tables(kpi_id):
            assert alternatives & present, (
                f"{kpi_id} = {values[kpi_id]!r} although the client has none of {sorted(alternatives)} "
                f"(it should be unavailable with the reason; {client.describe()})"
            )
    for kpi_id, value in values.items():
        definition = REGISTRY.get(kpi_id)
        needs = " ".join(definition.needs if definition else ())
        for column in DATED_COLUMNS:
            table = column.split(".")[0]
            if (
                re.search(rf"(?<![\w.]){re.escape(column)}(?![\w])", needs)
                and table in client.tables
                and not client.has(*column.split("."))
            ):
                assert not _is_zero(value), (
                    f"{kpi_id} = {value!r} although no row has {column}: a KPI that cannot be measured is "
                    f"unavailable, never 0 ({client.describe()})"
                )
    if not client.has_amounts:
        for kpi_id, value in values.items():
            definition = REGISTRY.get(kpi_id)
            if definition and (definition.unit in CURRENCY_UNITS or kpi_id == "revenue_by_product"):
                assert not _is_zero(value), (
                    f"{kpi_id} = {value!r} although the client has no deal value and no revenue line: "
                    f"an unavailable KPI is never 0 ({client.describe()})"
                )


@settings(max_examples=150)
@given(client=clients())
def test_any_client_imports_and_every_kpi_has_a_value_or_a_reason(client):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _import(root, client)
        _check_kpis(root, client)


@settings(max_examples=50)
@given(client=clients(edge_names=True))
def test_clients_with_unicode_and_markup_names_import_and_measure(client):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _import(root, client)
        _check_kpis(root, client)


CALENDAR_DIMENSIONS = ("weekday", "hour", "month")
CANONICAL_DIMENSIONS = ("owner", "product", "source", "sector", "region", "team")


@settings(max_examples=40)
@given(client=clients(dimensions=True), data=st.data())
def test_kpis_break_down_by_any_dimension(client, data):
    """``kpis --by`` a custom dimension of the mapping, a calendar dimension or a canonical one: a
    breakdown, or exit 2 saying the dimension has no data; never a crash."""
    by = data.draw(st.sampled_from(sorted(client.dimensions) + list(CALENDAR_DIMENSIONS + CANONICAL_DIMENSIONS)))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _import(root, client)
        run = invoke(
            "--workspace", str(root), "kpis", "acme", "--period", client.period, "--by", by, "--format", "json"
        )
    _no_traceback(run, f"kpis --by {by}", client)
    assert run.code in (0, 2), f"kpis --by {by} exit {run.code} ({client.describe()}):\n{run.err}"
    if run.code == 2:
        assert by in run.err, f"kpis --by {by} refused without naming the dimension:\n{run.err}"
    must_work = (by in CALENDAR_DIMENSIONS and client.dated) or client.dimensions.get(by, False)
    assert run.code == 0 or not must_work, f"kpis --by {by} refused ({client.describe()}):\n{run.err}"
    if run.code == 0:
        shown = json.loads(run.out)
        assert by in shown.get("breakdown", {}) or by in shown.get("breakdown_unavailable", {}), sorted(shown)


# --------------------------------------------------------------------------- reports, once per shape

# The real pipeline (papermill kernels, SVG charts, WeasyPrint) on three shapes, once each (a report
# takes 10-45 s): which tables, which columns are forced absent, how many deals. Names and the display
# name carry markup. Every other shape (a header-only deals export, a call log without deals...) runs
# every notebook in-process in tests/test_properties_sections.py, a second or two per client.
REPORT_SHAPES: dict[str, tuple[frozenset[str], dict[str, dict[str, str]], tuple[int, int] | None]] = {
    # deals without value (overview filled a float column with NaT) and activities linked to deals
    # without a leads table (kpis/prepared.py indexed an empty array)
    "deals-without-value-activities-no-leads": (
        frozenset({"deals", "activities"}),
        {"deals": {"value": ABSENT, "closed_at": PRESENT}, "activities": {"deal_id": PRESENT}},
        (3, 5),
    ),
    # one row per purchase, no deals table: the report says "not available" in the PDF itself
    "transactions-only": (frozenset({"revenue", "accounts", "products"}), {}, None),
    # every table, every column: every chart is drawn to SVG and laid out by WeasyPrint
    "everything": (
        frozenset(OPTIONAL_TABLES),
        {t: {c.name: PRESENT for c in TABLES[t].columns} for t in TABLES},
        (3, 5),
    ),
}


@pytest.mark.parametrize("shape", list(REPORT_SHAPES), ids=list(REPORT_SHAPES))
def test_report_renders_every_notebook_for_each_shape(shape, tmp_path):
    tables, forced, deal_rows = REPORT_SHAPES[shape]
    rendered: list[Path] = []

    @settings(max_examples=1)
    @given(client=clients(tables=tables, edge_names=True, forced=forced, deal_rows=deal_rows))
    def render(client):
        root = Path(tempfile.mkdtemp(dir=tmp_path))
        _import(root, client)
        run = invoke("--workspace", str(root), "report", "acme", "--period", WHOLE_RANGE)
        _no_traceback(run, "report", client)
        assert run.code == 0, f"report exit {run.code} for {client.describe()}:\n{run.err}"
        pdf = Path(run.out.strip().splitlines()[-1])
        assert pdf.read_bytes().startswith(b"%PDF")
        executed = sorted(p.name for p in pdf.with_name("notebooks").glob("*.ipynb"))
        assert executed == NOTEBOOKS
        if not any(e.rows for t, e in client.tables.items() if t == "deals"):
            # Sections that need deals say so, in the report's language (labels kpis.note.unavailable...).
            text = " ".join(p.read_text(encoding="utf-8") for p in pdf.with_name("notebooks").glob("*.ipynb"))
            assert re.search(r"not available|non disponible", text, re.IGNORECASE), "no section says 'not available'"
        rendered.append(pdf)

    render()
    assert rendered
