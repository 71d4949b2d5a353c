"""Work-order transitions: created → dispatched → completed → signed off → closed, nothing skipped."""

from __future__ import annotations

from datetime import datetime

import pytest
from huifang_contracts.enums import MaterialSource
from huifang_intake.domain.errors import DomainError, TransitionRefused
from huifang_intake.domain.orders import MaterialUse, OrderStatus, create_order, record_closed_order

from tests.intake.unit.builders import T0, at, order

pytestmark = pytest.mark.unit


def test_the_full_lifecycle_reaches_closed_with_each_change_recorded() -> None:
    o, c1 = create_order(order())
    o, c2 = o.dispatch("engineering", at(10))
    o, c3 = o.complete("stf-wang", [], 5000, at(60))
    o, c4 = o.sign_off(at(70))
    o, c5 = o.close(at(80))
    assert [c.name for c in (c1, c2, c3, c4, c5)] == ["created", "dispatched", "completed", "signed_off", "closed"]
    assert o.status is OrderStatus.CLOSED
    assert (o.department, o.worker_id, o.fee_cents, o.signed_off) == ("engineering", "stf-wang", 5000, True)
    assert o.closed_at == at(80)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (OrderStatus.CREATED, lambda o: o.complete("w", [], None, at(5))),
        (OrderStatus.CREATED, lambda o: o.sign_off(at(5))),
        (OrderStatus.CREATED, lambda o: o.close(at(5))),
        (OrderStatus.DISPATCHED, lambda o: o.sign_off(at(5))),
        (OrderStatus.DISPATCHED, lambda o: o.close(at(5))),
        (OrderStatus.COMPLETED, lambda o: o.close(at(5))),  # not signed off by the requester
        (OrderStatus.COMPLETED, lambda o: o.dispatch("cleaning", at(5))),
        (OrderStatus.CLOSED, lambda o: o.dispatch("cleaning", at(5))),
        (OrderStatus.CLOSED, lambda o: o.close(at(5))),
    ],
)
def test_a_transition_out_of_order_is_refused_naming_the_status(status: OrderStatus, action: object) -> None:
    with pytest.raises(TransitionRefused) as refused:
        action(order(status=status))  # type: ignore[operator]
    assert refused.value.field == "status"
    assert refused.value.reason.startswith(f"order is {status.value};")


def test_redispatch_to_another_department_is_allowed_before_completion() -> None:
    o, _ = order().dispatch("engineering", at(1))
    o, change = o.dispatch("cleaning", at(2))
    assert (o.status, o.department, change.data) == (
        OrderStatus.DISPATCHED,
        "cleaning",
        {"department": "cleaning", "late": False},
    )
    assert o.dispatched_at == at(1)  # the first dispatch is what R-OP-1 measures


@pytest.mark.parametrize(("minutes", "late"), [(20, False), (21, True)])
def test_r_op_1_a_repair_slip_reaches_the_department_within_20_minutes(minutes: int, late: bool) -> None:
    _, change = order().dispatch("engineering", at(minutes))
    assert change.data["late"] is late


def test_a_step_dated_before_the_one_it_follows_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        order().dispatch("engineering", at(-1))
    assert refused.value.field == "dispatched_at"


def test_a_time_without_zone_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        order().dispatch("engineering", datetime(2026, 3, 2, 9, 0))
    assert refused.value.field == "dispatched_at"
    assert "zone" in refused.value.reason


def test_owner_supplied_material_must_be_verified_pass_or_fail() -> None:
    # Seed 003 §八: materials the owner provides are checked and the result (合格/不合格) recorded.
    dispatched = order(status=OrderStatus.DISPATCHED, dispatched_at=T0)
    unchecked = MaterialUse(name="水龙头", quantity=1, source=MaterialSource.OWNER)
    with pytest.raises(DomainError) as refused:
        dispatched.complete("w", [unchecked], None, at(30))
    assert refused.value.field == "materials[0].verified"
    failed = unchecked.model_copy(update={"verified": False})
    company = MaterialUse(name="PVC 管", quantity=2, source=MaterialSource.COMPANY)
    done, _ = dispatched.complete("w", [company, failed], 1200, at(30))
    assert [m.verified for m in done.materials] == [None, False]


def test_an_order_recorded_closed_needs_its_department_and_a_close_after_the_request() -> None:
    closed = order(status=OrderStatus.CLOSED, department="engineering", closed_at=at(90), signed_off=True)
    o, change = record_closed_order(closed)
    assert (o.status, change.name, change.at) == (OrderStatus.CLOSED, "recorded_closed", at(90))
    with pytest.raises(DomainError) as no_department:
        record_closed_order(closed.model_copy(update={"department": None}))
    assert no_department.value.field == "department"
    with pytest.raises(DomainError) as early:
        record_closed_order(closed.model_copy(update={"closed_at": at(-5)}))
    assert early.value.field == "closed_at"
