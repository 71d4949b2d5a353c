"""Sign-in lockout (issue 11 §2): 5 wrong passwords within 15 minutes lock the account for 15 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from huifang_dispatch.console.lockout import FailureState, LockoutPolicy, after_failure, after_success

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
POLICY = LockoutPolicy(max_failures=5, window=timedelta(minutes=15), lock_for=timedelta(minutes=15))


def fail_times(minutes: list[float]) -> FailureState:
    state = FailureState()
    for m in minutes:
        state = after_failure(state, T0 + timedelta(minutes=m), POLICY)
    return state


def test_the_fifth_failure_within_the_window_locks_for_fifteen_minutes() -> None:
    state = fail_times([0, 1, 2, 3, 14])
    assert state.locked_until == T0 + timedelta(minutes=29)
    assert state.locked_at(T0 + timedelta(minutes=28, seconds=59))
    assert not state.locked_at(T0 + timedelta(minutes=29))
    assert state.failed_count == 0  # counting starts afresh after the lock


def test_four_failures_do_not_lock() -> None:
    state = fail_times([0, 1, 2, 3])
    assert (state.failed_count, state.locked_until) == (4, None)


def test_failures_spread_beyond_the_window_start_a_new_count() -> None:
    # 0, 1, 2, 3 then 15 (the window opened at 0 is over): a new window with one failure.
    state = fail_times([0, 1, 2, 3, 15])
    assert (state.failed_count, state.window_from, state.locked_until) == (1, T0 + timedelta(minutes=15), None)


def test_a_success_clears_the_count() -> None:
    assert after_success() == FailureState(0, None, None)
    state = after_failure(after_success(), T0, POLICY)
    assert state.failed_count == 1
