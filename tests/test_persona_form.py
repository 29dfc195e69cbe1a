"""The persona form without a browser: set the widgets, press Save, reload, check the file and the
previous version kept in inputs/history/."""

from __future__ import annotations

from datetime import date

import pandas as pd
import yaml

from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.inputs import input_history
from strategy_kit.inputs.persona import Persona, load_persona
from strategy_kit.widgets.persona import PersonaForm, data_choices


def _data() -> SalesData:
    deals = pd.DataFrame({"deal_id": ["1", "2", "3"], "account_id": ["A", "B", "C"], "status": ["won", "lost", "open"]})
    accounts = pd.DataFrame(
        {
            "account_id": ["A", "B", "C"],
            "sector": ["Santé", "BTP", None],
            "employees": pd.array([12, 300, 2000], dtype="Int64"),
            "size_band": [None, "250-999", None],
            "region": ["Nord", "Sud", "Nord"],
        }
    )
    leads = pd.DataFrame(
        {
            "lead_id": ["L1"],
            "created_at": pd.to_datetime(["2026-01-01"]),
            "sector": ["Commerce"],
            "employees": pd.array([5], dtype="Int64"),
            "region": ["Est"],
        }
    )
    config = ClientConfig(client="acme", display_name="Acme", language="fr", data_cutoff=date(2026, 6, 30))
    return SalesData(config, {"deals": deals, "accounts": accounts, "leads": leads})


def test_choices_come_from_the_data():
    choices = data_choices(_data())
    assert choices["sectors"] == ["BTP", "Commerce", "Santé"]
    # 12 -> 10-49 and 2000 -> 1000+ (derived from headcounts), 250-999 as exported, 5 -> 1-9 (lead).
    assert choices["size_bands"] == ["1-9", "10-49", "250-999", "1000+"]
    assert choices["regions"] == ["Est", "Nord", "Sud"]


def test_save_reload_and_history(tmp_path):
    form = PersonaForm(tmp_path, _data(), "en")
    assert "No persona saved yet" in form.status.value
    form.selects["sectors"].value = ("Santé", "BTP")
    form.selects["size_bands"].value = ("250-999",)
    form.employees_min.value = "10"
    form.texts["needs"].value = "One tool for sales\n\n  Reliable forecasts  \n"
    form.texts["disqualifiers"].value = "No budget"
    form.save_button.click()
    path = tmp_path / "persona.yml"
    assert str(path) in form.status.value
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved == {
        "sectors": ["Santé", "BTP"],
        "size_bands": ["250-999"],
        "employees_min": 10,
        "needs": ["One tool for sales", "Reliable forecasts"],
        "disqualifiers": ["No budget"],
    }
    assert input_history(tmp_path, "persona") == []

    # A new form starts from the saved persona; a second save keeps the first file in history/.
    again = PersonaForm(tmp_path, _data(), "fr")
    assert again.selects["sectors"].value == ("Santé", "BTP")
    assert again.texts["needs"].value == "One tool for sales\nReliable forecasts"
    assert again.employees_min.value == "10"
    again.selects["regions"].value = ("Nord",)
    again.save_button.click()
    assert "Persona enregistré" in again.status.value
    history = input_history(tmp_path, "persona")
    assert len(history) == 1
    assert yaml.safe_load(history[0].read_text(encoding="utf-8")) == saved
    assert load_persona(tmp_path) == Persona(
        sectors=("Santé", "BTP"),
        size_bands=("250-999",),
        employees_min=10,
        regions=("Nord",),
        needs=("One tool for sales", "Reliable forecasts"),
        disqualifiers=("No budget",),
    )


def test_values_the_data_lacks_are_kept_and_bad_entries_are_not_saved(tmp_path):
    form = PersonaForm(tmp_path, _data(), "en", persona=Persona(sectors=("Aéronautique",)))
    assert form.selects["sectors"].options[-1] == "Aéronautique"
    assert form.selects["sectors"].value == ("Aéronautique",)
    form.employees_min.value = "500"
    form.employees_max.value = "50"
    assert form.save() is None
    # the entry is named as the form shows it, not by its YAML key
    assert "Nothing was saved" in form.status.value
    assert "Min. employees: the minimum is above the maximum" in form.status.value
    assert "employees_min" not in form.status.value
    assert not (tmp_path / "persona.yml").exists()
    form.employees_max.value = "many"
    form.save_button.click()
    assert "Max. employees: &#x27;many&#x27; is not a number; write for example 250" in form.status.value
    form.employees_max.value = "12.5"
    form.save_button.click()
    assert "Max. employees: &#x27;12.5&#x27; is not a whole number" in form.status.value
    form.employees_max.value = "5,000"
    form.save_button.click()
    assert load_persona(tmp_path).employees_max == 5000


def test_a_french_form_says_what_to_fix_in_french(tmp_path):
    form = PersonaForm(tmp_path, _data(), "fr", persona=Persona())
    form.employees_min.value = "5 000"  # French thousands typed with a space
    form.employees_max.value = "1.000"  # 1000 or 1,000? Refused with both readings
    assert form.save() is None
    assert "Effectif max. : « 1.000 » est ambigu ; écrivez 1\u202f000 ou 1,000" in form.status.value
    form.employees_max.value = "50"
    form.save_button.click()
    assert (
        "Effectif min. : le minimum dépasse le maximum ; inversez-les ou corrigez l&#x27;un des deux"
        in form.status.value
    )
    form.employees_max.value = "10 000"
    form.save_button.click()
    assert (load_persona(tmp_path).employees_min, load_persona(tmp_path).employees_max) == (5000, 10000)
    assert "Exécutez à nouveau les cellules qui suivent ce formulaire" in form.status.value
    assert PersonaForm(tmp_path, _data(), "fr").employees_max.value == "10\u202f000"
