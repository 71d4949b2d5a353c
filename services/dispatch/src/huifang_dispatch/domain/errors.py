"""The domain's refusals; the HTTP layer maps each family to one status code in one place."""

from __future__ import annotations


class DispatchError(Exception):
    """Base of every refusal dispatch explains to its caller."""


class NotFound(DispatchError):
    """The thing named does not exist, or not inside the caller's scope (→ 404)."""


class Conflict(DispatchError):
    """The request contradicts the current state (→ 409)."""


class Forbidden(DispatchError):
    """The caller may not do this to this thing (→ 403)."""


class InputInvalid(DispatchError):
    """A field's value breaks a rule (→ 422 with the field and the reason)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


class HandoverRefused(Conflict):
    """R-OP-3: an important item is still open and was not escalated."""

    def __init__(self, item_ids: list[str]) -> None:
        super().__init__(f"unclosed important items must be closed or escalated first: {', '.join(item_ids)}")
        self.item_ids = item_ids
