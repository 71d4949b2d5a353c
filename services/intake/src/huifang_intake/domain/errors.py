"""The domain's own errors; the HTTP layer maps them to problems in one place (entrypoints/problems.py).

Each names the field at fault and the reason, so a 422 can say exactly what to fix.
"""

from __future__ import annotations


class DomainError(Exception):
    """Bad input or a refused command: `field` is where, `reason` is why (both shown to the caller)."""

    code = "invalid"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


class TransitionRefused(DomainError):
    """The record's status does not allow this command (e.g. closing an order not signed off)."""

    code = "transition_refused"

    def __init__(self, record: str, status: str, action: str, allowed_from: tuple[str, ...]) -> None:
        wanted = " or ".join(allowed_from) if allowed_from else "no status"
        super().__init__("status", f"{record} is {status}; {action} is allowed only from {wanted}")
        self.status, self.action = status, action


class UnknownEstate(DomainError):
    code = "unknown_estate"

    def __init__(self, estate_id: str, field: str = "estate_id") -> None:
        super().__init__(field, f"unknown estate {estate_id!r}; register it first")


class UnknownCategory(DomainError):
    code = "unknown_category"


class NotFound(Exception):
    """No such record in the caller's group (→ 404)."""

    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"{what} {ident!r} not found")


class Conflict(Exception):
    """The command contradicts what is already stored (→ 409), e.g. an id already taken."""
