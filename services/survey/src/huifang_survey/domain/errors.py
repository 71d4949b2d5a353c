"""What the survey domain refuses, as nouns; the HTTP layer maps each to one problem status."""

from __future__ import annotations


class SurveyError(Exception):
    """Base of every refusal the domain makes."""


class RatingOffScale(SurveyError):
    """A rating that is not on the scale the callback or questionnaire uses (R-SV-3) → 422."""

    def __init__(self, field: str, value: object, allowed: list[str]) -> None:
        self.field, self.value, self.allowed = field, value, allowed
        super().__init__(f"{field}: {value!r} is not on the scale ({' / '.join(allowed)})")


class InputInvalid(SurveyError):
    """Input that breaks a rule of the record itself (a field and its reason) → 422."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


class NotFound(SurveyError):
    """The callback, campaign or ballot is unknown here (or outside the caller's scope) → 404."""


class NotAssigned(SurveyError):
    """The caller records a callback that is not in their queue → 403."""


class Conflict(SurveyError):
    """The state forbids it: a finished callback, a closed campaign, a reused idempotency key → 409."""
