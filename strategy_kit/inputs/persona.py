"""The buyer persona the strategist saves (inputs/persona.yml): loaded and checked here, entered
in the persona form of notebook 02 (strategy_kit.widgets.persona)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from strategy_kit.inputs import input_path, load_input
from strategy_kit.inputs.errors import fail

PERSONA_INPUT = "persona"
CRITERIA = ("sector", "size", "region")  # what the persona's rules check, in this order
_INF = float("inf")


@dataclass(frozen=True)
class Persona:
    """The buyer persona (ideal customer profile) the strategist enters (docs/inputs.md, "persona").

    Empty lists set no constraint. ``needs``, ``pain_points`` and ``disqualifiers`` are text for
    the reps and the report; the rules check ``sectors``, the size and ``regions``.
    """

    sectors: tuple[str, ...] = ()
    size_bands: tuple[str, ...] = ()
    employees_min: int | None = None
    employees_max: int | None = None
    regions: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    pain_points: tuple[str, ...] = ()
    disqualifiers: tuple[str, ...] = ()
    notes: str = ""

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criteria this persona sets (among :data:`CRITERIA`)."""
        size = bool(self.size_bands) or self.employees_min is not None or self.employees_max is not None
        active = {"sector": bool(self.sectors), "size": size, "region": bool(self.regions)}
        return tuple(c for c in CRITERIA if active[c])

    def to_dict(self) -> dict[str, Any]:
        """The YAML form saved in inputs/persona.yml (lists, empty entries left out)."""
        value: dict[str, Any] = {}
        for item in fields(self):
            v = getattr(self, item.name)
            if v in (None, "", ()):
                continue
            value[item.name] = list(v) if isinstance(v, tuple) else v
        return value


_LIST_KEYS = ("sectors", "size_bands", "regions", "needs", "pain_points", "disqualifiers")
_INT_KEYS = ("employees_min", "employees_max")
PERSONA_KEYS = (*_LIST_KEYS[:2], *_INT_KEYS, *_LIST_KEYS[2:], "notes")


def persona_from_dict(value: Any, source: str = "persona.yml") -> Persona:
    """Validate a persona read from YAML; :class:`InputError` names ``source``, the entry and the fix."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise fail(source, "inputs.persona.not_mapping", keys=", ".join(PERSONA_KEYS), type=type(value).__name__)
    unknown = [str(k) for k in value if k not in PERSONA_KEYS]
    if unknown:
        raise fail(
            source,
            "inputs.persona.unknown",
            count=len(unknown),
            names=", ".join(repr(k) for k in unknown),
            keys=", ".join(PERSONA_KEYS),
        )
    parsed: dict[str, Any] = {}
    for key in _LIST_KEYS:
        entry = value.get(key)
        if entry is None:
            continue
        if isinstance(entry, str):
            entry = [entry]
        if not isinstance(entry, list) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in entry
        ):
            raise fail(source, "inputs.persona.not_list", (key,), f"entry '{key}'", value=repr(entry))
        items = [str(v).strip() for v in entry]
        parsed[key] = tuple(dict.fromkeys(v for v in items if v))
    for key in _INT_KEYS:
        entry = value.get(key)
        if entry is None:
            continue
        if isinstance(entry, bool) or not isinstance(entry, int) or entry < 0:
            raise fail(
                source,
                "inputs.persona.headcount",
                (key,),
                f"entry '{key}'",
                {"value": "integer"},
                value=entry if isinstance(entry, (int, float)) and not isinstance(entry, bool) else repr(entry),
            )
        parsed[key] = entry
    notes = value.get("notes")
    if notes is not None:
        if not isinstance(notes, str):
            raise fail(source, "inputs.persona.not_text", ("notes",), "entry 'notes'", value=repr(notes))
        parsed["notes"] = notes.strip()
    low, high = parsed.get("employees_min"), parsed.get("employees_max")
    if low is not None and high is not None and low > high:
        raise fail(
            source,
            "inputs.persona.min_above_max",
            ("employees_min",),
            f"entries 'employees_min' ({low}) and 'employees_max' ({high})",
        )
    for band in parsed.get("size_bands", ()):
        if band_range(band) is None and not re.search(r"\d", band):
            raise fail(source, "inputs.persona.band", ("size_bands",), "entry 'size_bands'", band=band)
    return Persona(**parsed)


def band_range(band: str) -> tuple[float, float] | None:
    """The employees a size-band label covers: ``10-49`` → (10, 49), ``1000+`` → (1000, inf), ``<10`` → (0, 9)."""
    text = str(band).replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if m := re.fullmatch(r"(\d+)[-–](\d+)", text):
        return float(m[1]), float(m[2])
    if m := re.fullmatch(r"(\d+)\+", text) or re.fullmatch(r">=?(\d+)", text):
        return float(m[1]), _INF
    if m := re.fullmatch(r"<(\d+)", text):
        return 0.0, float(m[1]) - 1
    return None


def load_persona(inputs_dir: Path) -> Persona | None:
    """The persona saved in ``inputs_dir``/persona.yml, or None when none was saved yet."""
    value = load_input(inputs_dir, PERSONA_INPUT)
    if value is None and not input_path(inputs_dir, PERSONA_INPUT).is_file():
        return None
    return persona_from_dict(value, str(input_path(inputs_dir, PERSONA_INPUT)))
