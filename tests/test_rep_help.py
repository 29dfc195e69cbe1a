"""What would help a rep (the scorecards' three lines), on a hand-built team of three; every
expected number was worked out by hand from the rows below (the comments say how)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from strategy_kit.analytics.rep_help import rep_help
from strategy_kit.config import ClientConfig, Stage
from strategy_kit.data import SalesData
from strategy_kit.narrative.rep_targets import help_findings

STAGES = (Stage("lead", "Piste", "Lead"), Stage("proposal", "Proposition", "Proposal"), Stage("won", "Gagnée", "Won"))
CUTOFF = date(2026, 6, 30)  # the window: July 2025 to June 2026

# Every deal enters lead on 2025-09-01 and, but Cy's, proposal on 2025-10-01; it closes on 2025-11-01.
# Ana: 6 deals, 2 won (10 000 € each), 4 lost at proposal. Ben: 6 deals, 5 won (4 000 € each), 1 lost
# at proposal. Cy: 2 deals lost at lead (2 closed: too few to compare).
OUTCOMES = {"Ana": ["won"] * 2 + ["lost"] * 4, "Ben": ["won"] * 5 + ["lost"], "Cy": ["lost"] * 2}
VALUES = {"Ana": 10000.0, "Ben": 4000.0, "Cy": 1000.0}


def make_data() -> SalesData:
    deals, history, activities = [], [], []
    for owner, outcomes in OUTCOMES.items():
        for i, status in enumerate(outcomes):
            deal = f"{owner}{i}"
            stage = "won" if status == "won" else ("lead" if owner == "Cy" else "proposal")
            deals.append((deal, owner, stage, status, VALUES[owner], "2025-09-01", "2025-11-01"))
            history.append((deal, "lead", "2025-09-01"))
            if owner != "Cy":
                history.append((deal, "proposal", "2025-10-01"))
            if status == "won":
                history.append((deal, "won", "2025-11-01"))
                # Ana's won deals: 2 calls each; Ben's: 1 call and 1 meeting each.
                kinds = ["call", "call"] if owner == "Ana" else ["call", "meeting"]
                activities += [(f"{deal}-{k}", kind, "2025-10-15", deal, owner) for k, kind in enumerate(kinds)]
    frame = pd.DataFrame(deals, columns=["deal_id", "owner", "stage", "status", "value", "created_at", "closed_at"])
    for column in ("created_at", "closed_at"):
        frame[column] = pd.to_datetime(frame[column])
    steps = pd.DataFrame(history, columns=["deal_id", "stage", "entered_at"])
    steps["entered_at"] = pd.to_datetime(steps["entered_at"])
    acts = pd.DataFrame(activities, columns=["activity_id", "type", "at", "deal_id", "owner"])
    acts["at"] = pd.to_datetime(acts["at"])
    config = ClientConfig(client="t", display_name="T", language="fr", stages=STAGES, data_cutoff=CUTOFF)
    return SalesData(config, {"deals": frame, "stage_history": steps, "activities": acts})


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_three_lines_come_from_the_rep_against_the_team():
    helps = rep_help(make_data(), ["Ana", "Ben", "Cy"], CUTOFF)
    ana, ben, cy = helps["Ana"], helps["Ben"], helps["Cy"]
    # Conversion at proposal: Ana 2 of 6, the team 7 of 12 (Cy never reached it); at lead Ana moves
    # 6 of 6 on, above the team's 12 of 14: proposal is where Ana falls furthest below the team.
    assert (ana.stage, ana.closed, ana.won) == ("proposal", 6, 2)
    assert (round(ana.stage_conversion, 4), round(ana.team_stage_conversion, 4)) == (0.3333, 0.5833)
    # Per won deal: the team 9 calls and 5 meetings over 7 won deals (1.29 and 0.71); Ana 2 calls,
    # no meeting (ratio 0: the least); Ben 1 call (1 / 1.29 = 0.78, below 90 %) and 1 meeting (1.4).
    assert (ana.activity, ana.activity_per_won) == ("meeting", 0.0)
    assert (ben.activity, ben.activity_per_won) == ("call", 1.0)
    # Average won deal: the team (2 × 10 000 + 5 × 4 000) / 7 = 5 714 €.
    assert round(ana.team_deal_size) == 5714 and (ana.deal_size, ben.deal_size) == (10000.0, 4000.0)
    assert ben.stage is None  # Ben converts at least as well as the team at every stage
    assert cy.closed == 2 and not cy.enough

    french = {owner: [_plain(f.text) for f in help_findings(helps[owner], "fr")] for owner in helps}
    assert french["Ana"] == [
        "Étape « Proposition » : 33 % de ses affaires y avancent, contre 58 % pour l'équipe ; c'est là que "
        "l'écart est le plus grand.",
        "Rendez-vous par affaire gagnée : 0,0 pour ses affaires, contre 0,7 pour celles de l'équipe.",
        "Affaire moyenne gagnée : 10 000 €, contre 5 714 € pour l'équipe.",
    ]
    assert french["Ben"] == [
        "À chaque étape où au moins 5 de ses affaires sont entrées, sa conversion égale ou dépasse celle de l'équipe.",
        "Appels par affaire gagnée : 1,0 pour ses affaires, contre 1,3 pour celles de l'équipe.",
        "Affaire moyenne gagnée : 4 000 €, contre 5 714 € pour l'équipe ; viser des affaires plus grandes "
        "rapprocherait ses objectifs.",
    ]
    # Too little data: no invented advice, and why.
    assert french["Cy"] == [
        "Pas de piste chiffrée : 2 affaires conclues de juillet 2025 à juin 2026, trop peu pour comparer à "
        "l'équipe (il en faut au moins 5)."
    ]
    english = [f.text for f in help_findings(helps["Ana"], "en")]
    assert (
        english[0]
        == "Stage \"Proposal\": 33% of the rep's deals move on from it, against 58% for the team; the rep's widest"
        " gap with the team."
    )
