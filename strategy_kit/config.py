"""A client's settings, read from ``data/<client>/client.yml``.

The file holds who the client is (display name, language, currency, time zone,
fiscal-year start), its ordered pipeline stages with French and English labels,
and the declarative import mapping (the ``import:`` section, read by
:mod:`strategy_kit.importer.mapping`; see docs/mapping.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from strategy_kit.errors import ConfigError
from strategy_kit.i18n import LANGUAGES

# The seven stages of the method (METHOD.md section 2), in order.
DEFAULT_STAGES: tuple[dict[str, Any], ...] = (
    {"id": "prospecting", "fr": "Prospection", "en": "Prospecting"},
    {"id": "qualification", "fr": "Qualification", "en": "Qualification"},
    {"id": "meeting", "fr": "Rendez-vous / réunion / appel", "en": "Meeting"},
    {"id": "needs_defined", "fr": "Besoins définis", "en": "Needs defined"},
    {"id": "proposal", "fr": "Proposition / présentation / offre", "en": "Proposal"},
    {"id": "negotiation", "fr": "Négociation", "en": "Negotiation"},
    {"id": "won", "fr": "Affaire remportée", "en": "Won"},
)


@dataclass(frozen=True)
class Stage:
    id: str
    fr: str
    en: str
    probability: float | None = None  # win probability of a deal at this stage, if the client sets it

    def label(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class FollowupSettings:
    """The follow-up rules' settings (``followups:`` in client.yml; docs/followups.md)."""

    sla_business_days: int = 1  # a new lead is contacted within this many business days
    follow_up_business_days: int = 3  # a lead contacted once gets a second contact within this many
    country: str | None = None  # ISO code whose public holidays are not business days (FR, DE...)
    lookback_days: int = 90  # leads created (or first contacted) this many days before the as-of date
    min_stays: int = 5  # stays in a stage needed to learn its P90 time in stage
    default_stage_days: int = 30  # a stage's idle limit when its history is too thin
    stage_days: dict[str, int] = field(default_factory=dict)  # per stage: idle limit set by hand


@dataclass(frozen=True)
class ClientConfig:
    client: str  # folder name under data/
    display_name: str
    language: str = "fr"
    currency: str = "EUR"
    timezone: str = "Europe/Paris"
    fiscal_year_start_month: int = 1
    stages: tuple[Stage, ...] = field(default_factory=lambda: tuple(Stage(**s) for s in DEFAULT_STAGES))
    data_cutoff: date | None = None  # last day the exports cover; later dates are reported as future
    import_spec: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None
    events_window_days: int = 30  # an account event this recent (days) makes a call timely
    followups: FollowupSettings = field(default_factory=FollowupSettings)

    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def stage(self, stage_id: str) -> Stage:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise KeyError(stage_id)

    def stage_labels(self, language: str | None = None) -> dict[str, str]:
        return {s.id: s.label(language or self.language) for s in self.stages}


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(f"{path}: {message}")


class _Problems:
    """Every mistake found in one client.yml, reported together (like the rows of an export)."""

    def __init__(self, path: Path):
        self.path = path
        self.items: list[tuple[str, str, str]] = []  # (key, what is wrong, the fix)

    def add(self, key: str, message: str, fix: str) -> None:
        self.items.append((key, message, fix))

    def raise_any(self) -> None:
        if not self.items:
            return
        if len(self.items) == 1:
            key, message, fix = self.items[0]
            raise ConfigError(f"{self.path}: {key}: {message}\n    fix: {fix}")
        lines = [f"{self.path}: {len(self.items)} problems in the settings:"]
        lines += [f"  - {key}: {message}\n    fix: {fix}" for key, message, fix in self.items]
        raise ConfigError("\n".join(lines))


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _shown(value: Any) -> str:
    """A YAML value as the user wrote it (yes/no are booleans in YAML)."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a YAML true/false: yes, no, on and off are read as booleans)"
    if isinstance(value, dict):
        return "a mapping {...}"
    if isinstance(value, list):
        return "a list [...]"
    return repr(value)


def parse_client_config(raw: dict[str, Any], client: str, path: Path) -> ClientConfig:
    """Check and convert the parsed YAML of a client.yml (``path`` is used in messages).

    Every setting is checked, and all the mistakes are reported in one ConfigError."""
    if not isinstance(raw, dict):
        raise _fail(path, "expected a mapping of settings (display_name, language, stages, import...)")
    problems = _Problems(path)
    known = {
        "display_name",
        "language",
        "currency",
        "timezone",
        "fiscal_year_start_month",
        "stages",
        "data_cutoff",
        "import",
        "events",
        "followups",
    }
    unknown = sorted(str(k) for k in set(raw) - known)
    if unknown:
        problems.add(
            ", ".join(unknown), "unknown setting(s)", f"remove or rename them; known: {', '.join(sorted(known))}"
        )

    display_name = raw.get("display_name")
    if display_name is None or display_name == "":
        display_name = client
    elif isinstance(display_name, (int, float)) and not isinstance(display_name, bool):
        display_name = str(display_name)
    elif not _is_text(display_name):
        problems.add(
            "display_name",
            f"expected a name, got {_shown(display_name)}",
            'write the client\'s name in quotes: display_name: "Acme SA"',
        )
        display_name = client

    language = raw.get("language", "fr")
    if not _is_text(language) or language not in LANGUAGES:
        shown = f"'{language}'" if _is_text(language) else _shown(language)
        problems.add("language", f"language {shown} is not supported", "use fr or en")
        language = "fr"

    currency = raw.get("currency", "EUR")
    if not _is_text(currency) or not currency.strip():
        problems.add(
            "currency", f"expected a currency code, got {_shown(currency)}", "write an ISO code such as EUR, USD or GBP"
        )
        currency = "EUR"

    timezone = raw.get("timezone", "Europe/Paris")
    try:
        if not _is_text(timezone):
            raise ValueError
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        shown = f"'{timezone}'" if _is_text(timezone) else _shown(timezone)
        problems.add(
            "timezone", f"timezone {shown} is unknown", "use an IANA name such as Europe/Paris or America/New_York"
        )
        timezone = "Europe/Paris"

    fy_start = raw.get("fiscal_year_start_month", 1)
    if isinstance(fy_start, bool) or not isinstance(fy_start, int) or not 1 <= fy_start <= 12:
        problems.add(
            "fiscal_year_start_month",
            f"expected a month number 1..12, got {_shown(fy_start)}",
            "write the number of the month the fiscal year starts in: 1 for January, 4 for April",
        )
        fy_start = 1

    stages = _parse_stages(raw.get("stages"), problems)
    cutoff = raw.get("data_cutoff")
    if isinstance(cutoff, datetime):
        cutoff = cutoff.date()
    elif cutoff is not None and not isinstance(cutoff, date):
        try:
            if not _is_text(cutoff):
                raise ValueError
            cutoff = date.fromisoformat(cutoff.strip())
        except ValueError:
            problems.add(
                "data_cutoff",
                f"expected an ISO date, got {_shown(cutoff)}",
                "write the last day the exports cover as 2026-09-30, or remove the line (default: the import day)",
            )
            cutoff = None
    events_window = _parse_events_window(raw.get("events"), problems)
    import_spec = raw.get("import") or {}
    if not isinstance(import_spec, dict):
        problems.add(
            "import",
            f"expected a mapping of tables, got {_shown(import_spec)}",
            "map table names (deals, accounts, ...) to their mapping; see docs/mapping.md",
        )
        import_spec = {}
    followups = _parse_followups(raw.get("followups"), [s.id for s in stages], problems)
    problems.raise_any()
    return ClientConfig(
        client=client,
        display_name=display_name,
        language=language,
        currency=currency.strip(),
        timezone=timezone,
        fiscal_year_start_month=fy_start,
        stages=stages,
        data_cutoff=cutoff,
        import_spec=import_spec,
        source=path,
        events_window_days=events_window,
        followups=followups,
    )


def _parse_events_window(raw: Any, problems: _Problems) -> int:
    """``events: {window_days: 30}``: how many days an account event keeps a call timely."""
    if raw is None:
        return 30
    window = raw.get("window_days", 30) if isinstance(raw, dict) else raw
    unknown = sorted(str(k) for k in raw if k != "window_days") if isinstance(raw, dict) else []
    if unknown:
        problems.add(f"events: {', '.join(unknown)}", "unknown setting(s)", "remove them; known: window_days")
    if not isinstance(raw, dict) or isinstance(window, bool) or not isinstance(window, int) or window < 0:
        problems.add(
            "events: window_days",
            f"expected a whole number of days (0 or more), got {_shown(window)}",
            "write how many days an account event keeps a call timely, e.g. events: {window_days: 30}",
        )
        return 30
    return window


_FOLLOWUP_DAYS = {
    "sla_business_days": ("a whole number of business days, 0 or more", 0),
    "follow_up_business_days": ("a whole number of business days, 1 or more", 1),
    "lookback_days": ("a whole number of days, 1 or more", 1),
    "min_stays": ("a whole number of stays, 1 or more", 1),
    "default_stage_days": ("a whole number of days, 1 or more", 1),
}


def _whole(value: Any, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _parse_followups(raw: Any, stage_ids: list[str], problems: _Problems) -> FollowupSettings:
    """The ``followups:`` section: every mistake named by its key (``followups: sla_business_days``)."""
    if raw is None:
        return FollowupSettings()
    if not isinstance(raw, dict):
        problems.add(
            "followups",
            f"expected a mapping of settings, got {_shown(raw)}",
            "write e.g. followups: {sla_business_days: 1, country: FR}; see docs/followups.md",
        )
        return FollowupSettings()
    known = {*_FOLLOWUP_DAYS, "country", "stage_days"}
    unknown = sorted(str(k) for k in set(raw) - known)
    if unknown:
        problems.add(
            f"followups: {', '.join(unknown)}",
            "unknown setting(s)",
            f"remove or rename them; known: {', '.join(sorted(known))}",
        )
    values: dict[str, Any] = {}
    for key, (expected, least) in _FOLLOWUP_DAYS.items():
        if key in raw:
            if _whole(raw[key], least):
                values[key] = raw[key]
            else:
                problems.add(
                    f"followups: {key}",
                    f"expected {expected}, got {_shown(raw[key])}",
                    f"write {key}: {FollowupSettings.__dataclass_fields__[key].default}, or remove the line",
                )
    country = raw.get("country")
    if country is not None:
        import holidays

        code = country.strip().upper() if _is_text(country) else None
        if code not in holidays.list_supported_countries():
            problems.add(
                "followups: country",
                f"country {_shown(country)} has no public-holiday calendar",
                "write the ISO 3166 code of the country whose public holidays are days off (FR, BE, CH, DE, GB, US...)",
            )
        else:
            values["country"] = code
    stage_days = raw.get("stage_days")
    if stage_days is not None:
        if not isinstance(stage_days, dict):
            problems.add(
                "followups: stage_days",
                f"expected a mapping of stage ids to days, got {_shown(stage_days)}",
                "write e.g. stage_days: {proposal: 20, negotiation: 15}",
            )
        else:
            checked: dict[str, int] = {}
            for stage, days in stage_days.items():
                if str(stage) not in stage_ids:
                    problems.add(
                        f"followups: stage_days: {stage}",
                        "is not one of the client's stages",
                        f"use a stage id of 'stages': {', '.join(stage_ids)}",
                    )
                elif not _whole(days, 1):
                    problems.add(
                        f"followups: stage_days: {stage}",
                        f"expected a whole number of days, 1 or more, got {_shown(days)}",
                        "write the number of days without activity after which a deal at this stage is flagged",
                    )
                else:
                    checked[str(stage)] = days
            values["stage_days"] = checked
    return FollowupSettings(**values)


def _parse_stages(raw: Any, problems: _Problems) -> tuple[Stage, ...]:
    if raw is None:
        return tuple(Stage(**s) for s in DEFAULT_STAGES)
    if not isinstance(raw, list) or not raw:
        problems.add(
            "stages",
            f"expected a non-empty list, got {_shown(raw)}",
            "list the stages in pipeline order as {id, fr, en} entries, or remove 'stages' for the method's seven",
        )
        return tuple(Stage(**s) for s in DEFAULT_STAGES)
    stages = []
    for number, entry in enumerate(raw, start=1):
        key = f"stages #{number}"
        if not isinstance(entry, dict) or entry.get("id") in (None, ""):
            problems.add(key, "has no id", "write each stage as {id: meeting, fr: Rendez-vous, en: Meeting}")
            continue
        stage_id = entry["id"]
        if not _is_text(stage_id) or not stage_id.strip():
            problems.add(
                f"{key}: id",
                f"expected a word such as meeting, got {_shown(stage_id)}",
                "stage ids are words (letters, digits, _), used in the mappings; quote it",
            )
            continue
        key = f"stages: {stage_id}"
        ok = True
        for label in ("fr", "en"):
            value = entry.get(label)
            if value is None or value == "":
                problems.add(
                    f"{key}: {label}",
                    f"lacks its {'French' if label == 'fr' else 'English'} label",
                    f"add {label}: with the name shown in {'French' if label == 'fr' else 'English'} reports",
                )
                ok = False
            elif not (_is_text(value) or (isinstance(value, (int, float)) and not isinstance(value, bool))):
                problems.add(
                    f"{key}: {label}", f"expected a label, got {_shown(value)}", "write the label as text, in quotes"
                )
                ok = False
        probability = entry.get("probability")
        if probability is not None and (
            isinstance(probability, bool) or not isinstance(probability, (int, float)) or not 0 <= probability <= 1
        ):
            problems.add(
                f"{key}: probability",
                f"expected a number in [0, 1], got {_shown(probability)}",
                "write the win probability of a deal at this stage as a fraction (0.25), or remove it",
            )
            ok = False
        extra = sorted(str(k) for k in set(entry) - {"id", "fr", "en", "probability"})
        if extra:
            problems.add(key, f"unknown key(s) {', '.join(extra)}", "a stage has id, fr, en and optionally probability")
        if ok:
            stages.append(
                Stage(
                    stage_id.strip(),
                    str(entry["fr"]),
                    str(entry["en"]),
                    None if probability is None else float(probability),
                )
            )
    ids = [s.id for s in stages]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        problems.add(
            "stages", f"stage id(s) {', '.join(duplicated)} appear more than once", "give each stage its own id"
        )
    return tuple(stages) if stages else tuple(Stage(**s) for s in DEFAULT_STAGES)


def load_client_config(path: Path, client: str) -> ClientConfig:
    """Read and check a client.yml."""
    if not path.is_file():
        raise ConfigError(f"{path}: not found. Create the client with 'strategy-kit new-client {client}'.")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _fail(path, f"not valid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise _fail(path, "is not UTF-8 text; save it as UTF-8") from None
    return parse_client_config(raw or {}, client, path)


def default_client_yaml(display_name: str, language: str = "fr") -> str:
    """The client.yml a new client starts from: settings, the method's stages, an import skeleton."""
    stages = "\n".join(f'  - {{id: {s["id"]}, fr: "{s["fr"]}", en: "{s["en"]}"}}' for s in DEFAULT_STAGES)
    return f"""\
# Client settings for strategy-kit. Reference: docs/mapping.md
display_name: "{display_name}"
language: {language}            # fr | en: the language of the reports
currency: EUR
timezone: Europe/Paris
fiscal_year_start_month: 1      # 1 = January
# data_cutoff: 2026-09-30       # last day your exports cover (default: the import day)

# Pipeline stages, in order (ids are used in mappings; labels are shown in reports).
stages:
{stages}

# How to read the exports in raw/: map the tables you have (deals, leads, activities, revenue...;
# none is required). Start from a preset (salesforce-opportunity, hubspot-deals, pipedrive-deals,
# ...), from an example of examples/ (call log, marketing funnel, transactions, French
# spreadsheet), or map columns by hand: docs/mapping.md.
import:
  deals:
    files: [deals.csv]
    columns:
      deal_id: ID
      status: Status
      stage: Stage
      value: Amount
      created_at: Created
      closed_at: Closed
      owner: Owner
    values:
      status: {{Open: open, Won: won, Lost: lost}}
"""
