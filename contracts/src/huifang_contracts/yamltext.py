"""A small YAML writer for JSON-shaped data, so `asyncapi.yaml` needs no YAML library.

Strings are written as JSON strings, which are valid YAML double-quoted scalars, so no value can be
misread (`no`, `on`, `1.0`, `#…`); keys are left bare only when they cannot be misread either.
"""

from __future__ import annotations

import json
import re
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_.$/-]*$")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def to_yaml(value: dict[str, Any]) -> str:
    """Block-style YAML for a mapping of JSON values."""
    lines: list[str] = []
    _mapping(value, 0, lines)
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    if _BARE_KEY.match(key) and key.lower() not in _YAML_WORDS:
        return key
    return json.dumps(key, ensure_ascii=False)


def _scalar(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return json.dumps(value, ensure_ascii=False)


def _mapping(value: dict[str, Any], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for key, item in value.items():
        if isinstance(item, dict) and item:
            lines.append(f"{pad}{_key(key)}:")
            _mapping(item, indent + 2, lines)
        elif isinstance(item, list) and item:
            lines.append(f"{pad}{_key(key)}:")
            _sequence(item, indent + 2, lines)
        else:
            lines.append(f"{pad}{_key(key)}: {_scalar(item)}")


def _sequence(value: list[Any], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in value:
        if isinstance(item, dict) and item:
            start = len(lines)
            _mapping(item, indent + 2, lines)
            lines[start] = f"{pad}- {lines[start][indent + 2 :]}"
        elif isinstance(item, list) and item:
            lines.append(f"{pad}-")
            _sequence(item, indent + 2, lines)
        else:
            lines.append(f"{pad}- {_scalar(item)}")
