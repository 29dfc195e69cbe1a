"""The market form: the addressable market per segment, saved as data/<client>/inputs/market.yml.

In JupyterLab::

    form = market_form(ctx.workspace.client(client).inputs, table["segment"], ctx.language, load_market(inputs),
                       customers=dict(zip(table["segment"], table["customers"])))
    form.widget          # display it; "Save" checks, then writes market.yml (atomic, previous version in inputs/history/)

Numbers are typed as the form's language writes them (``2 500 000``, ``12,5``); the saturation
threshold is a percentage (the file keeps the fraction). An addressable market below the accounts
of the segment that are already customers asks for confirmation before saving. The batch run never
shows the form: it reads the saved file with :func:`load_market`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from pathlib import Path

import ipywidgets as widgets

from strategy_kit.i18n import format_integer, label
from strategy_kit.inputs import input_path
from strategy_kit.inputs.errors import FieldPath, InputError, InputProblem, problem
from strategy_kit.inputs.market import DEFAULT_KEYS, INPUT_NAME, MARKET_UNITS, Market, save_market
from strategy_kit.widgets.form import NumberText, SaveFlow, read_numbers

THRESHOLD = ("saturation_threshold",)


class MarketForm:
    """One number per segment (accounts or annual revenue), the unit, the saturation threshold (%)
    and the minimum deals; :meth:`save` (the Save button) checks and writes them."""

    def __init__(
        self,
        inputs_dir: Path,
        segments: Iterable[str],
        language: str,
        market: Market | None = None,
        keys: Iterable[str] | None = None,
        customers: Mapping[str, float] | None = None,
    ):
        self.inputs_dir = Path(inputs_dir)
        self.language = language
        self.customers = {str(k): v for k, v in (customers or {}).items()}
        self.initial = market or Market(keys=tuple(keys or DEFAULT_KEYS))
        if keys is not None:
            self.initial = Market(
                tuple(keys),
                self.initial.unit,
                self.initial.saturation_threshold,
                self.initial.min_deals,
                dict(self.initial.addressable),
                self.initial.trust_reasons,
            )
        text = lambda key, **f: label(key, language, **f)  # noqa: E731
        style = {"description_width": "12em"}
        self.unit = widgets.Dropdown(
            options=[(text(f"segmentation.form.unit.{u}"), u) for u in MARKET_UNITS],
            value=self.initial.unit,
            description=text("segmentation.form.unit"),
            style=style,
        )
        self.threshold = NumberText(
            language,
            "percent",
            self.initial.saturation_threshold,
            THRESHOLD,
            description=text("forms.percent", label=text("segmentation.form.threshold")),
            style=style,
        )
        self.min_deals = NumberText(
            language,
            "integer",
            self.initial.min_deals,
            ("min_deals",),
            description=text("segmentation.form.min_deals"),
            style=style,
        )
        self.addressable: dict[str, NumberText] = {
            segment: NumberText(
                language,
                "amount",
                self.initial.addressable.get(segment),
                ("addressable", segment),
                description=segment,
                style={"description_width": "16em"},
                layout=widgets.Layout(width="28em"),
            )
            for segment in dict.fromkeys(str(s) for s in segments)
        }
        self.save_button = widgets.Button(description=text("segmentation.form.save"), button_style="primary")
        self.flow = SaveFlow(
            language,
            self.market,
            lambda market: save_market(self.inputs_dir, market),
            self.name,
            "segmentation.form.saved",
            self.unusual,
        )
        self.status, self.confirm_button = self.flow.status, self.flow.confirm_button
        self.save_button.on_click(self.save)
        self.widget = widgets.VBox(
            [
                widgets.HTML(
                    f"<h3>{html.escape(text('segmentation.form.title'))}</h3>"
                    f"<p>{html.escape(text('segmentation.form.help'))}</p>"
                ),
                self.unit,
                self.threshold,
                self.min_deals,
                widgets.VBox(list(self.addressable.values())),
                widgets.HBox([self.save_button, self.confirm_button]),
                self.status,
            ]
        )

    def name(self, field: FieldPath) -> str | None:
        """The label of an entry in this form."""
        if field[:1] == ("addressable",) and len(field) > 1:
            return f"{label('segmentation.form.addressable', self.language)} – {field[1]}"
        if field == THRESHOLD:
            return self.threshold.description
        if field == ("min_deals",):
            return self.min_deals.description
        if field == ("unit",):
            return self.unit.description
        return None

    def market(self) -> Market:
        """The market the form holds now, checked (:class:`InputError` naming the form's entries);
        segments of the saved file not shown here are kept."""
        numbers, problems = read_numbers([self.threshold, self.min_deals, *self.addressable.values()])
        if problems:
            raise InputError(label("segmentation.form.title", self.language), problems)
        addressable = dict(self.initial.addressable)
        for segment in self.addressable:
            value = numbers[("addressable", segment)]
            if value is not None and value != 0:
                addressable[segment] = value
            else:
                addressable.pop(segment, None)
        raw = {
            **self.initial.to_dict(),
            "unit": self.unit.value,
            "addressable": addressable,
            "saturation_threshold": numbers[THRESHOLD],
            "min_deals": numbers[("min_deals",)],
        }
        for key in ("saturation_threshold", "min_deals"):
            if raw[key] is None:
                raise InputError(
                    label("segmentation.form.title", self.language), [problem("forms.number.missing", (key,))]
                )
        return Market.from_dict(raw, source=str(input_path(self.inputs_dir, INPUT_NAME)))

    def unusual(self, market: Market) -> list[InputProblem]:
        """Addressable accounts below the segment's accounts that are already customers."""
        if market.unit != "accounts":
            return []
        found = []
        for segment, value in market.addressable.items():
            won = self.customers.get(segment)
            if segment in self.addressable and won is not None and value < won:
                found.append(
                    problem(
                        "forms.confirm.addressable_below",
                        ("addressable", segment),
                        kinds={"value": "amount"},
                        value=value,
                        customers=format_integer(won, self.language),
                    )
                )
        return found

    def save(self, _button: object = None) -> Path | None:
        """Check and write market.yml (after confirmation when a value is unusual); None: not saved."""
        return self.flow.save()


def market_form(
    inputs_dir: Path,
    segments: Iterable[str],
    language: str,
    market: Market | None = None,
    keys: Iterable[str] | None = None,
    customers: Mapping[str, float] | None = None,
) -> MarketForm:
    """The form for ``segments`` pre-filled with ``market`` (the saved input, if any); ``customers``:
    accounts of each segment already customers (an addressable market below asks for confirmation)."""
    return MarketForm(inputs_dir, segments, language, market, keys, customers)
