"""The call scripts as printable pages: one page per persona or segment, in the client's language.

Each script is a ``div.sk-script.sk-page-break`` (a page of its own in the PDF, like the
scorecards): its title, then the six parts under their headings in reading order, the
qualification questions as a numbered list. The words come from
:mod:`strategy_kit.narrative.script` and ``i18n/<language>/script.yml``.

``strategy-kit script CLIENT`` (:func:`write_script_pdf`) prints them to ``reports/<client>/script.pdf``:
the saved scripts (inputs/script.yml), else the drafts from the persona and the data, marked as such.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

from strategy_kit.i18n import label
from strategy_kit.inputs.script import Script
from strategy_kit.narrative.script import script_title
from strategy_kit.workspace import Workspace

SCRIPT_PDF = "script.pdf"


def _part_html(part: str, value: str | tuple[str, ...], language: str) -> str:
    e = html.escape
    heading = f"<h3>{e(label(f'script.part.{part}', language))}</h3>"
    empty = f'<p class="sk-script-empty">{e(label("script.empty", language))}</p>'
    if isinstance(value, tuple):
        items = "".join(f"<li>{e(q)}</li>" for q in value)
        return heading + (f'<ol class="sk-script-questions">{items}</ol>' if items else empty)
    paragraphs = [p.strip() for p in value.split("\n") if p.strip()]
    return heading + ("".join(f"<p>{e(p)}</p>" for p in paragraphs) if paragraphs else empty)


def script_page_html(script: Script, language: str, page_break: bool = True) -> str:
    """One script as one page of HTML (``page_break=False``: no break before it, e.g. for the first
    page after its section's title)."""
    classes = "sk-script sk-page-break" if page_break else "sk-script"
    return (
        f'<div class="{classes}" data-script="{html.escape(script.key, quote=True)}">'
        f"<h2>{html.escape(script_title(script.key, language))}</h2>"
        + "".join(_part_html(part, value, language) for part, value in script.parts())
        + "</div>"
    )


def script_html(scripts: Script | Sequence[Script], language: str, first_page_break: bool = True) -> str:
    """The printable pages of ``scripts`` (one script or several), one page each, in ``language``;
    ``first_page_break=False`` lets the first page follow a section title. No script: a sentence
    saying none is saved or can be drafted."""
    chosen = [scripts] if isinstance(scripts, Script) else list(scripts)
    if not chosen:
        return f'<p class="sk-note">{html.escape(label("script.none", language))}</p>'
    return "".join(
        script_page_html(script, language, page_break=first_page_break or index > 0)
        for index, script in enumerate(chosen)
    )


def script_document(scripts: Sequence[Script], client: str, language: str, draft: bool = False) -> str:
    """The scripts as an HTML document with the report's stylesheet: a header naming the client (and,
    for ``draft`` scripts nobody saved, saying they are a draft to review), then one page per script."""
    from strategy_kit.report.document import STYLESHEET

    e = html.escape
    style = STYLESHEET.read_text(encoding="utf-8")
    title = label("script.document.title", language)
    header = (
        '<header class="sk-cover">'
        f'<p class="sk-kicker">{e(client)}</p>'
        f'<h1 class="sk-client">{e(title)}</h1>'
        + (f'<p class="sk-note">{e(label("script.document.draft", language))}</p>' if draft else "")
        + "</header>"
    )
    body = script_html(scripts, language, first_page_break=False)
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{e(client)} — {e(title)}</title>\n<style>\n{style}\n</style>\n</head>\n"
        f"<body>\n{header}\n{body}\n</body>\n</html>\n"
    )


def write_script_pdf(
    workspace: Workspace | str | os.PathLike[str],
    client: str,
    period: str | None = None,
    language: str | None = None,
) -> Path:
    """Write ``reports/<client>/script.pdf`` (atomically: the old file stays whole until the new one
    replaces it) and return its path. The saved scripts, else drafts from the persona and the data of
    ``period`` (a label; None: the latest complete quarter), in ``language`` (None: the client's)."""
    from strategy_kit.analytics.script import script_figures
    from strategy_kit.context import load_context
    from strategy_kit.inputs.market import load_market
    from strategy_kit.inputs.persona import load_persona
    from strategy_kit.inputs.script import load_scripts
    from strategy_kit.narrative.script import draft_scripts
    from strategy_kit.report.document import write_pdf
    from strategy_kit.report.files import unused_name
    from strategy_kit.workspace import ensure_writable

    context = load_context(
        client, period, language, workspace if isinstance(workspace, Workspace) else Workspace.at(workspace)
    )
    paths = context.workspace.client(client)
    scripts = load_scripts(paths.inputs)
    draft = scripts is None
    if scripts is None:
        persona = load_persona(paths.inputs)
        figures = script_figures(context.data, context.period, persona, market=load_market(paths.inputs))
        scripts = draft_scripts(figures, context.language, persona, context.config.display_name, context.currency)
    folder = ensure_writable(paths.reports, "the call scripts")
    target = folder / SCRIPT_PDF
    temporary = unused_name(folder, f".{SCRIPT_PDF}")
    try:
        write_pdf(script_document(scripts, context.config.display_name, context.language, draft), temporary, folder)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target
