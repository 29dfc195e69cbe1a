"""stage_conversion.<stage> and time_in_stage_days.<stage> on a hand-made stage history with
recorded, inferred-dated and inferred-undated rows; every expected value is worked out below."""

from __future__ import annotations

import pytest

from strategy_kit.config import ClientConfig, Stage
from strategy_kit.data import SalesData
from strategy_kit.kpis import KpiEngine, kpi_definitions
from strategy_kit.periods import parse_period

from conftest import sales_data, table

Q2 = parse_period("2026-Q2")  # 2026-04-01 .. 2026-06-30
STAGES = (
    Stage("lead", "Lead", "Lead"),
    Stage("demo", "Démo", "Demo"),
    Stage("proposal", "Proposition", "Proposal"),
    Stage("won", "Gagnée", "Won"),
)
CONFIG = ClientConfig(client="t", display_name="T", language="en", stages=STAGES)


def _data() -> SalesData:
    deals = table(
        "deals",
        [
            # id,  owner, status, created,      closed,       stage
            ("s1", "A", "won", "2026-03-20", "2026-05-30", "won"),
            ("s2", "A", "lost", "2026-04-01", "2026-06-15", "demo"),
            ("s3", "A", "open", "2026-04-15", None, "proposal"),
            ("s4", "B", "open", None, None, "demo"),
            ("s5", "B", "won", "2026-01-05", "2026-02-20", "won"),
            ("s6", "B", "lost", "2026-06-20", "2026-07-10", "lead"),
        ],
        ["deal_id", "owner", "status", "created_at", "closed_at", "stage"],
    )
    history = table(
        "stage_history",
        [
            # deal, stage, entered_at, inferred
            ("s1", "lead", "2026-03-20", False),
            ("s1", "demo", "2026-04-10", False),
            ("s1", "proposal", None, True),
            ("s1", "won", "2026-05-30", True),
            ("s2", "lead", "2026-04-01 09:00", False),
            ("s2", "demo", "2026-05-01 18:00", False),
            ("s3", "lead", "2026-04-15", False),
            ("s3", "demo", None, True),
            ("s3", "proposal", "2026-06-10", False),
            ("s4", "lead", None, True),
            ("s4", "demo", None, True),
            ("s5", "lead", "2026-01-05", False),
            ("s5", "demo", "2026-01-20", False),
            ("s5", "proposal", "2026-02-01", False),
            ("s5", "won", "2026-02-20", True),
            ("s6", "lead", "2026-06-20", False),
        ],
        ["deal_id", "stage", "entered_at", "inferred"],
    )
    return sales_data(CONFIG, deals=deals, stage_history=history)


@pytest.fixture(scope="module")
def result():
    return KpiEngine(_data()).compute(Q2, by=["owner"])


def test_stage_kpis_exist_for_every_stage_but_the_won_stage():
    ids = [k.id for k in kpi_definitions(CONFIG)]
    assert [i for i in ids if i.startswith("stage_conversion.")] == [
        "stage_conversion.lead",
        "stage_conversion.demo",
        "stage_conversion.proposal",
    ]
    assert "time_in_stage_days.won" not in ids


def test_stage_conversion(result):
    # lead entered in Q2: s2 (04-01), s3 (04-15), s6 (06-20); s1 and s5 before Q2; s4's lead row has
    # no date and no bound at all (no created_at, no dated later row): left out.
    # Went further: s2 (demo on 05-01), s3 (demo, proposal); s6 was lost at lead -> 2/3.
    assert result.values["stage_conversion.lead"] == pytest.approx(2 / 3)
    assert result.excluded["stage_conversion.lead"] == 1
    # demo entered in Q2: s1 (04-10), s2 (05-01), s3 (undated, but between its lead on 04-15 and its
    # proposal on 06-10: inside Q2); s4 left out. Went further: s1 (won), s3 (proposal); not s2 (lost).
    assert result.values["stage_conversion.demo"] == pytest.approx(2 / 3)
    assert result.excluded["stage_conversion.demo"] == 1
    # proposal entered in Q2: s1 (undated, between its demo on 04-10 and its won on 05-30), s3 (06-10).
    # Went further: s1 (won); s3 is still open -> 1/2.
    assert result.values["stage_conversion.proposal"] == pytest.approx(1 / 2)
    assert result.excluded.get("stage_conversion.proposal", 0) == 0


def test_time_in_stage(result):
    # Left lead in Q2 with both dates known: s1 (03-20 -> demo 04-10: 21 days), s2 (04-01 09:00 ->
    # 05-01 18:00: 30 calendar days) -> median 25.5. s3's next stage (demo) is undated but may
    # fall in Q2, s4's too: left out (2).
    assert result.values["time_in_stage_days.lead"] == pytest.approx(25.5)
    assert result.excluded["time_in_stage_days.lead"] == 2
    # demo: s1's next stage (proposal) is undated, s3's demo is undated (proposal on 06-10): no
    # measurable stay, 2 left out; s2 never left demo.
    assert result.values["time_in_stage_days.demo"] is None
    assert result.excluded["time_in_stage_days.demo"] == 2
    # proposal: s1's proposal is undated (won on 05-30): left out; s3 has not left it.
    assert result.values["time_in_stage_days.proposal"] is None
    assert result.excluded["time_in_stage_days.proposal"] == 1


def test_breakdown_by_owner(result):
    a, b = result.breakdown["owner"]["A"], result.breakdown["owner"]["B"]
    # A: lead entered by s2, s3 (both went further); B: by s6 (did not).
    assert a["stage_conversion.lead"] == 1.0
    assert b["stage_conversion.lead"] == 0.0
    assert a["time_in_stage_days.lead"] == pytest.approx(25.5)
    assert b["time_in_stage_days.lead"] is None
    # B entered no stage but lead in Q2 (s4 cannot be placed, s5 was in Q1).
    assert b["stage_conversion.demo"] is None


def test_without_a_stage_history_each_deal_passed_every_stage_before_its_current_one():
    deals = table(
        "deals",
        [
            ("t1", "won", "2026-04-01", "2026-05-01", "won"),
            ("t2", "open", "2026-04-03", None, "demo"),
            ("t3", "lost", "2026-03-01", "2026-04-05", "lead"),
        ],
        ["deal_id", "status", "created_at", "closed_at", "stage"],
    )
    values = KpiEngine(sales_data(CONFIG, deals=deals)).compute(Q2)
    # Inferred: t1 lead (created 04-01), demo and proposal undated, won (closed 05-01); t2 lead (04-03),
    # demo undated; t3 lead (03-01).
    # lead in Q2: t1, t2 -> both went further (t1 won, t2 reached demo) -> 1.0; t3 entered in March.
    assert values.values["stage_conversion.lead"] == 1.0
    # demo: t1's lies between 04-01 and 05-01 (in Q2, and t1 was won); t2's lies after 04-03 with no
    # upper bound (still open): cannot be placed -> 1/1, 1 left out.
    assert values.values["stage_conversion.demo"] == 1.0
    assert values.excluded["stage_conversion.demo"] == 1
    # No stay has two known dates: the next stage of every lead row is undated.
    assert values.values["time_in_stage_days.lead"] is None
    assert values.excluded["time_in_stage_days.lead"] == 2


@pytest.mark.parametrize(
    ("created", "rows", "kpi", "expected"),
    [
        # Entered prospecting on creation (11 Sep), then qualification at an unknown time: it left
        # prospecting for a later stage, so the conversion is 1 of 1.
        (
            "2026-09-11T15:00:00",
            [("prospecting", "2026-09-11T15:00:00"), ("prospecting", None), ("qualification", None)],
            "stage_conversion.prospecting",
            1.0,
        ),
        # Entered prospecting on 1 Sep, qualification on 5 Sep: 4 days in prospecting.
        (
            "2026-09-01T10:00:00",
            [("prospecting", "2026-09-01T10:00:00"), ("prospecting", None), ("qualification", "2026-09-05T10:00:00")],
            "time_in_stage_days.prospecting",
            4.0,
        ),
    ],
)
def test_a_dated_stage_entry_counts_whatever_the_row_order_of_the_export(created, rows, kpi, expected):
    # A stage listed twice, once dated and once not, at the same place of the deal's path: the stay
    # is the dated one in every order the export may list the rows in.
    from itertools import permutations

    deals = table(
        "deals",
        [("D1", "open", "qualification", created, None, 100.0, "Ana")],
        ["deal_id", "status", "stage", "created_at", "closed_at", "value", "owner"],
    )
    for order in permutations(rows):
        history = table("stage_history", [("D1", *row) for row in order], ["deal_id", "stage", "entered_at"])
        result = KpiEngine(sales_data(deals=deals, stage_history=history)).compute(parse_period("2026-Q3"), kpis=[kpi])
        assert (result.values[kpi], result.excluded[kpi]) == (expected, 0), order
