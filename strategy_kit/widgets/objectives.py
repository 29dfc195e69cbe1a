"""The objectives form: the 12-month revenue objective and the intermediate objectives, saved as
data/<client>/inputs/objectives.yml.

In JupyterLab::

    form = objectives_form(ctx.workspace.client(client).inputs, ctx.language, engine, load_objectives(inputs, engine))
    form.widget          # display it; "Save" checks, then writes objectives.yml (atomic, previous version in inputs/history/)

Numbers are typed as the form's language writes them (``12,5``); the growth, the new-business
share, relative targets and targets of rate KPIs are percentages (the file keeps fractions). A
form whose content does not validate is not saved: each problem is listed with the entry's label
and the saved file stays as it was. Unusual values (a growth above +100 % or a fall of more than
50 %, a revenue objective far from the previous fiscal year's revenue, a rate above 100 %, a rise
above +100 %) are listed and saved only once confirmed. The batch run never shows the form: it
reads the saved file with :func:`load_objectives`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from strategy_kit.i18n import format_currency, format_percent, label
from strategy_kit.inputs import input_path
from strategy_kit.inputs.errors import FieldPath, InputError, InputProblem, problem
from strategy_kit.inputs.objectives import (
    INPUT_NAME,
    KINDS,
    TEAM,
    Intermediate,
    Objectives,
    data_owners,
    save_objectives,
    target_kind,
)
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import Period, fiscal_year_bounds
from strategy_kit.widgets.form import NumberText, SaveFlow, read_numbers

MODES = ("growth", "revenue")
COLUMNS = ("kpi", "target", "kind", "start", "deadline", "owner")
GROWTH_ABOVE = 1.0  # a growth above +100 % asks for confirmation
GROWTH_BELOW = -0.5  # ... and so does a fall of more than 50 %
RATE_ABOVE = 1.0  # a rate target above 100 %
RISE_ABOVE = 1.0  # a relative target above +100 %
PreviousRevenue = Callable[[int], float | None]  # fiscal year -> its revenue (None: not known)


class IntermediateRow:
    """The widgets of one intermediate objective; the target box is a percentage for a relative
    target or a rate KPI (``units``: KPI id -> unit), and its unit is shown beside it."""

    def __init__(
        self,
        kpis: Mapping[str, str],
        owners: list[str],
        language: str,
        item: Intermediate | None,
        units: Mapping[str, str] | None = None,
    ):
        text = lambda key: label(key, language)  # noqa: E731
        self.language, self.units = language, dict(units or {})
        today = date.today()
        item = item or Intermediate(next(iter(kpis)), 0.0, "absolute", date(today.year, 1, 1), date(today.year, 12, 31))
        options = [(f"{name} ({kpi})", kpi) for kpi, name in kpis.items()]
        if item.kpi not in kpis:
            options.append((item.kpi, item.kpi))
        self.names = dict(kpis)
        narrow = widgets.Layout(width="11em")
        self.kpi = widgets.Dropdown(options=options, value=item.kpi, layout=widgets.Layout(width="24em"))
        self.kind = widgets.Dropdown(
            options=[(text(f"objectives.kind.{k}"), k) for k in KINDS], value=item.kind, layout=narrow
        )
        self.target = NumberText(language, self._target_kind(), item.target, layout=widgets.Layout(width="8em"))
        self.unit = widgets.Label(layout=widgets.Layout(width="2em"))
        self.start = widgets.DatePicker(value=item.start, layout=narrow)
        self.deadline = widgets.DatePicker(value=item.deadline, layout=narrow)
        choices = [TEAM, *owners] if item.owner in (TEAM, *owners) else [TEAM, *owners, item.owner]
        self.owner = widgets.Dropdown(
            options=[(text("objectives.form.team") if o == TEAM else o, o) for o in choices],
            value=item.owner,
            layout=narrow,
        )
        self.remove = widgets.Checkbox(
            value=False, description=text("objectives.form.remove"), indent=False, layout=widgets.Layout(width="8em")
        )
        self.kpi.observe(self._unit_changed, names="value")
        self.kind.observe(self._unit_changed, names="value")
        self._unit_changed()
        self.widget = widgets.HBox(
            [
                self.kpi,
                widgets.HBox([self.target, self.unit]),
                self.kind,
                self.start,
                self.deadline,
                self.owner,
                self.remove,
            ]
        )

    def _target_kind(self) -> str:
        return "percent" if target_kind(self.kind.value, self.units.get(self.kpi.value)) == "fraction" else "number"

    def _unit_changed(self, _change: object = None) -> None:
        """A relative target or a rate is typed in %: the box reads the text it holds in the new unit."""
        self.target.kind = self._target_kind()
        self.unit.value = "%" if self.target.kind == "percent" else ""

    def raw(self, number: int) -> dict[str, Any]:
        """The row in the YAML form; :class:`InputError` when the target is not a number."""
        self.target.field = ("intermediate", number, "target")
        target = self.target.number()
        return {
            "kpi": self.kpi.value,
            "target": target,
            "kind": self.kind.value,
            "start": self.start.value.isoformat() if self.start.value else None,
            "deadline": self.deadline.value.isoformat() if self.deadline.value else None,
            "owner": self.owner.value,
        }


class ObjectivesForm:
    """The year, the revenue objective (growth in % or an amount), the new-business share (%) and one
    row per intermediate objective; :meth:`save` (the Save button) checks, asks to confirm unusual
    values, and writes them. ``units``: KPI id -> unit (rates are typed in %); ``previous_revenue``:
    the revenue of a fiscal year, to question an amount far from it."""

    def __init__(
        self,
        inputs_dir: Path,
        language: str,
        kpis: Mapping[str, str],
        owners: Iterable[str],
        objectives: Objectives | None = None,
        year: int | None = None,
        units: Mapping[str, str] | None = None,
        previous_revenue: PreviousRevenue | None = None,
        currency: str = "EUR",
    ):
        self.inputs_dir = Path(inputs_dir)
        self.language, self.currency = language, currency
        self.kpis = dict(kpis)
        self.units = dict(units or {})
        self.previous_revenue = previous_revenue
        self.owners = sorted(set(owners))
        self.initial = objectives or Objectives(year or date.today().year + 1, revenue_growth=0.1)
        text = lambda key, **f: label(key, language, **f)  # noqa: E731
        style = {"description_width": "16em"}
        self.year = widgets.BoundedIntText(
            value=self.initial.year, min=1900, max=2200, description=text("objectives.form.year"), style=style
        )
        self.mode = widgets.Dropdown(
            options=[(text(f"objectives.form.mode.{m}"), m) for m in MODES],
            value="revenue" if self.initial.revenue is not None else "growth",
            description=text("objectives.form.mode"),
            style=style,
        )
        self.growth = NumberText(
            language,
            "percent",
            self.initial.revenue_growth or 0.0,
            ("revenue_growth",),
            description=text("forms.percent", label=text("objectives.form.growth")),
            style=style,
        )
        self.revenue = NumberText(
            language,
            "amount",
            self.initial.revenue or 0.0,
            ("revenue",),
            description=text("objectives.form.revenue"),
            style=style,
        )
        self.new_business = NumberText(
            language,
            "percent",
            self.initial.new_business_share,
            ("new_business_share",),
            description=text("forms.percent", label=text("objectives.form.new_business")),
            style=style,
        )
        self.rows: list[IntermediateRow] = [
            IntermediateRow(self.kpis, self.owners, language, item, self.units) for item in self.initial.intermediate
        ]
        self.kept: list[IntermediateRow] = []  # the rows saved, in the order of the file's list
        self.rows_box = widgets.VBox([row.widget for row in self.rows])
        self.add_button = widgets.Button(description=text("objectives.form.add"))
        self.add_button.on_click(self.add_row)
        self.save_button = widgets.Button(description=text("objectives.form.save"), button_style="primary")
        self.save_button.on_click(self.save)
        self.flow = SaveFlow(
            language,
            self.objectives,
            lambda value: save_objectives(self.inputs_dir, value),
            self.name,
            "objectives.form.saved",
            self.unusual,
        )
        self.status, self.confirm_button = self.flow.status, self.flow.confirm_button
        header = widgets.HBox(
            [
                widgets.Label(text(f"objectives.form.column.{c}"), layout=widgets.Layout(width=w))
                for c, w in zip(COLUMNS, ("24em", "10em", "11em", "11em", "11em", "11em"))
            ]
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    f"<h3>{html.escape(text('objectives.form.title'))}</h3>"
                    f"<p>{html.escape(text('objectives.form.help'))}</p>"
                ),
                self.year,
                self.mode,
                self.growth,
                self.revenue,
                self.new_business,
                widgets.HTML(
                    f"<h4>{html.escape(text('objectives.form.intermediate'))}</h4>"
                    f"<p>{html.escape(text('objectives.form.intermediate_help'))}</p>"
                ),
                header,
                self.rows_box,
                self.add_button,
                widgets.HBox([self.save_button, self.confirm_button]),
                self.status,
            ]
        )

    def add_row(self, _button: object = None) -> IntermediateRow:
        row = IntermediateRow(self.kpis, self.owners, self.language, None, self.units)
        self.rows.append(row)
        self.rows_box.children = [r.widget for r in self.rows]
        return row

    def raw(self) -> dict[str, Any]:
        """The form's content in the YAML form; :class:`InputError` when a box holds no number."""
        boxes = [self.revenue if self.mode.value == "revenue" else self.growth, self.new_business]
        numbers, problems = read_numbers(boxes)
        raw: dict[str, Any] = {"year": int(self.year.value)}
        chosen = ("revenue",) if self.mode.value == "revenue" else ("revenue_growth",)
        raw[chosen[0]] = numbers.get(chosen)
        if chosen in numbers and numbers[chosen] is None:
            problems.append(problem("forms.number.missing", chosen))
        if numbers.get(("new_business_share",)):
            raw["new_business_share"] = numbers[("new_business_share",)]
        self.kept = [row for row in self.rows if not row.remove.value]
        raw["intermediate"] = []
        for number, row in enumerate(self.kept, start=1):
            try:
                raw["intermediate"].append(row.raw(number))
            except InputError as exc:
                problems += exc.problems
        if problems:
            raise InputError(label("objectives.form.title", self.language), problems)
        return raw

    def objectives(self) -> Objectives:
        """The objectives the form holds now, validated (:class:`InputError` when they are not valid)."""
        source = str(input_path(self.inputs_dir, INPUT_NAME))
        return Objectives.from_dict(self.raw(), source, kpis=self.kpis, owners=self.owners, units=self.units)

    def name(self, field: FieldPath) -> str | None:
        """The label of an entry in this form (an intermediate objective: its number, KPI and column)."""
        boxes = {
            ("year",): self.year,
            ("revenue_growth",): self.growth,
            ("revenue",): self.revenue,
            ("new_business_share",): self.new_business,
        }
        if field in boxes:
            return boxes[field].description
        if field[:1] == ("intermediate",) and len(field) >= 2 and 1 <= int(field[1]) <= len(self.kept):
            row = self.kept[int(field[1]) - 1]
            column = field[2] if len(field) > 2 else "kpi"
            return label(
                "objectives.form.row_field",
                self.language,
                number=field[1],
                kpi=self.kpis.get(row.kpi.value, row.kpi.value),
                column=label(f"objectives.form.column.{column}", self.language).lower(),
            )
        return None

    def unusual(self, objectives: Objectives) -> list[InputProblem]:
        """Values to confirm before saving: a growth above +100 % or a fall of more than 50 %, an amount
        outside half to twice the previous fiscal year's revenue (or zero), a rate target above 100 %,
        a rise above +100 %."""
        found: list[InputProblem] = []
        percent = lambda value: format_percent(value, self.language, 0)  # noqa: E731
        growth = objectives.revenue_growth
        if growth is not None and growth > GROWTH_ABOVE:
            found.append(
                problem(
                    "forms.confirm.growth_high",
                    ("revenue_growth",),
                    kinds={"value": "fraction"},
                    value=growth,
                    limit=f"+{percent(GROWTH_ABOVE)}",
                )
            )
        if growth is not None and growth < GROWTH_BELOW:
            found.append(
                problem(
                    "forms.confirm.growth_low",
                    ("revenue_growth",),
                    kinds={"value": "fraction"},
                    value=growth,
                    limit=percent(-GROWTH_BELOW),
                )
            )
        if objectives.revenue is not None:
            found += self._far_from_history(objectives.year, objectives.revenue)
        for number, item in enumerate(objectives.intermediate, start=1):
            where = ("intermediate", number, "target")
            if item.kind == "absolute" and self.units.get(item.kpi) == "rate" and item.target > RATE_ABOVE:
                found.append(
                    problem(
                        "forms.confirm.rate_above",
                        where,
                        kinds={"value": "fraction"},
                        value=item.target,
                        limit=percent(RATE_ABOVE),
                    )
                )
            if item.kind == "relative" and item.target > RISE_ABOVE:
                found.append(
                    problem(
                        "forms.confirm.relative_high",
                        where,
                        kinds={"value": "fraction"},
                        value=item.target,
                        limit=f"+{percent(RISE_ABOVE)}",
                    )
                )
        return found

    def _far_from_history(self, year: int, revenue: float) -> list[InputProblem]:
        if revenue == 0:
            return [problem("forms.confirm.revenue_zero", ("revenue",))]
        previous = self.previous_revenue(year - 1) if self.previous_revenue is not None else None
        if not previous or previous <= 0:
            return []
        ratio = revenue / previous
        if 1 + GROWTH_BELOW <= ratio <= 1 + GROWTH_ABOVE:
            return []
        money = lambda value: format_currency(value, self.language, self.currency)  # noqa: E731
        return [
            problem(
                "forms.confirm.revenue_far",
                ("revenue",),
                value=money(revenue),
                ratio=format_percent(ratio, self.language, 0),
                year=str(year - 1),
                previous=money(previous),
            )
        ]

    def save(self, _button: object = None) -> Path | None:
        """Check, ask to confirm unusual values, then save; on a problem show it, the saved file untouched."""
        return self.flow.save()


def fiscal_year_revenue(engine: KpiEngine) -> PreviousRevenue:
    """The revenue of a fiscal year of the client (None when the KPI is not available for it)."""

    def revenue(year: int) -> float | None:
        start, end = fiscal_year_bounds(year, engine.config.fiscal_year_start_month)
        result = engine.compute(Period(str(year), start, end, "year"), kpis=["revenue"])
        value = result.values.get("revenue")
        return None if value is None else float(value)

    return revenue


def objectives_form(
    inputs_dir: Path, language: str, engine: KpiEngine, objectives: Objectives | None = None, year: int | None = None
) -> ObjectivesForm:
    """The form for the client of ``engine`` (its KPIs, their units and its reps), pre-filled with
    ``objectives``; an amount is compared with the revenue of the fiscal year before."""
    kpis = {kpi_id: kpi.label(language) for kpi_id, kpi in engine.definitions.items() if kpi.unit != "breakdown"}
    units = {kpi_id: kpi.unit for kpi_id, kpi in engine.definitions.items()}
    return ObjectivesForm(
        inputs_dir,
        language,
        kpis,
        data_owners(engine.data),
        objectives,
        year,
        units,
        fiscal_year_revenue(engine),
        engine.config.currency,
    )
