"""R-OP-3: the duty log (值班记录) of one service center's duty day as a decider.

Entries are only ever added: a mistake is corrected by a new entry naming the old one, and the
supervisor signs each day once. The day's stream is the record; the `duty_log_entries` table is its
projection (and keeps refusing changes in the database itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from huifang_dispatch.domain.errors import Conflict, InputInvalid
from huifang_dispatch.domain.events import (
    DutyDayImported,
    DutyDayKey,
    DutyLogEntryWritten,
    DutyLogEvent,
    DutyLogSignedOff,
)


def stream_id(day: DutyDayKey) -> str:
    return f"duty-log-{day.group_id}:{day.estate_id}:{day.service_center}:{day.duty_date.isoformat()}"


@dataclass(frozen=True, slots=True)
class DutyDay:
    entries: int = 0
    signed_off: bool = False


@dataclass(frozen=True)
class WriteEntry:
    day: DutyDayKey
    entry_id: int  # the next number of the log, taken by the service layer
    author_id: str
    author_role: str
    body: str
    corrects_entry_id: int | None = None
    # What the corrected entry is in this service center's log: its kind, or None when there is no such entry.
    corrected_kind: str | None = None


@dataclass(frozen=True)
class SignOff:
    day: DutyDayKey
    entry_id: int
    author_id: str
    author_role: str
    body: str
    today: date  # the duty day now running in the estate


@dataclass(frozen=True)
class ImportDay:
    imported: DutyDayImported


DutyLogCommand = WriteEntry | SignOff | ImportDay


def initial_state() -> DutyDay:
    return DutyDay()


def decide(command: DutyLogCommand, state: DutyDay) -> list[DutyLogEvent]:
    match command:
        case WriteEntry(day, entry_id, author, role, body, corrects, corrected_kind):
            if corrects is not None:
                if corrected_kind is None:
                    raise InputInvalid("corrects_entry_id", "no such entry in this service center's log")
                if corrected_kind == "sign_off":
                    raise InputInvalid("corrects_entry_id", "a sign-off is not corrected; write a new entry")
            kind = "entry" if corrects is None else "correction"
            return [DutyLogEntryWritten(day, entry_id, kind, author, role, body, corrects)]
        case SignOff(day, entry_id, author, role, body, today):
            if day.duty_date > today:
                raise InputInvalid("duty_date", "a duty day that has not begun cannot be signed")
            if state.signed_off:
                raise Conflict(f"the log of {day.duty_date.isoformat()} is already signed")
            return [DutyLogSignedOff(day, entry_id, author, role, body)]
        case ImportDay(imported):
            return [] if state.entries else [imported]
    raise TypeError(f"not a duty log command: {command!r}")


def evolve(state: DutyDay, event: DutyLogEvent) -> DutyDay:
    match event:
        case DutyLogEntryWritten():
            return DutyDay(state.entries + 1, state.signed_off)
        case DutyLogSignedOff():
            return DutyDay(state.entries + 1, True)
        case DutyDayImported():
            signed = any(e.kind == "sign_off" for e in event.entries)
            return DutyDay(state.entries + len(event.entries), state.signed_off or signed)
    raise TypeError(f"not a duty log event: {event!r}")
