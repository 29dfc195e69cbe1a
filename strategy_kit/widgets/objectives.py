"""The objectives form: the 12-month revenue objective and the intermediate objectives, saved as
data/<client>/inputs/objectives.yml.

In JupyterLab::

    form = objectives_form(ctx.workspace.client(client).inputs, ctx.language, engine, load_objectives(inputs, engine))
    form.widget          # display it; "Save" validates, then writes objectives.yml (atomic, previous version in inputs/history/)

The batch run never shows the form: it reads the saved file with :func:`load_objectives`. A form
whose content does not validate is not saved: the error is shown and the saved file stays as it was.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from strategy_kit.errors import ConfigError
from strategy_kit.inputs import input_path
from strategy_kit.inputs.objectives import INPUT_NAME, KINDS, TEAM, Intermediate, Objectives, data_owners, save_objectives
from strategy_kit.kpis import KpiEngine
from strategy_kit.i18n import label

MODES = ("growth", "revenue")


class IntermediateRow:
    """The widgets of one intermediate objective."""

    def __init__(self, kpis: Mapping[str, str], owners: list[str], language: str, item: Intermediate | None):
        text = lambda key: label(key, language)  # noqa: E731
        today = date.today()
        item = item or Intermediate(next(iter(kpis)), 0.0, "absolute", date(today.year, 1, 1), date(today.year, 12, 31))
        options = [(f"{name} ({kpi})", kpi) for kpi, name in kpis.items()]
        if item.kpi not in kpis:
            options.append((item.kpi, item.kpi))
        narrow = widgets.Layout(width="11em")
        self.kpi = widgets.Dropdown(options=options, value=item.kpi, layout=widgets.Layout(width="24em"))
        self.target = widgets.FloatText(value=item.target, layout=narrow)
        self.kind = widgets.Dropdown(options=[(text(f"objectives.kind.{k}"), k) for k in KINDS], value=item.kind,
                                     layout=narrow)
        self.start = widgets.DatePicker(value=item.start, layout=narrow)
        self.deadline = widgets.DatePicker(value=item.deadline, layout=narrow)
        choices = [TEAM, *owners] if item.owner in (TEAM, *owners) else [TEAM, *owners, item.owner]
        self.owner = widgets.Dropdown(options=[(text("objectives.form.team") if o == TEAM else o, o) for o in choices],
                                      value=item.owner, layout=narrow)
        self.remove = widgets.Checkbox(value=False, description=text("objectives.form.remove"), indent=False,
                                       layout=widgets.Layout(width="8em"))
        self.widget = widgets.HBox([self.kpi, self.target, self.kind, self.start, self.deadline, self.owner,
                                    self.remove])

    def raw(self) -> dict[str, Any]:
        return {"kpi": self.kpi.value, "target": float(self.target.value), "kind": self.kind.value,
                "start": self.start.value.isoformat() if self.start.value else None,
                "deadline": self.deadline.value.isoformat() if self.deadline.value else None,
                "owner": self.owner.value}


class ObjectivesForm:
    """The year, the revenue objective (growth in % or an amount), the new-business share and one
    row per intermediate objective; :meth:`save` (the Save button) validates and writes them."""

    def __init__(self, inputs_dir: Path, language: str, kpis: Mapping[str, str], owners: Iterable[str],
                 objectives: Objectives | None = None, year: int | None = None):
        self.inputs_dir = Path(inputs_dir)
        self.language = language
        self.kpis = dict(kpis)
        self.owners = sorted(set(owners))
        self.initial = objectives or Objectives(year or date.today().year + 1, revenue_growth=0.1)
        text = lambda key: label(key, language)  # noqa: E731
        style = {"description_width": "16em"}
        self.year = widgets.BoundedIntText(value=self.initial.year, min=1900, max=2200,
                                           description=text("objectives.form.year"), style=style)
        self.mode = widgets.Dropdown(options=[(text(f"objectives.form.mode.{m}"), m) for m in MODES],
                                     value="revenue" if self.initial.revenue is not None else "growth",
                                     description=text("objectives.form.mode"), style=style)
        self.growth = widgets.FloatText(value=round((self.initial.revenue_growth or 0.0) * 100, 6),
                                        description=text("objectives.form.growth") + " (%)", style=style)
        self.revenue = widgets.FloatText(value=self.initial.revenue or 0.0,
                                         description=text("objectives.form.revenue"), style=style)
        self.new_business = widgets.FloatText(value=round((self.initial.new_business_share or 0.0) * 100, 6),
                                              description=text("objectives.form.new_business") + " (%)", style=style)
        self.rows: list[IntermediateRow] = [IntermediateRow(self.kpis, self.owners, language, item)
                                            for item in self.initial.intermediate]
        self.rows_box = widgets.VBox([row.widget for row in self.rows])
        self.add_button = widgets.Button(description=text("objectives.form.add"))
        self.add_button.on_click(self.add_row)
        self.save_button = widgets.Button(description=text("objectives.form.save"), button_style="primary")
        self.save_button.on_click(self.save)
        self.status = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HTML(f"<h3>{html.escape(text('objectives.form.title'))}</h3>"
                         f"<p>{html.escape(text('objectives.form.help'))}</p>"),
            self.year, self.mode, self.growth, self.revenue, self.new_business,
            widgets.HTML(f"<h4>{html.escape(text('objectives.form.intermediate'))}</h4>"
                         f"<p>{html.escape(text('objectives.form.intermediate_help'))}</p>"),
            self.rows_box, self.add_button, self.save_button, self.status,
        ])

    def add_row(self, _button: object = None) -> IntermediateRow:
        row = IntermediateRow(self.kpis, self.owners, self.language, None)
        self.rows.append(row)
        self.rows_box.children = [r.widget for r in self.rows]
        return row

    def raw(self) -> dict[str, Any]:
        raw: dict[str, Any] = {"year": int(self.year.value)}
        if self.mode.value == "revenue":
            raw["revenue"] = float(self.revenue.value)
        else:
            raw["revenue_growth"] = float(self.growth.value) / 100
        if self.new_business.value:
            raw["new_business_share"] = float(self.new_business.value) / 100
        raw["intermediate"] = [row.raw() for row in self.rows if not row.remove.value]
        return raw

    def objectives(self) -> Objectives:
        """The objectives the form holds now, validated (:class:`ConfigError` when they are not valid)."""
        source = str(input_path(self.inputs_dir, INPUT_NAME))
        return Objectives.from_dict(self.raw(), source, kpis=self.kpis, owners=self.owners)

    def save(self, _button: object = None) -> Path | None:
        """Validate and save; on a validation error show it and leave the saved file untouched."""
        try:
            objectives = self.objectives()
        except ConfigError as exc:
            self.status.value = f'<span style="color:#b00020">{html.escape(str(exc))}</span>'
            return None
        path = save_objectives(self.inputs_dir, objectives)
        self.status.value = html.escape(label("objectives.form.saved", self.language, path=str(path)))
        return path


def objectives_form(inputs_dir: Path, language: str, engine: KpiEngine, objectives: Objectives | None = None,
                    year: int | None = None) -> ObjectivesForm:
    """The form for the client of ``engine`` (its KPIs and reps), pre-filled with ``objectives``."""
    kpis = {kpi_id: kpi.label(language) for kpi_id, kpi in engine.definitions.items() if kpi.unit != "breakdown"}
    return ObjectivesForm(inputs_dir, language, kpis, data_owners(engine.data), objectives, year)
