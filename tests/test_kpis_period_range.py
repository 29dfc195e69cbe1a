"""A period wholly outside the days a client's data cover is refused (exit 2, the data's range in
the message) by every command that takes a period, whether it lies before or after the data; a
period overlapping them by a single day is accepted."""

from __future__ import annotations

import pytest

from strategy_kit.cli import main
from strategy_kit.config import ClientConfig
from strategy_kit.context import resolve_period
from strategy_kit.data import SalesData
from strategy_kit.errors import PeriodError


@pytest.fixture(scope="module")
def workspace(tiny_workspace: str) -> str:
    return tiny_workspace  # client 'tiny' (tests/conftest.py)


COMMANDS = ["kpis", "objectives", "scorecards", "report"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    "period, where",
    [
        ("2025", "before"),  # ends 2025-12-31
        ("2026-01-01..2026-01-09", "before"),  # ends the day before the first day
        ("0001-Q1", "before"),
        ("0001-01", "before"),
        ("9999-Q4", "after"),
        ("9999", "after"),
        ("2026-04-21..2026-05-01", "after"),  # starts the day after the last day
    ],
)
def test_periods_outside_the_data_are_refused(workspace, capsys, command, period, where):
    capsys.readouterr()
    assert main(["--workspace", workspace, command, "tiny", "--period", period]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{where} the first day" in err if where == "before" else "after the last day" in err
    assert "2026-01-10 to 2026-04-20" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_periods_outside_the_calendar_are_refused(workspace, capsys, command):
    capsys.readouterr()
    assert main(["--workspace", workspace, command, "tiny", "--period", "9999-W52"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "calendar" in err


def test_a_period_touching_the_data_by_one_day_is_accepted(workspace, capsys):
    for period in ("2026-01-01..2026-01-10", "2026-04-20..2026-05-31"):  # ends on the first day / starts on the last
        capsys.readouterr()
        assert main(["--workspace", workspace, "kpis", "tiny", "--period", period, "--format", "json"]) == 0, period


def test_resolve_period_takes_the_data_or_its_last_day_method():
    import pandas as pd

    config = ClientConfig(client="c", display_name="C", language="en")
    deals = pd.DataFrame({"deal_id": ["d"], "status": ["open"], "created_at": pd.to_datetime(["2026-03-01"])})
    data = SalesData(config, {"deals": deals})
    for given in (data, data.last_day):
        with pytest.raises(PeriodError, match="before the first day"):
            resolve_period("2026-02", config, given)
        assert resolve_period("2026-03", config, given).label == "2026-03"
    # A plain function gives the last day only: the check after the data still holds.
    with pytest.raises(PeriodError, match="after the last day"):
        resolve_period("2026-04", config, lambda: data.last_day())
