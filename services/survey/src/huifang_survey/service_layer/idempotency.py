"""One record per submission: the first request with a key stores its response, a repeat gets it back.

The key row is inserted first, in the transaction that does the work: a concurrent repeat waits on the
key's unique index until the first commits, then reads its response; a failed first attempt rolls the
key back with everything else, so the client may retry with the same key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from huifang_infra.db import Connection

from huifang_survey.domain.errors import Conflict

Work = Callable[[], Awaitable[tuple[int, dict[str, Any]]]]


async def once(
    conn: Connection, group_id: str, caller: str, key: str | None, resource: str, work: Work
) -> tuple[int, dict[str, Any], bool]:
    """(status, body, replayed): runs `work` unless the caller already used this key for this resource.

    Keys are the caller's own (two clerks' devices may both count from 1), so they are stored per caller.
    """
    if key is None:
        status, body = await work()
        return status, body, False
    submission_id = f"{caller}/{key}"
    claimed = await conn.fetchval(
        """INSERT INTO submissions (group_id, submission_id, resource) VALUES ($1, $2, $3)
           ON CONFLICT (group_id, submission_id) DO NOTHING RETURNING true""",
        group_id,
        submission_id,
        resource,
    )
    if not claimed:
        row = await conn.fetchrow(
            "SELECT resource, status_code, response FROM submissions WHERE group_id = $1 AND submission_id = $2",
            group_id,
            submission_id,
        )
        if row is None or row["resource"] != resource or row["response"] is None:
            raise Conflict(f"submission id {submission_id} was already used for another request")
        return int(row["status_code"]), dict(row["response"]), True
    status, body = await work()
    await conn.execute(
        "UPDATE submissions SET status_code = $3, response = $4 WHERE group_id = $1 AND submission_id = $2",
        group_id,
        submission_id,
        status,
        body,
    )
    return status, body, False
