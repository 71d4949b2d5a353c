"""(TYPE, VERSION) → event class, and `decode`: an envelope in, the current version of its event out.

Readers only ever handle the latest version: an older payload is validated against the version it
claims, lifted by the `upcast_vN_vN+1` chain and validated again against the current model.

`read` is the consumer's way in: when the record's headers name the latest version, the bytes are
validated once, as `Envelope[TheEvent]`; anything else (an older version, headers missing or wrong, an
invalid record) takes the two-step path, which also names the error precisely.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from huifang_contracts.base import IntegrationEvent
from huifang_contracts.envelope import Envelope
from huifang_contracts.errors import EventInvalid, UnknownEventType, UnknownEventVersion
from huifang_contracts.superseded import SUPERSEDED, UPCASTERS, Upcaster
from huifang_contracts.topics import PUBLISHED_ON

CURRENT: tuple[type[IntegrationEvent], ...] = tuple(cls for events in PUBLISHED_ON.values() for cls in events)
"""The latest version of every integration event: each is published on one topic, so the catalogue lists them."""


class Registry:
    """Every version of every event, checked at construction: versions 1..N, one upcaster per step."""

    def __init__(
        self, classes: Iterable[type[IntegrationEvent]], upcasters: Mapping[tuple[str, int], Upcaster]
    ) -> None:
        self._classes: dict[tuple[str, int], type[IntegrationEvent]] = {}
        for cls in classes:
            key = (cls.TYPE, cls.VERSION)
            if key in self._classes:
                raise ValueError(f"{cls.schema_name()} registered twice")
            self._classes[key] = cls
        self._latest: dict[str, type[IntegrationEvent]] = {}
        for event_type, version in sorted(self._classes):
            self._latest[event_type] = self._classes[(event_type, version)]
        for event_type, latest in self._latest.items():
            for version in range(1, latest.VERSION):
                if (event_type, version) not in self._classes:
                    raise ValueError(f"{event_type} v{version} is missing (keep every version)")
                if (event_type, version) not in upcasters:
                    raise ValueError(f"no upcaster from {event_type} v{version} to v{version + 1}")
        stray = [key for key in upcasters if key[0] not in self._latest or key[1] >= self._latest[key[0]].VERSION]
        if stray:
            raise ValueError(f"upcasters without a next version: {stray}")
        self._upcasters = dict(upcasters)
        self._typed: dict[type[IntegrationEvent], type[Envelope[Any]]] = {}

    def event_types(self) -> list[str]:
        """Every registered TYPE, sorted."""
        return sorted(self._latest)

    def all_versions(self) -> list[type[IntegrationEvent]]:
        """Every class of every version, sorted by (TYPE, VERSION): what schemas and examples cover."""
        return [self._classes[key] for key in sorted(self._classes)]

    def latest(self, event_type: str) -> type[IntegrationEvent]:
        try:
            return self._latest[event_type]
        except KeyError:
            raise UnknownEventType(event_type) from None

    def event_class(self, event_type: str, version: int) -> type[IntegrationEvent]:
        latest = self.latest(event_type)
        cls = self._classes.get((event_type, version))
        if cls is None:
            raise UnknownEventVersion(latest.TYPE, version)
        return cls

    def upcast(self, event_type: str, version: int, payload: dict[str, Any]) -> dict[str, Any]:
        """Lift a payload of `version` to the latest version's shape (no validation)."""
        latest = self.latest(event_type).VERSION
        for step in range(version, latest):
            payload = self._upcasters[(event_type, step)](payload)
        return payload

    def decode(self, envelope: Envelope) -> IntegrationEvent:
        """The envelope's event as the latest version; `UnknownEventType` or `EventInvalid` otherwise."""
        cls = self.event_class(envelope.type, envelope.version)
        try:
            event = cls.model_validate(envelope.payload)
        except ValidationError as error:
            raise EventInvalid(envelope.type, envelope.version, str(error)) from error
        latest = self.latest(envelope.type)
        if cls is latest:
            return event
        payload = self.upcast(envelope.type, envelope.version, envelope.payload)
        try:
            return latest.model_validate(payload)
        except ValidationError as error:
            detail = f"after upcasting from v{envelope.version}: {error}"
            raise EventInvalid(envelope.type, latest.VERSION, detail) from error

    def read(self, data: bytes, event_type: str | None, version: int | None) -> Envelope[Any]:
        """A record's envelope, its payload the event as the latest version; `event_type` and `version`
        come from the record's headers and only choose the path (the body is what is validated).

        Raises `EnvelopeInvalid`, `UnknownEventType`, `UnknownEventVersion` or `EventInvalid`.
        """
        latest = self._latest.get(event_type) if event_type is not None else None
        if latest is not None and version == latest.VERSION:
            try:
                envelope = self._typed_envelope(latest).model_validate_json(data)
            except ValidationError:
                pass  # the two-step path below tells which part is wrong
            else:
                if envelope.type == event_type and envelope.version == version:
                    return envelope
        wire = Envelope.from_bytes(data)
        event = self.decode(wire)
        return self._typed_envelope(type(event)).model_construct(**{**dict(wire), "payload": event})

    def _typed_envelope(self, cls: type[IntegrationEvent]) -> type[Envelope[Any]]:
        typed = self._typed.get(cls)
        if typed is None:
            typed = self._typed[cls] = Envelope[cls]  # type: ignore[valid-type]
        return typed


REGISTRY = Registry(CURRENT + SUPERSEDED, UPCASTERS)


def read(data: bytes, event_type: str | None = None, version: int | None = None) -> Envelope[Any]:
    """Read a record with the registry of every Huifang event (see `Registry.read`)."""
    return REGISTRY.read(data, event_type, version)


def decode(envelope: Envelope) -> IntegrationEvent:
    """Decode with the registry of every Huifang event (see `Registry.decode`)."""
    return REGISTRY.decode(envelope)
