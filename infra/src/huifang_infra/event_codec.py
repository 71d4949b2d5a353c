"""A service's own (domain) events to and from the event store's rows.

Domain events are frozen dataclasses (or pydantic models) with a `TYPE` class attribute, defined in the
service's `domain/events.py` without any infra import. The codec is built from that list once, in the
composition root; pydantic's `TypeAdapter` turns each into JSON and back, so dates, enums and nested
values survive a round trip without hand-written serialisers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

E = TypeVar("E")


class UnknownEventType(Exception):
    """A stored event whose type this codec was not given: a stream of another aggregate, or a typo."""


class EventCodec(Generic[E]):
    """Maps each event class (by its `TYPE`) to its JSON form; one instance per aggregate."""

    def __init__(self, types: Iterable[type[E]]) -> None:
        self._adapters: dict[str, TypeAdapter[Any]] = {}
        self._names: dict[type[Any], str] = {}
        for cls in types:
            name = getattr(cls, "TYPE", None)
            if not isinstance(name, str) or not name:
                raise TypeError(f"{cls.__name__} has no TYPE")
            if name in self._adapters:
                raise TypeError(f"two event classes share TYPE {name!r}")
            self._adapters[name] = TypeAdapter(cls)
            self._names[cls] = name

    @property
    def types(self) -> frozenset[str]:
        return frozenset(self._adapters)

    def type_of(self, event: E) -> str:
        try:
            return self._names[type(event)]
        except KeyError:
            raise UnknownEventType(f"{type(event).__name__} is not one of this codec's events") from None

    def encode(self, event: E) -> dict[str, Any]:
        data: dict[str, Any] = self._adapters[self.type_of(event)].dump_python(event, mode="json")
        return data

    def encode_json(self, event: E) -> str:
        """`encode` straight to JSON text (pydantic's serialiser; no dict in between)."""
        return self._adapters[self.type_of(event)].dump_json(event).decode()

    def decode_json(self, event_type: str, text: str | bytes) -> E:
        """`decode` straight from the stored JSON text, parsed by pydantic (a rebuild reads millions)."""
        adapter = self._adapters.get(event_type)
        if adapter is None:
            raise UnknownEventType(f"no event class for stored type {event_type!r}")
        event: E = adapter.validate_json(text)
        return event

    def decode(self, event_type: str, data: dict[str, Any]) -> E:
        adapter = self._adapters.get(event_type)
        if adapter is None:
            raise UnknownEventType(f"no event class for stored type {event_type!r}")
        event: E = adapter.validate_python(data)
        return event
