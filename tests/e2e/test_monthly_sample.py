"""A month's sample across the running services (issue 10, item 3b): ERP orders in, the month-end draw
through callback's API, size and door share by R-CB-4, and the draw reproduced from the published
`SampleDrawn` event alone (R-CB-13) — by callback's reproduce endpoint and by hand.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from huifang_infra.auth import Role

from tests.e2e.story import Actor, erp, eventually, published, register_estate, send_erp
from tests.support.processes import ServiceSystem

pytestmark = pytest.mark.integration

SHANGHAI = ZoneInfo("Asia/Shanghai")


def sample_month() -> date:
    """Two months back: its draw time has passed, and the timer no longer draws it by itself."""
    first = datetime.now(SHANGHAI).date().replace(day=1)
    return (first - timedelta(days=35)).replace(day=1)


def order(erp_id: str, estate: str, closed: datetime, *, emergency: bool = False) -> dict[str, Any]:
    data = {
        "category": "给排水",
        "department": "engineering",
        "unit_id": f"U-{erp_id}",  # one household per order: no contact fatigue thins the population
        "requester_phone": "13800138000",
        "emergency": emergency,
        "requested_at": (closed - timedelta(hours=2)).isoformat(),
        "closed_at": closed.isoformat(),
    }
    return erp("order_closed", erp_id, estate, data)


def orders_for(estate: str, n: int, month: date) -> list[dict[str, Any]]:
    """n general repairs spread over the month (local), then two emergencies that are never sampled."""
    start = datetime(month.year, month.month, 1, 9, 0, tzinfo=SHANGHAI)
    general = [order(f"{estate}-{i:03d}", estate, start + timedelta(hours=7 * i)) for i in range(n)]
    urgent = [order(f"{estate}-E{i}", estate, start + timedelta(days=10, hours=i), emergency=True) for i in (1, 2)]
    return general + urgent  # one estate, one partition: once the urgent ones are seen, all were


def sha256_rank(seed: str, population: list[str], k: int) -> list[str]:
    """R-CB-13, redone as an auditor would: rank by hex sha256("<seed>:<id>"), take the first k."""
    return sorted(population, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())[:k]


def draw_repairs(admin: Actor, estate: str, month: str) -> dict[str, Any]:
    """The month-end draw, as the quality department asks for it; the repairs' sample of the answer."""
    samples = admin.post("callback", "/samples/draw", {"estate_id": estate, "month": month})
    [repairs] = [s for s in samples if s["rule_id"] == "repair.monthly-sample"]
    return dict(repairs)


# R-CB-4 (tianxiacheng): n < 20 → min(n, 5); 20 ≤ n ≤ 50 → ceil(0.3·n); n > 50 → 20; door = ceil(k/2).
CASES = [("est-s4", 4, 4, 2), ("est-s23", 23, 7, 4), ("est-s55", 55, 20, 10)]


def test_the_month_end_sample_has_the_tier_size_and_door_share_and_reproduces(system: ServiceSystem) -> None:
    admin = Actor(system, Role.admin, ["*"])
    month = sample_month()
    for estate, n, _, _ in CASES:
        register_estate(admin, estate, f"抽样苑 {n}", "tianxiacheng")
        send_erp(system, orders_for(estate, n, month))

    def urgent_seen() -> bool:
        urgent = [
            c for c in admin.get("callback", "/callbacks?state=due&state=overdue") if c["rule_id"] == "repair.urgent"
        ]
        return len(urgent) == 2 * len(CASES)

    eventually(urgent_seen, "every estate's orders consumed by callback (its urgent ones scheduled, R-CB-7)")

    ym = f"{month.year:04d}-{month.month:02d}"
    for estate, n, k, door in CASES:
        drawn = draw_repairs(admin, estate, ym)
        assert len(drawn["population_ids"]) == n  # the emergencies are called back at once, never sampled
        assert (len(drawn["chosen_ids"]), drawn["door_count"]) == (k, door)
        assert drawn["chosen_ids"] == sha256_rank(drawn["seed"], drawn["population_ids"], k)
        again = draw_repairs(admin, estate, ym)
        assert (again["sample_id"], again["chosen_ids"]) == (drawn["sample_id"], drawn["chosen_ids"])  # idempotent

        def sampled_of(estate: str = estate, k: int = k) -> list[dict[str, Any]] | None:
            found = admin.get("callback", f"/callbacks?estate_id={estate}&state=due&state=overdue")
            rows = [c for c in found if c["sampled"]]
            return rows if len(rows) == k else None

        sampled = eventually(sampled_of, f"{estate}: the sampled callbacks")
        methods = sorted(c["method"] for c in sampled)
        assert methods == sorted(["door"] * door + ["phone"] * (k - door))

    # R-CB-13: the event alone is enough to reproduce the draw, with nothing read from the database.
    events = eventually(
        lambda: len(found := published(system, "callback.samples", "callback.SampleDrawn")) >= len(CASES) and found,
        "SampleDrawn on the topic",
    )
    for envelope in events:
        body = {"event": envelope.model_dump(mode="json")}
        reproduction = admin.post("callback", "/samples/reproduce", body)
        assert reproduction["matches"] is True
        assert reproduction["chosen_ids"] == envelope.payload["chosen_ids"]
    assert sorted(len(e.payload["chosen_ids"]) for e in events if e.payload["population_ids"]) == [4, 7, 20]
