"""The SWOT form: the strategist accepts, edits, removes and adds items, then saves inputs/swot.yml.

The form opens on the saved SWOT when there is one (drafted candidates it does not hold yet are
added, unticked), else on the drafted candidates (all ticked). Saving writes the ticked items with
their edited text and evidence, atomically, the previous version kept in inputs/history/
(:func:`strategy_kit.inputs.save_input`). Everything is plain ipywidgets: a test sets the widgets'
values, clicks the buttons and reads the file back, no browser needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import ipywidgets as widgets

from strategy_kit.i18n import label
from strategy_kit.inputs.swot import QUADRANTS, Swot, SwotItem, load_swot, save_swot
from strategy_kit.widgets.form import status_html


class Candidate(Protocol):
    """A drafted SWOT item, as the evidence rules of the SWOT step give it."""

    quadrant: str
    text: str
    evidence_text: str
    rule: str | None
    ident: str | None


@dataclass
class ItemRow:
    """One item's widgets: keep it (tick), its text, its evidence."""

    quadrant: str
    keep: widgets.Checkbox
    text: widgets.Textarea
    evidence: widgets.Text
    rule: str | None = None
    ident: str | None = None

    @property
    def box(self) -> widgets.Widget:
        return widgets.HBox([self.keep, widgets.VBox([self.text, self.evidence])])

    def item(self) -> SwotItem | None:
        text = self.text.value.strip()
        if not self.keep.value or not text:
            return None
        return SwotItem(self.quadrant, text, self.evidence.value.strip(), self.rule, self.ident)


class SwotForm:
    """The form for one client's inputs folder. ``rows[quadrant]``: the item rows; ``new_text`` /
    ``new_evidence`` / ``add_buttons`` per quadrant add an item; ``save_button`` saves."""

    def __init__(self, inputs_dir: Path, candidates: Sequence[Candidate], language: str, period: str | None = None):
        self.inputs_dir = Path(inputs_dir)
        self.language = language
        self.period = period
        self.rows: dict[str, list[ItemRow]] = {q: [] for q in QUADRANTS}
        self._boxes: dict[str, widgets.VBox] = {}
        self.new_text: dict[str, widgets.Text] = {}
        self.new_evidence: dict[str, widgets.Text] = {}
        self.add_buttons: dict[str, widgets.Button] = {}
        self.status = widgets.HTML("")
        self.save_button = widgets.Button(description=self._label("swot.form.save"), button_style="primary")
        self.save_button.on_click(lambda _: self.save())

        saved = load_swot(self.inputs_dir)
        if saved is None:
            for candidate in candidates:
                self._add_row(
                    candidate.quadrant,
                    candidate.text,
                    candidate.evidence_text,
                    candidate.rule,
                    candidate.ident,
                    keep=True,
                )
        else:
            for item in saved.items:
                self._add_row(item.quadrant, item.text, item.evidence, item.rule, item.ident, keep=True)
            known = {item.ident for item in saved.items if item.ident}
            for candidate in candidates:
                if candidate.ident not in known:
                    self._add_row(
                        candidate.quadrant,
                        candidate.text,
                        candidate.evidence_text,
                        candidate.rule,
                        candidate.ident,
                        keep=False,
                    )
        for quadrant in QUADRANTS:
            self.new_text[quadrant] = widgets.Text(placeholder=self._label("swot.form.new_item"))
            self.new_evidence[quadrant] = widgets.Text(placeholder=self._label("swot.form.evidence"))
            button = widgets.Button(description=self._label("swot.form.add"))
            button.on_click(lambda _, q=quadrant: self.add(q))
            self.add_buttons[quadrant] = button
        self.widget = self._layout()

    def _label(self, key: str, **fields: str) -> str:
        return label(key, self.language, **fields)

    def _add_row(
        self, quadrant: str, text: str, evidence: str, rule: str | None, ident: str | None, keep: bool
    ) -> ItemRow:
        row = ItemRow(
            quadrant=quadrant,
            keep=widgets.Checkbox(
                value=keep, description=self._label("swot.form.keep"), indent=False, layout=widgets.Layout(width="7em")
            ),
            text=widgets.Textarea(value=text, layout=widgets.Layout(width="36em", height="3.2em")),
            evidence=widgets.Text(
                value=evidence, placeholder=self._label("swot.form.evidence"), layout=widgets.Layout(width="36em")
            ),
            rule=rule,
            ident=ident,
        )
        self.rows[quadrant].append(row)
        if quadrant in self._boxes:
            self._boxes[quadrant].children = [r.box for r in self.rows[quadrant]]
        return row

    def add(self, quadrant: str) -> ItemRow | None:
        """Add the typed item to ``quadrant`` (ticked); nothing when the text is empty."""
        text = self.new_text[quadrant].value.strip()
        if not text:
            return None
        row = self._add_row(quadrant, text, self.new_evidence[quadrant].value.strip(), None, None, keep=True)
        self.new_text[quadrant].value = ""
        self.new_evidence[quadrant].value = ""
        return row

    def swot(self) -> Swot:
        """The SWOT the form holds now: the ticked items with their edited text."""
        items = [item for quadrant in QUADRANTS for row in self.rows[quadrant] if (item := row.item()) is not None]
        return Swot(tuple(items), period=self.period, draft=False)

    def save(self, now: datetime | None = None) -> Path:
        """Write inputs/swot.yml; the status says where and which cells to run again."""
        path = save_swot(self.inputs_dir, self.swot(), now=now)
        self.status.value = status_html(self._label("swot.form.saved", path=str(path)), [])
        return path

    def _layout(self) -> widgets.Widget:
        sections = []
        for quadrant in QUADRANTS:
            self._boxes[quadrant] = widgets.VBox([r.box for r in self.rows[quadrant]])
            adder = widgets.HBox([self.new_text[quadrant], self.new_evidence[quadrant], self.add_buttons[quadrant]])
            sections.append(widgets.VBox([self._boxes[quadrant], adder]))
        tabs = widgets.Tab(children=sections)
        for index, quadrant in enumerate(QUADRANTS):
            tabs.set_title(index, self._label(f"swot.quadrant.{quadrant}"))
        return widgets.VBox([tabs, widgets.HBox([self.save_button, self.status])])


def swot_form(inputs_dir: Path, candidates: Sequence[Candidate], language: str, period: str | None = None) -> SwotForm:
    """Build the form (display ``form.widget`` in a notebook)."""
    return SwotForm(inputs_dir, candidates, language, period)
