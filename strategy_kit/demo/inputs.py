"""What the demo's strategist has already entered: the team's historical persona, the
addressable market per segment and the objectives for fiscal 2026 (set from 2025, so that the
demo's latest quarter, 2026-Q3, shows attainment to date and a projection).

The persona is deliberately the team's *old* belief, so the qualification section has something to
find: the data says Santé and Logistique win more than the persona assumes and Commerce less.
"""

from __future__ import annotations

from pathlib import Path

from strategy_kit.inputs import save_input

PERSONA = {
    "sectors": ["Industrie", "Commerce", "Services", "BTP"],
    "size_bands": ["10-49", "50-249", "250-999"],
    "needs": [
        "Suivre la production et les commandes dans un seul outil",
        "Prévisions de ventes fiables pour la direction",
    ],
    "pain_points": [
        "Tableaux Excel multiples et ressaisies",
        "Pas de visibilité sur le pipeline commercial",
    ],
    "disqualifiers": [
        "Moins de 10 salariés (budget insuffisant)",
        "Groupe de plus de 1000 salariés avec un ERP imposé par le siège",
        "Pas de décideur identifié après le premier rendez-vous",
    ],
    "notes": "Persona historique de l'équipe commerciale, à confronter aux données.",
}

ADDRESSABLE = {  # accounts per segment, for MARKET_DEALS deals
    "Santé · 250-999": 160,
    "Industrie · 50-249": 900,
    "Industrie · 250-999": 260,
    "Logistique · 50-249": 420,
    "Services · 10-49": 2400,
    "Commerce · 50-249": 700,
    "Industrie · 1000+": 60,
}
MARKET = {
    "keys": ["sector", "size_band"],
    "unit": "accounts",
    "saturation_threshold": 0.3,
    "min_deals": 20,
    "addressable": ADDRESSABLE,
}

OBJECTIVES = {
    "year": 2026,
    "revenue_growth": 0.15,
    "new_business_share": 0.3,
    "intermediate": [
        # The guide's meeting-stage example: contact every new lead within a day, +30 % meetings.
        {
            "kpi": "leads_contacted_24h_rate",
            "target": 1.0,
            "kind": "absolute",
            "start": "2026-01-01",
            "deadline": "2026-12-31",
            "owner": "team",
        },
        {
            "kpi": "meetings_held",
            "target": 0.3,
            "kind": "relative",
            "start": "2026-01-01",
            "deadline": "2026-12-31",
            "owner": "team",
        },
    ],
}


# The number of deals MARKET's addressable accounts are written for: a larger demo company has a
# market as much larger, so that its penetration reads as the demo's does.
MARKET_DEALS = 5_000


def write_inputs(inputs_dir: Path, deals: int = MARKET_DEALS) -> None:
    market = {
        **MARKET,
        "addressable": {s: round(n * max(deals, 1) / MARKET_DEALS) or 1 for s, n in ADDRESSABLE.items()},
    }
    save_input(inputs_dir, "persona", PERSONA)
    save_input(inputs_dir, "market", market)
    save_input(inputs_dir, "objectives", OBJECTIVES)
