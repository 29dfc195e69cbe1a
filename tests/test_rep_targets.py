"""Per-rep targets, realism and scorecards on a hand-built team; every expected number was worked out
by hand from the rows below (the comments say how)."""

from __future__ import annotations

import html
from datetime import date

import pandas as pd
import pytest

from strategy_kit.analytics import rep_targets as rt
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.i18n import format_currency, label
from strategy_kit.narrative import rep_targets as say
from strategy_kit.periods import parse_period
from strategy_kit.report.scorecards import scorecard_html

# The plan starts in January 2026, so the history is January to December 2025.
# Ana: one won deal a month, January to June 2025: 1000..6000 -> 6 months, baseline 21000 / 6 = 3500,
#      P90 (linear, n = 6): position 0.9 x 5 = 4.5 -> 5000 + 0.5 x 1000 = 5500.
# Ben: 1500 a month, July to December 2025 -> 6 months, baseline 1500, P90 1500, best 1500.
# Cleo: one won deal of 2000 in December 2025 -> 1 month of history (new rep), tenure from December.
# Dana: in the reps table only, started on 2026-01-05: no history.
DEALS = (
    [(f"A{m}", "Ana", "won", 1000.0 * m, f"2025-{m:02d}-03", f"2025-{m:02d}-20") for m in range(1, 7)]
    + [(f"B{m}", "Ben", "won", 1500.0, f"2025-{m:02d}-03", f"2025-{m:02d}-20") for m in range(7, 13)]
    + [("C1", "Cleo", "won", 2000.0, "2025-12-01", "2025-12-10")]
    # The plan's months: Ana wins 4000 in January and 3000 in February, Ben 1500 in February.
    + [
        ("N1", "Ana", "won", 4000.0, "2026-01-05", "2026-01-25"),
        ("N2", "Ana", "won", 3000.0, "2026-02-02", "2026-02-20"),
        ("N3", "Ben", "won", 1500.0, "2026-02-02", "2026-02-21"),
    ]
)
# Ana: two outbound calls and one outbound email in each of her months -> 12 calls and 6 emails for
# 6 won deals: 2 calls and 1 email per won deal.
ACTIVITIES = [(f"c{m}{k}", "Ana", "call", f"2025-{m:02d}-1{k} 10:00") for m in range(1, 7) for k in (1, 2)] + [
    (f"e{m}", "Ana", "email", f"2025-{m:02d}-15 10:00") for m in range(1, 7)
]

# Team targets. Weights (median of the established baselines: (3500 + 1500) / 2 = 2500):
#   Jan: Ana 3500, Ben 1500, Cleo 0.75 x 2500 = 1875 (2nd month of tenure), Dana 0.5 x 2500 = 1250 -> 8125
#   Feb: 3500, 1500, Cleo 1.0 x 2500 = 2500, Dana 0.75 x 2500 = 1875 -> 9375
#   Mar: 3500, 1500, 2500, 2500 -> 10000;  Apr: the same.
TEAM = pd.DataFrame(
    {
        "month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]),
        "revenue_target": [8126, 9377, 10000, 10004],
    }
)
# Jan 8126: exact 3500.43, 1500.18, 1875.23, 1250.15 -> floors sum 8125, the unit left to Ana (.43).
# Feb 9377: exact 3500.75, 1500.32, 2500.53, 1875.40 -> floors 9375, 2 left: Ana (.75), Cleo (.53).
# Mar 10000: exact.   Apr 10004: exact 3501.4, 1500.6, 2501.0, 2501.0 -> floors 10003, 1 left: Ben (.6).
EXPECTED = {
    "Ana": [3501, 3501, 3500, 3501],
    "Ben": [1500, 1500, 1500, 1501],
    "Cleo": [1875, 2501, 2500, 2501],
    "Dana": [1250, 1875, 2500, 2501],
}
Q1 = parse_period("2026-Q1")


def make_data(language: str = "en") -> SalesData:
    deals = pd.DataFrame(DEALS, columns=["deal_id", "owner", "status", "value", "created_at", "closed_at"])
    for column in ("created_at", "closed_at"):
        deals[column] = pd.to_datetime(deals[column])
    deals["deal_id"] = deals["deal_id"].astype("string")
    for column in ("owner", "status"):
        deals[column] = deals[column].astype("category")
    activities = pd.DataFrame(ACTIVITIES, columns=["activity_id", "owner", "type", "at"])
    activities["at"] = pd.to_datetime(activities["at"])
    activities["activity_id"] = activities["activity_id"].astype("string")
    for column in ("owner", "type"):
        activities[column] = activities[column].astype("category")
    activities["direction"] = pd.Categorical(["outbound"] * len(activities))
    reps = pd.DataFrame(
        {"owner": ["Ana", "Ben", "Cleo", "Dana"], "start_date": pd.to_datetime([None, None, None, "2026-01-05"])}
    )
    config = ClientConfig(client="acme", display_name="Acme", language=language, data_cutoff=date(2026, 2, 28))
    return SalesData(config, {"deals": deals, "activities": activities, "reps": reps})


@pytest.fixture(scope="module")
def targets() -> rt.RepTargets:
    return rt.rep_targets(make_data(), Q1, TEAM)


@pytest.fixture(scope="module")
def cards(targets) -> dict[str, rt.Scorecard]:
    return {card.owner: card for card in rt.scorecards(make_data(), Q1, targets)}


def test_apportion_adds_up_and_breaks_ties_by_name():
    assert rt.apportion(10, [1, 1, 1], ["b", "a", "c"]) == [3, 4, 3]  # 3.33 each, the unit left to "a"
    assert rt.apportion(7, [0, 0], ["x", "y"]) == [4, 3]  # no weight: equal shares, 3.5 each, tie -> x
    assert rt.apportion(100, [1, 3], ["x", "y"]) == [25, 75]


def test_demanded_percentile_at_and_around_p90():
    months = [1000, 2000, 3000, 4000, 5000, 6000]
    assert rt.demanded_percentile(5500, months) == pytest.approx(90.0)  # the P90 itself
    assert rt.demanded_percentile(5501, months) == pytest.approx(100 * (4 + 501 / 1000) / 5)  # 90.02
    assert rt.demanded_percentile(5499, months) == pytest.approx(100 * (4 + 499 / 1000) / 5)  # 89.98
    assert rt.demanded_percentile(3500, months) == pytest.approx(50.0)
    assert rt.demanded_percentile(900, months) == 0.0
    assert rt.demanded_percentile(6001, months) == 100.0
    assert rt.demanded_percentile(100, []) is None


def test_scaled_targets_add_up_to_the_team_exactly(targets):
    table = targets.table
    assert list(targets.owners) == ["Ana", "Ben", "Cleo", "Dana"]
    for owner, expected in EXPECTED.items():
        assert targets.rep(owner)["revenue_target"].tolist() == expected
    sums = table.groupby("month")["revenue_target"].sum().tolist()
    assert sums == TEAM["revenue_target"].tolist()
    assert table["revenue_target"].dtype == "int64"
    ana = targets.rep("Ana").iloc[0]
    assert ana["baseline_monthly"] == pytest.approx(3500.0) and ana["months_of_history"] == 6 and not ana["ramp"]
    assert ana["share"] == pytest.approx(3501 / 8126)


def test_ramp_rule(targets):
    cleo, dana = targets.rep("Cleo"), targets.rep("Dana")
    assert cleo["ramp"].all() and dana["ramp"].all()
    assert cleo["ramp_factor"].tolist() == [0.75, 1.0, 1.0, 1.0]  # tenure from December 2025
    assert dana["ramp_factor"].tolist() == [0.5, 0.75, 1.0, 1.0]  # started in January 2026
    assert cleo["months_of_history"].iloc[0] == 1 and dana["months_of_history"].iloc[0] == 0
    assert "50% / 75% / 100% of the established reps' median" in say.rule_text(targets, "en")
    assert "fewer than 6 months" in say.rule_text(targets, "en")
    assert "50 % / 75 % / 100 %" in say.rule_text(targets, "fr").replace("\u202f", " ").replace("\xa0", " ")
    assert "montée en charge" in say.rule_text(targets, "fr")


def test_realism_flags_and_realistic_total(targets):
    table = targets.table.set_index(["owner", targets.table["month"].map(lambda d: d.month)])
    # Ben's P90 is 1500: 1500 is at the P90 (realistic), 1501 (April) above it.
    assert not table.loc[("Ben", 1), "unrealistic"] and table.loc[("Ben", 1), "p90"] == 1500
    assert table.loc[("Ben", 4), "unrealistic"] and table.loc[("Ben", 4), "percentile"] == 100.0
    assert table.loc[("Ben", 4), "reason"] == "above_best"
    english = say.reasons(targets, "en").set_axis(table.index)
    # Ben has 6 months of history; 1501 above his best month 1500 (his P90 too).
    assert english[("Ben", 4)] == (
        "€1,501 is above the rep's best month (€1,500) in 6 months of history, from January 2025 to December"
        " 2025 (90% of the rep's months do not exceed €1,500)"
    )
    # Ana: 3501 between her 3rd (3000) and 4th (4000) months: position 2.501 of 5.
    assert table.loc[("Ana", 1), "percentile"] == pytest.approx(100 * 2.501 / 5)
    assert not table[table.index.get_level_values(0) == "Ana"]["unrealistic"].any()
    # Cleo (one month of 2000): 1875 is within it, 2501 and 2500 are not.
    assert [table.loc[("Cleo", m), "unrealistic"] for m in (1, 2, 3, 4)] == [False, True, True, True]
    # Dana has no history: no percentile, never flagged, with the reason.
    assert table.loc[("Dana", 2), "percentile"] is None or pd.isna(table.loc[("Dana", 2), "percentile"])
    assert not table.loc[("Dana", 2), "unrealistic"] and table.loc[("Dana", 2), "reason"] == "no_history"
    assert "No history" in english[("Dana", 2)]
    # Realistic: each target capped at the rep's P90 (Ben 1500, Cleo 2000, Ana 5500; Dana as is).
    # Jan 8126; Feb 3501 + 1500 + 2000 + 1875 = 8876; Mar 3500 + 1500 + 2000 + 2500 = 9500;
    # Apr 3501 + 1500 + 2000 + 2501 = 9502.
    assert targets.team["realistic"].tolist() == pytest.approx([8126, 8876, 9500, 9502])
    assert targets.realistic_total == 36004 and targets.objective_total == 37507
    assert format_currency(36004, "fr", "EUR") in say.realistic_finding(targets, "fr").text
    french = say.reasons(targets, "fr")
    ben_april = (targets.table["owner"] == "Ben") & (targets.table["month"] == date(2026, 4, 1))
    assert "meilleur mois" in french[ben_april].iloc[0]


def test_scorecard_figures(cards):
    ana, ben, dana = cards["Ana"], cards["Ben"], cards["Dana"]
    # Actuals to the end of February (the data's cut-off): Ana 4000 + 3000 against 3501 + 3501.
    assert ana.cutoff == date(2026, 2, 28)
    assert ana.months["actual"].tolist()[:2] == [4000.0, 3000.0] and pd.isna(ana.months["actual"].iloc[2])
    assert ana.target_to_date == 7002 and ana.actual_to_date == 7000.0
    assert ana.attainment == pytest.approx(7000 / 7002)
    assert ana.target_total == 3501 + 3501 + 3500 + 3501
    # Trend, Dec-Feb against Sep-Nov: Ana 0 -> 7000 (up); Ben 4500 -> 3000 (-33 %, down).
    assert ana.trend == "up"
    assert ben.trend == "down" and ben.trend_change == pytest.approx(3000 / 4500 - 1)
    # Means: Ana's own average won deal 3500, 2 calls and 1 email per won deal.
    assert ana.means_source == "own" and ana.avg_deal_size == pytest.approx(3500.0)
    assert ana.months["calls_needed"].iloc[0] == pytest.approx(3501 / 3500 * 2)
    assert ana.months["emails_needed"].iloc[2] == pytest.approx(1.0)
    # Dana has no history: the team's ratios, 32000 / 13 per deal, 12 calls / 13 deals.
    assert dana.means_source == "team" and dana.avg_deal_size == pytest.approx(32000 / 13)
    assert dana.months["calls_needed"].iloc[0] == pytest.approx(1250 / (32000 / 13) * 12 / 13)
    assert cards["Cleo"].means_source == "team"  # on the ramp rule: the team's ratios, not its one deal
    assert cards["Cleo"].unrealistic_months == 3 and ana.unrealistic_months == 0


def test_scorecard_html_in_french_and_english(cards):
    english = html.unescape(scorecard_html(cards["Cleo"], "en", "EUR"))
    assert "sk-page-break" in english and "Scorecard: Cleo" in english
    assert "unrealistic: 3 of 4 months" in english
    # The method, a footnote in small type: the ramp rule over the history it was read on.
    assert '<p class="sk-note">Ramp rule: fewer than 6 months of history from January 2025 to December 2025;' in english
    # Cleo's one month of history: P90 and best month 2000; February to April above it.
    assert (
        "above €2,000, which 90% of the rep's months do not exceed (best month: €2,000; months of history from"
        " January 2025 to December 2025: 1)" in english
    )
    assert "Feb 2026, Mar 2026, Apr 2026." in english
    french = html.unescape(scorecard_html(cards["Ana"], "fr", "EUR"))
    assert "Tableau de bord d'Ana" in french and "réaliste : aucun objectif" in french
    assert "irréaliste :" not in french
    assert format_currency(3501, "fr", "EUR") in french and label("scorecard.column.calls", "fr") in french
    assert "Objectifs de moyens" in french and "en hausse" in french


def test_the_scorecard_counts_the_rep_s_overdue_follow_ups_when_any_rule_was_checked(cards):
    import dataclasses

    from strategy_kit.analytics.followups import followup_exceptions

    # make_data has no stage, no leads and no deal on its activities: no rule can be checked, so the
    # scorecard says nothing rather than "none".
    unchecked = followup_exceptions(make_data())
    assert unchecked.checked == ()
    assert "Relances en retard" not in html.unescape(scorecard_html(cards["Ana"], "fr", late=unchecked))
    # Every rule checked; Ana has two idle deals worth 1,500, Ben nothing.
    per_rep = pd.DataFrame({"owner": ["Ana"], "stale_deal": [2], "total": [2], "value_at_risk": [1500.0]})
    checked = dataclasses.replace(unchecked, unavailable={}, per_rep=per_rep)
    ana = html.unescape(scorecard_html(cards["Ana"], "fr", late=checked))
    assert (
        "<tr><th>Relances en retard au 28/02/2026</th>"
        "<td>2 (2 affaires sans activité), sur des affaires qui pèsent 1\u202f500\u00a0€</td></tr>" in ana
    )
    assert "<th>Overdue follow-ups as of 28 Feb 2026</th><td>none</td>" in html.unescape(
        scorecard_html(cards["Ben"], "en", late=checked)
    )


def test_bad_team_target_is_explained():
    bad = pd.DataFrame({"month": pd.to_datetime(["2026-01-01"]), "revenue_target": [-5]})
    with pytest.raises(rt.RepTargetsError, match="whole, non-negative"):
        rt.rep_targets(make_data(), Q1, bad)
    with pytest.raises(rt.RepTargetsError, match="missing: revenue_target"):
        rt.rep_targets(make_data(), Q1, pd.DataFrame({"month": []}))


def test_slugify():
    assert rt.slugify("Élise Martin") == "elise-martin" and rt.slugify("***") == "rep"


# A tiny client for the command: Ana wins 1000 every month of 2025, Élise 500 from July 2025; the
# objective for 2026 is +10 % on 2025, phased by the months of 2025.
TINY = "ID,Status,Stage,Amount,Created,Closed,Owner\n" + "".join(
    [f"A{m},Won,won,1000,2025-{m:02d}-02,2025-{m:02d}-15,Ana\n" for m in range(1, 13)]
    + [f"E{m},Won,won,500,2025-{m:02d}-02,2025-{m:02d}-16,Élise\n" for m in range(7, 13)]
    + ["N1,Won,won,1200,2026-01-05,2026-01-20,Ana\n", "N2,Open,proposal,900,2026-03-02,,Élise\n"]
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from strategy_kit.cli import main

    root = tmp_path_factory.mktemp("ws")
    raw = root / "exports"
    raw.mkdir()
    (raw / "deals.csv").write_text(TINY, encoding="utf-8")
    assert main(["--workspace", str(root), "new-client", "tiny", "--raw", str(raw), "--language", "fr"]) == 0
    assert main(["--workspace", str(root), "import", "tiny"]) == 0
    return root


def test_scorecards_command_writes_one_pdf_per_rep(tiny, capsys):
    from strategy_kit.cli import main

    assert main(["--workspace", str(tiny), "scorecards", "tiny", "--period", "2026-Q1"]) == 2
    assert "objectives" in capsys.readouterr().err  # nothing to share yet
    (tiny / "data" / "tiny" / "inputs" / "objectives.yml").write_text(
        "year: 2026\nrevenue_growth: 0.1\n", encoding="utf-8"
    )
    assert main(["--workspace", str(tiny), "scorecards", "tiny", "--period", "2026-Q1"]) == 0
    folder = tiny / "reports" / "tiny" / "2026-Q1" / "scorecards"
    printed = capsys.readouterr().out.split()
    assert printed == [str(folder / "ana.pdf"), str(folder / "elise.pdf")]
    assert sorted(p.name for p in folder.iterdir()) == ["ana.pdf", "elise.pdf"]  # no temporary left
    for name in ("ana.pdf", "elise.pdf"):
        assert (folder / name).read_bytes()[:5] == b"%PDF-"
    # Each rep's PDF is one page titled with the rep's name, not a cover with the company's alone.
    from pypdf import PdfReader

    pages = PdfReader(folder / "ana.pdf").pages
    assert len(pages) == 1
    assert pages[0].extract_text().splitlines()[1] == "Tableau de bord d'Ana"  # the client is French


def test_tables_for_the_notebook(targets):
    from strategy_kit.report.notebook import table_html

    summary = say.targets_table(targets, "en")
    frame = summary.frame.set_index("owner")
    assert frame.loc["Ana", "revenue_target"] == 3501 * 3 + 3500
    assert frame.loc["Dana", "ramp"] == "yes" and frame.loc["Ben", "unrealistic"] == 1
    assert frame.loc["Ana", "share"] == pytest.approx(14003 / 37507)
    assert "Highest demand (% of the rep's months)" in html.unescape(
        table_html(summary.frame, "en", columns=summary.columns, kinds=summary.kinds)
    )
    team = say.team_table(targets)
    assert "Plan réaliste" in table_html(team.frame, "fr", columns=team.columns, kinds=team.kinds)


def test_reasons_agree_with_their_numbers_in_each_language(targets):
    table = targets.table.set_index(["owner", targets.table["month"].map(lambda d: d.month)])
    english = say.reasons(targets, "en").set_axis(table.index)
    french = say.reasons(targets, "fr").set_axis(table.index)
    # Cleo has one month of history (2000, her P90 and best month); February's 2501 is above it.
    assert (
        english[("Cleo", 2)]
        == "€2,501 is above the rep's best month (€2,000) in 1 month of history, from January 2025 to December 2025"
        " (90% of the rep's months do not exceed €2,000)"
    )
    assert french[("Cleo", 2)].replace("\u202f", " ").replace("\xa0", " ") == (
        "2 501 € dépasse son meilleur mois (2 000 €) sur 1 mois d'historique, de janvier 2025 à décembre 2025"
        " (90 % de ses mois ne dépassent pas 2 000 €)"
    )
    findings = say.rep_reason_findings(targets, "fr")
    assert [f.subject for f in findings] == ["Ben", "Cleo", "Dana"]  # Ana: every target realistic
    assert findings[2].text == (
        "Dana n'a pas d'historique : son objectif suit la règle de montée en charge, sans contrôle de réalisme"
    )


def test_no_rep_to_give_targets_to_is_said_in_each_language():
    from strategy_kit.errors import UnavailableError

    # One deal, long before the history window (2025), and no reps table: nobody has history.
    deals = pd.DataFrame(
        {
            "deal_id": pd.Series(["X1"], dtype="string"),
            "owner": pd.Categorical(["Ana"]),
            "status": pd.Categorical(["won"]),
            "value": [100.0],
            "created_at": pd.to_datetime(["2020-01-02"]),
            "closed_at": pd.to_datetime(["2020-01-10"]),
        }
    )
    config = ClientConfig(client="acme", display_name="Acme", language="fr", data_cutoff=date(2026, 2, 28))
    with pytest.raises(UnavailableError) as caught:
        rt.rep_targets(SalesData(config, {"deals": deals}), Q1, TEAM)
    assert caught.value.key == "rep_targets.unavailable.no_reps"
    assert caught.value.reason("fr").startswith(
        "le client acme n'a aucun commercial avec des affaires ou des activités"
    )
    assert str(caught.value).startswith("client acme has no rep with deals or activities")


def test_each_section_names_the_history_window_it_uses(targets, cards):
    # The plan starts in January 2026: the targets' history is January to December 2025, named in
    # the rule, in the reasons and on the scorecard; the scorecard's pointers use the 12 months to the
    # cut-off (2026-02-28: March 2025 to February 2026).
    assert "12 mois précédant le plan (de janvier 2025 à décembre 2025)" in say.rule_text(targets, "fr")
    ana = say.scorecard_page(cards["Ana"], "fr")
    assert dict(ana.summary)["Réalisme"] == (
        "réaliste : aucun objectif mensuel n'exige mieux que 90 % de ses mois d'historique (de janvier 2025 à décembre 2025)"
    )
    assert "avec sa propre affaire moyenne gagnée de janvier 2025 à décembre 2025" in ana.notes[-1]
    # Ana closed 6 deals from 01/03/2025 to 28/02/2026 (A3..A6 and the plan's N1, N2; A2 closed on
    # 2025-02-20): enough for pointers, whose method is a footnote in small type. Her average won deal
    # there: (3000 + 4000 + 5000 + 6000 + 4000 + 3000) / 6.
    assert cards["Ana"].help is not None and cards["Ana"].help.closed == 6
    assert cards["Ana"].help.deal_size == 25000 / 6
    assert ana.footnotes[0].startswith("Pistes de mars 2025 à février 2026 :")
    page = scorecard_html(cards["Ana"], "fr")
    assert '<p class="sk-note">Pistes de mars 2025' in page and "<h3>Ce qui l&#x27;aiderait</h3><ul><li>" in page


def test_the_rep_baselines_name_their_own_twelve_months():
    # The rep baselines (notebook 05) count a rep's months over the baseline's twelve months, which
    # differ from the targets' (the year before the plan): the note names them.
    note = label("baseline.reps.note", "fr", min="6", start=date(2025, 7, 1), end=date(2026, 6, 30))
    assert "sur les douze mois de la référence (juil. 2025 – juin 2026)" in note.replace("\u202f", " ")
    english = label("baseline.reps.note", "en", min="6", start=date(2025, 7, 1), end=date(2026, 6, 30))
    assert "over the twelve months of the baseline (Jul 2025 – Jun 2026)" in english
