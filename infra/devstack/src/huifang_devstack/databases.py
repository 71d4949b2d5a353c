"""Create databases idempotently on a server we may or may not have started."""

from __future__ import annotations

import asyncpg


async def ensure_databases(admin_url: str, names: list[str]) -> list[str]:
    """Create each missing database; return the ones created. Safe to run concurrently."""
    created: list[str] = []
    conn = await asyncpg.connect(admin_url)
    try:
        for name in names:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if exists:
                continue
            try:
                await conn.execute(f'CREATE DATABASE "{name}"')
                created.append(name)
            except asyncpg.DuplicateDatabaseError:
                continue
    finally:
        await conn.close()
    return created


async def drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
