"""`IntegrationEvent`: the base of every event that crosses a service boundary.

A payload model holds only the facts of the event; who, where and when it was published travel in the
`Envelope`. Each class names its `TYPE` ("<producer>.<Name>") and `VERSION`; a new version is a new class
and the previous one stays, so old messages can still be read and upcast (see `registry`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

_TYPE_PATTERN = re.compile(r"^(intake|callback|dispatch|survey|reporting)\.[A-Z][A-Za-z0-9]*$")


class IntegrationEvent(BaseModel):
    """Frozen and strict about unknown fields: a typo by a producer is an invalid event, not lost data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # Intermediate bases that share fields declare no TYPE of their own; concrete events must.
        if "TYPE" in cls.__dict__:
            if not _TYPE_PATTERN.match(cls.TYPE):
                raise TypeError(f"{cls.__name__}.TYPE {cls.TYPE!r} is not '<producer>.<EventName>'")
            if not isinstance(cls.__dict__.get("VERSION"), int) or cls.VERSION < 1:
                raise TypeError(f"{cls.__name__} must declare VERSION as an int >= 1")

    @classmethod
    def schema_name(cls) -> str:
        """`TYPE.vN`: the name of this version's schema and golden example files."""
        return f"{cls.TYPE}.v{cls.VERSION}"

    @classmethod
    def producer(cls) -> str:
        """The service that owns and publishes this event."""
        return cls.TYPE.split(".", 1)[0]


class PayloadPart(BaseModel):
    """A value nested inside a payload (a material, a rating, an answer): frozen and strict like events."""

    model_config = ConfigDict(frozen=True, extra="forbid")
