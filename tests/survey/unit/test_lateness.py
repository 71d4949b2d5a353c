"""R-CB-12: the record is completed the same day or the next day, in the estate's local dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from huifang_survey.domain.lateness import after_deadline, record_is_late

pytestmark = pytest.mark.unit

SHANGHAI = "Asia/Shanghai"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_same_and_next_local_day_are_on_time() -> None:
    called = utc(2026, 3, 5, 2, 0)  # 10:00 Shanghai, 5 March
    assert record_is_late(called, utc(2026, 3, 5, 9, 0), SHANGHAI) is False
    assert record_is_late(called, utc(2026, 3, 6, 15, 59), SHANGHAI) is False  # 23:59 on the 6th


def test_the_day_after_next_is_late() -> None:
    called = utc(2026, 3, 5, 2, 0)
    assert record_is_late(called, utc(2026, 3, 6, 16, 0), SHANGHAI) is True  # 00:00 on the 7th, local


def test_local_dates_not_utc_dates_decide() -> None:
    # 23:30 Shanghai on 5 March is 15:30 UTC the 5th; a record at 00:30 local on the 7th is 16:30 UTC the
    # 6th: UTC dates say "next day", the estate's calendar says "two days later" → late (R-CB-12)
    called = utc(2026, 3, 5, 15, 30)
    recorded = utc(2026, 3, 6, 16, 30)
    assert record_is_late(called, recorded, SHANGHAI) is True
    assert record_is_late(called, recorded, "UTC") is False


def test_after_deadline_is_strictly_later() -> None:
    deadline = utc(2026, 3, 8, 16, 0)
    assert after_deadline(deadline, deadline) is False
    assert after_deadline(utc(2026, 3, 8, 16, 1), deadline) is True
    assert after_deadline(utc(2026, 3, 8, 16, 1), None) is False
