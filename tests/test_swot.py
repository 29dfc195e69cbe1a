"""SWOT evidence rules and the what-if on tiny hand-built clients; every expected number was worked
out by hand from the rows below (the comments say how). Each rule is checked where it fires at its
threshold and where it does not, then the matrix renders in French and English and notebook 03
renders once on the demo client."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from matplotlib.figure import Figure

from strategy_kit.analytics import swot, swot_rules
from strategy_kit.analytics.baselines import Baselines, baseline_window
from strategy_kit.analytics.qualification_attributes import OTHER
from strategy_kit.config import ClientConfig, Stage
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.inputs.swot import QUADRANTS, Swot, SwotError, SwotItem
from strategy_kit.kpis import kpi_definitions
from strategy_kit.narrative import swot as narrative
from strategy_kit.periods import parse_period
from strategy_kit.plots.swot import swot_matrix_html, what_if_chart

Q1 = parse_period("2026-Q1")  # recent year: 2025-04-01 to 2026-03-31; year before: 2024-04-01 to 2025-03-31
STAGES = (Stage("a", "Étape A", "Stage A"), Stage("b", "Étape B", "Stage B"), Stage("won", "Gagnée", "Won"))
CONFIG = ClientConfig(client="acme", display_name="Acme", language="fr", stages=STAGES, data_cutoff=date(2026, 3, 31))


def deal(
    deal_id,
    status="open",
    created="2025-06-01",
    closed=None,
    value=1000.0,
    owner="Ana",
    account=None,
    reason=None,
    stage="a",
):
    return {
        "deal_id": deal_id,
        "status": status,
        "created_at": created,
        "closed_at": closed,
        "value": value,
        "owner": owner,
        "account_id": account,
        "lost_reason": reason,
        "stage": stage,
    }


def make_data(rows: list[dict], history: list[tuple[str, str, str]] | None = None) -> SalesData:
    deals = pd.DataFrame(rows)
    for column in ("created_at", "closed_at"):
        deals[column] = pd.to_datetime(deals[column], format="ISO8601")
    for column in ("deal_id", "account_id"):
        deals[column] = deals[column].astype("string")
    for column in ("status", "owner", "lost_reason", "stage"):
        deals[column] = deals[column].astype("category")
    tables = {"deals": deals}
    if history is not None:
        frame = pd.DataFrame(history, columns=["deal_id", "stage", "entered_at"])
        frame["entered_at"] = pd.to_datetime(frame["entered_at"])
        frame["deal_id"] = frame["deal_id"].astype("string")
        frame["stage"] = frame["stage"].astype("category")
        frame["inferred"] = False
        tables["stage_history"] = frame
    return SalesData(CONFIG, tables)


def run(data: SalesData, rule_id: str, language: str = "en") -> list[narrative.DraftedItem]:
    draft = swot.evaluate_rules(data, Q1, rules=[rule_id])
    if rule_id in draft.unavailable:
        raise draft.unavailable[rule_id]
    return narrative.drafted_items(draft, CONFIG, language)


def written(candidates: list[swot.Candidate], language: str = "en") -> list[narrative.DraftedItem]:
    """The candidates of a rule called directly, written in ``language``."""
    return [narrative.drafted_item(c, Q1, CONFIG, language) for c in candidates]


def evidence_with(data: SalesData | None = None, **cached) -> swot.Evidence:
    """An Evidence whose lazily computed inputs (baselines, segments, lift) are given by hand."""
    evidence = swot.Evidence(data or make_data([deal("D1")]), Q1)
    evidence.__dict__.update(cached)
    return evidence


def hand_baselines(rows: list[dict]) -> Baselines:
    """Baselines holding only the comparison rows given (kpi, value, baseline, previous_year, window_value)."""
    definitions = {k.id: k for k in kpi_definitions(CONFIG) if k.id in {r["kpi"] for r in rows}}
    full = [
        {
            "unit": definitions[r["kpi"]].unit,
            "direction": definitions[r["kpi"]].direction,
            "value": None,
            "baseline": None,
            "previous_year": None,
            "window_value": None,
            **r,
        }
        for r in rows
    ]
    return Baselines(
        window=baseline_window(Q1),
        definitions=definitions,
        comparison=pd.DataFrame(full),
        monthly=pd.DataFrame(),
        quarterly=pd.DataFrame(),
    )


def test_rules_are_declared_once_with_a_quadrant():
    assert set(swot.RULES) >= {
        "kpi_above_baseline",
        "kpi_below_baseline",
        "worst_drop_off_stage",
        "high_win_small_share",
        "winning_attribute",
        "revenue_concentration",
    }
    assert {r.quadrant for r in swot.RULES.values()} == set(QUADRANTS)
    with pytest.raises(ValueError, match="declared twice"):
        swot.rule("kpi_above_baseline", "strengths", reads=())(lambda evidence: [])


# --------------------------------------------------------------------------- KPIs vs baseline and last year


def test_new_deals_below_baseline_and_previous_year_on_real_baselines():
    # 4 deals created each month of 2025 (the baseline window of 2026-Q1): 48, so a quarter's
    # baseline is 48 / 12 x 3 = 12; 2025-Q1 (a year earlier) also has 12. 2026-Q1 has 10:
    # 10 / 12 - 1 = -16.7 %, beyond the 15 % threshold, against both references.
    rows = [deal(f"B{m}-{i}", created=f"2025-{m:02d}-{i + 2:02d}") for m in range(1, 13) for i in range(4)]
    rows += [deal(f"P{i}", created=f"2026-0{i % 3 + 1}-{i + 2:02d}") for i in range(10)]
    data = make_data(rows)
    below = [c for c in run(data, "kpi_below_baseline") if c.subject == "new_deals"]
    assert len(below) == 1
    assert below[0].evidence["value"] == 10 and below[0].evidence["reference"] == pytest.approx(12)
    assert below[0].text == "New deals: worse than the baseline (-17%)"
    # the rule run alone mentions the other reference (12 in 2025-Q1: 10 / 12 - 1 = -17 %)
    assert (
        below[0].evidence_text == "10 in Q1 2026 against a baseline of 12 (12 months before); 12 a year earlier (-17%)"
    )
    assert [c.subject for c in run(data, "kpi_below_previous_year")] == ["new_deals"]
    # all the rules: one item for new deals, not one per reference, stating both changes
    items = [
        i for i in narrative.drafted_items(swot.evaluate_rules(data, Q1), CONFIG, "en") if i.subject == "new_deals"
    ]
    assert [(i.rule, i.quadrant) for i in items] == [("kpi_below_baseline", "weaknesses")]
    assert items[0].text == "New deals: worse than the baseline (-17%) and than a year earlier (-17%)"
    assert items[0].evidence_text == "10 in Q1 2026 against a baseline of 12 (12 months before) and 12 a year earlier"
    # 11 deals: -8.3 %, not drafted.
    data = make_data(rows + [deal("P10", created="2026-03-20")])
    assert [c for c in run(data, "kpi_below_baseline") if c.subject == "new_deals"] == []


def test_kpi_moves_fire_at_the_threshold_in_the_kpis_good_direction():
    baselines = hand_baselines(
        [
            {"kpi": "new_deals", "value": 115.0, "baseline": 100.0},  # +15 %: a strength, at the threshold
            {"kpi": "won_value", "value": 114.0, "baseline": 100.0},  # +14 %: nothing
            {"kpi": "win_rate", "value": 0.17, "baseline": 0.20},  # 0.17 / 0.20 - 1 = -15 %: a weakness
            {"kpi": "lead_response_hours", "value": 1.7, "baseline": 2.0},  # 15 % faster: lower is better, a strength
        ]
    )
    evidence = evidence_with(baselines=baselines)
    strengths = swot_rules.kpi_above_baseline(evidence)
    assert [c.subject for c in strengths] == ["new_deals", "lead_response_hours"]
    assert [c.subject for c in swot_rules.kpi_below_baseline(evidence)] == ["win_rate"]
    assert (
        written(swot_rules.kpi_below_baseline(evidence))[0].evidence_text
        == "17% in Q1 2026 against a baseline of 20% (12 months before)"
    )


def test_a_kpi_moved_against_both_references_is_one_item_in_french():
    # Before: "Montant gagné : en progrès par rapport à la référence" and "Montant gagné : en
    # progrès sur un an" were two items of the same quadrant.
    baselines = hand_baselines(
        [
            # 130 / 100 - 1 = +30 % and 130 / 110 - 1 = +18 %: both count, one strength stating both
            {"kpi": "won_value", "value": 130.0, "baseline": 100.0, "previous_year": 110.0},
            # 120 / 100 - 1 = +20 % (a strength) but 120 / 160 - 1 = -25 % (a weakness): one item, under
            # the larger move (a year earlier), which mentions the other
            {"kpi": "new_deals", "value": 120.0, "baseline": 100.0, "previous_year": 160.0},
            # 115 / 100 - 1 = +15 % counts; 115 / 105 - 1 = +9.5 % does not, and is mentioned
            {"kpi": "deals_won", "value": 115.0, "baseline": 100.0, "previous_year": 105.0},
        ]
    )
    evidence = evidence_with(baselines=baselines)
    candidates = []
    for rule_id in swot.KPI_RULES:
        candidates += swot.RULES[rule_id].function(evidence)
    assert len(candidates) == 5  # won value twice, new deals twice, deals won once
    items = {i.subject: i for i in written(swot.merge_kpi_moves(candidates), "fr")}
    assert set(items) == {"won_value", "new_deals", "deals_won"}
    assert (items["won_value"].quadrant, items["won_value"].rule) == ("strengths", "kpi_above_baseline")
    assert items["won_value"].text == (
        f"Montant gagné : en progrès par rapport à la référence (+30{NBSP}%) et sur un an (+18{NBSP}%)"
    )
    assert items["won_value"].evidence_text == (
        f"130{NBSP}€ en T1 2026 contre 100{NBSP}€ en référence (12 mois précédents) et 110{NBSP}€ un an plus tôt"
    )
    assert (items["new_deals"].quadrant, items["new_deals"].rule) == ("weaknesses", "kpi_below_previous_year")
    assert items["new_deals"].text == f"Nouvelles affaires : en recul sur un an (-25{NBSP}%)"
    assert items["new_deals"].evidence_text == (
        f"120 en T1 2026 contre 160 un an plus tôt ; 100 en référence (12 mois précédents, +20{NBSP}%)"
    )
    assert items["deals_won"].text == f"Affaires gagnées : en progrès par rapport à la référence (+15{NBSP}%)"
    assert items["deals_won"].evidence_text == (
        f"115 en T1 2026 contre 100 en référence (12 mois précédents) ; 105 un an plus tôt (+10{NBSP}%)"
    )


def test_kpi_moves_keep_the_largest_three():
    baselines = hand_baselines(
        [
            {"kpi": k, "value": v, "baseline": 100.0}
            for k, v in (("new_deals", 120.0), ("won_value", 150.0), ("revenue", 130.0), ("deals_won", 140.0))
        ]
    )
    assert [c.subject for c in swot_rules.kpi_above_baseline(evidence_with(baselines=baselines))] == [
        "won_value",
        "deals_won",
        "revenue",
    ]


@pytest.mark.parametrize(
    "win_rate, new_deals, fires",
    [
        (0.30, 85.0, True),  # win rate at its baseline, new deals 15 % below theirs
        (0.30, 86.0, False),  # new deals only 14 % below
        (0.29, 80.0, False),  # the win rate below its baseline: no "strong closing"
    ],
)
def test_strong_closing_weak_generation(win_rate, new_deals, fires):
    baselines = hand_baselines(
        [
            {"kpi": "win_rate", "value": win_rate, "baseline": 0.30},
            {"kpi": "new_deals", "value": new_deals, "baseline": 100.0},
        ]
    )
    found = swot_rules.closing_strong_generation_weak(evidence_with(baselines=baselines))
    assert bool(found) is fires
    if fires:
        assert found[0].quadrant == "weaknesses"
        # The baseline of new deals (an average) is written as a whole number of deals.
        assert (
            written(found)[0].evidence_text
            == "Win rate 30% (baseline 30%) but 85 new deals against a baseline of 100 (-15%)"
        )


# --------------------------------------------------------------------------- stages and reps


def funnel_rows(advanced: int) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """10 deals enter stage A in June 2025: ``advanced`` reach B and are won, the others are lost at A."""
    rows, history = [], []
    for i in range(10):
        moved = i < advanced
        rows.append(
            deal(f"D{i}", "won" if moved else "lost", "2025-06-02", "2025-08-01", stage="won" if moved else "a")
        )
        history.append((f"D{i}", "a", "2025-06-02"))
        if moved:
            history += [(f"D{i}", "b", "2025-07-01"), (f"D{i}", "won", "2025-08-01")]
    return rows, history


def test_worst_drop_off_stage_at_the_threshold():
    # 5 of 10 deals lost at A: drop-off 5 / 10 = 50 % (the threshold); B has 5 entries, below 10.
    found = run(make_data(*funnel_rows(5)), "worst_drop_off_stage")
    assert [(c.subject, c.evidence["entered"], c.evidence["drop_off"]) for c in found] == [("a", 10, 5)]
    assert found[0].text == "The Stage A stage loses the most deals"
    assert found[0].evidence_text.startswith("50% of the 10 deals")
    # 6 advance: 40 %, below the threshold.
    assert run(make_data(*funnel_rows(6)), "worst_drop_off_stage") == []


def test_worst_drop_off_needs_a_stage_history():
    with pytest.raises(UnavailableError, match="stage_history"):
        run(make_data(*funnel_rows(5)[:1]), "worst_drop_off_stage")


def rep_rows(won_by_rep: dict[str, int], closed: int = 10) -> list[dict]:
    rows = []
    for rep, won in won_by_rep.items():
        rows += [
            deal(f"{rep}{i}", "won" if i < won else "lost", "2025-05-01", "2025-07-01", owner=rep)
            for i in range(closed)
        ]
    return rows


def test_best_performers_gap_at_ten_points():
    # 4 reps with 10 closed deals each: the top quarter is Ana (6 / 10 = 60 %); the team wins
    # (6 + 5 + 5 + 4) / 40 = 50 %: 10 points apart, the threshold.
    found = run(make_data(rep_rows({"Ana": 6, "Ben": 5, "Cleo": 5, "Dan": 4})), "best_performers_gap")
    assert len(found) == 1
    assert found[0].evidence["best"] == ["Ana"]
    assert found[0].evidence["best_rate"] == pytest.approx(0.6)
    assert found[0].evidence["team_rate"] == pytest.approx(0.5)
    # Dan wins 5: the team 21 / 40 = 52.5 %, 7.5 points: nothing.
    assert run(make_data(rep_rows({"Ana": 6, "Ben": 5, "Cleo": 5, "Dan": 5})), "best_performers_gap") == []
    # A rep with 9 closed deals does not count: one rep left, nothing to compare.
    rows = rep_rows({"Ana": 9}) + rep_rows({"Ben": 1}, closed=9)
    assert run(make_data(rows), "best_performers_gap") == []


# --------------------------------------------------------------------------- threats


def lost(prefix: str, closed: str, reasons: dict[str, int]) -> list[dict]:
    rows = []
    for reason, count in reasons.items():
        rows += [deal(f"{prefix}{reason}{i}", "lost", "2024-01-01", closed, reason=reason) for i in range(count)]
    return rows


def test_rising_lost_reason_at_ten_points():
    # Price: 2 of 10 lost deals the year before (20 %), 3 of 10 in the recent year (30 %): +10 points.
    rows = lost("B", "2024-10-01", {"Price": 2, "Timing": 8}) + lost("R", "2025-10-01", {"Price": 3, "Timing": 7})
    found = run(make_data(rows), "rising_lost_reason")
    assert [(c.subject, c.evidence["share"], c.evidence["previous_share"]) for c in found] == [("Price", 0.3, 0.2)]
    assert found[0].evidence_text == (
        "30% of the deals lost over the last 12 months (3 of 10) against 20% the year before (+10 points)"
    )
    # 5 of 20 the year before (25 %): +5 points, nothing.
    rows = lost("B", "2024-10-01", {"Price": 5, "Timing": 15}) + lost("R", "2025-10-01", {"Price": 3, "Timing": 7})
    assert run(make_data(rows), "rising_lost_reason") == []


def won_cycles(prefix: str, closed: str, days: int, count: int = 5) -> list[dict]:
    end = pd.Timestamp(closed)
    return [
        deal(f"{prefix}{i}", "won", (end - pd.Timedelta(days=days)).strftime("%Y-%m-%d"), closed) for i in range(count)
    ]


@pytest.mark.parametrize(
    "recent_days, recent_count, fires",
    [
        (24, 5, True),  # median 24 days against 20: +20 %, the threshold
        (23, 5, False),  # +15 %
        (30, 4, False),  # only 4 deals won in the recent year
    ],
)
def test_lengthening_cycle(recent_days, recent_count, fires):
    rows = won_cycles("B", "2024-09-15", 20) + won_cycles("R", "2025-09-15", recent_days, recent_count)
    found = run(make_data(rows), "lengthening_cycle")
    assert bool(found) is fires
    if fires:
        assert found[0].evidence["cycle_days"] == 24 and found[0].evidence["previous_cycle_days"] == 20


def test_revenue_concentration_on_the_top_five_accounts():
    # 10 accounts with 100 each in the recent year: the top 5 bring 500 / 1000 = 50 % (the threshold).
    rows = [deal(f"W{i}", "won", "2025-05-01", "2025-06-01", value=100.0, account=f"A{i}") for i in range(10)]
    rows.append(deal("OLD", "won", "2024-01-01", "2024-06-01", value=10_000.0, account="A0"))  # before: ignored
    found = run(make_data(rows), "revenue_concentration")
    assert found[0].evidence["top_share"] == pytest.approx(0.5) and found[0].evidence["revenue"] == 1000
    assert found[0].evidence_text == (
        "The 5 largest accounts bring 50% of the last 12 months' revenue (€500 of €1,000, 10 accounts)"
    )
    # An 11th account: 500 / 1100 = 45 %, nothing.
    rows.append(deal("W10", "won", "2025-05-01", "2025-06-01", value=100.0, account="A10"))
    assert run(make_data(rows), "revenue_concentration") == []


# --------------------------------------------------------------------------- segments and attributes


def segments(**changes) -> pd.DataFrame:
    """Three segments; overall win rate (16 + 3 + 1) / 100 = 20 %."""
    table = pd.DataFrame(
        {
            "segment": ["S1", "S2", "S3"],
            "deals": [80, 10, 10],
            "won": [16, 3, 1],
            "avg_deal_size": [1000.0, 1000.0, 1000.0],
            "small": [False, False, False],
            "revenue": [8000.0, 1500.0, 500.0],
            "revenue_share": [0.80, 0.15, 0.05],
            "growth": [0.1, -0.19, -0.20],
            "penetration": [None, 0.11, 0.10],
            "customers": [40, 11, 5],
            "addressable": [None, 100.0, 50.0],
        }
    )
    for column, values in changes.items():
        table[column] = values
    table["win_rate"] = table["won"] / table["deals"]
    table["deal_share"] = table["deals"] / table["deals"].sum()
    return table


def test_high_win_rate_small_share_segment():
    # S2 wins 3 / 10 = 30 % >= 20 % x 1.2 = 24 % with 10 % of the deals (the threshold): drafted.
    found = swot_rules.high_win_small_share(evidence_with(segments=segments()))
    assert [(c.subject, c.evidence["win_rate"], c.evidence["deal_share"]) for c in found] == [("S2", 0.3, 0.1)]
    # S2 with 11 deals (S1 79): 3 / 11 = 27 % but 11 % of the deals: nothing.
    assert swot_rules.high_win_small_share(evidence_with(segments=segments(deals=[79, 11, 10]))) == []
    # A small segment is never named.
    assert swot_rules.high_win_small_share(evidence_with(segments=segments(small=[False, True, False]))) == []


def test_under_penetrated_segment_needs_the_market():
    found = swot_rules.under_penetrated_segment(evidence_with(segments=segments()))
    assert [c.subject for c in found] == ["S3"]  # 10 % (the threshold); S2 at 11 % is not
    assert found[0].evidence["customers"] == 5
    with pytest.raises(UnavailableError, match="market"):
        swot_rules.under_penetrated_segment(evidence_with(segments=segments(penetration=[None, None, None])))
    # No segment under 10 % (S2 11 %, S3 11 %, and S1 with more customers than its market): none named.
    none_low = segments(penetration=[4.0, 0.11, 0.11])
    assert swot_rules.under_penetrated_segment(evidence_with(segments=none_low)) == []


def test_shrinking_segment():
    # S3: -20 % with 5 % of the revenue (both thresholds); S2: -19 %.
    assert [c.subject for c in swot_rules.shrinking_segment(evidence_with(segments=segments()))] == ["S3"]
    shares = segments(revenue_share=[0.81, 0.15, 0.04])
    assert swot_rules.shrinking_segment(evidence_with(segments=shares)) == []


def test_winning_attribute_needs_lift_and_an_interval_above_the_rate():
    lift = pd.DataFrame(
        {
            "attribute": ["sector", "sector", "source", "region", "sector"],
            "value": ["Santé", "Industrie", "Salon", "Ouest", OTHER],
            "deals": [40, 40, 30, 50, 25],
            "won": [12, 13, 9, 11, 10],
            "win_rate": [0.30, 0.325, 0.30, 0.22, 0.40],
            "ci_low": [0.26, 0.24, 0.21, 0.12, 0.30],
            "ci_high": [0.35, 0.40, 0.40, 0.33, 0.50],
            "lift": [1.2, 1.625, 1.5, 1.1, 2.0],
            "overall_win_rate": [0.25, 0.20, 0.20, 0.20, 0.20],
        }
    )
    # Santé: lift 1.2 (the threshold), interval from 26 % above 25 %: drafted. Industrie: lift 1.625,
    # interval from 24 % above 20 %: drafted, first. Salon: interval from 21 %... above 20 %, lift 1.5:
    # drafted. Ouest: lift 1.1. The pooled values: never.
    found = swot_rules.winning_attribute(evidence_with(lift=lift))
    assert [c.subject for c in found] == ["sector=Industrie", "source=Salon", "sector=Santé"]
    lift.loc[0, "ci_low"] = 0.25  # the interval touches the overall rate: not drafted
    assert "sector=Santé" not in [c.subject for c in swot_rules.winning_attribute(evidence_with(lift=lift))]


def test_draft_on_a_client_without_accounts_says_which_rules_cannot_run():
    draft = swot.evaluate_rules(make_data(rep_rows({"Ana": 6, "Ben": 2})), Q1)
    assert {"high_win_small_share", "under_penetrated_segment", "shrinking_segment", "worst_drop_off_stage"} <= set(
        draft.unavailable
    )
    assert all(c.quadrant in QUADRANTS for c in draft.candidates)


# --------------------------------------------------------------------------- what-if


def funnel_baselines() -> Baselines:
    # The baseline funnel worked out by hand: 100 new deals x 50 % (A) x 80 % (B) x 1,000 = 40,000.
    return hand_baselines(
        [
            {"kpi": "new_deals", "window_value": 100.0},
            {"kpi": "avg_deal_size", "window_value": 1000.0},
            {"kpi": "won_value", "window_value": 38_000.0},
            {"kpi": "stage_conversion.a", "window_value": 0.5},
            {"kpi": "stage_conversion.b", "window_value": 0.8},
        ]
    )


def test_what_if_relative_every_lever_is_worth_the_same():
    result = swot.what_if(make_data([deal("D1")]), Q1, 0.10, "relative", baselines=funnel_baselines())
    assert result.base_revenue == pytest.approx(40_000)
    # +10 % on any factor of a product: 44,000, +4,000 each; all rank first.
    assert result.table["impact"].tolist() == pytest.approx([4000.0] * 4)
    assert result.table["rank"].tolist() == [1, 1, 1, 1]
    assert narrative.what_if_finding(result, CONFIG, "en").key == "swot.what_if.finding_tie"
    assert result.actual_won_value == 38_000


def test_what_if_writes_deals_whole_and_amounts_exact():
    # 95 new deals a year (the baseline window): +10 % is 104,5 deals, written 105 (half up), never
    # half a deal; the revenue stays exact: 95 x 0.5 x 0.8 x 1,000 = 38,000, x 1.1 = 41,800.
    baselines = funnel_baselines()
    baselines.comparison.loc[baselines.comparison["kpi"] == "new_deals", "window_value"] = 95.0
    result = swot.what_if(make_data([deal("D1")]), Q1, 0.10, "relative", baselines=baselines)
    shown = narrative.what_if_table(result, CONFIG, "fr").frame.set_index("lever")
    assert (shown.loc["lead_volume", "current"], shown.loc["lead_volume", "improved"]) == ("95", "105")
    assert shown.loc["lead_volume", "revenue"] == pytest.approx(41_800)  # an amount, written exactly by its kind
    assumptions = narrative.assumptions_table(result, CONFIG, "fr").frame.set_index("factor")
    assert assumptions.loc["new_deals", "value"] == "95"


def test_what_if_relative_caps_a_conversion_at_100_percent():
    # +30 %: B would reach 104 %, capped at 100 %: 100 x 0.5 x 1 x 1000 = 50,000 (+10,000); the
    # others 40,000 x 1.3 = 52,000 (+12,000).
    result = swot.what_if(make_data([deal("D1")]), Q1, 0.30, "relative", baselines=funnel_baselines())
    table = result.table.set_index("lever")
    assert table.loc["stage_conversion.b", "improved"] == 1.0
    assert table.loc["stage_conversion.b", "impact"] == pytest.approx(10_000)
    assert table.loc["stage_conversion.b", "rank"] == 4
    assert table.loc["lead_volume", "impact"] == pytest.approx(12_000)


def test_what_if_points_ranks_the_weakest_stage_first():
    # +10 points: A 50 % -> 60 %: 100 x 0.6 x 0.8 x 1000 = 48,000 (+8,000); B 80 % -> 90 %:
    # 45,000 (+5,000); volume and deal size +10 %: 44,000 (+4,000).
    result = swot.what_if(make_data([deal("D1")]), Q1, 0.10, "points", baselines=funnel_baselines())
    assert result.table["lever"].tolist() == [
        "stage_conversion.a",
        "stage_conversion.b",
        "lead_volume",
        "avg_deal_size",
    ]
    assert result.table["impact"].tolist() == pytest.approx([8000.0, 5000.0, 4000.0, 4000.0])
    assert result.table["rank"].tolist() == [1, 2, 3, 3]
    finding = narrative.what_if_finding(result, CONFIG, "en")
    assert finding.key == "swot.what_if.finding"
    assert finding.fields["lever"] == "Conversion: Stage A" and finding.fields["impact"] == "€8,000"
    assumptions = result.assumptions.set_index("factor")["value"]
    assert assumptions["base_revenue"] == pytest.approx(40_000) and assumptions["stage_conversion.a"] == 0.5
    figure = what_if_chart(result, CONFIG, "fr")
    assert isinstance(figure, Figure)


def test_what_if_rejects_bad_parameters_and_missing_funnels():
    data = make_data([deal("D1")])
    with pytest.raises(SwotError, match="relative, points"):
        swot.what_if(data, Q1, 0.1, "double", baselines=funnel_baselines())
    with pytest.raises(SwotError, match="fraction"):
        swot.what_if(data, Q1, 10, baselines=funnel_baselines())
    with pytest.raises(UnavailableError, match="new deals"):
        swot.what_if(data, Q1, baselines=hand_baselines([{"kpi": "new_deals", "window_value": 0.0}]))


# --------------------------------------------------------------------------- the matrix


def sample_swot(draft: bool) -> Swot:
    return Swot(
        (
            SwotItem("strengths", "Closing <strong>", "Win rate 40% against 30%", "kpi_above_baseline", "x"),
            SwotItem("threats", "A new competitor"),
        ),
        period="2026-Q1",
        draft=draft,
    )


@pytest.mark.parametrize(
    "language, titles, draft_word",
    [
        ("fr", ("Forces", "Faiblesses", "Opportunités", "Menaces", "Aucun élément"), "Brouillon"),
        ("en", ("Strengths", "Weaknesses", "Opportunities", "Threats", "No item"), "Draft"),
    ],
)
def test_matrix_renders_in_both_languages(language, titles, draft_word):
    markup = swot_matrix_html(sample_swot(draft=True), language)
    for title in titles:
        assert title in markup
    assert draft_word in markup
    assert "Closing &lt;strong&gt;" in markup and "Win rate 40% against 30%" in markup  # escaped, with evidence
    # strengths and weaknesses on the first row, opportunities and threats on the second
    assert markup.index(titles[0]) < markup.index(titles[1]) < markup.index(titles[2]) < markup.index(titles[3])
    assert draft_word not in swot_matrix_html(sample_swot(draft=False), language)


def test_an_empty_quadrant_says_why_instead_of_no_item():
    # Before: "Aucun élément". Eleven accounts of 1 000 € won each in the recent year: the top five
    # bring 5 000 / 11 000 = 45 %, under the 50 % threshold; no lost reason: that rule cannot run.
    rows = [deal(f"W{i}", "won", closed="2025-09-01", account=f"A{i}") for i in range(11)]
    data = make_data(rows)
    data.tables["deals"]["lost_reason"] = pd.Series(None, index=data.tables["deals"].index).astype("category")
    draft = swot.evaluate_rules(data, Q1, rules=["revenue_concentration", "rising_lost_reason"])
    assert draft.candidates == [] and draft.evaluated == ["revenue_concentration"]
    why = narrative.empty_quadrants(draft, "fr")
    assert set(why) == {"threats"}  # no rule of the other quadrants was asked for
    assert why["threats"].startswith(
        f"Aucune menace n'atteint les seuils : les 5 premiers comptes font moins de 50{NBSP}% du chiffre "
        "d'affaires. Non évalué faute de données : Motifs de perte en hausse (cette partie a besoin de la "
        "colonne lost_reason des affaires"
    )
    assert narrative.empty_quadrants(draft, "en")["threats"].startswith(
        "No threat reaches the thresholds: the top 5 accounts bring less than 50% of the revenue. "
        "Not assessed for lack of data: Rising lost reasons ("
    )
    # both KPI rules of a quadrant ran: one clause, not the same words twice
    draft = swot.evaluate_rules(data, Q1, rules=["kpi_above_baseline", "kpi_above_previous_year"])
    assert narrative.empty_quadrants(draft, "fr")["strengths"] == (
        f"Aucune force n'atteint les seuils : aucun indicateur n'a progressé d'au moins 15{NBSP}% par "
        "rapport à sa référence ou sur un an."
    )
    # the market input not entered yet: where to enter it
    assert UnavailableError("swot.unavailable.market").reason("fr") == (
        "il faut le marché adressable par segment, pas encore saisi : saisissez-le dans le formulaire du "
        "carnet 04 (segmentation), enregistré dans inputs/market.yml"
    )
    # the matrix shows the reason; a saved SWOT says the strategist kept nothing there
    # (sample_swot has a strength and a threat only)
    reason = "Aucune opportunité : un motif."
    markup = swot_matrix_html(
        sample_swot(draft=True), "fr", {"opportunities": reason, "weaknesses": "Aucune faiblesse."}
    )
    assert reason in markup and "Aucune faiblesse." in markup and "Aucun élément" not in markup
    saved = swot_matrix_html(sample_swot(draft=False), "fr", {"weaknesses": "Aucune faiblesse."})
    assert "Aucun élément retenu par le stratège dans ce quadrant." in saved and "Aucune faiblesse." not in saved


def test_notebook_renders_on_the_demo(tmp_path):
    """One render (it starts a kernel): notebook 03 on the demo client, in English, no SWOT saved."""
    from strategy_kit.demo import build_demo
    from strategy_kit.report import render_report
    from strategy_kit.workspace import Workspace

    workspace = Workspace(tmp_path / "ws")
    build_demo(workspace)
    pdf = render_report(workspace, "demo", period="2026-Q1", language="en", notebooks=["swot"], keep_html=True)
    assert pdf.exists() and pdf.stat().st_size > 10_000
    page = pdf.with_suffix(".html").read_text(encoding="utf-8")
    for text in (
        "SWOT analysis",
        "Strengths",
        "Threats",
        "Draft",
        "Which improvement is worth most?",
        "Assumptions",
        "wins often but weighs little",
    ):
        assert text in page, text
    assert "Traceback" not in page and "Forces" not in page and "Review the SWOT" not in page
    # the matrix on one page: its four quadrants' titles (and the draft badge) on the same page
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    holding = [i for i, text in enumerate(pages) if "Strengths" in text and "Opportunities" in text]
    assert holding and all(word in pages[holding[0]] for word in ("Weaknesses", "Threats", "DRAFT")), pages
    assert "No item" not in page  # an empty quadrant says why


def test_every_rule_has_its_labels_in_both_languages():
    from strategy_kit.i18n import MESSAGES

    for rule_id in swot.RULES:
        for key in (f"swot.rule.{rule_id}", f"swot.{rule_id}.text", f"swot.{rule_id}.evidence"):
            assert set(MESSAGES[key]) == {"fr", "en"}, key
    assert set(narrative.FIELDS) == set(swot.RULES)  # every rule's numbers are written by the narrative
    for mode in swot.WHAT_IF_MODES:
        assert f"swot.what_if.intro.{mode}" in MESSAGES


def test_a_header_only_deals_export_drafts_nothing_and_says_why_instead_of_failing():
    # A deals export with a header and no rows, and accounts with a sector: no deal or revenue line
    # belongs to an account, so the segment rules read "not available" (before: KpiError "no data for
    # the breakdown 'sector'" stopped the whole notebook).
    data = make_data([deal("D1", account="acc1")])
    data.tables["deals"] = data.tables["deals"].iloc[0:0]
    data.tables["accounts"] = pd.DataFrame({"account_id": ["acc1"], "sector": ["Retail"]})
    draft = swot.evaluate_rules(data, Q1)
    assert draft.candidates == []
    assert narrative.unavailable_reasons(draft, "fr")["high_win_small_share"].startswith(
        "aucune affaire ni ligne de chiffre d'affaires n'est rattachée à un compte"
    )
    with pytest.raises(UnavailableError):
        swot.what_if(data, Q1, 0.1, "points")


@pytest.mark.parametrize("column", ["owner", "lost_reason", "closed_at"])
def test_rules_reading_a_deal_column_the_client_left_empty_are_unavailable(column: str):
    rows = [deal(f"D{i}", "lost", closed="2025-06-01", reason="Prix") for i in range(6)]
    data = make_data(rows)
    data.tables["deals"][column] = pd.Series(
        pd.NaT if column == "closed_at" else None, index=data.tables["deals"].index
    ).astype("datetime64[ns]" if column == "closed_at" else "category")
    draft = swot.evaluate_rules(data, Q1, rules=["best_performers_gap", "rising_lost_reason"])
    reasons = set(narrative.unavailable_reasons(draft, "fr").values())
    assert any(column in reason and "colonne" in reason for reason in reasons), reasons


# --------------------------------------------------------------------------- French as a French speaker writes it

NBSP = "\u00a0"  # between a number and its unit (%, €)


def french(rule_id: str, subject: str, **evidence) -> narrative.DraftedItem:
    """A candidate of ``rule_id`` with the numbers given, written in French for 2026-Q1."""
    quadrant = swot.RULES[rule_id].quadrant
    return narrative.drafted_item(swot.Candidate(quadrant, rule_id, subject, evidence), Q1, CONFIG, "fr")


def test_french_sentences_agree_with_their_counts():
    # One deal lost at the stage: "dont 1 perdue" (before: "dont 1 perdues").
    item = french("worst_drop_off_stage", "a", stage="a", entered=10, drop_off=5, lost=1, drop_off_rate=0.5)
    assert item.text == "L'étape Étape A perd le plus d'affaires"
    assert item.evidence_text == (
        f"50{NBSP}% des 10 affaires entrées sur les 12 derniers mois n'ont pas avancé (5, dont 1 perdue à cette étape)"
    )
    # 1 new deal against a baseline of 2.5 (an average): written 3, never half a deal.
    item = french(
        "closing_strong_generation_weak",
        "",
        win_rate=0.3,
        win_rate_baseline=0.3,
        new_deals=1,
        new_deals_baseline=2.5,
        change=1 / 2.5 - 1,
    )
    assert item.evidence_text == (
        f"Taux de conversion 30{NBSP}% (référence 30{NBSP}%) mais 1 nouvelle affaire contre 3 en référence (-60{NBSP}%)"
    )
    # A single account bringing all the revenue: not "Les 1 premiers comptes font".
    item = french(
        "revenue_concentration", "", top_share=1.0, top_revenue=100.0, revenue=100.0, accounts=1, top_accounts=["A0"]
    )
    assert item.evidence_text == (
        f"Un seul compte fait 100{NBSP}% du chiffre d'affaires des 12 derniers mois (100{NBSP}€ sur 100{NBSP}€)"
    )
    # Two best performers are listed as a French list.
    item = french("best_performers_gap", "", best=["Ana", "Ben"], best_rate=0.6, team_rate=0.5, reps=8, min_closed=10)
    assert item.evidence_text.startswith(f"Ana et Ben : 60{NBSP}% d'affaires gagnées")
    assert item.evidence_text.endswith("(10 points d'écart ; 8 commerciaux avec au moins 10 affaires conclues)")


def test_french_kpi_sentences_agree_with_any_kpi_and_name_the_quarter():
    # "Nouvelles affaires : moins bon que la référence" did not agree with a feminine plural KPI.
    item = french(
        "kpi_below_baseline", "new_deals", kpi="new_deals", unit="count", value=10, reference=12, change=10 / 12 - 1
    )
    assert item.text == f"Nouvelles affaires : en recul par rapport à la référence (-17{NBSP}%)"
    assert item.evidence_text == "10 en T1 2026 contre 12 en référence (12 mois précédents)"


def test_rules_the_data_cannot_feed_say_why_in_french():
    # Lost deals without a lost reason: before, "Motifs de perte en hausse (needs the lost deals' lost_reason)".
    rows = [deal(f"D{i}", "lost", closed="2025-06-01") for i in range(6)]
    data = make_data(rows)
    data.tables["deals"]["lost_reason"] = pd.Series(None, index=data.tables["deals"].index).astype("category")
    draft = swot.evaluate_rules(data, Q1, rules=["rising_lost_reason"])
    text = narrative.unavailable_finding(draft, "fr").text
    assert text.startswith(
        "Règles non applicables faute de données : Motifs de perte en hausse (cette partie a "
        "besoin de la colonne lost_reason des affaires"
    )
    assert "needs" not in text
    assert "needs the deals' lost_reason" in narrative.unavailable_finding(draft, "en").text
    assert narrative.unavailable_finding(swot.evaluate_rules(data, Q1, rules=[]), "fr") is None


def test_every_swot_reason_of_unavailability_is_a_message_in_both_languages():
    from strategy_kit.i18n import MESSAGES

    with pytest.raises(UnavailableError) as raised:
        swot.what_if(make_data([deal("D1")]), Q1, baselines=hand_baselines([{"kpi": "new_deals", "window_value": 0.0}]))
    assert raised.value.reason("fr").startswith("la simulation a besoin de nouvelles affaires")
    for key in ("win_and_new_deals", "market", "growth", "what_if_volume", "what_if_conversions"):
        assert set(MESSAGES[f"swot.unavailable.{key}"]) == {"fr", "en"}


def test_the_intro_elides_the_client_name_in_french():
    from dataclasses import replace

    orsea = replace(CONFIG, display_name="Orséa Solutions")
    assert narrative.intro(orsea, Q1, "fr").text == (
        "Forces, faiblesses, opportunités et menaces d'Orséa Solutions pour la période T1 2026 "
        "(du 01/01/2026 au 31/03/2026), chacune avec le chiffre qui la fonde."
    )
    assert narrative.intro(CONFIG, Q1, "en").text.startswith(
        "Strengths, weaknesses, opportunities and threats of Acme for the period Q1 2026 ("
    )
