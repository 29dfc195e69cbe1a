"""A client's settings, read from ``data/<client>/client.yml``.

The file holds who the client is (display name, language, currency, time zone,
fiscal-year start), its ordered pipeline stages with French and English labels,
and the declarative import mapping (the ``import:`` section, read by
:mod:`strategy_kit.importer.mapping`; see docs/mapping.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from strategy_kit.errors import ConfigError

LANGUAGES = ("fr", "en")

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


def parse_client_config(raw: dict[str, Any], client: str, path: Path) -> ClientConfig:
    """Check and convert the parsed YAML of a client.yml (``path`` is used in messages)."""
    if not isinstance(raw, dict):
        raise _fail(path, "expected a mapping of settings (display_name, language, stages, import...)")
    known = {"display_name", "language", "currency", "timezone", "fiscal_year_start_month",
             "stages", "data_cutoff", "import"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise _fail(path, f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")

    language = str(raw.get("language", "fr"))
    if language not in LANGUAGES:
        raise _fail(path, f"language '{language}' is not supported; use fr or en")
    timezone = str(raw.get("timezone", "Europe/Paris"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(path, f"timezone '{timezone}' is unknown; use an IANA name such as Europe/Paris") from None
    fy_start = raw.get("fiscal_year_start_month", 1)
    if not isinstance(fy_start, int) or not 1 <= fy_start <= 12:
        raise _fail(path, f"fiscal_year_start_month must be a month number 1..12, got {fy_start!r}")

    stages = _parse_stages(raw.get("stages"), path)
    cutoff = raw.get("data_cutoff")
    if cutoff is not None and not isinstance(cutoff, date):
        try:
            cutoff = date.fromisoformat(str(cutoff))
        except ValueError:
            raise _fail(path, f"data_cutoff must be an ISO date (2026-09-30), got {cutoff!r}") from None
    import_spec = raw.get("import") or {}
    if not isinstance(import_spec, dict):
        raise _fail(path, "'import' must map table names (deals, accounts, ...) to their mapping")
    return ClientConfig(
        client=client,
        display_name=str(raw.get("display_name") or client),
        language=language,
        currency=str(raw.get("currency", "EUR")),
        timezone=timezone,
        fiscal_year_start_month=fy_start,
        stages=stages,
        data_cutoff=cutoff,
        import_spec=import_spec,
        source=path,
    )


def _parse_stages(raw: Any, path: Path) -> tuple[Stage, ...]:
    if raw is None:
        return tuple(Stage(**s) for s in DEFAULT_STAGES)
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "'stages' must be a non-empty list of {id, fr, en} entries, in pipeline order")
    stages = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or "id" not in entry:
            raise _fail(path, f"stage #{number} must have an id, a French label (fr) and an English label (en)")
        missing = [k for k in ("fr", "en") if not entry.get(k)]
        if missing:
            raise _fail(path, f"stage '{entry['id']}' lacks its {' and '.join(missing)} label")
        probability = entry.get("probability")
        if probability is not None and not (isinstance(probability, (int, float)) and 0 <= probability <= 1):
            raise _fail(path, f"stage '{entry['id']}': probability must be in [0, 1], got {probability!r}")
        extra = sorted(set(entry) - {"id", "fr", "en", "probability"})
        if extra:
            raise _fail(path, f"stage '{entry['id']}': unknown key(s) {', '.join(extra)}")
        stages.append(Stage(str(entry["id"]), str(entry["fr"]), str(entry["en"]), probability))
    ids = [s.id for s in stages]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise _fail(path, f"stage id(s) {', '.join(duplicated)} appear more than once")
    return tuple(stages)


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
    stages = "\n".join(
        f"  - {{id: {s['id']}, fr: \"{s['fr']}\", en: \"{s['en']}\"}}" for s in DEFAULT_STAGES
    )
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

# How to read the exports in raw/. Only deals are required. Start from a preset
# (salesforce-opportunity, hubspot-deals, pipedrive-deals, ...) or map columns by hand.
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
