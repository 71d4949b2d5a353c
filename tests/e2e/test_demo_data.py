"""The demo group's data, checked without any server: deterministic, complete, in intake's ERP format.

The loading itself runs against the live services in `huifang demo up`; what is pinned here is what it
loads — the same messages every time (idempotent re-runs rely on stable ERP ids), every complaint grade
× validity, the National Day window of R-CB-2, and a rating mix that is fixed per callback.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from huifang_demo.completions import contact_body, outcome_for
from huifang_demo.erp_history import history
from huifang_demo.group import DEMO_MONTHS, ESTATES, roster_of, staff_of
from huifang_intake.adapters.erp_format import parse_message

pytestmark = pytest.mark.unit

END = datetime(2026, 11, 30, tzinfo=UTC)


def all_messages() -> list[dict[str, Any]]:
    return [m for estate in ESTATES for y, m_ in DEMO_MONTHS for m in history(estate, y, m_, END)]


def test_the_history_is_the_same_on_every_run_and_every_id_is_unique_per_kind() -> None:
    first, second = all_messages(), all_messages()

    assert first == second
    ids = Counter((m["kind"], m["erp_id"]) for m in first)
    assert max(ids.values()) == 1


def test_every_message_is_valid_erp_format_v1_for_intake() -> None:
    for raw in all_messages():
        parse_message({**raw, "group_id": "demo-group"})  # raises on the first field at fault


def test_three_presets_and_every_complaint_grade_and_validity_at_every_estate() -> None:
    assert sorted(e.preset for e in ESTATES) == ["commercial", "full", "tianxiacheng"]
    for estate in ESTATES:
        messages = [m for y, mo in DEMO_MONTHS for m in history(estate, y, mo, END)]
        resolved = [m for m in messages if m["kind"] == "complaint_resolved"]
        combos = {(m["data"]["grade"], m["data"]["validity"]) for m in resolved}
        assert len(combos) == 9  # 3 grades × 3 validities (R-CB-1, R-CB-3)
        kinds = {m["kind"] for m in messages}
        assert kinds == {"order_closed", "complaint_registered", "complaint_resolved", "renovation_completed",
                         "service_request_closed"}  # fmt: skip


def test_a_complaint_resolved_on_the_eve_of_national_day_is_in_range() -> None:
    # R-CB-2's worked example: resolved Wed 2026-09-30 → due by Sat 2026-10-10 (调休).
    resolved = [m for m in all_messages() if m["kind"] == "complaint_resolved"]
    stamps = {m["data"]["resolved_at"] for m in resolved}
    assert "2026-09-30T16:00:00+08:00" in stamps


def test_nothing_after_the_moment_of_loading_is_sent() -> None:
    cut = datetime(2026, 10, 4, tzinfo=UTC)
    late = [m for e in ESTATES for m in history(e, 2026, 10, cut)]
    assert late
    for message in late:
        data = message["data"]
        stamp = data.get("closed_at") or data.get("resolved_at") or data.get("completed_at") or data["received_at"]
        assert datetime.fromisoformat(stamp) <= cut


def test_staff_cover_every_caller_role_of_the_presets_and_rosters_cover_every_day() -> None:
    for estate in ESTATES:
        roles = {p["role"] for p in staff_of(estate)}
        callers = {"site_captain", "service_center_staff", "department_head", "office_manager", "property_director"}
        assert callers <= roles
        assert len({p["staff_id"] for p in staff_of(estate)}) == len(staff_of(estate))
        roster = roster_of(estate, 2026, 11)
        assert len(roster["shifts"]) == 30 and all(len(pair) == 2 for pair in roster["shifts"].values())


def test_the_rating_mix_is_fixed_per_callback_and_realistic() -> None:
    ids = [f"cb-{n:05d}" for n in range(4000)]
    tally = Counter(outcome_for(i)[1] or outcome_for(i)[0] for i in ids)

    assert [outcome_for(i) for i in ids[:50]] == [outcome_for(i) for i in ids[:50]]
    # The bounds of completions.outcome_for, out of 10,000: 3 % no answer, 2 % refused, 9 % dissatisfied.
    assert 0.07 < tally["dissatisfied"] / len(ids) < 0.11
    assert 0.02 < tally["no_answer"] / len(ids) < 0.04
    assert tally["very_satisfied"] > tally["satisfied"] > tally["fair"] > tally["refused"]
    assert {outcome_for(i, reopened_round=True)[1] for i in ids} == {"satisfied", "very_satisfied"}


def test_a_contact_is_never_recorded_in_the_future_and_keeps_its_submission_id() -> None:
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    task = {"callback_id": "cb-1", "deadline": "2026-12-01T15:59:59+00:00", "method": "door"}

    body = contact_body(task, now)

    assert datetime.fromisoformat(body["contacted_at"]) < now
    assert body["submission_id"] == "demo-cb-1-a1" and body["method"] == "door"
    assert contact_body(task, now) == body
