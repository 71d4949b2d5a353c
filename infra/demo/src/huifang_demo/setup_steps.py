"""The demo group's standing facts, put in through the APIs: estates (intake), staff and rosters (dispatch).

Each step may run again: an estate or staff member already there answers 409 and is left as it is; a
month's roster already published is not touched.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from huifang_demo.erp_history import SHANGHAI, history
from huifang_demo.group import DEMO_MONTHS, DEMO_STAFF_PASSWORD, ESTATES, roster_of, staff_of
from huifang_demo.http import DemoClient

log = logging.getLogger(__name__)


def register_estates(client: DemoClient) -> None:
    client.call("PUT", "intake", "/registry/group", {"name": "兰庭物业集团"}, ok=(200, 201, 422))
    for estate in ESTATES:
        answer = client.post(
            "intake",
            "/registry/estates",
            estate.registry_body(),
            ok=(200, 201, 409),
            key=f"demo-estate-{estate.estate_id}",
        )
        state = "already registered" if answer.status == 409 else "registered"
        log.info(
            "estate %s %s (%s, preset %s): %s", estate.estate_id, estate.name, estate.estate_type, estate.preset, state
        )


def register_staff(client: DemoClient) -> None:
    for estate in ESTATES:
        people = staff_of(estate)
        added = sum(client.post("dispatch", "/staff", person, ok=(200, 201, 409)).status != 409 for person in people)
        for person in people:  # the console's sign-in; setting it again is harmless
            body = {"password": DEMO_STAFF_PASSWORD, "must_change": False}
            client.call("PUT", "dispatch", f"/staff/{person['staff_id']}/password", body, ok=(200, 204))
        log.info("staff of %s: %d people (%d new), console passwords set", estate.name, len(people), added)


def publish_rosters(client: DemoClient, now: datetime) -> None:
    """R-OP-3: a monthly roster per service center, this month's (published late) and next month's.

    Dispatch refuses rosters of months already over, so the history runs without one: everyone worked.
    """
    local = now.astimezone(SHANGHAI)
    following = (local.year + local.month // 12, local.month % 12 + 1)
    months = [(local.year, local.month), following]
    for estate in ESTATES:
        for year, month in months:
            ym = f"{year:04d}-{month:02d}"
            existing = client.get("dispatch", f"/rosters?estate_id={estate.estate_id}&month={ym}")
            if any(r["status"] == "published" for r in existing):
                continue
            saved = client.call("PUT", "dispatch", "/rosters", roster_of(estate, year, month)).body
            client.call("POST", "dispatch", f"/rosters/{saved['roster_id']}/publish", ok=(200, 204, 409))
        log.info("rosters of %s published for %s", estate.name, ", ".join(f"{y}-{m:02d}" for y, m in months))


def import_erp_history(client: DemoClient, until: datetime) -> int:
    """The ERP export of each estate-month through intake's batch import (JSON lines); duplicates are
    recognised by intake, so a second run applies nothing."""
    applied = 0
    chunks = [(estate, y, m) for y, m in DEMO_MONTHS for estate in ESTATES]
    for n, (estate, year, month) in enumerate(chunks, 1):
        messages = history(estate, year, month, until)
        if not messages:
            continue
        body = "\n".join(json.dumps(m, ensure_ascii=False) for m in messages).encode()
        answer = client.call("POST", "intake", "/imports/erp", raw=body, content_type="application/x-ndjson").body
        applied += answer["applied"]
        log.info(
            "[%2d/%d] ERP %s %d-%02d: %d messages, %d applied, %d already there, %d refused",
            n,
            len(chunks),
            estate.name,
            year,
            month,
            len(messages),
            answer["applied"],
            answer["duplicate"],
            answer["error"],
        )
        for row in answer["rows"]:
            if row["status"] == "error":
                log.warning("  refused row %s: %s %s", row["row"], row.get("field"), row.get("reason"))
    return applied
