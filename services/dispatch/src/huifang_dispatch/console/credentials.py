"""The staff_credentials and sign_in_attempts tables (migration 0005)."""

from __future__ import annotations

from datetime import datetime

import asyncpg
from huifang_infra.db import Connection

from huifang_dispatch.console.lockout import FailureState


async def lock_account(conn: Connection, staff_id: str) -> asyncpg.Record | None:
    """The staff member and their credentials (NULL columns when none are set), both rows locked."""
    return await conn.fetchrow(
        """SELECT s.staff_id, s.group_id, s.estate_id, s.name, s.role, s.active,
                  c.password_hash, c.must_change, c.failed_count, c.failure_window_from, c.locked_until,
                  c.tokens_valid_after
           FROM staff s LEFT JOIN staff_credentials c USING (staff_id)
           WHERE s.staff_id = $1 FOR UPDATE OF s""",
        staff_id,
    )


def failure_state(row: asyncpg.Record) -> FailureState:
    return FailureState(row["failed_count"] or 0, row["failure_window_from"], row["locked_until"])


async def save_failures(conn: Connection, staff_id: str, state: FailureState) -> None:
    await conn.execute(
        """UPDATE staff_credentials SET failed_count = $2, failure_window_from = $3, locked_until = $4,
                  updated_at = now() WHERE staff_id = $1""",
        staff_id,
        state.failed_count,
        state.window_from,
        state.locked_until,
    )


async def signed_in(conn: Connection, staff_id: str, at: datetime) -> None:
    await conn.execute(
        """UPDATE staff_credentials SET failed_count = 0, failure_window_from = NULL, locked_until = NULL,
                  last_sign_in_at = $2, updated_at = now() WHERE staff_id = $1""",
        staff_id,
        at,
    )


async def set_password(
    conn: Connection,
    staff: asyncpg.Record,
    password_hash: str,
    at: datetime,
    revoked_at: datetime,
    *,
    must_change: bool,
) -> None:
    """A new password: earlier tokens stop working at the console and the lockout is lifted."""
    await conn.execute(
        """INSERT INTO staff_credentials (staff_id, group_id, estate_id, password_hash, password_set_at,
                                          must_change, tokens_valid_after)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (staff_id) DO UPDATE SET password_hash = EXCLUDED.password_hash,
               password_set_at = EXCLUDED.password_set_at, must_change = EXCLUDED.must_change,
               tokens_valid_after = EXCLUDED.tokens_valid_after, failed_count = 0,
               failure_window_from = NULL, locked_until = NULL, updated_at = now()""",
        staff["staff_id"],
        staff["group_id"],
        staff["estate_id"],
        password_hash,
        at,
        must_change,
        revoked_at,
    )


async def revoke_tokens(conn: Connection, staff_id: str, at: datetime) -> None:
    await conn.execute(
        "UPDATE staff_credentials SET tokens_valid_after = $2, updated_at = now() WHERE staff_id = $1",
        staff_id,
        at,
    )


async def record_attempt(
    conn: Connection, staff_id: str, row: asyncpg.Record | None, at: datetime, outcome: str, client: str | None
) -> None:
    await conn.execute(
        """INSERT INTO sign_in_attempts (staff_id, group_id, estate_id, attempted_at, outcome, client)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        staff_id[:128],
        row["group_id"] if row else None,
        row["estate_id"] if row else None,
        at,
        outcome,
        client,
    )


async def refusals_from(conn: Connection, client: str, since: datetime) -> int:
    """Refused tries from one client address since a moment (unknown names, wrong passwords, locks)."""
    count = await conn.fetchval(
        """SELECT count(*) FROM sign_in_attempts
           WHERE client = $1 AND attempted_at >= $2 AND outcome IN ('unknown', 'bad_password', 'locked')""",
        client,
        since,
    )
    return int(count)
