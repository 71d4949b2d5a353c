"""The corrective-action stream's events → contract events, one function each, enveloped for the outbox.

`CorrectiveActionRequired` and `CorrectiveActionVerified` go out on `reporting.actions`; an
acknowledgement has no contract event yet and an import republishes nothing (its notice went out
before the stream existed), so both map to nothing. A command caused by a consumed event would carry
its correlation in the cause; HTTP commands and the month closer start a chain of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.envelope import Envelope
from huifang_contracts.reporting import CorrectiveActionRequired, CorrectiveActionVerified
from huifang_infra.repository import Cause, Decided

from huifang_reporting.domain.events import (
    ActionAcknowledged,
    ActionEvent,
    ActionImported,
    ActionRequired,
    ActionVerified,
    CorrectiveAction,
    Notice,
)

PRODUCER = "reporting"


def _wrap(event: IntegrationEvent, notice: Notice, cause: Cause, at: Any) -> Envelope:
    return Envelope.wrap(
        event,
        group_id=notice.group_id,
        estate_id=notice.estate_id,
        aggregate_id=notice.action_id,
        producer=PRODUCER,
        occurred_at=at,
        recorded_at=at,
        correlation_id=cause.correlation_id,
        causation_id=cause.causation_id,
    )


def required(notice: Notice) -> CorrectiveActionRequired:
    """The contract event of a notice (also what `POST /months/{m}/close` answers with)."""
    return CorrectiveActionRequired(
        action_id=notice.action_id,
        metric=notice.metric,
        dimension=notice.dimension,
        period=notice.period,
        target_percent=notice.target_percent,
        actual_percent=notice.actual_percent,
        deadline=notice.deadline,
        issued_by=notice.issued_by,
    )


def _required(_action: CorrectiveAction, event: ActionRequired, cause: Cause) -> Sequence[Envelope]:
    return [_wrap(required(event.notice), event.notice, cause, event.notice.issued_at)]


def _verified(action: CorrectiveAction, event: ActionVerified, cause: Cause) -> Sequence[Envelope]:
    assert action.notice is not None
    v = event.verification
    contract = CorrectiveActionVerified(
        action_id=action.notice.action_id,
        verified_by=v.by,
        effective=v.effective,
        actual_percent=v.actual_percent,
        note=v.note,
    )
    return [_wrap(contract, action.notice, cause, v.at)]


def _unpublished(_action: CorrectiveAction, _event: Any, _cause: Cause) -> Sequence[Envelope]:
    return ()


_Mapping = Callable[[CorrectiveAction, Any, Cause], Sequence[Envelope]]
_PUBLISHED: dict[type[ActionEvent], _Mapping] = {
    ActionRequired: _required,
    ActionAcknowledged: _unpublished,
    ActionVerified: _verified,
    ActionImported: _unpublished,
}


def published(decided: Decided[Any, CorrectiveAction, ActionEvent]) -> list[Envelope]:
    """The contract events of what one command decided to this notice."""
    return [env for e in decided.events for env in _PUBLISHED[type(e)](decided.state, e, decided.cause)]
