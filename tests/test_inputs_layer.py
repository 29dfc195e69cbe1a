"""The strategist's inputs are read without the forms: the command line and the scheduled reports
load and check them through strategy_kit.inputs, which never imports ipywidgets."""

from __future__ import annotations

import subprocess
import sys


def test_the_cli_the_scorecards_and_the_inputs_do_not_load_the_widget_library():
    code = (
        "import sys\n"
        "import strategy_kit.cli, strategy_kit.report.scorecards, strategy_kit.report.render\n"
        "import strategy_kit.inputs.persona, strategy_kit.inputs.market, strategy_kit.inputs.swot, "
        "strategy_kit.inputs.objectives\n"
        "print('ipywidgets' in sys.modules)\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "False"
