"""What the strategist enters (persona, SWOT, objectives), saved as YAML in data/<client>/inputs/.

Saving is atomic (a temporary file renamed over the old one) and keeps the
previous version in ``inputs/history/<name>.<timestamp>.yml``, so an input is
never lost, not even when a save is interrupted.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from strategy_kit.inputs.errors import InputError, InputProblem, fail

__all__ = ["HISTORY_FOLDER", "InputError", "InputProblem", "input_history", "input_path", "load_input", "save_input"]

HISTORY_FOLDER = "history"


def input_path(inputs_dir: Path, name: str) -> Path:
    return inputs_dir / f"{name}.yml"


def load_input(inputs_dir: Path, name: str, default: Any = None) -> Any:
    """The saved input ``name`` (e.g. 'persona'), or ``default`` when it was never saved."""
    path = input_path(inputs_dir, name)
    if not path.is_file():
        return default
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise fail(
            str(path), "inputs.unreadable", error=str(exc).replace("\n", " "), history=str(path.parent / HISTORY_FOLDER)
        ) from None


def save_input(inputs_dir: Path, name: str, value: Any, now: datetime | None = None) -> Path:
    """Write ``value`` as inputs/<name>.yml atomically; the previous file moves to inputs/history/."""
    inputs_dir.mkdir(parents=True, exist_ok=True)
    path = input_path(inputs_dir, name)
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=inputs_dir)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            history = inputs_dir / HISTORY_FOLDER
            history.mkdir(exist_ok=True)
            stamp = (now or datetime.now()).strftime("%Y%m%dT%H%M%S%f")
            os.link(path, history / f"{name}.{stamp}.yml")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def input_history(inputs_dir: Path, name: str) -> list[Path]:
    """Previous versions of an input, oldest first."""
    history = inputs_dir / HISTORY_FOLDER
    return sorted(history.glob(f"{name}.*.yml")) if history.is_dir() else []
