"""Errors a consumer can tell apart: each one is a different reason in the dead-letter headers."""

from __future__ import annotations


class ContractError(Exception):
    """A message does not satisfy the contracts; retrying will not help (poison, not transient)."""


class EnvelopeInvalid(ContractError):
    """The bytes are not a valid envelope (not JSON, missing fields, naive datetimes, …)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"invalid envelope: {detail}")
        self.detail = detail


class UnknownEventType(ContractError):
    """No event of this type is registered (or none routes to a topic)."""

    def __init__(self, event_type: str, version: int | None = None) -> None:
        shown = event_type if version is None else f"{event_type} v{version}"
        super().__init__(f"unknown event type: {shown}")
        self.event_type = event_type
        self.version = version


class UnknownEventVersion(UnknownEventType):
    """The type is known but not this version, typically one newer than this reader (upgrade readers first)."""

    def __init__(self, event_type: str, version: int) -> None:
        super().__init__(event_type, version)
        self.args = (f"unknown version {version} of {event_type}",)


class EventInvalid(ContractError):
    """The payload does not validate against its registered version; `detail` is pydantic's error text."""

    def __init__(self, event_type: str, version: int, detail: str) -> None:
        super().__init__(f"invalid {event_type} v{version}: {detail}")
        self.event_type = event_type
        self.version = version
        self.detail = detail
