"""A KPI target of a group or an estate (R-SV-5) as a decider: set, and set again, by the quality department.

Which target is in force for an estate is `domain/targets.targets_for` (the estate's own, then the
group's "*", then the national benchmark); this stream only records each setting, so who changed a target,
when and from what is kept (the `targets` row shows the one in force).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from huifang_contracts.enums import Metric, SurveyDimension

from huifang_reporting.domain.errors import TargetInvalid
from huifang_reporting.domain.events import KpiTarget, TargetEvent, TargetImported, TargetSet

STREAM_PREFIX = "target-"


def stream_id(group_id: str, estate_id: str, metric: Metric, dimension: SurveyDimension | None = None) -> str:
    tail = f"/{dimension.value}" if dimension is not None else ""
    return f"{STREAM_PREFIX}{group_id}/{estate_id}/{metric.value}{tail}"


@dataclass(frozen=True)
class SetTarget:
    group_id: str
    estate_id: str  # "*": every estate of the group without its own
    metric: Metric
    target_percent: float
    by: str
    at: datetime
    dimension: SurveyDimension | None = None


def initial_state() -> KpiTarget:
    return KpiTarget()


def decide(command: SetTarget, _state: KpiTarget) -> list[TargetEvent]:
    c = command
    if not 0 <= c.target_percent <= 100:
        raise TargetInvalid("target_percent", "must be between 0 and 100")
    # set again to the same figure is still a setting: who confirmed it and when is kept
    return [TargetSet(c.group_id, c.estate_id, c.metric, c.target_percent, c.by, c.at, c.dimension)]


def evolve(state: KpiTarget, event: TargetEvent) -> KpiTarget:
    if isinstance(event, TargetSet):
        return KpiTarget(current=event)
    assert isinstance(event, TargetImported)
    return event.target
