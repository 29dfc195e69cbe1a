"""Which findings lead the report: the ranking rule of the executive summary.

Each chapter offers the findings a sales director should act on, each with the amount at stake
when one can be computed (over twelve months, in the client's currency):

- ``objective``: the year-end projection falls short of the annual objective: the shortfall;
- ``followup``: open deals left without follow-up (exceptions of the follow-up rules): the value
  of those deals at risk;
- ``lever``: the what-if lever that brings the most: its extra revenue;
- ``rep``: a rep behind their target to date: the shortfall to date;
- ``intermediate``: an intermediate objective at risk or off track: the shortfall when the
  objective is an amount, else none;
- ``segment``: a segment to target: the revenue of 10 % more closed deals in it, at its own
  conversion rate and average deal (the what-if's +10 % volume, applied to one segment);
- ``persona``: deals inside the buyer persona win less often than those outside it: none.

The rule (:func:`rank`): findings with an amount first, the largest amount first; then those
without one, in the order of :data:`KINDS`; at most :data:`PER_KIND` findings of one kind (so that
six stage conversions do not fill the page) and :data:`MAX_FINDINGS` in all. Ties keep the order
in which the chapters offered them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, TypeVar

KINDS = ("objective", "rep", "intermediate", "followup", "lever", "segment", "persona")
MAX_FINDINGS = 8
PER_KIND = 2
SEGMENT_UPLIFT = 0.10  # the what-if's volume raise, applied to one segment's closed deals


class Ranked(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def amount(self) -> float | None: ...


Item = TypeVar("Item", bound=Ranked)


def has_amount(item: Ranked) -> bool:
    return item.amount is not None and math.isfinite(item.amount)


def rank(items: Sequence[Item], limit: int = MAX_FINDINGS, per_kind: int = PER_KIND) -> list[Item]:
    """The findings the summary shows, in order (module doc). An unknown kind is a bug: ValueError."""
    unknown = sorted({item.kind for item in items} - set(KINDS))
    if unknown:
        raise ValueError(f"unknown summary finding kinds: {', '.join(unknown)}; known: {', '.join(KINDS)}")
    order = sorted(
        range(len(items)),
        key=lambda i: (
            (0, -float(items[i].amount or 0.0), 0) if has_amount(items[i]) else (1, 0.0, KINDS.index(items[i].kind)),
            i,
        ),
    )
    chosen: list[Item] = []
    taken: dict[str, int] = {}
    for i in order:
        item = items[i]
        if taken.get(item.kind, 0) >= per_kind:
            continue
        taken[item.kind] = taken.get(item.kind, 0) + 1
        chosen.append(item)
        if len(chosen) == limit:
            break
    return chosen


def segment_amount(closed_deals: float | None, win_rate: float | None, avg_won: float | None) -> float | None:
    """Revenue of :data:`SEGMENT_UPLIFT` more closed deals in a segment, at its own conversion rate
    and average won deal; None when one of them is unknown."""
    values = (closed_deals, win_rate, avg_won)
    if any(v is None or not math.isfinite(float(v)) for v in values):
        return None
    return SEGMENT_UPLIFT * float(closed_deals) * float(win_rate) * float(avg_won)  # type: ignore[arg-type]


def shortfall(target: float | None, actual: float | None) -> float | None:
    """How far ``actual`` is below ``target`` (0 when at or above it); None when either is unknown."""
    if target is None or actual is None or not (math.isfinite(target) and math.isfinite(actual)):
        return None
    return max(0.0, float(target) - float(actual))
