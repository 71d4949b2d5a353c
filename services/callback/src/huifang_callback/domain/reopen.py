"""R-CB-10: a dissatisfied answer sends the complaint back, round after round, up to the policy's cap.

Round r ended dissatisfied → the complaint reopens as round r + 1. Within the cap the department
fixes it again; from the cap on, each new round is escalated one step further up the rule's path
(e.g. the office manager, then the property director).
"""

from __future__ import annotations

from dataclasses import dataclass

from huifang_contracts.enums import StaffRole

DEFAULT_PATH = [StaffRole.OFFICE_MANAGER, StaffRole.PROPERTY_DIRECTOR]


@dataclass(frozen=True)
class Reopening:
    next_round: int
    escalate_to_role: StaffRole | None


def reopening_after(round_done: int, cap: int, path: list[StaffRole]) -> Reopening:
    next_round = round_done + 1
    if round_done < cap:
        return Reopening(next_round, None)
    steps = path or DEFAULT_PATH
    return Reopening(next_round, steps[min(round_done - cap, len(steps) - 1)])
