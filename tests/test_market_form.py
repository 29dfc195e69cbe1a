"""The market form without a browser: set the widgets, press Save, reload, check the file and the
previous version kept in inputs/history/; numbers typed as the form's language writes them, the
threshold in %, the confirm step and the message saying what to run again."""

from __future__ import annotations

import pytest
import yaml

from strategy_kit.errors import ConfigError
from strategy_kit.inputs import input_history
from strategy_kit.inputs.market import Market, load_market, save_market
from strategy_kit.widgets.market import market_form

SEGMENTS = ["Industrie · 50-249", "Santé · 250-999"]
IND, SAN = SEGMENTS


def test_nothing_saved_yet(tmp_path):
    assert load_market(tmp_path) is None
    form = market_form(tmp_path, SEGMENTS, "fr")
    # the threshold is shown in % (the file keeps 0.3), numbers as French writes them
    assert form.unit.value == "accounts" and form.threshold.value == "30" and form.min_deals.value == "20"
    assert form.threshold.description == "Seuil de saturation (%)"
    assert form.addressable[IND].value == ""  # unknown
    assert form.save_button.description == "Enregistrer"


def test_save_reload_and_history(tmp_path):
    form = market_form(tmp_path, SEGMENTS, "en", keys=("sector", "size_band"))
    form.addressable[IND].value = "400"
    form.threshold.value = "25"
    form.save_button.click()

    path = tmp_path / "market.yml"
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["addressable"] == {IND: 400}  # empty (Santé) means unknown: not written
    assert saved["saturation_threshold"] == pytest.approx(0.25)
    assert saved["keys"] == ["sector", "size_band"] and saved["unit"] == "accounts"
    assert input_history(tmp_path, "market") == []
    assert str(path) in form.status.value
    assert "notebook 04" in form.status.value and "notebook 03" in form.status.value  # what to run again

    # Reload into a new form, change it, save again: the first version moves to history/.
    market = load_market(tmp_path)
    assert market == Market(addressable={IND: 400.0}, saturation_threshold=0.25)
    again = market_form(tmp_path, SEGMENTS, "en", market)
    assert again.addressable[IND].value == "400" and again.threshold.value == "25"
    again.unit.value = "revenue"
    again.addressable[IND].value = "0"  # cleared
    again.addressable[SAN].value = 2_500_000  # a number set from code is written as the language writes it
    assert again.addressable[SAN].value == "2,500,000"
    again.min_deals.value = "10"
    again.save_button.click()

    reloaded = load_market(tmp_path)
    assert reloaded.unit == "revenue" and reloaded.min_deals == 10
    assert reloaded.addressable == {SAN: 2_500_000.0}
    history = input_history(tmp_path, "market")
    assert len(history) == 1
    assert yaml.safe_load(history[0].read_text(encoding="utf-8")) == saved


def test_segments_not_shown_are_kept(tmp_path):
    save_market(tmp_path, Market(addressable={"Commerce · 1-9": 900.0}))
    form = market_form(tmp_path, SEGMENTS, "fr", load_market(tmp_path))
    form.addressable[SAN].value = "50"
    form.save()
    assert load_market(tmp_path).addressable == {"Commerce · 1-9": 900.0, SAN: 50.0}


def test_a_french_form_reads_decimal_commas_and_spaces(tmp_path):
    form = market_form(tmp_path, SEGMENTS, "fr")
    form.threshold.value = "12,5"  # 12.5 %, not 125 %
    form.addressable[IND].value = "2 500 000"  # ordinary spaces between thousands
    form.addressable[SAN].value = "1\u202f234,5"  # as Babel writes it
    assert form.save() == tmp_path / "market.yml"
    market = load_market(tmp_path)
    assert market.saturation_threshold == pytest.approx(0.125)
    assert market.addressable == {IND: 2_500_000.0, SAN: 1234.5}
    reopened = market_form(tmp_path, SEGMENTS, "fr", market)
    assert reopened.threshold.value == "12,5"
    assert reopened.addressable[IND].value == "2\u202f500\u202f000"


def test_bad_numbers_are_named_by_their_label_and_nothing_is_written(tmp_path):
    form = market_form(tmp_path, SEGMENTS, "en")
    form.threshold.value = "12,5"  # in English: 125 or 12.5?
    form.addressable[SAN].value = "lots"
    assert form.save() is None
    assert not (tmp_path / "market.yml").exists()
    assert "Nothing was saved" in form.status.value
    assert "Saturation threshold (%): &#x27;12,5&#x27; is ambiguous; write 125 or 12.5" in form.status.value
    assert "Santé · 250-999: &#x27;lots&#x27; is not a number; write for example 2,500,000" in form.status.value

    french = market_form(tmp_path, SEGMENTS, "fr")
    french.threshold.value = "150"  # a share above 100 %: refused by the file's check, shown in %
    assert french.save() is None
    assert (
        "Seuil de saturation (%) : 150\u00a0% n&#x27;est pas une part supérieure à 0 et d&#x27;au plus 100\u00a0%"
        in french.status.value
    )
    assert "fraction" not in french.status.value and "saturation_threshold" not in french.status.value


def test_an_addressable_market_below_the_customers_asks_for_confirmation(tmp_path):
    form = market_form(tmp_path, SEGMENTS, "fr", customers={IND: 500, SAN: 3})
    form.addressable[IND].value = "400"  # fewer accounts than the 500 already customers
    form.addressable[SAN].value = "150"
    assert form.save() is None and not (tmp_path / "market.yml").exists()
    assert form.flow.waiting and form.confirm_button.description == "Confirmer et enregistrer"
    assert "Ces valeurs sont inhabituelles" in form.status.value
    assert (
        "Marché adressable – Industrie · 50-249 : 400 est inférieur au nombre de comptes du segment déjà "
        "clients (500)" in form.status.value
    )
    assert "Santé" not in form.status.value

    form.addressable[IND].value = "450"  # changed after the warning: confirming checks the new value again
    form.confirm_button.click()
    assert not (tmp_path / "market.yml").exists() and "450 est inférieur" in form.status.value
    form.confirm_button.click()  # confirmed for the value shown
    assert load_market(tmp_path).addressable == {IND: 450.0, SAN: 150.0}
    assert not form.flow.waiting and "Marché enregistré" in form.status.value

    form.addressable[IND].value = "900"  # nothing unusual: saved at once
    assert form.save() is not None and load_market(tmp_path).addressable[IND] == 900.0


def test_a_broken_file_says_where_and_how(tmp_path):
    (tmp_path / "market.yml").write_text("unit: euros\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"market\.yml: unit: 'euros' is not one of accounts, revenue"):
        load_market(tmp_path)
    (tmp_path / "market.yml").write_text("addressable: {A: -3}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="addressable 'A': -3 is not a number of 0 or more"):
        load_market(tmp_path)
    # the command line names the YAML key and writes the share as the file holds it, with how to write it
    (tmp_path / "market.yml").write_text("saturation_threshold: 30\n", encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=r"saturation_threshold: 30 is not a share above 0 and at most 1 "
        r"\(in the file, a share is a fraction: 0\.15 for 15%\)",
    ):
        load_market(tmp_path)
