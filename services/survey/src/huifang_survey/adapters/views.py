"""Read side: callbacks, attempts and records in the caller's scope; times shown in the estate's zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from huifang_contracts.enums import AttemptResult, Satisfaction3, Satisfaction4
from huifang_infra.auth import Principal
from huifang_infra.db import Connection

from huifang_survey.domain.ratings import form_scale

SCOPE = "c.group_id = $1 AND ($2::text[] IS NULL OR c.estate_id = ANY($2::text[]))"
LABELS = {**{s.value: s.label_zh for s in Satisfaction4}, **{s.value: s.label_zh for s in Satisfaction3}}


def local(value: datetime | None, timezone: str | None) -> str | None:
    """Stored UTC, shown in the estate's local time."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(timezone or "Asia/Shanghai")).isoformat()


async def callbacks(
    conn: Connection, principal: Principal, *, status: str | None, assignee: str | None
) -> list[dict[str, Any]]:
    scope = principal.scope_filter()
    rows = await conn.fetch(
        f"""SELECT c.callback_id, c.estate_id, c.status, c.method, c.deadline, c.assignee_id, c.attempts_used,
                   c.max_attempts, c.unit_id, c.requester_name, e.timezone
            FROM callbacks c LEFT JOIN estates e ON e.group_id = c.group_id AND e.estate_id = c.estate_id
            WHERE {SCOPE} AND c.scheduled AND ($3::text IS NULL OR c.status = $3)
              AND ($4::text IS NULL OR c.assignee_id = $4)
            ORDER BY c.deadline NULLS LAST, c.callback_id LIMIT 500""",
        scope.group_id,
        scope.estate_ids,
        status,
        assignee,
    )
    return [
        {k: v for k, v in dict(r).items() if k not in ("deadline", "timezone")}
        | {"deadline": r["deadline"].isoformat() if r["deadline"] else None}
        | {"deadline_local": local(r["deadline"], r["timezone"])}
        for r in rows
    ]


async def callback(conn: Connection, principal: Principal, callback_id: str) -> dict[str, Any] | None:
    scope = principal.scope_filter()
    row = await conn.fetchrow(
        f"""SELECT c.*, e.timezone, e.callback_scale, s.name AS assignee_name FROM callbacks c
            LEFT JOIN estates e ON e.group_id = c.group_id AND e.estate_id = c.estate_id
            LEFT JOIN staff s ON s.group_id = c.group_id AND s.staff_id = c.assignee_id
            WHERE {SCOPE} AND c.callback_id = $3""",
        scope.group_id,
        scope.estate_ids,
        callback_id,
    )
    if row is None:
        return None
    tz = row["timezone"]
    scale = form_scale(row["scale"], row["callback_scale"])
    attempts = await conn.fetch(
        "SELECT * FROM callback_attempts WHERE callback_id = $1 ORDER BY attempt_no", callback_id
    )
    record = await conn.fetchrow("SELECT * FROM callback_records WHERE callback_id = $1", callback_id)
    return {
        "callback_id": callback_id,
        "estate_id": row["estate_id"],
        "status": row["status"],
        "method": row["method"],
        "assignee_id": row["assignee_id"],
        "assignee_name": row["assignee_name"],
        "scale": scale.value,  # the form must rate on this scale (R-SV-3); the staff console reads it
        "scale_zh": scale.label_zh,
        "max_attempts": row["max_attempts"],
        "attempts_used": row["attempts_used"],
        "deadline": row["deadline"].isoformat() if row["deadline"] else None,
        "deadline_local": local(row["deadline"], tz),
        "attempts": [
            {
                "attempt_no": a["attempt_no"],
                "result": a["result"],
                "result_zh": AttemptResult(a["result"]).label_zh,
                "caller_id": a["caller_id"],
                "contacted_at": a["contacted_at"].isoformat(),
                "contacted_at_local": local(a["contacted_at"], tz),
                "record_late": a["record_late"],
            }
            for a in attempts
        ],
        "record": _record(record, tz) if record is not None else None,
    }


def _record(r: Any, tz: str | None) -> dict[str, Any]:
    ratings = dict(r["ratings"])
    return {
        "caller_id": r["caller_id"],
        "method": r["method"],
        "completed_at": r["completed_at"].isoformat(),
        "completed_at_local": local(r["completed_at"], tz),
        "recorded_at_local": local(r["recorded_at"], tz),
        "answered_by": r["answered_by"],
        "relation": r["relation"],
        "ratings": ratings,
        "ratings_zh": {k: LABELS.get(v, v) for k, v in ratings.items() if k != "scale" and v is not None},
        "satisfied_or_fair": r["satisfied_or_fair"],
        "comments": r["comments"],
        "suggestions": r["suggestions"],
        "late": r["late"],
        "record_late": r["record_late"],
        "attempts_used": r["attempts_used"],
    }
