from __future__ import annotations

from datetime import datetime

import pytest
import yaml

from strategy_kit.errors import ConfigError
from strategy_kit.inputs import input_history, load_input, save_input


def test_save_keeps_previous_version(tmp_path):
    save_input(tmp_path, "persona", {"sectors": ["Industrie"]}, now=datetime(2026, 1, 1, 9))
    save_input(tmp_path, "persona", {"sectors": ["Santé"]}, now=datetime(2026, 1, 2, 9))
    assert load_input(tmp_path, "persona") == {"sectors": ["Santé"]}
    history = input_history(tmp_path, "persona")
    assert len(history) == 1
    assert "Industrie" in history[0].read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".persona.*"))  # no temporary file left behind


def test_failed_save_leaves_the_saved_input_intact(tmp_path):
    save_input(tmp_path, "swot", {"strengths": ["closing"]})

    class Unserialisable:
        pass

    with pytest.raises(yaml.representer.RepresenterError):
        save_input(tmp_path, "swot", {"strengths": [Unserialisable()]})
    assert load_input(tmp_path, "swot") == {"strengths": ["closing"]}
    assert not list(tmp_path.glob(".swot.*"))


def test_missing_input_gives_default_and_broken_input_a_clear_error(tmp_path):
    assert load_input(tmp_path, "objectives", default={}) == {}
    (tmp_path / "objectives.yml").write_text("growth: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="objectives.yml"):
        load_input(tmp_path, "objectives")
