"""A strategist's input that cannot be used: English naming the file and the YAML key for the
command line; in a form, the form's language and the entry's label (messages written by hand)."""

from __future__ import annotations

import pytest

from strategy_kit.errors import ConfigError
from strategy_kit.i18n import LANGUAGES, MESSAGES, placeholders
from strategy_kit.inputs import load_input
from strategy_kit.inputs.errors import InputError, problem
from strategy_kit.inputs.market import Market
from strategy_kit.inputs.persona import load_persona, persona_from_dict


def test_every_input_message_exists_in_every_language_with_the_same_placeholders():
    keys = [key for key in MESSAGES if key.startswith(("inputs.", "forms."))]
    assert len(keys) > 50
    for key in keys:
        assert set(MESSAGES[key]) == set(LANGUAGES), key
        assert placeholders(MESSAGES[key]["fr"]) == placeholders(MESSAGES[key]["en"]), key


def test_the_command_line_reads_english_the_form_its_own_language(tmp_path):
    (tmp_path / "persona.yml").write_text("employees_min: -3\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_persona(tmp_path)
    error = caught.value
    assert isinstance(error, ConfigError)  # exit code 2, no traceback
    assert str(error) == (
        f"{tmp_path / 'persona.yml'}: entry 'employees_min': expected a whole number of employees "
        "(0 or more), got -3. Fix the file or save the form again."
    )
    assert error.messages("fr") == ["un nombre entier de salariés (0 ou plus) est attendu ; reçu : -3"]
    assert error.messages("fr", {("employees_min",): "Effectif min."}.get) == [
        "Effectif min. : un nombre entier de salariés (0 ou plus) est attendu ; reçu : -3"
    ]


def test_plural_and_quoting_follow_each_language():
    with pytest.raises(InputError) as caught:
        persona_from_dict({"sector": ["Santé"], "region": []}, "persona.yml")
    assert "unknown persona entries 'sector', 'region'; allowed:" in str(caught.value)
    assert caught.value.messages("fr")[0].startswith("entrées inconnues : 'sector', 'region' ; entrées possibles :")
    with pytest.raises(InputError) as caught:
        Market.from_dict({"keys": ["colour"]}, "market.yml")
    assert str(caught.value).startswith("market.yml: keys: colour is not an account attribute; use some of sector")
    assert caught.value.messages("fr")[0].startswith("colour : n'est pas un attribut des comptes ; choisissez parmi")


def test_shares_are_fractions_in_the_file_and_percentages_in_the_form():
    error = InputError(
        "market.yml",
        [
            problem(
                "inputs.market.threshold",
                ("saturation_threshold",),
                "saturation_threshold",
                {"value": "fraction", "maximum": "fraction"},
                value=0.0,
                maximum=1,
            )
        ],
    )
    assert str(error) == (
        "market.yml: saturation_threshold: 0 is not a share above 0 and at most 1 "
        "(in the file, a share is a fraction: 0.15 for 15%). Fix the file or save the form again."
    )
    assert error.messages("fr") == ["0\u00a0% n'est pas une part supérieure à 0 et d'au plus 100\u00a0%"]
    assert error.messages("en") == ["0% is not a share above 0 and at most 100%"]


def test_an_unreadable_file_names_the_file_and_the_history_folder(tmp_path):
    (tmp_path / "objectives.yml").write_text("growth: [unclosed", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_input(tmp_path, "objectives")
    assert str(caught.value).startswith(f"{tmp_path / 'objectives.yml'}: cannot be read (")
    assert str(tmp_path / "history") in str(caught.value)
    assert caught.value.messages("fr")[0].startswith("le fichier est illisible (")
