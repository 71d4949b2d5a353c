"""The staff CSV: checked row by row before anything is written; the first bad row names line and field."""

from __future__ import annotations

import pytest
from huifang_contracts.enums import StaffRole
from huifang_dispatch.domain.errors import InputInvalid
from huifang_dispatch.service_layer.directory import parse_csv

pytestmark = pytest.mark.unit

HEADER = "staff_id,estate_id,name,role,department,phone,door_visits,active\n"


def test_rows_become_staff_with_flags_read_in_chinese_or_english() -> None:
    rows = parse_csv(
        "\ufeff" + HEADER + "s1,E1,李娜,site_captain,engineering,13800000001,是,1\ns2,E1,王强,receptionist,,,no,0\n"
    )
    assert [(r.staff_id, r.role, r.door_visits, r.active) for r in rows] == [
        ("s1", StaffRole.SITE_CAPTAIN, True, True),
        ("s2", StaffRole.RECEPTIONIST, False, False),
    ]
    assert rows[1].department is None and rows[1].service_center == "main"


def test_a_bad_row_names_its_line_and_field() -> None:
    with pytest.raises(InputInvalid) as bad:
        parse_csv(HEADER + "s1,E1,李娜,site_captain,,,1,1\ns2,E1,王强,receptionist,,12-34,0,1\n")
    assert bad.value.field == "line 3.phone"


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(InputInvalid):
        parse_csv(HEADER)
