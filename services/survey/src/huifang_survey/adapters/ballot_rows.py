"""The ballot streams' projection: one `ballots` row per link, set from the ballot's state after its events.

The row is upserted whole from the state (an import too), so projecting a stream's events once or its
whole history in a rebuild leaves the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from huifang_infra.db import Connection

from huifang_survey.domain.events import IssuedBallot

#: What a state rebuild empties and refills from the ballot streams.
BALLOT_TABLES = ("ballots",)

_UPSERT = """
INSERT INTO ballots (token_digest, kind, group_id, estate_id, campaign_id, callback_id, unit_id, issued_at,
                     expires_at, used_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (token_digest) DO UPDATE SET expires_at = EXCLUDED.expires_at, used_at = EXCLUDED.used_at"""


def _row(state: IssuedBallot, group_id: str, estate_id: str) -> tuple[Any, ...]:
    i = state.issued
    assert i is not None
    return (
        i.token_digest, i.kind, group_id, estate_id, i.campaign_id, i.callback_id, i.unit_id, i.issued_at,
        state.expires_at, state.used_at,
    )  # fmt: skip


async def write_ballots(conn: Connection, changes: Sequence[tuple[str, str, IssuedBallot]]) -> None:
    """Each change: (group, estate, the ballot's state after its new events)."""
    latest = {s.issued.token_digest: _row(s, g, e) for g, e, s in changes if s.issued is not None}
    if latest:
        await conn.executemany(_UPSERT, list(latest.values()))


async def open_links_of(conn: Connection, campaign_id: str, now: datetime) -> list[str]:
    """The digests of the campaign's links that could still be answered after `now`: what its close cuts short."""
    rows = await conn.fetch(
        "SELECT token_digest FROM ballots WHERE campaign_id = $1 AND used_at IS NULL AND expires_at > $2"
        " ORDER BY token_digest",
        campaign_id,
        now,
    )
    return [r["token_digest"] for r in rows]
