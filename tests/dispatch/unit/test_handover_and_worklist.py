"""R-OP-3 handover rules and the three parts of a caller's queue."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from huifang_dispatch.domain.errors import Conflict, Forbidden, HandoverRefused
from huifang_dispatch.domain.handover import OpenItem, carried_over, check_can_hand_over, check_incoming_signature
from huifang_dispatch.domain.worklist import bucket_of

pytestmark = pytest.mark.unit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_open_and_escalated_items_carry_over_closed_ones_do_not() -> None:
    items = [OpenItem("i1", False, "open"), OpenItem("i2", True, "escalated"), OpenItem("i3", True, "closed")]
    assert [i.item_id for i in carried_over(items)] == ["i1", "i2"]


def test_an_unclosed_important_item_refuses_the_handover_unless_escalated() -> None:
    with pytest.raises(HandoverRefused) as refused:
        check_can_hand_over([OpenItem("i2", True, "open"), OpenItem("i1", True, "open"), OpenItem("i3", False, "open")])
    assert refused.value.item_ids == ["i1", "i2"]
    check_can_hand_over([OpenItem("i1", True, "escalated"), OpenItem("i3", False, "open")])


def test_only_the_incoming_person_signs_and_only_once() -> None:
    with pytest.raises(Forbidden):
        check_incoming_signature("awaiting_incoming", "li", "wang")
    with pytest.raises(Conflict):
        check_incoming_signature("completed", "li", "li")
    check_incoming_signature("awaiting_incoming", "li", "li")


def test_buckets_follow_the_estates_calendar_day() -> None:
    now = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai on the 5th
    assert bucket_of(datetime(2026, 3, 5, 1, 0, tzinfo=UTC), now, SHANGHAI) == "overdue"
    # 23:30 Shanghai on the 5th is 15:30 UTC: still today there.
    assert bucket_of(datetime(2026, 3, 5, 15, 30, tzinfo=UTC), now, SHANGHAI) == "due_today"
    # 16:30 UTC on the 5th is 00:30 on the 6th in Shanghai: upcoming, though the UTC date is the 5th.
    assert bucket_of(datetime(2026, 3, 5, 16, 30, tzinfo=UTC), now, SHANGHAI) == "upcoming"
