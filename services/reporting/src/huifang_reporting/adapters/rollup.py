"""The monthly roll-up per estate: recounted from the facts, never incremented.

Recounting makes the roll-up a function of the facts alone: redelivery, late and out-of-order
events, and a replay from the start of the log all give the same rows. The consumer does not call
this: every change of a counted fact marks its months, and the database recounts the marked months
once at commit (migration 0003), so a poll of a thousand events recounts each estate-month once.
These helpers recount on demand (checks, repairs). What `reporting_recount` counts is the rule of
`domain/counting.py`, held in SQL for the commit; tests/reporting/integration/test_rules_agree.py keeps
the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable

from huifang_infra.db import Connection

from huifang_reporting.adapters.months import Key

#: Every estate-month any counted fact is in.
_ALL_KEYS = """
SELECT group_id, estate_id, month FROM callbacks WHERE month IS NOT NULL
UNION SELECT group_id, estate_id, month FROM questionnaires WHERE month IS NOT NULL
UNION SELECT group_id, estate_id, month FROM campaigns WHERE month IS NOT NULL
UNION SELECT group_id, estate_id, month FROM complaints WHERE month IS NOT NULL
UNION SELECT group_id, estate_id, month FROM estate_month_kpis
"""


async def recount(conn: Connection, keys: Iterable[Key]) -> None:
    """Recount these estate-months and their quarters now (rows with no facts left disappear)."""
    keys = sorted(set(keys))
    if keys:
        await conn.execute(
            "SELECT reporting_recount($1::text[], $2::text[], $3::text[])",
            [k[0] for k in keys],
            [k[1] for k in keys],
            [k[2] for k in keys],
        )


async def recount_everything(conn: Connection) -> None:
    """Recount every estate-month there is (a repair, and the check that the marks missed nothing)."""
    rows = await conn.fetch(_ALL_KEYS)
    await recount(conn, [(r["group_id"], r["estate_id"], r["month"]) for r in rows])
