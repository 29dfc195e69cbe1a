"""Objectives: phasing (exact sums, shares, fiscal year), each reverse-funnel step, the status
rules, bad inputs (file and entry named; the form: tests/test_objectives_form.py), and the
demo end to end (values recomputed from the canonical tables)."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from strategy_kit.analytics.objectives import (
    FunnelRates,
    funnel_variant,
    largest_remainder,
    phase_objective,
    reverse_funnel,
)
from strategy_kit.analytics.objectives_tracking import AT_RISK_LAG, ON_TRACK_LAG, elapsed_of, progress_of, status_of
from strategy_kit.cli import main
from strategy_kit.demo import build_demo
from strategy_kit.errors import ConfigError
from strategy_kit.importer import import_client, load_sales_data
from strategy_kit.inputs.objectives import Objectives
from strategy_kit.periods import Period

from conftest import OBJECTIVE_KPIS as KPIS
from conftest import OBJECTIVE_REPS as OWNERS
from conftest import OBJECTIVES as GOOD


def _monthly(values, first=date(2025, 1, 1)):
    months = pd.date_range(first, periods=len(values), freq="MS")
    return pd.DataFrame({"month": months, "value": values})


# --------------------------------------------------------------------------- phasing


def test_largest_remainder_by_hand():
    assert largest_remainder(100, [1, 1, 1]) == [34, 33, 33]  # 33.33 each: the 1 unit left to the first
    # exact 1.5, 2.5, 6: floors 1, 2, 6 (9); one unit left, tie on .5 -> the earlier
    assert largest_remainder(10, [0.15, 0.25, 0.6]) == [2, 2, 6]
    # exact 2.6, 3.9, 3.5: floors 2, 3, 3 (8); two units: .9 then .6
    assert largest_remainder(10, [0.26, 0.39, 0.35]) == [3, 4, 3]


def test_phasing_sums_exactly_with_the_remainder_on_the_first_months():
    objectives = Objectives(2026, revenue=1000)
    phasing = phase_objective(objectives, _monthly([5.0] * 12), SimpleNamespace(fiscal_year_start_month=1))
    # 1000 / 12 = 83.33: every month 83 (996), the 4 units left to the first four months (ties: earlier)
    assert phasing["revenue_target"].tolist() == [84] * 4 + [83] * 8
    assert int(phasing["revenue_target"].sum()) == 1000
    assert phasing["share"].tolist() == pytest.approx([1 / 12] * 12)
    assert phasing["quarter"].tolist() == ["2026-Q1"] * 3 + ["2026-Q2"] * 3 + ["2026-Q3"] * 3 + ["2026-Q4"] * 3


def test_phasing_follows_seasonality_and_the_fiscal_year():
    # Fiscal year starting in April: fiscal 2027 runs from April 2026 to March 2027.
    baseline = [100.0] * 11 + [200.0]  # 1300, the last month (March) twice the others
    objectives = Objectives(2027, revenue_growth=0.1)
    phasing = phase_objective(
        objectives, _monthly(baseline, date(2025, 4, 1)), SimpleNamespace(fiscal_year_start_month=4)
    )
    assert phasing["month"].iloc[0] == pd.Timestamp("2026-04-01")
    assert phasing["month"].iloc[-1] == pd.Timestamp("2027-03-01")
    assert phasing["quarter"].iloc[0] == "2027-Q1" and phasing["quarter"].iloc[-1] == "2027-Q4"
    # 1300 x 1.1 = 1430: 110 a month, 220 in March
    assert phasing["revenue_target"].tolist() == [110] * 11 + [220]
    assert phasing["share"].iloc[-1] == pytest.approx(200 / 1300)


def test_phasing_needs_a_covered_baseline_year():
    from strategy_kit.errors import UnavailableError

    with pytest.raises(UnavailableError, match="12 months of fiscal year 2025"):
        phase_objective(
            Objectives(2026, revenue_growth=0.1),
            _monthly([1.0] * 11 + [float("nan")]),
            SimpleNamespace(fiscal_year_start_month=1),
        )


# --------------------------------------------------------------------------- reverse funnel


RATES = FunnelRates(
    period=Period("2025", date(2025, 1, 1), date(2025, 12, 31), "range"),
    avg_deal_size=1000.0,
    won_value_ratio=0.8,
    conversions={"first": 0.5, "second": 0.25},
    lead_to_deal_rate=0.2,
    activities_per_advance={
        "second": {"call": 2.0, "email": 1.0},
        "first": {"call": 4.0, "email": 0.0},
        "lead": {"call": 1.0, "email": 3.0},
    },
)
ONE_MONTH = pd.DataFrame({"month": [pd.Timestamp("2026-01-01")], "quarter": ["2026-Q1"], "revenue_target": [12500]})


def test_reverse_funnel_each_step_by_hand():
    funnel = reverse_funnel(ONE_MONTH, RATES).set_index("step")
    assert list(funnel.index) == ["won", "second", "first", "lead"]
    # won value 12 500 x 0.8 = 10 000; / 1 000 = 10 deals to win
    assert funnel.loc["won", "objective"] == pytest.approx(10)
    # entering "second" = 10 / 0.25 = 40; means: the 10 deals advancing from it x 2 calls, x 1 email
    assert funnel.loc["second", "objective"] == pytest.approx(40)
    assert (funnel.loc["second", "calls"], funnel.loc["second", "emails"]) == pytest.approx((20, 10))
    # entering "first" (new deals) = 40 / 0.5 = 80; 40 advancing x 4 calls
    assert funnel.loc["first", "objective"] == pytest.approx(80)
    assert (funnel.loc["first", "calls"], funnel.loc["first", "emails"]) == pytest.approx((160, 0))
    # new leads = 80 / 0.2 = 400; the 80 leads becoming deals x 1 call, x 3 emails
    assert funnel.loc["lead", "objective"] == pytest.approx(400)
    assert (funnel.loc["lead", "calls"], funnel.loc["lead", "emails"]) == pytest.approx((80, 240))


def test_conversion_variant_instead_of_volume():
    variant = funnel_variant(ONE_MONTH, RATES, "second", 25).set_index("step")
    # "second" converts 50 % instead of 25 %: 20 deals enter it, 40 new deals, 200 leads
    assert variant.loc["won", "variant"] == pytest.approx(10) and variant.loc["won", "change"] == pytest.approx(0)
    assert variant.loc["second", "variant"] == pytest.approx(20)
    assert variant.loc["first", "variant"] == pytest.approx(40)
    assert variant.loc["lead", "variant"] == pytest.approx(200)
    assert variant.loc["lead", "change"] == pytest.approx(-0.5)
    # calls: base 20 + 160 + 80 = 260; variant 10 x 2 + 20 x 4 + 40 x 1 = 140
    assert (variant.loc["calls", "base"], variant.loc["calls", "variant"]) == pytest.approx((260, 140))
    with pytest.raises(ValueError, match="not an open stage"):
        RATES.improved("won", 5)
    assert RATES.improved("first", 80).conversions["first"] == 1.0  # capped at 100 %


# --------------------------------------------------------------------------- status rules


def test_status_rules():
    assert (ON_TRACK_LAG, AT_RISK_LAG) == (0.10, 0.25)
    assert status_of(0.45, 0.5) == "on_track"  # 5 % of the way behind
    assert status_of(0.40, 0.5) == "on_track"  # 10 %: still on track
    assert status_of(0.30, 0.5) == "at_risk"  # 20 %
    assert status_of(0.20, 0.5) == "off_track"  # 30 %
    assert status_of(1.30, 0.5) == "on_track"  # ahead
    assert status_of(None, 0.5) == "no_data"
    assert progress_of(0.9, 0.8, 1.0) == pytest.approx(0.5)
    assert progress_of(8, 10, 5) == pytest.approx(0.4)  # a KPI to bring down: 2 of the 5 points
    assert progress_of(None, 10, 5) is None
    # 1 January to 31 December 2026 (365 days): at the end of 30 June, 181 days elapsed
    assert elapsed_of(date(2026, 6, 30), date(2026, 1, 1), date(2026, 12, 31)) == pytest.approx(181 / 365)


# --------------------------------------------------------------------------- bad inputs


def _bad(**change):
    entry = {**GOOD["intermediate"][0], **change}
    return {**GOOD, "intermediate": [entry]}


@pytest.mark.parametrize(
    "raw, message",
    [
        (_bad(kpi="meetings_booked"), r"intermediate #1 \(meetings_booked\): unknown KPI id 'meetings_booked'"),
        (_bad(target=-2, kind="absolute"), r"intermediate #1 \(meetings_held\): negative target -2"),
        (_bad(deadline="2025-12-01"), r"intermediate #1 \(meetings_held\): deadline 2025-12-01 is not after start"),
        (_bad(owner="Inconnu"), r"intermediate #1 \(meetings_held\): owner 'Inconnu' is not a rep in the data"),
        ({**GOOD, "revenue": 10}, "either revenue_growth .* or revenue"),
        ({**GOOD, "revenue_growth": None, "revenue": -5}, "revenue: negative target"),
    ],
)
def test_bad_inputs_name_the_file_and_the_entry(raw, message):
    with pytest.raises(ConfigError, match=message) as caught:
        Objectives.from_dict(raw, "data/demo/inputs/objectives.yml", kpis=KPIS, owners=OWNERS)
    assert str(caught.value).startswith("data/demo/inputs/objectives.yml: ")


def test_round_trip():
    objectives = Objectives.from_dict(GOOD, kpis=KPIS, owners=OWNERS)
    assert Objectives.from_dict(objectives.to_dict(), kpis=KPIS, owners=OWNERS) == objectives
    assert objectives.intermediate[0].start == date(2026, 1, 1)


# --------------------------------------------------------------------------- the demo, end to end


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("objectives")
    from strategy_kit.workspace import Workspace

    workspace = Workspace(root)
    build_demo(workspace)
    import_client(workspace, "demo")
    return workspace, load_sales_data(workspace, "demo")


def _between(stamps: pd.Series, start: str, end: str) -> pd.Series:
    return (stamps >= pd.Timestamp(start)) & (stamps < pd.Timestamp(end))


def test_demo_objectives_cli_json(demo, capsys):
    workspace, data = demo
    assert (
        main(["--workspace", str(workspace.root), "objectives", "demo", "--period", "2026-Q3", "--format", "json"]) == 0
    )
    result = json.loads(capsys.readouterr().out)
    revenue = data.tables["revenue"]
    baseline = revenue.loc[_between(revenue["date"], "2025-01-01", "2026-01-01"), "amount"].sum()
    target = int(baseline * 1.15 + 0.5)
    assert result["baseline_revenue"] == pytest.approx(baseline)
    assert result["revenue_target"] == target
    assert sum(m["revenue_target"] for m in result["phasing"]) == target
    july = revenue.loc[_between(revenue["date"], "2025-07-01", "2025-08-01"), "amount"].sum()
    assert result["phasing"][6]["share"] == pytest.approx(july / baseline)

    ytd = {row["scope"]: row for row in result["attainment"]}["ytd"]
    assert ytd["actual"] == pytest.approx(
        revenue.loc[_between(revenue["date"], "2026-01-01", "2026-10-01"), "amount"].sum()
    )
    assert ytd["target"] == sum(m["revenue_target"] for m in result["phasing"][:9])

    meetings = [t for t in result["intermediate"] if t["kpi"] == "meetings_held"][0]
    acts = data.tables["activities"]
    held = acts[acts["type"].astype(str) == "meeting"]
    start_level = _between(held["at"], "2025-10-01", "2026-01-01").sum() / 3
    assert meetings["start_level"] == pytest.approx(start_level)
    assert meetings["target_level"] == pytest.approx(start_level * 1.3)
    september = [m for m in meetings["months"] if m["month"] == "2026-09-01"][0]
    assert september["actual"] == _between(held["at"], "2026-09-01", "2026-10-01").sum()
    assert meetings["status"] in ("on_track", "at_risk", "off_track")

    funnel = pd.DataFrame(result["funnel"])
    won = funnel[funnel["step"] == "won"]["objective"].sum()
    rates = result["assumptions"]
    assert won == pytest.approx(target * rates["won_value_ratio"] / rates["avg_deal_size"])


def test_demo_objectives_cli_table_and_bad_file(demo, capsys):
    workspace, _ = demo
    root = str(workspace.root)
    assert main(["--workspace", root, "objectives", "demo", "--period", "2026-Q3", "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "Objective for fiscal 2026" in out and "Year-end projection" in out and "Team attainment" in out

    path = workspace.client("demo").inputs / "objectives.yml"
    good = path.read_bytes()
    bad = yaml.safe_load(good)
    bad["intermediate"][0]["kpi"] = "calls_per_day"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    try:
        assert main(["--workspace", root, "objectives", "demo", "--period", "2026-Q3"]) == 2
        error = capsys.readouterr().err
        assert str(path) in error and "intermediate #1 (calls_per_day): unknown KPI id" in error
    finally:
        path.write_bytes(good)


def test_notebook_renders_on_the_demo(demo):
    """One render (it starts a kernel): notebook 06 on the demo client, in French."""
    from strategy_kit.report import render_report

    workspace, _ = demo
    pdf = render_report(workspace, "demo", period="2026-Q3", notebooks=["objectives"], keep_html=True)
    assert pdf.exists() and pdf.stat().st_size > 10_000
    page = pdf.with_suffix(".html").read_text(encoding="utf-8")
    for text in (
        "Objectifs commerciaux",
        "Objectif mensuel et trimestriel",
        "entonnoir inversé",
        "Objectifs de moyens",
        "Hypothèses (exercice 2025)",
        "Objectifs intermédiaires",
        "Réalisation de l'équipe",
        "Projection de fin d'exercice",
        "Objectifs par commercial",
    ):
        assert text in page, text
    assert "Traceback" not in page and "Non disponible" not in page and "Sales objectives" not in page


# --------------------------------------------------------------------------- words: reasons and labels


def test_unavailable_reasons_are_whole_sentences_in_each_language():
    from strategy_kit.analytics.objectives import StageUnavailable
    from strategy_kit.analytics.objectives_tracking import team_attainment
    from strategy_kit.errors import UnavailableError

    fy = SimpleNamespace(fiscal_year_start_month=1)
    with pytest.raises(UnavailableError) as short:
        phase_objective(Objectives(2026, revenue_growth=0.1), _monthly([1.0] * 11), fy)
    assert short.value.key == "objectives.unavailable.baseline_year"
    assert short.value.reason("fr").startswith(
        "les données ne couvrent pas les 12 mois de l'exercice 2025, la référence de l'objectif de l'exercice 2026 : "
    )
    with pytest.raises(UnavailableError) as empty:
        phase_objective(Objectives(2026, revenue_growth=0.1), _monthly([0.0] * 12), fy)
    assert empty.value.reason("fr").startswith("aucun chiffre d'affaires sur l'exercice 2025 : ")
    assert str(empty.value).startswith("no revenue in fiscal year 2025: ")

    # The period 2027-Q1 ends after the objective's fiscal year 2026 (checked before any KPI is read).
    phasing = phase_objective(Objectives(2026, revenue=1200), _monthly([1.0] * 12), fy)
    with pytest.raises(UnavailableError) as outside:
        team_attainment(phasing, Period("2027-Q1", date(2027, 1, 1), date(2027, 3, 31), "quarter"), engine=None)
    assert outside.value.reason("fr") == (
        "la période du 01/01/2027 au 31/03/2027 ne se termine pas dans l'exercice "
        "2026 de l'objectif (du 01/01/2026 au 31/12/2026)"
    )
    assert "fiscal year 2026" in outside.value.reason("en")

    # A stage's name is the client's, in the reason's language.
    stage = StageUnavailable(
        "objectives.unavailable.stage_conversion",
        {"fr": "Proposition", "en": "Proposal"},
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )
    assert stage.reason("fr").startswith(
        "la conversion de l'étape « Proposition » entre le 01/01/2025 et le 31/12/2025 est nulle"
    )
    assert "stage 'Proposal'" in str(stage)


def test_narrative_writes_quarters_months_and_plurals():
    from strategy_kit.analytics.objectives_tracking import Attainment
    from strategy_kit.narrative.objectives import attainment_table, phasing_table, projection_finding

    phasing = phase_objective(
        Objectives(2026, revenue=1200), _monthly([1.0] * 12), SimpleNamespace(fiscal_year_start_month=1)
    )
    assert phasing_table(phasing, "fr").frame["quarter"].tolist()[6:9] == ["T3 2026"] * 3
    assert phasing_table(phasing, "en").frame["quarter"].iloc[0] == "Q1 2026"
    assert phasing["quarter"].iloc[6] == "2026-Q3"  # the analytics keep the language-free label

    rows = [
        ("month", date(2026, 8, 1), date(2026, 8, 31)),
        ("quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("ytd", date(2026, 1, 1), date(2026, 8, 31)),
    ]
    table = pd.DataFrame(
        [
            {"scope": s, "label": "", "start": a, "end": b, "actual": 1.0, "target": 1, "attainment": 1.0}
            for s, a, b in rows
        ]
    )
    # Projection by hand: ytd 800 + run rate 100 x 1 month left = 900; with the pipeline 800 + 300 = 1100;
    # the mean 1000, of the 1200 target.
    attainment = Attainment(800.0, 100.0, 1, 300.0, 900.0, 1100.0, 1000.0, 1200, table=table)
    assert attainment_table(attainment, "fr").frame["scope"].tolist() == [
        "Mois d'août 2026",
        "T3 2026",
        "Exercice 2026 à date",
    ]
    assert attainment_table(attainment, "en").frame["scope"].tolist() == [
        "Month of August 2026",
        "Q3 2026",
        "Fiscal 2026 to date",
    ]
    french = projection_finding(attainment, "fr").text.replace("\u202f", " ").replace("\xa0", " ")
    assert "× 1 mois restant)" in french and "1 000 € (83,3 % de l'objectif de 1 200 €)" in french
    assert "× 1 month left)" in projection_finding(attainment, "en").text
