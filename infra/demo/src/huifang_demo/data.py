"""The demo's data step: a realistic property group loaded through the services' public APIs only.

`huifang demo up` calls `load_demo_data` once every service answers. In order: the group's three
estates (intake registry), their staff and monthly rosters (dispatch), four months of ERP history with
the 2026 National Day holiday inside (intake's ERP import), the month-end samples (callback), then the
staff recording their callbacks (survey) — dissatisfied complaints reopen, are resolved again and
called back again (R-CB-10). Everything is seeded and keyed by stable ids, so a second run adds nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from huifang_infra.auth import DEVELOPMENT_JWT_SECRET

from huifang_demo.completions import OPEN_STATES, Callers, callbacks, complete, open_tasks, settle, utc_now
from huifang_demo.group import DEMO_MONTHS, ESTATES
from huifang_demo.http import DemoClient, DemoRequestFailed
from huifang_demo.setup_steps import import_erp_history, publish_rosters, register_estates, register_staff

log = logging.getLogger(__name__)

#: The property group the development token is scoped to (every estate of it).
DEMO_GROUP_ID = "demo-group"
#: Callbacks whose deadline is closer than this stay open: the queues the demo shows as today's work.
LEAVE_OPEN = timedelta(days=2)
NEEDED = ("intake", "callback", "dispatch", "survey")


def load_demo_data(urls: Mapping[str, str], token: str) -> None:
    """Load the demo group into the running services (`urls`: service name → base URL)."""
    missing = [name for name in NEEDED if name not in urls]
    if missing:
        log.warning("demo data skipped: %s not running", ", ".join(missing))
        return
    client = DemoClient(urls, token)
    try:
        _load(client)
    except DemoRequestFailed as exc:
        log.error("demo data stopped: %s", exc)


def _load(client: DemoClient) -> None:
    now = utc_now()
    log.info("1/6 the group and its estates")
    register_estates(client)
    log.info("2/6 staff directory and duty rosters")
    register_staff(client)
    publish_rosters(client, now)
    log.info("3/6 ERP history, %s to %s", _ym(DEMO_MONTHS[0]), _ym(DEMO_MONTHS[-1]))
    import_erp_history(client, now)
    settle(client, "callbacks scheduled and assigned")
    log.info("4/6 month-end sampling (R-CB-4)")
    draw_samples(client)
    settle(client, "sampled callbacks assigned")
    log.info("5/6 staff record their callbacks")
    callers = Callers(client, _secret(), DEMO_GROUP_ID)
    rounds = {c["callback_id"]: c["round"] for c in callbacks(client)}
    tasks = open_tasks(client, lambda t: rounds.get(t["callback_id"], 1) == 1 and _before(t, now - LEAVE_OPEN))
    tally = complete(callers, tasks, now)
    log.info("recorded %d callbacks: %s", len(tasks), dict(tally))
    settle(client, "completions counted, dissatisfied complaints reopened")
    log.info("6/6 reopened complaints resolved again and called back (R-CB-10)")
    resolved = resolve_reopened(client, now)
    settle(client, "second-round callbacks assigned")
    again = {c["callback_id"] for c in callbacks(client, OPEN_STATES) if c["round"] > 1}
    tally = complete(callers, open_tasks(client, lambda t: t["callback_id"] in again), utc_now(), reopened_round=True)
    log.info("%d complaints resolved again; second round: %s", resolved, dict(tally))
    settle(client, "the demo group")


def draw_samples(client: DemoClient) -> None:
    """The month-end draw of every past month (idempotent: a month drawn already answers its sample)."""
    for estate in ESTATES:
        for year, month in DEMO_MONTHS:
            body = {"estate_id": estate.estate_id, "month": _ym((year, month))}
            answer = client.post("callback", "/samples/draw", body, ok=(200, 201, 409, 422))
            if answer.status >= 300:
                continue  # not drawn (yet): the month is still open, or the estate's policy samples nothing
            for sample in answer.body or []:
                log.info(
                    "sample %s %s %s: %d of %d orders, %d door visits, seed %s",
                    estate.name,
                    sample["month"],
                    sample["rule_id"],
                    len(sample["chosen_ids"]),
                    len(sample["population_ids"]),
                    sample["door_count"],
                    sample["seed"],
                )


def resolve_reopened(client: DemoClient, now: datetime) -> int:
    """Complaints back in progress after a dissatisfied callback: the department fixes, the owner accepts."""
    ids: list[str] = []
    page = 1
    while True:
        answer = client.get("intake", f"/complaints?status=in_progress&page={page}&page_size=200")
        ids += [item["record_id"] for item in answer["items"]]
        if page * 200 >= answer["total"]:
            break
        page += 1
    resolved = 0
    for complaint_id in ids:
        record = client.get("intake", f"/complaints/{complaint_id}")
        if record["round"] < 2:
            continue
        body = {"result": "已返工处理，业主确认满意", "accepted_by_requester": True, "resolved_at": now.isoformat()}
        key = f"demo-resolve-{complaint_id}-r{record['round']}"
        resolved += client.post("intake", f"/complaints/{complaint_id}/resolve", body, key=key).status < 300
    return resolved


def _before(task: dict[str, Any], cutoff: datetime) -> bool:
    return bool(task.get("deadline")) and datetime.fromisoformat(task["deadline"]) < cutoff


def _ym(month: tuple[int, int]) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def _secret() -> str:
    # The same rule as the demo's token (access.demo_jwt_secret), without importing access (it imports us).
    return os.environ.get("HUIFANG_JWT_SECRET") or DEVELOPMENT_JWT_SECRET
