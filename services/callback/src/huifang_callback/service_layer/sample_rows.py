"""One draw's values, built without I/O: the sample's record and the commands for its sampled callbacks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from huifang_contracts.enums import CallbackMethod, RequestKind
from huifang_contracts.intake import OrderClosed
from huifang_infra.repository import Cause, Command

from huifang_callback.domain.callback import Callback, event_id_for
from huifang_callback.domain.commands import CallbackCommand, ScheduleCallback
from huifang_callback.domain.fatigue import without_tired
from huifang_callback.domain.planning import caller_for
from huifang_callback.domain.policy import Rule
from huifang_callback.domain.sampling import draw_sample
from huifang_callback.domain.sources import Source
from huifang_callback.domain.windows import month_window
from huifang_callback.service_layer.callbacks import stream_of
from huifang_callback.service_layer.policy_book import EstateRules


def sample_id_for(estate_id: str, month: str, rule_id: str) -> str:
    return f"smp-{estate_id}-{month}-{rule_id}"[:128]


def population_of(rule: Rule, orders: list[Any]) -> list[Any]:
    """R-CB-4: general orders (the query excludes urgent ones) of the rule's kinds and categories."""
    kinds = {k.value for k in rule.trigger.kinds}
    categories = set(rule.trigger.categories)
    return [o for o in orders if (not kinds or o["kind"] in kinds) and (not categories or o["category"] in categories)]


def sample_row(
    rules: EstateRules,
    rule: Rule,
    month: str,
    candidates: list[dict[str, Any]],
    tired: set[str],
    seed: str,
    now: datetime,
    requested_by: str | None,
) -> dict[str, Any]:
    estate = rules.estate
    eligible = without_tired([(c["order_id"], c["unit_id"]) for c in candidates], tired)  # issue 6 §7
    sample = draw_sample(eligible, seed, rule.rate.tiers, rule.door_share_percent)
    kinds = [k.value for k in rule.trigger.kinds]
    return {
        "sample_id": sample_id_for(estate.estate_id, month, rule.rule_id),
        "group_id": estate.group_id,
        "estate_id": estate.estate_id,
        "month": month,
        "rule_id": rule.rule_id,
        "request_kind": kinds[0] if kinds else RequestKind.REPAIR.value,
        "policy_id": rules.policy.policy_id,
        "policy_version": rules.policy.version,
        "seed": sample.seed,
        "algorithm": sample.algorithm,
        "population": sample.population,
        "chosen": sample.chosen,
        "door_count": sample.door_count,
        "excluded": sorted({c["order_id"] for c in candidates} - set(eligible)),
        "drawn_at": now,
        "requested_by": requested_by,
    }


def sampled_callbacks(
    rules: EstateRules, rule: Rule, row: dict[str, Any], candidates: list[dict[str, Any]], at: datetime
) -> list[Command[CallbackCommand]]:
    """A `ScheduleCallback` per drawn order, caused by the `SampleDrawn`; fatigue was applied to the
    population before the draw."""
    drawn_id = event_id_for(row["sample_id"], "drawn")
    by_id = {c["order_id"]: c for c in candidates}
    year, month = int(row["month"][:4]), int(row["month"][5:])
    window = month_window(year, month, rule.window, rules.calendar)
    owed: list[Command[CallbackCommand]] = []
    for position, order_id in enumerate(row["chosen"]):
        source = _source(by_id[order_id])
        role, _, apology = caller_for(rule, source)
        # R-CB-4: the first door_count drawn are door visits, the rest by phone.
        method = CallbackMethod.DOOR if position < row["door_count"] else rule.method
        callback = Callback.owed(
            group_id=rules.estate.group_id, estate_id=rules.estate.estate_id, source=source, rule=rule,
            policy=rules.policy, window=window, method=method, caller_role=role, apology=apology,
            sample_id=row["sample_id"],
        )  # fmt: skip
        correlation_id = by_id[order_id]["correlation_id"]
        record = callback.record(correlation_id=correlation_id, cause_event_id=drawn_id)
        cause = Cause(group_id=callback.group_id, estate_id=callback.estate_id, correlation_id=correlation_id,
                      causation_id=drawn_id)  # fmt: skip
        owed.append(Command(stream_of(callback.callback_id), ScheduleCallback(record, at), cause))
    return owed


def _source(order: dict[str, Any]) -> Source:
    return Source(
        OrderClosed.TYPE, order["order_id"], RequestKind(order["kind"]), order["closed_at"], order["category"],
        order["subcategory"], department=order["department"], unit_id=order["unit_id"],
        requester_name=order["requester_name"], requester_phone=order["requester_phone"], erp_id=order["erp_id"],
        worker_id=order.get("worker_id"),  # R-CB-3: the sampled callback still names who did the job
    )  # fmt: skip
