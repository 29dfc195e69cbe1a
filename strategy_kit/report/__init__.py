"""The report layer: what the notebooks show, the PDF report and the reps' scorecards.

- :mod:`strategy_kit.report.notebook`: what a notebook calls to show titles, texts, tables,
  charts and "not available: <reason>" (``from strategy_kit.report import notebook as nb``);
- :mod:`strategy_kit.report.render`: ``strategy-kit report``, the notebooks run with papermill;
- :mod:`strategy_kit.report.document`: executed notebooks to HTML, the cover, the PDF (WeasyPrint);
- :mod:`strategy_kit.report.scorecards`: ``strategy-kit scorecards``, one PDF per rep;
- :mod:`strategy_kit.report.files`: files and folders replaced in one step, never half-written.

Importing this package loads none of them: a notebook kernel that imports the display helpers
does not load papermill, nbconvert or WeasyPrint. ``from strategy_kit.report import
render_report`` (and the other names of :mod:`~strategy_kit.report.render`) loads the renderer
when asked.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

_RENDER = frozenset({"render_report", "find_notebooks", "ReportError", "ReportFailure"})


def default_notebooks_dir() -> Path:
    """The repository's notebooks/ folder."""
    return Path(__file__).resolve().parents[2] / "notebooks"


def __getattr__(name: str) -> Any:
    if name in _RENDER:
        return getattr(importlib.import_module("strategy_kit.report.render"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
