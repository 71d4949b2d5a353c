"""`LabelledEnum`: a StrEnum whose members carry their Chinese label.

The wire carries the English value; screens, reports and the generated schemas show the label
(`x-labels-zh` in each enum's JSON Schema), so the two never drift apart.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


class LabelledEnum(StrEnum):
    """Declare members as `NAME = "value", "标签"`; read the label from `member.label_zh`."""

    _value_: str
    label_zh: str

    # The default only lets type checkers accept lookups such as `RequestKind("repair")`; lookups never
    # reach __new__, and every declared member passes its label.
    def __new__(cls, value: str, label_zh: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label_zh = label_zh
        return member

    @classmethod
    def labels_zh(cls) -> dict[str, str]:
        """Value → Chinese label, in declaration order."""
        return {member.value: member.label_zh for member in cls}

    @classmethod
    def __get_pydantic_json_schema__(cls, core: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core))
        schema["x-labels-zh"] = cls.labels_zh()
        return schema
