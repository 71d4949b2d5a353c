"""The three summaries of R-RP-3 as tables: columns with Chinese and English headers, rows, totals.

回访记录汇总表 (monthly callbacks), 投诉调度记录月总结表 (monthly complaints, with the office manager's
comment) and 回访报告表 (quarterly). The same table feeds JSON, XLSX and CSV, so they never differ.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from huifang_contracts.enums import ComplaintGrade, ComplaintValidity, Metric, RequestKind, Satisfaction3, Satisfaction4
from huifang_infra.db import Connection

from huifang_reporting.adapters import actions, queries
from huifang_reporting.domain.kpis import Counts, kpi_answer, rates
from huifang_reporting.domain.months import DEFAULT_ZONE, quarter_months

Column = tuple[str, str, str]  # key, 中文, English
_RATINGS = Satisfaction4.labels_zh() | Satisfaction3.labels_zh()


def _local(value: Any, zone: str) -> str:
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") if value is not None else ""


def _pct(c: Counts, metric: Metric) -> str:
    percent = rates(c)[metric].percent
    return "" if percent is None else f"{percent:.2f}%"


async def _zone(conn: Connection, group_id: str, estate_id: str) -> tuple[str, str]:
    row = await conn.fetchrow(
        "SELECT name, timezone FROM estates WHERE group_id = $1 AND estate_id = $2", group_id, estate_id
    )
    return (row["name"], row["timezone"]) if row else (estate_id, DEFAULT_ZONE)


CALLBACK_COLUMNS: list[Column] = [
    ("no", "序号", "No."),
    ("callback_id", "回访单号", "Callback"),
    ("kind", "回访类型", "Kind"),
    ("department", "责任部门", "Department"),
    ("category", "类别", "Category"),
    ("caller", "回访人", "Caller"),
    ("completed_at", "回访时间", "Called at"),
    ("rating", "满意度", "Satisfaction"),
    ("on_time", "是否及时", "On time"),
    ("status", "回访结果", "Outcome"),
    ("comments", "意见", "Comments"),
]


async def callback_summary(conn: Connection, group_id: str, estate_id: str, month: str) -> dict[str, Any]:
    name, zone = await _zone(conn, group_id, estate_id)
    staff = await queries.staff_names(conn, group_id, estate_id)
    facts = await conn.fetch(
        """SELECT * FROM callbacks WHERE group_id = $1 AND estate_id = $2 AND month = $3
           ORDER BY COALESCE(due_at, seen_at), callback_id""",
        group_id,
        estate_id,
        month,
    )
    rows = []
    for no, f in enumerate(facts, start=1):
        done = f["completed_at"] is not None
        status = "已回访" if done else "未成功" if f["failed_at"] else "逾期" if f["overdue_at"] else "待回访"
        caller = f["caller_id"] or f["assignee_id"] or ""
        rows.append(
            {
                "no": no,
                "callback_id": f["callback_id"],
                "kind": RequestKind.labels_zh().get(f["kind"] or "", f["kind"] or ""),
                "department": f["department"] or "",
                "category": f["category"] or "",
                "caller": staff.get(caller, caller),
                "completed_at": _local(f["completed_at"], zone),
                "rating": _RATINGS.get(f["rating"] or "", ""),
                "on_time": ("是" if not f["late"] else "否") if done else "",
                "status": status,
                "comments": f["comments"] or "",
            }
        )
    counts = await queries.estate_month(conn, group_id, estate_id, month)
    return {
        "title": "回访记录汇总表",
        "title_en": "Monthly callback summary",
        "estate_id": estate_id,
        "estate_name": name,
        "period": month,
        "timezone": zone,
        "columns": CALLBACK_COLUMNS,
        "rows": rows,
        "kpis": kpi_answer(counts),
    }


COMPLAINT_COLUMNS: list[Column] = [
    ("no", "序号", "No."),
    ("complaint_id", "投诉编号", "Complaint"),
    ("received_at", "受理时间", "Received"),
    ("category", "投诉类别", "Category"),
    ("grade", "等级", "Grade"),
    ("validity", "性质", "Validity"),
    ("department", "责任部门", "Department"),
    ("result", "处理结果", "Result"),
    ("reopenings", "重开次数", "Reopened"),
]


async def complaint_summary(conn: Connection, group_id: str, estate_id: str, month: str) -> dict[str, Any]:
    name, zone = await _zone(conn, group_id, estate_id)
    facts = await conn.fetch(
        """SELECT * FROM complaints WHERE group_id = $1 AND estate_id = $2 AND month = $3
           ORDER BY COALESCE(received_at, resolved_at), complaint_id""",
        group_id,
        estate_id,
        month,
    )
    rows = [
        {
            "no": no,
            "complaint_id": f["complaint_id"],
            "received_at": _local(f["received_at"], zone),
            "category": f["category"] or "",
            "grade": ComplaintGrade.labels_zh().get(f["grade"] or "", ""),
            "validity": ComplaintValidity.labels_zh().get(f["validity"] or "", "待定"),
            "department": f["department"] or "",
            "result": f["result"] or "",
            "reopenings": f["reopenings"],
        }
        for no, f in enumerate(facts, start=1)
    ]
    counts = await queries.estate_month(conn, group_id, estate_id, month)
    comment = await actions.comment(conn, group_id, estate_id, "complaints", month)
    return {
        "title": "投诉调度记录月总结表",
        "title_en": "Monthly complaint dispatch summary",
        "estate_id": estate_id,
        "estate_name": name,
        "period": month,
        "timezone": zone,
        "columns": COMPLAINT_COLUMNS,
        "rows": rows,
        "kpis": kpi_answer(counts),
        "manager_comment": None
        if comment is None
        else {
            "comment": comment["comment"],
            "written_by": comment["written_by"],
            "written_at": comment["written_at"].isoformat(),
        },
    }


QUARTER_COLUMNS: list[Column] = [
    ("month", "月份", "Month"),
    ("required", "应回访", "Required"),
    ("completed", "已回访", "Completed"),
    ("satisfied", "满意及一般", "Satisfied or fair"),
    ("callback_satisfaction", "回访满意率", "Callback satisfaction"),
    ("timeliness", "回访及时率", "Timeliness"),
    ("success_rate", "回访成功率", "Success rate"),
    ("coverage", "回访覆盖率", "Coverage"),
    ("overdue", "逾期", "Overdue"),
    ("complaints", "投诉数", "Complaints"),
]


def _quarter_row(label: str, c: Counts) -> dict[str, Any]:
    return {
        "month": label,
        "required": c.callbacks_required,
        "completed": c.callbacks_completed,
        "satisfied": c.callbacks_satisfied,
        "callback_satisfaction": _pct(c, Metric.CALLBACK_SATISFACTION),
        "timeliness": _pct(c, Metric.TIMELINESS),
        "success_rate": _pct(c, Metric.SUCCESS_RATE),
        "coverage": _pct(c, Metric.COVERAGE),
        "overdue": c.callbacks_overdue,
        "complaints": c.complaints_received,
    }


async def quarterly_report(conn: Connection, group_id: str, estate_id: str, quarter: str) -> dict[str, Any]:
    name, zone = await _zone(conn, group_id, estate_id)
    months = quarter_months(quarter)
    total, rows = Counts(), []
    for month in months:
        counts = await queries.estate_month(conn, group_id, estate_id, month)
        total = total + counts
        rows.append(_quarter_row(month, counts))
    rows.append(_quarter_row("合计", total))
    return {
        "title": "回访报告表",
        "title_en": "Quarterly callback report",
        "estate_id": estate_id,
        "estate_name": name,
        "period": quarter,
        "timezone": zone,
        "columns": QUARTER_COLUMNS,
        "rows": rows,
        "kpis": kpi_answer(total),
    }
