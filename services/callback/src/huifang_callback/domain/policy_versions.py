"""A policy (one per scope: a group's, or an estate's override) as a decider: a history of versions.

Creating a second policy for a scope, changing one that does not exist (or is another group's), or
changing from a version that is no longer the latest are refused; every accepted change is a new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from huifang_callback.domain.errors import PolicyNotFound, PolicyVersionConflict
from huifang_callback.domain.events import PolicyEvent, VersionAdopted
from huifang_callback.domain.policy import PolicyBody


@dataclass(frozen=True)
class CreatePolicy:
    policy_id: str
    group_id: str
    estate_id: str | None
    name: str
    body: PolicyBody
    by: str | None
    at: datetime
    governs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RevisePolicy:
    policy_id: str
    group_id: str
    expected_version: int | None
    name: str | None
    body: PolicyBody
    by: str | None
    at: datetime
    governs: tuple[str, ...] = ()


PolicyCommand = CreatePolicy | RevisePolicy


@dataclass(frozen=True)
class PolicyHistory:
    latest: VersionAdopted | None = None


def initial_state() -> PolicyHistory:
    return PolicyHistory()


def decide(command: PolicyCommand, history: PolicyHistory) -> list[PolicyEvent]:
    current = history.latest
    if isinstance(command, CreatePolicy):
        if current is not None:
            raise PolicyVersionConflict(f"a policy for this scope exists: {command.policy_id}; update it")
        return [
            VersionAdopted(command.policy_id, 1, command.group_id, command.estate_id, command.name, command.body,
                           command.by, command.at, command.governs)
        ]  # fmt: skip
    if current is None or current.group_id != command.group_id:
        raise PolicyNotFound(command.policy_id)
    if command.expected_version is not None and command.expected_version != current.version:
        raise PolicyVersionConflict(
            f"policy {command.policy_id} is at version {current.version}, not {command.expected_version}"
        )
    return [
        VersionAdopted(command.policy_id, current.version + 1, current.group_id, current.estate_id,
                       command.name or current.name, command.body, command.by, command.at, command.governs)
    ]  # fmt: skip


def evolve(history: PolicyHistory, event: PolicyEvent) -> PolicyHistory:
    return PolicyHistory(event)
