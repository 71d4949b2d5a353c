"""Errors the domain raises; the HTTP layer maps each to a problem response in one place."""

from __future__ import annotations


class CallbackDomainError(Exception):
    """Base of every error this service's domain raises."""


class PolicyInvalid(CallbackDomainError):
    """A policy that cannot be used; `rule_id` and `field` name what is wrong (None: the policy itself)."""

    def __init__(self, reason: str, *, rule_id: str | None = None, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.rule_id, self.field = reason, rule_id, field


class PolicyNotFound(CallbackDomainError):
    """No policy with this id in the caller's group."""


class PolicyVersionConflict(CallbackDomainError):
    """The policy changed since the caller read it (optimistic concurrency on the version)."""


class SampleNotFound(CallbackDomainError):
    """No sample with this id in the caller's scope."""


class MonthNotOver(CallbackDomainError):
    """A sample on request is only drawn for a month whose draw time has passed in the estate's zone."""


class AlgorithmUnknown(CallbackDomainError):
    """A recorded sample names a drawing procedure this service does not know: never guess one."""


class ScheduleInvalid(CallbackDomainError):
    """A year's working-day schedule that cannot be right; `field` names the list at fault."""

    def __init__(self, reason: str, *, field: str) -> None:
        super().__init__(reason)
        self.reason, self.field = reason, field
