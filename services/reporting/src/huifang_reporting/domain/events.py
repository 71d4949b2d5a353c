"""Reporting's own events: what was decided about each corrective action, target and month close.

A corrective-action notice (纠正措施通知单, R-SV-5) lives in the stream `corrective-action-<id>`, a KPI
target of a group or estate in `target-<group>/<estate>/<metric>`, the close of an estate-month in
`closed-month-<group>/<estate>/<month>`. These are the service's facts, not its public language:
`service_layer/outgoing.py` maps the ones the quality department's systems need to the contracts'
`CorrectiveActionRequired` and `CorrectiveActionVerified`. The KPI tables are not here: they are read
models of other services' events, rebuilt from Kafka.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from huifang_contracts.enums import Metric, SurveyDimension


@dataclass(frozen=True)
class Notice:
    """What a notice says: which rate of which estate-month fell below which target, and by when to act."""

    action_id: str
    group_id: str
    estate_id: str
    period: str
    metric: Metric
    target_percent: float
    actual_percent: float
    numerator: int
    denominator: int
    deadline: datetime
    issued_at: datetime
    issued_by: str | None = None
    dimension: SurveyDimension | None = None


@dataclass(frozen=True)
class Acknowledgement:
    """The estate's office took the notice on: who, when, and what they plan."""

    by: str
    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class Verification:
    """The quality department's check: whether the action worked, and the rate it measured."""

    by: str
    at: datetime
    effective: bool
    actual_percent: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class CorrectiveAction:
    """The aggregate's state: no notice yet, or a notice with what has been done about it."""

    notice: Notice | None = None
    acknowledgement: Acknowledgement | None = None
    verification: Verification | None = None


@dataclass(frozen=True)
class ActionRequired:
    """R-SV-5: a rate of a closed month fell below its target; a notice with a deadline is issued."""

    TYPE: ClassVar[str] = "reporting.ActionRequired"
    notice: Notice


@dataclass(frozen=True)
class ActionAcknowledged:
    """The estate acknowledged the notice."""

    TYPE: ClassVar[str] = "reporting.ActionAcknowledged"
    acknowledgement: Acknowledgement


@dataclass(frozen=True)
class ActionVerified:
    """R-SV-5: the quality department verified the corrective action."""

    TYPE: ClassVar[str] = "reporting.ActionVerified"
    verification: Verification


@dataclass(frozen=True)
class ActionImported:
    """A notice that existed before its stream did (migration 0004): the row's whole state, once."""

    TYPE: ClassVar[str] = "reporting.ActionImported"
    action: CorrectiveAction


ActionEvent = ActionRequired | ActionAcknowledged | ActionVerified | ActionImported
ACTION_EVENTS: tuple[type[ActionEvent], ...] = (ActionRequired, ActionAcknowledged, ActionVerified, ActionImported)


# -- the KPI target (R-SV-5) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetSet:
    """R-SV-5: the quality department set a KPI's target for the whole group (estate "*") or one estate."""

    TYPE: ClassVar[str] = "reporting.TargetSet"
    group_id: str
    estate_id: str
    metric: Metric
    target_percent: float
    set_by: str
    set_at: datetime
    dimension: SurveyDimension | None = None


@dataclass(frozen=True)
class KpiTarget:
    """The target's state: the setting in force (None before the first)."""

    current: TargetSet | None = None


@dataclass(frozen=True)
class TargetImported:
    """A target set before its stream existed (migration 0005): its row, once."""

    TYPE: ClassVar[str] = "reporting.TargetImported"
    target: KpiTarget


TargetEvent = TargetSet | TargetImported
TARGET_EVENTS: tuple[type[TargetEvent], ...] = (TargetSet, TargetImported)


# -- the close of an estate-month ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthClosed:
    """An estate's month closed, by the clock (`system`) or on request: its rates are judged against the
    targets from now on, and a notice goes out for each below (R-SV-5)."""

    TYPE: ClassVar[str] = "reporting.MonthClosed"
    group_id: str
    estate_id: str
    month: str
    closed_at: datetime
    closed_by: str


@dataclass(frozen=True)
class MonthClosing:
    """The estate-month's state: open (None), or how it was closed."""

    closed: MonthClosed | None = None


@dataclass(frozen=True)
class ClosedMonthImported:
    """A month closed before its stream existed (migration 0005): its row, once."""

    TYPE: ClassVar[str] = "reporting.ClosedMonthImported"
    closing: MonthClosing


MonthEvent = MonthClosed | ClosedMonthImported
MONTH_EVENTS: tuple[type[MonthEvent], ...] = (MonthClosed, ClosedMonthImported)
