"""The buyer persona the strategist saves (inputs/persona.yml): loaded and checked here, entered
in the persona form of notebook 02 (strategy_kit.widgets.persona)."""
from __future__ import annotations

from pathlib import Path

from strategy_kit.inputs import input_path, load_input
from strategy_kit.qualification import PERSONA_INPUT, Persona, persona_from_dict


def load_persona(inputs_dir: Path) -> Persona | None:
    """The persona saved in ``inputs_dir``/persona.yml, or None when none was saved yet."""
    value = load_input(inputs_dir, PERSONA_INPUT)
    if value is None and not input_path(inputs_dir, PERSONA_INPUT).is_file():
        return None
    return persona_from_dict(value, str(input_path(inputs_dir, PERSONA_INPUT)))
