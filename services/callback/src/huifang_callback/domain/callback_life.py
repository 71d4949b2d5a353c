"""The callback as a decider (issue 6 §4): scheduled → due → completed | failed, or overdue on the way.

`decide` says what a command makes happen given the callback's history, `evolve` folds one event into
the state. A second tick, a second instance or a replayed event finds nothing to decide (an empty list),
and the repository's expected version refuses a writer that decided on a stale state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from huifang_contracts.enums import StaffRole
from huifang_contracts.intake import ComplaintResolved

from huifang_callback.domain.commands import (
    CallbackCommand,
    CompleteCallback,
    CountAttempt,
    FailCallback,
    MarkDue,
    MarkOverdue,
    ReviseDeadline,
    ScheduleCallback,
)
from huifang_callback.domain.events import (
    AttemptCounted,
    BecameDue,
    BecameOverdue,
    CallbackEvent,
    CallbackRecord,
    Completed,
    DeadlineRevised,
    Failed,
    Imported,
    ReopenDecided,
    Scheduled,
    SkippedForFatigue,
)
from huifang_callback.domain.model import OPEN, CallbackState
from huifang_callback.domain.planning import escalation_after
from huifang_callback.domain.reopen import reopening_after

#: Only a resolved complaint can go back in progress; an order's or a renovation's callback cannot.
REOPENABLE = ComplaintResolved.TYPE


@dataclass(frozen=True)
class CallbackLife:
    """A callback's state as its events leave it; `record` is None until it is scheduled (or skipped)."""

    record: CallbackRecord | None = None
    state: CallbackState | None = None
    skipped: bool = False
    created_at: datetime | None = None
    attempts_used: int = 0
    satisfied: bool | None = None
    due_emitted_at: datetime | None = None
    overdue_at: datetime | None = None
    closed_at: datetime | None = None


def initial_state() -> CallbackLife:
    return CallbackLife()


def decide(command: CallbackCommand, life: CallbackLife) -> list[CallbackEvent]:
    if isinstance(command, ScheduleCallback):
        return _schedule(command, life)
    record = life.record
    if record is None or life.skipped or life.state is None:
        return []  # unknown here (or never made): nothing to move
    if isinstance(command, MarkDue):
        due = life.state is CallbackState.SCHEDULED and record.due_at <= command.at
        return [BecameDue(command.at)] if due else []
    if isinstance(command, MarkOverdue):
        if life.state is not CallbackState.DUE or record.deadline >= command.at:
            return []
        up = escalation_after(list(record.escalation), record.caller_role)
        return [BecameOverdue(command.at, life.attempts_used, up)]
    if isinstance(command, ReviseDeadline):
        return _revise(command, life, record)
    if isinstance(command, CountAttempt):
        # R-CB-11: the greatest attempt number, not a running count: a redelivered or late attempt
        # leaves the figure true (attempt 3 means three tries were made).
        return [AttemptCounted(command.attempt_no)] if command.attempt_no > life.attempts_used else []
    if life.state not in OPEN:
        return []  # a late answer closes an overdue callback, but nothing closes one twice
    if isinstance(command, FailCallback):
        return [Failed(command.at, max(life.attempts_used, command.attempts_used))]
    return _complete(command, life, record)


def _schedule(command: ScheduleCallback, life: CallbackLife) -> list[CallbackEvent]:
    if life.record is not None:
        return []  # the same source, rule and round again: decided already
    record, fatigue = command.callback, command.fatigue
    if not record.mandatory and fatigue is not None and command.recent_contacts >= fatigue.max_contacts:
        return [SkippedForFatigue(record, command.at, command.recent_contacts, fatigue.max_contacts, fatigue.days)]
    scheduled: list[CallbackEvent] = [Scheduled(record, command.at)]
    if record.due_at <= command.at:  # R-CB-7: the window is open already; announced in the same breath
        scheduled.append(BecameDue(command.at))
    return scheduled


def _revise(command: ReviseDeadline, life: CallbackLife, record: CallbackRecord) -> list[CallbackEvent]:
    """A window counted again moves only while nothing was announced that it would contradict: a
    scheduled callback entirely, a due one its deadline (it is in the queues already)."""
    if life.state not in (CallbackState.SCHEDULED, CallbackState.DUE):
        return []
    start, due = (command.window_start, command.due_at) if life.state is CallbackState.SCHEDULED else (
        record.window_start, record.due_at)  # fmt: skip
    if (start, due, command.deadline, command.provisional) == (
        record.window_start,
        record.due_at,
        record.deadline,
        record.deadline_provisional,
    ):
        return []
    return [DeadlineRevised(command.at, start, due, command.deadline, command.provisional, command.reason)]


def _complete(command: CompleteCallback, life: CallbackLife, record: CallbackRecord) -> list[CallbackEvent]:
    done: list[CallbackEvent] = [
        Completed(command.at, command.satisfied, max(life.attempts_used, command.attempts_used))
    ]
    if command.satisfied or record.source_type != REOPENABLE:
        return done
    # R-CB-10: dissatisfied → back to the department; from the cap on, escalated one step per round.
    path = [StaffRole(r) for r in record.escalation]
    reopening = reopening_after(record.round, record.reopen_cap, path)
    done.append(
        ReopenDecided(
            command.decided_at, reopening.next_round, reopening.escalate_to_role, command.reason, command.occurred_at
        )
    )
    return done


def evolve(life: CallbackLife, event: CallbackEvent) -> CallbackLife:
    if isinstance(event, Scheduled):
        return replace(life, record=event.callback, state=CallbackState.SCHEDULED, created_at=event.at)
    if isinstance(event, SkippedForFatigue):
        return replace(life, record=event.callback, skipped=True, created_at=event.at)
    if isinstance(event, BecameDue):
        return replace(life, state=CallbackState.DUE, due_emitted_at=event.at)
    if isinstance(event, BecameOverdue):
        return replace(life, state=CallbackState.OVERDUE, overdue_at=event.at)
    if isinstance(event, DeadlineRevised):
        assert life.record is not None
        revised = replace(
            life.record, window_start=event.window_start, due_at=event.due_at, deadline=event.deadline,
            deadline_provisional=event.provisional,
        )  # fmt: skip
        return replace(life, record=revised)
    if isinstance(event, AttemptCounted):
        return replace(life, attempts_used=max(life.attempts_used, event.attempt_no))
    if isinstance(event, Completed):
        return replace(
            life, state=CallbackState.COMPLETED, closed_at=event.at, satisfied=event.satisfied,
            attempts_used=event.attempts_used,
        )  # fmt: skip
    if isinstance(event, Failed):
        return replace(life, state=CallbackState.FAILED, closed_at=event.at, attempts_used=event.attempts_used)
    if isinstance(event, Imported):
        return CallbackLife(
            record=event.callback, state=CallbackState(event.state), created_at=event.created_at,
            attempts_used=event.attempts_used, satisfied=event.satisfied, due_emitted_at=event.due_emitted_at,
            overdue_at=event.overdue_at, closed_at=event.closed_at,
        )  # fmt: skip
    return life  # ReopenDecided: the complaint's next round is intake's and a new callback's
