"""Resetting a service's projections before a replay from the beginning of its topics.

A projection is derived state, so it can be thrown away and rebuilt. Its inbox rows must go with it:
they say "already applied", and a replay would otherwise skip every event it needs. The source of
truth — the event store, the outbox, the migration record — is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from huifang_infra.db import Connection

#: Tables a reset must never empty, whatever list it is given.
PROTECTED_TABLES = frozenset({"events", "schema_migrations", "outbox", "inbox"})

_TABLE_NAME = re.compile(r"^(?:([a-z_][a-z0-9_]*)\.)?([a-z_][a-z0-9_]*)$")


class ProtectedTable(Exception):
    """A reset was asked to empty a table that is a source of truth, not a projection."""


def quoted_table(table: str) -> str:
    """A plain table name quoted for SQL; a source-of-truth table is refused."""
    match = _TABLE_NAME.match(table)
    if match is None:
        raise ValueError(f"not a plain table name: {table!r}")
    schema, name = match.groups()
    if name in PROTECTED_TABLES:
        raise ProtectedTable(f"{table} is not a projection; a reset never empties it")
    return f'"{schema}"."{name}"' if schema else f'"{name}"'


async def reset_projections(conn: Connection, consumer: str, tables: Sequence[str]) -> None:
    """Empty `tables` and forget what `consumer` has processed, in one transaction.

    Works on a database whose inbox table does not exist yet (nothing was consumed there).
    """
    quoted = [quoted_table(t) for t in tables]  # validate all before changing anything
    async with conn.transaction():
        if quoted:
            await conn.execute(f"TRUNCATE {', '.join(quoted)} RESTART IDENTITY")
        if await conn.fetchval("SELECT to_regclass('inbox')") is not None:
            await conn.execute("DELETE FROM inbox WHERE consumer = $1", consumer)
