"""Recording a callback contact: the callback's terms from the read model, the decision on its stream.

The `callbacks` row (survey's read model of `CallbackScheduled` and the assignments) is locked for the
transaction: it says the callback exists, who may record it and what its policy allows, and the lock
keeps two contacts of one callback in order. What the contact makes of the callback is decided on
the stream `callback-record-<id>`, whose repository writes the rows and the outbox in this transaction.
"""

from __future__ import annotations

from typing import Any

from huifang_infra.auth import Principal
from huifang_infra.db import Connection
from huifang_infra.repository import Cause, Decided

from huifang_survey.domain import callback_record as cr
from huifang_survey.domain.callback import Contact
from huifang_survey.domain.errors import NotAssigned, NotFound
from huifang_survey.domain.events import ComplaintRaised, ContactAttempted, RecordCompleted, RecordFailed
from huifang_survey.domain.ratings import form_scale
from huifang_survey.service_layer.records import RecordRepository

DEFAULT_TIMEZONE = "Asia/Shanghai"


async def load_task(conn: Connection, callback_id: str, principal: Principal | None) -> tuple[cr.CallbackTerms, Any]:
    """The callback's terms, its row locked for this transaction; 404 unknown, 403 outside the scope.

    `principal` None: the resident's own link (a ballot token) vouches for the request.
    """
    row = await conn.fetchrow(
        """SELECT c.*, e.timezone, e.callback_scale FROM callbacks c
           LEFT JOIN estates e ON e.group_id = c.group_id AND e.estate_id = c.estate_id
           WHERE c.callback_id = $1 FOR UPDATE OF c""",
        callback_id,
    )
    if row is None or not row["scheduled"]:
        raise NotFound(f"callback {callback_id} is not scheduled")
    if principal is not None and not principal.can_see(row["group_id"], row["estate_id"]):
        raise NotAssigned(f"callback {callback_id} is outside your estates")
    terms = cr.CallbackTerms(
        callback_id=callback_id,
        max_attempts=row["max_attempts"],
        retry_spacing_minutes=row["retry_spacing_minutes"],
        deadline=row["deadline"],
        scale=form_scale(row["scale"], row["callback_scale"]),
        timezone=row["timezone"] or DEFAULT_TIMEZONE,
        assignee_id=row["assignee_id"],
    )
    return terms, row


async def record_contact(
    conn: Connection, records: RecordRepository, principal: Principal | None, callback_id: str, contact: Contact
) -> dict[str, Any]:
    terms, row = await load_task(conn, callback_id, principal)
    household = cr.Household(row["unit_id"], row["requester_name"], row["requester_phone"])
    # The callback's events continue the chain of its CallbackScheduled.
    cause = Cause(
        group_id=row["group_id"],
        estate_id=row["estate_id"],
        correlation_id=row["correlation_id"],
        causation_id=row["scheduled_event_id"],
        actor=contact.caller_id or None,
    )
    command = cr.RecordContact(terms, contact, household)
    decided = await records.execute(conn, cr.stream_id(callback_id), command, cause)
    return _response(callback_id, decided)


def _response(callback_id: str, decided: Decided[Any, Any, Any]) -> dict[str, Any]:
    attempt = next(e for e in decided.events if isinstance(e, ContactAttempted))
    done = next((e for e in decided.events if isinstance(e, RecordCompleted)), None)
    failed = next((e for e in decided.events if isinstance(e, RecordFailed)), None)
    issues = [e for e in decided.events if isinstance(e, ComplaintRaised)]
    return {
        "callback_id": callback_id,
        "status": decided.state.status,
        "attempt_no": attempt.attempt_no,
        "result": attempt.result.value,
        "next_attempt_after": _iso(attempt.next_attempt_after),
        "record_late": attempt.record_late,
        "ratings": done.ratings.model_dump(mode="json") if done else None,
        "satisfied_or_fair": done.satisfied_or_fair if done else None,
        "late": done.late if done else None,
        "failure_reason": failed.reason.value if failed else None,
        "issues": [
            {"issue_id": i.issue_id, "description": i.description, "category": i.category, "subcategory": i.subcategory}
            for i in issues
        ],
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
