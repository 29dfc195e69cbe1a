"""The canonical sales data model: every table and column the analyses rely on.

Imports map a client's exports onto these tables; analyses read nothing else.
docs/data-model.md is the human-readable version of this module (a test keeps
them in step). Every table is optional (a client may have only calls, or only revenue
lines; an import maps at least one) and an analysis that needs a missing one raises
:class:`~strategy_kit.errors.UnavailableError`.

Column kinds:

- ``id`` — text identifier (stored as string);
- ``text`` — free text; ``category`` — a small set of repeated labels (owner, product...);
- ``datetime`` — a timestamp in the client's time zone, without zone (date-only values are midnight);
- ``number`` — a decimal amount; ``integer`` — a whole count; ``boolean`` — true/false.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("open", "won", "lost")
ACTIVITY_TYPES = ("call", "email", "meeting", "linkedin", "task", "other")
DIRECTIONS = ("outbound", "inbound")
# Outcomes per activity type; KPIS.md reads them (open/reply rates, connect rate...).
ACTIVITY_OUTCOMES = {
    "call": ("connected", "meeting_booked", "callback_requested", "no_answer", "voicemail", "wrong_number", "refused"),
    "email": ("sent", "opened", "replied", "bounced"),
    "linkedin": ("sent", "accepted", "declined"),
    "meeting": ("held", "cancelled", "no_show"),
    "task": ("done", "open"),
    "other": (),
}
CALL_REACHED = ("connected", "meeting_booked", "callback_requested")
# Account events that make a call timely (METHOD.md section 7, "trigger events").
EVENT_TYPES = ("fundraising", "hiring", "new_executive", "acquisition", "expansion", "other")
# Breakdowns every dated row has, derived from its date (not columns: no table may use these names).
CALENDAR_DIMENSIONS = ("weekday", "hour", "month")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    description: str = ""
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    key: str | None
    columns: tuple[Column, ...]
    description: str = ""
    required: bool = False

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "deals",
            "deal_id",
            description="One row per opportunity (deal), open or closed.",
            columns=(
                Column("deal_id", "id", True, "Unique deal identifier."),
                Column("name", "text", description="Deal title."),
                Column("account_id", "id", description="The account (company) the deal is with."),
                Column("owner", "category", description="The rep who owns the deal."),
                Column("stage", "category", description="Current stage id (one of the client's stages)."),
                Column("status", "category", True, "open, won or lost (never guessed from the stage).", STATUSES),
                Column("value", "number", description="Deal amount in the client's currency (won amount once won)."),
                Column("created_at", "datetime", description="When the deal entered the pipeline."),
                Column("closed_at", "datetime", description="When it was won or lost (empty while open)."),
                Column("expected_close_at", "datetime", description="Forecast close date of an open deal."),
                Column("product", "category", description="Main product or service."),
                Column("source", "category", description="Lead source / channel."),
                Column("lost_reason", "category", description="Why a lost deal was lost."),
                Column("probability", "number", description="Win probability in [0, 1] as exported."),
                Column("pipeline", "category", description="Pipeline name when the CRM has several."),
                Column("lead_id", "id", description="The lead the deal came from."),
            ),
        ),
        Table(
            "accounts",
            "account_id",
            description="Companies: prospects and customers, with firmographics.",
            columns=(
                Column("account_id", "id", True, "Unique account identifier (often the company name)."),
                Column("name", "text", description="Company name."),
                Column("sector", "category", description="Industry / sector."),
                Column("employees", "integer", description="Number of employees."),
                Column("size_band", "category", description="Company-size band (e.g. 1-9, 10-49...)."),
                Column("annual_revenue", "number", description="The company's own annual revenue."),
                Column("region", "category", description="Region or office location."),
                Column("country", "category", description="Country."),
                Column("parent_account", "id", description="Parent company, when a subsidiary."),
                Column("created_at", "datetime", description="When the account was created in the CRM."),
                Column("churned_at", "datetime", description="When the customer left, if it did."),
                Column("churn_reason", "category", description="Why the customer left."),
            ),
        ),
        Table(
            "leads",
            "lead_id",
            description="Leads (prospects not yet opportunities).",
            columns=(
                Column("lead_id", "id", True, "Unique lead identifier."),
                Column("created_at", "datetime", description="When the lead arrived."),
                Column("owner", "category", description="Rep the lead is assigned to."),
                Column("source", "category", description="Lead source / channel."),
                Column("status", "category", description="Lead status as exported."),
                Column("account_id", "id", description="Company of the lead, when known."),
                Column("sector", "category", description="Industry of the lead's company."),
                Column("employees", "integer", description="Employees of the lead's company."),
                Column("region", "category", description="Region of the lead."),
                Column("converted_at", "datetime", description="When it became a deal."),
                Column("deal_id", "id", description="The deal it became, if any."),
            ),
        ),
        Table(
            "stage_history",
            None,
            description="One row per stage a deal entered, with when.",
            columns=(
                Column("deal_id", "id", True, "The deal."),
                Column("stage", "category", True, "Stage id entered."),
                Column("entered_at", "datetime", description="When the deal entered the stage (empty when inferred)."),
                Column("inferred", "boolean", description="True when derived from the current stage, not recorded."),
            ),
        ),
        Table(
            "activities",
            "activity_id",
            description="Calls, emails, meetings, LinkedIn requests and tasks.",
            columns=(
                Column("activity_id", "id", True, "Unique activity identifier."),
                Column("type", "category", True, "call, email, meeting, linkedin, task or other.", ACTIVITY_TYPES),
                Column("at", "datetime", True, "When it happened (or was due)."),
                Column("owner", "category", description="The rep who did it."),
                Column(
                    "direction", "category", description="outbound or inbound (default outbound).", allowed=DIRECTIONS
                ),
                Column("outcome", "category", description="Outcome (see docs/data-model.md for the values per type)."),
                Column("deal_id", "id", description="The deal it was about."),
                Column("lead_id", "id", description="The lead it was about."),
                Column("account_id", "id", description="The account it was about."),
                Column("duration_seconds", "number", description="Call or meeting duration."),
                Column("subject", "text", description="Subject line."),
            ),
        ),
        Table(
            "revenue",
            "invoice_id",
            description="Revenue lines (invoices), when the client provides them.",
            columns=(
                Column("invoice_id", "id", True, "Unique line identifier."),
                Column("account_id", "id", True, "The paying account."),
                Column("date", "datetime", True, "Invoice date."),
                Column("amount", "number", True, "Amount in the client's currency, before tax."),
                Column("product", "category", description="Product or service invoiced."),
                Column("deal_id", "id", description="The deal it comes from."),
            ),
        ),
        Table(
            "targets",
            None,
            description="Targets already set, per owner and month (optional).",
            columns=(
                Column("owner", "category", description="Rep (empty for a team target)."),
                Column("month", "datetime", True, "First day of the month targeted."),
                Column("kpi", "category", True, "KPI id from KPIS.md."),
                Column("target", "number", True, "Target value."),
            ),
        ),
        Table(
            "reps",
            "owner",
            description="The sales team: one row per rep.",
            columns=(
                Column("owner", "category", True, "Rep name, as in deals.owner."),
                Column("manager", "category", description="The rep's manager."),
                Column("team", "category", description="Team or regional office."),
                Column("start_date", "datetime", description="When the rep joined."),
            ),
        ),
        Table(
            "products",
            "product",
            description="The product catalogue.",
            columns=(
                Column("product", "category", True, "Product name, as in deals.product."),
                Column("family", "category", description="Product family / series."),
                Column("list_price", "number", description="List price."),
            ),
        ),
        Table(
            "events",
            None,
            description="Account events (trigger events): fundraising, hires, acquisitions...",
            columns=(
                Column("account_id", "id", True, "The account the event is about."),
                Column(
                    "type",
                    "category",
                    description="fundraising, hiring, new_executive, acquisition, expansion or other.",
                    allowed=EVENT_TYPES,
                ),
                Column("date", "datetime", True, "When the event happened or was announced."),
                Column("source", "text", description="Where it was seen (press, LinkedIn, registry...)."),
                Column("description", "text", description="What happened, in a few words."),
            ),
        ),
    )
}

TABLE_ORDER = tuple(TABLES)
