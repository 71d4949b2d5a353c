"""Samples: history, one sample, its reproduction, and a draw on request for a past month (issue 6 §5)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from huifang_contracts.callback import SampleDrawn
from huifang_infra.auth import CurrentPrincipal, require_scope
from huifang_infra.http_values import MONTH_PATTERN
from pydantic import ValidationError

from huifang_callback.adapters.samples import get_sample, list_samples
from huifang_callback.domain.errors import MonthNotOver, PolicyInvalid, SampleNotFound
from huifang_callback.domain.windows import draw_moment
from huifang_callback.entrypoints.deps import ComponentsDep, PolicyEditor, RuntimeDep
from huifang_callback.entrypoints.schemas import DrawIn, ReproduceIn, ReproductionOut, SampleOut
from huifang_callback.entrypoints.views import sample_out
from huifang_callback.service_layer.policy_book import rules_for
from huifang_callback.service_layer.reproduction import Reproduction, reproduce_event
from huifang_callback.service_layer.sampler import DrawRequest

router = APIRouter(prefix="/samples", tags=["samples 月度抽样"])


@router.get("")
async def samples(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    month: Annotated[str | None, Query(pattern=MONTH_PATTERN)] = None,
    estate_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[SampleOut]:
    """The sample history in the caller's scope, newest month first."""
    scope = principal.scope_filter()
    estates = scope.estate_ids
    if estate_id is not None:
        require_scope(principal, principal.group_id, estate_id)
        estates = [estate_id]
    async with runtime.pool.acquire() as conn:
        return [sample_out(r) for r in await list_samples(conn, scope.group_id, estates, month, limit)]


@router.get("/{sample_id}")
async def sample(sample_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> SampleOut:
    return sample_out(await _visible_sample(sample_id, principal, runtime))


@router.get("/{sample_id}/reproduction")
async def reproduction(sample_id: str, principal: CurrentPrincipal, runtime: RuntimeDep) -> ReproductionOut:
    """R-CB-13: redo the recorded draw from its population and seed; `matches` says it agrees."""
    row = await _visible_sample(sample_id, principal, runtime)
    return _out(reproduce_event(sample_out(row).model_dump(mode="json")))


@router.post("/reproduce")
async def reproduce(given: ReproduceIn, principal: CurrentPrincipal) -> ReproductionOut:
    """R-CB-13: anyone holding a `SampleDrawn` event (or its envelope) can check it here; nothing is read."""
    payload: dict[str, Any] = given.event.get("payload", given.event)
    try:
        event = SampleDrawn.model_validate(payload)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise PolicyInvalid(str(error["msg"]), field="event." + ".".join(map(str, error["loc"]))) from None
    return _out(reproduce_event(event.model_dump(mode="json")))


@router.post("/draw")
async def draw(ask: DrawIn, principal: PolicyEditor, runtime: RuntimeDep, components: ComponentsDep) -> list[SampleOut]:
    """Draw a month whose draw time has passed (idempotent: a drawn month returns its recorded sample)."""
    require_scope(principal, principal.group_id, ask.estate_id)
    async with runtime.pool.acquire() as conn:
        rules = await rules_for(conn, principal.group_id, ask.estate_id)
    sampled = [r for r in rules.policy.body.rules if r.rate.mode == "monthly_sample"]
    if ask.rule_id is not None:
        sampled = [r for r in sampled if r.rule_id == ask.rule_id]
    if not sampled:
        raise PolicyInvalid("no monthly-sample rule in the policy in force", rule_id=ask.rule_id, field="rule_id")
    year, month = int(ask.month[:4]), int(ask.month[5:])
    now = components.clock()
    sampler = components.sampler(runtime)
    out = []
    for rule in sampled:
        if now < draw_moment(year, month, rule.window, rules.calendar):
            raise MonthNotOver(f"{ask.month} is drawn at {draw_moment(year, month, rule.window, rules.calendar)}")
        request = DrawRequest(rules, rule, ask.month, requested_by=principal.sub)
        row = await sampler.draw(request) or await sampler.existing(request)
        if row is not None:
            out.append(sample_out(row))
    return out


async def _visible_sample(sample_id: str, principal: Any, runtime: Any) -> dict[str, Any]:
    async with runtime.pool.acquire() as conn:
        row = await get_sample(conn, sample_id)
    if row is None or not principal.can_see(row["group_id"], row["estate_id"]):
        raise SampleNotFound(sample_id)
    return row


def _out(result: Reproduction) -> ReproductionOut:
    return ReproductionOut.model_validate(asdict(result))
