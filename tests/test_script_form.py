"""The call-script form without a browser: choose a persona or segment, edit the six parts, press
Save, reload, check the file and the previous version kept in inputs/history/."""

from __future__ import annotations

import yaml
from test_script import IND, PERSONA, Q2, make_data

from strategy_kit.analytics.script import script_figures
from strategy_kit.inputs import input_history
from strategy_kit.inputs.script import PARTS, PERSONA_SCRIPT, load_scripts
from strategy_kit.narrative.script import draft_scripts
from strategy_kit.widgets.script import script_form


def drafts(language: str):
    return draft_scripts(script_figures(make_data(), Q2, PERSONA, min_deals=6), language, PERSONA, "Acme")


def test_the_form_opens_on_the_draft_and_saves_the_script_shown(tmp_path):
    form = script_form(tmp_path, drafts("en"), "en")
    assert "No script saved yet" in form.status.value
    assert [label for label, _ in form.selector.options] == ["Persona", f"Segment {IND}", "Segment Ser · 50-249"]
    assert [area.description for area in form.texts.values()] == [
        "Introduction",
        "Opening",
        "Reason for calling",
        "Offer",
        "Qualification questions",
        "Close",
    ]
    assert "1 of the 7 projects" in form.texts["offer"].value  # pre-filled from the draft
    form.texts["opening"].value = "We help companies in services."
    form.texts["questions"].value = "Who decides?\n\n  What budget?  \n"
    form.save_button.click()

    path = tmp_path / "script.yml"
    assert str(path) in form.status.value and "Script saved in" in form.status.value
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(saved) == [PERSONA_SCRIPT]  # only the script shown: the segments' drafts were not reviewed
    assert list(saved[PERSONA_SCRIPT]) == list(PARTS)
    assert saved[PERSONA_SCRIPT]["opening"] == "We help companies in services."
    assert saved[PERSONA_SCRIPT]["questions"] == ["Who decides?", "What budget?"]
    assert input_history(tmp_path, "script") == []


def test_switching_keeps_the_typing_and_a_second_save_keeps_the_previous_version(tmp_path):
    first = script_form(tmp_path, drafts("fr"), "fr")
    first.texts["conclusion"].value = "Merci, à jeudi."
    first.save()

    again = script_form(tmp_path, drafts("fr"), "fr")
    assert again.texts["conclusion"].value == "Merci, à jeudi."  # the saved script, not the draft
    assert "Aucun script" not in again.status.value
    again.selector.value = IND
    assert "5 des 8 projets" in again.texts["offer"].value  # the segment's draft
    again.texts["offer"].value = "Offre pour l'industrie."
    again.selector.value = PERSONA_SCRIPT
    again.selector.value = IND
    assert again.texts["offer"].value == "Offre pour l'industrie."  # kept while switching
    again.selector.value = PERSONA_SCRIPT
    again.save_button.click()
    assert "Script enregistré dans" in again.status.value

    scripts = load_scripts(tmp_path)
    assert [s.key for s in scripts] == [PERSONA_SCRIPT, IND]
    assert scripts[0].conclusion == "Merci, à jeudi." and scripts[1].offer == "Offre pour l'industrie."
    history = input_history(tmp_path, "script")
    assert len(history) == 1
    assert list(yaml.safe_load(history[0].read_text(encoding="utf-8"))) == [PERSONA_SCRIPT]


def test_a_form_without_persona_nor_segment_saves_nothing(tmp_path):
    form = script_form(tmp_path, [], "en")
    assert form.selector.options == () and form.script() is None
    assert form.save_button.disabled
    assert form.save() is None and not (tmp_path / "script.yml").exists()
