"""``strategy-kit scorecards CLIENT --period P``: one PDF page per rep, in the client's language.

The team's monthly target is the phased annual objective saved in ``inputs/objectives.yml``
(:func:`strategy_kit.analytics.objectives.build_plan`); each rep's targets, realism check and
scorecard come from :mod:`strategy_kit.analytics.rep_targets`, their words from
:mod:`strategy_kit.narrative.rep_targets`. The PDFs are written to ``reports/<client>/<period>/scorecards/<rep>.pdf`` (the rep's name in lower-case ASCII, ``-``
between words): all of them into a temporary folder first, which then replaces the old
``scorecards/`` folder, so a failure leaves the previous scorecards as they were.
"""

from __future__ import annotations

import html
import os
import shutil
from datetime import date
from pathlib import Path

import pandas as pd

from strategy_kit.analytics.followups import FollowupExceptions, followup_exceptions
from strategy_kit.analytics.rep_targets import Scorecard, rep_targets, scorecards, slugify
from strategy_kit.data import SalesData
from strategy_kit.errors import UnavailableError
from strategy_kit.kpis import KpiEngine
from strategy_kit.narrative.rep_targets import ScorecardPage, scorecard_page
from strategy_kit.narrative.summary import scorecard_anchor
from strategy_kit.periods import Period
from strategy_kit.report.document import STYLESHEET, Cover, write_pdf
from strategy_kit.report.files import replace_folder, unused_name
from strategy_kit.workspace import Workspace, ensure_writable

SCORECARDS_FOLDER = "scorecards"


def team_monthly_target(workspace: Workspace, client: str, data: SalesData, engine: KpiEngine) -> pd.DataFrame:
    """The phased annual objective (``month``, ``revenue_target``...) saved for ``client``."""
    from strategy_kit.analytics.objectives import build_plan
    from strategy_kit.inputs.objectives import load_objectives

    objectives = load_objectives(workspace.client(client).inputs, engine)
    if objectives is None:
        raise UnavailableError("unavailable.scorecards_no_objectives", client=client)
    return build_plan(data, objectives, engine).phasing


def late_followups(data: SalesData) -> FollowupExceptions | None:
    """The follow-up exceptions as of the data's last day, whose count per rep each scorecard shows;
    None when the data have no dated row (the scorecards then say nothing about follow-ups)."""
    try:
        return followup_exceptions(data)
    except UnavailableError:
        return None


def scorecard_html(
    card: Scorecard,
    language: str,
    currency: str = "EUR",
    standalone: bool = False,
    page_break: bool = True,
    late: FollowupExceptions | None = None,
) -> str:
    """The rep's scorecard as one page of HTML (a ``div.sk-scorecard.sk-page-break`` in the report,
    its heading the target of the summary's and the contents' links; ``page_break=False`` for the
    first one, which follows its section's title on a new page; ``standalone``: the rep's own
    document, whose header carries the title, so no break and no heading; ``late``: the follow-up
    exceptions, from :func:`late_followups`); the words come from
    :func:`strategy_kit.narrative.rep_targets.scorecard_page`."""
    page: ScorecardPage = scorecard_page(card, language, currency, late)
    e = html.escape
    items = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in page.summary)
    head = "".join(f"<th>{e(h)}</th>" for h in page.headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"date" if i == 0 else "num"}">{e(cell)}</td>' for i, cell in enumerate(row))
        + "</tr>"
        for row in page.rows
    )
    return (
        ('<div class="sk-scorecard sk-page-break">' if page_break and not standalone else '<div class="sk-scorecard">')
        + ("" if standalone else f'<h2 id="{scorecard_anchor(card.owner)}">{e(page.title)}</h2>')
        + f'<p class="sk-scorecard-period">{e(page.period)}</p>'
        f'<table class="sk-short sk-scorecard-summary">{items}</table>'
        f"<h3>{e(page.monthly_title)}</h3>"
        f'<table class="sk-short"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        + "".join(f"<p>{e(n)}</p>" for n in page.notes)
        + (
            f"<h3>{e(page.help_title)}</h3><ul>" + "".join(f"<li>{e(h)}</li>" for h in page.help) + "</ul>"
            if page.help
            else ""
        )
        + "".join(f'<p class="sk-note">{e(n)}</p>' for n in page.footnotes)
        + "</div>"
    )


def scorecard_document(card: Scorecard, cover: Cover, currency: str, late: FollowupExceptions | None = None) -> str:
    """One rep's scorecard as an HTML document with the report's stylesheet, on one page whose title
    is the rep's scorecard ("Tableau de bord d'Ana"), under the client's name."""
    style = STYLESHEET.read_text(encoding="utf-8")
    title = f"{cover.client} — {card.owner} — {cover.period.name(cover.language)}"
    heading = scorecard_page(card, cover.language, currency).title
    header = (
        '<header class="sk-cover">'
        f'<p class="sk-kicker">{html.escape(cover.client)}</p>'
        f'<h1 class="sk-client">{html.escape(heading)}</h1>'
        "</header>"
    )
    body = scorecard_html(card, cover.language, currency, standalone=True, late=late)
    return (
        f'<!DOCTYPE html>\n<html lang="{cover.language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{style}\n</style>\n</head>\n"
        f"<body>\n{header}\n{body}\n</body>\n</html>\n"
    )


def _file_names(owners: list[str]) -> list[str]:
    """``<slug>.pdf`` per rep; a second rep with the same slug gets ``-2`` and so on."""
    seen: dict[str, int] = {}
    names = []
    for owner in owners:
        slug = slugify(owner)
        seen[slug] = seen.get(slug, 0) + 1
        names.append(f"{slug}.pdf" if seen[slug] == 1 else f"{slug}-{seen[slug]}.pdf")
    return names


def write_scorecard_pdfs(
    workspace: Workspace | str | os.PathLike[str],
    client: str,
    period: str | Period | None = None,
    language: str | None = None,
    team_monthly: pd.DataFrame | None = None,
) -> list[Path]:
    """Write one scorecard PDF per rep for ``period`` (a label; None: the latest complete quarter);
    returns their paths. ``team_monthly``: the team's target by month (default: the saved
    objectives, phased)."""
    from strategy_kit.context import load_context

    context = load_context(
        client,
        None if isinstance(period, Period) else period,
        language,
        workspace if isinstance(workspace, Workspace) else Workspace.at(workspace),
    )
    ws, config, data, language = context.workspace, context.config, context.data, context.language
    resolved = period if isinstance(period, Period) else context.period
    engine = KpiEngine(data)
    if team_monthly is None:
        team_monthly = team_monthly_target(ws, client, data, engine)
    targets = rep_targets(data, resolved, team_monthly, engine=engine)
    cards = scorecards(data, resolved, targets, engine=engine)
    late = late_followups(data)
    cover = Cover(config.display_name, resolved, language, date.today())

    report_dir = ensure_writable(ws.client(client).report_dir(resolved.label), "the scorecards")
    final = report_dir / SCORECARDS_FOLDER
    staging = unused_name(report_dir, f".{SCORECARDS_FOLDER}")
    staging.mkdir()
    names = _file_names([card.owner for card in cards])
    try:
        for card, name in zip(cards, names):
            write_pdf(scorecard_document(card, cover, config.currency, late), staging / name, report_dir)
        replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [final / name for name in names]
