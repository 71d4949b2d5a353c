"""Issue 6 §1: policy changes. Each change is a new version and a `PolicyChanged` per estate it governs."""

from __future__ import annotations

from datetime import datetime

import asyncpg
from huifang_contracts.callback import PolicyChanged, PolicyRule
from huifang_contracts.enums import RequestKind
from huifang_contracts.envelope import Envelope
from huifang_infra.db import Connection
from huifang_infra.outbox import Outbox

from huifang_callback.adapters import policies as table
from huifang_callback.adapters.estates import estates_of_group
from huifang_callback.domain.errors import PolicyNotFound, PolicyVersionConflict
from huifang_callback.domain.policy import PolicyBody, PolicyInForce, Rule
from huifang_callback.service_layer.outgoing import PRODUCER

_KIND_OF_EVENT = {
    "intake.OrderClosed": RequestKind.REPAIR,
    "intake.ComplaintRegistered": RequestKind.COMPLAINT,
    "intake.ComplaintResolved": RequestKind.COMPLAINT,
    "intake.RenovationCompleted": RequestKind.RENOVATION,
    "intake.ServiceRequestClosed": RequestKind.OTHER_SERVICE,
}


def policy_id_for(group_id: str, estate_id: str | None) -> str:
    """One policy per scope: the group's, or an estate's override."""
    return f"pol-{group_id}-{estate_id or 'group'}"[:128]


async def create_policy(
    conn: Connection,
    outbox: Outbox,
    *,
    group_id: str,
    estate_id: str | None,
    name: str,
    body: PolicyBody,
    by: str,
    at: datetime,
) -> table.PolicyVersion:
    version = table.PolicyVersion(policy_id_for(group_id, estate_id), 1, group_id, estate_id, name, body, by, at)
    return await _save(conn, outbox, version, f"a policy for this scope exists: {version.policy_id}; update it")


async def update_policy(
    conn: Connection,
    outbox: Outbox,
    *,
    policy_id: str,
    group_id: str,
    expected_version: int | None,
    name: str | None,
    body: PolicyBody,
    by: str,
    at: datetime,
) -> table.PolicyVersion:
    current = await table.latest(conn, policy_id)
    if current is None or current.group_id != group_id:
        raise PolicyNotFound(policy_id)
    if expected_version is not None and expected_version != current.version:
        raise PolicyVersionConflict(f"policy {policy_id} is at version {current.version}, not {expected_version}")
    version = table.PolicyVersion(
        policy_id, current.version + 1, group_id, current.estate_id, name or current.name, body, by, at
    )
    return await _save(conn, outbox, version, f"policy {policy_id} changed meanwhile; read it again")


async def _save(conn: Connection, outbox: Outbox, version: table.PolicyVersion, taken: str) -> table.PolicyVersion:
    """Insert the version and announce it; the (policy, version) key taken means another writer won."""
    try:
        async with conn.transaction():
            await table.insert_version(conn, version)
    except asyncpg.UniqueViolationError:
        raise PolicyVersionConflict(taken) from None
    await outbox.add(conn, await _announcements(conn, version))
    return version


async def _announcements(conn: Connection, version: table.PolicyVersion) -> list[Envelope]:
    """One `PolicyChanged` per estate the version governs (a group policy: every estate without its own)."""
    if version.estate_id is not None:
        estate_ids = [version.estate_id]
    else:
        own = {p.estate_id for p in await table.latest_for_scope(conn, version.group_id, None) if p.estate_id}
        estate_ids = [e.estate_id for e in await estates_of_group(conn, version.group_id) if e.estate_id not in own]
    event = policy_changed(version.in_force, version.changed_at, version.changed_by)
    return [
        Envelope.wrap(
            event,
            group_id=version.group_id,
            estate_id=estate_id,
            aggregate_id=version.policy_id,
            producer=PRODUCER,
            occurred_at=version.changed_at,
            recorded_at=version.changed_at,
        )
        for estate_id in estate_ids
    ]


def policy_changed(policy: PolicyInForce, effective_from: datetime, changed_by: str | None) -> PolicyChanged:
    """The policy an estate runs from `effective_from`, as reporting counts required callbacks by it."""
    return PolicyChanged(
        policy_id=policy.policy_id,
        policy_version=policy.version,
        preset=policy.body.preset,
        effective_from=effective_from,
        rules=[summary(rule) for rule in policy.body.rules],
        changed_by=changed_by,
    )


def summary(rule: Rule) -> PolicyRule:
    """What reporting needs to count required callbacks (R-RP-2 coverage)."""
    trigger = rule.trigger
    percent = {"all": 100.0, "percent": float(rule.rate.percent or 0), "monthly_sample": 0.0}[rule.rate.mode]
    return PolicyRule(
        rule_id=rule.rule_id,
        request_kind=trigger.kinds[0] if trigger.kinds else _KIND_OF_EVENT[trigger.event_type],
        grade=trigger.grades[0] if len(trigger.grades) == 1 else None,
        validity=trigger.validities[0] if len(trigger.validities) == 1 else None,
        required_percent=percent,
        sampled=rule.rate.mode == "monthly_sample",
        method=rule.method,
        caller_role=rule.caller_role,
        timing=timing_text(rule),
    )


def timing_text(rule: Rule) -> str:
    w = rule.window
    if w.anchor == "month":
        zh = f"每月{w.draw_day}日抽样（小月取月末），次月{w.due_by_day}日前完成"
        return f"{zh} / drawn on day {w.draw_day}, due by day {w.due_by_day} of next month"
    assert w.deadline is not None
    units = {"hours": ("小时", "hours"), "days": ("天", "days"), "working_days": ("个工作日", "working days")}
    zh, en = units[w.deadline.unit.value]
    return f"{w.deadline.amount}{zh}内 / within {w.deadline.amount} {en}"
