"""Issue 17 §2: a record's changes carry the fields they set, so folding them gives the record back —
every field the API shows — and a stream from before (changes without fields) is set whole by the
`imported` change its upgrade appended."""

from __future__ import annotations

from typing import Any

import pytest
from huifang_intake.domain.changes import Change, Record, recorded, replayed
from huifang_intake.domain.complaints import register_complaint
from huifang_intake.domain.orders import create_order

from tests.intake.unit.builders import at, complaint, order

pytestmark = pytest.mark.unit


def fold(changes: list[Change]) -> dict[str, Any] | None:
    state: dict[str, Any] | None = None
    for change in changes:
        state = replayed(state, change.model_dump(mode="json"))
    return state


def lived(first: tuple[Record, Change], *steps: Any) -> tuple[Record, list[Change]]:
    """The record after each step, with each step's change as the repository records it."""
    record, change = first
    changes = [recorded(None, record, change)]
    for step in steps:
        new, change = step(record)
        changes.append(recorded(record, new, change))
        record = new
    return record, changes


def test_an_orders_changes_fold_back_into_the_order() -> None:
    final, changes = lived(
        create_order(order(requester_phone="+8613800138000", emergency=True)),
        lambda o: o.dispatch("engineering", at(10)),
        lambda o: o.dispatch("plumbing", at(12)),  # a redispatch: only the department changes
        lambda o: o.complete("stf-wang", [], 5000, at(60)),
        lambda o: o.sign_off(at(70)),
        lambda o: o.close(at(80)),
    )
    assert fold(changes) == final.model_dump(mode="json")
    assert changes[2].fields == {"department": "plumbing"}


def test_a_complaints_changes_fold_back_including_its_follow_ups() -> None:
    final, changes = lived(
        register_complaint(complaint()),
        lambda c: c.add_follow_up("已联系业主", "stf-li", at(30)),
        lambda c: c.add_follow_up("已安排维修", "stf-li", at(90)),
        lambda c: c.pause("等待配件", at(100)),
        lambda c: c.resume(at(200)),
    )
    assert fold(changes) == final.model_dump(mode="json")


def test_changes_from_before_set_nothing_and_the_imported_change_sets_all() -> None:
    record = order().model_dump(mode="json")
    thin = [Change(name="created", at=at(0), data={"channel": "hotline"}), Change(name="dispatched", at=at(5))]
    imported = Change(name="imported", at=at(9), fields=record)
    later = Change(name="signed_off", at=at(20), fields={"signed_off": True})
    assert fold(thin) is None
    assert fold([*thin, imported, later]) == record | {"signed_off": True}
