"""The callback-record projection: attempts, the record, raised issues, and the callback's status.

Rows are inserted from the new events (each appended once) and the callback's `status` and
`attempts_used` set from the state after them; an imported record writes all its rows at once. The
`callbacks` row itself is the read model of other services' events: only those two columns are this
stream's. Rebuilding runs the same code over every stored event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from huifang_infra.db import Connection

from huifang_survey.domain.events import (
    CallbackRecord,
    ComplaintRaised,
    ContactAttempted,
    RecordCompleted,
    RecordEvent,
    RecordImported,
)

#: What a state rebuild empties and refills from the callback-record streams (children first).
RECORD_TABLES = ("raised_issues", "callback_records", "callback_attempts")

_ATTEMPT = """INSERT INTO callback_attempts (callback_id, attempt_no, group_id, estate_id, caller_id, result, method,
        contacted_at, recorded_at, answered_by, relation, duration_seconds, note, next_attempt_after, record_late)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"""
_RECORD = """INSERT INTO callback_records (callback_id, group_id, estate_id, caller_id, method, completed_at,
        recorded_at, answered_by, relation, duration_seconds, ratings, satisfied_or_fair, comments, suggestions,
        late, record_late, attempts_used)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb, $12, $13, $14, $15, $16, $17)"""
_ISSUE = """INSERT INTO raised_issues (issue_id, callback_id, group_id, estate_id, description, category,
        subcategory, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"""
_STATUS = """UPDATE callbacks SET status = s.status, attempts_used = s.attempts_used
    FROM unnest($1::text[], $2::text[], $3::int[]) AS s(callback_id, status, attempts_used)
    WHERE callbacks.callback_id = s.callback_id"""


def _value(enum: Any) -> Any:
    return enum.value if enum is not None else None


def _attempt(e: ContactAttempted, g: str, s: str) -> tuple[Any, ...]:
    return (
        e.callback_id, e.attempt_no, g, s, e.caller_id, e.result.value, e.method.value, e.contacted_at,
        e.recorded_at, e.answered_by, _value(e.relation), e.duration_seconds, e.note, e.next_attempt_after,
        e.record_late,
    )  # fmt: skip


def _record(e: RecordCompleted, g: str, s: str) -> tuple[Any, ...]:
    return (
        e.callback_id, g, s, e.caller_id, e.method.value, e.completed_at, e.recorded_at, e.answered_by,
        _value(e.relation), e.duration_seconds, e.ratings.model_dump_json(), e.satisfied_or_fair,
        e.comments, e.suggestions, e.late, e.record_late, e.attempts_used,
    )  # fmt: skip


def _issue(e: ComplaintRaised, g: str, s: str) -> tuple[Any, ...]:
    return (e.issue_id, e.callback_id, g, s, e.description, e.category, e.subcategory, e.recorded_by, e.recorded_at)


def _facts(events: Iterable[RecordEvent]) -> Iterable[RecordEvent]:
    """The events, with an import unfolded into the facts it carries."""
    for event in events:
        if isinstance(event, RecordImported):
            r = event.record
            yield from r.attempts
            yield from [r.completion] if r.completion is not None else []
            yield from r.issues
        else:
            yield event


async def write_records(
    conn: Connection, changes: Sequence[tuple[str, str, Sequence[RecordEvent], CallbackRecord]]
) -> None:
    """Each change: (group, estate, its new events, the state after them)."""
    attempts, records, issues = [], [], []
    for group_id, estate_id, events, _state in changes:
        for e in _facts(events):
            if isinstance(e, ContactAttempted):
                attempts.append(_attempt(e, group_id, estate_id))
            elif isinstance(e, RecordCompleted):
                records.append(_record(e, group_id, estate_id))
            elif isinstance(e, ComplaintRaised):
                issues.append(_issue(e, group_id, estate_id))
    for statement, rows in ((_ATTEMPT, attempts), (_RECORD, records), (_ISSUE, issues)):
        if rows:
            await conn.executemany(statement, rows)
    latest = {events[0].callback_id: state for _g, _s, events, state in changes if events}
    await conn.execute(
        _STATUS, list(latest), [s.status for s in latest.values()], [s.attempts_used for s in latest.values()]
    )
