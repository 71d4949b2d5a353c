"""The corrective-action projection: one `corrective_actions` row per notice, one acknowledgement row.

Rows are written from the aggregate's state after its new events (an upsert of every column), so
projecting a stream once from its whole history — a rebuild — writes what the commands wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_infra.db import Connection

from huifang_reporting.domain.events import CorrectiveAction

#: What a state rebuild empties and refills from the corrective-action streams.
ACTION_TABLES = ("corrective_action_acknowledgements", "corrective_actions")

_UPSERT_ACTION = """
INSERT INTO corrective_actions (action_id, group_id, estate_id, period, metric, dimension, target_percent,
                                actual_percent, numerator, denominator, deadline, issued_at, verified_at,
                                verified_by, effective, verified_percent, note)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[],
                     $8::numeric[], $9::int[], $10::int[], $11::timestamptz[], $12::timestamptz[],
                     $13::timestamptz[], $14::text[], $15::bool[], $16::numeric[], $17::text[])
ON CONFLICT (action_id) DO UPDATE SET
    target_percent = EXCLUDED.target_percent, actual_percent = EXCLUDED.actual_percent,
    numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, deadline = EXCLUDED.deadline,
    issued_at = EXCLUDED.issued_at, verified_at = EXCLUDED.verified_at, verified_by = EXCLUDED.verified_by,
    effective = EXCLUDED.effective, verified_percent = EXCLUDED.verified_percent, note = EXCLUDED.note
"""

_UPSERT_ACKNOWLEDGEMENT = """
INSERT INTO corrective_action_acknowledgements (action_id, acknowledged_by, acknowledged_at, note)
SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
ON CONFLICT (action_id) DO UPDATE SET acknowledged_by = EXCLUDED.acknowledged_by,
    acknowledged_at = EXCLUDED.acknowledged_at, note = EXCLUDED.note
"""


def _action_row(action: CorrectiveAction) -> tuple[Any, ...]:
    n, v = action.notice, action.verification
    assert n is not None
    dimension = n.dimension.value if n.dimension is not None else ""
    return (
        n.action_id,
        n.group_id,
        n.estate_id,
        n.period,
        n.metric.value,
        dimension,
        n.target_percent,
        n.actual_percent,
        n.numerator,
        n.denominator,
        n.deadline,
        n.issued_at,
        v.at if v else None,
        v.by if v else None,
        v.effective if v else None,
        v.actual_percent if v else None,
        v.note if v else None,
    )


async def write_actions(conn: Connection, actions: Sequence[CorrectiveAction]) -> None:
    """Upsert the rows of these states (states without a notice have no row)."""
    rows = [_action_row(a) for a in actions if a.notice is not None]
    if rows:
        await conn.execute(_UPSERT_ACTION, *(list(column) for column in zip(*rows, strict=True)))
    acks = [
        (a.notice.action_id, a.acknowledgement.by, a.acknowledgement.at, a.acknowledgement.note)
        for a in actions
        if a.notice is not None and a.acknowledgement is not None
    ]
    if acks:
        await conn.execute(_UPSERT_ACKNOWLEDGEMENT, *(list(column) for column in zip(*acks, strict=True)))


async def acknowledgement(conn: Connection, action_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        """SELECT acknowledged_by, acknowledged_at, note FROM corrective_action_acknowledgements
           WHERE action_id = $1""",
        action_id,
    )
    return dict(row) if row is not None else None
