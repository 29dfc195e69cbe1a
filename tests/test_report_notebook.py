"""The notebooks' display helpers (strategy_kit.report.notebook): a part whose data is unavailable
says why and the notebook goes on; a set-up that failed is carried forward to the parts that need
it, which then say "not available" too, without a try/except in the notebook.

Nothing here starts a kernel: what a helper would display is collected from ``_display_html``.
"""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from strategy_kit import i18n
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.report import notebook as nb

NO_ACCOUNTS_FR = (
    "Non disponible : cette partie repose sur la table « Comptes », que le client « acme » n'a pas "
    "importée (déclarez-la sous import: accounts: dans client.yml)"
)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML the helpers display, in order."""
    displayed: list[str] = []
    monkeypatch.setattr(nb, "_display_html", displayed.append)
    return displayed


def context(language: str = "fr") -> Any:
    """The part of a ReportContext the display helpers use, for client 'acme' without accounts."""
    config = ClientConfig(client="acme", display_name="Acme", language=language)
    data = SalesData(config, {"deals": pd.DataFrame({"deal_id": ["1"]})})
    return SimpleNamespace(
        language=language, data=data, label=lambda key, **fields: i18n.label(key, language, **fields)
    )


def text(html: str) -> str:
    import html as markup
    import re

    return markup.unescape(re.sub(r"<[^>]+>", "", html))


def test_an_unavailable_part_says_why_in_the_report_language_and_the_notebook_goes_on(shown):
    ctx = context()
    with nb.section(ctx, "table.accounts") as part:
        ctx.data.require("accounts")
        shown.append("never shown")
    assert [text(h) for h in shown] == ["Comptes", NO_ACCOUNTS_FR]
    assert not part.available and part.error is not None and part.error.key == "unavailable.no_table"


def test_other_errors_are_not_hidden(shown):
    with pytest.raises(ZeroDivisionError), nb.section(context(), "table.accounts"):
        1 / 0  # noqa: B018


def test_a_failed_set_up_is_shown_once_and_each_later_part_repeats_its_reason(shown):
    ctx = context()
    with nb.section(ctx) as setup:  # no title: only the reason
        ctx.data.require("accounts")
    with nb.section(ctx, "table.deals") as first:
        setup.require()
        shown.append("never shown")
    with nb.section(ctx, "table.leads"):
        first.require()  # a part that failed because of the set-up carries the same reason on
    assert [text(h) for h in shown] == [NO_ACCOUNTS_FR, "Affaires", NO_ACCOUNTS_FR, "Leads", NO_ACCOUNTS_FR]
    assert not setup.available and not first.available


def test_later_names_the_message_the_parts_after_a_failed_set_up_give(shown):
    ctx = context("en")
    with nb.section(ctx, later="baseline.none") as setup:
        ctx.data.require("accounts")
    with nb.section(ctx, "table.deals"):
        setup.require()
    assert text(shown[0]).startswith("Not available: this part needs the accounts table (Accounts)")
    assert [text(h) for h in shown[1:]] == [
        "Deals",
        "Not available: the baselines could not be computed (the reason is given at the top of this chapter)",
    ]


def test_later_set_inside_the_set_up_applies_only_to_what_fails_after_it(shown):
    # notebook 06: no objectives saved -> every part repeats that; the plan failed -> "see above".
    ctx = context("en")
    with nb.section(ctx) as nothing_saved:
        raise UnavailableError("objectives.none")
    with nb.section(ctx) as plan_failed:
        plan_failed.later = "objectives.no_plan"
        ctx.data.require("accounts")
    shown.clear()
    for setup in (nothing_saved, plan_failed):
        with nb.section(ctx):
            setup.require()
    assert [text(h) for h in shown] == [
        "Not available: No objectives saved yet: enter them in notebook 06's form or in inputs/objectives.yml "
        "(docs/inputs.md).",
        "Not available: the plan could not be built from the saved objectives (the reason is given at the top of "
        "this chapter).",
    ]


def test_a_part_that_failed_on_its_own_passes_its_later_message_on(shown):
    # notebook 06: the reps' targets failed -> the scorecards say "the targets could not be set".
    ctx = context("en")
    with nb.section(ctx) as plan:
        pass
    with nb.section(ctx, "table.reps", later="objectives.no_targets") as reps:
        plan.require()  # available: nothing happens
        ctx.data.require("accounts")
    with nb.section(ctx, "table.targets"):
        reps.require()
    assert plan.available and plan.error is None
    assert text(shown[-1]) == (
        "Not available: the per-rep targets could not be set (the reason is given in the previous part)."
    )


def test_a_set_up_that_worked_lets_every_part_run(shown):
    ctx = context("en")
    with nb.section(ctx) as setup:
        deals = ctx.data.deals
    with nb.section(ctx, "table.deals"):
        setup.require()
        shown.append(f"{len(deals)} deal")
    assert shown[-1] == "1 deal" and setup.available


def test_or_unavailable_stands_in_for_what_could_not_be_built_and_each_use_says_why(shown):
    ctx = context()
    built = nb.or_unavailable(lambda data, table: data.require(table), ctx.data, "deals")
    assert isinstance(built, pd.DataFrame)  # built: the thing itself
    stand_in = nb.or_unavailable(lambda data, table: data.require(table), ctx.data, "accounts")
    for title in ("table.deals", "table.leads"):
        with nb.section(ctx, title):
            stand_in.funnel(ctx)  # any use raises the reason
    assert [text(h) for h in shown] == ["Affaires", NO_ACCOUNTS_FR, "Leads", NO_ACCOUNTS_FR]
    assert "needs the accounts table" in repr(stand_in)


def test_a_carried_reason_that_escapes_a_notebook_is_still_not_available():
    # The report classifies a notebook's error by class name: the carried one must count as unavailable.
    from strategy_kit.report.render import _error_class_names

    _, unavailable = _error_class_names()
    assert "SetUpUnavailable" in unavailable


def test_the_notebooks_import_the_display_helpers_without_the_renderer_or_the_forms():
    code = (
        "import sys\n"
        "from strategy_kit.report import notebook as nb\n"
        "print(sorted(m for m in ('papermill', 'nbconvert', 'weasyprint', 'ipywidgets', 'strategy_kit.report.render',"
        " 'strategy_kit.report.document') if m in sys.modules))\n"
        "from strategy_kit.report import render_report\n"  # the command line's spelling still works
        "print(render_report.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["[]", "strategy_kit.report.render"]


def test_the_notebooks_use_the_report_package():
    from section_shapes import NOTEBOOKS

    for path in NOTEBOOKS:
        source = path.read_text(encoding="utf-8")
        assert "from strategy_kit.report import notebook as nb" in source, path.name
        assert "from strategy_kit import notebook" not in source, path.name


def test_notebooks_04_and_06_carry_a_failed_set_up_to_every_part_that_needs_it(tmp_path, monkeypatch):
    # Client 'calls': activities only (its deals are dropped after import), a persona and objectives
    # saved. Notebook 04: no accounts -> the set-up and the five segment parts give the same reason
    # (RFM needs the revenue lines: its own reason). Notebook 06: the plan cannot be built -> its
    # reason once at the top, then "the reason is given at the top" in each part needing the plan,
    # the scorecards included (they need the reps' targets, which needed the plan).
    from test_sections_shapes import drop_deals, texts

    from strategy_kit.cli import main

    from section_shapes import NOTEBOOKS, run_notebooks, write_client

    write_client(tmp_path, "calls", tables=("deals", "activities"), inputs=True)
    assert main(["--workspace", str(tmp_path), "import", "calls"]) == 0
    notebooks = [p for p in NOTEBOOKS if p.stem.startswith(("04", "06"))]
    shown = {
        name: texts(items)
        for name, items in run_notebooks(
            monkeypatch, tmp_path, "calls", "2024-Q2", "fr", change=drop_deals, notebooks=notebooks
        ).items()
    }
    no_accounts = (
        "Non disponible : cette partie repose sur la table « Comptes », que le client « calls » n'a pas "
        "importée (déclarez-la sous import: accounts: dans client.yml)"
    )
    segments = shown["04_segmentation"]
    assert segments[:2] == ["Segmentation du marché", no_accounts]
    for title in (
        "Segments à cibler",
        "Performance par segment",
        "Valeur, saturation et ressemblance",
        "Causes de désaffection",
    ):
        assert segments[segments.index(title) + 1] == no_accounts
    see_above = (
        "Non disponible : le plan n'a pas pu être établi à partir des objectifs enregistrés (la raison est "
        "donnée en tête de ce chapitre)."
    )
    objectives = [t for t in shown["06_objectives"] if not t.startswith("VBox")]  # the form (no-pdf)
    assert objectives[0] == "Objectifs commerciaux" and objectives[1].startswith("Non disponible : ")
    assert objectives[1] != see_above
    for title in (
        "Objectif mensuel et trimestriel",
        "Du chiffre d'affaires aux activités : l'entonnoir inversé",
        "Réalisation de l'équipe",
        "Objectifs par commercial et réalisme",
        "Fiches individuelles",
    ):
        assert objectives[objectives.index(title) + 1] == see_above, title


def test_a_kpi_reason_carried_forward_is_written_as_the_kpi_writes_it(shown):
    # kpis.reasons.Unavailable writes its own reason (the table's label): carried, it stays the same.
    from strategy_kit.kpis.reasons import Unavailable as KpiUnavailable

    ctx = context()
    with nb.section(ctx) as setup:
        raise KpiUnavailable("no_table", table="deals")
    with nb.section(ctx, "table.deals"):
        setup.require()
    stand_in = nb.or_unavailable(lambda: (_ for _ in ()).throw(KpiUnavailable("no_table", table="deals")))
    with nb.section(ctx):
        stand_in.funnel()
    assert text(shown[0]) == text(shown[2]) == text(shown[3])
    assert text(shown[0]) == "Non disponible : " + KpiUnavailable("no_table", table="deals").reason("fr")


def test_the_stand_in_answers_python_s_own_questions_without_raising():
    import copy

    stand_in = nb.or_unavailable(context().data.require, "accounts")
    assert not hasattr(stand_in, "_repr_html_")  # IPython's display looks these up
    assert copy.copy(stand_in) is not None


def test_a_charts_alternative_text_is_what_it_says_it_shows():
    from strategy_kit.plots import Chart

    def chart() -> Any:
        figure = Chart(figsize=(4, 2))
        figure.subplots()
        return figure

    titled = chart()
    titled.get_axes()[0].set_title("Pipeline ouvert au 30/09/2026", loc="left")
    assert nb.figure_title(titled) == "Pipeline ouvert au 30/09/2026"
    titled.suptitle("Chiffre d'affaires par mois")  # the figure's own title comes first
    assert nb.figure_title(titled) == "Chiffre d'affaires par mois"
    labelled = chart()
    labelled.get_axes()[0].set_xlabel("Chiffre d'affaires supplémentaire sur 12 mois")
    labelled.get_axes()[0].set_ylabel("Levier")
    assert nb.figure_title(labelled) == "Chiffre d'affaires supplémentaire sur 12 mois · Levier"
    legend_only = chart()
    axes = legend_only.get_axes()[0]
    axes.plot([1, 2], label="Objectif")
    axes.plot([2, 1], label="Réalisé")
    axes.legend()
    assert nb.figure_title(legend_only) == "Objectif · Réalisé"
    assert nb.figure_title(chart()) == ""


def test_the_reports_html_gives_each_chart_its_alternative_text_and_nbconvert_nothing_to_warn_of(caplog):
    # nbconvert writes no alternative text for an SVG image and warned, in every run's manifest,
    # "Alternative text is missing on 9 image(s)".
    import logging

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from strategy_kit.report.document import notebook_html

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    shown = new_code_cell("nb.show_figure(figure)")
    shown.outputs = [
        new_output(
            "display_data",
            data={"image/svg+xml": svg, "text/plain": "<Figure>"},
            metadata={"image/svg+xml": {"alt": "Taux de gain & montant <moyen>"}},
        ),
        new_output("display_data", data={"image/svg+xml": svg, "text/plain": "<Figure>"}),  # shown otherwise
    ]
    with caplog.at_level(logging.WARNING):
        body = notebook_html(nbformat.from_dict(new_notebook(cells=[shown])))

    assert 'alt="Taux de gain &amp; montant &lt;moyen&gt;"' in body
    assert body.count('alt=""') == 1
    assert not [r for r in caplog.records if "Alternative text" in r.getMessage()]
