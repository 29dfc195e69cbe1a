"""The KPIs bench_kpis.py checks, written independently as DuckDB SQL from their definitions.

Each query reads the canonical tables under the names ``{deals}``, ``{activities}``, ``{leads}``
and ``{stage_history}`` (a registered DataFrame or Arrow table) and returns one row per
group: the whole period (``is_total = 1``) and each owner (``is_total = 0``, ``grp`` the owner,
``(none)`` for rows without one). The meanings are KPIS.md's (the contract), and where it is
silent, docs/kpis.md's decisions:

- "in P": the date part of the timestamp in [start, end], i.e. ``start <= t < end + 1 day``;
- durations in days are differences of calendar dates; medians are ordinary medians;
- an activity without direction is outbound; lead response counts only outbound activities at
  or after the lead's created_at (and "within 24 hours" includes exactly 24 h);
- a sum over rows that all lack their value is null, over no row 0; a rate without denominator null;
- the stage history is read per deal in path order (by time, then stage; an undated row sorts at
  its lower bound: after the deal's creation and its first dated entry into an earlier stage,
  before its close and its first dated entry into a later stage; at an equal time and stage, the
  dated row first: an undated row sorts "after the dated row that sets it"); consecutive rows of
  the same stage are one stay (the first kept); the last stage (won) has no per-stage KPI;
- "entered <stage> in P": a dated row in P, or an undated row whose bounds lie in P (the first
  entry per deal, a dated one first); "went on": the deal is won, or has a row for a later stage
  entered at or after that entry (an undated one counts); a stay is measured when its own row is
  dated and the next row of the path is dated in P.

The owner of a deal KPI is the deal's, of an activity KPI the activity's own, of a lead KPI the
lead's own, of a stage KPI the deal's.
"""

from __future__ import annotations

from datetime import date, timedelta

DEAL_KPIS = ("new_deals", "deals_won", "deals_lost", "win_rate", "won_value", "sales_cycle_days")
ACTIVITY_KPIS = ("calls_made", "emails_sent", "meetings_held", "call_connect_rate")
LEAD_KPIS = ("new_leads", "lead_response_hours", "leads_contacted_24h_rate")
STAGE_KPIS = ("stage_conversion", "time_in_stage_days")
# A group without any row of the KPI: 0 for counts and sums, null for rates and medians.
ADDITIVE = frozenset({"new_deals", "deals_won", "deals_lost", "won_value", "calls_made", "emails_sent"})
ADDITIVE |= {"meetings_held", "new_leads"}

OWNER = "coalesce(CAST(owner AS VARCHAR), '(none)')"


def _bounds(start: date, end: date) -> dict[str, str]:
    return {
        "start": f"TIMESTAMP '{start.isoformat()}'",
        "after": f"TIMESTAMP '{(end + timedelta(days=1)).isoformat()}'",
    }


def deals_query(start: date, end: date) -> str:
    """new_deals, deals_won, deals_lost, win_rate, won_value, sales_cycle_days."""
    b = _bounds(start, end)
    return f"""
        WITH d AS (
            SELECT owner, value, created_at,
                   created_at >= {b["start"]} AND created_at < {b["after"]} AS created_in,
                   status = 'won' AND closed_at >= {b["start"]} AND closed_at < {b["after"]} AS won,
                   status = 'lost' AND closed_at >= {b["start"]} AND closed_at < {b["after"]} AS lost,
                   date_diff('day', CAST(created_at AS DATE), CAST(closed_at AS DATE)) AS cycle
            FROM {{deals}}
            WHERE (created_at >= {b["start"]} AND created_at < {b["after"]})
               OR (closed_at >= {b["start"]} AND closed_at < {b["after"]})
        )
        SELECT grouping(owner) AS is_total, {OWNER} AS grp,
               count(*) FILTER (WHERE created_in) AS new_deals,
               count(*) FILTER (WHERE won) AS deals_won,
               count(*) FILTER (WHERE lost) AS deals_lost,
               count(*) FILTER (WHERE won) / nullif(count(*) FILTER (WHERE won OR lost), 0) AS win_rate,
               CASE WHEN count(*) FILTER (WHERE won) > 0 AND count(value) FILTER (WHERE won) = 0 THEN NULL
                    ELSE coalesce(sum(value) FILTER (WHERE won), 0) END AS won_value,
               median(cycle) FILTER (WHERE won AND created_at IS NOT NULL) AS sales_cycle_days
        FROM d
        GROUP BY GROUPING SETS ((), (owner))
    """


def activities_query(start: date, end: date) -> str:
    """calls_made, emails_sent, meetings_held, call_connect_rate."""
    b = _bounds(start, end)
    return f"""
        WITH a AS (
            SELECT owner, type, outcome, direction IS NULL OR direction <> 'inbound' AS outbound
            FROM {{activities}}
            WHERE "at" >= {b["start"]} AND "at" < {b["after"]}
        )
        SELECT grouping(owner) AS is_total, {OWNER} AS grp,
               count(*) FILTER (WHERE type = 'call') AS calls_made,
               count(*) FILTER (WHERE type = 'email' AND outbound) AS emails_sent,
               count(*) FILTER (WHERE type = 'meeting') AS meetings_held,
               count(*) FILTER (WHERE type = 'call' AND outcome IN ('connected', 'meeting_booked', 'callback_requested'))
                   / nullif(count(*) FILTER (WHERE type = 'call'), 0) AS call_connect_rate
        FROM a
        GROUP BY GROUPING SETS ((), (owner))
    """


def leads_query(start: date, end: date) -> str:
    """new_leads, lead_response_hours, leads_contacted_24h_rate."""
    b = _bounds(start, end)
    return f"""
        WITH l AS (
            SELECT lead_id, owner, created_at
            FROM {{leads}}
            WHERE created_at >= {b["start"]} AND created_at < {b["after"]}
        ),
        first_contact AS (  -- the first outbound activity at or after the lead's creation
            SELECT l.lead_id, min(a."at") AS first_at
            FROM l JOIN {{activities}} a ON a.lead_id = l.lead_id
            WHERE (a.direction IS NULL OR a.direction <> 'inbound') AND a."at" >= l.created_at
            GROUP BY l.lead_id
        )
        SELECT grouping(owner) AS is_total, {OWNER} AS grp,
               count(*) AS new_leads,
               median((epoch_ns(first_at) - epoch_ns(created_at)) / 3.6e12) AS lead_response_hours,
               count(*) FILTER (WHERE first_at <= created_at + INTERVAL 24 HOUR) / nullif(count(*), 0)
                   AS leads_contacted_24h_rate
        FROM l LEFT JOIN first_contact USING (lead_id)
        GROUP BY GROUPING SETS ((), (owner))
    """


def stages_query(start: date, end: date, stage_ids: list[str]) -> str:
    """stage_conversion.<stage> and time_in_stage_days.<stage>, one row per group and stage."""
    b = _bounds(start, end)
    stages = ", ".join(f"('{stage}', {rank})" for rank, stage in enumerate(stage_ids))
    last = len(stage_ids) - 1
    return f"""
        WITH stages(stage, rank) AS (VALUES {stages}),
        h AS (  -- rows of known deals and stages, with what their deal says
            SELECT h.deal_id, s.rank, h.entered_at, h.entered_at IS NOT NULL AS dated,
                   d.owner, d.status, d.created_at,
                   CASE WHEN d.status IN ('won', 'lost') THEN d.closed_at END AS closed_at
            FROM {{stage_history}} h
            JOIN {{deals}} d ON d.deal_id = h.deal_id
            JOIN stages s ON s.stage = CAST(h.stage AS VARCHAR)
        ),
        first_entry AS (  -- each deal's first dated entry into each stage
            SELECT deal_id, rank, min(entered_at) AS first_at FROM h WHERE dated GROUP BY deal_id, rank
        ),
        bounds AS (  -- an undated row: after its creation and its first dated entry into an earlier
                     -- stage, before its close and its first dated entry into a later stage
            SELECT u.deal_id, u.rank,
                   greatest(any_value(u.created_at), max(f.first_at) FILTER (WHERE f.rank < u.rank)) AS low_at,
                   least(any_value(u.closed_at), min(f.first_at) FILTER (WHERE f.rank > u.rank)) AS high_at
            FROM (SELECT DISTINCT deal_id, rank, created_at, closed_at FROM h WHERE NOT dated) u
            LEFT JOIN first_entry f ON f.deal_id = u.deal_id
            GROUP BY u.deal_id, u.rank
        ),
        placed AS (
            SELECT h.*, coalesce(h.entered_at, b.low_at) AS sort_at,
                   CAST(coalesce(h.entered_at, b.low_at) AS DATE) AS low_day,
                   CAST(coalesce(h.entered_at, b.high_at) AS DATE) AS high_day
            FROM h LEFT JOIN bounds b ON NOT h.dated AND b.deal_id = h.deal_id AND b.rank = h.rank
        ),
        ordered AS (
            SELECT *, lag(rank) OVER (PARTITION BY deal_id ORDER BY sort_at NULLS FIRST, rank, dated DESC) AS previous_rank
            FROM placed
        ),
        path AS (  -- consecutive rows of the same stage are one stay: the first is kept
            SELECT * EXCLUDE (previous_rank),
                   lead(entered_at) OVER w AS next_at, lead(dated) OVER w AS next_dated
            FROM ordered
            WHERE previous_rank IS DISTINCT FROM rank
            WINDOW w AS (PARTITION BY deal_id ORDER BY sort_at NULLS FIRST, rank, dated DESC)
        ),
        entries AS (  -- the first entry into a stage in P per deal (a dated one first; null: undated)
            SELECT deal_id, rank, any_value(owner) AS owner, any_value(status) AS status,
                   min(entered_at) AS entered_at
            FROM path
            WHERE rank < {last}
              AND ((dated AND entered_at >= {b["start"]} AND entered_at < {b["after"]})
                   OR (NOT dated AND low_day >= DATE '{start.isoformat()}' AND high_day <= DATE '{end.isoformat()}'
                       AND low_day <= high_day))
            GROUP BY deal_id, rank
        ),
        went_on AS (  -- won, or a row for a later stage entered at or after that entry (undated: yes)
            SELECT e.owner, e.rank,
                   e.status = 'won' OR coalesce(bool_or(
                       p.deal_id IS NOT NULL AND (NOT p.dated OR e.entered_at IS NULL OR p.entered_at >= e.entered_at)
                   ), false) AS advanced
            FROM entries e LEFT JOIN path p ON p.deal_id = e.deal_id AND p.rank > e.rank
            GROUP BY e.deal_id, e.rank, e.owner, e.status, e.entered_at
        ),
        stays AS (  -- stays left in P: the next row of the path dated in P, the stage's own row dated
            SELECT owner, rank, date_diff('day', CAST(entered_at AS DATE), CAST(next_at AS DATE)) AS days
            FROM path
            WHERE rank < {last} AND dated AND next_dated AND next_at >= {b["start"]} AND next_at < {b["after"]}
        )
        SELECT 'stage_conversion' AS kpi, grouping(owner) AS is_total, {OWNER} AS grp, rank,
               count(*) FILTER (WHERE advanced) / count(*) AS value
        FROM went_on GROUP BY GROUPING SETS ((rank), (owner, rank))
        UNION ALL
        SELECT 'time_in_stage_days', grouping(owner), {OWNER}, rank, median(days)
        FROM stays GROUP BY GROUPING SETS ((rank), (owner, rank))
    """


def stage_kpi_ids(stage_ids: list[str]) -> list[str]:
    """The per-stage KPIs: every stage but the last (the won stage)."""
    return [f"{kpi}.{stage}" for kpi in STAGE_KPIS for stage in stage_ids[:-1]]
