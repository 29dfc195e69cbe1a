"""Activity, outreach and lead-generation KPIs on hand-made activities and leads; every expected
value is worked out below by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from strategy_kit.config import ClientConfig
from strategy_kit.data import SalesData
from strategy_kit.kpis import KpiEngine
from strategy_kit.periods import parse_period

from conftest import sales_data, table

Q2 = parse_period("2026-Q2")  # 2026-04-01 .. 2026-06-30
CONFIG = ClientConfig(client="t", display_name="T", language="en")

ACTIVITIES = [
    # id,  type,      at,                 owner, direction,  outcome,              deal, lead
    ("a1", "call", "2026-04-02 10:00", "A", "outbound", "callback_requested", None, "L1"),
    ("a2", "call", "2026-04-03 11:00", "A", "outbound", "meeting_booked", None, "L1"),
    ("a3", "call", "2026-04-05 09:00", "B", "inbound", "voicemail", "D1", None),
    ("a4", "call", "2026-05-10 15:00", "B", "outbound", None, "D1", None),
    ("a5", "call", "2026-07-01 09:00", "A", "outbound", "callback_requested", None, "L2"),
    ("a6", "email", "2026-04-02 12:00", "A", "outbound", "opened", None, "L1"),
    ("a7", "email", "2026-04-20 08:00", "B", "outbound", "replied", "D1", None),
    ("a8", "email", "2026-05-02 08:00", "B", "outbound", "sent", "D2", None),
    ("a9", "email", "2026-05-03 08:00", "B", "inbound", "replied", "D2", None),
    ("a10", "email", "2026-06-01 10:00", "A", "outbound", "bounced", None, "L3"),
    ("a11", "meeting", "2026-04-25 14:00", "A", "outbound", "held", "D1", None),
    ("a12", "meeting", "2026-06-30 23:00", "B", "outbound", "cancelled", "D2", None),
    ("a13", "linkedin", "2026-04-10 09:00", "A", "outbound", "accepted", None, "L2"),
    ("a14", "linkedin", "2026-05-10 09:00", "A", "outbound", "sent", None, "L3"),
    ("a15", "linkedin", "2026-06-10 09:00", "B", "outbound", "declined", None, "L4"),
    ("a16", "task", "2026-05-05 09:00", "C", "outbound", "done", None, None),
    ("a17", "call", "2026-03-30 10:00", "A", "outbound", "no_answer", None, "L1"),
    ("a18", "email", "2026-05-20 10:00", None, "outbound", "opened", None, "L5"),
]
LEADS = [
    # id,  created,            owner, deal_id, converted_at
    ("L1", "2026-03-29 08:00", "A", "D1", None),
    ("L2", "2026-04-09 09:00", "A", None, None),
    ("L3", "2026-05-08 10:00", "B", None, "2026-06-01"),
    ("L4", "2026-06-10 08:00", "B", None, None),
    ("L5", "2026-05-20 09:00", None, "D2", None),
    ("L6", "2026-06-15 10:00", "A", "D4", None),
    ("L7", None, "A", None, None),
    ("L8", "2026-07-02 10:00", "A", None, None),
    ("L9", "2026-06-20 10:00", "B", None, "2026-06-25"),
]


def _activities(rows=ACTIVITIES) -> pd.DataFrame:
    return table(
        "activities", rows, ["activity_id", "type", "at", "owner", "direction", "outcome", "deal_id", "lead_id"]
    )


def _leads() -> pd.DataFrame:
    return table("leads", LEADS, ["lead_id", "created_at", "owner", "deal_id", "converted_at"])


def _deals() -> pd.DataFrame:
    return pd.DataFrame({"deal_id": ["D1", "D2"], "status": ["open", "open"]})


def _data(**tables) -> SalesData:
    return sales_data(CONFIG, deals=_deals(), **tables)


@pytest.fixture(scope="module")
def result():
    return KpiEngine(_data(activities=_activities(), leads=_leads())).compute(Q2, by=["owner"])


def test_activity_counts(result):
    # Calls in Q2, either direction: a1, a2, a3, a4 (a5 in July, a17 in March).
    assert result.values["calls_made"] == 4
    # Outbound emails in Q2: a6, a7, a8, a10, a18 (a9 is inbound).
    assert result.values["emails_sent"] == 5
    # Meetings in Q2, whatever their outcome: a11, a12 (06-30 23:00 is still Q2).
    assert result.values["meetings_held"] == 2


def test_followups(result):
    # First outbound per lead/deal: L1 a17 (03-30), D1 a7 (04-20), D2 a8, L2 a13, L3 a14 (05-10),
    # L4 a15, L5 a18. Follow-ups in Q2: a1, a2, a6 (L1), a11 (04-25), a4 (05-10) (D1), a12 (D2),
    # a10 (L3, 06-01 after 05-10) -> 7.
    assert result.values["followups_done"] == 7
    owner = result.breakdown["owner"]
    assert owner["A"]["followups_done"] == 5  # a1, a2, a6, a11, a10
    assert owner["B"]["followups_done"] == 2  # a4, a12
    assert owner["C"]["followups_done"] == 0


def test_activities_per_rep(result):
    # Outbound in Q2: A a1 a2 a6 a10 a11 a13 a14 (7), B a4 a7 a8 a12 a15 (5), C a16 (1), no owner a18
    # (1) -> 14 over the 3 reps with an activity in Q2 (a18's rep is unknown).
    assert result.values["activities_per_rep"] == pytest.approx(14 / 3)
    assert result.excluded["activities_per_rep"] == 0
    owner = result.breakdown["owner"]
    assert [owner[rep]["activities_per_rep"] for rep in "ABC"] == [7, 5, 1]
    assert owner["(none)"]["activities_per_rep"] is None  # no rep: empty denominator
    assert owner["(none)"]["emails_sent"] == 1


def test_outreach_rates(result):
    # Emails sent: a6 opened, a7 replied, a8 sent, a10 bounced, a18 opened -> opened or replied 3/5.
    assert result.values["email_open_rate"] == pytest.approx(3 / 5)
    assert result.values["email_reply_rate"] == pytest.approx(1 / 5)
    # Calls made: a1 callback (reached), a2 meeting booked (reached), a3 voicemail, a4 without outcome
    # (nothing recorded: not reached) -> 2/4 and 1/4.
    assert result.values["call_connect_rate"] == pytest.approx(2 / 4)
    assert result.values["call_meeting_rate"] == pytest.approx(1 / 4)
    assert result.excluded["call_connect_rate"] == 0
    assert result.values["callbacks"] == 1
    # LinkedIn requests: a13 accepted, a14 sent (pending), a15 declined.
    assert result.values["linkedin_acceptance_rate"] == pytest.approx(1 / 3)
    owner = result.breakdown["owner"]
    assert owner["A"]["email_open_rate"] == 0.5  # a6 opened, a10 bounced
    assert owner["B"]["call_connect_rate"] == 0.0  # a3 voicemail, a4 without outcome
    assert owner["B"]["call_meeting_rate"] == 0.0


def test_lead_generation(result):
    # Created in Q2: L2, L3, L4, L5, L6, L9 (L1 in March, L8 in July); L7 has no created_at.
    assert result.values["new_leads"] == 6
    assert result.excluded["new_leads"] == 1
    # First outbound: L2 a13 24 h later, L3 a14 47 h, L4 a15 1 h, L5 a18 1 h; L6, L9 none.
    # Median of 1, 1, 24, 47 = 12.5.
    assert result.values["lead_response_hours"] == pytest.approx(12.5)
    # Within 24 h (24 h included): L2, L4, L5 -> 3/6.
    assert result.values["leads_contacted_24h_rate"] == pytest.approx(0.5)
    # Two outbound activities or more: L2 (a13, a5 in July), L3 (a14, a10) -> 2/6.
    assert result.values["leads_followed_up_rate"] == pytest.approx(2 / 6)
    # Became a deal (deal_id or converted_at): L3, L5, L6, L9 -> 4/6.
    assert result.values["lead_to_deal_rate"] == pytest.approx(4 / 6)


def test_lead_generation_by_lead_owner(result):
    owner = result.breakdown["owner"]
    # A: L2, L6. B: L3, L4, L9. No owner: L5.
    assert owner["A"]["new_leads"] == 2 and owner["B"]["new_leads"] == 3 and owner["(none)"]["new_leads"] == 1
    assert owner["A"]["lead_response_hours"] == 24
    assert owner["B"]["lead_response_hours"] == 24  # median of 47 and 1
    assert owner["B"]["leads_contacted_24h_rate"] == pytest.approx(1 / 3)
    assert owner["A"]["lead_to_deal_rate"] == 0.5
    assert owner["B"]["lead_to_deal_rate"] == pytest.approx(2 / 3)


def test_deals_naming_their_lead_count_when_leads_do_not_say():
    leads = _leads().drop(columns=["deal_id", "converted_at"])
    deals = pd.DataFrame({"deal_id": ["D1", "D9"], "status": ["open", "won"], "lead_id": ["L2", "L4"]})
    result = KpiEngine(SalesData(CONFIG, {"deals": deals, "leads": leads})).compute(Q2, kpis=["lead_to_deal_rate"])
    assert result.values["lead_to_deal_rate"] == pytest.approx(2 / 6)  # L2 and L4 of the 6 Q2 leads


def test_unavailable_without_the_data():
    result = KpiEngine(_data()).compute(Q2)
    assert result.unavailable["calls_made"] == "no activities table"
    assert result.unavailable["new_leads"] == "no leads table"
    assert "calls_made" not in result.values

    no_outcomes = _activities().drop(columns=["outcome"])
    result = KpiEngine(_data(activities=no_outcomes)).compute(Q2)
    assert result.unavailable["email_open_rate"] == "no email outcomes in the data"
    assert result.unavailable["call_connect_rate"] == "no call outcomes in the data"
    assert result.unavailable["callbacks"] == "no call outcomes in the data"
    assert result.values["calls_made"] == 4  # the counts do not need outcomes
    assert result.unavailable["lead_response_hours"] == "no leads table"

    only_sent = [r[:5] + ("sent" if r[1] == "email" else r[5],) + r[6:] for r in ACTIVITIES]
    result = KpiEngine(_data(activities=_activities(only_sent))).compute(Q2)
    assert result.unavailable["email_open_rate"] == "no email outcomes in the data"  # no open tracking

    no_calls = [r for r in ACTIVITIES if r[1] != "call"]
    result = KpiEngine(_data(activities=_activities(no_calls))).compute(Q2)
    assert result.unavailable["calls_made"] == "no calls in the activities"
    assert result.unavailable["call_meeting_rate"] == "no calls in the activities"

    unlinked = _activities().drop(columns=["deal_id", "lead_id"])
    result = KpiEngine(_data(activities=unlinked, leads=_leads())).compute(Q2)
    assert result.unavailable["followups_done"].startswith("no activity is linked to a lead or a deal")
    assert result.unavailable["lead_response_hours"].startswith("no activity is linked to a lead")
    assert result.values["new_leads"] == 6
