"""The shared vocabulary: values on the wire, Chinese labels for people, one satisfaction mapping."""

from __future__ import annotations

import pytest
from huifang_contracts import enums
from huifang_contracts.enums import (
    CallbackMethod,
    Channel,
    ComplaintGrade,
    ComplaintStatus,
    ComplaintValidity,
    RequestKind,
    Satisfaction3,
    Satisfaction4,
    StaffRole,
    SurveyDimension,
    is_satisfied_or_fair,
)
from huifang_contracts.labels import LabelledEnum

pytestmark = pytest.mark.unit

LABELLED = [
    value
    for value in vars(enums).values()
    if isinstance(value, type) and issubclass(value, LabelledEnum) and value is not LabelledEnum
]


@pytest.mark.parametrize("enum", LABELLED, ids=lambda e: e.__name__)
def test_every_member_has_a_chinese_label_and_an_english_value(enum: type[LabelledEnum]) -> None:
    for member in enum:
        assert member.label_zh and member.label_zh != member.value, member
        assert member.value.isascii() and member.value == member.value.lower(), member
        assert enum(member.value) is member


def test_labels_follow_domain_md() -> None:
    assert RequestKind.labels_zh() == {
        "repair": "报修",
        "complaint": "投诉",
        "consultation": "咨询",
        "help": "求助",
        "renovation": "装修完工",
        "other_service": "其他服务",
    }
    assert ComplaintGrade.labels_zh() == {"general": "一般", "important": "重要", "major": "重大"}
    assert ComplaintValidity.labels_zh() == {"valid": "有效", "coordination": "协调", "invalid": "无效"}
    assert ComplaintStatus.labels_zh() == {"in_progress": "处理中", "paused": "暂停", "closed": "关闭"}
    assert CallbackMethod.labels_zh() == {
        "phone": "电话",
        "door": "上门",
        "written": "书面",
        "online": "网络",
        "meeting": "座谈会",
    }
    assert Satisfaction4.FAIR.label_zh == "一般"
    assert Satisfaction3.FAIRLY_SATISFIED.label_zh == "一般满意"


def test_channels_include_callback_for_complaints_raised_during_a_callback() -> None:
    """R-CB-9"""
    assert [c.value for c in Channel] == ["hotline", "walk_in", "suggestion_box", "app", "online", "erp", "callback"]


def test_staff_roles_are_domain_roles_plus_platform_roles() -> None:
    assert {r.value for r in StaffRole} == {
        "receptionist",
        "dispatcher",
        "department_head",
        "site_captain",
        "service_center_staff",
        "office_manager",
        "property_director",
        "administrator",
        "quality_dept",
        "integration",
        "admin",
    }


def test_r_sv_2_has_fourteen_survey_dimensions_including_overall() -> None:
    assert len(SurveyDimension) == 14
    assert SurveyDimension.OVERALL.label_zh == "总体"


@pytest.mark.parametrize(
    ("rating", "counts"),
    [
        (Satisfaction4.VERY_SATISFIED, True),
        (Satisfaction4.SATISFIED, True),
        (Satisfaction4.FAIR, True),
        (Satisfaction4.DISSATISFIED, False),
        (Satisfaction3.SATISFIED, True),
        (Satisfaction3.FAIRLY_SATISFIED, True),
        (Satisfaction3.DISSATISFIED, False),
    ],
)
def test_r_sv_3_both_scales_map_to_satisfied_or_fair(rating: Satisfaction4 | Satisfaction3, counts: bool) -> None:
    assert is_satisfied_or_fair(rating) is counts


def test_json_schema_carries_the_labels() -> None:
    from pydantic import TypeAdapter

    schema = TypeAdapter(ComplaintGrade).json_schema()
    assert schema["x-labels-zh"] == {"general": "一般", "important": "重要", "major": "重大"}
    assert schema["enum"] == ["general", "important", "major"]
