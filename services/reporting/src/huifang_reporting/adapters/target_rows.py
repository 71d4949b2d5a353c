"""The target streams' projection: one `targets` row per group or estate, KPI and dimension — the setting
in force, upserted whole from the stream's state (so a rebuild writes what the commands wrote)."""

from __future__ import annotations

from collections.abc import Sequence

from huifang_infra.db import Connection

from huifang_reporting.domain.events import KpiTarget

#: What a state rebuild empties and refills from the target streams.
TARGET_TABLES = ("targets",)

_UPSERT = """
INSERT INTO targets (group_id, estate_id, metric, dimension, target_percent, set_by, set_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (group_id, estate_id, metric, dimension)
DO UPDATE SET target_percent = EXCLUDED.target_percent, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at"""


async def write_targets(conn: Connection, targets: Sequence[KpiTarget]) -> None:
    rows = {}
    for t in targets:
        c = t.current
        if c is None:
            continue
        dimension = c.dimension.value if c.dimension is not None else ""
        rows[(c.group_id, c.estate_id, c.metric, dimension)] = (
            c.group_id, c.estate_id, c.metric.value, dimension, c.target_percent, c.set_by, c.set_at,
        )  # fmt: skip
    if rows:
        await conn.executemany(_UPSERT, list(rows.values()))
