"""The executive summary: its ranking rule, the amounts each chapter offers, and the page it makes.

Expected values are computed by hand in the comments."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import nbformat
import pandas as pd
import pytest

from strategy_kit.analytics.objectives import phase_objective
from strategy_kit.analytics.objectives_tracking import team_attainment
from strategy_kit.analytics.summary import KINDS, rank, segment_amount, shortfall
from strategy_kit.inputs.objectives import Objectives
from strategy_kit.kpis import KpiEngine
from strategy_kit.narrative import summary
from strategy_kit.narrative.summary import KeyFigure, KeyFinding
from strategy_kit.periods import Period
from strategy_kit.report import render_report
from strategy_kit.report.document import contents_html, gather_summary, summary_html, unique_heading_ids
from strategy_kit.report.notebook import SUMMARY_MIME

from conftest import sales_data, table
from report_fixtures import pdf_text

Q1 = Period("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "quarter")


@dataclass(frozen=True)
class Item:
    kind: str
    amount: float | None
    name: str = ""


# --------------------------------------------------------------------------- the ranking rule


def test_amounts_first_largest_first_then_the_others_in_the_order_of_kinds():
    items = [
        Item("persona", None, "persona"),
        Item("segment", 60_000.0, "segment small"),
        Item("intermediate", None, "meetings"),
        Item("lever", 1_079_614.0, "lever"),
        Item("rep", 459_528.0, "rep"),
        Item("segment", 65_815.0, "segment big"),
    ]
    assert [i.name for i in rank(items)] == ["lever", "rep", "segment big", "segment small", "meetings", "persona"]


def test_one_kind_shows_at_most_twice_and_the_summary_at_most_eight():
    levers = [Item("lever", 1000.0 - i, f"lever {i}") for i in range(6)]  # six stage conversions
    reps = [Item("rep", 10.0 * i, f"rep {i}") for i in range(1, 6)]
    others = [Item(kind, None, kind) for kind in ("persona", "segment", "intermediate", "objective")]
    ranked = rank(levers + reps + others)
    # lever 0 and 1 (999, 1000-1), rep 5 and 4 (50, 40), then no amount: objective, intermediate, segment, persona
    assert [i.name for i in ranked] == [
        "lever 0",
        "lever 1",
        "rep 5",
        "rep 4",
        "objective",
        "intermediate",
        "segment",
        "persona",
    ]
    assert len(rank(levers + reps + others, limit=3)) == 3


def test_ties_keep_the_order_the_chapters_offered_and_nan_counts_as_no_amount():
    items = [Item("segment", 5.0, "first"), Item("rep", 5.0, "second"), Item("lever", math.nan, "nan")]
    assert [i.name for i in rank(items)] == ["first", "second", "nan"]


def test_an_unknown_kind_is_a_bug():
    with pytest.raises(ValueError, match="unknown summary finding kinds: forecast"):
        rank([Item("forecast", 1.0)])


def test_amounts_at_stake():
    # 10 % more of 85 closed deals = 8.5 deals, won at 45 % = 3.825, at 17 320 € = 66 249 €
    assert segment_amount(85, 0.45, 17_320.0) == pytest.approx(66_249.0)
    assert segment_amount(85, None, 17_320.0) is None
    assert segment_amount(85, 0.45, math.nan) is None
    assert shortfall(709_178, 249_650) == 459_528
    assert shortfall(100, 120) == 0  # ahead: nothing at stake
    assert shortfall(None, 5) is None


# --------------------------------------------------------------------------- what the chapters offer


def _deals(rows):
    return table("deals", rows, ["deal_id", "owner", "status", "value", "created_at", "closed_at"])


def test_key_figures_compare_with_the_same_dates_a_year_earlier():
    deals = _deals(
        [
            ("a", "ana", "won", 100.0, "2025-01-02", "2025-03-15"),  # March 2025
            ("b", "ana", "won", 50.0, "2025-01-02", "2025-01-10"),  # Jan 2025: the data's first revenue
            ("c", "ana", "won", 200.0, "2025-01-02", "2026-01-05"),  # Jan 2026
            ("d", "ana", "won", 300.0, "2025-01-02", "2026-03-31"),  # the period's last day
            ("e", "ana", "lost", 70.0, "2025-01-02", "2026-02-01"),  # lost: no revenue
        ]
    )
    engine = KpiEngine(sales_data(deals=deals))
    phasing = phase_objective(Objectives(2026, revenue=1200), _flat_months(), _fiscal_year())
    attainment = team_attainment(phasing, Q1, engine)
    rows = attainment.table.set_index("scope")
    # Targets: 1 200 / 12 = 100 a month. March: 300 vs 100 a year earlier; Q1 and YTD: 500 vs 150.
    assert rows.loc["month", ["actual", "target", "last_year"]].tolist() == [300.0, 100, 100.0]
    assert rows.loc["quarter", ["actual", "target", "last_year"]].tolist() == [500.0, 300, 150.0]
    assert rows.loc["ytd", ["actual", "last_year"]].tolist() == [500.0, 150.0]

    figures = summary.key_figures(attainment, "fr")
    assert [(f.name, f.actual, f.target, f.attainment, f.last_year, f.change) for f in figures[:3]] == [
        ("Mois de mars 2026", "300\u00a0€", "100\u00a0€", "300\u00a0%", "100\u00a0€", "+200\u00a0%"),
        ("T1 2026", "500\u00a0€", "300\u00a0€", "167\u00a0%", "150\u00a0€", "+233\u00a0%"),
        ("Exercice 2026 à date", "500\u00a0€", "300\u00a0€", "167\u00a0%", "150\u00a0€", "+233\u00a0%"),
    ]
    assert figures[3].name == "Projection de fin d'exercice" and figures[3].target == "1\u202f200\u00a0€"


def test_a_year_earlier_the_data_do_not_cover_is_left_blank_not_zero():
    # The first revenue is on 10 Mar 2025: March 2025 is covered, Q1 2025 is not.
    deals = _deals(
        [
            ("b", "ana", "won", 50.0, "2025-02-10", "2025-03-10"),
            ("d", "ana", "won", 300.0, "2025-02-10", "2026-03-31"),
        ]
    )
    engine = KpiEngine(sales_data(deals=deals))
    phasing = phase_objective(Objectives(2026, revenue=1200), _flat_months(), _fiscal_year())
    rows = team_attainment(phasing, Q1, engine).table.set_index("scope")
    assert rows.loc["month", "last_year"] == 50.0
    assert math.isnan(rows.loc["quarter", "last_year"]) and math.isnan(rows.loc["ytd", "last_year"])
    figures = summary.key_figures(team_attainment(phasing, Q1, engine), "en")
    assert (figures[1].last_year, figures[1].change) == ("–", "–")


def _flat_months() -> pd.DataFrame:
    """A baseline year of twelve equal months: the objective is phased evenly."""
    return pd.DataFrame({"month": pd.date_range("2025-01-01", periods=12, freq="MS"), "value": [1.0] * 12})


def _fiscal_year():
    from types import SimpleNamespace

    return SimpleNamespace(fiscal_year_start_month=1)


def test_segments_offer_the_revenue_of_ten_percent_more_deals():
    chosen = pd.DataFrame(
        {"segment": ["Logistique · 50-249"], "deals": [85], "win_rate": [0.45], "avg_deal_size": [17_320.0]}
    )
    (finding,) = summary.segment_findings(chosen, "fr")
    assert finding.kind == "segment" and finding.amount == pytest.approx(66_249.0)
    assert "66\u202f249\u00a0€" in finding.text and "Logistique · 50-249" in finding.text
    assert finding.section == "segmentation.attractiveness.title"
    valueless = chosen.assign(avg_deal_size=[float("nan")])  # deals exported without amounts
    (named,) = summary.segment_findings(valueless, "fr")
    assert (
        named.amount is None
        and named.text == "Cibler le segment Logistique · 50-249 : 45\u00a0% des affaires y sont gagnées."
    )


def test_persona_is_offered_only_when_the_fit_deals_win_credibly_less():
    def outcomes(fit_high: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "group": ["fit", "outside", "unknown"],
                "win_rate": [0.21, 0.31, None],
                "ci_low": [0.19, 0.27, None],
                "ci_high": [fit_high, 0.35, None],
            }
        )

    offered = summary.persona_finding(outcomes(0.24), "fr")
    assert offered is not None and offered.kind == "persona" and offered.amount is None
    assert "(21\u00a0%)" in offered.text and "(31\u00a0%)" in offered.text
    assert summary.persona_finding(outcomes(0.31), "fr") is None  # the top of the range reaches 31 %: no claim
    assert summary.persona_finding(None, "fr") is None


# --------------------------------------------------------------------------- the page


def _offered(*items: KeyFinding | KeyFigure) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={SUMMARY_MIME: item.to_json(), "text/plain": "x"}) for item in items
    ]
    notebook.cells = [cell]
    return notebook


def test_the_report_gathers_ranks_and_links_what_the_notebooks_offered():
    first = _offered(
        KeyFinding("segment", 60_059.0, "Cibler Industrie.", "segmentation.attractiveness.title"),
        KeyFigure(1, "T1 2026", "500 €", "300 €", "167 %", "150 €", "+233 %", "objectives.attainment.title"),
    )
    second = _offered(
        KeyFinding("lever", 1_079_614.0, "Gagner 10 points.", "swot.what_if.title"),
        KeyFigure(0, "Mois de mars 2026", "300 €", "100 €", "300 %", "100 €", "+200 %", "objectives.attainment.title"),
    )
    gathered = gather_summary([first, second])
    assert [f.text for f in gathered.findings] == ["Gagner 10 points.", "Cibler Industrie."]
    assert [f.name for f in gathered.figures] == ["Mois de mars 2026", "T1 2026"]
    page = summary_html(gathered, Q1, "fr")
    assert "L&#x27;essentiel de T1 2026" in page
    assert page.index("Gagner 10 points.") < page.index("Cibler Industrie.")
    assert '<a class="sk-see" href="#sk-swot-what-if">voir</a>' in page


def test_contents_list_chapters_and_sections_and_link_each_once():
    body = unique_heading_ids(
        '<h1 id="sk-overview">Vue d\'ensemble</h1><h2 id="sk-overview-pipeline">Pipeline</h2>'
        '<h3>Détail</h3><h2 id="sk-overview-pipeline">Pipeline</h2>'
    )
    assert 'id="sk-overview-pipeline-2"' in body  # a repeated id is made unique
    contents = contents_html(body, "fr")
    assert contents.count("<li") == 3 and "Détail" not in contents
    with_cards = contents_html(body + '<h2 id="sk-scorecard-ana">Tableau de bord d\'Ana</h2>', "fr")
    assert "Ana" not in with_cards  # the reps' pages are reached through their section
    assert '<li class="sk-toc-1"><a href="#sk-overview">' in contents and "Sommaire" in contents


def test_every_kind_has_its_rule_in_both_languages():
    for language in ("fr", "en"):
        rule = summary.ranking_rule(language)
        assert len(rule) == len(KINDS) + 2 and all(rule)


def test_without_objectives_the_period_revenue_is_compared_with_a_year_earlier():
    from strategy_kit.analytics.overview import RevenueByMonth

    months = pd.date_range("2025-10-01", periods=6, freq="MS")
    revenue = RevenueByMonth(
        table=pd.DataFrame(
            {"month": months, "revenue": [9.0, 9.0, 9.0, 100.0, 200.0, 300.0], "previous_year": [1, 1, 1, 50, 50, 100]}
        ),
        source="won_deals",
        covered_from=date(2024, 10, 1),
        covered_to=date(2026, 3, 31),
        left_out={},
    )
    figure = summary.revenue_figure(revenue, Q1, "fr")
    # Q1 2026: 100 + 200 + 300 = 600 against 50 + 50 + 100 = 200 a year earlier: +200 %
    assert figure is not None
    assert (figure.name, figure.actual, figure.target, figure.last_year, figure.change) == (
        "T1 2026",
        "600\u00a0€",
        "–",
        "200\u00a0€",
        "+200\u00a0%",
    )
    week = Period("2026-W10", date(2026, 3, 2), date(2026, 3, 8), "week")
    assert summary.revenue_figure(revenue, week, "fr") is None  # not whole months

    # With objectives, the attainment rows replace the revenue alone.
    attainment_row = KeyFigure(0, "T1 2026", "600 €", "500 €", "120 %", "200 €", "+200 %", summary.ATTAINMENT_SECTION)
    gathered = gather_summary([_offered(figure), _offered(attainment_row)])
    assert gathered.figures == [attainment_row]
    assert gather_summary([_offered(figure)]).figures == [figure]


# --------------------------------------------------------------------------- a client whose answer is known


def _known_client(root) -> None:
    """Two reps who each won 1 000 € a month all through 2025; objective 2026: 24 000 €. In Q1 2026
    Ana wins 1 000 € a month (the last on the period's last day), Bruno only 1 000 € in February."""
    from strategy_kit.cli import main

    rows = ["ID,Status,Stage,Amount,Created,Closed,Owner"]
    number = 0
    for month in range(1, 13):
        for rep in ("Ana", "Bruno"):
            number += 1
            rows.append(f"{number},Won,won,1000,2025-{month:02d}-01,2025-{month:02d}-15,{rep}")
    for closed, rep in (("2026-01-15", "Ana"), ("2026-02-15", "Ana"), ("2026-03-31", "Ana"), ("2026-02-15", "Bruno")):
        number += 1
        rows.append(f"{number},Won,won,1000,2026-01-02,{closed},{rep}")
    raw = root / "exports"
    raw.mkdir()
    (raw / "deals.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["--workspace", str(root), "new-client", "known", "--raw", str(raw), "--language", "fr"]) == 0
    assert main(["--workspace", str(root), "import", "known"]) == 0
    (root / "data" / "known" / "inputs" / "objectives.yml").write_text("year: 2026\nrevenue: 24000\n", encoding="utf-8")


def test_the_first_page_leads_with_the_known_answer(tmp_path):
    """Rendered end to end (two kernels). By hand:
    - targets: 24 000 € phased on 2025's equal months = 2 000 € a month, 1 000 € for each rep
      (equal own baselines of 1 000 € a month);
    - to date (Q1): Ana 3 000 € of 3 000 € (on target); Bruno 1 000 € of 3 000 € (33 %): 2 000 € behind;
    - projection: year to date 4 000 € + 9 months at the last 3 months' 4 000 € / 3 = 16 000 €, and
      4 000 € + no open pipeline = 4 000 €; their mean 10 000 €: 14 000 € short of 24 000 €;
    - key figures: March 1 000 € (Ana's deal of 31 March) for 2 000 €, 50 %, 2 000 € a year earlier,
      -50 %; Q1 4 000 € for 6 000 €, 67 %, 6 000 € a year earlier, -33 %.
    Ranked: the projection (14 000 €) before Bruno (2 000 €); Ana is not listed."""
    _known_client(tmp_path)
    pdf = render_report(tmp_path, "known", period="2026-Q1", notebooks=["overview", "objectives"])
    first_page = pdf_text(pdf).split("page 1 / ")[0]
    flat = " ".join(first_page.split())  # no-break spaces (thousands, before € and %) read as spaces
    nb = " "
    assert f"Mois de mars 2026 1{nb}000 € 2{nb}000 € 50 % 2{nb}000 € -50 %" in flat
    assert f"T1 2026 4{nb}000 € 6{nb}000 € 67 % 6{nb}000 € -33 %" in flat
    projection = flat.index(f"10{nb}000 €, 14{nb}000 € sous l'objectif de 24{nb}000 €")
    bruno = flat.index(
        f"Bruno a réalisé 1{nb}000 € pour un objectif à date de 3{nb}000 € (33 %), soit 2{nb}000 € de retard"
    )
    assert projection < bruno
    assert "Ana a réalisé" not in flat


def _card(owner: str, target: int, actual: float | None, unrealistic: int = 0):
    from strategy_kit.analytics.rep_targets import Scorecard

    return Scorecard(
        owner=owner,
        period=Q1,
        cutoff=Q1.end,
        months=pd.DataFrame(),
        target_total=4 * target,
        target_to_date=target,
        actual_to_date=actual,
        attainment=None if actual is None else actual / target,
        trend=None,
        trend_change=None,
        unrealistic_months=unrealistic,
        ramp=False,
        months_of_history=12,
        avg_deal_size=None,
        means={},
        means_source=None,
    )


def test_a_rep_is_behind_below_ninety_percent_of_the_target_to_date():
    cards = [
        _card("Ana", 3000, 2700.0),  # exactly 90 %: not behind
        _card("Bruno", 3000, 2699.0),  # just below: 301 € behind
        _card("Chloé", 3000, None),  # no month ended yet: nothing to say
        _card("Dan", 3000, 500.0, unrealistic=2),
    ]
    found = summary.rep_findings(cards, "fr")
    assert [(f.kind, f.amount) for f in found] == [("rep", 301.0), ("rep", 2500.0)]
    assert found[0].section == "sk-scorecard-bruno"  # the link goes to Bruno's own scorecard
    assert found[0].text.startswith(
        "Bruno a réalisé 2\u202f699\u00a0€ pour un objectif à date de 3\u202f000\u00a0€ (90\u00a0%)"
    )
    assert "au-delà de ce que son historique permet" in found[1].text and found[1].text.startswith("Dan ")


def test_the_best_lever_names_its_stage_and_its_amount():
    from strategy_kit.analytics.swot_what_if import WhatIf
    from strategy_kit.config import ClientConfig

    config = ClientConfig(client="t", display_name="T", language="fr")
    stage = config.stage_ids[0]
    table = pd.DataFrame(
        {
            "lever": ["lead_volume", f"stage_conversion.{stage}"],
            "impact": [746_416.0, 1_079_614.0],
        }
    )
    result = WhatIf(7_464_157.0, 0.10, "points", Q1, table, pd.DataFrame())
    finding = summary.lever_finding(result, config, "fr")
    assert finding is not None and (finding.kind, finding.amount) == ("lever", 1_079_614.0)
    assert finding.text.startswith(f"Gagner 10 points de conversion à l'étape « {config.stage_labels('fr')[stage]} »")
    assert "1\u202f079\u202f614\u00a0€ de plus sur 12 mois" in finding.text
    relative = WhatIf(7_464_157.0, 0.10, "relative", Q1, table.iloc[[0]], pd.DataFrame())
    assert summary.lever_finding(relative, config, "en").text.startswith('Raising "New deals (lead volume)" by 10%')
    nothing = WhatIf(1.0, 0.10, "relative", Q1, table.assign(impact=0.0), pd.DataFrame())
    assert summary.lever_finding(nothing, config, "fr") is None


def test_intermediate_objectives_at_risk_or_off_track_are_offered_with_an_amount_only_for_amounts():
    from strategy_kit.analytics.objectives_tracking import Tracking
    from strategy_kit.inputs.objectives import Intermediate

    def tracking(kpi: str, unit: str, status: str, actual: float, target: float) -> Tracking:
        months = pd.DataFrame({"month": [pd.Timestamp("2026-03-01")], "actual": [actual]})
        objective = Intermediate(kpi, target, deadline=date(2026, 12, 31))
        return Tracking(objective, None, target, unit, months, status)

    found = summary.intermediate_findings(
        [
            tracking("leads_contacted_24h_rate", "rate", "off_track", 0.859, 1.0),
            tracking("won_value", "currency", "at_risk", 40_000.0, 100_000.0),
            tracking("meetings_held", "count", "on_track", 223.0, 260.0),  # on track: not offered
        ],
        {"leads_contacted_24h_rate": "Leads contactés sous 24 h", "won_value": "Montant gagné"},
        "fr",
    )
    assert [(f.amount, f.text.split(" :")[0]) for f in found] == [
        (None, "Objectif intermédiaire en retard"),
        (60_000.0, "Objectif intermédiaire à risque"),
    ]
    assert "Leads contactés sous 24 h à 86\u00a0% pour 100\u00a0% visés en décembre 2026" in found[0].text


def test_late_follow_ups_are_offered_with_the_value_of_their_distinct_deals():
    from types import SimpleNamespace

    exceptions = pd.DataFrame(
        {
            "record_type": ["deal", "deal", "lead"],
            "record_id": ["d1", "d1", "l1"],  # d1 late twice (idle and no next step): counted once
            "value_at_risk": [12_000.0, 12_000.0, float("nan")],
        }
    )
    finding = summary.followup_finding(SimpleNamespace(exceptions=exceptions), "fr")
    assert finding is not None and (finding.kind, finding.amount) == ("followup", 12_000.0)
    assert finding.text.startswith("3 relances sont en retard, sur des affaires qui pèsent 12\u202f000\u00a0€")
    none_late = SimpleNamespace(exceptions=exceptions.iloc[0:0])
    assert summary.followup_finding(none_late, "fr") is None
