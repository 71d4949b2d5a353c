"""Staff doing the callbacks: each one recorded by the person it is assigned to, with a realistic mix.

The mix is decided per callback by a hash of the seed and the callback id (deterministic, and the same
callback gets the same answer on a second run, where the `submission_id` makes survey record it once):
about 3 % no answer, 2 % refused, 9 % dissatisfied (complaints then reopen, R-CB-10), the rest fair,
satisfied or very satisfied; a few are recorded after their deadline (R-RP-2 timeliness).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from huifang_infra.auth import Role, mint_token

from huifang_demo.erp_history import SEED
from huifang_demo.http import DemoClient

log = logging.getLogger(__name__)
OPEN_STATES = ("scheduled", "due", "overdue")
ALL_STATES = (*OPEN_STATES, "completed", "failed")


def _draw(callback_id: str, salt: str = "") -> int:
    """0..9999, fixed for a callback: the demo's dice."""
    return int(hashlib.sha256(f"{SEED}:{salt}{callback_id}".encode()).hexdigest()[:8], 16) % 10_000


def outcome_for(callback_id: str, *, reopened_round: bool = False) -> tuple[str, str | None]:
    """(attempt result, overall rating) for one callback; a reopened round ends satisfied (R-CB-10)."""
    roll = _draw(callback_id)
    if reopened_round:
        return "reached", "very_satisfied" if roll % 2 else "satisfied"
    for bound, result, rating in (
        (300, "no_answer", None),
        (500, "refused", None),
        (1400, "reached", "dissatisfied"),
        (2400, "reached", "fair"),
        (5400, "reached", "satisfied"),
    ):
        if roll < bound:
            return result, rating
    return "reached", "very_satisfied"


#: A four-level answer as a resident gives it on a three-level form (R-SV-3: the policy names the scale).
ON_THREE_LEVELS = {"very_satisfied": "satisfied", "satisfied": "satisfied", "fair": "fairly_satisfied"}


def contact_body(
    task: dict[str, Any], now: datetime, *, reopened_round: bool = False, scale: str | None = None
) -> dict[str, Any]:
    callback_id = task["callback_id"]
    result, overall = outcome_for(callback_id, reopened_round=reopened_round)
    deadline = datetime.fromisoformat(task["deadline"]) if task.get("deadline") else now
    late = _draw(callback_id, "late") < 600
    contacted = deadline + timedelta(hours=20) if late else deadline - timedelta(hours=2 + _draw(callback_id) % 30)
    body: dict[str, Any] = {
        "submission_id": f"demo-{callback_id}-{'r' if reopened_round else 'a'}1",
        "result": result,
        "method": task.get("method") or "phone",
        "contacted_at": min(contacted, now - timedelta(minutes=5)).isoformat(),
    }
    if result == "reached" and overall is not None:
        # Punctuality and attitude a notch kinder than the overall verdict, as residents tend to answer.
        kinder = {"dissatisfied": "fair", "fair": "satisfied"}.get(overall, overall)
        if scale == "three_level":
            overall, kinder = ON_THREE_LEVELS.get(overall, overall), ON_THREE_LEVELS.get(kinder, kinder)
        body |= {
            "answered_by": "业主本人",
            "relation": "self",
            "duration_seconds": 60 + _draw(callback_id) % 240,
            "ratings": {"punctuality": kinder, "attitude": kinder, "quality": overall, "overall": overall},
        }
        if overall == "dissatisfied":
            body["comments"] = "问题没有彻底解决，希望尽快再处理"
    return body


class Callers:
    """Speaks for each staff member: a token with their login, role and estate."""

    def __init__(self, client: DemoClient, secret: str, group_id: str) -> None:
        self.client, self.secret, self.group_id = client, secret, group_id
        self.staff = {s["staff_id"]: s for s in client.get("dispatch", "/staff")}

    def as_staff(self, staff_id: str) -> DemoClient | None:
        person = self.staff.get(staff_id)
        if person is None:
            return None
        token = mint_token(
            self.secret, staff_id, Role(person["role"]), self.group_id, [person["estate_id"]], timedelta(hours=1)
        )
        return self.client.as_token(token)


def complete(
    callers: Callers, tasks: list[dict[str, Any]], now: datetime, *, reopened_round: bool = False
) -> Counter[str]:
    """Record one contact for each task, as its assignee; the tally by attempt result and rating."""
    tally: Counter[str] = Counter()
    scales = {c["callback_id"]: c.get("rating_scale") for c in callbacks(callers.client)}
    for n, task in enumerate(tasks, 1):
        caller = callers.as_staff(task.get("assignee_id") or "")
        if caller is None:
            tally["unassigned"] += 1
            continue
        body = contact_body(task, now, reopened_round=reopened_round, scale=scales.get(task["callback_id"]))
        answer = caller.call(
            "POST", "survey", f"/callbacks/{task['callback_id']}/contacts", body, ok=(200, 201, 409, 422)
        )
        tally[
            (body["ratings"]["overall"] if "ratings" in body else body["result"])
            if answer.status < 300
            else f"refused by survey ({answer.status})"
        ] += 1
        if n % 50 == 0:
            log.info("  … %d of %d callbacks recorded", n, len(tasks))
    return tally


def open_tasks(client: DemoClient, keep: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """Survey's open callbacks (with their assignee and deadline) that `keep` selects."""
    return [t for t in client.get("survey", "/callbacks?status=open") if keep(t)]


def callbacks(client: DemoClient, states: tuple[str, ...] = ALL_STATES) -> list[dict[str, Any]]:
    query = "&".join(f"state={s}" for s in states)
    found: list[dict[str, Any]] = []
    while True:
        page = client.get("callback", f"/callbacks?{query}&limit=1000&offset={len(found)}")
        found += page
        if len(page) < 1000:
            return found


def settle(client: DemoClient, what: str, timeout_s: float = 180.0) -> None:
    """Wait until the events have flowed: callback's and survey's views unchanged for three polls."""
    began, last, steady = time.monotonic(), None, 0
    while time.monotonic() - began < timeout_s:
        seen = Counter(c["state"] for c in callbacks(client))
        tasks = client.get("survey", "/callbacks?status=open")
        mark = (tuple(sorted(seen.items())), len(tasks), sum(1 for t in tasks if t.get("assignee_id")))
        steady = steady + 1 if mark == last else 0
        if steady >= 3:
            log.info("%s: settled in %.0f s (callbacks %s)", what, time.monotonic() - began, dict(seen))
            return
        last = mark
        time.sleep(1.5)
    log.warning("%s: still moving after %.0f s; going on", what, timeout_s)


def utc_now() -> datetime:
    return datetime.now(UTC)
