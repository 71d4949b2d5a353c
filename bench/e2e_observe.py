"""The watching side of `bench.e2e_latency`: when each order's callback first shows in callback's API."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (p99 of 100 values is the 99th smallest)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


@dataclass
class Phase:
    """One rate's run: when each order was sent (monotonic and wall) and when its callback was seen."""

    name: str
    sent: dict[str, float] = field(default_factory=dict)
    sent_wall: dict[str, datetime] = field(default_factory=dict)
    seen: dict[str, float] = field(default_factory=dict)
    polls: list[float] = field(default_factory=list)

    def note_sent(self, source_id: str, wall: datetime) -> None:
        self.sent[source_id] = time.monotonic()
        self.sent_wall[source_id] = wall

    def latencies_ms(self) -> list[float]:
        return [(self.seen[i] - self.sent[i]) * 1000 for i in self.seen if i in self.sent]

    def throughput(self) -> float:
        """Callbacks shown per second, from the first order sent to the last callback seen."""
        if not self.seen:
            return 0.0
        return len(self.seen) / max(1e-3, max(self.seen.values()) - min(self.sent.values()))

    def poll_ms(self) -> float:
        return percentile(self.polls, 50)


@dataclass
class Poller:
    """Reads `GET /callbacks?state=due&due_from=<earliest unseen order>` back to back until stopped."""

    client: httpx.AsyncClient
    callback_url: str
    phase: Phase
    since: datetime
    stop: bool = False

    def watermark(self) -> datetime:
        unseen = [wall for i, wall in list(self.phase.sent_wall.items()) if i not in self.phase.seen]
        if unseen:
            return min(unseen) - timedelta(seconds=1)
        return max(self.phase.sent_wall.values(), default=self.since) - timedelta(seconds=1)

    async def run(self) -> None:
        while not self.stop:
            began = time.monotonic()
            offset = 0
            while True:
                params = {"state": "due", "due_from": self.watermark().isoformat(), "limit": 1000, "offset": offset}
                answer = await self.client.get(f"{self.callback_url}/callbacks", params=params)
                rows = answer.json() if answer.status_code == 200 else []
                now = time.monotonic()
                for row in rows:
                    source = row["source_id"]
                    if source in self.phase.sent and source not in self.phase.seen:
                        self.phase.seen[source] = now
                if len(rows) < 1000:
                    break
                offset += 1000
            self.phase.polls.append((time.monotonic() - began) * 1000)
            await asyncio.sleep(0.01)
