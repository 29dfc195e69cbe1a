"""KPI snapshots (issue 12): what each report stores under data/<client>/history/, what changed since
the last report, and how close the year-end projections came once the year closed.

Every expected number below was worked out by hand from the fixture it reads (see the comments)."""

from __future__ import annotations

import json
import math
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.analytics import snapshots as snap
from strategy_kit.analytics.objectives import build_plan
from strategy_kit.analytics.objectives_tracking import team_attainment
from strategy_kit.analytics.snapshots import KpiValue, Projection, Snapshot, Target
from strategy_kit.cli import main
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.importer import load_sales_data
from strategy_kit.inputs.objectives import Objectives
from strategy_kit.kpis import REGISTRY, KpiEngine
from strategy_kit.narrative import snapshots as since
from strategy_kit.periods import parse_period
from strategy_kit.report.snapshots import load_snapshots, read_history, record_snapshot, save_snapshot
from strategy_kit.workspace import Workspace

Q1, Q2, Q3, Q4 = (parse_period(f"2025-Q{q}") for q in (1, 2, 3, 4))
CONFIG = ClientConfig(client="acme", display_name="Acme", language="en")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def kpis(**values: tuple[float | None, str] | tuple[float | None, str, str]) -> dict[str, KpiValue]:
    return {kpi: KpiValue(v[0], v[1], v[2] if len(v) > 2 else "higher") for kpi, v in values.items()}  # type: ignore[misc]


def projection(value: float, months_left: int, year: int = 2025, target: int = 120) -> Projection:
    return Projection(
        ytd_actual=0.0,
        run_rate=0.0,
        months_left=months_left,
        weighted_pipeline=0.0,
        projection_run_rate=0.0,
        projection_pipeline=0.0,
        projection=value,
        year_target=target,
        fiscal_year=year,
        year_start=date(year, 1, 1),
        year_end=date(year, 12, 31),
    )


def snapshot(period, created: str, values=None, proj: Projection | None = None, last_day=None) -> Snapshot:
    return Snapshot(
        client="acme",
        period=period,
        data_last_day=last_day or period.end,
        created=at(created),
        currency="EUR",
        kpis=values or {},
        projection=proj,
    )


# --------------------------------------------------------------------------- the file


def test_a_snapshot_reads_back_as_it_was_written(tmp_path: Path):
    paths = Workspace(tmp_path).client("acme")
    written = Snapshot(
        client="acme",
        period=Q2,
        data_last_day=date(2025, 6, 30),
        created=datetime(2025, 7, 7, 9, 30, 12, 345678, tzinfo=timezone(timedelta(hours=2))),
        currency="EUR",
        kpis=kpis(revenue=(1200.5, "currency"), deals_won=(3, "count"), win_rate=(None, "rate")),
        unavailable={"calls_made": "needs the activities table"},
        targets=(Target("quarter", "2025-Q2", Q2.start, Q2.end, 1200.5, 1500),),
        projection=projection(5000.0, 6, target=6000),
    )
    path = save_snapshot(paths, written)
    # history/<period>/<creation time in UTC>.json: 09:30 at UTC+2 is 07:30 UTC.
    assert path == tmp_path / "data" / "acme" / "history" / "2025-Q2" / "20250707T073012345678Z.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == "strategy-kit.kpi-snapshot" and payload["version"] == 1
    assert payload["kpis"]["win_rate"]["value"] is None  # an empty denominator stays null, never 0
    assert load_snapshots(paths) == [written]
    assert not list(path.parent.glob(".*.tmp"))  # written atomically: no temporary file left


def test_a_damaged_or_newer_history_file_is_left_out_and_named(tmp_path: Path):
    paths = Workspace(tmp_path).client("acme")
    save_snapshot(paths, snapshot(Q1, "2025-04-07"))
    folder = tmp_path / "data" / "acme" / "history" / "2025-Q2"
    folder.mkdir(parents=True)
    (folder / "cut.json").write_text('{"format": "strategy-kit.kpi-snap', encoding="utf-8")
    (folder / "newer.json").write_text(json.dumps({"format": "strategy-kit.kpi-snapshot", "version": 99}))
    history = read_history(paths)
    assert [s.period.label for s in history.snapshots] == ["2025-Q1"]
    assert sorted(path.name for path, _ in history.unreadable) == ["cut.json", "newer.json"]
    assert "upgrade strategy-kit" in {p.name: r for p, r in history.unreadable}["newer.json"]
    [note] = since.unreadable_notes(history.unreadable, "en")
    assert (
        note.text
        == "2 files of the report history could not be read and are left out: 2025-Q2/cut.json and 2025-Q2/newer.json."
    )
    assert read_history(Workspace(tmp_path).client("nobody")).snapshots == []  # no history yet: nothing


# --------------------------------------------------------------------------- taking a snapshot


def deals_data() -> SalesData:
    frame = pd.DataFrame(
        [
            # 2024, the objectives' baseline year: 100 won each month (d1..d12), so 1200 for the year.
            *[(f"b{m}", "won", "won", 100.0, f"2024-{m:02d}-01", f"2024-{m:02d}-15") for m in range(1, 13)],
            # 2025-Q1: won 300 (x1, created 2025-01-05, won 2025-02-04: 30 days), lost x2.
            ("x1", "won", "won", 300.0, "2025-01-05", "2025-02-04"),
            ("x2", "proposal", "lost", 50.0, "2025-01-10", "2025-03-01"),
            ("x3", "proposal", "open", 400.0, "2025-03-20", None),
        ],
        columns=["deal_id", "stage", "status", "value", "created_at", "closed_at"],
    )
    for column in ("created_at", "closed_at"):
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    return SalesData(CONFIG, {"deals": frame})


def test_a_snapshot_holds_the_periods_kpis_and_the_projection_the_objectives_chapter_computes():
    data = deals_data()
    engine = KpiEngine(data)
    objectives = Objectives(year=2025, revenue_growth=0.1)
    taken = snap.take_snapshot(data, Q1, engine, objectives, created=at("2025-04-02"))
    # Q1 2025: x1 won (300), x2 lost: win rate 1 / 2; x3 open at 03-31 worth 400.
    assert taken.value("deals_won") == 1 and taken.value("deals_lost") == 1
    assert taken.value("win_rate") == 0.5 and taken.value("won_value") == 300.0
    assert taken.value("open_pipeline_value") == 400.0
    assert "revenue_by_product" not in taken.kpis  # a breakdown, not one number
    assert "calls_made" in taken.unavailable  # no activities: unavailable, never 0
    assert taken.data_last_day == date(2025, 3, 20)  # x3's creation is the latest date
    # The projection is team_attainment's, not recomputed.
    plan = build_plan(data, objectives, engine)
    attainment = team_attainment(plan.phasing, Q1, engine)
    assert taken.projection is not None
    assert taken.projection.projection == attainment.projection
    assert taken.projection.year_target == attainment.year_target == 1320  # 1200 x 1.1
    assert [t.scope for t in taken.targets] == ["month", "quarter", "ytd"]
    # A few KPIs only (the report's comparison): those asked for that the client's KPIs include.
    assert set(snap.take_snapshot(data, Q1, engine, kpis=["win_rate", "deals_won", "no_such_kpi"]).kpis) == {
        "win_rate",
        "deals_won",
    }
    # Without objectives, or outside the objectives' year: no targets, no projection.
    assert snap.take_snapshot(data, Q1, engine).projection is None
    outside = snap.take_snapshot(data, parse_period("2024-Q4"), engine, objectives)
    assert outside.projection is None and outside.targets == ()


# --------------------------------------------------------------------------- what changed


def test_changes_since_the_last_report_by_hand():
    previous = snapshot(
        Q1,
        "2025-04-07",
        kpis(
            revenue=(1000.0, "currency"),
            win_rate=(0.25, "rate"),
            deals_lost=(4, "count", "lower"),
            sales_cycle_days=(30.0, "days", "lower"),
            lead_to_deal_rate=(None, "rate"),
            new_deals=(0, "count"),
            calls_made=(10, "count"),  # only in the last report: not shown
        ),
    )
    current = snapshot(
        Q2,
        "2025-07-07",
        kpis(
            revenue=(1200.0, "currency"),
            win_rate=(0.30, "rate"),
            deals_lost=(5, "count", "lower"),
            sales_cycle_days=(30.2, "days", "lower"),
            lead_to_deal_rate=(0.2, "rate"),
            new_deals=(3, "count"),
            new_leads=(8, "count"),  # only in this report: not shown
        ),
    )
    changes = snap.changes_since(previous, current).set_index("kpi")
    assert list(changes.index) == [
        "revenue",
        "win_rate",
        "deals_lost",
        "sales_cycle_days",
        "lead_to_deal_rate",
        "new_deals",
    ]
    # revenue 1000 -> 1200: +200, +20 %, better.
    assert changes.loc["revenue", "difference"] == 200 and changes.loc["revenue", "change"] == pytest.approx(0.2)
    assert changes.loc["revenue", "verdict"] == "better"
    # win rate 25 % -> 30 %: +5 points (0.05), better.
    assert changes.loc["win_rate", "change"] == pytest.approx(0.05)
    # lost deals 4 -> 5: +25 %, worse (fewer is better).
    assert (
        changes.loc["deals_lost", "change"] == pytest.approx(0.25) and changes.loc["deals_lost", "verdict"] == "worse"
    )
    # 30 -> 30.2 days: within 1 % of 30, stable.
    assert changes.loc["sales_cycle_days", "verdict"] == "stable"
    # null before: not comparable; no change, no verdict (never 0).
    row = changes.loc["lead_to_deal_rate"]
    assert (
        not row["comparable"]
        and math.isnan(row["change"])
        and math.isnan(row["difference"])
        and pd.isna(row["verdict"])
    )
    # 0 -> 3: +3 but no relative change from 0.
    assert changes.loc["new_deals", "difference"] == 3 and math.isnan(changes.loc["new_deals", "change"])
    assert changes.loc["new_deals", "comparable"]

    table = since.changes_table(snap.changes_since(previous, current), REGISTRY, previous, current, "fr")
    shown = table.frame.set_index("kpi")
    assert shown.loc["revenue", ["previous", "current", "change", "verdict"]].tolist() == [
        "1\u202f000\u00a0€",
        "1\u202f200\u00a0€",
        "+20,0\u00a0%",
        "▲\u00a0mieux",
    ]
    assert shown.loc["win_rate", "change"] == "+5,0\u00a0pts"
    assert shown.loc["lead_to_deal_rate", ["previous", "change", "verdict"]].tolist() == ["–", "–", "–"]
    assert table.headers == {"previous": "T1 2025", "current": "T2 2025"}
    notes = [n.text for n in since.changes_notes(snap.changes_since(previous, current), "en")]
    assert notes[1] == (
        '"–": a KPI has no value in one of the two reports (no deal, lead or activity to measure it on), '
        "so there is nothing to compare."
    )


def test_the_last_report_is_the_latest_of_the_most_recent_earlier_period_of_the_same_kind():
    q1_first, q1_rerun = snapshot(Q1, "2025-04-07"), snapshot(Q1, "2025-04-09")
    march = snapshot(parse_period("2025-03"), "2025-04-08")
    q2 = snapshot(Q2, "2025-07-07")
    history = [q1_first, q1_rerun, march, q2]
    assert snap.previous_snapshot(history, Q2) is q1_rerun  # not Q2's own run, not the month
    assert snap.previous_snapshot(history, Q3) is q2
    assert snap.previous_snapshot(history, Q3, before=at("2025-07-01")) is q1_rerun
    assert snap.previous_snapshot(history, Q1) is None
    assert since.first_report(CONFIG, [], "en").text == (
        "This is the first report recorded for Acme: the comparison with the previous report starts with the next one."
    )
    assert since.first_report(CONFIG, [march], "fr").key == "snapshots.first_of_kind"


def test_the_projection_in_this_report_against_the_last_ones():
    previous = snapshot(Q1, "2025-04-07", proj=projection(1000.0, 9, target=1500))
    current = snapshot(Q2, "2025-07-07", proj=projection(1100.0, 6, target=1500))
    # 1000 -> 1100: +10 %.
    [finding] = since.projection_change(previous, current, CONFIG, "en")
    assert finding.text == (
        "Projected revenue for fiscal year 2025: €1,100 in this report, against €1,000 in the previous one (+10.0%), "
        "for an annual objective of €1,500."
    )
    other_year = snapshot(Q1, "2026-04-07", proj=projection(900.0, 9, year=2026))
    assert since.projection_change(current, other_year, CONFIG, "en") == []


# --------------------------------------------------------------------------- forecast accuracy


def test_forecast_accuracy_by_hand():
    history = [
        snapshot(Q2, "2025-07-05", proj=projection(130.0, 6)),  # replaced by the re-run below
        snapshot(Q2, "2025-07-07", proj=projection(100.0, 6)),
        snapshot(Q3, "2025-10-06", proj=projection(80.0, 3)),
        snapshot(Q4, "2026-01-06", proj=projection(90.0, 0)),  # made once the year had ended: not a forecast
        snapshot(parse_period("2026-Q1"), "2026-04-06", proj=projection(500.0, 9, year=2026)),  # 2026 still open
    ]
    assert snap.closed_years(history, date(2026, 3, 31)) == [2025]
    accuracy = snap.forecast_accuracy(history, {2025: 90.0})
    rows = accuracy.table.set_index("period")
    assert list(rows.index) == ["2025-Q2", "2025-Q3"]
    # Made in Q2: projection 100, actual 90: error +10, +10 / 90 = +11.1 %.
    assert rows.loc["2025-Q2", "error"] == 10 and rows.loc["2025-Q2", "error_share"] == pytest.approx(0.1111, abs=1e-4)
    # Made in Q3: projection 80: error -10, -11.1 %.
    assert rows.loc["2025-Q3", "error"] == -10 and rows.loc["2025-Q3", "error_share"] == pytest.approx(
        -0.1111, abs=1e-4
    )
    [year] = accuracy.years.to_dict("records")
    # Mean absolute error (10 + 10) / 2 = 10; mean absolute share 11.1 %.
    assert year["projections"] == 2 and year["mean_absolute_error"] == 10
    assert year["mean_error_share"] == pytest.approx(0.1111, abs=1e-4)

    table = since.accuracy_table(accuracy, CONFIG, "fr").frame
    assert table[["report", "error", "error_share"]].values.tolist() == [
        ["T2 2025", "+10\u00a0€", "+11,1\u00a0%"],
        ["T3 2025", "-10\u00a0€", "-11,1\u00a0%"],
    ]
    [finding] = since.accuracy_findings(accuracy, CONFIG, "en")
    assert finding.text == (
        "Fiscal year 2025: €90 of revenue made. The 2 projections made during the year were on average 11% (€10) "
        "away from it, one way or the other."
    )
    [pending] = since.accuracy_pending(history, date(2026, 3, 31), CONFIG, "en")
    assert pending.text == (
        "1 report has projected the revenue of fiscal year 2026: its projection will be compared with the revenue "
        "actually made once the year has ended, after 31 Dec 2026."
    )
    # An actual of 0 gives no share (never a division by zero); an unknown actual leaves the year out.
    assert math.isnan(snap.forecast_accuracy(history, {2025: 0.0}).table["error_share"].iloc[0])
    assert snap.forecast_accuracy(history, {2025: None}).empty


def test_the_actual_of_a_closed_year_is_its_revenue_measured_now():
    engine = KpiEngine(deals_data())
    # 2024: twelve deals of 100 won; 2025: x1 won 300.
    assert snap.year_actuals(engine, [2024, 2025]) == {2024: 1200.0, 2025: 300.0}
    assert snap.year_actuals(engine, []) == {}


# --------------------------------------------------------------------------- history and exports


DEALS_CSV = """ID,Status,Stage,Amount,Created,Closed,Owner
1,Won,won,1000,2026-01-10,2026-02-10,Ana
2,Lost,proposal,500,2026-02-01,2026-03-20,Ben
3,Open,qualification,200,2026-03-05,,Ana
"""
# The exports received later: deal 1 was worth 1500 after all, and a deal 4 was won in April.
DEALS_CSV_LATER = """ID,Status,Stage,Amount,Created,Closed,Owner
1,Won,won,1500,2026-01-10,2026-02-10,Ana
2,Lost,proposal,500,2026-02-01,2026-03-20,Ben
3,Open,qualification,200,2026-03-05,,Ana
4,Won,won,700,2026-04-01,2026-04-15,Ben
"""


def new_client(root: Path, name: str = "shop") -> Workspace:
    exports = root / "exports"
    exports.mkdir(parents=True)
    (exports / "deals.csv").write_text(DEALS_CSV, encoding="utf-8")
    assert main(["--workspace", str(root), "new-client", name, "--raw", str(exports), "--language", "en"]) == 0
    assert main(["--workspace", str(root), "import", name]) == 0
    return Workspace(root)


def test_a_snapshot_survives_the_exports_being_replaced(tmp_path: Path):
    ws = new_client(tmp_path)
    q1 = parse_period("2026-Q1")
    written = record_snapshot(ws, "shop", q1)
    assert record_snapshot(ws, "shop", q1, complete=False) is None  # some notebooks only: nothing recorded
    assert written is not None and written.is_relative_to(tmp_path / "data" / "shop" / "history")

    raw = ws.client("shop").raw
    shutil.rmtree(raw)
    raw.mkdir()
    (raw / "deals.csv").write_text(DEALS_CSV_LATER, encoding="utf-8")
    assert main(["--workspace", str(tmp_path), "import", "shop"]) == 0

    [kept] = load_snapshots(ws.client("shop"))
    assert kept.value("won_value") == 1000  # what the report said then
    now = snap.take_snapshot(load_sales_data(ws, "shop"), q1)
    assert now.value("won_value") == 1500  # what the new exports say
    changes = snap.changes_since(kept, now).set_index("kpi")
    assert changes.loc["won_value", "difference"] == 500


def test_the_report_says_what_changed_since_the_last_report_and_never_compares_with_itself(tmp_path: Path):
    from strategy_kit.report import render_report
    from strategy_kit.report.render import default_notebooks_dir

    from report_fixtures import pdf_text

    ws = new_client(tmp_path)
    (tmp_path / "data" / "shop" / "raw" / "deals.csv").write_text(DEALS_CSV_LATER, encoding="utf-8")
    notebooks = tmp_path / "notebooks"  # a complete report of the overview alone
    notebooks.mkdir()
    shutil.copy(default_notebooks_dir() / "00_overview.ipynb", notebooks)

    first = pdf_text(render_report(ws, "shop", "2026-Q1", notebooks_dir=notebooks, keep_html=False))
    assert "This is the first report recorded for" in first  # its own snapshot is written after
    assert [s.period.label for s in load_snapshots(ws.client("shop"))] == ["2026-Q1"]

    second = " ".join(pdf_text(render_report(ws, "shop", "2026-Q2", notebooks_dir=notebooks, keep_html=False)).split())
    assert "Since the last report" in second
    assert "Compared with the last report, for Q1 2026, made on" in second
    # Q1: deals 1 (1500) won and 2 lost; Q2: deal 4 (700) won, none lost: won value 1 500 -> 700: -53.3 %.
    assert "Won value €1,500 €700 -53.3%" in second
    assert "first report" not in second
    assert [s.period.label for s in load_snapshots(ws.client("shop"))] == ["2026-Q1", "2026-Q2"]


def test_a_history_that_cannot_be_written_leaves_the_report_in_place_and_says_so(tmp_path: Path, monkeypatch, caplog):
    import strategy_kit.report.snapshots as files

    ws = new_client(tmp_path)

    def read_only(target: Path, text: str) -> None:  # as a read-only data folder answers, even for root
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(files, "write_atomically", read_only)
    assert record_snapshot(ws, "shop", parse_period("2026-Q1")) is None
    assert "cannot write the KPI snapshot" in caplog.text and "Permission denied" in caplog.text
    assert "The report is written" in caplog.text


def test_a_report_records_the_snapshot_its_overview_took_instead_of_computing_it_again(tmp_path: Path, monkeypatch):
    import strategy_kit.report.snapshots as files
    from strategy_kit.report import render_report
    from strategy_kit.report.render import default_notebooks_dir

    ws = new_client(tmp_path)
    notebooks = tmp_path / "notebooks"  # a complete report of the overview alone
    notebooks.mkdir()
    shutil.copy(default_notebooks_dir() / "00_overview.ipynb", notebooks)

    def computed_again(*args, **kwargs):
        raise AssertionError("the run took the snapshot again instead of the overview's")

    monkeypatch.setattr(files, "take_snapshot", computed_again)  # in this process only, not in the kernels
    render_report(ws, "shop", "2026-Q1", notebooks_dir=notebooks, keep_html=False)
    [recorded] = load_snapshots(ws.client("shop"))
    assert recorded.period.label == "2026-Q1"
    # every KPI, not only the headline ones the overview shows: deal 1 won (1000), deal 2 lost
    assert recorded.value("won_value") == 1000 and recorded.value("deals_lost") == 1
    assert "deals_lost" not in snap.HEADLINE_KPIS


def test_a_snapshot_handed_over_for_another_period_is_not_recorded_for_this_one(tmp_path: Path, monkeypatch):
    from strategy_kit.report.snapshots import HANDOVER_ENV, hand_over

    ws = new_client(tmp_path)
    data = load_sales_data(ws, "shop")
    handed = tmp_path / "handed.json"
    assert hand_over(snap.take_snapshot(data, parse_period("2026-Q2"))) is None  # outside a report run: nothing
    assert not handed.exists()
    monkeypatch.setenv(HANDOVER_ENV, str(handed))
    assert hand_over(snap.take_snapshot(data, parse_period("2026-Q2"))) == handed

    written = record_snapshot(ws, "shop", parse_period("2026-Q1"), handed=handed)
    assert written is not None
    [recorded] = load_snapshots(ws.client("shop"))
    assert recorded.period.label == "2026-Q1" and recorded.value("won_value") == 1000  # taken for Q1 here
