"""environment.yml must offer conda users the same dependencies as pyproject.toml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml on Python 3.10 needs tomli")

ROOT = Path(__file__).resolve().parents[1]


def _requirement(text: str) -> tuple[str, str]:
    """('pandas', '>=2.1') from 'pandas>=2.1'; names normalised as PEP 503 does."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*(.*?)\s*", text)
    assert match, f"cannot read requirement {text!r}"
    return re.sub(r"[-_.]+", "-", match[1]).lower(), match[2].replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(_requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    wanted["python"] = project["requires-python"]

    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in environment["dependencies"] if isinstance(d, str) and d != "pip"]
    have = dict(_requirement(d) for d in conda)
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))

    missing = {name: spec for name, spec in wanted.items() if name not in have}
    extra = sorted(set(have) - set(wanted))
    different = {name: (spec, have[name]) for name, spec in wanted.items() if name in have and have[name] != spec}
    assert not missing, f"in pyproject.toml but not environment.yml: {missing}"
    assert not extra, f"in environment.yml but not pyproject.toml: {extra}"
    assert not different, f"version specifiers differ (pyproject, environment.yml): {different}"
    assert "-e ." in pip_section, "environment.yml must install the package itself with pip: -e ."
