"""The overview analytics on a small hand-built client; every expected number was worked out by
hand from the rows below (the comments say how)."""

from __future__ import annotations

import io
import math
from datetime import date

import pandas as pd
import pytest
from matplotlib.figure import Figure

from strategy_kit.analytics import overview
from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.narrative import overview as narrative
from strategy_kit.periods import parse_period
from strategy_kit.plots.overview import pipeline_chart, revenue_chart

NaT = None
Q1 = parse_period("2026-Q1")  # 2026-01-01 .. 2026-03-31

# deal_id, stage, status, value, created_at, closed_at
DEALS = [
    ("d1", "prospecting", "open", 1000.0, "2025-12-10", NaT),  # open at end, prospecting
    ("d2", "proposal", "open", 5000.0, "2026-02-01", NaT),  # open; history says meeting at 03-31
    ("d3", "negotiation", "won", 8000.0, "2025-11-05", "2026-02-15"),  # won in Q1
    ("d4", "meeting", "lost", 2000.0, "2026-01-20", "2026-03-31 23:00"),  # lost on the last day of Q1
    ("d5", "won", "won", 3000.0, "2026-03-01", "2026-04-10"),  # open at end, won since: stage unknown
    ("d6", "qualification", "lost", 1500.0, "2026-02-10", "2026-05-02"),  # open at end, qualification
    ("d7", "proposal", "open", None, "2026-03-15", NaT),  # open, proposal, no value
    ("d8", "meeting", "open", 700.0, NaT, NaT),  # no created_at: left out
    ("d9", "negotiation", "won", 4000.0, "2025-06-01", NaT),  # won without closed_at: left out
    ("d10", "prospecting", "open", 900.0, "2026-04-02", NaT),  # created after Q1
    ("d11", "won", "won", 6000.0, "2025-03-01", "2025-03-20"),  # won a year before Q1
]
STAGE_HISTORY = [
    ("d2", "prospecting", "2026-02-01", False),
    ("d2", "meeting", "2026-03-10", False),
    ("d2", "proposal", "2026-04-05", False),  # after Q1: not the stage at 03-31
    ("d1", "prospecting", "2025-12-10", True),  # inferred rows are not a dated history
    ("d1", "qualification", NaT, True),
]
ACTIVITIES = [
    ("a1", "call", "2026-01-05 09:00"),
    ("a2", "email", "2026-03-31 18:00"),
    ("a3", "call", "2026-04-01 08:00"),
]
REVENUE = [
    ("r1", "acc1", "2026-01-15", 1200.5),
    ("r2", "acc1", "2026-01-28", 300.0),
    ("r3", "acc2", "2026-03-02", 999.5),
    ("r4", "acc2", NaT, 100.0),  # no date: left out
    ("r5", "acc3", "2025-02-10", 400.0),
]


def make_data(with_revenue: bool = False) -> SalesData:
    deals = pd.DataFrame(DEALS, columns=["deal_id", "stage", "status", "value", "created_at", "closed_at"])
    for column in ("created_at", "closed_at"):
        deals[column] = pd.to_datetime(deals[column], format="ISO8601")
    history = pd.DataFrame(STAGE_HISTORY, columns=["deal_id", "stage", "entered_at", "inferred"])
    history["entered_at"] = pd.to_datetime(history["entered_at"], format="ISO8601")
    activities = pd.DataFrame(ACTIVITIES, columns=["activity_id", "type", "at"])
    activities["at"] = pd.to_datetime(activities["at"], format="ISO8601")
    tables = {"deals": deals, "stage_history": history, "activities": activities}
    if with_revenue:
        revenue = pd.DataFrame(REVENUE, columns=["invoice_id", "account_id", "date", "amount"])
        revenue["date"] = pd.to_datetime(revenue["date"], format="ISO8601")
        tables["revenue"] = revenue
    return SalesData(ClientConfig(client="acme", display_name="Acme", language="fr"), tables)


def test_volumes_counts_rows_in_the_period_and_the_date_range():
    table = overview.volumes(make_data(), Q1).set_index("table")
    # The five main tables are always listed; stage_history because it is imported.
    assert list(table.index) == ["deals", "accounts", "leads", "stage_history", "activities", "revenue"]
    assert list(table["imported"]) == [True, False, False, True, True, False]
    deals = table.loc["deals"]
    # created in Q1: d2, d4, d5, d6, d7; d8 has no created_at; first d11 (2025-03-01), last d10 (2026-04-02)
    assert (deals["rows"], deals["in_period"], deals["undated"]) == (11, 5, 1)
    assert deals["date_column"] == "created_at"
    assert deals["first_date"] == pd.Timestamp("2025-03-01")
    assert deals["last_date"] == pd.Timestamp("2026-04-02")
    history = table.loc["stage_history"]
    assert (history["rows"], history["in_period"], history["undated"]) == (5, 2, 1)  # 02-01 and 03-10
    activities = table.loc["activities"]
    assert (activities["rows"], activities["in_period"]) == (3, 2)  # 01-05 and 03-31 18:00
    assert pd.isna(table.loc["accounts", "rows"])


def test_pipeline_by_stage_at_period_end():
    result = overview.pipeline_by_stage(make_data(), Q1)
    table = result.table.set_index("stage")
    # Open at 2026-03-31: d1, d2, d5 (won 04-10), d6 (lost 05-02), d7. Not d4 (closed on 03-31).
    assert result.total_deals == 5
    assert result.total_value == 10500.0  # 1000 + 5000 + 3000 + 1500 (+ d7 without value)
    assert list(table.index) == [
        "prospecting",
        "qualification",
        "meeting",
        "needs_defined",
        "proposal",
        "negotiation",
        "unknown",
    ]  # no "won" row: an open pipeline has no won deal (no empty "Affaire remportée 0 €" bar)
    assert table.loc["prospecting", ["deals", "value"]].tolist() == [1, 1000.0]  # d1 (inferred history ignored)
    assert table.loc["qualification", ["deals", "value"]].tolist() == [1, 1500.0]  # d6, current stage
    assert table.loc["meeting", ["deals", "value"]].tolist() == [1, 5000.0]  # d2, from its history
    assert table.loc["proposal", "deals"] == 1  # d7, no value: the stage's value is unknown, not 0
    assert math.isnan(table.loc["proposal", "value"])
    assert table.loc["needs_defined", "value"] == 0.0  # no deal there: nothing open, a true 0
    assert table.loc["unknown", ["deals", "value"]].tolist() == [1, 3000.0]  # d5, won since
    assert table.loc["needs_defined", "deals"] == 0
    assert table.loc["meeting", "share_of_value"] == pytest.approx(5000 / 10500)
    assert result.stage_from_history == 1
    assert result.left_out == {"no_created_at": 1, "no_closed_at": 1, "no_value": 1}  # d8, d9, d7


def test_a_stage_history_dated_after_the_period_places_every_deal_at_its_current_stage():
    data = make_data()
    history = data.tables["stage_history"]
    data.tables["stage_history"] = history[history["entered_at"] > pd.Timestamp("2026-03-31 23:59")]  # d2's 04-05 only
    table = overview.pipeline_by_stage(data, Q1).table.set_index("stage")
    # no recorded entry by 03-31: d2 counts at its current stage (proposal, with d7), not at "meeting"
    assert table.loc["meeting", "deals"] == 0 and table.loc["proposal", "deals"] == 2
    assert overview.pipeline_by_stage(data, Q1).stage_from_history == 0


def test_pipeline_labels_follow_the_language():
    data = make_data()
    pipeline = overview.pipeline_by_stage(data, Q1)
    english = narrative.pipeline_table(pipeline, data.config, "en").frame.set_index("stage")
    assert english.loc["meeting", "label"] == "Meeting"
    assert english.loc["unknown", "label"] == "Stage unknown at that date"
    french = narrative.pipeline_table(pipeline, data.config, "fr").frame.set_index("stage")
    assert french.loc["meeting", "label"] == "Rendez-vous / réunion / appel"


def test_deal_flows_of_the_period():
    flows = overview.deal_flows(make_data(), Q1)
    # created: d2, d4, d5, d6, d7 = 5000 + 2000 + 3000 + 1500 + (no value)
    assert (flows.count("created"), flows.value("created")) == (5, 11500.0)
    assert (flows.count("won"), flows.value("won")) == (1, 8000.0)  # d3
    assert (flows.count("lost"), flows.value("lost")) == (1, 2000.0)  # d4, closed 03-31 23:00
    assert flows.left_out == {"no_created_at": 1, "no_closed_at": 1, "no_value": 1}  # d8, d9, d7


def test_revenue_by_month_from_won_deals_when_there_are_no_revenue_lines():
    revenue = overview.revenue_by_month(make_data(), Q1)
    assert revenue.source == "won_deals"
    table = revenue.table
    assert list(table["month"]) == list(pd.date_range("2025-04-01", "2026-03-01", freq="MS"))
    # Won deals with a close date: d3 8000 in 2026-02, d5 in 2026-04 (after), d11 6000 in 2025-03.
    assert table["revenue"].tolist() == [0.0] * 10 + [8000.0, 0.0]
    # The data start in 2025-03 (d11): a year earlier only 2026-03's twin (2025-03) is covered.
    assert table["previous_year"].isna().tolist() == [True] * 11 + [False]
    assert table["previous_year"].iloc[-1] == 6000.0
    assert revenue.has_previous_year
    assert revenue.covered_from == date(2025, 3, 1)
    assert revenue.left_out == {"no_closed_at": 1}  # d9


def test_revenue_by_month_from_revenue_lines():
    revenue = overview.revenue_by_month(make_data(with_revenue=True), Q1)
    assert revenue.source == "revenue_lines"
    by_month = revenue.table.set_index("month")
    assert by_month.loc["2026-01-01", "revenue"] == 1500.5  # r1 + r2
    assert by_month.loc["2026-03-01", "revenue"] == 999.5  # r3
    assert by_month["revenue"].sum() == 2500.0
    # Lines start in 2025-02 (r5): previous year known for 2026-02 (400) and 2026-03 (0) only.
    assert by_month.loc["2026-02-01", "previous_year"] == 400.0
    assert by_month.loc["2026-03-01", "previous_year"] == 0.0
    assert by_month["previous_year"].notna().sum() == 2
    assert revenue.left_out == {"no_date": 1}  # r4


def test_months_after_the_data_are_missing_not_zero():
    # 2026-Q3 ends 2026-09; the data's last day is 2026-05-02 (d6 closed), so 2026-06..09 are unknown.
    revenue = overview.revenue_by_month(make_data(), parse_period("2026-Q3"))
    assert revenue.table["revenue"].isna().tolist() == [False] * 8 + [True] * 4
    assert not math.isnan(revenue.table["revenue"].iloc[7])  # 2026-05 is covered


def test_charts_are_figures_labelled_in_the_language():
    data = make_data()
    pipeline = pipeline_chart(overview.pipeline_by_stage(data, Q1), data.config, "en")
    revenue = revenue_chart(overview.revenue_by_month(data, Q1), "fr")
    assert isinstance(pipeline, Figure) and isinstance(revenue, Figure)
    assert pipeline.axes[0].get_title(loc="left") == "Open pipeline at 31 Mar 2026"
    assert [t.get_text() for t in pipeline.axes[0].get_yticklabels()][2] == "Meeting"
    axes = revenue.axes[0]
    assert axes.get_title(loc="left") == "Chiffre d'affaires par mois"
    assert axes.get_xticklabels()[0].get_text() == "avr. 2025"
    assert revenue.legends  # the previous-year line is drawn, with a legend


# --------------------------------------------------------------------------- deals lacking columns or absent


def _without_deal_columns(*columns: str, empty: bool = False, with_revenue: bool = False) -> SalesData:
    """The fixture with ``columns`` of the deals dropped (or, with ``empty``, left without any value)."""
    data = make_data(with_revenue)
    deals = data.tables["deals"]
    data.tables["deals"] = (
        deals.assign(**{c: pd.Series(None, index=deals.index, dtype=deals[c].dtype) for c in columns})
        if empty
        else deals.drop(columns=list(columns))
    )
    return data


@pytest.mark.parametrize("empty", [False, True], ids=["column absent", "column empty"])
def test_deals_without_value_give_counts_and_missing_values_never_zero(empty: bool):
    data = _without_deal_columns("value", empty=empty)
    pipeline = overview.pipeline_by_stage(data, Q1)
    table = pipeline.table.set_index("stage")
    # The same 5 deals open at the end of Q1 as with values (d1, d2, d5, d6, d7); none has a value.
    assert pipeline.total_deals == 5 and math.isnan(pipeline.total_value)
    assert table.loc["meeting", "deals"] == 1 and math.isnan(table.loc["meeting", "value"])
    assert table.loc["needs_defined", "value"] == 0.0  # no deal at that stage: nothing open
    assert pipeline.left_out["no_value"] == 5
    flows = overview.deal_flows(data, Q1)
    # created 5, won 1 (d3), lost 1 (d4): each counted, its value unknown.
    assert [flows.count(m) for m in ("created", "won", "lost")] == [5, 1, 1]
    assert all(math.isnan(flows.value(m)) for m in ("created", "won", "lost"))
    with pytest.raises(UnavailableError, match="no won deal has a value") as raised:
        overview.revenue_by_month(data, Q1)
    assert raised.value.reason("fr").startswith("aucune affaire gagnée n'a de montant")
    pipeline_chart(pipeline, data.config, "fr").savefig(
        io.BytesIO(), format="svg"
    )  # drawn: bars of unknown value are empty


def test_deals_without_value_but_revenue_lines_still_give_revenue():
    revenue = overview.revenue_by_month(_without_deal_columns("value", with_revenue=True), Q1)
    assert revenue.source == "revenue_lines"
    assert revenue.table.set_index("month").loc[pd.Timestamp("2026-01-01"), "revenue"] == 1500.5  # r1 + r2


@pytest.mark.parametrize("empty", [False, True], ids=["columns absent", "columns empty"])
def test_deals_without_dates_stage_or_owner_are_left_out_and_counted(empty: bool):
    data = _without_deal_columns("created_at", "closed_at", "stage", empty=empty)
    # No deal can be placed at the end of Q1 without its creation date: the pipeline is unknown,
    # not empty.
    with pytest.raises(UnavailableError, match="needs the deals' created_at"):
        overview.pipeline_by_stage(data, Q1)
    flows = overview.deal_flows(data, Q1)
    # No deal has the date of any measure: every count and value is unknown, never 0.
    assert [flows.count(m) for m in ("created", "won", "lost")] == [None, None, None]
    assert all(math.isnan(flows.value(m)) for m in ("created", "won", "lost"))
    # 11 without created_at; won or lost without closed_at: d3, d4, d5, d6, d9, d11 (6).
    assert flows.left_out == {"no_created_at": 11, "no_closed_at": 6}
    volumes = overview.volumes(data, Q1).set_index("table")
    assert volumes.loc["deals", "undated"] == 11 and pd.isna(volumes.loc["deals", "first_date"])
    assert pd.isna(volumes.loc["deals", "in_period"])


def test_without_a_deals_table_the_deal_sections_are_unavailable_and_the_rest_is_shown():
    data = make_data(with_revenue=True)
    del data.tables["deals"], data.tables["stage_history"]
    for analysis in (lambda: overview.pipeline_by_stage(data, Q1), lambda: overview.deal_flows(data, Q1)):
        with pytest.raises(UnavailableError, match="needs the deals table") as raised:
            analysis()
        assert raised.value.reason("fr") == (
            "cette partie repose sur la table « Affaires », que le client « acme » n'a pas importée "
            "(déclarez-la sous import: deals: dans client.yml)"
        )
    assert overview.revenue_by_month(data, Q1).source == "revenue_lines"
    volumes = overview.volumes(data, Q1).set_index("table")
    assert not volumes.loc["deals", "imported"] and volumes.loc["revenue", "rows"] == 5


def test_won_deals_all_without_value_make_revenue_unavailable_even_if_open_deals_have_one():
    data = make_data()
    deals = data.tables["deals"]
    # Won deals d3, d5, d9, d11 lose their value; open deals keep theirs.
    deals.loc[deals["status"] == "won", "value"] = None
    with pytest.raises(UnavailableError, match="no won deal has a value"):
        overview.revenue_by_month(data, Q1)


# --------------------------------------------------------------------------- what a reader sees


def test_french_notes_elide_the_client_and_agree_with_their_counts():
    data = make_data()
    config = data.config  # display name "Acme": "d'Acme", not "de Acme"
    assert narrative.intro(config, Q1, "fr").text == (
        "Les données d'Acme en un coup d'œil pour la période T1 2026 (du 01/01/2026 au 31/03/2026) : "
        "pipeline ouvert en fin de période, affaires créées, gagnées et perdues, chiffre d'affaires "
        "des douze derniers mois."
    )
    pipeline = overview.pipeline_by_stage(data, Q1)
    note = narrative.pipeline_note(pipeline, config, "fr").text
    # 5 open deals worth 10,500 (test_pipeline_by_stage_at_period_end); 1 placed from the history (d2).
    assert "5 affaires pour 10\u202f500\u00a0€." in note
    assert "quand il est daté (1 affaire), sinon l'étape actuelle." in note
    english = narrative.pipeline_note(pipeline, config, "en").text
    assert "5 deals worth €10,500." in english and "when it is dated (1 deal)" in english
