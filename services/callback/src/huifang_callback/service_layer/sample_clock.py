"""When each estate's monthly draw is due: its local draw day and time (R-CB-4), checked every tick.

The current month is drawn once its draw moment has passed in the estate's zone; the previous month
is still drawn until its callbacks' deadline (the 5th), which catches up a draw missed by downtime
across a month's end.
"""

from __future__ import annotations

from datetime import datetime

from huifang_infra.db import Connection

from huifang_callback.adapters.samples import drawn_keys
from huifang_callback.domain.windows import draw_moment, month_window, previous_month
from huifang_callback.service_layer.policy_book import rules_for_all_estates
from huifang_callback.service_layer.sampler import DrawRequest


def _ym(month: str) -> tuple[int, int]:
    return int(month[:4]), int(month[5:])


async def due_draws(conn: Connection, now: datetime) -> list[DrawRequest]:
    wanted: list[DrawRequest] = []
    for rules in await rules_for_all_estates(conn):
        local = now.astimezone(rules.calendar.zone)
        month = f"{local.year}-{local.month:02d}"
        for rule in rules.policy.body.rules:
            if rule.rate.mode != "monthly_sample":
                continue
            if now >= draw_moment(local.year, local.month, rule.window, rules.calendar):
                wanted.append(DrawRequest(rules, rule, month))
            last = previous_month(month)
            if now <= month_window(*_ym(last), rule.window, rules.calendar).deadline:
                wanted.append(DrawRequest(rules, rule, last))
    if not wanted:
        return []
    drawn = await drawn_keys(conn, sorted({r.month for r in wanted}))
    return [r for r in wanted if (r.rules.estate.estate_id, r.month, r.rule.rule_id) not in drawn]
