"""Derived fields: status rules, close dates, first_of, prefixes, and where the stage history comes from."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.errors import ConfigError, ImportValidationError
from strategy_kit.importer import import_client, load_sales_data

from import_fixtures import make_client

STAGES = """\
    stages:
      - {id: lead, fr: Piste, en: Lead}
      - {id: meeting, fr: Rendez-vous, en: Meeting}
      - {id: offer, fr: Offre, en: Offer}
      - {id: won, fr: Gagnée, en: Won}
"""


def history_of(data) -> dict[str, list[tuple[str, object, bool]]]:
    """deal -> [(stage, entered_at or None, inferred)] sorted by stage order."""
    history = data.tables["stage_history"]
    order = {s: i for i, s in enumerate(["lead", "meeting", "offer", "won"])}
    result: dict[str, list] = {}
    for row in history.itertuples():
        entered = None if pd.isna(row.entered_at) else row.entered_at
        result.setdefault(row.deal_id, []).append((row.stage, entered, bool(row.inferred)))
    return {k: sorted(v, key=lambda item: order[item[0]]) for k, v in result.items()}


def test_status_from_a_stage_column_with_a_default_and_inferred_history(tmp_path):
    config = (
        "    display_name: Derive\n"
        + STAGES
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, stage: Stage, created_at: Created, closed_at: Closed}
        values:
          stage: {Lost: offer}
        derive:
          status: {from: Stage, map: {Won: won, Lost: lost}, default: open}
    """
    )
    rows = (
        "ID,Stage,Created,Closed\n"
        "1,Lead,2024-01-01,\n"
        "2,Offer,2024-01-02,\n"
        "3,Won,2024-01-03,2024-02-01\n"
        "4,Lost,2024-01-04,2024-02-02\n"
    )
    make_client(tmp_path, config, {"deals.csv": rows})
    data = load_sales_data(tmp_path, "acme")
    deals = data.deals.set_index("deal_id")
    assert deals["status"].tolist() == ["open", "open", "won", "lost"]
    assert deals["stage"].tolist() == ["lead", "offer", "won", "offer"]
    history = history_of(data)
    # Every stage up to the current one is passed (inferred); the first gets created_at, won gets closed_at.
    assert history["1"] == [("lead", pd.Timestamp(2024, 1, 1), True)]
    assert history["2"] == [("lead", pd.Timestamp(2024, 1, 2), True), ("meeting", None, True), ("offer", None, True)]
    assert history["3"] == [
        ("lead", pd.Timestamp(2024, 1, 3), True),
        ("meeting", None, True),
        ("offer", None, True),
        ("won", pd.Timestamp(2024, 2, 1), True),
    ]
    assert [s for s, _, _ in history["4"]] == ["lead", "meeting", "offer"]
    result = import_client(tmp_path, "acme")
    assert "inferred from each deal's current stage" in result.summary()


def test_won_deals_pass_every_stage_even_when_their_stage_is_earlier(tmp_path):
    config = (
        "    display_name: Derive\n"
        + STAGES
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, stage: Stage, status: Status, closed_at: Closed}
    """
    )
    make_client(tmp_path, config, {"deals.csv": "ID,Stage,Status,Closed\n9,Meeting,Won,2024-03-01\n"})
    assert [s for s, _, _ in history_of(load_sales_data(tmp_path, "acme"))["9"]] == ["lead", "meeting", "offer", "won"]


def test_status_from_booleans_and_close_date_split(tmp_path):
    config = (
        "    display_name: Booleans\n"
        + STAGES
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: Id, stage: Stage}
        derive:
          status: {won: IsWon, closed: IsClosed}
          close_date: {from: CloseDate}
        values:
          stage: {Closed Won: won, Closed Lost: null}
    """
    )
    rows = (
        "Id,Stage,IsWon,IsClosed,CloseDate\n"
        "a,Closed Won,1,1,2024-01-10\n"
        "b,Closed Lost,,1,2024-01-11\n"
        "c,Offer,FALSE,false,2024-05-01\n"
        "d,Meeting,0,Non,2024-06-01\n"
    )
    make_client(tmp_path, config, {"deals.csv": rows})
    deals = load_sales_data(tmp_path, "acme").deals.set_index("deal_id")
    assert deals["status"].tolist() == ["won", "lost", "open", "open"]
    assert deals["closed_at"].tolist()[:2] == [pd.Timestamp(2024, 1, 10), pd.Timestamp(2024, 1, 11)]
    assert deals["closed_at"].isna().tolist() == [False, False, True, True]
    assert deals["expected_close_at"].tolist()[2:] == [pd.Timestamp(2024, 5, 1), pd.Timestamp(2024, 6, 1)]
    assert pd.isna(deals.loc["b", "stage"])  # "Closed Lost" is not a stage


def test_unparseable_boolean_is_reported(tmp_path):
    config = """\
    display_name: Booleans
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: Id, closed_at: Closed}
        derive:
          status: {won: IsWon, closed: IsClosed}
    """
    make_client(tmp_path, config, {"deals.csv": "Id,IsWon,IsClosed,Closed\n1,peut-être,1,2024-01-01\n"})
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme")
    (problem,) = caught.value.problems
    assert (problem.kind, problem.column, problem.rows, problem.examples) == (
        "unparseable_boolean",
        "IsWon",
        [2],
        ["peut-être"],
    )


def test_first_of_and_prefix(tmp_path):
    config = """\
    display_name: Activities
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: Id, status: Status}
      activities:
        files: [tasks.csv]
        columns: {activity_id: Id}
        derive:
          at: {first_of: [ActivityDate, CreatedDate, NotInTheFile]}
          deal_id: {from: WhatId, prefix: "006"}
          type: {from: Kind, map: {Appel: call, Courriel: email}, default: other}
        constants: {direction: outbound}
    """
    tasks = (
        "Id,ActivityDate,CreatedDate,WhatId,Kind\n"
        "t1,2024-01-05,2024-01-01,006X,Appel\n"
        "t2,,2024-01-02,001Y,Courriel\n"
        "t3,2024-01-07,,,Visio\n"
    )
    make_client(tmp_path, config, {"deals.csv": "Id,Status\n006X,open\n", "tasks.csv": tasks})
    activities = load_sales_data(tmp_path, "acme").tables["activities"]
    assert activities["at"].tolist() == [pd.Timestamp(2024, 1, 5), pd.Timestamp(2024, 1, 2), pd.Timestamp(2024, 1, 7)]
    assert activities["deal_id"].tolist()[0] == "006X"
    assert activities["deal_id"].isna().tolist() == [False, True, True]
    assert activities["type"].tolist() == ["call", "email", "other"]
    assert activities["direction"].tolist() == ["outbound"] * 3


def test_stage_history_from_per_stage_date_columns_is_completed(tmp_path):
    config = (
        "    display_name: Columns\n"
        + STAGES
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, stage: Stage, status: Status, created_at: Created, closed_at: Closed}
        derive:
          stage_history: {columns: {meeting: Meeting on, offer: Offer on}}
    """
    )
    rows = (
        "ID,Stage,Status,Created,Closed,Meeting on,Offer on\n"
        "1,Offer,open,2024-01-01,,2024-01-03,2024-01-09\n"
        "2,Won,won,2024-01-01,2024-02-01,,2024-01-20\n"
    )
    make_client(tmp_path, config, {"deals.csv": rows})
    data = load_sales_data(tmp_path, "acme")
    history = history_of(data)
    assert history["1"] == [
        ("lead", None, True),
        ("meeting", pd.Timestamp(2024, 1, 3), False),
        ("offer", pd.Timestamp(2024, 1, 9), False),
    ]
    assert history["2"] == [
        ("lead", None, True),
        ("meeting", None, True),
        ("offer", pd.Timestamp(2024, 1, 20), False),
        ("won", pd.Timestamp(2024, 2, 1), True),
    ]
    assert "3 from columns Meeting on, Offer on" in import_client(tmp_path, "acme").summary()


def test_stage_history_table_wins_and_fills_the_stage_of_lost_deals(tmp_path):
    config = (
        "    display_name: Table\n"
        + STAGES
        + """\
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, stage: Stage, status: Status, closed_at: Closed}
        values:
          stage: {Closed Lost: null}
      stage_history:
        files: [history.csv]
        columns: {deal_id: Deal, stage: Stage, entered_at: Date}
        values:
          stage: {Closed Lost: null}
    """
    )
    deals = "ID,Stage,Status,Closed\n1,Closed Lost,lost,2024-02-01\n2,Meeting,open,\n"
    history = (
        "Deal,Stage,Date\n"
        "1,Lead,2024-01-01\n1,Meeting,2024-01-05\n1,Offer,2024-01-10\n1,Closed Lost,2024-02-01\n"
        "2,Meeting,2024-01-07\n"
    )
    make_client(tmp_path, config, {"deals.csv": deals, "history.csv": history})
    data = load_sales_data(tmp_path, "acme")
    assert data.deals.set_index("deal_id").loc["1", "stage"] == "offer"  # its last recorded stage
    got = history_of(data)
    assert got["1"] == [
        ("lead", pd.Timestamp(2024, 1, 1), False),
        ("meeting", pd.Timestamp(2024, 1, 5), False),
        ("offer", pd.Timestamp(2024, 1, 10), False),
    ]
    assert got["2"] == [("lead", None, True), ("meeting", pd.Timestamp(2024, 1, 7), False)]
    summary = import_client(tmp_path, "acme").summary()
    assert "from table stage_history (raw/history.csv)" in summary
    assert "1 row(s) with a value mapped to null left out" in summary


def test_stage_history_rows_for_unknown_deals_are_reported(tmp_path):
    config = """\
    display_name: Table
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, status: Status}
      stage_history:
        files: [history.csv]
        columns: {deal_id: Deal, stage: Stage, entered_at: Date}
    """
    make_client(
        tmp_path,
        config,
        {
            "deals.csv": "ID,Status\n1,open\n",
            "history.csv": "Deal,Stage,Date\n1,prospecting,2024-01-01\n99,prospecting,2024-01-02\n",
        },
    )
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme")
    (problem,) = caught.value.problems
    assert (problem.kind, problem.file, problem.rows) == ("unknown_deal", "raw/history.csv", [3])


def test_stage_history_columns_must_name_stages(tmp_path):
    config = """\
    display_name: Bad
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, status: Status}
        derive:
          stage_history: {columns: {demo: Demo date}}
    """
    make_client(tmp_path, config, {"deals.csv": "ID,Status,Demo date\n1,open,\n"})
    with pytest.raises(ConfigError, match="derive: stage_history: columns: 'demo' is not a stage id"):
        import_client(tmp_path, "acme")


def test_outcome_must_fit_the_activity_type(tmp_path):
    config = """\
    display_name: Outcomes
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, status: Status}
      activities:
        files: [activities.csv]
        columns: {activity_id: ID, type: Type, at: At, outcome: Outcome}
    """
    activities = "ID,Type,At,Outcome\n1,call,2024-01-01,connected\n2,email,2024-01-01,connected\n3,email,2024-01-01,\n"
    make_client(tmp_path, config, {"deals.csv": "ID,Status\n1,open\n", "activities.csv": activities})
    with pytest.raises(ImportValidationError) as caught:
        import_client(tmp_path, "acme")
    (problem,) = caught.value.problems
    assert (problem.kind, problem.rows, problem.examples) == ("outcome_for_type", [3], ["email → connected"])


def test_unknown_deal_rows_of_the_stage_history_are_rejected_with_their_values_when_lenient(tmp_path):
    config = """\
    display_name: Table
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, status: Status}
      stage_history:
        files: [history.csv]
        columns: {deal_id: Deal, stage: Stage, entered_at: Date}
    """
    folder = make_client(
        tmp_path,
        config,
        {
            "deals.csv": "ID,Status\n1,open\n",
            "history.csv": "Deal,Stage,Date\n1,prospecting,2024-01-01\n99,qualification,2024-01-02\n",
        },
    )
    result = import_client(tmp_path, "acme", lenient=True)
    assert result.rejected == {"stage_history": 1}
    rejected = pd.read_csv(folder / ".cache" / "rejected.csv", dtype=str)
    assert rejected[["table", "row", "deal_id", "stage"]].values.tolist() == [
        ["stage_history", "3", "99", "qualification"]
    ]


def test_activities_without_a_direction_are_outbound(tmp_path):
    config = """\
    display_name: Direction
    import:
      deals:
        files: [deals.csv]
        columns: {deal_id: ID, status: Status}
      activities:
        files: [activities.csv]
        columns: {activity_id: ID, type: Type, at: At}
    """
    make_client(
        tmp_path,
        config,
        {"deals.csv": "ID,Status\n1,open\n", "activities.csv": "ID,Type,At\n1,call,2024-01-01\n2,email,2024-01-02\n"},
    )
    activities = load_sales_data(tmp_path, "acme").tables["activities"]
    assert activities["direction"].tolist() == ["outbound", "outbound"]
