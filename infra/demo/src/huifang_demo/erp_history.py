"""A few months of the demo group's ERP history, as the ERP would export it (`services/intake/ERP_FORMAT.md`).

Seeded, so every run produces the same messages with the same ERP ids: importing them again is a
no-op (intake recognises each message by its id). Orders of each kind (repairs, other services,
emergencies, major works), complaints of every grade × validity, renovations, consultations and help
requests; the months include the 2026 National Day holiday (10-01..10-07) and its 调休 workdays.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from huifang_demo.group import DemoEstate

SEED = 20261001
ERP_SYSTEM = "mingyuan"
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: (category, subcategory, department, request kind)
_ORDER_KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("给排水", "排水管", "engineering", "repair"),
    ("给排水", "水龙头", "engineering", "repair"),
    ("电气", "配电箱", "engineering", "repair"),
    ("门窗", "入户门", "engineering", "repair"),
    ("公共照明", "楼道灯", "engineering", "repair"),
    ("保洁", "开荒保洁", "cleaning", "other_service"),
)
_COMPLAINT_CATEGORIES = ("plumbing", "hvac", "electrical", "common_areas", "landscaping", "municipal", "other")
_COMPLAINT_DEPARTMENT = {
    "plumbing": "engineering",
    "hvac": "engineering",
    "electrical": "engineering",
    "common_areas": "cleaning",
    "landscaping": "landscaping",
    "municipal": "security",
    "other": "customer_service",
}
_GRADES = ("general", "important", "major")
_VALIDITIES = ("valid", "coordination", "invalid")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超")
#: Orders a month per estate: lanting lands in R-CB-4's 20–50 tier, the others below it.
_ORDERS_PER_MONTH = {"tianxiacheng": 28, "commercial": 16, "full": 12}


def history(estate: DemoEstate, year: int, month: int, until: datetime) -> list[dict[str, Any]]:
    """One estate's month of ERP messages (only those before `until`), in the order they happened."""
    rng = random.Random(f"{SEED}:{estate.estate_id}:{year}-{month:02d}")
    messages = [
        *_orders(rng, estate, year, month),
        *_complaints(rng, estate, year, month),
        *_renovations(rng, estate, year, month),
        *_requests(rng, estate, year, month),
    ]
    happened = [m for m in messages if _when(m) <= until]
    return sorted(happened, key=_when)


def _when(message: dict[str, Any]) -> datetime:
    data = message["data"]
    stamp = data.get("closed_at") or data.get("resolved_at") or data.get("completed_at") or data["received_at"]
    return datetime.fromisoformat(stamp)


def _message(kind: str, erp_id: str, estate: DemoEstate, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "format_version": 1,
        "kind": kind,
        "erp_system": ERP_SYSTEM,
        "erp_id": erp_id,
        "estate_id": estate.estate_id,
        "data": data,
    }


def _moment(rng: random.Random, year: int, month: int) -> datetime:
    """A local working-hours moment of the month (people report things on holidays too)."""
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    return datetime(year, month, day, rng.randint(8, 18), rng.choice((0, 10, 20, 30, 40, 50)), tzinfo=SHANGHAI)


def _requester(rng: random.Random, estate: DemoEstate) -> dict[str, Any]:
    unit = f"{rng.choice(estate.buildings)}-{rng.randint(2, 32)}{rng.randint(1, 4):02d}"
    name = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(("", *_GIVEN))
    return {"unit_id": unit, "requester_name": name, "requester_phone": f"139{rng.randint(0, 99_999_999):08d}"}


def _orders(rng: random.Random, estate: DemoEstate, year: int, month: int) -> Iterator[dict[str, Any]]:
    for n in range(_ORDERS_PER_MONTH[estate.preset]):
        category, sub, department, kind = rng.choice(_ORDER_KINDS)
        closed = _moment(rng, year, month)
        urgent = rng.random() < 0.06  # R-CB-7: emergencies and major works are called back at once
        data = {
            **_requester(rng, estate),
            "category": category,
            "subcategory": sub,
            "department": department,
            "request_kind": kind,
            "worker_id": f"{estate.tag}-cap-{1 + n % 2}",
            "emergency": urgent,
            "major": urgent and rng.random() < 0.3,
            "fee_cents": rng.choice((0, 0, 0, 3000, 8000)),
            "requested_at": (closed - timedelta(hours=rng.randint(2, 30))).isoformat(),
            "closed_at": closed.isoformat(),
        }
        yield _message("order_closed", f"WO-{estate.tag.upper()}-{year}{month:02d}-{n:03d}", estate, data)


def _complaints(rng: random.Random, estate: DemoEstate, year: int, month: int) -> Iterator[dict[str, Any]]:
    # Every grade × validity appears each month at every estate (R-CB-1, R-CB-3).
    combos = [(grade, validity) for grade in _GRADES for validity in _VALIDITIES]
    for n, (grade, validity) in enumerate(combos):
        category = rng.choice(_COMPLAINT_CATEGORIES)
        received = _moment(rng, year, month)
        base = {
            **_requester(rng, estate),
            "category": category,
            "grade": grade,
            "validity": validity,
            "department": _COMPLAINT_DEPARTMENT[category],
            "channel": rng.choice(("hotline", "walk_in", "app")),
            "description": "业主反映问题，已登记",
            "received_at": received.isoformat(),
        }
        erp_id = f"TS-{estate.tag.upper()}-{year}{month:02d}-{n:02d}"
        yield _message("complaint_registered", erp_id, estate, base)
        resolved = received + timedelta(hours=rng.randint(4, 70))
        if n == 0 and (year, month) == (2026, 9):
            # R-CB-2's example: resolved on Wed 09-30, the callback is due by Sat 10-10 (调休 workday).
            resolved = datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI)
        special = grade == "major" and validity == "valid" and month % 2 == 0  # R-CB-8
        done = {
            **base,
            "result": "已处理完毕，业主确认",
            "resolved_at": resolved.isoformat(),
            "accepted_by_requester": True,
            "special_event": special,
        }
        yield _message("complaint_resolved", erp_id, estate, done)


def _renovations(rng: random.Random, estate: DemoEstate, year: int, month: int) -> Iterator[dict[str, Any]]:
    for n in range(rng.randint(2, 3)):
        data = {
            **_requester(rng, estate),
            "contractor": rng.choice(("金螳螂装饰", "东易日盛", "业主自装")),
            "completed_at": _moment(rng, year, month).isoformat(),
        }
        yield _message("renovation_completed", f"ZX-{estate.tag.upper()}-{year}{month:02d}-{n}", estate, data)


def _requests(rng: random.Random, estate: DemoEstate, year: int, month: int) -> Iterator[dict[str, Any]]:
    for n, kind in enumerate(("consultation", "help", "other_service")):
        closed = _moment(rng, year, month)
        data = {
            **_requester(rng, estate),
            "request_kind": kind,
            "channel": "hotline",
            "department": "customer_service",
            "description": {"consultation": "咨询物业费缴纳", "help": "老人求助开门", "other_service": "代收快递"}[
                kind
            ],
            "opened_at": (closed - timedelta(hours=3)).isoformat(),
            "closed_at": closed.isoformat(),
        }
        yield _message("service_request_closed", f"FW-{estate.tag.upper()}-{year}{month:02d}-{n}", estate, data)
