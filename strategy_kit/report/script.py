"""The call scripts as printable pages: one page per persona or segment, in the client's language.

Each script is a ``div.sk-script.sk-page-break`` (a page of its own in the PDF, like the
scorecards): its title, then the six parts under their headings in reading order, the
qualification questions as a numbered list. The words come from
:mod:`strategy_kit.narrative.script` and ``i18n/<language>/script.yml``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from strategy_kit.i18n import label
from strategy_kit.inputs.script import Script
from strategy_kit.narrative.script import script_title


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
