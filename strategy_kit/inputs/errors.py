"""What is wrong with a strategist's input, said in the reader's language and where they read it.

A check of :mod:`strategy_kit.inputs` raises :class:`InputError`: the file and a list of
:class:`InputProblem`, each a message ``key`` of :mod:`strategy_kit.i18n` (``i18n/<language>/forms.yml``)
with its ``fields``, the entry it is about (``field``: the path of the YAML key, e.g.
``("intermediate", 2)``) and how that entry is written in the file (``where``, English, e.g.
``intermediate #2 (meetings_held)``).

- ``str(exc)`` is English for the command line: it names the file and the YAML key, so a user
  fixing the file by hand finds the entry, and writes values as the file holds them (``0.15``),
  with how shares are written in the file.
- :meth:`InputError.messages` is for a form: each problem in the form's language, the entry named
  by its label in the form (``Croissance (%) : -150 % rendrait le chiffre d'affaires négatif``),
  shares written as percentages, numbers and dates as the language writes them.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import numbers as babel_numbers

from strategy_kit import i18n
from strategy_kit.errors import ConfigError

FieldPath = tuple[Any, ...]
# How a value of a message is written. "fraction": a share or change saved as a fraction (0.15) and
# entered as a percentage in a form (15 %); "number", "integer", "amount" (a number with grouping),
# "date", "text" (as it is).
VALUE_KINDS = ("fraction", "number", "integer", "amount", "date", "text")


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with an input: message ``key`` and ``fields``, the entry ``field`` (YAML path)
    and ``where`` (how the file names that entry, in English). ``kinds``: how each field is written."""

    key: str
    field: FieldPath = ()
    where: str = ""
    fields: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    kinds: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def text(self, language: str, form: bool = True) -> str:
        """The message in ``language``; ``form``: values as a form shows them, else as the file holds them."""
        shown = {
            name: (written_in_form if form else written_in_file)(value, self.kinds.get(name, "text"), language)
            for name, value in self.fields.items()
        }
        return i18n.label(self.key, language, **shown)

    def in_file(self) -> str:
        """English, for the command line: ``where: message`` with the values as the file holds them."""
        text = self.text("en", form=False)
        return f"{self.where}: {text}" if self.where else text


class InputError(ConfigError):
    """A strategist's input that cannot be used: ``source`` (the file, or the form) and ``problems``.

    ``str()``: English, naming the file and each YAML entry (the CLI prints it, exit code 2).
    :meth:`messages`: the problems in a form's language, each entry named as the form shows it.
    """

    def __init__(self, source: str, problems: Sequence[InputProblem]):
        self.source, self.problems = str(source), list(problems)
        text = "; ".join(problem.in_file() for problem in self.problems)
        if any("fraction" in problem.kinds.values() for problem in self.problems):
            text += " " + i18n.label("inputs.hint.fraction", "en")
        super().__init__(f"{self.source}: {text}. {i18n.label('inputs.fix', 'en')}")

    def messages(self, language: str, name: Callable[[FieldPath], str | None] | None = None) -> list[str]:
        """Each problem in ``language``; ``name(field)`` gives the label of the entry in the form
        (None: the message stands alone)."""
        found = []
        for problem in self.problems:
            text = problem.text(language, form=True)
            shown = name(problem.field) if name is not None else None
            found.append(i18n.label("inputs.problem", language, field=shown, message=text) if shown else text)
        return found


def problem(
    key: str, field: FieldPath = (), where: str = "", kinds: Mapping[str, str] | None = None, **fields: Any
) -> InputProblem:
    """Shorthand: ``problem("inputs.persona.headcount", ("employees_min",), "entry 'employees_min'", value=-3)``."""
    return InputProblem(key, tuple(field), where, fields, dict(kinds or {}))


def fail(
    source: str, key: str, field: FieldPath = (), where: str = "", kinds: Mapping[str, str] | None = None, **fields: Any
) -> InputError:
    """An :class:`InputError` of one problem (``raise fail(...)``)."""
    return InputError(source, [problem(key, field, where, kinds, **fields)])


def written_in_file(value: Any, kind: str, language: str) -> str:
    """A value as the YAML file holds it: ``0.15``, ``-2``, ``2026-12-31``."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def written_in_form(value: Any, kind: str, language: str) -> str:
    """A value as a form in ``language`` shows it: a fraction as a percentage (``-150 %``), numbers
    with the language's separators (``12,5``), dates as the language writes them."""
    if isinstance(value, bool) or not isinstance(value, (int, float, date)):
        if isinstance(value, (list, tuple)):
            return i18n.format_list([str(v) for v in value], language)
        return str(value)
    if isinstance(value, date):
        return i18n.format_date(value, language)
    if kind == "fraction":
        return i18n.format_percent(value, language, decimals_needed(value * 100))
    if kind in ("number", "amount", "integer"):
        return plain_number(value, language, grouping=kind != "number" or abs(value) >= 10_000)
    return str(value)


def decimals_needed(value: float, most: int = 4) -> int:
    """The fewest decimals that write ``value`` as precisely as ``most`` decimals do (``12.5`` -> 1)."""
    target = round(float(value), most)
    return next(d for d in range(most + 1) if round(float(value), d) == target)


def plain_number(value: float, language: str, grouping: bool = True, most: int = 4) -> str:
    """``value`` with the language's separators and only the decimals it has (``12,5``, ``2 500 000``)."""
    decimals = decimals_needed(value, most)
    pattern = ("#,##0" if grouping else "0") + ("." + "#" * decimals if decimals else "")
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_HALF_UP
        number = decimal.Decimal(repr(float(value))).quantize(decimal.Decimal(1).scaleb(-decimals))
        return babel_numbers.format_decimal(number, format=pattern, locale=i18n.locale(language))
