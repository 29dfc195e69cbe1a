"""The market form without a browser: set the widgets, press Save, reload, check the file and the
previous version kept in inputs/history/."""
from __future__ import annotations

import pytest
import yaml

from strategy_kit.errors import ConfigError
from strategy_kit.inputs import input_history
from strategy_kit.inputs.market import Market
from strategy_kit.inputs.market import load_market, save_market
from strategy_kit.widgets.market import market_form

SEGMENTS = ["Industrie · 50-249", "Santé · 250-999"]


def test_nothing_saved_yet(tmp_path):
    assert load_market(tmp_path) is None
    form = market_form(tmp_path, SEGMENTS, "fr")
    assert form.unit.value == "accounts" and form.threshold.value == 30 and form.min_deals.value == 20
    assert form.save_button.description == "Enregistrer"


def test_save_reload_and_history(tmp_path):
    form = market_form(tmp_path, SEGMENTS, "en", keys=("sector", "size_band"))
    form.addressable["Industrie · 50-249"].value = 400
    form.threshold.value = 25
    form.save_button.click()

    path = tmp_path / "market.yml"
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["addressable"] == {"Industrie · 50-249": 400}  # 0 (Santé) means unknown: not written
    assert saved["saturation_threshold"] == pytest.approx(0.25)
    assert saved["keys"] == ["sector", "size_band"] and saved["unit"] == "accounts"
    assert input_history(tmp_path, "market") == []
    assert str(path) in form.status.value

    # Reload into a new form, change it, save again: the first version moves to history/.
    market = load_market(tmp_path)
    assert market == Market(addressable={"Industrie · 50-249": 400.0}, saturation_threshold=0.25)
    again = market_form(tmp_path, SEGMENTS, "en", market)
    assert again.addressable["Industrie · 50-249"].value == 400 and again.threshold.value == 25
    again.unit.value = "revenue"
    again.addressable["Industrie · 50-249"].value = 0  # cleared
    again.addressable["Santé · 250-999"].value = 2_500_000
    again.min_deals.value = 10
    again.save_button.click()

    reloaded = load_market(tmp_path)
    assert reloaded.unit == "revenue" and reloaded.min_deals == 10
    assert reloaded.addressable == {"Santé · 250-999": 2_500_000.0}
    history = input_history(tmp_path, "market")
    assert len(history) == 1
    assert yaml.safe_load(history[0].read_text(encoding="utf-8")) == saved


def test_segments_not_shown_are_kept(tmp_path):
    save_market(tmp_path, Market(addressable={"Commerce · 1-9": 900.0}))
    form = market_form(tmp_path, SEGMENTS, "fr", load_market(tmp_path))
    form.addressable["Santé · 250-999"].value = 50
    form.save()
    assert load_market(tmp_path).addressable == {"Commerce · 1-9": 900.0, "Santé · 250-999": 50.0}


def test_a_broken_file_says_where_and_how(tmp_path):
    (tmp_path / "market.yml").write_text("unit: euros\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"market\.yml: unit 'euros' is not one of accounts, revenue"):
        load_market(tmp_path)
    (tmp_path / "market.yml").write_text("addressable: {A: -3}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a number"):
        load_market(tmp_path)
