"""Labels that name a range of numbers (company sizes ``1-9``, ``10 à 49``, ``1000+``, ``<10``,
``50-249 salariés``) and the order they are read in: by their lowest value, not alphabetically
(alphabetically, ``1000+`` comes before ``250-999``).

:func:`range_bounds` reads one label; :func:`range_order` sorts values when every one of them
reads as a range, and keeps them as they are otherwise (sectors or regions have no order of their
own). Values that are no range at all but stand for the rest (``(other)``, ``(none)``) are placed
last, in the order given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

_NUMBER = r"\d{1,3}(?:[ .,]\d{3})+(?!\d)|\d+"
_TO = r"-|–|—|à|a|to|and|et|bis|\.\."
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"[^\d<>≤≥]*?{pattern}[^\d]*", re.IGNORECASE), shape)
    for pattern, shape in (
        (rf"(?:<=|≤)\s*({_NUMBER})", "at_most"),
        (rf"(?:<|moins de|less than|fewer than|under)\s*({_NUMBER})", "below"),
        (rf"(?:>=|≥|>|plus de|more than|over|au moins|at least)\s*({_NUMBER})", "from"),
        (rf"({_NUMBER})\s*(?:{_TO})\s*({_NUMBER})", "between"),
        (rf"({_NUMBER})\s*(?:\+|et plus|ou plus|and more|or more|and over|et au-delà)", "from"),
        (rf"({_NUMBER})", "exactly"),
    )
)


def _number(text: str) -> float:
    return float(re.sub(r"[ .,]", "", text))


def range_bounds(value: Any) -> tuple[float, float] | None:
    """The lowest and highest numbers a range-like label covers, or None when it names no range:
    ``10-49``, ``10 à 49``, ``50-249 salariés`` → (10, 49) or (50, 249); ``1000+``, ``1 000 et
    plus``, ``>= 1000`` → (1000, inf); ``<10`` → (0, 9); ``≤ 9`` → (0, 9); ``12`` → (12, 12).
    Text around the numbers (a unit, a word) is allowed; a label with other numbers is no range."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = re.sub(r"[\u00a0\u202f\u2009]", " ", str(value)).strip()
    text = re.sub(r"\s+", " ", text)
    for pattern, shape in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        first = _number(match[1])
        if shape == "between":
            return first, _number(match[2])
        if shape == "from":
            return first, math.inf
        if shape == "at_most":
            return 0.0, first
        if shape == "below":
            return 0.0, first - 1
        return first, first
    return None


def range_order(values: Iterable[Any], last: Collection[Any] = ()) -> list[Any] | None:
    """``values`` sorted by their lowest then highest number when every one of them (but those of
    ``last``) reads as a range (:func:`range_bounds`), with ``last`` after them in the order met;
    None when some value is no range (the caller keeps its own order)."""
    items = list(dict.fromkeys(values))
    ranged = [v for v in items if v not in last]
    bounds = [range_bounds(v) for v in ranged]
    if not ranged or any(b is None for b in bounds):
        return None
    order = sorted(range(len(ranged)), key=lambda i: bounds[i])  # type: ignore[arg-type,return-value]
    return [ranged[i] for i in order] + [v for v in items if v in last]


def range_sort_key(values: Sequence[Any], last: Collection[Any] = ()) -> dict[Any, int] | None:
    """Each value's position in :func:`range_order` (None when the values are no ranges), to sort
    rows of a table by a column of range-like labels."""
    order = range_order(values, last)
    return None if order is None else {value: position for position, value in enumerate(order)}
