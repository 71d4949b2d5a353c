"""A pool on the test's own database with a table of the test's own: for infra pieces tried on bare SQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from huifang_infra.db import Pool, create_pool


@asynccontextmanager
async def pool_with_table(database_url: str, ddl: str, *, max_size: int = 2) -> AsyncIterator[Pool]:
    pool = await create_pool(database_url, min_size=1, max_size=max_size)
    try:
        await pool.execute(ddl)
        yield pool
    finally:
        await pool.close()
