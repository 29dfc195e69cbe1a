"""The call script: saved like every input (atomic, previous version kept), checked with keyed
errors, drafted with the typical results of similar customers (numbers worked out by hand below),
printed one page per persona or segment, in French and in English."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from strategy_kit.analytics.script import persona_figures, script_figures
from strategy_kit.config import ClientConfig
from strategy_kit.inputs import input_history
from strategy_kit.inputs.errors import InputError
from strategy_kit.inputs.persona import Persona
from strategy_kit.inputs.script import (
    PARTS,
    PERSONA_SCRIPT,
    Script,
    load_scripts,
    save_script,
    save_scripts,
)
from strategy_kit.narrative.script import draft_script, draft_scripts
from strategy_kit.periods import parse_period
from strategy_kit.report.script import script_document, script_html
from strategy_kit.workspace import Workspace

from conftest import invoke, sales_data, table
from report_fixtures import pdf_text

Q2 = parse_period("2026-Q2")  # window: the twelve months 2025-07-01 .. 2026-06-30
IND = "Ind · 10-49"

ACCOUNTS = [
    ("A1", "Ind", "10-49"),
    ("A2", "Ind", "10-49"),
    ("A3", "Ind", "10-49"),
    ("A4", "Ind", "10-49"),
    ("B1", "Ser", "50-249"),
    ("B2", "Ser", "50-249"),
    ("B3", "Ser", "50-249"),
]
DEALS = [
    # deal, account, status, value, created, closed
    ("d1", "A1", "won", 1000.0, "2025-08-01", "2025-08-31"),  # 30 days
    ("d2", "A1", "won", 3000.0, "2025-09-01", "2025-10-11"),  # 40 days
    ("d3", "A2", "won", 2000.0, "2025-10-01", "2025-11-20"),  # 50 days
    ("d4", "A3", "won", 6000.0, "2025-11-01", "2026-01-09"),  # 69 days
    ("d5", "A4", "lost", None, "2025-12-01", "2026-01-15"),
    ("d6", "A4", "lost", None, "2026-01-01", "2026-02-01"),
    ("d7", "A2", "lost", None, "2026-01-05", "2026-02-10"),
    ("d8", "A3", "won", 4000.0, "2026-02-01", "2026-04-02"),  # 60 days
    ("d9", "A1", "won", 9000.0, "2024-01-01", "2024-03-01"),  # before the window: not counted
    ("e1", "B1", "won", 10000.0, "2025-09-01", "2025-12-30"),  # 120 days
    *[(f"e{i}", "B2" if i % 2 else "B3", "lost", None, "2025-10-01", "2025-11-15") for i in range(2, 8)],
]
# By hand, over the window:
# Ind · 10-49: won d1 d2 d3 d4 d8 (5), lost d5 d6 d7 (3) -> win rate 5/8 = 62.5 %; average deal size
#   (1000 + 3000 + 2000 + 6000 + 4000) / 5 = 3200; cycle: median of 30, 40, 50, 60, 69 = 50 days.
# Ser · 50-249: won e1 (1), lost e2..e7 (6) -> 1/7; average 10000; cycle 120 days.
# Attractiveness (lower bound of the win rate × deal size): Ind ranks first, Ser second.
CONFIG = ClientConfig(client="t", display_name="Acme", language="fr", data_cutoff=date(2026, 9, 30))


def make_data():
    accounts = table("accounts", ACCOUNTS, ["account_id", "sector", "size_band"])
    deals = table("deals", DEALS, ["deal_id", "account_id", "status", "value", "created_at", "closed_at"])
    return sales_data(CONFIG, accounts=accounts, deals=deals)


PERSONA = Persona(
    sectors=("Ser",),
    needs=("Suivre la production et les ventes dans un seul outil",),
    pain_points=("Ressaisies entre tableurs", "Prévisions peu fiables"),
)


def script(key: str = PERSONA_SCRIPT, **parts) -> Script:
    base = {
        "introduction": "Bonjour",
        "opening": "Accroche",
        "reason": "Raison",
        "offer": "Offre",
        "questions": ("Q1 ?", "Q2 ?"),
        "conclusion": "Merci",
    }
    return Script(key, **{**base, **parts})


# --------------------------------------------------------------------------- saving and loading


def test_saving_writes_the_six_parts_and_keeps_the_previous_version(tmp_path):
    assert load_scripts(tmp_path) is None  # nothing saved yet
    first = save_scripts(tmp_path, [script(), script(IND, offer="Offre Ind")], now=datetime(2026, 7, 1, 9))
    saved = yaml.safe_load(first.read_text(encoding="utf-8"))
    assert list(saved) == [PERSONA_SCRIPT, IND]
    assert list(saved[PERSONA_SCRIPT]) == list(PARTS)
    assert saved[PERSONA_SCRIPT]["questions"] == ["Q1 ?", "Q2 ?"]
    assert input_history(tmp_path, "script") == []

    # Saving one script replaces it and keeps the others; the previous file goes to history/.
    save_script(tmp_path, script(PERSONA_SCRIPT, opening="Nouvelle accroche"), now=datetime(2026, 7, 2, 9))
    loaded = load_scripts(tmp_path)
    assert [s.key for s in loaded] == [PERSONA_SCRIPT, IND]
    assert loaded[0].opening == "Nouvelle accroche" and loaded[1].offer == "Offre Ind"
    history = input_history(tmp_path, "script")
    assert [p.name for p in history] == ["script.20260702T090000000000.yml"]
    assert yaml.safe_load(history[0].read_text(encoding="utf-8"))[PERSONA_SCRIPT]["opening"] == "Accroche"


def test_an_interrupted_save_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    save_scripts(tmp_path, [script()])
    before = (tmp_path / "script.yml").read_text(encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        save_scripts(tmp_path, [script(opening="Jamais écrite")])
    assert (tmp_path / "script.yml").read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no temporary left behind


@pytest.mark.parametrize(
    ("text", "key", "where", "message"),
    [
        ("- a\n- b\n", "inputs.script.not_mapping", "", "expected one script per persona or segment"),
        ("persona: bonjour\n", "inputs.script.not_script", "script 'persona'", "expected the parts of a script"),
        ("persona:\n  offre: x\n", "inputs.script.unknown", "script 'persona', entry 'offre'", "unknown part 'offre'"),
        ("persona:\n  offer: [a, b]\n", "inputs.script.not_text", "script 'persona', entry 'offer'", "expected a text"),
        (
            "persona:\n  questions: {a: 1}\n",
            "inputs.script.not_list",
            "script 'persona', entry 'questions'",
            "expected a list of questions",
        ),
    ],
)
def test_a_malformed_file_names_the_file_the_script_and_the_entry(tmp_path, text, key, where, message):
    path = tmp_path / "script.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scripts(tmp_path)
    error = caught.value
    assert [p.key for p in error.problems] == [key]
    assert str(path) in str(error) and where in str(error) and message in str(error)
    assert error.messages("fr")  # and it reads in French for a form


def test_a_single_question_is_read_as_a_list(tmp_path):
    (tmp_path / "script.yml").write_text("persona:\n  questions: Qui décide ?\n", encoding="utf-8")
    assert load_scripts(tmp_path) == [Script(PERSONA_SCRIPT, questions=("Qui décide ?",))]


# --------------------------------------------------------------------------- the draft


def test_figures_are_the_kpis_of_similar_customers():
    data = make_data()
    figures = script_figures(data, Q2, PERSONA, min_deals=6)
    assert [f.key for f in figures] == [PERSONA_SCRIPT, IND, "Ser · 50-249"]
    persona, ind = figures[0], figures[1]
    # Persona (sector Ser): e1 won, e2..e7 lost -> 1 of 7; 10000; 120 days.
    assert (persona.won, persona.closed) == (1, 7)
    assert persona.win_rate == pytest.approx(1 / 7)
    assert persona.avg_deal_size == pytest.approx(10000)
    assert persona.cycle_days == pytest.approx(120)
    # Ind · 10-49: 5 of 8, 3200, median 50 days (hand computation above DEALS).
    assert (ind.won, ind.closed, ind.rank) == (5, 8, 1)
    assert ind.win_rate == pytest.approx(0.625)
    assert ind.avg_deal_size == pytest.approx(3200)
    assert ind.cycle_days == pytest.approx(50)
    assert ind.values == {"sector": ("Ind",), "size_band": ("10-49",)}


def test_the_french_draft_quotes_the_segments_numbers_and_the_personas_words():
    ind = script_figures(make_data(), Q2, PERSONA, min_deals=6)[1]
    drafted = draft_script(ind, "fr", PERSONA, company="Acme")
    assert drafted.key == IND
    assert drafted.introduction.startswith("Bonjour [prénom du contact], [votre prénom] d'Acme à l'appareil.")
    assert drafted.opening == (
        "Nous travaillons avec des entreprises du secteur Ind de 10 à 49 salariés, et beaucoup nous disent "
        "la même chose : « Ressaisies entre tableurs ». Est-ce aussi votre cas ?"
    )
    assert "« Suivre la production et les ventes dans un seul outil »" in drafted.reason
    nbsp, nnbsp = "\u00a0", "\u202f"
    assert (
        "Sur les douze derniers mois, 5 des 8 projets étudiés avec des entreprises comme la vôtre se sont "
        f"conclus par une commande, soit 62,5{nbsp}%." in drafted.offer
    )
    assert f"une commande représente en moyenne 3{nnbsp}200{nbsp}€." in drafted.offer
    assert "il faut compter environ 50 jours" in drafted.offer
    assert drafted.questions[:3] == (
        "Comment vous organisez-vous aujourd'hui sur ce sujet ?",
        "« Ressaisies entre tableurs » : cela vous arrive-t-il aussi ?",
        "« Prévisions peu fiables » : cela vous arrive-t-il aussi ?",
    )
    assert "Combien de personnes compte votre entreprise ?" in drafted.questions  # the segment has a size
    assert drafted.conclusion.startswith("Je vous propose")


def test_the_english_persona_draft_and_a_figure_the_data_cannot_give():
    data = make_data()
    figures = persona_figures(data, Q2, PERSONA)
    drafted = draft_script(figures, "en", PERSONA, company="Acme")
    assert (
        "1 of the 7 projects we discussed with companies like yours ended in an order, that is 14.3%" in drafted.offer
    )
    assert "€10,000 on average" in drafted.offer and "about 120 days" in drafted.offer
    # Without deal values the average is unknown: its sentence is left out, never "0".
    unknown = draft_script(replace(figures, avg_deal_size=None, won=0, cycle_days=58.5), "en", None, "Acme")
    assert "on average" not in unknown.offer and "ended in an order" not in unknown.offer
    assert unknown.opening.startswith("We work with companies in Ser, and I would like")
    assert "[the result you bring]" in unknown.reason
    assert "about 59 days" in unknown.offer  # a median of 58.5 days, rounded half up


# --------------------------------------------------------------------------- printable pages


@pytest.mark.parametrize("language", ["fr", "en"])
def test_one_page_per_script_with_the_six_parts_in_order(language):
    drafts = draft_scripts(script_figures(make_data(), Q2, PERSONA, min_deals=6), language, PERSONA, "Acme")
    page = script_html(drafts, language)
    assert page.count('class="sk-script sk-page-break"') == 3
    headings = {
        "fr": ["Présentation", "Accroche", "Raison de l'appel", "Offre", "Questions de qualification", "Conclusion"],
        "en": ["Introduction", "Opening", "Reason for calling", "Offer", "Qualification questions", "Close"],
    }[language]
    first = page.split('<div class="sk-script')[1]
    found = re.findall(r"<h3>(.*?)</h3>", first.replace("&#x27;", "'"))
    assert found == headings
    title = {"fr": "Script d&#x27;appel : persona", "en": "Call script: persona"}[language]
    assert f"<h2>{title}</h2>" in first
    assert first.count("<li>") == len(drafts[0].questions)
    assert "<ol" in first


def test_a_part_not_written_is_shown_as_such_and_no_script_is_said():
    page = script_html(Script(IND, introduction="Bonjour"), "fr")
    assert page.count("sk-page-break") == 1 and "segment Ind · 10-49" in page
    assert page.count("(à rédiger)") == 5
    assert "Aucun script" in script_html([], "fr")


def test_the_script_is_read_drafted_and_printed_without_the_widget_library():
    code = (
        "import sys\n"
        "import strategy_kit.inputs.script, strategy_kit.analytics.script, strategy_kit.narrative.script, "
        "strategy_kit.report.script\n"
        "print('ipywidgets' in sys.modules)\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "False"


def test_the_command_prints_the_saved_scripts_one_page_each(tiny_workspace):
    inputs = Workspace.at(tiny_workspace).client("tiny").inputs
    # Nothing saved, no accounts to draft from: the document says so.
    assert "No call script is saved or can be drafted" in script_document([], "Tiny", "en", draft=True)
    save_scripts(inputs, [script(offer="Offre persona"), script(IND, offer="Offre Ind")])
    run = invoke("--workspace", tiny_workspace, "script", "tiny", "--language", "fr")
    assert run.code == 0, run.text
    path = Path(run.out.strip())
    assert path == Path(tiny_workspace) / "reports" / "tiny" / "script.pdf"
    text = pdf_text(path)
    assert "Script d'appel : persona" in text and "Script d'appel : segment Ind · 10-49" in text
    assert text.index("Offre persona") < text.index("Offre Ind")
    assert "Proposition tirée" not in text  # saved scripts, not a draft
    assert [p.name for p in path.parent.iterdir()] == ["script.pdf"]  # no temporary file left
