"""The demo client: three years of a fictional French B2B company's CRM exports.

``strategy-kit demo`` writes ``data/demo/`` for Orséa Solutions, a company selling a production-
and sales-management software (SaaS plans "Orséa Essentiel", monthly billing, and "Orséa
Performance", annual billing) and services ("Pack Déploiement", "Intégration sur mesure") to
French SMEs and mid-caps. The exports (raw/) are shaped like real ones (Pipedrive exports with
French headers, a leads spreadsheet, an accountant's sales journal in Windows-1252) and
client.yml maps them with explicit columns (docs/mapping.md), so the demo exercises the
import path end to end.

Planted patterns (tests/test_demo.py checks them on the raw files; the numbers are the
generator's parameters in :mod:`strategy_kit.demo.company`, observed values vary with the seed):

- Volume: about 5,000 deals and 60,000 activities at scale "demo" (1,000,000 and 10,000,000 at
  "enterprise"); new-business deal creations grow 17 % a year and repeat business ("Client
  existant", 14 % of deals) adds to it.
- Seasonality: deal creations fall to 40 % of normal in August and peak in June and December;
  70 % of August signatures slip to September, early-July and early-January ones are often
  pulled into June and December; routine activities thin out in August.
- Reps (10) differ: Sophie Martin wins most; Thomas Bernard has the most deals and activities
  but converts poorly after prospecting; Julie Moreau closes well (proposal, negotiation);
  Julien Roux loses at the proposal stage; Camille Dubois has the biggest deals and the
  longest cycles; Émilie Girard the fastest cycles and small deals; Antoine Laurent is weak at
  lead follow-up (first contact after ~30 working hours, ~28 % of his unconverted leads never
  contacted, few follow-ups, a lower lead-to-deal rate); Léa Fournier joined 150 days and
  Hugo Lambert 330 days before the end (short history, ramping win rates).
- Segments (sector x size band): Santé x 250-999 wins about twice as often as average but has
  few deals (the opportunity); Logistique x 50-249 is also above average; Commerce x 10-49 has
  the most deals, a low win rate that falls further every year, smaller deals and more losses
  on price and competition (the saturated segment); Industrie's sales cycle lengthens by 50 %
  a year of history; BTP loses deals for lack of budget once needs are defined; companies
  of 1-9 and 1000+ employees fit the persona poorly (lower win rates, and more of them among
  the unconverted leads).
- Sources: Recommandation and Partenaire convert best, Prospection téléphonique worst at the
  first stages; salon and partner leads get their first contact late.
- Stages: pass rates 80/75/80/85/70/72 % for an average deal (win rate about 23 %), lost
  reasons by stage (early: pas de réponse, besoin non confirmé; late: prix, concurrent);
  5 % of the deals that would be lost stall and stay open instead.
- Calls: connect rate about 45 % Tuesday-Thursday 9-11h and 16-18h, about 14 % Monday
  morning, 13 % Friday afternoon, 12 % at lunch (12-14h), 25-30 % otherwise. Known sizes
  (:func:`strategy_kit.demo.company.call_connect_table`, times each rep's ``call_skill``: Sophie
  Martin 1.1, Antoine Laurent 0.95, the others 1.0): a call reaches the person with probability
  0.46 Tuesday-Thursday 9-11h, 0.42 Tuesday-Thursday 16-18h, 0.30 other Tuesday-Thursday
  hours, 0.28 Friday morning, 0.25 Monday afternoon, 0.14 Monday morning, 0.13 Friday afternoon,
  0.12 at lunch (12-14h) and at most 0.20 at 8h (at seed 7: 47.5 % of the 3,338 calls of
  Tuesday-Thursday 9-11h connect against 24.6 % of the others, about +23 points). A reached call
  books a meeting with probability 0.30 on a lead or in the first two stages, 0.10 later, and
  asks for a callback with probability 0.25; a missed call is no answer (60 %) or voicemail.
  Leads and deals get several calls (attempts): at seed 7, of the leads called, 6,624 once,
  2,353 twice, 473 three times; deals up to a dozen calls.
- Call durations (``duration_seconds``), lognormal by outcome, medians: connected 240 s
  (spread 0.5), meeting booked 540 s (0.4), callback requested 90 s (0.4), voicemail 35 s
  (0.3), no answer 0 s; held meetings about 45 minutes (15-180).
- Account events (``veille-evenements-comptes.csv``, the team's watch spreadsheet): each account
  gets Poisson(1.2) events (fundraising 12 %, hiring 35 %, new executive 18 %, acquisition 8 %,
  expansion 20 %, other 7 %), dated uniformly from 30 days before the first day to the last
  day, independently of the calls. Known uplift: a call made 0 to 30 days after an event of its
  account books a meeting with probability p + 0.12 (p: the same call's probability without the
  event), the same for every event type, so calls after an event book meetings 12 points more
  often than the others (at seed 7: 18.4 % of 926 calls against 7.2 % of 24,977; difference
  11.2 points, Newcombe 95 % interval 8.8 to 13.8). Connect rates move a little with it (a
  converted call counts as reached). :mod:`strategy_kit.demo.outreach` draws all this from its
  own random stream, so the rest of the history is what it was without it.
- Follow-up material: about 45 % of the open deals have an expected close date already passed
  (200 of 445 at seed 7); 60 % of the open deals have one planned next step (a call, meeting or
  email due 1-15 days after the last day, no outcome, "À faire"); of the unconverted leads
  (10,515 at seed 7) 758 were never contacted and 4,188 only once.
- Revenue: every won deal is invoiced: subscriptions as a set-up fee, then monthly
  (Essentiel) or yearly (Performance) lines, the first year's adding up to the deal value,
  until the end or the customer's churn; services as a deposit and a balance that add up
  to the deal value. Churned customers carry a churn date and a reason, about 30 %
  "Confiance / service client insatisfaisant" (METHOD.md section 5).
- Nothing is dated after ``end`` (client.yml's data_cutoff) but the planned next steps; activities
  fall on weekdays, 8h-19h (planned ones 9h-17h30).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date

from strategy_kit.errors import WorkspaceError
from strategy_kit.workspace import ClientPaths, Workspace

DEFAULT_END = date(2026, 9, 30)


@dataclass(frozen=True)
class Scale:
    deals: int
    activities: int
    description: str


SCALES: dict[str, Scale] = {
    "demo": Scale(5_000, 60_000, "the demo client: about 5,000 deals and 60,000 activities"),
    "enterprise": Scale(1_000_000, 10_000_000, "benchmarks: 1,000,000 deals and 10,000,000 activities"),
}


def build_demo(
    workspace: Workspace,
    name: str = "demo",
    seed: int = 7,
    end: date | None = None,
    scale: str = "demo",
    force: bool = False,
    deals: int | None = None,
    activities: int | None = None,
) -> ClientPaths:
    """Write ``data/<name>/`` (client.yml, raw/ exports, inputs/ with a persona and a market) for the demo company.

    The same seed and end give byte-identical files. ``deals`` and ``activities`` override the
    scale's sizes (activities default to the scale's ratio per deal). An existing client is
    replaced only with ``force``; the new one is built beside it and swapped in at the end, so
    a failure never leaves half a client.
    """
    from strategy_kit.demo.exports import write_client
    from strategy_kit.demo.generate import simulate

    if scale not in SCALES:
        raise WorkspaceError(f"unknown demo scale '{scale}'; use one of {', '.join(SCALES)}")
    size = SCALES[scale]
    n_deals = size.deals if deals is None else int(deals)
    if n_deals < 1:
        raise WorkspaceError(f"the demo needs at least one deal, got deals={deals}")
    n_activities = round(n_deals * size.activities / size.deals) if activities is None else max(int(activities), 0)
    paths = workspace.client(name)
    if paths.folder.exists() and not force:
        raise WorkspaceError(
            f"{paths.folder} already exists; run 'strategy-kit demo --force' (or choose another --name) to replace it"
        )
    history = simulate(seed, end or DEFAULT_END, n_deals, n_activities)

    staging = paths.folder.with_name(f".{name}.building")
    retired = paths.folder.with_name(f".{name}.replaced")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        write_client(staging, history)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if paths.folder.exists():
        paths.folder.rename(retired)
    staging.rename(paths.folder)
    shutil.rmtree(retired, ignore_errors=True)
    return paths
