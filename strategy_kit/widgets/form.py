"""What every form shares: numbers typed as the form's language writes them, the status line, and
the confirm step before saving unusual values.

- :class:`NumberText` is a text box read with Babel's ``parse_decimal`` in the form's locale: in a
  French form ``12,5`` is 12.5 and ``2 500 000`` two and a half million; text that could mean two
  numbers (``12,5`` in an English form, ``1.234`` in a French one) is refused with both readings.
  A ``percent`` box takes and shows percentages (``15`` for 15 %) and gives the fraction the file
  keeps (0.15).
- :class:`SaveFlow` runs a form's Save: read and check the entries (any problem is listed, each
  entry named by its label in the form, and nothing is written), then, when some values are unusual
  (a growth above +100 %...), list them and ask for confirmation before writing; after writing, the
  status says where and which cells to run again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from strategy_kit import i18n
from strategy_kit.inputs.errors import FieldPath, InputError, InputProblem, plain_number, problem

NUMBER_KINDS = ("number", "integer", "amount", "percent")
_SPACES = re.compile(r"[ \u00a0\u202f]")
_EXAMPLES = {"number": 12.5, "percent": 12.5, "amount": 2_500_000, "integer": 250}
ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5a00"


class NumberText(widgets.Text):
    """A text box for a number of ``kind`` (:data:`NUMBER_KINDS`) written as ``language`` writes it.

    :meth:`number` reads it (None when empty) in the unit the input file keeps: a ``percent`` box
    shows 15 and gives 0.15. A number set from code (``box.value = 15``) is written in the box as
    the language writes it, in the box's unit.
    """

    value = traitlets.Any("", allow_none=False, help="the text typed in the box").tag(sync=True)

    def __init__(
        self, language: str, kind: str = "number", number: float | None = None, field: FieldPath = (), **kwargs: Any
    ):
        if kind not in NUMBER_KINDS:
            raise ValueError(f"kind must be one of {', '.join(NUMBER_KINDS)}, got {kind!r}")
        self.language, self.kind, self.field = language, kind, tuple(field)
        super().__init__(**kwargs)
        self.show(number)

    @traitlets.validate("value")
    def _written(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if value is None:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return plain_number(value, self.language, grouping=self.kind != "number" or abs(value) >= 10_000)
        return str(value)

    def show(self, number: float | None) -> None:
        """Show ``number`` (in the file's unit: 0.15 for a percent box)."""
        self.value = "" if number is None else number * 100 if self.kind == "percent" else number

    def number(self) -> float | None:
        """The number typed, in the file's unit; :class:`InputError` when the text is not one number."""
        found = parse_number("" if self.value is None else str(self.value), self.language, self.kind, self.field)
        if found is None or self.kind != "percent":
            return found
        return found / 100


def parse_number(text: str, language: str, kind: str = "number", field: FieldPath = ()) -> float | None:
    """``text`` read as ``language`` writes numbers (Babel ``parse_decimal``, strict); None when empty.

    Refused, with a message saying how to write it: text that is not a number, a number with
    decimals where a whole one is expected, and text that reads as two different numbers (``12,5``
    in English: 125 or 12.5; ``1.234`` in French: 1234 or 1.234).
    """
    raw = text.strip()
    if kind == "percent":
        raw = raw.removesuffix("%").strip()
    if not raw:
        return None
    raw = raw.replace("\u2212", "-")  # the minus sign a copied number may hold
    where = i18n.locale(language)
    group, point = get_group_symbol(where), get_decimal_symbol(where)
    if _SPACES.fullmatch(group):
        raw = _SPACES.sub(group, raw)  # 2 500 000 typed with ordinary spaces
    if point != "." and "." in raw and point not in raw and re.search(r"\.\d{3}(?!\d)", raw):
        whole = raw.replace(".", "")
        raise InputError(
            "",
            [
                problem(
                    "forms.number.ambiguous",
                    field,
                    text=text.strip(),
                    one=_example(float(whole), language) if _is_number(whole) else whole,
                    other=raw.replace(".", point),
                )
            ],
        )
    try:
        number = parse_decimal(raw, where, strict=True)
    except NumberFormatError as exc:
        suggestions = list(getattr(exc, "suggestions", None) or [])
        if len(suggestions) >= 2:
            raise InputError(
                "",
                [problem("forms.number.ambiguous", field, text=text.strip(), one=suggestions[0], other=suggestions[1])],
            ) from None
        example = _example(_EXAMPLES[kind], language)
        raise InputError(
            "", [problem("forms.number.not_a_number", field, text=text.strip(), example=example)]
        ) from None
    if kind == "integer" and number != number.to_integral_value():
        raise InputError("", [problem("forms.number.not_whole", field, text=text.strip())])
    return int(number) if kind == "integer" else float(number)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+", text))


def _example(value: float, language: str) -> str:
    return plain_number(value, language, grouping=abs(value) >= 1000)


def read_numbers(boxes: Sequence[NumberText]) -> tuple[dict[FieldPath, float | None], list[InputProblem]]:
    """Every box read: the numbers by field, and the problems of the boxes that hold no number."""
    numbers: dict[FieldPath, float | None] = {}
    problems: list[InputProblem] = []
    for box in boxes:
        try:
            numbers[box.field] = box.number()
        except InputError as exc:
            problems += exc.problems
    return numbers, problems


def status_html(title: str, lines: Sequence[str], colour: str | None = None) -> str:
    """A title and a list of lines, escaped, as the status line of a form shows them."""
    style = f' style="color:{colour}"' if colour else ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<div{style}><p>{html.escape(title)}</p>" + (f"<ul>{items}</ul>" if items else "") + "</div>"


class SaveFlow:
    """Save with checks and a confirm step, for a form of ``language``.

    ``read()`` gives the value to save (or raises :class:`InputError`); ``unusual(value)`` the values
    to confirm (problems whose ``field`` the form names); ``write(value)`` saves and returns the path;
    ``name(field)`` the label of an entry in the form; ``saved_key`` the message said after saving
    (with ``{path}``): where the file is and which cells to run again.
    """

    def __init__(
        self,
        language: str,
        read: Callable[[], Any],
        write: Callable[[Any], Path],
        name: Callable[[FieldPath], str | None],
        saved_key: str,
        unusual: Callable[[Any], list[InputProblem]] | None = None,
    ):
        self.language, self.read, self.write, self.name = language, read, write, name
        self.saved_key, self.unusual = saved_key, unusual or (lambda value: [])
        self.status = widgets.HTML("")
        self.confirm_button = widgets.Button(
            description=i18n.label("forms.confirm.button", language),
            button_style="warning",
            layout=widgets.Layout(display="none"),
        )
        self.confirm_button.on_click(lambda _: self.save(confirmed=True))
        self.pending: Any = None  # the value the unusual values were shown for
        self.saved: Any = None

    @property
    def waiting(self) -> bool:
        """True while unusual values wait for confirmation."""
        return self.confirm_button.layout.display != "none"

    def save(self, confirmed: bool = False) -> Path | None:
        """Check, ask to confirm unusual values (unless ``confirmed`` for the same value), write."""
        try:
            value = self.read()
        except InputError as exc:
            self._ask(False)
            self.status.value = status_html(
                i18n.label("forms.not_saved", self.language), exc.messages(self.language, self.name), ERROR_COLOUR
            )
            return None
        unusual = self.unusual(value)
        if unusual and not (confirmed and value == self.pending):
            self.pending = value
            self._ask(True)
            self.status.value = status_html(
                i18n.label("forms.confirm.title", self.language),
                InputError("", unusual).messages(self.language, self.name),
                WARNING_COLOUR,
            )
            return None
        path = self.write(value)
        self.pending, self.saved = None, value
        self._ask(False)
        self.status.value = status_html(i18n.label(self.saved_key, self.language, path=str(path)), [])
        return path

    def _ask(self, shown: bool) -> None:
        self.confirm_button.layout.display = None if shown else "none"
