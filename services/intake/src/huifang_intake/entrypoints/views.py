"""How records are shown: Chinese labels beside codes, estate-local times beside UTC, phones masked in
lists (shown whole only on one record, to someone in its scope)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from huifang_contracts.enums import Channel, ComplaintGrade, ComplaintStatus, ComplaintValidity, RequestKind
from huifang_infra.eventstore import StoredEvent

from huifang_intake.domain.changes import Record
from huifang_intake.domain.orders import OrderStatus
from huifang_intake.domain.phones import mask_phone
from huifang_intake.domain.requests import RequestStatus

_STATUS_LABELS: dict[str, dict[str, str]] = {
    "order": OrderStatus.labels_zh(),
    "complaint": ComplaintStatus.labels_zh(),
    "request": RequestStatus.labels_zh(),
    "renovation": {"completed": "已完工"},
}
_LABELS = {
    "channel": Channel.labels_zh(),
    "grade": ComplaintGrade.labels_zh(),
    "validity": ComplaintValidity.labels_zh(),
    "request_kind": RequestKind.labels_zh(),
    "kind": {**RequestKind.labels_zh(), "renovation": "装修完工"},
}


def labelled(record_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """Adds `<field>_zh` for every coded field present."""
    out = dict(values)
    if values.get("status") is not None:
        out["status_zh"] = _STATUS_LABELS[record_type].get(values["status"], values["status"])
    for name, labels in _LABELS.items():
        if values.get(name) is not None:
            out[f"{name}_zh"] = labels.get(values[name], values[name])
    return out


def summary(row: dict[str, Any]) -> dict[str, Any]:
    """A list row: the columns, phone masked."""
    values = {k: row[k] for k in ("record_id", "estate_id", "erp_id", "status", "kind", "channel", "category",
                                  "subcategory", "grade", "validity", "opened_at", "closed_at", "version")}  # fmt: skip
    values["requester_phone"] = mask_phone(row["requester_phone"])
    for name in ("opened_at", "closed_at"):
        if values[name] is not None:
            values[name] = values[name].isoformat()
    return labelled(row["record_type"], values)


def local_times(values: dict[str, Any], timezone: str) -> dict[str, str]:
    """Every UTC time of the record in the estate's zone, for display."""
    zone = ZoneInfo(timezone)
    out: dict[str, str] = {}
    for name, value in values.items():
        if isinstance(value, str) and name.endswith("_at"):
            try:
                out[name] = datetime.fromisoformat(value).astimezone(zone).isoformat()
            except ValueError:
                continue
    return out


def detail(record_type: str, record: Record, version: int, timezone: str, history: list[StoredEvent]) -> dict[str, Any]:
    values = record.model_dump(mode="json")
    out = labelled(record_type, values)
    out["record_type"] = record_type
    out["version"] = version
    out["timezone"] = timezone
    out["local"] = local_times(values, timezone)
    out["history"] = [
        {
            "version": e.stream_version,
            "change": e.data.get("name"),
            "at": e.data.get("at"),
            "data": e.data.get("data", {}),
            "recorded_at": e.recorded_at.isoformat(),
        }
        for e in history
    ]
    return out


def created(record_type: str, record: Record) -> dict[str, Any]:
    """A command's response: the record as it now stands (phone included: the caller just sent it)."""
    return labelled(record_type, record.model_dump(mode="json"))
