"""Reporting's own events: what was decided about each corrective action, in its stream.

A corrective-action notice (纠正措施通知单, R-SV-5) lives in the stream `corrective-action-<id>`. These
are the service's facts, not its public language: `service_layer/outgoing.py` maps the ones the quality
department's systems need to the contracts' `CorrectiveActionRequired` and `CorrectiveActionVerified`.
The KPI tables are not here: they are read models of other services' events, rebuilt from Kafka.
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
