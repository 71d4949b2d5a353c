"""Issue 6 §1: policy changes. Each change is a new version on the policy's stream (`policy-<id>`) and a
`PolicyChanged` per estate it governs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from huifang_contracts.callback import PolicyChanged, PolicyRule
from huifang_contracts.enums import RequestKind
from huifang_contracts.envelope import Envelope
from huifang_contracts.intake import (
    ComplaintRegistered,
    ComplaintResolved,
    OrderClosed,
    RenovationCompleted,
    ServiceRequestClosed,
)
from huifang_infra.db import Pool
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Cause, ConcurrencyConflict, Decided, Repository

from huifang_callback.adapters import policies as table
from huifang_callback.adapters.estates import estates_of_group
from huifang_callback.domain import policy_versions
from huifang_callback.domain.errors import PolicyVersionConflict
from huifang_callback.domain.events import POLICY_EVENTS, PolicyEvent, VersionAdopted
from huifang_callback.domain.policy import PolicyBody, PolicyInForce, Rule
from huifang_callback.domain.policy_versions import CreatePolicy, PolicyCommand, PolicyHistory, RevisePolicy
from huifang_callback.service_layer.outgoing import PRODUCER

PolicyRepository = Repository[PolicyCommand, PolicyHistory, PolicyEvent]
POLICY_DECIDER: Decider[PolicyCommand, PolicyHistory, PolicyEvent] = Decider(
    policy_versions.initial_state, policy_versions.decide, policy_versions.evolve
)
POLICY_CODEC: EventCodec[PolicyEvent] = EventCodec(POLICY_EVENTS)
POLICY_STATE_TABLES = ("policies",)


def policy_repository(outbox: Outbox) -> PolicyRepository:
    return Repository(
        POLICY_DECIDER, POLICY_CODEC, outbox=outbox, project=table.project_policies, publish=announcements
    )


_KIND_OF_EVENT = {
    OrderClosed.TYPE: RequestKind.REPAIR,
    ComplaintRegistered.TYPE: RequestKind.COMPLAINT,
    ComplaintResolved.TYPE: RequestKind.COMPLAINT,
    RenovationCompleted.TYPE: RequestKind.RENOVATION,
    ServiceRequestClosed.TYPE: RequestKind.OTHER_SERVICE,
}


def policy_id_for(group_id: str, estate_id: str | None) -> str:
    """One policy per scope: the group's, or an estate's override."""
    return f"pol-{group_id}-{estate_id or 'group'}"[:128]


def policy_stream_of(policy_id: str) -> str:
    return f"policy-{policy_id}"


async def create_policy(
    pool: Pool,
    policies: PolicyRepository,
    *,
    group_id: str,
    estate_id: str | None,
    name: str,
    body: PolicyBody,
    by: str,
    at: datetime,
) -> table.PolicyVersion:
    policy_id = policy_id_for(group_id, estate_id)
    governs = await _governed(pool, group_id, estate_id)
    command = CreatePolicy(policy_id, group_id, estate_id, name, body, by, at, governs)
    return await _adopt(pool, policies, policy_id, command, Cause(group_id, estate_id, actor=by))


async def update_policy(
    pool: Pool,
    policies: PolicyRepository,
    *,
    policy_id: str,
    group_id: str,
    estate_id: str | None,
    expected_version: int | None,
    name: str | None,
    body: PolicyBody,
    by: str,
    at: datetime,
) -> table.PolicyVersion:
    governs = await _governed(pool, group_id, estate_id)
    command = RevisePolicy(policy_id, group_id, expected_version, name, body, by, at, governs)
    return await _adopt(pool, policies, policy_id, command, Cause(group_id, estate_id, actor=by))


async def _adopt(
    pool: Pool, policies: PolicyRepository, policy_id: str, command: PolicyCommand, cause: Cause
) -> table.PolicyVersion:
    """The new version on the policy's stream (re-decided on a fresh load if another writer won)."""
    try:
        decided = await policies.run(pool, policy_stream_of(policy_id), command, cause)
    except ConcurrencyConflict:
        raise PolicyVersionConflict(f"policy {policy_id} changed meanwhile; read it again") from None
    assert decided.state.latest is not None
    return table.version_of(decided.state.latest)


async def _governed(pool: Pool, group_id: str, estate_id: str | None) -> tuple[str, ...]:
    """The estates a version governs: an override its estate; a group policy every estate without its own."""
    if estate_id is not None:
        return (estate_id,)
    async with pool.acquire() as conn:
        own = {p.estate_id for p in await table.latest_for_scope(conn, group_id, None) if p.estate_id}
        return tuple(e.estate_id for e in await estates_of_group(conn, group_id) if e.estate_id not in own)


def announcements(decided: Decided[Any, PolicyHistory, Any]) -> list[Envelope]:
    """One `PolicyChanged` per estate the new version governs."""
    found = []
    for adopted in (e for e in decided.events if isinstance(e, VersionAdopted)):
        event = policy_changed(table.version_of(adopted).in_force, adopted.changed_at, adopted.changed_by)
        found += [
            Envelope.wrap(
                event,
                group_id=adopted.group_id,
                estate_id=estate_id,
                aggregate_id=adopted.policy_id,
                producer=PRODUCER,
                occurred_at=adopted.changed_at,
                recorded_at=adopted.changed_at,
            )
            for estate_id in adopted.governs
        ]
    return found


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
