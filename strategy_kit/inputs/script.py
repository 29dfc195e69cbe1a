"""The call scripts the strategist saves (inputs/script.yml): one per persona or segment, loaded,
checked and saved here, edited in the script form (strategy_kit.widgets.script).

The file maps each script's key (``persona`` for the buyer persona's script, else a segment's
label such as ``Industrie · 50-249``) to its six parts, in the order a rep reads them::

    persona:
      introduction: Bonjour [prénom du contact], [votre prénom], de Acme, à l'appareil.
      opening: ...
      reason: ...
      offer: ...
      questions: [Comment vous organisez-vous aujourd'hui ?, Qui d'autre participe à la décision ?]
      conclusion: ...

Saving is atomic and keeps the previous file in inputs/history/ (:func:`strategy_kit.inputs.save_input`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from strategy_kit.inputs import input_path, load_input, save_input
from strategy_kit.inputs.errors import InputError, InputProblem, problem

SCRIPT_INPUT = "script"
PERSONA_SCRIPT = "persona"  # the key of the buyer persona's script
PARTS = ("introduction", "opening", "reason", "offer", "questions", "conclusion")
TEXT_PARTS = ("introduction", "opening", "reason", "offer", "conclusion")


@dataclass(frozen=True)
class Script:
    """A call script for one persona or segment (``key``): its six parts, in reading order.

    ``questions`` are the qualification questions, one text each; the other parts are texts a rep
    reads aloud (empty: not written yet).
    """

    key: str
    introduction: str = ""
    opening: str = ""
    reason: str = ""
    offer: str = ""
    questions: tuple[str, ...] = ()
    conclusion: str = ""

    def parts(self) -> list[tuple[str, str | tuple[str, ...]]]:
        """``(part, text)`` for the six parts of :data:`PARTS`, in order."""
        return [(part, getattr(self, part)) for part in PARTS]

    def to_dict(self) -> dict[str, Any]:
        """The YAML form of one script (its parts; the key is the entry's name in the file)."""
        return {part: list(value) if isinstance(value, tuple) else value for part, value in self.parts()}

    def with_parts(self, **parts: Any) -> Script:
        """A copy with some parts replaced (``questions`` as any sequence of texts)."""
        if "questions" in parts:
            parts["questions"] = tuple(parts["questions"])
        return replace(self, **parts)


def scripts_to_input(scripts: Sequence[Script]) -> dict[str, Any]:
    """The YAML shape of inputs/script.yml: key -> parts, in the order given."""
    return {script.key: script.to_dict() for script in scripts}


def scripts_from_input(value: Any, source: str = "script.yml") -> list[Script]:
    """Validate the scripts read from YAML; every problem found is listed in one :class:`InputError`
    naming ``source``, the script's key and the part (``script 'persona', entry 'questions'``)."""
    if value is None:
        return []
    if not isinstance(value, Mapping):
        raise InputError(
            source, [problem("inputs.script.not_mapping", parts=", ".join(PARTS), type=type(value).__name__)]
        )
    scripts, problems = [], []
    for key, entry in value.items():
        name = str(key).strip()
        if entry is None:
            entry = {}
        if not isinstance(entry, Mapping):
            problems.append(
                problem(
                    "inputs.script.not_script", (name,), f"script '{name}'", parts=", ".join(PARTS), value=repr(entry)
                )
            )
            continue
        found, errors = _script(name, entry)
        problems += errors
        if found is not None:
            scripts.append(found)
    if problems:
        raise InputError(source, problems)
    return scripts


def _script(key: str, entry: Mapping[Any, Any]) -> tuple[Script | None, list[InputProblem]]:
    problems = []
    unknown = [str(k) for k in entry if k not in PARTS]
    if unknown:
        problems.append(
            problem(
                "inputs.script.unknown",
                (key, unknown[0]),
                f"script '{key}', entry '{unknown[0]}'",
                count=len(unknown),
                names=", ".join(repr(k) for k in unknown),
                parts=", ".join(PARTS),
            )
        )
    parts: dict[str, Any] = {}
    for part in TEXT_PARTS:
        text = entry.get(part)
        if text is None:
            continue
        if not isinstance(text, str):
            problems.append(
                problem("inputs.script.not_text", (key, part), f"script '{key}', entry '{part}'", value=repr(text))
            )
            continue
        parts[part] = text.strip()
    questions = entry.get("questions")
    if isinstance(questions, str):
        questions = [questions]
    if questions is not None:
        if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
            problems.append(
                problem(
                    "inputs.script.not_list",
                    (key, "questions"),
                    f"script '{key}', entry 'questions'",
                    value=repr(questions),
                )
            )
        else:
            parts["questions"] = tuple(q.strip() for q in questions if q.strip())
    if not key:
        problems.append(problem("inputs.script.no_key", (key,), "a script without a name"))
    return (None if problems else Script(key, **parts)), problems


def load_scripts(inputs_dir: Path) -> list[Script] | None:
    """The scripts saved in ``inputs_dir``/script.yml, in the file's order, or None when none was saved."""
    path = input_path(inputs_dir, SCRIPT_INPUT)
    if not path.is_file():
        return None
    return scripts_from_input(load_input(inputs_dir, SCRIPT_INPUT), str(path))


def save_scripts(inputs_dir: Path, scripts: Sequence[Script], now: datetime | None = None) -> Path:
    """Write inputs/script.yml atomically (these scripts only); the previous file moves to inputs/history/."""
    keys = [script.key for script in scripts]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"one script per key; repeated: {', '.join(repeated)}")
    return save_input(inputs_dir, SCRIPT_INPUT, scripts_to_input(scripts), now=now)


def merged_scripts(saved: Sequence[Script], changed: Sequence[Script]) -> list[Script]:
    """``saved`` with each script of ``changed`` in place of the saved one of the same key (new keys
    added at the end, in their order)."""
    by_key = {script.key: script for script in changed}
    merged = [by_key.pop(script.key, script) for script in saved]
    return merged + list(by_key.values())


def save_script(inputs_dir: Path, script: Script, now: datetime | None = None) -> Path:
    """Save one script: the other saved scripts stay as they are, the previous file goes to history."""
    return save_scripts(inputs_dir, merged_scripts(load_scripts(inputs_dir) or [], [script]), now=now)
