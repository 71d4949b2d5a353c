"""A callback owed: built from a source and the rule that matched it, with everything the caller needs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from huifang_contracts.enums import CallbackMethod, SatisfactionScale, StaffRole

from huifang_callback.domain.events import CallbackRecord
from huifang_callback.domain.policy import PolicyInForce, Rule
from huifang_callback.domain.sources import Source
from huifang_callback.domain.windows import DueWindow

_IDS = uuid.UUID("6f1d4c1e-8a0b-4c55-9d3e-6c0a1b2c3d4e")


def callback_id_for(source_type: str, source_id: str, rule_id: str, round_no: int) -> str:
    """Deterministic, so a replayed event or a second instance names the same callback (one row)."""
    return f"cb-{uuid.uuid5(_IDS, f'{source_type}|{source_id}|{rule_id}|{round_no}')}"


def event_id_for(callback_id: str, what: str) -> uuid.UUID:
    """Deterministic event ids: even a duplicate emission would be deduplicated by every consumer."""
    return uuid.uuid5(_IDS, f"{callback_id}|{what}")


@dataclass(frozen=True)
class Callback:
    callback_id: str
    group_id: str
    estate_id: str
    source: Source
    rule: Rule
    policy_id: str
    policy_version: int
    window: DueWindow
    method: CallbackMethod
    caller_role: StaffRole
    apology: bool = False
    sampled: bool = False
    sample_id: str | None = None
    created_at: datetime | None = None
    rating_scale: SatisfactionScale = SatisfactionScale.FOUR_LEVEL  # R-SV-3
    tags: dict[str, str] = field(default_factory=dict)

    @classmethod
    def owed(
        cls,
        *,
        group_id: str,
        estate_id: str,
        source: Source,
        rule: Rule,
        policy: PolicyInForce,
        window: DueWindow,
        method: CallbackMethod,
        caller_role: StaffRole,
        apology: bool = False,
        sample_id: str | None = None,
    ) -> Callback:
        return cls(
            callback_id=callback_id_for(source.event_type, source.source_id, rule.rule_id, source.round),
            group_id=group_id,
            estate_id=estate_id,
            source=source,
            rule=rule,
            policy_id=policy.policy_id,
            policy_version=policy.version,
            window=window,
            method=method,
            caller_role=caller_role,
            apology=apology,
            sampled=sample_id is not None,
            sample_id=sample_id,
            rating_scale=policy.body.rating_scale_for(rule),
        )

    def record(self, *, correlation_id: UUID | None = None, cause_event_id: UUID | None = None) -> CallbackRecord:
        """The flat record its stream keeps: the rule's limits copied, so a later policy change leaves it be."""
        s, rule = self.source, self.rule
        return CallbackRecord(
            callback_id=self.callback_id,
            group_id=self.group_id,
            estate_id=self.estate_id,
            source_type=s.event_type,
            source_id=s.source_id,
            kind=s.kind,
            round=s.round,
            rule_id=rule.rule_id,
            policy_id=self.policy_id,
            policy_version=self.policy_version,
            window_start=self.window.window_start,
            due_at=self.window.due_at,
            deadline=self.window.deadline,
            method=self.method,
            caller_role=self.caller_role,
            max_attempts=rule.max_attempts,
            retry_spacing_minutes=rule.retry_spacing_minutes,
            reopen_cap=rule.reopen_cap,
            mandatory=rule.mandatory,
            rating_scale=self.rating_scale,
            escalation=tuple(rule.escalation),
            apology=self.apology,
            sampled=self.sampled,
            sample_id=self.sample_id,
            unit_id=s.unit_id,
            department=s.department,
            erp_id=s.erp_id,
            grade=s.grade,
            category=s.category,
            subcategory=s.subcategory,
            requester_name=s.requester_name,
            requester_phone=s.requester_phone,
            worker_id=s.worker_id,
            correlation_id=correlation_id,
            cause_event_id=cause_event_id,
            occurred_at=s.occurred_at,
            deadline_provisional=self.window.provisional,
        )
