"""Small synthetic exports in the shapes real clients hand over (the raw files only).

Each builder writes the files a consultant would receive into a folder and returns nothing:
the tests read the same files back with plain pandas to compute the expected figures
independently of strategy-kit's importer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20260630
AGENTS = ("Alice Martin", "Bruno Petit", "Chloé Roux")


def call_log(folder: Path) -> None:
    """A call-centre log: one row per call, no id, no leads, no deals, no amounts."""
    rng = np.random.default_rng(SEED)
    count = 400
    start = pd.Timestamp("2026-01-05 08:00")
    minutes = np.sort(rng.integers(0, 60 * 24 * 176, count))
    at = start + pd.to_timedelta(minutes, unit="min")
    outcomes = rng.choice(
        ["Answered", "No Answer", "Voicemail", "Busy", "Appointment Set", "Call Back"],
        size=count,
        p=[0.3, 0.3, 0.15, 0.1, 0.1, 0.05],
    )
    frame = pd.DataFrame(
        {
            "Call Date": at.strftime("%Y-%m-%d %H:%M:%S"),
            "Agent": rng.choice(AGENTS, size=count),
            "Phone": [f"+33 1 {n:02d} {m:02d} {k:02d} {j:02d}" for n, m, k, j in rng.integers(10, 99, (count, 4))],
            "Outcome": outcomes,
            "Duration": np.where(
                np.isin(outcomes, ["Answered", "Appointment Set", "Call Back"]), rng.integers(30, 900, count), 0
            ),
        }
    )
    # the same call logged twice (a double click in the dialler): two rows, both count
    frame = pd.concat([frame, frame.iloc[[10]]]).sort_values("Call Date", kind="stable")
    # a call on the period's last day, just before midnight
    last = frame.iloc[[0]].assign(**{"Call Date": "2026-06-30 23:59:00", "Outcome": "Appointment Set"})
    frame = pd.concat([frame, last])
    frame.to_csv(folder / "calls.csv", index=False)


def marketing_funnel(folder: Path) -> None:
    """Qualified leads from marketing, and the deals that closed from them, linked by lead id."""
    rng = np.random.default_rng(SEED + 1)
    count = 300
    created = pd.Timestamp("2025-10-01") + pd.to_timedelta(np.sort(rng.integers(0, 270, count)), unit="D")
    leads = pd.DataFrame(
        {
            "Lead ID": [f"L-{i:04d}" for i in range(count)],
            "Created": created.strftime("%Y-%m-%d"),
            "Source": rng.choice(["Webinar", "SEO", "Trade show", "Referral"], size=count),
            "Industry": rng.choice(["Retail", "Health", "Industry"], size=count),
            "Campaign": rng.choice(["Spring 26", "Autumn 25", "Always on"], size=count),
        }
    )
    won = np.flatnonzero(rng.random(count) < 0.25)
    days = rng.integers(5, 120, len(won))
    closed = created[won] + pd.to_timedelta(days, unit="D")
    keep = closed <= pd.Timestamp("2026-06-30")
    deals = pd.DataFrame(
        {
            "Deal ID": [f"D-{i:04d}" for i in range(int(keep.sum()))],
            "Lead ID": leads["Lead ID"].to_numpy()[won][keep],
            "Won Date": closed[keep].strftime("%Y-%m-%d"),
            "Amount": rng.integers(20, 400, int(keep.sum())) * 100,
            "Owner": rng.choice(AGENTS, size=int(keep.sum())),
        }
    )
    leads.to_csv(folder / "leads.csv", index=False)
    deals.to_csv(folder / "closed_deals.csv", index=False)


def transactions(folder: Path) -> None:
    """One row per purchase, no id: date, customer, product, quantity, total."""
    rng = np.random.default_rng(SEED + 2)
    count = 500
    customers = [f"Client {i:03d}" for i in range(60)]
    day = pd.Timestamp("2025-07-01") + pd.to_timedelta(rng.integers(0, 365, count), unit="D")
    frame = pd.DataFrame(
        {
            "Date": day.strftime("%Y-%m-%d"),
            "Customer": rng.choice(customers, size=count, p=_zipf(len(customers))),
            "Product": rng.choice(["Starter", "Pro", "Support"], size=count),
            "Quantity": rng.integers(1, 5, count),
        }
    )
    frame["Total"] = frame["Quantity"] * frame["Product"].map({"Starter": 49.9, "Pro": 199.0, "Support": 75.5})
    # the same purchase twice on one day: two lines, one purchase date
    frame = pd.concat([frame, frame.iloc[[3]]]).sort_values("Date", kind="stable")
    frame.to_csv(folder / "sales.csv", index=False, float_format="%.2f")


def salesforce(folder: Path) -> None:
    """Salesforce Opportunity + OpportunityHistory (API names, UTF-8 with BOM, +0000 timestamps),
    with one deal that went Closed Won, then Closed Lost."""
    rng = np.random.default_rng(SEED + 3)
    stages = ["Prospecting", "Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"]
    opportunities, history = [], []
    for number in range(120):
        oid = f"006{number:015d}"
        created = pd.Timestamp("2026-01-02 09:00") + pd.Timedelta(days=int(rng.integers(0, 150)))
        reached = int(rng.integers(1, len(stages) + 1))
        fate = rng.choice(["won", "lost", "open"], p=[0.35, 0.4, 0.25])
        when = created
        for stage in stages[:reached]:
            history.append((oid, when, stage))
            when += pd.Timedelta(days=int(rng.integers(1, 15)))
        if fate == "won":
            history.append((oid, when, "Closed Won"))
        elif fate == "lost":
            history.append((oid, when, "Closed Lost"))
        if number == 7:  # won, then reopened as lost a week later
            fate = "lost"
            if history[-1][2] != "Closed Won":
                history.append((oid, when, "Closed Won"))
            when += pd.Timedelta(days=7)
            history.append((oid, when, "Closed Lost"))
        closed = fate in ("won", "lost")
        opportunities.append(
            {
                "Id": oid,
                "AccountId": f"001{int(rng.integers(0, 30)):015d}",
                "Name": f"Opportunité {number}",
                "StageName": {"won": "Closed Won", "lost": "Closed Lost"}.get(fate, stages[reached - 1]),
                "Amount": float(rng.integers(5, 200) * 500),
                "Probability": 100 if fate == "won" else 0 if fate == "lost" else 40,
                "CloseDate": (when if closed else when + pd.Timedelta(days=30)).strftime("%Y-%m-%d"),
                "IsClosed": int(closed),
                "IsWon": int(fate == "won"),
                "OwnerId": f"005{int(rng.integers(0, 4)):015d}",
                "CreatedDate": created.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
                "LeadSource": rng.choice(["Web", "Partner"]),
            }
        )
    when = pd.Timestamp("2026-06-30 12:00")
    opportunities = [o for o in opportunities if pd.Timestamp(o["CloseDate"]) <= when or not o["IsClosed"]]
    frame = pd.DataFrame(opportunities)
    frame.to_csv(folder / "Opportunity.csv", index=False, encoding="utf-8-sig")
    rows = pd.DataFrame(history, columns=["OpportunityId", "CreatedDate", "StageName"])
    rows = rows[rows["OpportunityId"].isin(frame["Id"]) & (rows["CreatedDate"] <= when)]
    rows.insert(0, "Id", [f"008{i:015d}" for i in range(len(rows))])
    rows["CreatedDate"] = rows["CreatedDate"].dt.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    rows.to_csv(folder / "OpportunityHistory.csv", index=False, encoding="utf-8-sig")


def french_spreadsheet(folder: Path) -> None:
    """A deals spreadsheet kept by hand in Excel on a French Windows machine: `;`, decimal comma,
    a no-break space as thousands separator, dd/mm/yyyy, Windows-1252, a total row."""
    rng = np.random.default_rng(SEED + 4)
    count = 150
    created = pd.Timestamp("2025-11-03") + pd.to_timedelta(rng.integers(0, 200, count), unit="D")
    status = rng.choice(["Gagnée", "Perdue", "En cours"], size=count, p=[0.35, 0.35, 0.3])
    closed = created + pd.to_timedelta(rng.integers(3, 90, count), unit="D")
    closed = np.where((status != "En cours") & (closed <= pd.Timestamp("2026-06-30")), closed, pd.NaT)
    status = np.where((status != "En cours") & pd.isna(closed), "En cours", status)
    amount = rng.integers(150_000, 9_000_000, count) / 100
    lines = ["N°;Société;Commercial;Étape;Statut;Montant (€);Date de création;Date de clôture;Origine"]
    for i in range(count):
        euros = f"{amount[i]:,.2f}".replace(",", "\xa0").replace(".", ",")
        close = "" if pd.isna(closed[i]) else pd.Timestamp(closed[i]).strftime("%d/%m/%Y")
        stage = {
            "Gagnée": "Négociation",
            "Perdue": rng.choice(["Qualification", "Proposition"]),
            "En cours": rng.choice(["Prospection", "Qualification", "Proposition"]),
        }[status[i]]
        lines.append(
            f"{i + 1};Société {i % 40:02d};{AGENTS[i % 3]};{stage};{status[i]};{euros} €;"
            f"{created[i]:%d/%m/%Y};{close};{rng.choice(['Salon', 'Bouche-à-oreille', 'Site web'])}"
        )
    total = f"{amount.sum():,.2f}".replace(",", "\xa0").replace(".", ",")
    lines.append(f"Total;;;;;{total} €;;;")
    (folder / "affaires.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def _zipf(count: int) -> np.ndarray:
    weights = 1 / np.arange(1, count + 1)
    return weights / weights.sum()
