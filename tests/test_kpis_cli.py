"""``strategy-kit kpis``: formats and exit codes, on a three-deal client imported from a CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from strategy_kit.cli import main


@pytest.fixture(scope="module")
def workspace(tiny_workspace: str) -> str:
    return tiny_workspace  # client 'tiny' (tests/conftest.py)


def test_json(workspace, capsys):
    capsys.readouterr()
    assert (
        main(["--workspace", workspace, "kpis", "tiny", "--period", "2026-Q2", "--format", "json", "--by", "owner"])
        == 0
    )
    shown = json.loads(capsys.readouterr().out)
    assert shown["client"] == "tiny"
    # Won 1 (deal 1, 04-10), lost 1 (deal 2, 04-20).
    assert shown["kpis"]["deals_won"] == 1 and shown["kpis"]["win_rate"] == 0.5
    assert shown["breakdown"]["owner"]["Ana"]["win_rate"] == 1.0
    assert shown["unavailable"]["new_leads"] == "no leads table"


def test_table_and_csv(workspace, capsys):
    capsys.readouterr()
    assert main(["--workspace", workspace, "kpis", "tiny", "--period", "2026-Q2", "--by", "owner,product"]) == 2
    assert "no data for the breakdown 'product'" in capsys.readouterr().err
    assert main(["--workspace", workspace, "kpis", "tiny", "--period", "2026-Q2", "--language", "fr"]) == 0
    out = capsys.readouterr().out
    assert "Taux de transformation" in out and "50,0" in out
    assert (
        main(
            [
                "--workspace",
                workspace,
                "kpis",
                "tiny",
                "--period",
                "2026-Q2",
                "--format",
                "csv",
                "--by",
                "owner",
                "--by",
                "owner",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    won = [r for r in rows if r["kpi"] == "deals_won"]
    assert {(r["dimension"], r["group"], r["value"]) for r in won} == {
        ("", "", "1"),
        ("owner", "Ana", "1"),
        ("owner", "Ben", "0"),
    }


def test_bad_input_exits_with_2(workspace, capsys):
    capsys.readouterr()
    assert main(["--workspace", workspace, "kpis", "tiny", "--period", "2026-Q2", "--by", "colour"]) == 2
    err = capsys.readouterr().err
    assert "unknown breakdown dimension 'colour'" in err and "owner" in err and "Traceback" not in err
    assert main(["--workspace", workspace, "kpis", "tiny", "--period", "2026-Q5"]) == 2
    assert "not a period" in capsys.readouterr().err
    assert main(["--workspace", workspace, "kpis", "nobody", "--period", "2026-Q2"]) == 2
    assert main(["--workspace", workspace, "kpis", "tiny", "--format", "xml"]) == 2
    capsys.readouterr()
    # The data ends on 2026-04-20 (deal 2 lost): a quarter starting after it has nothing to measure.
    assert main(["--workspace", workspace, "kpis", "tiny", "--period", "2026-Q3"]) == 2
    assert "after the last day the data of client 'tiny' covers (2026-04-20)" in capsys.readouterr().err
