"""The SWOT the strategist saves (inputs/swot.yml): loaded, checked and saved here, edited in the
SWOT form of notebook 03 (strategy_kit.widgets.swot)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from strategy_kit.errors import StrategyKitError
from strategy_kit.inputs import input_path, load_input, save_input
from strategy_kit.inputs.errors import InputError, problem

SWOT_INPUT = "swot"
QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")


class SwotError(StrategyKitError):
    """A what-if parameter or a saved SWOT that cannot be used."""


class SwotFileError(InputError, SwotError):
    """inputs/swot.yml cannot be used: the file, the entry and the fix (an :class:`InputError`)."""


@dataclass(frozen=True)
class SwotItem:
    """One item of the final SWOT: its text, the evidence shown with it, the rule that drafted it
    (``None``: added by the strategist) and its ``ident`` (``rule:subject``)."""

    quadrant: str
    text: str
    evidence: str = ""
    rule: str | None = None
    ident: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "evidence": self.evidence, "rule": self.rule, "ident": self.ident}


@dataclass(frozen=True)
class Swot:
    """The four quadrants. ``draft`` is true for a SWOT made of drafted candidates nobody saved."""

    items: tuple[SwotItem, ...]
    period: str | None = None
    draft: bool = False

    def quadrant(self, name: str) -> list[SwotItem]:
        return [item for item in self.items if item.quadrant == name]

    @classmethod
    def from_candidates(cls, candidates: Sequence[Any], period: str | None = None) -> Swot:
        """A draft of drafted findings (each with ``quadrant``, ``text``, ``evidence_text``, ``rule``, ``ident``)."""
        return cls(
            tuple(SwotItem(c.quadrant, c.text, c.evidence_text, c.rule, c.ident) for c in candidates),
            period=period,
            draft=True,
        )

    def to_input(self) -> dict[str, Any]:
        """The YAML shape of inputs/swot.yml (docs/inputs.md, section "swot")."""
        value: dict[str, Any] = {"period": self.period}
        for name in QUADRANTS:
            value[name] = [item.as_dict() for item in self.quadrant(name)]
        return value

    @classmethod
    def from_input(cls, value: Any, where: str = "swot.yml") -> Swot:
        """Read the YAML shape back; a malformed file says what and where."""
        if not isinstance(value, Mapping):
            raise SwotFileError(
                where, [problem("inputs.swot.not_mapping", quadrants=", ".join(QUADRANTS), type=type(value).__name__)]
            )
        unknown = sorted(set(map(str, value)) - {"period", *QUADRANTS})
        if unknown:
            raise SwotFileError(
                where,
                [
                    problem(
                        "inputs.swot.unknown",
                        count=len(unknown),
                        names=", ".join(unknown),
                        known=", ".join(("period", *QUADRANTS)),
                    )
                ],
            )
        items = []
        for name in QUADRANTS:
            entries = value.get(name) or []
            if not isinstance(entries, list):
                raise SwotFileError(where, [problem("inputs.swot.not_list", (name,), name)])
            for position, entry in enumerate(entries, start=1):
                if isinstance(entry, str):
                    entry = {"text": entry}
                if not isinstance(entry, Mapping) or not str(entry.get("text") or "").strip():
                    raise SwotFileError(
                        where, [problem("inputs.swot.no_text", (name, position), f"{name} item {position}")]
                    )
                items.append(
                    SwotItem(
                        name,
                        str(entry["text"]).strip(),
                        str(entry.get("evidence") or "").strip(),
                        entry.get("rule"),
                        entry.get("ident"),
                    )
                )
        period = value.get("period")
        return cls(tuple(items), period=None if period is None else str(period), draft=False)


def load_swot(inputs_dir: Path) -> Swot | None:
    """The saved SWOT (inputs/swot.yml), or None when none was saved."""
    value = load_input(inputs_dir, SWOT_INPUT)
    if value is None:
        return None
    return Swot.from_input(value, where=str(input_path(inputs_dir, SWOT_INPUT)))


def save_swot(inputs_dir: Path, swot: Swot, now: datetime | None = None) -> Path:
    """Write inputs/swot.yml atomically; the previous version moves to inputs/history/."""
    return save_input(inputs_dir, SWOT_INPUT, swot.to_input(), now=now)


def shown_swot(saved: Swot | None, candidates: Sequence[Any], period: str | None = None) -> Swot:
    """What the report shows: the saved SWOT, else the drafted candidates marked as a draft."""
    return saved if saved is not None else Swot.from_candidates(candidates, period)
