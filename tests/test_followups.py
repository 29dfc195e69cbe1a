"""Follow-up exceptions (strategy_kit.analytics.followups), their words, the CRM task lists and the
``followups`` command, on small clients whose expected exceptions were worked out by hand (dates:
2026-07-10 is a Friday, 2026-07-14 (Bastille Day) a Tuesday, 2026-05-01 (Labour Day) a Friday)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from strategy_kit.analytics.followups import BusinessDays, followup_exceptions
from strategy_kit.config import ClientConfig, FollowupSettings
from strategy_kit.errors import ConfigError
from strategy_kit.narrative.followups import (
    CRM_COLUMNS,
    crm_tasks,
    exceptions_frame,
    findings,
    late_records_table,
    per_rep_table,
    records_left_out,
)
from strategy_kit.narrative.rep_targets import late_followups_text
from strategy_kit.spreadsheet import BOM

from conftest import sales_data, table
from import_fixtures import make_client, run_cli


def config(**settings: object) -> ClientConfig:
    return ClientConfig(client="t", display_name="T", language="en", followups=FollowupSettings(**settings))  # type: ignore[arg-type]


def day(text: str) -> np.datetime64:
    return np.datetime64(text, "D")


# ---------------------------------------------------------------------- business days


def test_due_day_skips_weekends_and_french_public_holidays():
    plain, france = BusinessDays(None, 2026, 2026), BusinessDays("FR", 2026, 2026)
    # Friday (evening or not) + 1 business day: Monday; Saturday counts from Friday: Monday too.
    assert plain.due(np.array([day("2026-07-10"), day("2026-07-11")]), 1).tolist() == [date(2026, 7, 13)] * 2
    # Monday 13 July + 1: Tuesday 14, except in France where 14 July is off: Wednesday 15.
    assert plain.due(np.array([day("2026-07-13")]), 1)[0] == day("2026-07-14")
    assert france.due(np.array([day("2026-07-13")]), 1)[0] == day("2026-07-15")
    # Thursday 30 April + 1: Friday 1 May, in France Monday 4 May (Labour Day, then the weekend).
    assert plain.due(np.array([day("2026-04-30")]), 1)[0] == day("2026-05-01")
    assert france.due(np.array([day("2026-04-30")]), 1)[0] == day("2026-05-04")
    # Friday 10 July + 3 in France: Mon 13, (Tue 14 off), Wed 15, Thu 16.
    assert france.due(np.array([day("2026-07-10")]), 3)[0] == day("2026-07-16")


# ---------------------------------------------------------------------- leads

LEAD_COLUMNS = ["lead_id", "created_at", "owner", "account_id", "deal_id"]
ACTIVITY_COLUMNS = ["activity_id", "type", "at", "owner", "direction", "deal_id", "lead_id", "outcome"]


def lead_data(settings: dict[str, object], leads: list[tuple], activities: list[tuple]):
    return sales_data(
        config(**settings),
        leads=table("leads", leads, LEAD_COLUMNS),
        activities=table("activities", activities, ACTIVITY_COLUMNS),
    )


def kinds(result, kind: str) -> dict[str, int]:
    found = result.exceptions[result.exceptions["kind"] == kind]
    return dict(zip(found["record_id"], found["days_late"]))


def test_sla_in_business_days_around_its_threshold():
    leads = [
        ("friday", "2026-07-10T18:30", "Ana", None, None),  # due Mon 13
        ("monday", "2026-07-13T10:00", "Ana", None, None),  # due Tue 14; in France Wed 15
        ("called", "2026-07-13T10:00", "Ana", None, None),  # called on Tue 14: not late
        ("before", "2026-07-13T10:00", "Ben", None, None),  # called only before it was created: still waiting
        ("inbound", "2026-07-13T10:00", "Ben", None, None),  # only an inbound call: still waiting
        ("converted", "2026-07-13T10:00", "Ben", None, "D9"),  # became a deal: the deal rules' own
        ("old", "2026-03-01T10:00", "Ben", None, None),  # outside the 90 days looked back
    ]
    activities = [
        ("a1", "call", "2026-07-14T09:00", "Ana", "outbound", None, "called", "connected"),
        ("a2", "call", "2026-07-12T09:00", "Ben", "outbound", None, "before", "connected"),
        ("a3", "call", "2026-07-14T09:00", "Ben", "inbound", None, "inbound", "connected"),
    ]
    data = lead_data({}, leads, activities)
    # As of Mon 13: only "friday" is due that day, not late yet; nothing else is due.
    assert kinds(followup_exceptions(data, date(2026, 7, 13)), "sla_missed") == {}
    # As of Wed 15: friday 2 days late (due Mon 13), the three Monday leads still waiting 1 day late (due Tue 14).
    late = kinds(followup_exceptions(data, date(2026, 7, 15)), "sla_missed")
    assert late == {"friday": 2, "monday": 1, "before": 1, "inbound": 1}
    # In France Tuesday 14 July is off: the Monday leads are due Wed 15, not late that day, 1 day late on Thu 16.
    france = lead_data({"country": "FR"}, leads, activities)
    assert kinds(followup_exceptions(france, date(2026, 7, 15)), "sla_missed") == {"friday": 2}
    assert kinds(followup_exceptions(france, date(2026, 7, 16)), "sla_missed") == {
        "friday": 3,
        "monday": 1,
        "before": 1,
        "inbound": 1,
    }
    # Two business days of SLA: Monday's leads due Wed 15 (no country), late on Thu 16 by 1.
    two = lead_data({"sla_business_days": 2}, leads, activities)
    assert kinds(followup_exceptions(two, date(2026, 7, 16)), "sla_missed") == {
        "friday": 2,  # Fri 10 + 2 = Tue 14
        "monday": 1,
        "before": 1,
        "inbound": 1,
    }


def test_no_lead_inside_the_window_is_no_exception_not_a_crash():
    # Every lead older than the 90 days looked back, one of them called: the window holds no lead at all.
    leads = [("old", "2026-01-05T10:00", "Ana", None, None), ("older", "2025-11-03T10:00", "Ben", None, None)]
    activities = [("a1", "call", "2026-01-06T09:00", "Ana", "outbound", None, "old", "connected")]
    result = followup_exceptions(lead_data({}, leads, activities), date(2026, 7, 15))
    assert kinds(result, "sla_missed") == {}
    assert kinds(result, "single_touch") == {}
    assert "sla_missed" not in result.unavailable


def test_leads_contacted_once_and_never_followed_up():
    leads = [
        ("once", "2026-07-03T10:00", "Ana", None, None),
        ("twice", "2026-07-03T10:00", "Ana", None, None),
        ("friday", "2026-07-03T10:00", "Ben", None, None),
    ]
    activities = [
        ("a1", "call", "2026-07-06T09:00", "Ana", "outbound", None, "once", "no_answer"),  # Mon 6: due Thu 9
        ("a2", "call", "2026-07-06T09:00", "Ana", "outbound", None, "twice", "no_answer"),
        ("a3", "email", "2026-07-08T09:00", "Ana", "outbound", None, "twice", "sent"),
        ("a4", "call", "2026-07-10T09:00", "Ben", "outbound", None, "friday", "no_answer"),  # Fri 10: due Wed 15
    ]
    data = lead_data({}, leads, activities)
    assert kinds(followup_exceptions(data, date(2026, 7, 9)), "single_touch") == {}  # exactly at its due day
    assert kinds(followup_exceptions(data, date(2026, 7, 10)), "single_touch") == {"once": 1}
    assert kinds(followup_exceptions(data, date(2026, 7, 16)), "single_touch") == {"once": 7, "friday": 1}
    france = lead_data({"country": "FR"}, leads, activities)  # 14 July off: "friday" due Thu 16
    assert kinds(followup_exceptions(france, date(2026, 7, 16)), "single_touch") == {"once": 7}


# ---------------------------------------------------------------------- deals

AS_OF = date(2026, 6, 30)  # a Tuesday
DEAL_COLUMNS = ["deal_id", "status", "stage", "value", "owner", "account_id", "created_at", "closed_at"]
DEAL_COLUMNS += ["expected_close_at", "lead_id"]


def deal_data(**settings: object):
    """Eleven lost deals stayed 1, 2, ..., 11 days in 'meeting' (P90, linear: the 10th of 11 sorted
    values = 10 days); four open deals as of 2026-06-30."""
    deals = [
        (f"H{i}", "lost", "needs_defined", 100.0, "Ana", None, "2026-01-01", "2026-03-01", None, None)
        for i in range(1, 12)
    ]
    history = [(f"H{i}", "meeting", "2026-01-01") for i in range(1, 12)]
    history += [(f"H{i}", "needs_defined", f"2026-01-{1 + i:02d}") for i in range(1, 12)]
    deals += [
        ("D1", "open", "meeting", 1000.0, "Ana", "acc1", "2026-05-01", None, "2026-06-30", "L1"),
        ("D2", "open", "meeting", 5000.0, "Ben", "acc2", "2026-05-01", None, "2026-06-29", None),
        ("D3", "open", "prospecting", 200.0, "Ben", None, "2026-05-30", None, None, None),
        ("D4", "open", "meeting", 300.0, "Ana", None, "2026-06-20", None, None, None),
    ]
    history += [("D1", "meeting", "2026-05-01"), ("D2", "meeting", "2026-05-01"), ("D4", "meeting", "2026-06-20")]
    activities = [
        ("a1", "call", "2026-06-20T10:00", "Ana", "outbound", "D1", None, "connected"),  # 10 days idle: at the P90
        ("a2", "call", "2026-06-19T10:00", "Ben", "outbound", "D2", None, "connected"),  # 11 days: 1 over
        ("a3", "meeting", "2026-07-02T10:00", "Ana", "outbound", "D1", None, "held"),  # D1's next step
        ("a4", "task", "2026-06-25T10:00", "Ana", "outbound", "D4", None, "open"),  # D4's open task
    ]
    accounts = table("accounts", [("acc1", "Durand SA"), ("acc2", "Martin SARL")], ["account_id", "name"])
    return sales_data(
        config(**settings),
        deals=table("deals", deals, DEAL_COLUMNS),
        stage_history=table("stage_history", history, ["deal_id", "stage", "entered_at"]),
        activities=table("activities", activities, ACTIVITY_COLUMNS),
        accounts=accounts,
    )


def test_stage_limits_learned_from_the_p90_set_by_hand_or_by_default():
    result = followup_exceptions(deal_data(), AS_OF)
    limits = result.thresholds.set_index("stage")
    assert limits.at["meeting", "stays"] == 11 and limits.at["meeting", "p90_days"] == 10.0
    assert limits.at["meeting", "limit_days"] == 10.0 and limits.at["meeting", "source"] == "learned"
    assert limits.at["prospecting", "source"] == "default" and limits.at["prospecting", "limit_days"] == 30.0
    # D1 idle exactly 10 days (the P90): not late; D2 idle 11: 1 day over; D3 created 31 days ago with
    # no activity, in a stage with no history: 1 day over the 30-day default.
    assert kinds(result, "stale_deal") == {"D2": 1, "D3": 1}
    # A limit set by hand wins: 10 days idle is over 9.
    hand = followup_exceptions(deal_data(stage_days={"meeting": 9}), AS_OF)
    assert hand.thresholds.set_index("stage").at["meeting", "source"] == "set"
    assert kinds(hand, "stale_deal") == {"D1": 1, "D2": 2, "D3": 1}
    # Eleven stays are too few when 12 are asked for: the default 30 days applies.
    thin = followup_exceptions(deal_data(min_stays=12), AS_OF)
    assert thin.thresholds.set_index("stage").at["meeting", "source"] == "default"
    assert kinds(thin, "stale_deal") == {"D3": 1}


def test_a_stage_move_counts_as_a_sign_of_life():
    deals = table(
        "deals",
        [("D5", "open", "qualification", 10.0), ("D6", "open", "qualification", 10.0)],
        ["deal_id", "status", "stage", "value"],
    )
    history = table(
        "stage_history",
        [("D5", "qualification", "2026-06-25"), ("D6", "qualification", "2026-05-15")],
        ["deal_id", "stage", "entered_at"],
    )
    activities = table(
        "activities",
        [("a1", "call", "2026-05-01T10:00", "D5"), ("a2", "call", "2026-05-01T10:00", "D6")],
        ["activity_id", "type", "at", "deal_id"],
    )
    result = followup_exceptions(sales_data(config(), deals=deals, stage_history=history, activities=activities), AS_OF)
    # no stay ended anywhere: every stage takes the 30-day default. D5 moved 5 days ago: not stale;
    # D6's latest sign of life is its move on 15 May (46 days): 16 days over.
    assert kinds(result, "stale_deal") == {"D6": 16}


def test_no_next_step_and_close_date_passed():
    result = followup_exceptions(deal_data(), AS_OF)
    # D1 has a meeting after the as-of day, D4 an open task: D2 and D3 have nothing planned.
    assert set(kinds(result, "no_next_step")) == {"D2", "D3"}
    # D2 expected to close on 29 June: 1 day late; D1 on the as-of day itself: not passed.
    assert kinds(result, "close_date_passed") == {"D2": 1}
    assert result.counts()["close_date_pushed"] is None
    assert result.unavailable["close_date_pushed"].key == "followups.unavailable.no_close_date_history"


def test_the_default_as_of_day_is_the_last_day_something_was_done_not_a_planned_step():
    # No data_cutoff: the export holds done activities up to Tue 30 June and a call planned for 8 July
    # (no outcome yet). The as-of day is 30 June, so the planned call is D2's next step; D1 has none.
    deals = table("deals", [("D1", "open", "meeting", 10.0), ("D2", "open", "meeting", 20.0)], DEAL_COLUMNS[:4])
    activities = table(
        "activities",
        [
            ("a1", "call", "2026-06-30T16:00", "Ana", "outbound", "D1", None, "connected"),
            ("a2", "call", "2026-07-08T10:00", "Ana", "outbound", "D2", None, None),
        ],
        ACTIVITY_COLUMNS,
    )
    data = sales_data(config(), deals=deals, activities=activities)
    assert data.last_day() == AS_OF
    result = followup_exceptions(data)
    assert result.as_of == AS_OF
    assert set(kinds(result, "no_next_step")) == {"D1"}
    # An export that records no outcome at all: every activity is a done one, 8 July is the last day.
    bare = sales_data(config(), deals=deals, activities=activities.assign(outcome=None))
    assert bare.last_day() == date(2026, 7, 8)


def test_ranked_by_value_at_risk_with_names_and_counts_per_rep():
    result = followup_exceptions(deal_data(), AS_OF)
    ranked = result.exceptions
    # D2 (5,000) on three rules, then D3 (200) on two.
    assert list(ranked["record_id"]) == ["D2", "D2", "D2", "D3", "D3"]
    # then by days late (1, 1, 0), ties in the order of the rule's name
    assert list(ranked["kind"][:3]) == ["close_date_passed", "stale_deal", "no_next_step"]
    assert ranked.iloc[0]["account"] == "Martin SARL" and ranked.iloc[0]["owner"] == "Ben"
    reps = result.per_rep.set_index("owner")
    # Ben: D2 three times and D3 twice; his value at risk counts each deal once: 5,000 + 200.
    assert reps.at["Ben", "total"] == 5 and reps.at["Ben", "value_at_risk"] == 5200.0
    assert "Ana" not in reps.index


def test_each_rep_s_count_in_words_for_the_scorecard():
    late = followup_exceptions(deal_data(), AS_OF)
    # Ben: D2 (5,000) on three rules and D3 (200) on two; the deals weigh 5,200 once each.
    assert late_followups_text(late, "Ben", "fr") == (
        "5 (2 affaires sans activité, 2 affaires sans prochaine étape, 1 date de clôture dépassée), "
        "sur des affaires qui pèsent 5\u202f200\u00a0€"
    )
    assert late_followups_text(late, "Ben", "en") == (
        "5 (2 deals with no activity, 2 deals with no next step, 1 close date passed), on deals worth €5,200"
    )
    assert late_followups_text(late, "Ana", "fr") == "aucune"  # D1 and D4 are on time
    assert late_followups_text(late, "Zoé", "en") == "none"


def test_missing_tables_make_rules_unavailable_never_zero():
    deals = table("deals", [("D1", "open", "meeting", 10.0)], ["deal_id", "status", "stage", "value"])
    result = followup_exceptions(sales_data(config(), deals=deals), AS_OF)
    counts = result.counts()
    assert counts["sla_missed"] is None and counts["single_touch"] is None  # no leads table
    assert counts["stale_deal"] is None and counts["no_next_step"] is None  # no activities
    assert counts["close_date_passed"] is None  # no expected_close_at
    assert result.unavailable["sla_missed"].key == "unavailable.no_table"
    assert result.unavailable["close_date_passed"].key == "unavailable.no_column"
    texts = [finding.text for finding in findings(result, "fr")]
    assert any(text.startswith("Lead pas encore contacté : non vérifiable, car") for text in texts)


# ---------------------------------------------------------------------- words and CRM task lists


def test_actions_as_sentences_in_french_and_english():
    result = followup_exceptions(deal_data(), AS_OF)
    frame = exceptions_frame(result, config(), "fr")
    assert frame.iloc[0]["action"] == (
        "Faire le point sur l'affaire Martin SARL (D2) : sa date de clôture prévue, le 29/06/2026, est passée "
        "depuis 1 jour."
    )
    # D2 idle 11 days where the meeting stage's limit is 10
    assert frame.iloc[1]["action"] == (
        "Reprendre contact sur l'affaire Martin SARL (D2) : aucune activité depuis 11 jours, alors qu'à "
        "l'étape « Rendez-vous / réunion / appel » la limite est de 10 jours."
    )
    assert frame.iloc[1]["kind"] == "Affaire sans activité" and frame.iloc[1]["owner"] == "Ben"
    english = exceptions_frame(result, config(), "en")
    assert english.iloc[2]["action"] == "Set the next step of deal Martin SARL (D2): nothing is scheduled."
    assert findings(result, "en")[0].text.startswith("As of ")
    assert per_rep_table(result, "en").frame["total"].tolist() == [5]


def test_the_report_lists_each_late_deal_once_with_what_is_late_and_what_to_do():
    result = followup_exceptions(deal_data(), AS_OF)
    table = late_records_table(result, config(), "fr")
    rows = table.frame.to_dict("records")
    # D2 (5,000) late on three rules, D3 (200) on two: two rows, the larger deal first.
    assert [row["who"] for row in rows] == ["Martin SARL (D2)", "D3"]
    assert rows[0]["owner"] == "Ben" and rows[0]["amount"] == 5000.0
    assert rows[0]["late"] == (
        "date de clôture prévue le 29/06/2026, dépassée de 1 jour ; "
        "aucune activité depuis 11 jours, quand la limite à cette étape est de 10 jours ; "
        "aucune prochaine étape prévue"
    )
    assert rows[0]["todo"] == "Reprendre contact, fixer la prochaine étape, revoir la date de clôture"
    assert list(table.frame.columns) == ["who", "owner", "stage", "amount", "late", "todo"]
    english = late_records_table(result, config(), "en", limit=1).frame
    assert len(english) == 1
    assert english.iloc[0]["late"].startswith("close date 29 Jun 2026 passed 1 day ago; no activity for 11 days")
    # One record left out of a table of one; none of a table of two.
    assert [f.text for f in records_left_out(result, 1, "acme", "en")] == [
        "The table shows the first 1 of 2 overdue deals and leads, by amount. The full list, with one task per"
        " follow-up to import into the CRM, comes from the command “strategy-kit followups acme”."
    ]
    assert records_left_out(result, 2, "acme", "fr") == []


@pytest.mark.parametrize("crm", sorted(CRM_COLUMNS))
def test_crm_task_columns(crm):
    result = followup_exceptions(deal_data(), AS_OF)
    tasks = crm_tasks(result, crm, config(), "en")
    assert list(tasks.columns) == [header for header, _ in CRM_COLUMNS[crm]]
    assert len(tasks) == 5
    due = {"salesforce": "ActivityDate", "hubspot": "Due Date", "pipedrive": "Due date"}[crm]
    assert set(tasks[due]) == {"2026-06-30"}
    expected = {
        "salesforce": ("Subject", "Get back in touch: Martin SARL (D2)", "Priority", "High"),
        "hubspot": ("Task Title", "Get back in touch: Martin SARL (D2)", "Priority", "HIGH"),
        "pipedrive": ("Subject", "Get back in touch: Martin SARL (D2)", "Priority", "High"),
    }[crm]
    # the second exception is D2's stale_deal (high priority; the first, its close date, is normal)
    assert tasks.iloc[1][expected[0]] == expected[1] and tasks.iloc[1][expected[2]] == expected[3]


# ---------------------------------------------------------------------- the command

CLIENT = """
display_name: Acme
language: en
followups: {country: FR}
import:
  deals:
    files: [deals.csv]
    columns: {deal_id: ID, status: Status, stage: Stage, value: Amount, created_at: Created, owner: Owner,
              expected_close_at: Expected}
    values:
      status: {Open: open, Won: won, Lost: lost}
"""
# Two open deals whose close date passed on 2026-06-01; the owners are named as formulas.
DEALS = (
    "ID,Status,Stage,Amount,Created,Owner,Expected\n"
    '1,Open,proposal,900,2026-05-01,"=HYPERLINK(""x"")",2026-06-01\n'
    "2,Open,meeting,50,2026-05-01,\"+cmd|' /C calc'!A0\",2026-06-01\n"
)


@pytest.fixture
def workspace(tmp_path, capsys):
    make_client(tmp_path, CLIENT, {"deals.csv": DEALS})
    assert run_cli(capsys, "--workspace", str(tmp_path), "import", "acme")[0] == 0
    return tmp_path


@pytest.mark.parametrize("crm", sorted(CRM_COLUMNS))
def test_cli_crm_file_has_bom_columns_and_neutralised_cells(workspace, capsys, crm):
    out_file = workspace / f"{crm}.csv"
    code, _, err = run_cli(
        capsys,
        "--workspace",
        str(workspace),
        "followups",
        "acme",
        "--as-of",
        "2026-06-30",
        "--crm",
        crm,
        "--output",
        str(out_file),
    )
    assert code == 0, err
    raw = out_file.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [header for header, _ in CRM_COLUMNS[crm]]
    owner = rows[0].index({"salesforce": "OwnerId", "hubspot": "Assigned To", "pipedrive": "Assigned to user"}[crm])
    # deal 1 (900) first; only close_date_passed (no activities: the other deal rules are unavailable)
    assert [row[owner] for row in rows[1:]] == ['\'=HYPERLINK("x")', "'+cmd|' /C calc'!A0"]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row)


def test_cli_formats_and_exit_codes(workspace, capsys):
    ws = str(workspace)
    code, out, err = run_cli(
        capsys, "--workspace", ws, "followups", "acme", "--as-of", "2026-06-30", "--format", "json"
    )
    assert code == 0, err
    shown = json.loads(out)
    assert shown["counts"]["close_date_passed"] == 2 and shown["counts"]["stale_deal"] is None
    assert shown["exceptions"][0]["days_late"] == 29  # 1 June to 30 June
    code, out, _ = run_cli(capsys, "--workspace", ws, "followups", "acme", "--as-of", "2026-06-30")
    assert code == 0 and "Review deal 1: its expected close date" in out
    code, out, _ = run_cli(capsys, "--workspace", ws, "followups", "acme", "--as-of", "2026-06-30", "--format", "csv")
    assert code == 0 and not out.startswith(BOM) and "'=HYPERLINK" in out  # no BOM in a terminal
    # default as-of day: the data's last day, 1 May (the latest creation): no close date has passed yet
    code, out, _ = run_cli(capsys, "--workspace", ws, "followups", "acme", "--format", "json")
    assert code == 0 and json.loads(out)["as_of"] == "2026-05-01" and json.loads(out)["exceptions"] == []
    for argv, message in (
        (["--as-of", "30/06/2026"], "--as-of '30/06/2026' is not a date"),
        (["--crm", "zoho"], "invalid choice"),
    ):
        code, _, err = run_cli(capsys, "--workspace", ws, "followups", "acme", *argv)
        assert code == 2 and message in err and "Traceback" not in err
    code, _, err = run_cli(capsys, "--workspace", ws, "followups", "nobody")
    assert code == 2 and "no client 'nobody'" in err


def test_settings_mistakes_name_their_key(tmp_path, capsys):
    bad = CLIENT.replace("followups: {country: FR}", "followups: {sla_business_days: soon, stage_days: {nope: 3}}")
    make_client(tmp_path, bad, {"deals.csv": DEALS})
    code, _, err = run_cli(capsys, "--workspace", str(tmp_path), "followups", "acme")
    assert code == 2 and "Traceback" not in err
    assert "followups: sla_business_days: expected a whole number of business days" in err
    assert "followups: stage_days: nope: is not one of the client's stages" in err
    with pytest.raises(ConfigError, match="followups: country"):
        from pathlib import Path

        from strategy_kit.config import parse_client_config

        parse_client_config({"followups": {"country": "Atlantis"}}, "t", Path("client.yml"))


def test_business_days_cover_the_years_of_the_data():
    # a lead of 31 Dec 2025 + 1 in France: Friday 2 Jan 2026 (1 January off)
    assert BusinessDays("FR", 2025, 2026).due(np.array([day("2025-12-31")]), 1)[0] == day("2026-01-02")
    assert pd.Timestamp(day("2026-01-02")).day_name() == "Friday"
