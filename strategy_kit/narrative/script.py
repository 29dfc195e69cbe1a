"""The call script's words: a draft a rep can read aloud, in the client's language, with the typical
results of similar customers in it (METHOD.md section 7).

:func:`draft_script` writes the six parts for one persona or segment from the figures of
:mod:`strategy_kit.analytics.script` and the persona's needs and pain points; a figure the data
cannot give leaves its sentence out (never a 0). Words in [brackets] are for the rep to fill in.
"""

from __future__ import annotations

from collections.abc import Sequence

from strategy_kit.analytics.script import ScriptFigures
from strategy_kit.i18n import format_list, label
from strategy_kit.inputs.persona import Persona, band_range
from strategy_kit.inputs.script import PERSONA_SCRIPT, Script

MOST_PAIN_QUESTIONS = 3  # one question per pain point, at most this many


def script_title(key: str, language: str) -> str:
    """The heading of a script's page: ``Script d'appel : persona`` or ``... : segment Industrie · 50-249``."""
    if key == PERSONA_SCRIPT:
        return label("script.title.persona", language)
    return label("script.title.segment", language, segment=key)


def choice_label(key: str, language: str) -> str:
    """How the form's selector names a script: ``Persona`` or ``Segment Industrie · 50-249``."""
    if key == PERSONA_SCRIPT:
        return label("script.choice.persona", language)
    return label("script.choice.segment", language, segment=key)


def _size(bands: Sequence[str], language: str, low: int | None = None, high: int | None = None) -> str | None:
    """``de 10 à 249 salariés`` from size bands (their lowest and highest bounds) or headcount bounds."""
    ranges = [r for r in (band_range(b) for b in bands) if r is not None]
    if low is None and high is None and ranges:
        low, top = int(min(r[0] for r in ranges)), max(r[1] for r in ranges)
        high = None if top == float("inf") else int(top)
    if low is not None and high is not None:
        return label("script.size.range", language, low=low, high=high)
    if low is not None:
        return label("script.size.at_least", language, low=low)
    if high is not None:
        return label("script.size.range", language, low=0, high=high)
    if bands:
        return label("script.size.band", language, band=format_list(list(bands), language))
    return None


def who(figures: ScriptFigures, language: str, persona: Persona | None = None) -> str:
    """Whom the script speaks of: ``des entreprises du secteur Industrie de 50 à 249 salariés``."""
    sectors = list(figures.values.get("sector", ()))
    bands = list(figures.values.get("size_band", ()))
    low = high = None
    if figures.kind == "persona" and persona is not None:
        low, high = persona.employees_min, persona.employees_max
    size = _size(bands, language, low, high)
    if sectors:
        one = len(sectors) == 1
        key = ("script.who.sector" if one else "script.who.sectors") + ("_size" if size else "")
        fields = {"sector": sectors[0]} if one else {"sectors": format_list(sectors, language)}
        return label(key, language, **fields, **({"size": size} if size else {}))
    if size:
        return label("script.who.size", language, size=size)
    return label("script.who.any", language)


def _quoted(text: str, language: str) -> str:
    return f"« {text} »" if language == "fr" else f'"{text}"'


def offer_text(figures: ScriptFigures, language: str, currency: str = "EUR") -> str:
    """The offer: a sentence for the rep to complete, then the typical results that the data give."""
    sentences = [label("script.draft.offer.intro", language)]
    if figures.win_rate is not None and figures.won > 0:
        sentences.append(
            label(
                "script.draft.offer.win_rate",
                language,
                won=figures.won,
                closed=figures.closed,
                rate=figures.win_rate,
            )
        )
    if figures.avg_deal_size is not None:
        sentences.append(
            label("script.draft.offer.deal_size", language, amount=figures.avg_deal_size, currency=currency)
        )
    if figures.cycle_days is not None:
        sentences.append(label("script.draft.offer.cycle", language, days=figures.cycle_days))
    return " ".join(sentences)


def draft_questions(figures: ScriptFigures, language: str, persona: Persona | None = None) -> tuple[str, ...]:
    """The qualification questions: how they work today, each pain point (at most three), their size
    when the script targets one, who decides, the budget and the timing."""
    questions = [label("script.draft.question.today", language)]
    pains = persona.pain_points if persona is not None else ()
    questions += [label("script.draft.question.pain", language, pain=p) for p in pains[:MOST_PAIN_QUESTIONS]]
    sized = bool(figures.values.get("size_band")) or (
        persona is not None and figures.kind == "persona" and "size" in persona.criteria
    )
    if sized:
        questions.append(label("script.draft.question.size", language))
    questions += [label(f"script.draft.question.{q}", language) for q in ("decision", "budget", "timing")]
    return tuple(questions)


def draft_script(
    figures: ScriptFigures,
    language: str,
    persona: Persona | None = None,
    company: str = "",
    currency: str = "EUR",
) -> Script:
    """The pre-filled script for ``figures.key``: words from the persona (needs, pain points, sectors)
    and the segment, numbers from the data (win rate, average deal size and sales cycle of similar
    customers); ``company``: the client's name as the rep says it."""
    audience = who(figures, language, persona)
    pains = persona.pain_points if persona is not None else ()
    needs = persona.needs if persona is not None else ()
    opening = (
        label("script.draft.opening.pain", language, who=audience, pain=pains[0])
        if pains
        else label("script.draft.opening.plain", language, who=audience)
    )
    reason = (
        label(
            "script.draft.reason.needs",
            language,
            count=len(needs),
            needs=format_list([_quoted(n, language) for n in needs], language),
        )
        if needs
        else label("script.draft.reason.plain", language, who=audience)
    )
    return Script(
        key=figures.key,
        introduction=label("script.draft.introduction", language, company=company or "[…]"),
        opening=opening,
        reason=reason,
        offer=offer_text(figures, language, currency),
        questions=draft_questions(figures, language, persona),
        conclusion=label("script.draft.conclusion", language),
    )


def draft_scripts(
    figures: Sequence[ScriptFigures],
    language: str,
    persona: Persona | None = None,
    company: str = "",
    currency: str = "EUR",
) -> list[Script]:
    """:func:`draft_script` for each of ``figures`` (the persona's first, then the segments)."""
    return [draft_script(f, language, persona, company, currency) for f in figures]
