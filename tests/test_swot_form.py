"""The SWOT form without a browser: set the widgets' values, press the buttons, read the file back."""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml

from strategy_kit.errors import ConfigError
from strategy_kit.inputs import input_history
from strategy_kit.inputs.swot import Swot, SwotError, load_swot, save_swot, shown_swot
from strategy_kit.narrative import Finding
from strategy_kit.narrative.swot import DraftedItem
from strategy_kit.widgets.swot import swot_form


def candidate(quadrant: str, rule: str, subject: str, **fields: str) -> DraftedItem:
    return DraftedItem(
        quadrant,
        rule,
        Finding(f"swot.{rule}.text", fields, "en", subject),
        Finding(f"swot.{rule}.evidence", fields, "en", subject),
    )


CANDIDATES = [
    candidate(
        "strengths",
        "kpi_above_baseline",
        "win_rate",
        kpi="Win rate",
        change="+20%",
        value="36%",
        reference="30%",
        period="2026-Q1",
    ),
    candidate(
        "weaknesses",
        "kpi_below_baseline",
        "new_deals",
        kpi="New deals",
        change="-17%",
        value="10",
        reference="12",
        period="2026-Q1",
    ),
    candidate(
        "threats",
        "lengthening_cycle",
        "",
        cycle="24",
        cycle_days=24,
        previous="20",
        previous_days=20,
        change="+20%",
        won=5,
        previous_won=5,
    ),
]


def test_form_opens_on_the_draft_then_saves_edits_removals_and_additions(tmp_path):
    inputs = tmp_path / "inputs"
    assert load_swot(inputs) is None
    assert shown_swot(None, CANDIDATES, "2026-Q1").draft  # nothing saved: the report shows the draft

    form = swot_form(inputs, CANDIDATES, "en", "2026-Q1")
    assert [row.keep.value for q in form.rows.values() for row in q] == [True, True, True]
    form.rows["weaknesses"][0].keep.value = False  # removed
    form.rows["strengths"][0].text.value = "We close more deals than last year"  # edited
    form.new_text["opportunities"].value = "A new public tender in the region"
    form.new_evidence["opportunities"].value = "3 tenders announced"
    form.add_buttons["opportunities"].click()
    form.new_text["threats"].value = "   "  # empty: not added
    form.add_buttons["threats"].click()
    form.save_button.click()

    path = inputs / "swot.yml"
    assert "SWOT saved in" in form.status.value and path.exists()
    assert "Run the whole of notebook 03 again" in form.status.value  # the matrix above the form reads the file
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["period"] == "2026-Q1"
    assert saved["strengths"] == [
        {
            "text": "We close more deals than last year",
            "evidence": "36% in 2026-Q1 against a baseline of 30% (12 months before)",
            "rule": "kpi_above_baseline",
            "ident": "kpi_above_baseline:win_rate",
        }
    ]
    assert saved["weaknesses"] == []
    assert saved["opportunities"] == [
        {"text": "A new public tender in the region", "evidence": "3 tenders announced", "rule": None, "ident": None}
    ]
    assert [item["ident"] for item in saved["threats"]] == ["lengthening_cycle"]
    assert input_history(inputs, "swot") == []  # first save: no previous version

    swot = load_swot(inputs)
    assert not swot.draft and shown_swot(swot, CANDIDATES) is swot
    assert [item.quadrant for item in swot.items] == ["strengths", "opportunities", "threats"]


def test_reload_shows_the_saved_swot_and_keeps_the_previous_version(tmp_path):
    inputs = tmp_path / "inputs"
    first = swot_form(inputs, CANDIDATES, "fr", "2026-Q1")
    first.rows["weaknesses"][0].keep.value = False
    first.save(now=datetime(2026, 4, 2, 9, 0))

    # Reopened: the saved items ticked, the drafted candidate that was removed back but unticked.
    again = swot_form(inputs, CANDIDATES, "fr", "2026-Q1")
    rows = {q: [(r.text.value, r.keep.value) for r in again.rows[q]] for q in again.rows}
    assert rows["weaknesses"] == [("New deals: worse than the baseline (-17%)", False)]
    assert [keep for _, keep in rows["strengths"]] == [True]
    again.rows["threats"][0].evidence.value = "Median 24 days against 20"
    again.save(now=datetime(2026, 4, 3, 9, 0))

    history = input_history(inputs, "swot")
    assert [p.name for p in history] == ["swot.20260403T090000000000.yml"]  # stamped when displaced
    previous = yaml.safe_load(history[0].read_text(encoding="utf-8"))
    assert previous["threats"][0]["evidence"].startswith("Median of 24 days")  # the drafted evidence
    assert load_swot(inputs).quadrant("threats")[0].evidence == "Median 24 days against 20"
    assert load_swot(inputs).quadrant("weaknesses") == []


def test_a_hand_written_file_is_read_and_mistakes_are_explained(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "swot.yml").write_text("strengths:\n  - Loyal customers\nthreats: []\n", encoding="utf-8")
    swot = load_swot(inputs)
    assert [(i.quadrant, i.text, i.rule) for i in swot.items] == [("strengths", "Loyal customers", None)]
    (inputs / "swot.yml").write_text("strenghts:\n  - Loyal customers\n", encoding="utf-8")
    with pytest.raises(SwotError, match="unknown key.*strenghts"):
        load_swot(inputs)
    (inputs / "swot.yml").write_text("threats:\n  - evidence: 12 %\n", encoding="utf-8")
    with pytest.raises(SwotError, match="threats item 1: needs a non-empty 'text'") as caught:
        load_swot(inputs)
    assert isinstance(caught.value, ConfigError)  # an input file the user fixes: exit code 2
    assert caught.value.messages("fr") == ["l'élément doit avoir un texte (text) non vide"]
    path = save_swot(inputs, Swot.from_input({"opportunities": ["Export"]}))
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["opportunities"][0]["text"] == "Export"
