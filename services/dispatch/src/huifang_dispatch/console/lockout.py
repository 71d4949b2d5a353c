"""Account lockout after repeated wrong passwords, as plain values (no clock reads, no I/O).

Failures are counted in a window that opens at the first failure; reaching the limit inside it locks
the account for a while and starts counting afresh. A successful sign-in clears the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class FailureState:
    failed_count: int = 0
    window_from: datetime | None = None
    locked_until: datetime | None = None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def after_failure(state: FailureState, now: datetime, policy: LockoutPolicy) -> FailureState:
    """One more wrong password: counted in the open window, or the first of a new one."""
    if state.window_from is None or now - state.window_from >= policy.window:
        count, window_from = 1, now
    else:
        count, window_from = state.failed_count + 1, state.window_from
    if count >= policy.max_failures:
        return FailureState(0, None, now + policy.lock_for)
    return FailureState(count, window_from, state.locked_until if state.locked_at(now) else None)


def after_success() -> FailureState:
    return FailureState()
