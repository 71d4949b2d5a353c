"""Policies: list, read, create, update (each a new version), validate, preview (issue 6 §1, §8)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from huifang_contracts.registry import CURRENT
from huifang_infra.auth import CurrentPrincipal, require_scope
from pydantic import ValidationError

from huifang_callback.adapters import policies as table
from huifang_callback.domain.errors import PolicyInvalid, PolicyNotFound
from huifang_callback.domain.planning import plan_for
from huifang_callback.domain.policy import TRIGGER_EVENTS, PolicyBody, PolicyInForce
from huifang_callback.domain.presets import PRESETS, preset_body
from huifang_callback.domain.validation import parse_policy
from huifang_callback.entrypoints.deps import ComponentsDep, PolicyEditor, RuntimeDep, require_whole_group
from huifang_callback.entrypoints.schemas import PolicyOut, PolicyWrite, PreviewIn, PreviewOut, ValidateIn, ValidateOut
from huifang_callback.entrypoints.views import local_time
from huifang_callback.service_layer import policies as service
from huifang_callback.service_layer.policy_book import rules_for
from huifang_callback.service_layer.sources import source_of

router = APIRouter(prefix="/policies", tags=["policies 回访策略"])


def _out(v: table.PolicyVersion) -> PolicyOut:
    return PolicyOut(
        policy_id=v.policy_id,
        version=v.version,
        group_id=v.group_id,
        estate_id=v.estate_id,
        name=v.name,
        preset=v.body.preset,
        changed_by=v.changed_by,
        changed_at=v.changed_at,
        body=v.body.model_dump(mode="json"),
    )


def _body_of(write: PolicyWrite) -> PolicyBody:
    if write.body is not None:
        return parse_policy(write.body)
    if write.preset is not None:
        return preset_body(write.preset)
    raise PolicyInvalid("give a body or a preset", field="body")


@router.get("/presets")
async def list_presets(principal: CurrentPrincipal) -> dict[str, Any]:
    """The named presets (R-CB-4, R-CB-5), to start a policy from."""
    return {name: preset_body(name).model_dump(mode="json") for name in PRESETS}


@router.get("")
async def list_policies(principal: CurrentPrincipal, runtime: RuntimeDep) -> list[PolicyOut]:
    """The latest version of every policy in the caller's scope."""
    scope = principal.scope_filter()
    async with runtime.pool.acquire() as conn:
        return [_out(v) for v in await table.latest_for_scope(conn, scope.group_id, scope.estate_ids)]


@router.get("/{policy_id}")
async def policy_versions(policy_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> list[PolicyOut]:
    """Every version of one policy, oldest first."""
    async with runtime.pool.acquire() as conn:
        found = await table.versions(conn, policy_id)
    if not found or not _visible(principal, found[-1]):
        raise PolicyNotFound(policy_id)
    return [_out(v) for v in found]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_policy(
    write: PolicyWrite, principal: PolicyEditor, runtime: RuntimeDep, components: ComponentsDep
) -> PolicyOut:
    """A group's policy (estate_id omitted) or an estate's override; version 1, announced as PolicyChanged."""
    if write.estate_id is None:
        require_whole_group(principal)
    else:
        require_scope(principal, principal.group_id, write.estate_id)
    body = _body_of(write)
    version = await service.create_policy(
        runtime.pool,
        components.policies,
        group_id=principal.group_id,
        estate_id=write.estate_id,
        name=write.name,
        body=body,
        by=principal.sub,
        at=components.clock(),
    )
    return _out(version)


@router.put("/{policy_id}")
async def update_policy(
    policy_id: str, write: PolicyWrite, principal: PolicyEditor, runtime: RuntimeDep, components: ComponentsDep
) -> PolicyOut:
    """A new version of the policy; `expected_version` guards against overwriting someone's change."""
    body = _body_of(write)
    async with runtime.pool.acquire() as conn:
        current = await table.latest(conn, policy_id)
    if current is None or not _visible(principal, current):
        raise PolicyNotFound(policy_id)
    if current.estate_id is None:
        require_whole_group(principal)
    version = await service.update_policy(
        runtime.pool,
        components.policies,
        policy_id=policy_id,
        group_id=principal.group_id,
        estate_id=current.estate_id,
        expected_version=write.expected_version,
        name=write.name,
        body=body,
        by=principal.sub,
        at=components.clock(),
    )
    return _out(version)


@router.post("/validate")
async def validate_policy(check: ValidateIn, principal: CurrentPrincipal) -> ValidateOut:
    """200 with the rule ids, or 422 naming the bad rule and field."""
    body = parse_policy(check.body)
    return ValidateOut(valid=True, rules=[r.rule_id for r in body.rules])


@router.post("/preview")
async def preview(ask: PreviewIn, principal: CurrentPrincipal, runtime: RuntimeDep) -> PreviewOut:
    """What the policy in force (or a draft body) would do with this event; nothing is written."""
    require_scope(principal, principal.group_id, ask.estate_id)
    if ask.event_type not in TRIGGER_EVENTS:
        raise PolicyInvalid(f"event_type must be one of {', '.join(TRIGGER_EVENTS)}", field="event_type")
    model = next(cls for cls in CURRENT if ask.event_type == cls.TYPE)
    try:
        event = model.model_validate(ask.payload)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise PolicyInvalid(str(error["msg"]), field="payload." + ".".join(map(str, error["loc"]))) from None
    async with runtime.pool.acquire() as conn:
        rules = await rules_for(conn, principal.group_id, ask.estate_id)
    policy = rules.policy
    if ask.body is not None:
        policy = PolicyInForce(policy_id="draft", version=1, body=parse_policy(ask.body))
    plan = plan_for(policy, source_of(event), rules.calendar)
    tz = rules.calendar.timezone
    outcome = "scheduled" if plan.schedules else "monthly_sample" if plan.sampled_monthly else "skipped"
    zh = {"scheduled": "将安排回访", "monthly_sample": "进入月度抽样", "skipped": "不回访"}[outcome]
    return PreviewOut(
        policy_id=policy.policy_id,
        policy_version=policy.version if ask.body is None else None,
        rule_id=plan.rule.rule_id if plan.rule else None,
        outcome=outcome,
        outcome_zh=zh,
        reason=plan.skipped_reason,
        timezone=tz,
        window_start=local_time(plan.window.window_start, tz) if plan.window else None,
        due_at=local_time(plan.window.due_at, tz) if plan.window else None,
        deadline=local_time(plan.window.deadline, tz) if plan.window else None,
        method=plan.method.value if plan.method else None,
        caller_role=plan.caller_role.value if plan.caller_role else None,
        caller_role_zh=plan.caller_role.label_zh if plan.caller_role else None,
        apology=plan.apology,
    )


def _visible(principal: Any, version: table.PolicyVersion) -> bool:
    if version.group_id != principal.group_id:
        return False
    return version.estate_id is None or principal.can_see(version.group_id, version.estate_id)
