"""Phones normalised and masked; complaint categories checked against the group's tree; estates' zones."""

from __future__ import annotations

import phonenumbers
import pytest
from huifang_intake.domain.categories import category_tree, check_category
from huifang_intake.domain.errors import DomainError, UnknownCategory
from huifang_intake.domain.phones import mask_phone, normalise_phone
from huifang_intake.domain.registry import Estate
from huifang_intake.domain.requests import RequestStatus, ServiceRequest, open_request
from pydantic import ValidationError

from tests.intake.unit.builders import T0, at

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("138-0013 8000", "+8613800138000"), ("+86 138 0013 8000", "+8613800138000"), ("021 6888 1234", "+862168881234")],
)
def test_phones_are_normalised_to_e164_region_cn(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["13800138000", "8613912345678", "+8619912345678", " 15000000000 ", "17100000000", "13012345678"]
)
def test_the_mobile_fast_path_agrees_with_phonenumbers(raw: str) -> None:
    number = phonenumbers.parse(raw, "CN")
    assert normalise_phone(raw) == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_a_non_number_is_refused_on_its_field() -> None:
    with pytest.raises(DomainError) as refused:
        normalise_phone("call me", "data.requester_phone")
    assert refused.value.field == "data.requester_phone"


def test_lists_mask_the_middle_digits() -> None:
    assert mask_phone("+8613800138000") == "138****8000"
    assert mask_phone("+862168881234") == "216***1234"
    assert mask_phone(None) is None


def test_categories_default_tree_english_names_and_group_additions() -> None:
    tree = category_tree([("公共区域", "垃圾房"), ("装修管理", None)])
    assert check_category(tree, "plumbing", "排水管") == ("给排水", "排水管")
    assert check_category(tree, "公共区域", "垃圾房") == ("公共区域", "垃圾房")
    assert check_category(tree, "装修管理", "噪音") == ("装修管理", "噪音")  # no children listed: any
    with pytest.raises(UnknownCategory) as unknown:
        check_category(tree, "宠物", None)
    assert unknown.value.field == "category"
    with pytest.raises(UnknownCategory) as unknown_child:
        check_category(tree, "给排水", "屋顶")
    assert unknown_child.value.field == "subcategory"


def test_an_estate_needs_a_known_time_zone_and_preset() -> None:
    estate = Estate(group_id="G1", estate_id="E1", name="南苑", region="上海")
    assert (estate.timezone, estate.calendar, estate.preset) == ("Asia/Shanghai", "cn-mainland", "tianxiacheng")
    with pytest.raises(ValidationError, match="time zone"):
        Estate(group_id="G1", estate_id="E1", name="南苑", timezone="Mars/Olympus")
    with pytest.raises(ValidationError, match="preset"):
        Estate(group_id="G1", estate_id="E1", name="南苑", preset="weekly")


def test_service_requests_open_and_close_once_r_cb_8_special_event_flag_kept() -> None:
    from huifang_contracts.enums import Channel, RequestKind

    req, _ = open_request(ServiceRequest(group_id="G1", estate_id="E1", request_id="SR-1", opened_at=T0,
                                         request_kind=RequestKind.HELP, channel=Channel.WALK_IN))  # fmt: skip
    closed, change = req.close(at(30), True, "已协助")
    assert (closed.status, closed.special_event, change.data["special_event"]) == (RequestStatus.CLOSED, True, True)
    with pytest.raises(DomainError):
        closed.close(at(31), False, None)
    with pytest.raises(DomainError) as repair:
        open_request(req.model_copy(update={"request_kind": RequestKind.REPAIR}))
    assert repair.value.field == "request_kind"
