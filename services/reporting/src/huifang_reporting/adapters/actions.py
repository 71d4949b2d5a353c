"""Reading reporting's own state: targets, closed months, corrective actions; writing summary comments.

Targets, closed months and corrective actions are projections of their streams (`adapters/target_rows.py`,
`closed_month_rows.py`, `action_rows.py`), only read here; the managers' comments are written here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from huifang_contracts.enums import Metric
from huifang_infra.auth import Scope
from huifang_infra.db import Connection

from huifang_reporting.domain.months import DEFAULT_ZONE
from huifang_reporting.domain.targets import TargetRow

_SCOPE = "group_id = $1 AND ($2::text[] IS NULL OR estate_id = ANY($2::text[]))"


async def target_rows(conn: Connection, group_id: str) -> list[TargetRow]:
    rows = await conn.fetch("SELECT estate_id, metric, target_percent FROM targets WHERE group_id = $1", group_id)
    return [TargetRow(r["estate_id"], Metric(r["metric"]), float(r["target_percent"])) for r in rows]


async def months_due_for_closing(conn: Connection, now: datetime, grace_days: int, limit: int = 500) -> list[Any]:
    """Estate-months with figures, not closed yet, whose local end + grace has passed at `now`."""
    return await conn.fetch(
        """SELECT k.group_id, k.estate_id, k.month FROM estate_month_kpis k
           LEFT JOIN estates e USING (group_id, estate_id)
           WHERE NOT EXISTS (SELECT 1 FROM closed_months c WHERE c.group_id = k.group_id
                               AND c.estate_id = k.estate_id AND c.month = k.month)
             AND (((k.month || '-01')::date + interval '1 month')::timestamp
                  AT TIME ZONE COALESCE(e.timezone, $4)) + make_interval(days => $2) <= $1
           ORDER BY k.month, k.group_id, k.estate_id LIMIT $3""",
        now,
        grace_days,
        limit,
        DEFAULT_ZONE,
    )


async def list_actions(conn: Connection, scope: Scope, period: str | None) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        f"""SELECT * FROM corrective_actions WHERE {_SCOPE} AND ($3::text IS NULL OR period = $3)
            ORDER BY period, estate_id, metric""",
        scope.group_id,
        scope.estate_ids,
        period,
    )
    return [dict(r) for r in rows]


async def action(conn: Connection, action_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        "SELECT * FROM corrective_actions WHERE action_id = $1" + (" FOR UPDATE" if lock else ""), action_id
    )
    return dict(row) if row is not None else None


async def comment(conn: Connection, group_id: str, estate_id: str, summary: str, period: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        """SELECT comment, written_by, written_at FROM summary_comments
           WHERE group_id = $1 AND estate_id = $2 AND summary = $3 AND period = $4""",
        group_id,
        estate_id,
        summary,
        period,
    )
    return dict(row) if row is not None else None


async def write_comment(
    conn: Connection, group_id: str, estate_id: str, summary: str, period: str, text: str, by: str, at: datetime
) -> None:
    await conn.execute(
        """INSERT INTO summary_comments VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (group_id, estate_id, summary, period)
           DO UPDATE SET comment = EXCLUDED.comment, written_by = EXCLUDED.written_by,
                         written_at = EXCLUDED.written_at""",
        group_id,
        estate_id,
        summary,
        period,
        text,
        by,
        at,
    )
