"""The registry against KPIS.md and docs/kpis.md, the JSON shape, the tidy table, series and the
terminal text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.config import ClientConfig, Stage
from strategy_kit.data import SalesData
from strategy_kit.i18n import NBSP
from strategy_kit.kpis import DIMENSIONS, FAMILIES, REGISTRY, STAGE_KPIS, KpiEngine, KpiError, kpi_definitions
from strategy_kit.kpis.terminal import render_result
from strategy_kit.periods import parse_period

ROOT = Path(__file__).resolve().parents[1]
KPIS_MD = ROOT.parent / "shared" / "docs" / "KPIS.md"
STAGES = (Stage("lead", "Piste", "Lead"), Stage("proposal", "Proposition", "Proposal"), Stage("won", "Gagnée", "Won"))
CONFIG = ClientConfig(client="acme", display_name="Acme", language="fr", stages=STAGES)


def _data() -> SalesData:
    deals = pd.DataFrame(
        {
            "deal_id": ["1", "2", "3", "4"],
            "owner": ["Ana Lopez", "Ana Lopez", "Ben", "Ben"],
            "status": ["won", "lost", "won", "open"],
            "value": [1000.0, 500.0, 3000.0, 700.0],
            "product": ["P1", "P1", "P2", "P2"],
            "created_at": pd.to_datetime(["2025-07-01", "2026-07-02", "2026-08-01", "2026-09-01"]),
            "closed_at": pd.to_datetime(["2026-07-15", "2026-08-20", None, None]),
            "stage": ["won", "proposal", "won", "lead"],
        }
    )
    return SalesData(CONFIG, {"deals": deals})


def test_every_kpi_of_kpis_md_is_in_the_registry():
    if not KPIS_MD.is_file():
        pytest.skip(f"{KPIS_MD} is not there (the shared docs live beside the repository)")
    ids = set(re.findall(r"^\| ([a-z_0-9.<>]+) \|", KPIS_MD.read_text(encoding="utf-8"), re.M)) - {"id"}
    assert len(ids) > 30
    stage_ids = {i for i in ids if "<stage>" in i}
    assert {i.split(".")[0] for i in stage_ids} == set(STAGE_KPIS)
    assert ids - stage_ids == set(REGISTRY)


def test_registry_entries_are_complete():
    for definition in kpi_definitions(CONFIG):
        assert definition.fr.strip() and definition.en.strip() and definition.fr != "" and definition.definition
        assert definition.family in FAMILIES
        assert definition.direction in ("higher", "lower")
        assert definition.needs and definition.compute is not None
    assert REGISTRY["sales_cycle_days"].direction == "lower"
    assert REGISTRY["win_rate"].unit == "rate" and REGISTRY["revenue_by_product"].unit == "breakdown"
    stage = next(k for k in kpi_definitions(CONFIG) if k.id == "stage_conversion.proposal")
    assert stage.en == "Proposal stage conversion" and "Proposition" in stage.fr


def test_docs_list_every_kpi_and_dimension():
    text = (ROOT / "docs" / "kpis.md").read_text(encoding="utf-8")
    for kpi_id in [*REGISTRY, *(f"{prefix}.<stage>" for prefix in STAGE_KPIS)]:
        assert f"`{kpi_id}`" in text, kpi_id
    for name in DIMENSIONS:
        assert f"`{name}`" in text, name


def test_json_has_the_kpis_md_shape():
    result = KpiEngine(_data()).compute(parse_period("2026-Q3"), by=["owner"])
    shown = result.to_json("acme")
    text = json.dumps(shown, allow_nan=False)  # never NaN
    assert json.loads(text) == shown
    assert set(shown) == {"client", "period", "kpis", "excluded", "unavailable", "breakdown"}
    assert shown["period"] == {"label": "2026-Q3", "start": "2026-07-01", "end": "2026-09-30"}
    kpis = shown["kpis"]
    # Won in Q3: deal 1 (07-15); lost: deal 2 (08-20); deal 3 is won without a closed_at.
    assert kpis["deals_won"] == 1 and isinstance(kpis["deals_won"], int)
    assert kpis["win_rate"] == 0.5  # a fraction, not a percentage
    assert shown["excluded"]["deals_won"] == 1
    assert kpis["revenue_yoy_growth"] is None  # no revenue before 2026-07
    assert kpis["revenue_by_product"] == {"P1": 1000.0, "P2": 0.0}
    assert shown["unavailable"]["calls_made"] == "no activities table"
    assert "calls_made" not in kpis
    assert set(shown["breakdown"]["owner"]) == {"Ana Lopez", "Ben"}
    assert shown["breakdown"]["owner"]["Ben"]["win_rate"] is None  # no deal won or lost: null
    assert shown["breakdown"]["owner"]["Ana Lopez"]["win_rate"] == 0.5
    assert "stage_conversion.proposal" in kpis and "stage_conversion.won" not in kpis


def test_table_is_tidy():
    result = KpiEngine(_data()).compute(parse_period("2026-Q3"), by=["owner"])
    table = result.table()
    assert list(table.columns) == [
        "kpi",
        "family",
        "unit",
        "direction",
        "dimension",
        "group",
        "value",
        "excluded",
        "unavailable",
    ]
    total = table[table["dimension"].isna()].set_index("kpi")
    assert total.loc["deals_won", "value"] == 1 and total.loc["deals_won", "excluded"] == 1
    assert pd.isna(total.loc["calls_made", "value"]) and total.loc["calls_made", "unavailable"] == "no activities table"
    ben = table[(table["dimension"] == "owner") & (table["group"] == "Ben")].set_index("kpi")
    assert ben.loc["new_deals", "value"] == 2
    products = table[table["kpi"] == "revenue_by_product"]
    assert dict(zip(products["group"], products["value"])) == {"P1": 1000.0, "P2": 0.0}


def test_series_equals_period_by_period_computation():
    engine = KpiEngine(_data())
    periods = [parse_period(p) for p in ("2026-07", "2026-08", "2026-09", "2026-Q3", "2025-Q3")]
    series = engine.series(periods, kpis=["deals_won", "win_rate", "new_deals", "revenue_yoy_growth"], by=["owner"])
    assert list(series.columns) == ["period", "start", "end", "kpi", "dimension", "group", "value", "excluded"]
    for period in periods:
        single = engine.compute(period, by=["owner"], kpis=["deals_won", "win_rate", "new_deals"])
        rows = series[series["period"] == period.label]
        totals = rows[rows["dimension"].isna()].set_index("kpi")["value"]
        for kpi_id, value in single.values.items():
            assert (pd.isna(totals[kpi_id]) and value is None) or totals[kpi_id] == value
        ben = rows[(rows["dimension"] == "owner") & (rows["group"] == "Ben")].set_index("kpi")["value"]
        assert ben["new_deals"] == single.breakdown["owner"]["Ben"]["new_deals"]
    total = series[series["dimension"].isna()].set_index(["period", "kpi"])["value"]
    assert total["2026-08", "win_rate"] == 0.0  # deal 2 lost, none won
    assert pd.isna(total["2026-09", "win_rate"])  # none won or lost: null
    assert pd.isna(total["2026-Q3", "revenue_yoy_growth"])  # no revenue before 2026-07
    assert series["start"].dtype.kind == "M"


def test_unknown_kpi_or_dimension_says_what_exists():
    engine = KpiEngine(_data())
    with pytest.raises(KpiError, match="unknown breakdown dimension 'colour'; this client's data has: owner, product"):
        engine.compute(parse_period("2026-Q3"), by=["colour"])
    with pytest.raises(KpiError, match="no data for the breakdown 'region'"):
        engine.compute(parse_period("2026-Q3"), by="region")
    with pytest.raises(KpiError, match="unknown KPI 'win_ratio'"):
        engine.compute(parse_period("2026-Q3"), kpis=["win_ratio"])


def test_terminal_text_is_in_the_clients_language():
    result = KpiEngine(_data()).compute(parse_period("2026-Q3"), by=["owner"])
    french = render_result(result, CONFIG, "fr")
    assert "Indicateurs clés de Acme — 2026-Q3 (du 01/07/2026 au 30/09/2026)" in french
    assert "Taux de transformation" in french and f"50,0{NBSP}%" in french
    assert f"1\u202f000{NBSP}€" in french
    assert "non disponible : table « Activités » non importée" in french
    assert "Par Commercial" in french and "Ana Lopez" in french
    english = render_result(result, CONFIG, "en")
    assert "Win rate" in english and "50.0%" in english and "€1,000" in english
    assert "not available: no activities table" in english


def test_every_label_the_kpis_use_exists_in_both_languages():
    from strategy_kit.i18n import MESSAGES

    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "strategy_kit" / "kpis").glob("*.py"))
    keys = set(re.findall(r"""["'](kpis\.[a-z_.]*[a-z_])["']""", sources))
    keys |= {f"kpis.reason.{key}" for key in re.findall(r"""Unavailable\(\s*["']([a-z_]+)["']""", sources)}
    keys |= {f"kpis.family.{family}" for family in FAMILIES}
    assert len(keys) > 20
    assert sorted(k for k in keys if k not in MESSAGES) == []
    assert all(set(MESSAGES[k]) == {"fr", "en"} for k in keys)


def test_compute_kpis_is_the_engine_in_one_call():
    from strategy_kit.kpis import compute_kpis

    period = parse_period("2026-Q3")
    assert compute_kpis(_data(), period, by="owner").to_json("acme") == KpiEngine(_data()).compute(
        period, by=["owner"]
    ).to_json("acme")
