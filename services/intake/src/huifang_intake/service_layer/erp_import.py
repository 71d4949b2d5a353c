"""Batch import of ERP exports: JSON lines (one ERP message per line) or CSV (one per row, the data
fields as columns). Parsing is pure and per row, so one bad row is reported, never fatal."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from huifang_intake.adapters.erp_format import FORMAT_VERSION, ErpMessage, parse_message
from huifang_intake.domain.errors import DomainError

OUTER = ("format_version", "kind", "erp_system", "erp_id", "group_id", "estate_id", "sent_at")
JSON_COLUMNS = ("materials",)


@dataclass(frozen=True)
class Row:
    number: int
    message: ErpMessage | None
    field: str | None = None
    reason: str | None = None


def _parse(number: int, raw: Any, group_id: str) -> Row:
    if isinstance(raw, dict):
        raw.setdefault("group_id", group_id)  # an export of one group may omit it
    try:
        return Row(number, parse_message(raw))
    except DomainError as exc:
        return Row(number, None, exc.field, exc.reason)


def parse_json_lines(text: str, group_id: str) -> list[Row]:
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append(Row(number, None, "line", f"not JSON: {exc.msg}"))
            continue
        rows.append(_parse(number, raw, group_id))
    return rows


def parse_csv(text: str, group_id: str) -> list[Row]:
    rows: list[Row] = []
    for number, cells in enumerate(csv.DictReader(io.StringIO(text)), start=2):  # line 1 is the header
        raw: dict[str, Any] = {"format_version": FORMAT_VERSION, "data": {}}
        try:
            for name, value in cells.items():
                if not name or value is None or value.strip() == "":
                    continue
                name, value = name.strip(), value.strip()
                if name in OUTER:
                    raw[name] = int(value) if name == "format_version" else value
                else:
                    raw["data"][name] = json.loads(value) if name in JSON_COLUMNS else value
        except (ValueError, json.JSONDecodeError) as exc:
            rows.append(Row(number, None, "row", f"unreadable cell: {exc}"))
            continue
        rows.append(_parse(number, raw, group_id))
    return rows
