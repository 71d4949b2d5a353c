"""The reporting domain's errors; the API maps them to HTTP problems in one place."""

from __future__ import annotations


class ReportingError(Exception):
    """Base of the errors the API turns into problems."""


class PeriodInvalid(ReportingError):
    """A month, quarter or range the caller sent is malformed (→ 422 with the field)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


class NotFound(ReportingError):
    """No such estate, action or summary in the caller's scope (→ 404)."""


class AlreadyVerified(ReportingError):
    """A corrective action was verified already (→ 409)."""


class AlreadyAcknowledged(ReportingError):
    """A corrective action was acknowledged already (→ 409)."""


class MonthOpen(ReportingError):
    """A month cannot be closed before it ends (→ 409)."""


class TargetInvalid(ReportingError):
    """A target outside 0–100 % (→ 422 with the field)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason
