"""The follow-up exceptions as a reader sees them, in a language: the list of what to do with its
suggested actions as sentences, the counts per rep, the idle limit of each stage, the findings,
and the task list a CRM imports. The numbers come from :mod:`strategy_kit.analytics.followups`;
the words from ``i18n/*/followups.yml``."""

from __future__ import annotations

from typing import Any

import pandas as pd

from strategy_kit.analytics.followups import KINDS, FollowupExceptions
from strategy_kit.config import ClientConfig
from strategy_kit.i18n import format_date, label
from strategy_kit.narrative import Finding, Table

THRESHOLD_KINDS = {"stage": "text", "stays": "integer", "p90_days": "number", "limit_days": "number", "source": "text"}


def _text(value: Any) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def who(row: pd.Series | dict[str, Any]) -> str:
    """The exception's record as a rep finds it: the company's name when known, with the record's id."""
    record = str(row["record_id"])
    account = _text(row.get("account"))
    return f"{account} ({record})" if account and account != record else record


def stage_label(stage: Any, config: ClientConfig, language: str) -> str:
    text = _text(stage)
    if text is None:
        return label("followups.no_stage", language)
    return config.stage_labels(language).get(text, text)


def action_text(row: pd.Series | dict[str, Any], config: ClientConfig, language: str) -> str:
    """The suggested action of one exception as a sentence."""
    kind, days = row["kind"], row["days_late"]
    fields: dict[str, Any] = {"who": who(row), "due": format_date(row["due_date"], language)}
    if kind == "stale_deal":
        limit = float(row["limit_days"])
        fields |= {"idle": round(float(days) + limit), "limit": round(limit)}
        fields["stage"] = stage_label(row.get("stage"), config, language)
    elif kind == "close_date_passed":
        fields["days"] = int(days)
    return label(f"followups.action.{row['action']}", language, **fields)


def exceptions_frame(result: FollowupExceptions, config: ClientConfig, language: str) -> pd.DataFrame:
    """The exceptions with their words: rule, stage and action written in ``language``."""
    frame = result.exceptions.copy()
    frame["kind"] = [label(f"followups.kind.{kind}", language) for kind in result.exceptions["kind"]]
    frame["stage"] = [
        stage_label(stage, config, language) if record == "deal" else None
        for stage, record in zip(result.exceptions["stage"], result.exceptions["record_type"])
    ]
    frame["owner"] = [_text(owner) or label("followups.no_owner", language) for owner in frame["owner"]]
    frame["action"] = [action_text(row, config, language) for _, row in result.exceptions.iterrows()]
    return frame


def reason_text(row: pd.Series | dict[str, Any], language: str) -> str:
    """What is late on one exception, in a few words ("aucune activité depuis 57 jours, limite 33")."""
    kind, days = row["kind"], row["days_late"]
    fields: dict[str, Any] = {"due": format_date(row["due_date"], language)}
    if kind == "stale_deal":
        limit = float(row["limit_days"])
        fields |= {"idle": round(float(days) + limit), "limit": round(limit)}
    elif kind == "close_date_passed":
        fields["days"] = int(days)
    return label(f"followups.reason.{kind}", language, **fields)


RECORD_KINDS = {"who": "text", "owner": "text", "stage": "text", "amount": "currency", "late": "text", "todo": "text"}
ACTION_ORDER = ("call_new_lead", "follow_up_lead", "revive_deal", "plan_next_step", "update_close_date")


def late_records_table(
    result: FollowupExceptions, config: ClientConfig, language: str, limit: int | None = None
) -> Table:
    """The deals and leads with overdue follow-ups, one row each, in the exceptions' order (value at
    stake, then days late): the record, rep, stage, amount, what is late and what to do (the first
    ``limit`` records when given). The CRM task list keeps one row per exception."""
    exceptions = result.exceptions
    records = exceptions[["record_type", "record_id"]].drop_duplicates()
    if limit is not None:
        records = records.head(limit)
    rows = []
    for record_type, record_id in records.itertuples(index=False):
        mine = exceptions[(exceptions["record_type"] == record_type) & (exceptions["record_id"] == record_id)]
        first = mine.iloc[0]
        todo = [label(f"followups.todo.{action}", language) for action in ACTION_ORDER if action in set(mine["action"])]
        rows.append(
            {
                "who": who(first),
                "owner": _text(first["owner"]) or label("followups.no_owner", language),
                "stage": stage_label(first["stage"], config, language) if record_type == "deal" else None,
                "amount": first["amount"],
                "late": label("followups.reason.separator", language).join(
                    reason_text(row, language) for _, row in mine.iterrows()
                ),
                "todo": _sentence_case(", ".join(todo)),
            }
        )
    frame = pd.DataFrame(rows, columns=list(RECORD_KINDS))
    return Table(frame, {name: f"followups.column.{name}" for name in RECORD_KINDS}, RECORD_KINDS)


def _sentence_case(text: str) -> str | None:
    return text[:1].upper() + text[1:] if text else None


def records_left_out(result: FollowupExceptions, shown: int, client: str, language: str) -> list[Finding]:
    """How many records the report's table leaves out and where the full list is (nothing when it
    shows them all)."""
    total = len(result.exceptions[["record_type", "record_id"]].drop_duplicates())
    if total <= shown:
        return []
    return [Finding("followups.table.more", {"shown": shown, "total": total, "client": client}, language, "more")]


def per_rep_table(result: FollowupExceptions, language: str) -> Table:
    """Exceptions per rep and rule, the total and the value at risk (for the scorecards)."""
    frame = result.per_rep.copy()
    frame["owner"] = [_text(owner) or label("followups.no_owner", language) for owner in frame["owner"]]
    kinds = [kind for kind in result.checked if kind in frame.columns]
    columns = {"owner": "followups.column.owner", **{kind: f"followups.kind.{kind}" for kind in kinds}}
    columns |= {"total": "followups.column.total", "value_at_risk": "followups.column.value_at_risk"}
    return Table(
        frame,
        columns,
        {"owner": "text", **dict.fromkeys(kinds, "integer"), "total": "integer", "value_at_risk": "currency"},
    )


def thresholds_table(result: FollowupExceptions, config: ClientConfig, language: str) -> Table:
    """The idle limit of each stage, and where it comes from (learned, set, default)."""
    frame = result.thresholds.copy()
    frame["stage"] = [stage_label(stage, config, language) for stage in frame["stage"]]
    frame["source"] = [label(f"followups.source.{source}", language) for source in frame["source"]]
    return Table(frame, {name: f"followups.column.{name}" for name in THRESHOLD_KINDS}, THRESHOLD_KINDS)


def findings(result: FollowupExceptions, language: str) -> list[Finding]:
    """How many follow-ups are overdue and the value at stake, the rep with the most, and each rule
    that could not be checked with the reason."""
    as_of = format_date(result.as_of, language)
    exceptions = result.exceptions
    found: list[Finding] = []
    if exceptions.empty:
        found.append(Finding("followups.finding.none", {"as_of": as_of}, language, subject="total"))
    else:
        deals = exceptions.drop_duplicates(["record_type", "record_id"])["value_at_risk"]
        value = float(deals.sum()) if deals.notna().any() else None
        key = "followups.finding.total" if value else "followups.finding.total_no_value"
        fields: dict[str, Any] = {"as_of": as_of, "count": len(exceptions)}
        if value:
            fields["value"] = value
        found.append(
            Finding(key, fields, language, subject="total", evidence={"count": len(exceptions), "value": value})
        )
        reps = result.per_rep.dropna(subset=["owner"])
        if len(reps) > 1:
            top = reps.iloc[0]
            found.append(
                Finding(
                    "followups.finding.top_rep",
                    {"owner": str(top["owner"]), "count": int(top["total"]), "total": len(exceptions)},
                    language,
                    subject="top_rep",
                )
            )
    for kind in KINDS:
        if kind in result.unavailable:
            reason = result.unavailable[kind].reason(language)
            fields = {"kind": label(f"followups.kind.{kind}", language), "reason": reason}
            found.append(Finding("followups.finding.unavailable", fields, language, subject=kind))
    return found


def rules_note(result: FollowupExceptions, language: str) -> Finding:
    """The SLA and follow-up delays in business days, and which days do not count."""
    settings = result.settings
    holidays = label("followups.sla.holidays", language, country=settings.country) if settings.country else ""
    fields = {"sla": settings.sla_business_days, "follow": settings.follow_up_business_days, "holidays": holidays}
    return Finding("followups.sla.note", fields, language, subject="rules")


def thresholds_note(result: FollowupExceptions, language: str) -> Finding:
    settings = result.settings
    fields = {
        "as_of": format_date(result.as_of, language),
        "min": settings.min_stays,
        "default": settings.default_stage_days,
    }
    return Finding("followups.thresholds.note", fields, language, subject="thresholds")


# ---------------------------------------------------------------------- CRM task lists

# The task-import columns of each CRM, in the order written: (header, field of the task).
# - Salesforce: Data Loader (or the Data Import Wizard) inserting Task records maps a CSV header to
#   the field of the same API name (Task object reference,
#   developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm):
#   Subject, ActivityDate (the due date, YYYY-MM-DD), OwnerId (the assigned user), WhatId (the related
#   opportunity or account), WhoId (the related lead or contact), Priority (High, Normal, Low),
#   Status (Not Started...), Description.
# - HubSpot: the import tool matches a header to a task property's label (knowledge.hubspot.com,
#   "Set up import files" and the tasks sample file; properties in developers.hubspot.com/docs/api/crm/tasks):
#   Task Title (hs_task_subject), Due Date (hs_timestamp), Assigned To (hubspot_owner_id),
#   Priority (hs_task_priority: HIGH, MEDIUM, LOW), Notes (hs_task_body), Task Type (hs_task_type:
#   TODO, CALL, EMAIL); the related deal is matched on its Record ID, in the column mapped to it.
# - Pipedrive: the spreadsheet import's Activity fields (support.pipedrive.com "Import fields";
#   API names in developers.pipedrive.com, Activities): Subject, Due date, Assigned to user, Deal ID,
#   Lead ID, Note, Type; activities need no mandatory field ("Importing: mandatory fields"), and a
#   Priority column is mapped where the account has activity priorities.
CRM_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "salesforce": (
        ("Subject", "subject"),
        ("ActivityDate", "due_date"),
        ("OwnerId", "owner"),
        ("WhatId", "deal_id"),
        ("WhoId", "lead_id"),
        ("Priority", "priority"),
        ("Status", "status"),
        ("Description", "description"),
    ),
    "hubspot": (
        ("Task Title", "subject"),
        ("Due Date", "due_date"),
        ("Assigned To", "owner"),
        ("Deal Record ID", "deal_id"),
        ("Priority", "priority"),
        ("Task Type", "type"),
        ("Notes", "description"),
    ),
    "pipedrive": (
        ("Subject", "subject"),
        ("Due date", "due_date"),
        ("Assigned to user", "owner"),
        ("Deal ID", "deal_id"),
        ("Lead ID", "lead_id"),
        ("Priority", "priority"),
        ("Type", "type"),
        ("Note", "description"),
    ),
}
CRMS = tuple(CRM_COLUMNS)
# Each CRM's own words for a priority, a task's type and a new task's status.
_PRIORITY = {
    "salesforce": {"high": "High", "normal": "Normal"},
    "hubspot": {"high": "HIGH", "normal": "MEDIUM"},
    "pipedrive": {"high": "High", "normal": "Medium"},
}
_TYPE = {
    "hubspot": {"lead": "CALL", "deal": "TODO"},
    "pipedrive": {"lead": "call", "deal": "task"},
}


def crm_tasks(result: FollowupExceptions, crm: str, config: ClientConfig, language: str) -> pd.DataFrame:
    """One task per exception, in the columns ``crm`` imports (:data:`CRM_COLUMNS`), ranked as the
    exceptions: the subject and description in ``language``, due on ``due`` (ISO date), owned by
    the rep as named in the exports, related to the deal (and lead) by their ids in the exports."""
    if crm not in CRM_COLUMNS:
        raise ValueError(f"unknown CRM '{crm}'; known: {', '.join(CRMS)}")
    due = result.as_of.isoformat()  # due on the as-of day: these are late already
    rows = []
    for _, row in result.exceptions.iterrows():
        fields = {
            "subject": label(f"followups.task.subject.{row['kind']}", language, who=who(row)),
            "due_date": due,
            "owner": _text(row["owner"]),
            "deal_id": _text(row["deal_id"]),
            "lead_id": _text(row["lead_id"]),
            "priority": _PRIORITY[crm][str(row["priority"])],
            "status": "Not Started",
            "type": _TYPE.get(crm, {}).get(str(row["record_type"])),
            "description": action_text(row, config, language),
        }
        rows.append({header: fields[name] for header, name in CRM_COLUMNS[crm]})
    return pd.DataFrame(rows, columns=[header for header, _ in CRM_COLUMNS[crm]])


def render_text(result: FollowupExceptions, config: ClientConfig, language: str, width: int = 100) -> str:
    """The exceptions as plain text for a terminal: one block per follow-up, ranked."""
    from strategy_kit.i18n import format_value

    frame = exceptions_frame(result, config, language)
    blocks = []
    for number, (_, row) in enumerate(frame.iterrows(), start=1):
        amount = format_value(row["amount"], "currency", language, config.currency)
        where = " · ".join(str(part) for part in (row["kind"], row["owner"], row["stage"], amount) if _text(part))
        blocks.append(f"{number:>4}. {where}\n      {row['action']}")
    return "\n".join(blocks) + ("\n" if blocks else "")
