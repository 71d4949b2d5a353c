"""The target and month-close repositories: their deciders, codecs and projections, wired once.

Neither publishes anything: a target is read where a month closes, and a close goes out as the notices
it leads to (`service_layer/closing.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huifang_infra.db import Connection
from huifang_infra.decider import Decider
from huifang_infra.event_codec import EventCodec
from huifang_infra.repository import Decided, Repository

from huifang_reporting.adapters.closed_month_rows import write_closed_months
from huifang_reporting.adapters.target_rows import write_targets
from huifang_reporting.domain import closed_month as cm
from huifang_reporting.domain import kpi_target as kt
from huifang_reporting.domain.events import (
    MONTH_EVENTS,
    TARGET_EVENTS,
    KpiTarget,
    MonthClosing,
    MonthEvent,
    TargetEvent,
)

TargetRepository = Repository[kt.SetTarget, KpiTarget, TargetEvent]
ClosedMonthRepository = Repository[cm.CloseMonth, MonthClosing, MonthEvent]

kpi_target: Decider[kt.SetTarget, KpiTarget, TargetEvent] = Decider(kt.initial_state, kt.decide, kt.evolve)
closed_month: Decider[cm.CloseMonth, MonthClosing, MonthEvent] = Decider(cm.initial_state, cm.decide, cm.evolve)


def target_codec() -> EventCodec[TargetEvent]:
    return EventCodec(TARGET_EVENTS)


def month_codec() -> EventCodec[MonthEvent]:
    return EventCodec(MONTH_EVENTS)


async def project_targets(conn: Connection, decided: Sequence[Decided[Any, KpiTarget, Any]]) -> None:
    await write_targets(conn, [d.state for d in decided])


async def project_closed_months(conn: Connection, decided: Sequence[Decided[Any, MonthClosing, Any]]) -> None:
    await write_closed_months(conn, [d.state for d in decided])


def target_repository() -> TargetRepository:
    return Repository(kpi_target, target_codec(), project=project_targets)


def closed_month_repository() -> ClosedMonthRepository:
    return Repository(closed_month, month_codec(), project=project_closed_months)
