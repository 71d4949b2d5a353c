"""Recording a callback contact: check the task, store the attempt and the record, publish the outcome."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from huifang_infra.auth import Principal
from huifang_infra.db import Connection
from huifang_infra.outbox import Outbox

from huifang_survey.domain.callback import CallbackTask, Contact, Outcome
from huifang_survey.domain.errors import NotAssigned, NotFound
from huifang_survey.domain.ratings import form_scale
from huifang_survey.service_layer.outgoing import Tenancy, contact_events, issue_id_for

DEFAULT_TIMEZONE = "Asia/Shanghai"


async def load_task(conn: Connection, callback_id: str, principal: Principal | None) -> tuple[CallbackTask, Any]:
    """The callback, locked for this transaction, as a domain task; 404 unknown, 403 outside the scope.

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
    task = CallbackTask(
        callback_id=callback_id,
        max_attempts=row["max_attempts"],
        retry_spacing_minutes=row["retry_spacing_minutes"],
        deadline=row["deadline"],
        scale=form_scale(row["scale"], row["callback_scale"]),
        timezone=row["timezone"] or DEFAULT_TIMEZONE,
        assignee_id=row["assignee_id"],
        status=row["status"],
        attempts_used=row["attempts_used"],
    )
    return task, row


async def record_contact(
    conn: Connection, outbox: Outbox, principal: Principal | None, callback_id: str, contact: Contact
) -> dict[str, Any]:
    task, row = await load_task(conn, callback_id, principal)
    outcome = task.record(contact)
    await _store(conn, row, contact, outcome, task)
    tenancy = Tenancy(
        row["group_id"], row["estate_id"], row["correlation_id"], row["scheduled_event_id"], contact.recorded_at
    )
    household = {k: row[k] for k in ("unit_id", "requester_name", "requester_phone")}
    await outbox.add(conn, contact_events(tenancy, callback_id, contact, outcome, household))
    return _response(callback_id, task, contact, outcome)


#: One round trip for the attempt, the task's state and (when reached) the record: a record is the hot path.
STORE_CONTACT = """
WITH attempt AS (
    INSERT INTO callback_attempts (callback_id, attempt_no, group_id, estate_id, caller_id, result, method,
        contacted_at, recorded_at, answered_by, relation, duration_seconds, note, next_attempt_after, record_late)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
), task AS (
    UPDATE callbacks SET status = $16, attempts_used = $2 WHERE callback_id = $1
)
INSERT INTO callback_records (callback_id, group_id, estate_id, caller_id, method, completed_at, recorded_at,
    answered_by, relation, duration_seconds, ratings, satisfied_or_fair, comments, suggestions, late, record_late,
    attempts_used)
SELECT $1, $3, $4, $5, $7, $8, $9, $10, $11, $12, $17::jsonb, $18::boolean, $19::text, $20::text, $21::boolean,
    $15, $2
WHERE $17::jsonb IS NOT NULL
"""


async def _store(conn: Connection, row: Any, contact: Contact, outcome: Outcome, task: CallbackTask) -> None:
    g, e, cid, no = row["group_id"], row["estate_id"], row["callback_id"], outcome.attempt.attempt_no
    done = outcome.completion
    await conn.execute(
        STORE_CONTACT,
        cid, no, g, e, contact.caller_id, contact.result.value, contact.method.value, contact.contacted_at,
        contact.recorded_at, contact.answered_by, contact.relation.value if contact.relation else None,
        contact.duration_seconds, contact.note, outcome.attempt.next_attempt_after, outcome.attempt.record_late,
        task.status,
        done.ratings.model_dump(mode="json") if done else None,
        done.satisfied_or_fair if done else None,
        contact.comments if done else None,
        contact.suggestions if done else None,
        done.late if done else None,
    )  # fmt: skip
    if outcome.issues:
        await conn.executemany(
            """INSERT INTO raised_issues (issue_id, callback_id, group_id, estate_id, description, category,
                   subcategory, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
            [
                (issue_id_for(cid, no, i), cid, g, e, issue.description, issue.category, issue.subcategory,
                 contact.caller_id, contact.recorded_at)
                for i, issue in enumerate(outcome.issues)
            ],
        )  # fmt: skip


def _response(callback_id: str, task: CallbackTask, contact: Contact, outcome: Outcome) -> dict[str, Any]:
    done, failed = outcome.completion, outcome.failure
    return {
        "callback_id": callback_id,
        "status": task.status,
        "attempt_no": outcome.attempt.attempt_no,
        "result": contact.result.value,
        "next_attempt_after": _iso(outcome.attempt.next_attempt_after),
        "record_late": outcome.attempt.record_late,
        "ratings": done.ratings.model_dump(mode="json") if done else None,
        "satisfied_or_fair": done.satisfied_or_fair if done else None,
        "late": done.late if done else None,
        "failure_reason": failed.reason.value if failed else None,
        "issues": [
            {"issue_id": issue_id_for(callback_id, outcome.attempt.attempt_no, i)} | asdict(issue)
            for i, issue in enumerate(outcome.issues)
        ],
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
