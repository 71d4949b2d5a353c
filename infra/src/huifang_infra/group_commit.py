"""`GroupCommit`: the writes of many concurrent requests in one statement and one commit.

A request that writes a few rows pays for a round trip, a statement and a commit (a WAL flush) of its
own, and on a small machine those cost more than the rows. Here the writes that arrive while a batch
is in the database wait for it and go together in the next one. There is no timer: a lone request is
written at once, and batches grow only as the load does.

A batch is one statement, so it commits whole or not at all. When it fails, its items are written
again one by one, so one bad item (an id already taken, a key already used) fails alone and its
neighbours still commit.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from huifang_infra.db import Connection, Pool

T = TypeVar("T")

#: Writes items in one statement on `conn` (autocommit: the statement is the transaction).
WriteMany = Callable[[Connection, Sequence[T]], Awaitable[None]]


class GroupCommit(Generic[T]):
    """Items submitted by concurrent callers, written `max_batch` at a time by `write`.

    `pool` is called for each batch: a service builds this before its runtime has opened the pool.
    `on_batch(size)` is told of every batch (the service's metrics).
    """

    def __init__(
        self,
        pool: Callable[[], Pool],
        write: WriteMany[T],
        *,
        max_batch: int = 100,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self._pool = pool
        self._write = write
        self._max_batch = max_batch
        self._on_batch = on_batch
        self._pending: list[tuple[T, asyncio.Future[None]]] = []
        self._flushing: asyncio.Task[None] | None = None
        self.batches = 0
        self.items = 0

    async def submit(self, item: T) -> None:
        """Return once `item` is committed; raise what writing it alone raised otherwise."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._flushing is None:
            # Not the first caller's context: the batch belongs to no single request's trace.
            self._flushing = asyncio.create_task(self._flush(), context=contextvars.Context())
        await future

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending[: self._max_batch], self._pending[self._max_batch :]
                await self._write_batch(batch)
        except BaseException as exc:  # cancelled at shutdown: nobody waits for ever
            for _, future in self._pending:
                _settle(future, exc)
            self._pending = []
            raise
        finally:
            self._flushing = None

    async def _write_batch(self, batch: list[tuple[T, asyncio.Future[None]]]) -> None:
        self.batches += 1
        self.items += len(batch)
        if self._on_batch is not None:
            self._on_batch(len(batch))
        try:
            await self._write_on_a_connection([item for item, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][1], exc)
                return
            for item, future in batch:
                try:
                    await self._write_on_a_connection([item])
                except Exception as alone:
                    _settle(future, alone)
                else:
                    _settle(future, None)
            return
        except BaseException as exc:
            for _, future in batch:
                _settle(future, exc)
            raise
        for _, future in batch:
            _settle(future, None)

    async def _write_on_a_connection(self, items: Sequence[T]) -> None:
        async with self._pool().acquire() as conn:
            await self._write(conn, items)


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # its caller was cancelled; the write happened or not regardless
        return
    if error is None:
        future.set_result(None)
    elif isinstance(error, asyncio.CancelledError):
        future.cancel()
    else:
        future.set_exception(error)
