"""The persona form: the buyer persona, saved as data/<client>/inputs/persona.yml.

In JupyterLab::

    form = PersonaForm(ctx.workspace.client(client).inputs, ctx.data, ctx.language)
    form.widget          # display it; "Save" writes persona.yml (atomic, previous version in inputs/history/)

Sectors, sizes and regions are multi-selects offering the values present in the client's data
(plus any value the saved persona already names); needs, pain points and disqualifiers are text
areas, one item per line. The batch run never shows the form: it reads the saved file with
:func:`load_persona`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from strategy_kit.analytics.qualification_attributes import deal_attributes, lead_attributes
from strategy_kit.data import SalesData
from strategy_kit.i18n import label
from strategy_kit.inputs import input_path, save_input
from strategy_kit.inputs.errors import FieldPath, InputError
from strategy_kit.inputs.persona import PERSONA_INPUT, Persona, band_range, load_persona, persona_from_dict
from strategy_kit.widgets.form import NumberText, SaveFlow, read_numbers

TEXT_ENTRIES = ("needs", "pain_points", "disqualifiers")
CHOICE_ENTRIES = {"sectors": "sector", "size_bands": "size_band", "regions": "region"}


def data_choices(data: SalesData) -> dict[str, list[str]]:
    """The values of sector, size band and region found in the client's deals and leads, for the
    multi-selects (size bands in size order, the others alphabetically)."""
    frames = [deal_attributes(data)] if data.has("deals") else []  # deals are optional (a leads funnel...)
    if data.has("leads"):
        frames.append(lead_attributes(data))
    choices: dict[str, list[str]] = {}
    for entry, column in CHOICE_ENTRIES.items():
        values = (
            pd.concat([f[column] for f in frames if column in f.columns], ignore_index=True)
            if any(column in f.columns for f in frames)
            else pd.Series([], dtype=object)
        )
        found = sorted({str(v) for v in values.dropna()})
        if entry == "size_bands":
            found.sort(key=lambda b: (band_range(b) or (float("inf"), 0))[0])
        choices[entry] = found
    return choices


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _merged(options: Iterable[str], chosen: Iterable[str]) -> list[str]:
    """The data's values, then the persona's values the data lacks (never silently dropped)."""
    options = list(options)
    return options + [v for v in chosen if v not in options]


class PersonaForm:
    """Multi-selects for sectors, sizes and regions, headcount bounds, text areas for needs, pain
    points and disqualifiers, notes; :meth:`save` (the Save button) validates and writes them."""

    def __init__(
        self,
        inputs_dir: Path,
        data: SalesData | None,
        language: str,
        persona: Persona | None = None,
        choices: dict[str, list[str]] | None = None,
    ):
        self.inputs_dir = Path(inputs_dir)
        self.language = language
        if persona is None:
            persona = load_persona(self.inputs_dir)
        self.initial = persona or Persona()
        choices = choices if choices is not None else data_choices(data) if data is not None else {}
        text = lambda key, **f: label(key, language, **f)  # noqa: E731
        layout = widgets.Layout(width="32%")
        self.selects: dict[str, widgets.SelectMultiple] = {}
        for entry in CHOICE_ENTRIES:
            chosen = list(getattr(self.initial, entry))
            options = _merged(choices.get(entry, []), chosen)
            self.selects[entry] = widgets.SelectMultiple(
                options=options,
                value=tuple(chosen),
                rows=min(max(len(options), 4), 10),
                description=text(f"persona.form.{entry}"),
                layout=layout,
                style={"description_width": "initial"},
            )
        self.employees_min = NumberText(
            language,
            "integer",
            self.initial.employees_min,
            ("employees_min",),
            description=text("persona.form.employees_min"),
            style={"description_width": "initial"},
        )
        self.employees_max = NumberText(
            language,
            "integer",
            self.initial.employees_max,
            ("employees_max",),
            description=text("persona.form.employees_max"),
            style={"description_width": "initial"},
        )
        hint = text("persona.form.one_per_line")
        self.texts: dict[str, widgets.Textarea] = {
            entry: widgets.Textarea(
                value="\n".join(getattr(self.initial, entry)),
                placeholder=hint,
                description=text(f"persona.form.{entry}"),
                rows=4,
                layout=widgets.Layout(width="98%"),
                style={"description_width": "initial"},
            )
            for entry in TEXT_ENTRIES
        }
        self.notes = widgets.Textarea(
            value=self.initial.notes,
            description=text("persona.form.notes"),
            rows=2,
            layout=widgets.Layout(width="98%"),
            style={"description_width": "initial"},
        )
        self.save_button = widgets.Button(description=text("persona.form.save"), button_style="primary", icon="save")
        self.save_button.on_click(lambda _: self.save())
        self.flow = SaveFlow(language, self.persona, self._write, self.name, "persona.form.saved")
        self.status = self.flow.status
        if persona is None:
            self.status.value = html.escape(text("persona.form.unsaved"))
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html.escape(text('persona.form.title'))}</h3>"),
                widgets.HBox(list(self.selects.values())),
                widgets.HBox([self.employees_min, self.employees_max]),
                *self.texts.values(),
                self.notes,
                widgets.HBox([self.save_button, self.status]),
            ]
        )

    def value(self) -> dict:
        """The persona as entered, in the YAML form (not yet validated); :class:`InputError` when a
        headcount is not a whole number."""
        value: dict = {entry: list(select.value) for entry, select in self.selects.items()}
        numbers, problems = read_numbers([self.employees_min, self.employees_max])
        if problems:
            raise InputError(label("persona.form.title", self.language), problems)
        for (entry,), number in numbers.items():
            if number is not None:
                value[entry] = number
        for entry, area in self.texts.items():
            value[entry] = _lines(area.value)
        if self.notes.value.strip():
            value["notes"] = self.notes.value.strip()
        return value

    def persona(self) -> Persona:
        """The persona the form holds now, checked (:class:`InputError` naming the form's entries)."""
        return persona_from_dict(self.value(), source=str(input_path(self.inputs_dir, PERSONA_INPUT)))

    def name(self, field: FieldPath) -> str | None:
        """The label of an entry in this form."""
        entry = field[0] if field else None
        if entry in self.selects:
            return self.selects[entry].description
        if entry in self.texts:
            return self.texts[entry].description
        return {
            "employees_min": self.employees_min.description,
            "employees_max": self.employees_max.description,
            "notes": self.notes.description,
        }.get(str(entry))

    def _write(self, persona: Persona) -> Path:
        return save_input(self.inputs_dir, PERSONA_INPUT, persona.to_dict())

    def save(self) -> Path | None:
        """Check and write persona.yml; the status line says where and what to run again, or what to fix."""
        path = self.flow.save()
        if path is not None:
            self.saved = self.flow.saved
        return path
