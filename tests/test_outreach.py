"""The call analysis (strategy_kit.analytics.outreach), its words and its heatmap, on small clients
written by hand. Expected numbers are computed by hand in the comments.

Period 2026-Q2: the window is the twelve months 2025-07-01..2026-06-30. 2026-06-02 is a Tuesday.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from strategy_kit.analytics import outreach
from strategy_kit.analytics.outreach import (
    MIN_CALLS,
    CallAnalysis,
    calls_needed,
    country_zone,
    give_up,
    rate_table,
)
from strategy_kit.config import ClientConfig
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import KpiEngine
from strategy_kit.narrative import outreach as words
from strategy_kit.narrative.method import method_sections
from strategy_kit.periods import parse_period
from strategy_kit.plots.outreach import heatmap

from conftest import sales_data, table

PERIOD = parse_period("2026-Q2")
TUESDAY = date(2026, 6, 2)
ACTIVITY_COLUMNS = ["activity_id", "type", "at", "owner", "outcome", "deal_id", "lead_id", "account_id"]


def calls(
    cells: list[tuple[date, int, int, int, int]], owner: str = "Ana", account: str | None = None, start: int = 0
) -> list[tuple]:
    """Activity rows: per cell (day, hour, calls, reached, meetings), ``calls`` calls at hour:05,
    the first ``meetings`` booked a meeting, the next ``reached - meetings`` connected, the rest
    no answer. No lead nor deal."""
    rows = []
    number = start
    for day, hour, count, reached, meetings in cells:
        for i in range(count):
            outcome = "meeting_booked" if i < meetings else "connected" if i < reached else "no_answer"
            at = datetime(day.year, day.month, day.day, hour, 5).isoformat()
            rows.append((f"a{number}", "call", at, owner, outcome, None, None, account))
            number += 1
    return rows


def plain(text: str) -> str:
    """``text`` with its no-break spaces (French typography) as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def client(rows: list[tuple], timezone: str = "Europe/Paris", **tables: pd.DataFrame):
    config = ClientConfig(client="t", display_name="T", language="en", timezone=timezone)
    return sales_data(config, activities=table("activities", rows, ACTIVITY_COLUMNS), **tables)


# --------------------------------------------------------------------------- rates and intervals


def test_rates_and_wilson_interval_by_hand() -> None:
    # Tuesday 10:05, 20 calls: 5 reached (2 of them booked a meeting).
    analysis = outreach.call_analysis(client(calls([(TUESDAY, 10, 20, 5, 2)])), PERIOD)
    row = analysis.slots.iloc[0]
    assert (row.weekday, row.hour_band, row.calls, row.reached, row.meetings) == (2, "10-12", 20, 5, 2)
    assert row.connect_rate == pytest.approx(0.25) and row.meeting_rate == pytest.approx(0.10)
    # Wilson, p = 0.25, n = 20, z = 1.959964 (z² = 3.841459): denominator 1 + z²/n = 1.192073,
    # centre (0.25 + z²/40) / 1.192073 = 0.290281, half z·√(0.25·0.75/20 + z²/1600) / 1.192073 = 0.178421
    # -> 0.111860 .. 0.468702.
    assert row.connect_low == pytest.approx(0.111860, abs=1e-5)
    assert row.connect_high == pytest.approx(0.468702, abs=1e-5)


@pytest.mark.parametrize(("count", "enough"), [(MIN_CALLS - 1, False), (MIN_CALLS, True)])
def test_a_cell_under_min_calls_has_no_rate(count: int, enough: bool) -> None:
    # Every call reached: with 19 calls the cell shows no 100 %, with 20 it does.
    analysis = outreach.call_analysis(client(calls([(TUESDAY, 10, count, count, 0)])), PERIOD)
    row = analysis.slots.iloc[0]
    assert bool(row.enough) is enough and row.calls == count
    for column in ("connect_rate", "connect_low", "connect_high", "meeting_rate", "meeting_low", "meeting_high"):
        assert pd.isna(row[column]) is (not enough)
    if enough:
        assert row.connect_rate == 1.0
    shown = words.slot_table(analysis, "fr").frame.iloc[0]
    assert (shown.connect_rate == "trop peu d'appels") is (not enough)
    assert "100" not in shown.connect_rate or enough


def test_rate_table_groups_and_masks() -> None:
    frame = pd.DataFrame(
        {
            "activity_id": [f"a{i}" for i in range(25)],
            "owner": ["Ana"] * 20 + ["Ben"] * 5,
            "reached": [True] * 10 + [False] * 10 + [True] * 5,
            "meeting": [True] * 4 + [False] * 21,
            "callback": [False] * 25,
        }
    )
    found = rate_table(frame, ["owner"]).set_index("owner")
    assert found.loc["Ana", "connect_rate"] == 0.5 and found.loc["Ana", "meeting_rate"] == 0.2  # 10/20, 4/20
    assert not found.loc["Ben", "enough"] and pd.isna(found.loc["Ben", "connect_rate"])  # 5 calls: no 100 %


# --------------------------------------------------------------------------- time zones


def test_a_call_is_placed_in_the_prospect_time_when_the_country_has_one_zone() -> None:
    # Client on UTC; 17:30 UTC on 2026-06-02 is 19:30 in Paris (summer time, UTC+2): band "other".
    # The US account has several zones: its call stays at 17:30 (client's time), band 16-18.
    rows = [
        ("c1", "call", "2026-06-02T17:30:00", "Ana", "connected", None, None, "acc-fr"),
        ("c2", "call", "2026-06-02T17:30:00", "Ana", "connected", None, None, "acc-us"),
        ("c3", "call", "2026-06-02T17:30:00", "Ana", "connected", None, None, None),
    ]
    accounts = table("accounts", [("acc-fr", "France"), ("acc-us", "United States")], ["account_id", "country"])
    log = outreach.call_log(client(rows, timezone="UTC", accounts=accounts), PERIOD).calls.set_index("activity_id")
    assert log.loc["c1", "local_at"] == pd.Timestamp("2026-06-02 19:30")
    assert (log.loc["c1", "time_basis"], log.loc["c1", "zone"], log.loc["c1", "hour_band"]) == (
        "prospect",
        "Europe/Paris",
        "other",
    )
    for call in ("c2", "c3"):
        assert log.loc[call, "local_at"] == pd.Timestamp("2026-06-02 17:30")
        assert (log.loc[call, "time_basis"], log.loc[call, "hour_band"]) == ("client", "16-18")


def test_country_zones() -> None:
    assert country_zone("FR") == "Europe/Paris"
    assert country_zone("France") == "Europe/Paris"
    assert country_zone("Belgique") == "Europe/Brussels"
    assert country_zone("Allemagne") == "Europe/Berlin"  # Busingen keeps Berlin's clock
    assert country_zone("United States") is None  # several clocks: never guessed
    assert country_zone("Spain") is None  # the Canaries are an hour behind
    assert country_zone("Atlantis") is None


# --------------------------------------------------------------------------- best time and experiment


def test_calls_needed_by_hand() -> None:
    # p1 = 0.20, p2 = 0.25, p̄ = 0.225, z(0.975) = 1.959964, z(0.80) = 0.841621:
    # 1.959964·√(2·0.225·0.775) = 1.157458; 0.841621·√(0.16 + 0.1875) = 0.496128;
    # (1.653586)² / 0.05² = 2.734347 / 0.0025 = 1093.7 -> 1094 calls per slot.
    assert calls_needed(0.20, 0.05) == 1094
    # 10 points from 50 %: (1.959964·√(2·0.55·0.45) + 0.841621·√(0.25 + 0.24))² / 0.01
    # = (1.378956 + 0.589135)² / 0.01 = 387.3 -> 388.
    assert calls_needed(0.50, 0.10) == 388
    with pytest.raises(ValueError):
        calls_needed(0.2, 0.0)


def test_best_slot_is_credibly_above_the_average() -> None:
    # Tuesday 16:05: 100 calls, 60 reached; Tuesday 10:05 and Thursday 10:05: 100 calls, 20 reached each.
    # Average 100/300 = 33.3 %; Tuesday 16-18's range (50 %–69 %) lies above it, the others' below.
    thursday = TUESDAY + timedelta(days=2)
    rows = calls([(TUESDAY, 16, 100, 60, 0), (TUESDAY, 10, 100, 20, 0), (thursday, 10, 100, 20, 0)])
    analysis = outreach.call_analysis(client(rows), PERIOD)
    assert analysis.connect_rate == pytest.approx(1 / 3)
    assert list(zip(analysis.best_connect["weekday"], analysis.best_connect["hour_band"])) == [(2, "16-18")]
    texts = [plain(f.text) for f in words.best_time_findings(analysis, "fr")]
    assert texts[0] == (
        "Appelez le mardi de 16 h à 18 h : 60 % des appels y joignent le prospect "
        "(fourchette probable : 50 % à 69 %), contre 33 % en moyenne."
    )
    # The experiment: 33.3 % + 5 points -> the slots not yet credible, best first.
    plan = analysis.experiment
    assert plan is not None and plan.calls_per_slot == calls_needed(1 / 3, 0.05)
    assert list(plan.slots["hour_band"]) == ["10-12", "10-12"]
    # 100 calls in 52 weeks and 1 day: ceil(needed / (100 / (365 / 7))).
    assert plan.slots["weeks_needed"].iloc[0] == math.ceil(plan.calls_per_slot / (100 / (365 / 7)))


def test_no_slot_stands_out() -> None:
    # Two slots of 50 calls, 10 reached each: both at the average, no slot named, the data say so.
    rows = calls([(TUESDAY, 10, 50, 10, 2), (TUESDAY, 14, 50, 10, 2)])
    analysis = outreach.call_analysis(client(rows), PERIOD)
    assert analysis.best_connect.empty and analysis.best_meeting.empty
    findings = {f.key: f.text for f in words.call_findings(analysis, "fr")}
    assert findings["outreach.finding.no_difference"].startswith("Aucun créneau ne se détache")
    assert "testez" in findings["outreach.finding.no_difference"]
    for text in findings.values():
        assert "Wilson" not in text and "IC" not in text.split()


# --------------------------------------------------------------------------- attempts


def test_attempts_are_numbered_in_time_order_per_lead_then_deal() -> None:
    # Lead L1 called on 06-03, 06-01 and 06-02 (listed out of order) and once before the window
    # (2025-01-10): attempts 2, 3, 4 in the window. Deal D1 (no lead) called twice: 1, 2.
    rows = [
        ("x1", "call", "2026-06-03T10:00:00", "Ana", "no_answer", None, "L1", None),
        ("x2", "call", "2026-06-01T10:00:00", "Ana", "no_answer", None, "L1", None),
        ("x3", "call", "2026-06-02T10:00:00", "Ana", "connected", None, "L1", None),
        ("x0", "call", "2025-01-10T10:00:00", "Ana", "no_answer", None, "L1", None),
        ("y1", "call", "2026-06-01T11:00:00", "Ana", "no_answer", "D1", None, None),
        ("y2", "call", "2026-06-04T11:00:00", "Ana", "meeting_booked", "D1", None, None),
        ("z1", "call", "2026-06-04T11:00:00", "Ana", "no_answer", None, None, None),
    ]
    log = outreach.call_log(client(rows), PERIOD).calls.set_index("activity_id")
    assert "x0" not in log.index  # before the window, counted for the numbering only
    assert log.loc[["x2", "x3", "x1", "y1", "y2"], "attempt"].tolist() == [2, 3, 4, 1, 2]
    assert pd.isna(log.loc["z1", "attempt"])


def attempts_table(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {"activity_id": f"{band}-{i}", "attempt_band": band, "reached": i < meetings, "meeting": i < meetings}
            for band, count, meetings in rows
            for i in range(count)
        ]
    )
    frame["callback"] = False
    return rate_table(frame, ["attempt_band"])


@pytest.mark.parametrize(
    ("second", "after", "reason"),
    [
        (2, None, "keeps_paying"),  # 2/20 = 10 %: exactly half of 20 % is not below half
        (1, 1, "below_share"),  # 1/20 = 5 % < 10 %: stop after the first call
        (0, 1, "no_meeting"),  # no meeting at all on the second call
    ],
)
def test_give_up_rule_at_its_threshold(second: int, after: int | None, reason: str) -> None:
    # First calls: 4 meetings in 20 (20 %); second calls: `second` in 20; third calls: 3 (too few to judge).
    rule = give_up(attempts_table([("1", 20, 4), ("2", 20, second), ("3", 3, 0)]))
    assert (rule.after, rule.reason) == (after, reason)
    assert rule.first_rate == pytest.approx(0.20)


def test_give_up_needs_enough_calls() -> None:
    assert give_up(attempts_table([("1", 19, 4), ("2", 20, 0)])).reason == "too_few"
    assert give_up(attempts_table([("1", 20, 4), ("2", 5, 0)])).reason == "too_few"


# --------------------------------------------------------------------------- the registry's totals


def mixed_client() -> tuple:
    """Calls over two reps, several slots, a lead per call, accounts with sector and size band, and
    calls outside the window (left out) and emails (not calls)."""
    rng = np.random.default_rng(11)
    outcomes = ["connected", "meeting_booked", "callback_requested", "no_answer", "voicemail", "refused"]
    rows = []
    for i in range(400):
        day = TUESDAY - timedelta(days=int(rng.integers(0, 500)))
        at = datetime(day.year, day.month, day.day, int(rng.integers(7, 20)), int(rng.integers(0, 60)))
        rows.append(
            (
                f"a{i}",
                "call",
                at.isoformat(),
                ["Ana", "Ben"][i % 2],
                outcomes[int(rng.integers(0, len(outcomes)))],
                None,
                f"L{i % 60}",
                f"acc{i % 7}",
            )
        )
    rows.append(("e1", "email", "2026-06-02T10:00:00", "Ana", "sent", None, None, None))
    accounts = table(
        "accounts",
        [(f"acc{i}", ["Industrie", "Santé"][i % 2], ["1-9", "10-49", "50-249"][i % 3]) for i in range(7)],
        ["account_id", "sector", "size_band"],
    )
    leads = table("leads", [(f"L{i}", "2024-12-01") for i in range(60)], ["lead_id", "created_at"])
    return client(rows, accounts=accounts, leads=leads)


def test_every_breakdown_adds_up_to_the_registry_totals() -> None:
    data = mixed_client()
    analysis = outreach.call_analysis(data, PERIOD)
    kpis = KpiEngine(data).compute(analysis.window, kpis=list(outreach.KPIS)).values
    assert analysis.calls == kpis["calls_made"] and analysis.callbacks == kpis["callbacks"]
    assert analysis.connect_rate == kpis["call_connect_rate"] and analysis.meeting_rate == kpis["call_meeting_rate"]
    for frame in (analysis.slots, analysis.reps, analysis.segments, analysis.attempts, analysis.lead_ages):
        assert frame is not None
        assert frame["calls"].sum() == kpis["calls_made"]
        assert frame["reached"].sum() == pytest.approx(kpis["call_connect_rate"] * kpis["calls_made"])
        assert frame["meetings"].sum() == pytest.approx(kpis["call_meeting_rate"] * kpis["calls_made"])
        assert frame["callbacks"].sum() == kpis["callbacks"]
    # The registry's breakdown by rep says the same per rep.
    by_owner = KpiEngine(data).compute(analysis.window, by="owner", kpis=["calls_made", "call_connect_rate"])
    for row in analysis.reps.itertuples():
        assert row.calls == by_owner.breakdown["owner"][row.owner]["calls_made"]
    assert set(analysis.segments["segment"]) <= {
        f"{s} · {b}" for s in ("Industrie", "Santé") for b in ("1-9", "10-49", "50-249")
    }


# --------------------------------------------------------------------------- shapes of clients


def test_a_calls_only_client_works_end_to_end() -> None:
    # A call-centre log: activities only (no deals, accounts nor leads), and thin cells.
    rows = calls([(TUESDAY, 9, 30, 12, 3), (TUESDAY, 15, 5, 5, 5)])
    data = client(rows)
    assert not data.has("deals")
    analysis = outreach.call_analysis(data, PERIOD)
    assert isinstance(analysis, CallAnalysis)
    assert analysis.calls == 35 and analysis.segments is None and analysis.attempts is None
    for language in ("fr", "en"):
        assert words.call_findings(analysis, language)
        assert words.breakdown_names(analysis) == ["reps"]
    figure = heatmap(analysis, "en")
    numbers = [t.get_text() for t in figure.axes[0].findobj(Text) if t.get_text().endswith("%")]
    assert numbers == ["40%"]  # 12/30; the 5-call cell is grey with no number (not "100%")


def test_no_calls_is_unavailable() -> None:
    rows = [("e1", "email", "2026-06-02T10:00:00", "Ana", "sent", None, None, None)]
    with pytest.raises(UnavailableError) as caught:
        outreach.call_analysis(client(rows), PERIOD)
    assert caught.value.key == "outreach.unavailable.no_calls"
    with pytest.raises(UnavailableError):
        outreach.call_analysis(sales_data(), PERIOD)
    # Calls without any outcome: no rate at all (never 0 %), the reason says what to map.
    silent = [(f"c{i}", "call", "2026-06-02T10:00:00", "Ana", None, None, None, None) for i in range(30)]
    with pytest.raises(UnavailableError) as caught:
        outreach.call_analysis(client(silent), PERIOD)
    assert caught.value.key == "outreach.unavailable.no_outcomes"
    assert "activities.outcome" in caught.value.reason("fr")


def test_give_up_finding_and_tables_read_plainly() -> None:
    data = mixed_client()
    analysis = outreach.call_analysis(data, PERIOD)
    attempts = words.breakdown_table(analysis, "attempts", "fr")
    assert attempts is not None and attempts.frame["attempt_band"].iloc[0] == "1er appel"
    assert (
        any(cell == "trop peu d'appels" for cell in attempts.frame["connect_rate"])
        or attempts.frame["calls"].min() >= MIN_CALLS
    )


def test_method_appendix_has_the_calls_topic() -> None:
    headings = {language: [h for h, _ in method_sections(language)] for language in ("fr", "en")}
    assert "Appels : créneaux, expérience, relances" in headings["fr"]
    paragraphs = dict(method_sections("en"))["Calls: slots, experiment, follow-up calls"]
    assert "z₁ = 1.96 and z₂ = 0.84" in paragraphs[2]
    assert "fewer than 20 calls" in paragraphs[0]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_call_messages_name_no_statistic(language: str) -> None:
    from strategy_kit.i18n import catalog

    texts = [text for key, text in catalog(language).items() if key.startswith("outreach.")]
    assert texts
    from test_plain_words import FORBIDDEN  # the statistics and products the body never names

    for text in texts:
        for name, pattern in FORBIDDEN.items():
            assert not pattern.search(text), (name, text)


def test_a_call_centre_export_without_deals_imports_and_is_analysed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # tests/test_sections_shapes.py's "calls" client: an imported activities export (30 calls, all
    # connected, and 30 emails over 2024), its deals and the calls' link to them taken away.
    from test_sections_shapes import drop_deals

    from strategy_kit.cli import main
    from strategy_kit.context import load_context

    from section_shapes import write_client

    write_client(tmp_path, "calls", tables=("deals", "activities"))
    assert main(["--workspace", str(tmp_path), "import", "calls", "--lenient"]) == 0
    context = load_context("calls", "2024-Q4", "fr", tmp_path)
    drop_deals(context.data)
    assert not context.data.has("deals")
    analysis = outreach.call_analysis(context.data, context.period)
    # 30 calls in 2024, 10 per rep; every cell has fewer than 20 calls: no rate anywhere.
    assert analysis.calls == 30 and analysis.connect_rate == 1.0
    assert not analysis.slots["enough"].any() and analysis.best_connect.empty
    assert analysis.experiment is None  # 100 % cannot be beaten by 5 points
    findings = {f.key: plain(f.text) for f in words.call_findings(analysis, "fr")}
    assert findings["outreach.finding.too_few_slots"].startswith(
        "Trop peu d'appels pour comparer les créneaux : il en faut au moins 20 dans un créneau"
    )
    assert "outreach.finding.no_difference" not in findings
    frame = words.slot_table(analysis, "fr").frame
    assert set(frame["connect_rate"]) == {"trop peu d'appels"}
    figure = heatmap(analysis, "fr")
    assert not [t for t in figure.axes[0].findobj(Text) if t.get_text().endswith("%")]


def test_leads_called_early_book_more_meetings() -> None:
    # Lead L1..L40 created on 2026-05-01. 40 calls on 2026-05-01 (same day): 12 meetings (30 %);
    # 40 calls on 2026-06-02 (32 days later): 2 meetings (5 %). Average 14/80 = 17.5 %. Same-day
    # range, Wilson p = 0.3, n = 40: denominator 1.09604, centre 0.31752, half 0.13678 -> 18.07 %–45.43 %,
    # above 17.5 %.
    rows = []
    for i in range(80):
        day = "2026-05-01" if i < 40 else "2026-06-02"
        outcome = "meeting_booked" if (i < 12 or 40 <= i < 42) else "no_answer"
        rows.append((f"a{i}", "call", f"{day}T10:00:00", "Ana", outcome, None, f"L{i % 40}", None))
    leads = table("leads", [(f"L{i}", "2026-05-01") for i in range(40)], ["lead_id", "created_at"])
    analysis = outreach.call_analysis(client(rows, leads=leads), PERIOD)
    assert analysis.lead_ages is not None
    ages = analysis.lead_ages.set_index("lead_age_band")
    assert (ages.loc["0_1", "calls"], ages.loc["0_1", "meetings"], ages.loc["31_90", "meetings"]) == (40, 12, 2)
    finding = words.lead_age_finding(analysis, "fr")
    assert finding is not None
    assert plain(finding.text) == (
        "Les leads appelés le jour même ou le lendemain de leur arrivée décrochent un rendez-vous dans 30 % "
        "des appels (fourchette probable : 18 % à 45 %), contre 18 % en moyenne : appelez les nouveaux leads "
        "dans ce délai."
    )
