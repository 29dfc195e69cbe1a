"""The figures a call script quotes (METHOD.md section 7): for whom, and the typical results of
similar customers. Numbers only; the words are :mod:`strategy_kit.narrative.script`.

- **For whom**: the buyer persona (when the strategist saved one with criteria) and the segments
  that win most (:func:`strategy_kit.analytics.segmentation.attractive_segments`: ranked by the
  cautious value of a closed deal, small and saturated segments left out).
- **Similar customers**: for the persona, the accounts that fit it
  (:func:`strategy_kit.analytics.qualification.account_fit`); for a segment, its accounts.
- **Typical results**, from the KPI engine over the twelve months ending on the period's last day
  (:func:`strategy_kit.analytics.segmentation.analysis_window`), for the deals of those accounts:
  ``win_rate`` (deals_won / closed; None without a closed deal), ``avg_deal_size`` (won value /
  deals won with a value) and ``cycle_days`` (median days from creation to win). A figure the
  data cannot give is None, never 0.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from strategy_kit.analytics.qualification import account_fit
from strategy_kit.analytics.segmentation import analysis_window, attractive_segments, segment_table
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.inputs.market import DEFAULT_KEYS, Market
from strategy_kit.inputs.persona import Persona
from strategy_kit.inputs.script import PERSONA_SCRIPT
from strategy_kit.kpis import KpiEngine
from strategy_kit.kpis.dimensions import SEGMENT_SEPARATOR
from strategy_kit.periods import Period

FIGURE_KPIS = ("deals_won", "deals_lost", "win_rate", "avg_deal_size", "sales_cycle_days")
FIT_GROUP = "fit"


@dataclass(frozen=True)
class ScriptFigures:
    """What a script for ``key`` quotes. ``kind``: ``persona`` or ``segment``; ``values``: the
    segment's key values (``{"sector": "Industrie", "size_band": "50-249"}``), or for the persona
    its sectors and size bands; ``won``/``closed``: deals won / closed in ``window``; ``reason``:
    why the segment was chosen (a key of segmentation.REASONS; None for the persona)."""

    key: str
    kind: str
    window: Period
    won: int
    closed: int
    win_rate: float | None
    avg_deal_size: float | None
    cycle_days: float | None
    values: dict[str, tuple[str, ...]]
    reason: str | None = None
    rank: int | None = None


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def persona_figures(data: SalesData, period: Period, persona: Persona) -> ScriptFigures:
    """The persona's typical results: the KPIs of the deals of the accounts that fit it.

    Raises UnavailableError without accounts, or with a persona that sets no criterion."""
    fit = account_fit(data, persona)
    labelled = pd.DataFrame(
        {"account_id": fit["account_id"].astype(str), "sector": fit["fit"].map({True: FIT_GROUP, False: "other"})}
    )
    tables = dict(data.tables)
    tables["accounts"] = labelled
    tables["leads"] = None  # a lead's own sector would come first; no lead KPI is asked for
    engine = KpiEngine(SalesData(data.config, tables, dict(data.excluded)))
    window = analysis_window(period)
    values: dict[str, object] = {}
    if engine.has_dimension("sector"):
        wanted = [k for k in FIGURE_KPIS if k in engine.definitions]
        result = engine.compute(window, by="sector", kpis=wanted)
        values = dict(result.breakdown.get("sector", {}).get(FIT_GROUP, {}))
    won, lost = int(_number(values.get("deals_won")) or 0), int(_number(values.get("deals_lost")) or 0)
    return ScriptFigures(
        key=PERSONA_SCRIPT,
        kind="persona",
        window=window,
        won=won,
        closed=won + lost,
        win_rate=_number(values.get("win_rate")) if won + lost else None,
        avg_deal_size=_number(values.get("avg_deal_size")),
        cycle_days=_number(values.get("sales_cycle_days")),
        values={"sector": persona.sectors, "size_band": persona.size_bands, "region": persona.regions},
    )


def segment_figures(table: pd.DataFrame, n: int = 3) -> list[ScriptFigures]:
    """The typical results of the ``n`` segments that win most, best first, from a
    :func:`strategy_kit.analytics.segmentation.segment_table` (whose figures are the KPI engine's)."""
    chosen = attractive_segments(table, n)
    rows = table.set_index("segment")
    keys: Sequence[str] = table.attrs.get("keys", ())
    found = []
    for item in chosen.itertuples():
        row = rows.loc[item.segment]
        parts = str(item.segment).split(SEGMENT_SEPARATOR)
        found.append(
            ScriptFigures(
                key=str(item.segment),
                kind="segment",
                window=table.attrs["window"],
                won=int(row["won"]),
                closed=int(row["deals"]),
                win_rate=_number(row["win_rate"]) if int(row["deals"]) else None,
                avg_deal_size=_number(row["avg_deal_size"]),
                cycle_days=_number(row["cycle_days"]),
                values={key: (value,) for key, value in zip(keys, parts)},
                reason=str(item.reason),
                rank=int(item.rank),
            )
        )
    return found


def script_figures(
    data: SalesData,
    period: Period,
    persona: Persona | None = None,
    keys: Sequence[str] = DEFAULT_KEYS,
    market: Market | None = None,
    n: int = 3,
    min_deals: int | None = None,
) -> list[ScriptFigures]:
    """The scripts to draft and what each quotes: the persona's first (when given, with criteria,
    and the client has accounts), then the ``n`` segments that win most (``keys``, ``market`` and
    ``min_deals`` as :func:`segment_table` takes them). Whatever the data cannot give is left out
    (no segment table: no segment script)."""
    found = []
    if persona is not None and persona.criteria:
        with contextlib.suppress(UnavailableError):  # no accounts: no persona script
            found.append(persona_figures(data, period, persona))
    try:
        table = segment_table(data, period, keys, market, min_deals)
    except UnavailableError:
        return found
    return found + segment_figures(table, n)
