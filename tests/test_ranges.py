"""Range-like labels (company sizes) read and sorted by their lowest value."""

from __future__ import annotations

import math

import pytest

from strategy_kit.ranges import range_bounds, range_order


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("1000+", (1000, math.inf)),
        ("1\u202f000 et plus", (1000, math.inf)),
        (">= 1000", (1000, math.inf)),
        ("<10", (0, 9)),  # fewer than 10: up to 9
        ("≤ 9", (0, 9)),
        ("10 à 49", (10, 49)),
        ("de 10 à 49 salariés", (10, 49)),
        ("50-249 salariés", (50, 249)),
        ("250–999", (250, 999)),
        ("12", (12, 12)),
    ],
)
def test_range_labels_of_every_shape_are_read(text, bounds):
    assert range_bounds(text) == bounds


@pytest.mark.parametrize("text", ["Santé", "(other)", "10-49 ans 2", None, float("nan")])
def test_labels_that_are_no_range_are_none(text):
    assert range_bounds(text) is None


def test_company_sizes_sort_by_their_lowest_value_not_alphabetically():
    # Alphabetically: 1-9, 10 à 49, 1000+, 250-999 salariés, 50-249, <1 (wrong); by lowest value:
    # <1 (0), 1-9 (1), 10 à 49 (10), 50-249 (50), 250-999 salariés (250), 1000+ (1000); "other" last.
    values = ["1000+", "(other)", "50-249", "10 à 49", "1-9", "250-999 salariés", "<1"]
    assert range_order(values, last={"(other)"}) == [
        "<1",
        "1-9",
        "10 à 49",
        "50-249",
        "250-999 salariés",
        "1000+",
        "(other)",
    ]
    assert range_order(["Santé", "1-9"]) is None  # not every value is a range: the caller's order stays
