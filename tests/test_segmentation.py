"""Segmentation on hand-made fixtures (every expected number worked out by hand in the comments),
per-sector win rates on the Maven CRM data against plain pandas on the raw CSVs, and one render of
notebook 04 on the demo client."""

from __future__ import annotations

import html
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.analytics.segmentation import (
    RFM_SEGMENTS,
    ChurnReasons,
    analysis_window,
    attractive_segments,
    churn_reasons,
    quintile_scores,
    rfm_summary,
    rfm_table,
    segment_table,
    similarity_scores,
    size_band,
    with_market,
)
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import ConfigError, UnavailableError
from strategy_kit.i18n import MESSAGES
from strategy_kit.inputs.market import Market
from strategy_kit.narrative.segmentation import (
    attractiveness_findings,
    hidden_segments,
    market_below_reached,
    market_table,
    paragraphs,
    performance_table,
    rfm_findings,
)
from strategy_kit.periods import parse_period

ROOT = Path(__file__).resolve().parents[1]
MAVEN = ROOT.parent / "shared" / "datasets" / "maven-crm"
Q2 = parse_period("2026-Q2")  # window: 2025-07-01 .. 2026-06-30
CONFIG = ClientConfig(client="t", display_name="T", language="en", data_cutoff=date(2026, 9, 30))
IND, SER = "Ind · 10-49", "Ser · 50-249"

ACCOUNTS = [
    # account, sector, size_band, region
    ("A1", "Ind", "10-49", "Nord"),
    ("A2", "Ind", "10-49", "Sud"),
    ("A3", "Ser", "50-249", "Nord"),
    ("A4", "Ser", "50-249", "Nord"),
    ("P1", "Ind", "10-49", "Nord"),
    ("P2", "Ser", "10-49", "Sud"),
    ("P3", "Ser", "50-249", "Sud"),
]
DEALS = [
    # deal, account, status, value, created, closed
    ("d1", "A1", "won", 1000.0, "2025-08-01", "2025-09-01"),  # 31 days
    ("d2", "A1", "won", 3000.0, "2025-10-01", "2025-12-01"),  # 61 days
    ("d3", "A2", "lost", 0.0, "2025-09-01", "2025-10-01"),
    ("d4", "A2", "won", 2000.0, "2026-01-01", "2026-03-02"),  # 60 days
    ("d5", "A3", "won", 5000.0, "2025-11-01", "2026-01-31"),  # 91 days
    ("d6", "A4", "lost", 0.0, "2025-12-01", "2026-02-01"),
    ("d7", "A4", "lost", 0.0, "2026-01-01", "2026-04-01"),
    ("d8", "A3", "won", 4000.0, "2024-06-01", "2024-07-10"),  # the year before the window
    ("d9", "P1", "open", None, "2026-05-01", None),
    ("d10", "P3", "open", None, "2026-06-01", None),
    ("d11", "A1", "won", 500.0, "2026-06-20", "2026-07-15"),  # open at the end, but A1 is a customer
]
LEADS = [
    # lead, account, created, deal
    ("L1", "P2", "2026-03-01", None),  # not converted, in the window: P2 is a prospect
    ("L2", "A4", "2026-02-01", "d7"),  # became a deal
]


def _data() -> SalesData:
    accounts = pd.DataFrame(ACCOUNTS, columns=["account_id", "sector", "size_band", "region"])
    deals = pd.DataFrame(DEALS, columns=["deal_id", "account_id", "status", "value", "created_at", "closed_at"])
    for column in ("created_at", "closed_at"):
        deals[column] = pd.to_datetime(deals[column])
    leads = pd.DataFrame(LEADS, columns=["lead_id", "account_id", "created_at", "deal_id"])
    leads["created_at"] = pd.to_datetime(leads["created_at"])
    return SalesData(CONFIG, {"deals": deals, "accounts": accounts, "leads": leads})


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return segment_table(_data(), Q2, keys=("sector", "size_band"), min_deals=3).set_index("segment")


def test_window_is_the_twelve_months_ending_with_the_period():
    window = analysis_window(Q2)
    assert (window.start, window.end) == (date(2025, 7, 1), date(2026, 6, 30))


def test_segment_metrics(table):
    ind, ser = table.loc[IND], table.loc[SER]
    # Ind · 10-49: d1, d2, d4 won and d3 lost in the window.
    assert (ind["won"], ind["lost"], ind["deals"]) == (3, 1, 4)
    assert ind["win_rate"] == pytest.approx(0.75)
    # Wilson 95 % for 3/4 by hand: centre (0.75 + 1.96²/8) / (1 + 1.96²/4) = 0.6275, half-width 0.3269.
    assert ind["ci_low"] == pytest.approx(0.3006, abs=1e-3)
    assert ind["ci_high"] == pytest.approx(0.9544, abs=1e-3)
    assert ind["avg_deal_size"] == pytest.approx(2000)  # (1000 + 3000 + 2000) / 3
    assert ind["cycle_days"] == 60  # median of 31, 61, 60
    assert ind["revenue"] == pytest.approx(6000)
    # Ser · 50-249: d5 won, d6 and d7 lost; d8 is a year earlier.
    assert (ser["won"], ser["lost"], ser["deals"]) == (1, 2, 3)
    assert ser["win_rate"] == pytest.approx(1 / 3)
    assert ser["avg_deal_size"] == pytest.approx(5000)
    assert ser["cycle_days"] == 91
    # Shares of the segments' totals: revenue 6000 + 5000, deals 4 + 3.
    assert ind["revenue_share"] == pytest.approx(6000 / 11000)
    assert ser["deal_share"] == pytest.approx(3 / 7)
    # Growth: Ser had 4000 (d8, 2024-07-10) the year before -> 5000 / 4000 - 1; Ind had nothing -> None.
    assert ser["growth"] == pytest.approx(0.25)
    assert ind["growth"] is None
    # LTV: revenue up to the end per customer: A1 4000, A2 2000 -> 3000; A3 4000 + 5000.
    assert ind["ltv"] == pytest.approx(3000)
    assert ser["ltv"] == pytest.approx(9000)
    # Customers by the end: A1, A2 (Ind), A3 (Ser); A4 never won.
    assert (ind["customers"], ser["customers"]) == (2, 1)
    # No market input: no penetration.
    assert ind["penetration"] is None and ind["saturated"] is None
    assert not ind["small"] and not ser["small"]  # min_deals=3


def test_similarity_to_the_best_customers(table):
    # Customers by revenue: A3 9000, A1 4000, A2 2000 -> best decile: ceil(0.3) = 1 customer, A3
    # (Ser, 50-249, Nord). Prospects: P1 (open d9), P3 (open d10), P2 (lead L1); A1 is a customer.
    # P1 (Ind, 10-49, Nord) shares the region only: (0 + 0 + 1) / 3; P3 (Ser, 50-249, Sud): 2 / 3.
    assert table.loc[IND, "prospects"] == 1
    assert table.loc[IND, "similarity"] == pytest.approx(1 / 3)
    assert table.loc[SER, "similarity"] == pytest.approx(2 / 3)
    # The formula itself: two best customers (Ser/50-249/Nord, Ind/50-249/Sud); a prospect
    # Ser/10-49/Sud: sector 1/2, size 0/2, region 1/2 -> 1/3; an unknown region counts 0.
    best = pd.DataFrame({"sector": ["Ser", "Ind"], "size_band": ["50-249", "50-249"], "region": ["Nord", "Sud"]})
    prospects = pd.DataFrame({"sector": ["Ser", "Ser"], "size_band": ["10-49", "50-249"], "region": ["Sud", None]})
    assert similarity_scores(prospects, best).tolist() == pytest.approx([1 / 3, (0.5 + 1 + 0) / 3])


def test_penetration_and_saturation(table):
    market = Market.from_dict({"addressable": {IND: 10, SER: 4}, "saturation_threshold": 0.25})
    marked = with_market(table.reset_index(), market).set_index("segment")
    assert marked.loc[IND, "penetration"] == pytest.approx(0.2)  # 2 customers / 10
    assert marked.loc[SER, "penetration"] == pytest.approx(0.25)  # 1 / 4: at the threshold -> saturated
    assert marked.loc[IND, "saturated"] is False and marked.loc[SER, "saturated"] is True
    by_revenue = with_market(table.reset_index(), Market.from_dict({"unit": "revenue", "addressable": {IND: 20000}}))
    by_revenue = by_revenue.set_index("segment")
    assert by_revenue.loc[IND, "penetration"] == pytest.approx(0.3)  # 6000 / 20000
    assert by_revenue.loc[IND, "saturated"] is True  # default threshold 30 %
    assert by_revenue.loc[SER, "penetration"] is None  # no addressable figure


def test_more_customers_than_the_market_entered_is_no_penetration_and_says_what_to_correct(table):
    # IND has 2 customers (A1, A2) and 6000 of revenue; SER 1 customer (A3)
    market = Market.from_dict({"addressable": {IND: 1, SER: 1}, "saturation_threshold": 0.25})
    marked = with_market(table.reset_index(), market)
    by_segment = marked.set_index("segment")
    assert by_segment.loc[IND, "penetration"] is None and by_segment.loc[IND, "saturated"] is True  # 2 for 1
    assert by_segment.loc[SER, "penetration"] == pytest.approx(1.0)  # exactly the market: a true 100 %
    assert marked.attrs["market_below_reached"] == [(IND, 2.0, 1.0)]
    [finding] = market_below_reached(marked, "fr")
    assert finding.text.startswith(
        "1 segment compte déjà plus de clients que de comptes adressables saisis (par exemple Ind\u00a0·\u00a010-49 : "
        "2 clients pour 1 compte adressable)"
    )
    assert "formulaire « Marché »" in finding.text
    [english] = market_below_reached(marked, "en")
    assert "2 customers for 1 addressable account" in english.text
    revenue = with_market(table.reset_index(), Market.from_dict({"unit": "revenue", "addressable": {IND: 5000}}))
    [by_revenue] = market_below_reached(revenue, "fr")  # 6000 of revenue for a market of 5000
    assert "6\u202f000\u00a0€ pour un marché de 5\u202f000\u00a0€" in by_revenue.text
    assert (
        market_below_reached(with_market(table.reset_index(), Market.from_dict({"addressable": {IND: 10}})), "fr") == []
    )


def test_the_report_s_segment_table_keeps_the_segments_beyond_their_market():
    market = Market.from_dict({"addressable": {IND: 1}})
    built = segment_table(_data(), Q2, keys=("sector", "size_band"), market=market, min_deals=3)
    assert built.attrs["market_below_reached"] == [(IND, 2.0, 1.0)]


def test_the_addressable_market_reads_as_accounts_or_as_an_amount(table):
    accounts = with_market(table.reset_index(), Market.from_dict({"addressable": {IND: 160}}))
    revenue = with_market(table.reset_index(), Market.from_dict({"unit": "revenue", "addressable": {IND: 20000}}))
    assert market_table(accounts, "fr").kinds["addressable"] == "integer"  # 160 accounts, not 160,0
    assert market_table(revenue, "fr").kinds["addressable"] == "currency"


def test_ranking_from_the_fixture(table):
    chosen = attractive_segments(table.reset_index(), n=3)
    # Scores: Ind 0.3006 × 2000 = 601; Ser: Wilson low of 1/3 = 0.0615 -> 0.0615 × 5000 = 308.
    assert chosen["segment"].tolist() == [IND, SER]
    # Overall: win rate 4/7 = 0.571, deal size (3 × 2000 + 1 × 5000) / 4 = 2750.
    assert chosen["overall_win_rate"].iloc[0] == pytest.approx(4 / 7)
    assert chosen["overall_deal_size"].iloc[0] == pytest.approx(2750)
    assert chosen["reason"].tolist() == ["win_rate", "deal_size"]
    strict = segment_table(_data(), Q2, min_deals=4)  # Ser (3 deals) becomes small: never ranked
    assert attractive_segments(strict)["segment"].tolist() == [IND]


def test_attractiveness_ranks_on_the_cautious_value_not_on_noise():
    # Hand-made table: "Tiny" wins 2 of 2 (Wilson low 0.342) at 9000 but has 2 deals: small.
    # "Big" 40 of 100 (low 0.309) × 5000 = 1545; "Mid" 30 of 50 (low 0.462) × 3000 = 1386;
    # "Full" 60 of 100 (low 0.502) × 6000 = 3012 but saturated; "Low" 10 of 100 (0.055) × 2000 = 110.
    rows = [
        ("Tiny", 2, 2, 1.0, 0.342, 1.0, 9000.0, True, None),
        ("Big", 100, 40, 0.40, 0.309, 0.50, 5000.0, False, False),
        ("Mid", 50, 30, 0.60, 0.462, 0.72, 3000.0, False, None),
        ("Full", 100, 60, 0.60, 0.502, 0.69, 6000.0, False, True),
        ("Low", 100, 10, 0.10, 0.055, 0.17, 2000.0, False, None),
    ]
    table = pd.DataFrame(
        rows,
        columns=["segment", "deals", "won", "win_rate", "ci_low", "ci_high", "avg_deal_size", "small", "saturated"],
    )
    table = table.assign(
        revenue=table["won"] * table["avg_deal_size"],
        revenue_share=0.2,
        deal_share=0.2,
        growth=None,
        penetration=None,
        similarity=None,
    )
    chosen = attractive_segments(table, n=2)
    assert chosen["segment"].tolist() == ["Big", "Mid"]
    # Overall win rate 142 / 352 = 0.403; deal size (2×9000 + 40×5000 + 30×3000 + 60×6000 + 10×2000) / 142 = 4831.
    # Big: 0.400 < 0.403 but 5000 > 4831 -> deal_size; Mid: 0.60 > 0.403, 3000 < 4831 -> win_rate.
    assert chosen["reason"].tolist() == ["deal_size", "win_rate"]
    french = paragraphs(attractiveness_findings(chosen, "fr"))
    english = paragraphs(attractiveness_findings(chosen, "en"))
    assert french[0].startswith("1. Big : montant moyen de 5\u202f000\u00a0€")
    assert english[1].startswith("2. Mid: a win rate of 60%")


def test_rfm_scores_and_segments():
    lines = pd.DataFrame(
        [
            # account, date, amount (worked out: see the comments below)
            ("C1", "2026-06-30", 100.0),
            ("C1", "2026-07-05", 999.0),  # the July line is after the end
            ("C2", "2026-06-01", 100.0),
            ("C2", "2026-06-15", 200.0),
            ("C3", "2026-01-10", 200.0),
            ("C3", "2026-01-10", 200.0),
            ("C3", "2026-01-10", 200.0),
            ("C4", "2025-06-01", 1000.0),
            ("C5", "2024-12-01", 20.0),
            ("C5", "2025-01-01", 30.0),
        ],
        columns=["account_id", "date", "amount"],
    )
    lines["date"] = pd.to_datetime(lines["date"])
    lines["invoice_id"] = [f"i{n}" for n in range(len(lines))]
    data = SalesData(CONFIG, {"deals": pd.DataFrame({"deal_id": ["d"], "status": ["open"]}), "revenue": lines})
    rfm = rfm_table(data, Q2).set_index("account_id")
    # n = 5 so a score is the rank (ties at the lowest rank). Last dates rank C5 < C4 < C3 < C2 < C1.
    assert rfm["r"].to_dict() == {"C1": 5, "C2": 4, "C3": 3, "C4": 2, "C5": 1}
    # Frequencies 1, 2, 3, 1, 2: the two 1s share rank 1, the two 2s rank 3, the 3 rank 5.
    assert rfm["f"].to_dict() == {"C1": 1, "C2": 3, "C3": 5, "C4": 1, "C5": 3}
    # Amounts 100, 300, 600, 1000, 50.
    assert rfm["m"].to_dict() == {"C1": 2, "C2": 3, "C3": 4, "C4": 5, "C5": 1}
    assert rfm["recency_days"].to_dict() == {"C1": 0, "C2": 15, "C3": 171, "C4": 394, "C5": 545}
    # FM: C1 1.5, C2 3, C3 4.5, C4 3, C5 2.
    assert rfm["segment"].to_dict() == {"C1": "promising", "C2": "loyal", "C3": "loyal", "C4": "at_risk", "C5": "lost"}
    summary = rfm_summary(rfm.reset_index()).set_index("segment")
    assert list(summary.index) == ["loyal", "promising", "at_risk", "lost"]
    assert summary.loc["loyal", "customers"] == 2
    assert summary.loc["loyal", "revenue_share"] == pytest.approx(900 / 2050)
    assert quintile_scores(pd.Series(range(10))).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_churn_reasons_and_the_trust_share():
    accounts = pd.DataFrame(
        {
            "account_id": ["a", "b", "c", "d", "e", "f"],
            "churned_at": pd.to_datetime(
                ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2026-08-01"]
            ),
            "churn_reason": [
                "Prix",
                "Confiance / service client insatisfaisant",
                "Poor customer service",
                "Prix",
                None,
                "Prix",
            ],  # f churned after the end; e has no reason
        }
    )
    churn = churn_reasons(
        SalesData(CONFIG, {"deals": pd.DataFrame({"deal_id": ["d"], "status": ["open"]}), "accounts": accounts}), Q2
    )
    assert churn.churned == 5 and churn.without_reason == 1
    assert churn.table.set_index("reason")["accounts"].to_dict() == {
        "Prix": 2,
        "Confiance / service client insatisfaisant": 1,
        "Poor customer service": 1,
    }
    assert churn.trust_share == pytest.approx(2 / 4)
    from strategy_kit.narrative.segmentation import churn_note

    assert churn_note(churn, Q2.end, "fr").text.replace("\u00a0", " ") == (
        "Comptes partis jusqu'au 30/06/2026 : 5, dont 1 sans cause renseignée."
    )
    every_reason = ChurnReasons(churn.table, 4, 0, churn.trust_share)  # a without a reason: no "dont 0"
    assert churn_note(every_reason, Q2.end, "fr").text.replace("\u00a0", " ") == (
        "Comptes partis jusqu'au 30/06/2026 : 4, tous avec une cause renseignée."
    )
    no_reason = SalesData(
        CONFIG,
        {
            "deals": pd.DataFrame({"deal_id": ["d"], "status": ["open"]}),
            "accounts": accounts.drop(columns="churn_reason"),
        },
    )
    with pytest.raises(UnavailableError, match="churn reason"):
        churn_reasons(no_reason, Q2)


def test_missing_keys_tables_and_bad_market_input():
    data = _data()
    with pytest.raises(UnavailableError, match="country"):
        segment_table(data, Q2, keys=("sector", "country"))
    with pytest.raises(UnavailableError, match="revenue table"):
        rfm_table(data, Q2)
    with pytest.raises(ConfigError, match="saturation_threshold"):
        Market.from_dict({"saturation_threshold": 30})
    with pytest.raises(ConfigError, match="unit"):
        Market.from_dict({"unit": "euros"})
    with pytest.raises(ConfigError, match="keys"):
        Market.from_dict({"keys": ["colour"]})
    assert size_band(pd.Series([1, 9, 10, 249, 250, 5000, None])).tolist() == [
        "1-9",
        "1-9",
        "10-49",
        "50-249",
        "250-999",
        "1000+",
        None,
    ]


def test_segmentation_labels_exist_in_both_languages():
    import re

    sources = [
        ROOT / "strategy_kit" / "analytics" / "segmentation.py",
        ROOT / "strategy_kit" / "narrative" / "segmentation.py",
        ROOT / "strategy_kit" / "plots" / "segmentation.py",
        ROOT / "strategy_kit" / "widgets" / "market.py",
        ROOT / "notebooks" / "04_segmentation.ipynb",
    ]
    used = {
        key
        for path in sources
        for key in re.findall(r"""["'](segmentation\.[a-z0-9_.]*[a-z0-9_])\\?["']""", path.read_text(encoding="utf-8"))
    }
    assert "segmentation.title" in used
    # Keys built from a value: each value's label exists.
    used |= {f"segmentation.reason.{r}" for r in ("both", "win_rate", "deal_size", "balanced")}
    used |= {f"segmentation.reason.growth_{d}" for d in ("up", "down", "flat")}
    used |= {f"segmentation.rfm.{key}" for key, *_ in RFM_SEGMENTS}
    used |= {f"segmentation.key.{k}" for k in ("sector", "size_band", "region", "country")}
    used |= {f"segmentation.market.note.{u}" for u in ("accounts", "revenue")}
    prefixes = {key.rsplit(".", 1)[0] for key in MESSAGES}  # "segmentation.column" builds column headers
    assert sorted(key for key in used if key not in MESSAGES and key not in prefixes) == []


# --------------------------------------------------------------------------- Maven CRM


@pytest.mark.skipif(not (MAVEN / "sales_pipeline.csv").is_file(), reason=f"the Maven CRM data set is not at {MAVEN}")
def test_maven_sector_win_rates_match_plain_pandas(tmp_path):
    from strategy_kit.cli import main
    from strategy_kit.importer import load_sales_data

    config = ROOT / "examples" / "maven-crm" / "client.yml"
    assert (
        main(["--workspace", str(tmp_path), "new-client", "maven", "--config", str(config), "--raw", str(MAVEN)]) == 0
    )
    assert main(["--workspace", str(tmp_path), "import", "maven"]) == 0
    data = load_sales_data(tmp_path, "maven")
    table = segment_table(data, parse_period("2017-Q4"), keys=("sector",)).set_index("segment")

    # Plain pandas on the raw CSVs: deals closed in 2017 (the twelve months to 2017-12-31), joined to
    # accounts by name, with the 'technolgy' typo fixed as examples/maven-crm/client.yml does.
    pipeline = pd.read_csv(MAVEN / "sales_pipeline.csv", parse_dates=["close_date"])
    accounts = pd.read_csv(MAVEN / "accounts.csv")
    accounts["sector"] = accounts["sector"].replace({"technolgy": "technology"})
    closed = pipeline[pipeline["deal_stage"].isin(["Won", "Lost"]) & (pipeline["close_date"].dt.year == 2017)]
    joined = closed.merge(accounts[["account", "sector"]], on="account", how="left")
    expected = joined.groupby("sector")["deal_stage"].agg(lambda s: (s == "Won").mean())
    counts = joined.groupby("sector").size()
    assert len(expected) == 10 and "technology" in expected
    for sector, rate in expected.items():
        assert table.loc[sector, "win_rate"] == pytest.approx(rate), sector
        assert table.loc[sector, "deals"] == counts[sector], sector
    # Maven has no revenue lines and no churn data: those parts are unavailable.
    with pytest.raises(UnavailableError):
        rfm_table(data, parse_period("2017-Q4"))
    with pytest.raises(UnavailableError):
        churn_reasons(data, parse_period("2017-Q4"))
    # Its accounts have employees but no size band: the band is derived, so sector × size works.
    segments = segment_table(data, parse_period("2017-Q4"))["segment"]
    assert segments[segments != "(none)"].str.contains(" · ").all()  # (none): open deals without an account


# --------------------------------------------------------------------------- notebook 04 on the demo


def test_notebook_renders_the_demo_report_with_a_saved_market(tmp_path):
    """One papermill run of notebooks/04_segmentation.ipynb on the demo (French) into the PDF."""
    from strategy_kit.demo import build_demo
    from strategy_kit.importer import load_sales_data
    from strategy_kit.inputs.market import save_market
    from strategy_kit.report import render_report
    from strategy_kit.workspace import Workspace

    workspace = Workspace(tmp_path)
    paths = build_demo(workspace)
    data = load_sales_data(workspace, "demo")
    period = parse_period("2026-Q3")
    table = segment_table(data, period)
    top = table["segment"].iloc[0]
    # Addressable accounts: the top segment's customers × 2 -> penetration 50 %, saturated at 30 %.
    save_market(paths.inputs, Market(addressable={top: float(table["customers"].iloc[0] * 2)}))
    pdf = render_report(workspace, "demo", period="2026-Q3", notebooks=["segmentation"], keep_html=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = html.unescape(pdf.with_suffix(".html").read_text(encoding="utf-8"))
    for key in (
        "segmentation.title",
        "segmentation.attractiveness.title",
        "segmentation.performance.title",
        "segmentation.market.title",
        "segmentation.rfm.title",
        "segmentation.churn.title",
    ):
        assert MESSAGES[key]["fr"] in text, key
    assert "Non disponible" not in text and "Traceback" not in text
    assert "50,0\u00a0%" in text  # the saturated segment's penetration
    # The segments named are the package's, in French, and the saturated one is not among them.
    saved = with_market(table, Market(addressable={top: float(table["customers"].iloc[0] * 2)}))
    chosen = attractive_segments(saved)
    assert top not in set(chosen["segment"])
    for sentence in paragraphs(attractiveness_findings(chosen, "fr", "EUR")):
        assert sentence in text
    assert text.count("data:image/svg+xml") >= 3  # attractiveness, RFM, churn
    assert "Confiance et service client expliquent" in text
    assert math.isfinite(float(table["win_rate"].iloc[0]))


# --------------------------------------------------------------------------- layers and words


def _plain(text: str) -> str:
    """French text with its no-break spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_segmentation_reasons_are_its_own_messages():
    import re

    source = (ROOT / "strategy_kit" / "analytics" / "segmentation.py").read_text(encoding="utf-8")
    raised = set(re.findall(r"UnavailableError\(\s*\"([^\"]+)\"", source))
    raised |= {"segmentation.unavailable.missing_keys", "segmentation.unavailable.missing_keys_none_available"}
    for key in raised:
        assert key.startswith("segmentation.unavailable."), key
        assert set(MESSAGES[key]) == {"fr", "en"}, key


def test_french_sentences_agree_with_their_numbers():
    from strategy_kit.narrative.segmentation import more_finding

    assert more_finding(1, "fr").text == "1 segment plus petit n'est pas montré."
    assert more_finding(10, "fr").text == "10 segments plus petits ne sont pas montrés."
    assert more_finding(1, "en").text == "1 smaller segment is not shown."
    # RFM by hand: one customer at risk with 30 % of the revenue, two lost with 10 %.
    summary = pd.DataFrame(
        {
            "segment": ["loyal", "at_risk"],
            "customers": [4, 1],
            "share": [0.8, 0.2],
            "revenue": [600.0, 400.0],
            "revenue_share": [0.6, 0.4],
            "recency_days": [10, 300],
        }
    )
    assert (
        _plain(rfm_findings(summary, "fr")[0].text)
        == "1 client à risque ou perdu représente 40,0 % du chiffre d'affaires cumulé."
    )
    summary.loc[1, "customers"] = 3
    assert rfm_findings(summary, "en")[0].text == "3 customers at risk or lost account for 40.0% of cumulative revenue."


def test_growth_reads_up_or_down_and_missing_keys_are_explained_in_french(table):
    chosen = attractive_segments(table.reset_index(), n=3)
    chosen.loc[0, "growth"] = -0.125  # a fall of 12.5 %, written 13 % with its direction
    texts = [
        _plain(f.text) for f in attractiveness_findings(chosen, "fr") if f.key.startswith("segmentation.reason.growth")
    ]
    assert texts[0] == "Chiffre d'affaires en baisse de 13 % sur un an."
    assert texts[1] == "Chiffre d'affaires en hausse de 25 % sur un an."  # Ser: 5000 / 4000 - 1
    with pytest.raises(UnavailableError) as error:
        segment_table(_data(), Q2, keys=("sector", "country"))
    assert _plain(error.value.reason("fr")) == (
        "les segments par sector × country ont besoin de country dans les comptes, que les données du client "
        "n'ont pas ; choisissez d'autres clés dans inputs/market.yml (disponibles : sector, size_band, region)"
    )


def test_segments_of_two_to_five_deals_are_pooled_without_a_rate():
    # Hand-made segments: "A · 10-49" 40 closed deals (28 won, 70 000 € revenue), "B · 1-9" 6 (3 won,
    # 6 000 €), "C · 1000+" 5 (5 won, 50 000 €), "D · 50-249" 2 (0 won, no revenue). C and D have
    # fewer than 6 closed deals: one row "Autres (moins de 6 affaires)" with 5 + 2 = 7 deals, 5 won,
    # 50 000 € (50 000 / 126 000 = 39.7 % of the revenue) and no rate, last; B (6 deals) keeps its rate.
    rows = [
        ("A · 10-49", 40, 28, 12, 70000.0, 10),
        ("C · 1000+", 5, 5, 0, 50000.0, 5),
        ("B · 1-9", 6, 3, 3, 6000.0, 3),
        ("D · 50-249", 2, 0, 2, 0.0, 0),
    ]
    table = pd.DataFrame(rows, columns=["segment", "deals", "won", "lost", "revenue", "customers"])
    table = table.assign(
        win_rate=table["won"] / table["deals"],
        ci_low=0.1,
        ci_high=0.9,
        avg_deal_size=2500.0,
        cycle_days=30,
        revenue_share=table["revenue"] / 126000,
        small=table["deals"] < 20,
        growth=None,
        ltv=None,
        addressable=None,
        penetration=None,
        saturated=None,
        similarity=None,
    )
    shown = performance_table(table, "fr").frame
    assert shown["segment"].tolist() == [
        "A\u00a0·\u00a010-49",
        "B\u00a0·\u00a01-9\u00a0*",
        "Autres (moins de 6 affaires)",
    ]
    others = shown.iloc[-1]
    assert (others["deals"], others["won"], others["revenue"]) == (7, 5, 50000.0)
    assert others["revenue_share"] == pytest.approx(50000 / 126000)
    assert pd.isna(others["win_rate"]) and others["interval"] == "" and others["avg_deal_size"] is None
    assert shown.iloc[1]["win_rate"] == pytest.approx(0.5)
    assert market_table(table, "en").frame["segment"].iloc[-1] == "Others (fewer than 6 deals)"
    assert market_table(table, "en").frame["customers"].iloc[-1] == 5
    # Limited to one segment: B is hidden (1), the pooled row is still shown.
    assert hidden_segments(table, limit=1) == 1
    assert performance_table(table, "fr", limit=1).frame["segment"].tolist()[-1] == "Autres (moins de 6 affaires)"


def test_one_separator_for_combined_segments_everywhere(table):
    # The segment table, the KPI breakdown and the report all join the keys with " · " (never
    # " / " or " - ", which size bands like 10-49 and stage names already use).
    assert IND in table.index and SER in table.index
    chosen = attractive_segments(table.reset_index(), n=2)
    assert len(chosen) == 2
    # Every segment of the fixture has fewer than 6 closed deals: the tables pool them; the
    # sentences (ranked at min_deals=3) name them.
    assert performance_table(table.reset_index(), "fr").frame["segment"].tolist() == ["Autres (moins de 6 affaires)"]
    for text in paragraphs(attractiveness_findings(chosen, "fr")):
        assert "\u00a0·\u00a0" in text and " / " not in text and " - " not in text
