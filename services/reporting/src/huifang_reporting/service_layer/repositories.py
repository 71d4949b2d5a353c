"""Reporting's repositories, one per aggregate, built once by the composition root around the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from huifang_infra.outbox import Outbox

from huifang_reporting.service_layer.corrective_actions import ActionRepository, action_repository
from huifang_reporting.service_layer.owned_streams import (
    ClosedMonthRepository,
    TargetRepository,
    closed_month_repository,
    target_repository,
)


@dataclass(frozen=True)
class Repositories:
    actions: ActionRepository
    targets: TargetRepository
    months: ClosedMonthRepository


def repositories(outbox: Outbox) -> Repositories:
    return Repositories(
        actions=action_repository(outbox), targets=target_repository(), months=closed_month_repository()
    )
