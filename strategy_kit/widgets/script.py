"""The call-script form: a script per persona or segment, saved as data/<client>/inputs/script.yml.

In JupyterLab::

    drafts = draft_scripts(script_figures(data, period, persona), language, persona, company)
    form = ScriptForm(inputs_dir, drafts, language)
    form.widget          # display it; "Save" writes script.yml (atomic, previous version in inputs/history/)

A selector chooses the persona or segment; six text areas hold its script (the qualification
questions one per line), opened on the saved script, else on the draft. Switching keeps what was
typed; Save writes the script shown and every script edited in the form, the other saved scripts
kept as they are. The batch run never shows the form: it reads the file with :func:`load_scripts`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets

from strategy_kit.i18n import label
from strategy_kit.inputs import input_path
from strategy_kit.inputs.errors import FieldPath
from strategy_kit.inputs.script import (
    PARTS,
    SCRIPT_INPUT,
    Script,
    load_scripts,
    merged_scripts,
    save_scripts,
    scripts_from_input,
)
from strategy_kit.narrative.script import choice_label
from strategy_kit.widgets.form import SaveFlow


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class ScriptForm:
    """``selector`` (persona or segment), ``texts[part]`` (six text areas), ``save_button``, ``status``.

    ``drafts``: the pre-filled scripts (:func:`strategy_kit.narrative.script.draft_scripts`); the
    saved ones (inputs/script.yml) come first and replace the draft of the same key.
    """

    def __init__(self, inputs_dir: Path, drafts: Sequence[Script], language: str):
        self.inputs_dir = Path(inputs_dir)
        self.language = language
        saved = load_scripts(self.inputs_dir)
        self.saved: list[Script] = list(saved or [])
        self.opened: dict[str, Script] = {s.key: s for s in merged_scripts(list(drafts), self.saved)}
        keys = [s.key for s in self.saved] + [s.key for s in drafts if s.key not in {x.key for x in self.saved}]
        self.keys = keys
        self.edited: dict[str, Script] = {}
        text = lambda key, **f: label(key, language, **f)  # noqa: E731
        self.selector = widgets.Dropdown(
            options=[(choice_label(k, language), k) for k in keys],
            value=keys[0] if keys else None,
            description=text("script.form.for"),
            style={"description_width": "initial"},
        )
        self.texts: dict[str, widgets.Textarea] = {
            part: widgets.Textarea(
                description=text(f"script.part.{part}"),
                placeholder=text("script.form.one_per_line") if part == "questions" else "",
                rows=6 if part in ("offer", "questions") else 3,
                layout=widgets.Layout(width="98%"),
                style={"description_width": "12em"},
            )
            for part in PARTS
        }
        self.shown: str | None = None
        self._show(self.selector.value)
        self.selector.observe(self._switch, names="value")
        self.save_button = widgets.Button(description=text("script.form.save"), button_style="primary", icon="save")
        self.save_button.disabled = not keys  # no persona and no segment: nothing to write
        self.save_button.on_click(lambda _: self.save())
        self.flow = SaveFlow(language, self.scripts, self._write, self.name, "script.form.saved")
        self.status = self.flow.status
        if saved is None:
            self.status.value = html.escape(text("script.form.unsaved"))
        self.widget = widgets.VBox(
            [
                widgets.HTML(f"<h3>{html.escape(text('script.form.title'))}</h3>"),
                self.selector,
                *self.texts.values(),
                widgets.HBox([self.save_button, self.status]),
            ]
        )

    def script(self) -> Script | None:
        """The script shown, as typed (None when the form offers no persona nor segment)."""
        if self.shown is None:
            return None
        parts = {part: area.value.strip() for part, area in self.texts.items()}
        return Script(self.shown, **{**parts, "questions": _lines(self.texts["questions"].value)})

    def _keep_typed(self) -> None:
        typed = self.script()
        if typed is not None and typed != self.opened.get(typed.key):
            self.edited[typed.key] = typed

    def _show(self, key: str | None) -> None:
        self.shown = key
        script = self.edited.get(key) or self.opened.get(key) if key is not None else None
        for part, area in self.texts.items():
            value = getattr(script, part) if script is not None else ""
            area.value = "\n".join(value) if isinstance(value, tuple) else value

    def _switch(self, change: dict) -> None:
        self._keep_typed()
        self._show(change["new"])

    def scripts(self) -> list[Script]:
        """What Save writes: the saved scripts, with the one shown and every one edited in their place
        (checked as the file is: :class:`InputError` naming the part)."""
        self._keep_typed()
        shown = self.script()
        changed = list(self.edited.values()) + ([shown] if shown is not None and shown.key not in self.edited else [])
        merged = merged_scripts(self.saved, changed)
        source = str(input_path(self.inputs_dir, SCRIPT_INPUT))
        return scripts_from_input({s.key: s.to_dict() for s in merged}, source)

    def name(self, field: FieldPath) -> str | None:
        """The label of an entry in this form: the part's text area."""
        part = field[1] if len(field) > 1 else None
        return self.texts[part].description if part in self.texts else None

    def _write(self, scripts: list[Script], now: datetime | None = None) -> Path:
        path = save_scripts(self.inputs_dir, scripts, now=now)
        self.saved = list(scripts)
        self.opened.update({s.key: s for s in scripts})
        self.edited.clear()
        return path

    def save(self) -> Path | None:
        """Check and write script.yml; the status line says where and what to run again, or what to fix."""
        return None if self.shown is None else self.flow.save()


def script_form(inputs_dir: Path, drafts: Sequence[Script], language: str) -> ScriptForm:
    """Build the form (display ``form.widget`` in a notebook)."""
    return ScriptForm(inputs_dir, drafts, language)
