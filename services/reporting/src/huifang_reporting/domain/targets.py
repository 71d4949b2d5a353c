"""Targets and breaches (R-SV-5): which rates of a closed month call for a corrective action.

A group sets targets for all its estates (estate "*") and may override them per estate; without any,
overall satisfaction must reach the national benchmark of 95 %. A rate with nothing counted (no
questionnaire returned, no callback made) is not a breach: there is nothing to correct.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from huifang_contracts.enums import Metric

from huifang_reporting.domain.kpis import Counts, Ratio, rates

ALL_ESTATES = "*"
#: R-SV-5: the national benchmark, the default when a group has set nothing.
DEFAULT_TARGETS: Mapping[Metric, float] = {Metric.OVERALL_SATISFACTION: 95.0}
#: Names the deterministic action ids, so a replayed or retried close finds the same notice.
_ACTION_NAMESPACE = uuid.UUID("8a7f0a8e-2f65-4d6c-9a35-6c1b7c2d5e10")


@dataclass(frozen=True, slots=True)
class TargetRow:
    estate_id: str
    metric: Metric
    target_percent: float


@dataclass(frozen=True, slots=True)
class Breach:
    metric: Metric
    target_percent: float
    ratio: Ratio

    @property
    def actual_percent(self) -> float:
        assert self.ratio.percent is not None
        return self.ratio.percent


def targets_for(estate_id: str, rows: Iterable[TargetRow]) -> dict[Metric, float]:
    """Default, then the group's, then the estate's own: the most specific wins."""
    chosen = dict(DEFAULT_TARGETS)
    rows = list(rows)
    chosen.update({r.metric: r.target_percent for r in rows if r.estate_id == ALL_ESTATES})
    chosen.update({r.metric: r.target_percent for r in rows if r.estate_id == estate_id})
    return chosen


def breaches(
    counts: Counts, targets: Mapping[Metric, float], found_rates: Mapping[Metric, Ratio] | None = None
) -> list[Breach]:
    """The rates below their target, in the order of `rates` (deterministic); `found_rates`: `rates(counts)`."""
    found = []
    for metric, ratio in (rates(counts) if found_rates is None else found_rates).items():
        target = targets.get(metric)
        if target is None or ratio.percent is None:
            continue
        if ratio.percent < target:
            found.append(Breach(metric, target, ratio))
    return found


def action_id(group_id: str, estate_id: str, period: str, metric: Metric) -> str:
    """One id per estate, period and KPI: the notice's identity (R-SV-5, exactly once)."""
    return str(uuid.uuid5(_ACTION_NAMESPACE, f"{group_id}/{estate_id}/{period}/{metric.value}"))


def action_deadline(closed_at: datetime, days: int) -> datetime:
    """The notice's deadline: `days` after the month was closed."""
    return closed_at + timedelta(days=days)
