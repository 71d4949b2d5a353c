"""Turning a raw policy document into a `PolicyBody`, or a `PolicyInvalid` naming the rule and field."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from huifang_callback.domain.errors import PolicyInvalid
from huifang_callback.domain.policy import PolicyBody

_FIELD_WORDS = {"rule_id", "rules", "trigger", "rate", "window", "closures", "fatigue"}


def parse_policy(document: dict[str, Any]) -> PolicyBody:
    """Issue 6 §8: "an error names the bad rule and field" — the first error, as data."""
    try:
        return PolicyBody.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        location = list(error["loc"])
        rule_id: str | None = None
        if len(location) >= 2 and location[0] == "rules" and isinstance(location[1], int):
            rules = document.get("rules") or []
            index = location[1]
            raw = rules[index] if index < len(rules) and isinstance(rules[index], dict) else {}
            rule_id = str(raw.get("rule_id") or f"#{index}")
            location = location[2:]
        field = ".".join(str(part) for part in location) or None
        message = str(error["msg"]).removeprefix("Value error, ")
        if field is None and message.split(" ", 1)[0].replace(".", "").replace("_", "").isalpha():
            # A cross-field check says which field it is about in its first word ("rate.percent is …").
            first = message.split(" ", 1)[0].rstrip(":")
            field = first if first in _FIELD_WORDS or "." in first else None
        raise PolicyInvalid(message, rule_id=rule_id, field=field) from None
