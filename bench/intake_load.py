"""The load side of `bench.intake_http`: keep-alive HTTP/1.1 connections speaking just enough HTTP."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


@dataclass
class Phase:
    ok: int = 0
    failed: int = 0
    latencies_ms: list[float] = field(default_factory=list)


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def request(self, head: bytes, body: bytes) -> tuple[int, bytes]:
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        payload = await self.reader.readexactly(length) if length else b""
        return int(status_line.split()[1]), payload


class Driver:
    def __init__(self, host: str, port: int, token: str, body_for: Callable[[int], dict[str, Any]], key: bool) -> None:
        self.host, self.port, self.token, self.body_for, self.key = host, port, token, body_for, key
        self.counter = 0
        self.warm_ok = 0
        self._warm = True

    async def connect(self) -> Connection:
        return Connection(*await asyncio.open_connection(self.host, self.port))

    def _request(self, method: str, path: str, body: dict[str, Any], key: str | None) -> tuple[bytes, bytes]:
        data = json.dumps(body, ensure_ascii=False).encode()
        head = (f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {self.token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n")  # fmt: skip
        if key:
            head += f"Idempotency-Key: {key}\r\n"
        return (head + "\r\n").encode(), data

    async def one(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        conn = await self.connect()
        try:
            return await conn.request(*self._request(method, path, body, None))
        finally:
            conn.writer.close()

    def _next(self) -> tuple[bytes, bytes]:
        self.counter += 1
        key = f"bench-{self.counter}" if self.key else None
        return self._request("POST", "/orders/closed", self.body_for(self.counter), key)

    async def closed_loop(self, connections: int, seconds: float) -> Phase:
        """Every connection sends its next request as soon as the previous answer arrives."""
        phase, deadline = Phase(), time.perf_counter() + seconds

        async def worker() -> None:
            conn = await self.connect()
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                status, _ = await conn.request(*self._next())
                phase.latencies_ms.append((time.perf_counter() - start) * 1000)
                phase.ok, phase.failed = (phase.ok + 1, phase.failed) if status == 201 else (phase.ok, phase.failed + 1)
            conn.writer.close()

        await asyncio.gather(*(worker() for _ in range(connections)))
        if self._warm:
            self.warm_ok, self._warm = phase.ok, False
        return phase

    async def open_loop(self, rate: int, seconds: float, connections: int) -> Phase:
        """Requests scheduled at a fixed rate; latency counts from the scheduled time (no coordinated omission)."""
        phase, total = Phase(), int(rate * seconds)
        pool: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(connections):
            pool.put_nowait(await self.connect())
        start = time.perf_counter()

        async def send(scheduled: float) -> None:
            conn = await pool.get()
            try:
                status, _ = await conn.request(*self._next())
            finally:
                pool.put_nowait(conn)
            phase.latencies_ms.append((time.perf_counter() - scheduled) * 1000)
            phase.ok, phase.failed = (phase.ok + 1, phase.failed) if status == 201 else (phase.ok, phase.failed + 1)

        tasks = []
        for i in range(total):
            scheduled = start + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(scheduled)))
        await asyncio.gather(*tasks)
        while not pool.empty():
            pool.get_nowait().writer.close()
        return phase
