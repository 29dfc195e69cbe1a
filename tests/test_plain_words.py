"""The report's body speaks a sales director's words; the statistics are in the appendix.

Issue 10, "Plain words; statistics in the appendix": the texts and table headers of the time in
stage, the lead qualification, the win score and its check, the segmentation tables and the reps'
targets and scorecards name no statistic ("P90", "IC 95 %", "Wilson", "Bayes naïf", "lissage de
Laplace", "Brier", "centile exigé") and no other product (Odoo, Pipedrive, HubSpot, Salesforce),
in French and in English. Each check reads what the narrative layer writes on the small fixtures of
the steps' own tests; :func:`strategy_kit.narrative.method.method_sections` says how the figures
are computed, for the appendix.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from test_journey import Q1 as JOURNEY_Q1
from test_journey import make_data as journey_data
from test_qualification import _data as qualification_data
from test_rep_targets import Q1 as TARGETS_Q1
from test_rep_targets import TEAM
from test_rep_targets import make_data as targets_data
from test_segmentation import Q2 as SEGMENTS_Q2
from test_segmentation import _data as segmentation_data

from strategy_kit.analytics import rep_targets as rt
from strategy_kit.analytics.journey import Journey
from strategy_kit.analytics.qualification_score import Calibration, attribute_lift, win_score
from strategy_kit.analytics.segmentation import attractive_segments, segment_table
from strategy_kit.i18n import LANGUAGES, catalog, label
from strategy_kit.narrative import Table
from strategy_kit.narrative import journey as journey_words
from strategy_kit.narrative import qualification as qualification_words
from strategy_kit.narrative import rep_targets as targets_words
from strategy_kit.narrative import segmentation as segmentation_words
from strategy_kit.narrative.method import TOPICS, method_sections

# What a sales director should not have to read in the body (the appendix may say them all).
FORBIDDEN = {
    "P75/P90": re.compile(r"\bP\d{2}\b"),
    "percentile": re.compile(r"centile", re.IGNORECASE),  # centile, percentile, 90e centile
    "IC 95 % / 95% CI": re.compile(r"\bIC\b|\bCI\b"),  # "intervalle de confiance": see "interval"
    "interval": re.compile(r"interval", re.IGNORECASE),  # interval, intervalle (de confiance, de Wilson)
    "Wilson": re.compile(r"wilson", re.IGNORECASE),
    "naive Bayes": re.compile(r"bayes|bayésien", re.IGNORECASE),
    "Laplace smoothing": re.compile(r"laplace|lissage|smoothing|α", re.IGNORECASE),
    "Brier": re.compile(r"brier", re.IGNORECASE),
    "calibration": re.compile(r"calibration", re.IGNORECASE),
    "quintile": re.compile(r"quintile", re.IGNORECASE),
    "decile": re.compile(r"d[ée]cile", re.IGNORECASE),
    "other products": re.compile(r"odoo|pipedrive|hubspot|salesforce", re.IGNORECASE),
}
# The steps whose body texts were rewritten: every message under these prefixes is read in the body.
BODY_PREFIXES = (
    "journey.",
    "qualification.",
    "segmentation.",
    "rep_targets.",
    "scorecard.",
    "followups.",
    "outreach.",
    "events.",
    "script.",
)
PLACEHOLDER = re.compile(r"\{[^}]*\}")  # {percentile} is a value's name, not a word the reader sees


def stats_terms(text: str) -> list[str]:
    """The forbidden terms ``text`` uses (names of :data:`FORBIDDEN`)."""
    return [name for name, pattern in FORBIDDEN.items() if pattern.search(text)]


def headers(table: Table, language: str) -> list[str]:
    columns = table.columns if isinstance(table.columns, dict) else {c: f"column.{c}" for c in table.columns or ()}
    return [table.headers.get(column) or label(key, language) for column, key in columns.items()]


# --------------------------------------------------------------------------- what each step writes


def journey_texts(language: str) -> list[str]:
    """Time in stage: the table's headers, the findings, the note and the chart's legend."""
    times = Journey(journey_data()).time_in_stage(JOURNEY_Q1)
    texts = headers(journey_words.time_table(times, language), language)
    texts += [f.text for f in journey_words.time_findings(times, language)]
    texts += [
        label("journey.time.note", language, previous="–", share="15 %", min=5),
        *(label(f"journey.chart.time.{part}", language) for part in ("median", "p75", "p90", "previous")),
    ]
    return texts


def calibration(skill_positive: bool) -> Calibration:
    """A score's check by hand: 40 deals in the 0-20 % band (6 won), 10 in 60-80 % (7 won)."""
    table = pd.DataFrame(
        {
            "band": range(5),
            "low": [0.0, 0.2, 0.4, 0.6, 0.8],
            "high": [0.2, 0.4, 0.6, 0.8, 1.0],
            "deals": [40, 0, 0, 10, 0],
            "won": [6, 0, 0, 7, 0],
            "predicted": [0.1, None, None, 0.7, None],
            "actual": [0.15, None, None, 0.7, None],
            "ci_low": [0.07, None, None, 0.40, None],
            "ci_high": [0.29, None, None, 0.89, None],
        }
    )
    # skill = 1 - brier / base_brier: 1 - 0.18 / 0.20 = 10 % (or 1 - 0.22 / 0.20 = -10 %).
    return Calibration(date(2025, 6, 1), 120, 50, table, 0.18 if skill_positive else 0.22, 0.20)


def qualification_texts(language: str) -> list[str]:
    """Lead qualification: the lift, outcome, score, open-deal and check tables' headers, the
    persona review and the score's check in sentences, and the notes and chart titles."""
    accounts = [("AX", "X", None, None, None), ("AY", "Y", None, None, None)]
    deals = [(f"X{i}", "AX", s, "2025-01-01", f"2025-0{i + 2}-01", "web") for i, s in enumerate(["won"] * 3 + ["lost"])]
    deals += [
        (f"Y{i}", "AY", s, "2025-01-01", f"2025-0{i + 2}-01", "web") for i, s in enumerate(["won"] + ["lost"] * 3)
    ]
    deals += [("OX", "AX", "open", "2025-05-01", None, "web"), ("OY", "AY", "open", "2025-05-01", None, "web")]
    data = qualification_data(deals, accounts=accounts)
    lift = attribute_lift(data, attributes=("sector",), min_deals=1)
    model, scores = win_score(data, attributes=("sector",), min_sample=1)
    outcomes = pd.DataFrame(
        {
            "group": ["fit", "outside", "unknown"],
            "created": [10, 5, 0],
            "closed": [8, 4, 0],
            "won": [4, 1, 0],
            "win_rate": [0.5, 0.25, None],
            "ci_low": [0.22, 0.05, None],
            "ci_high": [0.78, 0.70, None],
            "cycle_days": [30.0, 40.0, None],
        }
    )
    tables = [
        qualification_words.lift_table(lift, language),
        qualification_words.outcome_table(outcomes, language),
        qualification_words.weights_table(model, language),
        qualification_words.open_deals_table(model, scores, language),
        qualification_words.calibration_table(calibration(True), language),
    ]
    # Sector X in the persona winning little, Y outside it winning much (hand-made review rows).
    review = pd.DataFrame(
        [
            ("sector", "Y", 400, 0.40, 0.35, 0.45, 1.6, 0.25, "missing"),
            ("sector", "X", 300, 0.10, 0.07, 0.14, 0.4, 0.25, "wrongly_included"),
        ],
        columns=["attribute", "value", "deals", "win_rate", "ci_low", "ci_high", "lift", "overall_win_rate", "verdict"],
    )
    empty_review = review.iloc[:0]
    findings = [
        *qualification_words.review_findings(review, language),
        *qualification_words.review_findings(empty_review, language),
        *qualification_words.calibration_findings(calibration(True), language),
        *qualification_words.calibration_findings(calibration(False), language),
    ]
    notes = [
        label("qualification.fit.note", language),
        label("qualification.lift.note", language, overall="25 %", min=20),
        label("qualification.score.title", language),
        label("qualification.score.note", language, alpha="1", min=10, low="2 %", high="98 %"),
        label("qualification.calibration.title", language),
        label("qualification.calibration.note", language, cut="01/06/2025"),
        *(label(f"qualification.chart.{k}", language) for k in ("lift", "calibration", "perfect", "predicted")),
    ]
    return [text for table in tables for text in headers(table, language)] + [f.text for f in findings] + notes


def segmentation_texts(language: str) -> list[str]:
    """Segmentation: the ranking and performance tables' headers, why each segment is chosen, the notes."""
    table = segment_table(segmentation_data(), SEGMENTS_Q2, keys=("sector", "size_band"), min_deals=3)
    texts = headers(segmentation_words.ranking_table(table, language), language)
    texts += headers(segmentation_words.performance_table(table, language), language)
    chosen = attractive_segments(table, n=3)
    assert not chosen.empty  # the reasons quote each chosen segment's range
    texts += segmentation_words.paragraphs(segmentation_words.attractiveness_findings(chosen, language))
    texts += [label(f"segmentation.{part}.note", language, min=20) for part in ("performance", "attractiveness")]
    texts.append(label("segmentation.rfm.note", language, end="30/06/2026"))
    return texts


def targets_texts(language: str) -> list[str]:
    """Reps' targets: the table's headers, the rule, the realistic total, why targets are flagged,
    and every scorecard page (summary, monthly headers, notes)."""
    targets = rt.rep_targets(targets_data(), TARGETS_Q1, TEAM)
    texts = headers(targets_words.targets_table(targets, language), language)
    texts += [targets_words.rule_text(targets, language), targets_words.realistic_finding(targets, language).text]
    flagged = [text for text in targets_words.reasons(targets, language) if text]
    assert len(flagged) >= 2  # above the best month, no history
    texts += flagged + [f.text for f in targets_words.rep_reason_findings(targets, language)]
    for card in rt.scorecards(targets_data(), TARGETS_Q1, targets):
        page = targets_words.scorecard_page(card, language)
        texts += [*page.headers, *page.notes, *(f"{name} {value}" for name, value in page.summary)]
    return texts


STEPS = {
    "journey": journey_texts,
    "qualification": qualification_texts,
    "segmentation": segmentation_texts,
    "rep_targets": targets_texts,
}


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("step", sorted(STEPS))
def test_the_body_texts_and_headers_name_no_statistic_and_no_other_product(step: str, language: str):
    texts = STEPS[step](language)
    assert texts and all(text.strip() for text in texts)
    assert [(text, stats_terms(text)) for text in texts if stats_terms(text)] == []


@pytest.mark.parametrize("term", sorted(FORBIDDEN))
def test_no_message_of_the_body_steps_uses_a_statistics_term(term: str):
    # Every message of the rewritten steps, notes and chart labels included, in every language.
    pattern = FORBIDDEN[term]
    found = [
        (language, key)
        for language in LANGUAGES
        for key, text in catalog(language).items()
        if key.startswith(BODY_PREFIXES) and pattern.search(PLACEHOLDER.sub("", text))
    ]
    assert found == []


def test_the_forbidden_terms_are_caught_where_they_were():
    # The texts the report printed before, as the check would have seen them.
    before = [
        "Étape Sorties Médiane P75 P90",
        "Percentiles linéaires (P75, P90).",
        "Taux de gain IC 95\u00a0%",
        "intervalle de Wilson à 95\u00a0%",
        "Score de gain (Bayes naïf)",
        "Comme le score prédictif d'Odoo : lissage de Laplace (α = 1)",
        "il fait 7 % mieux que le taux de gain moyen (score de Brier).",
        "Centile exigé",
        "dépasse le 90e centile de son historique",
        "Win rate by value (95% CI)",
    ]
    assert all(stats_terms(text) for text in before)
    assert stats_terms("9 sur 10") == [] and stats_terms("Fourchette probable") == []


def test_time_in_stage_headers_say_how_many_deals_stay_under_the_time():
    # The same P75 and P90 as test_journey's (10 and 10 days for the lead stage), under plain headers.
    times = Journey(journey_data()).time_in_stage(JOURNEY_Q1)
    assert headers(journey_words.time_table(times, "fr"), "fr")[2:5] == ["Médiane", "3 sur 4", "9 sur 10"]
    assert headers(journey_words.time_table(times, "en"), "en")[2:5] == ["Median", "3 in 4", "9 in 10"]
    lead = times.table.set_index("stage").loc["lead"]
    assert (lead["p75"], lead["p90"]) == (10, 10)


def test_likely_ranges_read_as_ranges_in_the_sentences():
    # Hand-made review row: 40 % won of 400 closed, range 35 %-45 %.
    review = pd.DataFrame(
        [("sector", "Y", 400, 0.40, 0.35, 0.45, 1.6, 0.25, "missing")],
        columns=["attribute", "value", "deals", "win_rate", "ci_low", "ci_high", "lift", "overall_win_rate", "verdict"],
    )
    [fr] = qualification_words.review_findings(review, "fr")
    [en] = qualification_words.review_findings(review, "en")
    assert "(probablement entre 35\u00a0% et 45\u00a0%, sur 400 affaires conclues)" in fr.text
    assert "(likely between 35% and 45%, over 400 closed)" in en.text
    # The score's check: 1 - 0.18 / 0.20 = 10 % less error than the average win rate.
    [check] = qualification_words.calibration_findings(calibration(True), "en")
    assert check.text.endswith("its predictions miss by 10% less than giving every deal the average win rate.")


def test_realism_says_what_share_of_the_reps_months_a_target_beats():
    # test_rep_targets: Cleo has one month of history (2 000 €, her P90 and best month); 3 of her
    # 4 targets are above it.
    targets = rt.rep_targets(targets_data(), TARGETS_Q1, TEAM)
    cards = {card.owner: card for card in rt.scorecards(targets_data(), TARGETS_Q1, targets)}
    page = targets_words.scorecard_page(cards["Cleo"], "fr")
    realism = dict(page.summary)["Réalisme"].replace("\u00a0", " ")
    assert realism == (
        "irréaliste : 3 mois sur 4 exigent mieux que 90 % de ses mois d'historique (de janvier 2025 à décembre 2025)"
    )
    assert "Exige mieux que (% de ses mois)" in page.headers
    assert (
        page.notes[0]
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
        .startswith(
            "Objectifs au-dessus de 2 000 €, montant que 90 % de ses mois ne dépassent pas (meilleur mois : 2 000 €"
        )
    )


def test_method_sections_cover_the_same_topics_in_every_language():
    sections = {language: method_sections(language) for language in LANGUAGES}
    for language, topics in sections.items():
        assert len(topics) == len(TOPICS), language
        for (heading, paragraphs), (_, keys) in zip(topics, TOPICS):
            assert heading.strip() and len(paragraphs) == len(keys) >= 1, (language, heading)
            assert all(paragraph.strip() and "{" not in paragraph for paragraph in paragraphs), (language, heading)
    # The appendix is where the statistics are named, with the analyses' own constants.
    french = "\n".join(p for _, paragraphs in sections["fr"] for p in paragraphs).replace("\u00a0", " ")
    for said in (
        "Wilson à 95 %",
        "quintile",
        "bayésien naïf",
        "Laplace (α = 1)",
        "Brier",
        "90e centile",
        "75e et 90e centiles",
    ):
        assert said in french
    english = "\n".join(p for _, paragraphs in sections["en"] for p in paragraphs)
    for said in (
        "95% Wilson",
        "naive Bayes",
        "Laplace's rule (α = 1)",
        "Brier",
        "90th percentile",
        "between 2% and 98%",
    ):
        assert said in english
    # Each topic names the body section it explains, as the body titles it.
    assert "« Temps passé par étape »" in french.replace("\u00a0", " ")
    assert "“Does the score hold?”" in english


def test_method_sections_refuse_an_unknown_language():
    with pytest.raises(ValueError, match="language must be one of"):
        method_sections("de")
