"""Registry import: YAML (estates with buildings, units, departments; group categories) or CSV (one
estate per row). Parsing is pure; each estate is applied in its own savepoint so one bad entry is
reported and the rest are kept."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import yaml  # type: ignore[import-untyped]  # types-PyYAML is not a dependency
from pydantic import ValidationError

from huifang_intake.domain.registry import Building, Department, Estate, Group, Unit


@dataclass
class EstateEntry:
    estate: Estate
    buildings: list[Building] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)


@dataclass
class ParsedRegistry:
    entries: list[tuple[int, EstateEntry]] = field(default_factory=list)
    categories: list[tuple[str, str | None]] = field(default_factory=list)
    group: Group | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)


def _errors(row: int, exc: ValidationError) -> list[dict[str, Any]]:
    return [{"row": row, "field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]} for e in exc.errors()]


def _entry(group_id: str, item: dict[str, Any]) -> EstateEntry:
    parts = {name: item.pop(name, None) or [] for name in ("buildings", "units", "departments")}
    return EstateEntry(
        estate=Estate.model_validate({**item, "group_id": group_id}),
        buildings=[Building.model_validate(b) for b in parts["buildings"]],
        units=[Unit.model_validate(u) for u in parts["units"]],
        departments=[Department.model_validate(d) for d in parts["departments"]],
    )


def parse_yaml(group_id: str, text: str) -> ParsedRegistry:
    parsed = ParsedRegistry()
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        parsed.errors.append({"row": 0, "field": "body", "reason": f"not YAML: {exc}"})
        return parsed
    if not isinstance(document, dict):
        parsed.errors.append({"row": 0, "field": "body", "reason": "expected a mapping with estates / categories"})
        return parsed
    for index, item in enumerate(document.get("estates") or [], start=1):
        try:
            parsed.entries.append((index, _entry(group_id, dict(item))))
        except (ValidationError, TypeError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                parsed.errors.extend(_errors(index, exc))
            else:
                parsed.errors.append({"row": index, "field": "estates", "reason": str(exc)})
    if isinstance(document.get("group"), dict):
        try:
            parsed.group = Group.model_validate(document["group"])
        except ValidationError as exc:
            parsed.errors.extend(_errors(0, exc))
    for item in document.get("categories") or []:
        if isinstance(item, dict) and item.get("category"):
            parsed.categories.append((str(item["category"]), item.get("subcategory")))
    return parsed


def parse_csv(group_id: str, text: str) -> ParsedRegistry:
    parsed = ParsedRegistry()
    for index, row in enumerate(csv.DictReader(io.StringIO(text)), start=1):
        values = {k.strip(): v.strip() for k, v in row.items() if k and v is not None and v.strip() != ""}
        try:
            parsed.entries.append((index, _entry(group_id, values)))
        except ValidationError as exc:
            parsed.errors.extend(_errors(index, exc))
    return parsed
