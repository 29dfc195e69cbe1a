"""Property: for any small client — each optional table absent, present without rows, or present;
each optional column absent, empty in every row, or filled; one deal, no closed deal, duplicate
timestamps, unicode and markup in names — every registry KPI of a period is a finite number, null
(with the reason a rate or median has no denominator), or unavailable with a reason; never an
exception, and never 0 for a currency or rate KPI whose inputs are all missing."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.kpis import KpiEngine
from strategy_kit.kpis.terminal import render_result
from strategy_kit.periods import parse_period

CONFIG = ClientConfig(client="p", display_name="P", language="en")
STAGE_IDS = [*CONFIG.stage_ids, "unknown-stage"]
# A quarter, a single day (which duplicate timestamps fall on), and the calendar's first and last
# quarters (no year before the first one).
PERIODS = [parse_period(label) for label in ("2026-Q2", "2026-04-01..2026-04-01", "0001-Q1", "9999-Q4")]
# Few distinct timestamps, so that rows often share one (to the second); some in P, some around it.
TIMES = pd.to_datetime(
    [
        "2026-03-31 23:59",
        "2026-04-01 00:00",
        "2026-04-01 00:00",
        "2026-05-15 10:30",
        "2026-06-30 23:59",
        "2026-07-01 00:00",
        "2025-05-15 12:00",
    ]
)
NAMES = ["Ana", "Zoë Ångström", "MG $\\bad{x}$ Special", "<b>bold</b>", "  ", "1000+", "x" * 60]
IDS = ["1", "2", "3", " 3", "é"]

ABSENT, EMPTY, FILLED = "absent", "empty", "filled"


@st.composite
def columns(draw, n: int, spec: dict[str, st.SearchStrategy]) -> dict[str, Any]:
    """Each optional column absent, empty in every row, or filled (values may still be missing)."""
    found: dict[str, Any] = {}
    for name, values in spec.items():
        shape = draw(st.sampled_from((ABSENT, EMPTY, FILLED)))
        if shape == EMPTY:
            found[name] = [None] * n
        elif shape == FILLED:
            found[name] = draw(st.lists(st.one_of(st.none(), values), min_size=n, max_size=n))
    return found


def frame(required: dict[str, list], optional: dict[str, Any], dates: tuple[str, ...]) -> pd.DataFrame:
    result = pd.DataFrame({**required, **optional})
    for column in dates:
        if column in result:
            result[column] = pd.to_datetime(result[column])
    return result


times = st.sampled_from(list(TIMES))
names = st.sampled_from(NAMES)
ids = st.sampled_from(IDS)
amounts = st.sampled_from([0.0, 1.0, 250.5, 1e6])


@st.composite
def tables(draw) -> dict[str, pd.DataFrame]:
    found: dict[str, pd.DataFrame] = {}

    def rows(table: str, most: int) -> int | None:
        shape = draw(st.sampled_from((ABSENT, EMPTY, FILLED)))
        return None if shape == ABSENT else 0 if shape == EMPTY else draw(st.integers(1, most))

    if (n := rows("deals", 5)) is not None:
        statuses = draw(st.lists(st.sampled_from(["open", "won", "lost"]), min_size=n, max_size=n))
        found["deals"] = frame(
            {"deal_id": [str(i) for i in range(n)], "status": statuses},
            draw(
                columns(
                    n,
                    {
                        "value": amounts,
                        "created_at": times,
                        "closed_at": times,
                        "owner": names,
                        "product": names,
                        "account_id": ids,
                        "lead_id": ids,
                        "source": names,
                        "stage": st.sampled_from(STAGE_IDS),
                        "campaign": names,
                    },
                )
            ),
            ("created_at", "closed_at"),
        )
    if (n := rows("activities", 6)) is not None:
        kinds = draw(
            st.lists(st.sampled_from(["call", "email", "meeting", "linkedin", "task", "other"]), min_size=n, max_size=n)
        )
        found["activities"] = frame(
            {"activity_id": [f"a{i}" for i in range(n)], "type": kinds},
            draw(
                columns(
                    n,
                    {
                        "at": times,
                        "direction": st.sampled_from(["outbound", "inbound"]),
                        "outcome": st.sampled_from(
                            ["connected", "meeting_booked", "opened", "replied", "accepted", "sent", "no_answer"]
                        ),
                        "deal_id": st.sampled_from(["0", "1", "9"]),
                        "lead_id": ids,
                        "owner": names,
                        "channel": names,
                    },
                )
            ),
            ("at",),
        )
    if (n := rows("leads", 4)) is not None:
        found["leads"] = frame(
            {"lead_id": [IDS[i] for i in range(n)]},
            draw(
                columns(
                    n, {"created_at": times, "deal_id": ids, "converted_at": times, "owner": names, "source": names}
                )
            ),
            ("created_at", "converted_at"),
        )
    if (n := rows("revenue", 5)) is not None:
        found["revenue"] = frame(
            {"invoice_id": [f"r{i}" for i in range(n)]},
            draw(
                columns(
                    n,
                    {
                        "date": times,
                        "amount": amounts,
                        "account_id": ids,
                        "product": names,
                        "deal_id": st.sampled_from(["0", "1"]),
                    },
                )
            ),
            ("date",),
        )
        for needed in ("date", "amount"):  # required columns of the revenue lines: present, maybe empty
            if needed not in found["revenue"]:
                found["revenue"][needed] = pd.Series([None] * n, dtype="object")
        found["revenue"]["date"] = pd.to_datetime(found["revenue"]["date"])
    if (n := rows("accounts", 3)) is not None:
        found["accounts"] = frame(
            {"account_id": IDS[:n]}, draw(columns(n, {"sector": names, "size_band": names, "region": names})), ()
        )
    if "deals" in found and (n := rows("stage_history", 6)) is not None:
        found["stage_history"] = frame(
            {
                "deal_id": draw(st.lists(st.sampled_from(["0", "1", "2", "9"]), min_size=n, max_size=n)),
                "stage": draw(st.lists(st.sampled_from(STAGE_IDS), min_size=n, max_size=n)),
            },
            draw(columns(n, {"entered_at": times, "inferred": st.booleans()})),
            ("entered_at",),
        )
    return found


def _missing(table: pd.DataFrame | None, column: str | None = None) -> bool:
    """The table is absent or has no rows, or the column holds no value."""
    if table is None or not len(table):
        return True
    return column is not None and (column not in table or table[column].isna().all())


def _needed_columns(needs: tuple[str, ...]) -> list[tuple[str, str]]:
    """The ``table.column`` entries of a KPI's needs (entries naming alternatives are skipped)."""
    found = []
    for entry in needs:
        if re.fullmatch(r"\w+\.\w+", entry):
            table, column = entry.split(".")
            found.append((table, column))
    return found


def _inputs_all_missing(
    kpi_id: str, unit: str, rows: str, needs: tuple[str, ...], data: dict[str, pd.DataFrame]
) -> bool:
    """A currency or rate KPI whose inputs hold no value: its table is absent or empty, or one of
    the columns it needs (``activities.outcome`` for call_connect_rate) is empty in every row."""
    deals, lines = data.get("deals"), data.get("revenue")
    if unit in ("currency", "currency_per_day", "breakdown"):
        if rows == "revenue" and lines is not None:
            return _missing(lines, "amount")
        return _missing(deals, "value")
    if unit == "rate":
        table = {
            "deals": deals,
            "stage_history": deals,
            "activities": data.get("activities"),
            "leads": data.get("leads"),
            "revenue": lines if lines is not None else deals,
        }[rows]
        if _missing(table):
            return True
        return any(
            _missing(data.get(name), column) for name, column in _needed_columns(needs) if column != "direction"
        )  # a missing direction is outbound (the data model's default)
    return False


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=tables(), breakdown=st.integers(0, 99), period=st.sampled_from(PERIODS))
def test_every_kpi_is_a_number_null_or_unavailable(data, breakdown, period):
    engine = KpiEngine(SalesData(CONFIG, data))
    dimensions = engine.available_dimensions()  # standard, custom (campaign, channel) and calendar ones
    by = [dimensions[breakdown % len(dimensions)]] if dimensions else []
    result = engine.compute(period, by=by)
    json.dumps(result.to_json("p"), allow_nan=False)  # machine output: no NaN, no inf
    render_result(result, CONFIG, "fr", width=100)
    result.table()
    for kpi_id, definition in result.definitions.items():
        if kpi_id in result.unavailable:
            assert result.unavailable[kpi_id], kpi_id  # a reason, in words
            continue
        if definition.unit == "breakdown":
            values = list(result.by_product.values())
        else:
            values = [result.values[kpi_id]]
            values += (
                [groups[kpi_id] for groups in result.breakdown.get(by[0], {}).values() if kpi_id in groups]
                if by
                else []
            )
        for value in values:
            assert value is None or (isinstance(value, (int, float)) and math.isfinite(value)), (kpi_id, value)
        if _inputs_all_missing(kpi_id, definition.unit, definition.rows, definition.needs, data):
            assert all(v != 0 for v in values if v is not None) or not values, (kpi_id, values)


def test_a_needed_column_empty_in_every_row_is_unavailable_never_0():
    # Two calls in Q2 whose outcome column is empty in every row: calls_made is 2, but no call
    # outcome is recorded at all, so the outcome rates cannot be 0: they are unavailable.
    activities = pd.DataFrame(
        {
            "activity_id": ["a1", "a2"],
            "type": ["call", "call"],
            "at": pd.to_datetime(["2026-04-02 10:00", "2026-05-03 11:00"]),
            "outcome": [None, None],
        }
    )
    data = {"activities": activities}
    result = KpiEngine(SalesData(CONFIG, data)).compute(PERIODS[0])
    assert result.values["calls_made"] == 2
    for kpi_id in ("call_connect_rate", "call_meeting_rate", "callbacks"):
        assert result.unavailable[kpi_id] == "no call outcomes in the data", kpi_id
    definition = result.definitions["call_connect_rate"]
    assert _inputs_all_missing("call_connect_rate", definition.unit, definition.rows, definition.needs, data)


def test_activities_without_any_at_are_unavailable_never_0():
    # Two outbound activities on leads created in Q2, the `at` column empty in every row: no
    # activity can be placed in a period nor after a lead's creation, so the activity, outreach and
    # lead-contact KPIs are unavailable ("no at in the activities"), never 0 (before: 0 calls made,
    # 0 % of leads contacted within 24 h or followed up).
    leads = pd.DataFrame({"lead_id": ["l1", "l2"], "created_at": pd.to_datetime(["2026-04-02", "2026-05-02"])})
    activities = pd.DataFrame(
        {
            "activity_id": ["a1", "a2"],
            "type": ["email", "call"],
            "at": pd.to_datetime([None, None]),
            "lead_id": ["l1", "l2"],
            "outcome": ["opened", "connected"],
        }
    )
    result = KpiEngine(SalesData(CONFIG, {"leads": leads, "activities": activities})).compute(PERIODS[0])
    assert result.values["new_leads"] == 2
    for kpi_id in (
        "calls_made",
        "emails_sent",
        "followups_done",
        "call_connect_rate",
        "email_open_rate",
        "lead_response_hours",
        "leads_contacted_24h_rate",
        "leads_followed_up_rate",
    ):
        assert result.unavailable[kpi_id] == "no at in the activities", kpi_id
