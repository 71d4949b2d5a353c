"""The monthly roll-up per estate: recounted from the facts for every estate-month a batch touched.

Recounting (not incrementing) makes the roll-up a function of the facts alone: redelivery, late and
out-of-order events, and a replay from the start of the log all give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from huifang_infra.db import Connection

from huifang_reporting.adapters.months import Key

_REFRESH = """
WITH keys AS (
    SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::text[]) AS k(group_id, estate_id, month)
), cb AS (
    SELECT c.group_id, c.estate_id, c.month,
           count(*) FILTER (WHERE due_at IS NOT NULL) AS required,
           count(*) FILTER (WHERE due_at IS NOT NULL AND completed_at IS NOT NULL) AS required_done,
           count(*) FILTER (WHERE completed_at IS NOT NULL) AS completed,
           count(*) FILTER (WHERE completed_at IS NOT NULL AND satisfied_or_fair) AS satisfied,
           count(*) FILTER (WHERE completed_at IS NOT NULL AND NOT late) AS on_time,
           count(*) FILTER (WHERE completed_at IS NULL AND failed_at IS NOT NULL) AS failed,
           count(*) FILTER (WHERE overdue_at IS NOT NULL) AS overdue,
           count(*) FILTER (WHERE completed_at IS NOT NULL AND kind = 'complaint') AS complaint_cb,
           count(*) FILTER (WHERE completed_at IS NOT NULL AND kind = 'complaint' AND satisfied_or_fair)
               AS complaint_cb_satisfied
    FROM callbacks c JOIN keys k USING (group_id, estate_id, month)
    GROUP BY 1, 2, 3
), q AS (
    SELECT q.group_id, q.estate_id, q.month, count(*) AS returned,
           count(*) FILTER (WHERE (q.answers -> 'overall' ->> 'ok')::boolean) AS overall_satisfied
    FROM questionnaires q JOIN keys k USING (group_id, estate_id, month)
    GROUP BY 1, 2, 3
), camp AS (
    SELECT c.group_id, c.estate_id, c.month, sum(c.issued_count) AS issued,
           sum(CASE WHEN c.closed THEN c.returned_count ELSE (
               SELECT count(*) FROM questionnaires x WHERE x.group_id = c.group_id
                 AND x.estate_id = c.estate_id AND x.campaign_id = c.campaign_id) END) AS returned
    FROM campaigns c JOIN keys k USING (group_id, estate_id, month)
    GROUP BY 1, 2, 3
), cp AS (
    SELECT c.group_id, c.estate_id, c.month, count(*) AS received,
           count(*) FILTER (WHERE grade = 'general') AS general,
           count(*) FILTER (WHERE grade = 'important') AS important,
           count(*) FILTER (WHERE grade = 'major') AS major,
           count(*) FILTER (WHERE validity = 'valid') AS valid,
           count(*) FILTER (WHERE validity = 'coordination') AS coordination,
           count(*) FILTER (WHERE validity = 'invalid') AS invalid
    FROM complaints c JOIN keys k USING (group_id, estate_id, month)
    GROUP BY 1, 2, 3
)
INSERT INTO estate_month_kpis
SELECT k.group_id, k.estate_id, k.month,
       COALESCE(cb.required, 0), COALESCE(cb.required_done, 0), COALESCE(cb.completed, 0),
       COALESCE(cb.satisfied, 0), COALESCE(cb.on_time, 0), COALESCE(cb.failed, 0), COALESCE(cb.overdue, 0),
       COALESCE(cb.complaint_cb, 0), COALESCE(cb.complaint_cb_satisfied, 0),
       COALESCE(q.returned, 0), COALESCE(q.overall_satisfied, 0),
       COALESCE(camp.issued, 0), COALESCE(camp.returned, 0),
       COALESCE(cp.received, 0), COALESCE(cp.general, 0), COALESCE(cp.important, 0), COALESCE(cp.major, 0),
       COALESCE(cp.valid, 0), COALESCE(cp.coordination, 0), COALESCE(cp.invalid, 0)
FROM keys k
LEFT JOIN cb USING (group_id, estate_id, month)
LEFT JOIN q USING (group_id, estate_id, month)
LEFT JOIN camp USING (group_id, estate_id, month)
LEFT JOIN cp USING (group_id, estate_id, month)
WHERE cb.month IS NOT NULL OR q.month IS NOT NULL OR camp.month IS NOT NULL OR cp.month IS NOT NULL
"""


async def refresh(conn: Connection, keys: Iterable[Key]) -> None:
    """Recount the roll-up rows of these estate-months (rows with no facts left disappear)."""
    keys = sorted(set(keys))  # sorted: concurrent refreshes lock rows in one order
    if not keys:
        return
    columns = [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys]
    await conn.execute(
        """DELETE FROM estate_month_kpis t USING unnest($1::text[], $2::text[], $3::text[]) AS k(g, e, m)
           WHERE t.group_id = k.g AND t.estate_id = k.e AND t.month = k.m""",
        *columns,
    )
    await conn.execute(_REFRESH, *columns)
