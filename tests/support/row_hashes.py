"""Ordered row hashes of a table: what a rebuild must give back exactly."""

from __future__ import annotations

import hashlib

from huifang_infra.db import Connection
from huifang_infra.projections import quoted_table


async def table_hash(conn: Connection, table: str, order_by: str) -> tuple[int, str]:
    """(rows, sha256 of every row's text form in `order_by` order) — equal iff the contents are equal."""
    rows = await conn.fetch(f"SELECT t::text AS row FROM {quoted_table(table)} t ORDER BY {order_by}")
    digest = hashlib.sha256()
    for row in rows:
        digest.update(row["row"].encode())
        digest.update(b"\n")
    return len(rows), digest.hexdigest()
