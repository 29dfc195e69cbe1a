"""Custom breakdown dimensions (columns outside the canonical tables) and the derived calendar
dimensions weekday, hour and month; expected values worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.cli import main
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import KpiEngine, KpiError
from strategy_kit.kpis.dimensions import dimensions_of
from strategy_kit.periods import parse_period

CONFIG = ClientConfig(client="t", display_name="T", language="en")
Q2 = parse_period("2026-Q2")


def _data(**deal_columns) -> SalesData:
    deals = pd.DataFrame(
        {
            "deal_id": ["d1", "d2", "d3", "d4"],
            "status": ["won", "lost", "won", "open"],
            "account_id": ["A", "B", "A", None],
            # d1 created Mon 04-06, closed Wed 04-08 15:30; d2 closed Wed 05-13 10:00; d3 closed Fri 05-15
            # 15:00; d4 open, created Sat 05-02 11:00.
            "created_at": pd.to_datetime(
                ["2026-04-06 09:00", "2026-04-07 09:00", "2026-04-10 09:00", "2026-05-02 11:00"]
            ),
            "closed_at": pd.to_datetime(["2026-04-08 15:30", "2026-05-13 10:00", "2026-05-15 15:00", None]),
            "campaign": pd.Categorical(["Spring", "Spring", None, "Fall"]),
            **deal_columns,
        }
    )
    accounts = pd.DataFrame({"account_id": ["A", "B"], "tier": pd.Categorical(["gold", "silver"])})
    activities = pd.DataFrame(
        {
            "activity_id": ["a1", "a2", "a3"],
            "type": ["call", "call", "email"],
            "at": pd.to_datetime(["2026-04-06 09:15", "2026-04-07 14:00", "2026-04-08 09:30"]),  # Mon, Tue, Wed
            "deal_id": ["d1", "d4", "d2"],
            "channel": pd.Categorical(["phone", "phone", None]),
        }
    )
    return SalesData(CONFIG, {"deals": deals, "accounts": accounts, "activities": activities})


@pytest.fixture(scope="module")
def engine():
    return KpiEngine(_data())


def test_the_dimensions_the_data_have(engine):
    available = engine.available_dimensions()
    for name in ("campaign", "channel", "tier", "weekday", "hour", "month"):
        assert name in available, name
    assert "product" not in available  # no product column
    with pytest.raises(KpiError, match=r"unknown breakdown dimension 'nope'.*campaign.*weekday"):
        engine.compute(Q2, by=["nope"])


def test_a_custom_deals_column(engine):
    by = engine.compute(Q2, by=["campaign"]).breakdown["campaign"]
    # Won in Q2: d1 (Spring), d3 (no campaign); lost: d2 (Spring).
    assert by["Spring"]["deals_won"] == 1 and by["Spring"]["win_rate"] == 0.5
    assert by["(none)"]["deals_won"] == 1 and by["(none)"]["win_rate"] == 1.0
    assert by["Fall"]["win_rate"] is None  # d4 is open
    # Activities read it through their deal: a1 on d1 (Spring), a2 on d4 (Fall).
    assert by["Spring"]["calls_made"] == 1 and by["Fall"]["calls_made"] == 1


def test_a_custom_activities_column(engine):
    result = engine.compute(Q2, by=["channel"])
    by = result.breakdown["channel"]
    assert by["phone"]["calls_made"] == 2  # a1, a2
    assert by["(none)"]["emails_sent"] == 1  # a3
    # Deals have no channel: their KPIs are not broken down this way (said, not zero).
    assert result.breakdown_unavailable["channel"]["deals_won"] == "cannot be broken down by channel"


def test_a_custom_accounts_column(engine):
    by = engine.compute(Q2, by=["tier"]).breakdown["tier"]
    assert by["gold"]["deals_won"] == 2  # d1, d3 on account A
    assert by["silver"]["deals_lost"] == 1  # d2 on B
    assert by["(none)"]["deals_won"] == 0  # d4 has no account


def test_calendar_dimensions(engine):
    result = engine.compute(Q2, by=["weekday", "hour", "month"])
    weekday, hour, month = (result.breakdown[d] for d in ("weekday", "hour", "month"))
    # Won and lost deals are grouped by closed_at: d1 Wed, d2 Wed, d3 Fri.
    assert weekday["3 Wednesday"]["deals_won"] == 1 and weekday["3 Wednesday"]["deals_lost"] == 1
    assert weekday["5 Friday"]["win_rate"] == 1.0
    # New and open deals by the day they were created: d1 Mon, d2 Tue, d3 Fri, d4 Sat; open at
    # 06-30: d4 only (Sat).
    assert [weekday[d]["new_deals"] for d in ("1 Monday", "2 Tuesday", "3 Wednesday", "5 Friday", "6 Saturday")] == [
        1,
        1,
        0,
        1,
        1,
    ]
    assert weekday["6 Saturday"]["open_deals_end"] == 1 and weekday["3 Wednesday"]["open_deals_end"] == 0
    assert "1 Monday" in weekday and weekday["1 Monday"]["calls_made"] == 1  # a1
    assert weekday["2 Tuesday"]["calls_made"] == 1  # a2
    # (none): the undated stage-history rows (inferred stages the deals passed).
    assert list(weekday) == ["1 Monday", "2 Tuesday", "3 Wednesday", "5 Friday", "6 Saturday", "(none)"]
    assert hour["15"]["deals_won"] == 2  # d1 15:30, d3 15:00
    assert hour["09"]["calls_made"] == 1 and hour["14"]["calls_made"] == 1
    assert month["2026-04"]["deals_won"] == 1 and month["2026-05"]["deals_won"] == 1
    assert month["2026-04"]["calls_made"] == 2


def test_a_custom_column_named_like_a_standard_dimension_is_read_first():
    engine = KpiEngine(_data(region=["North", "South", "North", None]))
    by = engine.compute(Q2, by=["region"]).breakdown["region"]
    # deals.region (custom on the deals) rather than accounts.region (the accounts have none).
    assert by["North"]["deals_won"] == 2 and by["South"]["deals_lost"] == 1


def test_dimensions_of_lists_custom_and_calendar_dimensions():
    dimensions = dimensions_of(_data().tables)
    assert dimensions["campaign"].custom and dimensions["campaign"].table == "deals"
    assert dimensions["tier"].level == "account"
    assert dimensions["weekday"].calendar == "weekday"


def test_a_dimension_without_values_is_unavailable_for_notebook_sections(engine):
    # "product" is a known dimension the data hold no value for: a KpiError (CLI exit 2) that a
    # notebook section shows as "not available" (UnavailableError).
    with pytest.raises(UnavailableError, match="no data for the breakdown 'product'"):
        engine.compute(Q2, by=["product"])


def test_cli_by_calendar_and_unknown_dimensions(tmp_path, capsys):
    raw = tmp_path / "exports"
    raw.mkdir()
    (raw / "deals.csv").write_text(
        "ID,Status,Stage,Amount,Created,Closed,Owner\n1,Won,won,1000,2026-01-10,2026-04-10,Ana\n", encoding="utf-8"
    )
    ws = str(tmp_path / "ws")
    assert main(["--workspace", ws, "new-client", "tiny", "--raw", str(raw), "--language", "en"]) == 0
    assert main(["--workspace", ws, "import", "tiny"]) == 0
    capsys.readouterr()
    assert main(["--workspace", ws, "kpis", "tiny", "--period", "2026-Q2", "--by", "month", "--format", "json"]) == 0
    assert '"2026-04"' in capsys.readouterr().out  # deal 1 closed 2026-04-10
    assert main(["--workspace", ws, "kpis", "tiny", "--period", "2026-Q2", "--by", "campaign"]) == 2
    err = capsys.readouterr().err
    assert "unknown breakdown dimension 'campaign'" in err and "owner" in err and "weekday" in err
    assert "Traceback" not in err


def test_open_pipeline_by_month_reads_created_at_never_a_later_close():
    # d1 created 04-15, won 08-20 (after Q2); d2 created 05-10, still open. At Q2's end (06-30) both
    # are open: new_deals 2, open_deals_end 2, open pipeline 100 + 50 = 150. By month of created_at:
    # 2026-04 {d1: 1, 1, 100}, 2026-05 {d2: 1, 1, 50}; no group 2026-08 (after the period's end).
    deals = pd.DataFrame(
        {
            "deal_id": ["d1", "d2"],
            "status": ["won", "open"],
            "created_at": pd.to_datetime(["2026-04-15", "2026-05-10"]),
            "closed_at": pd.to_datetime(["2026-08-20", None]),
            "value": [100.0, 50.0],
            "account_id": ["A", "B"],
        }
    )
    result = KpiEngine(SalesData(CONFIG, {"deals": deals})).compute(
        Q2, by=["month", "weekday"], kpis=["new_deals", "open_deals_end", "open_pipeline_value", "deals_won"]
    )
    assert result.values == {"new_deals": 2, "open_deals_end": 2, "open_pipeline_value": 150.0, "deals_won": 0}
    month = result.breakdown["month"]
    assert list(month) == ["2026-04", "2026-05"]
    assert month["2026-04"] == {"new_deals": 1, "open_deals_end": 1, "open_pipeline_value": 100.0, "deals_won": 0}
    assert month["2026-05"] == {"new_deals": 1, "open_deals_end": 1, "open_pipeline_value": 50.0, "deals_won": 0}
    # 04-15 was a Wednesday, 05-10 a Sunday; d1's close (Thu 08-20) is after Q2: Thursday holds nothing.
    weekday = result.breakdown["weekday"]
    assert weekday["3 Wednesday"]["open_pipeline_value"] == 100.0
    assert weekday["7 Sunday"]["open_pipeline_value"] == 50.0
    assert weekday.get("4 Thursday", {}).get("open_deals_end", 0) == 0
    # Pipeline velocity's parts read different dates (created_at, closed_at): not by calendar.
    velocity = KpiEngine(SalesData(CONFIG, {"deals": deals})).compute(Q2, by=["month"], kpis=["pipeline_velocity"])
    assert velocity.breakdown_unavailable["month"]["pipeline_velocity"] == "cannot be broken down by month"
    # Q3: d1 won 08-20 is in 2026-08 for deals_won; nothing created in Q3.
    q3 = KpiEngine(SalesData(CONFIG, {"deals": deals})).compute(
        parse_period("2026-Q3"), by=["month"], kpis=["deals_won", "new_deals"]
    )
    assert q3.breakdown["month"]["2026-08"] == {"deals_won": 1, "new_deals": 0}


def test_weekday_groups_are_shown_in_the_report_language(engine):
    from strategy_kit.kpis.terminal import render_result

    result = engine.compute(Q2, by=["weekday"], kpis=["calls_made"])
    assert "1 Monday" in result.breakdown["weekday"]  # machine output: language-neutral keys
    french = render_result(result, ClientConfig(client="t", display_name="T", language="fr"), "fr")
    assert "1 lundi" in french and "2 mardi" in french and "Monday" not in french
    english = render_result(result, CONFIG, "en")
    assert "1 Monday" in english
