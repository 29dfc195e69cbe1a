"""The market form: the addressable market per segment, saved as data/<client>/inputs/market.yml.

In JupyterLab::

    form = market_form(ctx.workspace.client(client).inputs, table["segment"], ctx.language, load_market(inputs))
    form.widget          # display it; "Save" writes market.yml (atomic, previous version in inputs/history/)

The batch run never shows the form: it reads the saved file with :func:`load_market`.
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import ipywidgets as widgets

from strategy_kit.inputs.market import DEFAULT_KEYS, MARKET_UNITS, Market, save_market
from strategy_kit.i18n import label

class MarketForm:
    """One number per segment (accounts or annual revenue), the unit, the saturation threshold and
    the minimum deals; :meth:`save` (the Save button) writes them."""

    def __init__(self, inputs_dir: Path, segments: Iterable[str], language: str, market: Market | None = None,
                 keys: Iterable[str] | None = None):
        self.inputs_dir = Path(inputs_dir)
        self.language = language
        self.initial = market or Market(keys=tuple(keys or DEFAULT_KEYS))
        if keys is not None:
            self.initial = Market(tuple(keys), self.initial.unit, self.initial.saturation_threshold,
                                  self.initial.min_deals, dict(self.initial.addressable), self.initial.trust_reasons)
        text = lambda key, **f: label(key, language, **f)  # noqa: E731
        self.unit = widgets.Dropdown(
            options=[(text(f"segmentation.form.unit.{u}"), u) for u in MARKET_UNITS],
            value=self.initial.unit, description=text("segmentation.form.unit"),
        )
        self.threshold = widgets.BoundedFloatText(
            value=round(self.initial.saturation_threshold * 100, 4), min=1, max=100, step=1,
            description=text("segmentation.form.threshold") + " (%)",
        )
        self.min_deals = widgets.BoundedIntText(value=self.initial.min_deals, min=1, max=100_000,
                                                description=text("segmentation.form.min_deals"))
        self.addressable: dict[str, widgets.FloatText] = {
            segment: widgets.FloatText(value=self.initial.addressable.get(segment, 0.0), description=segment,
                                       style={"description_width": "16em"},
                                       layout=widgets.Layout(width="28em"))
            for segment in dict.fromkeys(str(s) for s in segments)
        }
        self.save_button = widgets.Button(description=text("segmentation.form.save"), button_style="primary")
        self.status = widgets.HTML()
        self.save_button.on_click(self.save)
        style = {"description_width": "12em"}
        for control in (self.unit, self.threshold, self.min_deals):
            control.style = style
        self.widget = widgets.VBox([
            widgets.HTML(f"<h3>{html.escape(text('segmentation.form.title'))}</h3>"
                         f"<p>{html.escape(text('segmentation.form.help'))}</p>"),
            self.unit, self.threshold, self.min_deals,
            widgets.VBox(list(self.addressable.values())),
            self.save_button, self.status,
        ])

    def market(self) -> Market:
        """The market the form holds now (segments of the saved file not shown here are kept)."""
        addressable = dict(self.initial.addressable)
        for segment, control in self.addressable.items():
            value = control.value
            if value and value > 0:
                addressable[segment] = float(value)
            else:
                addressable.pop(segment, None)
        raw = {**self.initial.to_dict(), "unit": self.unit.value,
               "saturation_threshold": float(self.threshold.value) / 100, "min_deals": int(self.min_deals.value),
               "addressable": addressable}
        return Market.from_dict(raw)

    def save(self, _button: object = None) -> Path:
        path = save_market(self.inputs_dir, self.market())
        self.status.value = html.escape(label("segmentation.form.saved", self.language, path=str(path)))
        return path


def market_form(inputs_dir: Path, segments: Iterable[str], language: str, market: Market | None = None,
                keys: Iterable[str] | None = None) -> MarketForm:
    """The form for ``segments`` pre-filled with ``market`` (the saved input, if any)."""
    return MarketForm(inputs_dir, segments, language, market, keys)
