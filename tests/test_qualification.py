"""Lead qualification: persona files, rule-based fit, lift, the naive Bayes score, calibration,
effort; every expected number below was worked out by hand (the comments show how), and the
per-sector win rates of the public Maven data are recomputed with plain pandas on the raw CSVs."""

from __future__ import annotations

import html
import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from strategy_kit.analytics import qualification as q
from strategy_kit.analytics.qualification_attributes import OTHER, deal_attributes, lookup
from strategy_kit.analytics.qualification_score import attribute_lift, calibration, fit_naive_bayes
from strategy_kit.analytics.segmentation import size_band
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import ConfigError, UnavailableError
from strategy_kit.i18n import MESSAGES
from strategy_kit.inputs import save_input
from strategy_kit.inputs.persona import Persona, band_range, load_persona
from strategy_kit.narrative import qualification as narrative
from strategy_kit.periods import parse_period
from strategy_kit.plots.qualification import calibration_chart, fit_chart, lift_chart

ROOT = Path(__file__).resolve().parents[1]
MAVEN = ROOT.parent / "shared" / "datasets" / "maven-crm"

ACCOUNTS = [
    # account_id, sector, employees, size_band, region
    ("A1", "Santé", 120, "50-249", "Nord"),
    ("A2", "Commerce", 15, "10-49", "Sud"),
    ("A3", "Santé", None, None, None),
    ("A4", "BTP", 2000, "1000+", "Nord"),
]
PERSONA = Persona(sectors=("Santé",), size_bands=("50-249", "250-999"), regions=("Nord",))


def _data(
    deals: list[tuple], accounts=ACCOUNTS, leads: list[tuple] | None = None, activities: list[tuple] | None = None
) -> SalesData:
    frame = pd.DataFrame(deals, columns=["deal_id", "account_id", "status", "created_at", "closed_at", "source"])
    for column in ("created_at", "closed_at"):
        frame[column] = pd.to_datetime(frame[column])
    frame["status"] = frame["status"].astype("category")
    tables = {"deals": frame}
    if accounts is not None:
        table = pd.DataFrame(accounts, columns=["account_id", "sector", "employees", "size_band", "region"])
        table["employees"] = table["employees"].astype("Int64")
        tables["accounts"] = table
    if leads is not None:
        table = pd.DataFrame(leads, columns=["lead_id", "created_at", "sector", "employees", "region"])
        table["created_at"] = pd.to_datetime(table["created_at"])
        table["employees"] = table["employees"].astype("Int64")
        tables["leads"] = table
    if activities is not None:
        table = pd.DataFrame(
            activities, columns=["activity_id", "type", "at", "deal_id", "lead_id", "duration_seconds"]
        )
        table["at"] = pd.to_datetime(table["at"])
        tables["activities"] = table
    config = ClientConfig(client="acme", display_name="Acme", language="en", data_cutoff=date(2026, 6, 30))
    return SalesData(config, tables)


FIT_DEALS = [
    ("D1", "A1", "won", "2026-01-05", "2026-02-04", "web"),
    ("D2", "A2", "lost", "2026-01-05", "2026-03-01", "web"),
    ("D3", "A3", "open", "2026-01-05", None, "web"),
    ("D4", "A4", "lost", "2026-01-05", "2026-03-01", "web"),
    ("D5", None, "open", "2026-01-05", None, "web"),
]


# --------------------------------------------------------------------------- persona files


def test_persona_round_trip_and_missing_file(tmp_path):
    assert load_persona(tmp_path) is None
    save_input(tmp_path, "persona", PERSONA.to_dict())
    assert load_persona(tmp_path) == PERSONA
    assert PERSONA.criteria == ("sector", "size", "region")


@pytest.mark.parametrize(
    "text, entry",
    [
        ("sectors: [Santé]\nsector_list: [x]\n", "'sector_list'"),
        ("sectors: Santé: x\n", None),  # not YAML: the file is named, with how to recover
        ("sectors: {a: 1}\n", "entry 'sectors'"),
        ("employees_min: ten\n", "entry 'employees_min'"),
        ("employees_min: 500\nemployees_max: 50\n", "'employees_min' (500) and 'employees_max' (50)"),
        ("size_bands: [big]\n", "entry 'size_bands'"),
        ("- Santé\n", "expected a mapping"),
    ],
)
def test_bad_persona_files_name_the_file_and_the_entry(tmp_path, text, entry):
    (tmp_path / "persona.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_persona(tmp_path)
    message = str(error.value)
    assert str(tmp_path / "persona.yml") in message
    if entry:
        assert entry in message


# --------------------------------------------------------------------------- rule-based fit


def test_deal_fit_scores_and_reasons_by_hand():
    fit = q.persona_fit(_data(FIT_DEALS), PERSONA).set_index("deal_id")
    reasons = narrative.fit_reasons(fit, "en")
    # D1: Santé, 120 employees, Nord -> 3 of 3 criteria met.
    # D2: Commerce, 15, Sud -> 0 of 3, outside.  D3: Santé, size and region unknown -> 1/3, unknown.
    # D4: BTP, 2000 (1000+), Nord -> 1 of 3 (region), outside.  D5: no account -> 0/3, unknown.
    assert fit["score"].tolist() == pytest.approx([1, 0, 1 / 3, 1 / 3, 0])
    assert fit["status"].tolist() == ["fit", "outside", "unknown", "outside", "unknown"]
    assert fit["fit"].tolist() == [True, False, False, False, False]
    assert reasons["D4"] == (
        "sector BTP: outside the persona; size 2,000 employees: outside the persona; region Nord: in the persona"
    )
    assert reasons["D3"] == "sector Santé: in the persona; size unknown; region unknown"
    assert fit.loc["D3", "size_met"] is pd.NA


def test_headcount_bounds_decide_before_bands_and_bands_read_headcounts():
    persona = Persona(sectors=("Santé", "BTP"), employees_min=100, employees_max=1500)
    fit = q.persona_fit(_data(FIT_DEALS), persona).set_index("deal_id")
    # D1: 120 in [100, 1500] -> 2/2; D4: 2000 > 1500 -> size missed, 1/2.
    assert fit.loc["D1", "score"] == 1 and fit.loc["D4", "score"] == 0.5
    reasons = narrative.fit_reasons(fit, "fr")
    assert _plain(reasons["D4"]) == "secteur BTP : dans le persona ; taille 2 000 salariés : hors persona"
    # A lead has a headcount but no band: the persona's bands are read as ranges (300 is in 250-999).
    leads = [
        ("L1", "2026-01-02", "Santé", 300, "Nord"),
        ("L2", "2026-01-02", "Santé", 5, "Nord"),
        ("L3", "2026-01-02", None, None, None),
    ]
    lead = q.lead_fit(_data(FIT_DEALS, leads=leads), PERSONA).set_index("lead_id")
    assert lead["score"].tolist() == pytest.approx([1, 2 / 3, 0])
    assert lead["status"].tolist() == ["fit", "outside", "unknown"]


def test_band_ranges_and_derived_bands():
    assert band_range("10-49") == (10, 49)
    assert band_range("1000+") == (1000, math.inf)
    assert band_range("<10") == (0, 9)
    assert band_range("big") is None
    bands = size_band(pd.Series([9, 10, 999, 5000, None]))
    assert bands.tolist() == ["1-9", "10-49", "250-999", "1000+", None]


def test_a_persona_without_criteria_cannot_score():
    with pytest.raises(UnavailableError, match="persona form") as error:
        q.persona_fit(_data(FIT_DEALS), Persona(needs=("ERP",)))
    assert "formulaire du persona" in error.value.reason("fr")


# --------------------------------------------------------------------------- lift

# Sector X: 3 won of 4; sector Y: 1 won of 4; sector Z: 1 lost (pooled below 3 deals).
LIFT_ACCOUNTS = [("AX", "X", None, None, None), ("AY", "Y", None, None, None), ("AZ", "Z", None, None, None)]
LIFT_DEALS = [
    *[
        (f"X{i}", "AX", s, "2025-01-01", f"2025-0{i + 2}-01", "web")
        for i, s in enumerate(["won", "won", "won", "lost"])
    ],
    *[
        (f"Y{i}", "AY", s, "2025-01-01", f"2025-0{i + 2}-01", "fair")
        for i, s in enumerate(["won", "lost", "lost", "lost"])
    ],
    ("Z0", "AZ", "lost", "2025-01-01", "2025-03-01", "web"),
    ("O0", "AX", "open", "2025-01-01", None, "web"),
]


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval written out from its textbook formula."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_attribute_lift_by_hand():
    lift = attribute_lift(_data(LIFT_DEALS, accounts=LIFT_ACCOUNTS), attributes=("sector",), min_deals=3)
    # 9 closed deals, 4 won: overall 4/9. X: 3/4 -> lift 0.75 / (4/9) = 1.6875; Y: 1/4 -> 0.5625;
    # Z (1 deal) pooled into "(other)": 0/1.
    assert lift["value"].tolist() == ["X", "Y", OTHER]
    assert lift["deals"].tolist() == [4, 4, 1]
    assert lift["won"].tolist() == [3, 1, 0]
    assert lift["lift"].tolist() == pytest.approx([1.6875, 0.5625, 0])
    assert lift["overall_win_rate"].tolist() == pytest.approx([4 / 9] * 3)
    assert (lift.loc[0, "ci_low"], lift.loc[0, "ci_high"]) == pytest.approx(_wilson(3, 4))
    assert (lift.loc[1, "ci_low"], lift.loc[1, "ci_high"]) == pytest.approx(_wilson(1, 4))
    # Only deals closed up to a day count when asked: by 2025-03-01, X has 2 won, Y 1 won 1 lost, Z 1 lost.
    early = attribute_lift(
        _data(LIFT_DEALS, accounts=LIFT_ACCOUNTS), attributes=("sector",), min_deals=1, until=date(2025, 3, 1)
    ).set_index("value")
    assert early.loc["X", "deals"] == 2 and early.loc["Y", "won"] == 1
    assert early["overall_win_rate"].iloc[0] == pytest.approx(3 / 5)


def test_lift_unavailable_without_closed_deals():
    with pytest.raises(UnavailableError, match="closed"):
        attribute_lift(_data([("D", "AX", "open", "2025-01-01", None, "web")], accounts=LIFT_ACCOUNTS))


# --------------------------------------------------------------------------- naive Bayes


def test_naive_bayes_smoothing_and_contributions_by_hand():
    frame = deal_attributes(_data(LIFT_DEALS, accounts=LIFT_ACCOUNTS))
    model = fit_naive_bayes(frame, attributes=("sector",), min_sample=2)
    weights = model.likelihoods.set_index("value")
    # Z (1 deal) pooled into "(other)": K = 3 values (X, Y, other). Won: 4, lost: 5.
    # P(X|won) = (3+1)/(4+3) = 4/7, P(X|lost) = (1+1)/(5+3) = 2/8; P(other|won) = 1/7, P(other|lost) = 2/8.
    assert weights.loc["X", "p_won"] == pytest.approx(4 / 7)
    assert weights.loc["X", "p_lost"] == pytest.approx(2 / 8)
    assert weights.loc[OTHER, "p_won"] == pytest.approx(1 / 7)
    assert weights.loc["X", "weight"] == pytest.approx(math.log((4 / 7) / (2 / 8)))
    assert model.prior == pytest.approx(math.log(4 / 5))
    probe = pd.DataFrame({"sector": ["X", "W", None]})
    contributions = model.contributions(probe)
    # X: its weight; W (never seen) counts as "(other)"; missing adds nothing.
    expected = [math.log((4 / 7) / (2 / 8)), math.log((1 / 7) / (2 / 8)), 0.0]
    assert contributions["sector"].tolist() == pytest.approx(expected)
    log_odds = [math.log(4 / 5) + e for e in expected]
    assert contributions["probability"].tolist() == pytest.approx([1 / (1 + math.exp(-v)) for v in log_odds])


def test_naive_bayes_probabilities_are_clamped():
    # Two attributes that separate won from lost perfectly: P(won) would be 31/1 * 31/1 odds -> 0.999.
    accounts = [("AX", "X", None, None, None), ("AY", "Y", None, None, None)]
    deals = [(f"W{i}", "AX", "won", "2025-01-01", "2025-02-01", "web") for i in range(30)]
    deals += [(f"L{i}", "AY", "lost", "2025-01-01", "2025-02-01", "fair") for i in range(30)]
    frame = deal_attributes(_data(deals, accounts=accounts))
    model = fit_naive_bayes(frame, attributes=("sector", "source"))
    unclamped = 1 / (1 + math.exp(-2 * math.log(31)))
    assert unclamped > 0.98
    assert model.predict(frame[frame["deal_id"].isin(["W0", "L0"])]).tolist() == pytest.approx([0.98, 0.02])


def test_calibration_bands_by_hand():
    # Train (closed before 2025-06-01): X 3 won 1 lost, Y 1 won 3 lost -> with K = 2,
    # P(X|won) = 4/6, P(X|lost) = 2/6: X scores 2/3, Y 1/3 (prior log(4/4) = 0).
    # Test (closed from 2025-06-01): X1 won, X2 lost -> band 60-80 %, Y1 and Y2 lost -> band 20-40 %.
    accounts = [("AX", "X", None, None, None), ("AY", "Y", None, None, None)]
    train = [
        (f"X{i}", "AX", s, "2025-01-01", f"2025-0{i + 2}-01", "web")
        for i, s in enumerate(["won", "won", "won", "lost"])
    ]
    train += [
        (f"Y{i}", "AY", s, "2025-01-01", f"2025-0{i + 2}-01", "web")
        for i, s in enumerate(["won", "lost", "lost", "lost"])
    ]
    test = [
        ("TX1", "AX", "won", "2025-05-01", "2025-06-10", "web"),
        ("TX2", "AX", "lost", "2025-05-01", "2025-06-11", "web"),
        ("TY1", "AY", "lost", "2025-05-01", "2025-06-12", "web"),
        ("TY2", "AY", "lost", "2025-05-01", "2025-07-01", "web"),
    ]
    result = calibration(
        _data(train + test, accounts=accounts), cut=date(2025, 6, 1), attributes=("sector",), min_sample=1
    )
    assert (result.train_deals, result.test_deals) == (8, 4)
    table = result.table.set_index("band")
    assert table["deals"].tolist() == [0, 2, 0, 2, 0]
    assert table.loc[1, "predicted"] == pytest.approx(1 / 3) and table.loc[1, "actual"] == 0
    assert table.loc[3, "predicted"] == pytest.approx(2 / 3) and table.loc[3, "actual"] == 0.5
    # Brier: ((2/3-1)^2 + (2/3)^2 + 2*(1/3)^2) / 4 = (1/9 + 4/9 + 2/9) / 4 = 7/36; always 1/2: 1/4.
    assert result.brier == pytest.approx(7 / 36)
    assert result.base_brier == pytest.approx(0.25)
    figure = calibration_chart(result, "fr")
    assert isinstance(figure, Figure)


# --------------------------------------------------------------------------- what the strategist reads


def test_outcomes_effort_and_review_by_hand():
    leads = [("L1", "2026-02-01", "Santé", 120, "Nord"), ("L2", "2026-02-01", "Commerce", 5, "Sud")]
    activities = [
        # On D1 (fit): 2 calls of 10 and 20 minutes; on D2 (outside): 1 call of 30 minutes;
        # on L2 (outside, no deal): 1 of 60 minutes; one before the window is left out.
        ("1", "call", "2026-01-10", "D1", None, 600),
        ("2", "call", "2026-01-11", "D1", None, 1200),
        ("3", "call", "2026-01-12", "D2", None, 1800),
        ("4", "call", "2026-02-03", None, "L2", 3600),
        ("5", "call", "2024-01-01", "D2", None, 999),
    ]
    data = _data(FIT_DEALS, leads=leads, activities=activities)
    result = q.qualify(data, PERSONA, parse_period("2026-Q2"))
    assert result.window == (date(2025, 7, 1), date(2026, 6, 30))
    outcomes = result.get("outcomes").set_index("group")
    # Created in the window: fit D1; outside D2, D4; unknown D3, D5. Closed: D1 won (30 days), D2 and D4 lost.
    assert outcomes["created"].tolist() == [1, 2, 2]
    assert outcomes.loc["fit", "win_rate"] == 1 and outcomes.loc["fit", "cycle_days"] == 30
    assert outcomes.loc["outside", "closed"] == 2 and outcomes.loc["outside", "win_rate"] == 0
    effort = result.get("effort").set_index(["scope", "group"])
    assert effort.loc[("deals", "fit"), "activities"] == 2
    assert effort.loc[("deals", "fit"), "hours"] == pytest.approx(0.5)
    assert effort.loc[("deals", "outside"), "activity_share"] == pytest.approx(1 / 3)
    assert effort.loc[("deals", "outside"), "per_item"] == pytest.approx(0.5)
    assert effort.loc[("leads", "outside"), "hours"] == pytest.approx(1.0)
    assert result.get("leads").set_index("group")["items"].tolist() == [1, 1, 0]
    texts = [f.text for f in narrative.findings(result, "en")]
    assert (
        "40% of the deals created over the 12 months are outside the persona (2 of 5); 2 cannot be checked "
        "(company data missing)." in texts
    )
    assert any(t.startswith("33% of the activities on deals (1 of 3, 0.5 h logged)") for t in texts)
    figure = fit_chart(result.get("outcomes"), "en")
    assert isinstance(figure, Figure)


def test_persona_review_flags_missing_and_wrongly_included_values():
    # Hand-made lift rows, overall win rate 25 %.
    lift = pd.DataFrame(
        [
            ("sector", "Santé", 400, 160, 0.40, 0.35, 0.45, 1.6, 0.25),  # out of persona, clearly better -> missing
            (
                "sector",
                "Commerce",
                400,
                40,
                0.10,
                0.07,
                0.13,
                0.4,
                0.25,
            ),  # in persona, clearly worse -> wrongly included
            ("sector", "BTP", 30, 12, 0.40, 0.25, 0.57, 1.6, 0.25),  # better but the interval reaches 25 %: nothing
            ("size_band", "1000+", 100, 10, 0.10, 0.05, 0.17, 0.4, 0.25),  # outside 10..999 employees: fine as it is
            ("size_band", "10-49", 100, 10, 0.10, 0.05, 0.17, 0.4, 0.25),  # inside 10..999, clearly worse
            ("source", "web", 100, 50, 0.50, 0.40, 0.60, 2.0, 0.25),  # not a persona attribute
        ],
        columns=["attribute", "value", "deals", "won", "win_rate", "ci_low", "ci_high", "lift", "overall_win_rate"],
    )
    persona = Persona(sectors=("Commerce", "BTP"), employees_min=10, employees_max=999)
    review = q.persona_review(lift, persona)
    assert list(zip(review["value"], review["verdict"])) == [
        ("Santé", "missing"),
        ("Commerce", "wrongly_included"),
        ("10-49", "wrongly_included"),
    ]
    texts = [f.text for f in narrative.review_findings(review, "en")]
    assert texts[0].startswith(
        "Sector “Santé” is not in the persona but wins 40% of its deals (likely between 35% and 45%, over 400 closed)"
    )
    french = [_plain(f.text) for f in narrative.review_findings(review, "fr")]
    assert french[0].startswith(
        "Le secteur « Santé » n'est pas dans le persona mais gagne 40 % de ses affaires (probablement entre 35 % et 45 %, sur 400 affaires conclues)"
    )
    assert french[2].startswith("La taille « 10-49 » est dans le persona")


def test_without_persona_only_the_data_driven_part_is_available():
    result = q.qualify(_data(LIFT_DEALS, accounts=LIFT_ACCOUNTS), None, parse_period("2025-Q4"))
    assert [f.key for f in narrative.findings(result, "fr")][0] == "qualification.persona.none"
    with pytest.raises(UnavailableError, match="no persona saved") as error:
        result.get("outcomes")
    assert error.value.reason("fr").startswith("aucun persona enregistré")
    assert not result.get("lift").empty
    # No leads table: the lead part says why, the deal part is there.
    with_persona = q.qualify(_data(FIT_DEALS), PERSONA, parse_period("2026-Q2"))
    with pytest.raises(UnavailableError, match="leads table"):
        with_persona.get("leads")
    assert with_persona.get("outcomes")["created"].sum() == 5
    assert isinstance(lift_chart(result.get("lift"), "fr", PERSONA), Figure)


def test_labels_used_by_the_qualification_exist_in_both_languages():
    sources = [
        *(ROOT / "strategy_kit" / "analytics").glob("qualification*.py"),
        ROOT / "strategy_kit" / "narrative" / "qualification.py",
        ROOT / "strategy_kit" / "plots" / "qualification.py",
        ROOT / "strategy_kit" / "widgets" / "persona.py",
        ROOT / "notebooks" / "02_lead_qualification.ipynb",
    ]
    literal = re.compile(r"""["']((?:qualification|persona)\.[a-z_]+\.[a-z0-9_.]*[a-z0-9_])["']""")
    used = {k for path in sources for k in literal.findall(path.read_text(encoding="utf-8"))}
    used = {k for k in used if not k.endswith((".py", ".yml", ".ipynb"))}
    assert len(used) > 20
    assert sorted(k for k in used if k not in MESSAGES) == []


# --------------------------------------------------------------------------- Maven


@pytest.mark.skipif(not (MAVEN / "sales_pipeline.csv").is_file(), reason=f"the Maven CRM data set is not at {MAVEN}")
def test_maven_sector_win_rates_match_pandas_on_the_raw_files(tmp_path):
    from strategy_kit.cli import main
    from strategy_kit.importer import load_sales_data

    config = ROOT / "examples" / "maven-crm" / "client.yml"
    assert (
        main(["--workspace", str(tmp_path), "new-client", "maven", "--config", str(config), "--raw", str(MAVEN)]) == 0
    )
    assert main(["--workspace", str(tmp_path), "import", "maven"]) == 0
    lift = attribute_lift(load_sales_data(tmp_path, "maven"), attributes=("sector",), min_deals=1)

    pipeline = pd.read_csv(MAVEN / "sales_pipeline.csv")
    accounts = pd.read_csv(MAVEN / "accounts.csv")
    accounts["sector"] = accounts["sector"].replace({"technolgy": "technology"})
    closed = pipeline[pipeline["deal_stage"].isin(["Won", "Lost"])].merge(accounts, on="account", how="left")
    expected = (
        closed.dropna(subset=["sector"])
        .groupby("sector")["deal_stage"]
        .agg(deals="size", won=lambda s: int((s == "Won").sum()))
    )
    expected["win_rate"] = expected["won"] / expected["deals"]
    overall = (closed["deal_stage"] == "Won").mean()

    got = lift.set_index("value")
    assert sorted(got.index) == sorted(expected.index)
    assert "technology" in got.index and "technolgy" not in got.index
    for sector, row in expected.iterrows():
        assert got.loc[sector, "deals"] == row["deals"], sector
        assert got.loc[sector, "won"] == row["won"], sector
        assert got.loc[sector, "win_rate"] == pytest.approx(row["win_rate"]), sector
        assert got.loc[sector, "lift"] == pytest.approx(row["win_rate"] / overall), sector


# --------------------------------------------------------------------------- the notebook


def test_notebook_renders_with_and_without_a_persona(tmp_path):
    """One papermill run of notebooks/02_lead_qualification.ipynb on a small demo, with a persona saved."""
    from strategy_kit.cli import main
    from strategy_kit.demo import build_demo
    from strategy_kit.importer import load_sales_data
    from strategy_kit.report import render_report
    from strategy_kit.workspace import Workspace

    workspace = Workspace.at(tmp_path)
    paths = build_demo(workspace, deals=1200)
    assert main(["--workspace", str(tmp_path), "import", "demo"]) == 0
    persona = Persona(
        sectors=("Industrie", "Commerce", "Services", "BTP"),
        size_bands=("10-49", "50-249", "250-999"),
        needs=("Un seul outil pour la production et les ventes",),
    )
    save_input(paths.inputs, "persona", persona.to_dict())
    pdf = render_report(workspace, "demo", period="2026-Q3", notebooks=["lead_qualification"], keep_html=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = html.unescape(pdf.with_suffix(".html").read_text(encoding="utf-8"))
    for key in (
        "qualification.title",
        "qualification.findings.title",
        "qualification.fit.title",
        "qualification.leads.title",
        "qualification.effort.title",
        "qualification.lift.title",
        "qualification.score.title",
        "qualification.calibration.title",
    ):
        assert MESSAGES[key]["fr"] in text, key
    assert "Traceback" not in text and "Non disponible" not in text
    data = load_sales_data(workspace, "demo")
    for finding in narrative.findings(q.qualify(data, persona, parse_period("2026-Q3")), "fr"):
        assert finding.text in text
    assert text.count("data:image/svg+xml") >= 3
    visible = re.sub(r"<script.*?</script>", "", text, flags=re.S)
    assert MESSAGES["persona.form.save"]["fr"] not in visible  # the form stays out of the report


def test_leads_without_a_creation_date_qualify_with_the_lead_counts_unavailable():
    # leads.created_at is optional: the leads are still checked against the persona, but how many
    # arrived in the window cannot be counted, and the effort on leads is left out; the deals' parts stay.
    leads = [("L1", None, "Santé", 120, "Nord"), ("L2", None, "BTP", 5, "Sud")]
    data = _data(FIT_DEALS, leads=leads, activities=[("1", "call", "2026-01-10", "D1", None, 600)])
    data.tables["leads"] = data.tables["leads"].drop(columns="created_at")
    result = q.qualify(data, PERSONA, parse_period("2026-Q2"))
    assert result.get("lead_fit")["status"].tolist() == ["fit", "outside"]
    with pytest.raises(UnavailableError) as error:
        result.get("leads")
    assert "colonne created_at de la table « Leads »" in error.value.reason("fr")
    assert set(result.get("effort")["scope"]) == {"deals"}
    assert result.get("outcomes")["created"].sum() == 5


# --------------------------------------------------------------------------- layers and words


def test_every_reason_a_part_is_unavailable_has_a_french_and_an_english_message():
    sources = [*(ROOT / "strategy_kit" / "analytics").glob("qualification*.py")]
    raised = {
        key
        for path in sources
        for key in re.findall(r"UnavailableError\(\s*\"([^\"]+)\"", path.read_text(encoding="utf-8"))
    }
    assert {
        "qualification.unavailable.no_open_deal",
        "qualification.unavailable.no_part",
        "qualification.unavailable.persona_without_criteria",
    } <= raised
    for key in raised:
        assert key.startswith("qualification.unavailable."), key  # a key, never an English sentence
        assert set(MESSAGES[key]) == {"fr", "en"}, key


def test_unavailable_parts_say_why_in_french():
    # Every deal is closed (won 1, lost 0): no open deal to score and no lost deal to learn from.
    data = _data([("D1", "A1", "won", "2026-01-05", "2026-02-04", "web")])
    result = q.qualify(data, PERSONA, parse_period("2026-Q2"))
    with pytest.raises(UnavailableError) as error:
        result.get("score")
    assert _plain(error.value.reason("fr")) == (
        "le score de gain apprend des affaires gagnées et perdues ; il y en a 1 gagnée et 0 perdue"
    )  # French: 0 and 1 are singular
    with pytest.raises(UnavailableError) as error:
        result.get("forecast")
    assert error.value.reason("fr").startswith("la qualification n'a pas de partie « forecast »")
    # One open deal D3 among closed ones: the open-deal table has it; without it, the reason.
    scores = pd.DataFrame({"deal_id": ["D1"], "status": ["won"], "probability": [0.5]})
    model = fit_naive_bayes(deal_attributes(_data(LIFT_DEALS, accounts=LIFT_ACCOUNTS)), attributes=("sector",))
    with pytest.raises(UnavailableError) as error:
        narrative.open_deals_table(model, scores, "fr")
    assert error.value.reason("fr") == "aucune affaire ouverte à noter"
    assert str(error.value) == "no open deal to score"


def _plain(text: str) -> str:
    """French text with its no-break spaces (before ; : % and between thousands) as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_french_findings_agree_and_elide():
    fit = q.persona_fit(_data(FIT_DEALS), PERSONA).set_index("deal_id")
    # D3: Santé, size and region unknown; D5: no account, nothing known. Feminine "taille", "région".
    reasons = narrative.fit_reasons(fit, "fr").map(_plain)
    assert reasons["D3"] == "secteur Santé : dans le persona ; taille inconnue ; région inconnue"
    assert reasons["D5"] == "secteur inconnu ; taille inconnue ; région inconnue"
    # Outcomes by hand: 1 deal of 4 outside, none unknown: no "0 ne peut pas être vérifiée" clause.
    outcomes = pd.DataFrame(
        {
            "group": ["fit", "outside", "unknown"],
            "created": [3, 1, 0],
            "closed": [0, 0, 0],
            "won": [0, 0, 0],
            "win_rate": [float("nan")] * 3,
            "cycle_days": [float("nan")] * 3,
        }
    )
    texts = [_plain(f.text) for f in narrative.share_findings(outcomes, None, None, "fr")]
    assert texts[0] == "25 % des affaires créées sur les 12 mois sont hors persona (1 sur 4)."
    outcomes.loc[outcomes["group"] == "unknown", "created"] = 1  # one that cannot be checked: said
    texts = [_plain(f.text) for f in narrative.share_findings(outcomes, None, None, "fr")]
    assert texts[0] == (
        "20 % des affaires créées sur les 12 mois sont hors persona (1 sur 5) ; 1 ne peut pas être "
        "vérifiée (données d'entreprise manquantes)."
    )
    persona = Persona(sectors=("Santé", "BTP", "Commerce"), employees_min=1)
    said = [_plain(f.text) for f in narrative.persona_findings(persona, "fr")]
    assert said == ["Secteurs visés : Santé, BTP et Commerce.", "Effectif visé : au moins 1 salarié."]
    intro = MESSAGES["qualification.intro"]["fr"]
    from strategy_kit.i18n import label

    assert (
        label("qualification.intro", "fr", client="Orséa", start="1", end="2").startswith(
            "Les leads et les affaires d'Orséa sont-ils"
        )
        and "{client:de}" in intro
    )


def test_the_weights_table_lists_company_sizes_from_the_smallest():
    # Sizes in the data in no order; the table reads 1-9, 10-49, 50-249, 250-999, 1000+, then "other".
    bands = ["1000+", "10-49", "250-999", "1-9", "50-249", "<1"]
    accounts = [(f"A{i}", "X", None, band, None) for i, band in enumerate(bands)]
    deals = [
        (f"D{i}{s}", f"A{i}", s, "2025-01-01", "2025-02-01", "web")
        for i in range(len(bands))
        for s in ("won", "lost") * (1 if i == 5 else 2)
    ]
    model = fit_naive_bayes(deal_attributes(_data(deals, accounts=accounts)), attributes=("size_band",), min_sample=3)
    shown = narrative.weights_table(model, "en").frame
    assert shown["value"].tolist() == ["1-9", "10-49", "50-249", "250-999", "1000+", "other"]


def test_open_deals_are_named_by_account_rep_amount_and_stage():
    # Open deals O1..O4 beside the closed deals of LIFT_DEALS, scored on the sector alone.
    # O1 is with AX (named "Axelle SA"), O2 with AY (no name in the accounts: its id is used, often
    # the company's name), O3 has no account and no deal name (its id is used), O4 has no account
    # but a deal name, no rep, no amount and no stage.
    deals = _data(
        [
            *LIFT_DEALS[:-1],
            ("O1", "AX", "open", "2025-01-01", None, "web"),
            ("O2", "AY", "open", "2025-01-01", None, "web"),
            ("O3", None, "open", "2025-01-01", None, "web"),
            ("O4", None, "open", "2025-01-01", None, "web"),
        ],
        accounts=LIFT_ACCOUNTS,
    )
    frame = deals.tables["deals"]
    frame["name"] = [None] * 9 + [None, "Renouvellement Y", None, "Extension Y"]
    frame["owner"] = [None] * 9 + ["Ana", "Bruno", "Ana", None]
    frame["value"] = [None] * 9 + [12000.0, 8000.0, 500.0, None]
    frame["stage"] = [None] * 9 + ["proposal", "qualification", "proposal", None]
    deals.tables["accounts"]["name"] = ["Axelle SA", None, "Zeta"]
    model, scores = q.win_score(deals, attributes=("sector",))
    shown = narrative.open_deals_table(model, scores, "fr", {"proposal": "Proposition"})
    frame = shown.frame.set_index("account")
    # Sector weights (min_sample 10 pools X, Y and Z into "other"): every open deal scores the
    # same, so the order is the deals' order; what matters here is how each deal is named.
    assert frame.index.tolist() == ["Axelle SA", "AY", "O3", "Extension Y"]
    assert frame["owner"].tolist() == ["Ana", "Bruno", "Ana", "–"]
    assert frame["amount"].tolist()[:3] == [12000.0, 8000.0, 500.0] and pd.isna(frame["amount"].iloc[3])
    # A stage without a label in the client's settings keeps its id; an unknown stage reads "–".
    assert frame["stage"].tolist() == ["Proposition", "qualification", "Proposition", "–"]
    assert list(shown.options()["columns"]) == ["account", "owner", "amount", "stage", "probability", "reasons"]
    assert "deal_id" not in shown.frame.columns


def test_the_lift_lists_company_sizes_in_their_order_not_by_lift():
    # 1000+ wins 2 of 2 (lift 2), 10-49 loses 2 of 2 (lift 0), 1-9 and 50-249 win 1 of 2 (lift 1):
    # by lift the sizes would read 1000+, 1-9, 50-249, 10-49; in their order 1-9, 10-49, 50-249, 1000+.
    bands = {"A0": "1000+", "A1": "10-49", "A2": "50-249", "A3": "1-9"}
    accounts = [(a, "X", None, band, None) for a, band in bands.items()]
    outcomes = {"A0": ("won", "won"), "A1": ("lost", "lost"), "A2": ("won", "lost"), "A3": ("lost", "won")}
    deals = [
        (f"{a}{i}", a, s, "2025-01-01", "2025-02-01", "web") for a, pair in outcomes.items() for i, s in enumerate(pair)
    ]
    lift = attribute_lift(_data(deals, accounts=accounts), attributes=("size_band", "sector"), min_deals=1)
    sizes = lift[lift["attribute"] == "size_band"]
    assert sizes["value"].tolist() == ["1-9", "10-49", "50-249", "1000+"]
    assert sizes["lift"].tolist() == pytest.approx([1.0, 0.0, 1.0, 2.0])


def test_an_open_deal_shows_the_three_attributes_that_weigh_most():
    # Weights (log-odds) sector +0.10, size -0.69 (×0.50), region +0.41 (×1.51), source +1.10 (×3.00):
    # by strength source, size, region; the sector (×1.11) is left out.
    from types import SimpleNamespace

    attributes = ("sector", "size_band", "region", "source")
    weights = {"sector": 0.10, "size_band": math.log(0.5), "region": 0.41, "source": math.log(3.0)}
    values = {"sector": "Santé", "size_band": "10-49", "region": "Nord", "source": "Salon"}
    row = {"deal_id": "D1", "status": "open", "probability": 0.4, "account": "Acme", "owner": "Ana"}
    row.update({f"{a}_value": values[a] for a in attributes} | weights)
    table = narrative.open_deals_table(SimpleNamespace(attributes=attributes), pd.DataFrame([row]), "en")
    assert table.frame["reasons"].iloc[0] == "Source Salon: ×3.00; Size 10-49: ×0.50; Region Nord: ×1.51"


def test_qualify_builds_the_deals_and_leads_attributes_once(monkeypatch):
    from strategy_kit.analytics import qualification_attributes as attributes

    built = {"deals": 0}
    build = attributes._deal_attributes

    def counted(data):
        built["deals"] += 1
        return build(data)

    monkeypatch.setattr(attributes, "_deal_attributes", counted)
    data = _data(FIT_DEALS)
    with_persona = q.qualify(data, PERSONA, parse_period("2026-Q2"))
    assert "deal_fit" in with_persona.parts and "score" in with_persona.parts
    assert built["deals"] == 1  # read by the fit, the outcomes, the effort, the lift, the score, the calibration
    # Outside qualify, each call builds its own; inside, each caller gets its own copy.
    attributes.deal_attributes(data)
    assert built["deals"] == 2
    with attributes.built_once():
        first = attributes.deal_attributes(data)
        first["sector"] = "changed"
        assert (attributes.deal_attributes(data)["sector"] != "changed").all()
    assert built["deals"] == 3


@pytest.mark.parametrize("dtype", ["str", object])
def test_an_account_is_found_by_its_id_whatever_the_column_s_type_first_row_winning(dtype):
    accounts = pd.DataFrame(
        {"account_id": pd.Series(["A", "B", "A", None], dtype=dtype), "sector": ["Retail", "Banks", "Energy", "Oil"]}
    )
    keys = pd.Series(["B", "A", None, "Z", "A"], index=[10, 11, 12, 13, 14], dtype=dtype)
    found = lookup(keys, accounts, "account_id", "sector")
    # B -> Banks; A -> its first row, Retail; a missing id and an unknown one find nothing
    assert found.index.tolist() == [10, 11, 12, 13, 14]
    assert [None if pd.isna(value) else value for value in found] == ["Banks", "Retail", None, None, "Retail"]


def test_numbered_account_ids_are_matched_as_they_are_written():
    accounts = pd.DataFrame({"account_id": ["7", "8"], "sector": ["Retail", "Banks"]})
    keys = pd.Series([8, "7", 9], dtype=object)  # a number never equals a text id, as in any join
    found = lookup(keys, accounts, "account_id", "sector")
    assert [None if pd.isna(value) else value for value in found] == [None, "Retail", None]
