"""The objectives form without a browser: set the widgets, press Save (and Confirm), read the file
back. Numbers typed as the form's language writes them, percentages where the file keeps
fractions, problems named by the form's labels, unusual values confirmed before saving."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from strategy_kit.errors import ConfigError
from strategy_kit.inputs import input_history, save_input
from strategy_kit.inputs.objectives import Intermediate, Objectives
from strategy_kit.widgets.objectives import ObjectivesForm

from conftest import OBJECTIVE_KPIS as KPIS
from conftest import OBJECTIVE_REPS as OWNERS
from conftest import OBJECTIVES as GOOD

UNITS = {"meetings_held": "count", "leads_contacted_24h_rate": "rate"}
NBSP, NNBSP = "\u00a0", "\u202f"


def _saved(tmp_path) -> dict:
    return yaml.safe_load((tmp_path / "objectives.yml").read_text(encoding="utf-8"))


def test_form_saves_validated_objectives_and_keeps_history(tmp_path):
    form = ObjectivesForm(tmp_path, "en", KPIS, OWNERS, year=2026, units=UNITS)
    assert form.year.value == 2026 and form.mode.value == "growth"
    assert form.growth.description == "Growth (%)" and form.growth.value == "10"  # 0.1 shown in %
    form.growth.value = "15"
    row = form.add_row()
    row.kpi.value = "leads_contacted_24h_rate"
    assert row.unit.value == "%"  # a rate is typed in %
    row.target.value = "100"
    row.start.value, row.deadline.value = date(2026, 1, 1), date(2026, 12, 31)
    row.owner.value = "Hugo Lambert"
    assert form.save() == tmp_path / "objectives.yml"
    saved = _saved(tmp_path)
    assert saved["revenue_growth"] == pytest.approx(0.15)
    assert saved["intermediate"] == [
        {
            "kpi": "leads_contacted_24h_rate",
            "target": 1.0,
            "kind": "absolute",
            "start": "2026-01-01",
            "deadline": "2026-12-31",
            "owner": "Hugo Lambert",
        }
    ]
    assert "Run the whole of notebook 06 again" in form.status.value

    # Reopen, switch to an amount, save: the first version moves to history/.
    again = ObjectivesForm(
        tmp_path, "fr", KPIS, OWNERS, Objectives.from_dict(saved, kpis=KPIS, owners=OWNERS), units=UNITS
    )
    assert again.rows[0].owner.value == "Hugo Lambert" and again.save_button.description == "Enregistrer"
    assert again.rows[0].target.value == "100" and again.growth.value == "15"
    again.mode.value = "revenue"
    again.revenue.value = "2 000 000"
    again.save_button.click()
    assert _saved(tmp_path)["revenue"] == 2_000_000
    assert len(input_history(tmp_path, "objectives")) == 1
    assert "Objectifs enregistrés" in again.status.value


def test_a_french_decimal_comma_is_a_decimal(tmp_path):
    # The bug: "12,5" in a French form was saved as 125 (+12 500 %) with a success message.
    form = ObjectivesForm(tmp_path, "fr", KPIS, OWNERS, year=2026, units=UNITS)
    form.growth.value = "12,5"
    form.new_business.value = "30"
    row = form.add_row()
    row.kpi.value, row.kind.value = "meetings_held", "relative"
    row.target.value = "-20"  # -20 %: a relative target is a percentage
    row.start.value, row.deadline.value = date(2026, 1, 1), date(2026, 12, 31)
    assert form.save() is not None
    saved = _saved(tmp_path)
    assert saved["revenue_growth"] == pytest.approx(0.125)
    assert saved["new_business_share"] == pytest.approx(0.3)
    assert saved["intermediate"][0]["target"] == pytest.approx(-0.2)
    reopened = ObjectivesForm(tmp_path, "fr", KPIS, OWNERS, Objectives.from_dict(saved), units=UNITS)
    assert (reopened.growth.value, reopened.new_business.value, reopened.rows[0].target.value) == ("12,5", "30", "-20")


def test_an_english_form_refuses_a_comma_that_could_be_either(tmp_path):
    form = ObjectivesForm(tmp_path, "en", KPIS, OWNERS, year=2026, units=UNITS)
    form.growth.value = "12,5"
    assert form.save() is None and not (tmp_path / "objectives.yml").exists()
    assert "Growth (%): &#x27;12,5&#x27; is ambiguous; write 125 or 12.5" in form.status.value


def test_every_box_that_holds_no_number_is_listed_in_the_order_of_the_form(tmp_path):
    form = ObjectivesForm(tmp_path, "fr", KPIS, OWNERS, year=2026, units=UNITS)
    form.growth.value = "abc"
    form.new_business.value = "1.500"  # 1 500 or 1,5? Refused with both readings
    assert form.save() is None and not (tmp_path / "objectives.yml").exists()
    assert (
        "<li>Croissance (%) : « abc » n&#x27;est pas un nombre ; écrivez par exemple 12,5</li>"
        f"<li>Part des nouveaux clients (%) : « 1.500 » est ambigu ; écrivez 1{NNBSP}500 ou 1,500</li>"
    ) in form.status.value
    form.growth.value = ""
    assert form.save() is None and "Croissance (%) : valeur manquante" in form.status.value


def test_problems_are_named_by_the_form_labels_in_the_form_language(tmp_path):
    save_input(tmp_path, "objectives", GOOD)
    before = (tmp_path / "objectives.yml").read_bytes()
    form = ObjectivesForm(
        tmp_path, "fr", KPIS, OWNERS, Objectives.from_dict(GOOD, kpis=KPIS, owners=OWNERS), units=UNITS
    )
    form.growth.value = "-150"
    form.new_business.value = "130"
    form.rows[0].deadline.value = date(2025, 6, 30)  # before the start
    assert form.save() is None
    shown = form.status.value
    assert "Rien n&#x27;a été enregistré" in shown
    assert f"Croissance (%) : -150{NBSP}% rendrait le chiffre d&#x27;affaires négatif" in shown
    assert f"Part des nouveaux clients (%) : 130{NBSP}% n&#x27;est pas une part comprise entre 0 et 100{NBSP}%" in shown
    assert (
        "Objectif intermédiaire 1 (Meetings held) – échéance : l&#x27;échéance (30/06/2025) n&#x27;est pas "
        "postérieure au début (01/01/2026)"
    ) in shown
    for english in ("revenue_growth", "new_business_share", "deadline", "fraction", "0.15"):
        assert english not in shown
    assert (tmp_path / "objectives.yml").read_bytes() == before
    assert input_history(tmp_path, "objectives") == []


def test_the_file_check_names_the_yaml_keys_in_english_for_the_command_line():
    raw = {**GOOD, "revenue_growth": -1.5, "new_business_share": 1.3}
    with pytest.raises(ConfigError) as caught:
        Objectives.from_dict(raw, "data/demo/inputs/objectives.yml", kpis=KPIS, owners=OWNERS, units=UNITS)
    assert str(caught.value) == (
        "data/demo/inputs/objectives.yml: revenue_growth: -1.5 would make the revenue negative; "
        "new_business_share: 1.3 is not a share between 0 and 1 (in the file, a share is a fraction: 0.15 for 15%). "
        "Fix the file or save the form again."
    )
    assert caught.value.messages("en") == [
        "-150% would make the revenue negative",
        "130% is not a share between 0 and 100%",
    ]


def test_unusual_values_ask_for_confirmation_before_saving(tmp_path):
    # previous fiscal year's revenue: 1 000 000 (a stub of the KPI engine's revenue by fiscal year)
    form = ObjectivesForm(
        tmp_path,
        "fr",
        KPIS,
        OWNERS,
        year=2026,
        units=UNITS,
        previous_revenue=lambda year: 1_000_000.0 if year == 2025 else None,
    )
    form.growth.value = "150"  # +150 %: above +100 %
    row = form.add_row()
    row.kpi.value = "leads_contacted_24h_rate"
    row.target.value = "120"  # a rate of 120 %
    row.start.value, row.deadline.value = date(2026, 1, 1), date(2026, 12, 31)
    assert form.save() is None and not (tmp_path / "objectives.yml").exists()
    assert form.flow.waiting
    shown = form.status.value
    assert "Ces valeurs sont inhabituelles" in shown
    assert f"Croissance (%) : une croissance de 150{NBSP}% dépasse +100{NBSP}%" in shown
    assert (
        f"Objectif intermédiaire 1 (Leads contacted within 24 h) – cible : un taux de 120{NBSP}% dépasse 100{NBSP}%"
    ) in shown
    form.confirm_button.click()
    assert _saved(tmp_path)["revenue_growth"] == pytest.approx(1.5)
    assert _saved(tmp_path)["intermediate"][0]["target"] == pytest.approx(1.2)
    assert not form.flow.waiting and "Objectifs enregistrés" in form.status.value

    # An amount: 3 000 000 is 300 % of the 1 000 000 of fiscal year 2025 (outside half to twice it).
    form.mode.value = "revenue"
    form.revenue.value = "3 000 000"
    row.target.value = "90"
    assert form.save() is None
    assert (
        f"Chiffre d&#x27;affaires visé : 3{NNBSP}000{NNBSP}000{NBSP}€ représente 300{NBSP}% du chiffre "
        f"d&#x27;affaires de l&#x27;exercice 2025 (1{NNBSP}000{NNBSP}000{NBSP}€)"
    ) in form.status.value
    form.revenue.value = "1 200 000"  # corrected and saved: +20 % needs no confirmation
    assert form.save() is not None and _saved(tmp_path)["revenue"] == 1_200_000

    # A relative rise above +100 % and a fall of more than half.
    form.mode.value = "growth"
    form.growth.value = "-60"
    row.kpi.value, row.kind.value = "meetings_held", "relative"
    row.target.value = "250"
    assert form.save() is None
    assert f"une croissance de -60{NBSP}% est une baisse de plus de 50{NBSP}%" in form.status.value
    assert f"– cible : une hausse de 250{NBSP}% dépasse +100{NBSP}%" in form.status.value


def test_the_engine_gives_the_previous_fiscal_years_revenue(tmp_path):
    from types import SimpleNamespace

    from strategy_kit.widgets.objectives import fiscal_year_revenue

    asked = []

    class Engine:
        config = SimpleNamespace(fiscal_year_start_month=7)

        def compute(self, period, kpis):
            asked.append((period.start, period.end, tuple(kpis)))
            return SimpleNamespace(values={"revenue": 42.0})

    assert fiscal_year_revenue(Engine())(2025) == 42.0
    # fiscal year 2025 starting in July: 1 July 2024 to 30 June 2025
    assert asked == [(date(2024, 7, 1), date(2025, 6, 30), ("revenue",))]


def test_a_row_of_a_kpi_the_client_lacks_is_kept(tmp_path):
    item = Intermediate("old_kpi", 5.0, "absolute", date(2026, 1, 1), date(2026, 6, 30))
    form = ObjectivesForm(tmp_path, "en", KPIS, OWNERS, Objectives(2026, 0.1, intermediate=(item,)), units=UNITS)
    assert form.rows[0].kpi.value == "old_kpi" and form.rows[0].target.value == "5"
    assert form.save() is None  # the KPI is unknown: named in the form
    assert "Intermediate objective 1 (old_kpi) – kpi: unknown KPI id &#x27;old_kpi&#x27;" in form.status.value
