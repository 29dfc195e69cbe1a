"""Trigger events: the events table, the accounts to call now, and whether calls after an event pay.

Expected numbers are computed by hand in the comments (Wilson: z = 1.959964, z^2 = 3.841459).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from strategy_kit.analytics.events import (
    HIGHER,
    NO_DIFFERENCE,
    NO_EVENTS,
    calls_after_events,
    event_uplift,
    recent_events,
    uplift_of_calls,
)
from strategy_kit.config import ClientConfig, load_client_config
from strategy_kit.demo import build_demo
from strategy_kit.demo.outreach import EVENT_MEETING_UPLIFT, EVENT_WINDOW_DAYS
from strategy_kit.errors import ConfigError
from strategy_kit.importer import load_sales_data
from strategy_kit.narrative.events import call_reason, recent_table, uplift_finding, uplift_table
from strategy_kit.workspace import Workspace

from conftest import sales_data, table
from import_fixtures import make_client, run_cli

AS_OF = date(2026, 9, 30)
EVENT_COLUMNS = ["account_id", "type", "date", "source", "description"]
CALL_COLUMNS = ["activity_id", "type", "at", "outcome", "account_id"]


def events_fixture() -> pd.DataFrame:
    return table(
        "events",
        [
            ("Alpha", "fundraising", "2026-08-31", "Les Échos", "Levée de 2 M€"),  # 30 days before: in
            ("Beta", "hiring", "2026-08-30", "LinkedIn", None),  # 31 days: out
            ("Gamma", "expansion", "2026-09-20", None, None),  # 10 days: in, older of Gamma's two
            ("Gamma", "new_executive", "2026-09-30T15:00:00", "BODACC", None),  # the day itself: in, age 0
            ("Delta", "acquisition", "2026-10-01", None, None),  # after the as-of date: out
        ],
        EVENT_COLUMNS,
    )


# --------------------------------------------------------------------------- recent events


def test_recent_events_window_includes_the_30th_day_and_keeps_each_accounts_latest_event():
    recent = recent_events(events_fixture(), AS_OF, window_days=30)
    assert list(recent.columns) == [
        "account_id",
        "type",
        "date",
        "source",
        "description",
        "age_days",
        "events_in_window",
    ]
    # Gamma (age 0, two events in the window), then Alpha (exactly 30 days); Beta (31) and Delta (future) out.
    assert recent["account_id"].tolist() == ["Gamma", "Alpha"]
    assert recent["type"].tolist() == ["new_executive", "fundraising"]
    assert recent["age_days"].tolist() == [0, 30]
    assert recent["events_in_window"].tolist() == [2, 1]
    assert recent_events(events_fixture(), AS_OF, window_days=29)["account_id"].tolist() == ["Gamma"]


def test_recent_events_needs_the_events_table():
    from strategy_kit.errors import UnavailableError

    with pytest.raises(UnavailableError):
        recent_events(sales_data(), AS_OF)


def test_the_reason_to_call_names_the_event_its_age_and_source():
    assert call_reason("fundraising", 12, "fr", "Les Échos") == "Levée de fonds, il y a 12 jours (source : Les Échos)"
    assert call_reason("hiring", 1, "en") == "Hiring, 1 day ago"
    assert call_reason("new_executive", 0, "fr") == "Nouveau dirigeant, aujourd'hui"
    shown = recent_table(recent_events(events_fixture(), AS_OF), "fr")
    assert shown.frame["type"].tolist() == ["Nouveau dirigeant", "Levée de fonds"]


# --------------------------------------------------------------------------- calls after events


def test_calls_within_the_window_after_an_event_are_marked():
    events = table("events", [("A", "hiring", "2026-03-01")], ["account_id", "type", "date"])
    calls = table(
        "activities",
        [
            ("1", "call", "2026-02-28T10:00:00", "meeting_booked", "A"),  # before the event: other
            ("2", "call", "2026-03-01T09:00:00", "meeting_booked", "A"),  # the event's day: after
            ("3", "call", "2026-03-31T17:00:00", "no_answer", "A"),  # 30 days later: after
            ("4", "call", "2026-04-01T09:00:00", "connected", "A"),  # 31 days: other
            ("5", "call", "2026-03-10T09:00:00", "connected", "B"),  # another account: other
            ("6", "call", "2026-03-11T09:00:00", None, "A"),  # planned (no outcome): not counted
            ("7", "email", "2026-03-12T09:00:00", "sent", "A"),  # not a call
            ("8", "call", "2026-03-12T09:00:00", "connected", None),  # no account: not counted
        ],
        CALL_COLUMNS,
    )
    marked = calls_after_events(calls, events, window_days=30)
    assert marked["after_event"].tolist() == [False, True, True, False, False]
    assert marked["meeting"].tolist() == [True, True, False, False, False]
    # as_of bounds the calls counted: the call of 31 March is left out on 30 March.
    assert len(calls_after_events(calls, events, 30, as_of=date(2026, 3, 30))) == 3


def calls_frame(after: tuple[int, int], other: tuple[int, int]) -> pd.DataFrame:
    """``after``/``other``: (meetings, calls)."""
    rows = []
    for flag, (meetings, calls) in ((True, after), (False, other)):
        rows += [(flag, i < meetings) for i in range(calls)]
    return pd.DataFrame(rows, columns=["after_event", "meeting"])


def test_uplift_arithmetic_with_overlapping_intervals():
    uplift = uplift_of_calls(calls_frame((2, 4), (1, 6)), 30, events=1, accounts=1)
    # 2/4: p = 0.5, centre 0.5, half = 1.96*sqrt(0.0625 + 3.8415/64)/(1 + 3.8415/4) = 0.34996 -> [0.1500, 0.8500]
    assert (uplift.after.rate, uplift.after.low, uplift.after.high) == pytest.approx((0.5, 0.1500, 0.8500), abs=1e-4)
    # 1/6: denominator 1.64024, centre (1/6 + 0.32012)/1.64024 = 0.29678,
    # half = 1.96*sqrt(0.023148 + 0.026677)/1.64024 = 0.26673 -> [0.03005, 0.56351]
    assert (uplift.other.low, uplift.other.high) == pytest.approx((0.03005, 0.56351), abs=1e-4)
    # Newcombe: d = 1/3; low = d - sqrt(0.35^2 + 0.39684^2) = -0.19580; high = d + sqrt(0.35^2 + 0.13662^2) = 0.70905
    assert uplift.difference == pytest.approx(1 / 3)
    assert (uplift.difference_low, uplift.difference_high) == pytest.approx((-0.19580, 0.70905), abs=1e-4)
    assert uplift.verdict == NO_DIFFERENCE and not uplift.measured
    text = uplift_finding(uplift, "fr").text
    assert "pas de différence mesurable" in text and "50,0\u00a0%" in text


def test_uplift_arithmetic_with_separate_intervals():
    uplift = uplift_of_calls(calls_frame((20, 40), (20, 200)), 30, events=3, accounts=2)
    # 20/40: half = 1.96*sqrt(0.00625 + 0.00060)/1.09604 = 0.14801 -> [0.35199, 0.64801]
    # 20/200: centre (0.1 + 0.0096037)/1.019207 = 0.107537, half = 0.041869 -> [0.065668, 0.149406]
    assert (uplift.after.low, uplift.after.high) == pytest.approx((0.35199, 0.64801), abs=1e-4)
    assert (uplift.other.low, uplift.other.high) == pytest.approx((0.065668, 0.149406), abs=1e-4)
    # d = 0.4; low = 0.4 - sqrt(0.14801^2 + 0.049406^2) = 0.24396; high = 0.4 + sqrt(0.14801^2 + 0.034332^2) = 0.55194
    assert (uplift.difference_low, uplift.difference_high) == pytest.approx((0.24396, 0.55194), abs=1e-4)
    assert uplift.verdict == HIGHER
    assert "40,0 points de plus (entre 24,4 et 55,2 points)" in uplift_finding(uplift, "fr").text
    shown = uplift_table(uplift, "en").frame
    assert shown["calls"].tolist() == [40, 200] and shown["group"][0] == "Within 30 days after an event"


def test_without_events_the_rule_is_the_strategists_assumption():
    calls = table("activities", [("1", "call", "2026-03-01T10:00:00", "connected", "A")], CALL_COLUMNS)
    data = sales_data(activities=calls)  # no events table at all
    uplift = event_uplift(data, as_of=AS_OF)
    assert uplift.verdict == NO_EVENTS and uplift.events == 0 and uplift.after.calls == 0
    assert uplift.after.rate is None and uplift.difference is None  # no denominator: no rate, not 0
    assert "hypothèse du stratège" in uplift_finding(uplift, "fr").text
    assert "strategist's assumption" in uplift_finding(uplift, "en").text


def test_the_window_comes_from_client_yml(tmp_path):
    path = tmp_path / "client.yml"
    path.write_text("display_name: T\nevents: {window_days: 14}\n", encoding="utf-8")
    assert load_client_config(path, "t").events_window_days == 14
    assert ClientConfig(client="t", display_name="T").events_window_days == 30
    path.write_text("display_name: T\nevents: {window_days: -3}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="events: window_days"):
        load_client_config(path, "t")


# --------------------------------------------------------------------------- import


def test_events_import_with_french_labels(tmp_path, capsys):
    config = """\
        display_name: Events
        language: fr
        data_cutoff: 2026-09-30
        import:
          events:
            files: [evenements.csv]
            format: {separator: ";", date_format: dayfirst}
            columns: {account_id: Entreprise, type: Type, date: Date, source: Source}
            values:
              type: {"Levée de fonds": fundraising, Recrutement: hiring}
        """
    make_client(
        tmp_path,
        config,
        {"evenements.csv": "Entreprise;Type;Date;Source\nAlpha;Levée de fonds;31/08/2026;Les Échos\n"},
    )
    code, out, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert (code, err) == (0, "") and "events" in out
    events = load_sales_data(tmp_path, "acme").tables["events"]
    assert events["type"].astype(str).tolist() == ["fundraising"]
    assert events["date"].tolist() == [pd.Timestamp("2026-08-31")]


def test_an_unknown_event_type_or_a_future_event_stops_the_import(tmp_path, capsys):
    config = """\
        display_name: Events
        data_cutoff: 2026-09-30
        import:
          events:
            files: [events.csv]
            columns: {account_id: Company, type: Type, date: Date}
        """
    make_client(tmp_path, config, {"events.csv": "Company,Type,Date\nAlpha,Party,2026-08-31\nBeta,hiring,2026-10-02\n"})
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2
    assert "Party" in err and "events.csv" in err and "after the data cut-off" in err and "Traceback" not in err


def test_a_planned_activity_may_lie_after_the_cutoff_a_done_one_may_not(tmp_path, capsys):
    config = """\
        display_name: Planned
        data_cutoff: 2026-09-30
        import:
          activities:
            files: [calls.csv]
            columns: {activity_id: Id, at: Due, outcome: Result}
            constants: {type: call}
        """
    calls = "Id,Due,Result\n1,2026-09-29,connected\n2,2026-10-02,\n"
    make_client(tmp_path, config, {"calls.csv": calls})
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert (code, err) == (0, "")
    make_client(tmp_path, config, {"calls.csv": calls + "3,2026-10-03,connected\n"})
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")
    assert code == 2 and "after the data cut-off" in err and "(1 row: 4)" in err


# --------------------------------------------------------------------------- the demo's known uplift


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("events-demo")
    paths = build_demo(Workspace(root))
    return root, paths.raw


def test_the_analysis_recovers_the_demos_event_uplift(demo):
    root, raw = demo
    # Independently, from the raw exports: done calls, and the account's events 0..30 days before each.
    activities = pd.concat(
        [
            pd.read_csv(f, parse_dates=["Activité - Marquée comme terminée le"])
            for f in raw.glob("pipedrive-activites-*")
        ]
    )
    calls = activities[(activities["Activité - Type"] == "Appel") & (activities["Activité - Terminée"] == "Terminé")]
    calls = calls.assign(day=calls["Activité - Marquée comme terminée le"].dt.normalize())
    events = pd.read_csv(raw / "veille-evenements-comptes.csv", sep=";", encoding="utf-8-sig")
    events["day"] = pd.to_datetime(events["Date"], format="%d/%m/%Y")
    pairs = calls.merge(events, left_on="Activité - Organisation", right_on="Entreprise", suffixes=("", "_event"))
    age = (pairs["day"] - pairs["day_event"]).dt.days
    after_ids = set(pairs.loc[(age >= 0) & (age <= EVENT_WINDOW_DAYS), "Activité - ID"])
    after = calls["Activité - ID"].isin(after_ids)
    booked = calls["Activité - Résultat"] == "RDV pris"
    expected_after, expected_other = booked[after].mean(), booked[~after].mean()

    uplift = event_uplift(load_sales_data(root, "demo"))
    assert (uplift.after.calls, uplift.other.calls) == (after.sum(), (~after).sum())
    assert uplift.after.rate == pytest.approx(expected_after)
    assert uplift.other.rate == pytest.approx(expected_other)
    assert uplift.verdict == HIGHER
    assert uplift.difference_low <= EVENT_MEETING_UPLIFT <= uplift.difference_high


def test_recent_events_take_the_window_and_date_from_the_clients_data():
    config = ClientConfig(client="t", display_name="T", data_cutoff=AS_OF, events_window_days=10)
    data = sales_data(config, events=events_fixture())
    # 10-day window up to the cut-off 2026-09-30: Gamma's two events (ages 0 and 10); Alpha (30) out.
    recent = recent_events(data)
    assert recent["account_id"].tolist() == ["Gamma"] and recent["events_in_window"].tolist() == [2]
