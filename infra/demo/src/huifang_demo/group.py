"""The demo property group (兰庭物业集团): three estates on the three presets, their staff, their rosters.

Fixed facts, not random ones, so every run of the demo shows the same people in the same places.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: The ERP history covers these months (2026 National Day 10-01..10-07 and its 调休 workdays inside).
DEMO_MONTHS: tuple[tuple[int, int], ...] = ((2026, 8), (2026, 9), (2026, 10), (2026, 11))

DEPARTMENTS = {
    "engineering": "工程部",
    "cleaning": "保洁部",
    "security": "秩序维护部",
    "landscaping": "绿化部",
    "customer_service": "客服中心",
}


@dataclass(frozen=True)
class DemoEstate:
    estate_id: str
    name: str
    preset: str  # as intake's registry names them: tianxiacheng (residential), commercial, full
    estate_type: str
    households: int
    tag: str  # prefix of this estate's staff ids (logins are unique across the group)
    buildings: tuple[str, ...] = field(default=("1栋", "2栋", "3栋"))

    def registry_body(self) -> dict[str, Any]:
        return {
            "estate_id": self.estate_id,
            "name": self.name,
            "estate_type": self.estate_type,
            "preset": self.preset,
            "timezone": "Asia/Shanghai",
            "household_count": self.households,
        }


ESTATES: tuple[DemoEstate, ...] = (
    DemoEstate("est-lanting", "兰亭苑", "tianxiacheng", "residential", 1280, "lt", ("T1", "T2", "T3", "T5")),
    DemoEstate("est-jinmao", "金茂广场", "commercial", "commercial", 310, "jm", ("A座", "B座")),
    DemoEstate("est-binjiang", "滨江花园", "full", "residential", 860, "bj", ("1栋", "2栋", "6栋")),
)

#: (suffix, name, role, department, door visits): who works at every estate (R-CB-3 needs each role).
_PEOPLE: tuple[tuple[str, str, str, str | None, bool], ...] = (
    ("mgr", "周立群", "office_manager", None, True),
    ("dir", "陈国栋", "property_director", None, True),
    ("eng-head", "王建国", "department_head", "engineering", False),
    ("cln-head", "李秀英", "department_head", "cleaning", False),
    ("sec-head", "张伟", "department_head", "security", False),
    ("lsc-head", "刘芳", "department_head", "landscaping", False),
    ("cs-head", "杨静", "department_head", "customer_service", True),
    ("cap-1", "赵强", "site_captain", "engineering", True),
    ("cap-2", "孙磊", "site_captain", "engineering", True),
    ("sc-1", "吴婷", "service_center_staff", "customer_service", True),
    ("sc-2", "郑丽", "service_center_staff", "customer_service", True),
    ("sc-3", "黄敏", "service_center_staff", "customer_service", True),
    ("sc-4", "何雪", "service_center_staff", "customer_service", False),
    ("rcp-1", "林晓", "receptionist", "customer_service", False),
    ("dsp-1", "高飞", "dispatcher", "customer_service", False),
)

#: Those who keep the 24-hour duty (R-OP-3), rostered two at a time, a day on and a day off.
_DUTY = ("sc-1", "sc-2", "sc-3", "sc-4")


#: Every demo staff member signs in to the console with this password (development data only).
DEMO_STAFF_PASSWORD = "huifang2026"
#: The login printed by `huifang demo up`: a service-center caller of the first estate.
DEMO_LOGIN = "lt-sc-1"


def staff_of(estate: DemoEstate) -> list[dict[str, Any]]:
    """Dispatch's staff directory for one estate; phones are fictitious (the 138 0000 range)."""
    people = []
    for n, (suffix, name, role, department, door) in enumerate(_PEOPLE):
        person: dict[str, Any] = {
            "staff_id": f"{estate.tag}-{suffix}",
            "estate_id": estate.estate_id,
            "name": name,
            "role": role,
            "door_visits": door,
            "phone": f"138000{ESTATES.index(estate):01d}{n:04d}",
        }
        if department is not None:
            person["department"] = department
        people.append(person)
    return people


def roster_of(estate: DemoEstate, year: int, month: int) -> dict[str, Any]:
    """A month's roster: every day covered by two of the service center, rotating (R-OP-3)."""
    days = calendar.monthrange(year, month)[1]
    shifts = {}
    for day in range(1, days + 1):
        duty_date = date(year, month, day)
        pair = duty_date.toordinal() % 2  # day on, day off
        shifts[duty_date.isoformat()] = [f"{estate.tag}-{_DUTY[pair]}", f"{estate.tag}-{_DUTY[pair + 2]}"]
    return {
        "estate_id": estate.estate_id,
        "service_center": "main",
        "month": f"{year:04d}-{month:02d}",
        "shifts": shifts,
    }
