"""The reps' scorecards (strategy_kit.report.scorecards): what they say when there is nothing to share."""

from __future__ import annotations

import pytest

from strategy_kit.errors import UnavailableError
from strategy_kit.importer import load_sales_data
from strategy_kit.kpis import KpiEngine
from strategy_kit.report.scorecards import _file_names, team_monthly_target
from strategy_kit.workspace import Workspace


def test_without_objectives_the_scorecards_say_so_in_the_report_language(tiny_workspace: str):
    workspace = Workspace.at(tiny_workspace)
    data = load_sales_data(workspace, "tiny")
    with pytest.raises(UnavailableError) as raised:
        team_monthly_target(workspace, "tiny", data, KpiEngine(data))
    error = raised.value
    assert error.key == "unavailable.scorecards_no_objectives"
    assert error.reason("fr").startswith(
        "le client « tiny » n'a pas encore d'objectifs, il n'y a donc aucun objectif à répartir entre les commerciaux"
    )
    assert str(error).startswith("client 'tiny' has no objectives yet")


def test_two_reps_with_the_same_file_name_get_numbered_files():
    assert _file_names(["Élise Martin", "Elise  Martin", "Ana"]) == [
        "elise-martin.pdf",
        "elise-martin-2.pdf",
        "ana.pdf",
    ]
