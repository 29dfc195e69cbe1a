"""Text from the client's data is drawn as written in every chart, never parsed as math markup.

A product called ``MG $\\bad{x}$ Special`` once failed the whole report (ParseFatalException). The
charts are :class:`strategy_kit.plots.Chart` figures, which draw every text as plain text; these
tests check that property itself, and that every chart module builds its figures that way.
Every chart function is also drawn with markup in every label source by
tests/test_sections_shapes.py (the notebooks on a client whose names carry markup).
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

import matplotlib
import pytest
from matplotlib.figure import Figure

from strategy_kit.plots import Chart

PLOTS = Path(__file__).resolve().parents[1] / "strategy_kit" / "plots"
MARKUP = r"MG $\bad{x}$ Special"


def markup_chart() -> Chart:
    """Markup in a title, categorical tick labels (created while drawing), an annotation, a legend
    and a figure legend: the places the report's charts put names from data."""
    figure = Chart(figsize=(4, 3), layout="constrained")
    axes = figure.add_subplot()
    names = [f"{MARKUP} {i}" for i in range(12)]
    axes.barh(range(12), range(12), label=MARKUP)
    axes.set_yticks(range(12), names)
    axes.set_xticks(range(3), ["$x$", r"\alpha", MARKUP])
    axes.annotate(MARKUP, (1, 1))
    axes.set_title(MARKUP)
    axes.legend()
    figure.legend([MARKUP])
    return figure


@pytest.mark.parametrize("form", ["svg", "png", "pdf"])
def test_markup_in_any_text_of_a_chart_is_drawn_as_plain_text(form: str):
    output = io.BytesIO()
    markup_chart().savefig(output, format=form, bbox_inches="tight")
    assert output.getvalue()


def test_the_svg_shows_the_name_as_written():
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        output = io.StringIO()
        markup_chart().savefig(output, format="svg", bbox_inches="tight")
    assert r"MG $\bad{x}$ Special" in output.getvalue()


def test_a_plain_figure_would_fail_so_the_test_above_means_something():
    figure = Figure()
    figure.add_subplot().set_title(MARKUP)
    with pytest.raises(ValueError, match="bad"):
        figure.savefig(io.BytesIO(), format="svg")


def test_the_global_setting_is_left_as_it_was():
    before = matplotlib.rcParams["text.parse_math"]
    markup_chart().savefig(io.BytesIO(), format="svg", bbox_inches="tight")
    assert matplotlib.rcParams["text.parse_math"] == before


@pytest.mark.parametrize("module", sorted(p.name for p in PLOTS.glob("*.py")))
def test_every_chart_module_builds_its_figures_as_charts(module: str):
    tree = ast.parse((PLOTS / module).read_text(encoding="utf-8"))
    built = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"Figure", "Chart"}
    }
    built |= {
        "pyplot"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in {"figure", "subplots"}
        and isinstance(node.value, ast.Name)
        and node.value.id == "plt"
    }
    assert "Figure" not in built and "pyplot" not in built, f"{module}: build figures with Chart(...)"


@pytest.mark.parametrize(
    "unit, values",
    [("currency", [0.0, 0.0]), ("currency", [0.2, 0.9]), ("count", [0.0, 3.0]), ("currency", [0.0, 2_500_000.0])],
)
def test_a_value_axis_never_repeats_a_label(unit, values):
    # An empty or tiny range used to read "0 € 0 € 0 € 1 €": amounts and counts tick on whole values.
    from strategy_kit.plots import value_axis

    figure = Chart(figsize=(4, 3))
    axes = figure.add_subplot()
    axes.plot([0, 1], values)
    value_axis(axes.yaxis, unit, "fr")
    figure.canvas.draw()
    labels = [tick.get_text() for tick in axes.get_yticklabels() if tick.get_text()]
    assert labels and len(labels) == len(set(labels)), labels
