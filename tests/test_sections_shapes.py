"""Every notebook of the report, run on clients whose deals lack columns, have no rows or are absent,
and on a client whose names carry matplotlib markup: every section shows its figures or "not
available: <reason>" in the report's language, never a crash and never a 0 standing for missing data.

The notebooks' code runs in this process (tests/section_shapes.py), about a second per notebook;
tests/test_report_without_data.py renders some of these shapes through the real report (papermill,
PDF). The fixture's deals (tests/section_shapes.deal_rows): deal i (0..47) is created on
2022-12-20 + 12·i days, won when i % 3 == 0, lost when i % 3 == 1 (closed 40 days after creation),
open otherwise. Period 2024-Q2 (2024-04-01..2024-06-30): a deal closed in it was created between
2024-02-21 (day 428) and 2024-05-21 (day 518), i.e. i = 36..43; won among them: i = 36, 39, 42 (3).
"""

from __future__ import annotations

import html
import importlib
import inspect
import re
from pathlib import Path

import pytest

from strategy_kit.cli import main
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError

from section_shapes import MARKUP, run_notebooks, write_client

PERIOD = "2024-Q2"
ALL_DEAL_ATTRIBUTES = ("owner", "product", "source", "lost_reason", "account_id")
CHART_MODULES = ("overview", "journey", "qualification", "segmentation", "swot", "baselines", "objectives")
# Clients without a deals table are built from an import with deals, then the deals (and the stage
# history built from them, and the activities' link to them) are taken away.
WITHOUT_DEALS = {
    "calls": ("activities",),  # a call-centre log
    "funnel": ("leads", "activities"),  # leads and what was done about them
    "transactions": ("revenue", "accounts"),  # revenue lines only
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shapes")
    no_revenue_lines = ("deals", "accounts", "leads", "activities")  # revenue comes from the deals' values
    write_client(root, "absent", drop=("value", "stage", "closed_at", *ALL_DEAL_ATTRIBUTES), tables=no_revenue_lines)
    write_client(
        root, "empty", empty=("value", "created_at", *ALL_DEAL_ATTRIBUTES), tables=no_revenue_lines, language="fr"
    )
    write_client(root, "header", deals=[], tables=("deals", "accounts"))
    write_client(root, "valueless", empty=("value",), tables=no_revenue_lines)
    write_client(root, "markup", markup=True, inputs=True)
    for name, tables in WITHOUT_DEALS.items():
        write_client(root, name, tables=("deals", *tables))
    for name in ("absent", "empty", "header", "valueless", "markup", *WITHOUT_DEALS):
        # --lenient: "absent" keeps its won and lost deals without closed_at (counted, left out).
        assert main(["--workspace", str(root), "import", name, "--lenient"]) == 0
    return root


def texts(shown: list) -> list[str]:
    """What a notebook showed, as plain text, one item per display."""
    out = []
    for item in shown:
        markup = item.get("text/html", "") if isinstance(item, dict) else str(item)
        out.append(re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip())
    return out


def after(shown: list[str], title: str) -> str:
    """The first display after the section titled ``title``."""
    return shown[shown.index(title) + 1]


def drop_deals(data: SalesData) -> None:
    for table in ("deals", "stage_history"):
        data.tables.pop(table, None)
    activities = data.tables.get("activities")
    if activities is not None and "deal_id" in activities:
        data.tables["activities"] = activities.drop(columns="deal_id")


@pytest.fixture
def deals_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    """SalesData.deals as contracts.md #1 states it (UnavailableError without a deals table)."""
    monkeypatch.setattr(SalesData, "deals", property(lambda data: data.require("deals")))


def test_deals_without_value_stage_close_date_or_attributes(workspace: Path, monkeypatch: pytest.MonkeyPatch):
    shown = {name: texts(items) for name, items in run_notebooks(monkeypatch, workspace, "absent", PERIOD).items()}
    overview = shown["00_overview"]
    assert after(overview, "Revenue by month").startswith("Not available: no won deal has a value")
    # Created in 2024-Q2: created on day 468..558, i = 39..46 (8 deals); their value is unknown
    # ("–"), not €0. Won and lost in the period: unknown, no deal has a close date.
    flows = after(overview, "Deals created, won and lost")
    assert flows == "Measure Count Value Created 8 – Won – – Lost – –"
    journey = shown["01_customer_journey"]
    for title, column in (
        ("By owner", "owner"),
        ("By source", "source"),
        ("By product", "product"),
        ("By segment (sector × size)", "account_id"),
        ("By region", "account_id"),
    ):
        assert after(journey, title) == (
            f"Not available: this part needs the deals' {column}, which client 'absent' has not mapped or left "
            "empty (map it under import: deals: columns: in client.yml)"
        )
    # 16 won deals, none with a close date (kept by --lenient): not "no deal was won".
    assert (
        "16 won deals have no close date: whether they were won in the period is unknown, and their "
        "sales cycle cannot be measured."
    ) in journey
    assert not any("No deal was won" in text for text in journey)
    assert any(t.startswith("Not available: this part needs the deals' owner") for t in shown["05_baseline_kpis"])


def test_deals_with_empty_columns_read_not_available_in_french(workspace: Path, monkeypatch: pytest.MonkeyPatch):
    shown = {name: texts(items) for name, items in run_notebooks(monkeypatch, workspace, "empty", PERIOD).items()}
    overview = shown["00_overview"]
    assert after(overview, "Chiffre d'affaires par mois") == (
        "Non disponible : aucune affaire gagnée n'a de montant et le client « empty » n'a pas importé de lignes "
        "de chiffre d'affaires : le chiffre d'affaires ne peut pas être mesuré"
    )
    assert after(overview, "Pipeline ouvert par étape au 30/06/2024").startswith(
        "Non disponible : cette partie a besoin de la colonne created_at des affaires"
    )
    assert after(overview, "Affaires créées, gagnées et perdues") == (
        "Mesure Nombre Montant Créées – – Gagnées 3 – Perdues 3 –"
    )  # i = 36, 39, 42 won; 37, 40, 43 lost
    journey = shown["01_customer_journey"]
    # 3 deals won in 2024-Q2 (i = 36, 39, 42), none with a creation date.
    assert (
        "Affaires gagnées sur la période : 3, mais aucune n'a de date de création : le cycle de vente "
        "n'est pas mesurable."
    ) in journey
    assert after(journey, "Par commercial") == (
        "Non disponible : cette partie a besoin de la colonne owner des affaires, absente ou vide chez le "
        "client « empty » (associez-la sous import: deals: columns: dans client.yml)"
    )
    assert not any("No deal was won" in t or "Aucune affaire gagnée sur la période" in t for t in journey)


def test_segments_of_deals_without_values_are_drawn_without_a_deal_size(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
):
    # Before: "Axis limits cannot be NaN or Inf" in the attractiveness chart.
    notebook = [p for p in _notebooks() if p.stem == "04_segmentation"]
    shown = texts(run_notebooks(monkeypatch, workspace, "valueless", PERIOD, notebooks=notebook)["04_segmentation"])
    assert after(shown, "Segments to target") == "[figure]"
    assert after(shown, "Performance by segment").startswith("Segment Deals Win rate")


def test_a_header_only_deals_export_reports_with_every_section_not_available(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
):
    shown = {name: texts(items) for name, items in run_notebooks(monkeypatch, workspace, "header", PERIOD).items()}
    swot = " ".join(shown["03_swot"])
    assert "no deal or revenue line belongs to an account: there is no segment to analyse" in swot
    assert "Not available" in " ".join(shown["04_segmentation"])


@pytest.mark.usefixtures("deals_optional")
@pytest.mark.parametrize("client", sorted(WITHOUT_DEALS))
def test_a_client_without_deals_gets_every_notebook_with_reasons(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, client: str
):
    shown = {
        name: texts(items)
        for name, items in run_notebooks(monkeypatch, workspace, client, PERIOD, change=drop_deals).items()
    }
    reason = (
        f"Not available: this part needs the deals table (Deals), which client '{client}' has not imported "
        "(map it under import: deals: in client.yml)"
    )
    assert after(shown["00_overview"], "Open pipeline by stage at 30 Jun 2024") == reason
    assert after(shown["01_customer_journey"], "Conversion funnel") == reason
    volumes = after(shown["99_data_and_method"], "Volumes and data coverage")
    assert volumes.startswith("Table Imported") and "Deals no" in volumes


@pytest.mark.usefixtures("deals_optional")
def test_without_deals_the_reasons_are_french_in_a_french_report(workspace: Path, monkeypatch: pytest.MonkeyPatch):
    shown = texts(
        run_notebooks(
            monkeypatch,
            workspace,
            "calls",
            PERIOD,
            "fr",
            change=drop_deals,
            notebooks=[p for p in _notebooks() if p.stem.startswith(("00", "01"))],
        )["01_customer_journey"]
    )
    assert after(shown, "Entonnoir de conversion") == (
        "Non disponible : cette partie repose sur la table « Affaires », que le client « calls » n'a pas "
        "importée (déclarez-la sous import: deals: dans client.yml)"
    )


def test_markup_in_every_name_is_drawn_by_every_chart(workspace: Path, monkeypatch: pytest.MonkeyPatch):
    # Owners, products, sources, lost reasons, sectors, churn reasons and stage labels carry
    # MARKUP; a persona and objectives are saved so that every chart of every notebook is drawn.
    called: set[str] = set()
    charts = set()
    for module_name in CHART_MODULES:
        module = importlib.import_module(f"strategy_kit.plots.{module_name}")
        for name, function in list(vars(module).items()):
            if inspect.isfunction(function) and function.__module__ == module.__name__ and not name.startswith("_"):
                charts.add(f"{module_name}.{name}")

                def recorded(*args, _function=function, _name=f"{module_name}.{name}", **kwargs):
                    called.add(_name)
                    return _function(*args, **kwargs)

                monkeypatch.setattr(module, name, recorded)
    shown = run_notebooks(monkeypatch, workspace, "markup", PERIOD)
    assert called == charts
    everything = " ".join(" ".join(texts(items)) for items in shown.values())
    assert MARKUP in everything  # shown as written in the tables too


def _notebooks() -> list[Path]:
    from section_shapes import NOTEBOOKS

    return NOTEBOOKS


def test_unavailable_reasons_of_missing_tables_are_labelled():
    # The reason of a missing table is written in the report's language (see labels.UnavailableError).
    from strategy_kit.availability import require_table
    from strategy_kit.config import ClientConfig

    data = SalesData(ClientConfig(client="acme", display_name="Acme"), {})
    with pytest.raises(UnavailableError) as raised:
        require_table(data, "revenue")
    assert raised.value.reason("fr") == (
        "cette partie repose sur la table « Lignes de chiffre d'affaires », que le client « acme » n'a pas "
        "importée (déclarez-la sous import: revenue: dans client.yml)"
    )
    assert str(raised.value) == raised.value.reason("en")
