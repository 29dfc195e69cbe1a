"""The shape of the package: the analytics compute, in small modules, without a language.

import-linter (``make test`` runs it first) keeps the imports one way; these tests keep what an
import contract cannot see."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ANALYTICS = sorted((Path(__file__).resolve().parents[1] / "strategy_kit" / "analytics").glob("*.py"))
MAX_LINES = 600


@pytest.mark.parametrize("path", ANALYTICS, ids=lambda path: path.stem)
def test_an_analytics_module_takes_no_language_and_stays_small(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    # An error's ``reason(language)`` is how every UnavailableError is written, by its message key.
    arguments = {
        a.arg
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name != "reason"
        for a in (*node.args.args, *node.args.kwonlyargs)
    }
    assert "language" not in arguments
    assert len(source.splitlines()) <= MAX_LINES


def test_every_step_has_its_analytics():
    assert {path.stem for path in ANALYTICS} >= {
        "journey",
        "qualification",
        "swot",
        "segmentation",
        "baselines",
        "objectives",
        "rep_targets",
        "overview",
    }


def test_no_module_imports_another_modules_private_names():
    package = ANALYTICS[0].parents[1]
    found = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("strategy_kit"):
                found += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert found == []
