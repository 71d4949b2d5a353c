"""The assignment streams' write side: consumed events, the retry loop and the holders' and managers'
requests become commands on `assignment-<callback id>`, decided and appended by one repository.

A consumer's batch is one `execute_many`: one load of every stream it names, one read (and lock) of
the staff of its estates, decisions in record order against loads kept live on the board, one
append, one projection write per table, one outbox write. The same board and repository serve the
retry loop and the HTTP commands, which run in their own transaction and are re-run on a fresh load
when another writer moved the stream (then 409).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from huifang_contracts.callback import CallbackDue, CallbackOverdue, CallbackScheduled
from huifang_contracts.envelope import Envelope
from huifang_contracts.survey import CallbackAttempted, CallbackCompleted, CallbackFailed
from huifang_infra.auth import Principal
from huifang_infra.db import Connection, Pool, transaction
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.eventstore import WrongExpectedVersion
from huifang_infra.outbox import Outbox
from huifang_infra.repository import Cause, Command, ConcurrencyConflict, Decided, Repository

from huifang_dispatch.adapters import assignments as projection
from huifang_dispatch.adapters import callbacks
from huifang_dispatch.domain import assignment as a
from huifang_dispatch.domain.assignment_state import AssignmentState
from huifang_dispatch.domain.events import (
    ASSIGNMENT_EVENTS,
    AssignmentClosed,
    AssignmentDue,
    AssignmentEvent,
    AssignmentRequested,
    AttemptCounted,
)
from huifang_dispatch.service_layer.outgoing import published
from huifang_dispatch.service_layer.scope import check_row
from huifang_dispatch.service_layer.staff_board import EMPTY_BOARD, StaffBoard, load_board

AssignmentRepository = Repository[a.AssignmentCommand, AssignmentState, AssignmentEvent]
AssignmentDecided = Decided[a.AssignmentCommand, AssignmentState, AssignmentEvent]
Clock = Callable[[], datetime]

CODEC: EventCodec[AssignmentEvent] = EventCodec(ASSIGNMENT_EVENTS)
HTTP_ATTEMPTS = 3


async def project(conn: Connection, decided: Sequence[Decided[Any, Any, Any]]) -> None:
    """The `callbacks` row of each stream's last state, and the open loads the decisions moved."""
    latest: dict[str, AssignmentState] = {}
    moves: list[a.LoadMove] = []
    for d in decided:
        latest[d.stream_id] = d.state
        moves += a.load_moves(d.before, d.events)
    await projection.write_callbacks(conn, latest.values())
    await projection.write_loads(conn, moves)


def decider(board: StaffBoard) -> Decider[a.AssignmentCommand, AssignmentState, AssignmentEvent]:
    """The domain's decider, and after each decision the load it moved taken onto the board."""

    def decide(command: a.AssignmentCommand, state: AssignmentState) -> list[AssignmentEvent]:
        events = a.decide(command, state)
        if events:
            board.note(a.load_moves(state, events))
        return events

    return Decider(a.initial_state, decide, a.evolve)


class Assignments:
    """Built once at the composition root."""

    def __init__(self, outbox: Outbox | None, escalation_role: str, clock: Clock) -> None:
        self.outbox, self.escalation_role, self.clock = outbox, escalation_role, clock

    def repository(self, board: StaffBoard = EMPTY_BOARD) -> AssignmentRepository:
        return Repository(decider(board), CODEC, outbox=self.outbox, project=project, publish=published)

    # -- consumed events -----------------------------------------------------------------------

    async def apply(self, conn: Connection, items: Sequence[tuple[Any, Envelope[Any]]]) -> list[AssignmentDecided]:
        """A consumer batch of callback's and survey's events: one `execute_many`."""
        wanted = [(env.group_id, env.estate_id, env.occurred_at) for event, env in items if type(event) in _PLACING]
        board = await load_board(conn, wanted)
        commands = [
            Command(
                a.stream_id(event.callback_id),
                _COMMANDS[type(event)](self, event, env, board),
                Cause.of_envelope(env),
            )
            for event, env in items
        ]
        return await self.repository(board).execute_many(conn, commands)

    def _requested(self, event: CallbackScheduled, env: Envelope[Any], _board: StaffBoard) -> a.AssignmentCommand:
        return a.RequestAssignment(
            AssignmentRequested(
                callback_id=event.callback_id,
                group_id=env.group_id,
                estate_id=env.estate_id,
                due_at=event.due_at,
                deadline=event.deadline,
                method=event.method.value,
                caller_role=event.caller_role.value,
                kind=event.kind.value,
                source_type=event.source_type,
                source_id=event.source_id,
                window_start=event.window_start,
                apology=event.apology,
                max_attempts=event.max_attempts,
                round=event.round,
                department=event.department,
                # The original worker is excluded from rating their own job; read when the contract carries it.
                worker_id=getattr(event, "worker_id", None),
                grade=event.grade.value if event.grade else None,
                category=event.category,
                subcategory=event.subcategory,
                unit_id=event.unit_id,
                requester_name=event.requester_name,
                requester_phone=event.requester_phone,
            )
        )

    def _due(self, event: CallbackDue, env: Envelope[Any], board: StaffBoard) -> a.AssignmentCommand:
        due = AssignmentDue(
            callback_id=event.callback_id,
            group_id=env.group_id,
            estate_id=env.estate_id,
            due_at=event.due_at,
            deadline=event.deadline,
            method=event.method.value,
            caller_role=event.caller_role.value,
            at=env.occurred_at,
        )
        return a.MarkDue(due, board.view(env.estate_id, env.occurred_at), self.escalation_role)

    def _overdue(self, event: CallbackOverdue, env: Envelope[Any], board: StaffBoard) -> a.AssignmentCommand:
        role = event.escalate_to_role.value if event.escalate_to_role else self.escalation_role
        return a.EscalateOverdue(role, env.occurred_at, board.view(env.estate_id, env.occurred_at))

    def _attempted(self, event: CallbackAttempted, env: Envelope[Any], _board: StaffBoard) -> a.AssignmentCommand:
        counted = AttemptCounted(event.callback_id, env.group_id, env.estate_id, event.attempt_no, event.attempted_at)
        return a.CountAttempt(counted)

    def _completed(self, event: CallbackCompleted, env: Envelope[Any], _board: StaffBoard) -> a.AssignmentCommand:
        return _close(event.callback_id, env, "completed")

    def _failed(self, event: CallbackFailed, env: Envelope[Any], _board: StaffBoard) -> a.AssignmentCommand:
        return _close(event.callback_id, env, "failed")

    # -- the unassigned queue, tried again ------------------------------------------------------

    async def retry_unassigned(self, pool: Pool, limit: int) -> int:
        """One pass over the oldest waiting callbacks in one transaction; returns how many found someone."""
        async with transaction(pool) as conn:
            waiting = await callbacks.unassigned(conn, limit)
            if not waiting:
                return 0
            now = self.clock()
            board = await load_board(conn, [(r["group_id"], r["estate_id"], now) for r in waiting])
            commands: list[Command[a.AssignmentCommand]] = [
                Command(
                    a.stream_id(r["callback_id"]),
                    a.RetryPlacing(now, board.view(r["estate_id"], now), self.escalation_role),
                    Cause(group_id=r["group_id"], estate_id=r["estate_id"], actor="dispatch.retry"),
                )
                for r in waiting
            ]
            decided = await self.repository(board).execute_many(conn, commands)
        return sum(1 for d in decided if d.state.status == "assigned" and d.events)

    # -- the holder's and the managers' requests ------------------------------------------------

    async def accept(self, pool: Pool, principal: Principal, callback_id: str) -> None:
        await self._on_callback(pool, principal, callback_id, lambda _view, now: a.Accept(principal.sub, now))

    async def release(self, pool: Pool, principal: Principal, callback_id: str) -> str:
        decided = await self._on_callback(
            pool, principal, callback_id, lambda view, now: a.Release(principal.sub, now, view), staff=True
        )
        assert decided.state.assignee_id is not None
        return decided.state.assignee_id

    async def reassign(self, pool: Pool, principal: Principal, callback_id: str, assignee_id: str) -> None:
        await self._on_callback(
            pool,
            principal,
            callback_id,
            lambda view, now: a.Reassign(assignee_id, principal.sub, now, view),
            staff=True,
        )

    async def _on_callback(
        self,
        pool: Pool,
        principal: Principal,
        callback_id: str,
        command: Callable[[a.StaffOnDuty, datetime], a.AssignmentCommand],
        *,
        staff: bool = False,
    ) -> AssignmentDecided:
        """Scope checked on the row, the estate's staff read and locked, decided — re-run when raced."""
        stream = a.stream_id(callback_id)
        for _attempt in range(HTTP_ATTEMPTS):
            try:
                async with transaction(pool) as conn:
                    row = check_row(principal, await callbacks.get_callback(conn, callback_id), "callback")
                    now = self.clock()
                    wanted = [(row["group_id"], row["estate_id"], now)] if staff else []
                    board = await load_board(conn, wanted)
                    cause = Cause(group_id=row["group_id"], estate_id=row["estate_id"], actor=principal.sub)
                    view = board.view(row["estate_id"], now)
                    return await self.repository(board).execute(conn, stream, command(view, now), cause)
            except WrongExpectedVersion:
                continue
        raise ConcurrencyConflict(stream, HTTP_ATTEMPTS)


def _close(callback_id: str, env: Envelope[Any], outcome: str) -> a.AssignmentCommand:
    """Completed or failed: the holder's open load drops by one, once."""
    return a.CloseAssignment(AssignmentClosed(callback_id, env.group_id, env.estate_id, outcome, env.occurred_at))


_PLACING = frozenset({CallbackDue, CallbackOverdue, CallbackCompleted, CallbackFailed})
_COMMANDS: dict[type[Any], Callable[[Assignments, Any, Envelope[Any], StaffBoard], a.AssignmentCommand]] = {
    CallbackScheduled: Assignments._requested,
    CallbackDue: Assignments._due,
    CallbackOverdue: Assignments._overdue,
    CallbackAttempted: Assignments._attempted,
    CallbackCompleted: Assignments._completed,
    CallbackFailed: Assignments._failed,
}
#: The consumed event types this write side handles, one batch handler for them all.
CONSUMED = tuple(cls.TYPE for cls in _COMMANDS)
