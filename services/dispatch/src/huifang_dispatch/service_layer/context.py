"""What the service layer needs from outside: where events go, what time it is, escalation policy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from huifang_contracts.enums import StaffRole
from huifang_infra.outbox import Outbox

from huifang_dispatch.service_layer.assigning import Assignments
from huifang_dispatch.service_layer.duty_logging import DutyLog
from huifang_dispatch.service_layer.handing_over import Handovers
from huifang_dispatch.service_layer.rostering import Rosters

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    """Built once at the composition root; tests pass their own clock."""

    outbox: Outbox
    assignments: Assignments
    handovers: Handovers
    duty_log: DutyLog
    rosters: Rosters
    clock: Clock = system_clock
    escalation_role: StaffRole = StaffRole.OFFICE_MANAGER
